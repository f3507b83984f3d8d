"""Retention: after an organisation's retention period, a closed incident keeps its figures
and loses its words.

An incident whose status is final ('closed' or 'not_a_breach') and whose closing moment lies
more than ``organisations.retention_years`` ago is *purged*: every free-text field (the
description, what was done, supplements, the FG's effects and remedial action, motivations
and who was consulted, status reasons, AP-notification notes and concept, safety-check
reasons, public notices, measure descriptions and owners, what was learned at a closing and
why no preventive measure follows, the names and notes of evidence files, the labels of the
families on the informing list and every reason recorded there, the text of each letter made)
is replaced by a fixed placeholder, and evidence content no other unpurged file holds is
deleted; any free-text value in the JSON answers and facts is blanked, and the link to the
reporter is removed. A person on the informing list loses the file number and birth date (also
in the changes kept of them) and keeps the relation and an age band, computed at the purge as
the age on the day the person was informed. Everything the statistics use stays: dates, types,
categories, counts, statuses, the facts' codes, the department, a letter's hash and template
version, a lesson's theme and the measure that follows. ``purged_at`` marks the row; a purge is
audited once per incident and once per run, with counts only (the rows per table that held
text, evidence and lessons included). The audit trail itself holds ids and codes, never text,
and is append-only, so it is not touched.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime

from sqlite_utils import Database

from datalek import clock, store
from datalek.accounts import audit
from datalek.accounts.permissions import Action, require
from datalek.handling import report_drafts
from datalek.models import Actor, InvalidInput
from datalek.store import evidence as evidence_sql
from datalek.store import retention as sql

PLACEHOLDER = "[Verwijderd: bewaartermijn verstreken]"
MIN_YEARS, MAX_YEARS = 1, 30
_CODE = re.compile(r"[a-z0-9_.:+-]{0,64}|\d{4}-\d\d-\d\d(T[0-9:.]+(Z|[+-]\d\d:\d\d)?)?")


def years_before(moment: datetime, years: int) -> datetime:
    """The same calendar moment ``years`` earlier (29 February becomes 28 February)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


def _is_code(value: str) -> bool:
    """Enum codes and ISO timestamps are kept; anything with spaces or capitals is text."""
    return _CODE.fullmatch(value) is not None


def scrub_json(value):
    """Blank every free-text string in a JSON value; keep codes, numbers, flags, structure."""
    if isinstance(value, dict):
        return {k: scrub_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub_json(v) for v in value]
    if isinstance(value, str) and not _is_code(value):
        return ""
    return value


def _scrubbed(text: str) -> str:
    try:
        data = json.loads(text)
    except (TypeError, ValueError):
        return "{}"
    return json.dumps(scrub_json(data), sort_keys=True)


@dataclass(frozen=True)
class Due:
    """An incident past retention: its reference and how many related rows hold text."""

    incident_id: int
    org_id: int
    reference: str
    status: str
    closed_at: str
    rows: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class PurgeResult:
    applied: bool
    incidents: list[Due]

    @property
    def totals(self) -> dict[str, int]:
        totals = {"incidents": len(self.incidents)}
        for table in sql.COUNTED:
            totals[table] = sum(d.rows.get(table, 0) for d in self.incidents)
        return totals


def retention_years(db: Database, actor: Actor) -> dict[int, int]:
    """Each organisation's retention period in years (beheerder)."""
    require(db, actor, Action.READ_RETENTION)
    return sql.retention_years(db)


def set_retention_years(db: Database, actor: Actor, org_id: int, years: int) -> None:
    """Change an organisation's retention period; audited with the old and new value."""
    require(db, actor, Action.SET_RETENTION)
    if not isinstance(years, int) or not MIN_YEARS <= years <= MAX_YEARS:
        raise InvalidInput(
            {"retention_years": f"Kies een bewaartermijn van {MIN_YEARS} tot {MAX_YEARS} jaar."}
        )
    with store.write(db):
        old = sql.retention_years(db).get(org_id)
        if old is None or not sql.set_retention_years(db, org_id, years):
            raise InvalidInput({"org": "Deze organisatie bestaat niet."})
        audit.append(db, actor, "retention.set", "organisation", org_id, old_years=old, new_years=years)


def due(db: Database, actor: Actor, at: datetime | None = None) -> list[Due]:
    """Incidents past their organisation's retention period that still hold text."""
    require(db, actor, Action.LIST_RETENTION_DUE)
    return _due(db, at or clock.now())


def _due(db: Database, at: datetime) -> list[Due]:
    found = []
    for org_id, years in sorted(sql.retention_years(db).items()):
        cutoff = clock.to_iso(years_before(clock.to_utc(at), years))
        for row in sql.due(db, org_id, cutoff):
            found.append(
                Due(
                    row["id"],
                    org_id,
                    row["reference"],
                    row["status"],
                    row["closed_moment"],
                    sql.counts(db, row["id"]),
                )
            )
    return found


def purge(db: Database, actor: Actor, apply: bool = False, at: datetime | None = None) -> PurgeResult:
    """List (``apply=False``, changes nothing) or purge the incidents past retention.

    Applied in one ``BEGIN IMMEDIATE`` transaction: all of them or none, each with its own
    audit entry, plus one entry for the run with the totals."""
    require(db, actor, Action.PURGE)
    at = at or clock.now()
    if not apply:
        return PurgeResult(False, _due(db, at))
    stamp = clock.to_iso(at)
    with store.write(db):
        found = _due(db, at)
        for item in found:
            report = _scrubbed(sql.report_json(db, item.incident_id))
            facts = [(i, _scrubbed(text)) for i, text in sql.facts_json(db, item.incident_id)]
            sql.blank(db, item.incident_id, PLACEHOLDER, report, facts, stamp)
            evidence_sql.purge(db, item.incident_id, PLACEHOLDER, stamp)  # names, notes; orphaned files
            audit.append(
                db, actor, "incident.purge", "incident", item.incident_id, org_id=item.org_id, **item.rows
            )
        report_drafts.delete_expired(db, at)  # reports being written, unsent for 24 hours
        result = PurgeResult(True, found)
        audit.append(db, actor, "retention.purge", "", None, **result.totals)
    return result
