"""Reading exchanges: one as a viewer may see it, and a member's list, what waits on them first."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import and_, or_, select, union_all
from sqlalchemy.orm import joinedload, selectinload

from exchange.services.errors import NotFound
from exchange.services.exchanges.stewards import can_resolve
from exchange.services.moderation import rights
from exchange.services.money.fee_steps import CALLED_OFF
from exchange.services.paging import Page, Window, listed
from models import Exchange, ExchangeEvent, Fee, User, db


def _query():
    return select(Exchange).options(
        selectinload(Exchange.provider),
        selectinload(Exchange.receiver),
        selectinload(Exchange.listing),
    )


def _listed():
    """Exchanges as a list shows them: title, state, duration and the other party's name, the
    parties joined in the same statement (without the skills a member brings elsewhere)."""
    return select(Exchange).options(
        joinedload(Exchange.provider).lazyload(User.skills),
        joinedload(Exchange.receiver).lazyload(User.skills),
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
    # The exchange ids the history's links carry (apres=, avant=), None at either end.
    newer: int | None = None
    older: int | None = None

    @property
    def empty(self) -> bool:
        return not (self.waiting_on_me or self.waiting_on_others or self.closed)


OPEN = ("proposed", "accepted", "done", "disputed")
HISTORY_PAGE = 30  # closed exchanges a page shows


def _mine(user_id: int):
    return or_(Exchange.provider_id == user_id, Exchange.receiver_id == user_id)


def for_member(
    user_id: int,
    *,
    before: int | None = None,
    after: int | None = None,
    per_page: int = HISTORY_PAGE,
) -> MyExchanges:
    """My exchanges: those waiting on me, those waiting on the other side (or the
    coordination), then a page of the closed ones, most recent first: the latest, or those
    closed before the exchange `before`, or after `after`. Those still open are few (they
    close or expire); the history is paged, however long it grows."""
    result, expired = MyExchanges(), []
    for exchange in db.session.scalars(
        _listed()
        .where(_mine(user_id), Exchange.state.in_(OPEN))
        .order_by(Exchange.updated_at.desc())
    ):
        if exchange.is_expired():
            expired.append(exchange)
        elif waits_on(exchange, user_id):
            result.waiting_on_me.append(exchange)
        else:
            result.waiting_on_others.append(exchange)
    cursor = _cursor(user_id, before or after)
    rows, older, newer = _closed_page(user_id, cursor, before is not None, per_page)
    if cursor is not None and not rows:  # nothing beyond it: the first page
        cursor = None
        rows, older, newer = _closed_page(user_id, None, True, per_page)
    result.closed = expired + rows if cursor is None else rows  # the expired on the first
    result.newer = rows[0].id if rows and newer else None
    result.older = rows[-1].id if rows and older else None
    return result


def _cursor(user_id: int, exchange_id: int | None):
    """(last change, id) of one of my closed exchanges, or None (no cursor, or not one)."""
    if exchange_id is None:
        return None
    return db.session.execute(
        select(Exchange.updated_at, Exchange.id).where(
            Exchange.id == exchange_id, _mine(user_id), Exchange.state.not_in(OPEN)
        )
    ).first()


def _closed_page(user_id: int, cursor, older: bool, per_page: int):
    """One page of my closed exchanges, newest first, keyset on (last change, id): from the
    newest when `cursor` is None, else just `older` than it or just newer. With whether more
    are older, and newer."""
    at, key = cursor if cursor is not None else (None, None)
    newest_first = cursor is None or older
    columns = (Exchange.updated_at, Exchange.id)
    order = tuple(c.desc() for c in columns) if newest_first else columns
    # Each side (provided, received) from its own index in order, a page of each, then the
    # page of both; the parties are joined to the page's ids only (EXPLAIN ANALYZE, 10,000
    # exchanges: the OR of both sides sorted the whole history in 15 ms; this reads 62 rows).
    sides = []
    for side in (Exchange.provider_id, Exchange.receiver_id):
        one = select(Exchange.id, Exchange.updated_at).where(
            side == user_id, Exchange.state.not_in(OPEN)
        )
        if cursor is not None and older:
            one = one.where(
                or_(Exchange.updated_at < at, and_(Exchange.updated_at == at, Exchange.id < key))
            )
        elif cursor is not None:
            one = one.where(
                or_(Exchange.updated_at > at, and_(Exchange.updated_at == at, Exchange.id > key))
            )
        sides.append(select(one.order_by(*order).limit(per_page + 1).subquery()))
    both = union_all(*sides).subquery()
    ids = (
        select(both.c.id)
        .order_by(*(c.desc() if newest_first else c for c in (both.c.updated_at, both.c.id)))
        .limit(per_page + 1)
        .subquery()
    )
    rows = list(db.session.scalars(_listed().join(ids, ids.c.id == Exchange.id).order_by(*order)))
    more, rows = len(rows) > per_page, rows[:per_page]
    if cursor is None:
        return rows, more, False
    return (rows, more, True) if older else (rows[::-1], True, more)


def disputed_for(viewer, window: Window | None = None):
    """Disputes the viewer may resolve (the moderation queue), oldest first. Chosen in SQL as
    `stewards.can_resolve` decides for one: an admin, or a coordinator of a space where either
    party is active; never the viewer's own."""
    if not getattr(viewer, "is_authenticated", False):
        return [] if window is None else Page([], 0, 1, window.per_page)
    query = _listed().where(
        Exchange.state == "disputed",
        Exchange.provider_id != viewer.id,
        Exchange.receiver_id != viewer.id,
    )
    if not viewer.is_admin:
        members = rights.members_of(viewer.coordinated_space_ids())
        query = query.where(
            or_(Exchange.provider_id.in_(members), Exchange.receiver_id.in_(members))
        )
    return listed(query.order_by(Exchange.updated_at, Exchange.id), window)
