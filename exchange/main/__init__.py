"""The main pages: the blueprint and its routes (`routes`), its forms (`forms`)."""

from exchange.main.routes import bp

__all__ = ["bp"]
