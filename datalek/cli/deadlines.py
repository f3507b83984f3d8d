"""``deadlines``: the notification clocks that still run, with hours left (for monitoring)."""

from __future__ import annotations

import click


@click.command("deadlines")
def deadlines_cmd() -> None:
    """List the notification clocks that still run."""
    raise click.ClickException("Nog niet beschikbaar.")
