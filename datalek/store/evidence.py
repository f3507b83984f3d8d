"""SQL for evidence files attached to an incident (``datalek.handling.evidence``): the content
once per SHA-256 in ``evidence_blobs``, what was attached by whom in ``evidence``.

The content lives inside the database: never under a web root, always in the backup, and
only handed out through the authenticated download route."""

from __future__ import annotations

from sqlite_utils import Database

#: The columns of a listed row (never the content), with the names of who added and removed it.
_LISTED = """
    SELECT e.id, e.incident_id, e.file_name, e.media_type, e.size, e.sha256, e.note,
           e.added_by, e.added_at, e.removed_at, e.removed_by, e.removed_reason, e.purged_at,
           added.name AS added_by_name, removed.name AS removed_by_name
    FROM evidence e
    LEFT JOIN users added ON added.id = e.added_by
    LEFT JOIN users removed ON removed.id = e.removed_by
"""


def store_blob(db: Database, sha256: str, content: bytes) -> bool:
    """Keep ``content`` under its hash; False when the same content is stored already."""
    return (
        db.execute(
            "INSERT INTO evidence_blobs (sha256, size, content) VALUES (?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
            [sha256, len(content), content],
        ).rowcount
        == 1
    )


def blob(db: Database, sha256: str) -> bytes | None:
    row = db.execute("SELECT content FROM evidence_blobs WHERE sha256 = ?", [sha256]).fetchone()
    return bytes(row[0]) if row else None


def insert(db: Database, row: dict) -> int:
    return db.execute(
        "INSERT INTO evidence (incident_id, file_name, media_type, size, sha256, note, added_by,"
        " added_at) VALUES (:incident_id, :file_name, :media_type, :size, :sha256, :note,"
        " :added_by, :added_at)",
        row,
    ).lastrowid


def row(db: Database, evidence_id: int) -> dict | None:
    rows = list(db.query(_LISTED + " WHERE e.id = ?", [evidence_id]))
    return rows[0] if rows else None


def for_incident(db: Database, incident_id: int) -> list[dict]:
    return list(db.query(_LISTED + " WHERE e.incident_id = ? ORDER BY e.id", [incident_id]))


def standing_with_hash(db: Database, incident_id: int, sha256: str) -> dict | None:
    """The incident's row with this content that is neither removed nor purged, if any."""
    rows = list(
        db.query(
            "SELECT id, added_at FROM evidence WHERE incident_id = ? AND sha256 = ?"
            " AND removed_at IS NULL AND purged_at IS NULL",
            [incident_id, sha256],
        )
    )
    return rows[0] if rows else None


def remove(db: Database, evidence_id: int, user_id: int | None, reason: str, at: str) -> int:
    return db.execute(
        "UPDATE evidence SET removed_at = ?, removed_by = ?, removed_reason = ?"
        " WHERE id = ? AND removed_at IS NULL AND purged_at IS NULL",
        [at, user_id, reason, evidence_id],
    ).rowcount


def purge(db: Database, incident_id: int, placeholder: str, at: str) -> int:
    """Retention: blank the names, notes and removal reasons of an incident's files, mark them
    purged, and delete each content no unpurged row (of any incident) still holds. Deleted
    content is overwritten in the file (``secure_delete``), not only unlinked. Returns how many
    rows were purged. The caller holds BEGIN IMMEDIATE."""
    hashes = [
        r[0]
        for r in db.execute(
            "SELECT DISTINCT sha256 FROM evidence WHERE incident_id = ? AND purged_at IS NULL", [incident_id]
        ).fetchall()
    ]
    purged = db.execute(
        "UPDATE evidence SET file_name = :placeholder,"
        " note = CASE WHEN note = '' THEN '' ELSE :placeholder END,"
        " removed_reason = CASE WHEN removed_reason = '' THEN '' ELSE :placeholder END,"
        " purged_at = :at WHERE incident_id = :id AND purged_at IS NULL",
        {"placeholder": placeholder, "at": at, "id": incident_id},
    ).rowcount
    if hashes:
        (before,) = db.execute("PRAGMA secure_delete").fetchone()
        db.execute("PRAGMA secure_delete = ON")
        try:
            db.execute(
                f"DELETE FROM evidence_blobs WHERE sha256 IN ({', '.join('?' * len(hashes))})"
                " AND NOT EXISTS (SELECT 1 FROM evidence e"
                " WHERE e.sha256 = evidence_blobs.sha256 AND e.purged_at IS NULL)",
                hashes,
            )
        finally:
            db.execute(f"PRAGMA secure_delete = {int(before)}")
    return purged
