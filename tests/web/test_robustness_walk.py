"""The robustness walk: every route of the app gets what a browser or a careless client may
send (line breaks of every kind, emoji, NUL, a 1 MB value, a file part, duplicated keys,
negative, huge and decimal numbers, dates at the edge of the calendar), as a person who may
use the route. Never a 500; and every refusal (4xx) leaves the database as it was.

A new route without an entry in WALK makes `test_every_route_is_walked` fail. The world, its
people and their ids come from the access matrix (test_access.py): built once, and copied
back before a route when the last one changed something. Each route's first request is its
form as a person types it, CRLF and emoji included, which must be taken; the harms follow.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from sqlalchemy import select, text

from models import LoginSession, db
from models.base import utcnow
from tests import factories, pictures
from tests.conftest import AuthActions, _empty_tables
from tests.web.test_access import _WORLDS, NEW_PASSWORD, _fingerprint


class Kind(str):
    """A field's value in WALK, marked with what the field holds."""


class Text(Kind):
    """Typed text: gets every kind of line break, emoji, NUL, 1 MB."""


class Number(Kind):
    """A number, an amount or a duration: gets negative, huge and decimal numbers."""


class Id(Number):
    """A select whose options are ids: gets numbers too."""


class Day(Kind):
    """A date: gets the edges of the calendar and days that do not exist."""


class Picture(Kind):
    """A file field: typed, a real photo (tests/pictures.py); the harms send text in its place,
    or another file."""


@dataclass(frozen=True)
class Walk:
    path: str
    role: str = "member"
    data: dict[str, str] = field(default_factory=dict)
    needs: tuple[str, ...] | None = None  # None: the walk's whole world (NEEDS)
    refused: bool = False  # the typed form is refused too (fees off): only no 500 is asked


# The world every route is walked in (see test_access.build_world); a pending listing is not
# in it: its space pre-moderates from then on, so the exchanges' listings would wait too.
NEEDS = (
    "log",
    "tokens",
    "session",
    "email_token",
    "listing",
    "report",
    "member_report",
    "coordinators_listing",
    "hidden_listing",
    "paused_listing",
    "expired_listing",
    "suspended",
    "category",
    "proposed_exchange",
    "accepted_exchange",
    "done_exchange",
    "disputed_exchange",
    "confirmed_exchange",
    "fee_exchange",
    "disputed_fee_exchange",
    "transfer",
    "pot_funds",
    "feedback",
    "hidden_feedback",
    "feedback_report",
    "failed_email",
    "conversation",
    "message_report",
    "acted_for",
)

ACT = {"reason": Text("Motif de l'acte"), "next": Text("/moderation")}
SPACE = {
    "name": Text("La Ruche du Port"),
    "city": Text("Lyon"),
    "description": Text("Un lieu."),
    "join_policy": "approval",
    "premoderation": "y",
}
LISTING = {
    "kind": "request",
    "title": Text("Cours de soudure"),
    "summary": Text("Deux heures pour débuter."),
    "details": Text("Apportez des gants."),
    "next_steps": Text("Un café au lieu."),
    "tags": Text("#soudure, #métal"),
    "category_id": Id("{category}"),
    "mode": "both",
    "space_id": Id("{A}"),
    "estimated_hours": Number("2 h"),
    "expires_on": Day("{in_a_month}"),
}
FEE = {"fee_amount": Number(""), "fee_covers": ""}  # fees are off: none asked
CATEGORY = {"name_fr": Text("Apiculture"), "name_en": Text("Beekeeping")}

