"""The sentences of notifications about conversations, in the reader's language."""

from __future__ import annotations

from flask_babel import gettext as _

KINDS = frozenset({"message_received", "message_hidden"})


def describe(kind: str, d: dict) -> str:
    if kind == "message_hidden":
        return _(
            "Un de vos messages a été masqué par la coordination : %(reason)s",
            reason=d.get("reason", ""),
        )
    if d.get("coordination"):
        return _("Message de la coordination (%(space)s).", space=d.get("space", ""))
    return _("Nouveau message de %(name)s.", name=d.get("name", ""))
