"""What every template can use: filters for dates, durations and markdown, and the page's context."""

from __future__ import annotations

from flask import g
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from exchange import dates
from exchange.devices import device_name
from exchange.durations import duration_words, format_minutes
from exchange.feedback.forms import recommendation_label
from exchange.forms_common import carried_args
from exchange.i18n import switch_language_url, translations
from exchange.markdown import plain_text, render_markdown
from exchange.services.conversations.inbox import waiting
from exchange.services.money import amounts
from exchange.services.notify.texts import describe_kind
from exchange.services.reputation import summaries
from exchange.text import initials, one_line, quote_lines


def _waiting() -> tuple[int, int]:
    """(unread notifications, conversations with unread messages), read once per page."""
    if not current_user.is_authenticated:
        return 0, 0
    if "waiting" not in g:
        g.waiting = waiting(current_user.id)
    return g.waiting


def _unread() -> int:
    return _waiting()[0]


def _unread_conversations() -> int:
    return _waiting()[1]


# The moderation log's words for each act, translated only when one is shown.
_ACTION_LABELS = {
    "space_created": _l("Lieu créé"),
    "space_updated": _l("Lieu modifié"),
    "join_approved": _l("Adhésion acceptée"),
    "join_declined": _l("Adhésion déclinée"),
    "coordinator_named": _l("Coordination confiée"),
    "coordinator_removed": _l("Rôle de coordination retiré"),
    "listing_hidden": _l("Annonce masquée"),
    "listing_restored": _l("Annonce rétablie"),
    "listing_approved": _l("Annonce approuvée"),
    "edit_requested": _l("Modification demandée"),
    "report_dismissed": _l("Signalement classé sans suite"),
    "member_suspended": _l("Compte suspendu"),
    "member_reinstated": _l("Compte réactivé"),
    "member_erased": _l("Compte supprimé (droit à l'effacement)"),
    "feedback_hidden": _l("Texte d'un retour masqué"),
    "feedback_restored": _l("Texte d'un retour rétabli"),
    "exchange_resolved": _l("Échange tranché"),
    "fee_refunded": _l("Participation aux frais remboursée"),
    "pot_retribution": _l("Rétribution de la caisse commune"),
    "minga": _l("Minga : rétribution collective de la caisse commune"),
    "acted_for_member": _l("Acte pour un membre, à sa demande"),
    "act_contested": _l("Acte contesté par le membre"),
    "transfer_corrected": _l("Mouvement corrigé"),
    "rules_updated": _l("Règles du réseau modifiées"),
    "emails_retried": _l("Courriels renvoyés"),
    "coordination_message": _l("Message de la coordination envoyé"),
    "message_hidden": _l("Message masqué"),
}


def action_label(action: str) -> str:
    """The moderation log's words for an act."""
    label = _ACTION_LABELS.get(action)
    return action if label is None else str(label)


def kind_label(kind: str) -> str:
    return {"offer": _("Offre"), "request": _("Demande")}.get(kind, kind)


def mode_label(mode: str) -> str:
    return {
        "remote": _("À distance"),
        "on_site": _("Sur place"),
        "both": _("À distance ou sur place"),
    }.get(mode, mode)


_TRANSFER_KINDS = {
    "settlement": _l("Échange"),
    "gift": _l("Don"),
    "retribution": _l("Rétribution"),
    "grant": _l("Crédit de bienvenue"),
    "correction": _l("Correction"),
    "closure": _l("Clôture de compte"),
}


def transfer_kind_label(kind: str) -> str:
    """A transfer's kind, as the statement names it (one translation a call: a statement
    names fifty on a page, thousands in its CSV)."""
    label = _TRANSFER_KINDS.get(kind)
    return kind if label is None else str(label)


def exchange_state_label(state: str) -> str:
    return {
        "proposed": _("Proposé"),
        "accepted": _("Accepté"),
        "done": _("Temps déclaré, à confirmer"),
        "confirmed": _("Confirmé"),
        "declined": _("Décliné"),
        "cancelled": _("Annulé"),
        "disputed": _("Contesté"),
        "expired": _("Expiré"),
    }.get(state, state)


