"""SQL for the reminders of the notification period and of a postponement's review date
(``datalek.actions.reminders``) and the reminder settings of an organisation
(``datalek.accounts.organisations``)."""

from __future__ import annotations

from sqlite_utils import Database


def _marks(values: list) -> str:
    return ",".join("?" * len(values)) or "NULL"


# --- an organisation's settings -----------------------------------------------------------------


def settings(db: Database, org_ids: list[int]) -> dict[int, dict]:
    """Per organisation: deputy_dpo_id, management_email, reminder_hours (text)."""
    rows = db.query(
        "SELECT id, deputy_dpo_id, management_email, reminder_hours FROM organisations"
        f" WHERE id IN ({_marks(org_ids)})",
        org_ids,
    )
    return {r["id"]: r for r in rows}


def set_settings(
    db: Database, org_id: int, deputy_dpo_id: int | None, management_email: str, hours: str
) -> int:
    return db.execute(
        "UPDATE organisations SET deputy_dpo_id = ?, management_email = ?, reminder_hours = ? WHERE id = ?",
        [deputy_dpo_id, management_email, hours, org_id],
    ).rowcount


def active_dpo(db: Database, user_id: int, org_id: int) -> dict | None:
    """The account, when it is an active FG account of this organisation."""
    rows = list(
        db.query(
            "SELECT u.* FROM users u JOIN memberships m ON m.user_id = u.id"
            " WHERE u.id = ? AND m.org_id = ? AND u.role = 'dpo' AND u.active = 1",
            [user_id, org_id],
        )
    )
    return rows[0] if rows else None


# --- reminders ----------------------------------------------------------------------------------


def rows_for(db: Database, incident_ids: list[int], regime: str) -> dict[int, dict[int, dict]]:
    """Per incident, per reminder point: its row (state, sent_at, recipients, failed)."""
    found: dict[int, dict[int, dict]] = {}
    for r in db.query(
        f"SELECT * FROM reminders WHERE regime = ? AND incident_id IN ({_marks(incident_ids)})",
        [regime, *incident_ids],
    ):
        found.setdefault(r["incident_id"], {})[r["point_hours"]] = r
    return found


def claim(db: Database, incident_id: int, regime: str, point: int, at: str, state: str = "sending") -> bool:
    """Take the (incident, regime, point) row; False when another pass or process has it."""
    cur = db.execute(
        "INSERT OR IGNORE INTO reminders (incident_id, regime, point_hours, state, sent_at)"
        " VALUES (?, ?, ?, ?, ?)",
        [incident_id, regime, point, state, at],
    )
    return cur.rowcount == 1


def reclaim(db: Database, incident_id: int, regime: str, point: int, at: str, stale_before: str) -> bool:
    """Take a failed row again (or one left 'sending' by a process that stopped before
    ``stale_before``); False when another pass has it."""
    cur = db.execute(
        "UPDATE reminders SET state = 'sending', sent_at = ?"
        " WHERE incident_id = ? AND regime = ? AND point_hours = ?"
        " AND (state = 'failed' OR (state = 'sending' AND sent_at < ?))",
        [at, incident_id, regime, point, stale_before],
    )
    return cur.rowcount == 1


def finish(db: Database, incident_id: int, regime: str, point: int, recipients: int, ok: bool) -> None:
    db.execute(
        "UPDATE reminders SET state = ?, recipients = ?, failed = failed + ?"
        " WHERE incident_id = ? AND regime = ? AND point_hours = ?",
        ["sent" if ok else "failed", recipients, 0 if ok else 1, incident_id, regime, point],
    )


def recent(db: Database, limit: int = 50) -> list[dict]:
    """The newest reminder rows of the notification period with the incident's reference, for
    ``reminders list`` (a review's row counts no hours: its point is a judgement's id)."""
    return list(
        db.query(
            "SELECT r.*, i.reference FROM reminders r JOIN incidents i ON i.id = r.incident_id"
            " WHERE r.regime NOT LIKE 'review.%' ORDER BY r.sent_at DESC, r.id DESC LIMIT ?",
            [limit],
        )
    )


# --- the review date of a postponement for safety -----------------------------------------------

_REVIEWS_DUE = """
    SELECT 'family' AS kind, s.id AS row_id, s.incident_id, i.org_id, i.reference, s.review_on
    FROM household_safety s JOIN incidents i ON i.id = s.incident_id
    WHERE s.postponed = 1 AND s.review_on <= :day AND i.purged_at IS NULL
      AND s.id = (SELECT max(x.id) FROM household_safety x WHERE x.household_id = s.household_id)
    UNION ALL
    SELECT 'group', c.id, c.incident_id, i.org_id, i.reference, c.review_on
    FROM safety_checks c JOIN incidents i ON i.id = c.incident_id
    WHERE c.risk = 1 AND c.review_on <= :day AND i.purged_at IS NULL
      AND c.id = (SELECT max(x.id) FROM safety_checks x
                  WHERE x.incident_id = c.incident_id AND x.recipient = c.recipient)
    ORDER BY review_on, reference, row_id"""


def reviews_due(db: Database, day: str) -> list[dict]:
    """In every organisation: the open postponements (the latest judgement of a family, the
    latest safety check of a recipient group) whose review date is ``day`` (ISO) or earlier
    (kind 'family' or 'group', row_id, incident_id, org_id, reference, review_on)."""
    return list(db.query(_REVIEWS_DUE, {"day": day}))
