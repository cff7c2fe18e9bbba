"""Password rules and hashing: what a member may choose, and how it is kept.

The rules are pure; hashing reads its argon2 parameters from the app's config, so those tests
build an app on an in-memory database that is never touched.
"""

from __future__ import annotations

import re

import pytest

from exchange import create_app
from exchange.config import Config, TestConfig
from exchange.services.community import passwords
from exchange.services.errors import WeakPassword

PRODUCTION_ARGON2 = {
    "ARGON2_TIME_COST": Config.ARGON2_TIME_COST,
    "ARGON2_MEMORY_COST": Config.ARGON2_MEMORY_COST,
    "ARGON2_PARALLELISM": Config.ARGON2_PARALLELISM,
}


def _app(**overrides):
    return create_app(TestConfig, SQLALCHEMY_DATABASE_URI="sqlite://", **overrides)


@pytest.fixture
def production_hashing():
    """An app context with Config's (production) argon2 parameters, not the cheap test ones."""
    with _app(**PRODUCTION_ARGON2).app_context():
        yield


@pytest.fixture
def test_hashing():
    with _app().app_context():
        yield


def argon2_params(encoded: str) -> dict[str, int]:
    match = re.match(r"^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$", encoded)
    assert match, encoded
    m, t, p = map(int, match.groups())
    return {"m": m, "t": t, "p": p}


# --- choosing a password -------------------------------------------------------------------


@pytest.mark.parametrize("password", ["", "a", "Zx9!kq", "k7#Qz!p2L", "é" * 9])
def test_a_password_shorter_than_ten_characters_is_refused(password):
    with pytest.raises(WeakPassword) as refused:
        passwords.check_strength(password)
    assert refused.value.field == "password"
    assert "10" in str(refused.value.message)


def test_a_password_longer_than_the_maximum_is_refused():
    with pytest.raises(WeakPassword):
        passwords.check_strength("lune-rousse-velo " * 20)


@pytest.mark.parametrize(
    "password",
    [
        "password123",
        "motdepasse123",
        "Motdepasse!",
        "azertyuiop",
        "azerty1234",
        "1234567890",
        "0123456789",
        "qwertyuiop",
        "iloveyou123",
        "Marseille13",
        "bonjourbonjour",
        "jetaime1234",
        "doudou12345",
        "football2023",
        "chocolat123",
        "princesse1",
        "1q2w3e4r5t",
        "aaaaaaaaaa",
        "Password1!",
        "archipel2024",
        "coworking123",
        "tierslieu2024",
    ],
)
def test_common_or_guessable_passwords_are_refused(password):
    with pytest.raises(WeakPassword) as refused:
        passwords.check_strength(password)
    assert "trop courant" in str(refused.value.message)


@pytest.mark.parametrize(
    "password",
    [
        "lune-rousse-velo",
        "lanterne-violette-42",
        "perce-neige-2031",
        "cheval correct pile agrafe",
        "Trois tortues dansent sous la pluie",
        "k7#Qz!p2Lm",
    ],
)
def test_passphrases_and_random_passwords_are_accepted(password):
    passwords.check_strength(password, ["camille.dupont@example.org", "Camille Dupont"])


@pytest.mark.parametrize(
    ("password", "email", "name"),
    [
        ("camille.dupont@example.org", "camille.dupont@example.org", "Camille Dupont"),
        ("Camille.Dupont@Example.org", "camille.dupont@example.org", "Camille Dupont"),
        ("camilledupont", "camille.dupont@example.org", "Camille Dupont"),
        ("kerbrat.gwendoline@exemple.bzh", "kerbrat.gwendoline@exemple.bzh", "Gwen"),
        ("GwendolineKerbrat", "gk@example.org", "Gwendoline Kerbrat"),
    ],
)
def test_a_password_made_of_the_members_own_address_or_name_is_refused(password, email, name):
    with pytest.raises(WeakPassword):
        passwords.check_strength(password, [email, name])


# --- keeping it ----------------------------------------------------------------------------


def test_production_hashes_are_argon2id_with_at_least_128_mib(production_hashing):
    encoded = passwords.hash_password("lune-rousse-velo")
    assert encoded.startswith("$argon2id$")
    params = argon2_params(encoded)
    assert params["m"] >= 2**17 and params["t"] >= 3 and params["p"] >= 1, params


def test_config_defaults_are_the_production_strength_ones():
    # The test config's cheap parameters must never leak into Config itself.
    assert Config.ARGON2_MEMORY_COST >= 2**17  # 128 MiB
    assert Config.ARGON2_TIME_COST >= 3
    assert TestConfig.ARGON2_MEMORY_COST < Config.ARGON2_MEMORY_COST


def test_each_hash_has_its_own_salt(test_hashing):
    assert passwords.hash_password("lune-rousse-velo") != passwords.hash_password(
        "lune-rousse-velo"
    )


def test_verify_accepts_the_right_password_and_refuses_others(production_hashing):
    encoded = passwords.hash_password("lune-rousse-velo")
    assert passwords.verify_password(encoded, "lune-rousse-velo")
    assert not passwords.verify_password(encoded, "lune-rousse-vélo")
    assert not passwords.verify_password(encoded, "Lune-rousse-velo")
    assert not passwords.verify_password(encoded, "")


@pytest.mark.parametrize("stored", ["", "pas-un-hash", "$argon2id$v=19$m=8,t=1,p=1$abc"])
def test_verify_refuses_a_damaged_stored_hash_instead_of_crashing(test_hashing, stored):
    assert passwords.verify_password(stored, "lune-rousse-velo") is False


def test_a_hash_made_with_weaker_parameters_needs_rehashing(production_hashing):
    with _app().app_context():  # the cheap test parameters
        weak = passwords.hash_password("lune-rousse-velo")
    assert argon2_params(weak)["m"] < 65536
    assert passwords.needs_rehash(weak)
    strong = passwords.hash_password("lune-rousse-velo")
    assert not passwords.needs_rehash(strong)
    # The old hash still verifies, so the member can log in and get the new one.
    assert passwords.verify_password(weak, "lune-rousse-velo")
