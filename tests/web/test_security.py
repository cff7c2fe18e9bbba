"""The security baseline, route by route: CSRF on every state change (Stripe's signed webhook
aside, see CSRF_EXEMPT), no writes on GET, protective headers on every response, cookies that
scripts and other sites cannot use, and a production configuration that refuses to run
without its secret.

The walks read `app.url_map`, so a route added tomorrow is checked too (or makes the walk fail
until someone says how to call it).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select

from exchange import create_app
from exchange.config import ROOT, Config
from exchange.services.community import accounts, memberships, photos, settings
from exchange.services.conversations import blocks, threads
from exchange.services.exchanges import direct, disputes, lifecycle
from exchange.services.ledger import gifts
from exchange.services.moderation import acts, reports
from exchange.services.money import amounts, checkout, connect, fees
from exchange.services.privacy import export
from exchange.services.reputation import feedback
from models import Category, Message, ModerationAction, OutboxEmail, StripeEvent, db
from models.base import utcnow
from tests import factories, pictures, snapshots
from tests.conftest import WEBHOOK_SECRET
from tests.stripe_fake import sign

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
CSRF_MESSAGE = "Le formulaire a expiré ou n'a pas été envoyé depuis Archipel"


# --- helpers -------------------------------------------------------------------------------


class _Inputs(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.inputs: list[dict[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "input":
            self.inputs.append(dict(attrs))


def csrf_token_in(html: str) -> str:
    parser = _Inputs()
    parser.feed(html)
    for attrs in parser.inputs:
        if attrs.get("name") == "csrf_token" and attrs.get("value"):
            return attrs["value"]
    raise AssertionError("no csrf_token hidden input on the page")


def page_token(client, logged_in: bool) -> str:
    """A valid CSRF token for this client's session, read from a page as a browser would."""
    page = client.get("/" if logged_in else "/connexion")
    assert page.status_code == 200
    return csrf_token_in(page.get_data(as_text=True))


def login_through_form(client, user, *, remember: bool = False) -> None:
    """Log in as a person does: open the page, send the form with its hidden token."""
    data = {
        "email": user.email,
        "password": factories.PASSWORD,
        "csrf_token": page_token(client, logged_in=False),
    }
    if remember:
        data["remember"] = "y"
    response = client.post("/connexion", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)


def snapshot() -> dict[str, tuple[int, str]]:
    """Every table's row count and a digest of all its rows, read on a fresh connection."""
    state = {}
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            rows = conn.execute(select(table).order_by(*table.primary_key.columns)).all()
            digest = hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()
            state[table.name] = (len(rows), digest)
    return state


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(name for name in before if before[name] != after[name])


def set_cookies(response) -> dict[str, set[str]]:
    """Set-Cookie headers as {name: {lower-cased attributes, 'samesite=lax'…}}."""
    cookies = {}
    for header in response.headers.getlist("Set-Cookie"):
        first, *attributes = (part.strip() for part in header.split(";"))
        name = first.split("=", 1)[0]
        cookies[name] = {a.lower().replace(" ", "") for a in attributes}
    return cookies


@contextmanager
def _fees_on_meanwhile(app):
    """Online fees on while the world's fees are attached (no Stripe call is made then): the
    walks run with them off, as TestConfig has no Stripe keys."""
    saved = {key: app.config.get(key) for key in amounts.KEYS}
    app.config.update(dict.fromkeys(amounts.KEYS, "set-while-the-world-is-built"))
    try:
        yield
    finally:
        app.config.update(saved)


def _fees_config(app) -> dict[str, str]:
    """The Stripe settings the `fake_stripe` fixture gave `app`, for another app to share."""
    return {key: app.config[key] for key in (*amounts.KEYS, "STRIPE_API_BASE")}


def _link(outbox, prefix: str) -> str:
    body = outbox[-1].get_content()
    match = re.search(r"https?://[^/\s]+(" + re.escape(prefix) + r"[^\s]+)", body)
    assert match, body
    return match.group(1)


# --- a small network with one of everything the routes point at --------------------------