WALK: dict[tuple[str, str], Walk] = {
    # pages: every query string key the app reads gets the query payloads
    **{
        (endpoint, "GET"): Walk(path, role)
        for endpoint, path, role in (
            ("main.index", "/", "member"),
            ("main.notification_list", "/notifications", "member"),
            ("members.directory", "/membres", "member"),
            ("members.profile", "/membres/{member}", "member"),
            ("members.edit_profile", "/profil", "member"),
            ("members.account_settings", "/compte/reglages", "member"),
            ("members.leave", "/compte/supprimer", "member"),
            ("members.first_steps", "/premiers-pas", "member"),
            ("members.suggestions", "/membres/suggestions", "member"),
            ("admin.erase_member", "/admin/membres/{member}/supprimer", "admin"),
            ("members.photo", "/photos/{member}/small/0123456789abcdef.webp", "anonymous"),
            ("members.confirm_email_change", "/compte/adresse/{email_token}", "anonymous"),
            ("spaces.index", "/lieux", "member"),
            ("spaces.show", "/lieux/{A}", "member"),
            ("spaces.create", "/lieux/nouveau", "admin"),
            ("spaces.edit", "/lieux/{A}/modifier", "coordinator_a"),
            ("spaces.requests", "/lieux/{A}/demandes", "coordinator_a"),
            ("moderation.index", "/moderation", "coordinator_a"),
            ("moderation.about_me", "/moderation/me-concernant", "member"),
            ("moderation.report_listing", "/annonces/{listing}/signaler", "coordinator_b"),
            ("moderation.report_member", "/membres/{member}/signaler", "coordinator_b"),
            ("moderation.report_feedback", "/retours/{about_member}/signaler", "member"),
            ("listings.search", "/annonces", "member"),
            ("listings.show", "/annonces/{listing}", "member"),
            ("listings.create", "/annonces/nouvelle", "member"),
            ("listings.edit", "/annonces/{listing}/modifier", "member"),
            ("listings.mine", "/mes-annonces", "member"),
            ("exchanges.index", "/echanges", "member"),
            ("exchanges.show", "/echanges/{accepted_exchange}", "member"),
            ("exchanges.log_direct", "/echanges/declarer", "member"),
            ("exchanges.propose", "/annonces/{listing}/proposer", "other_member"),
            ("feedback.write", "/echanges/{confirmed_exchange}/retour", "member"),
            ("feedback.about", "/membres/{member}/retours", "member"),
            ("feedback.to_write", "/echanges/retours-a-ecrire", "member"),
            ("account.statement", "/compte", "member"),
            ("account.statement_csv", "/compte/releve.csv", "member"),
            ("account.give", "/compte/donner", "member"),
            ("account.pot", "/caisse-commune", "member"),
            ("account.retribute", "/caisse-commune/retribuer", "coordinator_a"),
            ("account.minga_page", "/caisse-commune/minga", "coordinator_a"),
            ("moderation.act_gift", "/moderation/agir/don", "coordinator_a"),
            ("moderation.act_log", "/moderation/agir/declarer", "coordinator_a"),
            ("payments.money", "/caisse-commune/argent", "member"),
            ("payments.money_csv", "/caisse-commune/argent.csv", "member"),
            ("payments.connect_refresh", "/compte/paiements/relancer", "member"),
            ("payments.connect_return", "/compte/paiements/retour", "member"),
            ("payments.checkout_return", "/echanges/{fee_exchange}/frais/paye", "other_member"),
            ("admin.category_list", "/admin/categories", "admin"),
            ("admin.rules", "/admin/reglages", "admin"),
            ("admin.transfers", "/admin/mouvements", "admin"),
            ("admin.emails", "/admin/courriels", "admin"),
            ("conversations.index", "/messages", "member"),
            ("members.notification_settings", "/compte/notifications", "member"),
            ("members.unsubscribe_page", "/desabonnement/{unsubscribe_token}", "anonymous"),
            ("conversations.show", "/messages/{conversation}", "member"),
            ("conversations.ask", "/annonces/{listing}/question", "other_member"),
            ("conversations.write", "/membres/{member}/ecrire", "other_member"),
            (
                "moderation.report_message",
                "/messages/{conversation}/{answer}/signaler",
                "other_member",
            ),
            (
                "conversations.about_report",
                "/moderation/signalements/{message_report}/ecrire",
                "coordinator_a",
            ),
            (
                "conversations.about_dispute",
                "/echanges/{disputed_exchange}/coordination",
                "coordinator_a",
            ),
            ("auth.signup", "/inscription", "anonymous"),
            ("auth.login", "/connexion", "anonymous"),
            ("auth.forgot_password", "/mot-de-passe/oublie", "anonymous"),
            ("auth.confirm_email", "/confirmation/{confirm_token}", "anonymous"),
            ("auth.reset_password", "/mot-de-passe/nouveau/{reset_token}", "anonymous"),
        )
    },
    # forms
    ("main.mark_read", "POST"): Walk("/notifications/lues"),
    ("conversations.reply", "POST"): Walk(
        "/messages/{conversation}/repondre", data={"body": Text("Merci, à jeudi !")}
    ),
    ("conversations.ask", "POST"): Walk(
        "/annonces/{listing}/question", "other_member", {"body": Text("Libre samedi ?")}
    ),
    ("conversations.write", "POST"): Walk(
        "/membres/{member}/ecrire", "other_member", {"body": Text("Bonjour Mila")}
    ),
    ("exchanges.write_in_thread", "POST"): Walk(
        "/echanges/{accepted_exchange}/messages", data={"body": Text("Je viens à 10 h.")}
    ),
    ("conversations.block", "POST"): Walk("/membres/{other_member}/bloquer"),
    ("members.unsubscribe", "POST"): Walk(
        "/desabonnement/{unsubscribe_token}", "anonymous", {"List-Unsubscribe": "One-Click"}
    ),
    ("members.notification_settings", "POST"): Walk(
        "/compte/notifications", data={"waiting": "site", "messages": "off", "ledger": "email"}
    ),
    ("conversations.unblock", "POST"): Walk("/membres/{other_member}/debloquer"),
    ("moderation.report_message", "POST"): Walk(
        "/messages/{conversation}/{answer}/signaler",
        "other_member",
        {"reason": "spam", "text": Text("Pub.")},
    ),
    ("conversations.hide_message", "POST"): Walk(
        "/moderation/messages/{message}/masquer", "coordinator_a", ACT
    ),
    ("conversations.about_report", "POST"): Walk(
        "/moderation/signalements/{message_report}/ecrire",
        "coordinator_a",
        {"to": Id("{other_member}"), "body": Text("Restons courtois.")},
    ),
    ("conversations.about_dispute", "POST"): Walk(
        "/echanges/{disputed_exchange}/coordination",
        "coordinator_a",
        {"to": Id("{member}"), "body": Text("Pouvez-vous préciser ?")},
    ),
    ("admin.message_retention", "POST"): Walk(
        "/admin/reglages/messages", "admin", {"days": Number("365")}
    ),
    ("members.edit_profile", "POST"): Walk(
        "/profil",
        data={
            "display_name": Text("Mila M."),
            "bio": Text("Je répare des vélos."),
            "skills": Text("vélo, soudure"),
            "city": Text("Lyon"),
            "languages": Text("français"),
            "contact": Text("Le jeudi"),
            "locale": "fr",
        },
    ),
    ("members.account_settings", "POST"): Walk(
        "/compte/reglages",
        data={
            "current_password": Text(factories.PASSWORD),
            "password": Text(NEW_PASSWORD),
            "confirm": Text(NEW_PASSWORD),
        },
    ),
    ("members.upload_photo", "POST"): Walk("/profil/photo", data={"photo": Picture("")}),
    ("members.remove_photo", "POST"): Walk("/profil/photo/supprimer"),
    ("members.export_data", "POST"): Walk("/compte/donnees"),
    ("members.change_language", "POST"): Walk(
        "/compte/reglages/langue", data={"langue-locale": "en"}
    ),
    ("members.leave", "POST"): Walk(
        "/compte/supprimer", data={"current_password": Text(factories.PASSWORD)}
    ),
    ("admin.erase_member", "POST"): Walk(
        "/admin/membres/{member}/supprimer", "admin", {"reason": Text("Courriel du 3 décembre")}
    ),
    ("members.take_export", "POST"): Walk("/compte/donnees/{export}", needs=("export",)),
    ("members.end_session", "POST"): Walk("/compte/reglages/sessions/{member_session}/fermer"),
    ("members.end_other_sessions", "POST"): Walk("/compte/reglages/sessions/fermer-les-autres"),
    ("members.change_email", "POST"): Walk(
        "/compte/reglages/adresse",
        data={
            "adresse-email": Text("mila.ailleurs@example.org"),
            "adresse-current_password": Text(factories.PASSWORD),
        },
    ),
    ("members.confirm_email_change", "POST"): Walk("/compte/adresse/{email_token}", "anonymous"),
    ("spaces.create", "POST"): Walk("/lieux/nouveau", "admin", SPACE),
    ("spaces.edit", "POST"): Walk("/lieux/{A}/modifier", "coordinator_a", SPACE),
    ("spaces.join", "POST"): Walk("/lieux/{B}/rejoindre", data={"message": Text("Bonjour !")}),
    ("spaces.leave", "POST"): Walk("/lieux/{A}/quitter"),
    ("spaces.decide", "POST"): Walk(
        "/lieux/{A}/demandes/{pending}",
        "coordinator_a",
        {"m{pending}-decision": "decline", "m{pending}-reason": Text("Lieu complet")},
    ),
    ("spaces.appoint", "POST"): Walk(
        "/lieux/{A}/coordinateurs", "admin", {"email": Text("{member_email}")}
    ),
    ("spaces.remove_coordinator", "POST"): Walk(
        "/lieux/{A}/coordinateurs/{coordinator_a}/retirer",
        "admin",
        {"c{coordinator_a}-reason": Text("Absente depuis six mois")},
    ),
    ("moderation.report_listing", "POST"): Walk(
        "/annonces/{listing}/signaler",
        "coordinator_b",
        {"reason": "misleading", "text": Text("Faux.")},
    ),
    ("moderation.report_member", "POST"): Walk(
        "/membres/{member}/signaler", "coordinator_b", {"reason": "spam", "text": Text("Pub.")}
    ),
    ("moderation.report_feedback", "POST"): Walk(
        "/retours/{about_member}/signaler", data={"reason": "misleading", "text": Text("Faux.")}
    ),
    ("moderation.hide_listing", "POST"): Walk(
        "/moderation/annonces/{listing}/masquer", "coordinator_a", ACT
    ),
    ("moderation.restore_listing", "POST"): Walk(
        "/moderation/annonces/{hidden_listing}/retablir", "coordinator_a", ACT
    ),
    ("moderation.approve_listing", "POST"): Walk(
        "/moderation/annonces/{pending_listing}/approuver",
        "coordinator_a",
        ACT,
        needs=("pending_listing",),
    ),
    ("moderation.request_edit", "POST"): Walk(
        "/moderation/annonces/{listing}/demander-modification", "coordinator_a", ACT
    ),
    ("moderation.dismiss_report", "POST"): Walk(
        "/moderation/signalements/{report}/classer", "coordinator_a", ACT
    ),
    ("moderation.suspend_member", "POST"): Walk(
        "/moderation/membres/{member}/suspendre", "coordinator_a", ACT
    ),
    ("moderation.reinstate_member", "POST"): Walk(
        "/moderation/membres/{suspended}/reintegrer", "coordinator_a", ACT
    ),
    ("moderation.hide_feedback", "POST"): Walk(
        "/moderation/retours/{about_other}/masquer", "coordinator_a", {**ACT, "part": "comment"}
    ),
    ("moderation.restore_feedback", "POST"): Walk(
        "/moderation/retours/{about_member}/retablir", "coordinator_a", {**ACT, "part": "comment"}
    ),
    ("listings.create", "POST"): Walk("/annonces/nouvelle", data=LISTING),
    ("listings.edit", "POST"): Walk("/annonces/{listing}/modifier", data=LISTING),
    ("listings.change_status", "POST"): Walk("/annonces/{listing}/etat", data={"action": "pause"}),
    ("listings.renew", "POST"): Walk("/annonces/{expired_listing}/renouveler"),
    ("exchanges.propose", "POST"): Walk(
        "/annonces/{listing}/proposer",
        "other_member",
        {"message": Text("Je peux passer samedi"), "minutes": Number("1 h 30")},
    ),
    ("exchanges.accept", "POST"): Walk(
        "/echanges/{proposed_exchange}/accepter", data={"message": Text("Avec plaisir"), **FEE}
    ),
    ("exchanges.decline", "POST"): Walk(
        "/echanges/{proposed_exchange}/decliner", data={"message": Text("Pas ce mois-ci")}
    ),
    ("exchanges.cancel", "POST"): Walk(
        "/echanges/{proposed_exchange}/annuler", data={"message": Text("Empêchée")}
    ),
    ("exchanges.log_time", "POST"): Walk(
        "/echanges/{accepted_exchange}/temps",
        data={
            "minutes": Number("1 h 15"),
            "performed_on": Day("{yesterday}"),
            "note": Text("Fait"),
            **FEE,
        },
    ),
    ("exchanges.confirm", "POST"): Walk("/echanges/{done_exchange}/confirmer"),
    ("exchanges.dispute", "POST"): Walk(
        "/echanges/{done_exchange}/contester", data={"reason": Text("Une heure, pas deux")}
    ),
    ("exchanges.resolve", "POST"): Walk(
        "/echanges/{disputed_exchange}/trancher",
        "coordinator_a",
        {"outcome": "confirm", "minutes": Number("1 h"), "reason": Text("Vu avec les deux")},
    ),
    ("exchanges.log_direct", "POST"): Walk(
        "/echanges/declarer",
        data={
            "direction": "gave",
            "counterpart": Id("{coordinator_a}"),
            "title": Text("Relecture d'un devis"),
            "minutes": Number("2 h"),
            "performed_on": Day("{yesterday}"),
            "message": Text("Merci"),
            **FEE,
        },
    ),
    ("feedback.write", "POST"): Walk(
        "/echanges/{confirmed_exchange}/retour",
        data={
            "recommendation": "recommends",
            "comment": Text("Un échange limpide"),
        },
        needs=("confirmed_exchange",),  # nobody has written yet
    ),
    ("feedback.reply", "POST"): Walk(
        "/retours/{about_member}/repondre", data={"text": Text("Merci Otto")}
    ),
    ("account.give", "POST"): Walk(
        "/compte/donner",
        data={
            "recipient": Id("{coordinator_a}"),
            "minutes": Number("1 h"),
            "message": Text("Merci"),
            "request_key": Text("cle-du-formulaire"),
        },
    ),
    ("account.retribute", "POST"): Walk(
        "/caisse-commune/retribuer",
        "coordinator_a",
        {
            "recipient": Id("{member}"),
            "minutes": Number("2 h"),
            "reason": Text("Atelier ouvert à tous"),
            "request_key": Text("cle-du-formulaire"),
        },
    ),
    ("account.minga_page", "POST"): Walk(
        "/caisse-commune/minga",
        "coordinator_a",
        {
            "rows-0-member": Id("{member}"),
            "rows-0-member_name": Text("Mila Membre"),
            "rows-0-minutes": Number("2 h"),
            "rows-1-member_name": Text(""),
            "rows-1-minutes": Number(""),
            "reason": Text("Chantier participatif du jeudi"),
            "request_key": Text("cle-de-la-minga"),
            "action": "confirmer",
            "previewed": Text("{member}:120|Chantier participatif du jeudi"),
        },
    ),
    ("moderation.act_gift", "POST"): Walk(
        "/moderation/agir/don",
        "coordinator_a",
        {
            "member": Id("{member}"),
            "recipient": Id("{other_member}"),
            "minutes": Number("1 h"),
            "message": Text("Merci Otto"),
            "reason": Text("Appel de Mila jeudi"),
            "request_key": Text("cle-du-formulaire"),
        },
    ),
    ("moderation.act_log", "POST"): Walk(
        "/moderation/agir/declarer",
        "coordinator_a",
        {
            "member": Id("{member}"),
            "direction": "received",
            "counterpart": Id("{other_member}"),
            "title": Text("Relecture d'un devis"),
            "minutes": Number("2 h"),
            "performed_on": Day("{yesterday}"),
            "message": Text("Merci"),
            "reason": Text("Appel de Mila jeudi"),
        },
    ),
    ("moderation.contest_act", "POST"): Walk(
        "/compte/actes/{acted_for}/contester", data={"text": Text("Je n'ai rien demandé")}
    ),
    ("payments.stripe_webhook", "POST"): Walk(
        "/webhooks/stripe", "anonymous", {"id": Text("evt_1")}, refused=True
    ),
    ("payments.connect_start", "POST"): Walk("/compte/paiements/connecter", refused=True),
    ("payments.pay", "POST"): Walk(
        "/echanges/{fee_exchange}/frais/payer", "other_member", refused=True
    ),
    ("payments.settle", "POST"): Walk("/echanges/{fee_exchange}/frais/regle"),
    ("payments.refund", "POST"): Walk(
        "/echanges/{disputed_fee_exchange}/frais/rembourser",
        "coordinator_a",
        {"reason": Text("Le matériel n'a pas servi")},
        refused=True,
    ),
    ("admin.category_list", "POST"): Walk("/admin/categories", "admin", CATEGORY),
    ("admin.category_update", "POST"): Walk(
        "/admin/categories/{category}", "admin", {"action": "rename", **CATEGORY}
    ),
    ("admin.rules", "POST"): Walk(
        "/admin/reglages",
        "admin",
        {
            "overdraft": Number("30 h"),
            "ceiling": Number("120 h"),
            "welcome_grant": Number("2 h"),
            "fee_cap": Number("40"),
            "commons": Number("5"),
            "reason": Text("Plus de souplesse"),
        },
    ),
    ("admin.correct", "POST"): Walk(
        "/admin/mouvements/{transfer}/corriger", "admin", {"reason": Text("Donné deux fois")}
    ),
    ("admin.retry_email", "POST"): Walk("/admin/courriels/{failed_email}/renvoyer", "admin"),
    ("admin.retry_all_emails", "POST"): Walk("/admin/courriels/renvoyer", "admin"),
    ("auth.signup", "POST"): Walk(
        "/inscription",
        "anonymous",
        {
            "display_name": Text("Zoé Neuve"),
            "email": Text("zoe@example.org"),
            "password": Text(NEW_PASSWORD),
        },
    ),
    ("auth.confirm_email", "POST"): Walk("/confirmation/{confirm_token}", "anonymous"),
    ("auth.resend_confirmation", "POST"): Walk(
        "/confirmation/renvoyer", "anonymous", {"email": Text("{newcomer_email}")}
    ),
    ("auth.login", "POST"): Walk(
        "/connexion",
        "anonymous",
        {
            "email": Text("{applicant_email}"),
            "password": Text(factories.PASSWORD),
            "remember": "y",
        },
    ),
    ("auth.logout", "POST"): Walk("/deconnexion"),
    ("auth.forgot_password", "POST"): Walk(
        "/mot-de-passe/oublie", "anonymous", {"email": Text("{applicant_email}")}
    ),
    ("auth.reset_password", "POST"): Walk(
        "/mot-de-passe/nouveau/{reset_token}",
        "anonymous",
        {"password": Text(NEW_PASSWORD), "confirm": Text(NEW_PASSWORD)},
    ),
}


