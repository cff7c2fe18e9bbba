"""A redis-server of the test's own, on a free port, that a test may kill, restart or freeze.

The machine's shared Redis (6379) is never touched. Without the `redis-server` binary the
tests that need one are skipped, or fail when ARCHIPEL_REQUIRE_SERVICES is set (CI).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time

import pytest
import redis

BINARY = shutil.which("redis-server")
NO_REDIS = "redis-server not found: Redis fault tests skipped (apt-get install redis-server)"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def require_binary() -> str:
    if BINARY:
        return BINARY
    if os.environ.get("ARCHIPEL_REQUIRE_SERVICES"):
        pytest.fail(NO_REDIS + " — and ARCHIPEL_REQUIRE_SERVICES is set")
    pytest.skip(NO_REDIS)


class RedisServer:
    """One redis-server process, without persistence, listening on 127.0.0.1 only."""

    def __init__(self, binary: str, port: int | None = None):
        self.binary = binary
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None
        self.frozen = False

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port, socket_connect_timeout=1, socket_timeout=2)

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.binary,
                *("--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                if self.client().ping():
                    return
            except redis.RedisError as e:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server did not start on port {self.port}") from e
                time.sleep(0.02)

    def kill(self) -> None:
        """As a crash would: SIGKILL, nothing saved, the port closed."""
        if self.process:
            self.thaw()
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None

    def freeze(self) -> None:
        """SIGSTOP: the port still accepts connections, but nothing answers."""
        assert self.process
        os.kill(self.process.pid, signal.SIGSTOP)
        self.frozen = True

    def thaw(self) -> None:
        if self.process and self.frozen:
            os.kill(self.process.pid, signal.SIGCONT)
            self.frozen = False

    def ensure_running(self) -> None:
        """Back to a live, empty Redis (after a test that killed or froze it)."""
        self.thaw()
        if self.process is None or self.process.poll() is not None:
            self.start()
        self.client().flushall()
