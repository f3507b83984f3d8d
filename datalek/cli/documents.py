"""``export register``, ``export concept`` and ``report``: the documents the FG and the board file."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click

from datalek.accounts.permissions import PermissionDenied
from datalek.actions import documents
from datalek.cli.common import Refused, db_option, fail_invalid, open_db, org_ids_for
from datalek.insight import annual_report, board_report, register_export
from datalek.models import Actor, InvalidInput, Role
from datalek.store import incidents as incident_sql


@click.group("export")
def export_group() -> None:
    """Export documents for the FG."""


@export_group.command("register")
@db_option
@click.option("--org", "organisation", required=True, help="Organisation id or name.")
@click.option("--year", type=click.IntRange(2000, 2100), help="A calendar year (or use --from and --to).")
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), help="First day (YYYY-MM-DD).")
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), help="Last day (YYYY-MM-DD).")
@click.option(
    "--format", "fmt", type=click.Choice(register_export.PERIOD_FORMATS), default="xlsx", show_default=True
)
@click.option("--out", "target", required=True, type=click.Path(dir_okay=False, path_type=Path))
def export_register(db_path, organisation, year, start, end, fmt, target) -> None:
    """The Art. 33(5) register of one organisation for a year or a period (audited): CSV, XLSX or
    printable HTML with one page per incident."""
    if year is not None and (start or end):
        raise click.UsageError("Gebruik --year of --from en --to, niet allebei.")
    if year is None and not (start and end):
        raise click.UsageError("Kies een jaar (--year) of een periode (--from en --to).")
    first = date(year, 1, 1) if year is not None else start.date()
    last = date(year, 12, 31) if year is not None else end.date()
    db = open_db(db_path)
    try:
        org_id = org_ids_for(db, (organisation,))[0]
        try:
            data = register_export.export_period(db, Actor.cli(), org_id, first, last, fmt)
        except InvalidInput as exc:
            fail_invalid(exc)
    finally:
        db.close()
    target.write_bytes(data)
    period = str(year) if year is not None else f"{first:%d-%m-%Y} t/m {last:%d-%m-%Y}"
    click.echo(f"Register {period} geschreven naar {target}.")


def concept_sections(draft) -> list[dict]:
    """The concept as JSON: a list of sections, each with its number, title and a list of
    {question, answer}; an unknown answer is null."""
    return [
        {
            "number": s.number,
            "title": s.title,
            "answers": [{"question": a.question, "answer": a.text} for a in s.answers],
        }
        for s in draft.sections
    ]


@export_group.command("concept")
@db_option
@click.argument("reference")
@click.option("--org", "organisation", required=True, help="Organisation id or name.")
@click.option(
    "--kind",
    type=click.Choice(["initial", "supplement", "withdrawal"]),
    default=None,
    help="Default: the first notification, or a supplement once it is recorded.",
)
@click.option("--reason", default="", help="For a withdrawal: its reason (default: the recorded one).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of Markdown.")
def export_concept(db_path, reference, organisation, kind, reason, as_json) -> None:
    """The concept AP-melding of one incident (audited: it holds personal data)."""
    db = open_db(db_path)
    try:
        org_id = org_ids_for(db, (organisation,))[0]
        incident_id = incident_sql.id_by_reference(db, org_id, reference)
        if incident_id is None:
            raise click.ClickException(f"Geen melding {reference} bij deze organisatie.")
        # The operator reads what the organisation's FG reads, of this one organisation.
        actor = Actor(user_id=None, role=Role.DPO, org_ids=(org_id,), system=True)
        try:
            draft = documents.draft_notification(db, actor, incident_id, kind=kind, reason=reason)
        except InvalidInput as exc:
            fail_invalid(exc)
        except PermissionDenied as exc:
            raise Refused(str(exc)) from None
    finally:
        db.close()
    if as_json:
        click.echo(json.dumps(concept_sections(draft), ensure_ascii=False, indent=2))
    else:
        click.echo(draft.to_markdown())


#: The output file's suffix -> the format written.
REPORT_SUFFIXES = {".html": "html", ".xlsx": "xlsx", ".docx": "docx"}


class UnknownSuffix(Refused):
    """An output file the command cannot write: refused before anything is made (exit code 2,
    like any other wrong use of the command)."""

    exit_code = 2


def report_format(out: Path) -> str:
    """The format ``out``'s suffix asks for; any other suffix, or none, is refused."""
    fmt = REPORT_SUFFIXES.get(out.suffix.lower())
    if fmt is None:
        said = (
            f"Een bestand met '{out.suffix}' aan het eind kan Datalek niet maken."
            if out.suffix
            else "Het bestand heeft geen extensie."
        )
        raise UnknownSuffix(f"{said} Gebruik .html, .xlsx of .docx. Er is niets geschreven.")
    return fmt


@click.command()
@db_option
@click.option("--org", "organisation", required=True, help="Organisation name or number.")
@click.option("--year", type=int, required=True, help="The year to account for.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Output file: .html (works offline, prints to PDF), .xlsx (every figure) or .docx"
    " (Word, for the board: the FG's narrative, the charts as pictures). Another suffix is refused.",
)
def report(db_path, organisation, year, out) -> None:
    """Write the yearly verantwoording datalekken of one organisation."""
    fmt = report_format(out)
    db = open_db(db_path)
    try:
        org_id = org_ids_for(db, (organisation,))[0]
        # The operator reads what management reads: aggregates of this one organisation.
        actor = Actor(user_id=None, role=Role.MANAGEMENT, org_ids=(org_id,), system=True)
        if fmt == "docx":
            data = board_report.generate(db, actor, year, org_id)
        else:
            data = annual_report.generate(db, actor, year, org_id, fmt)
    finally:
        db.close()
    out.write_bytes(data)
    click.echo(f"Verantwoording {year} geschreven naar {out}.")
