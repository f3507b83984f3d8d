"""``python -m datalek``: set up, manage accounts, demo data, backups, audit checks and the
documents of the register. Each group of commands lives in a module of its own."""

from __future__ import annotations

import sys

import click

from datalek import __version__
from datalek.accounts.permissions import PermissionDenied
from datalek.cli import accounts, assess, deadlines, documents, figures_policy, records, reminders, stats


@click.group()
@click.version_option(__version__, "--version", prog_name="datalek", message="%(prog)s %(version)s")
def main() -> None:
    """Datalek: report, triage and account for personal data breaches."""


for command in (
    records.init,
    accounts.org,
    accounts.user,
    records.demo_cmd,
    records.backup,
    records.purge,
    documents.export_group,
    records.audit_group,
    assess.assess,
    documents.report,
    deadlines.deadlines_cmd,
    reminders.reminders_group,
    stats.stats_group,
):
    main.add_command(command)
accounts.org.add_command(figures_policy.small_number_cmd)


def run() -> None:
    try:
        main(standalone_mode=True)
    except PermissionDenied as exc:
        click.echo(f"Fout: {exc.message}", err=True)
        sys.exit(1)