@dataclass
class World:
    admin: object
    coordinator: object
    applicant: object
    regular: object
    unconfirmed: object
    open_space: object
    approval_space: object
    pending: object
    confirm_token: str
    reset_token: str
    listing: object  # the regular member's, public, in the open space, due to expire soon
    hidden_listing: object
    pending_listing: object
    suspended: object  # a member of the open space, suspended by the admin
    report: object  # the applicant's open report on `listing`
    category: object
    # Exchanges between the regular member (who gives the time) and a partner of the open
    # space, one in each state a step starts from; a gift of the partner's to the pot.
    partner: object = None
    proposed: object = None  # the partner's proposal on `listing`, waiting on the regular one
    accepted: object = None
    done: object = None  # time the partner logged, waiting on the regular one
    disputed: object = None  # time the partner logged, disputed by the regular one
    pot_gift: object = None
    # Two more exchanges the regular member confirmed: on `reviewed` both have written, so
    # both feedback show (the partner's about the regular one; the regular one's about the
    # partner, its comment hidden by the admin); on `to_review` nobody has written yet.
    reviewed: object = None
    about_regular: object = None
    hidden_feedback: object = None
    to_review: object = None
    # Two more of the regular member's, each with a fee (12,50 €) attached on accepting, still
    # due: `with_fee` accepted, `disputed_fee` then logged by the partner and disputed.
    with_fee: object = None
    disputed_fee: object = None
    failed_email: object = None  # an email to the regular member the mail server refused
    phone_session: str = ""  # the regular member, logged in on a phone too
    regular_export: int = 0  # the regular member's prepared export, ready to be taken
    email_token: str = ""  # the regular member's link to move to another address
    # The partner asked the regular member about `listing`, who answered; both have read it;
    # the regular member reported the question, and blocked the suspended member.
    conversation: object = None
    question: object = None
    answer: object = None
    message_report: object = None
    acted_for: object = None  # the admin's gift of the regular member's time, at his request
    users: dict = field(default_factory=dict)

    def url_values(self, endpoint: str) -> dict[str, object]:
        """Argument name → a real row's id (the right token for each link, the row in the
        state the act needs)."""
        values = {
            "space_id": self.approval_space.id,
            "membership_id": self.pending.id,
            "user_id": self.coordinator.id,
            "listing_id": self.listing.id,
            "report_id": self.report.id,
            "category_id": self.category.id,
            "filename": "css/archipel.css",
            "token": self.confirm_token,
            # the one the admin may read too (a dispute is the coordination's business)
            "exchange_id": self.disputed.id,
            "transfer_id": self.pot_gift.id,
            "feedback_id": self.about_regular.id,
            "email_id": self.failed_email.id,
            "conversation_id": self.conversation.id,
            "message_id": self.question.id,
            "action_id": self.acted_for.id,
        }
        exchange = {
            "exchanges.accept": self.proposed,
            "exchanges.decline": self.proposed,
            "exchanges.cancel": self.proposed,
            "exchanges.log_time": self.accepted,
            "exchanges.confirm": self.done,
            "exchanges.dispute": self.done,
            "feedback.write": self.to_review,
            "payments.pay": self.with_fee,
            "payments.checkout_return": self.with_fee,
            "payments.settle": self.with_fee,
            "payments.refund": self.disputed_fee,
        }.get(endpoint)
        if exchange is not None:
            values["exchange_id"] = exchange.id
        if endpoint == "members.end_session":
            values["session_id"] = self.phone_session
        if endpoint == "members.take_export":
            values["export_id"] = self.regular_export
        if endpoint == "members.photo":  # the admin's picture
            values.update(user_id=self.admin.id, photo=self.admin.photo, size="small")
        if endpoint == "members.confirm_email_change":
            values["token"] = self.email_token
        if endpoint == "auth.reset_password":
            values["token"] = self.reset_token
        if endpoint in ("spaces.join", "spaces.leave"):
            values["space_id"] = self.open_space.id
        if endpoint == "moderation.restore_listing":
            values["listing_id"] = self.hidden_listing.id
        if endpoint == "moderation.approve_listing":
            values["listing_id"] = self.pending_listing.id
        if endpoint == "moderation.suspend_member":
            values["user_id"] = self.regular.id
        if endpoint == "moderation.reinstate_member":
            values["user_id"] = self.suspended.id
        if endpoint == "moderation.restore_feedback":
            values["feedback_id"] = self.hidden_feedback.id
        if endpoint == "feedback.about":
            values["user_id"] = self.regular.id
        if endpoint == "conversations.unblock":
            values["user_id"] = self.suspended.id
        if endpoint == "conversations.about_report":
            values["report_id"] = self.message_report.id
        if endpoint == "moderation.report_message":  # the answer, which the partner may report
            values["message_id"] = self.answer.id
        return values

    def queries(self, endpoint: str) -> tuple[str, ...]:
        """Query strings a page reads, beyond the language switch every page takes."""
        if endpoint == "listings.search":
            return (
                f"?q=velo&type=offre&lieu={self.open_space.id}&categorie={self.category.slug}"
                "&tag=velo&mode=distance&ville=Lyon&tri=recent",
                "?q=r%C3%A9paration+v%C3%A9lo&type=demande&mode=les-deux&page=2",
                "?lieu=abc&page=-1&categorie=inconnue&tag=%23&mode=nulle-part",
            )
        if endpoint == "listings.create":
            return ("?type=demande",)
        if endpoint in ("account.statement", "account.statement_csv", "account.pot"):
            return (
                "?du=2020-01-01&au=2100-12-31",
                "?du=2100-12-31&au=2020-01-01",  # the wrong way round: swapped
                "?du=hier&au=31%2F12%2F2030",
            )
        if endpoint in ("exchanges.log_direct", "account.give", "account.retribute"):
            return (f"?membre={self.partner.id}", "?membre=abc", "?membre=987654", "?a=pot")
        if endpoint == "admin.transfers":
            return ("?page=2", "?page=-1", "?page=abc", "?page=99999999999")
        return ()


_BUILT: dict[str, object] = {}  # the world as first built in this process, and its rows


@pytest.fixture
def world(app, outbox) -> World:
    """Built once per process through the services; the next tests get its rows copied back,
    ids and all (`tests.snapshots`), and its fields read again from them."""
    if _BUILT:
        snapshots.put_back(_BUILT["rows"])
        return _read_again(_BUILT["world"])
    built = _build_world(app, outbox)
    _BUILT["rows"] = rows = snapshots.take()
    snapshots.next_ids(rows)
    _BUILT["world"] = built
    return built


def _read_again(built: World) -> World:
    """The same world with each row it names loaded again by its identity."""

    def again(value):
        if isinstance(value, db.Model):
            return db.session.get(type(value), sa_inspect(value).identity)
        return value

    fields = {f.name: again(getattr(built, f.name)) for f in dataclass_fields(built)}
    fields["users"] = {role: again(user) for role, user in built.users.items()}
    return World(**fields)


def _prepared_export(app, member) -> int:
    app.config["EXPORT_INLINE_ROWS"] = -1  # to the job (inline here): ready at once
    try:
        return export.request_export(member.id).id
    finally:
        app.config["EXPORT_INLINE_ROWS"] = Config.EXPORT_INLINE_ROWS


