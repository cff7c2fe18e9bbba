"""`make bench` (python -m tests.bench.run): issue 14's numbers in one run, printed as a
markdown table and written as JSON (BENCH_OUT). It prints numbers and never judges them.

1. the ceilings, with Archipel's gunicorn settings: a bare Flask page, a 20-row page;
2. pgbench TPC-B on a scratch database (dropped after);
3. Archipel under gunicorn on each seeded database (small, large): every main page under wrk;
4. settlements per second through the services, 16 threads, on the large database;
5. searches with one client on SQLite (seeded large) and on PostgreSQL;
6. the workers' memory after each server's run.
`python -m tests.bench.run --clean` (make bench-clean) drops what the runs keep.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from datetime import UTC, datetime

from exchange import gunicorn_conf
from tests.bench import databases, pages, report, searches, settlements, tools
from tests.bench.members import Cast, find_cast
from tests.bench.servers import environment, serve
from tests.bench.settings import Settings


def _stop_on_sigterm() -> None:
    """A TERM ends the run as ^C does: every server is stopped, every scratch database dropped."""

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def _cast(database_url: str) -> Cast:
    app = settlements.bench_app(database_url, threads=1)
    with app.app_context():
        cast = find_cast()
        settlements.db.engine.dispose()
    return cast


def ceilings(settings: Settings, database_url: str) -> dict:
    found = {}
    for name, app in (("bare", "tests.bench.bare_app:app"), ("rows", "tests.bench.rows_app:app")):
        with serve(f"ceiling-{name}", app, environment(database_url)) as server:
            print(f"ceiling: {name}", flush=True)
            found[name] = pages.load(settings, server.url + "/")
    return found


def archipel_pages(settings: Settings, scale: str, database_url: str) -> dict:
    cast = _cast(database_url)
    print(f"Archipel on {databases.database_name(database_url)}: {cast}", flush=True)
    with serve(f"archipel-{scale}", "app:app", environment(database_url)) as server:
        measured = pages.measure_pages(settings, server, cast)
        rss = server.worker_rss_mb()
    return {"cast": cast.as_dict(), "pages": measured, "rss_mb": rss}


def _gunicorn_settings() -> dict:
    names = ("worker_class", "workers", "threads", "timeout", "graceful_timeout", "keepalive")
    names += ("max_requests", "max_requests_jitter", "worker_tmp_dir")
    found = {name: getattr(gunicorn_conf, name) for name in names}
    found["DB_STATEMENT_TIMEOUT_MS"] = os.environ.get("DB_STATEMENT_TIMEOUT_MS", "5000")
    return found


def run(settings: Settings, results: dict) -> None:
    if settings.wants("pages") or settings.wants("ceilings"):
        tools.ensure_wrk()
    seeded = {}
    for scale in settings.scales:
        url, how = databases.seeded_postgres(settings, scale)
        seeded[scale] = url
        results["notes"].append(f"- PostgreSQL `{databases.database_name(url)}`: {how}")
    main = seeded.get("large") or next(iter(seeded.values()))
    if settings.wants("ceilings"):
        results["ceilings"] = ceilings(settings, main)
    if settings.wants("pgbench"):
        with databases.scratch(settings, "pgbench") as url:
            print("pgbench", flush=True)
            tps = tools.pgbench_tps(url, scale=settings.pgbench_scale, seconds=settings.seconds)
        results["pgbench"] = {"tps": tps, "scale": settings.pgbench_scale, "clients": 16}
    if settings.wants("pages"):
        for scale, url in seeded.items():
            results["scales"][scale] = archipel_pages(settings, scale, url)
    if settings.wants("settlements"):
        print("settlements", flush=True)
        results["settlements"] = settlements.measure(
            main,
            _cast(main),
            seconds=settings.seconds * 2,
            threads=settings.settle_threads,
        )
    if settings.wants("sqlite"):
        url, how = databases.seeded_sqlite(settings)
        results["notes"].append(f"- SQLite `{settings.sqlite_path}`: {how}")
        print("searches", flush=True)
        results["searches"] = {
            "SQLite": searches.time_searches(url, settings.search_runs),
            "PostgreSQL": searches.time_searches(main, settings.search_runs),
        }


def main(argv: list[str]) -> int:
    settings = Settings()
    if "--clean" in argv:
        databases.clean(settings)
        return 0
    _stop_on_sigterm()
    results: dict = {
        "started_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f} at start",
        "settings": {**settings.__dict__, "gunicorn": _gunicorn_settings()},
        "notes": [
            f"- wrk: {settings.connections} connections, {settings.seconds} s a page "
            f"(after {settings.warmup} s of warm-up); gunicorn: "
            + ", ".join(f"{k}={v}" for k, v in _gunicorn_settings().items())
        ],
        "scales": {},
    }
    started = time.monotonic()
    try:
        run(settings, results)
    except KeyboardInterrupt:
        results["notes"].append("- interrupted: the numbers below are what was measured")
        return 130
    finally:
        results["notes"].append(f"- the run took {time.monotonic() - started:.0f} s")
        report.write(results, settings.out)
        print(report.render(results))
        print(f"results written to {settings.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
