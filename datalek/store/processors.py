"""SQL for the organisation's processors and partners (``parties``), every change of them
(``party_changes``), and which of them an incident involved (``incident_parties`` and
``incident_party_changes``). ``datalek.handling.processors`` and ``.involvement`` decide."""

from __future__ import annotations

from sqlite_utils import Database

#: The columns of a party that a person states (a change of any of them is recorded).
PARTY_COLUMNS = (
    "kind",
    "name",
    "agreement_reference",
    "agreement_date",
    "services",
    "data_categories",
    "contact",
    "phone",
    "notice_hours",
    "basis",
)
#: The columns of a link between an incident and a party that a person states.
LINK_COLUMNS = ("roles", "party_aware_at", "party_told_at")


def _insert(db: Database, table: str, row: dict) -> int:
    columns = ", ".join(row)
    marks = ", ".join(f":{c}" for c in row)
    return db.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", row).lastrowid


# --- the register -----------------------------------------------------------------------------


def insert_party(db: Database, row: dict) -> int:
    return _insert(db, "parties", row)


def party(db: Database, party_id: int) -> dict | None:
    return next(db.query("SELECT * FROM parties WHERE id = ?", [party_id]), None)


def parties(db: Database, org_id: int, include_ended: bool = True) -> list[dict]:
    """The organisation's parties, active first, then by name (case-insensitive)."""
    where = "" if include_ended else " AND active = 1"
    return list(
        db.query(
            f"SELECT * FROM parties WHERE org_id = ?{where} ORDER BY active DESC, name COLLATE NOCASE, id",
            [org_id],
        )
    )


def names_in_use(db: Database, org_id: int) -> dict[tuple[str, str], int]:
    """(kind, lower-case name) -> id of the organisation's active parties."""
    return {
        (r["kind"], r["name"].casefold()): r["id"]
        for r in db.query("SELECT id, kind, name FROM parties WHERE org_id = ? AND active = 1", [org_id])
    }


def update_party(db: Database, party_id: int, values: dict) -> None:
    columns = {k: v for k, v in values.items() if k in PARTY_COLUMNS}
    if columns:
        assignments = ", ".join(f"{c} = :{c}" for c in columns)
        db.execute(f"UPDATE parties SET {assignments} WHERE id = :id", {**columns, "id": party_id})


def end_party(db: Database, party_id: int, by: int | None, at: str, reason: str) -> None:
    db.execute(
        "UPDATE parties SET active = 0, ended_at = ?, ended_by = ?, ended_reason = ? WHERE id = ?",
        [at, by, reason, party_id],
    )


def insert_party_change(db: Database, row: dict) -> int:
    return _insert(db, "party_changes", row)


def party_changes(db: Database, party_id: int) -> list[dict]:
    return list(
        db.query(
            "SELECT c.*, u.name AS changed_by_name FROM party_changes c"
            " LEFT JOIN users u ON u.id = c.changed_by WHERE c.party_id = ? ORDER BY c.id",
            [party_id],
        )
    )


# --- an incident's parties --------------------------------------------------------------------


def insert_link(db: Database, row: dict) -> int:
    return _insert(db, "incident_parties", row)


def link(db: Database, link_id: int) -> dict | None:
    return next(db.query("SELECT * FROM incident_parties WHERE id = ?", [link_id]), None)


def standing_link(db: Database, incident_id: int, party_id: int) -> dict | None:
    return next(
        db.query(
            "SELECT * FROM incident_parties WHERE incident_id = ? AND party_id = ? AND removed_at IS NULL",
            [incident_id, party_id],
        ),
        None,
    )


def links(db: Database, incident_id: int) -> list[dict]:
    """The incident's links with their party's name, kind and agreed period, oldest first."""
    return list(
        db.query(
            "SELECT l.*, p.name AS party_name, p.kind AS party_kind, p.notice_hours,"
            " p.active AS party_active, u.name AS added_by_name FROM incident_parties l"
            " JOIN parties p ON p.id = l.party_id LEFT JOIN users u ON u.id = l.added_by"
            " WHERE l.incident_id = ? ORDER BY l.id",
            [incident_id],
        )
    )


def update_link(db: Database, link_id: int, values: dict) -> None:
    columns = {k: v for k, v in values.items() if k in LINK_COLUMNS}
    if columns:
        assignments = ", ".join(f"{c} = :{c}" for c in columns)
        db.execute(f"UPDATE incident_parties SET {assignments} WHERE id = :id", {**columns, "id": link_id})


def remove_link(db: Database, link_id: int, by: int | None, at: str, reason: str) -> None:
    db.execute(
        "UPDATE incident_parties SET removed_at = ?, removed_by = ?, removed_reason = ? WHERE id = ?",
        [at, by, reason, link_id],
    )


def insert_link_change(db: Database, row: dict) -> int:
    return _insert(db, "incident_party_changes", row)


def link_changes(db: Database, incident_id: int) -> list[dict]:
    return list(
        db.query(
            "SELECT c.*, u.name AS changed_by_name, p.name AS party_name FROM incident_party_changes c"
            " JOIN incident_parties l ON l.id = c.link_id JOIN parties p ON p.id = l.party_id"
            " LEFT JOIN users u ON u.id = c.changed_by WHERE c.incident_id = ? ORDER BY c.id",
            [incident_id],
        )
    )
