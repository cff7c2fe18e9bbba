"""Online fees' rules (issue 6, points 1 and 2): off without the network's Stripe keys, and said
so; an admin sets the cap per exchange (50 € by default) and the commons' share (0 % by
default), logged; what is not an amount is refused beside its field and changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from exchange.services.errors import InvalidInput
from exchange.services.ledger import rules
from models import ModerationAction, NetworkSettings, db
from tests import factories

KEYS = {
    "STRIPE_SECRET_KEY": "sk_test_archipel",
    "STRIPE_WEBHOOK_SECRET": "whsec_archipel",
    "STRIPE_PUBLISHABLE_KEY": "pk_test_archipel",
}
RULES_FORM = {"overdraft": "20 h", "ceiling": "100 h", "welcome_grant": ""}


@pytest.fixture
def admin(app, auth):
    user = factories.member("Adam Réseau", admin=True)
    auth.login(user)
    return user


def settings():
    db.session.expire_all()
    return db.session.get(NetworkSettings, 1)


def test_without_keys_fees_are_off_and_the_pages_say_so(app, client, admin):
    assert rules.current().fee_cap_cents == 5000 and rules.current().commons_bp == 0
    page = client.get("/admin/reglages").text
    assert "Les frais en ligne sont désactivés" in page
    assert 'value="50"' in page and 'name="commons" type="text" value="0"' in page
    assert "Les frais en ligne sont désactivés sur ce réseau" in client.get("/caisse-commune").text


@pytest.mark.parametrize("missing", sorted(KEYS))
def test_fees_are_on_only_with_all_three_keys(app, client, admin, missing):
    app.config.update({**KEYS, missing: None})
    assert "Les frais en ligne sont désactivés" in client.get("/admin/reglages").text
    app.config.update(KEYS)
    page = client.get("/admin/reglages").text
    assert "Les frais en ligne sont activés" in page and "désactivés" not in page
    assert "Les frais en ligne sont activés sur ce réseau" in client.get("/caisse-commune").text


def test_an_admin_sets_the_cap_and_the_commons_share_and_it_is_logged(client, admin):
    sent = client.post(
        "/admin/reglages",
        data={**RULES_FORM, "fee_cap": "30,50", "commons": "2,5", "reason": "Assemblée"},
    )
    assert sent.status_code == 302
    row = settings()
    assert (row.fee_cap_cents, row.commons_bp) == (3050, 250)
    act = db.session.scalar(
        select(ModerationAction).where(ModerationAction.action == "rules_updated")
    )
    assert (act.details["before"]["fee_cap_cents"], act.details["after"]["fee_cap_cents"]) == (
        5000,
        3050,
    )
    assert act.details["after"]["commons_bp"] == 250 and act.reason == "Assemblée"
    page = client.get("/admin/reglages").text
    assert 'value="30,50"' in page and 'value="2,5"' in page


def test_left_empty_the_fee_rules_stay_as_they_are(client, admin):
    client.post("/admin/reglages", data={**RULES_FORM, "fee_cap": "20", "commons": "1"})
    assert client.post("/admin/reglages", data=RULES_FORM).status_code == 302
    row = settings()
    assert (row.fee_cap_cents, row.commons_bp) == (2000, 100)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"fee_cap": "beaucoup"}, "fee_cap", "Indiquez un montant en euros"),
        ({"fee_cap": "-5"}, "fee_cap", "Indiquez un montant en euros"),
        ({"fee_cap": "501"}, "fee_cap", "de 0 € (aucun frais) à 500 €"),
        ({"commons": "dix"}, "commons", "Indiquez un pourcentage"),
        ({"commons": "51"}, "commons", "de 0 à 50 pour cent"),
        ({"commons": "2,555"}, "commons", "Indiquez un pourcentage"),
    ],
)
def test_what_is_no_amount_or_too_much_is_refused_beside_its_field(
    client, admin, data, field, message
):
    sent = client.post("/admin/reglages", data={**RULES_FORM, **data})
    assert sent.status_code == 400
    assert message in sent.text
    assert f'id="{field}-error"' in sent.get_data(as_text=True)
    assert settings() is None or (settings().fee_cap_cents, settings().commons_bp) == (5000, 0)
    assert db.session.scalar(select(ModerationAction)) is None


def test_the_service_holds_the_bounds_whoever_calls(app, admin):
    with pytest.raises(InvalidInput) as refused:
        rules.update(
            admin.id, credit_floor=-1200, credit_ceiling=6000, welcome_grant=0, commons_bp=-1
        )
    assert refused.value.field == "commons_bp"
    db.session.rollback()
    result = rules.update(
        admin.id,
        credit_floor=-1200,
        credit_ceiling=6000,
        welcome_grant=0,
        fee_cap_cents=0,
        commons_bp=5000,
    )
    assert (result.fee_cap_cents, result.commons_bp) == (0, 5000)