# --------------------------------------------------------------------------- what is sent

MB = "x" * 1_000_000  # under the form memory limit (1 MiB), over every field's length


def _typed(value: str) -> str:
    """Typed as a person would, on the world as built: the first space of a text becomes the
    line break a browser sends (CRLF), the next one an emoji; the route must take it (< 400).
    A three-line summary stays within its three lines, an address or a password unchanged."""
    return value.replace(" ", "\r\n", 1).replace(" ", " 👩🏽‍🔧 ", 1)


# Then what a careless client sends, on whatever state the last request left.
ENDINGS = {
    "crlf": "\r\nseconde ligne",
    "cr": "\rseconde ligne",
    "separators": "\u2028a\u2029b\x85c\x0bd\x0ce\x1cf\x1dg\x1eh\tî",
    "emoji": " 🌱👩🏽‍🔧🇫🇷",
    "nul": "\x00",
}
NUMBERS = ["-5", "0", "99999999999999999999", "1,5", "0.001", "1e308", "NaN", "٣", " 1 h "]
DAYS = ["0001-01-01", "9999-12-31", "2026-02-30", "0000-00-00", "99999-01-01", "31/12/2026"]
QUERY_KEYS = (
    "q", "type", "lieu", "categorie", "tag", "mode", "ville", "tri", "page", "du", "au",
    "membre", "a", "next", "email", "competence", "session_id", "frais", "etat", "lang",
    "avant", "apres", "pour",
)  # fmt: skip


