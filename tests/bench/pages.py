"""The main pages under wrk, each as the member who would read it."""

from __future__ import annotations

from dataclasses import asdict

from tests.bench import tools
from tests.bench.members import Cast, log_in, status_of
from tests.bench.servers import Server
from tests.bench.settings import Settings

# (address, who reads it): public pages as a visitor, the rest as their member.
PAGES = [
    ("/", "visitor"),
    ("/annonces", "visitor"),
    ("/annonces?q=comptabilite", "visitor"),
    ("/annonces?q=developpeur&type=offre", "visitor"),
    ("/annonces/{listing_id}", "visitor"),
    ("/membres/{profile_id}", "visitor"),
    ("/lieux/{space_id}", "visitor"),
    ("/compte", "busy"),
    ("/compte/releve.csv", "busy"),
    ("/echanges", "busy"),
    ("/caisse-commune", "visitor"),
    ("/moderation", "coordinator"),
]
PAGE_NAMES = [
    "/",
    "/annonces",
    "/annonces?q=comptabilite",
    "/annonces?q=developpeur&type=offre",
    "/annonces/<id>",
    "/membres/<id>",
    "/lieux/<id>",
    "/compte",
    "/compte/releve.csv",
    "/echanges",
    "/caisse-commune",
    "/moderation",
]


def cookies(server: Server, cast: Cast, password: str) -> dict[str, str]:
    """Each reader's Cookie header, logged in over HTTP on this server."""
    return {
        "visitor": "",
        "busy": log_in(server.url, cast.busy_email, password),
        "coordinator": log_in(server.url, cast.coordinator_email, password),
    }


def load(settings: Settings, url: str, cookie: str = "") -> dict:
    """wrk on one address: a short warm-up, then the measure."""
    if settings.warmup:
        tools.wrk(
            url, seconds=settings.warmup, connections=4, timeout=settings.wrk_timeout, cookie=cookie
        )
    measured = tools.wrk(
        url,
        seconds=settings.seconds,
        connections=settings.connections,
        timeout=settings.wrk_timeout,
        cookie=cookie,
    )
    return {**asdict(measured), "rps": measured.rps}


def measure_pages(settings: Settings, server: Server, cast: Cast) -> dict[str, dict]:
    """Every main page's numbers on this server, by page name."""
    readers = cookies(server, cast, settings.password)
    results = {}
    for (path, who), name in zip(PAGES, PAGE_NAMES, strict=True):
        url = server.url + path.format(**cast.as_dict())
        status = status_of(url, readers[who])
        print(f"  {name:<38} as {who:<11} status {status}", flush=True)
        results[name] = {"who": who, "status": status, **load(settings, url, readers[who])}
    return results
