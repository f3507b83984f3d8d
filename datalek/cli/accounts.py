"""``org`` and ``user``: organisations and accounts, for the operator on the server.

Passwords are read from a hidden prompt or from standard input, never from the command
line (where they would end up in the shell history and the process list).

The operator on the server is the one who may make an FG account directly (``user add --role
dpo``) or print a one-time link for it (``user invite-dpo``), for an installation without a
mail server; on the screens the FG role comes only by invitation.
"""

from __future__ import annotations

import os

import click

from datalek import clock
from datalek.accounts import invitations
from datalek.accounts.organisations import change_dpo_contact, create_organisation, list_organisations
from datalek.accounts.users import create_user, list_users, set_active, set_password, set_role
from datalek.cli.common import db_option, fail_invalid, open_db, org_ids_for, read_password, user_id_for
from datalek.config import SmtpSettings
from datalek.handling import retention
from datalek.models import Actor, InvalidInput, Role

base_url_option = click.option(
    "--base-url",
    default=None,
    help="The address of Datalek in the link (default: $DATALEK_BASE_URL or http://localhost:8501).",
)


def _base_url(given: str | None) -> str:
    return given or os.environ.get("DATALEK_BASE_URL") or SmtpSettings.base_url


def _print_link(printed: invitations.Printed, who: str) -> None:
    click.echo(
        f"Link voor {printed.email}, één keer te gebruiken, geldig tot {clock.format_local(printed.expires_at)}:"
    )
    click.echo(printed.link)
    click.echo(f"Geef deze link alleen aan {who} zelf, niet via de beheerder.")


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


@org.command("set-dpo")
@db_option
@click.argument("organisation")
@click.option("--dpo-name", "--fg-name", "dpo_name", default=None, help="Name of the FG (dpo).")
@click.option("--dpo-email", "--fg-email", "dpo_email", default=None, help="E-mail address of the FG (dpo).")
@click.option("--dpo-phone", "--fg-phone", "dpo_phone", default=None, help="Phone number of the FG (dpo).")
def org_set_dpo(db_path, organisation, dpo_name, dpo_email, dpo_phone) -> None:
    """Change the FG's details of an organisation; a new address is mailed to the old one and every FG."""
    db = open_db(db_path)
    try:
        org_id = org_ids_for(db, (organisation,))[0]
        current = next(o for o in list_organisations(db, Actor.cli()) if o.id == org_id)
        changed = change_dpo_contact(
            db,
            Actor.cli(),
            org_id,
            current.dpo_name if dpo_name is None else dpo_name,
            current.dpo_email if dpo_email is None else dpo_email,
            current.dpo_phone if dpo_phone is None else dpo_phone,
        )
    except InvalidInput as exc:
        fail_invalid(exc)
    finally:
        db.close()
    click.echo(f"Gegevens van de FG van organisatie {org_id} gewijzigd.")
    if changed.email_changed:
        click.echo(
            "Het oude adres en de FG's zijn per e-mail ingelicht."
            if changed.mailed
            else "Let op: er is geen e-mail over de wijziging verstuurd (geen e-mailserver of een fout)."
        )


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


@user.command("set-role")
@db_option
@click.argument("email")
@click.argument("role", type=click.Choice([r.value for r in Role]))
def user_set_role(db_path, email, role) -> None:
    """Give an account another role; it is signed out everywhere. A beheerder never becomes FG."""
    db = open_db(db_path)
    try:
        changed = set_role(db, Actor.cli(), user_id_for(db, email), role)
    except InvalidInput as exc:
        fail_invalid(exc)
    finally:
        db.close()
    click.echo(f"Rol gewijzigd in {changed.role.label}.")


@user.command("invite-dpo")
@db_option
@click.option("--org", "organisation", required=True, help="Organisation id or name.")
@click.option("--name", default=None, help="Name of the FG (default: the organisation's FG).")
@click.option("--email", default=None, help="Address of the FG (default: the organisation's FG address).")
@base_url_option
def user_invite_dpo(db_path, organisation, name, email, base_url) -> None:
    """Print a one-time link (72 hours) with which the FG makes her own account."""
    db = open_db(db_path)
    try:
        org_id = org_ids_for(db, (organisation,))[0]
        printed = invitations.print_dpo_invitation(db, Actor.cli(), org_id, _base_url(base_url), name, email)
    except InvalidInput as exc:
        fail_invalid(exc)
    finally:
        db.close()
    _print_link(printed, "de FG")


@user.command("reset-link")
@db_option
@click.argument("email")
@base_url_option
def user_reset_link(db_path, email, base_url) -> None:
    """Print a one-time link (72 hours) with which the account's owner chooses a new password."""
    db = open_db(db_path)
    try:
        printed = invitations.print_reset_link(db, Actor.cli(), user_id_for(db, email), _base_url(base_url))
    except InvalidInput as exc:
        fail_invalid(exc)
    finally:
        db.close()
    _print_link(printed, "de eigenaar van het account")
