"""The sentences of the notifications about acts a coordinator did for a member (a gift, a
direct log) and their contest, in the reader's language."""

from __future__ import annotations

from flask_babel import gettext as _

from exchange.durations import format_minutes

KINDS = frozenset({"acted_for_you", "act_contested"})


def describe(kind: str, d: dict) -> str:
    values = {
        "coordinator": d.get("coordinator", ""),
        "other": d.get("other", ""),
        "duration": format_minutes(d.get("minutes")),
        "reason": d.get("reason", ""),
        "days": d.get("days", 14),
    }
    if kind == "act_contested":
        return _(
            "%(member)s conteste l'acte que %(coordinator)s a fait pour lui ou elle "
            "(%(duration)s) : %(reason)s",
            member=d.get("member", ""),
            **values,
        )
    what = d.get("what", "")
    if what == "gift" and not values["other"]:
        return _(
            "À votre demande, %(coordinator)s a donné %(duration)s de votre compte à la caisse "
            "commune : %(reason)s. Si vous ne l'avez pas demandé, contestez-le dans les "
            "%(days)s jours.",
            **values,
        )
    if what == "gift":
        return _(
            "À votre demande, %(coordinator)s a donné %(duration)s de votre compte à %(other)s : "
            "%(reason)s. Si vous ne l'avez pas demandé, contestez-le dans les %(days)s jours.",
            **values,
        )
    if what == "log_received":
        return _(
            "À votre demande, %(coordinator)s a déclaré pour vous l'aide reçue de %(other)s, "
            "%(duration)s : %(reason)s. Si vous ne l'avez pas demandé, contestez-le dans les "
            "%(days)s jours.",
            **values,
        )
    return _(
        "À votre demande, %(coordinator)s a déclaré pour vous l'aide donnée à %(other)s, "
        "%(duration)s : %(reason)s. Si vous ne l'avez pas demandé, contestez-le dans les "
        "%(days)s jours.",
        **values,
    )
