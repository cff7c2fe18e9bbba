"""The exchanges pages: the blueprint and its routes (`routes`), its forms (`forms`)."""

from exchange.exchanges.routes import bp

__all__ = ["bp"]
