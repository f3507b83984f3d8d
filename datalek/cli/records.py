"""``init``, ``demo``, ``backup``, ``purge`` and ``audit verify``: looking after the data."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from datalek import config, store
from datalek.accounts import audit, audit_anchor, audit_verify
from datalek.accounts.audit_labels import TABLES
from datalek.accounts.organisations import list_organisations
from datalek.cli.common import db_file, db_option, fail_invalid, open_db
from datalek.demo import dataset
from datalek.handling import retention
from datalek.models import Actor, InvalidInput, Status
from datalek.store import audit_files


@click.command()
@db_option
def init(db_path: Path | None) -> None:
    """Create the database or bring it up to date; make the audit trail's key and seal the
    entries written before it."""
    path = db_file(db_path)
    had_key = config.audit_key_path(path).exists()
    applied = store.migrate(path)
    click.echo(f"Database {path}: {len(applied)} migratie(s) toegepast, schema is actueel.")
    db = store.connect(path)
    try:
        with store.write(db):
            sealed = audit.seal(db)
    except audit_anchor.AuditKeyMissing as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        db.close()
    if not had_key and config.audit_key_path(path).exists():
        click.echo(
            f"De sleutel van de audittrail staat in {config.audit_key_path(path)}. Bewaar een kopie "
            "op een veilige plek, apart van de database: zonder sleutel is de audittrail niet te "
            "controleren."
        )
    if sealed:
        click.echo("De registraties van vóór de sleutel zijn verzegeld met de sleutel.")


@click.command("demo")
@db_option
@click.option("--incidents", default=1000, show_default=True, type=click.IntRange(0, 10_000_000))
@click.option("--years", default=3, show_default=True, type=click.IntRange(1, 20))
@click.option("--seed", default=1, show_default=True, type=int)
@click.option(
    "--accounts/--no-accounts",
    "with_accounts",
    default=True,
    help="Create one demo account per role and print the sign-in details.",
)
def demo_cmd(db_path, incidents, years, seed, with_accounts) -> None:
    """Fill a database with synthetic demo data (no real personal data)."""
    path = db_file(db_path)
    try:
        made = dataset.generate(str(path), incidents, years, seed, with_accounts=with_accounts)
    except InvalidInput as exc:
        fail_invalid(exc)
    click.echo(f"{incidents} demo-incidenten aangemaakt in {path}.")
    for account in made:
        click.echo(f"  {account.role.label:40} {account.email:28} wachtwoord: {account.password}")


@click.command()
@db_option
@click.option("--to", "target", required=True, type=click.Path(dir_okay=False, path_type=Path))
def backup(db_path, target) -> None:
    """Copy the live database with SQLite's online backup API and check the copy."""
    path = db_file(db_path)
    if not path.exists():
        raise click.ClickException(f"Database {path} bestaat niet.")
    try:
        result = store.backup(path, target)
    except FileExistsError:
        raise click.ClickException(f"{target} bestaat al; kies een nieuwe bestandsnaam.") from None
    db = store.connect(path)
    try:
        with store.write(db):
            audit.append(db, Actor.cli(), "backup", "", None, integrity_ok=result == "ok")
    finally:
        db.close()
    if result != "ok":
        raise click.ClickException(f"Controle van de kopie mislukt: {result}")
    click.echo(f"Back-up gemaakt: {target} (integrity_check: ok)")


@click.command()
@db_option
@click.option(
    "--dry-run",
    "mode",
    flag_value="dry-run",
    default=True,
    help="Only list what would be purged (the default); changes nothing.",
)
@click.option("--apply", "mode", flag_value="apply", help="Purge, and audit what was purged.")
def purge(db_path, mode) -> None:
    """Remove free text and personal details from incidents past their retention period."""
    db = open_db(db_path)
    try:
        result = retention.purge(db, Actor.cli(), apply=mode == "apply")
        names = {o.id: o.name for o in list_organisations(db, Actor.cli())}
    finally:
        db.close()
    for item in result.incidents:
        rows = ", ".join(f"{_table(table)}: {n}" for table, n in item.rows.items() if n)
        click.echo(
            f"{item.reference}\torganisatie {names.get(item.org_id, item.org_id)}\t{_status(item.status)}\t"
            f"afgerond {_day(item.closed_at)}\t{rows}".rstrip()
        )
    totals = ", ".join(f"{_table(table)}: {n}" for table, n in result.totals.items())
    if result.applied:
        click.echo(f"Opgeschoond ({totals}).")
    else:
        click.echo(f"Proefdraai, er is niets veranderd ({totals}). Gebruik --apply om op te schonen.")


def _table(name: str) -> str:
    """A counted table by the Dutch name the audit trail gives it."""
    return TABLES.get(name, name.replace("_", " "))


def _status(code: str) -> str:
    return Status(code).label.lower() if code in {s.value for s in Status} else code


def _day(iso: str) -> str:
    """'2019-12-22...' as the Dutch write it: 22-12-2019."""
    try:
        return date.fromisoformat(iso[:10]).strftime("%d-%m-%Y")
    except ValueError:
        return iso[:10]


@click.group("audit")
def audit_group() -> None:
    """The audit trail."""


@audit_group.command("verify")
@db_option
def verify_audit(db_path) -> None:
    """Check the chain and its anchor outside the database (key, checkpoints) and the state of
    every incident; exit code 1 names what does not hold."""
    db = open_db(db_path)
    try:
        result = audit_verify.verify(db)
    finally:
        db.close()
    click.echo(result.message)
    path = db_file(db_path)
    click.echo(
        f"Sleutel: {audit_files.key_location(path.resolve())}. "
        f"Controlepunten: {config.audit_checkpoint_path(path.resolve())}."
    )
    if not result.intact:
        sys.exit(1)
