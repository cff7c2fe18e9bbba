"""Flask commands: `flask admin create`, `flask demo seed`."""

from __future__ import annotations

import click
from flask import Flask
from sqlalchemy import func, select

from exchange.services import accounts
from exchange.services.errors import DomainError
from models import User, db


def register(app: Flask) -> None:
    @app.cli.group("admin")
    def admin():
        """Network administrators."""

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

    @app.cli.group("sessions")
    def sessions():
        """Log-in sessions."""

    @sessions.command("purge")
    @click.option("--days", default=30, show_default=True, help="Keep ended sessions this long.")
    def purge(days: int):
        """Delete log-in sessions that ended more than DAYS ago (run it daily from cron)."""
        click.echo(f"{accounts.purge_sessions(days)} ended sessions deleted.")

    @app.cli.group("demo")
    def demo():
        """The demo network."""

    @demo.command("seed")
    @click.option("--if-empty", is_flag=True, help="Do nothing when the database has members.")
    def seed(if_empty: bool):
        """Load a believable network: spaces, members, coordinators, one admin, listings."""
        from exchange import demo as demo_data

        if if_empty and db.session.scalar(select(func.count(User.id))):
            click.echo("The database already has members: demo not loaded.")
            demo_data.print_logins(click.echo)
            return
        demo_data.seed()
        demo_data.print_logins(click.echo)
