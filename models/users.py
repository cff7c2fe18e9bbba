"""Members, their skills and their log-in sessions."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Boolean, Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Model, UTCDateTime, db, utcnow

if TYPE_CHECKING:  # the type checker reads the class; at run time the relationship names it
    from models.spaces import Membership

user_skills = Table(
    "user_skills",
    db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("skill_id", ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True),
)


class Skill(Model):
    """A skill tag, shared by members (and later listings); `slug` is its normalised key."""

    __tablename__ = "skills"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    slug: Mapped[str] = mapped_column(String(60), unique=True)

    def __repr__(self) -> str:
        return f"<Skill {self.slug}>"


class User(Model):
    """A member of the network. Email and password are private; the rest is the profile."""

    __tablename__ = "users"
    # The directory and the home page list members by name: read in order, not sorted.
    __table_args__ = (Index("ix_users_display_name", "display_name", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(255))
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    locale: Mapped[str | None] = mapped_column(String(5))
    suspended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    suspension_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The member left (GDPR art. 17): name, address and texts are gone, the ledger's rows stay.
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    bio: Mapped[str] = mapped_column(Text, default="", server_default="")
    city: Mapped[str] = mapped_column(String(80), default="", server_default="")
    languages: Mapped[str] = mapped_column(String(120), default="", server_default="")
    contact: Mapped[str] = mapped_column(String(300), default="", server_default="")
    # The profile picture's name in the file store (exchange/images.py draws it, the storage
    # adapter keeps it): a digest of its content, so a new picture gets a new address and
    # browsers may keep one for a year. None: initials in a circle.
    photo: Mapped[str | None] = mapped_column(String(40))
    # How the member wants to be told, topic by topic (exchange/services/notify/preferences.py);
    # None or a topic left out: its default.
    notification_channels: Mapped[dict | None] = mapped_column(JSON)
    # Lower-case, accent-free copy of name, city and skills, so the directory search
    # finds "Hélène" when someone types "helene".
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")

    skills: Mapped[list[Skill]] = relationship(
        secondary=user_skills, order_by=Skill.name, lazy="selectin"
    )
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user",
        foreign_keys="Membership.user_id",
        cascade="all, delete-orphan",
    )

    # Flask-Login reads these. The id it keeps in the cookie is the log-in session's token,
    # set by the loader, so that ending a session makes its cookies worthless.
    if TYPE_CHECKING:
        session_token: str | None  # not a column: the log-in session this request came with
    else:
        session_token = None

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str | None:
        return self.session_token

    @property
    def is_suspended(self) -> bool:
        return self.suspended_at is not None

    @property
    def email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    def active_memberships(self):
        return [m for m in self.memberships if m.status == "active"]

    def coordinated_space_ids(self) -> set[int]:
        return {
            m.space_id for m in self.memberships if m.status == "active" and m.role == "coordinator"
        }

    def is_coordinator_of(self, space_id: int) -> bool:
        return space_id in self.coordinated_space_ids()

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class LoginSession(Model):
    """One log-in on one device. The cookie carries a random token; we keep only its hash.

    Logging out revokes the row, so a copy of the cookie replayed later is refused.
    """

    __tablename__ = "login_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 hex of the token
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    remember: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    user_agent: Mapped[str] = mapped_column(String(200), default="", server_default="")

    user: Mapped[User] = relationship()
