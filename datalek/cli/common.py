"""What the commands share: the --db option, opening the database, Dutch failures."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from datalek import config, store
from datalek.accounts.organisations import list_organisations
from datalek.accounts.users import find_user
from datalek.models import Actor, InvalidInput

db_option = click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Database file (default: $DATALEK_DB or data/datalek.db).",
)


def db_file(db_path: Path | None) -> Path:
    return db_path or config.db_path()


def open_db(db_path: Path | None):
    path = db_file(db_path)
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


def fail_invalid(exc: InvalidInput) -> None:
    raise click.ClickException(" ".join(exc.errors.values()))


def read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return click.prompt("Wachtwoord", hide_input=True, confirmation_prompt="Herhaal wachtwoord")


class Refused(click.ClickException):
    """A refusal printed as 'Fout: ...' (the Dutch the rest of the message is in)."""

    def show(self, file=None) -> None:
        click.echo(f"Fout: {self.format_message()}", err=True)


def org_ids_for(db, names: tuple[str, ...]) -> list[int]:
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


def user_id_for(db, email: str) -> int:
    found = find_user(db, Actor.cli(), email)
    if found is None:
        raise click.ClickException(f"Geen account met e-mailadres {email}.")
    return found.id
