"""How much may move: a movement's minutes within reason, each account between its floor and
ceiling (the pot between 0 and no ceiling), and the refusal that says how much is possible."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from exchange.durations import format_minutes
from exchange.services.errors import CreditLimitExceeded, InvalidInput
from exchange.services.ledger import rules as network_rules
from models import Account

MAX_MINUTES = 1000 * 60  # one movement of more than 1000 h is a typo


@dataclass(frozen=True)
class Limits:
    floor: int
    ceiling: int | None  # None: no ceiling (the pot)


def limits_of(account: Account, rules: network_rules.Rules | None = None) -> Limits:
    """A member's account lives between the network's floor and ceiling; the pot between 0
    and no ceiling (it gives only what it was given)."""
    if account.is_pot:
        return Limits(0, None)
    rules = rules or network_rules.current()
    return Limits(rules.credit_floor, rules.credit_ceiling)


def possible_move(balance: int, delta: int, limits: Limits) -> int | None:
    """None when `balance + delta` stays allowed, else how much of |delta| could move.

    A balance already past a limit (the admin moved the limit) may still move back towards it.
    """
    after = balance + delta
    if delta < 0 and after < limits.floor:
        return max(0, balance - limits.floor)
    if delta > 0 and limits.ceiling is not None and after > limits.ceiling:
        return max(0, limits.ceiling - balance)
    return None


def _refusal(account: Account, delta: int, limits: Limits, possible: int, actor_id: int | None):
    values = {
        "after": format_minutes(account.balance + delta),
        "possible": format_minutes(possible),
        "balance": format_minutes(account.balance),
    }
    name = account.user.display_name if account.user is not None else ""  # the pot has no holder
    if account.is_pot:
        message = _l(
            "La caisse commune n'a que %(balance)s : elle peut verser au plus %(possible)s pour "
            "l'instant. Réduisez la durée, ou attendez de nouveaux dons à la caisse.",
            **values,
        )
    elif delta < 0 and account.user_id == actor_id:
        message = _l(
            "Votre solde passerait à %(after)s, sous le plancher du réseau (%(floor)s). Au plus "
            "%(possible)s peuvent partir de votre compte pour l'instant : réduisez la durée, ou "
            "rendez service d'abord pour regagner des crédits.",
            floor=format_minutes(limits.floor),
            **values,
        )
    elif delta < 0:
        message = _l(
            "Le solde de %(name)s passerait à %(after)s, sous le plancher du réseau (%(floor)s). "
            "Au plus %(possible)s peuvent partir de son compte pour l'instant : réduisez la "
            "durée, ou attendez que ce compte regagne des crédits.",
            name=name,
            floor=format_minutes(limits.floor),
            **values,
        )
    elif account.user_id == actor_id:
        message = _l(
            "Votre solde passerait à %(after)s, au-delà du plafond du réseau (%(ceiling)s). Votre "
            "compte peut recevoir au plus %(possible)s pour l'instant : réduisez la durée, ou "
            "donnez d'abord du temps à un membre ou à la caisse commune.",
            ceiling=format_minutes(limits.ceiling),
            **values,
        )
    else:
        message = _l(
            "Le solde de %(name)s passerait à %(after)s, au-delà du plafond du réseau "
            "(%(ceiling)s). Son compte peut recevoir au plus %(possible)s pour l'instant : "
            "réduisez la durée ; ce compte peut aussi donner du temps à la caisse commune.",
            name=name,
            ceiling=format_minutes(limits.ceiling),
            **values,
        )
    return CreditLimitExceeded(message, possible=possible, field="minutes")


def check_minutes(minutes) -> int:
    """A whole, positive number of minutes, within reason."""
    if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes <= 0:
        raise InvalidInput(_l("Indiquez une durée positive, par exemple 1 h 30."), field="minutes")
    if minutes > MAX_MINUTES:
        raise InvalidInput(
            _l("Une durée de plus de 1000 h ? Vérifiez le nombre saisi."), field="minutes"
        )
    return minutes


def check_room(debit: Account, credit: Account, minutes: int, actor_id: int | None) -> None:
    """CreditLimitExceeded when `minutes` would take either account past its limit. transfer()
    checks it on locked rows; a use case may ask first, before asking a person to confirm."""
    rules = network_rules.current()
    for account, delta in ((debit, -minutes), (credit, minutes)):
        limits = limits_of(account, rules)
        possible = possible_move(account.balance, delta, limits)
        if possible is not None:
            raise _refusal(account, delta, limits, possible, actor_id)