def _build_world(app, outbox) -> World:
    admin = factories.member("Adèle Admin", "adele@example.org", admin=True)
    photos.set_photo(admin.id, pictures.photo(120, 120))  # one to remove
    approval = factories.space("La Coopérative", join_policy="approval")
    open_space = factories.space("Le Hangar", join_policy="open")
    coordinator = factories.coordinator(approval, display_name="Colette Coord")
    applicant = factories.member("Anouk Candidate")
    regular = factories.member("Rémi Régulier", "remi@example.org")
    factories.join(regular, open_space)
    unconfirmed = factories.member("Ugo Unconfirmed", "ugo@example.org", confirmed=False)
    # A real request to join: the pending row, and a notification for the coordinator.
    pending = memberships.request_join(applicant.id, approval.id, "Bonjour !")
    accounts.resend_confirmation(unconfirmed.email)
    confirm_token = _link(outbox, "/confirmation/").rsplit("/", 1)[1]
    accounts.request_password_reset(regular.email)
    reset_token = _link(outbox, "/mot-de-passe/nouveau/").rsplit("/", 1)[1]
    # Listings in every state an act starts from, a report and a suspension.
    category = db.session.scalar(select(Category).where(Category.slug == "bricolage"))
    listing = factories.listing(
        regular,
        open_space,
        "Réparation de vélos",
        tags="#vélo",
        mode="remote",
        category_slug=category.slug,
        expires_on=utcnow().date() + timedelta(days=10),
    )
    hidden = factories.listing(regular, open_space, "Annonce masquée")
    acts.hide_listing(admin.id, hidden.id, "Hors sujet")
    held = factories.listing(regular, open_space, "Annonce en relecture")
    held.moderation = "pending"
    db.session.commit()
    suspended = factories.member("Sam Suspendu", "sam@example.org")
    factories.join(suspended, open_space)
    acts.suspend_member(admin.id, suspended.id, "Abus répétés")
    report = reports.report_listing(applicant.id, listing.id, "spam")
    # The exchanges, one in each state a step starts from, and time in the pot.
    partner = factories.member("Paule Partenaire", "paule@example.org")
    factories.join(partner, open_space)
    proposed = lifecycle.propose(partner.id, listing.id, message="Mardi ?", foreseen_minutes=60)
    garden = factories.listing(regular, open_space, "Coup de main au potager")
    accepted = lifecycle.propose(partner.id, garden.id, message="Samedi ?", foreseen_minutes=90)
    lifecycle.accept(regular.id, accepted.id)

    def logged(title: str):
        return direct.log_direct(
            partner.id,
            counterpart_id=regular.id,
            gave=False,
            minutes=45,
            title=title,
            performed_on=None,
        )

    done = logged("Relecture d'un devis")
    disputed = logged("Traduction d'une affiche")
    disputes.dispute(regular.id, disputed.id, "Nous avions dit 30 minutes")
    pot_gift = gifts.give(partner.id, minutes=180, message="Pour la caisse")
    reviewed = logged("Cours de cuisine")
    lifecycle.confirm(regular.id, reviewed.id)
    about_regular = feedback.write(partner.id, reviewed.id, "recommends", "Rémi explique bien")
    about_partner = feedback.write(regular.id, reviewed.id, "neutral", "Paule était pressée")
    acts.hide_feedback(admin.id, about_partner.id, "Hors sujet")
    to_review = logged("Relecture d'un CV")
    lifecycle.confirm(regular.id, to_review.id)
    with_fee, disputed_fee = (
        lifecycle.propose(
            partner.id,
            factories.listing(regular, open_space, title).id,
            message="Dimanche ?",
            foreseen_minutes=60,
        )
        for title in ("Réglage de freins", "Peinture d'un volet")
    )
    with _fees_on_meanwhile(app):
        for made in (with_fee, disputed_fee):
            lifecycle.accept(regular.id, made.id, fee_cents=1250, fee_covers="Pièces détachées")
    lifecycle.log_time(partner.id, disputed_fee.id, minutes=45)
    disputes.dispute(regular.id, disputed_fee.id, "Nous avions dit 30 minutes")
    settings.request_email_change(regular.id, factories.PASSWORD, "remi.ailleurs@example.org")
    to_new = [m for m in outbox if m["To"] == "remi.ailleurs@example.org"]
    email_token = _link(to_new, "/compte/adresse/").rsplit("/", 1)[1]
    failed_email = OutboxEmail(
        to_address=regular.email,
        subject="Un courriel refusé",
        body="Bonjour Rémi",
        message_id="<refuse@archipel.local>",
        status="failed",
        attempts=6,
        last_error="550 5.1.1 No such mailbox here",
    )
    db.session.add(failed_email)
    db.session.commit()
    conversation, _new = threads.start(
        partner.id, regular.id, "Le vélo est-il prêt ?", listing_id=listing.id
    )
    question = db.session.scalar(select(Message).where(Message.conversation_id == conversation.id))
    answer = threads.reply(regular.id, conversation.id, "Oui, samedi.")
    threads.read(partner.id, conversation.id)
    message_report = reports.report_message(regular.id, question.id, "harassment")
    blocks.block(regular.id, suspended.id)  # one to unblock
    given = gifts.give(
        admin.id, for_member_id=regular.id, minutes=30, message="", reason="Appel de Rémi"
    )
    acted_for = db.session.scalars(
        select(ModerationAction).where(
            ModerationAction.action == "acted_for_member", ModerationAction.target_id == given.id
        )
    ).one()
    w = World(
        admin=admin,
        coordinator=coordinator,
        applicant=applicant,
        regular=regular,
        unconfirmed=unconfirmed,
        open_space=open_space,
        approval_space=approval,
        pending=pending,
        confirm_token=confirm_token,
        reset_token=reset_token,
        listing=listing,
        hidden_listing=hidden,
        pending_listing=held,
        suspended=suspended,
        report=report,
        category=category,
        partner=partner,
        proposed=proposed,
        accepted=accepted,
        done=done,
        disputed=disputed,
        pot_gift=pot_gift,
        reviewed=reviewed,
        about_regular=about_regular,
        hidden_feedback=about_partner,
        to_review=to_review,
        with_fee=with_fee,
        disputed_fee=disputed_fee,
        failed_email=failed_email,
        phone_session=accounts.session_id(
            accounts.start_session(regular, user_agent="Firefox sur Android")
        ),
        email_token=email_token,
        regular_export=_prepared_export(app, regular),
        conversation=conversation,
        question=question,
        answer=answer,
        message_report=message_report,
        acted_for=acted_for,
    )
    w.users = {"admin": admin, "coordinator": coordinator, "regular": regular, "partner": partner}
    return w


# --- what each state-changing route takes to really change something ---------------------


