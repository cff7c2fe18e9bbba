"""The history of the listings: who answered which offer or request, when, and how it went
(settled, declined, cancelled)."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from exchange.demo.data import known
from exchange.demo.history_data import ACCEPTS, OFFER_NEEDS, REQUEST_HELPERS, STORIES, Step
from exchange.demo.history_world import (
    Plan,
    World,
    done_minutes,
    fits,
    listing_window,
    proposal_text,
    settle,
    story_window,
    write_exchange,
)
from exchange.text import slugify
from models import (
    Listing,
    User,
)


def plan_listing(w: World, listing: Listing, start: datetime) -> None:
    """A few settled exchanges on a listing, over the time it was visible."""
    if listing.kind == "offer":
        if listing.title not in OFFER_NEEDS:
            return
    elif listing.title not in REQUEST_HELPERS:
        return
    begin, end = listing_window(w, listing, start)
    days = (end - begin).total_seconds() / 86400
    if days < 4:
        return
    count = min(2, int(days / w.rng.uniform(30, 45)))
    if listing.author_id in w.featured:
        count += 1
    answered: set[int] = set()
    for _ in range(count):
        proposed = w.awake(begin + (end - begin) * w.rng.random() * 0.8)
        accepted = w.awake(proposed + timedelta(hours=w.rng.uniform(2, 30)))
        performed = w.daytime(accepted + timedelta(days=w.rng.uniform(1, 8)))
        logged = min(w.awake(performed + timedelta(hours=w.rng.uniform(1, 20))), end)
        confirmed = w.awake(logged + timedelta(hours=w.rng.uniform(2, 60)))
        if not (accepted < performed < logged < confirmed < w.now - timedelta(hours=12)):
            continue
        times = (proposed, accepted, performed, logged, confirmed)
        w.plans.append(Plan(confirmed, partial(_listing_exchange, w, listing, times, answered)))


def _counterpart(w: World, listing: Listing, at: datetime, answered: set[int]) -> User | None:
    """Who answers the listing then: a member already there (in its space when on site),
    with the skills a request asks for, able to pay or be paid within the limits."""
    helpers = set()
    if listing.kind == "request":
        helpers = {slugify(name) for name in REQUEST_HELPERS[listing.title][0]}
    minutes = listing.estimated_minutes or 120
    author = w.accounts[listing.author_id]
    people, weights = [], []
    for user in w.users.values():
        spaces = w.spaces.get(user.id)
        if user.id == listing.author_id or user.id in answered or not spaces:
            continue
        joined = spaces.get(listing.space_id) if listing.mode == "on_site" else min(spaces.values())
        if joined is None or joined > at - timedelta(days=1):
            continue
        if helpers and not helpers & w.skills[user.id]:
            continue
        account = w.accounts[user.id]
        payer, payee = (account, author) if listing.kind == "offer" else (author, account)
        if not fits(w, payer, payee, minutes + 60):
            continue
        weight = 3.0 if user.id in w.featured else 1.0
        if listing.space_id in spaces:
            weight *= 3
        # Who has received a lot tends to give back, and the other way round.
        balance = w.balance[account.id]
        lean = balance / 600 if listing.kind == "offer" else -balance / 600
        weight *= min(3.0, max(0.25, 1 + lean))
        people.append(user)
        weights.append(weight)
    if not people:
        return None
    return w.rng.choices(people, weights)[0]


def _listing_exchange(w: World, listing: Listing, times, answered: set[int]) -> None:
    proposed, accepted, performed, logged, confirmed = times
    other = _counterpart(w, listing, proposed, answered)
    if other is None:
        return
    author = listing.author
    provider, receiver = (author, other) if listing.kind == "offer" else (other, author)
    foreseen = listing.estimated_minutes
    minutes, note = done_minutes(w, foreseen)
    if not fits(w, w.accounts[receiver.id], w.accounts[provider.id], minutes):
        return
    if listing.kind == "offer":
        why = w.rng.choice(OFFER_NEEDS[listing.title])
    else:
        why = w.rng.choice(REQUEST_HELPERS[listing.title][1])
    message = proposal_text(w, listing, why)
    logger = provider if w.rng.random() < 0.75 else receiver
    confirmer = receiver if logger is provider else provider
    answered.add(other.id)
    exchange = write_exchange(
        w,
        provider=provider,
        receiver=receiver,
        initiator=other,
        title=listing.title,
        listing=listing,
        message=message,
        foreseen=foreseen,
        performed_on=w.local_day(performed),
        steps=[
            Step("proposed", other, proposed, foreseen, message),
            Step("accepted", author, accepted, None, w.rng.choice(ACCEPTS)),
            Step("logged", logger, logged, minutes, note),
            Step("confirmed", confirmer, confirmed, minutes),
        ],
    )
    settle(exchange, w, confirmer, minutes, listing.title, confirmed)


def answer_listing(
    w: World,
    title: str,
    name: str,
    at: datetime,
    message: str,
    *,
    answer: str = "",
    outcome: str = "confirmed",
    minutes: int | None = None,
    note: str = "",
    who_cancels: str = "initiator",
    text: str = "",
) -> Plan:
    """A scripted exchange on a listing, proposed at `at`: confirmed (minutes, note),
    declined (text), or accepted then cancelled (text)."""
    listing, other = w.listings[title], w.user(name)
    author = listing.author
    provider, receiver = (author, other) if listing.kind == "offer" else (other, author)
    accepted = w.awake(at + timedelta(hours=w.rng.uniform(3, 20)))
    steps = [Step("proposed", other, at, listing.estimated_minutes, message)]
    if outcome == "declined":
        steps.append(Step("declined", author, accepted, None, text))
    else:
        steps.append(Step("accepted", author, accepted, None, answer))
    if outcome == "cancelled":
        canceller = other if who_cancels == "initiator" else author
        steps.append(Step("cancelled", canceller, accepted + timedelta(days=2), None, text))
    performed = None
    if outcome == "confirmed":
        performed = w.daytime(accepted + timedelta(days=w.rng.uniform(1, 4)))
        logged = w.awake(performed + timedelta(hours=w.rng.uniform(2, 8)))
        steps.append(Step("logged", provider, logged, minutes, note))
        steps.append(Step("confirmed", receiver, w.awake(logged + timedelta(hours=20)), minutes))

    def run():
        if outcome == "confirmed" and not fits(
            w, w.accounts[receiver.id], w.accounts[provider.id], known(minutes)
        ):
            return
        exchange = write_exchange(
            w,
            provider=provider,
            receiver=receiver,
            initiator=other,
            title=listing.title,
            listing=listing,
            message=message,
            foreseen=listing.estimated_minutes,
            performed_on=w.local_day(performed) if performed else None,
            steps=steps,
        )
        if outcome == "confirmed":
            settle(exchange, w, receiver, known(minutes), listing.title, steps[-1].at)

    return Plan(steps[-1].at, run)


def plan_answered(w: World) -> None:
    """Two requests closed by their authors once someone had helped."""
    for story in STORIES["answered"]:
        title, name = story["listing"], story["by"]
        begin, end = story_window(w, w.user(name), listing=w.listings[title])
        end -= timedelta(days=3)  # done and confirmed before the author closed it
        if end > begin:
            at = w.daytime(begin + (end - begin) * w.rng.uniform(0, 0.3))
            w.plans.append(
                answer_listing(
                    w,
                    title,
                    name,
                    at,
                    story["message"],
                    answer=story["answer"],
                    minutes=story["minutes"],
                    note=story["note"],
                )
            )


def plan_declined_and_cancelled(w: World) -> None:
    """Answers declined, or accepted then cancelled; one was followed by another that went
    through."""
    for story in STORIES["declined"]:
        title, name = story["listing"], story["by"]
        people = [w.user(n) for n in (name, *story.get("window_with", ()))]
        begin, end = story_window(w, *people, listing=w.listings[title])
        if end - begin <= timedelta(days=story.get("min_days", 0)):
            continue
        at = w.daytime(begin + (end - begin) * story["share"])
        w.plans.append(
            answer_listing(
                w,
                title,
                name,
                at,
                story["message"],
                outcome=story["outcome"],
                answer=story.get("answer", ""),
                who_cancels=story.get("who_cancels", "initiator"),
                text=story["text"],
            )
        )
        if (then := story.get("then")) is not None:
            w.plans.append(
                answer_listing(
                    w,
                    title,
                    then["by"],
                    at + timedelta(hours=then["hours"]),
                    then["message"],
                    answer=then["answer"],
                    minutes=then["minutes"],
                    note=then["note"],
                )
            )
