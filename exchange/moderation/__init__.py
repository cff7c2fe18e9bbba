"""The moderation pages: the blueprint and its routes (`routes`; acting for a member and
contesting such an act in `for_members`), its forms (`forms`)."""

from exchange.moderation import for_members as _for_members  # noqa: F401  (its routes join bp)
from exchange.moderation.routes import bp

__all__ = ["bp"]
