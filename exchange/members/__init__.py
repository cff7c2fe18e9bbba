"""The members pages: the blueprint and its routes (`routes`, the pictures' in `photos`), its
forms (`forms`)."""

from exchange.members import photos as _photos  # noqa: F401  (its routes join the blueprint)
from exchange.members.routes import bp

__all__ = ["bp"]
