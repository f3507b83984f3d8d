"""``python -m datalek``: set up, manage accounts, demo data, backup and audit checks.

Passwords are read from a hidden prompt or from standard input, never from the command
line (where they would end up in the shell history and the process list).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from datalek import config, store
from datalek.accounts import audit
from datalek.accounts.organisations import create_organisation, list_organisations
from datalek.accounts.permissions import PermissionDenied
from datalek.accounts.users import create_user, find_user, list_users, set_active, set_password
from datalek.demo import dataset
from datalek.models import Actor, InvalidInput, Role

DB_OPTION = click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Database file (default: $DATALEK_DB or data/datalek.db).",
)


def _path(db_path: Path | None) -> Path:
    return db_path or config.db_path()


def _open(db_path: Path | None):
    path = _path(db_path)
    try:
        if not store.is_current(path):
            if not path.exists():
                raise store.DatabaseMissing(str(path))
            store.migrate(path)
        return store.connect(path)
    except store.DatabaseMissing:
        raise click.ClickException(
            f"Database {path} bestaat niet. Maak hem eerst aan met 'python -m datalek init'."
        ) from None


def _fail_invalid(exc: InvalidInput) -> None:
    raise click.ClickException(" ".join(exc.errors.values()))


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return click.prompt("Wachtwoord", hide_input=True, confirmation_prompt="Herhaal wachtwoord")


@click.group()
def main() -> None:
    """Datalek: report, triage and account for personal data breaches."""


@main.command()
@DB_OPTION
def init(db_path: Path | None) -> None:
    """Create the database or bring it up to date."""
    path = _path(db_path)
    applied = store.migrate(path)
    click.echo(f"Database {path}: {len(applied)} migratie(s) toegepast, schema is actueel.")


@main.group()
def org() -> None:
    """Organisations (verwerkingsverantwoordelijken)."""


@org.command("add")
@DB_OPTION
@click.argument("name")
@click.option("--dpo-name", "--fg-name", "dpo_name", default="", help="Name of the organisation's FG (dpo).")
@click.option("--dpo-email", "--fg-email", "dpo_email", default="", help="E-mail address of the FG (dpo).")
@click.option("--dpo-phone", "--fg-phone", "dpo_phone", default="", help="Phone number of the FG (dpo).")
@click.option("--youth-care", is_flag=True, help="A youth-care provider or social-domain team.")
def org_add(db_path, name, dpo_name, dpo_email, dpo_phone, youth_care) -> None:
    """Add an organisation."""
    db = _open(db_path)
    try:
        created = create_organisation(db, Actor.cli(), name, dpo_name, dpo_email, dpo_phone, youth_care)
    except InvalidInput as exc:
        _fail_invalid(exc)
    finally:
        db.close()
    click.echo(f"Organisatie {created.id} aangemaakt: {created.name}")


@org.command("list")
@DB_OPTION
def org_list(db_path) -> None:
    """List organisations."""
    db = _open(db_path)
    try:
        for o in list_organisations(db, Actor.cli()):
            click.echo(f"{o.id}\t{o.name}\tFG: {o.dpo_name or '-'}")
    finally:
        db.close()


def _org_ids(db, names: tuple[str, ...]) -> list[int]:
    known = list_organisations(db, Actor.cli())
    ids = []
    for value in names:
        match = [o.id for o in known if str(o.id) == value] or [
            o.id for o in known if o.name.lower() == value.strip().lower()
        ]
        if not match:
            raise click.ClickException(f"Onbekende organisatie: {value}")
        if len(match) > 1:
            raise click.ClickException(
                f"Meerdere organisaties heten '{value}'. Gebruik het nummer uit 'org list'."
            )
        ids.append(match[0])
    return ids


@org.command("set-retention")
@DB_OPTION
@click.argument("organisation")
@click.argument("years", type=int)
def org_set_retention(db_path, organisation, years) -> None:
    """Set how many years after closing an incident keeps its free text."""
    from datalek.handling import retention

    db = _open(db_path)
    try:
        org_id = _org_ids(db, (organisation,))[0]
        retention.set_retention_years(db, Actor.cli(), org_id, years)
    except InvalidInput as exc:
        _fail_invalid(exc)
    finally:
        db.close()
    click.echo(f"Bewaartermijn van organisatie {org_id}: {years} jaar na afronden.")


@main.group()
def user() -> None:
    """Accounts."""


@user.command("add")
@DB_OPTION
@click.option("--name", required=True)
@click.option("--email", required=True)
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--org", "orgs", multiple=True, required=True, help="Organisation id or name.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--no-password", is_flag=True, help="Sign-in through OIDC only.")
def user_add(db_path, name, email, role, orgs, password_stdin, no_password) -> None:
    """Add an account."""
    db = _open(db_path)
    try:
        org_ids = _org_ids(db, orgs)
        password = None if no_password else _read_password(password_stdin)
        created = create_user(db, Actor.cli(), name, email, role, password, org_ids)
    except InvalidInput as exc:
        _fail_invalid(exc)
    finally:
        db.close()
    click.echo(f"Account {created.id} aangemaakt ({Role(created.role).label}).")


@user.command("list")
@DB_OPTION
def user_list(db_path) -> None:
    """List accounts."""
    db = _open(db_path)
    try:
        for u in list_users(db, Actor.cli()):
            state = "actief" if u.active else "uitgeschakeld"
            orgs = ",".join(str(i) for i in u.org_ids)
            click.echo(f"{u.id}\t{u.email}\t{u.role.value}\t{state}\torg {orgs}")
    finally:
        db.close()


def _user_id(db, email: str) -> int:
    found = find_user(db, Actor.cli(), email)
    if found is None:
        raise click.ClickException(f"Geen account met e-mailadres {email}.")
    return found.id


@user.command("disable")
@DB_OPTION
@click.argument("email")
def user_disable(db_path, email) -> None:
    """Disable an account; it is locked out on its next interaction."""
    db = _open(db_path)
    try:
        set_active(db, Actor.cli(), _user_id(db, email), False)
    finally:
        db.close()
    click.echo("Account uitgeschakeld.")


@user.command("enable")
@DB_OPTION
@click.argument("email")
def user_enable(db_path, email) -> None:
    """Enable a disabled account."""
    db = _open(db_path)
    try:
        set_active(db, Actor.cli(), _user_id(db, email), True)
    finally:
        db.close()
    click.echo("Account ingeschakeld.")


@user.command("set-password")
@DB_OPTION
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def user_set_password(db_path, email, password_stdin) -> None:
    """Set a new password for an account."""
    db = _open(db_path)
    try:
        set_password(db, Actor.cli(), _user_id(db, email), _read_password(password_stdin))
    except InvalidInput as exc:
        _fail_invalid(exc)
    finally:
        db.close()
    click.echo("Wachtwoord gewijzigd.")


@main.command("demo")
@DB_OPTION
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
    path = _path(db_path)
    try:
        made = dataset.generate(str(path), incidents, years, seed, with_accounts=with_accounts)
    except InvalidInput as exc:
        _fail_invalid(exc)
    click.echo(f"{incidents} demo-incidenten aangemaakt in {path}.")
    for account in made:
        click.echo(f"  {account.role.label:40} {account.email:28} wachtwoord: {account.password}")


@main.command()
@DB_OPTION
@click.option("--to", "target", required=True, type=click.Path(dir_okay=False, path_type=Path))
def backup(db_path, target) -> None:
    """Copy the live database with SQLite's online backup API and check the copy."""
    path = _path(db_path)
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


