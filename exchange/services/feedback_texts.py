"""The sentences of the notifications about feedback, in the reader's language."""

from __future__ import annotations

from datetime import datetime

from flask_babel import format_date
from flask_babel import gettext as _

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
            "voir les deux ; sinon ils apparaîtront le %(date)s.",
            member=member,
            title=title,
            date=format_date(datetime.fromisoformat(until), "long") if until else "",
        )
    if kind == "feedback_published":
        return _(
            "Les retours sur l'échange « %(title)s » avec %(member)s sont maintenant visibles.",
            title=title,
            member=member,
        )
    if kind == "feedback_replied":
        return _("%(member)s a répondu à votre retour.", member=member)
    words = _("votre réponse") if d.get("part") == "reply" else _("votre commentaire")
    if kind == "feedback_hidden":
        return _(
            "La coordination a masqué %(words)s sur le profil de %(member)s : %(reason)s",
            words=words,
            member=member,
            reason=d.get("reason", ""),
        )
    return _(
        "La coordination a rétabli %(words)s sur le profil de %(member)s.",
        words=words,
        member=member,
    )