def exchange_event_label(kind: str) -> str:
    """The history's words for a step."""
    return {
        "proposed": _("a proposé l'échange"),
        "accepted": _("a accepté"),
        "declined": _("a décliné"),
        "cancelled": _("a annulé"),
        "logged": _("a déclaré le temps donné"),
        "confirmed": _("a confirmé le temps : les crédits ont bougé"),
        "disputed": _("a contesté le temps déclaré"),
        "resolved": _("a tranché au nom de la coordination"),
        "expired": _("Temps non confirmé dans le délai : expiré, rien n'a bougé"),
        "fee_attached": _("a joint une participation aux frais"),
        "fee_paid": _("a payé la participation aux frais en ligne"),
        "fee_settled": _("a indiqué la participation aux frais réglée hors d'Archipel"),
        "fee_refunded": _("Participation aux frais remboursée"),
        "fee_dispute_inquiry": _(
            "La banque du payeur pose des questions sur le paiement des frais"
        ),
        "fee_dispute_open": _("Litige bancaire : la banque du payeur a repris la somme"),
        "fee_dispute_won": _("Litige bancaire clos : le paiement des frais est maintenu"),
        "fee_dispute_lost": _("Litige bancaire clos : la banque a rendu la somme au payeur"),
        "fee_dispute_closed": _("Questions de la banque closes, sans litige"),
    }.get(kind, kind)


def fee_state_label(state: str) -> str:
    return {
        "due": _("À régler"),
        "paid": _("Payée en ligne"),
        "refunded": _("Remboursée"),
        "settled": _("Réglée hors d'Archipel"),
        "withdrawn": _("Retirée avec l'échange"),
    }.get(state, state)


def dispute_label(status: str | None) -> str:
    """What the payer's bank did about a paid fee, on the exchange's page and in the CSV."""
    return {
        "inquiry": _("Pose des questions"),
        "open": _("Conteste le paiement"),
        "won": _("A tranché pour le paiement"),
        "lost": _("A rendu la somme au payeur"),
        "closed": _("Questions closes, sans litige"),
    }.get(status or "", status or "")


def dispute_badge(status: str | None) -> str:
    """The same in a few words, beside the fee's state in the money ledger."""
    return {
        "inquiry": _("Questions de la banque"),
        "open": _("Litige bancaire"),
        "won": _("Litige clos, payée"),
        "lost": _("Rendue par la banque"),
        "closed": _("Questions closes"),
    }.get(status or "", status or "")


def stripe_state_label(state: str) -> str:
    return {
        "none": _("Non connecté"),
        "pending": _("En attente de Stripe"),
        "ready": _("Prêt à recevoir des paiements"),
    }.get(state, state)


def listing_state(listing) -> tuple[str, str]:
    """(css key, words) for the state a listing's author and coordinators see."""
    if listing.moderation == "hidden":
        return "hidden", _("Masquée par la coordination")
    if listing.moderation == "pending":
        return "pending", _("En attente de relecture")
    if listing.status == "closed":
        return "closed", _("Retirée")
    if listing.status == "paused":
        return "paused", _("En pause")
    if listing.is_expired():
        return "expired", _("Expirée")
    if listing.author.is_suspended:
        return "hidden", _("Auteur·rice suspendu·e")
    return "active", _("Publiée")


def _plural(singular: str, plural: str, n: int) -> str:
    """French is the source language, and in French 0 takes the singular ("0 annonce");
    gettext's fallback for untranslated text would use the English rule instead."""
    if str(get_locale()) == "fr":
        return singular if n <= 1 else plural
    return translations().ungettext(singular, plural, n)


def register(app) -> None:
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s), ngettext=_plural, newstyle=True
    )
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["date"] = dates.day
    app.jinja_env.filters["datetime"] = dates.moment
    app.jinja_env.filters["duration"] = format_minutes
    # "trente heures": a large amount read back in words before it moves.
    app.jinja_env.filters["duration_words"] = lambda m: duration_words(m, str(get_locale()))
    # An email's subject line: whatever a member wrote into it stays on that line.
    app.jinja_env.filters["one_line"] = one_line
    app.jinja_env.filters["quote_lines"] = quote_lines
    app.jinja_env.filters["plain"] = plain_text
    app.jinja_env.filters["device"] = device_name
    app.jinja_env.filters["initials"] = initials
    app.jinja_env.filters["reject_key"] = lambda args, key: {
        k: v for k, v in args.items() if k != key
    }
    # Globals rather than context: macros imported without context need them too.
    app.jinja_env.globals.update(
        kind_label=kind_label,
        mode_label=mode_label,
        listing_state=listing_state,
        transfer_kind_label=transfer_kind_label,
        exchange_state_label=exchange_state_label,
        exchange_event_label=exchange_event_label,
        fee_state_label=fee_state_label,
        dispute_label=dispute_label,
        dispute_badge=dispute_badge,
        carried_args=carried_args,
        stripe_state_label=stripe_state_label,
        euros=amounts.euros_text,
        notification_text=describe_kind,
        reputation_card=summaries.card,
        recommendation_label=recommendation_label,
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def page_context():
        return {
            "current_locale": str(get_locale()),
            "switch_language_url": switch_language_url,
            "unread_notifications": _unread,
            "unread_conversations": _unread_conversations,
            "network_name": app.config["NETWORK_NAME"],
            "action_label": action_label,
        }
