"""Online fees through Stripe: whether they are on, and the amounts they are counted in.

Fees are on only when the network has set its three Stripe keys (STRIPE_SECRET_KEY,
STRIPE_WEBHOOK_SECRET, STRIPE_PUBLISHABLE_KEY). Without them every other part of Archipel works
on time credits alone, and the pages say plainly that online fees are off.
Amounts are whole euro cents; shares are basis points (1 % = 100).
"""

from __future__ import annotations

import re
from decimal import Decimal

from flask import current_app
from flask_babel import format_currency, format_percent

KEYS = ("STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_PUBLISHABLE_KEY")


def online_fees_enabled() -> bool:
    return all(current_app.config.get(key) for key in KEYS)


def commons_share(amount_cents: int, commons_bp: int) -> int:
    """The commons' part of a fee, in cents, rounded down (never more than was said)."""
    return amount_cents * commons_bp // 10_000


_EUROS = re.compile(r"^(\d{1,6})(?:[.,](\d{1,2}))?$")
_PERCENT = re.compile(r"^(\d{1,3})(?:[.,](\d{1,2}))?$")


def parse_euros(text: str | None) -> int | None:
    """'12', '12,5', '12.50 €' → cents; None when it is not an amount."""
    raw = (text or "").strip().replace("\u00a0", "").replace(" ", "").removesuffix("€")
    match = _EUROS.match(raw)
    if match is None:
        return None
    return int(match[1]) * 100 + int((match[2] or "0").ljust(2, "0"))


def parse_percent(text: str | None) -> int | None:
    """'2', '2,5', '2.25 %' → basis points; None when it is not a percentage."""
    raw = (text or "").strip().replace("\u00a0", "").replace(" ", "").removesuffix("%")
    match = _PERCENT.match(raw)
    if match is None:
        return None
    return int(match[1]) * 100 + int((match[2] or "0").ljust(2, "0"))


def euros_text(cents: int) -> str:
    """An amount in the reader's language: '12,50 €' in French, '€12.50' in English."""
    return format_currency(Decimal(cents) / 100, "EUR")


def euros_input(cents: int) -> str:
    """An amount as a form field shows it: '50', '12,50'."""
    whole, rest = divmod(cents, 100)
    return str(whole) if not rest else f"{whole},{rest:02d}"


def percent_text(bp: int) -> str:
    """A share in the reader's language: '2,5 %' in French, '2.5%' in English."""
    return format_percent(Decimal(bp) / 10_000, "#,##0.##%")


def percent_input(bp: int) -> str:
    whole, rest = divmod(bp, 100)
    return str(whole) if not rest else f"{whole},{rest:02d}".rstrip("0")
