"""Migrations from 0028. Figures of breaches across organisations (issue #16): processors and chains in the roll-up."""

from __future__ import annotations

from sqlite_utils import Database

from datalek.store.schema.registry import MIGRATIONS


@MIGRATIONS(name="0028_chain_figures")
def m0028_chain_figures(db: Database) -> None:
    """The roll-up (``datalek.store.rollup``) counts the breaches caused at a processor from the
    recorded involvement (``incident_parties``: role 'caused', link not removed, party kind
    'processor') instead of the reporter's answer, and per processor; the hours between a
    processor's awareness and ours; whether the processors told us within the agreed hours; and
    the incidents in a chain (``chain_members``, membership not removed). Triggers on
    ``incident_parties``, ``chain_members`` and ``parties`` (its kind and agreed hours) recount
    the incidents they touch. The facts gain columns, so the roll-up's tables are made again
    and counted from the sources, as 0021 did."""
    from datalek.store import rollup  # the definitions of this version

    rollup.uninstall(db)
    for table in ("stats_cube", "stats_facts", "stats_measure_facts"):
        db.execute(f"DROP TABLE IF EXISTS {table}")
    for statement in rollup.TABLES.split(";"):
        if statement.strip():
            db.execute(statement)
    rollup.rebuild(db)
