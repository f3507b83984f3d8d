"""``reminders run``: send the reminders of the notification period that are due (one pass, for
a system timer; the server does the same every minute unless ``DATALEK_REMINDERS=off``).
``reminders list``: the newest reminders recorded, by reference and point (no addresses)."""

from __future__ import annotations

from pathlib import Path

import click

from datalek import clock
from datalek.actions import reminders
from datalek.cli.common import db_option, open_db
from datalek.config import SmtpSettings
from datalek.store import reminders as reminder_sql

STATES = {"sending": "bezig", "sent": "verstuurd", "failed": "mislukt", "skipped": "overgeslagen"}


@click.group("reminders")
def reminders_group() -> None:
    """Reminders of the notification period."""


@reminders_group.command("run")
@db_option
def run_cmd(db_path: Path | None) -> None:
    """Send the reminders that are due now, once."""
    settings = SmtpSettings.from_env()
    if settings is None:
        raise click.ClickException("Geen mailserver ingesteld (DATALEK_SMTP_HOST): er is niets verstuurd.")
    db = open_db(db_path)
    try:
        outcome = reminders.send_due(db, settings, clock.now())
    finally:
        db.close()
    click.echo(f"Verstuurd: {outcome.sent}. Mislukt: {outcome.failed}. Overgeslagen: {outcome.skipped}.")
    if outcome.failed:
        raise SystemExit(1)


@reminders_group.command("list")
@db_option
@click.option("--limit", default=50, show_default=True, help="Hoeveel herinneringen.")
def list_cmd(db_path: Path | None, limit: int) -> None:
    """The newest reminders recorded."""
    db = open_db(db_path)
    try:
        rows = reminder_sql.recent(db, limit)
    finally:
        db.close()
    if not rows:
        click.echo("Nog geen herinneringen.")
    for r in rows:
        at = clock.format_local(clock.from_iso(r["sent_at"]))
        click.echo(
            f"{r['reference']}  na {r['point_hours']} uur  {STATES.get(r['state'], r['state'])}"
            f"  {at}  ontvangers: {r['recipients']}"
        )
