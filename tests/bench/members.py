"""Who the bench logs in as and which pages it reads, found by queries (so any seed will do),
and logging in over HTTP as a browser does."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from models import Account, Entry, Feedback, Listing, Membership, Report, User, db
from models.base import utcnow


@dataclass
class Cast:
    """The benchmark's members and the pages' ids in one database."""

    busy_id: int  # most ledger entries: /compte, its CSV, /echanges
    busy_email: str
    busy_entries: int
    profile_id: int  # most feedback received: /membres/<id>
    profile_feedbacks: int
    coordinator_email: str  # the busiest moderation desk: /moderation
    coordinator_desk: int
    admin_email: str
    listing_id: int
    space_id: int

    def as_dict(self) -> dict:
        return asdict(self)


def _top(query):
    row = db.session.execute(query.limit(1)).first()
    if row is None:
        raise SystemExit("the database has no such member: is it seeded?")
    return row


def find_cast() -> Cast:
    """Read the benchmark's members from the database (in an app context)."""
    entries = func.count(Entry.id)
    busy_id, busy_entries = _top(
        select(Account.user_id, entries)
        .join(Entry, Entry.account_id == Account.id)
        .where(Account.user_id.is_not(None))
        .group_by(Account.user_id)
        .order_by(entries.desc())
    )
    received = func.count(Feedback.id)
    profile_id, feedbacks = _top(
        select(Feedback.subject_id, received)
        .group_by(Feedback.subject_id)
        .order_by(received.desc())
    )
    coordinator, desk = _busiest_coordinator()
    members = func.count(Membership.id)
    (space_id, _) = _top(
        select(Membership.space_id, members)
        .where(Membership.status == "active")
        .group_by(Membership.space_id)
        .order_by(members.desc())
    )
    return Cast(
        busy_id=busy_id,
        busy_email=db.session.get(User, busy_id).email,
        busy_entries=busy_entries,
        profile_id=profile_id,
        profile_feedbacks=feedbacks,
        coordinator_email=coordinator,
        coordinator_desk=desk,
        admin_email=_top(select(User.email).where(User.is_admin).order_by(User.id))[0],
        listing_id=_public_listing(profile_id),
        space_id=space_id,
    )


def _busiest_coordinator() -> tuple[str, int]:
    """The active coordinator with the most open reports and pending requests in their spaces."""
    reports = (
        select(func.count(Report.id))
        .join(Listing, Listing.id == Report.listing_id)
        .where(Report.status == "open", Listing.space_id == Membership.space_id)
        .scalar_subquery()
    )
    asking = aliased(Membership)
    pending = (
        select(func.count(asking.id))
        .where(asking.space_id == Membership.space_id, asking.status == "pending")
        .scalar_subquery()
    )
    desk = func.sum(reports + pending)
    email, count = _top(
        select(User.email, desk)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.role == "coordinator",
            Membership.status == "active",
            User.suspended_at.is_(None),
        )
        .group_by(User.id, User.email)
        .order_by(desk.desc(), User.id)
    )
    return email, int(count or 0)


def _public_listing(author_id: int) -> int:
    """A public listing, the busy profile's own when it has one."""
    public = select(Listing.id).where(
        Listing.status == "active", Listing.moderation == "approved", Listing.expires_at > utcnow()
    )
    row = db.session.execute(
        public.where(Listing.author_id == author_id).order_by(Listing.id.desc()).limit(1)
    ).first()
    return (row or _top(public.order_by(Listing.id.desc())))[0]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def log_in(base: str, email: str, password: str) -> str:
    """Log in over HTTP as a browser would; the Cookie header that carries the session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    page = opener.open(base + "/connexion", timeout=60).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    form = {"email": email, "password": password, "csrf_token": token.group(1) if token else ""}
    try:
        opener.open(base + "/connexion", urllib.parse.urlencode(form).encode(), timeout=60)
        raise SystemExit(f"could not log in as {email} (the log-in page came back)")
    except urllib.error.HTTPError as answer:
        if answer.code != 302:
            raise SystemExit(f"could not log in as {email}: {answer.code}") from answer
    opener.open(base + "/", timeout=60).read()  # the welcome message is shown and forgotten
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def status_of(url: str, cookie: str = "") -> int:
    """The status one request gets (redirects not followed): a page must answer 200."""
    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    try:
        with opener.open(request, timeout=120) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as answer:
        return answer.code