@dataclass
class Case:
    actor: str | None  # key in World.users, None for an anonymous visitor
    data: Callable[[World], dict[str, str]]
    changes: tuple[str, ...] = ()  # tables the real request must change (its point)
    # Online fees are off in TestConfig, and a route that talks to Stripe does nothing without
    # them. Such a case names what Stripe's side needs before its real request (given the
    # world and the fake Stripe); the control below then runs it with fees on, against the
    # fake Stripe. The CSRF walk needs none of it: the token is checked before any view runs.
    with_fees: Callable[[World, object], None] | None = None
    config: dict = field(default_factory=dict)  # settings of the app the control requests


def _ready(w: World, fake) -> None:
    """The regular member (the provider of the fees) has a Stripe account ready to be paid."""
    connect.onboarding_url(w.regular.id)
    account = connect.account_of(w.regular.id)
    fake.make_account_ready(account.stripe_id)
    connect.sync(account.stripe_id)


def _paid(w: World, fake) -> None:
    """The partner paid the disputed exchange's fee on Checkout."""
    _ready(w, fake)
    checkout.start_checkout(w.partner.id, w.disputed_fee.id)
    session_id = fees.of_exchange(w.disputed_fee.id).checkout_session_id
    fake.complete_checkout(session_id)
    assert checkout.sync_checkout(session_id).state == "paid"


def _nothing_to_prepare(w: World, fake) -> None:
    """Fees on, nothing on Stripe's side yet."""


EXCHANGE = ("exchanges", "exchange_events")  # a step: the state and the history
LEDGER = ("transfers", "entries", "accounts")  # credits that move

