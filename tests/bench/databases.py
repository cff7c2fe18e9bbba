"""The bench's databases: PostgreSQL ones created beside the server's, seeded with
`flask demo seed --scale …` once and reused while their marker says the same seed; scratch
ones (pgbench's) dropped after use."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

from exchange.config import ROOT
from tests.bench.servers import environment
from tests.bench.settings import Settings

FLASK = [str(Path(sys.executable).with_name("flask")), "--app", "app"]
MARK = "archipel-bench: "


def flask(database_url: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """A flask command of Archipel's on that database, its output shown as it goes."""
    return subprocess.run(
        [*FLASK, *args], cwd=ROOT, env=environment(database_url), check=check, text=True
    )


def seed_command(scale: str) -> list[str]:
    """`demo seed --scale SCALE`, or the ordinary demo while this version has no --scale."""
    help_text = subprocess.run(
        [*FLASK, "demo", "seed", "--help"],
        cwd=ROOT,
        env=environment("sqlite://"),
        capture_output=True,
        text=True,
    ).stdout
    return ["demo", "seed", "--scale", scale] if "--scale" in help_text else ["demo", "seed"]


def _admin(settings: Settings) -> psycopg.Connection:
    return psycopg.connect(settings.server, autocommit=True)


def _marker(settings: Settings, name: str) -> str | None:
    with _admin(settings) as admin:
        row = admin.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            (settings.prefix + name,),
        ).fetchone()
    return None if row is None else (row[0] or "")


def drop(settings: Settings, name: str) -> None:
    with _admin(settings) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{settings.prefix + name}" WITH (FORCE)')


def _create(settings: Settings, name: str) -> str:
    drop(settings, name)
    with _admin(settings) as admin:
        admin.execute(f'CREATE DATABASE "{settings.prefix + name}"')
    return settings.database(name)


def _reusable(settings: Settings, url: str, marked: bool) -> bool:
    """Seeded by the same command, and its schema brought up to date (a database whose
    migrations were renamed since cannot be: it is seeded again)."""
    if settings.reseed or not marked:
        return False
    return flask(url, "db", "upgrade", check=False).returncode == 0


def seeded_postgres(settings: Settings, scale: str) -> tuple[str, str]:
    """The address of the PostgreSQL database seeded at this scale, and how it came to be."""
    command = seed_command(scale)
    marker = MARK + " ".join(command)
    url = settings.database(scale)
    if _reusable(settings, url, _marker(settings, scale) == marker):
        return url, f"reused ({' '.join(command)})"
    started = time.monotonic()
    url = _create(settings, scale)
    flask(url, "db", "upgrade")
    flask(url, *command)
    with _admin(settings) as admin:
        admin.execute(f"COMMENT ON DATABASE \"{settings.prefix + scale}\" IS '{marker}'")
    return url, f"seeded in {time.monotonic() - started:.0f} s ({' '.join(command)})"


def seeded_sqlite(settings: Settings, scale: str = "large") -> tuple[str, str]:
    """The SQLite file seeded at this scale (kept beside a marker file), and how."""
    command = seed_command(scale)
    marker = MARK + " ".join(command)
    path = settings.sqlite_path
    stamp = path.with_name(path.name + ".seeded")
    url = f"sqlite:///{path}"
    marked = path.exists() and stamp.exists() and stamp.read_text() == marker
    if _reusable(settings, url, marked):
        return url, f"reused ({' '.join(command)})"
    started = time.monotonic()
    remove_sqlite(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    flask(url, "db", "upgrade")
    flask(url, *command)
    stamp.write_text(marker)
    return url, f"seeded in {time.monotonic() - started:.0f} s ({' '.join(command)})"


def remove_sqlite(settings: Settings) -> None:
    path = settings.sqlite_path
    for suffix in ("", "-wal", "-shm", ".seeded"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


@contextlib.contextmanager
def scratch(settings: Settings, name: str) -> Iterator[str]:
    """A new empty database for one part of the run, dropped after it."""
    url = _create(settings, name)
    try:
        yield url
    finally:
        drop(settings, name)


def clean(settings: Settings) -> None:
    """`make bench-clean`: the seeded databases and the SQLite file go."""
    for name in (*settings.scales, "pgbench"):
        drop(settings, name)
        print(f"dropped {settings.prefix + name}")
    remove_sqlite(settings)
    print(f"removed {settings.sqlite_path}")


def database_name(url: str) -> str:
    return make_url(url).database or url
