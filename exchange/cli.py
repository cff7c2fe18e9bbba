"""Flask commands: `flask admin create`, `flask demo seed`, `flask ledger verify`,
`flask exchanges expire`, `flask sessions purge`."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import func, select

from exchange.services.community import accounts
from exchange.services.errors import DomainError
from exchange.services.exchanges import lifecycle
from exchange.services.ledger import transfers
from exchange.services.money import stripe_events
from exchange.services.reputation import feedback
from models import User, db

# `tiny` is for the tests: a few hundred rows of the same shapes.
SEED_SCALES = ("demo", "small", "large", "tiny")


admin = AppGroup("admin", help="Network administrators.")


@admin.command("create")
@click.option("--email", prompt=True, help="Address used to log in.")
@click.option("--name", "display_name", prompt="Display name", help="Name shown to members.")
@click.password_option(help="At least 10 characters, not a common one.")
def create_admin(email: str, display_name: str, password: str):
    """Create a network admin (or make an existing member one)."""
    try:
        user = accounts.create_admin(email=email, display_name=display_name, password=password)
    except DomainError as e:
        raise click.ClickException(str(e.message)) from e
    click.echo(f"{user.email} is a network admin.")


sessions = AppGroup("sessions", help="Log-in sessions.")


@sessions.command("purge")
@click.option("--days", default=30, show_default=True, help="Keep ended sessions this long.")
def purge(days: int):
    """Delete log-in sessions that ended more than DAYS ago (run it daily from cron)."""
    click.echo(f"{accounts.purge_sessions(days)} ended sessions deleted.")


ledger_group = AppGroup("ledger", help="The time-credit ledger.")


@ledger_group.command("verify")
def verify():
    """Recompute every balance from the entries; exit 1 with a report on any breach."""

    report = transfers.verify()
    click.echo(
        f"{report.transfers} transfers, {report.entries} entries, {report.accounts} accounts;"
        f" balances sum to {report.total}."
    )
    if report.ok:
        click.echo("The ledger is balanced: every cached balance matches its entries.")
        return
    for problem in report.problems:
        click.echo(f"BREACH: {problem}", err=True)
    raise SystemExit(1)


exchanges_group = AppGroup("exchanges", help="Exchanges.")


@exchanges_group.command("expire")
def expire():
    """Expire logged times nobody confirmed in time (run it daily from cron)."""

    click.echo(f"{lifecycle.expire_stale()} unconfirmed logs expired.")


feedback_group = AppGroup("feedback", help="Feedback between the parties of an exchange.")


@feedback_group.command("publish")
def publish():
    """Tell both parties when a feedback window has closed (run it daily from cron)."""

    click.echo(f"{feedback.publish_due()} exchanges' feedback announced.")


stripe_group = AppGroup("stripe", help="Online fees through Stripe.")


@stripe_group.command("process-events")
def process_events():
    """Handle Stripe events still waiting (Stripe unreachable, a worker stopped after the
    answer), then ask Stripe about fees still due; run it every few minutes from cron.
    Exits 1 while events fail or wait for a person."""

    done, failed = stripe_events.handle_pending()
    paid = stripe_events.reconcile()
    stuck = stripe_events.stuck()
    click.echo(
        f"{done} Stripe events handled, {failed} to try again, {stuck} given up "
        f"(see stripe_events.last_error); {paid} fees found paid on Stripe."
    )
    if failed or stuck:
        raise SystemExit(1)


demo = AppGroup("demo", help="The demo network.")


@demo.command("seed")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database has members.")
@click.option(
    "--scale",
    type=click.Choice(SEED_SCALES),
    default="demo",
    show_default=True,
    metavar="[demo|small|large]",
    help="demo: the hand-written network; large: 5,000 members, 50,000 listings, 200,000"
    " exchanges (a few minutes); small: a tenth of it.",
)
def seed(if_empty: bool, scale: str):
    """Load a believable network into an empty database: spaces, members, coordinators,
    one admin, listings, exchanges, ledger, feedback."""
    # Imported when the command runs: the demo's data and generator stay out of every web
    # worker's memory (5 MB of each).
    from exchange import demo as demo_data  # noqa: PLC0415
    from exchange import demo_scale  # noqa: PLC0415

    if db.session.scalar(select(func.count(User.id))):
        if not if_empty:
            raise click.ClickException(
                "The database already has members: nothing loaded. Seed an empty database"
                " (`flask db upgrade` on a new one), or pass --if-empty to skip quietly."
            )
        click.echo("The database already has members: demo not loaded.")
        demo_data.print_logins(click.echo)
        return
    if scale == "demo":
        demo_data.seed()
        demo_data.print_logins(click.echo)
        return

    built = demo_scale.build(demo_scale.SCALES[scale], click.echo)
    demo_scale.describe(built, click.echo)


def register(app: Flask) -> None:
    for group in (
        admin,
        sessions,
        ledger_group,
        exchanges_group,
        feedback_group,
        stripe_group,
        demo,
    ):
        app.cli.add_command(group)
