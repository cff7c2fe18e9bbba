"""What gunicorn serves in tests/integration/test_serving.py: a fast page, a slow one that
counts how many times it ran and how many ran at once, and the counts."""

from __future__ import annotations

import json
import threading
import time

from flask import Flask

SLOW_SECONDS = 1.5
app = Flask(__name__)
_lock = threading.Lock()
_counts = {"runs": 0, "running": 0, "most_at_once": 0}


@app.route("/")
def fast():
    return "ok"


@app.route("/lent")
def slow():
    with _lock:
        _counts["runs"] += 1
        _counts["running"] += 1
        _counts["most_at_once"] = max(_counts["most_at_once"], _counts["running"])
    time.sleep(SLOW_SECONDS)
    with _lock:
        _counts["running"] -= 1
    return "done"


@app.route("/compte")
def counts():
    with _lock:
        return json.dumps(_counts)


@app.route("/remise-a-zero", methods=["POST"])
def reset():
    with _lock:
        _counts.update(runs=0, most_at_once=_counts["running"])
    return "ok"
