"""The names of the sessions' devices, as a member reads them."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from exchange.devices import device_name

AGENTS = [
    ("Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0", "Firefox sur Android"),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
        "Safari sur iPhone",
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0",
        "Edge sur Windows",
    ),
    (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/126.0.0.0 Safari/537.36",
        "Chrome sur Linux",
    ),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.5 Safari/605.1.15",
        "Safari sur macOS",
    ),
    ("curl/8.5.0", "curl/8.5.0"),
    ("", "Navigateur inconnu"),
    (None, "Navigateur inconnu"),
]


@pytest.mark.parametrize(("agent", "name"), AGENTS)
def test_a_user_agent_reads_as_its_browser_and_system(app, agent, name):
    assert device_name(agent) == name


def test_in_english_the_browser_is_on_its_system(app):
    with force_locale("en"):
        assert device_name(AGENTS[0][0]) == "Firefox on Android"
