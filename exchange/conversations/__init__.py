"""Conversations: the blueprint (`routes`), the coordination's pages (`coordination`), forms."""

from exchange.conversations import coordination as _coordination  # noqa: F401  (joins the bp)
from exchange.conversations.routes import bp

__all__ = ["bp"]
