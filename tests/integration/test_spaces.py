"""Spaces, joining, approval and coordinators, through the services."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from exchange.services.community import memberships, spaces
from exchange.services.errors import Conflict, Forbidden, InvalidInput
from models import Membership, ModerationAction, Notification, db
from tests import factories


@pytest.fixture
def world(app):
    admin = factories.member("Admin", admin=True)
    open_space = factories.space("Le Hangar", join_policy="open")
    closed = factories.space("La Coursive", join_policy="approval")
    coord = factories.coordinator(closed, display_name="Coralie Coord")
    other_coord = factories.coordinator(open_space, display_name="Omar Autre")
    newcomer = factories.member("Nina Nouvelle")
    return admin, open_space, closed, coord, other_coord, newcomer


def test_open_space_is_joined_at_once(world):
    _admin, open_space, _closed, _coord, _other, newcomer = world
    membership = memberships.request_join(newcomer.id, open_space.id)
    assert membership.status == "active" and membership.role == "member"


def test_approval_space_waits_and_tells_its_coordinators(world, outbox):
    _admin, _open, closed, coord, _other_coord, newcomer = world
    membership = memberships.request_join(newcomer.id, closed.id, "Bonjour !")
    assert membership.status == "pending"
    notified = db.session.scalars(select(Notification.user_id)).all()
    assert notified == [coord.id]  # not the coordinator of another space
    assert [m["To"] for m in outbox] == [coord.email]


def test_coordinator_approves_member_is_told_and_act_is_logged(world, outbox):
    _admin, _open, closed, coord, _other, newcomer = world
    membership = memberships.request_join(newcomer.id, closed.id)
    outbox.clear()
    memberships.decide_join(coord.id, membership.id, approve=True)
    assert membership.status == "active"
    assert outbox[0]["To"] == newcomer.email and "La Coursive" in outbox[0]["Subject"]
    act = db.session.scalar(select(ModerationAction))
    assert (act.actor_id, act.action, act.subject_user_id, act.space_id) == (
        coord.id,
        "join_approved",
        newcomer.id,
        closed.id,
    )


def test_declining_needs_a_reason_which_the_member_receives(world, outbox):
    _admin, _open, closed, coord, _other, newcomer = world
    membership = memberships.request_join(newcomer.id, closed.id)
    with pytest.raises(InvalidInput):
        memberships.decide_join(coord.id, membership.id, approve=False, reason="  ")
    assert db.session.get(Membership, membership.id).status == "pending"
    outbox.clear()
    memberships.decide_join(
        coord.id, membership.id, approve=False, reason="Lieu complet cet hiver."
    )
    assert membership.status == "declined"
    assert "Lieu complet cet hiver." in outbox[0].get_content()
    assert db.session.scalar(select(ModerationAction.reason)) == "Lieu complet cet hiver."


def test_coordinator_of_another_space_cannot_decide(world):
    _admin, _open, closed, _coord, other_coord, newcomer = world
    membership = memberships.request_join(newcomer.id, closed.id)
    with pytest.raises(Forbidden):
        memberships.decide_join(other_coord.id, membership.id, approve=True)
    db.session.rollback()
    assert db.session.get(Membership, membership.id).status == "pending"
    assert db.session.scalar(select(ModerationAction)) is None


def test_admin_decides_in_every_space(world):
    admin, _open, closed, _coord, _other, newcomer = world
    membership = memberships.request_join(newcomer.id, closed.id)
    memberships.decide_join(admin.id, membership.id, approve=True)
    assert membership.status == "active"


def test_a_request_is_decided_once(world):
    _admin, _open, closed, coord, _other, newcomer = world
    membership = memberships.request_join(newcomer.id, closed.id)
    memberships.decide_join(coord.id, membership.id, approve=True)
    with pytest.raises(Conflict):
        memberships.decide_join(coord.id, membership.id, approve=False, reason="oups")


def test_declined_member_may_ask_again(world):
    _admin, _open, closed, coord, _other, newcomer = world
    membership = memberships.request_join(newcomer.id, closed.id)
    memberships.decide_join(coord.id, membership.id, approve=False, reason="Pas maintenant")
    again = memberships.request_join(newcomer.id, closed.id, "Et maintenant ?")
    assert again.id == membership.id and again.status == "pending" and again.decision_reason == ""


def test_member_belongs_to_several_spaces(world):
    _admin, open_space, closed, coord, _other, newcomer = world
    memberships.request_join(newcomer.id, open_space.id)
    memberships.decide_join(
        coord.id, memberships.request_join(newcomer.id, closed.id).id, approve=True
    )
    db.session.refresh(newcomer)
    assert {m.space_id for m in newcomer.active_memberships()} == {open_space.id, closed.id}


def test_only_admins_create_spaces_and_name_coordinators(world):
    admin, open_space, _closed, coord, _other, newcomer = world
    with pytest.raises(Forbidden):
        spaces.create_space(coord.id, name="Autre", city="Brest")
    with pytest.raises(Forbidden):
        memberships.appoint_coordinator(coord.id, open_space.id, newcomer.id)
    db.session.rollback()
    space = spaces.create_space(admin.id, name="La Serre", city="Brest", join_policy="approval")
    memberships.appoint_coordinator(admin.id, space.id, newcomer.id)
    db.session.refresh(newcomer)
    assert newcomer.is_coordinator_of(space.id) and not newcomer.is_coordinator_of(open_space.id)
    actions = db.session.scalars(
        select(ModerationAction.action).order_by(ModerationAction.id)
    ).all()
    assert actions == ["space_created", "coordinator_named"]


def test_space_names_are_unique_whatever_the_case(world):
    admin, *_ = world
    with pytest.raises(Conflict):
        spaces.create_space(admin.id, name="la coursive", city="Lyon")


def test_removing_a_coordinator_needs_a_reason_and_keeps_the_membership(world, outbox):
    admin, _open, closed, coord, _other, _newcomer = world
    with pytest.raises(InvalidInput):
        memberships.remove_coordinator(admin.id, closed.id, coord.id, "")
    memberships.remove_coordinator(admin.id, closed.id, coord.id, "Départ en congé")
    membership = memberships.membership_of(coord.id, closed.id)
    assert (membership.status, membership.role) == ("active", "member")
    assert "Départ en congé" in outbox[-1].get_content()


def test_email_is_written_in_the_recipients_language(world, outbox):
    _admin, _open, closed, coord, _other, _newcomer = world
    english = factories.member("Emma English", locale="en")
    coord.locale = "fr"
    db.session.commit()
    membership = memberships.request_join(english.id, closed.id)
    memberships.decide_join(coord.id, membership.id, approve=True)
    to_coord, to_member = outbox[-2], outbox[-1]
    assert "demande à rejoindre" in to_coord["Subject"]
    assert to_member["To"] == english.email
    assert to_member["Subject"] == "You are now a member of La Coursive"
