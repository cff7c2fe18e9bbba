"""The listings pages: the blueprint and its routes (`routes`), its forms (`forms`)."""

from exchange.listings.routes import bp

__all__ = ["bp"]
