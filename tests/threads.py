"""Running service calls at the same instant, as two gunicorn workers would."""

from __future__ import annotations

import threading

from models import db


def race(app, *calls):
    """Run the calls at the same instant in threads, each in an app context (and database
    session) of its own; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        with app.app_context():
            barrier.wait()
            try:
                results[i] = call()
            except Exception as e:  # the test inspects what was raised
                results[i] = e
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results
