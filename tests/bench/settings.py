"""What a bench run is told by its environment (listed by `make help` and the README)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import make_url

from exchange.config import ROOT
from exchange.demo import DEMO_PASSWORD


def _env(name: str, default: str) -> str:
    return os.environ.get(name, "").strip() or default


@dataclass(frozen=True)
class Settings:
    seconds: int = field(default_factory=lambda: int(_env("BENCH_SECONDS", "5")))
    connections: int = field(default_factory=lambda: int(_env("BENCH_CONNECTIONS", "32")))
    warmup: int = field(default_factory=lambda: int(_env("BENCH_WARMUP", "1")))
    wrk_timeout: str = field(default_factory=lambda: _env("BENCH_WRK_TIMEOUT", "30s"))
    # The PostgreSQL server (any database on it): the bench creates its own beside it.
    pg_url: str = field(
        default_factory=lambda: _env(
            "BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
        )
    )
    prefix: str = field(default_factory=lambda: _env("BENCH_DB_PREFIX", "archipel_bench_"))
    scales: tuple[str, ...] = field(
        default_factory=lambda: tuple(_env("BENCH_SCALES", "small,large").split(","))
    )
    sqlite_path: Path = field(
        default_factory=lambda: Path(
            _env("BENCH_SQLITE_PATH", str(ROOT / "instance" / "bench-large.db"))
        )
    )
    out: Path = field(
        default_factory=lambda: Path(
            _env("BENCH_OUT", str(ROOT / "instance" / "bench-results.json"))
        )
    )
    reseed: bool = field(default_factory=lambda: _env("BENCH_RESEED", "0") == "1")
    settle_threads: int = field(default_factory=lambda: int(_env("BENCH_SETTLE_THREADS", "16")))
    pgbench_scale: int = field(default_factory=lambda: int(_env("BENCH_PGBENCH_SCALE", "16")))
    # Every seeded member's password (the demo's).
    password: str = field(default_factory=lambda: _env("BENCH_PASSWORD", DEMO_PASSWORD))
    search_runs: int = field(default_factory=lambda: int(_env("BENCH_SEARCH_RUNS", "30")))
    # Parts to leave out, comma-separated: ceilings, pgbench, pages, settlements, sqlite.
    skip: frozenset[str] = field(
        default_factory=lambda: frozenset(filter(None, _env("BENCH_SKIP", "").split(",")))
    )

    def database(self, name: str) -> str:
        """The libpq address of one of the bench's databases on the server."""
        url = make_url(self.pg_url).set(drivername="postgresql", database=self.prefix + name)
        return url.render_as_string(hide_password=False)

    @property
    def server(self) -> str:
        return (
            make_url(self.pg_url).set(drivername="postgresql").render_as_string(hide_password=False)
        )

    def wants(self, part: str) -> bool:
        return part not in self.skip
