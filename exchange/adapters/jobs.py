"""The job queue: work handed off after a commit, so a page never waits on it.

Three ways, chosen by OUTBOX_DELIVERY (from REDIS_URL and TESTING):

- "rq": jobs go to Redis (RQ) and a worker process beside gunicorn runs them
  (`flask outbox worker`); it also runs the periodic tasks (retries that are due, a job
  lost while Redis was away).
- "thread": no Redis (`make run`): a thread of the app's own process runs the jobs, woken by
  each enqueue, and the periodic tasks every OUTBOX_SWEEP_SECONDS.
- "inline": tests: the job runs at once, in the caller's thread.

A task is named by its dotted path ("package.module.function") and takes plain arguments, so
this adapter depends on no use case: whoever enqueues names the task. Every task runs in an
app context of its own (inline: the caller's).
"""

from __future__ import annotations

import atexit
import logging
import os
import queue
import threading
from collections.abc import Sequence

from flask import Flask, current_app, has_request_context
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, SimpleWorker
from werkzeug.utils import import_string

from exchange.adapters.redis_client import connection_options

log = logging.getLogger("archipel.jobs")

QUEUE_NAME = "archipel"


class JobsUnavailable(Exception):
    """The queue could not take the job (Redis away): the work waits for the next sweep."""


def _run(task: str, *args) -> None:
    import_string(task)(*args)


def _run_in_context(app: Flask, task: str, *args) -> None:
    """One job in an app context of its own; a failure is logged, never raised: the thread
    or the worker's sweeper that runs it must outlive any one job."""
    try:
        with app.app_context():
            _run(task, *args)
    except Exception:
        log.exception("job %s%r failed", task, args)


class InlineJobs:
    """Run each job right away, in the caller's thread (tests)."""

    def __init__(self, app: Flask, periodic: Sequence[str]):
        self.periodic = tuple(periodic)

    def enqueue(self, task: str, *args) -> None:
        _run(task, *args)

    def start(self) -> None:
        """Nothing runs in the background."""


class ThreadJobs:
    """A daemon thread of this process: jobs as they come, periodic tasks in between."""

    def __init__(self, app: Flask, periodic: Sequence[str]):
        self.app = app
        self.periodic = tuple(periodic)
        self.every = float(app.config["OUTBOX_SWEEP_SECONDS"])
        self.jobs: queue.Queue = queue.Queue()
        self.thread: threading.Thread | None = None
        self.pid = 0
        self.lock = threading.Lock()

    def enqueue(self, task: str, *args) -> None:
        if not has_request_context():
            # A command (cron's `flask exchanges expire`…) ends right after its work: a thread
            # it started would die mid-send. It can wait for its own emails instead.
            _run(task, *args)
            return
        self.start()
        self.jobs.put((task, args))

    def start(self) -> None:
        """Start the thread in this process (again after a fork: threads do not survive it)."""
        if self.thread is not None and self.thread.is_alive() and self.pid == os.getpid():
            return
        with self.lock:
            if self.thread is not None and self.thread.is_alive() and self.pid == os.getpid():
                return
            if self.pid != os.getpid():
                self.jobs = queue.Queue()
            self.pid = os.getpid()
            self.thread = threading.Thread(target=self._loop, name="archipel-jobs", daemon=True)
            self.thread.start()
            # A worker that exits (gunicorn's max_requests, a restart) first lets the email
            # being sent finish, rather than leave it `sending` to go out twice.
            atexit.register(self.stop, timeout=self.app.config["MAIL_TIMEOUT"] + 5)

    def wait_idle(self) -> None:
        """Return once every job enqueued so far has run (tests, and a clean shutdown)."""
        self.jobs.join()

    def stop(self, timeout: float | None = None) -> None:
        """Let the thread end after the jobs already queued (waiting at most `timeout`)."""
        if self.thread is not None and self.thread.is_alive() and self.pid == os.getpid():
            self.jobs.put(None)
            self.thread.join(timeout)

    def _loop(self) -> None:
        for task in self.periodic:  # what an earlier process left behind
            self._safely(task)
        while True:
            try:
                item = self.jobs.get(timeout=self.every)
            except queue.Empty:
                for task in self.periodic:
                    self._safely(task)
                continue
            try:
                if item is None:
                    return
                self._safely(item[0], *item[1])
            finally:
                self.jobs.task_done()

    def _safely(self, task: str, *args) -> None:
        _run_in_context(self.app, task, *args)


