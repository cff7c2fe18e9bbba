"""The moderation log writer. Rows are appended inside the caller's transaction, never edited."""

from __future__ import annotations

from models import ModerationAction, db


def record(
    actor_id: int | None,
    action: str,
    *,
    reason: str = "",
    space_id: int | None = None,
    subject_user_id: int | None = None,
    target_type: str = "",
    target_id: int | None = None,
    **details,
) -> ModerationAction:
    """Add one act (who, what, on what, why) to the log."""
    entry = ModerationAction(
        actor_id=actor_id,
        action=action,
        reason=reason,
        space_id=space_id,
        subject_user_id=subject_user_id,
        target_type=target_type,
        target_id=target_id,
        details=details,
    )
    db.session.add(entry)
    return entry
