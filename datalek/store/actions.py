"""SQL for what follows a decision: AP notifications, safety checks, informed recipients,
public notices, measures and repeat incidents; corrections and withdrawals of informed
recipients and measures (a withdrawn row stays, marked, and is left out of every count)."""

from __future__ import annotations

from sqlite_utils import Database


def _insert(db: Database, table: str, row: dict) -> int:
    columns = list(row)
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        table, ", ".join(columns), ", ".join(":" + c for c in columns)
    )
    return db.execute(sql, row).lastrowid


def _rows(db: Database, sql: str, params: list) -> list[dict]:
    return list(db.query(sql, params))


def _update(db: Database, table: str, row_id: int, values: dict, allowed: tuple[str, ...]) -> None:
    if not values:
        return
    if unknown := set(values) - set(allowed):
        raise ValueError(f"not a correctable column of {table}: {sorted(unknown)}")
    sets = ", ".join(f"{c} = :{c}" for c in values)
    db.execute(f"UPDATE {table} SET {sets} WHERE id = :row_id", {**values, "row_id": row_id})


# -- corrections: the old value of every corrected or withdrawn row ---------------------------


def insert_corrections(db: Database, rows: list[dict]) -> None:
    """One row per changed field (table_name, row_id, incident_id, field, old_value, new_value,
    reason, changed_by, changed_at); in the transaction that changes the row."""
    for row in rows:
        _insert(db, "corrections", row)


def corrections(db: Database, incident_id: int) -> list[dict]:
    return _rows(db, "SELECT * FROM corrections WHERE incident_id = ? ORDER BY id", [incident_id])


# -- AP notifications -------------------------------------------------------------------


def insert_notification(db: Database, row: dict) -> int:
    return _insert(db, "authority_notifications", row)


def notifications(db: Database, incident_id: int) -> list[dict]:
    return _rows(db, "SELECT * FROM authority_notifications WHERE incident_id = ? ORDER BY id", [incident_id])


# -- informing betrokkenen -------------------------------------------------------------


def insert_safety_check(db: Database, row: dict) -> int:
    return _insert(db, "safety_checks", row)


def safety_checks(db: Database, incident_id: int) -> list[dict]:
    return _rows(db, "SELECT * FROM safety_checks WHERE incident_id = ? ORDER BY id", [incident_id])


def insert_subject_notice(db: Database, row: dict) -> int:
    return _insert(db, "subject_notices", row)


def subject_notices(db: Database, incident_id: int, with_withdrawn: bool = False) -> list[dict]:
    """The incident's informed recipients; withdrawn ones only with ``with_withdrawn=True``."""
    only = "" if with_withdrawn else " AND withdrawn_at IS NULL"
    return _rows(
        db,
        f"SELECT * FROM subject_notices WHERE incident_id = ?{only} ORDER BY informed_on, id",
        [incident_id],
    )


def subject_notice(db: Database, notice_id: int) -> dict | None:
    rows = _rows(db, "SELECT * FROM subject_notices WHERE id = ?", [notice_id])
    return rows[0] if rows else None


def update_subject_notice(db: Database, notice_id: int, values: dict) -> None:
    """Set the given columns (people_count, informed_on, channel) of one row."""
    _update(db, "subject_notices", notice_id, values, ("people_count", "informed_on", "channel"))


def withdraw_subject_notice(db: Database, notice_id: int, by: int | None, reason: str, at: str) -> None:
    db.execute(
        "UPDATE subject_notices SET withdrawn_at = ?, withdrawn_by = ?, withdrawn_reason = ?"
        " WHERE id = ? AND withdrawn_at IS NULL",
        [at, by, reason, notice_id],
    )


def insert_public_notice(db: Database, row: dict) -> int:
    return _insert(db, "public_notices", row)


def public_notices(db: Database, incident_id: int) -> list[dict]:
    return _rows(db, "SELECT * FROM public_notices WHERE incident_id = ? ORDER BY id", [incident_id])


