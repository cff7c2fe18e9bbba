"""Log-in attempts are limited per client address and per targeted account, in French, and
the limits hold across several workers when they share Redis.

Every test builds its own app with rate limiting on (TestConfig turns it off).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid

import pytest

from exchange.config import ROOT
from tests import factories

REDIS_URL = "redis://127.0.0.1:6379/0"
WRONG = "pas-le-bon-mot-de-passe"


def _redis():
    """A client for the local Redis, or None when it does not answer a PING."""
    try:
        import redis
    except ImportError:  # pragma: no cover - redis is a dependency
        return None
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError:
        return None
    return client


@pytest.fixture
def redis_client():
    client = _redis()
    if client is None:
        if os.environ.get("ARCHIPEL_REQUIRE_SERVICES"):
            pytest.fail("Redis on 127.0.0.1:6379 does not answer, and CI requires it")
        pytest.skip("needs Redis on 127.0.0.1:6379 (no answer to PING)")
    return client


def _address(run: str) -> str:
    """A client address of this run only (IPv6 documentation range)."""
    return f"2001:db8:{run[0:4]}:{run[4:8]}:{run[8:12]}:{run[12:16]}:{run[16:20]}:{run[20:24]}"


def _attempt(client, email: str, address: str = "192.0.2.10", password: str = WRONG):
    return client.post(
        "/connexion",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def _limited_app(make_app, **overrides):
    settings = {
        "RATELIMIT_ENABLED": True,
        "LOGIN_RATE_LIMIT": "5 per minute",
        "LOGIN_PER_ACCOUNT_LIMIT": "100 per minute",
    }
    settings.update(overrides)
    return make_app(**settings)


def test_the_sixth_failed_log_in_from_one_client_is_refused_in_french(app, make_app):
    client = _limited_app(make_app).test_client()
    for i in range(5):
        assert _attempt(client, f"essai{i}@example.org").status_code == 400
    refused = _attempt(client, "essai5@example.org")
    assert refused.status_code == 429
    assert "Trop de tentatives" in refused.text
    assert "Patientez quelques minutes" in refused.text
    assert int(refused.headers["Retry-After"]) > 0
    # Another address is not punished for it.
    assert _attempt(client, "essai6@example.org", address="192.0.2.99").status_code == 400


def test_even_the_right_password_waits_once_the_limit_is_reached(app, make_app):
    member = factories.member(email="lea@example.org")
    client = _limited_app(make_app).test_client()
    for _ in range(5):
        assert _attempt(client, member.email).status_code == 400
    assert _attempt(client, member.email, password=factories.PASSWORD).status_code == 429


def test_one_account_is_protected_against_attempts_from_many_addresses(app, make_app):
    client = _limited_app(
        make_app, LOGIN_RATE_LIMIT="1000 per minute", LOGIN_PER_ACCOUNT_LIMIT="3 per minute"
    ).test_client()
    # The same account, spelled three ways, from three addresses: one counter. Control
    # characters, which the forms drop before looking the account up, make no new counter.
    spellings = ["LEA@Example.org", " lea@example.org\r\n", "l\x01ea@example.org\x7f"]
    for i, spelling in enumerate(spellings):
        assert _attempt(client, spelling, address=f"198.51.100.{i + 1}").status_code == 400
    refused = _attempt(client, "lea@example.org", address="198.51.100.4")
    assert refused.status_code == 429
    assert "Trop de tentatives" in refused.text
    # Another account from one of those addresses is still heard.
    assert _attempt(client, "paul@example.org", address="198.51.100.4").status_code == 400


_OTHER_WORKER = """
import json, sys
from exchange import create_app
from exchange.config import TestConfig
settings = json.loads(sys.argv[1])
app = create_app(TestConfig, **settings["config"])
client = app.test_client()
for email in settings["emails"]:
    response = client.post(
        "/connexion",
        data={"email": email, "password": "pas-le-bon-mot-de-passe"},
        environ_base={"REMOTE_ADDR": settings["address"]},
    )
    print(response.status_code)
"""


def _worker(config: dict, emails: list[str], address: str) -> list[str]:
    """One more worker process: its own app, its own limiter, only Redis in common."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            _OTHER_WORKER,
            json.dumps({"config": config, "emails": emails, "address": address}),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_two_workers_sharing_redis_share_the_limit(app, migrated, redis_client):
    """Two worker processes (as gunicorn runs them) count one client's attempts together."""
    run = uuid.uuid4().hex
    prefix = f"archipel-test-{run}"
    # Unique address and accounts: whatever prefix is used, no other run shares these keys.
    address = _address(run)
    emails = [f"{run}-{i}@example.org" for i in range(7)]
    config = {
        "SQLALCHEMY_DATABASE_URI": migrated,
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": prefix,
        "LOGIN_RATE_LIMIT": "5 per minute",
        "LOGIN_PER_ACCOUNT_LIMIT": "100 per minute",
    }
    try:
        assert _worker(config, emails[:3], address) == ["400", "400", "400"]
        assert _worker(config, emails[3:6], address) == ["400", "400", "429"]
        assert _worker(config, emails[6:], address) == ["429"]
        assert any(redis_client.scan_iter(match=f"*{prefix}*")), "the counters are not in Redis"
    finally:
        _delete_keys(redis_client, prefix, run, address)


def _delete_keys(redis_client, prefix: str, run: str, address: str) -> None:
    for pattern in (f"*{prefix}*", f"*{run}*", f"*/{address}/*"):
        for key in redis_client.scan_iter(match=pattern):
            redis_client.delete(key)


# --- the limiter is one object shared by every app built in the process --------------------


def test_building_another_app_does_not_switch_off_the_first_ones_limits(app, make_app):
    limited = _limited_app(make_app, LOGIN_RATE_LIMIT="2 per minute").test_client()
    make_app()  # any other app (a test fixture, a CLI command) with rate limiting off
    for i in range(2):
        assert _attempt(limited, f"essai{i}@example.org").status_code == 400
    assert _attempt(limited, "essai2@example.org").status_code == 429


def test_each_app_counts_in_its_own_storage(app, make_app):
    """Two apps in one process (two workers, each with memory storage) do not share counters."""
    first = _limited_app(make_app, LOGIN_RATE_LIMIT="2 per minute").test_client()
    second = _limited_app(make_app, LOGIN_RATE_LIMIT="2 per minute").test_client()
    for i in range(2):
        assert _attempt(second, f"essai{i}@example.org").status_code == 400
    assert _attempt(first, "essai9@example.org").status_code == 400


def test_rate_limit_keys_carry_the_apps_own_prefix(app, make_app, redis_client):
    run = uuid.uuid4().hex
    prefix = f"archipel-test-{run}"
    address = _address(run)
    _limited_app(make_app)  # an app built earlier in the process, with the default prefix
    worker = _limited_app(
        make_app, RATELIMIT_STORAGE_URI=REDIS_URL, RATELIMIT_KEY_PREFIX=prefix
    ).test_client()
    try:
        assert _attempt(worker, f"{run}@example.org", address).status_code == 400
        keys = [k.decode() for k in redis_client.scan_iter(match=f"*{run}*")]
        assert keys, "no rate-limit key was written"
        assert all(f"/{prefix}/" in k for k in keys), keys
    finally:
        _delete_keys(redis_client, prefix, run, address)
