"""``reminders run``: send the reminders of the notification period that are due."""

from __future__ import annotations

import click


@click.group("reminders")
def reminders_group() -> None:
    """Reminders of the notification period."""
