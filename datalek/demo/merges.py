"""Demo data for merged reports (issue #16, ``datalek.handling.merges``): a few percent of the
reports turn out to be a second report of an event already reported in the same organisation
(the same kind of situation, reported within days after it); the demo FG merged them into that
first report, and undid a few merges again with a reason (a different event after all: the
report is "in behandeling" again). A report she had decided before the merge she decided again
afterwards, as before (``handling.decisions.record``); a recent one awaits its own decision.

Only what the domain allows: a report that is reported, in progress or decided "geen datalek"
(``lifecycle.MERGEABLE``), never notified to the AP, with no report merged under it, into a
report that is not merged itself. Written as ``handling.merges.merge`` and ``undo`` write it
(the duplicate's decision, the merge, the status changes), inside the demo's bulk load: without
an audit entry of its own, as every bulk row of the demo (its count is in "demo.generate").
Its own random numbers come from the seed's generator without drawing from it, so the rest of
the demo is the same with or without them."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlite_utils import Database

from datalek import clock
from datalek.handling import lifecycle, repeats
from datalek.handling import merges as handling_merges
from datalek.models import Status
from datalek.store import assessments as assessment_sql
from datalek.store import incidents as incident_sql
from datalek.store import merges as sql

#: The share of all reports merged as a duplicate.
SHARE = 0.03
#: A duplicate is reported at most this long after the first report of the same event.
WITHIN = timedelta(days=5)
#: Every ``UNDO_EVERY``-th merge is undone.
UNDO_EVERY = 8

REASONS = (
    "Een collega meldde dezelfde gebeurtenis; die melding was er eerst.",
    "Dezelfde fout, door twee medewerkers van de afdeling gemeld.",
    "Gaat over dezelfde verzending als de eerdere melding.",
)
UNDO_REASONS = (
    "Bij nader inzien ging het om een andere verzending aan een andere ontvanger.",
    "Het bleek een tweede, losse gebeurtenis op een andere dag.",
)
#: The motivation of the decision taken again after an undone merge.
AGAIN = "Na het ongedaan maken van het samenvoegen opnieuw beoordeeld: het besluit van eerst blijft staan."


def own_random(rng: random.Random, name: str) -> random.Random:
    """A generator of this part of the demo, from the seed's generator without drawing from it."""
    return random.Random(f"{name}-" + ",".join(map(str, rng.getstate()[1][1:9])))


def _candidates(db: Database) -> list[dict]:
    return list(
        db.query(
            "SELECT i.id, i.org_id, i.situation, i.status, i.reported_at,"
            " (SELECT max(d.decided_at) FROM decisions d WHERE d.incident_id = i.id) AS decided_at,"
            " EXISTS (SELECT 1 FROM authority_notifications a WHERE a.incident_id = i.id"
            " AND a.kind = 'initial') AS notified,"
            " EXISTS (SELECT 1 FROM incident_merges m WHERE m.incident_id = i.id OR m.main_id = i.id)"
            " AS merged"
            " FROM incidents i ORDER BY i.reported_at, i.id"
        )
    )


def _pairs(rows: list[dict]) -> list[tuple[dict, dict]]:
    """(duplicate, first report) for every report that could be merged into an earlier one."""
    pairs, recent = [], {}
    mergeable = {s.value for s in lifecycle.MERGEABLE}
    for row in rows:
        key = (row["org_id"], row["situation"])
        earlier = [
            r for r in recent.get(key, []) if r["reported_at"] >= _iso_minus(row["reported_at"], WITHIN)
        ]
        if earlier and row["status"] in mergeable and not row["notified"] and not row["merged"]:
            pairs.append((row, earlier[0]))
        recent[key] = [*earlier, row] if not row["merged"] else earlier  # merged before: not again
    return pairs


def _iso_minus(iso: str, span: timedelta) -> str:
    return clock.to_iso(clock.from_iso(iso) - span)


