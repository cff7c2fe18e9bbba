"""Who may do what, route by route: the access matrix.

Every route of the app × anonymous / member / other member / coordinator of another space /
coordinator / admin (ARCHITECTURE.md, "Tests that mean something"). Each case builds its own
world, logs in as one role, sends one request, then checks the answer and the state: a refused
request changes nothing at all, an accepted one changes exactly what it should and, for a
coordinator's act, leaves a record saying who, what and why (PRODUCT.md rule 6).
Rule 9 (open by default, but never an email or a phone to a visitor) is checked on every page.

A new route without a row here makes `test_every_route_has_access_rules` fail.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import jinja2
import pytest
from sqlalchemy import event, select

from exchange.services import accounts, notifications, passwords, spaces
from models import LoginSession, Membership, ModerationAction, Notification, Space, User, db
from tests import factories

ROLES = ("anonymous", "member", "other_member", "coordinator_b", "coordinator_a", "admin")
PEOPLE = ("member", "other_member", "coordinator_b", "coordinator_a", "admin")
COORDINATORS_OF_A = ("coordinator_a", "admin")
LOGGED_IN = PEOPLE

NEW_PASSWORD = "chouette-grise-du-port"


# --------------------------------------------------------------------------- speed


class _SharedBytecode(jinja2.BytecodeCache):
    """Every case gets a new app; this spares each one compiling the same templates again."""

    def __init__(self):
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket):
        self.store[bucket.key] = bucket.bytecode_to_string()


_BYTECODE = _SharedBytecode()


@pytest.fixture(autouse=True)
def _compiled_templates_once(app):
    app.jinja_env.bytecode_cache = _BYTECODE
    if db.engine.dialect.name == "sqlite":  # a throwaway database needs no fsync per commit

        @event.listens_for(db.engine, "connect")
        def _no_fsync(dbapi_connection, _record):
            dbapi_connection.execute("PRAGMA synchronous=OFF")

        db.engine.dispose()


# --------------------------------------------------------------------------- the world


@dataclass
class World:
    """Ids, emails and tokens of one freshly built world; `fmt` fills URL templates with them."""

    ids: dict[str, int]
    emails: dict[str, str]
    contacts: dict[str, str]
    tokens: dict[str, str]
    role: str = "anonymous"

    def __getitem__(self, name: str) -> int:
        return self.ids[name]

    def values(self) -> dict[str, object]:
        return {
            **self.ids,
            **{f"{k}_email": v for k, v in self.emails.items()},
            **self.tokens,
            "self": self.ids.get(self.role, 0),
        }

    def fmt(self, template: str) -> str:
        return template.format_map(self.values())


def _link(outbox, path_prefix: str) -> str:
    for message in reversed(outbox):
        match = re.search(
            r"https?://[^/\s]+(" + re.escape(path_prefix) + r"[^\s]+)", message.get_content()
        )
        if match:
            return match.group(1)
    raise AssertionError(f"no email with a {path_prefix} link")


def build_world(app, needs: tuple[str, ...] = ()) -> World:
    """Space A (approval) and B (open), one person per role, an applicant waiting on A, an
    unconfirmed newcomer, and one unread notification per person. On demand (`needs`), to keep
    the other cases fast: "log", a person declined by both spaces (one act in each space's
    log); "tokens", the emailed confirmation link of the newcomer and reset link of the
    applicant."""
    space_a = factories.space("La Ruche", city="Lyon", join_policy="approval")
    space_b = factories.space("Le Phare", city="Brest", join_policy="open")

    contacts = {
        "member": "Tél. 06 11 22 33 44, bureau du fond",
        "other_member": "Tél. 07 55 66 77 88, le mardi",
        "applicant": "Signal : apolline-compta",
    }
    member = factories.member("Mila Membre", "mila@example.org", contact=contacts["member"])
    factories.join(member, space_a)
    other = factories.member("Otto Ailleurs", "otto@example.org", contact=contacts["other_member"])
    factories.join(other, space_b)
    coordinator_b = factories.coordinator(
        space_b, display_name="Bérénice Phare", email="berenice@example.org"
    )
    coordinator_a = factories.coordinator(
        space_a, display_name="Aurèle Ruche", email="aurele@example.org"
    )
    admin = factories.member("Adam Réseau", "adam@example.org", admin=True)
    applicant = factories.member(
        "Apolline Candidate", "apolline@example.org", contact=contacts["applicant"]
    )
    pending = spaces.request_join(applicant.id, space_a.id, "Je tiens la compta d'une AMAP.")
    newcomer = factories.member("Noé Nouveau", "noe@example.org", confirmed=False)
    people = {
        "member": member,
        "other_member": other,
        "coordinator_b": coordinator_b,
        "coordinator_a": coordinator_a,
        "admin": admin,
        "applicant": applicant,
        "newcomer": newcomer,
    }
    for role in PEOPLE:
        notifications.notify(people[role], "join_approved", email=False, space=f"îlot-{role}-fin")
    db.session.commit()

    if "log" in needs:
        refused = people["refused"] = factories.member("Roch Décliné", "roch@example.org")
        for space, coordinator, reason in (
            (space_a, coordinator_a, "motif-lieu-A"),
            (space_b, coordinator_b, "motif-lieu-B"),
        ):
            asked = factories.join(refused, space, status="pending")
            spaces.decide_join(coordinator.id, asked.id, approve=False, reason=reason)

    tokens = {}
    if "tokens" in needs:
        outbox = app.extensions["archipel.mailer"].outbox
        accounts.resend_confirmation(newcomer.email)
        tokens["confirm_token"] = _link(outbox, "/confirmation/").rsplit("/", 1)[1]
        accounts.request_password_reset(applicant.email)
        tokens["reset_token"] = _link(outbox, "/mot-de-passe/nouveau/").rsplit("/", 1)[1]
    app.extensions["archipel.mailer"].outbox.clear()

    ids = {name: user.id for name, user in people.items()}
    ids.update(A=space_a.id, B=space_b.id, pending=pending.id)
    return World(
        ids=ids,
        emails={name: user.email for name, user in people.items()},
        contacts=contacts,
        tokens=tokens,
    )


# --------------------------------------------------------------------------- reading the state


def _fresh() -> None:
    db.session.expire_all()


def _user(user_id: int) -> User:
    _fresh()
    return db.session.get(User, user_id)


def _membership(user_id: int, space_id: int) -> Membership | None:
    _fresh()
    return db.session.scalar(
        select(Membership).where(Membership.user_id == user_id, Membership.space_id == space_id)
    )


def _acts(action: str, **where) -> list[ModerationAction]:
    _fresh()
    query = select(ModerationAction).where(ModerationAction.action == action)
    for key, value in where.items():
        query = query.where(getattr(ModerationAction, key) == value)
    return list(db.session.scalars(query))


def _notifications(user_id: int, kind: str) -> list[Notification]:
    _fresh()
    return list(
        db.session.scalars(
            select(Notification).where(Notification.user_id == user_id, Notification.kind == kind)
        )
    )


def _unread(user_id: int) -> int:
    _fresh()
    return notifications.unread_count(user_id)


def _fingerprint() -> dict[str, list[str]]:
    """Every row of every table (log-in sessions aside): what "nothing changed" means."""
    _fresh()
    state = {}
    for table in db.metadata.sorted_tables:
        if table.name == LoginSession.__tablename__:
            continue
        rows = db.session.execute(select(table)).all()
        state[table.name] = sorted(repr(tuple(row)) for row in rows)
    return state


# --------------------------------------------------------------------------- expectations


@dataclass(frozen=True)
class Redirect:
    to: str  # a path template, compared without its query string
    back: bool = False  # the log-in page, whose ?next= leads back to the refused page (GET)


LOGIN = Redirect("/connexion", back=True)
HOME = Redirect("/")
OK, BAD, FORBIDDEN, NOT_FOUND, CONFLICT = 200, 400, 403, 404, 409
REFUSED = {BAD, FORBIDDEN, NOT_FOUND, CONFLICT}

Check = Callable[[World, str, object], None]


@dataclass(frozen=True)
class Case:
    method: str
    path: str
    expect: dict[str, int | Redirect]
    data: dict[str, str] = field(default_factory=dict)
    check: Check | None = None
    name: str = ""
    needs: tuple[str, ...] = ()  # extras of the world (see build_world)
    may_show: str = ""  # whose email the page may show: the owner of the emailed token

    @property
    def id(self) -> str:
        return self.name or f"{self.method} {self.path}"


def row(method, path, expect, data=None, check=None, name="", needs=(), may_show="") -> Case:
    """`expect` lists, in ROLES order: anonymous, member, other member, coordinator of B,
    coordinator of A, admin."""
    assert len(expect) == len(ROLES)
    expected = dict(zip(ROLES, expect, strict=True))
    return Case(method, path, expected, data or {}, check, name, needs, may_show)


# --------------------------------------------------------------------------- per-route checks


def check_directory(w, role, r):
    assert "Mila Membre" in r.text
    assert "Noé Nouveau" not in r.text  # an unconfirmed account has not joined yet


def check_profile(w, role, r):
    assert "Mila Membre" in r.text
    assert (w.contacts["member"] in r.text) == (role in LOGGED_IN)


def check_profile_saved(w, role, r):
    for person in PEOPLE:
        name = _user(w[person]).display_name
        assert (name == "Nom Changé") == (person == role)
    if role in LOGGED_IN:
        assert _user(w[role]).contact == "Sur place le jeudi"


def check_space_page(w, role, r):
    coordinates = role in COORDINATORS_OF_A
    assert (f'href="/lieux/{w["A"]}/demandes"' in r.text) == coordinates
    assert (f'href="/lieux/{w["A"]}/modifier"' in r.text) == coordinates
    admin = role == "admin"
    assert (f'action="/lieux/{w["A"]}/coordinateurs"' in r.text) == admin
    assert (f"/lieux/{w['A']}/coordinateurs/{w['coordinator_a']}/retirer" in r.text) == admin


def check_space_created(w, role, r):
    _fresh()
    created = db.session.scalar(select(Space).where(Space.name == "Nouvelle Île"))
    if role == "admin":
        assert created is not None and created.created_by_id == w["admin"]
        assert urlsplit(r.headers["Location"]).path == f"/lieux/{created.id}"
        assert _acts("space_created", actor_id=w["admin"], space_id=created.id)
    else:
        assert created is None


def check_space_edited(w, role, r):
    _fresh()
    space = db.session.get(Space, w["A"])
    if role in COORDINATORS_OF_A:
        assert space.name == "La Ruche du Port"
        assert _acts("space_updated", actor_id=w[role], space_id=w["A"])
    else:
        assert space.name == "La Ruche"
        assert not _acts("space_updated", space_id=w["A"])


def check_joined_a(w, role, r):
    if role == "anonymous":
        return
    mine = _membership(w[role], w["A"])
    if role == "member":
        assert (mine.status, mine.role) == ("active", "member")
    elif role == "coordinator_a":
        assert (mine.status, mine.role) == ("active", "coordinator")
    else:  # A approves its members: a request, and its coordinator hears of it
        assert (mine.status, mine.role) == ("pending", "member")
        asked = _notifications(w["coordinator_a"], "join_requested")
        assert len(asked) == 2  # the applicant's, then this one


def check_joined_b(w, role, r):
    if role == "anonymous":
        return
    mine = _membership(w[role], w["B"])
    expected = {"other_member": "member", "coordinator_b": "coordinator"}.get(role, "member")
    assert (mine.status, mine.role) == ("active", expected)


def check_left_a(w, role, r):
    assert _membership(w["applicant"], w["A"]).status == "pending"
    if role in ("member", "coordinator_a"):
        mine = _membership(w[role], w["A"])
        assert (mine.status, mine.role) == ("left", "member")


def _check_requests_list(space: str, listed_for: tuple[str, ...]):
    def check(w, role, r):
        if r.status_code == OK:
            assert w.fmt(f"/lieux/{{{space}}}") in r.text
            assert ("Apolline Candidate" in r.text) == (role in listed_for)

    return check


def _check_decision(expected_status: str, action: str, reason: str = ""):
    def check(w, role, r):
        asked = _membership(w["applicant"], w["A"])
        if role in COORDINATORS_OF_A:
            assert asked.status == expected_status
            assert asked.decided_by_id == w[role]
            assert asked.decision_reason == reason
            (act,) = _acts(action, subject_user_id=w["applicant"])
            assert (act.actor_id, act.space_id, act.reason) == (w[role], w["A"], reason)
            (told,) = _notifications(w["applicant"], action)
            assert told.data.get("reason", "") == reason
        else:
            assert asked.status == "pending"
            assert not _acts(action, subject_user_id=w["applicant"])

    return check


def check_still_pending(w, role, r):
    assert _membership(w["applicant"], w["A"]).status == "pending"
    assert not _acts("join_approved", subject_user_id=w["applicant"])
    assert not _acts("join_declined", subject_user_id=w["applicant"])


def check_appointed(w, role, r):
    named = _membership(w["member"], w["A"])
    if role == "admin":
        assert (named.status, named.role) == ("active", "coordinator")
        assert _acts("coordinator_named", actor_id=w["admin"], subject_user_id=w["member"])
        assert _notifications(w["member"], "coordinator_named")
    else:
        assert named.role == "member"
        assert not _acts("coordinator_named")


def check_removed(w, role, r):
    kept = _membership(w["coordinator_a"], w["A"])
    if role == "admin":
        assert (kept.status, kept.role) == ("active", "member")
        (act,) = _acts("coordinator_removed", subject_user_id=w["coordinator_a"])
        assert (act.actor_id, act.reason) == (w["admin"], "Absente depuis six mois")
        (told,) = _notifications(w["coordinator_a"], "coordinator_removed")
        assert told.data["reason"] == "Absente depuis six mois"
    else:
        assert kept.role == "coordinator"
        assert not _acts("coordinator_removed")


def check_not_removed_without_reason(w, role, r):
    assert _membership(w["coordinator_a"], w["A"]).role == "coordinator"
    assert not _acts("coordinator_removed")


def check_moderation(w, role, r):
    if r.status_code != OK:
        return
    assert ("Apolline Candidate" in r.text) == (role in COORDINATORS_OF_A)
    assert ("motif-lieu-A" in r.text) == (role in COORDINATORS_OF_A)
    assert ("motif-lieu-B" in r.text) == (role in ("coordinator_b", "admin"))


def check_notifications(w, role, r):
    for person in PEOPLE:
        assert (f"îlot-{person}-fin" in r.text) == (person == role)


def check_marked_read(w, role, r):
    for person in PEOPLE:
        if person == role:
            assert _unread(w[person]) == 0
        else:
            assert _unread(w[person]) >= 1


def check_logged_out(w, role, r):
    _fresh()
    if role in LOGGED_IN:
        assert (
            db.session.scalar(
                select(LoginSession).where(
                    LoginSession.user_id == w[role], LoginSession.revoked_at.is_(None)
                )
            )
            is None
        )


def check_signed_up(w, role, r):
    _fresh()
    created = db.session.scalar(select(User).where(User.email == "zoe@example.org"))
    assert (created is not None) == (role == "anonymous")


def check_confirmed(w, role, r):
    assert _user(w["newcomer"]).email_confirmed


def check_password_reset(w, role, r):
    user = _user(w["applicant"])
    assert passwords.verify_password(user.password_hash, NEW_PASSWORD)


# --------------------------------------------------------------------------- the matrix

ALL_OK = (OK,) * 6
MEMBERS_ONLY = (LOGIN, OK, OK, OK, OK, OK)
ADMIN_ONLY = (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)
COORDINATORS_A_ONLY = (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK)
LOGGED_OUT_ONLY = (OK, HOME, HOME, HOME, HOME, HOME)

TO_A = Redirect("/lieux/{A}")
TO_B = Redirect("/lieux/{B}")
TO_A_REQUESTS = Redirect("/lieux/{A}/demandes")
DECIDE_A = "/lieux/{A}/demandes/{pending}"
PROFILE = {
    "display_name": "Nom Changé",
    "bio": "Je répare des vélos.",
    "city": "Lyon",
    "languages": "français",
    "contact": "Sur place le jeudi",
    "skills": "vélo, soudure",
    "locale": "fr",
}
SPACE = {"name": "La Ruche du Port", "city": "Lyon", "description": "", "join_policy": "approval"}

CASES = [
    # main
    row("GET", "/", ALL_OK),
    row("GET", "/notifications", MEMBERS_ONLY, check=check_notifications),
    row(
        "POST",
        "/notifications/lues",
        (LOGIN, *(Redirect("/notifications"),) * 5),
        check=check_marked_read,
    ),
    # members (rule 9: a visitor sees profiles, never a way to reach the person)
    row("GET", "/membres", ALL_OK, check=check_directory),
    row("GET", "/membres/{member}", ALL_OK, check=check_profile),
    row("GET", "/membres/{newcomer}", (NOT_FOUND,) * 6, name="GET /membres/{unconfirmed}"),
    row("GET", "/profil", MEMBERS_ONLY),
    row(
        "POST",
        "/profil",
        (LOGIN, *(Redirect("/membres/{self}"),) * 5),
        data=PROFILE,
        check=check_profile_saved,
    ),
    # spaces
    row("GET", "/lieux", ALL_OK),
    row("GET", "/lieux/{A}", ALL_OK, check=check_space_page),
    row("GET", "/lieux/nouveau", ADMIN_ONLY),
    row(
        "POST",
        "/lieux/nouveau",
        (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, 302),
        data={"name": "Nouvelle Île", "city": "Nantes", "description": "", "join_policy": "open"},
        check=check_space_created,
    ),
    row("GET", "/lieux/{A}/modifier", COORDINATORS_A_ONLY),
    row(
        "GET",
        "/lieux/{B}/modifier",
        (LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, OK),
        name="GET /lieux/{B}/modifier (coordinator of B)",
    ),
    row(
        "POST",
        "/lieux/{A}/modifier",
        (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, TO_A, TO_A),
        data=SPACE,
        check=check_space_edited,
    ),
    row(
        "POST",
        "/lieux/{A}/rejoindre",
        (LOGIN, TO_A, TO_A, TO_A, TO_A, TO_A),  # already in: told so on the space page
        data={"message": "Bonjour !"},
        check=check_joined_a,
    ),
    row(
        "POST",
        "/lieux/{B}/rejoindre",
        (LOGIN, TO_B, TO_B, TO_B, TO_B, TO_B),
        name="POST /lieux/{B}/rejoindre (open space)",
        check=check_joined_b,
    ),
    row(
        "POST",
        "/lieux/{A}/quitter",
        (LOGIN, TO_A, TO_A, TO_A, TO_A, TO_A),
        check=check_left_a,
    ),
    row(
        "GET",
        "/lieux/{A}/demandes",
        COORDINATORS_A_ONLY,
        check=_check_requests_list("A", listed_for=COORDINATORS_OF_A),
    ),
    row(
        "GET",
        "/lieux/{B}/demandes",
        (LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, OK),
        name="GET /lieux/{B}/demandes (A's applicant not there)",
        check=_check_requests_list("B", listed_for=()),
    ),
    row(
        "POST",
        DECIDE_A,
        (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, TO_A_REQUESTS, TO_A_REQUESTS),
        data={"m{pending}-decision": "approve"},
        name="POST /lieux/{A}/demandes/{pending} approve",
        check=_check_decision("active", "join_approved"),
    ),
    row(
        "POST",
        DECIDE_A,
        (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, TO_A_REQUESTS, TO_A_REQUESTS),
        data={"m{pending}-decision": "decline", "m{pending}-reason": "Lieu complet cet hiver"},
        name="POST /lieux/{A}/demandes/{pending} decline with reason",
        check=_check_decision("declined", "join_declined", "Lieu complet cet hiver"),
    ),
    row(
        "POST",
        DECIDE_A,
        (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, BAD, BAD),  # the form again, error beside it
        data={"m{pending}-decision": "decline", "m{pending}-reason": ""},
        name="POST /lieux/{A}/demandes/{pending} decline without reason",
        check=check_still_pending,
    ),
    row(
        "POST",
        "/lieux/{B}/demandes/{pending}",
        (LOGIN, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, NOT_FOUND),
        data={"m{pending}-decision": "approve"},
        name="POST /lieux/{B}/demandes/{pending of A} (crossing spaces)",
        check=check_still_pending,
    ),
    row(
        "POST",
        "/lieux/{A}/coordinateurs",
        (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, TO_A),
        data={"email": "{member_email}"},
        check=check_appointed,
    ),
    row(
        "POST",
        "/lieux/{A}/coordinateurs/{coordinator_a}/retirer",
        (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, TO_A),
        data={"c{coordinator_a}-reason": "Absente depuis six mois"},
        check=check_removed,
    ),
    row(
        "POST",
        "/lieux/{A}/coordinateurs/{coordinator_a}/retirer",
        (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, BAD),
        data={"c{coordinator_a}-reason": ""},
        name="POST /lieux/{A}/coordinateurs/{coordinator_a}/retirer without reason",
        check=check_not_removed_without_reason,
    ),
    # moderation: coordinators see their own spaces' requests and acts, admins all of them
    row(
        "GET",
        "/moderation",
        (LOGIN, FORBIDDEN, FORBIDDEN, OK, OK, OK),
        check=check_moderation,
        needs=("log",),
    ),
    # auth
    row("POST", "/deconnexion", (LOGIN, *(HOME,) * 5), check=check_logged_out),
    row("GET", "/inscription", LOGGED_OUT_ONLY),
    row(
        "POST",
        "/inscription",
        LOGGED_OUT_ONLY,
        data={"display_name": "Zoé Neuve", "email": "zoe@example.org", "password": NEW_PASSWORD},
        check=check_signed_up,
    ),
    row("GET", "/connexion", LOGGED_OUT_ONLY),
    row(
        "POST",
        "/connexion",
        (HOME,) * 6,
        data={"email": "{applicant_email}", "password": factories.PASSWORD},
    ),
    row("GET", "/mot-de-passe/oublie", ALL_OK),
    row("POST", "/mot-de-passe/oublie", ALL_OK, data={"email": "personne@example.org"}),
    row("POST", "/confirmation/renvoyer", ALL_OK, data={"email": "personne@example.org"}),
    # emailed links: the token is the key, whoever holds it
    *(
        row(method, path, expect, needs=("tokens",), may_show=owner, **more)
        for method, path, expect, owner, more in (
            ("GET", "/confirmation/{confirm_token}", ALL_OK, "newcomer", {}),
            (
                "POST",
                "/confirmation/{confirm_token}",
                (Redirect("/connexion"),) * 6,
                "newcomer",
                {"check": check_confirmed},
            ),
            ("GET", "/mot-de-passe/nouveau/{reset_token}", ALL_OK, "applicant", {}),
            (
                "POST",
                "/mot-de-passe/nouveau/{reset_token}",
                (Redirect("/connexion"),) * 6,
                "applicant",
                {
                    "data": {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
                    "check": check_password_reset,
                },
            ),
        )
    ),
]


# --------------------------------------------------------------------------- the tests


def _log_in(auth, w: World, role: str) -> None:
    w.role = role
    if role != "anonymous":
        response = auth.login(w.emails[role])
        assert response.status_code == 302, response.text


def _assert_answer(response, expected, w: World, method: str, path: str) -> None:
    if isinstance(expected, Redirect):
        assert response.status_code == 302, (response.status_code, response.text[:2000])
        location = urlsplit(response.headers["Location"])
        assert location.path == w.fmt(expected.to)
        if expected.back and method == "GET":
            assert parse_qs(location.query).get("next") == [path]
    else:
        assert response.status_code == expected, (response.status_code, response.text[:2000])


def _assert_nothing_private(response, w: World, role: str, may_show: str = "") -> None:
    """Rule 9: no page shows anybody's email but one's own (or, on an emailed link's page, the
    address it was sent to); a visitor sees no way to reach anyone."""
    body = response.text
    for person, email in w.emails.items():
        if person not in (role, may_show):
            assert email not in body, f"{person}'s email shown to {role}"
    if role == "anonymous":
        for person, contact in w.contacts.items():
            assert contact not in body, f"{person}'s contact shown to a visitor"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_access(app, client, auth, case: Case, role: str):
    w = build_world(app, case.needs)
    _log_in(auth, w, role)
    path = w.fmt(case.path)
    data = {w.fmt(k): w.fmt(v) for k, v in case.data.items()}
    expected = case.expect[role]
    before = _fingerprint()

    response = client.open(path, method=case.method, data=data)

    _assert_answer(response, expected, w, case.method, path)
    _assert_nothing_private(response, w, role, case.may_show)
    refused = expected in REFUSED or (expected == LOGIN and role == "anonymous")
    if case.method == "GET" or refused:
        assert _fingerprint() == before, "a refused request or a GET changed the database"
    if case.check:
        case.check(w, role, response)


@pytest.mark.parametrize("role", ROLES)
def test_profile_shows_contact_to_members_and_email_to_nobody(app, client, auth, role):
    w = build_world(app)
    _log_in(auth, w, role)
    for person in ("member", "applicant"):
        response = client.get(f"/membres/{w[person]}")
        assert response.status_code == OK
        assert w.emails[person] not in response.text
        assert (w.contacts[person] in response.text) == (role != "anonymous")
        if role == "anonymous":
            assert "/connexion?next=" in response.text


def test_own_profile_does_not_show_own_email_either(app, client, auth):
    w = build_world(app)
    _log_in(auth, w, "member")
    response = client.get(f"/membres/{w['member']}")
    assert w.emails["member"] not in response.text
    assert w.contacts["member"] in response.text


def test_logging_out_ends_access_to_member_pages(app, client, auth):
    w = build_world(app)
    _log_in(auth, w, "member")
    assert client.get("/profil").status_code == OK
    assert client.post("/deconnexion").status_code == 302
    response = client.get("/profil")
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/connexion"


class _AnyId(dict):
    def __missing__(self, key):
        return "1"


def test_every_route_has_access_rules(app):
    """A new route fails here until it gets its rows in the matrix."""
    adapter = app.url_map.bind("localhost")
    covered = set()
    for case in CASES:
        endpoint, _args = adapter.match(case.path.format_map(_AnyId()), method=case.method)
        covered.add((endpoint, case.method))
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes - covered == set(), "routes without access rows"
    assert {endpoint for endpoint, _m in covered} == {endpoint for endpoint, _m in routes}