_GROUP_POSTPONED = """
    SELECT c.incident_id, c.recipient, c.review_on, i.reference, i.org_id
    FROM safety_checks c JOIN incidents i ON i.id = c.incident_id
    WHERE c.risk = 1 AND i.purged_at IS NULL AND i.org_id IN ({marks}) {due}
      AND c.id = (SELECT max(id) FROM safety_checks x
                  WHERE x.incident_id = c.incident_id AND x.recipient = c.recipient)
    ORDER BY c.review_on, i.reference"""


def open_postponements(db: Database, org_ids: list[int]) -> list[dict]:
    """Per incident and recipient group whose latest safety check is a postponement: its
    review date (incident_id, recipient, review_on, reference, org_id)."""
    marks = ", ".join("?" for _ in org_ids) or "NULL"
    return _rows(db, _GROUP_POSTPONED.format(marks=marks, due=""), list(org_ids))


def postponements_due(db: Database, org_ids: list[int], today: str) -> list[dict]:
    """The open postponements of recipient groups whose review date (ISO) is ``today`` or earlier."""
    marks = ", ".join("?" for _ in org_ids) or "NULL"
    return _rows(db, _GROUP_POSTPONED.format(marks=marks, due="AND c.review_on <= ?"), [*org_ids, today])


# -- letters made, and sent -------------------------------------------------------------


def insert_letter(db: Database, row: dict) -> int:
    return _insert(db, "letters", row)


_LETTER = """
    SELECT l.*, i.reference, t.body AS template_body
    FROM letters l JOIN incidents i ON i.id = l.incident_id
    LEFT JOIN letter_templates t ON t.id = l.template_id"""


def letter(db: Database, letter_id: int) -> dict | None:
    """One letter made, with its incident's reference and the body of the template it came from
    (``template_body`` None: the built-in text, version 0)."""
    rows = _rows(db, _LETTER + " WHERE l.id = ?", [letter_id])
    return rows[0] if rows else None


def letters(db: Database, incident_id: int) -> list[dict]:
    """The incident's letters made, in the order made, as ``letter`` gives one."""
    return _rows(db, _LETTER + " WHERE l.incident_id = ? ORDER BY l.id", [incident_id])


def standing_notice(db: Database, member_id: int) -> dict | None:
    """The first notice not withdrawn that informed this person on the list, if any."""
    rows = _rows(
        db,
        "SELECT * FROM subject_notices WHERE member_id = ? AND withdrawn_at IS NULL"
        " ORDER BY informed_on, id LIMIT 1",
        [member_id],
    )
    return rows[0] if rows else None


# -- measures --------------------------------------------------------------------------


def insert_measure(db: Database, row: dict) -> int:
    return _insert(db, "measures", row)


def measure(db: Database, measure_id: int) -> dict | None:
    rows = _rows(db, "SELECT * FROM measures WHERE id = ?", [measure_id])
    return rows[0] if rows else None


def update_measure(db: Database, measure_id: int, status: str, done_on: str | None, at: str) -> None:
    db.execute(
        "UPDATE measures SET status = ?, done_on = ?, updated_at = ? WHERE id = ?",
        [status, done_on, at, measure_id],
    )


def correct_measure(db: Database, measure_id: int, values: dict, at: str) -> None:
    """Set the given columns (kind, description, owner, due_on) of one measure."""
    _update(db, "measures", measure_id, values, ("kind", "description", "owner", "due_on"))
    db.execute("UPDATE measures SET updated_at = ? WHERE id = ?", [at, measure_id])


def withdraw_measure(db: Database, measure_id: int, by: int | None, reason: str, at: str) -> None:
    db.execute(
        "UPDATE measures SET withdrawn_at = ?, withdrawn_by = ?, withdrawn_reason = ?, updated_at = ?"
        " WHERE id = ? AND withdrawn_at IS NULL",
        [at, by, reason, at, measure_id],
    )


def measures(db: Database, incident_id: int, with_withdrawn: bool = False) -> list[dict]:
    """The incident's measures; withdrawn ones only with ``with_withdrawn=True``."""
    only = "" if with_withdrawn else " AND withdrawn_at IS NULL"
    return _rows(db, f"SELECT * FROM measures WHERE incident_id = ?{only} ORDER BY due_on, id", [incident_id])


_OPEN_PAST_DUE = (
    "m.org_id IN ({marks}) AND m.status IN ('planned', 'in_progress') AND m.due_on < ?"
    " AND m.withdrawn_at IS NULL"
)


