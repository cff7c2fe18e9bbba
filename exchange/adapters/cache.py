"""A cache for what is costly to compute and may be a few seconds late: counts and rankings
read on every search page (how many listings are visible, the most used tags).

Values live in Redis when REDIS_URL is set, so every worker and machine shares them and one
invalidation reaches all; otherwise in this process's memory. Each namespace has a
generation: `bump(namespace)` moves it on, and every value computed under the previous one
is never read again (it expires on its own). Values are JSON (numbers, strings, lists).

Redis away never breaks a page: the value is computed as if nothing was cached.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import redis
from flask import Flask, current_app

from exchange.adapters.redis_client import connection_options, is_redis_url

log = logging.getLogger(__name__)
PREFIX = "archipel:cache:"
MAX_MEMORY_KEYS = 2000


class MemoryStore:
    """One process's values, with their expiry; thread-safe (gthread workers)."""

    def __init__(self) -> None:
        self._values: dict[str, tuple[float, Any]] = {}
        self._generations: dict[str, int] = {}
        self._lock = threading.Lock()

    def generation(self, namespace: str) -> int:
        with self._lock:
            return self._generations.get(namespace, 0)

    def bump(self, namespace: str) -> None:
        with self._lock:
            self._generations[namespace] = self._generations.get(namespace, 0) + 1

    def get(self, key: str) -> Any:
        with self._lock:
            found = self._values.get(key)
            if found is None or found[0] < time.monotonic():
                self._values.pop(key, None)
                return None
            return found[1]

    def set(self, key: str, value: Any, ttl: float) -> None:
        with self._lock:
            if len(self._values) >= MAX_MEMORY_KEYS:
                self._values.clear()  # many filter combinations: start again, never grow
            self._values[key] = (time.monotonic() + ttl, value)


class RedisStore:
    """Values shared by every worker; any Redis error reads as "not cached"."""

    def __init__(self, url: str, timeout: float) -> None:
        self._redis = redis.Redis.from_url(url, **connection_options(timeout))

    def _call(self, name: str, *args, **kwargs):
        try:
            return getattr(self._redis, name)(*args, **kwargs)
        except redis.RedisError as error:
            log.warning("cache: Redis did not answer (%s); computing without it", error)
            return None

    def generation(self, namespace: str) -> int:
        return int(self._call("get", PREFIX + "gen:" + namespace) or 0)

    def bump(self, namespace: str) -> None:
        self._call("incr", PREFIX + "gen:" + namespace)

    def get(self, key: str) -> Any:
        raw = self._call("get", PREFIX + key)
        return None if raw is None else json.loads(raw)

    def set(self, key: str, value: Any, ttl: float) -> None:
        self._call("set", PREFIX + key, json.dumps(value), ex=max(1, int(ttl)))


def init_app(app: Flask) -> None:
    url = app.config.get("CACHE_REDIS_URL", app.config.get("REDIS_URL"))
    if is_redis_url(url):
        store: MemoryStore | RedisStore = RedisStore(url, app.config["REDIS_TIMEOUT"])
    else:
        store = MemoryStore()
    app.extensions["archipel.cache"] = store


def _store() -> MemoryStore | RedisStore:
    return current_app.extensions["archipel.cache"]


def bump(namespace: str) -> None:
    """Everything cached in this namespace is stale from now on."""
    _store().bump(namespace)


def get_or_compute(namespace: str, key: str, ttl: float, compute: Callable[[], Any]) -> Any:
    """The cached value of `key`, or `compute()`'s, kept for `ttl` seconds."""
    store = _store()
    full_key = f"{namespace}:{store.generation(namespace)}:{key}"
    value = store.get(full_key)
    if value is None:
        value = compute()
        store.set(full_key, value, ttl)
    return value
