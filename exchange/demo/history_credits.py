"""The history of time given outside listings: direct logs, gifts between members, gifts to
the common pot and the coordinators' retributions from it."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from exchange.demo.history_data import GIFTS, POT_GIFTS, RETRIBUTIONS, Direct, Step, de_mois
from exchange.demo.history_world import (
    Plan,
    World,
    fits,
    record_move,
    settle,
    write_exchange,
)
from exchange.services.moderation import audit
from models import (
    Account,
    Transfer,
    User,
)


def direct_window(w: World, provider: User, receiver: User, start: datetime):
    begin = max(start, w.since(provider), w.since(receiver)) + timedelta(days=1)
    return begin, w.now - timedelta(days=2)


def plan_direct(w: World, direct: Direct, start: datetime) -> None:
    provider, receiver = w.user(direct.provider), w.user(direct.receiver)
    begin, end = direct_window(w, provider, receiver, start)
    if end - begin < timedelta(days=2):
        return
    # More of them in the first months, when there were fewer listings to answer.
    performed = w.daytime(begin + (end - begin) * w.rng.random() ** 1.4 * 0.9)
    logged = w.awake(performed + timedelta(hours=w.rng.uniform(1, 30)))
    confirmed = w.awake(logged + timedelta(hours=w.rng.uniform(1, 72)))
    if confirmed >= w.now - timedelta(hours=6):
        return
    logger = provider if w.rng.random() < 0.75 else receiver
    w.plans.append(
        Plan(confirmed, partial(direct_exchange, w, direct, logger, performed, logged, confirmed))
    )


def direct_exchange(w: World, direct: Direct, logger: User, performed, logged, confirmed):
    provider, receiver = w.user(direct.provider), w.user(direct.receiver)
    if not fits(w, w.accounts[receiver.id], w.accounts[provider.id], direct.minutes):
        return None
    confirmer = receiver if logger is provider else provider
    exchange = write_exchange(
        w,
        provider=provider,
        receiver=receiver,
        initiator=logger,
        title=direct.title,
        message=direct.message,
        performed_on=w.local_day(performed),
        steps=[
            Step("logged", logger, logged, direct.minutes, direct.message),
            Step("confirmed", confirmer, confirmed, direct.minutes),
        ],
    )
    settle(exchange, w, confirmer, direct.minutes, direct.title, confirmed)
    return exchange


def plan_gift(w: World, giver: User, to: Account, minutes: int, message: str, at: datetime):
    return record_move(w, "gift", w.accounts[giver.id], to, minutes, message, giver, at)


def plan_gifts(w: World, start: datetime) -> None:
    for giver_name, recipient_name, minutes, message in GIFTS:
        giver, recipient = w.user(giver_name), w.user(recipient_name)
        begin = max(start, w.since(giver), w.since(recipient)) + timedelta(hours=6)
        end = w.now - timedelta(hours=3)
        if begin >= end:
            continue
        at = w.awake(begin + (end - begin) * w.rng.uniform(0.2, 0.9))
        w.plans.append(Plan(at, partial(plan_gift, w, giver, w.accounts[recipient.id], minutes,
                                         message, at)))  # fmt: skip


def plan_pot(w: World, start: datetime) -> None:
    """Gifts to the pot all along, and retributions from it in between, always a gift or two
    behind, so that the pot has something to give."""
    gifts, retributions = iter(POT_GIFTS), iter(RETRIBUTIONS)
    order = ["gift", "gift"] + ["retribution", "gift"] * len(RETRIBUTIONS)
    first = start + timedelta(days=20)
    span = (w.now - timedelta(days=2) - first) / len(order)
    for i, what in enumerate(order):
        at = w.daytime(first + span * (i + w.rng.uniform(0.1, 0.9)), 8, 21)
        if what == "gift":
            minutes, message = next(gifts)
            w.plans.append(Plan(at, partial(_pot_gift, w, minutes, message, at)))
            continue
        coordinator, member, minutes, reason = next(retributions)
        reason = reason.format(de_mois=de_mois(w.local_day(at - timedelta(days=6))))
        w.plans.append(Plan(at, partial(_retribute, w, w.user(coordinator), w.user(member),
                                         minutes, reason, at)))  # fmt: skip


def _pot_gift(w: World, minutes: int, message: str, at: datetime):
    """Whoever has time to spare then gives it to the pot (in the first weeks, what they can)."""
    people, weights = [], []
    for user in w.users.values():
        spaces = w.spaces.get(user.id)
        balance = w.balance[w.accounts[user.id].id]
        if spaces and min(spaces.values()) < at and balance >= 60:
            people.append(user)
            weights.append(balance * (2 if user.id in w.featured else 1))
    if not people:
        return None
    giver = w.rng.choices(people, weights)[0]
    minutes = min(minutes, w.balance[w.accounts[giver.id].id] // 30 * 30)
    return plan_gift(w, giver, w.pot, minutes, message, at)


def _retribute(w: World, coordinator: User, member: User, minutes: int, reason: str, at):
    """A coordinator of a space of the member pays them from the pot, logged with its reason."""
    shared = [
        s
        for s in w.spaces.get(member.id, {})
        if coordinator.is_admin or w.coordinates.get(coordinator.id, {}).get(s, at) < at
    ]
    if not shared or w.since(member) >= at:
        return None
    if w.balance[w.pot.id] - w.reserved < minutes:  # paid once the pot has it
        later = w.daytime(at + timedelta(days=3))
        if later < w.now - timedelta(days=1):
            return Plan(later, partial(_retribute, w, coordinator, member, minutes, reason, later))
        return None
    space_id = min(shared)

    def log(transfer: Transfer) -> None:
        entry = audit.record(
            coordinator.id,
            "pot_retribution",
            reason=reason,
            space_id=space_id,
            subject_user_id=member.id,
            target_type="transfer",
            target_id=transfer.id,
            minutes=minutes,
        )
        entry.created_at = at

    payee = w.accounts[member.id]
    return record_move(w, "retribution", w.pot, payee, minutes, reason, coordinator, at, then=log)
