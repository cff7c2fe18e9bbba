"""`actions.act`, the one way a view runs a use case: what the member is told, what is kept."""

import pytest
from flask import get_flashed_messages
from wtforms import StringField

from exchange.actions import act, info_when_done_elsewhere
from exchange.forms_common import Form
from exchange.services.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    LargeAmountUnconfirmed,
    NotFound,
)
from models import Space, db
from tests import factories


class NameForm(Form):
    name = StringField()


@pytest.fixture
def page(app):
    """A POST request of the app, as a view runs in one."""
    with app.test_request_context("/", method="POST"):
        yield


def flashed():
    return get_flashed_messages(with_categories=True)


def raising(error):
    def call():
        raise error

    return call


def test_success_gives_the_value_and_says_done(page):
    outcome = act(lambda: 42, done=lambda value: f"done {value}")
    assert outcome and outcome.value == 42 and outcome.error is None
    assert flashed() == [("success", "done 42")]


def test_a_refusal_naming_a_field_goes_beside_it_and_nothing_is_flashed(page):
    form = NameForm(meta={"csrf": False})
    outcome = act(raising(InvalidInput("Trop long.", field="name")), form=form, done="no")
    assert not outcome and isinstance(outcome.error, InvalidInput)
    assert form.name.errors == ["Trop long."]
    assert flashed() == []


def test_a_refusal_naming_no_field_is_flashed_in_its_category(page):
    act(raising(Conflict("Déjà fait.")), category=info_when_done_elsewhere)
    act(raising(InvalidInput("Non.")), category=info_when_done_elsewhere)
    act(raising(InvalidInput("Non.")), refusal="Autre chose.", category="info")
    assert flashed() == [("info", "Déjà fait."), ("error", "Non."), ("info", "Autre chose.")]


@pytest.mark.parametrize("error", [Forbidden(), NotFound()])
def test_a_refusal_of_access_is_the_error_page_unless_the_view_says_otherwise(page, error):
    with pytest.raises(type(error)):
        act(raising(error))
    assert not act(raising(error), access=())
    assert flashed() == [("error", str(error.message))]


def test_an_answered_refusal_is_left_to_the_view_unsaid(page):
    outcome = act(raising(LargeAmountUnconfirmed(minutes=600)), answered=(LargeAmountUnconfirmed,))
    assert outcome.error.minutes == 600
    assert flashed() == []


def test_a_service_field_is_put_beside_the_form_field_it_is_called_there(page):
    form = NameForm(meta={"csrf": False})
    act(
        raising(InvalidInput("Vide.", field="space_name")), form=form, fields={"space_name": "name"}
    )
    assert form.name.errors == ["Vide."]


def test_nothing_of_a_refused_step_stays_in_the_session(app, page):
    space = factories.space("La Ruche")

    def half_done():
        space.name = "Renommé à moitié"
        db.session.flush()
        raise Conflict("Refusé.")

    act(half_done)
    assert db.session.get(Space, space.id).name == "La Ruche"
