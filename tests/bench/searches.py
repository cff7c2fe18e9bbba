"""Searches with one client, in-process (the test client: the whole page, no network), on
SQLite or PostgreSQL: p50 and p95 over a number of runs."""

from __future__ import annotations

import statistics
import time

from exchange import create_app
from exchange.config import Config, _database_url
from models import db

SEARCHES = [
    "/annonces?q=comptabilite",
    "/annonces?q=developpeur&type=offre",
    "/annonces?q=compta",  # a prefix
    "/annonces?q=comptabilte",  # a typo
    "/annonces?q=atelier+jardin&type=demande",
]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def time_searches(database_url: str, runs: int) -> dict[str, dict]:
    """Each search's page times in ms (after two untimed runs), by address."""
    app = create_app(
        Config, SQLALCHEMY_DATABASE_URI=_database_url(database_url), MAIL_BACKEND="memory"
    )
    client = app.test_client()
    results = {}
    for path in SEARCHES:
        for _ in range(2):
            client.get(path)
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        results[path] = {
            "status": response.status_code,
            "runs": runs,
            "p50_ms": statistics.median(times),
            "p95_ms": _percentile(times, 0.95),
            "max_ms": max(times),
        }
    with app.app_context():
        db.engine.dispose()
    return results