UNSAFE_CASES: dict[str, Case] = {
    "main.mark_read": Case("coordinator", lambda w: {}),
    "auth.signup": Case(
        None,
        lambda w: {
            "display_name": "Nina Nouvelle",
            "email": "nina@example.org",
            "password": "lune-rousse-velo",
        },
    ),
    "auth.confirm_email": Case(None, lambda w: {}),
    "auth.resend_confirmation": Case(None, lambda w: {"email": w.unconfirmed.email}),
    "auth.login": Case(None, lambda w: {"email": w.admin.email, "password": factories.PASSWORD}),
    "auth.logout": Case("admin", lambda w: {}),
    "auth.forgot_password": Case(None, lambda w: {"email": w.regular.email}),
    "auth.reset_password": Case(
        None, lambda w: {"password": "perce-neige-2031", "confirm": "perce-neige-2031"}
    ),
    "members.account_settings": Case(
        "admin",
        lambda w: {
            "current_password": factories.PASSWORD,
            "password": "perce-neige-2031",
            "confirm": "perce-neige-2031",
        },
        ("users", "outbox_emails"),
    ),
    "members.end_session": Case("regular", lambda w: {}, ("login_sessions",)),
    "members.end_other_sessions": Case("regular", lambda w: {}, ("login_sessions",)),
    "members.change_email": Case(
        "admin",
        lambda w: {
            "adresse-email": "adele.ailleurs@example.org",
            "adresse-current_password": factories.PASSWORD,
        },
        ("outbox_emails",),
    ),
    "members.confirm_email_change": Case(None, lambda w: {}, ("users",)),
    "members.upload_photo": Case(
        "regular",
        lambda w: {"photo": (io.BytesIO(pictures.photo(200, 200)), "moi.jpg")},
        ("users",),
    ),
    "members.remove_photo": Case("admin", lambda w: {}, ("users",)),
    # Prepared by a job (a ZIP at once changes nothing to see), then taken.
    "members.export_data": Case(
        "coordinator", lambda w: {}, ("data_exports",), config={"EXPORT_INLINE_ROWS": -1}
    ),
    "members.take_export": Case("regular", lambda w: {}, ("data_exports",)),
    "members.change_language": Case("admin", lambda w: {"langue-locale": "en"}, ("users",)),
    "members.leave": Case(
        "regular", lambda w: {"current_password": factories.PASSWORD}, ("users", "transfers")
    ),
    "admin.erase_member": Case(
        "admin", lambda w: {"reason": "Courriel du 3 décembre"}, ("users", "moderation_actions")
    ),
    "members.edit_profile": Case(
        "admin",
        lambda w: {
            "display_name": "Adèle Piratée",
            "bio": "Modifié par un autre site",
            "skills": "",
            "city": "",
            "languages": "",
            "contact": "",
            "locale": "fr",
        },
    ),
    "spaces.create": Case(
        "admin",
        lambda w: {
            "name": "Lieu Fantôme",
            "city": "Nantes",
            "description": "",
            "join_policy": "open",
        },
    ),
    "spaces.edit": Case(
        "admin",
        lambda w: {"name": "Renommé", "city": "Lille", "description": "", "join_policy": "open"},
    ),
    "spaces.join": Case("admin", lambda w: {"message": ""}),
    "spaces.leave": Case("regular", lambda w: {}),
    "spaces.decide": Case(
        "admin",
        lambda w: {f"m{w.pending.id}-decision": "approve", f"m{w.pending.id}-reason": ""},
    ),
    "spaces.appoint": Case("admin", lambda w: {"email": w.regular.email}),
    "spaces.remove_coordinator": Case(
        "admin", lambda w: {f"c{w.coordinator.id}-reason": "Départ du lieu"}
    ),
    "listings.create": Case("regular", lambda w: _listing_form(w, "Cours de soudure")),
    "listings.edit": Case("regular", lambda w: _listing_form(w, "Réparation de vélos cargos")),
    "listings.change_status": Case("regular", lambda w: {"action": "pause"}),
    "listings.renew": Case("regular", lambda w: {}),
    "moderation.report_listing": Case("coordinator", lambda w: {"reason": "spam"}),
    "moderation.report_message": Case("partner", lambda w: {"reason": "spam"}, ("reports",)),
    "exchanges.write_in_thread": Case(
        "regular", lambda w: {"body": "À samedi"}, ("conversations", "messages")
    ),
    "conversations.reply": Case("regular", lambda w: {"body": "Merci !"}, ("messages",)),
    "conversations.ask": Case(
        "coordinator", lambda w: {"body": "Libre jeudi ?"}, ("conversations", "messages")
    ),
    "conversations.write": Case(
        "regular", lambda w: {"body": "Bonjour Colette"}, ("conversations", "messages")
    ),
    "conversations.block": Case("regular", lambda w: {}, ("blocks",)),
    "members.notification_settings": Case("regular", lambda w: {"waiting": "site"}, ("users",)),
    "conversations.unblock": Case("regular", lambda w: {}, ("blocks",)),
    "conversations.about_dispute": Case(
        "admin",
        lambda w: {"to": str(w.regular.id), "body": "Pouvez-vous préciser ?"},
        ("conversations", "messages", "moderation_actions"),
    ),
    "conversations.about_report": Case(
        "admin",
        lambda w: {"to": str(w.partner.id), "body": "Restons courtois."},
        ("conversations", "messages", "moderation_actions"),
    ),
    "conversations.hide_message": Case(
        "admin", lambda w: {"reason": "Propos blessants"}, ("messages", "moderation_actions")
    ),
    "admin.message_retention": Case("admin", lambda w: {"days": "30"}, ("network_settings",)),
    "moderation.report_member": Case("regular", lambda w: {"reason": "harassment"}),
    "moderation.hide_listing": Case("admin", lambda w: {"reason": "Publicité déguisée"}),
    "moderation.restore_listing": Case("admin", lambda w: {"reason": "Corrigée"}),
    "moderation.approve_listing": Case("admin", lambda w: {}),
    "moderation.request_edit": Case("admin", lambda w: {"reason": "Précisez le lieu"}),
    "moderation.dismiss_report": Case("admin", lambda w: {"reason": "Rien d'anormal"}),
    "moderation.suspend_member": Case("admin", lambda w: {"reason": "Propos blessants"}),
    "moderation.reinstate_member": Case("admin", lambda w: {"reason": "C'est réglé"}),
    # feedback: a party of a confirmed exchange writes, the member reviewed replies, another
    # member reports, a coordinator (here the admin) hides or restores the words
    "feedback.write": Case(
        "regular", lambda w: {"recommendation": "recommends", "comment": "Merci"}, ("feedback",)
    ),
    "feedback.reply": Case("regular", lambda w: {"text": "Merci Paule"}, ("feedback",)),
    "moderation.report_feedback": Case("coordinator", lambda w: {"reason": "spam"}, ("reports",)),
    "moderation.hide_feedback": Case(
        "admin",
        lambda w: {"reason": "Propos blessants", "part": "comment"},
        ("feedback", "moderation_actions"),
    ),
    "moderation.restore_feedback": Case(
        "admin", lambda w: {"reason": "Relu", "part": "comment"}, ("feedback", "moderation_actions")
    ),
    "admin.category_list": Case("admin", lambda w: {"name_fr": "Musique", "name_en": "Music"}),
    "admin.category_update": Case(
        "admin",
        lambda w: {"action": "rename", "name_fr": "Réparations", "name_en": "Repairs"},
    ),
    # exchanges: each step by the party whose turn it is, on an exchange in the right state
    "exchanges.propose": Case(
        "coordinator", lambda w: {"message": "Jeudi ?", "minutes": "1 h"}, EXCHANGE
    ),
    "exchanges.accept": Case("regular", lambda w: {"message": "Avec plaisir"}, EXCHANGE),
    "exchanges.decline": Case("regular", lambda w: {"message": "Pas ce mois-ci"}, EXCHANGE),
    "exchanges.cancel": Case("regular", lambda w: {"message": ""}, EXCHANGE),
    "exchanges.log_time": Case(
        "regular", lambda w: {"minutes": "1 h 30", "performed_on": "", "note": ""}, EXCHANGE
    ),
    "exchanges.confirm": Case("regular", lambda w: {}, (*EXCHANGE, *LEDGER)),
    "exchanges.dispute": Case("regular", lambda w: {"reason": "Vingt minutes, pas 45"}, EXCHANGE),
    "exchanges.resolve": Case(
        "admin",
        lambda w: {"outcome": "confirm", "minutes": "30 min", "reason": "Vu avec eux"},
        (*EXCHANGE, *LEDGER, "moderation_actions"),
    ),
    "exchanges.log_direct": Case(
        "regular",
        lambda w: {
            "direction": "gave",
            "counterpart": str(w.partner.id),
            "title": "Aide au déménagement",
            "minutes": "2 h",
            "performed_on": "",
            "message": "",
        },
        EXCHANGE,
    ),
    # money: a provider opens a Stripe account, the receiver pays on Checkout, the provider
    # says it was paid outside Archipel, a coordinator refunds a paid fee in a dispute
    "payments.connect_start": Case(
        "regular", lambda w: {}, ("stripe_accounts",), with_fees=_nothing_to_prepare
    ),
    "payments.pay": Case("partner", lambda w: {}, ("fees",), with_fees=_ready),
    "payments.settle": Case("regular", lambda w: {}, ("fees", "exchange_events")),
    "payments.refund": Case(
        "admin",
        lambda w: {"reason": "Le matériel n'a pas servi"},
        ("fees", "moderation_actions"),
        with_fees=_paid,
    ),
    # the time account, the pot, the network's rules and corrections
    "account.give": Case(
        "regular", lambda w: {"recipient": "pot", "minutes": "1 h", "message": "Merci"}, LEDGER
    ),
    "account.retribute": Case(
        "admin",
        lambda w: {
            "recipient": str(w.regular.id),
            "minutes": "1 h",
            "reason": "Le wiki du réseau",
        },
        (*LEDGER, "moderation_actions"),
    ),
    # a coordinator (here the admin) acts for the regular member who asked; he contests it
    "moderation.act_gift": Case(
        "admin",
        lambda w: {
            "member": str(w.regular.id),
            "to_pot": "y",
            "minutes": "1 h",
            "reason": "Appel de Rémi",
        },
        (*LEDGER, "moderation_actions"),
    ),
    "moderation.act_log": Case(
        "admin",
        lambda w: {
            "member": str(w.regular.id),
            "direction": "gave",
            "counterpart": str(w.partner.id),
            "title": "Aide au déménagement",
            "minutes": "2 h",
            "performed_on": "",
            "reason": "Appel de Rémi",
        },
        (*EXCHANGE, "moderation_actions"),
    ),
    "moderation.contest_act": Case(
        "regular", lambda w: {"text": "Je n'ai rien demandé"}, ("moderation_actions",)
    ),
    "account.minga_page": Case(
        "admin",
        lambda w: {
            "rows-0-member": str(w.regular.id),
            "rows-0-minutes": "1 h",
            "reason": "Le chantier du hangar",
            "action": "confirmer",
            "previewed": f"{w.regular.id}:60|Le chantier du hangar",
        },
        (*LEDGER, "moderation_actions"),
    ),
    "admin.rules": Case(
        "admin",
        lambda w: {
            "overdraft": "25 h",
            "ceiling": "100 h",
            "welcome_grant": "",
            "reason": "Plus de marge",
        },
        ("network_settings", "moderation_actions"),
    ),
    "admin.correct": Case(
        "admin", lambda w: {"reason": "Donné deux fois"}, (*LEDGER, "moderation_actions")
    ),
    "admin.retry_email": Case("admin", lambda w: {}, ("outbox_emails", "moderation_actions")),
    "admin.retry_all_emails": Case("admin", lambda w: {}, ("outbox_emails", "moderation_actions")),
}