def _file() -> tuple[io.BytesIO, str, str]:
    return io.BytesIO(b"%PDF-1.4\n\x00\xff binary"), "piece.pdf", "application/pdf"


def _form_payloads(data: dict[str, str]) -> list[tuple[str, dict]]:
    """(name, form) pairs for one route, each harm in every field it fits, one request each."""
    texts = [k for k, v in data.items() if isinstance(v, Text)]
    numbers = [k for k, v in data.items() if isinstance(v, Number)]
    days = [k for k, v in data.items() if isinstance(v, Day)]

    def with_(keys, make) -> dict:
        return {k: (make(v) if k in keys else v) for k, v in data.items()}

    files = [k for k, v in data.items() if isinstance(v, Picture)]
    photo = pictures.photo(300, 200)
    typed = with_(texts, _typed)
    sent = [("typed", {**typed, **{k: (io.BytesIO(photo), "photo.jpg") for k in files}})]
    sent += [(name, with_(texts, lambda v, e=e: v + e)) for name, e in ENDINGS.items() if texts]
    sent += [(f"1 MB in {k}", with_([k], lambda _v: MB)) for k in (texts + numbers)[:2]]
    sent.append(("file", with_(list(data), lambda _v: _file()) if data else {"piece": _file()}))
    sent.append(("duplicated keys", {k: [v, "autre"] for k, v in data.items()}))
    sent += [(f"number {n!r}", with_(numbers, lambda _v, n=n: n)) for n in NUMBERS if numbers]
    sent += [(f"day {d!r}", with_(days, lambda _v, d=d: d)) for d in DAYS if days]
    sent.append(("json object", with_(list(data), lambda _v: {"a": [1]})))  # sent as JSON
    sent.append(("json list", [1, "deux"]))
    return sent


