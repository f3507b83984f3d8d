"""SQL for retention: which closed incidents are past their organisation's retention period,
and blanking their free text while every column the statistics use stays as it is."""

from __future__ import annotations

from datetime import date

from sqlite_utils import Database

from datalek.store import report_links, rollup_facts

#: The moment an incident was closed: ``closed_at`` when set, otherwise the time of the last
#: move into its final status (how 'not_a_breach' — and older 'closed' rows — are closed).
_CLOSED_MOMENT = """
    coalesce(i.closed_at, (SELECT max(sc.at) FROM status_changes sc
                           WHERE sc.incident_id = i.id AND sc.to_status = i.status))
"""

FINAL_STATUSES = ("closed", "not_a_breach", "merged")

#: Free text per table: (table, key column, [text columns]). Every one is replaced.
FREE_TEXT = (
    ("incidents", "id", ("description", "actions_taken", "aware_source", "delay_reason")),
    ("incident_changes", "incident_id", ("reason",)),
    ("incident_parties", "incident_id", ("removed_reason",)),
    ("incident_party_changes", "incident_id", ("reason",)),
    # chain incidents and the partner notification log (#16); a chain's shared description is
    # checked for personal data when written and stays for the chain's other organisations
    ("chain_members", "incident_id", ("removed_reason",)),
    ("chain_changes", "incident_id", ("reason",)),
    ("partner_notices", "incident_id", ("partner_name", "told_what", "reply", "withdrawn_reason")),
    ("partner_notice_changes", "incident_id", ("old_value", "new_value", "reason")),
    ("supplements", "incident_id", ("text",)),
    ("assessments", "incident_id", ("effects", "remedial_action")),
    ("decisions", "incident_id", ("motivation", "deviation_motivation", "consulted")),
    ("status_changes", "incident_id", ("reason",)),
    ("authority_notifications", "incident_id", ("late_reason", "note")),
    ("safety_checks", "incident_id", ("reason",)),
    ("public_notices", "incident_id", ("text",)),
    ("measures", "incident_id", ("description", "owner", "withdrawn_reason")),
    ("subject_notices", "incident_id", ("withdrawn_reason",)),
    ("public_notices", "incident_id", ("published_where",)),
    ("households", "incident_id", ("label",)),
    ("household_members", "incident_id", ("parents_withheld_reason", "deviation_reason", "removed_reason")),
    ("member_changes", "incident_id", ("reason",)),
    ("household_safety", "incident_id", ("reason",)),
    ("letters", "incident_id", ("text",)),  # its sha256 and template version stay
    ("lessons", "incident_id", ("learned", "no_measure_reason")),  # theme and measure stay
    ("incident_merges", "incident_id", ("reason", "undo_reason")),  # a merged report's reasons
    ("incident_links", "incident_id", ("note", "removed_reason")),  # this incident's side of a link
)

#: The changes of a person on the informing list whose old and new values are personal references
#: or free text; the other fields' values are codes and stay.
MEMBER_TEXT = ("file_ref", "birth_date", "parents_withheld_reason", "deviation_reason")

#: The changes of an incident's moments whose old and new values are free text (who told the
#: organisation, why a notification is late); moments and codes stay.
INCIDENT_TEXT = ("aware_source", "delay_reason")

#: The old and new values of corrections (a measure's description, say) and their reasons:
#: free text too. A value that was empty (or none, as before a withdrawal) stays as it was.
CORRECTIONS = ("old_value", "new_value", "reason")

#: Rows counted per incident in a purge report (the tables that hold free text of their own;
#: evidence is blanked by ``datalek.store.evidence.purge``). Each has a Dutch name in
#: ``datalek.accounts.audit_labels.TABLES``.
COUNTED = (
    "supplements",
    "assessments",
    "decisions",
    "status_changes",
    "authority_notifications",
    "safety_checks",
    "public_notices",
    "measures",
    "household_members",
    "letters",
    "lessons",
    "evidence",
)


def retention_years(db: Database) -> dict[int, int]:
    return {r["id"]: r["retention_years"] for r in db.query("SELECT id, retention_years FROM organisations")}


def set_retention_years(db: Database, org_id: int, years: int) -> int:
    return db.execute("UPDATE organisations SET retention_years = ? WHERE id = ?", [years, org_id]).rowcount


def due(db: Database, org_id: int, cutoff: str) -> list[dict]:
    """Unpurged incidents of one organisation in a final status, closed before ``cutoff``."""
    return list(
        db.query(
            f"""SELECT i.id, i.org_id, i.reference, i.status, {_CLOSED_MOMENT} AS closed_moment
                FROM incidents i
                WHERE i.org_id = ? AND i.purged_at IS NULL
                  AND i.status IN ({",".join("?" * len(FINAL_STATUSES))})
                  AND {_CLOSED_MOMENT} < ?
                ORDER BY i.id""",
            [org_id, *FINAL_STATUSES, cutoff],
        )
    )


