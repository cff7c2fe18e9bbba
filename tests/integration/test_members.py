"""Profiles and the member directory."""

from __future__ import annotations

from exchange.services.community import members
from tests import factories


def test_profile_update_saves_skills_once_and_feeds_search(app):
    lea = factories.member("Léa Martin")
    members.update_profile(
        lea.id,
        display_name="  Léa   Martin ",
        bio="**Comptable** en CAE",
        city="Nantes",
        languages="français, anglais",
        contact="Le mardi au Hangar",
        skills="Comptabilité, #traduction, comptabilite ,  ",
        locale="en",
    )
    assert lea.display_name == "Léa Martin"
    assert [s.name for s in lea.skills] == ["Comptabilité", "traduction"]
    assert "comptabilite" in lea.search_text and "nantes" in lea.search_text
    assert lea.locale == "en"


def test_directory_finds_without_accents_or_case(app):
    factories.member("Hélène Dupré", city="Lyon", skills=("Développement web",))
    factories.member("Marc Petit", city="Brest", skills=("Menuiserie",))
    assert [m.display_name for m in members.search_members(q="helene").items] == ["Hélène Dupré"]
    assert [m.display_name for m in members.search_members(q="DEVELOPPEMENT").items] == [
        "Hélène Dupré"
    ]
    assert [m.display_name for m in members.search_members(skill="menuiserie").items] == [
        "Marc Petit"
    ]
    assert members.search_members(q="lyon menuiserie").total == 0


def test_directory_filters_by_space_and_hides_unconfirmed(app):
    space = factories.space("Le Hangar")
    inside = factories.member("Dedans")
    factories.join(inside, space)
    factories.member("Dehors")
    factories.member("Pas confirmé", confirmed=False)
    assert [m.display_name for m in members.search_members(space_id=space.id).items] == ["Dedans"]
    assert {m.display_name for m in members.search_members().items} == {"Dedans", "Dehors"}


def test_directory_treats_like_wildcards_as_text(app):
    factories.member("Cent pour cent")
    assert members.search_members(q="%").total == 0
    assert members.search_members(q="_").total == 0


def test_directory_paginates(app):
    for i in range(30):
        factories.member(f"Membre {i:02d}")
    first = members.search_members(page=1, per_page=24)
    second = members.search_members(page=2, per_page=24)
    assert (first.total, len(first.items), len(second.items), first.pages) == (30, 24, 6, 2)
    assert not {m.id for m in first.items} & {m.id for m in second.items}
