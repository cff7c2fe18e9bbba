"""A busy desk: each queue shows twenty, the longest waiting first, with pages of its own
that keep the other queues where they were; a bad page number shows the first page."""

from __future__ import annotations

import re

from tests.budget_data import Queue


def _titles(page: str, section: str) -> list[str]:
    part = page.split(f'id="{section}"', 1)[1].split("</section>", 1)[0]
    return re.findall(r"<strong>(Annonce \d+)</strong>", part)


def test_each_queue_pages_by_twenty_and_keeps_the_others(client, auth):
    queue = Queue(auth, ["reported", "to_approve"])
    queue.grow(25)
    first = client.get("/moderation").text
    reported = _titles(first, "reports-title")
    to_approve = _titles(first, "approve-title")
    assert len(reported) == 20 and len(to_approve) == 20
    assert "1 à 20 sur 25" in first
    assert 'href="/moderation?signalements=2#reports-title"' in first

    second = client.get("/moderation?signalements=2&annonces=2").text
    more_reported = _titles(second, "reports-title")
    more_to_approve = _titles(second, "approve-title")
    assert "21 à 25 sur 25" in second
    assert len(more_reported) == 5 and not set(more_reported) & set(reported)
    assert len(more_to_approve) == 5 and not set(more_to_approve) & set(to_approve)
    # Moving one queue carries the other's page.
    links = re.findall(r'href="(/moderation\?[^"]*)"', second)
    assert "/moderation?signalements=2&annonces=1#approve-title" in links
    assert "/moderation?signalements=1&annonces=2#reports-title" in links


def test_a_page_past_the_end_or_not_a_number_shows_a_real_page(client, auth):
    queue = Queue(auth, ["to_approve"])
    queue.grow(3)
    for value in ("999", "abc", "-1", "0", "²"):
        page = client.get(f"/moderation?annonces={value}")
        assert page.status_code == 200
        assert len(_titles(page.text, "approve-title")) == 3, value
