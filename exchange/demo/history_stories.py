"""The history's few stories that show the rarer paths: disputes and how they were
resolved, a duplicate log, an exchange that expired, a coordinator's correction."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from exchange.demo.history_credits import direct_exchange, direct_window, plan_gift
from exchange.demo.history_data import (
    CORRECTED_GIVERS,
    HISTORY_DAYS,
    STORIES,
    Direct,
    Step,
    le_jour,
)
from exchange.demo.history_world import (
    Plan,
    World,
    fits,
    record_move,
    settle,
    story_window,
    write_exchange,
)
from exchange.services.moderation import audit
from models import (
    Transfer,
)


def plan_disputes(w: World) -> None:
    """A dispute a coordinator resolved by confirming fewer minutes than logged."""
    story = STORIES["dispute"]
    bike = w.listings[story["listing"]]
    karim, malik = bike.author, w.user(story["receiver"])
    begin, end = story_window(w, malik, listing=bike)
    if end - begin <= timedelta(days=10):
        return
    proposed = w.daytime(begin + (end - begin) * 0.3)
    accepted = proposed + timedelta(hours=5)
    logged = w.daytime(accepted + timedelta(days=3), 14, 18)
    disputed = logged + timedelta(hours=22)
    resolved = disputed + timedelta(days=2, hours=3)
    steps = [
        Step("proposed", malik, proposed, story["foreseen"], story["proposal"]),
        Step("accepted", karim, accepted, None, story["acceptance"]),
        Step("logged", karim, logged, story["logged"], story["note"]),
        Step("disputed", malik, disputed, None, story["dispute"]),
        Step("resolved", w.user(story["coordinator"]), resolved, story["resolved"],
             story["resolution"]),
    ]  # fmt: skip
    w.plans.append(
        Plan(resolved, partial(_resolved, w, bike, karim, malik, steps, story["resolved"]))
    )
    thanks = resolved + timedelta(days=1, hours=2)
    gift = partial(
        plan_gift, w, karim, w.accounts[malik.id], story["thanks_minutes"], story["thanks"], thanks
    )
    w.plans.append(Plan(thanks, gift))


def plan_duplicate(w: World) -> None:
    """Time logged twice for the same help: the second log, disputed, is cancelled."""
    story = STORIES["duplicate"]
    rachid, mamadou = w.user(story["provider"]), w.user(story["receiver"])
    linux = Direct(story["provider"], story["receiver"], story["title"], story["minutes"])
    begin, end = direct_window(w, rachid, mamadou, w.now - timedelta(days=HISTORY_DAYS))
    if end - begin <= timedelta(days=30):
        return
    performed = w.daytime(begin + (end - begin) * 0.45)
    logged = w.awake(performed + timedelta(hours=4))
    confirmed = w.awake(logged + timedelta(hours=26))
    w.plans.append(
        Plan(confirmed, partial(direct_exchange, w, linux, rachid, performed, logged, confirmed))
    )
    again = w.daytime(confirmed + timedelta(days=6))
    disputed = w.awake(again + timedelta(hours=20))
    resolved = disputed + timedelta(days=1, hours=4)
    reason = story["resolution"].format(day=le_jour(w.local_day(confirmed)))
    steps = [
        Step("logged", rachid, again, story["minutes"], ""),
        Step("disputed", mamadou, disputed, None, story["dispute"]),
        Step("resolved", w.user(story["coordinator"]), resolved, None, reason),
    ]
    w.plans.append(
        Plan(resolved, partial(_resolved, w, None, rachid, mamadou, steps, None, linux.title))
    )


def _resolved(w, listing, provider, receiver, steps, minutes, title=None):
    """A disputed exchange a coordinator resolved: settled with `minutes`, or cancelled."""
    if minutes and not fits(w, w.accounts[receiver.id], w.accounts[provider.id], minutes):
        return
    first = steps[0]
    exchange = write_exchange(
        w,
        provider=provider,
        receiver=receiver,
        initiator=first.actor,
        title=title or listing.title,
        listing=listing,
        message=first.text,
        foreseen=first.minutes if first.kind == "proposed" else None,
        performed_on=w.local_day(steps[-3].at),
        steps=steps,
    )
    resolution = steps[-1]
    if minutes:
        settle(exchange, w, resolution.actor, minutes, resolution.text, resolution.at)
    coordinator = resolution.actor
    shared = sorted(
        set(w.coordinates.get(coordinator.id, {}))
        & (set(w.spaces[provider.id]) | set(w.spaces[receiver.id]))
    )

    def log() -> None:
        entry = audit.record(
            coordinator.id,
            "exchange_resolved",
            reason=resolution.text,
            space_id=shared[0] if shared else None,
            subject_user_id=provider.id,
            target_type="exchange",
            target_id=exchange.id,
            outcome="confirm" if minutes else "cancel",
            minutes=minutes,
            receiver_id=receiver.id,
            title=exchange.title,
        )
        entry.created_at = resolution.at

    w.afterwards.append(log)


def plan_expired(w: World) -> None:
    """Two logs nobody confirmed in time; one of them was made up for with a gift."""
    for story in STORIES["expired"]:
        title, minutes, message, amends = (
            story["title"], story["minutes"], story["message"], story["amends"])  # fmt: skip
        giver, taker = w.user(story["provider"]), w.user(story["receiver"])
        begin, end = direct_window(w, giver, taker, w.now - timedelta(days=HISTORY_DAYS))
        end -= timedelta(days=w.log_days + 3)
        if end <= begin:
            continue
        logged = w.daytime(begin + (end - begin) * w.rng.uniform(0.3, 0.9))
        expired = w.daytime(logged + timedelta(days=w.log_days, hours=24), 3, 4)
        steps = [
            Step("logged", giver, logged, minutes, message),
            Step("expired", None, expired, minutes),
        ]

        def run(giver=giver, taker=taker, title=title, message=message, steps=steps):
            write_exchange(
                w,
                provider=giver,
                receiver=taker,
                initiator=giver,
                title=title,
                message=message,
                performed_on=w.local_day(steps[0].at),
                steps=steps,
            )

        w.plans.append(Plan(expired, run))
        if amends:
            at = expired + timedelta(days=1, hours=5)
            gift = partial(plan_gift, w, taker, w.accounts[giver.id], story["amends_minutes"],
                           amends, at)  # fmt: skip
            w.plans.append(Plan(at, gift))


def plan_correction(w: World) -> None:
    """A gift of 10 h typed instead of 1 h, reversed by the admin, then given again."""
    story = STORIES["correction"]
    typed, meant = story["typed"], story["meant"]
    lyon = [w.user(name) for name in CORRECTED_GIVERS]
    begin = max([w.now - timedelta(days=HISTORY_DAYS)] + [w.since(u) for u in lyon])
    begin += timedelta(days=10)
    end = w.now - timedelta(days=10)
    if end <= begin:
        return
    at = w.daytime(begin + (end - begin) * 0.5, 9, 12)
    fixed_at, again_at = at + timedelta(hours=3), at + timedelta(hours=3, minutes=20)
    message = story["message"]
    done: list = []  # the giver, the mistake, its correction

    def give_too_much():
        giver = next((u for u in lyon if fits(w, w.accounts[u.id], w.pot, typed)), None)
        if giver is not None and (mistake := plan_gift(w, giver, w.pot, typed, message, at)):
            done.extend([giver, mistake])
            w.reserved = typed  # the pot cannot pay it out before it is given back

    def correct():
        w.reserved = 0
        if not done:
            return
        giver, mistake = done
        reason = story["reason"].format(first=giver.display_name.split()[0])

        def log(correction: Transfer) -> None:
            entry = audit.record(
                w.admin.id,
                "transfer_corrected",
                reason=reason,
                subject_user_id=giver.id,
                target_type="transfer",
                target_id=mistake.transfer.id,
                correction_id=correction.id,
                minutes=typed,
            )
            entry.created_at = fixed_at

        payee = w.accounts[giver.id]
        if record_move(w, "correction", w.pot, payee, typed, reason, w.admin, fixed_at,
                 reverses=mistake, then=log):  # fmt: skip
            done.append("corrected")

    def give_again():
        if len(done) == 3:
            plan_gift(w, done[0], w.pot, meant, message + story["again"], again_at)

    w.plans += [Plan(at, give_too_much), Plan(fixed_at, correct), Plan(again_at, give_again)]
