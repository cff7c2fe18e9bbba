"""What members type reaches the app as plain text, through the one base form of every form:
line breaks as "\\n" only, one-line fields on one line, and a file where text is expected
answered with the field's own message, nothing saved."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from exchange.services.community import passwords
from exchange.services.ledger import gifts
from models import Exchange, Listing, Space, Transfer, User, db
from tests import factories
from tests.web.test_line_breaks import giver  # noqa: F401  (a fixture)

BREAKS = ["\r\n", "\r", "\u2028", "\x85", "\x0b", "\x1c"]


@pytest.fixture
def people(giver):  # noqa: F811  (the fixture imported above)
    """Alice and Bob of test_line_breaks, and La Ruche, their space."""
    alice, bob = giver
    return db.session.scalar(select(Space)), alice, bob


def _last(model):
    db.session.expire_all()
    return db.session.scalars(select(model).order_by(model.id.desc()).limit(1)).first()


@pytest.mark.parametrize("brk", BREAKS, ids=repr)
def test_a_gift_message_is_stored_with_line_feeds_only(client, auth, people, brk):
    _space, alice, bob = people
    auth.login(alice)
    response = client.post(
        "/compte/donner",
        data={"recipient": str(bob.id), "minutes": "1 h", "message": f"Merci !{brk}À bientôt"},
    )
    assert response.status_code == 302
    assert _last(Transfer).reason == "Merci !\nÀ bientôt"


@pytest.mark.parametrize("brk", BREAKS, ids=repr)
def test_a_direct_log_title_is_folded_to_one_line_and_its_message_keeps_its_lines(
    client, auth, people, brk
):
    _space, alice, bob = people
    auth.login(alice)
    response = client.post(
        "/echanges/declarer",
        data={
            "direction": "gave",
            "counterpart": str(bob.id),
            "title": f"Relecture{brk}d'un devis",
            "minutes": "1 h",
            "message": f"Fait hier.{brk}Merci !",
        },
    )
    assert response.status_code == 302
    exchange = _last(Exchange)
    assert exchange.title == "Relecture d'un devis"
    assert exchange.message == "Fait hier.\nMerci !"


@pytest.mark.parametrize("brk", BREAKS, ids=repr)
def test_a_retribution_reason_is_stored_with_line_feeds_only(client, auth, people, brk):
    space, _alice, bob = people
    coordinator = factories.coordinator(space, display_name="Chloé Coord")
    gifts.give(bob.id, minutes=300, message="Pour la caisse")
    auth.login(coordinator)
    response = client.post(
        "/caisse-commune/retribuer",
        data={"recipient": str(bob.id), "minutes": "1 h", "reason": f"Le wiki{brk}du lieu"},
    )
    assert response.status_code == 302
    assert _last(Transfer).reason == "Le wiki\ndu lieu"


def _listing_form(space, **fields) -> dict:
    return {
        "kind": "offer",
        "title": "Atelier vélo",
        "summary": "Réglages et freins.",
        "space_id": str(space.id),
        "mode": "both",
        "expires_on": (date.today() + timedelta(days=30)).isoformat(),
        **fields,
    }


@pytest.mark.parametrize("brk", BREAKS, ids=repr)
def test_a_listing_title_is_folded_and_its_description_keeps_its_lines(client, auth, people, brk):
    space, alice, _bob = people
    auth.login(alice)
    response = client.post(
        "/annonces/nouvelle",
        data=_listing_form(
            space, title=f"Atelier{brk}vélo", details=f"Premier point.{brk}Second point."
        ),
    )
    assert response.status_code == 302
    listing = _last(Listing)
    assert listing.title == "Atelier vélo"
    assert listing.details == "Premier point.\nSecond point."


def test_a_password_is_kept_as_typed(client, people):
    """Nothing is folded out of a secret: a tab in a password stays a tab."""
    response = client.post(
        "/inscription",
        data={
            "display_name": "Chloé",
            "email": "chloe@example.org",
            "password": "un\tmot de passe",
        },
    )
    assert response.status_code == 200
    user = db.session.scalar(select(User).where(User.email == "chloe@example.org"))
    assert passwords.verify_password(user.password_hash, "un\tmot de passe")
    assert not passwords.verify_password(user.password_hash, "un mot de passe")


# --------------------------------------------------------------------------- a file, not text


def _file() -> tuple[io.BytesIO, str, str]:
    return io.BytesIO(b"%PDF-1.4 not a name"), "cv.pdf", "application/pdf"


def _counts() -> dict[str, int]:
    db.session.expire_all()
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (User, Space, Listing, Exchange, Transfer)
    }


@pytest.fixture
def world(people):
    space, alice, bob = people
    listing = factories.listing(bob, space, "Atelier vélo")
    mine = factories.listing(alice, space, "Traduction")
    return {"space": space, "alice": alice, "bob": bob, "listing": listing, "mine": mine}


FILE_CASES = [
    ("/profil", "display_name", {"locale": "fr"}, "alice"),
    ("/annonces/nouvelle", "title", {}, "alice"),
    ("/annonces/{mine}/modifier", "title", {}, "alice"),
    ("/annonces/{listing}/proposer", "message", {"minutes": "1 h"}, "alice"),
    ("/lieux/{space}/modifier", "name", {"city": "Lyon", "join_policy": "open"}, "admin"),
    ("/admin/reglages", "fee_cap", {"overdraft": "20 h", "ceiling": "100 h"}, "admin"),
    ("/admin/categories/{category}", "name_fr", {"name_en": "Gardening"}, "admin"),
]


@pytest.mark.parametrize(
    ("path", "name", "data", "who"), FILE_CASES, ids=[c[0] for c in FILE_CASES]
)
def test_a_file_where_text_is_expected_gets_the_fields_message_and_saves_nothing(
    client, auth, world, path, name, data, who
):
    from models import Category

    world["admin"] = factories.member("Adam Admin", admin=True)
    world["category"] = db.session.scalar(select(Category.id).limit(1))
    auth.login(world[who])
    ids = {key: getattr(value, "id", value) for key, value in world.items()}
    if path.startswith("/annonces/nouvelle") or (path.endswith("/modifier") and "annonces" in path):
        data = _listing_form(world["space"], **data)
    before = _counts()
    titles = sorted(db.session.scalars(select(Listing.title)))

    response = client.post(
        path.format(**ids),
        data={**data, name: _file()},
        content_type="multipart/form-data",
        follow_redirects=True,  # a category's row is renamed from the list, and sent back to it
    )

    assert response.status_code == (200 if "categories" in path else 400)
    assert "Ce champ attend du texte, pas un fichier." in response.text
    assert _counts() == before
    assert sorted(db.session.scalars(select(Listing.title))) == titles


def test_a_file_in_a_logged_time_form_is_refused_in_english_too(client, auth, world):
    alice, bob = world["alice"], world["bob"]
    from exchange.services.exchanges import lifecycle

    made = lifecycle.propose(alice.id, world["listing"].id, message="Jeudi ?", foreseen_minutes=60)
    lifecycle.accept(bob.id, made.id, "Oui")
    bob.locale = "en"
    db.session.commit()
    auth.login(bob)
    response = client.post(
        f"/echanges/{made.id}/temps",
        data={"minutes": _file(), "note": "Fait"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "This field expects text, not a file." in response.text
    db.session.expire_all()
    assert db.session.get(Exchange, made.id).state == "accepted"


@pytest.mark.parametrize("body", ["[1, 2]", '"Léa"', "5"])
def test_a_json_body_that_is_no_object_is_refused_like_an_empty_form(client, auth, world, body):
    auth.login(world["alice"])
    response = client.post("/profil", data=body, content_type="application/json")
    assert response.status_code == 400
    assert "Indiquez votre nom." in response.text
    db.session.expire_all()
    assert db.session.get(User, world["alice"].id).display_name == "Alice Martin"


def test_a_json_object_where_text_is_expected_is_refused(client, auth, world):
    auth.login(world["alice"])
    response = client.post("/profil", json={"display_name": {"a": 1}, "locale": "fr"})
    assert response.status_code == 400
    assert "Ce champ attend du texte." in response.text
    db.session.expire_all()
    assert db.session.get(User, world["alice"].id).display_name == "Alice Martin"