# Routes that take a POST with no CSRF token, each with what guards it instead. Nothing else
# may be exempt: the walk below finds any other route that takes a POST without its token.
CSRF_EXEMPT = {
    # Stripe's servers call it, not a member's browser: no session rides on it, and it cannot
    # carry our token. Its guard is the Stripe-Signature header (an HMAC of the body with the
    # webhook secret, five minutes' tolerance): test_the_stripe_webhook_takes_only_signed_posts.
    "payments.stripe_webhook": "signed by Stripe",
    # A mail client's one-click unsubscribe (RFC 8058) posts without the site's token; the
    # link is signed, names one member and one topic, and only stops emails:
    # test_a_notifications_email_says_why_and_unsubscribes_in_one_click.
    "members.unsubscribe": "a signed link, one click from a mail client",
}


def _listing_form(w: World, title: str) -> dict[str, str]:
    return {
        "kind": "offer",
        "title": title,
        "summary": "Une heure ou deux.",
        "details": "",
        "next_steps": "",
        "tags": "#vélo",
        "category_id": "",
        "mode": "both",
        "space_id": str(w.open_space.id),
        "estimated_hours": "",
        "expires_on": (utcnow().date() + timedelta(days=30)).isoformat(),
    }


def _unsafe_rules(app):
    return [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static" and rule.methods & UNSAFE_METHODS
    ]


def _url(app, rule, world: World) -> str:
    values = world.url_values(rule.endpoint)
    missing = set(rule.arguments) - set(values)
    assert not missing, f"{rule.endpoint}: no value for {sorted(missing)}"
    with app.test_request_context():
        return rule.build({k: values[k] for k in rule.arguments}, append_unknown=False)[1]


class Clients:
    """One client per actor, logged in through the real form (CSRF token included)."""

    def __init__(self, app, world: World):
        self.app, self.world, self._clients = app, world, {}

    def __call__(self, actor: str | None):
        if actor not in self._clients:
            client = self.app.test_client()
            if actor is None:
                client.get("/connexion")  # a visitor who has seen a form: the session has a token
            else:
                login_through_form(client, self.world.users[actor])
            self._clients[actor] = client
        return self._clients[actor]


def test_every_state_changing_route_is_refused_without_a_valid_csrf_token(app, make_app, world):
    csrf_app = make_app(WTF_CSRF_ENABLED=True)
    mails = csrf_app.extensions["archipel.mailer"].outbox
    clients = Clients(csrf_app, world)
    token_of_another_session = page_token(csrf_app.test_client(), logged_in=False)
    for actor in ("admin", "coordinator", "regular", "partner", None):
        clients(actor)  # every log-in happens before the first snapshot

    covered, problems = [], []
    for rule in _unsafe_rules(csrf_app):
        if rule.endpoint in CSRF_EXEMPT:
            # Exempt, so not the CSRF refusal; with fees off not even there: nothing written.
            url = _url(csrf_app, rule, world)
            for actor in ("admin", None):
                where = f"POST {url} as {actor or 'anonymous'} ({CSRF_EXEMPT[rule.endpoint]})"
                before, sent = snapshot(), len(mails)
                response = clients(actor).post(url, data={})
                if CSRF_MESSAGE in response.text or response.status_code != 404:
                    problems.append(f"{where}: status {response.status_code}, not 404")
                if snapshot() != before or len(mails) != sent:
                    problems.append(f"{where}: wrote something")
            covered.append(rule.endpoint)
            continue
        case = UNSAFE_CASES.get(rule.endpoint)
        if case is None:
            problems.append(f"{rule.endpoint} ({rule.rule}): no case in UNSAFE_CASES")
            continue
        url = _url(csrf_app, rule, world)
        for actor in dict.fromkeys([case.actor, "admin"]):
            client = clients(actor)
            for method in sorted(rule.methods & UNSAFE_METHODS):
                for label, extra in (
                    ("no token", {}),
                    ("another session's token", {"csrf_token": token_of_another_session}),
                ):
                    where = f"{method} {url} as {actor or 'anonymous'} with {label}"
                    before, sent = snapshot(), len(mails)
                    response = client.open(url, method=method, data={**case.data(world), **extra})
                    after = snapshot()
                    if response.status_code != 400:
                        problems.append(f"{where}: status {response.status_code}, not 400")
                    elif CSRF_MESSAGE not in response.text:
                        problems.append(f"{where}: 400 but not the CSRF refusal")
                    if before != after:
                        problems.append(f"{where}: changed {changed_tables(before, after)}")
                    if len(mails) != sent:
                        problems.append(f"{where}: sent an email")
        covered.append(rule.endpoint)

    stale = {*UNSAFE_CASES, *CSRF_EXEMPT} - {r.endpoint for r in _unsafe_rules(csrf_app)}
    assert not stale, f"cases for routes that no longer take POST: {sorted(stale)}"
    assert not (set(UNSAFE_CASES) & set(CSRF_EXEMPT)), "a route is either checked or exempt"
    assert not problems, "\n".join(problems)
    assert len(covered) >= 49, covered