def counts(db: Database, incident_id: int) -> dict[str, int]:
    """How many rows with free text each follow-up table holds for one incident."""
    return {
        table: db.execute(f"SELECT count(*) FROM {table} WHERE incident_id = ?", [incident_id]).fetchone()[0]
        for table in COUNTED
    }


def report_json(db: Database, incident_id: int) -> str:
    return db.execute("SELECT report FROM incidents WHERE id = ?", [incident_id]).fetchone()[0]


def facts_json(db: Database, incident_id: int) -> list[tuple[int, str]]:
    return db.execute("SELECT id, facts FROM assessments WHERE incident_id = ?", [incident_id]).fetchall()


def blank(
    db: Database, incident_id: int, placeholder: str, report: str, facts: list[tuple[int, str]], at: str
) -> None:
    """Replace every free-text column of one incident; the caller holds BEGIN IMMEDIATE. The
    group of a reason for a late notification is kept as its kind first, so the figures of a
    purged year stay as they were."""
    group = rollup_facts.late_reason_group(db, incident_id)
    if group != "none":
        db.execute(
            "UPDATE incidents SET delay_kind = ? WHERE id = ? AND delay_kind = ''", [group, incident_id]
        )
    for table, key, columns in FREE_TEXT:
        sets = ", ".join(f"{c} = CASE WHEN {c} = '' THEN '' ELSE :placeholder END" for c in columns)
        db.execute(
            f"UPDATE {table} SET {sets} WHERE {key} = :id", {"placeholder": placeholder, "id": incident_id}
        )
    sets = ", ".join(
        f"{c} = CASE WHEN coalesce({c}, '') = '' THEN {c} ELSE :placeholder END" for c in CORRECTIONS
    )
    db.execute(
        f"UPDATE corrections SET {sets} WHERE incident_id = :id",
        {"placeholder": placeholder, "id": incident_id},
    )
    sets = ", ".join(
        f"{c} = CASE WHEN coalesce({c}, '') = '' THEN {c} ELSE :placeholder END"
        for c in ("old_value", "new_value")
    )
    db.execute(
        f"UPDATE incident_changes SET {sets} WHERE incident_id = :id AND field IN"
        f" ({', '.join(repr(f) for f in INCIDENT_TEXT)})",
        {"placeholder": placeholder, "id": incident_id},
    )
    _informing_list(db, incident_id, placeholder)
    report_links.delete_follow_ups_of(db, incident_id)  # a guest's follow-up token dies with it (#16)
    db.execute("UPDATE authority_notifications SET concept = '{}' WHERE incident_id = ?", [incident_id])
    db.execute("UPDATE supplements SET author_id = NULL WHERE incident_id = ?", [incident_id])
    db.conn.executemany(
        "UPDATE assessments SET facts = ? WHERE id = ?", [(text, row_id) for row_id, text in facts]
    )
    db.execute(
        "UPDATE incidents SET reporter_id = NULL, report = ?, pii_kept = 0, purged_at = ? WHERE id = ?",
        [report, at, incident_id],
    )


def age_band(birth: date, on: date) -> str:
    """The code of ``datalek.actions.addressees.AgeBand`` for the whole years of age on ``on``
    (someone born on 29 February turns a year older on 1 March in a common year), as
    ``datalek.actions.recipients.age_band_on`` counts it (checked by tests/test_retention.py)."""
    age = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
    return "under_12" if age < 12 else "12_15" if age < 16 else "16_17" if age < 18 else "adult"


def _informing_list(db: Database, incident_id: int, placeholder: str) -> None:
    """The persons on the incident's informing list lose their file number and birth date (also
    the old and new values of their changes); each keeps the relation and, for a birth date, the
    age band on the day they were first informed (their earliest notice that counts), or else on
    the day they were recorded, so the figures of that year survive."""
    rows = db.execute(
        """SELECT m.id, m.birth_date,
                  coalesce((SELECT min(n.informed_on) FROM subject_notices n
                            WHERE n.member_id = m.id AND n.withdrawn_at IS NULL),
                           substr(m.recorded_at, 1, 10))
           FROM household_members m WHERE m.incident_id = ? AND m.birth_date IS NOT NULL""",
        [incident_id],
    ).fetchall()
    db.conn.executemany(
        "UPDATE household_members SET age_band = ? WHERE id = ?",
        [(age_band(date.fromisoformat(birth), date.fromisoformat(on)), i) for i, birth, on in rows],
    )
    db.execute(
        "UPDATE household_members SET file_ref = '', birth_date = NULL WHERE incident_id = ?", [incident_id]
    )
    fields = ", ".join("?" * len(MEMBER_TEXT))
    sets = ", ".join(
        f"{c} = CASE WHEN coalesce({c}, '') = '' OR field NOT IN ({fields}) THEN {c} ELSE ? END"
        for c in ("old_value", "new_value")
    )
    db.execute(
        f"UPDATE member_changes SET {sets} WHERE incident_id = ?",
        [*MEMBER_TEXT, placeholder, *MEMBER_TEXT, placeholder, incident_id],
    )
