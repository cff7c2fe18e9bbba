"""gunicorn's settings for Archipel: `gunicorn -c python:exchange.gunicorn_conf app:app`.

Threaded workers (gthread): a page waiting on PostgreSQL holds one thread, not a whole
process, and the worker's main loop keeps accepting and answering the others. Each setting
can be changed by an environment variable (README, "Serving in production").

A request whose client left while it waited in the queue (a browser closed, a load balancer
or a benchmark that gave up) is dropped before the app runs it: a slow page that made clients
give up no longer makes the next ones wait for the pages nobody reads.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import socket

log = logging.getLogger("gunicorn.error")


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"
worker_class = "gthread"
# gunicorn's own advice for a machine serving mainly this app; threads share a process's memory.
workers = _int("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1)
threads = _int("GUNICORN_THREADS", 4)
# A worker whose main loop has not reported for this long is killed and replaced. Pages are
# meant to answer in tens of milliseconds and a statement is cancelled after
# DB_STATEMENT_TIMEOUT_MS (5 s): 30 s is only ever reached by a stuck process.
timeout = _int("GUNICORN_TIMEOUT", 30)
# On a restart or a stop, requests in flight get this long to finish.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# How long an idle kept-alive connection stays open (behind a proxy that reuses connections).
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Each worker is replaced after about this many requests, so slow growth of its memory
# (caches, fragmentation) never accumulates; the jitter keeps workers from restarting together.
# A new worker loads the app (about a second of one core here): every 10,000 requests that is
# a tenth of a millisecond a request, where 1,000 would cost about a millisecond.
max_requests = _int("GUNICORN_MAX_REQUESTS", 10_000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", max(max_requests // 10, 0))
# The heartbeat file lives in memory: on a disk-backed /tmp a slow disk can look like a hung worker.
SHM = "/dev/shm"  # noqa: S108 - gunicorn only touches its heartbeat file there
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR") or (SHM if os.path.isdir(SHM) else None)
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None  # "-" for stdout
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# gunicorn reads the names above as its settings; the functions below are the worker's hook.


def client_gone(environ: dict) -> bool:
    """Whether the client of this request has already closed its connection.

    A closed connection reads as end-of-file: peeking without waiting returns no bytes. Bytes
    waiting (a pipelined request) or nothing yet to read mean the client is still there.
    """
    sock = environ.get("gunicorn.socket")
    if sock is None:
        return False
    try:
        return sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except (BlockingIOError, InterruptedError):
        return False
    except OSError:  # reset by the peer, not connected
        return True


def drop_abandoned_requests(app):
    """Wrap a WSGI app so requests whose client has gone are answered without running it."""

    def wsgi(environ, start_response):
        if client_gone(environ):
            log.info(
                "client gone before its request ran: %s %s",
                environ.get("REQUEST_METHOD"),
                environ.get("PATH_INFO"),
            )
            # nginx's code for it; nobody reads the answer, the access log does.
            start_response("499 Client Closed Request", [("Connection", "close")])
            return [b""]
        return app(environ, start_response)

    return wsgi


def post_worker_init(worker):
    """Once the app is loaded in a worker, put the abandoned-request check in front of it."""
    worker.wsgi = drop_abandoned_requests(worker.wsgi)
