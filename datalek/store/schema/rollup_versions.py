"""Migrations from 0029. Issue #18: a version per year and organisation of the roll-up, its
triggers of 0.9, the journal of a recount of 0.12, and its numbers never given twice (0.13)."""

from __future__ import annotations

from sqlite_utils import Database

from datalek.store.schema.registry import MIGRATIONS


@MIGRATIONS(name="0029_rollup_versions")
def m0029_rollup_versions(db: Database) -> None:
    """``stats_versions``: per year and organisation, a number that every write changing that
    part of the roll-up raises in the same transaction (its triggers, ``datalek.store.rollup``).
    A reader keeps the rows it read of a part under that number and reads them again only when
    it moved (``datalek.insight.rollup_rows``). The counts stay as they are: the triggers are
    made again with the raise, and every part that has facts gets a first number."""
    from datalek.store import rollup  # the definitions of this version

    db.execute(rollup.VERSIONS)
    rollup.install(db)
    rollup.raise_all_versions(db)


@MIGRATIONS(name="0030_rollup_triggers")
def m0030_rollup_triggers(db: Database) -> None:
    """The roll-up's triggers of 0.9 (issue #18): a new incident is counted without subtracting
    anything (``stats_incidents_new``), and the processor triggers of 0.8 (a change of agreed
    hours moves only the ``proc_told`` cells). What they count is unchanged, so the counts stay.

    Every recount asks whether the latest decision merged the report and was undone: an index on
    ``incident_merges.decision_id`` answers it, where each decision scanned all merges before."""
    from datalek.store import rollup  # the definitions of this version

    db.execute("CREATE INDEX IF NOT EXISTS incident_merges_decision ON incident_merges (decision_id)")
    rollup.install(db)


@MIGRATIONS(name="0031_rollup_journal")
def m0031_rollup_journal(db: Database) -> None:
    """The journal of a full recount (``datalek.store.rollup_journal``, issue #18): while
    ``stats rebuild`` counts on other connections, the triggers note the incidents whose stored
    facts they write, so that reports can be saved during the count. What is counted is
    unchanged, so the counts stay."""
    from datalek.store import rollup, rollup_journal  # the definitions of this version

    for statement in rollup_journal.TABLES:
        db.execute(statement)
    rollup.install(db)


@MIGRATIONS(name="0032_recount_numbers")
def m0032_recount_numbers(db: Database) -> None:
    """A recount's number is never given again (``rollup_journal.RECOUNTS``): the table is made
    again with AUTOINCREMENT and its rows kept. The journal's triggers name it, so they are
    dropped first and made again with the others."""
    from datalek.store import rollup, rollup_journal  # the definitions of this version

    for name in rollup_journal.triggers():
        db.execute(f"DROP TRIGGER IF EXISTS {name}")
    db.execute("ALTER TABLE stats_recounts RENAME TO stats_recounts_0031")
    db.execute(rollup_journal.RECOUNTS)
    db.execute("INSERT INTO stats_recounts (token, began_at) SELECT token, began_at FROM stats_recounts_0031")
    db.execute("DROP TABLE stats_recounts_0031")
    rollup.install(db)
