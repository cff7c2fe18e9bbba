"""The network's rules that an admin sets: credit limits, the welcome grant, the amount above
which a gift or a logged time must be confirmed, and for online fees the cap per exchange and
the share given to the commons."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from exchange.services.errors import Forbidden, InvalidInput, LargeAmountUnconfirmed
from exchange.services.moderation import audit
from models import NetworkSettings, User, db
from models.base import utcnow
from models.ledger import DEFAULT_CEILING, DEFAULT_FEE_CAP, DEFAULT_FLOOR, DEFAULT_LARGE_AMOUNT

# Beyond these a typo, not a choice: a floor of −1000 h, a ceiling of 10 000 h.
MAX_FLOOR = 1000 * 60
MAX_CEILING = 10000 * 60
MAX_GRANT = 100 * 60
MAX_LARGE_AMOUNT = 1000 * 60  # the most one movement may carry (ledger.MAX_MINUTES)
# Fees stay small: the network may lower the cap, or raise it up to 500 €; the commons take at
# most half of a fee.
MAX_FEE_CAP = 500_00
MAX_COMMONS_BP = 50_00


@dataclass(frozen=True)
class Rules:
    credit_floor: int = DEFAULT_FLOOR
    credit_ceiling: int = DEFAULT_CEILING
    welcome_grant: int = 0
    fee_cap_cents: int = DEFAULT_FEE_CAP
    commons_bp: int = 0  # basis points: 250 is 2.5 %
    large_amount: int = DEFAULT_LARGE_AMOUNT  # minutes


def current() -> Rules:
    """The rules in force (the defaults until an admin saves some). Reads only."""
    row = db.session.get(NetworkSettings, 1)
    if row is None:
        return Rules()
    return Rules(
        row.credit_floor,
        row.credit_ceiling,
        row.welcome_grant,
        row.fee_cap_cents,
        row.commons_bp,
        row.large_amount,
    )


def check_large(minutes: int, *, confirmed_large: bool) -> None:
    """A gift or a logged time above the network's threshold moves only once the person has
    read it back in words and confirmed it: a typed "30" is thirty hours, not thirty minutes.

    The rule lives here rather than in a form so that every way in (the web forms, the JSON
    API) asks for the same confirmation.
    """
    if minutes > current().large_amount and not confirmed_large:
        raise LargeAmountUnconfirmed(minutes=minutes)


def update(
    admin_id: int,
    *,
    credit_floor: int,
    credit_ceiling: int,
    welcome_grant: int,
    fee_cap_cents: int | None = None,
    commons_bp: int | None = None,
    large_amount: int | None = None,
    reason: str = "",
) -> Rules:
    """An admin sets the limits, the welcome grant, the fee rules and the amount that asks for
    a confirmation (None keeps those last three as they are); the change is logged with its
    reason.

    Balances already past a new limit stay as they are: from then on they may only move
    back towards it.
    """
    admin = db.session.get(User, admin_id)
    if admin is None or not admin.is_admin or admin.is_suspended:
        raise Forbidden()
    before = current()
    after = {
        "credit_floor": credit_floor,
        "credit_ceiling": credit_ceiling,
        "welcome_grant": welcome_grant,
        "fee_cap_cents": before.fee_cap_cents if fee_cap_cents is None else fee_cap_cents,
        "commons_bp": before.commons_bp if commons_bp is None else commons_bp,
        "large_amount": before.large_amount if large_amount is None else large_amount,
    }
    _check(**after)
    row = db.session.get(NetworkSettings, 1)
    if row is None:
        row = NetworkSettings(id=1)
        db.session.add(row)
    for name, value in after.items():
        setattr(row, name, value)
    row.updated_at = utcnow()
    row.updated_by_id = admin.id
    audit.record(
        admin.id,
        "rules_updated",
        reason=(reason or "").strip()[:1000],
        target_type="rules",
        before=before.__dict__,
        after=after,
    )
    db.session.commit()
    return current()


def _check(
    *,
    credit_floor: int,
    credit_ceiling: int,
    welcome_grant: int,
    fee_cap_cents: int,
    commons_bp: int,
    large_amount: int,
) -> None:
    """Each rule within its bounds, or the refusal beside its field."""
    if not -MAX_FLOOR <= credit_floor <= 0:
        raise InvalidInput(
            _l("Le plancher est un solde négatif ou nul, par exemple −20 h."), field="credit_floor"
        )
    if not 0 <= credit_ceiling <= MAX_CEILING:
        raise InvalidInput(
            _l("Le plafond est un solde positif ou nul, par exemple 100 h."),
            field="credit_ceiling",
        )
    if not 0 <= welcome_grant <= min(MAX_GRANT, credit_ceiling):
        raise InvalidInput(
            _l("Le crédit de bienvenue va de 0 (aucun) au plafond, 100 h au plus."),
            field="welcome_grant",
        )
    if not 0 < large_amount <= MAX_LARGE_AMOUNT:
        raise InvalidInput(
            _l("Le seuil de confirmation va de 1 min à 1000 h, par exemple 5 h."),
            field="large_amount",
        )
    if not 0 <= fee_cap_cents <= MAX_FEE_CAP:
        raise InvalidInput(
            _l("Le plafond des frais va de 0 € (aucun frais) à 500 € par échange."),
            field="fee_cap_cents",
        )
    if not 0 <= commons_bp <= MAX_COMMONS_BP:
        raise InvalidInput(
            _l("La contribution aux communs va de 0 à 50 pour cent des frais."), field="commons_bp"
        )
