"""The flask commands a network runs: creating the first admin, loading the demo."""

from __future__ import annotations

from sqlalchemy import func, select

from exchange.services.community import accounts
from models import User, db


def test_admin_create_makes_a_confirmed_admin_who_can_log_in(app):
    result = app.test_cli_runner().invoke(
        args=[
            "admin",
            "create",
            "--email",
            "Ada@Example.org",
            "--name",
            "Ada Admin",
            "--password",
            "phare-du-nord-77",
        ]
    )
    assert result.exit_code == 0, result.output
    ada = accounts.authenticate("ada@example.org", "phare-du-nord-77")
    assert ada.is_admin and ada.email_confirmed


def test_admin_create_refuses_a_weak_password_and_creates_nothing(app):
    result = app.test_cli_runner().invoke(
        args=[
            "admin",
            "create",
            "--email",
            "ada@example.org",
            "--name",
            "Ada",
            "--password",
            "azertyuiop",
        ]
    )
    assert result.exit_code != 0
    assert "trop courant" in result.output
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_admin_create_promotes_an_existing_member(app, member):
    result = app.test_cli_runner().invoke(
        args=[
            "admin",
            "create",
            "--email",
            member.email,
            "--name",
            "x",
            "--password",
            "ignored-here-0",
        ]
    )
    assert result.exit_code == 0
    db.session.refresh(member)
    assert member.is_admin and member.display_name == "Léa Martin"


def test_demo_seed_if_empty_loads_once_and_prints_the_logins(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "seed", "--if-empty"])
    assert first.exit_code == 0, first.output
    count = db.session.scalar(select(func.count(User.id)))
    assert count >= 37 and "admin@archipel.test" in first.output
    second = runner.invoke(args=["demo", "seed", "--if-empty"])
    assert second.exit_code == 0 and "already has members" in second.output
    assert db.session.scalar(select(func.count(User.id))) == count


def test_sessions_purge_deletes_only_long_ended_sessions(app, member):
    from datetime import timedelta

    from models import LoginSession
    from models.base import utcnow

    now = utcnow()
    db.session.add_all(
        [
            LoginSession(id="a" * 64, user_id=member.id, expires_at=now - timedelta(days=40)),
            LoginSession(
                id="b" * 64, user_id=member.id, expires_at=now + timedelta(days=5),
                revoked_at=now - timedelta(days=31),
            ),
            LoginSession(id="c" * 64, user_id=member.id, expires_at=now + timedelta(days=5)),
            LoginSession(id="d" * 64, user_id=member.id, expires_at=now - timedelta(days=2)),
        ]
    )  # fmt: skip
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["sessions", "purge"])
    assert result.exit_code == 0 and "2 ended sessions deleted" in result.output
    assert sorted(s.id[0] for s in db.session.scalars(select(LoginSession))) == ["c", "d"]
