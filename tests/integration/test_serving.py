"""gunicorn as production runs it (exchange/gunicorn_conf.py): a request whose client has gone
never runs, and clients that send half a request or nothing hold a thread at most, while the
others are served. The app served is tests/serving_app.py, one worker of four threads.

No timing is asserted: the bounds below are only how long a test waits before it fails.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time

import pytest

from exchange.config import ROOT
from tests.redis_server import free_port

GUNICORN = os.path.join(os.path.dirname(sys.executable), "gunicorn")
THREADS = 4
PATIENCE = 30  # seconds a test waits for an answer before failing


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = free_port()
    env = {
        **os.environ,
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": str(THREADS),
        "GUNICORN_KEEPALIVE": "1",
        "GUNICORN_ACCESS_LOG": "-",
    }
    log = (tmp_path_factory.mktemp("serving") / "gunicorn.log").open("w")
    command = [GUNICORN, "-c", "python:exchange.gunicorn_conf", "--bind", f"127.0.0.1:{port}"]
    process = subprocess.Popen(
        [*command, "tests.serving_app:app"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_until_it_answers(port, process)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=PATIENCE)
        log.close()


def _wait_until_it_answers(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, "gunicorn stopped (see gunicorn.log)"
        try:
            get(port, "/")
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("gunicorn never answered")


def connect(port: int) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=PATIENCE)


def ask(port: int, path: str, method: str = "GET") -> socket.socket:
    """A client that has sent its whole request and not read the answer yet."""
    sock = connect(port)
    sock.sendall(
        f"{method} {path} HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n"
        "Connection: close\r\n\r\n".encode()
    )
    return sock


def answer(sock: socket.socket) -> tuple[int, str]:
    """Read the whole answer (the server closes the connection): its status and body."""
    chunks = []
    with sock:
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    return int(head.split()[1]), body.decode()


def get(port: int, path: str, method: str = "GET") -> tuple[int, str]:
    return answer(ask(port, path, method))


def counts(port: int) -> dict:
    status, body = get(port, "/compte")
    assert status == 200
    return json.loads(body)


def in_threads(*calls) -> list:
    results: list = [None] * len(calls)

    def run(i, call):
        results[i] = call()

    threads = [threading.Thread(target=run, args=(i, c), daemon=True) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(PATIENCE)
    return results


def test_a_request_whose_client_has_gone_is_dropped_before_its_page_runs(server):
    get(server, "/remise-a-zero", "POST")
    # Every thread busy with a slow page whose clients wait for it…
    waiting = [ask(server, "/lent") for _ in range(THREADS)]
    time.sleep(0.2)
    # …while five more clients ask for it and give up (a closed tab, a proxy's timeout).
    for _ in range(5):
        ask(server, "/lent").close()
    answers = in_threads(*(lambda s=s: answer(s) for s in waiting))
    assert [status for status, _ in answers] == [200] * THREADS
    # Queued behind them, this one is answered once the abandoned requests are dropped.
    assert counts(server)["runs"] == THREADS


def test_silent_and_half_sent_clients_hold_a_thread_at_most_and_the_others_are_served(server):
    silent = connect(server)
    half_sent = [connect(server) for _ in range(2)]
    for sock in half_sent:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: t\r\n")  # the headers never end
    time.sleep(0.2)
    for _ in range(5):
        assert get(server, "/") == (200, "ok")

    for sock in half_sent:
        sock.close()  # they go away: their threads come back
    # The silent one is closed by the server (after gunicorn's wait for data and keepalive).
    assert silent.recv(1) == b""
    silent.close()

    get(server, "/remise-a-zero", "POST")
    answers = in_threads(*(lambda: get(server, "/lent") for _ in range(THREADS)))
    assert [status for status, _ in answers] == [200] * THREADS
    assert counts(server)["most_at_once"] == THREADS  # every thread was free again
