"""The auth pages: the blueprint and its routes (`routes`), its forms (`forms`)."""

from exchange.auth.routes import bp

__all__ = ["bp"]
