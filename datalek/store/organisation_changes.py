"""SQL for the settings of an organisation that change only with a reason (the small-number
threshold, ``datalek.accounts.figures_policy``) and their history in ``organisation_changes``."""

from __future__ import annotations

from sqlite_utils import Database

SMALL_NUMBER = "small_number"


def small_number(db: Database, org_id: int) -> int | None:
    """The organisation's own threshold as stored; None for an unknown organisation."""
    row = db.execute("SELECT small_number FROM organisations WHERE id = ?", [org_id]).fetchone()
    return None if row is None else row[0]


def set_small_number(db: Database, org_id: int, value: int) -> int:
    return db.execute("UPDATE organisations SET small_number = ? WHERE id = ?", [value, org_id]).rowcount


def insert_change(db: Database, row: dict) -> int:
    return db["organisation_changes"].insert(row).last_pk


def changes(db: Database, org_id: int, setting: str) -> list[dict]:
    """The changes of one setting, newest first, with the name of who made each."""
    return list(
        db.query(
            "SELECT c.*, u.name AS changed_by_name FROM organisation_changes c"
            " LEFT JOIN users u ON u.id = c.changed_by"
            " WHERE c.org_id = ? AND c.setting = ? ORDER BY c.id DESC",
            [org_id, setting],
        )
    )
