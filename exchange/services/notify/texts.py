"""The sentences of notifications, in the reader's language: one per kind, from the data the
notification keeps (an email's subject is the same sentence). Fees and feedback have theirs in
`fee_texts` and `feedback_texts`, acts done for a member in `act_texts`."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from exchange.durations import format_minutes
from exchange.services.notify import act_texts, fee_texts, feedback_texts, message_texts

# Kinds whose email is their sentence and a link (templates/email/notification_generic.txt).
GENERIC_EMAILS = (
    frozenset(
        {
            "exchange_proposed",
            "exchange_accepted",
            "exchange_declined",
            "exchange_cancelled",
            "exchange_logged",
            "exchange_confirmed",
            "exchange_disputed",
            "dispute_opened",
            "exchange_resolved",
            "exchange_expired",
            "gift_received",
            "retribution_received",
            "welcome_grant",
            "transfer_corrected",
            "export_ready",
        }
    )
    | feedback_texts.KINDS
    | fee_texts.KINDS
    | {"message_hidden"}
    | act_texts.KINDS
)


def describe_kind(kind: str, d: dict) -> str:
    """The sentence of a notification of this kind with this data (also an email's subject)."""
    if kind in feedback_texts.KINDS:
        return feedback_texts.describe(kind, d)
    if kind in fee_texts.KINDS:
        return fee_texts.describe(kind, d)
    if kind in message_texts.KINDS:
        return message_texts.describe(kind, d)
    if kind in act_texts.KINDS:
        return act_texts.describe(kind, d)
    if kind == "export_ready":
        return _(
            "Votre export de données est prêt : téléchargez-le depuis vos réglages dans les "
            "%(hours)s heures, après quoi il sera effacé.",
            hours=d.get("hours", 48),
        )
    if kind in GENERIC_EMAILS:
        return _ledger_texts(kind, d)
    texts = {
        "join_approved": _(
            "Votre demande pour rejoindre %(space)s a été acceptée.", space=d.get("space", "")
        ),
        "join_declined": _(
            "Votre demande pour rejoindre %(space)s a été déclinée : %(reason)s",
            space=d.get("space", ""),
            reason=d.get("reason", ""),
        ),
        "join_requested": _(
            "%(member)s demande à rejoindre %(space)s.",
            member=d.get("member", ""),
            space=d.get("space", ""),
        ),
        "coordinator_named": _("Vous coordonnez désormais %(space)s.", space=d.get("space", "")),
        "coordinator_removed": _(
            "Vous ne coordonnez plus %(space)s : %(reason)s",
            space=d.get("space", ""),
            reason=d.get("reason", ""),
        ),
        **_moderation_texts(kind, d),
    }
    return texts.get(kind, kind)


def _moderation_texts(kind: str, d: dict) -> dict[str, str]:
    """Sentences of reports and moderation acts (only the one asked for is built)."""
    title, item, reason = d.get("title", ""), d.get("item", ""), d.get("reason", "")
    if kind == "listing_to_approve":
        text = _(
            "Une annonce attend votre relecture dans %(space)s : « %(title)s ».",
            space=d.get("space", ""),
            title=title,
        )
    elif kind == "report_received":
        text = _(
            "Votre signalement de « %(item)s » a bien été reçu : la coordination va l'examiner.",
            item=item,
        )
    elif kind == "report_filed":
        text = _("Nouveau signalement à examiner : « %(item)s ».", item=item)
    elif kind == "report_handled":
        text = _report_outcome(d.get("outcome", ""), item, d.get("note", ""))
    elif kind == "listing_hidden":
        text = _(
            "Votre annonce « %(title)s » a été masquée par la coordination : %(reason)s",
            title=title,
            reason=reason,
        )
    elif kind == "listing_restored":
        text = _("Votre annonce « %(title)s » est de nouveau visible.", title=title)
    elif kind == "listing_approved":
        text = _("Votre annonce « %(title)s » a été relue et publiée.", title=title)
    elif kind == "edit_requested":
        text = _(
            "La coordination vous demande de modifier « %(title)s » : %(message)s",
            title=title,
            message=d.get("message", ""),
        )
    elif kind == "member_suspended":
        text = _("Votre compte a été suspendu par la coordination : %(reason)s", reason=reason)
    elif kind == "member_reinstated":
        text = _("Votre compte est de nouveau actif : %(reason)s", reason=reason)
    else:
        return {}
    return {kind: text}


def _report_outcome(outcome: str, item: str, note: str) -> str:
    if outcome == "listing_hidden":
        return _("Suite à votre signalement, l'annonce « %(item)s » a été masquée.", item=item)
    if outcome == "edit_requested":
        return _(
            "Suite à votre signalement, la coordination a demandé une modification de « %(item)s ».",
            item=item,
        )
    if outcome == "feedback_hidden":
        return _(
            "Suite à votre signalement, le texte du retour « %(item)s » a été masqué.", item=item
        )
    if outcome == "message_hidden":
        return _("Suite à votre signalement, le message a été masqué.")
    if outcome == "member_suspended":
        return _("Suite à votre signalement, le compte de %(item)s a été suspendu.", item=item)
    if note:
        return _(
            "Votre signalement de « %(item)s » a été examiné et classé sans suite : %(note)s",
            item=item,
            note=note,
        )
    return _("Votre signalement de « %(item)s » a été examiné et classé sans suite.", item=item)


def _ledger_texts(kind: str, d: dict) -> str:
    """Sentences of exchanges and of the time that moves."""
    if kind.startswith("exchange_") or kind == "dispute_opened":
        return _exchange_texts(kind, d)
    return _credit_texts(kind, d)


# The other side answered a proposal: who, and which exchange.
_ANSWERS = {
    "exchange_proposed": _l("%(member)s vous propose un échange : « %(title)s »."),
    "exchange_accepted": _l("%(member)s a accepté l'échange « %(title)s »."),
    "exchange_declined": _l("%(member)s a décliné l'échange « %(title)s »."),
    "exchange_cancelled": _l("%(member)s a annulé l'échange « %(title)s »."),
}


def _exchange_texts(kind: str, d: dict) -> str:
    title, member = d.get("title", ""), d.get("member", "")
    duration = format_minutes(d.get("minutes"))
    if kind in _ANSWERS:
        return str(_ANSWERS[kind]) % {"member": member, "title": title}
    if kind == "exchange_logged":
        return _(
            "%(member)s a déclaré %(duration)s pour « %(title)s » : confirmez ou contestez.",
            member=member,
            duration=duration,
            title=title,
        )
    if kind == "exchange_confirmed":
        return _(
            "%(member)s a confirmé %(duration)s pour « %(title)s » : les crédits ont bougé.",
            member=member,
            duration=duration,
            title=title,
        )
    if kind == "exchange_disputed":
        return _(
            "%(member)s conteste le temps déclaré pour « %(title)s » : %(reason)s",
            member=member,
            title=title,
            reason=d.get("reason", ""),
        )
    if kind == "dispute_opened":
        return _(
            "Un échange entre %(provider)s et %(receiver)s est contesté : « %(title)s ».",
            provider=d.get("provider", ""),
            receiver=d.get("receiver", ""),
            title=title,
        )
    if kind == "exchange_resolved" and d.get("outcome") == "confirm":
        return _(
            "La coordination a tranché « %(title)s » : temps confirmé, %(duration)s. %(reason)s",
            title=title,
            duration=duration,
            reason=d.get("reason", ""),
        )
    if kind == "exchange_resolved":
        return _(
            "La coordination a tranché « %(title)s » : échange annulé. %(reason)s",
            title=title,
            reason=d.get("reason", ""),
        )
    if kind == "exchange_expired":
        return _(
            "Le temps déclaré pour « %(title)s » (%(duration)s) n'a pas été confirmé dans le "
            "délai : rien n'a bougé.",
            duration=duration,
            title=title,
        )
    return kind


def _credit_texts(kind: str, d: dict) -> str:
    member, duration = d.get("member", ""), format_minutes(d.get("minutes"))
    if kind == "gift_received" and not d.get("message"):
        return _("%(member)s vous a donné %(duration)s.", member=member, duration=duration)
    if kind == "gift_received":
        return _(
            "%(member)s vous a donné %(duration)s : %(message)s",
            member=member,
            duration=duration,
            message=d.get("message", ""),
        )
    if kind == "retribution_received":
        return _(
            "La caisse commune vous verse %(duration)s : %(reason)s",
            duration=duration,
            reason=d.get("reason", ""),
        )
    if kind == "welcome_grant":
        return _(
            "Bienvenue ! La caisse commune vous offre %(duration)s pour vos premiers échanges.",
            duration=duration,
        )
    return _(
        "Un mouvement de %(duration)s sur votre compte a été corrigé : %(reason)s",
        duration=duration,
        reason=d.get("reason", ""),
    )