def _query_payloads() -> list[tuple[str, str]]:
    every = {
        "crlf": "a\r\nb",
        "cr": "a\rb",
        "separators": "a\u2028b\x85c\x0b",
        "emoji": "🌱👩🏽‍🔧",
        "nul": "a\x00b",
        "8 KB": "x" * 8192,
        "negative": "-1",
        "huge": "99999999999999999999",
        "decimal": "1.5",
        "first day": "0001-01-01",
        "last day": "9999-12-31",
        "no such day": "2026-02-30",
    }
    sent = [(name, urlencode(dict.fromkeys(QUERY_KEYS, value))) for name, value in every.items()]
    sent.append(("duplicated keys", urlencode([(k, v) for k in QUERY_KEYS for v in ("1", "2")])))
    sent.append(("reversed period", "du=9999-12-31&au=0001-01-01"))
    return sent


# --------------------------------------------------------------------------- the walk


def _values(w) -> dict[str, object]:
    today = utcnow().date()
    return {
        **w.values(),
        "in_a_month": (today + timedelta(days=30)).isoformat(),
        "yesterday": (today - timedelta(days=1)).isoformat(),
    }


def _filled(value, values):
    if isinstance(value, list):
        return [_filled(v, values) for v in value]
    return value.format_map(values) if isinstance(value, str) else value


