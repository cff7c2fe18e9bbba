"""gunicorn with Archipel's own settings (exchange/gunicorn_conf.py), started and always
stopped by the bench; and the memory of its workers."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from exchange.config import ROOT

GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
LOGS = Path(os.environ.get("BENCH_LOGS", "/tmp/archipel-bench"))  # noqa: S108 - logs only


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    name: str
    url: str
    process: subprocess.Popen

    def workers(self) -> list[int]:
        """The pids of the master's worker processes (its children)."""
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, ValueError, IndexError):
                # "pid (comm) state ppid …": the name may hold spaces, not a ")".
                if int(stat.read_text().rpartition(")")[2].split()[1]) == self.process.pid:
                    pids.append(int(stat.parent.name))
        return sorted(pids)

    def worker_rss_mb(self) -> dict[int, float]:
        """Each worker's resident memory (VmRSS), in MB."""
        sizes = {}
        for pid in self.workers():
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        sizes[pid] = int(line.split()[1]) / 1024
        return sizes


def environment(database_url: str | None = None, **extra: str) -> dict:
    """The servers' and commands' environment: the caller's, with what the bench needs."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STRIPE_", "MAIL_"))}
    env.update(
        ARCHIPEL_ENV="development",
        ARCHIPEL_INSTANCE_PATH=str(LOGS / "instance"),
        SECRET_KEY="archipel-bench-not-secret",
        MAIL_BACKEND="log",
        # The bench logs its members in once per server, from one address.
        LOGIN_RATE_LIMIT="1000 per minute",
        PYTHONPATH=str(ROOT),
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update(extra)
    return env


@contextlib.contextmanager
def serve(name: str, app: str, env: dict) -> Iterator[Server]:
    """`gunicorn -c python:exchange.gunicorn_conf APP` on a free port, until the block ends."""
    LOGS.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = (LOGS / f"gunicorn-{name}.log").open("w")
    command = [GUNICORN, "-c", "python:exchange.gunicorn_conf", "--bind", f"127.0.0.1:{port}", app]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    server = Server(name, f"http://127.0.0.1:{port}", process)
    try:
        _wait_until_it_answers(server, LOGS / f"gunicorn-{name}.log")
        yield server
    finally:
        stop(process)
        log.close()


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_it_answers(server: Server, log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn {server.name} stopped; see {log}")
        try:
            with urllib.request.urlopen(server.url + "/", timeout=30):  # noqa: S310 - our 127.0.0.1
                return
        except urllib.error.HTTPError:
            return  # it answers, whatever it says
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn {server.name} never answered; see {log}")
