"""The feedback pages: the blueprint and its routes (`routes`), its forms (`forms`)."""

from exchange.feedback.routes import bp

__all__ = ["bp"]
