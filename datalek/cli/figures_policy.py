"""``org small-number``: the small-number threshold of an organisation's figures, for the
operator on the server (``datalek.insight.figures_policy``). Without ``--set`` it prints the
threshold; a refused value or a missing reason prints the Dutch message and exits with 2."""

from __future__ import annotations

import sys

import click

from datalek.cli.common import db_option, open_db, org_ids_for
from datalek.insight import figures_policy
from datalek.models import Actor, InvalidInput

REFUSED = 2


def _describe(found: figures_policy.Threshold) -> str:
    text = f"Drempel voor kleine aantallen: {found.own}."
    if found.used != found.own:
        text += f" De cijfers gebruiken {found.used}: de ondergrens van deze installatie."
    return text


@click.command("small-number")
@db_option
@click.option("--org", "organisation", required=True, help="Name or number of the organisation.")
@click.option("--set", "value", default=None, help="The new threshold (a whole number).")
@click.option("--reason", default="", help="Why the threshold changes (required with --set).")
def small_number_cmd(db_path, organisation, value, reason) -> None:
    """Show or set the threshold below which a breakdown count is hidden in the figures."""
    db = open_db(db_path)
    try:
        org_id = org_ids_for(db, (organisation,))[0]
        if value is None:
            click.echo(_describe(figures_policy.threshold(db, Actor.cli(), org_id)))
            return
        before = figures_policy.threshold(db, Actor.cli(), org_id)
        after = figures_policy.set_threshold(db, Actor.cli(), org_id, value, reason)
    except InvalidInput as exc:
        for message in exc.errors.values():
            click.echo(f"Fout: {message}", err=True)
        sys.exit(REFUSED)
    finally:
        db.close()
    click.echo(f"Opgeslagen. Drempel voor kleine aantallen van {before.own} naar {after.own}.")
    if after.used != after.own:
        click.echo(f"De cijfers gebruiken {after.used}: de ondergrens van deze installatie.")
