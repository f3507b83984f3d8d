"""SQL of merged reports and linked incidents (issue #16): ``incident_merges`` and
``incident_links`` (migration 0026). Call the writers inside the caller's ``store.write``."""

from __future__ import annotations

from sqlite_utils import Database


def _rows(db: Database, sql: str, params: list) -> list[dict]:
    return [dict(r) for r in db.query(sql, params)]


def notified(db: Database, incident_id: int) -> bool:
    """Whether an AP notification of the incident is on record."""
    return bool(
        db.execute(
            "SELECT 1 FROM authority_notifications WHERE incident_id = ? AND kind = 'initial'", [incident_id]
        ).fetchone()
    )


def insert_merge(db: Database, row: dict) -> int:
    return db.execute(
        "INSERT INTO incident_merges (incident_id, main_id, decision_id, reason, merged_by, merged_at)"
        " VALUES (:incident_id, :main_id, :decision_id, :reason, :merged_by, :merged_at)",
        row,
    ).lastrowid


def merge_in_force(db: Database, incident_id: int) -> dict | None:
    """The merge of this incident into its main incident that is not undone, with the main's reference."""
    found = _rows(
        db,
        "SELECT m.*, i.reference AS main_reference FROM incident_merges m"
        " JOIN incidents i ON i.id = m.main_id WHERE m.incident_id = ? AND m.undone_at IS NULL",
        [incident_id],
    )
    return found[0] if found else None


def undo_merge(db: Database, merge_id: int, by: int | None, at: str, reason: str) -> None:
    db.execute(
        "UPDATE incident_merges SET undone_by = ?, undone_at = ?, undo_reason = ? WHERE id = ?",
        [by, at, reason, merge_id],
    )


def merged_under(db: Database, main_id: int) -> list[dict]:
    """The reports merged into ``main_id`` and not undone: their report text, reporter and
    moments, oldest report first."""
    return _rows(
        db,
        "SELECT m.id AS merge_id, m.reason, m.merged_at, i.id, i.reference, i.reported_at,"
        " i.discovered_at, i.aware_at, i.description, i.actions_taken, i.pii_kept,"
        " u.name AS reporter_name, u.active AS reporter_active, mu.name AS merged_by_name"
        " FROM incident_merges m JOIN incidents i ON i.id = m.incident_id"
        " LEFT JOIN users u ON u.id = i.reporter_id LEFT JOIN users mu ON mu.id = m.merged_by"
        " WHERE m.main_id = ? AND m.undone_at IS NULL ORDER BY i.reported_at, i.id",
        [main_id],
    )


def history(db: Database, incident_id: int) -> list[dict]:
    """Every merge this incident took part in, as duplicate or as main, undone ones included."""
    return _rows(
        db,
        "SELECT m.*, d.reference AS duplicate_reference, i.reference AS main_reference,"
        " mu.name AS merged_by_name, uu.name AS undone_by_name FROM incident_merges m"
        " JOIN incidents d ON d.id = m.incident_id JOIN incidents i ON i.id = m.main_id"
        " LEFT JOIN users mu ON mu.id = m.merged_by LEFT JOIN users uu ON uu.id = m.undone_by"
        " WHERE m.incident_id = ? OR m.main_id = ? ORDER BY m.id",
        [incident_id, incident_id],
    )


def main_references(db: Database, incident_ids: list[int]) -> dict[int, str]:
    """Per merged incident (of those given) the reference of its main incident; nothing else of it."""
    if not incident_ids:
        return {}
    marks = ", ".join("?" * len(incident_ids))
    return {
        r["incident_id"]: r["reference"]
        for r in db.query(
            "SELECT m.incident_id, i.reference FROM incident_merges m JOIN incidents i ON i.id = m.main_id"
            f" WHERE m.undone_at IS NULL AND m.incident_id IN ({marks})",
            incident_ids,
        )
    }


def insert_link(db: Database, row: dict) -> int:
    return db.execute(
        "INSERT INTO incident_links (incident_id, other_id, note, linked_by, linked_at)"
        " VALUES (:incident_id, :other_id, :note, :linked_by, :linked_at)",
        row,
    ).lastrowid


def link_in_force(db: Database, incident_id: int, other_id: int) -> dict | None:
    """The row of ``incident_id``'s side of a link in force with ``other_id``."""
    found = _rows(
        db,
        "SELECT * FROM incident_links WHERE incident_id = ? AND other_id = ? AND removed_at IS NULL",
        [incident_id, other_id],
    )
    return found[0] if found else None


def link(db: Database, link_id: int) -> dict | None:
    found = _rows(db, "SELECT * FROM incident_links WHERE id = ?", [link_id])
    return found[0] if found else None


def remove_link(db: Database, link_id: int, by: int | None, at: str, reason: str) -> None:
    db.execute(
        "UPDATE incident_links SET removed_by = ?, removed_at = ?, removed_reason = ? WHERE id = ?",
        [by, at, reason, link_id],
    )


def links_of(db: Database, incident_id: int) -> list[dict]:
    """The links in force of an incident (its own rows), with the other incident's reference and status."""
    return _rows(
        db,
        "SELECT l.id, l.note, l.linked_at, u.name AS linked_by_name, o.id AS other_id,"
        " o.reference AS other_reference, o.status AS other_status FROM incident_links l"
        " JOIN incidents o ON o.id = l.other_id LEFT JOIN users u ON u.id = l.linked_by"
        " WHERE l.incident_id = ? AND l.removed_at IS NULL ORDER BY o.reference",
        [incident_id],
    )
