"""The load tools: wrk (Debian's package, installed when missing) and pgbench."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

HERE = Path(__file__).resolve().parent
PGBENCH = shutil.which("pgbench") or "/usr/bin/pgbench"


def ensure_wrk() -> str:
    """wrk's path; installs Debian's package when it is missing and we may (root)."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise SystemExit("wrk is missing: install it (apt-get install wrk) and run again")
    print("installing wrk (apt-get install -y wrk)…", flush=True)
    quiet = {
        "stdout": subprocess.DEVNULL,
        "env": {**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    }
    if subprocess.run(["apt-get", "install", "-y", "wrk"], **quiet).returncode:
        subprocess.run(["apt-get", "update"], check=True, **quiet)
        subprocess.run(["apt-get", "install", "-y", "wrk"], check=True, **quiet)
    return shutil.which("wrk") or "/usr/bin/wrk"


@dataclass
class Load:
    """What wrk measured on one address."""

    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    non_2xx: int
    socket_errors: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def wrk(url: str, *, seconds: int, connections: int, timeout: str, cookie: str = "") -> Load:
    """Run wrk on one address and read its summary."""
    command = [ensure_wrk(), "-t", "2", "-c", str(connections), "-d", f"{seconds}s"]
    command += ["--timeout", timeout, "--latency", "-s", str(HERE / "report.lua")]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    line = next(line for line in out.splitlines() if line.startswith("BENCH-JSON "))
    s = json.loads(line.removeprefix("BENCH-JSON "))
    return Load(
        requests=s["requests"],
        seconds=s["duration_us"] / 1e6,
        p50_ms=s["p50"] / 1000,
        p95_ms=s["p95"] / 1000,
        p99_ms=s["p99"] / 1000,
        max_ms=s["max"] / 1000,
        non_2xx=s["status"],
        socket_errors=s["connect"] + s["read"] + s["write"] + s["timeout"],
    )


def _libpq_args(database_url: str) -> tuple[list[str], dict]:
    url = make_url(database_url)
    args = [
        "-h",
        url.host or "127.0.0.1",
        "-p",
        str(url.port or 5432),
        "-U",
        url.username or "postgres",
    ]
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = url.password
    return args, env


def pgbench_tps(database_url: str, *, scale: int, seconds: int, clients: int = 16) -> float:
    """TPC-B (pgbench's default script) on a database pgbench fills first; its tps."""
    args, env = _libpq_args(database_url)
    name = make_url(database_url).database
    subprocess.run(
        [PGBENCH, *args, "-i", "-q", "-s", str(scale), name],
        env=env,
        check=True,
        capture_output=True,
    )
    run = subprocess.run(
        [PGBENCH, *args, "-c", str(clients), "-j", "2", "-T", str(seconds), name],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    found = re.search(r"tps = ([\d.]+) \(without initial connection time\)", run.stdout)
    found = found or re.search(r"tps = ([\d.]+)", run.stdout)
    if not found:
        raise RuntimeError(f"pgbench said nothing about tps:\n{run.stdout}\n{run.stderr}")
    return float(found.group(1))