def _copy_back(app, needs: tuple[str, ...]):
    """The world of `needs` in the database: built the first time (on an empty database),
    then copied back. On PostgreSQL, as a superuser, the copy runs with the triggers off
    (session_replication_role = replica) so that DELETE may empty the append-only ledger:
    a few milliseconds where the matrix's TRUNCATE costs hundreds, and the walk copies
    the world back about fifty times."""
    if tuple(sorted(needs)) not in _WORLDS.store:
        _empty_tables()
        return _WORLDS.get(app, needs)
    if db.engine.dialect.name == "postgresql" and db.session.scalar(
        text("SELECT current_setting('is_superuser') = 'on'")
    ):
        db.session.execute(text("SET LOCAL session_replication_role = replica"))  # to commit
        return _WORLDS.get(app, needs, triggers_off=True)
    return _WORLDS.get(app, needs)


def _rows_digest():
    """What "nothing changed" means, as test_access's fingerprint (every row of every table,
    log-in sessions aside); on PostgreSQL in one query, as a digest per table."""
    if db.engine.dialect.name != "postgresql":
        return _fingerprint()
    db.session.expire_all()
    per_table = " UNION ALL ".join(
        f"SELECT '{t.name}', md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), '')) "
        f'FROM "{t.name}" r'
        for t in db.metadata.sorted_tables
        if t.name != LoginSession.__tablename__
    )
    return dict(db.session.execute(text(per_table)).all())


