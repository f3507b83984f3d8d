"""SQL for what is on record about informing, read for the register (which incidents have an
informing list) and for the yearly figures (``datalek.insight.informing_figures``): the notices
that count per organisation and kind of reader, with the day of the first decision that it is
a breach, and the incidents whose families or recipient groups were ever postponed for safety.

Read only; the incidents of a year are those whose reference has that year (``incidents.year``),
as everywhere in the figures. A withdrawn notice counts nowhere.
"""

from __future__ import annotations

from sqlite_utils import Database


def _marks(values: list) -> str:
    return ", ".join("?" for _ in values) or "NULL"


def _chunks(ids: list[int]):
    for start in range(0, len(ids), 500):
        yield ids[start : start + 500]


def with_households(db: Database, ids: list[int]) -> list[int]:
    """The incidents among ``ids`` that have an informing list (at least one family)."""
    found: list[int] = []
    for chunk in _chunks(ids):
        found += [
            r[0]
            for r in db.execute(
                f"SELECT DISTINCT incident_id FROM households WHERE incident_id IN ({_marks(chunk)})"
                " ORDER BY incident_id",
                chunk,
            )
        ]
    return found


def notices_of_year(db: Database, org_ids: list[int], year: int, until: str) -> list[dict]:
    """Every notice that counts of the organisations' incidents of ``year``, sent on or before
    ``until`` (ISO day): org_id, recipient, people_count, informed_on, member_id and decided_on
    (the UTC day of the incident's first decision that it is a breach; NULL without one)."""
    return list(
        db.query(
            f"""SELECT i.org_id, s.recipient, s.people_count, s.informed_on, s.member_id,
                   (SELECT date(min(d.decided_at)) FROM decisions d
                    WHERE d.incident_id = i.id AND d.kind = 'breach') AS decided_on
            FROM subject_notices s JOIN incidents i ON i.id = s.incident_id
            WHERE i.org_id IN ({_marks(org_ids)}) AND i.year = ? AND s.withdrawn_at IS NULL
              AND s.informed_on <= ?
            ORDER BY i.org_id, s.informed_on, s.id""",
            [*org_ids, year, until],
        )
    )


def postponed_incidents(db: Database, org_ids: list[int], year: int, until: str) -> list[dict]:
    """The organisations' incidents of ``year`` with a postponement for safety recorded before
    the end of ``until`` (UTC ISO moment): of a family (``household_safety``) or of a recipient
    group (``safety_checks``): id, org_id and inform (the latest decision's answer to informing
    the people: 'yes', 'no', 'later' or NULL)."""
    marks = _marks(org_ids)
    return list(
        db.query(
            f"""SELECT i.id, i.org_id,
                   (SELECT d.inform_subjects FROM decisions d WHERE d.incident_id = i.id
                    ORDER BY d.decided_at DESC, d.id DESC LIMIT 1) AS inform
            FROM incidents i
            WHERE i.org_id IN ({marks}) AND i.year = ? AND (
                EXISTS (SELECT 1 FROM household_safety s
                        WHERE s.incident_id = i.id AND s.postponed = 1 AND s.recorded_at < ?)
                OR EXISTS (SELECT 1 FROM safety_checks c
                           WHERE c.incident_id = i.id AND c.risk = 1 AND c.recorded_at < ?))
            ORDER BY i.id""",
            [*org_ids, year, until, until],
        )
    )