def generate(db: Database, rng: random.Random, dpo_id: int | None, now: datetime) -> tuple[int, int]:
    """Merge a few percent of the reports and undo some of those merges; inside the caller's
    write transaction. Returns (merges, undone)."""
    own = own_random(rng, "merges")
    rows = _candidates(db)
    pairs = _pairs(rows)
    share = min(1.0, SHARE * len(rows) / len(pairs)) if pairs else 0.0
    latest = now - timedelta(hours=1)
    duplicates: set[int] = set()
    mains: set[int] = set()
    merged = undone = 0
    for dup, main in pairs:
        if own.random() >= share or main["id"] in duplicates or dup["id"] in mains:
            continue
        start = clock.from_iso(max(dup["reported_at"], dup["decided_at"] or ""))
        at = start + timedelta(hours=own.uniform(2, 96))
        if at > latest:
            continue
        merge_id = _merge(db, own, dup, main["id"], dpo_id, at)
        duplicates.add(dup["id"])
        mains.add(main["id"])
        merged += 1
        back = at + timedelta(hours=own.uniform(1, 240))
        again = back + timedelta(hours=own.uniform(1, 72)) if dup["decided_at"] else back
        if merged % UNDO_EVERY == 3 and again <= latest:
            _undo(db, own, dup["id"], merge_id, dpo_id, back)
            if dup["decided_at"]:
                _decide_again(db, dup["id"], dpo_id, again)
            undone += 1
    # A duplicate is no earlier report of a repeat (the documented rule): the reports that
    # repeated one repeat the report before it, if any.
    for row in list(
        db.query("SELECT id FROM incidents WHERE repeat_of IN (SELECT incident_id FROM incident_merges)")
    ):
        repeats.detect(db, row["id"])
    return merged, undone


def _merge(
    db: Database, own: random.Random, dup: dict, main_id: int, dpo_id: int | None, when: datetime
) -> int:
    """What ``handling.merges.merge`` stores for ``dup`` merged into ``main_id`` at ``when``."""
    at = clock.to_iso(when)
    reason = own.choice(REASONS)
    row = incident_sql.incident(db, dup["id"])
    decision_id = handling_merges.duplicate_decision(db, row, main_id, reason, dpo_id, at, now=when)
    _move(db, dup["id"], Status(row["status"]), Status.MERGED, "", dpo_id, at)
    return sql.insert_merge(
        db,
        {
            "incident_id": dup["id"],
            "main_id": main_id,
            "decision_id": decision_id,
            "reason": reason,
            "merged_by": dpo_id,
            "merged_at": at,
        },
    )


def _undo(
    db: Database, own: random.Random, incident_id: int, merge_id: int, dpo_id: int | None, when: datetime
) -> None:
    """What ``handling.merges.undo`` stores."""
    at, reason = clock.to_iso(when), own.choice(UNDO_REASONS)
    sql.undo_merge(db, merge_id, dpo_id, at, reason)
    _move(db, incident_id, Status.MERGED, Status.IN_PROGRESS, reason, dpo_id, at)


def _decide_again(db: Database, incident_id: int, dpo_id: int | None, when: datetime) -> None:
    """What ``handling.decisions.record`` stores when the FG takes her decision of before the
    merge again ("geen datalek", on the same assessment)."""
    at = clock.to_iso(when)
    before = next(
        db.query(
            "SELECT * FROM decisions WHERE incident_id = ? AND duplicate_of IS NULL"
            " ORDER BY decided_at DESC, id DESC LIMIT 1",
            [incident_id],
        )
    )
    assessment = assessment_sql.latest_assessment(db, incident_id)
    keep = ("kind", "notify_authority", "inform_subjects", "inform_date", "lawful_basis", "consulted")
    assessment_sql.insert_decision(
        db,
        {key: before[key] for key in keep}
        | {
            "incident_id": incident_id,
            "assessment_id": assessment["id"],
            "motivation": AGAIN,
            "deviates": 0,
            "deviation_motivation": "",
            "advice": assessment["advice"],
            "decided_by": dpo_id,
            "decided_at": at,
            "duplicate_of": None,
        },
    )
    _move(db, incident_id, Status.IN_PROGRESS, Status.NOT_A_BREACH, "", dpo_id, at)  # only those merge


def _move(db: Database, incident_id: int, current: Status, to: Status, reason: str, dpo_id, at: str) -> None:
    """``lifecycle.record_move`` without its audit entry (the demo's bulk rows have none)."""
    incident_sql.set_status(db, incident_id, to.value, at)
    incident_sql.insert_status_change(
        db,
        {
            "incident_id": incident_id,
            "from_status": current.value,
            "to_status": to.value,
            "actor_id": dpo_id,
            "at": at,
            "reason": reason,
        },
    )
