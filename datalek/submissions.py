"""A form records once: every rendered form that records something carries a random
submission key, and the write it starts claims that key in the same transaction. A repeated,
double-clicked or replayed submission with the same key finds it taken and records nothing
new; a write that fails gives the key back with everything else (the transaction rolls back).

Keys are kept a week (``KEEP``): long enough for any replay of a page left open, and the table
stays small."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from sqlite_utils import Database

from datalek import clock, store
from datalek.models import Actor
from datalek.store import submissions as sql

KEEP = timedelta(days=7)
_KEY = re.compile(r"[0-9a-f]{32}")
ALREADY = "Dit was al vastgelegd. Er is niets dubbel opgeslagen."


def new_key() -> str:
    return secrets.token_hex(16)


class Repeated(Exception):
    """The submission key was claimed before: the form was recorded already."""


def claim(db: Database, actor: Actor, key: str, form: str) -> bool:
    """Take ``key`` for ``form`` inside the caller's ``store.write``; False when it was taken
    before (the caller then records nothing). A malformed key is refused as taken."""
    store.transaction(db)  # RuntimeError outside a write: a claim must share the record's fate
    if not _KEY.fullmatch(key or ""):
        return False
    now = clock.now()
    sql.prune(db, clock.to_iso(now - KEEP))
    return sql.claim(db, key, actor.user_id, form, clock.to_iso(now))


@contextmanager
def once(db: Database, actor: Actor, key: str, form: str) -> Iterator[None]:
    """The first write a domain call opens on ``db`` inside this block claims ``key`` first,
    in the same transaction: taken before, it raises ``Repeated`` and nothing is written; the
    call failing later gives the key back. Permission checks and validation before the write
    work as always (a refusal is audited in its own transaction)."""

    def check(write_db: Database) -> None:  # the connection that writes (see group_commit)
        if not claim(write_db, actor, key, form):
            raise Repeated(form)

    store.first_in_next_write(db, check)
    try:
        yield
    finally:
        store.first_in_next_write(db, None)
