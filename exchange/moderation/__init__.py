"""The moderation pages: the blueprint and its routes (`routes`), its forms (`forms`)."""

from exchange.moderation.routes import bp

__all__ = ["bp"]
