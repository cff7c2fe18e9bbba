"""The sentences of the notifications about feedback, in the reader's language."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from exchange import dates

KINDS = frozenset(
    {
        "feedback_waiting",
        "feedback_published",
        "feedback_replied",
        "feedback_hidden",
        "feedback_restored",
    }
)


def describe(kind: str, d: dict) -> str:
    member, title = d.get("member", ""), d.get("title", "")
    if kind == "feedback_waiting":
        until = d.get("until")
        return _(
            "%(member)s a laissé un retour sur l'échange « %(title)s ». Écrivez le vôtre pour "
            "voir les deux ; sinon, le sien apparaîtra seul le %(date)s.",
            member=member,
            title=title,
            date=dates.day(datetime.fromisoformat(until), "long") if until else "",
        )
    if kind == "feedback_published":
        return _published(d.get("shown", "both"), member, title)
    if kind == "feedback_replied":
        return _("%(member)s a répondu à votre retour.", member=member)
    reply, reason = d.get("part") == "reply", d.get("reason", "")
    if kind == "feedback_hidden" and reply:
        return _(
            "La coordination a masqué votre réponse à %(member)s : %(reason)s",
            member=member,
            reason=reason,
        )
    if kind == "feedback_hidden":
        return _(
            "La coordination a masqué votre commentaire sur %(member)s : %(reason)s",
            member=member,
            reason=reason,
        )
    if reply:
        return _("La coordination a rétabli votre réponse à %(member)s.", member=member)
    return _("La coordination a rétabli votre commentaire sur %(member)s.", member=member)


def _published(shown: str, member: str, title: str) -> str:
    """Both appeared; or, the window closed on one only: mine, or theirs about me."""
    if shown == "mine":
        return _(
            "Votre retour sur l'échange « %(title)s » avec %(member)s est maintenant visible.",
            title=title,
            member=member,
        )
    if shown == "theirs":
        return _(
            "Le retour laissé par %(member)s sur l'échange « %(title)s » est maintenant visible.",
            title=title,
            member=member,
        )
    return _(
        "Les retours sur l'échange « %(title)s » avec %(member)s sont maintenant visibles.",
        title=title,
        member=member,
    )