@pytest.mark.parametrize("endpoint", sorted(UNSAFE_CASES))
def test_the_same_request_with_the_pages_token_does_take_effect(
    request, app, make_app, world, endpoint
):
    """The control for the walk above: its requests are real ones, refused only for the token."""
    case = UNSAFE_CASES[endpoint]
    stripe = {}
    if case.with_fees is not None:  # fees on, in the test's app and in the one requested
        case.with_fees(world, request.getfixturevalue("fake_stripe"))
        stripe = _fees_config(app)
    csrf_app = make_app(WTF_CSRF_ENABLED=True, **stripe, **case.config)
    mails = csrf_app.extensions["archipel.mailer"].outbox
    client = Clients(csrf_app, world)(case.actor)
    rule = next(r for r in _unsafe_rules(csrf_app) if r.endpoint == endpoint)
    url = _url(csrf_app, rule, world)
    token = page_token(client, logged_in=case.actor is not None)

    before, sent = snapshot(), len(mails)
    response = client.post(url, data={**case.data(world), "csrf_token": token})
    assert CSRF_MESSAGE not in response.text
    assert response.status_code < 500
    after = snapshot()
    assert after != before or len(mails) > sent, f"POST {url} changed nothing"
    missed = set(case.changes) - set(changed_tables(before, after))
    assert not missed, f"POST {url} left {sorted(missed)} as they were ({response.status_code})"


def test_the_stripe_webhook_takes_only_signed_posts(app, make_app, fake_stripe):
    """CSRF-exempt (CSRF_EXEMPT), so its signature is its guard: unsigned, signed with another
    secret or too old, a POST gets 400 and writes nothing; signed by Stripe, it is taken."""
    hook_app = make_app(WTF_CSRF_ENABLED=True, **_fees_config(app))
    client = hook_app.test_client()
    payload = json.dumps(
        fake_stripe.event("account.updated", {"id": "acct_1", "object": "account"})
    )
    refused = {
        "no signature": {},
        "an empty signature": {"Stripe-Signature": ""},
        "another secret": {"Stripe-Signature": sign(payload, "whsec_someone_else")},
        "six minutes old": {
            "Stripe-Signature": sign(payload, WEBHOOK_SECRET, int(time.time()) - 360)
        },
    }
    for label, headers in refused.items():
        before = snapshot()
        response = client.post(
            "/webhooks/stripe", data=payload, headers=headers, content_type="application/json"
        )
        response.close()  # whatever would run after the answer runs now
        assert response.status_code == 400, label
        assert CSRF_MESSAGE not in response.text, label
        assert snapshot() == before, f"{label}: changed {changed_tables(before, snapshot())}"

    signed = client.post(
        "/webhooks/stripe",
        data=payload,
        headers={"Stripe-Signature": sign(payload, WEBHOOK_SECRET)},
        content_type="application/json",
    )
    assert signed.status_code == 200  # no CSRF token, and rightly taken
    # (left open: its handling after the answer, asking Stripe for acct_1, is not this test's)
    db.session.expire_all()
    assert [e.type for e in db.session.scalars(select(StripeEvent))] == ["account.updated"]


# --- reading never writes ------------------------------------------------------------------


# Pages each walker must really read (200, not a refusal), so the walk proves something of them.
ACCOUNT_PAGES = ("account.statement", "account.statement_csv", "account.give", "account.pot")
MONEY_PAGES = ("payments.money", "payments.money_csv")  # every member's to read
READ_BY = {
    None: {"listings.search", "listings.show", "members.profile", "spaces.show", "feedback.about"},
    "regular": {
        "listings.search",
        "listings.show",
        "listings.create",
        "listings.edit",
        "listings.mine",
        "moderation.report_member",
        "moderation.about_me",
        *ACCOUNT_PAGES,
        *MONEY_PAGES,
        "exchanges.index",
        "exchanges.show",  # a party
        "exchanges.log_direct",
        "feedback.write",  # a party of a confirmed exchange, nothing written yet
        "feedback.about",
        "moderation.report_feedback",  # about them, by the partner: theirs to report too
    },
    "coordinator": {
        "listings.show",
        "listings.create",
        "listings.mine",
        "moderation.index",
        "moderation.report_listing",
        "spaces.requests",
        *ACCOUNT_PAGES,
        *MONEY_PAGES,
        "account.retribute",
        "exchanges.index",
        "exchanges.propose",  # the regular member's offer
        "exchanges.log_direct",
        "feedback.about",
        "moderation.report_feedback",
    },
    "admin": {
        "listings.show",
        "listings.mine",
        "moderation.index",
        "moderation.about_me",
        "moderation.report_listing",
        "moderation.report_member",
        "admin.category_list",
        "admin.rules",
        "admin.transfers",
        # no "account.give": the admin is in no space, and is sent to join one first
        "account.statement",
        "account.statement_csv",
        "account.pot",
        *MONEY_PAGES,
        "account.retribute",
        "exchanges.index",
        "exchanges.show",  # the dispute: the admin may settle it
        "feedback.about",
        "moderation.report_feedback",
    },
}


