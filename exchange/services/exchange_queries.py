"""Reading exchanges: one as a viewer may see it, and a member's list, what waits on them first."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from exchange.services import moderation
from exchange.services.disputes import can_resolve
from exchange.services.errors import NotFound
from exchange.services.fees import CALLED_OFF
from models import Exchange, ExchangeEvent, Fee, db


def _query():
    return select(Exchange).options(
        selectinload(Exchange.provider),
        selectinload(Exchange.receiver),
        selectinload(Exchange.listing),
    )


def get_for(viewer, exchange_id: int) -> Exchange:
    """The exchange for its two parties; for the coordinators who may resolve it once it has
    been disputed; 404 for everybody else (an exchange is nobody else's business)."""
    exchange = db.session.scalar(
        _query()
        .where(Exchange.id == exchange_id)
        .options(selectinload(Exchange.events).selectinload(ExchangeEvent.actor))
    )
    if exchange is None or not getattr(viewer, "is_authenticated", False):
        raise NotFound()
    if viewer.id in exchange.parties():
        return exchange
    if (exchange.dispute_reason or _paid_fee_called_off(exchange)) and can_resolve(
        viewer, exchange
    ):
        return exchange
    raise NotFound()


def _paid_fee_called_off(exchange: Exchange) -> bool:
    """A fee paid (or since refunded) on an exchange called off: a coordinator's to decide."""
    if exchange.state not in CALLED_OFF:
        return False
    return (
        db.session.scalar(
            select(Fee.id).where(
                Fee.exchange_id == exchange.id, Fee.state.in_(("paid", "refunded"))
            )
        )
        is not None
    )


def waits_on(exchange: Exchange, user_id: int) -> bool:
    """Whether the next step is this member's to take."""
    state = exchange.effective_state
    if state == "proposed":
        return user_id != exchange.initiator_id
    if state == "accepted":
        return True  # either side logs the time once it is given
    if state == "done":
        return user_id != exchange.logged_by_id
    return False


@dataclass
class MyExchanges:
    waiting_on_me: list[Exchange] = field(default_factory=list)
    waiting_on_others: list[Exchange] = field(default_factory=list)
    closed: list[Exchange] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.waiting_on_me or self.waiting_on_others or self.closed)


OPEN = ("proposed", "accepted", "done", "disputed")


def for_member(user_id: int, closed_limit: int = 100) -> MyExchanges:
    """My exchanges: those waiting on me, those waiting on the other side (or the
    coordination), then the closed ones, most recent first."""
    mine = or_(Exchange.provider_id == user_id, Exchange.receiver_id == user_id)
    result = MyExchanges()
    for exchange in db.session.scalars(
        _query().where(mine, Exchange.state.in_(OPEN)).order_by(Exchange.updated_at.desc())
    ):
        if exchange.is_expired():
            result.closed.append(exchange)
        elif waits_on(exchange, user_id):
            result.waiting_on_me.append(exchange)
        else:
            result.waiting_on_others.append(exchange)
    result.closed.extend(
        db.session.scalars(
            _query()
            .where(mine, Exchange.state.not_in(OPEN))
            .order_by(Exchange.updated_at.desc())
            .limit(closed_limit)
        )
    )
    return result


def disputed_for(viewer) -> list[Exchange]:
    """Disputes the viewer may resolve (the moderation queue)."""
    disputed = list(
        db.session.scalars(
            _query().where(Exchange.state == "disputed").order_by(Exchange.updated_at)
        )
    )
    moderation.preload_active_spaces(  # can_resolve asks for each party's spaces
        uid for e in disputed for uid in (e.provider_id, e.receiver_id)
    )
    return [e for e in disputed if can_resolve(viewer, e)]