def _state() -> tuple:
    """Every row, and who is logged in."""
    sessions = db.session.execute(select(LoginSession.id, LoginSession.revoked_at)).all()
    return _rows_digest(), sorted(map(tuple, sessions))


class _Walker:
    """Sends the payloads of one route after another, and notes every problem: a 500, or a
    refusal (or a file for a field) that changed the database. The world is copied back
    only when needed (it costs more than the requests): before a route, when the last one
    changed something; and when a log-in or a log-out changed what the next request can do."""

    def __init__(self, app):
        self.app = app
        self.problems: list[str] = []
        self.needs: tuple[str, ...] | None = None
        self.role = ""
        self.changed = True

    def start(self, walk: Walk) -> dict[str, object]:
        """Ready for `walk`: its world as built (copied back if anything changed), its
        person logged in on a client of their own."""
        needs = walk.needs if walk.needs is not None else NEEDS
        restore = self.changed or needs != self.needs
        if restore:
            self.needs = needs
            self.w = _copy_back(self.app, needs)
            self.built = None
        if restore or walk.role != self.role:
            self.role = walk.role
            self.client = self.app.test_client()  # no cookie of the last session
            if walk.role != "anonymous":
                response = AuthActions(self.client).login(self.w.emails[walk.role])
                assert response.status_code == 302, response.text
            self.before = _state()
            self.before_login = self.before[1]
            self.built = self.built or self.before
            self.changed = False
        return _values(self.w)

    def send(self, label: str, method: str, path: str, *, unchanged=False, **kw) -> int:
        """One request; `unchanged`: whatever the answer, nothing may be saved."""
        response = self.client.open(path, method=method, **kw)
        status = response.status_code
        if status == 500:
            self.problems.append(f"{label}: 500")
        if status >= 400 or method == "POST":
            after = _state()
            if (status >= 400 or unchanged) and after != self.before:
                self.problems.append(f"{label}: {status} and the database changed")
            self.changed = self.changed or after[0] != self.built[0]
            self.before = after
            if after[1] != self.before_login:  # logged in or out: this route starts again
                self.changed = True
                self.start(self.walk)
        return status

    def walk_route(self, method: str, walk: Walk) -> None:
        self.walk = walk
        values = self.start(walk)
        path = walk.path.format_map(values)
        if method == "GET":
            for name, query in _query_payloads():
                self.send(f"GET {walk.path} [{name}]", "GET", f"{path}?{query}")
            return
        for name, data in _form_payloads(walk.data):
            if isinstance(data, dict):
                data = {_filled(k, values): _filled(v, values) for k, v in data.items()}
            body = {"json": data} if name.startswith("json") else {"data": data}
            files = name == "file"
            photo = isinstance(data, dict) and any(isinstance(v, tuple) for v in data.values())
            status = self.send(
                f"POST {walk.path} [{name}]",
                "POST",
                path,
                unchanged=(files or name == "json object") and bool(walk.data),  # not text
                content_type="multipart/form-data" if files or photo else None,
                **body,
            )
            if name == "typed" and status >= 400 and not walk.refused:
                self.problems.append(f"POST {walk.path} [typed]: refused ({status})")


def _routes(app) -> set[tuple[str, str]]:
    return {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def test_every_route_is_walked(app):
    """A new route fails here until it has its entry in WALK."""
    routes = _routes(app)
    assert routes - set(WALK) == set(), "routes the robustness walk does not know"
    assert set(WALK) - routes == set(), "entries of WALK for routes that are gone"


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_what_a_careless_client_sends_is_never_a_500(app, method):
    """One walk per method (the world is built once, copied back only when needed)."""
    walker = _Walker(app)
    walks = [walk for (_endpoint, m), walk in WALK.items() if m == method]
    for walk in sorted(walks, key=lambda w: (w.needs or (), w.role)):  # fewer copies, log-ins
        walker.walk_route(method, walk)
    assert not walker.problems, "\n".join(walker.problems)
