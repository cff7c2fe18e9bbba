"""Feedback on the confirmed exchanges, by the rules of `services.feedback`: each party at most
once, about the other, within the 14 days after the confirmation; double-blind (both appear when
the second writes, else when the window closes, and are announced then); only the receiver
confirms skills, among the listing's; some public replies, a few comments hidden by a
coordinator. The member with a long profile gets hundreds of voices."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from exchange.demo_scale import bulk
from exchange.demo_scale.world import World
from models import Feedback, feedback_skills
from models.feedback import WINDOW

HIDDEN_REASON = (
    "Ce commentaire donnait le numéro de téléphone d'un membre : masqué, le reste demeure."
)


def add(w: World, phases: bulk.Phases) -> None:
    rng = w.dice()
    people = {m.id: m for m in [w.admin, *w.members]}
    with phases.phase("feedback", w.scale.feedback) as bar:
        rows = _rows(w, rng, people)
        rows.sort(key=lambda row: (row["created_at"], row["exchange_id"]))
        first = w.ids.take(Feedback.__table__, len(rows))
        for i, row in enumerate(rows):
            row["id"] = first + i
            _moderate(w, rng, row, people)
        w.feedback_rows = [
            (r["id"], r["author_id"], r["subject_id"], r["visible_from"]) for r in rows
        ]
        w.expected = _expected(w, rows, w.named["profile"].id)
        with bulk.without_indexes(Feedback.__table__):
            bulk.insert_together(_groups(rows), bar, Feedback.__table__)
    w.counts["feedback"] = len(rows)


def _plans(w: World, rng):
    """(exchange, how many sides write) until the scale's count: the reputed member's
    exchanges first, then the others in a shuffled order."""
    reputed = w.named["profile"].id
    mine = [row for row in w.confirmed if reputed in (row["provider_id"], row["receiver_id"])]
    others = [row for row in w.confirmed if reputed not in (row["provider_id"], row["receiver_id"])]
    rng.shuffle(others)
    for row in mine:
        yield row, rng.choices((2, 1, 0), (35, 45, 20))[0]
    for row in others:
        yield row, rng.choices((2, 1), (55, 45))[0]


def _rows(w: World, rng, people) -> list[dict]:
    rows: list[dict] = []
    wanted = w.scale.feedback
    reputed = w.named["profile"].id
    for exchange, sides in _plans(w, rng):
        if len(rows) >= wanted:
            break
        sides = min(sides, wanted - len(rows))
        if sides == 0:
            continue
        parties = [exchange["provider_id"], exchange["receiver_id"]]
        rng.shuffle(parties)
        if sides == 1 and reputed in parties and rng.random() < 0.8:
            parties.sort(key=lambda p: p == reputed)  # the counterpart speaks about them
        rows += _written(w, rng, exchange, parties[:sides], people)
    return rows


def _written(w: World, rng, exchange: dict, authors: list[int], people) -> list[dict]:
    """The feedback the authors wrote on this exchange, by now, with when they show."""
    closed = exchange["closed_at"]
    moments = sorted(closed + WINDOW * rng.random() ** 2 for _ in authors)
    moments = [at for at in moments if at <= w.now]
    if not moments:
        return []
    both = len(moments) == 2
    shows = moments[1] if both else closed + WINDOW
    announced = shows if both else _job_after(shows, w.now)
    rows = []
    for author, at in zip(authors, moments, strict=False):
        subject = (
            exchange["provider_id"]
            if author == exchange["receiver_id"]
            else exchange["receiver_id"]
        )
        received = author == exchange["receiver_id"]
        recommendation = rng.choices(
            ("recommends", "neutral", "not_recommended"), (90, 7, 3) if received else (93, 5, 2)
        )[0]
        comment = ""
        if rng.random() < 0.75:
            comment = w.writer.feedback(recommendation, people[subject].first, received)
        skills = ()
        if received and exchange["_skills"] and rng.random() < 0.5:
            skills = tuple(rng.sample(exchange["_skills"], min(2, len(exchange["_skills"]))))
        rows.append(
            {
                "exchange_id": exchange["id"],
                "author_id": author,
                "subject_id": subject,
                "recommendation": recommendation,
                "comment": comment,
                "created_at": at,
                "updated_at": at,
                "visible_from": shows,
                "announced_at": announced,
                "reply": "",
                "replied_at": None,
                "comment_hidden_at": None,
                "comment_hidden_reason": "",
                "reply_hidden_at": None,
                "reply_hidden_reason": "",
                "_skills": skills,
            }
        )
    return rows


def _job_after(at: datetime, now: datetime) -> datetime | None:
    """When `flask feedback publish` told both parties (it runs every night), if it has."""
    told = at + timedelta(hours=8)
    return told if told <= now else None


def _moderate(w: World, rng, row: dict, people) -> None:
    """A public reply now and then; a comment hidden by a coordinator once in a while."""
    shows = row["visible_from"]
    if shows > w.now:
        return
    if rng.random() < 0.06:
        replied = shows + timedelta(hours=rng.uniform(1, 240))
        if replied <= w.now:
            row["reply"] = w.writer.reply(people[row["author_id"]].first)
            row["replied_at"] = replied
    if row["comment"] and rng.random() < 0.001:
        hidden = min(shows + timedelta(days=rng.uniform(0.5, 6)), w.now)
        row.update(comment_hidden_at=hidden, comment_hidden_reason=HIDDEN_REASON)
        space_id = w.homes[row["subject_id"]]
        steward = next(
            (
                c
                for c in w.stewards.get(space_id, ())
                if c not in (row["author_id"], row["subject_id"])
            ),
            w.admin.id,
        )
        w.act(
            hidden,
            steward,
            "feedback_hidden",
            reason=HIDDEN_REASON,
            space_id=space_id,
            subject_user_id=row["author_id"],
            target_type="feedback",
            target_id=row["id"],
            details={"part": "comment", "about_id": row["subject_id"], "reports": []},
        )


def _expected(w: World, rows: list[dict], subject_id: int) -> dict[str, int]:
    """The reputation the rows give this member by the rules (one voice per counterpart, their
    latest feedback that shows): what `services.reputation` must find."""
    latest: dict[int, dict] = {}
    for row in rows:
        if row["subject_id"] == subject_id and row["visible_from"] <= w.now:
            key = (row["created_at"], row["id"])
            held = latest.get(row["author_id"])
            if held is None or key > (held["created_at"], held["id"]):
                latest[row["author_id"]] = row
    counts = Counter(row["recommendation"] for row in latest.values())
    shown = sum(
        1 for row in rows if row["subject_id"] == subject_id and row["visible_from"] <= w.now
    )
    return {
        **{r: counts.get(r, 0) for r in ("recommends", "neutral", "not_recommended")},
        "shown": shown,
    }


def _groups(rows: list[dict]):
    columns = [c.name for c in Feedback.__table__.columns]
    for chunk in bulk.batches(rows, 4000):
        yield {
            Feedback.__table__: [{c: row[c] for c in columns} for row in chunk],
            feedback_skills: [
                {"feedback_id": row["id"], "skill_id": s} for row in chunk for s in row["_skills"]
            ],
        }