def overdue_measures(db: Database, org_ids: list[int], today: str, limit: int | None = None) -> list[dict]:
    """Open measures past their due date, longest overdue first (at most ``limit``)."""
    where = _OPEN_PAST_DUE.format(marks=", ".join("?" for _ in org_ids) or "NULL")
    return _rows(
        db,
        f"""
        SELECT m.id, m.incident_id, m.kind, m.due_on, m.status, i.reference, i.org_id
        FROM measures m JOIN incidents i ON i.id = m.incident_id WHERE {where}
        ORDER BY m.due_on, m.id LIMIT ?""",
        [*org_ids, today, -1 if limit is None else limit],
    )


def count_overdue_measures(db: Database, org_ids: list[int], today: str) -> int:
    where = _OPEN_PAST_DUE.format(marks=", ".join("?" for _ in org_ids) or "NULL")
    return db.execute(f"SELECT count(*) FROM measures m WHERE {where}", [*org_ids, today]).fetchone()[0]


# -- repeats ---------------------------------------------------------------


_REPEAT = """
    UPDATE incidents SET repeat_of = (
        SELECT p.id FROM incidents p
        WHERE p.org_id = incidents.org_id AND p.incident_type = incidents.incident_type
          AND p.department = incidents.department AND p.id != incidents.id
          AND p.reported_at < incidents.reported_at
          AND p.reported_at >= strftime('%Y-%m-%dT%H:%M:%S', incidents.reported_at, '-365 days')
          AND p.status != 'not_a_breach'
        ORDER BY p.reported_at DESC LIMIT 1)
    WHERE department != '' AND incident_type != 'to_be_determined' AND {where}"""


def mark_repeats(db: Database, incident_id: int | None = None) -> None:
    """Set ``repeat_of`` to the most recent earlier incident of the same organisation, type
    and department within 365 days: for one incident, or for all (bulk, demo data)."""
    db.execute(
        "UPDATE incidents SET repeat_of = NULL WHERE " + ("id = ?" if incident_id else "1"),
        [incident_id] if incident_id else [],
    )
    if incident_id is None:
        db.execute(_REPEAT.format(where="1"))  # the roll-up's triggers follow (store.rollup)
    else:
        db.execute(_REPEAT.format(where="id = ?"), [incident_id])


def set_repeat(db: Database, incident_id: int, repeat_of: int | None) -> None:
    db.execute("UPDATE incidents SET repeat_of = ? WHERE id = ?", [repeat_of, incident_id])


def set_incident_type(db: Database, incident_id: int, incident_type: str) -> None:
    db.execute("UPDATE incidents SET incident_type = ? WHERE id = ?", [incident_type, incident_id])


# -- demo data -------------------------------------------------------------------------


def decided_breaches_without_actions(db: Database) -> list[dict]:
    """Breaches with a decision and no measures yet (demo data fills in their follow-up)."""
    return list(
        db.query("""
        SELECT i.id, i.org_id, i.status, i.aware_at, i.aware_basis, i.reported_at, i.reference, o.youth_care,
               o.name AS org_name, o.dpo_name, o.dpo_email, o.dpo_phone,
               d.notify_authority, d.inform_subjects, d.decided_at
        FROM incidents i
        JOIN organisations o ON o.id = i.org_id
        JOIN decisions d ON d.id = (SELECT id FROM decisions WHERE incident_id = i.id
                                    ORDER BY decided_at DESC, id DESC LIMIT 1)
        WHERE d.kind = 'breach' AND i.id NOT IN (SELECT incident_id FROM measures)
        ORDER BY i.id""")
    )


def insert_many(db: Database, table: str, rows: list[dict]) -> None:
    if rows:
        columns = list(rows[0])
        db.conn.executemany(
            "INSERT INTO {} ({}) VALUES ({})".format(
                table, ", ".join(columns), ", ".join(":" + c for c in columns)
            ),
            rows,
        )


def set_closed_many(db: Database, closed: list[tuple[str, int]]) -> None:
    db.conn.executemany("UPDATE incidents SET closed_at = ? WHERE id = ?", closed)