@pytest.mark.parametrize("actor", [None, "regular", "coordinator", "admin"])
def test_reading_any_page_changes_nothing_in_the_database(app, client, auth, world, actor):
    if actor is not None:
        assert auth.login(world.users[actor]).status_code == 302
    covered, problems = [], []
    before = snapshot()
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        url = _url(app, rule, world)
        for suffix in ("", "?lang=en", *world.queries(rule.endpoint)):
            response = client.get(url + suffix)
            response.get_data()  # a streamed body (the CSV) is read to its end, as a browser does
            if response.status_code >= 500:
                problems.append(f"GET {url}{suffix}: {response.status_code}")
            elif rule.endpoint in READ_BY[actor] and response.status_code != 200:
                problems.append(f"GET {url}{suffix}: {response.status_code}, not the page")
            after = snapshot()
            if after != before:
                problems.append(f"GET {url}{suffix} changed {changed_tables(before, after)}")
                before = after
        covered.append(rule.endpoint)
    assert not problems, "\n".join(problems)
    assert len(covered) >= 37, covered
    # The links in emails were opened and are still unused: a mail scanner's GET is harmless.
    db.session.expire_all()
    assert not world.unconfirmed.email_confirmed
    assert accounts.check_reset_token(world.reset_token) == world.regular


# --- headers and cookies -------------------------------------------------------------------

PAGES = {
    "html page": ("GET", "/", 200),
    "404 page": ("GET", "/page-qui-nexiste-pas", 404),
    "unknown member": ("GET", "/membres/987654", 404),
    "static file": ("GET", "/static/css/archipel.css", 200),
    "redirect": ("GET", "/profil", 302),
    "wrong method": ("GET", "/deconnexion", 405),
    "form error": ("POST", "/connexion", 400),
}


def _fetch(client, name: str):
    method, path, status = PAGES[name]
    response = client.open(path, method=method, data={} if method == "POST" else None)
    assert response.status_code == status, name
    return response


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_response_carries_the_protective_headers(client, name):
    response = _fetch(client, name)
    csp = response.headers.get("Content-Security-Policy", "")
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp, (name, csp)
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
    assert response.headers.get("X-Frame-Options") == "DENY"
    # Plain HTTP in tests and development: HSTS would pin a browser to an https that is not there.
    assert "Strict-Transport-Security" not in response.headers


@pytest.mark.parametrize("name", sorted(PAGES))
def test_hsts_is_sent_on_every_response_when_enabled(app, make_app, name):
    secure_app = make_app(HSTS=True, SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True)
    response = _fetch(secure_app.test_client(), name)
    hsts = response.headers.get("Strict-Transport-Security", "")
    match = re.search(r"max-age=(\d+)", hsts)
    assert match and int(match.group(1)) >= 365 * 24 * 3600, hsts


def test_with_https_settings_the_log_in_cookies_are_secure_httponly_and_lax(app, make_app):
    member = factories.member(email="sam@example.org")
    secure_app = make_app(HSTS=True, SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True)
    client = secure_app.test_client()
    response = client.post(
        "/connexion",
        data={"email": member.email, "password": factories.PASSWORD, "remember": "y"},
        base_url="https://localhost",
    )
    assert response.status_code == 302
    cookies = set_cookies(response)
    for name in ("archipel_session", "archipel_remember"):
        assert name in cookies, cookies
        assert {"secure", "httponly", "samesite=lax"} <= cookies[name], (name, cookies[name])


def test_the_session_cookie_is_httponly_and_lax_in_tests_too(client, member):
    response = client.post(
        "/connexion",
        data={"email": member.email, "password": factories.PASSWORD, "remember": "y"},
    )
    assert response.status_code == 302
    cookies = set_cookies(response)
    for name in ("archipel_session", "archipel_remember"):
        assert {"httponly", "samesite=lax"} <= cookies[name], (name, cookies[name])
        assert "secure" not in cookies[name]  # plain http here; a Secure cookie would be lost


# --- production configuration --------------------------------------------------------------


@pytest.mark.parametrize("secret", [None, ""])
def test_production_refuses_to_start_without_a_secret_key(migrated, secret):
    class ProdConfig(Config):
        ENV_NAME = "production"
        SECRET_KEY = secret
        SQLALCHEMY_DATABASE_URI = migrated

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProdConfig)


def test_production_refuses_to_start_without_base_url(migrated):
    class ProdConfig(Config):
        ENV_NAME = "production"
        SECRET_KEY = "x" * 64
        BASE_URL = ""
        SQLALCHEMY_DATABASE_URI = migrated

    with pytest.raises(RuntimeError, match="BASE_URL"):
        create_app(ProdConfig)
    ProdConfig.BASE_URL = "https://archipel.example.org"
    assert create_app(ProdConfig).config["BASE_URL"] == "https://archipel.example.org"


def test_email_links_ignore_a_forged_host_header(app, make_app):
    # `app` empties the tables afterwards: the member made here must not outlive the test.
    production_like = make_app(BASE_URL="https://archipel.example.org")
    with production_like.app_context():
        member = factories.member("Léa", email="lea@example.org")
        client = production_like.test_client()
        client.post(
            "/mot-de-passe/oublie", data={"email": member.email}, headers={"Host": "evil.example"}
        )
        body = production_like.extensions["archipel.mailer"].outbox[0].get_content()
    assert "https://archipel.example.org/mot-de-passe/nouveau/" in body
    assert "evil.example" not in body


_PRINT_DEFAULTS = """
from exchange import create_app
from exchange.config import Config
app = create_app(Config, SQLALCHEMY_DATABASE_URI="sqlite://")
response = app.test_client().get("/page-qui-nexiste-pas")
print(Config.SESSION_COOKIE_SECURE, Config.REMEMBER_COOKIE_SECURE, Config.HSTS,
      "Strict-Transport-Security" in response.headers)
"""


@pytest.mark.parametrize(
    ("env_name", "expected"),
    [("production", "True True True True"), ("development", "False False False False")],
)
def test_production_defaults_give_secure_cookies_and_hsts(env_name, expected):
    # Decided when exchange.config is imported, from ARCHIPEL_ENV: only a fresh process shows it.
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SESSION_COOKIE_SECURE", "DATABASE_URL", "ARCHIPEL_ENV"}
    }
    env.update(ARCHIPEL_ENV=env_name, SECRET_KEY="x" * 64, BASE_URL="https://archipel.example.org")
    result = subprocess.run(
        [sys.executable, "-c", _PRINT_DEFAULTS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == expected
