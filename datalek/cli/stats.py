"""``stats rebuild`` and ``stats verify``: the roll-up behind the dashboard and the yearly
report. Normal work never needs them: every write keeps the roll-up exact
(``datalek.store.rollup``). ``verify`` checks that; ``rebuild`` recounts it from the sources,
after a change made outside the app, say, with its triggers switched off."""

from __future__ import annotations

import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import click

from datalek import store
from datalek.cli.common import db_option, open_db
from datalek.store import stats as sql

_SHOWN = 20


@click.group("stats")
def stats_group() -> None:
    """The roll-up of the dashboard: check it, or count it again."""


@contextmanager
def stoppable() -> Iterator[None]:
    """SIGTERM (a service manager stopping the command) ends the command as an error would:
    the count's worker processes are stopped and its scratch files removed
    (``store.rollup_recount``). Python's default ends the process without either."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise SystemExit(128 + signum)

    before = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)


@contextmanager
def _told() -> Iterator[None]:
    """A count that failed (a worker, a full disk, the lock) ends with a message, not a trace:
    nothing of the roll-up was changed."""
    try:
        yield
    except store.StorageError as exc:
        raise click.ClickException(
            f"Tellen is mislukt ({exc}). Er is niets aan de cijfers veranderd; probeer het opnieuw."
        ) from exc


@stats_group.command("rebuild")
@db_option
def rebuild(db_path) -> None:
    """Count the whole roll-up again from the incidents and what followed them."""
    db = open_db(db_path)
    try:
        with stoppable(), _told():
            start = time.perf_counter()
            sql.rebuild(db)
            seconds = time.perf_counter() - start
    finally:
        db.close()
    click.echo(f"Cijfers opnieuw geteld in {seconds:.1f} s.")


def _cell(row: tuple) -> str:
    year, org_id, department, dimension, key, stored, counted = row
    where = f"{year}, organisatie {org_id}, afdeling '{department or '-'}', {dimension}"
    said = (
        "staat er met 0, hoort er niet te staan"
        if stored == counted == 0
        else f"opgeslagen {stored}, nu geteld {counted}"
    )
    return f"  {where}{f' = {key!r}' if key != '' else ''}: {said}"


@stats_group.command("verify")
@db_option
def verify(db_path) -> None:
    """Compare the roll-up with a fresh count over the same definitions; exit 1 when they differ."""
    db = open_db(db_path)
    try:
        with stoppable(), _told():
            rows, count = sql.differences(db, _SHOWN)
    finally:
        db.close()
    if not count:
        click.echo("De cijfers kloppen: de rollup is gelijk aan een nieuwe telling.")
        return
    click.echo(f"De rollup wijkt af van een nieuwe telling in {count} cel(len):", err=True)
    for row in rows:
        click.echo(_cell(row), err=True)
    if count > len(rows):
        click.echo(f"  ... en nog {count - len(rows)}.", err=True)
    click.echo("Tel opnieuw met 'python -m datalek stats rebuild'.", err=True)
    sys.exit(1)
