"""A coordinator acts for a member who asked for it (a gift of the member's time, a direct log):
the member's credits move as if they had given them, the act is logged with its reason, the
member is told and may contest it within 14 days, which goes to the space's other
coordinators. Coordinators of other spaces may not; nobody acts to their own benefit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from exchange.services.errors import (
    Conflict,
    CreditLimitExceeded,
    Forbidden,
    InvalidInput,
    NotFound,
)
from exchange.services.exchanges import direct, lifecycle
from exchange.services.ledger import gifts, transfers
from exchange.services.moderation import on_behalf
from models import Exchange, ModerationAction, Notification, OutboxEmail, Transfer, db
from models.base import utcnow
from tests import factories

ASKED = "Appel de Lina le 3 mars : elle n'a pas d'ordinateur"


@dataclass
class Net:
    spaces: factories.ThreeSpaces
    lina: object  # of La Ruche, who asks
    bob: object  # of La Ruche too
    second: object  # La Ruche's other coordinator


@pytest.fixture
def net(app) -> Net:
    spaces = factories.three_spaces()
    lina, bob = factories.member("Lina Sansordi"), factories.member("Bob Voisin")
    for person in (lina, bob):
        factories.join(person, spaces.ruche)
    second = factories.coordinator(spaces.ruche, display_name="Sidonie Seconde")
    return Net(spaces, lina, bob, second)


def balance(user=None) -> int:
    db.session.expire_all()
    return (transfers.pot() if user is None else transfers.account_of(user.id)).balance


def acts(action: str) -> list[ModerationAction]:
    db.session.expire_all()
    return list(
        db.session.scalars(select(ModerationAction).where(ModerationAction.action == action))
    )


def told(user, kind: str) -> list[Notification]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(Notification).where(Notification.user_id == user.id, Notification.kind == kind)
        )
    )


def emailed(user, kind: str) -> bool:
    return bool(
        db.session.scalar(
            select(func.count(OutboxEmail.id)).where(
                OutboxEmail.to_address == user.email, OutboxEmail.template == f"notification_{kind}"
            )
        )
    )


def give_for_lina(net: Net, actor=None, **kw):
    values = {"minutes": 60, "message": "", "reason": ASKED, "to_member_id": net.bob.id}
    values.update(kw)
    actor_id = (actor or net.spaces.coord_ruche).id
    return gifts.give(actor_id, for_member_id=net.lina.id, **values)


def test_a_gift_for_a_member_moves_their_credits_logs_the_reason_and_tells_them(net):
    moved = give_for_lina(net, message="Merci pour le vélo")

    assert (balance(net.lina), balance(net.bob)) == (-60, 60)
    db.session.expire_all()
    gift = db.session.get(Transfer, moved.id)
    assert (gift.kind, gift.amount, gift.reason) == ("gift", 60, "Merci pour le vélo")
    assert gift.author_id == net.spaces.coord_ruche.id  # the coordinator wrote it
    assert gift.debit_account_id == transfers.account_of(net.lina.id).id
    (logged,) = acts(on_behalf.ACTED)
    assert (logged.actor_id, logged.subject_user_id, logged.space_id) == (
        net.spaces.coord_ruche.id,
        net.lina.id,
        net.spaces.ruche.id,
    )
    assert (logged.target_type, logged.target_id, logged.reason) == ("transfer", gift.id, ASKED)
    assert logged.details["what"] == "gift" and logged.details["other"] == "Bob Voisin"
    (notice,) = told(net.lina, "acted_for_you")
    assert notice.link == f"/moderation/me-concernant#acte-{logged.id}"
    assert emailed(net.lina, "acted_for_you")
    assert told(net.bob, "gift_received")[0].data["member"] == "Lina Sansordi"
    assert transfers.verify().ok


def test_a_gift_for_a_member_may_go_to_the_pot(net):
    give_for_lina(net, to_member_id=None, minutes=90)
    assert (balance(net.lina), balance()) == (-90, 90)
    assert acts(on_behalf.ACTED)[0].details["other"] == ""


def test_an_admin_may_act_for_any_member(net):
    give_for_lina(net, actor=net.spaces.admin)
    assert balance(net.lina) == -60
    assert acts(on_behalf.ACTED)[0].actor_id == net.spaces.admin.id


@pytest.mark.parametrize("who", ["coord_phare", "bob"])
def test_a_coordinator_of_another_space_or_a_member_may_not_act_for_her(net, who):
    actor = net.bob if who == "bob" else net.spaces.coord_phare
    with pytest.raises(Forbidden):
        give_for_lina(net, actor=actor)
    db.session.rollback()
    assert (balance(net.lina), balance(net.bob)) == (0, 0)
    assert acts(on_behalf.ACTED) == [] and told(net.lina, "acted_for_you") == []


def test_a_coordinator_never_acts_for_a_member_to_their_own_benefit(net):
    coord = net.spaces.coord_ruche
    with pytest.raises(InvalidInput) as refused:
        give_for_lina(net, to_member_id=coord.id)
    assert refused.value.field == "recipient"
    db.session.rollback()
    with pytest.raises(InvalidInput) as refused:
        direct.log_direct(
            coord.id,
            for_member_id=net.lina.id,
            counterpart_id=coord.id,
            gave=False,
            minutes=60,
            title="Aide",
            performed_on=None,
            reason=ASKED,
        )
    assert refused.value.field == "counterpart"
    db.session.rollback()
    assert balance(net.lina) == 0 and acts(on_behalf.ACTED) == []


def test_the_reason_is_required(net):
    with pytest.raises(InvalidInput) as refused:
        give_for_lina(net, reason="   ")
    assert refused.value.field == "reason"
    db.session.rollback()
    assert balance(net.lina) == 0 and acts(on_behalf.ACTED) == []


def test_a_refused_gift_for_a_member_logs_nothing(net):
    with pytest.raises(CreditLimitExceeded) as refused:
        give_for_lina(net, minutes=21 * 60, confirmed_large=True)  # under the floor (−20 h)
    assert "Lina Sansordi" in str(refused.value.message)  # named, not "votre solde"
    db.session.rollback()
    assert balance(net.lina) == 0 and acts(on_behalf.ACTED) == []


def test_the_same_request_for_a_member_moves_and_logs_once(net):
    first = give_for_lina(net, request_key="cle-unique")
    again = give_for_lina(net, request_key="cle-unique")
    assert again.id == first.id
    assert balance(net.lina) == -60
    assert len(acts(on_behalf.ACTED)) == 1 and len(told(net.lina, "acted_for_you")) == 1


def test_a_direct_log_for_a_member_waits_for_the_other_side(net):
    coord = net.spaces.coord_ruche
    logged = direct.log_direct(
        coord.id,
        for_member_id=net.lina.id,
        counterpart_id=net.bob.id,
        gave=True,
        minutes=90,
        title="Relecture d'un devis",
        performed_on=None,
        reason=ASKED,
    )
    db.session.expire_all()
    exchange = db.session.get(Exchange, logged.id)
    assert (exchange.state, exchange.logged_by_id, exchange.provider_id) == (
        "done",
        net.lina.id,  # the member is the logging party
        net.lina.id,
    )
    assert balance(net.lina) == 0  # nothing moves before the other side confirms
    assert told(net.bob, "exchange_logged")[0].data["member"] == "Lina Sansordi"
    (act,) = acts(on_behalf.ACTED)
    assert (act.target_type, act.target_id, act.details["what"]) == (
        "exchange",
        exchange.id,
        "log_gave",
    )
    assert told(net.lina, "acted_for_you")
    with pytest.raises(Forbidden):  # the member logged it: the other side confirms
        lifecycle.confirm(net.lina.id, exchange.id)
    db.session.rollback()
    lifecycle.confirm(net.bob.id, exchange.id)
    assert (balance(net.lina), balance(net.bob)) == (90, -90)
    assert transfers.verify().ok


# ---------------------------------------------------------------------------- contesting


def test_a_contest_within_14_days_is_logged_and_goes_to_the_other_coordinators(net):
    give_for_lina(net)
    (act,) = acts(on_behalf.ACTED)

    on_behalf.contest(net.lina.id, act.id, "Je n'ai rien demandé")

    (contested,) = acts(on_behalf.CONTESTED)
    assert (contested.actor_id, contested.target_type, contested.target_id) == (
        net.lina.id,
        "moderation_action",
        act.id,
    )
    assert (contested.reason, contested.space_id) == ("Je n'ai rien demandé", net.spaces.ruche.id)
    assert told(net.second, on_behalf.CONTESTED)[0].data["reason"] == "Je n'ai rien demandé"
    assert emailed(net.second, on_behalf.CONTESTED)
    assert told(net.spaces.coord_ruche, on_behalf.CONTESTED) == []  # not the one who acted
    assert told(net.bob, on_behalf.CONTESTED) == []  # nor the one who received the gift
    assert told(net.spaces.admin, on_behalf.CONTESTED)  # a moved gift is the admins' to reverse
    assert on_behalf.contest_states([act]) == {act.id: "contested"}


def test_without_other_coordinators_a_contest_goes_to_the_admins(net):
    factories.join(net.bob, net.spaces.phare)  # Le Phare has one coordinator only
    gifts.give(
        net.spaces.coord_phare.id, for_member_id=net.bob.id, minutes=30, message="", reason=ASKED
    )
    (act,) = acts(on_behalf.ACTED)
    on_behalf.contest(net.bob.id, act.id, "Pas moi")
    assert told(net.spaces.admin, on_behalf.CONTESTED)
    assert told(net.spaces.coord_phare, on_behalf.CONTESTED) == []


def test_after_14_days_a_contest_is_refused(net):
    give_for_lina(net)
    (act,) = acts(on_behalf.ACTED)
    act.created_at = utcnow() - timedelta(days=on_behalf.CONTEST_DAYS, minutes=1)
    db.session.commit()
    assert on_behalf.contest_states([act]) == {act.id: "late"}
    with pytest.raises(Conflict) as refused:
        on_behalf.contest(net.lina.id, act.id, "Trop tard ?")
    assert "14 jours" in str(refused.value.message)
    db.session.rollback()
    assert acts(on_behalf.CONTESTED) == [] and told(net.second, on_behalf.CONTESTED) == []


def test_an_act_is_contested_once(net):
    give_for_lina(net)
    (act,) = acts(on_behalf.ACTED)
    on_behalf.contest(net.lina.id, act.id, "Pas moi")
    with pytest.raises(Conflict):
        on_behalf.contest(net.lina.id, act.id, "Encore")
    db.session.rollback()
    assert len(acts(on_behalf.CONTESTED)) == 1


def test_only_the_member_may_contest_and_with_words(net):
    give_for_lina(net)
    (act,) = acts(on_behalf.ACTED)
    for person in (net.bob, net.second, net.spaces.admin):
        with pytest.raises(NotFound):
            on_behalf.contest(person.id, act.id, "Pas moi")
        db.session.rollback()
    with pytest.raises(InvalidInput):
        on_behalf.contest(net.lina.id, act.id, "  ")
    db.session.rollback()
    assert on_behalf.contest_states([act]) == {act.id: "open"}
    assert acts(on_behalf.CONTESTED) == []


def test_contesting_a_log_not_yet_confirmed_calls_it_off_and_nothing_moves(net):
    coord = net.spaces.coord_ruche
    logged = direct.log_direct(
        coord.id,
        for_member_id=net.lina.id,
        counterpart_id=net.bob.id,
        gave=False,
        minutes=90,
        title="Courses",
        performed_on=None,
        reason=ASKED,
    )
    (act,) = acts(on_behalf.ACTED)
    on_behalf.contest(net.lina.id, act.id, "Je n'ai rien reçu")
    db.session.expire_all()
    assert db.session.get(Exchange, logged.id).state == "cancelled"
    assert told(net.bob, "exchange_cancelled")
    assert told(net.second, on_behalf.CONTESTED)
    assert told(net.spaces.admin, on_behalf.CONTESTED) == []  # nothing moved: the space's own
    with pytest.raises(Conflict):
        lifecycle.confirm(net.bob.id, logged.id)
