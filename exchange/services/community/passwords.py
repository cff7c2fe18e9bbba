"""Password rules and hashing (argon2id)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext as _l
from zxcvbn import zxcvbn

from exchange.services.errors import WeakPassword

MIN_LENGTH = 10
MAX_LENGTH = 256  # argon2 would take more, but nobody types this; it bounds the work per attempt

# zxcvbn's dictionaries are English; these are the French words that top the French leaks,
# plus the network's own words, which any attacker would try first.
FRENCH_COMMON = (
    "motdepasse", "azerty", "soleil", "doudou", "marseille", "chouchou", "loulou", "bonjour",
    "jetaime", "coucou", "nicolas", "camille", "julien", "celine", "toulouse", "lyon", "paris",
    "football", "chocolat", "princesse", "archipel", "coworking", "tierslieu", "cooperative",
)  # fmt: skip

# zxcvbn only reads the first 100 characters: past that it is slow and adds nothing.
_ZXCVBN_WINDOW = 100


def check_strength(password: str, user_inputs: list[str] | tuple[str, ...] = ()) -> None:
    """Refuse short passwords and the commonly used or easily guessed ones.

    zxcvbn knows the most common passwords of the big leaks, keyboard walks, repeats,
    dates and the member's own name and address; a score under 2 means "too guessable".
    """
    if len(password) < MIN_LENGTH:
        raise WeakPassword(
            _l("Le mot de passe doit compter au moins %(n)s caractères.", n=MIN_LENGTH),
            field="password",
        )
    if len(password) > MAX_LENGTH:
        raise WeakPassword(
            _l("Le mot de passe ne peut dépasser %(n)s caractères.", n=MAX_LENGTH),
            field="password",
        )
    inputs = [*FRENCH_COMMON, *(part for value in user_inputs for part in _parts(value))]
    result = zxcvbn(password[:_ZXCVBN_WINDOW], user_inputs=inputs)
    if result["score"] < 2:
        raise WeakPassword(
            _l(
                "Ce mot de passe est trop courant ou trop facile à deviner. "
                "Essayez une phrase de quelques mots sans lien entre eux."
            ),
            field="password",
        )


def _parts(value: str) -> list[str]:
    value = (value or "").lower()
    return [value, *value.replace("@", " ").replace(".", " ").split()]


def _hasher() -> PasswordHasher:
    cfg = current_app.config
    return PasswordHasher(
        time_cost=cfg["ARGON2_TIME_COST"],
        memory_cost=cfg["ARGON2_MEMORY_COST"],
        parallelism=cfg["ARGON2_PARALLELISM"],
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher().check_needs_rehash(stored_hash)


_DUMMY: dict[str, str] = {}


def burn_time(password: str) -> None:
    """Spend as long as a real verification, so timing does not tell which addresses exist."""
    key = repr(sorted((k, v) for k, v in current_app.config.items() if k.startswith("ARGON2_")))
    if key not in _DUMMY:
        _DUMMY[key] = hash_password("not-a-real-password-just-for-timing")
    verify_password(_DUMMY[key], password)
