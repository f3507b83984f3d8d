"""``export register`` and ``report``: the documents the FG and the board file."""

from __future__ import annotations

from pathlib import Path

import click

from datalek.cli.common import db_option, open_db, org_ids_for
from datalek.insight import annual_report, register_export
from datalek.models import Actor, Role


@click.group("export")
def export_group() -> None:
    """Export documents for the FG."""


@export_group.command("register")
@db_option
@click.option("--org", "organisation", required=True, help="Organisation id or name.")
@click.option("--year", required=True, type=click.IntRange(2000, 2100))
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="xlsx", show_default=True)
@click.option("--out", "target", required=True, type=click.Path(dir_okay=False, path_type=Path))
def export_register(db_path, organisation, year, fmt, target) -> None:
    """The Art. 33(5) register of one organisation and year (audited)."""
    db = open_db(db_path)
    try:
        org_id = org_ids_for(db, (organisation,))[0]
        data = register_export.export(db, Actor.cli(), org_id, year, fmt)
    finally:
        db.close()
    target.write_bytes(data)
    click.echo(f"Register {year} geschreven naar {target}.")


@click.command()
@db_option
@click.option("--org", "organisation", required=True, help="Organisation name or number.")
@click.option("--year", type=int, required=True, help="The year to account for.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Output file: .html (works offline, prints to PDF) or .xlsx (every figure).",
)
def report(db_path, organisation, year, out) -> None:
    """Write the yearly verantwoording datalekken of one organisation."""
    fmt = "xlsx" if out.suffix.lower() == ".xlsx" else "html"
    db = open_db(db_path)
    try:
        org_id = org_ids_for(db, (organisation,))[0]
        # The operator reads what management reads: aggregates of this one organisation.
        actor = Actor(user_id=None, role=Role.MANAGEMENT, org_ids=(org_id,), system=True)
        data = annual_report.generate(db, actor, year, org_id, fmt)
    finally:
        db.close()
    out.write_bytes(data)
    click.echo(f"Verantwoording {year} geschreven naar {out}.")
