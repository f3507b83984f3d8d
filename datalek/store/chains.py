"""SQL for chain incidents: one event in several organisations of this installation (``chains``,
``chain_members``, ``chain_changes``). ``datalek.handling.chains`` decides who may see what:
a member of another organisation is read here only as its reference and organisation name."""

from __future__ import annotations

from sqlite_utils import Database


def _insert(db: Database, table: str, row: dict) -> int:
    columns = ", ".join(row)
    marks = ", ".join(f":{c}" for c in row)
    return db.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", row).lastrowid


def insert_chain(db: Database, row: dict) -> int:
    return _insert(db, "chains", row)


def chain(db: Database, chain_id: int) -> dict | None:
    return next(db.query("SELECT * FROM chains WHERE id = ?", [chain_id]), None)


def membership(db: Database, incident_id: int) -> dict | None:
    """The incident's row in ``chain_members`` (removed or not), or None."""
    return next(db.query("SELECT * FROM chain_members WHERE incident_id = ?", [incident_id]), None)


def members(db: Database, chain_id: int) -> list[dict]:
    """The chain's members, oldest first: of each incident only its id, organisation and
    reference (never its text, facts or status), and the link itself."""
    return list(
        db.query(
            "SELECT m.id, m.chain_id, m.incident_id, m.created_linked, m.added_at, m.removed_at,"
            " m.removed_reason, i.org_id, i.reference, o.name AS org_name"
            " FROM chain_members m JOIN incidents i ON i.id = m.incident_id"
            " JOIN organisations o ON o.id = i.org_id WHERE m.chain_id = ? ORDER BY m.id",
            [chain_id],
        )
    )


def insert_member(db: Database, row: dict) -> int:
    return _insert(db, "chain_members", row)


def remove_member(db: Database, member_id: int, by: int | None, at: str, reason: str) -> None:
    db.execute(
        "UPDATE chain_members SET removed_at = ?, removed_by = ?, removed_reason = ? WHERE id = ?",
        [at, by, reason, member_id],
    )


def readd_member(db: Database, member_id: int, chain_id: int, by: int | None, at: str) -> None:
    """A removed member back in a chain: the removal is kept in ``chain_changes``."""
    db.execute(
        "UPDATE chain_members SET chain_id = ?, added_by = ?, added_at = ?, removed_at = NULL,"
        " removed_by = NULL, removed_reason = NULL WHERE id = ?",
        [chain_id, by, at, member_id],
    )


def insert_change(db: Database, row: dict) -> int:
    return _insert(db, "chain_changes", row)


def changes(db: Database, chain_id: int) -> list[dict]:
    return list(
        db.query(
            "SELECT c.*, u.name AS changed_by_name FROM chain_changes c"
            " LEFT JOIN users u ON u.id = c.changed_by WHERE c.chain_id = ? ORDER BY c.id",
            [chain_id],
        )
    )


def set_description(db: Database, chain_id: int, text: str) -> None:
    db.execute("UPDATE chains SET description = ? WHERE id = ?", [text, chain_id])


def chain_of(db: Database, ids: list[int]) -> dict[int, list[dict]]:
    """Per incident in ``ids`` (standing members only): the other standing members of its chain
    as reference and organisation name, with the chain's description (the register's column)."""
    if not ids:
        return {}
    found: dict[int, list[dict]] = {}
    for start in range(0, len(ids), 500):
        part = ids[start : start + 500]
        marks = ",".join("?" * len(part))
        for r in db.query(
            "SELECT m.incident_id AS of_id, c.description, i.reference, o.name AS org_name"
            " FROM chain_members m JOIN chains c ON c.id = m.chain_id"
            " JOIN chain_members x ON x.chain_id = m.chain_id AND x.incident_id != m.incident_id"
            " AND x.removed_at IS NULL JOIN incidents i ON i.id = x.incident_id"
            " JOIN organisations o ON o.id = i.org_id"
            f" WHERE m.incident_id IN ({marks}) AND m.removed_at IS NULL ORDER BY x.id",
            part,
        ):
            found.setdefault(r["of_id"], []).append(r)
    return found


def free_incidents(db: Database, org_ids: list[int], limit: int = 200) -> list[dict]:
    """Incidents of ``org_ids`` that are in no chain now, newest first: id, organisation and
    reference only."""
    if not org_ids:
        return []
    marks = ",".join("?" * len(org_ids))
    return list(
        db.query(
            f"SELECT i.id, i.org_id, i.reference FROM incidents i WHERE i.org_id IN ({marks})"
            " AND i.purged_at IS NULL AND NOT EXISTS (SELECT 1 FROM chain_members m"
            " WHERE m.incident_id = i.id AND m.removed_at IS NULL)"
            " ORDER BY i.reported_at DESC, i.id DESC LIMIT ?",
            [*org_ids, limit],
        )
    )
