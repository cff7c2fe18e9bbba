"""The steps every use case on an exchange takes, shared by its lifecycle and its disputes: read
it locked, check the actor is a party, write the step into its history, tell the other side, and
settle (the one movement an exchange makes)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import lazyload

from exchange.services.errors import Conflict, Forbidden, NotFound
from exchange.services.ledger import transfers
from exchange.services.moderation import rights
from exchange.services.notify import notifications
from models import Exchange, User, db
from models.base import utcnow

MAX_MESSAGE = 2000


def acting_member(actor_id: int) -> User:
    """Someone who may exchange: known, not suspended, confirmed, active in a space."""
    user = rights.actor(actor_id)
    if not user.email_confirmed or not user.active_memberships():
        raise Forbidden(
            _l("Rejoignez d'abord un lieu du réseau : les échanges se font entre membres.")
        )
    return user


def locked(exchange_id: int) -> Exchange:
    """The exchange, read fresh and locked until the commit (one decision at a time)."""
    transfers.begin_write()
    exchange = db.session.scalar(
        select(Exchange)
        .where(Exchange.id == exchange_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if exchange is None:
        raise NotFound()
    return exchange


def as_party(actor_id: int, exchange_id: int) -> tuple[User, Exchange]:
    actor = rights.actor(actor_id)
    exchange = locked(exchange_id)
    if actor.id not in exchange.parties():
        raise NotFound()
    return actor, exchange


def text(value: str | None, limit: int = MAX_MESSAGE) -> str:
    return (value or "").strip()[:limit]


def step(exchange: Exchange, actor: User | None, kind: str, *, minutes=None, message="") -> None:
    exchange.add_step(actor.id if actor else None, kind, minutes=minutes, message=message)


def tell(user: User, kind: str, exchange: Exchange, actor: User | None = None, **data) -> None:
    notifications.notify(
        user,
        kind,
        link=notifications.path("exchanges.show", exchange_id=exchange.id),
        title=exchange.title,
        member=actor.display_name if actor else "",
        **data,
    )


def tell_other(exchange: Exchange, actor: User, kind: str, **data) -> None:
    other = db.session.get_one(
        User, exchange.other_party(actor.id), options=[lazyload(User.skills)]
    )
    tell(other, kind, exchange, actor, **data)


def wrong_state(exchange: Exchange) -> Conflict:
    messages = {
        "proposed": _l("Cet échange attend encore une réponse."),
        "accepted": _l("Le temps de cet échange n'a pas encore été déclaré."),
        "done": _l("Le temps de cet échange est déclaré et attend sa confirmation."),
        "confirmed": _l("Cet échange est déjà confirmé : les crédits ont bougé."),
        "declined": _l("Cet échange a été décliné."),
        "cancelled": _l("Cet échange a été annulé."),
        "disputed": _l("Cet échange est contesté : la coordination va trancher."),
        "expired": _l("Ce temps déclaré n'a pas été confirmé dans le délai : il a expiré."),
    }
    return Conflict(messages[exchange.effective_state])


def settle(exchange: Exchange, author: User, minutes: int, reason: str) -> None:
    transfers.transfer(
        kind="settlement",
        from_account=transfers.account_of(exchange.receiver_id).id,
        to_account=transfers.account_of(exchange.provider_id).id,
        minutes=minutes,
        reason=reason,
        author_id=author.id,
        exchange_id=exchange.id,
    )
    exchange.state = "confirmed"
    exchange.minutes = minutes
    exchange.closed_at = utcnow()
