"""`flask outbox`: the emails waiting to leave, and the worker that sends them."""

from __future__ import annotations

import threading

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_babel import force_locale

from exchange.adapters import jobs
from exchange.email_labels import email_label
from exchange.services.notify import outbox


@click.group("outbox", cls=AppGroup, invoke_without_command=True)
@click.pass_context
def outbox_group(ctx):
    """Emails: what waits, what failed; deliver them, retry them, run the worker."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(list_emails)


@outbox_group.command("list")
def list_emails():
    """Counts per state, then the pending and failed emails: what kind each is, never its
    subject nor its body (a gift's notification quotes the giver's message)."""
    counts = outbox.counts()
    click.echo(", ".join(f"{counts[s]} {s}" for s in ("pending", "sending", "sent", "failed")))
    for status in ("pending", "failed"):
        for row in outbox.waiting(status):
            when = row.next_attempt_at if status == "pending" else row.created_at
            with force_locale("en"):
                label = email_label(row.template)
            click.echo(
                f"{status:8} #{row.id} {when:%Y-%m-%d %H:%M} UTC  attempts {row.attempts}"
                f"  {row.to_address}  {label}"
                + (f"  last error: {row.last_error}" if row.last_error else "")
            )


@outbox_group.command("drain")
@click.option(
    "--all", "everything", is_flag=True, help="Also the emails whose next retry is later."
)
def drain(everything: bool):
    """Deliver the pending emails that are due now (here, in this process)."""
    result = outbox.drain(everything=everything)
    click.echo(f"{result.sent} sent, {result.not_sent} not sent.")
    if result.not_sent:
        raise SystemExit(1)


@outbox_group.command("retry")
@click.option("--id", "email_id", type=int, help="Only this email (default: every failed one).")
def retry(email_id: int | None):
    """Put failed emails back to pending; the worker (or `flask outbox drain`) sends them."""
    click.echo(f"{outbox.retry(None, email_id)} failed emails back to pending.")


@outbox_group.command("worker")
@click.option("--burst", is_flag=True, help="Stop once the queue is empty (RQ only).")
def worker(burst: bool):
    """The delivery process to run beside gunicorn when REDIS_URL is set (RQ); without
    Redis it sweeps the outbox in this process."""
    queue = jobs.get()
    if isinstance(queue, jobs.RQJobs):
        click.echo(f"RQ worker on queue {jobs.QUEUE_NAME!r}, sweeping the outbox too.")
        outbox.sweep()
        queue.work(burst=burst)
        return
    every = current_app.config["OUTBOX_SWEEP_SECONDS"]
    click.echo(f"No REDIS_URL: sweeping the outbox every {every:g} s.")
    stop = threading.Event()
    while True:
        outbox.sweep()
        if burst or stop.wait(every):
            return


def register(app: Flask) -> None:
    app.cli.add_command(outbox_group)
