"""Time given outside a listing, logged directly ("I helped X for 1 h 30 on …"): by the member,
or by a coordinator for a member who asked for it. Nothing moves until the other person
confirms (`lifecycle.confirm`); unconfirmed, the log expires after EXCHANGE_LOG_DAYS days."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l

from exchange.services.conversations import blocks
from exchange.services.errors import InvalidInput
from exchange.services.exchanges.lifecycle import MAX_TITLE, check_day, mark_logged, today
from exchange.services.exchanges.steps import acting_member, tell, text
from exchange.services.ledger import limits, rules, transfers
from exchange.services.moderation import on_behalf
from exchange.services.money import fees
from models import Exchange, User, db


def log_direct(
    actor_id: int,
    *,
    counterpart_id: int,
    gave: bool,
    minutes: int | None,  # None (an empty field) is refused like any other bad duration
    title: str,
    performed_on: date | None,
    message: str = "",
    fee_cents: int | None = None,
    fee_covers: str = "",
    confirmed_large: bool = False,
    for_member_id: int | None = None,
    reason: str = "",
) -> Exchange:
    """The member logs time given or received outside a listing. Above the network's
    threshold it is logged only `confirmed_large`.

    With `for_member_id`, a coordinator logs it for that member at the member's request: the
    member is the logging party (the other side confirms as usual), the `reason` is required,
    the act logged and the member told (`moderation.on_behalf`).
    """
    if for_member_id is None:
        actor = logger = acting_member(actor_id)
    else:
        actor, logger, reason = on_behalf.acting_for(actor_id, for_member_id, reason)
        # Else the coordinator could confirm it themselves: time moved without the member's word.
        on_behalf.not_to_oneself(actor, counterpart_id, "counterpart")
    transfers.begin_write()
    counterpart = db.session.get(User, counterpart_id)
    if (
        counterpart is None
        or not counterpart.email_confirmed
        or not counterpart.active_memberships()
    ):
        raise InvalidInput(_l("Choisissez un membre du réseau."), field="counterpart")
    if counterpart.id == logger.id:
        raise InvalidInput(
            _l("On ne s'échange pas du temps à soi-même : choisissez un autre membre."),
            field="counterpart",
        )
    if counterpart.is_suspended:
        raise InvalidInput(_l("Ce compte est suspendu."), field="counterpart")
    blocks.check_reaches(logger.id, counterpart.id, field="counterpart")
    minutes = limits.check_minutes(minutes)
    title = text(title, MAX_TITLE)
    if not title:
        raise InvalidInput(
            _l("Dites en quelques mots ce qui a été fait, par exemple « Relecture d'un devis »."),
            field="title",
        )
    rules.check_large(minutes, confirmed_large=confirmed_large)
    provider, receiver = (logger.id, counterpart.id) if gave else (counterpart.id, logger.id)
    exchange = Exchange(
        provider_id=provider,
        receiver_id=receiver,
        initiator_id=logger.id,
        title=title,
        message=text(message),
        performed_on=check_day(performed_on) or today(),
    )
    db.session.add(exchange)
    mark_logged(exchange, logger, minutes, exchange.message)
    db.session.flush()
    fees.attach(exchange, logger, fee_cents, fee_covers)
    tell(counterpart, "exchange_logged", exchange, logger, minutes=minutes)
    if logger is not actor:
        on_behalf.record(
            actor,
            logger,
            what="log_gave" if gave else "log_received",
            target_type="exchange",
            target_id=exchange.id,
            reason=reason,
            minutes=minutes,
            other=counterpart.display_name,
            other_id=counterpart.id,
            title=title,
        )
    db.session.commit()
    return exchange
