"""The account pages: the blueprint and its routes (`routes`), its forms (`forms`)."""

from exchange.account.routes import bp

__all__ = ["bp"]
