"""Every page of the demo network renders for every kind of visitor, in both languages."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from exchange import demo
from models import Membership, Space, User, db

VISITORS = ["anonymous", "member", "coordinator", "admin"]


@pytest.fixture
def demo_network(seeded_demo):
    coordinator = db.session.scalar(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.role == "coordinator")
    )
    member = db.session.scalar(
        select(User).where(
            User.is_admin.is_(False),
            User.id.not_in(select(Membership.user_id).where(Membership.role == "coordinator")),
        )
    )
    admin = db.session.scalar(select(User).where(User.is_admin.is_(True)))
    return {"member": member, "coordinator": coordinator, "admin": admin}


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("visitor", VISITORS)
def test_every_page_renders(client, auth, demo_network, visitor, lang):
    if visitor != "anonymous":
        assert auth.login(demo_network[visitor], demo.DEMO_PASSWORD).status_code == 302
    space_ids = db.session.scalars(select(Space.id)).all()
    member_ids = db.session.scalars(select(User.id).limit(10)).all()
    paths = [
        "/",
        "/membres",
        "/membres?q=lyon",
        "/membres?competence=comptabilite",
        "/lieux",
        "/connexion",
        "/inscription",
        "/mot-de-passe/oublie",
        "/membres?page=2",
        "/membres?page=abc&lieu=x",
    ]
    paths += [f"/lieux/{i}" for i in space_ids] + [f"/membres/{i}" for i in member_ids]
    if visitor != "anonymous":
        paths += ["/profil", "/notifications", "/moderation"]
        paths += [f"/lieux/{i}/demandes" for i in space_ids] + [
            f"/lieux/{i}/modifier" for i in space_ids
        ]
    if visitor == "admin":
        paths += ["/lieux/nouveau"]
    for path in paths:
        sep = "&" if "?" in path else "?"
        response = client.get(f"{path}{sep}lang={lang}")
        assert response.status_code in (200, 302, 403), (path, response.status_code)
        if response.status_code == 200:
            assert f'<html lang="{lang}">' in response.text, path


def test_a_big_space_shows_its_first_members_and_leads_to_all_of_them(app, client):
    from tests import factories

    space = factories.space("La Grande Halle")
    for i in range(30):
        factories.join(factories.member(display_name=f"Membre {i:02d}"), space)
    db.session.commit()
    page = client.get(f"/lieux/{space.id}").get_data(as_text=True)
    assert "30 membres" in page
    assert "Membre 00" in page and "Membre 29" not in page
    assert f'href="/membres?lieu={space.id}"' in page and "Voir les 30 membres" in page
    directory = client.get(f"/membres?lieu={space.id}").get_data(as_text=True)
    assert "Membre 00" in directory