class RQJobs:
    """Jobs on Redis through RQ; `work()` is the worker process."""

    def __init__(self, app: Flask, periodic: Sequence[str]):
        self.app = app
        self.url = app.config["REDIS_URL"]
        self.periodic = tuple(periodic)
        self.every = float(app.config["OUTBOX_SWEEP_SECONDS"])
        # A job outlives a slow mail server: its own timeout is the SMTP one with room to spare.
        self.job_timeout = int(app.config["MAIL_TIMEOUT"] * 4) + 30
        self.redis: Redis | None = None

    def connection(self):
        """One client per app (its pool is thread-safe and starts afresh after a fork)."""
        if self.redis is None:
            # The app's short timeouts: a Redis that hangs must not hold the page that enqueues.
            timeout = self.app.config["REDIS_TIMEOUT"]
            self.redis = Redis.from_url(self.url, **connection_options(timeout))
        return self.redis

    def queue(self, connection=None):

        return Queue(QUEUE_NAME, connection=connection or self.connection())

    def enqueue(self, task: str, *args) -> None:

        try:
            self.queue().enqueue_call(
                task, args=args, timeout=self.job_timeout, result_ttl=3600, failure_ttl=86400
            )
        except RedisError as e:
            raise JobsUnavailable(str(e)) from e

    def start(self) -> None:
        """The worker process runs the jobs, not the web process."""

    def work(self, burst: bool = False) -> None:
        """Run jobs until stopped (or, with `burst`, until the queue is empty); the periodic
        tasks run in a thread of the worker beside them."""

        app = self.app
        # The worker waits on Redis for minutes at a time (BLPOP): no short read timeout here.
        connection = Redis.from_url(self.url, socket_connect_timeout=5)

        class AppWorker(SimpleWorker):
            """Runs jobs in this process (no fork: the app's engine stays valid), each in an
            app context of its own."""

            def perform_job(self, job, queue):
                with app.app_context():
                    return super().perform_job(job, queue)

            def unsubscribe(self):
                # RQ unsubscribes, then stops the thread that listens for its commands, and
                # redis-py 8 joins that thread when it stops it. Told meanwhile that it is no
                # longer subscribed, the thread waits its full minute for a subscription
                # before it looks at the stop: every stop of a worker took a minute. Stopped
                # first (without waiting), it ends as soon as the unsubscription wakes it.
                if self.pubsub_thread is not None:
                    self.pubsub_thread.stop(timeout=0)
                super().unsubscribe()

        stop = threading.Event()
        sweeper = threading.Thread(target=self._sweep, args=(stop,), daemon=True)
        if not burst:
            sweeper.start()
        try:
            AppWorker([self.queue(connection)], connection=connection).work(burst=burst)
        finally:
            stop.set()

    def _sweep(self, stop: threading.Event) -> None:
        while not stop.wait(self.every):
            for task in self.periodic:
                _run_in_context(self.app, task)


def init_app(app: Flask, periodic: Sequence[str] = ()) -> None:
    """Bind the queue OUTBOX_DELIVERY names; `periodic`: tasks to run every so often."""
    mode = app.config.get("OUTBOX_DELIVERY") or "thread"
    if mode == "rq" and not app.config.get("REDIS_URL"):
        log.warning("OUTBOX_DELIVERY is rq but REDIS_URL is not set: a thread delivers instead")
        mode = "thread"
    kind = {"rq": RQJobs, "thread": ThreadJobs, "inline": InlineJobs}[mode]
    jobs = kind(app, periodic)
    app.extensions["archipel.jobs"] = jobs
    if isinstance(jobs, ThreadJobs):
        # Started by the first request of each process (never at import: gunicorn forks).
        app.before_request(jobs.start)


def get():
    return current_app.extensions["archipel.jobs"]


def enqueue(task: str, *args) -> None:
    """Hand `task(*args)` to the queue; JobsUnavailable when it cannot take it."""
    get().enqueue(task, *args)
