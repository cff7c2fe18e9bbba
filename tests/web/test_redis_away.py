"""Redis away locks nobody out: with the rate limits' Redis killed or frozen, log-in, sign-up,
password reset and confirmation requests answer as usual, their limits still hold (counted in
the process's memory), the fallback is logged once, and the counting goes back to Redis when
Redis returns.

The Redis here is a redis-server of this module's own, on a free port (tests/redis_server.py),
so killing it disturbs nobody.
"""

from __future__ import annotations

import logging
import threading

import flask_limiter._extension
import pytest

from tests.redis_server import RedisServer

WRONG = "pas-le-bon-mot-de-passe"
FALLBACK = "falling back to in-memory storage"
RECOVERED = "Rate limit storage recovered"

# Each door limited per client address, and what it answers to an ordinary visitor.
DOORS = {
    "log-in": ("/connexion", lambda i: {"email": f"essai{i}@example.org", "password": WRONG}, 400),
    "sign-up": (
        "/inscription",
        lambda i: {
            "display_name": f"Inès {i}",
            "email": f"ines{i}@example.org",
            "password": "lune-rousse-velo",
        },
        200,
    ),
    "reset request": ("/mot-de-passe/oublie", lambda i: {"email": f"oubli{i}@example.org"}, 200),
    "new password": (
        "/mot-de-passe/nouveau/un-lien-perime",
        lambda i: {"password": "lune-rousse-velo"},
        302,  # an expired link leads back to the reset request
    ),
    "confirmation request": (
        "/confirmation/renvoyer",
        lambda i: {"email": f"attente{i}@example.org"},
        200,
    ),
}
LIMIT = 3


@pytest.fixture
def live_redis(redis_server):
    """The module's Redis, running and empty; thawed again whatever the test did to it."""
    redis_server.ensure_running()
    yield redis_server
    redis_server.thaw()


def _limited_app(make_app, server: RedisServer):
    return make_app(
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI=server.url,
        LOGIN_RATE_LIMIT=f"{LIMIT} per minute",
        LOGIN_PER_ACCOUNT_LIMIT="100 per minute",
    )


def _knock(client, door: str, i: int, address: str):
    path, data, _ = DOORS[door]
    return client.post(path, data=data(i), environ_base={"REMOTE_ADDR": address})


def _answered(call, *args, within: float = 15.0):
    """The response of `call(*args)`, which must come: a request left waiting on Redis fails
    here (a generous bound, not a timing: the timeouts in config.py keep it far shorter)."""
    outcome: dict = {}

    def run():
        try:
            outcome["response"] = call(*args)
        except BaseException as e:  # reported below, in the test's thread
            outcome["error"] = e

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(within)
    assert not thread.is_alive(), "no answer: the request is still waiting on Redis"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["response"]


def _each_door_answers_then_refuses_the_fourth_try(client, address: str) -> None:
    for door, (_, _, status) in DOORS.items():
        for i in range(LIMIT):
            response = _answered(_knock, client, door, i, address)
            assert response.status_code == status, (door, i, response.status_code)
        refused = _answered(_knock, client, door, LIMIT, address)
        assert refused.status_code == 429, door
        assert "Trop de tentatives" in refused.text


def _messages(caplog, text: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if text in r.getMessage()]


def _keys(server: RedisServer, address: str) -> list[bytes]:
    return list(server.client().scan_iter(match=f"*{address}*"))


def test_with_redis_killed_every_door_answers_and_its_limit_holds_in_memory_until_redis_returns(
    app, make_app, live_redis, caplog, monkeypatch
):
    # The limiter asks Redis again on a backoff of 1, 2, 4… 32 s; keep it at 1 s here, so the
    # test waits a second for the recovery rather than half a minute.
    monkeypatch.setattr(flask_limiter._extension, "MAX_BACKEND_CHECKS", 0)
    caplog.set_level(logging.INFO, logger="flask-limiter")
    client = _limited_app(make_app, live_redis).test_client()
    assert _knock(client, "log-in", 0, "192.0.2.1").status_code == 400
    assert _keys(live_redis, "192.0.2.1"), "while Redis is up, attempts are counted there"

    live_redis.kill()
    _each_door_answers_then_refuses_the_fourth_try(client, "192.0.2.2")
    assert client.get("/").status_code == 200
    assert len(_messages(caplog, FALLBACK)) == 1, "the fallback is logged once, not per request"

    live_redis.start()
    for _ in range(100):  # browsing asks Redis whether it is back, on the limiter's backoff
        if _messages(caplog, RECOVERED):
            break
        assert client.get("/").status_code == 200
        threading.Event().wait(0.05)
    assert _messages(caplog, RECOVERED), "the limiter never went back to Redis"

    # Counted in Redis again: another worker, with a memory of its own, shares the count.
    other_worker = _limited_app(make_app, live_redis).test_client()
    for i, worker in enumerate([client, client, other_worker]):
        assert _knock(worker, "log-in", i, "192.0.2.3").status_code == 400
    assert _knock(other_worker, "log-in", 3, "192.0.2.3").status_code == 429
    assert _keys(live_redis, "192.0.2.3")
    assert len(_messages(caplog, FALLBACK)) == 1


def test_with_redis_frozen_every_door_answers_without_waiting_for_it(
    app, make_app, live_redis, caplog
):
    """SIGSTOP: connections are accepted but nothing answers, the worst case for a client.
    Short socket timeouts bound what each request may lose to it (config.REDIS_TIMEOUT)."""
    caplog.set_level(logging.INFO, logger="flask-limiter")
    client = _limited_app(make_app, live_redis).test_client()
    assert _knock(client, "log-in", 0, "198.51.100.1").status_code == 400

    live_redis.freeze()
    _each_door_answers_then_refuses_the_fourth_try(client, "198.51.100.2")
    assert _answered(client.get, "/").status_code == 200
    assert len(_messages(caplog, FALLBACK)) == 1
