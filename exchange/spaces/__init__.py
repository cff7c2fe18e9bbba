"""The spaces pages: the blueprint and its routes (`routes`), its forms (`forms`)."""

from exchange.spaces.routes import bp

__all__ = ["bp"]
