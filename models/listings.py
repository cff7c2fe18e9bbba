"""Listings (offers and requests of skills), their categories and search terms, and reports."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Model, UTCDateTime, db, utcnow
from models.users import Skill

KINDS = ("offer", "request")
MODES = ("remote", "on_site", "both")
STATUSES = ("active", "paused", "closed")
MODERATION_STATES = ("approved", "pending", "hidden")

listing_skills = Table(
    "listing_skills",
    db.metadata,
    Column("listing_id", ForeignKey("listings.id", ondelete="CASCADE"), primary_key=True),
    Column("skill_id", ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Category(Model):
    """A listing category; the admin keeps the list."""

    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name_fr: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" else self.name_fr


class Listing(Model):
    """An offer ("je peux aider sur…") or a request ("je cherche…"), in the pad standard."""

    __tablename__ = "listings"
    __table_args__ = (
        CheckConstraint("kind IN ('offer', 'request')", name="kind"),
        CheckConstraint("mode IN ('remote', 'on_site', 'both')", name="mode"),
        CheckConstraint("status IN ('active', 'paused', 'closed')", name="status"),
        CheckConstraint("moderation IN ('approved', 'pending', 'hidden')", name="moderation"),
        CheckConstraint("estimated_minutes IS NULL OR estimated_minutes > 0", name="estimate"),
        # The search's filter: what is visible, newest first.
        Index("ix_listings_visible", "status", "moderation", "expires_at"),
        # The search checks the filters and the date of every listing that matches (thousands
        # for a common word) before it keeps a page: this narrow copy of those columns answers
        # from the index alone, without reading the wide rows (listing_queries._search_page).
        Index(
            "ix_listings_search",
            "id",
            "status",
            "moderation",
            "expires_at",
            "author_id",
            "created_at",
            "kind",
            "space_id",
            "category_id",
            "mode",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="RESTRICT"), index=True)
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("categories.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(120))
    summary: Mapped[str] = mapped_column(String(400))  # the pad's three-line description
    details: Mapped[str] = mapped_column(Text, default="", server_default="")  # markdown
    next_steps: Mapped[str] = mapped_column(String(500), default="", server_default="")
    mode: Mapped[str] = mapped_column(String(10), default="both", server_default="both")
    estimated_minutes: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="active", server_default="active")
    moderation: Mapped[str] = mapped_column(
        String(10), default="approved", server_default="approved"
    )
    moderation_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    edit_requested: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Lower-case, accent-free copy of what is searchable (title, texts, tags, category), kept
    # by the service on every save; the search indexes derive from it.
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")

    author = relationship("User", foreign_keys=[author_id])
    space = relationship("Space")
    category: Mapped[Category | None] = relationship()
    skills: Mapped[list[Skill]] = relationship(
        secondary=listing_skills, order_by=Skill.name, lazy="selectin"
    )

    def is_expired(self, now: datetime | None = None) -> bool:
        return self.expires_at <= (now or utcnow())

    def is_public(self, now: datetime | None = None) -> bool:
        """Seen by everybody and found by the search."""
        return (
            self.status == "active"
            and self.moderation == "approved"
            and not self.is_expired(now)
            and self.author.suspended_at is None
        )


class ListingTerm(Model):
    """One distinct searchable word of a listing, with its French stem and weight.

    The search finds the words that answer a query in `search_vocabulary`, then joins them
    here by `term` (services/search.py, relevance); the index holds the listing and the weight
    too, so that join never reads the table itself.
    """

    __tablename__ = "listing_terms"

    listing_id: Mapped[int] = mapped_column(
        ForeignKey("listings.id", ondelete="CASCADE"), primary_key=True
    )
    term: Mapped[str] = mapped_column(String(60), primary_key=True)
    stem: Mapped[str] = mapped_column(String(60))
    weight: Mapped[int] = mapped_column(SmallInteger, default=1)  # 3 title/tags, 1 the rest

    __table_args__ = (Index("ix_listing_terms_lookup", "term", "listing_id", "weight"),)


class SearchVocabulary(Model):
    """Every distinct word of the listings once, with its stem: what a query word is matched
    against (prefix, stem, trigrams) before the listings are. Append-only: a word stays when
    its last listing goes (it then matches nothing), so the ids only grow and SQLite workers
    keep a copy in memory that they bring up to date with `id > last seen`."""

    __tablename__ = "search_vocabulary"

    id: Mapped[int] = mapped_column(primary_key=True)
    term: Mapped[str] = mapped_column(String(60), unique=True)
    stem: Mapped[str] = mapped_column(String(60))

    __table_args__ = (
        # PostgreSQL finds "the stems that start with …" in this index (LIKE 'stem%' under
        # any collation); on SQLite the words are matched in memory.
        Index("ix_search_vocabulary_stem", "stem", postgresql_ops={"stem": "varchar_pattern_ops"}),
        # AUTOINCREMENT: an id is never given twice, even after the rows were deleted, so a
        # copy that has seen every id up to N knows it is complete up to N.
        {"sqlite_autoincrement": True},
    )


# Schema objects that exist on PostgreSQL only, created by the migrations: the full-text
# vector (French configuration, unaccent) kept by a trigger, its GIN index, and the GIN
# trigram index of the vocabulary (prefixes and typos).
PG_ONLY = {
    "columns": {("listings", "search_vector")},
    "indexes": {"ix_listings_search_vector", "ix_search_vocabulary_trgm"},
}

REPORT_REASONS = ("spam", "inappropriate", "misleading", "harassment", "other")
REPORT_STATUSES = ("open", "dismissed", "actioned")


class Report(Model):
    """A member flags a listing, a profile, a feedback or a message for the coordinators."""

    __tablename__ = "reports"
    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN listing_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN member_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN feedback_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN message_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_target",
        ),
        CheckConstraint("status IN ('open', 'dismissed', 'actioned')", name="status"),
        # One open report per member per item: a database rule, not only a check in Python.
        Index(
            "uq_reports_open_listing",
            "reporter_id",
            "listing_id",
            unique=True,
            sqlite_where=text("status = 'open' AND listing_id IS NOT NULL"),
            postgresql_where=text("status = 'open' AND listing_id IS NOT NULL"),
        ),
        Index(
            "uq_reports_open_member",
            "reporter_id",
            "member_id",
            unique=True,
            sqlite_where=text("status = 'open' AND member_id IS NOT NULL"),
            postgresql_where=text("status = 'open' AND member_id IS NOT NULL"),
        ),
        Index(
            "uq_reports_open_feedback",
            "reporter_id",
            "feedback_id",
            unique=True,
            sqlite_where=text("status = 'open' AND feedback_id IS NOT NULL"),
            postgresql_where=text("status = 'open' AND feedback_id IS NOT NULL"),
        ),
        Index(
            "uq_reports_open_message",
            "reporter_id",
            "message_id",
            unique=True,
            sqlite_where=text("status = 'open' AND message_id IS NOT NULL"),
            postgresql_where=text("status = 'open' AND message_id IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    listing_id: Mapped[int | None] = mapped_column(
        ForeignKey("listings.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    feedback_id: Mapped[int | None] = mapped_column(
        ForeignKey("feedback.id", ondelete="CASCADE"), index=True
    )
    # A message of a conversation the reporter takes part in (models/conversations.py).
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text, default="", server_default="")
    status: Mapped[str] = mapped_column(String(10), default="open", server_default="open")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome: Mapped[str] = mapped_column(Text, default="", server_default="")

    reporter = relationship("User", foreign_keys=[reporter_id])
    member = relationship("User", foreign_keys=[member_id])
    listing: Mapped[Listing | None] = relationship()
    feedback = relationship("Feedback")
    message = relationship("Message")
    handled_by = relationship("User", foreign_keys=[handled_by_id])
