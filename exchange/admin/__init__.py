"""The admin pages: the blueprint and its routes (`routes`), its forms (`forms`)."""

from exchange.admin import (
    emails,  # noqa: F401  (its routes join the blueprint)
    members,  # noqa: F401
)
from exchange.admin.routes import bp

__all__ = ["bp"]
