"""``org`` and ``user``: organisations and accounts, for the operator on the server.

Passwords are read from a hidden prompt or from standard input, never from the command
line (where they would end up in the shell history and the process list).
"""

from __future__ import annotations

import click

from datalek.accounts.organisations import create_organisation, list_organisations
from datalek.accounts.users import create_user, list_users, set_active, set_password
from datalek.cli.common import db_option, fail_invalid, open_db, org_ids_for, read_password, user_id_for
from datalek.handling import retention
from datalek.models import Actor, InvalidInput, Role


@click.group()
def org() -> None:
    """Organisations (verwerkingsverantwoordelijken)."""


@org.command("add")
@db_option
@click.argument("name")
@click.option("--dpo-name", "--fg-name", "dpo_name", default="", help="Name of the organisation's FG (dpo).")
@click.option("--dpo-email", "--fg-email", "dpo_email", default="", help="E-mail address of the FG (dpo).")
@click.option("--dpo-phone", "--fg-phone", "dpo_phone", default="", help="Phone number of the FG (dpo).")
@click.option("--youth-care", is_flag=True, help="A youth-care provider or social-domain team.")
def org_add(db_path, name, dpo_name, dpo_email, dpo_phone, youth_care) -> None:
    """Add an organisation."""
    db = open_db(db_path)
    try:
        created = create_organisation(db, Actor.cli(), name, dpo_name, dpo_email, dpo_phone, youth_care)
    except InvalidInput as exc:
        fail_invalid(exc)
    finally:
        db.close()
    click.echo(f"Organisatie {created.id} aangemaakt: {created.name}")


@org.command("list")
@db_option
def org_list(db_path) -> None:
    """List organisations."""
    db = open_db(db_path)
    try:
        for o in list_organisations(db, Actor.cli()):
            click.echo(f"{o.id}\t{o.name}\tFG: {o.dpo_name or '-'}")
    finally:
        db.close()


@org.command("set-retention")
@db_option
@click.argument("organisation")
@click.argument("years", type=int)
def org_set_retention(db_path, organisation, years) -> None:
    """Set how many years after closing an incident keeps its free text."""
    db = open_db(db_path)
    try:
        org_id = org_ids_for(db, (organisation,))[0]
        retention.set_retention_years(db, Actor.cli(), org_id, years)
    except InvalidInput as exc:
        fail_invalid(exc)
    finally:
        db.close()
    click.echo(f"Bewaartermijn van organisatie {org_id}: {years} jaar na afronden.")


@click.group()
def user() -> None:
    """Accounts."""


@user.command("add")
@db_option
@click.option("--name", required=True)
@click.option("--email", required=True)
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--org", "orgs", multiple=True, required=True, help="Organisation id or name.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--no-password", is_flag=True, help="Sign-in through OIDC only.")
def user_add(db_path, name, email, role, orgs, password_stdin, no_password) -> None:
    """Add an account."""
    db = open_db(db_path)
    try:
        org_ids = org_ids_for(db, orgs)
        password = None if no_password else read_password(password_stdin)
        created = create_user(db, Actor.cli(), name, email, role, password, org_ids)
    except InvalidInput as exc:
        fail_invalid(exc)
    finally:
        db.close()
    click.echo(f"Account {created.id} aangemaakt ({Role(created.role).label}).")


@user.command("list")
@db_option
def user_list(db_path) -> None:
    """List accounts."""
    db = open_db(db_path)
    try:
        for u in list_users(db, Actor.cli()):
            state = "actief" if u.active else "uitgeschakeld"
            orgs = ",".join(str(i) for i in u.org_ids)
            click.echo(f"{u.id}\t{u.email}\t{u.role.value}\t{state}\torg {orgs}")
    finally:
        db.close()


@user.command("disable")
@db_option
@click.argument("email")
def user_disable(db_path, email) -> None:
    """Disable an account; it is locked out on its next interaction."""
    db = open_db(db_path)
    try:
        set_active(db, Actor.cli(), user_id_for(db, email), False)
    finally:
        db.close()
    click.echo("Account uitgeschakeld.")


@user.command("enable")
@db_option
@click.argument("email")
def user_enable(db_path, email) -> None:
    """Enable a disabled account."""
    db = open_db(db_path)
    try:
        set_active(db, Actor.cli(), user_id_for(db, email), True)
    finally:
        db.close()
    click.echo("Account ingeschakeld.")


@user.command("set-password")
@db_option
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def user_set_password(db_path, email, password_stdin) -> None:
    """Set a new password for an account."""
    db = open_db(db_path)
    try:
        set_password(db, Actor.cli(), user_id_for(db, email), read_password(password_stdin))
    except InvalidInput as exc:
        fail_invalid(exc)
    finally:
        db.close()
    click.echo("Wachtwoord gewijzigd.")
