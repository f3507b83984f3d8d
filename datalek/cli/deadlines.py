"""``deadlines``: the notification clocks that still run, with hours left (for monitoring).

Only references, organisation names, phases and moments: no personal data and no free text
(whether a reason for a delay is recorded, never the reason itself). Not audited: it reads no
incident's content, and a monitoring check every few minutes would bury the audit trail."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import click

from datalek import clock, deadlines
from datalek.accounts.organisations import list_organisations
from datalek.cli.common import db_option, open_db, org_ids_for
from datalek.handling import outstanding
from datalek.models import Actor

#: The exit code of ``--fail-on-overdue`` when a deadline has passed.
OVERDUE_EXIT = 3


def _reason(found: outstanding.Clock, now: datetime) -> str:
    if found.delay_reason:
        return "reden van vertraging vastgelegd"
    return "reden van vertraging ontbreekt" if found.overdue(now) else ""


def as_text(found: outstanding.Clock, organisation: str, now: datetime) -> str:
    parts = [
        found.reference,
        organisation,
        found.phase.label,
        f"uiterlijk {clock.format_local(found.deadline)}",
        deadlines.describe_hours_left(found.hours_left(now)),
        _reason(found, now),
    ]
    return " · ".join(p for p in parts if p)


def as_json(found: outstanding.Clock, organisation: str, now: datetime) -> dict:
    return {
        "reference": found.reference,
        "organisation": organisation,
        "phase": found.phase.value,
        "aware_at": found.aware_at.astimezone(UTC).isoformat(),
        "deadline": found.deadline.astimezone(UTC).isoformat(),
        "hours_left": round(found.hours_left(now), 1),
        "overdue": found.overdue(now),
        "delay_reason_recorded": bool(found.delay_reason),
    }


@click.command("deadlines")
@db_option
@click.option("--org", "organisation", default=None, help="Only this organisation (id or name).")
@click.option("--json", "as_json_", is_flag=True, help="A JSON list instead of text.")
@click.option(
    "--fail-on-overdue",
    is_flag=True,
    help=f"Exit with code {OVERDUE_EXIT} when a deadline has passed (for monitoring).",
)
def deadlines_cmd(db_path, organisation, as_json_, fail_on_overdue) -> None:
    """List the notification clocks that still run, earliest deadline first."""
    db = open_db(db_path)
    try:
        org_ids = org_ids_for(db, (organisation,)) if organisation else None
        names = {o.id: o.name for o in list_organisations(db, Actor.cli())}
        clocks = outstanding.running(db, org_ids)
    finally:
        db.close()
    now = clock.now()
    if as_json_:
        click.echo(json.dumps([as_json(c, names.get(c.org_id, ""), now) for c in clocks], ensure_ascii=False))
    elif not clocks:
        click.echo("Geen lopende termijnen.")
    else:
        for c in clocks:
            click.echo(as_text(c, names.get(c.org_id, ""), now))
    if fail_on_overdue and any(c.overdue(now) for c in clocks):
        raise SystemExit(OVERDUE_EXIT)
