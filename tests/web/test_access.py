"""Who may do what, route by route: the access matrix.

Every route of the app × anonymous / member / other member / coordinator of another space /
coordinator / admin (ARCHITECTURE.md, "Tests that mean something"). Each case gets a world of
its own (built through the services, or copied from the same world built for an earlier case),
logs in as one role, sends one request, then checks the answer and the state: a refused
request changes nothing at all, an accepted one changes exactly what it should and, for a
coordinator's act, leaves a record saying who, what and why (PRODUCT.md rule 6); an author's
acts on their own listings and a member's report are no coordinator's acts and log nothing.
Rule 9 (open by default, but never an email or a phone to a visitor) is checked on every page.

A new route without a row here makes `test_every_route_has_access_rules` fail.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import current_app
from sqlalchemy import delete, func, select

from exchange.adapters.storage import storage
from exchange.config import Config
from exchange.services.community import accounts, memberships, passwords, photos, settings
from exchange.services.conversations import blocks, threads
from exchange.services.exchanges import disputes, lifecycle
from exchange.services.ledger import gifts, transfers
from exchange.services.listings import publishing
from exchange.services.moderation import acts, reports
from exchange.services.money import amounts
from exchange.services.notify import notifications, preferences
from exchange.services.privacy import export
from exchange.services.reputation import feedback as feedback_service
from models import (
    Account,
    Block,
    Category,
    Conversation,
    Exchange,
    Fee,
    Feedback,
    Listing,
    LoginSession,
    Membership,
    Message,
    ModerationAction,
    NetworkSettings,
    Notification,
    OutboxEmail,
    Participant,
    Report,
    Space,
    StripeAccount,
    Transfer,
    User,
    db,
)
from models.base import utcnow
from tests import factories, pictures, snapshots

ROLES = ("anonymous", "member", "other_member", "coordinator_b", "coordinator_a", "admin")
PEOPLE = ("member", "other_member", "coordinator_b", "coordinator_a", "admin")
COORDINATORS_OF_A = ("coordinator_a", "admin")
LOGGED_IN = PEOPLE

NEW_PASSWORD = "chouette-grise-du-port"
PHONE_AGENT = "Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0"


# --------------------------------------------------------------------------- speed


class _BuiltWorlds:
    """Each world is built once through the services, the first time a case needs it; the next
    cases that need the same one get its rows copied back, ids and all, into the emptied
    database (`tests.snapshots`), or, when the case before read the same world and changed
    nothing, find it still there (`leave`)."""

    def __init__(self):
        self.store: dict[tuple[str, ...], tuple[World, snapshots.Rows, dict]] = {}
        self.blank: snapshots.Rows | None = None  # the empty database, reference rows and all

    def get(self, app, needs: tuple[str, ...], *, triggers_off: bool = False) -> World:
        key = tuple(sorted(needs))
        left, snapshots.LEFT.key = snapshots.LEFT.key, None
        if self.blank is None:  # the first case of this process: nothing was left before it
            self.blank = snapshots.take()
        if key not in self.store:
            if left is not None:
                snapshots.put_back(self.blank, triggers_off=triggers_off)
            world = build_world(app, needs)
            world.files = dict(storage().files)  # the world's pictures and exports
            rows = snapshots.take()
            self.store[key] = (replace(world), rows, _fingerprint())
            snapshots.next_ids(rows)
            return world
        world, rows, _seen = self.store[key]
        if left != key:
            snapshots.put_back(rows, triggers_off=triggers_off)
        storage().files.update(world.files)  # each test's app starts with an empty store
        return replace(world)

    def leave(self, needs: tuple[str, ...], state: dict) -> None:
        """After a case that found its world and changed nothing (`state`, its fingerprint
        after the request, is the world's as built): the log-in it made is forgotten and the
        world stays for the next case."""
        key = tuple(sorted(needs))
        _world, rows, seen = self.store[key]
        if state != seen:
            return
        kept = [row["id"] for row in rows[LoginSession.__tablename__]]
        db.session.execute(delete(LoginSession).where(LoginSession.id.not_in(kept)))
        db.session.commit()
        snapshots.LEFT.asked = key


_WORLDS = _BuiltWorlds()


# --------------------------------------------------------------------------- the world


@dataclass
class World:
    """Ids, emails and tokens of one freshly built world; `fmt` fills URL templates with them."""

    ids: dict[str, int]
    emails: dict[str, str]
    contacts: dict[str, str]
    tokens: dict[str, str]
    last_act: int = 0  # the moderation log's last id once built: what a request adds is after
    last_transfer: int = 0  # the same for the ledger's transfers
    role: str = "anonymous"
    files: dict[str, bytes] = field(default_factory=dict)  # what it put in the file store

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
        return template.format_map(_Values(self.values()))


class _Values(dict):
    """The world's values, and "newest_conversation": the last one started, read when a
    path names it (where a request has just started one)."""

    def __missing__(self, key):
        if key != "newest_conversation":
            raise KeyError(key)
        return db.session.scalar(select(func.max(Conversation.id))) or 0


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
    applicant; the listings and reports of `_build_listings`, the exchanges and transfers of
    `_build_ledger` (see there)."""
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
    pending = memberships.request_join(applicant.id, space_a.id, "Je tiens la compta d'une AMAP.")
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
            memberships.decide_join(coordinator.id, asked.id, approve=False, reason=reason)

    extras = _build_listings(needs, people, space_a)
    extras.update(_build_ledger(needs, people, space_a))
    extras.update(_build_feedback(needs, people, extras))
    extras.update(_build_conversations(needs, people, extras))
    if "failed_email" in needs:
        extras["failed_email"] = _failed_email(member)

    tokens = {}
    if "tokens" in needs:
        outbox = app.extensions["archipel.mailer"].outbox
        accounts.resend_confirmation(newcomer.email)
        tokens["confirm_token"] = _link(outbox, "/confirmation/").rsplit("/", 1)[1]
        accounts.request_password_reset(applicant.email)
        tokens["reset_token"] = _link(outbox, "/mot-de-passe/nouveau/").rsplit("/", 1)[1]
        tokens["unsubscribe_token"] = preferences.unsubscribe_token(applicant.id, "waiting")
    if "email_token" in needs:  # the member asked to move to another address
        settings.request_email_change(member.id, factories.PASSWORD, "mila.ailleurs@example.org")
        outbox = app.extensions["archipel.mailer"].outbox
        tokens["email_token"] = _link(outbox, "/compte/adresse/").rsplit("/", 1)[1]
    if "session" in needs:  # the member, logged in on a phone too
        phone = accounts.start_session(member, user_agent=PHONE_AGENT)
        tokens["member_session"] = accounts.session_id(phone)
    if "export" in needs:  # the member's large export, ready to be taken; and their picture
        photos.set_photo(member.id, pictures.photo(120, 120))
        tokens["member_photo"] = member.photo
        app.config["EXPORT_INLINE_ROWS"] = -1
        tokens["export"] = str(export.request_export(member.id).id)
        app.config["EXPORT_INLINE_ROWS"] = Config.EXPORT_INLINE_ROWS
    app.extensions["archipel.mailer"].outbox.clear()

    ids = {name: user.id for name, user in people.items()}
    ids.update(A=space_a.id, B=space_b.id, pending=pending.id, **extras)
    return World(
        ids=ids,
        emails={name: user.email for name, user in people.items()},
        contacts=contacts,
        tokens=tokens,
        last_act=db.session.scalar(select(func.max(ModerationAction.id))) or 0,
        last_transfer=db.session.scalar(select(func.max(Transfer.id))) or 0,
    )


FAILED_EMAIL = {"body": "lien-secret-de-réinitialisation", "error": "550 5.1.1 boîte-inconnue"}


def _failed_email(member) -> int:
    """ "failed_email": a reset link to the member that the mail server refused every time."""
    row = OutboxEmail(
        to_address=member.email,
        subject="Réinitialiser votre mot de passe",
        body=FAILED_EMAIL["body"],
        template="reset_password",
        message_id="<courriel-en-echec@archipel.local>",
        status="failed",
        attempts=6,
        last_error=FAILED_EMAIL["error"],
    )
    db.session.add(row)
    db.session.commit()
    return row.id


# Titles of the world's listings: a page shows a listing when it shows its title.
TITLES = {
    "listing": "Atelier vélo du jeudi",
    "hidden_listing": "Vélo-masqué en double",
    "pending_listing": "Annonce-en-relecture",
    "paused_listing": "Annonce-en-pause",
    "expired_listing": "Annonce-expirée",
    "suspended_listing": "Annonce-de-Sacha",
    "coordinators_listing": "Annonce-d-Aurèle",
}
CATEGORY = "bricolage"  # the category of `listing`, between "image-son" and "jardin-alimentation"


def _build_listings(needs, people, space_a) -> dict[str, int]:
    """The listing side of the world, each piece on demand, all in space A:

    "listing", the member's public offer (category CATEGORY, tag #vélo); "report", other
    member's open report on it; "member_report", other member's open report on the member's
    profile; "hidden_listing", the member's listing hidden by coordinator A (motif-masquage,
    an act in the log); "pending_listing", A now pre-moderates, the member's listing waits
    for approval; "paused_listing" and "expired_listing", the member's, paused by them or past
    their date; "suspended", Sacha, active in A, with a listing, suspended by coordinator A
    (motif-suspension); "category", the id of CATEGORY; "admin_in_a", the admin is an
    ordinary member of A; "coordinators_listing", coordinator A's own public listing."""
    member, other, coordinator_a = people["member"], people["other_member"], people["coordinator_a"]
    ids: dict[str, int] = {}

    def publish(name: str, author=member, **kw) -> Listing:
        item = factories.listing(author, space_a, TITLES[name], **kw)
        ids[name] = item.id
        return item

    if {"listing", "report"} & set(needs):
        publish(
            "listing",
            summary="Réglages, crevaisons, freins.",
            tags="#vélo, #réparation",
            mode="on_site",
            category_slug=CATEGORY,
        )
    if "report" in needs:
        ids["report"] = reports.report_listing(other.id, ids["listing"], "spam", "pub").id
    if "member_report" in needs:
        ids["member_report"] = reports.report_member(other.id, member.id, "harassment", "x").id
    if "coordinators_listing" in needs:
        publish("coordinators_listing", author=coordinator_a)
    if "hidden_listing" in needs:  # found by the same search as `listing`, if it were public
        item = publish(
            "hidden_listing",
            summary="Réparer un vélo.",
            tags="#vélo",
            mode="on_site",
            category_slug=CATEGORY,
        )
        reports.report_listing(other.id, item.id, "misleading")  # answered by the act below
        acts.hide_listing(coordinator_a.id, item.id, "motif-masquage")
    if "paused_listing" in needs:
        publishing.change_status(member.id, publish("paused_listing").id, "pause")
    if "expired_listing" in needs:
        item = publish("expired_listing")
        item.expires_at = utcnow() - timedelta(days=1)
        db.session.commit()
    if "suspended" in needs:
        sacha = factories.member("Sacha Suspendu", "sacha@example.org")
        publish("suspended_listing", author=sacha)  # joins A to publish
        acts.suspend_member(coordinator_a.id, sacha.id, "motif-suspension")
        people["suspended"] = sacha  # ids and emails (never shown) come from `people`
    if "pending_listing" in needs:  # last: A pre-moderates from here on
        space_a.premoderation = True
        db.session.commit()
        assert publish("pending_listing").moderation == "pending"
    if "category" in needs:
        ids["category"] = db.session.scalar(select(Category.id).where(Category.slug == CATEGORY))
    if "admin_in_a" in needs:
        factories.join(people["admin"], space_a)
    return ids


# The exchanges of the world, each born on a listing of its own (the member's offer in A) so
# that any of them can be built beside the others; a page shows an exchange with its title.
EXCHANGES = {
    "proposed_exchange": "Échange-proposé",
    "accepted_exchange": "Échange-accepté",
    "done_exchange": "Échange-déclaré",
    "disputed_exchange": "Échange-contesté",
    "confirmed_exchange": "Échange-confirmé",
    "disputed_in_a": "Litige-interne-à-A",
    "fee_exchange": "Échange-avec-frais",
    "disputed_fee_exchange": "Litige-avec-frais",
}
LOGGED = 90  # the minutes the world's logs declare
# The fee the member (the provider) attached on accepting the exchanges "with a fee".
FEE_ASKED = {"fee_cents": 1250, "fee_covers": "Frais-de-chambre-à-air"}
WITH_A_FEE = ("fee_exchange", "disputed_fee_exchange")


@contextmanager
def _fees_on_meanwhile():
    """Online fees on while a fee is attached: the matrix runs with them off (TestConfig has no
    Stripe keys), as on a network that has turned them off since. What each route does with
    fees on is proven in test_fees.py."""
    config = current_app.config
    saved = {key: config.get(key) for key in amounts.KEYS}
    config.update(dict.fromkeys(amounts.KEYS, "set-while-the-world-is-built"))
    try:
        yield
    finally:
        config.update(saved)


def _build_ledger(needs, people, space_a) -> dict[str, int]:
    """The exchange and ledger side of the world, each piece on demand.

    "proposed_exchange", other member's proposal on the member's offer (so the member
    provides, other member receives); "accepted_exchange", one the member accepted;
    "done_exchange", one whose LOGGED minutes other member logged, waiting on the member;
    "disputed_exchange", one the member disputed (motif-contestation); "confirmed_exchange",
    one the member confirmed (LOGGED minutes moved from other member to the member);
    "disputed_in_a", the same dispute between the member and coordinator A (both of A only:
    B's coordinator has no say, A's is a party); "transfer", the member's gift of an hour to
    other member (don-à-corriger); "corrected_transfer", the same, reversed by the admin
    (déjà-corrigé); "pot_funds", other member's gift of 5 h to the pot (don-à-la-caisse);
    "fee_exchange", one the member accepted with a fee (FEE_ASKED), still due;
    "disputed_fee_exchange", the same fee, then the exchange logged and disputed as above;
    "acted_for", the act (its id) of coordinator A giving half an hour of the member's time to
    the pot at her request (demande-de-Mila)."""
    member, other = people["member"], people["other_member"]
    ids: dict[str, int] = {}

    def exchange(name: str, upto: str, counterpart=other) -> None:
        offer = factories.listing(member, space_a, EXCHANGES[name])
        made = lifecycle.propose(
            counterpart.id, offer.id, message="Je passe jeudi ?", foreseen_minutes=60
        )
        ids[name] = made.id
        if upto == "proposed":
            return
        if name in WITH_A_FEE:
            with _fees_on_meanwhile():
                lifecycle.accept(member.id, made.id, "Avec plaisir", **FEE_ASKED)
        else:
            lifecycle.accept(member.id, made.id, "Avec plaisir")
        if upto == "accepted":
            return
        lifecycle.log_time(counterpart.id, made.id, minutes=LOGGED, note="Fait jeudi")
        if upto == "disputed":
            disputes.dispute(member.id, made.id, "motif-contestation")
        elif upto == "confirmed":
            lifecycle.confirm(member.id, made.id)

    for name in ("proposed", "accepted", "done", "disputed", "confirmed"):
        if f"{name}_exchange" in needs:
            exchange(f"{name}_exchange", name)
    if "disputed_in_a" in needs:
        exchange("disputed_in_a", "disputed", counterpart=people["coordinator_a"])
    if "fee_exchange" in needs:
        exchange("fee_exchange", "accepted")
    if "disputed_fee_exchange" in needs:
        exchange("disputed_fee_exchange", "disputed")
    if "transfer" in needs:
        ids["transfer"] = gifts.give(
            member.id, minutes=60, message="don-à-corriger", to_member_id=other.id
        ).id
    if "corrected_transfer" in needs:  # the same gift, already reversed once
        ids["transfer"] = gifts.give(
            member.id, minutes=60, message="don-à-corriger", to_member_id=other.id
        ).id
        gifts.correct(people["admin"].id, ids["transfer"], "déjà-corrigé")
    if "pot_funds" in needs:
        gifts.give(other.id, minutes=5 * 60, message="don-à-la-caisse")
    if "acted_for" in needs:  # coordinator A gave half an hour of the member's to the pot
        gifts.give(
            people["coordinator_a"].id,
            for_member_id=member.id,
            minutes=30,
            message="",
            reason="demande-de-Mila",
        )
        ids["acted_for"] = db.session.scalar(select(func.max(ModerationAction.id)))
    return ids


# The feedback of the world, on `confirmed_exchange` (the member gave the time to other
# member); a page shows a feedback when it shows its comment.
FEEDBACK_TEXTS = {"about_member": "retour-d-Otto", "about_other": "retour-de-Mila"}


def _build_feedback(needs, people, ids) -> dict[str, int]:
    """The feedback side of the world, each piece on demand (all need "confirmed_exchange").

    "blind_feedback", other member's feedback on the member, still waiting for the member's;
    "feedback", both have written, so both show: "about_member" (other member's, recommends)
    and "about_other" (the member's, neutral); "hidden_feedback", the same, with the comment of
    "about_member" hidden by coordinator A (motif-retour-masqué, an act in the log);
    "feedback_report", the applicant's open report on "about_member"."""
    wanted = {"blind_feedback", "feedback", "hidden_feedback", "feedback_report"} & set(needs)
    if not wanted:
        return {}
    assert "confirmed_exchange" in ids, "feedback needs the confirmed exchange"
    member, other = people["member"], people["other_member"]
    exchange_id = ids["confirmed_exchange"]
    about_member = feedback_service.write(
        other.id, exchange_id, "recommends", FEEDBACK_TEXTS["about_member"]
    )
    if wanted == {"blind_feedback"}:
        return {"blind_feedback": about_member.id}
    about_other = feedback_service.write(
        member.id, exchange_id, "neutral", FEEDBACK_TEXTS["about_other"]
    )
    found = {"about_member": about_member.id, "about_other": about_other.id}
    if "hidden_feedback" in needs:
        acts.hide_feedback(people["coordinator_a"].id, about_member.id, "motif-retour-masqué")
    if "feedback_report" in needs:
        reports.report_feedback(people["applicant"].id, about_member.id, "harassment", "x")
    return found


# The messages of the world's conversation, and its coordination's.
TALK = {"question": "question-d-Otto", "answer": "réponse-de-Mila", "sent": "mot-envoyé"}


def _build_conversations(needs, people, ids) -> dict[str, int]:
    """The conversations of the world, each piece on demand:

    "conversation" (needs "listing"), other member asked the member a question about the
    member's offer (TALK["question"]) and the member answered (TALK["answer"]), both have read
    it; "message" and "answer", the ids of the two; "message_report", the member reported it (to the
    coordinators of A); "blocked", the member blocked other member."""
    member, other = people["member"], people["other_member"]
    found: dict[str, int] = {}
    if {"conversation", "message_report"} & set(needs):
        assert "listing" in ids, "the conversation is about the member's listing"
        conversation, _new = threads.start(
            other.id, member.id, TALK["question"], listing_id=ids["listing"]
        )
        question = db.session.scalar(
            select(Message.id).where(Message.conversation_id == conversation.id)
        )
        answer = threads.reply(member.id, conversation.id, TALK["answer"])
        threads.read(other.id, conversation.id)
        found.update(conversation=conversation.id, message=question, answer=answer.id)
        if "message_report" in needs:
            found["message_report"] = reports.report_message(
                member.id, question, "harassment", "x"
            ).id
    if "blocked" in needs:
        blocks.block(member.id, other.id)
    return found


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


def _new_acts(w: World) -> list[ModerationAction]:
    """The acts the request added to the log, in order."""
    _fresh()
    return list(
        db.session.scalars(
            select(ModerationAction)
            .where(ModerationAction.id > w.last_act)
            .order_by(ModerationAction.id)
        )
    )


def _listing(listing_id: int) -> Listing:
    _fresh()
    return db.session.get(Listing, listing_id)


def _report(report_id: int) -> Report:
    _fresh()
    return db.session.get(Report, report_id)


def _category(category_id: int) -> Category | None:
    _fresh()
    return db.session.get(Category, category_id)


def _emailed(w: World, person: str, words: str) -> bool:
    """Whether the request sent `person` an email saying `words` (a suspended member, who
    cannot log in, learns the reason this way)."""
    return any(
        message["To"] == w.emails[person] and words in message.get_content()
        for message in current_app.extensions["archipel.mailer"].outbox
    )


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


def _exchange(exchange_id: int) -> Exchange:
    _fresh()
    return db.session.get(Exchange, exchange_id)


def _new_transfers(w: World) -> list[Transfer]:
    """The transfers the request wrote, in order."""
    _fresh()
    return list(
        db.session.scalars(
            select(Transfer).where(Transfer.id > w.last_transfer).order_by(Transfer.id)
        )
    )


def _account(user_id: int | None) -> Account:
    """A member's time account, or the pot's (None)."""
    _fresh()
    if user_id is None:
        return db.session.scalar(select(Account).where(Account.kind == "pot"))
    return db.session.scalar(select(Account).where(Account.user_id == user_id))


def _balances(w: World, *names: str) -> tuple[int, ...]:
    """The balances of these people ("pot": the common pot's)."""
    return tuple(_account(None if n == "pot" else w[n]).balance for n in names)


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
    refused: bool = False  # sent back with a message, nothing done: the database is unchanged


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


def check_photo_saved(w, role, r):
    """Each member sends their own picture: nobody else's changes."""
    for person in PEOPLE:
        assert (_user(w[person]).photo is not None) == (person == role)


def check_language_chosen(w, role, r):
    for person in PEOPLE:
        assert (_user(w[person]).locale == "en") == (person == role)


def check_left(w, role, r):
    """Only the member who asked is gone."""
    for person in PEOPLE:
        assert (_user(w[person]).erased_at is not None) == (person == role and role != "admin")


def check_erased_on_request(w, role, r):
    assert (_user(w["member"]).erased_at is not None) == (role == "admin")
    for person in PEOPLE:
        if person != "member":
            assert _user(w[person]).erased_at is None


def check_own_data(w, role, r):
    """The ZIP holds the member's own address and nobody else's."""
    if r.status_code != OK:
        return
    archive = zipfile.ZipFile(io.BytesIO(r.data))
    content = b"".join(archive.read(name) for name in archive.namelist())
    for person, email in w.emails.items():
        assert (email.encode() in content) == (person == role), person


def check_password_changed(w, role, r):
    """Only the member who asked has a new password, and an email that says so."""
    for person in PEOPLE:
        changed = passwords.verify_password(_user(w[person]).password_hash, NEW_PASSWORD)
        assert changed == (person == role)
    told = db.session.scalars(
        select(OutboxEmail.to_address).where(OutboxEmail.template == "password_changed")
    ).all()
    assert told == ([w.emails[role]] if role in LOGGED_IN else [])


def check_address_change_asked(w, role, r):
    """A link to the new address, and no address changed yet."""
    for person in PEOPLE:
        assert _user(w[person]).email == w.emails[person]
    sent = db.session.scalars(
        select(OutboxEmail.to_address).where(OutboxEmail.template == "email_change_confirm")
    ).all()
    assert sent == ([f"nouvelle.{w[role]}@example.org"] if role in LOGGED_IN else [])


def check_address_changed(w, role, r):
    """The link moves the member who asked, whoever follows it: it is the new mailbox's."""
    assert _user(w["member"]).email == "mila.ailleurs@example.org"


def check_sessions_listed(w, role, r):
    """A member's sessions are theirs to see: the phone shows on the member's page only."""
    assert ("Firefox sur Android" in r.text) == (role == "member")


def check_session_ended(w, role, r):
    db.session.expire_all()
    phone = db.session.get(LoginSession, w.tokens["member_session"])
    assert (phone.revoked_at is not None) == (role == "member")


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


# listings: the search and a listing's page show what is public; its author and the
# coordinators of its space (admins too) see it in any state; only its author changes it


def check_search(w, role, r):
    assert TITLES["listing"] in r.text
    for name in TITLES.keys() - {"listing", "coordinators_listing"}:
        assert TITLES[name] not in r.text, f"{name} found by the search"


def check_search_filtered(w, role, r):
    assert TITLES["listing"] in r.text
    assert TITLES["hidden_listing"] not in r.text


def check_listing_page(w, role, r):
    listing = w["listing"]
    assert TITLES["listing"] in r.text
    assert (f'href="/annonces/{listing}/modifier"' in r.text) == (role == "member")
    hide = f'action="/moderation/annonces/{listing}/masquer"'
    assert (hide in r.text) == (role in COORDINATORS_OF_A)
    report = f'href="/annonces/{listing}/signaler"'
    assert (report in r.text) == (role in LOGGED_IN and role != "member")


def _check_unlisted_page(name: str, says: str = ""):
    """A listing out of the public's sight, on the page of those who may still see it."""

    def check(w, role, r):
        if r.status_code == OK:
            assert TITLES[name] in r.text
            assert says in r.text
            assert "Otto Ailleurs" not in r.text  # who reported it stays unnamed

    return check


def check_mine(w, role, r):
    for name in ("listing", "hidden_listing"):
        assert (TITLES[name] in r.text) == (role == "member")
    assert ("motif-masquage" in r.text) == (role == "member")


def check_listing_form(w, role, r):
    if r.status_code == OK:
        assert 'name="title"' in r.text
        filled = f'value="{TITLES["listing"]}"' in r.text
        assert filled == ("listing" in w.ids and role == "member")  # editing: the author's text


def check_listing_created(w, role, r):
    _fresh()
    created = db.session.scalars(select(Listing).where(Listing.title == NEW_LISTING["title"]))
    created = list(created)
    if role in ("member", "coordinator_a"):  # the members of A; B's may not publish in A
        (item,) = created
        assert (item.author_id, item.space_id, item.kind) == (w[role], w["A"], "request")
        assert (item.status, item.moderation, item.estimated_minutes) == ("active", "approved", 120)
        assert item.is_public()
        assert urlsplit(r.headers["Location"]).path == f"/annonces/{item.id}"
    else:
        assert created == []
    assert not _new_acts(w)  # publishing is nobody's moderation act


def check_listing_edited(w, role, r):
    item = _listing(w["listing"])
    if role == "member":
        assert (item.title, item.kind, item.mode) == (EDITED["title"], "offer", "both")
        assert [s.slug for s in item.skills] == ["soudure"]
        assert item.is_public()
    else:
        assert (item.title, item.kind, item.mode) == (TITLES["listing"], "offer", "on_site")
    assert not _new_acts(w)


def _check_status(name: str, before: str, after: str):
    def check(w, role, r):
        assert _listing(w[name]).status == (after if role == "member" else before)
        assert not _new_acts(w)  # the author's own act, not a moderation one

    return check


def check_renewed(w, role, r):
    item = _listing(w["expired_listing"])
    if role == "member":
        assert item.expires_at > utcnow() + timedelta(days=89)
        assert item.is_public()  # back in the search
    else:
        assert item.expires_at < utcnow()
    assert not _new_acts(w)


# reports: any member but the one concerned, one open report per member per item


def check_report_form(w, role, r):
    if r.status_code == OK:
        already = "Vous avez déjà signalé ceci" in r.text
        assert already == (role == "other_member")  # the world's reporter
        assert ('name="reason"' in r.text) == (not already)


def _check_reported(item: str, accepted: tuple[str, ...]):
    """The report is filed, once per member, and no moderation act is logged for it."""
    column = Report.listing_id if item.endswith("listing") else Report.member_id

    def check(w, role, r):
        _fresh()
        filed = {
            report.reporter_id: report
            for report in db.session.scalars(select(Report).where(column == w[item]))
        }
        ours = {w["other_member"]}  # the world's report (open, or answered by an act)
        assert set(filed) == ours | ({w[role]} if role in accepted else set())
        assert not _new_acts(w)
        if role == "other_member" and r.status_code == CONFLICT:
            assert "Vous avez déjà signalé" in r.text
        if role in accepted:
            mine = filed[w[role]]
            assert (mine.status, mine.reason, mine.text) == ("open", "misleading", "Faux.")
            assert _notifications(w[role], "report_received")
            # A's coordinators hear of it (the world's report, then this one), never the reporter
            heard = 1 + (role != "coordinator_a")
            assert len(_notifications(w["coordinator_a"], "report_filed")) == heard

    return check


# moderation acts: an admin or a coordinator of the space concerned, never on oneself; each act
# changes what it says, logs who, what and why, and tells the member concerned


def _one_act(w, role, action, *, target_type, target, subject, reason, space="A"):
    (act,) = _new_acts(w)
    assert (act.actor_id, act.action, act.space_id, act.reason) == (
        w[role],
        action,
        w[space],
        reason,
    )
    assert (act.subject_user_id, act.target_type, act.target_id) == (
        w[subject],
        target_type,
        w[target],
    )
    return act


def check_hidden(w, role, r):
    item, report = _listing(w["listing"]), _report(w["report"])
    if role in COORDINATORS_OF_A:
        assert (item.moderation, item.moderation_reason) == ("hidden", "Annonce trompeuse")
        assert (item.title, item.status) == (TITLES["listing"], "active")  # nothing erased
        assert not item.is_public()
        act = _one_act(
            w,
            role,
            "listing_hidden",
            target_type="listing",
            target="listing",
            subject="member",
            reason="Annonce trompeuse",
        )
        assert act.details["reports"] == [w["report"]]
        assert (report.status, report.handled_by_id) == ("actioned", w[role])
        (told,) = _notifications(w["member"], "listing_hidden")
        assert told.data["reason"] == "Annonce trompeuse"
        assert _emailed(w, "member", "Annonce trompeuse")
        assert _notifications(w["other_member"], "report_handled")
    else:
        assert (item.moderation, report.status) == ("approved", "open")
        assert not _new_acts(w)


def check_not_hidden(w, role, r):
    assert _listing(w["listing"]).moderation == "approved"
    assert not _new_acts(w)


def check_own_hidden(w, role, r):
    item = _listing(w["coordinators_listing"])
    if role == "admin":
        assert (item.moderation, item.moderation_reason) == ("hidden", "Doublon")
        _one_act(
            w,
            role,
            "listing_hidden",
            target_type="listing",
            target="coordinators_listing",
            subject="coordinator_a",
            reason="Doublon",
        )
    else:
        assert item.moderation == "approved"
        assert not _new_acts(w)


def check_restored(w, role, r):
    item = _listing(w["hidden_listing"])
    if role in COORDINATORS_OF_A:
        assert (item.moderation, item.moderation_reason) == ("approved", "")
        assert item.is_public()
        _one_act(
            w,
            role,
            "listing_restored",
            target_type="listing",
            target="hidden_listing",
            subject="member",
            reason="Corrigée",
        )
        assert _notifications(w["member"], "listing_restored")
        assert _emailed(w, "member", "Corrigée")
    else:
        assert (item.moderation, item.moderation_reason) == ("hidden", "motif-masquage")
        assert not _new_acts(w)


def check_approved(w, role, r):
    item = _listing(w["pending_listing"])
    if role in COORDINATORS_OF_A:
        assert item.moderation == "approved" and item.is_public()
        _one_act(
            w,
            role,
            "listing_approved",
            target_type="listing",
            target="pending_listing",
            subject="member",
            reason="",
        )
        assert _notifications(w["member"], "listing_approved")
    else:
        assert item.moderation == "pending"
        assert not _new_acts(w)


def check_edit_requested(w, role, r):
    item = _listing(w["listing"])
    assert (item.title, item.moderation) == (TITLES["listing"], "approved")  # stays as it is
    if role in COORDINATORS_OF_A:
        assert item.edit_requested == "Précisez les horaires"
        _one_act(
            w,
            role,
            "edit_requested",
            target_type="listing",
            target="listing",
            subject="member",
            reason="Précisez les horaires",
        )
        (told,) = _notifications(w["member"], "edit_requested")
        assert told.data["message"] == "Précisez les horaires"
        assert _emailed(w, "member", "Précisez les horaires")
    else:
        assert item.edit_requested == ""
        assert not _new_acts(w)


def _check_dismissed(report_name: str):
    def check(w, role, r):
        report = _report(w[report_name])
        if role in COORDINATORS_OF_A:
            assert (report.status, report.handled_by_id) == ("dismissed", w[role])
            _one_act(
                w,
                role,
                "report_dismissed",
                target_type="report",
                target=report_name,
                subject="other_member",  # the reporter is told
                reason="Rien d'anormal",
            )
            (told,) = _notifications(w["other_member"], "report_handled")
            assert told.data["note"] == "Rien d'anormal"
            assert _emailed(w, "other_member", "Rien d'anormal")
        else:
            assert report.status == "open"
            assert not _new_acts(w)
        assert _user(w["member"]).suspended_at is None

    return check


def _live_sessions(user_id: int) -> int:
    _fresh()
    return len(
        db.session.scalars(
            select(LoginSession).where(
                LoginSession.user_id == user_id, LoginSession.revoked_at.is_(None)
            )
        ).all()
    )


def check_suspended(w, role, r):
    member, report = _user(w["member"]), _report(w["member_report"])
    if role in COORDINATORS_OF_A:
        assert member.is_suspended and member.suspension_reason == "Harcèlement répété"
        assert _live_sessions(w["member"]) == 0
        assert not _listing(w["listing"]).is_public()  # out of the search, not erased
        act = _one_act(
            w,
            role,
            "member_suspended",
            target_type="member",
            target="member",
            subject="member",
            reason="Harcèlement répété",
        )
        assert act.details["reports"] == [w["member_report"]]
        assert (report.status, report.handled_by_id) == ("actioned", w[role])
        (told,) = _notifications(w["member"], "member_suspended")
        assert told.data["reason"] == "Harcèlement répété"
        assert _emailed(w, "member", "Harcèlement répété")
    else:
        assert not member.is_suspended and report.status == "open"
        assert _listing(w["listing"]).is_public()
        assert not _new_acts(w)


def check_not_suspended(w, role, r):
    for person in PEOPLE:
        assert not _user(w[person]).is_suspended
    assert not _new_acts(w)


def check_coordinator_suspended(w, role, r):
    for person in PEOPLE:
        assert _user(w[person]).is_suspended == (person == "coordinator_a" and role == "admin")
    if role == "admin":
        _one_act(
            w,
            role,
            "member_suspended",
            target_type="member",
            target="coordinator_a",
            subject="coordinator_a",
            reason="Abus",
        )
    else:
        assert not _new_acts(w)


def check_reinstated(w, role, r):
    sacha = _user(w["suspended"])
    if role in COORDINATORS_OF_A:
        assert not sacha.is_suspended and sacha.suspension_reason == ""
        assert _listing(w["suspended_listing"]).is_public()
        _one_act(
            w,
            role,
            "member_reinstated",
            target_type="member",
            target="suspended",
            subject="suspended",
            reason="C'est réglé",
        )
        (told,) = _notifications(w["suspended"], "member_reinstated")
        assert told.data["reason"] == "C'est réglé"
        assert _emailed(w, "suspended", "C'est réglé")
    else:
        assert sacha.is_suspended and sacha.suspension_reason == "motif-suspension"
        assert not _new_acts(w)


def check_queue(w, role, r):
    """Each coordinator's desk holds their spaces' reports, approvals, suspensions and acts."""
    if r.status_code != OK:
        return
    of_a = role in COORDINATORS_OF_A
    for form in (
        f"/moderation/signalements/{w['report']}/classer",
        f"/moderation/signalements/{w['member_report']}/classer",
        f"/moderation/annonces/{w['pending_listing']}/approuver",
        f"/moderation/membres/{w['suspended']}/reintegrer",
    ):
        assert (f'action="{form}"' in r.text) == of_a, form
    assert ("motif-masquage" in r.text) == of_a
    assert ("motif-suspension" in r.text) == of_a


def check_about_me(w, role, r):
    assert ("motif-masquage" in r.text) == (role == "member")
    if role == "member":
        assert "Otto Ailleurs" not in r.text  # whoever reported stays unnamed


# admin: the categories


def _slugs() -> list[str]:
    _fresh()
    return list(db.session.scalars(select(Category.slug).order_by(Category.position, Category.id)))


def check_category_added(w, role, r):
    _fresh()
    added = db.session.scalar(select(Category).where(Category.slug == "apiculture"))
    if role == "admin":
        assert (added.name_fr, added.name_en, _slugs()[-1]) == (
            "Apiculture",
            "Beekeeping",
            "apiculture",
        )
        (act,) = _new_acts(w)
        assert (act.actor_id, act.action, act.target_type, act.target_id) == (
            w["admin"],
            "category_created",
            "category",
            added.id,
        )
    else:
        assert added is None
        assert not _new_acts(w)


def check_category_renamed(w, role, r):
    category = _category(w["category"])
    if role == "admin":
        assert (category.slug, category.name_fr, category.name_en) == (
            CATEGORY,
            "Réparations",
            "Repairs",
        )
        (act,) = _new_acts(w)
        assert (act.actor_id, act.action, act.target_id) == (
            w["admin"],
            "category_renamed",
            w["category"],
        )
        assert act.details["after"] == ["Réparations", "Repairs"]
    else:
        assert category.name_fr == "Bricolage & réparation"
        assert not _new_acts(w)


def _check_moved(*after: str):
    """CATEGORY changes places with one neighbour, and only for the admin: the three
    categories around it, once in a row, are in this order now."""

    def check(w, role, r):
        slugs = _slugs()
        expected = after if role == "admin" else ("image-son", CATEGORY, "jardin-alimentation")
        start = slugs.index(expected[0])
        assert tuple(slugs[start : start + 3]) == expected, slugs
        assert len(slugs) == len(set(slugs))

    return check


def check_category_deleted(w, role, r):
    if role == "admin":
        assert _category(w["category"]) is None
        (act,) = _new_acts(w)
        assert (act.actor_id, act.action, act.target_id) == (
            w["admin"],
            "category_deleted",
            w["category"],
        )
    else:
        assert _category(w["category"]) is not None
        assert not _new_acts(w)


def check_category_kept(w, role, r):
    assert _category(w["category"]) is not None
    assert _listing(w["listing"]).category_id == w["category"]
    assert not _new_acts(w)


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
    """The link's first use confirms and logs its newcomer in (a session of theirs)."""
    assert _user(w["newcomer"]).email_confirmed
    assert db.session.scalar(
        select(func.count(LoginSession.id)).where(LoginSession.user_id == w["newcomer"])
    )


def check_password_reset(w, role, r):
    user = _user(w["applicant"])
    assert passwords.verify_password(user.password_hash, NEW_PASSWORD)


# exchanges: each step is a party's, in the right state; everybody else meets a 404 (an
# exchange is nobody else's business) until a dispute brings in the coordinators of either
# party's spaces, who settle it with a reason, logged; credits move once, on confirmation


PARTIES = ("member", "other_member")


def _parties(name: str) -> tuple[str, str]:
    return ("member", "coordinator_a" if name == "disputed_in_a" else "other_member")


def _other_party(name: str, role: str) -> str:
    first, second = _parties(name)
    return second if role == first else first


def _ledger_sound() -> None:
    _fresh()
    report = transfers.verify()
    assert report.ok, report.problems


def check_my_exchanges(w, role, r):
    for name, title in EXCHANGES.items():
        assert (title in r.text) == (role in _parties(name)), name


def check_feedback_to_write(w, role, r):
    """Only my own feedback to write: never an exchange of others."""
    if r.status_code == OK and role not in _parties("confirmed_exchange"):
        assert EXCHANGES["confirmed_exchange"] not in r.text


def _check_exchange_page(name: str, forms: dict[str, tuple[str, ...]]):
    """The exchange's page, with the forms (by the end of their address) each role gets."""

    def check(w, role, r):
        if r.status_code != OK:
            return
        assert EXCHANGES[name] in r.text
        assert ("motif-contestation" in r.text) == ("disputed" in name)
        for action, roles in forms.items():
            form = f'action="/echanges/{w[name]}/{action}"'
            assert (form in r.text) == (role in roles), action

    return check


def _check_step(name: str, before: str, after: str, by: tuple[str, ...], event: str):
    """A party's step: the state moves for `by` only, the step joins the history, the other
    side is told; no credit moves and no coordinator's act is logged."""

    def check(w, role, r):
        exchange = _exchange(w[name])
        if role in by:
            assert exchange.state == after
            last = exchange.events[-1]
            assert (last.actor_id, last.kind) == (w[role], event)
            other = _other_party(name, role)
            kind = "exchange_logged" if event == "logged" else f"exchange_{event}"
            assert _notifications(w[other], kind)
        else:
            assert exchange.state == before
        assert not _new_transfers(w)
        assert not _new_acts(w)

    return check


def check_time_logged(w, role, r):
    _check_step("accepted_exchange", "accepted", "done", PARTIES, "logged")(w, role, r)
    exchange = _exchange(w["accepted_exchange"])
    if role in PARTIES:
        assert (exchange.minutes, exchange.logged_by_id) == (75, w[role])
        assert exchange.expires_at is not None
    else:
        assert exchange.minutes is None


def check_disputed(w, role, r):
    _check_step("done_exchange", "done", "disputed", ("member",), "disputed")(w, role, r)
    exchange = _exchange(w["done_exchange"])
    if role == "member":
        assert exchange.dispute_reason == "Une heure, pas une heure et demie"
        for steward in ("coordinator_a", "coordinator_b"):  # both parties' spaces
            assert _notifications(w[steward], "dispute_opened")
    assert _balances(w, "member", "other_member") == (0, 0)


def check_settled(w, role, r):
    """The member (the provider) confirms what other member logged: LOGGED minutes move once,
    from the receiver to the provider."""
    exchange = _exchange(w["done_exchange"])
    moved = _new_transfers(w)
    if role == "member":
        assert exchange.state == "confirmed" and exchange.closed_at is not None
        (settlement,) = moved
        assert (settlement.kind, settlement.amount, settlement.exchange_id) == (
            "settlement",
            LOGGED,
            exchange.id,
        )
        assert (settlement.debit_account_id, settlement.credit_account_id) == (
            _account(w["other_member"]).id,
            _account(w["member"]).id,
        )
        assert _balances(w, "member", "other_member") == (LOGGED, -LOGGED)
        assert _notifications(w["other_member"], "exchange_confirmed")
        _ledger_sound()
    else:
        assert exchange.state == "done" and moved == []
        assert _balances(w, "member", "other_member") == (0, 0)
    assert not _new_acts(w)


def check_settled_once(w, role, r):
    _fresh()
    settlements = db.session.scalars(
        select(Transfer).where(Transfer.exchange_id == w["confirmed_exchange"])
    ).all()
    assert [t.amount for t in settlements] == [LOGGED]
    assert _balances(w, "member", "other_member") == (LOGGED, -LOGGED)


RESOLUTION = "Vu avec les deux : une heure"


def _check_resolved(name: str, outcome: str, by: tuple[str, ...]):
    """A dispute settled by a coordinator of either party's spaces (or an admin), never a
    party: the state, the credits (an hour, once, or nothing), the act in the log with its
    reason, and both parties told why."""

    def check(w, role, r):
        exchange = _exchange(w[name])
        provider, receiver = _parties(name)
        moved = _new_transfers(w)
        if role not in by:
            assert exchange.state == "disputed" and exchange.resolved_by_id is None
            assert moved == [] and not _new_acts(w)
            return
        assert exchange.resolved_by_id == w[role]
        (act,) = _new_acts(w)
        assert (act.actor_id, act.action, act.reason) == (w[role], "exchange_resolved", RESOLUTION)
        assert (act.target_type, act.target_id, act.subject_user_id) == (
            "exchange",
            exchange.id,
            w[provider],
        )
        assert act.space_id == w["B" if role == "coordinator_b" else "A"]
        assert act.details["outcome"] == outcome
        for party in (provider, receiver):
            (told,) = _notifications(w[party], "exchange_resolved")
            assert told.data["reason"] == RESOLUTION
            assert _emailed(w, party, RESOLUTION)
        if outcome == "confirm":
            assert (exchange.state, exchange.minutes) == ("confirmed", 60)
            (settlement,) = moved
            assert (settlement.kind, settlement.amount, settlement.author_id) == (
                "settlement",
                60,
                w[role],
            )
            assert _balances(w, provider, receiver) == (60, -60)
            _ledger_sound()
        else:
            assert exchange.state == "cancelled" and moved == []

    return check


def check_still_disputed(w, role, r):
    assert _exchange(w["disputed_exchange"]).state == "disputed"
    assert not _new_transfers(w) and not _new_acts(w)


PROPOSERS = ("other_member", "coordinator_b", "coordinator_a")  # not its author, not the admin
PROPOSAL = {"message": "Je peux passer samedi", "minutes": "1 h 30"}


def check_propose_form(w, role, r):
    if r.status_code == OK:
        assert 'name="message"' in r.text and 'name="minutes"' in r.text


def check_proposal(w, role, r):
    _fresh()
    made = db.session.scalars(select(Exchange).where(Exchange.listing_id == w["listing"])).all()
    if role in PROPOSERS:
        (exchange,) = made
        assert (exchange.initiator_id, exchange.receiver_id, exchange.provider_id) == (
            w[role],
            w[role],  # an offer: who answers it receives the help
            w["member"],
        )
        assert (exchange.state, exchange.foreseen_minutes) == ("proposed", 90)
        assert urlsplit(r.headers["Location"]).path == f"/echanges/{exchange.id}"
        (told,) = _notifications(w["member"], "exchange_proposed")
        assert told.link == f"/echanges/{exchange.id}"
    else:
        assert made == []
    assert not _new_transfers(w) and not _new_acts(w)


DIRECT_LOG = {
    "direction": "gave",
    "counterpart": "{other_member}",
    "title": "Relecture d'un devis",
    "minutes": "2 h",
    "performed_on": "",
    "message": "",
}
LOGGERS = ("member", "coordinator_b", "coordinator_a")  # not with oneself; admins are in no space


def check_log_form(w, role, r):
    if r.status_code != OK:
        return
    assert 'name="counterpart"' in r.text and 'name="counterpart_name"' in r.text
    assert 'data-picker="/membres/suggestions?pour=declarer"' in r.text


def check_direct_log(w, role, r):
    _fresh()
    made = db.session.scalars(select(Exchange).where(Exchange.title == DIRECT_LOG["title"])).all()
    if role in LOGGERS:
        (exchange,) = made
        assert (exchange.provider_id, exchange.receiver_id, exchange.logged_by_id) == (
            w[role],
            w["other_member"],
            w[role],
        )
        assert (exchange.state, exchange.minutes, exchange.listing_id) == ("done", 120, None)
        assert urlsplit(r.headers["Location"]).path == f"/echanges/{exchange.id}"
        assert _notifications(w["other_member"], "exchange_logged")
    else:
        assert made == []
    assert not _new_transfers(w)  # nothing moves until the other side confirms
    assert not _new_acts(w)


# the time account, gifts and the common pot


def check_statement(w, role, r):
    assert (EXCHANGES["confirmed_exchange"] in r.text) == (role in PARTIES)


def check_statement_csv(w, role, r):
    if r.status_code != OK:
        return
    assert r.mimetype == "text/csv"
    assert r.headers["Content-Disposition"].startswith("attachment; filename=")
    assert r.text.startswith("\ufeffDate;Mouvement;Contrepartie;Motif")
    lines = r.text.splitlines()[1:]
    if role in PARTIES:
        (line,) = lines
        other = "Otto Ailleurs" if role == "member" else "Mila Membre"
        amount = str(LOGGED if role == "member" else -LOGGED)
        assert line.split(";")[2:5] == [other, EXCHANGES["confirmed_exchange"], amount]
    else:
        assert lines == []


GIFT = {"recipient": "pot", "minutes": "1 h", "message": "Merci"}
MEMBERS_OF_A_SPACE = ("member", "other_member", "coordinator_b", "coordinator_a")


def check_give_form(w, role, r):
    if r.status_code != OK:
        return
    assert 'name="to_pot"' in r.text
    assert 'data-picker="/membres/suggestions?pour=don"' in r.text


def _check_gift(to: str, givers: tuple[str, ...]):
    def check(w, role, r):
        moved = _new_transfers(w)
        if role in givers:
            (gift,) = moved
            assert (gift.kind, gift.amount, gift.reason, gift.author_id) == (
                "gift",
                60,
                "Merci",
                w[role],
            )
            recipient = None if to == "pot" else w[to]
            assert (gift.debit_account_id, gift.credit_account_id) == (
                _account(w[role]).id,
                _account(recipient).id,
            )
            assert _balances(w, role, to) == (-60, 60)
            if to != "pot":
                assert _notifications(w[to], "gift_received")
            _ledger_sound()
        else:
            assert moved == []
            assert _balances(w, to) == (0,)
        assert not _new_acts(w)  # a gift is no coordinator's act

    return check


MODERATORS = ("coordinator_b", "coordinator_a", "admin")


def check_pot_page(w, role, r):
    if r.status_code != OK:
        return
    assert "Otto Ailleurs" in r.text  # everyone reads where the pot's time comes from
    # what the giver wrote is for members: a visitor reads that there is a message, not its words
    assert ("don-à-la-caisse" in r.text) == (role != "anonymous")
    assert ("Message lu par les membres" in r.text) == (role == "anonymous")
    assert ('href="/caisse-commune/retribuer"' in r.text) == (role in MODERATORS)


def check_retribute_form(w, role, r):
    if r.status_code != OK:
        return
    assert 'data-picker="/membres/suggestions?pour=retribuer"' in r.text


def _suggested(r) -> set[str]:
    return {m["name"] for m in r.get_json()["members"]} if r.status_code == OK else set()


def check_suggested_for_a_gift(w, role, r):
    """Anyone in a space may be given to, never oneself; nobody unconfirmed or outside."""
    assert _suggested(r) == ({"Mila Membre"} if role in LOGGED_IN and role != "member" else set())


def check_suggested_for_a_retribution(w, role, r):
    """A coordinator is offered the members of their own spaces only."""
    assert _suggested(r) == ({"Mila Membre"} if role in COORDINATORS_OF_A else set())


def check_nobody_unconfirmed_is_suggested(w, role, r):
    assert _suggested(r) == set()


RETRIBUTION = {
    "recipient": "{member}",
    "minutes": "2 h",
    "reason": "Atelier de réparation ouvert à tous",
}


def _paid_from_pot(w, role, reason: str) -> Transfer:
    """The one retribution the request wrote: 2 h from the pot to the member, who is told."""
    (paid,) = _new_transfers(w)
    assert (paid.kind, paid.amount, paid.reason, paid.author_id) == (
        "retribution",
        120,
        reason,
        w[role],
    )
    assert (paid.debit_account_id, paid.credit_account_id) == (
        _account(None).id,
        _account(w["member"]).id,
    )
    assert _balances(w, "pot", "member") == (300 - 120, 120)
    (told,) = _notifications(w["member"], "retribution_received")
    assert told.data["reason"] == reason
    assert _emailed(w, "member", reason)
    _ledger_sound()
    return paid


def check_retributed(w, role, r):
    if role in COORDINATORS_OF_A:
        paid = _paid_from_pot(w, role, RETRIBUTION["reason"])
        (act,) = _new_acts(w)
        assert (act.actor_id, act.action, act.reason, act.space_id) == (
            w[role],
            "pot_retribution",
            RETRIBUTION["reason"],
            w["A"],
        )
        assert (act.subject_user_id, act.target_type, act.target_id) == (
            w["member"],
            "transfer",
            paid.id,
        )
    else:
        assert _new_transfers(w) == [] and not _new_acts(w)
        assert _balances(w, "pot", "member") == (300, 0)


# acting for a member who asked: A's coordinators and the admin, for the member of A

ACT_FOR = {"member": "{member}", "to_pot": "y", "minutes": "1 h", "reason": "appel-de-Mila"}
LOG_FOR = {
    "member": "{member}",
    "direction": "gave",
    "counterpart": "{other_member}",
    "title": "Déclaré-pour-Mila",
    "minutes": "1 h 30",
    "performed_on": "",
    "reason": "appel-de-Mila",
}
TO_MEMBER = Redirect("/membres/{member}")
# B's coordinator may act for members of B only: said beside the member
FOR_A_MEMBER = (LOGIN, FORBIDDEN, FORBIDDEN, BAD, TO_MEMBER, TO_MEMBER)
CONTEST = Redirect("/moderation/me-concernant")


def check_act_for_form(w, role, r):
    if r.status_code != OK:
        return
    assert 'data-picker="/membres/suggestions?pour=agir"' in r.text
    # ?membre= names the member only for those who may act for her
    assert ('value="Mila Membre"' in r.text) == (role in COORDINATORS_OF_A)


def check_gift_for_member(w, role, r):
    moved = _new_transfers(w)
    if role in COORDINATORS_OF_A:
        (gift,) = moved
        assert (gift.kind, gift.amount, gift.author_id) == ("gift", 60, w[role])
        assert (gift.debit_account_id, gift.credit_account_id) == (
            _account(w["member"]).id,
            _account(None).id,
        )
        (act,) = _new_acts(w)
        assert (act.actor_id, act.action, act.reason, act.space_id) == (
            w[role],
            "acted_for_member",
            ACT_FOR["reason"],
            w["A"],
        )
        assert (act.subject_user_id, act.target_type, act.target_id) == (
            w["member"],
            "transfer",
            gift.id,
        )
        assert _notifications(w["member"], "acted_for_you")
        assert _emailed(w, "member", ACT_FOR["reason"])
        _ledger_sound()
    else:
        assert moved == [] and not _new_acts(w)
        assert _balances(w, "member", "pot") == (0, 0)


def check_logged_for_member(w, role, r):
    _fresh()
    logged = db.session.scalars(select(Exchange).where(Exchange.title == LOG_FOR["title"])).all()
    assert _new_transfers(w) == []  # the other side confirms first
    if role in COORDINATORS_OF_A:
        (made,) = logged
        assert (made.state, made.logged_by_id, made.provider_id, made.receiver_id) == (
            "done",
            w["member"],
            w["member"],
            w["other_member"],
        )
        (act,) = _new_acts(w)
        assert (act.action, act.actor_id, act.target_type, act.target_id) == (
            "acted_for_member",
            w[role],
            "exchange",
            made.id,
        )
        assert _notifications(w["other_member"], "exchange_logged")
    else:
        assert logged == [] and not _new_acts(w)


def check_act_to_contest(w, role, r):
    """The member reads what was done for her, and may contest it; nobody else sees it."""
    form = f'action="/compte/actes/{w["acted_for"]}/contester"'
    assert (form in r.text) == (role == "member")
    assert ("demande-de-Mila" in r.text) == (role == "member")


def check_contested(w, role, r):
    contested = _acts("act_contested")
    if role == "member":
        (made,) = contested
        assert (made.actor_id, made.target_id, made.reason) == (
            w["member"],
            w["acted_for"],
            "Je-n-ai-rien-demandé",
        )
        # A has no other coordinator: the admin hears of it, not the one who acted
        assert _notifications(w["admin"], "act_contested")
        assert not _notifications(w["coordinator_a"], "act_contested")
    else:
        assert contested == []


MINGA = {
    "rows-0-member": "{member}",
    "rows-0-minutes": "2 h",
    "reason": "Chantier-participatif",
    "action": "confirmer",
    "previewed": "{member}:120|Chantier-participatif",  # what its preview showed
}


def check_minga_form(w, role, r):
    if r.status_code != OK:
        return
    assert r.text.count('data-picker="/membres/suggestions?pour=retribuer"') == 8


def check_minga_previewed(w, role, r):
    assert _new_transfers(w) == [] and not _new_acts(w)
    if role in COORDINATORS_OF_A:
        assert (
            "Mila Membre" in r.text and "La caisse commune passera de 5\u00a0h à 3\u00a0h" in r.text
        )


def check_minga_paid(w, role, r):
    if role in COORDINATORS_OF_A:
        paid = _paid_from_pot(w, role, MINGA["reason"])
        (act,) = _new_acts(w)
        assert (act.action, act.actor_id, act.reason, act.space_id, act.target_id) == (
            "minga",
            w[role],
            MINGA["reason"],
            w["A"],
            paid.id,
        )
        assert (act.details["count"], act.details["minutes"]) == (1, 120)
    else:
        assert _new_transfers(w) == [] and not _new_acts(w)


def check_retributed_nothing(w, role, r):
    assert _new_transfers(w) == [] and not _new_acts(w)
    assert _balances(w, "pot", "member") == (300, 0)


# admin: the network's rules and the corrections


def _settings() -> NetworkSettings:
    _fresh()
    return db.session.get(NetworkSettings, 1)


RULES = {
    "overdraft": "30 h",
    "ceiling": "120 h",
    "welcome_grant": "2 h",
    "reason": "Plus de souplesse",
}


def check_rules_form(w, role, r):
    if r.status_code != OK:
        return
    assert 'name="overdraft"' in r.text and 'value="20 h"' in r.text


def check_rules_saved(w, role, r):
    rules = _settings()
    if role == "admin":
        assert (rules.credit_floor, rules.credit_ceiling, rules.welcome_grant) == (
            -30 * 60,
            120 * 60,
            2 * 60,
        )
        assert rules.updated_by_id == w["admin"]
        (act,) = _new_acts(w)
        assert (act.actor_id, act.action, act.reason) == (
            w["admin"],
            "rules_updated",
            "Plus de souplesse",
        )
        assert act.details["before"]["credit_floor"] == -20 * 60
        assert act.details["after"]["credit_ceiling"] == 120 * 60
    else:
        assert (rules.credit_floor, rules.credit_ceiling, rules.welcome_grant) == (
            -20 * 60,
            100 * 60,
            0,
        )
        assert not _new_acts(w)


def check_rules_saved_nothing(w, role, r):
    rules = _settings()
    assert (rules.credit_floor, rules.credit_ceiling) == (-20 * 60, 100 * 60)
    assert not _new_acts(w)


def check_transfers_page(w, role, r):
    if r.status_code != OK:
        return
    assert "don-à-corriger" in r.text
    assert f'action="/admin/mouvements/{w["transfer"]}/corriger"' in r.text


CORRECTION = "Donné deux fois par erreur"


def check_emails_page(w, role, r):
    if r.status_code != OK:
        return
    assert FAILED_EMAIL["error"] in r.text and w.emails["member"] in r.text
    assert FAILED_EMAIL["body"] not in r.text  # a reset link is no admin's to read
    assert f'action="/admin/courriels/{w["failed_email"]}/renvoyer"' in r.text


def check_emails_retried(w, role, r):
    _fresh()
    row = db.session.get(OutboxEmail, w["failed_email"])
    if role == "admin":
        assert row.status == "sent"  # back in the queue, and delivered after the commit
        (act,) = _new_acts(w)
        assert (act.actor_id, act.action, act.details["emails"]) == (
            w["admin"],
            "emails_retried",
            [w["failed_email"]],
        )
    else:
        assert row.status == "failed"
        assert not _new_acts(w)


def check_corrected(w, role, r):
    moved = _new_transfers(w)
    if role == "admin":
        (reverse,) = moved
        _fresh()
        original = db.session.get(Transfer, w["transfer"])
        assert (reverse.kind, reverse.amount, reverse.reverses_id, reverse.reason) == (
            "correction",
            60,
            original.id,
            CORRECTION,
        )
        assert (reverse.debit_account_id, reverse.credit_account_id) == (
            original.credit_account_id,
            original.debit_account_id,
        )
        assert (original.kind, original.amount, original.reason) == ("gift", 60, "don-à-corriger")
        assert _balances(w, "member", "other_member") == (0, 0)
        (act,) = _new_acts(w)
        assert (act.actor_id, act.action, act.reason, act.target_type, act.target_id) == (
            w["admin"],
            "transfer_corrected",
            CORRECTION,
            "transfer",
            original.id,
        )
        assert act.details["correction_id"] == reverse.id
        for holder in ("member", "other_member"):
            (told,) = _notifications(w[holder], "transfer_corrected")
            assert told.data["reason"] == CORRECTION
            assert _emailed(w, holder, CORRECTION)
        _ledger_sound()
    else:
        assert moved == [] and not _new_acts(w)
        assert _balances(w, "member", "other_member") == (-60, 60)


# feedback: the two parties of a confirmed exchange, each about the other, once, double-blind;
# the member reviewed replies once; anybody but its author reports one that shows; the
# coordinators of either party's spaces (and admins) hide or restore its words, never a party


def _feedback_of(exchange_name: str, w: World) -> dict[int, Feedback]:
    """The feedback on this exchange, by author id."""
    _fresh()
    found = db.session.scalars(select(Feedback).where(Feedback.exchange_id == w[exchange_name]))
    return {f.author_id: f for f in found}


def _one_feedback(w: World, name: str) -> Feedback:
    _fresh()
    return db.session.get(Feedback, w[name])


FEEDBACK_FORM = {"recommendation": "recommends", "comment": "Un échange limpide"}


def check_feedback_form(w, role, r):
    if r.status_code == OK:
        assert 'name="recommendation"' in r.text and 'name="comment"' in r.text
        other = "Otto Ailleurs" if role == "member" else "Mila Membre"
        assert f"Votre retour sur {other}" in r.text


def check_feedback_written(w, role, r):
    written = _feedback_of("confirmed_exchange", w)
    if role in PARTIES:
        (mine,) = written.values()
        other = _other_party("confirmed_exchange", role)
        assert (mine.author_id, mine.subject_id) == (w[role], w[other])
        assert (mine.recommendation, mine.comment) == ("recommends", FEEDBACK_FORM["comment"])
        assert not mine.is_visible()  # the other side has not written: it waits
        assert _notifications(w[other], "feedback_waiting")
    else:
        assert written == {}
    assert not _new_transfers(w) and not _new_acts(w)


def _check_no_feedback(exchange_name: str):
    def check(w, role, r):
        assert _feedback_of(exchange_name, w) == {}
        assert not _new_acts(w)

    return check


def check_feedback_kept(w, role, r):
    """Both have appeared: nobody changes either."""
    written = _feedback_of("confirmed_exchange", w)
    assert {f.comment for f in written.values()} == set(FEEDBACK_TEXTS.values())
    assert {f.recommendation for f in written.values()} == {"recommends", "neutral"}


def check_blind_completed(w, role, r):
    """Other member's waits: the member's makes both appear; other member may still edit."""
    written = _feedback_of("confirmed_exchange", w)
    theirs = written[w["other_member"]]
    if role == "member":
        assert set(written) == {w["member"], w["other_member"]}
        assert all(f.is_visible() for f in written.values())
        assert theirs.comment == FEEDBACK_TEXTS["about_member"]
        for party in PARTIES:
            assert _notifications(w[party], "feedback_published")
    else:
        assert set(written) == {w["other_member"]} and not theirs.is_visible()
        edited = FEEDBACK_FORM["comment"] if role == "other_member" else "retour-d-Otto"
        assert theirs.comment == edited
    assert not _new_acts(w)


def check_feedback_page(w, role, r):
    """The member's feedback page: what other member said (not what the member said of them),
    the reply form for the member, the report link for all but its author and those who may act
    on it themselves, the acts for the coordinators of either party's spaces."""
    assert FEEDBACK_TEXTS["about_member"] in r.text
    assert FEEDBACK_TEXTS["about_other"] not in r.text
    item = w["about_member"]
    assert (f'action="/retours/{item}/repondre"' in r.text) == (role == "member")
    report = f'href="/retours/{item}/signaler"'
    assert (report in r.text) == (
        role in LOGGED_IN and role != "other_member" and role not in MODERATORS
    )
    hide = f'action="/moderation/retours/{item}/masquer"'
    assert (hide in r.text) == (role in MODERATORS)


def check_blind_page(w, role, r):
    assert FEEDBACK_TEXTS["about_member"] not in r.text


def check_hidden_on_profile(w, role, r):
    assert "Commentaire masqué par la coordination." in r.text
    # the words stay readable to the coordination only; the recommendation to everybody
    assert (FEEDBACK_TEXTS["about_member"] in r.text) == (role in MODERATORS)
    entry = r.text.split(f'id="retour-{w["about_member"]}"', 1)[1].split("</li>", 1)[0]
    assert "recommande" in entry
    restore = f'action="/moderation/retours/{w["about_member"]}/retablir"'
    assert (restore in r.text) == (role in MODERATORS)


REPLY = {"text": "Merci Otto, à bientôt"}


def check_replied(w, role, r):
    item = _one_feedback(w, "about_member")
    if role == "member":
        assert (item.reply, item.replied_at is not None) == (REPLY["text"], True)
        assert _notifications(w["other_member"], "feedback_replied")
    else:
        assert (item.reply, item.replied_at) == ("", None)
    assert not _new_acts(w)


def check_feedback_report_form(w, role, r):
    if r.status_code == OK:
        assert 'name="reason"' in r.text


FEEDBACK_REPORTERS = ("member", "coordinator_b", "coordinator_a", "admin")  # never its author


def check_feedback_reported(w, role, r):
    _fresh()
    filed = db.session.scalars(select(Report).where(Report.feedback_id == w["about_member"])).all()
    if role in FEEDBACK_REPORTERS:
        (mine,) = filed
        assert (mine.reporter_id, mine.status, mine.reason, mine.text) == (
            w[role],
            "open",
            "misleading",
            "Faux.",
        )
        assert _notifications(w[role], "report_received")
    else:
        assert filed == []
    assert not _new_acts(w)


FEEDBACK_HIDING = {"reason": "Propos blessants", "part": "comment", "next": "/membres/{member}"}


def check_feedback_hidden(w, role, r):
    item = _one_feedback(w, "about_member")
    if role in MODERATORS:
        assert item.comment_hidden_reason == "Propos blessants"
        assert item.comment == FEEDBACK_TEXTS["about_member"]  # hidden, not erased
        assert (item.recommendation, item.reply_hidden_at) == ("recommends", None)
        act = _one_act(
            w,
            role,
            "feedback_hidden",
            target_type="feedback",
            target="about_member",
            subject="other_member",  # who wrote the words is told
            reason="Propos blessants",
            space="B" if role == "coordinator_b" else "A",
        )
        assert act.details["part"] == "comment"
        (told,) = _notifications(w["other_member"], "feedback_hidden")
        assert told.data["reason"] == "Propos blessants"
    else:
        assert item.comment_hidden_at is None
        assert not _new_acts(w)


def check_feedback_not_hidden(w, role, r):
    assert _one_feedback(w, "about_member").comment_hidden_at is None
    assert not _new_acts(w)


def check_feedback_restored(w, role, r):
    item = _one_feedback(w, "about_member")
    if role in MODERATORS:
        assert (item.comment_hidden_at, item.comment_hidden_reason) == (None, "")
        _one_act(
            w,
            role,
            "feedback_restored",
            target_type="feedback",
            target="about_member",
            subject="other_member",
            reason="Relu",
            space="B" if role == "coordinator_b" else "A",
        )
        assert _notifications(w["other_member"], "feedback_restored")
    else:
        assert item.comment_hidden_reason == "motif-retour-masqué"
        assert not _new_acts(w)


def check_feedback_desk(w, role, r):
    if r.status_code == OK:  # all who reach the desk may act on it: it is about A's and B's
        assert "laissé par Otto Ailleurs sur Mila Membre" in r.text
        assert f'action="/moderation/retours/{w["about_member"]}/masquer"' in r.text


# --------------------------------------------------------------------------- the matrix

# money: online fees are off in the matrix (see _fees_on_meanwhile); the world's fees were
# attached while they were on


def _fee(w: World, name: str) -> Fee:
    _fresh()
    return db.session.scalar(select(Fee).where(Fee.exchange_id == w[name]))


FEES_OFF = "Les frais en ligne sont désactivés sur ce réseau"


def check_no_stripe_account(w, role, r):
    _fresh()
    assert db.session.scalar(select(func.count()).select_from(StripeAccount)) == 0


def check_fee_still_due(name: str):
    def check(w, role, r):
        fee = _fee(w, name)
        assert (fee.state, fee.checkout_session_id, fee.refund_id) == ("due", None, None)
        assert not _new_transfers(w) and not _new_acts(w)

    return check


def check_fee_settled(w, role, r):
    """The provider says the fee was paid outside Archipel: no Stripe needed, fees on or off."""
    fee = _fee(w, "fee_exchange")
    if role != "member":
        assert fee.state == "due" and fee.settled_at is None
        return
    assert fee.state == "settled" and fee.settled_at is not None
    last = _exchange(w["fee_exchange"]).events[-1]
    assert (last.actor_id, last.kind) == (w["member"], "fee_settled")
    assert _notifications(w["other_member"], "fee_settled")
    assert not _new_transfers(w) and not _new_acts(w)  # money, not credits; nobody's act


def check_money_page(w, role, r):
    if role == "anonymous":  # sent to log in
        return
    assert FEES_OFF in r.text
    assert FEE_ASKED["fee_covers"] in r.text and "12,50" in r.text
    assert "Mila Membre" in r.text and "Otto Ailleurs" in r.text  # the money is everyone's
    party = role in PARTIES
    assert (EXCHANGES["fee_exchange"] in r.text) == party  # the exchange is its parties'
    assert (f"n° {w['fee_exchange']}" in r.text) == (not party)


def check_money_csv(w, role, r):
    if role == "anonymous":
        return
    body = r.get_data(as_text=True)
    assert r.headers["Content-Type"].startswith("text/csv")
    assert body.startswith("\ufeffDate;")
    assert FEE_ASKED["fee_covers"] in body and ";1250;" in body
    assert EXCHANGES["fee_exchange"] not in body  # named by its number, for every reader


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

# listings
ALL_LISTINGS = (
    "listing",
    "hidden_listing",
    "pending_listing",
    "paused_listing",
    "expired_listing",
    "suspended",
)
UNLISTED = (NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, OK, OK)  # its author, A's coordinators, admins
AUTHOR_ONLY = (LOGIN, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)
TO_LISTING = Redirect("/annonces/{listing}")
BY_AUTHOR = (LOGIN, TO_LISTING, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)
NEW_LISTING = {
    "kind": "request",
    "title": "Cours de soudure",
    "summary": "Deux heures pour débuter.",
    "details": "",
    "next_steps": "",
    "tags": "#soudure",
    "category_id": "",
    "mode": "both",
    "space_id": "{A}",
    "estimated_hours": "2 h",
    "expires_on": (utcnow().date() + timedelta(days=30)).isoformat(),
}
EDITED = {**NEW_LISTING, "kind": "offer", "title": "Atelier vélo du samedi"}
SEARCH = (
    "/annonces?q=velo&type=offre&lieu={A}&tag=velo&mode=sur-place&ville=Lyon&tri=recent"
    f"&categorie={CATEGORY}"
)
# reports
REPORT = {"reason": "misleading", "text": "Faux."}
REPORTERS = ("coordinator_b", "coordinator_a", "admin")  # other member has reported already


# moderation: an act sent from the page concerned goes back there
def a_moderates(back: str, refused: bool = False) -> tuple:
    to = Redirect(back, refused=refused)
    return (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, to, to)


# admin
TO_CATEGORIES = Redirect("/admin/categories")
ADMIN_ACTS = (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, TO_CATEGORIES)
CATEGORY_URL = "/admin/categories/{category}"

# exchanges, the account, the pot
BETWEEN_PARTIES = (LOGIN, OK, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND)
NOT_A_PARTY = (NOT_FOUND,) * 3  # B's coordinator, A's, the admin: the exchange is not theirs


def to_exchange(name: str, refused: bool = False) -> Redirect:
    return Redirect(f"/echanges/{{{name}}}", refused=refused)


# --------------------------------------------------------------------------- conversations


def _sent_by(role_id: int) -> list[Message]:
    _fresh()
    return list(
        db.session.scalars(
            select(Message).where(Message.author_id == role_id, Message.body == TALK["sent"])
        )
    )


def _takes_part(user_id: int, conversation_id: int) -> bool:
    return db.session.get(Participant, (conversation_id, user_id)) is not None


def check_inbox(w, role, r):
    """My conversations: the world's one for its two members only."""
    assert (TALK["answer"] in r.text) == (role in PARTIES)


def check_conversation_page(w, role, r):
    if role in PARTIES:
        assert TALK["question"] in r.text and TALK["answer"] in r.text


def check_answered_in_conversation(w, role, r):
    for person in PEOPLE:
        written = _sent_by(w[person])
        assert bool(written) == (person == role and role in PARTIES), person
        for message in written:
            assert message.conversation_id == w["conversation"]


def check_asked(w, role, r):
    """Each asker's question lands in their conversation with the member about the listing:
    the one other member had, or a new one."""
    for person in PEOPLE:
        written = _sent_by(w[person])
        assert bool(written) == (person == role and role != "member"), person
        for message in written:
            conversation = db.session.get(Conversation, message.conversation_id)
            assert conversation.listing_id == w["listing"]
            assert _takes_part(w["member"], conversation.id)
            if person == "other_member":
                assert conversation.id == w["conversation"]


def check_wrote(w, role, r):
    for person in PEOPLE:
        written = _sent_by(w[person])
        assert bool(written) == (person == role and role != "member"), person
        for message in written:
            conversation = db.session.get(Conversation, message.conversation_id)
            assert conversation.listing_id is None and conversation.exchange_id is None
            assert _takes_part(w["member"], conversation.id)


def check_thread_written(w, role, r):
    for person in PEOPLE:
        written = _sent_by(w[person])
        assert bool(written) == (person == role and role in PARTIES), person
        for message in written:
            conversation = db.session.get(Conversation, message.conversation_id)
            assert conversation.exchange_id == w["accepted_exchange"]


def _blocks() -> set[tuple[int, int]]:
    _fresh()
    return {(b.blocker_id, b.blocked_id) for b in db.session.scalars(select(Block))}


def check_blocked(w, role, r):
    expected = set() if role in ("anonymous", "other_member") else {(w[role], w["other_member"])}
    assert _blocks() == expected


def check_unblocked(w, role, r):
    expected = set() if role == "member" else {(w["member"], w["other_member"])}
    assert _blocks() == expected


def check_message_reported(w, role, r):
    _fresh()
    found = db.session.scalars(select(Report).where(Report.message_id == w["message"])).all()
    assert [x.reporter_id for x in found] == ([w["member"]] if role == "member" else [])


def check_message_hidden(w, role, r):
    _fresh()
    hidden = db.session.get(Message, w["message"]).hidden_at is not None
    assert hidden == (role in COORDINATORS_OF_A)
    assert bool(_acts("message_hidden")) == hidden


def _check_coordination_wrote(writers: tuple[str, ...], to: str):
    """The coordination's message reached `to` in a conversation of its own; the log says it
    was sent, and never what it said."""

    def check(w, role, r):
        written = _sent_by(w[role]) if role in PEOPLE else []
        assert bool(written) == (role in writers)
        for message in written:
            assert message.as_coordination
            conversation = db.session.get(Conversation, message.conversation_id)
            assert conversation.kind == "coordination"
            assert {p.user_id for p in conversation.participants} == {w[role], w[to]}
        logged = _new_acts(w)
        assert [a.action for a in logged] == (["coordination_message"] if written else [])
        for act in logged:
            assert act.subject_user_id == w[to]
            assert TALK["sent"] not in repr(act.details) + act.reason

    return check


def check_unsubscribed(w, role, r):
    """The link's member no longer gets that topic's emails, whoever clicked."""
    assert (_user(w["applicant"]).notification_channels or {}).get("waiting") == "site"


def check_channels_saved(w, role, r):
    """Each member's choice is their own."""
    for person in PEOPLE:
        channels = _user(w[person]).notification_channels or {}
        assert (channels.get("waiting") == "site") == (person == role)


def check_retention_set(w, role, r):
    _fresh()
    settings_row = db.session.get(NetworkSettings, 1)
    kept = settings_row.message_retention_days if settings_row else None
    assert kept == (365 if role == "admin" else None)


TALKING = ("listing", "conversation")
TO_CONVERSATION = Redirect("/messages/{conversation}")
TO_NEW_CONVERSATION = Redirect("/messages/{newest_conversation}")
TO_OTHER = Redirect("/membres/{other_member}")
TO_DESK = Redirect("/moderation")
TO_STATEMENT = Redirect("/compte")
TO_POT = Redirect("/caisse-commune")
TO_TRANSFERS = Redirect("/admin/mouvements")

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
    row("GET", "/compte/reglages", MEMBERS_ONLY),
    row(
        "GET",
        "/compte/reglages",
        MEMBERS_ONLY,
        name="GET /compte/reglages (sessions)",
        needs=("session",),
        check=check_sessions_listed,
    ),
    row(
        "POST",
        "/compte/reglages/adresse",
        (LOGIN, *(Redirect("/compte/reglages"),) * 5),
        data={
            "adresse-email": "nouvelle.{self}@example.org",
            "adresse-current_password": factories.PASSWORD,
        },
        check=check_address_change_asked,
    ),
    row("GET", "/compte/adresse/{email_token}", ALL_OK, needs=("email_token",)),
    row(
        "POST",
        "/compte/adresse/{email_token}",
        (Redirect("/connexion"), *(Redirect("/compte/reglages"),) * 5),
        needs=("email_token",),
        check=check_address_changed,
    ),
    row(
        "POST",
        "/compte/reglages/sessions/fermer-les-autres",
        (LOGIN, *(Redirect("/compte/reglages"),) * 5),
        needs=("session",),
        check=check_session_ended,
    ),
    row(
        "POST",
        "/compte/reglages/sessions/{member_session}/fermer",
        (LOGIN, Redirect("/compte/reglages"), *(NOT_FOUND,) * 4),
        needs=("session",),
        check=check_session_ended,
    ),
    row(
        "POST",
        "/compte/reglages",
        (LOGIN, *(Redirect("/compte/reglages"),) * 5),
        data={
            "current_password": factories.PASSWORD,
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
        check=check_password_changed,
    ),
    row(
        "POST",
        "/profil/photo",
        (LOGIN, *(Redirect("/profil"),) * 5),
        data={"photo": pictures.photo(200, 150)},
        check=check_photo_saved,
    ),
    row("POST", "/profil/photo/supprimer", (LOGIN, *(Redirect("/profil"),) * 5)),
    # Pictures are public, as names are; only a member's current one is served.
    row("GET", "/photos/{member}/small/0123456789abcdef.webp", (NOT_FOUND,) * 6),
    row("GET", "/photos/{member}/small/{member_photo}.webp", ALL_OK, needs=("export",)),
    # Leaving: each their own account (the admin, the network's last one, may not leave);
    # the admin deletes a member's on request.
    row("GET", "/compte/supprimer", MEMBERS_ONLY),
    row("GET", "/premiers-pas", MEMBERS_ONLY),
    row(
        "POST",
        "/compte/reglages/langue",
        (LOGIN, *(Redirect("/compte/reglages"),) * 5),
        data={"langue-locale": "en"},
        check=check_language_chosen,
    ),
    # conversations: only their participants read and write them; a coordinator reads none,
    # and writes as the coordination only where they may settle the dispute or the report.
    row("GET", "/messages", MEMBERS_ONLY, needs=TALKING, check=check_inbox),
    row(
        "GET",
        "/messages/{conversation}",
        BETWEEN_PARTIES,
        needs=TALKING,
        check=check_conversation_page,
    ),
    row(
        "POST",
        "/messages/{conversation}/repondre",
        (LOGIN, TO_CONVERSATION, TO_CONVERSATION, *NOT_A_PARTY),
        data={"body": TALK["sent"]},
        needs=TALKING,
        check=check_answered_in_conversation,
    ),
    row(
        "GET",
        "/annonces/{listing}/question",
        (LOGIN, TO_LISTING, TO_CONVERSATION, OK, OK, OK),  # one asked already: its page
        needs=TALKING,
    ),
    row(
        "POST",
        "/annonces/{listing}/question",
        (LOGIN, TO_LISTING, TO_CONVERSATION, *(TO_NEW_CONVERSATION,) * 3),
        data={"body": TALK["sent"]},
        needs=TALKING,
        check=check_asked,
    ),
    row("GET", "/membres/{member}/ecrire", (LOGIN, Redirect("/messages"), OK, OK, OK, OK)),
    row(
        "POST",
        "/membres/{member}/ecrire",
        (LOGIN, Redirect("/messages"), *(TO_NEW_CONVERSATION,) * 4),
        data={"body": TALK["sent"]},
        needs=TALKING,
        check=check_wrote,
    ),
    row(
        "POST",
        "/echanges/{accepted_exchange}/messages",
        (LOGIN, *(to_exchange("accepted_exchange"),) * 2, *NOT_A_PARTY),
        data={"body": TALK["sent"]},
        needs=("accepted_exchange",),
        check=check_thread_written,
    ),
    row(
        "POST",
        "/membres/{other_member}/bloquer",
        (LOGIN, TO_OTHER, BAD, TO_OTHER, TO_OTHER, TO_OTHER),
        check=check_blocked,
    ),
    row(
        "POST",
        "/membres/{other_member}/debloquer",
        (LOGIN, *(TO_OTHER,) * 5),
        needs=("blocked",),
        check=check_unblocked,
    ),
    row(
        "GET",
        "/messages/{conversation}/{message}/signaler",
        (LOGIN, OK, FORBIDDEN, *NOT_A_PARTY),
        needs=TALKING,
    ),
    row(
        "POST",
        "/messages/{conversation}/{message}/signaler",
        (LOGIN, TO_CONVERSATION, FORBIDDEN, *NOT_A_PARTY),
        data=REPORT,
        needs=TALKING,
        check=check_message_reported,
    ),
    row(
        "POST",
        "/moderation/messages/{message}/masquer",
        (LOGIN, *(NOT_FOUND,) * 3, TO_DESK, TO_DESK),
        data={"reason": "motif-message-masqué"},
        needs=(*TALKING, "message_report"),
        check=check_message_hidden,
    ),
    row(
        "GET",
        "/moderation/signalements/{message_report}/ecrire",
        (LOGIN, *(NOT_FOUND,) * 3, OK, OK),
        needs=(*TALKING, "message_report"),
    ),
    row(
        "POST",
        "/moderation/signalements/{message_report}/ecrire",
        (LOGIN, *(NOT_FOUND,) * 3, TO_DESK, TO_DESK),
        data={"to": "{other_member}", "body": TALK["sent"]},
        needs=(*TALKING, "message_report"),
        check=_check_coordination_wrote(COORDINATORS_OF_A, "other_member"),
    ),
    row(
        "GET",
        "/echanges/{disputed_exchange}/coordination",
        (LOGIN, NOT_FOUND, NOT_FOUND, OK, OK, OK),
        needs=("disputed_exchange",),
    ),
    row(
        "POST",
        "/echanges/{disputed_exchange}/coordination",
        (LOGIN, NOT_FOUND, NOT_FOUND, *(to_exchange("disputed_exchange"),) * 3),
        data={"to": "{member}", "body": TALK["sent"]},
        needs=("disputed_exchange",),
        check=_check_coordination_wrote(MODERATORS, "member"),
    ),
    row(
        "POST",
        "/admin/reglages/messages",
        (LOGIN, *(FORBIDDEN,) * 4, Redirect("/admin/reglages")),
        data={"days": "365"},
        check=check_retention_set,
    ),
    # An email's unsubscribe link: anyone who has it (a mail client posts it, logged in or not).
    row("GET", "/desabonnement/{unsubscribe_token}", ALL_OK, needs=("tokens",)),
    row(
        "POST",
        "/desabonnement/{unsubscribe_token}",
        ALL_OK,
        needs=("tokens",),
        check=check_unsubscribed,
    ),
    row("POST", "/desabonnement/faux-lien", (NOT_FOUND,) * 6, name="POST /desabonnement/{forged}"),
    # Each member's own notifications.
    row("GET", "/compte/notifications", MEMBERS_ONLY),
    row(
        "POST",
        "/compte/notifications",
        (LOGIN, *(Redirect("/compte/notifications"),) * 5),
        data={"waiting": "site", "ledger": "email"},
        check=check_channels_saved,
    ),
    # The pickers' suggestions: only those the page may offer (rule of each use case).
    row(
        "GET",
        "/membres/suggestions?q=mila&pour=don",
        MEMBERS_ONLY,
        check=check_suggested_for_a_gift,
    ),
    row(
        "GET",
        "/membres/suggestions?q=Mil&pour=retribuer",
        (LOGIN, FORBIDDEN, FORBIDDEN, OK, OK, OK),
        check=check_suggested_for_a_retribution,
    ),
    row(
        "GET",
        "/membres/suggestions?q=Mil&pour=agir",
        (LOGIN, FORBIDDEN, FORBIDDEN, OK, OK, OK),
        check=check_suggested_for_a_retribution,
    ),
    row(
        "GET",
        "/membres/suggestions?q=noe&pour=declarer",
        MEMBERS_ONLY,
        check=check_nobody_unconfirmed_is_suggested,
    ),
    row(
        "GET",
        "/membres/suggestions?q=Apolline&pour=don",
        MEMBERS_ONLY,
        check=check_nobody_unconfirmed_is_suggested,
    ),
    row(
        "POST",
        "/compte/supprimer",
        (LOGIN, *(HOME,) * 4, BAD),
        data={"current_password": factories.PASSWORD},
        check=check_left,
    ),
    row("GET", "/admin/membres/{member}/supprimer", ADMIN_ONLY),
    row(
        "POST",
        "/admin/membres/{member}/supprimer",
        (LOGIN, *(FORBIDDEN,) * 4, Redirect("/membres")),
        data={"reason": "Courriel de Mila du 3 décembre"},
        check=check_erased_on_request,
    ),
    # A member's data: their own ZIP for each; a prepared export is its owner's only, once.
    row("POST", "/compte/donnees", (LOGIN, *(OK,) * 5), check=check_own_data),
    row(
        "POST",
        "/compte/donnees/{export}",
        (LOGIN, OK, *(NOT_FOUND,) * 4),
        needs=("export",),
        check=check_own_data,
    ),
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
    row(
        "GET",
        "/moderation",
        (LOGIN, FORBIDDEN, FORBIDDEN, OK, OK, OK),
        name="GET /moderation (queue: reports, approvals, suspensions)",
        check=check_queue,
        needs=("report", "member_report", "pending_listing", "suspended", "hidden_listing"),
    ),
    row(
        "GET",
        "/moderation/me-concernant",
        MEMBERS_ONLY,
        check=check_about_me,
        needs=("hidden_listing",),
    ),
    row(
        "GET",
        "/moderation/me-concernant",
        MEMBERS_ONLY,
        name="GET /moderation/me-concernant (an act done for the member)",
        check=check_act_to_contest,
        needs=("acted_for",),
    ),
    # acting for a member who asked, and the member contesting it
    row(
        "GET",
        "/moderation/agir/don?membre={member}",
        (LOGIN, FORBIDDEN, FORBIDDEN, OK, OK, OK),
        check=check_act_for_form,
    ),
    row(
        "POST",
        "/moderation/agir/don",
        FOR_A_MEMBER,
        data=ACT_FOR,
        check=check_gift_for_member,
    ),
    row(
        "POST",
        "/moderation/agir/don",
        (LOGIN, FORBIDDEN, FORBIDDEN, BAD, BAD, BAD),
        data={**ACT_FOR, "reason": ""},
        name="POST /moderation/agir/don without reason",
    ),
    row(
        "GET",
        "/moderation/agir/declarer?membre={member}",
        (LOGIN, FORBIDDEN, FORBIDDEN, OK, OK, OK),
        check=check_act_for_form,
    ),
    row(
        "POST",
        "/moderation/agir/declarer",
        FOR_A_MEMBER,
        data=LOG_FOR,
        check=check_logged_for_member,
    ),
    row(
        "POST",
        "/compte/actes/{acted_for}/contester",
        (LOGIN, CONTEST, *(NOT_FOUND,) * 4),  # the member's own act only
        data={"text": "Je-n-ai-rien-demandé"},
        check=check_contested,
        needs=("acted_for",),
    ),
    row(
        "POST",
        "/compte/actes/{acted_for}/contester",
        (LOGIN, Redirect(CONTEST.to, refused=True), *(NOT_FOUND,) * 4),
        data={"text": ""},
        name="POST /compte/actes/{acted_for}/contester without words",
        needs=("acted_for",),
    ),
    row(
        "POST",
        "/moderation/annonces/{listing}/masquer",
        a_moderates("/annonces/{listing}"),
        data={"reason": "Annonce trompeuse", "next": "/annonces/{listing}"},
        check=check_hidden,
        needs=("report",),
    ),
    row(
        "POST",
        "/moderation/annonces/{listing}/masquer",
        a_moderates("/annonces/{listing}", refused=True),  # told a reason is needed
        data={"reason": " ", "next": "/annonces/{listing}"},
        name="POST /moderation/annonces/{listing}/masquer without reason",
        check=check_not_hidden,
        needs=("listing",),
    ),
    row(
        "POST",
        "/moderation/annonces/{coordinators_listing}/masquer",
        (LOGIN, *(FORBIDDEN,) * 4, Redirect("/annonces/{coordinators_listing}")),
        data={"reason": "Doublon", "next": "/annonces/{coordinators_listing}"},
        name="POST /moderation/annonces/{coordinators_listing}/masquer (never one's own)",
        check=check_own_hidden,
        needs=("coordinators_listing",),
    ),
    row(
        "POST",
        "/moderation/annonces/{hidden_listing}/retablir",
        a_moderates("/annonces/{hidden_listing}"),
        data={"reason": "Corrigée", "next": "/annonces/{hidden_listing}"},
        check=check_restored,
        needs=("hidden_listing",),
    ),
    row(
        "POST",
        "/moderation/annonces/{pending_listing}/approuver",
        a_moderates("/moderation"),  # from the queue
        check=check_approved,
        needs=("pending_listing",),
    ),
    row(
        "POST",
        "/moderation/annonces/{listing}/demander-modification",
        a_moderates("/annonces/{listing}"),
        data={"reason": "Précisez les horaires", "next": "/annonces/{listing}"},
        check=check_edit_requested,
        needs=("listing",),
    ),
    row(
        "POST",
        "/moderation/signalements/{report}/classer",
        a_moderates("/moderation"),
        data={"reason": "Rien d'anormal"},
        name="POST /moderation/signalements/{report}/classer (a listing's)",
        check=_check_dismissed("report"),
        needs=("report",),
    ),
    row(
        "POST",
        "/moderation/signalements/{member_report}/classer",
        a_moderates("/moderation"),  # not B's: the member is active in A only
        data={"reason": "Rien d'anormal"},
        name="POST /moderation/signalements/{member_report}/classer (a profile's)",
        check=_check_dismissed("member_report"),
        needs=("member_report",),
    ),
    row(
        "POST",
        "/moderation/membres/{member}/suspendre",
        a_moderates("/membres/{member}"),  # never oneself; B's coordinator: not a member of B
        data={"reason": "Harcèlement répété", "next": "/membres/{member}"},
        check=check_suspended,
        needs=("listing", "member_report"),
    ),
    row(
        "POST",
        "/moderation/membres/{member}/suspendre",
        a_moderates("/membres/{member}", refused=True),
        data={"reason": "", "next": "/membres/{member}"},
        name="POST /moderation/membres/{member}/suspendre without reason",
        check=check_not_suspended,
    ),
    row(
        "POST",
        "/moderation/membres/{coordinator_a}/suspendre",
        (LOGIN, *(FORBIDDEN,) * 4, Redirect("/membres/{coordinator_a}")),  # never oneself
        data={"reason": "Abus", "next": "/membres/{coordinator_a}"},
        name="POST /moderation/membres/{coordinator_a}/suspendre (never oneself)",
        check=check_coordinator_suspended,
    ),
    row(
        "POST",
        "/moderation/membres/{admin}/suspendre",
        (LOGIN, *(FORBIDDEN,) * 5),  # no coordinator suspends an admin, nobody themselves
        data={"reason": "Abus", "next": "/membres/{admin}"},
        name="POST /moderation/membres/{admin}/suspendre (an admin active in A)",
        check=check_not_suspended,
        needs=("admin_in_a",),
    ),
    row(
        "POST",
        "/moderation/membres/{suspended}/reintegrer",
        a_moderates("/membres/{suspended}"),
        data={"reason": "C'est réglé", "next": "/membres/{suspended}"},
        check=check_reinstated,
        needs=("suspended",),
    ),
    # listings (rule 9: anybody reads what is public)
    row("GET", "/annonces", ALL_OK, check=check_search, needs=ALL_LISTINGS),
    row(
        "GET",
        SEARCH,
        ALL_OK,
        name="GET /annonces with every filter",
        check=check_search_filtered,
        needs=("listing", "hidden_listing"),
    ),
    row("GET", "/annonces/{listing}", ALL_OK, check=check_listing_page, needs=("listing",)),
    *(
        row(
            "GET",
            f"/annonces/{{{name}}}",
            UNLISTED,
            check=_check_unlisted_page(name, says),
            needs=(name,),
        )
        for name, says in (
            ("hidden_listing", "motif-masquage"),
            ("pending_listing", "relisent les annonces avant publication"),
            ("paused_listing", ""),
            ("expired_listing", ""),
        )
    ),
    row(
        "GET",
        "/annonces/{suspended_listing}",
        (NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, OK),  # its author cannot log in
        check=_check_unlisted_page("suspended_listing"),
        needs=("suspended",),
    ),
    row(
        "GET",
        "/annonces/nouvelle",
        (LOGIN, OK, OK, OK, OK, Redirect("/lieux")),  # the admin is a member of no space
        check=check_listing_form,
    ),
    row(
        "POST",
        "/annonces/nouvelle",
        (LOGIN, 302, BAD, BAD, 302, Redirect("/lieux", refused=True)),
        data=NEW_LISTING,  # in A: B's people are told to choose one of their spaces
        check=check_listing_created,
    ),
    row(
        "GET",
        "/annonces/{listing}/modifier",
        AUTHOR_ONLY,
        check=check_listing_form,
        needs=("listing",),
    ),
    row(
        "GET",
        "/annonces/{hidden_listing}/modifier",
        (LOGIN, OK, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN),
        needs=("hidden_listing",),
    ),
    row(
        "POST",
        "/annonces/{listing}/modifier",
        BY_AUTHOR,
        data=EDITED,
        check=check_listing_edited,
        needs=("listing",),
    ),
    row(
        "POST",
        "/annonces/{listing}/etat",
        BY_AUTHOR,
        data={"action": "pause"},
        name="POST /annonces/{listing}/etat pause",
        check=_check_status("listing", "active", "paused"),
        needs=("listing",),
    ),
    row(
        "POST",
        "/annonces/{paused_listing}/etat",
        (
            LOGIN,
            Redirect("/annonces/{paused_listing}"),
            NOT_FOUND,
            NOT_FOUND,
            FORBIDDEN,
            FORBIDDEN,
        ),  # unseen: 404
        data={"action": "reopen"},
        name="POST /annonces/{paused_listing}/etat reopen",
        check=_check_status("paused_listing", "paused", "active"),
        needs=("paused_listing",),
    ),
    row(
        "POST",
        "/annonces/{listing}/etat",
        BY_AUTHOR,
        data={"action": "close"},
        name="POST /annonces/{listing}/etat close",
        check=_check_status("listing", "active", "closed"),
        needs=("listing",),
    ),
    row(
        "POST",
        "/annonces/{expired_listing}/renouveler",
        (
            LOGIN,
            Redirect("/annonces/{expired_listing}"),
            NOT_FOUND,
            NOT_FOUND,
            FORBIDDEN,
            FORBIDDEN,
        ),  # unseen: 404
        check=check_renewed,
        needs=("expired_listing",),
    ),
    row(
        "GET", "/mes-annonces", MEMBERS_ONLY, check=check_mine, needs=("listing", "hidden_listing")
    ),
    # reports: a log-in, never about oneself, one open report per member per item
    row(
        "GET",
        "/annonces/{listing}/signaler",
        (LOGIN, FORBIDDEN, OK, OK, OK, OK),
        check=check_report_form,
        needs=("report",),
    ),
    row(
        "POST",
        "/annonces/{listing}/signaler",
        (LOGIN, FORBIDDEN, CONFLICT, TO_LISTING, TO_LISTING, TO_LISTING),
        data=REPORT,
        check=_check_reported("listing", REPORTERS),
        needs=("report",),
    ),
    row(
        "POST",
        "/annonces/{hidden_listing}/signaler",
        (LOGIN, FORBIDDEN, NOT_FOUND, NOT_FOUND, *(Redirect("/annonces/{hidden_listing}"),) * 2),
        data=REPORT,
        name="POST /annonces/{hidden_listing}/signaler (out of sight)",
        check=_check_reported("hidden_listing", COORDINATORS_OF_A),
        needs=("hidden_listing",),
    ),
    row(
        "GET",
        "/membres/{member}/signaler",
        (LOGIN, FORBIDDEN, OK, OK, OK, OK),
        check=check_report_form,
        needs=("member_report",),
    ),
    row(
        "POST",
        "/membres/{member}/signaler",
        (LOGIN, FORBIDDEN, CONFLICT, *(Redirect("/membres/{member}"),) * 3),
        data=REPORT,
        check=_check_reported("member", REPORTERS),
        needs=("member_report",),
    ),
    # admin: the categories
    row("GET", "/admin/categories", ADMIN_ONLY),
    row(
        "POST",
        "/admin/categories",
        ADMIN_ACTS,
        data={"name_fr": "Apiculture", "name_en": "Beekeeping"},
        check=check_category_added,
    ),
    row(
        "POST",
        CATEGORY_URL,
        ADMIN_ACTS,
        data={"action": "rename", "name_fr": "Réparations", "name_en": "Repairs"},
        name="POST /admin/categories/{category} rename",
        check=check_category_renamed,
        needs=("category",),
    ),
    row(
        "POST",
        CATEGORY_URL,
        ADMIN_ACTS,
        data={"action": "up"},
        name="POST /admin/categories/{category} up",
        check=_check_moved(CATEGORY, "image-son", "jardin-alimentation"),
        needs=("category",),
    ),
    row(
        "POST",
        CATEGORY_URL,
        ADMIN_ACTS,
        data={"action": "down"},
        name="POST /admin/categories/{category} down",
        check=_check_moved("image-son", "jardin-alimentation", CATEGORY),
        needs=("category",),
    ),
    row(
        "POST",
        CATEGORY_URL,
        ADMIN_ACTS,
        data={"action": "delete"},
        name="POST /admin/categories/{category} delete",
        check=check_category_deleted,
        needs=("category",),
    ),
    row(
        "POST",
        CATEGORY_URL,
        (LOGIN, *(FORBIDDEN,) * 4, Redirect("/admin/categories", refused=True)),
        data={"action": "delete"},
        name="POST /admin/categories/{category} delete (in use)",
        check=check_category_kept,
        needs=("category", "listing"),
    ),
    # exchanges: its two parties only (a 404 for anybody else), each step in its turn; a
    # dispute opens it to the coordinators of either party's spaces, who settle it
    row("GET", "/echanges", MEMBERS_ONLY, check=check_my_exchanges, needs=tuple(EXCHANGES)),
    row(
        "GET",
        "/echanges/retours-a-ecrire",
        MEMBERS_ONLY,
        check=check_feedback_to_write,
        needs=("confirmed_exchange",),
    ),
    row(
        "GET",
        "/echanges/{proposed_exchange}",
        BETWEEN_PARTIES,
        check=_check_exchange_page(
            "proposed_exchange", {"accepter": ("member",), "annuler": PARTIES}
        ),
        needs=("proposed_exchange",),
    ),
    row(
        "GET",
        "/echanges/{accepted_exchange}",
        BETWEEN_PARTIES,
        check=_check_exchange_page("accepted_exchange", {"temps": PARTIES, "annuler": PARTIES}),
        needs=("accepted_exchange",),
    ),
    row(
        "GET",
        "/echanges/{done_exchange}",
        BETWEEN_PARTIES,
        check=_check_exchange_page(
            "done_exchange", {"confirmer": ("member",), "contester": ("member",), "annuler": ()}
        ),
        needs=("done_exchange",),
    ),
    row(
        "GET",
        "/echanges/{confirmed_exchange}",
        BETWEEN_PARTIES,
        check=_check_exchange_page("confirmed_exchange", {"confirmer": (), "trancher": ()}),
        needs=("confirmed_exchange",),
    ),
    row(
        "GET",
        "/echanges/{disputed_exchange}",
        MEMBERS_ONLY,  # the parties, and the coordinators of A and of B, and admins
        check=_check_exchange_page("disputed_exchange", {"trancher": MODERATORS}),
        needs=("disputed_exchange",),
    ),
    row(
        "GET",
        "/echanges/{disputed_in_a}",
        (LOGIN, OK, NOT_FOUND, NOT_FOUND, OK, OK),  # B's coordinator has no say; A's is a party
        check=_check_exchange_page("disputed_in_a", {"trancher": ("admin",)}),
        needs=("disputed_in_a",),
    ),
    row(
        "GET",
        "/echanges/987654",
        (LOGIN, *(NOT_FOUND,) * 5),
        name="GET /echanges/{unknown}",
    ),
    row(
        "POST",
        "/echanges/{proposed_exchange}/accepter",
        (LOGIN, to_exchange("proposed_exchange"), FORBIDDEN, *NOT_A_PARTY),  # not one's own
        data={"message": "Avec plaisir"},
        check=_check_step("proposed_exchange", "proposed", "accepted", ("member",), "accepted"),
        needs=("proposed_exchange",),
    ),
    row(
        "POST",
        "/echanges/{accepted_exchange}/accepter",
        (LOGIN, *(to_exchange("accepted_exchange", refused=True),) * 2, *NOT_A_PARTY),
        name="POST /echanges/{accepted_exchange}/accepter (already accepted)",
        check=_check_step("accepted_exchange", "accepted", "accepted", (), "accepted"),
        needs=("accepted_exchange",),
    ),
    row(
        "POST",
        "/echanges/{proposed_exchange}/decliner",
        (LOGIN, to_exchange("proposed_exchange"), FORBIDDEN, *NOT_A_PARTY),
        data={"message": "Pas ce mois-ci"},
        check=_check_step("proposed_exchange", "proposed", "declined", ("member",), "declined"),
        needs=("proposed_exchange",),
    ),
    row(
        "POST",
        "/echanges/{proposed_exchange}/annuler",
        (LOGIN, *(to_exchange("proposed_exchange"),) * 2, *NOT_A_PARTY),  # either party
        check=_check_step("proposed_exchange", "proposed", "cancelled", PARTIES, "cancelled"),
        needs=("proposed_exchange",),
    ),
    row(
        "POST",
        "/echanges/{done_exchange}/annuler",
        (LOGIN, *(to_exchange("done_exchange", refused=True),) * 2, *NOT_A_PARTY),
        name="POST /echanges/{done_exchange}/annuler (time logged: too late)",
        check=_check_step("done_exchange", "done", "done", (), "cancelled"),
        needs=("done_exchange",),
    ),
    row(
        "POST",
        "/echanges/{accepted_exchange}/temps",
        (LOGIN, *(to_exchange("accepted_exchange"),) * 2, *NOT_A_PARTY),  # either party
        data={"minutes": "1 h 15", "performed_on": "", "note": "Fait"},
        check=check_time_logged,
        needs=("accepted_exchange",),
    ),
    row(
        "POST",
        "/echanges/{proposed_exchange}/temps",
        (LOGIN, *(to_exchange("proposed_exchange", refused=True),) * 2, *NOT_A_PARTY),
        data={"minutes": "1 h 15", "performed_on": "", "note": "Fait"},
        name="POST /echanges/{proposed_exchange}/temps (not accepted yet)",
        check=_check_step("proposed_exchange", "proposed", "proposed", (), "logged"),
        needs=("proposed_exchange",),
    ),
    row(
        "POST",
        "/echanges/{done_exchange}/confirmer",
        (LOGIN, to_exchange("done_exchange"), FORBIDDEN, *NOT_A_PARTY),  # not who logged it
        check=check_settled,
        needs=("done_exchange",),
    ),
    row(
        "POST",
        "/echanges/{confirmed_exchange}/confirmer",
        (LOGIN, *(to_exchange("confirmed_exchange", refused=True),) * 2, *NOT_A_PARTY),
        name="POST /echanges/{confirmed_exchange}/confirmer (a second confirmation moves nothing)",
        check=check_settled_once,
        needs=("confirmed_exchange",),
    ),
    row(
        "POST",
        "/echanges/{done_exchange}/contester",
        (LOGIN, to_exchange("done_exchange"), FORBIDDEN, *NOT_A_PARTY),
        data={"reason": "Une heure, pas une heure et demie"},
        check=check_disputed,
        needs=("done_exchange",),
    ),
    row(
        "POST",
        "/echanges/{done_exchange}/contester",
        (LOGIN, BAD, BAD, *NOT_A_PARTY),  # the page again, the reason asked for
        data={"reason": ""},
        name="POST /echanges/{done_exchange}/contester without reason",
        check=_check_step("done_exchange", "done", "done", (), "disputed"),
        needs=("done_exchange",),
    ),
    row(
        "POST",
        "/echanges/{disputed_exchange}/trancher",
        (LOGIN, NOT_FOUND, NOT_FOUND, *(to_exchange("disputed_exchange"),) * 3),
        data={"outcome": "confirm", "minutes": "1 h", "reason": RESOLUTION},
        name="POST /echanges/{disputed_exchange}/trancher confirm",
        check=_check_resolved("disputed_exchange", "confirm", MODERATORS),
        needs=("disputed_exchange",),
    ),
    row(
        "POST",
        "/echanges/{disputed_exchange}/trancher",
        (LOGIN, NOT_FOUND, NOT_FOUND, *(to_exchange("disputed_exchange"),) * 3),
        data={"outcome": "cancel", "minutes": "", "reason": RESOLUTION},
        name="POST /echanges/{disputed_exchange}/trancher cancel",
        check=_check_resolved("disputed_exchange", "cancel", MODERATORS),
        needs=("disputed_exchange",),
    ),
    row(
        "POST",
        "/echanges/{disputed_exchange}/trancher",
        (LOGIN, NOT_FOUND, NOT_FOUND, BAD, BAD, BAD),  # not the parties' to settle
        data={"outcome": "confirm", "minutes": "1 h", "reason": ""},
        name="POST /echanges/{disputed_exchange}/trancher without reason",
        check=check_still_disputed,
        needs=("disputed_exchange",),
    ),
    row(
        "POST",
        "/echanges/{disputed_in_a}/trancher",
        (LOGIN, *(NOT_FOUND,) * 4, to_exchange("disputed_in_a")),
        data={"outcome": "confirm", "minutes": "1 h", "reason": RESOLUTION},
        name="POST /echanges/{disputed_in_a}/trancher (never a party, never an outsider)",
        check=_check_resolved("disputed_in_a", "confirm", ("admin",)),
        needs=("disputed_in_a",),
    ),
    row(
        "POST",
        "/echanges/{done_exchange}/trancher",
        (LOGIN, *(NOT_FOUND,) * 5),
        data={"outcome": "confirm", "minutes": "1 h", "reason": RESOLUTION},
        name="POST /echanges/{done_exchange}/trancher (nothing to settle)",
        check=_check_step("done_exchange", "done", "done", (), "resolved"),
        needs=("done_exchange",),
    ),
    row(
        "GET",
        "/echanges/declarer",
        (LOGIN, OK, OK, OK, OK, Redirect("/lieux")),  # the admin is a member of no space
        check=check_log_form,
    ),
    row(
        "POST",
        "/echanges/declarer",
        (LOGIN, 302, BAD, 302, 302, Redirect("/lieux", refused=True)),  # admins: in no space
        data=DIRECT_LOG,
        check=check_direct_log,
    ),
    row(
        "GET",
        "/annonces/{listing}/proposer",
        (LOGIN, Redirect("/annonces/{listing}"), OK, OK, OK, Redirect("/lieux")),
        check=check_propose_form,
        needs=("listing",),
    ),
    row(
        "POST",
        "/annonces/{listing}/proposer",
        (
            LOGIN,
            Redirect("/annonces/{listing}", refused=True),  # not one's own
            302,
            302,
            302,
            Redirect("/lieux", refused=True),  # admins are in no space
        ),
        data=PROPOSAL,
        check=check_proposal,
        needs=("listing",),
    ),
    row(
        "GET",
        "/annonces/{hidden_listing}/proposer",
        (LOGIN, *(NOT_FOUND,) * 5),  # out of sight: seen by some, answered by none
        name="GET /annonces/{hidden_listing}/proposer (out of sight)",
        needs=("hidden_listing",),
    ),
    row(
        "POST",
        "/annonces/{hidden_listing}/proposer",
        (LOGIN, *(NOT_FOUND,) * 5),
        data=PROPOSAL,
        name="POST /annonces/{hidden_listing}/proposer (out of sight)",
        needs=("hidden_listing",),
    ),
    # feedback: the two parties of a confirmed exchange only (the others meet the exchange's
    # 404, or a 403 where a dispute lets them see it), once each, double-blind
    row(
        "GET",
        "/echanges/{confirmed_exchange}/retour",
        BETWEEN_PARTIES,
        check=check_feedback_form,
        needs=("confirmed_exchange",),
    ),
    row(
        "POST",
        "/echanges/{confirmed_exchange}/retour",
        (LOGIN, *(to_exchange("confirmed_exchange"),) * 2, *NOT_A_PARTY),
        data=FEEDBACK_FORM,
        check=check_feedback_written,
        needs=("confirmed_exchange",),
    ),
    row(
        "POST",
        "/echanges/{confirmed_exchange}/retour",
        (LOGIN, BAD, BAD, *NOT_A_PARTY),  # the form again, the question asked again
        data={"recommendation": "", "comment": "Sans réponse"},
        name="POST /echanges/{confirmed_exchange}/retour without recommendation",
        check=_check_no_feedback("confirmed_exchange"),
        needs=("confirmed_exchange",),
    ),
    row(
        "POST",
        "/echanges/{confirmed_exchange}/retour",
        (LOGIN, *(to_exchange("confirmed_exchange"),) * 2, *NOT_A_PARTY),
        data=FEEDBACK_FORM,
        name="POST /echanges/{confirmed_exchange}/retour (other member's waits: edit or complete)",
        check=check_blind_completed,
        needs=("confirmed_exchange", "blind_feedback"),
    ),
    *(
        row(
            method,
            "/echanges/{confirmed_exchange}/retour",
            (LOGIN, *(to_exchange("confirmed_exchange", refused=True),) * 2, *NOT_A_PARTY),
            data=FEEDBACK_FORM,
            name=f"{method} /echanges/{{confirmed_exchange}}/retour (both shown: no more edits)",
            check=check_feedback_kept,
            needs=("confirmed_exchange", "feedback"),
        )
        for method in ("GET", "POST")
    ),
    *(
        row(
            method,
            "/echanges/{disputed_exchange}/retour",
            (LOGIN, *(to_exchange("disputed_exchange", refused=True),) * 2, *(FORBIDDEN,) * 3),
            data=FEEDBACK_FORM,
            name=f"{method} /echanges/{{disputed_exchange}}/retour (seen by the stewards)",
            check=_check_no_feedback("disputed_exchange"),
            needs=("disputed_exchange",),
        )
        for method in ("GET", "POST")
    ),
    row(
        "POST",
        "/echanges/{done_exchange}/retour",
        (LOGIN, *(to_exchange("done_exchange", refused=True),) * 2, *NOT_A_PARTY),
        data=FEEDBACK_FORM,
        name="POST /echanges/{done_exchange}/retour (not confirmed yet)",
        check=_check_no_feedback("done_exchange"),
        needs=("done_exchange",),
    ),
    row(
        "GET",
        "/echanges/987654/retour",
        (LOGIN, *(NOT_FOUND,) * 5),
        name="GET /echanges/{unknown}/retour",
    ),
    # what was said of a member is public once it shows, like the profile
    row(
        "GET",
        "/membres/{member}/retours",
        ALL_OK,
        check=check_feedback_page,
        needs=("confirmed_exchange", "feedback"),
    ),
    row(
        "GET",
        "/membres/{member}/retours",
        ALL_OK,
        name="GET /membres/{member}/retours (still blind)",
        check=check_blind_page,
        needs=("confirmed_exchange", "blind_feedback"),
    ),
    row(
        "GET",
        "/membres/{member}",
        ALL_OK,
        name="GET /membres/{member} (a comment hidden)",
        check=check_hidden_on_profile,
        needs=("confirmed_exchange", "hidden_feedback"),
    ),
    row(
        "GET",
        "/membres/{newcomer}/retours",
        (NOT_FOUND,) * 6,
        name="GET /membres/{unconfirmed}/retours",
    ),
    row(
        "POST",
        "/retours/{about_member}/repondre",
        (LOGIN, Redirect("/membres/{member}/retours"), *(FORBIDDEN,) * 4),  # its subject only
        data=REPLY,
        check=check_replied,
        needs=("confirmed_exchange", "feedback"),
    ),
    row(
        "POST",
        "/retours/{blind_feedback}/repondre",
        (LOGIN, *(NOT_FOUND,) * 5),
        data=REPLY,
        name="POST /retours/{blind_feedback}/repondre (still blind)",
        needs=("confirmed_exchange", "blind_feedback"),
    ),
    # reports on feedback: any member but its author, once it shows
    row(
        "GET",
        "/retours/{about_member}/signaler",
        (LOGIN, OK, FORBIDDEN, OK, OK, OK),
        check=check_feedback_report_form,
        needs=("confirmed_exchange", "feedback"),
    ),
    row(
        "POST",
        "/retours/{about_member}/signaler",
        (
            LOGIN,
            Redirect("/membres/{member}/retours"),
            FORBIDDEN,
            *(Redirect("/membres/{member}/retours"),) * 3,
        ),
        data=REPORT,
        check=check_feedback_reported,
        needs=("confirmed_exchange", "feedback"),
    ),
    *(
        row(
            method,
            "/retours/{blind_feedback}/signaler",
            (LOGIN, *(NOT_FOUND,) * 5),
            data=REPORT,
            name=f"{method} /retours/{{blind_feedback}}/signaler (still blind)",
            needs=("confirmed_exchange", "blind_feedback"),
        )
        for method in ("GET", "POST")
    ),
    # hiding a feedback's words: the coordinators of either party's spaces, never a party
    row(
        "GET",
        "/moderation",
        (LOGIN, FORBIDDEN, FORBIDDEN, OK, OK, OK),
        name="GET /moderation (a feedback reported)",
        check=check_feedback_desk,
        needs=("confirmed_exchange", "feedback_report"),
    ),
    row(
        "POST",
        "/moderation/retours/{about_member}/masquer",
        (LOGIN, FORBIDDEN, FORBIDDEN, *(Redirect("/membres/{member}"),) * 3),
        data=FEEDBACK_HIDING,
        check=check_feedback_hidden,
        needs=("confirmed_exchange", "feedback"),
    ),
    row(
        "POST",
        "/moderation/retours/{about_member}/masquer",
        (LOGIN, FORBIDDEN, FORBIDDEN, *(Redirect("/membres/{member}", refused=True),) * 3),
        data={**FEEDBACK_HIDING, "reason": " "},
        name="POST /moderation/retours/{about_member}/masquer without reason",
        check=check_feedback_not_hidden,
        needs=("confirmed_exchange", "feedback"),
    ),
    row(
        "POST",
        "/moderation/retours/{blind_feedback}/masquer",
        (LOGIN, *(NOT_FOUND,) * 5),
        data=FEEDBACK_HIDING,
        name="POST /moderation/retours/{blind_feedback}/masquer (still blind)",
        needs=("confirmed_exchange", "blind_feedback"),
    ),
    row(
        "POST",
        "/moderation/retours/{about_member}/retablir",
        (LOGIN, FORBIDDEN, FORBIDDEN, *(Redirect("/membres/{member}"),) * 3),
        data={"reason": "Relu", "part": "comment", "next": "/membres/{member}"},
        check=check_feedback_restored,
        needs=("confirmed_exchange", "hidden_feedback"),
    ),
    row(
        "POST",
        "/moderation/retours/{about_member}/retablir",
        (LOGIN, FORBIDDEN, FORBIDDEN, *(Redirect("/membres/{member}", refused=True),) * 3),
        data={"reason": "Relu", "part": "comment", "next": "/membres/{member}"},
        name="POST /moderation/retours/{about_member}/retablir (not hidden)",
        check=check_feedback_not_hidden,
        needs=("confirmed_exchange", "feedback"),
    ),
    # the time account: one's own only; the pot's ledger: everyone's to read
    row("GET", "/compte", MEMBERS_ONLY, check=check_statement, needs=("confirmed_exchange",)),
    row(
        "GET",
        "/compte?du=2000-01-01&au=2100-12-31",
        MEMBERS_ONLY,
        name="GET /compte for a period",
        check=check_statement,
        needs=("confirmed_exchange",),
    ),
    row(
        "GET",
        "/compte/releve.csv",
        MEMBERS_ONLY,
        check=check_statement_csv,
        needs=("confirmed_exchange",),
    ),
    row(
        "GET",
        "/compte/donner",
        (LOGIN, OK, OK, OK, OK, Redirect("/lieux")),  # the admin is a member of no space
        check=check_give_form,
    ),
    row(
        "POST",
        "/compte/donner",
        (LOGIN, *(TO_STATEMENT,) * 4, Redirect("/lieux", refused=True)),  # admins: no space
        data=GIFT,
        name="POST /compte/donner to the pot",
        check=_check_gift("pot", MEMBERS_OF_A_SPACE),
    ),
    row(
        "POST",
        "/compte/donner",
        # never to oneself; admins are in no space
        (LOGIN, TO_STATEMENT, BAD, TO_STATEMENT, TO_STATEMENT, Redirect("/lieux", refused=True)),
        data={**GIFT, "recipient": "{other_member}"},
        name="POST /compte/donner to other member",
        check=_check_gift("other_member", ("member", "coordinator_b", "coordinator_a")),
    ),
    row("GET", "/caisse-commune", ALL_OK, check=check_pot_page, needs=("pot_funds",)),
    row(
        "GET",
        "/caisse-commune/retribuer",
        (LOGIN, FORBIDDEN, FORBIDDEN, OK, OK, OK),
        check=check_retribute_form,
    ),
    row(
        "POST",
        "/caisse-commune/retribuer",
        (LOGIN, FORBIDDEN, FORBIDDEN, BAD, TO_POT, TO_POT),  # B's coordinator: not in A
        data=RETRIBUTION,
        check=check_retributed,
        needs=("pot_funds",),
    ),
    row(
        "POST",
        "/caisse-commune/retribuer",
        (LOGIN, FORBIDDEN, FORBIDDEN, BAD, BAD, BAD),
        data={**RETRIBUTION, "reason": ""},
        name="POST /caisse-commune/retribuer without reason",
        check=check_retributed_nothing,
        needs=("pot_funds",),
    ),
    row(
        "POST",
        "/caisse-commune/retribuer",
        (LOGIN, FORBIDDEN, FORBIDDEN, BAD, BAD, BAD),
        data={**RETRIBUTION, "minutes": "6 h"},
        name="POST /caisse-commune/retribuer more than the pot holds",
        check=check_retributed_nothing,
        needs=("pot_funds",),
    ),
    row(
        "GET",
        "/caisse-commune/minga",
        (LOGIN, FORBIDDEN, FORBIDDEN, OK, OK, OK),
        check=check_minga_form,
    ),
    row(
        "POST",
        "/caisse-commune/minga",
        (LOGIN, FORBIDDEN, FORBIDDEN, BAD, OK, OK),  # B's coordinator: not in A
        data={**MINGA, "action": "apercu"},
        name="POST /caisse-commune/minga (preview)",
        check=check_minga_previewed,
        needs=("pot_funds",),
    ),
    row(
        "POST",
        "/caisse-commune/minga",
        (LOGIN, FORBIDDEN, FORBIDDEN, BAD, TO_POT, TO_POT),
        data=MINGA,
        name="POST /caisse-commune/minga (confirmed)",
        check=check_minga_paid,
        needs=("pot_funds",),
    ),
    row(
        "POST",
        "/caisse-commune/minga",
        (LOGIN, FORBIDDEN, FORBIDDEN, BAD, BAD, BAD),
        data={**MINGA, "rows-0-minutes": "6 h", "previewed": "{member}:360|Chantier-participatif"},
        name="POST /caisse-commune/minga more than the pot holds",
        check=check_retributed_nothing,
        needs=("pot_funds",),
    ),
    # money, with online fees off (TestConfig): Stripe's endpoint is not there, a Stripe
    # account cannot be opened, a fee cannot be paid online; a fee attached while fees were on
    # is still settled outside Archipel by its provider, and every member reads the money
    # ledger. What each route does with fees on: test_fees.py.
    row(
        "POST",
        "/webhooks/stripe",
        (NOT_FOUND,) * 6,
        data={"id": "evt_1", "type": "account.updated"},
        name="POST /webhooks/stripe (fees off: no such endpoint)",
    ),
    row(
        "POST",
        "/compte/paiements/connecter",
        (LOGIN, *(Redirect("/membres/{self}", refused=True),) * 5),  # "désactivés"
        check=check_no_stripe_account,
    ),
    row("GET", "/compte/paiements/relancer", (LOGIN, *(Redirect("/membres/{self}"),) * 5)),
    row("GET", "/compte/paiements/retour", (LOGIN, *(Redirect("/membres/{self}"),) * 5)),
    row(
        "GET",
        "/echanges/{fee_exchange}",
        BETWEEN_PARTIES,
        name="GET /echanges/{fee_exchange} (fees off since: settled outside, not paid online)",
        check=_check_exchange_page(
            "fee_exchange",
            {"frais/regle": ("member",), "frais/payer": (), "temps": PARTIES},
        ),
        needs=("fee_exchange",),
    ),
    row(
        "POST",
        "/echanges/{fee_exchange}/frais/payer",
        # the provider never pays; the receiver is told fees are off
        (LOGIN, FORBIDDEN, to_exchange("fee_exchange", refused=True), *NOT_A_PARTY),
        check=check_fee_still_due("fee_exchange"),
        needs=("fee_exchange",),
    ),
    row(
        "POST",
        "/echanges/{accepted_exchange}/frais/payer",
        (LOGIN, *(NOT_FOUND,) * 5),
        name="POST /echanges/{accepted_exchange}/frais/payer (no fee)",
        needs=("accepted_exchange",),
    ),
    row(
        "GET",
        "/echanges/{fee_exchange}/frais/paye?session_id=cs_test_inconnu",
        (LOGIN, *(to_exchange("fee_exchange"),) * 2, *NOT_A_PARTY),  # not its session: nothing
        check=check_fee_still_due("fee_exchange"),
        needs=("fee_exchange",),
    ),
    row(
        "POST",
        "/echanges/{fee_exchange}/frais/regle",
        (LOGIN, to_exchange("fee_exchange"), FORBIDDEN, *NOT_A_PARTY),  # its provider only
        check=check_fee_settled,
        needs=("fee_exchange",),
    ),
    row(
        "POST",
        "/echanges/{disputed_fee_exchange}/frais/rembourser",
        # never a party; the coordinators are told nothing was paid to refund
        (LOGIN, NOT_FOUND, NOT_FOUND, *(to_exchange("disputed_fee_exchange", refused=True),) * 3),
        data={"reason": "Le matériel n'a pas servi"},
        name="POST /echanges/{disputed_fee_exchange}/frais/rembourser (nothing paid)",
        check=check_fee_still_due("disputed_fee_exchange"),
        needs=("disputed_fee_exchange",),
    ),
    row(
        "POST",
        "/echanges/{disputed_fee_exchange}/frais/rembourser",
        # the reason is asked for before anything else: the parties too meet the message
        (LOGIN, *(to_exchange("disputed_fee_exchange", refused=True),) * 5),
        data={"reason": ""},
        name="POST /echanges/{disputed_fee_exchange}/frais/rembourser without reason",
        check=check_fee_still_due("disputed_fee_exchange"),
        needs=("disputed_fee_exchange",),
    ),
    row(
        "GET",
        "/caisse-commune/argent",
        MEMBERS_ONLY,
        check=check_money_page,
        needs=("fee_exchange",),
    ),
    row(
        "GET",
        "/caisse-commune/argent.csv",
        MEMBERS_ONLY,
        check=check_money_csv,
        needs=("fee_exchange",),
    ),
    # admin: the network's rules and the corrections of the ledger
    row("GET", "/admin/reglages", ADMIN_ONLY, check=check_rules_form),
    row(
        "POST",
        "/admin/reglages",
        (LOGIN, *(FORBIDDEN,) * 4, Redirect("/admin/reglages")),
        data=RULES,
        check=check_rules_saved,
    ),
    row(
        "POST",
        "/admin/reglages",
        (LOGIN, *(FORBIDDEN,) * 4, BAD),
        data={**RULES, "overdraft": "beaucoup"},
        name="POST /admin/reglages with a wrong duration",
        check=check_rules_saved_nothing,
    ),
    row("GET", "/admin/mouvements", ADMIN_ONLY, check=check_transfers_page, needs=("transfer",)),
    row(
        "GET",
        "/admin/mouvements?page=2",
        ADMIN_ONLY,
        name="GET /admin/mouvements?page=2 (past the end)",
        needs=("transfer",),
    ),
    row(
        "POST",
        "/admin/mouvements/{transfer}/corriger",
        (LOGIN, *(FORBIDDEN,) * 4, TO_TRANSFERS),
        data={"reason": CORRECTION},
        check=check_corrected,
        needs=("transfer",),
    ),
    row(
        "POST",
        "/admin/mouvements/{transfer}/corriger",
        (LOGIN, *(FORBIDDEN,) * 4, Redirect("/admin/mouvements", refused=True)),
        data={"reason": ""},
        name="POST /admin/mouvements/{transfer}/corriger without reason",
        needs=("transfer",),
    ),
    row(
        "POST",
        "/admin/mouvements/{transfer}/corriger",
        (LOGIN, *(FORBIDDEN,) * 4, Redirect("/admin/mouvements", refused=True)),
        data={"reason": CORRECTION},
        name="POST /admin/mouvements/{transfer}/corriger (reversed already)",
        needs=("corrected_transfer",),
    ),
    row(
        "POST",
        "/admin/mouvements/987654/corriger",
        (LOGIN, *(FORBIDDEN,) * 4, NOT_FOUND),
        data={"reason": CORRECTION},
        name="POST /admin/mouvements/{unknown}/corriger",
    ),
    # admin: the emails that could not leave
    row(
        "GET",
        "/admin/courriels",
        ADMIN_ONLY,
        check=check_emails_page,
        needs=("failed_email",),
        may_show="member",
    ),
    row("GET", "/admin/courriels?page=2", ADMIN_ONLY, name="GET /admin/courriels?page=2"),
    row(
        "POST",
        "/admin/courriels/renvoyer",
        (LOGIN, *(FORBIDDEN,) * 4, Redirect("/admin/courriels")),
        check=check_emails_retried,
        needs=("failed_email",),
    ),
    row(
        "POST",
        "/admin/courriels/{failed_email}/renvoyer",
        (LOGIN, *(FORBIDDEN,) * 4, Redirect("/admin/courriels")),
        check=check_emails_retried,
        needs=("failed_email",),
    ),
    row(
        "POST",
        "/admin/courriels/987654/renvoyer",
        (LOGIN, *(FORBIDDEN,) * 4, NOT_FOUND),
        name="POST /admin/courriels/{unknown}/renvoyer",
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
                (Redirect("/premiers-pas"),) * 6,
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
    address it was sent to); a visitor sees no way to reach anyone. (A ZIP of one's data is
    read by its row's check; a picture holds no text.)"""
    if response.mimetype in ("application/zip", "image/webp"):
        return
    body = response.text
    for person, email in w.emails.items():
        if person not in (role, may_show):
            assert email not in body, f"{person}'s email shown to {role}"
    if role == "anonymous":
        for person, contact in w.contacts.items():
            assert contact not in body, f"{person}'s contact shown to a visitor"


def _sent(w: World, value: str | bytes):
    """A field as the form sends it: text with the world's ids, or a file's bytes as a file."""
    return (io.BytesIO(value), "photo.jpg") if isinstance(value, bytes) else w.fmt(value)


@pytest.mark.reads_left_rows
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_access(app, client, auth, case: Case, role: str):
    w = _WORLDS.get(app, case.needs)
    _log_in(auth, w, role)
    path = w.fmt(case.path)
    data = {w.fmt(k): _sent(w, v) for k, v in case.data.items()}
    expected = case.expect[role]
    before = _fingerprint()

    response = client.open(path, method=case.method, data=data)

    _assert_answer(response, expected, w, case.method, path)
    _assert_nothing_private(response, w, role, case.may_show)
    refused = (
        expected in REFUSED
        or (expected == LOGIN and role == "anonymous")
        or (isinstance(expected, Redirect) and expected.refused)
    )
    after = None
    if case.method == "GET" or refused:
        after = _fingerprint()
        assert after == before, "a refused request or a GET changed the database"
    if case.check:
        case.check(w, role, response)
        if after is not None:  # what the check read may have been written meanwhile
            after = _fingerprint()
    if after is not None:
        _WORLDS.leave(case.needs, after)


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
        path = urlsplit(case.path.format_map(_AnyId())).path
        endpoint, _args = adapter.match(path, method=case.method)
        covered.add((endpoint, case.method))
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes - covered == set(), "routes without access rows"
    assert {endpoint for endpoint, _m in covered} == {endpoint for endpoint, _m in routes}
