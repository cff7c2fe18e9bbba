"""The run's numbers as one markdown table (plus a few lines) and as JSON."""

from __future__ import annotations

import json
from pathlib import Path


def _ms(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f} ms" if value >= 10 else f"{value:.1f} ms"


def _x(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}" if value < 10 else f"{value:,.0f}"


def _rps(load: dict | None) -> str:
    return "–" if not load else f"{load['rps']:,.1f}"


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def growth(results: dict) -> dict[str, float | None]:
    """p95 at the large scale over p95 at the small one, by page."""
    small = results["scales"].get("small", {}).get("pages", {})
    large = results["scales"].get("large", {}).get("pages", {})
    return {
        name: _ratio(large[name]["p95_ms"], small[name]["p95_ms"])
        for name in large
        if name in small
    }


def page_table(results: dict) -> list[str]:
    ceilings = results.get("ceilings", {})
    bare = ceilings.get("bare", {}).get("rps")
    rows = ceilings.get("rows", {}).get("rps")
    main = "large" if "large" in results["scales"] else next(iter(results["scales"]), None)
    pages = results["scales"].get(main, {}).get("pages", {}) if main else {}
    small = results["scales"].get("small", {}).get("pages", {})
    if not pages:
        return []
    grown = growth(results)
    lines = [
        f"| page ({main}) | as | status | req/s | p50 | p95 | p99 | non-2xx / socket errors "
        "| × bare Flask | × 20-row page | small: req/s | small: p95 | p95 growth |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, load in pages.items():
        before = small.get(name)
        lines.append(
            f"| `{name}` | {load['who']} | {load['status']} | {_rps(load)} | {_ms(load['p50_ms'])} "
            f"| {_ms(load['p95_ms'])} | {_ms(load['p99_ms'])} "
            f"| {load['non_2xx']} / {load['socket_errors']} "
            f"| {_x(_ratio(load['rps'], bare))} | {_x(_ratio(load['rps'], rows))} "
            f"| {_rps(before)} | {_ms(before and before['p95_ms'])} | {_x(grown.get(name))} |"
        )
    return lines


def summary_lines(results: dict) -> list[str]:
    lines = []
    for name, label in (("bare", "bare Flask page"), ("rows", "20-row PostgreSQL page")):
        load = results.get("ceilings", {}).get(name)
        if load:
            lines.append(
                f"- ceiling, {label}: {_rps(load)} req/s, p95 {_ms(load['p95_ms'])}, "
                f"errors {load['non_2xx']} / {load['socket_errors']}"
            )
    tps = results.get("pgbench", {}).get("tps")
    if tps:
        lines.append(
            f"- pgbench TPC-B (16 clients, scale {results['pgbench']['scale']}): {tps:,.0f} tps"
        )
    settle = results.get("settlements")
    if settle:
        verified = settle["ledger"]
        lines.append(
            f"- settlements through the services ({settle['threads']} threads): "
            f"{settle['per_second']:,.1f}/s ({settle['settled']} in {settle['seconds']:.1f} s, "
            f"{settle['refused']} refused)"
            + (f" = {settle['per_second'] / tps:.1%} of pgbench" if tps else "")
        )
        lines.append(
            f"- ledger verify after: {'ok' if verified['ok'] else 'BREACH'} "
            f"({verified['transfers']:,} transfers, {verified['entries']:,} entries, "
            f"sum {verified['total']})"
        )
    for scale, data in results["scales"].items():
        rss = data.get("rss_mb")
        if rss:
            sizes = ", ".join(f"{v:.0f}" for v in rss.values())
            lines.append(
                f"- worker RSS after the {scale} run: max {max(rss.values()):.0f} MB ({sizes})"
            )
    return lines


def search_table(results: dict) -> list[str]:
    searches = results.get("searches", {})
    if not searches:
        return []
    engines = list(searches)
    lines = [
        "| one client, in-process | " + " | ".join(f"{e}: p50 | {e}: p95" for e in engines) + " |",
        "|---|" + "---|---|" * len(engines),
    ]
    paths = list(next(iter(searches.values())))
    for path in paths:
        cells = []
        for engine in engines:
            found = searches[engine].get(path, {})
            cells += [_ms(found.get("p50_ms")), _ms(found.get("p95_ms"))]
        lines.append(f"| `{path}` | " + " | ".join(cells) + " |")
    return lines


def render(results: dict) -> str:
    parts = [
        f"## make bench, {results['started_at']} ({results['machine']})",
        "",
        *results.get("notes", []),
        "",
        *page_table(results),
        "",
        *summary_lines(results),
        "",
        *search_table(results),
    ]
    return "\n".join(parts) + "\n"


def write(results: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    results = {**results, "growth_p95": growth(results)}
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n")