@main.command()
@DB_OPTION
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
    from datalek.handling import retention

    db = _open(db_path)
    try:
        result = retention.purge(db, Actor.cli(), apply=mode == "apply")
    finally:
        db.close()
    for item in result.incidents:
        rows = " ".join(f"{table}={n}" for table, n in item.rows.items() if n)
        click.echo(
            f"{item.reference}\torg {item.org_id}\t{item.status}\t"
            f"afgerond {item.closed_at[:10]}\t{rows}".rstrip()
        )
    totals = ", ".join(f"{table}: {n}" for table, n in result.totals.items())
    if result.applied:
        click.echo(f"Opgeschoond ({totals}).")
    else:
        click.echo(f"Proefdraai, er is niets veranderd ({totals}). Gebruik --apply om op te schonen.")


@main.group("export")
def export_group() -> None:
    """Export documents for the FG."""


@export_group.command("register")
@DB_OPTION
@click.option("--org", "organisation", required=True, help="Organisation id or name.")
@click.option("--year", required=True, type=click.IntRange(2000, 2100))
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="xlsx", show_default=True)
@click.option("--out", "target", required=True, type=click.Path(dir_okay=False, path_type=Path))
def export_register(db_path, organisation, year, fmt, target) -> None:
    """The Art. 33(5) register of one organisation and year (audited)."""
    from datalek.insight import register_export

    db = _open(db_path)
    try:
        org_id = _org_ids(db, (organisation,))[0]
        data = register_export.export(db, Actor.cli(), org_id, year, fmt)
    finally:
        db.close()
    target.write_bytes(data)
    click.echo(f"Register {year} geschreven naar {target}.")


