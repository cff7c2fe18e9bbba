"""How Archipel talks to Redis: short timeouts and one quick retry, so Redis away costs a
request a fraction of a second instead of blocking it.

redis-py waits 5 s for a connection or an answer by default and retries ten times with a
backoff: a frozen Redis would hold every request that touches it for seconds. Every Redis
client of the app (the rate limiter's storage included) takes these options.
"""

from __future__ import annotations

from typing import TypeGuard

from redis.backoff import NoBackoff
from redis.retry import Retry

REDIS_SCHEMES = ("redis://", "rediss://", "redis+unix://", "unix://")


def is_redis_url(url: str | None) -> TypeGuard[str]:
    return url is not None and url.startswith(REDIS_SCHEMES)


def connection_options(timeout: float) -> dict:
    """Keyword arguments for `redis.Redis` (and `redis.Redis.from_url`).

    One retry without waiting: a connection that a Redis restart closed is replaced at once,
    while a Redis that is down or frozen fails within twice `timeout`.
    """
    return {
        "socket_connect_timeout": timeout,
        "socket_timeout": timeout,
        "retry": Retry(NoBackoff(), 1),
    }
