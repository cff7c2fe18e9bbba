"""The payments pages: the blueprint and its routes (`routes`), its forms (`forms`)."""

from exchange.payments.routes import bp

__all__ = ["bp"]
