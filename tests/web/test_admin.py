"""The admin keeps the list of categories; every change is logged."""

from __future__ import annotations

from sqlalchemy import select

from models import Category, ModerationAction, db
from tests import factories


def test_admin_adds_renames_and_deletes_an_unused_category(client, auth, app):
    admin = factories.member("Ada", admin=True)
    auth.login(admin)
    assert client.get("/admin/categories").status_code == 200
    client.post("/admin/categories", data={"name_fr": "Musique", "name_en": "Music"})
    category = db.session.scalar(select(Category).where(Category.slug == "musique"))
    assert category is not None
    client.post(
        f"/admin/categories/{category.id}",
        data={"action": "rename", "name_fr": "Musique & son", "name_en": "Music & sound"},
    )
    db.session.refresh(category)
    assert (category.name_fr, category.slug) == ("Musique & son", "musique")
    category_id = category.id
    client.post(f"/admin/categories/{category_id}", data={"action": "delete"})
    assert db.session.scalar(select(Category).where(Category.id == category_id)) is None
    acts = db.session.scalars(select(ModerationAction.action).order_by(ModerationAction.id)).all()
    assert acts == ["category_created", "category_renamed", "category_deleted"]


def test_a_used_category_cannot_be_deleted(client, auth, app):
    admin = factories.member("Ada", admin=True)
    space = factories.space()
    author = factories.member("Autrice")
    factories.listing(author, space, "Comptes", category_slug="comptabilite-gestion")
    category = db.session.scalar(select(Category).where(Category.slug == "comptabilite-gestion"))
    auth.login(admin)
    response = client.post(
        f"/admin/categories/{category.id}", data={"action": "delete"}, follow_redirects=True
    )
    assert "1 annonce utilise cette catégorie" in response.text
    assert db.session.get(Category, category.id) is not None


def test_missing_english_name_is_refused(client, auth, app):
    admin = factories.member("Ada", admin=True)
    auth.login(admin)
    response = client.post("/admin/categories", data={"name_fr": "Musique", "name_en": ""})
    assert response.status_code == 400 and 'id="name_en-error"' in response.text


def test_members_and_coordinators_cannot_manage_categories(client, auth, app):
    space = factories.space()
    coordinator = factories.coordinator(space)
    auth.login(coordinator)
    assert client.get("/admin/categories").status_code == 403
    response = client.post("/admin/categories", data={"name_fr": "X", "name_en": "X"})
    assert response.status_code == 403
    assert db.session.scalar(select(Category).where(Category.slug == "x")) is None
