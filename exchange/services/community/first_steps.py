"""A newcomer's first steps: a checklist that ticks itself from what the member has done."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, or_, select

from models import Exchange, Listing, Membership, User, db, user_skills

STEPS = ("space", "skills", "photo", "listing", "exchange")


@dataclass(frozen=True)
class Progress:
    done: dict[str, bool]
    waiting_for_a_space: bool  # asked to join a space that approves its members

    @property
    def count(self) -> int:
        return sum(self.done.values())

    @property
    def finished(self) -> bool:
        return all(self.done.values())


def progress(user_id: int) -> Progress:
    """Where the member stands, in one query."""

    def membership(status: str):
        return exists().where(Membership.user_id == user_id, Membership.status == status)

    party = or_(Exchange.provider_id == user_id, Exchange.receiver_id == user_id)
    row = db.session.execute(
        select(
            membership("active"),
            or_(User.bio != "", exists().where(user_skills.c.user_id == user_id)),
            User.photo.is_not(None),
            exists().where(Listing.author_id == user_id),
            exists().where(party, Exchange.state == "confirmed"),
            membership("pending"),
        ).where(User.id == user_id)
    ).one()
    return Progress(
        done=dict(zip(STEPS, map(bool, row[:5]), strict=True)), waiting_for_a_space=bool(row[5])
    )