@main.group("audit")
def audit_group() -> None:
    """The audit trail."""


@audit_group.command("verify")
@DB_OPTION
def audit_verify(db_path) -> None:
    """Recompute the hash chain; exit code 1 names the first broken entry."""
    db = _open(db_path)
    try:
        result = audit.verify(db)
    finally:
        db.close()
    click.echo(result.message)
    if not result.intact:
        sys.exit(1)


_PYDANTIC_DUTCH = {
    "missing": "ontbreekt",
    "enum": "onbekende waarde",
    "literal_error": "onbekende waarde",
    "bool_type": "moet true of false zijn",
    "bool_parsing": "moet true of false zijn",
    "int_type": "moet een heel getal zijn",
    "int_parsing": "moet een heel getal zijn",
    "int_from_float": "moet een heel getal zijn",
    "float_type": "moet een getal zijn",
    "float_parsing": "moet een getal zijn",
    "greater_than_equal": "mag niet negatief zijn",
    "list_type": "moet een lijst zijn",
    "string_type": "moet tekst zijn",
    "datetime_type": "moet een datum en tijd zijn, zoals 2026-11-20T09:00:00+01:00",
    "datetime_parsing": "moet een datum en tijd zijn, zoals 2026-11-20T09:00:00+01:00",
    "datetime_from_date_parsing": "moet een datum en tijd zijn, zoals 2026-11-20T09:00:00+01:00",
    "timezone_aware": "moet een tijdzone hebben, zoals +01:00",
    "model_type": "moet een JSON-object zijn met de feiten",
}


class _Refused(click.ClickException):
    """A refusal printed as 'Fout: ...' (the Dutch the rest of the message is in)."""

    def show(self, file=None) -> None:
        click.echo(f"Fout: {self.format_message()}", err=True)


def _dutch_problem(error: dict) -> str:
    where = ".".join(str(p) for p in error["loc"]) or "bestand"
    what = _PYDANTIC_DUTCH.get(error["type"], "ongeldige waarde")
    if error["type"] == "value_error" and "timezone" in error.get("msg", ""):
        what = _PYDANTIC_DUTCH["timezone_aware"]
    if error["type"] == "enum" and "expected" in error.get("ctx", {}):
        what += f" (kies uit {error['ctx']['expected'].replace(' or ', ' of ')})"
    return f"{where}: {what}"


@main.command()
@click.argument("facts_file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--schema", is_flag=True, help="Print the JSON schema of the facts and stop.")
def assess(facts_file: Path | None, schema: bool) -> None:
    """Print the triage advice (JSON) for the facts in FACTS_FILE (JSON)."""
    from pydantic import ValidationError

    from datalek import triage
    from datalek.triage.facts import Facts

    if schema:
        click.echo(json.dumps(Facts.model_json_schema(), indent=2, ensure_ascii=False))
        return
    if facts_file is None:
        raise _Refused("Geef een JSON-bestand met de feiten, of gebruik --schema.")
    try:
        data = json.loads(facts_file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _Refused(f"Bestand {facts_file} bestaat niet.") from None
    except UnicodeDecodeError:
        raise _Refused(f"Bestand {facts_file} is geen tekstbestand (UTF-8).") from None
    except json.JSONDecodeError as exc:
        raise _Refused(f"Het bestand is geen geldige JSON (regel {exc.lineno}, kolom {exc.colno}).") from None
    try:
        facts = Facts.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(_dutch_problem(e) for e in exc.errors())
        raise _Refused(f"De feiten kloppen niet: {problems}") from None
    click.echo(triage.assess(facts).model_dump_json(indent=2))


@main.command()
@DB_OPTION
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
    from datalek.insight import annual_report

    fmt = "xlsx" if out.suffix.lower() == ".xlsx" else "html"
    db = _open(db_path)
    try:
        org_id = _org_ids(db, (organisation,))[0]
        # The operator reads what management reads: aggregates of this one organisation.
        actor = Actor(user_id=None, role=Role.MANAGEMENT, org_ids=(org_id,), system=True)
        data = annual_report.generate(db, actor, year, org_id, fmt)
    finally:
        db.close()
    out.write_bytes(data)
    click.echo(f"Verantwoording {year} geschreven naar {out}.")


def run() -> None:
    try:
        main(standalone_mode=True)
    except PermissionDenied as exc:
        click.echo(f"Fout: {exc.message}", err=True)
        sys.exit(1)
