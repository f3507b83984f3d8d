"""SQL for the informing list in families (``datalek.actions.households``): the families of an
incident, their members and every change of a member (old value, new value, who, when, why),
each family's safety judgements (append-only: the latest counts), and the families whose
messages are postponed, for the FG's queue."""

from __future__ import annotations

from sqlite_utils import Database

#: The columns of a member that ``change_member`` and ``set_deviation`` may change.
CHANGEABLE = (
    "file_ref",
    "relation",
    "birth_date",
    "age_band",
    "competent",
    "consent_parents",
    "parents_withheld",
    "parents_withheld_reason",
    "deviation",
    "deviation_reader",
    "deviation_reason",
)


def _insert(db: Database, table: str, row: dict) -> int:
    columns = list(row)
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)})"
    return db.execute(sql, row).lastrowid


def _rows(db: Database, sql: str, params: list) -> list[dict]:
    return list(db.query(sql, params))


def _one(db: Database, sql: str, params: list) -> dict | None:
    rows = _rows(db, sql, params)
    return rows[0] if rows else None


# -- families ------------------------------------------------------------------------------


def insert_household(db: Database, row: dict) -> int:
    return _insert(db, "households", row)


def household(db: Database, household_id: int) -> dict | None:
    return _one(db, "SELECT * FROM households WHERE id = ?", [household_id])


def households(db: Database, incident_id: int) -> list[dict]:
    return _rows(db, "SELECT * FROM households WHERE incident_id = ? ORDER BY id", [incident_id])


def count_households(db: Database, incident_id: int) -> int:
    return db.execute("SELECT count(*) FROM households WHERE incident_id = ?", [incident_id]).fetchone()[0]


# -- members ---------------------------------------------------------------------------------


def insert_member(db: Database, row: dict) -> int:
    return _insert(db, "household_members", row)


def member(db: Database, member_id: int) -> dict | None:
    return _one(db, "SELECT * FROM household_members WHERE id = ?", [member_id])


def members(db: Database, incident_id: int) -> list[dict]:
    """Every member of the incident's families, removed ones included, in the order recorded."""
    return _rows(db, "SELECT * FROM household_members WHERE incident_id = ? ORDER BY id", [incident_id])


def file_ref_taken(db: Database, incident_id: int, file_ref: str, except_id: int | None = None) -> bool:
    """Whether a member still on the incident's list has this file reference (any case)."""
    row = db.execute(
        "SELECT 1 FROM household_members WHERE incident_id = ? AND removed_at IS NULL"
        " AND lower(file_ref) = lower(?) AND id IS NOT ? LIMIT 1",
        [incident_id, file_ref, except_id],
    ).fetchone()
    return row is not None


def update_member(db: Database, member_id: int, values: dict) -> None:
    if not values:
        return
    if unknown := set(values) - set(CHANGEABLE):
        raise ValueError(f"not a changeable column of household_members: {sorted(unknown)}")
    sets = ", ".join(f"{c} = :{c}" for c in values)
    db.execute(f"UPDATE household_members SET {sets} WHERE id = :row_id", {**values, "row_id": member_id})


def remove_member(db: Database, member_id: int, by: int | None, reason: str, at: str) -> int:
    """Take a member off the list; the row stays. Returns 0 when it was off the list already."""
    return db.execute(
        "UPDATE household_members SET removed_at = ?, removed_by = ?, removed_reason = ?"
        " WHERE id = ? AND removed_at IS NULL",
        [at, by, reason, member_id],
    ).rowcount


def insert_changes(db: Database, rows: list[dict]) -> None:
    """One row per changed value (member_id, incident_id, field, old_value, new_value, reason,
    changed_by, changed_at); in the transaction that changes the member."""
    for row in rows:
        _insert(db, "member_changes", row)


def changes(db: Database, incident_id: int) -> list[dict]:
    return _rows(db, "SELECT * FROM member_changes WHERE incident_id = ? ORDER BY id", [incident_id])


# -- safety, per family ---------------------------------------------------------------------


def insert_judgement(db: Database, row: dict) -> int:
    return _insert(db, "household_safety", row)


def judgements(db: Database, incident_id: int) -> list[dict]:
    """Every safety judgement of the incident's families, oldest first (the latest counts)."""
    return _rows(db, "SELECT * FROM household_safety WHERE incident_id = ? ORDER BY id", [incident_id])


_POSTPONED = """
    SELECT s.incident_id, i.reference, i.org_id, h.id AS household_id, h.label, s.review_on
    FROM household_safety s
    JOIN households h ON h.id = s.household_id
    JOIN incidents i ON i.id = s.incident_id
    WHERE s.postponed = 1 AND i.purged_at IS NULL AND i.org_id IN ({marks}) {due}
      AND s.id = (SELECT max(x.id) FROM household_safety x WHERE x.household_id = s.household_id)
    ORDER BY s.review_on, i.reference, h.id"""


def open_postponements(db: Database, org_ids: list[int]) -> list[dict]:
    """The families whose latest safety judgement postpones their messages, soonest review first
    (incident_id, reference, org_id, household_id, label, review_on)."""
    marks = ", ".join("?" for _ in org_ids) or "NULL"
    return _rows(db, _POSTPONED.format(marks=marks, due=""), list(org_ids))


def postponements_due(db: Database, org_ids: list[int], day: str) -> list[dict]:
    """The open postponements whose review date (ISO) is ``day`` or earlier."""
    marks = ", ".join("?" for _ in org_ids) or "NULL"
    return _rows(db, _POSTPONED.format(marks=marks, due="AND s.review_on <= ?"), [*org_ids, day])


def incident_postponements(db: Database, incident_id: int) -> list[dict]:
    """The incident's families whose latest safety judgement postpones their messages, soonest
    review first (household_id, label, review_on): what keeps the incident from closing."""
    return _rows(
        db,
        """SELECT h.id AS household_id, h.label, s.review_on
           FROM household_safety s JOIN households h ON h.id = s.household_id
           WHERE s.incident_id = ? AND s.postponed = 1
             AND s.id = (SELECT max(x.id) FROM household_safety x WHERE x.household_id = s.household_id)
           ORDER BY s.review_on, h.id""",
        [incident_id],
    )


def count_listed(db: Database, incident_id: int) -> int:
    """How many persons are on the incident's informing list (those taken off it not counted)."""
    return db.execute(
        "SELECT count(*) FROM household_members WHERE incident_id = ? AND removed_at IS NULL", [incident_id]
    ).fetchone()[0]
