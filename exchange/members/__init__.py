"""The members pages: the blueprint and its routes (`routes`), its forms (`forms`)."""

from exchange.members.routes import bp

__all__ = ["bp"]
