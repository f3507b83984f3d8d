"""SQL for the partner notification log (``partner_notices`` and ``partner_notice_changes``):
which partner or controller was told what, when, by whom, by which channel, and their reply.
``datalek.handling.partner_notices`` decides."""

from __future__ import annotations

from sqlite_utils import Database

#: The columns of a notice that a person states (a correction of any of them is recorded).
NOTICE_COLUMNS = ("partner_name", "told_what", "told_at", "channel", "reply", "reply_at")


def _insert(db: Database, table: str, row: dict) -> int:
    columns = ", ".join(row)
    marks = ", ".join(f":{c}" for c in row)
    return db.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", row).lastrowid


def insert_notice(db: Database, row: dict) -> int:
    return _insert(db, "partner_notices", row)


def notice(db: Database, notice_id: int) -> dict | None:
    return next(db.query("SELECT * FROM partner_notices WHERE id = ?", [notice_id]), None)


def notices(db: Database, incident_id: int) -> list[dict]:
    """The incident's notices with the name of who recorded them, oldest told first."""
    return list(
        db.query(
            "SELECT n.*, u.name AS recorded_by_name FROM partner_notices n"
            " LEFT JOIN users u ON u.id = n.recorded_by WHERE n.incident_id = ? ORDER BY n.told_at, n.id",
            [incident_id],
        )
    )


def update_notice(db: Database, notice_id: int, values: dict) -> None:
    columns = {k: v for k, v in values.items() if k in NOTICE_COLUMNS}
    if columns:
        assignments = ", ".join(f"{c} = :{c}" for c in columns)
        db.execute(f"UPDATE partner_notices SET {assignments} WHERE id = :id", {**columns, "id": notice_id})


def withdraw_notice(db: Database, notice_id: int, by: int | None, at: str, reason: str) -> None:
    db.execute(
        "UPDATE partner_notices SET withdrawn_at = ?, withdrawn_by = ?, withdrawn_reason = ? WHERE id = ?",
        [at, by, reason, notice_id],
    )


def insert_change(db: Database, row: dict) -> int:
    return _insert(db, "partner_notice_changes", row)


def changes(db: Database, incident_id: int) -> list[dict]:
    return list(
        db.query(
            "SELECT c.*, u.name AS changed_by_name, n.partner_name FROM partner_notice_changes c"
            " JOIN partner_notices n ON n.id = c.notice_id LEFT JOIN users u ON u.id = c.changed_by"
            " WHERE c.incident_id = ? ORDER BY c.id",
            [incident_id],
        )
    )


def standing_of(db: Database, ids: list[int]) -> dict[int, list[dict]]:
    """Per incident in ``ids``: its notices that were not withdrawn, oldest told first."""
    found: dict[int, list[dict]] = {}
    for start in range(0, len(ids), 500):
        part = ids[start : start + 500]
        marks = ",".join("?" * len(part))
        for r in db.query(
            "SELECT incident_id, partner_name, told_what, told_at, channel, reply, reply_at"
            " FROM partner_notices"
            f" WHERE incident_id IN ({marks}) AND withdrawn_at IS NULL ORDER BY told_at, id",
            part,
        ):
            found.setdefault(r["incident_id"], []).append(r)
    return found
