"""Reports and moderation through the services: who may act, what an act changes (and what it
never changes), what the log keeps and who is told."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from exchange.services.community import spaces
from exchange.services.errors import Conflict, Forbidden, InvalidInput
from exchange.services.listings import publishing
from exchange.services.listings import queries as listing_queries
from exchange.services.listings.publishing import ListingInput
from exchange.services.listings.queries import Filters
from exchange.services.moderation import acts, desk, report_queue, reports, rights
from models import (
    Listing,
    LoginSession,
    Membership,
    ModerationAction,
    Notification,
    Report,
    User,
    db,
)
from models.base import utcnow
from tests import factories


@dataclass
class Net:
    ruche: object  # space A
    phare: object  # space B
    coord_a: User
    coord_b: User
    admin: User
    author: User
    reporter: User
    bystander: User
    listing: Listing


@pytest.fixture
def net(app) -> Net:
    s = factories.three_spaces()
    ruche, phare, coord_a, coord_b, admin = s.ruche, s.phare, s.coord_ruche, s.coord_phare, s.admin
    author = factories.member("Awa Diallo")
    reporter = factories.member("Rémi Vigilant")
    bystander = factories.member("Bao Passant")
    for person in (author, reporter, bystander):
        factories.join(person, ruche)
    listing = factories.listing(
        author,
        ruche,
        "Cours de guitare",
        summary="Débutants bienvenus.\nLe mardi soir.",
        details="J'ai **dix ans** de scène.",
        next_steps="Un café à la Ruche.",
        tags="#musique, #guitare",
    )
    return Net(ruche, phare, coord_a, coord_b, admin, author, reporter, bystander, listing)


def _content(listing: Listing) -> tuple:
    db.session.refresh(listing)
    return (
        listing.kind,
        listing.title,
        listing.summary,
        listing.details,
        listing.next_steps,
        listing.mode,
        listing.status,
        listing.expires_at,
        listing.space_id,
        listing.author_id,
        sorted(s.slug for s in listing.skills),
    )


def _moderation_fields(listing: Listing) -> tuple:
    db.session.refresh(listing)
    return (listing.moderation, listing.moderation_reason, listing.edit_requested)


def _acts(**where) -> list[ModerationAction]:
    return list(
        db.session.scalars(
            select(ModerationAction).filter_by(**where).order_by(ModerationAction.id)
        )
    )


def _told(user: User, kind: str) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification).where(Notification.user_id == user.id, Notification.kind == kind)
        )
    )


def _found(words: str) -> list[int]:
    return [item.id for item in listing_queries.find(Filters(q=words)).items]


LISTING_ACTS = [
    ("hide", lambda actor, lid: acts.hide_listing(actor, lid, "Hors charte")),
    ("restore", lambda actor, lid: acts.restore_listing(actor, lid, "Revu")),
    ("approve", lambda actor, lid: acts.approve_listing(actor, lid)),
    ("edit", lambda actor, lid: acts.request_edit(actor, lid, "Précisez le tarif")),
]


def _put_in_state_for(name: str, listing: Listing) -> None:
    """The state each act applies to, so that only who acts can make it fail."""
    listing.moderation = {"restore": "hidden", "approve": "pending"}.get(name, "approved")
    db.session.commit()


# ---------------------------------------------------------------------------- who may act


@pytest.mark.parametrize(("name", "act"), LISTING_ACTS, ids=[n for n, _a in LISTING_ACTS])
def test_a_coordinator_of_another_space_cannot_moderate_the_listing(net, name, act):
    _put_in_state_for(name, net.listing)
    before = (_content(net.listing), _moderation_fields(net.listing))
    with pytest.raises(Forbidden):
        act(net.coord_b.id, net.listing.id)
    db.session.rollback()
    assert (_content(net.listing), _moderation_fields(net.listing)) == before
    assert _acts() == []
    assert db.session.scalar(select(func.count(Notification.id))) == 0


@pytest.mark.parametrize(("name", "act"), LISTING_ACTS, ids=[n for n, _a in LISTING_ACTS])
def test_the_coordinator_of_the_space_and_an_admin_may(net, name, act):
    for actor in (net.coord_a, net.admin):
        _put_in_state_for(name, net.listing)
        act(actor.id, net.listing.id)
        assert _acts(actor_id=actor.id)[-1].space_id == net.ruche.id


def test_a_member_cannot_moderate_at_all(net):
    report = reports.report_listing(net.reporter.id, net.listing.id, "spam")
    before = (_content(net.listing), _moderation_fields(net.listing))
    attempts = [
        *(lambda act=act: act(net.bystander.id, net.listing.id) for _n, act in LISTING_ACTS),
        lambda: acts.suspend_member(net.bystander.id, net.author.id, "Spam"),
        lambda: acts.reinstate_member(net.bystander.id, net.author.id, "Revu"),
        lambda: reports.dismiss(net.bystander.id, report.id, "Rien"),
    ]
    for attempt in attempts:
        with pytest.raises(Forbidden):
            attempt()
        db.session.rollback()
    assert (_content(net.listing), _moderation_fields(net.listing)) == before
    assert db.session.get(Report, report.id).status == "open"
    assert db.session.get(User, net.author.id).suspended_at is None
    assert _acts() == []
    assert not rights.is_moderator(net.bystander)


def test_nobody_moderates_themselves_and_a_coordinator_cannot_suspend_an_admin(net):
    factories.join(net.admin, net.ruche)
    own = factories.listing(net.coord_a, net.ruche, "Atelier vélo")
    with pytest.raises(Forbidden):
        acts.hide_listing(net.coord_a.id, own.id, "Je me masque")
    with pytest.raises(Forbidden):
        acts.suspend_member(net.coord_a.id, net.coord_a.id, "Pause")
    with pytest.raises(Forbidden):
        acts.suspend_member(net.coord_a.id, net.admin.id, "Coup d'État")
    with pytest.raises(Forbidden):
        acts.suspend_member(net.coord_b.id, net.author.id, "Pas mon lieu")
    db.session.rollback()
    assert _acts() == []


# ---------------------------------------------------------------------------- reports


def test_a_report_or_a_hide_never_loses_the_listings_content(net):
    content = _content(net.listing)
    reports.report_listing(net.reporter.id, net.listing.id, "misleading", "Prix caché")
    assert _content(net.listing) == content and net.listing.is_public()
    acts.request_edit(net.coord_a.id, net.listing.id, "Indiquez le prix")
    assert _content(net.listing) == content and net.listing.is_public()
    acts.hide_listing(net.coord_a.id, net.listing.id, "Tarif trompeur")
    assert _content(net.listing) == content
    assert _moderation_fields(net.listing) == ("hidden", "Tarif trompeur", "Indiquez le prix")
    acts.restore_listing(net.coord_a.id, net.listing.id)
    assert _content(net.listing) == content
    assert net.listing.is_public() and net.listing.id in _found("guitare")


def test_one_open_report_per_member_per_item_until_it_is_handled(net):
    first = reports.report_listing(net.reporter.id, net.listing.id, "spam", "Pub")
    with pytest.raises(Conflict):
        reports.report_listing(net.reporter.id, net.listing.id, "other", "Encore")
    db.session.rollback()
    assert db.session.scalar(select(func.count(Report.id))) == 1
    # Somebody else may report the same listing; the reporter may report its author too.
    reports.report_listing(net.bystander.id, net.listing.id, "spam")
    reports.report_member(net.reporter.id, net.author.id, "harassment", "Messages insistants")
    with pytest.raises(Conflict):
        reports.report_member(net.reporter.id, net.author.id, "spam")
    db.session.rollback()

    reports.dismiss(net.coord_a.id, first.id, "Rien d'anormal")
    again = reports.report_listing(
        net.reporter.id, net.listing.id, "misleading", "Le prix a changé"
    )
    assert again.status == "open" and again.id != first.id


def test_the_database_itself_keeps_one_open_report_when_the_check_is_raced(net, monkeypatch):
    reports.report_listing(net.reporter.id, net.listing.id, "spam")
    monkeypatch.setattr(reports, "open_report_of", lambda *a, **kw: None)  # as if raced
    with pytest.raises(Conflict) as refused:
        reports.report_listing(net.reporter.id, net.listing.id, "spam")
    assert "déjà signalé" in str(refused.value.message)
    assert db.session.scalar(select(func.count(Report.id))) == 1
    db.session.add(Report(reporter_id=net.reporter.id, member_id=net.author.id, reason="spam"))
    db.session.add(Report(reporter_id=net.reporter.id, member_id=net.author.id, reason="other"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_nobody_reports_their_own_listing_or_profile(net):
    with pytest.raises(Forbidden):
        reports.report_listing(net.author.id, net.listing.id, "spam")
    with pytest.raises(Forbidden):
        reports.report_member(net.author.id, net.author.id, "spam")
    assert db.session.scalar(select(func.count(Report.id))) == 0


def test_a_report_needs_a_reason_from_the_list_and_words_for_other(net):
    with pytest.raises(InvalidInput) as refused:
        reports.report_listing(net.reporter.id, net.listing.id, "boring")
    assert refused.value.field == "reason"
    with pytest.raises(InvalidInput) as refused:
        reports.report_listing(net.reporter.id, net.listing.id, "other", "   ")
    assert refused.value.field == "text"
    assert db.session.scalar(select(func.count(Report.id))) == 0


def test_the_reporter_is_told_on_receipt_and_on_the_outcome(net, outbox):
    report = reports.report_listing(net.reporter.id, net.listing.id, "spam", "Pub déguisée")
    (received,) = _told(net.reporter, "report_received")
    assert received.data["item"] == "Cours de guitare"
    assert [n.user_id for n in _told(net.coord_a, "report_filed")] == [net.coord_a.id]
    assert _told(net.coord_b, "report_filed") == [] and _told(net.author, "report_filed") == []
    assert _told(net.reporter, "report_handled") == []

    acts.hide_listing(net.coord_a.id, net.listing.id, "Publicité")
    db.session.refresh(report)
    assert (report.status, report.handled_by_id, report.outcome) == (
        "actioned",
        net.coord_a.id,
        "listing_hidden",
    )
    assert report.handled_at is not None
    (handled,) = _told(net.reporter, "report_handled")
    assert handled.data["outcome"] == "listing_hidden"
    assert any(m["To"] == net.reporter.email and "masquée" in m.get_content() for m in outbox)
    (act,) = _acts(action="listing_hidden")
    assert act.details["reports"] == [report.id]


def test_a_dismissal_tells_the_reporter_with_the_note_and_is_logged(net):
    report = reports.report_member(net.reporter.id, net.author.id, "harassment", "Insistant")
    reports.dismiss(net.coord_a.id, report.id, "Échange vérifié, rien d'insistant")
    db.session.refresh(report)
    assert (report.status, report.outcome, report.handled_by_id) == (
        "dismissed",
        "dismissed",
        net.coord_a.id,
    )
    (handled,) = _told(net.reporter, "report_handled")
    assert handled.data["note"] == "Échange vérifié, rien d'insistant"
    (act,) = _acts(action="report_dismissed")
    assert (act.actor_id, act.subject_user_id, act.target_type, act.target_id, act.reason) == (
        net.coord_a.id,
        net.reporter.id,
        "report",
        report.id,
        "Échange vérifié, rien d'insistant",
    )
    with pytest.raises(Conflict):
        reports.dismiss(net.coord_a.id, report.id)
    # The reported member learns nothing of a report that came to nothing.
    assert _told(net.author, "report_handled") == [] and desk.acts_about(net.author.id) == []


# ---------------------------------------------------------------------------- listings


def test_hiding_needs_a_reason_which_the_author_receives(net, outbox):
    with pytest.raises(InvalidInput):
        acts.hide_listing(net.coord_a.id, net.listing.id, "  ")
    db.session.rollback()
    assert _moderation_fields(net.listing) == ("approved", "", "")
    assert _acts() == []

    acts.hide_listing(net.coord_a.id, net.listing.id, "Contenu commercial")
    assert _moderation_fields(net.listing)[:2] == ("hidden", "Contenu commercial")
    (told,) = _told(net.author, "listing_hidden")
    assert (
        told.data["reason"] == "Contenu commercial" and told.link == f"/annonces/{net.listing.id}"
    )
    assert any(
        m["To"] == net.author.email and "Contenu commercial" in m.get_content() for m in outbox
    )
    assert net.listing.id not in _found("guitare")
    assert listing_queries.get_for(net.author, net.listing.id) is not None
    with pytest.raises(Conflict):
        acts.hide_listing(net.coord_a.id, net.listing.id, "Encore")


def test_asking_for_an_edit_keeps_the_listing_until_its_author_edits_it(net):
    with pytest.raises(InvalidInput):
        acts.request_edit(net.coord_a.id, net.listing.id, "")
    db.session.rollback()
    acts.request_edit(net.coord_a.id, net.listing.id, "Ajoutez le lieu exact")
    assert net.listing.is_public() and net.listing.edit_requested == "Ajoutez le lieu exact"
    (told,) = _told(net.author, "edit_requested")
    assert told.data["message"] == "Ajoutez le lieu exact"
    publishing.update(
        net.author.id,
        net.listing.id,
        ListingInput(
            kind="offer",
            title="Cours de guitare",
            summary="Débutants bienvenus.\nLe mardi soir, salle 2.",
            space_id=net.ruche.id,
        ),
    )
    assert _moderation_fields(net.listing) == ("approved", "", "")


# ---------------------------------------------------------------------------- members


def test_suspension_ends_sessions_and_takes_the_listings_out_until_reinstated(net, outbox):
    from exchange.services.community import accounts

    accounts.start_session(net.author)
    with pytest.raises(InvalidInput):
        acts.suspend_member(net.coord_a.id, net.author.id, "")
    db.session.rollback()
    assert net.author.suspended_at is None

    acts.suspend_member(net.coord_a.id, net.author.id, "Démarchage répété")
    db.session.refresh(net.author)
    assert net.author.is_suspended and net.author.suspension_reason == "Démarchage répété"
    assert (
        db.session.scalar(
            select(func.count(LoginSession.id)).where(LoginSession.revoked_at.is_(None))
        )
        == 0
    )
    assert net.listing.id not in _found("guitare")
    assert any(m["To"] == net.author.email and "Démarchage" in m.get_content() for m in outbox)
    assert [u.id for u in desk.suspended_members(net.coord_a)] == [net.author.id]
    assert desk.suspended_members(net.coord_b) == []
    with pytest.raises(Conflict):
        acts.suspend_member(net.admin.id, net.author.id, "Encore")
    db.session.rollback()

    with pytest.raises(InvalidInput):
        acts.reinstate_member(net.coord_a.id, net.author.id, " ")
    db.session.rollback()
    acts.reinstate_member(net.coord_a.id, net.author.id, "Échange avec elle, c'est réglé")
    db.session.refresh(net.author)
    assert not net.author.is_suspended and net.author.suspension_reason == ""
    assert net.listing.id in _found("guitare")
    assert [a.action for a in desk.acts_about(net.author.id)] == [
        "member_reinstated",
        "member_suspended",
    ]


def test_suspending_a_reported_member_answers_the_reports(net):
    report = reports.report_member(net.reporter.id, net.author.id, "spam", "Pub partout")
    acts.suspend_member(net.admin.id, net.author.id, "Spam")
    db.session.refresh(report)
    assert (report.status, report.outcome) == ("actioned", "member_suspended")
    (handled,) = _told(net.reporter, "report_handled")
    assert handled.data["outcome"] == "member_suspended"


# ---------------------------------------------------------------------------- pre-moderation


def test_pre_moderation_holds_listings_until_approved_and_after_substantive_edits(net):
    spaces.update_space(
        net.coord_a.id,
        net.ruche.id,
        name=net.ruche.name,
        city=net.ruche.city,
        description="",
        join_policy="open",
        premoderation=True,
    )
    (changed,) = _acts(action="space_updated")
    assert "premoderation" in changed.details["fields"]

    held = factories.listing(net.author, net.ruche, "Réparation de vélos")
    assert held.moderation == "pending" and held.id not in _found("velos")
    assert [item.id for item in desk.pending_listings(net.coord_a)] == [held.id]
    assert desk.pending_listings(net.coord_b) == []
    assert [item.id for item in desk.pending_listings(net.admin)] == [held.id]

    acts.approve_listing(net.coord_a.id, held.id)
    assert held.moderation == "approved" and held.id in _found("velos")
    assert _told(net.author, "listing_approved")[0].data["title"] == "Réparation de vélos"
    with pytest.raises(Conflict):
        acts.approve_listing(net.coord_a.id, held.id)
    db.session.rollback()

    def edit(**kw):
        fields = {
            "kind": "offer",
            "title": "Réparation de vélos",
            "summary": "Trois lignes au plus.",
        }
        fields.update(kw)
        return publishing.update(
            net.author.id, held.id, ListingInput(space_id=net.ruche.id, **fields)
        )

    edit(expires_on=utcnow().date() + timedelta(days=20))
    assert held.moderation == "approved"  # a new date is not a new text
    edit(summary="Vélos et trottinettes.")
    assert held.moderation == "pending" and held.id not in _found("velos")


# ---------------------------------------------------------------------------- the log


def test_every_act_is_logged_with_who_what_and_why(net):
    report = reports.report_listing(net.reporter.id, net.listing.id, "spam")
    acts.request_edit(net.coord_a.id, net.listing.id, "Moins de majuscules")
    acts.hide_listing(net.coord_a.id, net.listing.id, "Toujours en majuscules")
    acts.restore_listing(net.admin.id, net.listing.id, "Corrigée")
    again = reports.report_listing(net.reporter.id, net.listing.id, "other", "Re-majuscules")
    reports.dismiss(net.coord_a.id, again.id, "C'est corrigé")
    acts.suspend_member(net.coord_a.id, net.author.id, "Insultes")
    acts.reinstate_member(net.admin.id, net.author.id, "Excuses faites")
    log = [
        (a.action, a.actor_id, a.space_id, a.subject_user_id, a.target_type, a.target_id, a.reason)
        for a in _acts()
    ]
    listing, author = net.listing.id, net.author.id
    assert log == [
        ("edit_requested", net.coord_a.id, net.ruche.id, author, "listing", listing, "Moins de majuscules"),
        ("listing_hidden", net.coord_a.id, net.ruche.id, author, "listing", listing, "Toujours en majuscules"),
        ("listing_restored", net.admin.id, net.ruche.id, author, "listing", listing, "Corrigée"),
        ("report_dismissed", net.coord_a.id, net.ruche.id, net.reporter.id, "report", again.id, "C'est corrigé"),
        ("member_suspended", net.coord_a.id, net.ruche.id, author, "member", author, "Insultes"),
        ("member_reinstated", net.admin.id, net.ruche.id, author, "member", author, "Excuses faites"),
    ]  # fmt: skip
    assert all(a.created_at is not None for a in _acts())
    assert db.session.get(Report, report.id).status == "actioned"  # by the edit request


def test_a_coordinator_sees_only_their_spaces_reports_and_log(net):
    sailor = factories.member("Soline Marin")
    factories.join(sailor, net.phare)
    boat = factories.listing(sailor, net.phare, "Cours de voile")
    on_a = reports.report_listing(net.reporter.id, net.listing.id, "spam")
    on_b = reports.report_listing(net.reporter.id, boat.id, "spam")
    on_member_a = reports.report_member(net.bystander.id, net.author.id, "harassment", "Insistant")
    on_member_b = reports.report_member(net.reporter.id, sailor.id, "spam")

    def ids(items):
        return sorted(item.id for item in items)

    assert ids(report_queue.open_reports(net.coord_a)) == ids([on_a, on_member_a])
    assert ids(report_queue.open_reports(net.coord_b)) == ids([on_b, on_member_b])
    assert ids(report_queue.open_reports(net.admin)) == ids([on_a, on_b, on_member_a, on_member_b])
    with pytest.raises(Forbidden):
        reports.dismiss(net.coord_a.id, on_member_b.id)
    db.session.rollback()

    acts.hide_listing(net.coord_a.id, net.listing.id, "motif-A")
    acts.hide_listing(net.coord_b.id, boat.id, "motif-B")
    reports.dismiss(net.coord_b.id, on_member_b.id, "classé-B")
    acts.suspend_member(net.admin.id, net.author.id, "suspendu-A")

    def reasons(user):
        return sorted(a.reason for a in desk.log_for(user))

    assert reasons(net.coord_a) == ["motif-A", "suspendu-A"]
    assert reasons(net.coord_b) == ["classé-B", "motif-B"]
    assert reasons(net.admin) == ["classé-B", "motif-A", "motif-B", "suspendu-A"]


def test_a_member_active_in_two_spaces_is_in_both_coordinators_scope(net):
    factories.join(net.author, net.phare)
    report = reports.report_member(net.reporter.id, net.author.id, "spam")
    assert [r.id for r in report_queue.open_reports(net.coord_b)] == [report.id]
    acts.suspend_member(net.coord_b.id, net.author.id, "Spam sur les deux lieux")
    (act,) = _acts(action="member_suspended")
    assert act.space_id == net.phare.id
    assert [a.id for a in desk.log_for(net.coord_a)] == [act.id]
    assert rights.can_act_on_member(net.coord_a, net.author)


def test_spaces_read_ahead_for_a_page_are_read_again_once_memberships_change(app):
    """The desk reads many members' spaces in one query; a write in the same session (even
    before its commit) must not be judged on what was read before it."""
    first, second = factories.space("La Ruche"), factories.space("Le Hangar")
    lea = factories.member("Léa")
    factories.join(lea, first)
    rights.preload_active_spaces([lea.id])
    assert rights.active_space_ids(lea.id) == [first.id]
    db.session.add(Membership(user_id=lea.id, space_id=second.id, role="member", status="active"))
    db.session.flush()
    assert rights.active_space_ids(lea.id) == sorted([first.id, second.id])
    db.session.rollback()
    assert rights.active_space_ids(lea.id) == [first.id]
