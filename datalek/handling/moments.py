"""The moments of an incident as the FG states them: the moment of awareness with its basis and
source, and the timeline (how it happened, begin, end, discovered).

Changing a moment that had a value needs a reason; every change keeps the old and the new
value, who, when and why (``incident_changes``), and whether the AP was already notified.
The awareness as first recorded (``first_aware_at``) never changes. A change made after the
first AP notification never makes that notification "on time" again: its lateness is judged
against the awareness as it stood when it was notified (``Awareness.judged_from``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from datalek import chronology, clock, corrections, regime
from datalek.accounts import audit
from datalek.accounts.permissions import Action, IncidentRef, require
from datalek.models import Actor, AwareBasis, InvalidInput
from datalek.store import incidents as incident_sql
from datalek.store import moments as sql

MAX_SOURCE = 200
MAX_REASON = 4000

#: Every field a change can be about, with its Dutch name.
FIELDS = {
    "aware_at": "Moment van bewustwording",
    "aware_basis": "Hoe de organisatie het wist",
    "aware_source": "Van wie de organisatie het hoorde",
    "occurrence": "Hoe het gebeurde",
    "occurred_from": "Begin van het lek",
    "occurred_to": "Einde van het lek",
    "discovered_at": "Ontdekt op",
    "delay_reason": "Reden van vertraging",
    "delay_kind": "Soort reden van vertraging",
}
AWARENESS_FIELDS = ("aware_at", "aware_basis", "aware_source")
MOMENT_FIELDS = ("aware_at", "occurred_from", "occurred_to", "discovered_at")

#: How it happened, in the FG's words (the codes of ``intake.situations.Occurrence``).
OCCURRENCES = {
    "moment": "Eenmalig moment",
    "period": "Gedurende een periode",
    "ongoing": "Nog gaande",
    "unknown": "Onbekend",
}


@dataclass(frozen=True)
class Change:
    field: str  # 'aware_at', 'aware_basis', 'aware_source', 'occurred_from', 'occurred_to', ...
    label: str  # Dutch name of the field, e.g. "Moment van bewustwording"
    old: str | None  # as a person reads it (moments as "03-12-2026 10:00", bases by label)
    new: str | None
    reason: str
    changed_by: str  # the account's name, or "Beheer (opdrachtregel)"
    changed_at: datetime
    after_notification: bool


@dataclass(frozen=True)
class Awareness:
    aware_at: datetime  # as it stands now
    first_aware_at: datetime  # as first recorded, never changed
    basis: AwareBasis
    source: str
    changes: list[Change]  # changes of aware_at/basis/source, oldest first
    judged_from: datetime  # what the first notification's lateness is judged against


@dataclass(frozen=True)
class Timeline:
    """The facts form's "Tijdlijn" block: how it happened (an ``Occurrence`` code), begin,
    end and discovered. A moment that does not fit the occurrence is dropped."""

    occurrence: str
    occurred_from: datetime | None
    occurred_to: datetime | None
    discovered_at: datetime | None


def readable(field: str, value: str | None) -> str | None:
    """A stored value as a person reads it."""
    if value in (None, ""):
        return None
    if field in MOMENT_FIELDS:
        return clock.format_local(clock.from_iso(value))
    if field == "aware_basis":
        return AwareBasis(value).label
    if field == "occurrence":
        return OCCURRENCES.get(value, value)
    if field == "delay_kind":
        from datalek.handling import delay  # delay reads the clock, which never reads moments

        return delay.label(value)
    return value


def _change(row: dict) -> Change:
    who = corrections.who(row["changed_by"], row["changed_by_name"])
    return Change(
        field=row["field"],
        label=FIELDS.get(row["field"], row["field"]),
        old=readable(row["field"], row["old_value"]),
        new=readable(row["field"], row["new_value"]),
        reason=row["reason"],
        changed_by=who,
        changed_at=clock.from_iso(row["changed_at"]),
        after_notification=bool(row["after_notification"]),
    )


def judged_from(aware_at: datetime, rows: list[dict]) -> datetime:
    """The current awareness, unless it was changed after notifying: then the value it had
    when the AP was notified (the old value of the first such change)."""
    after = next((r for r in rows if r["field"] == "aware_at" and r["after_notification"]), None)
    return clock.from_iso(after["old_value"]) if after else aware_at


def awareness(db: Database, incident_id: int) -> Awareness:
    """The awareness of an incident and its changes (no permission check: callers check)."""
    row = incident_sql.incident(db, incident_id)
    rows = sql.changes(db, incident_id)
    aware_at = clock.from_iso(row["aware_at"])
    return Awareness(
        aware_at=aware_at,
        first_aware_at=clock.from_iso(row["first_aware_at"]) or aware_at,
        basis=AwareBasis(row["aware_basis"]),
        source=row["aware_source"],
        changes=[_change(r) for r in rows if r["field"] in AWARENESS_FIELDS],
        judged_from=judged_from(aware_at, rows),
    )


def history(db: Database, actor: Actor, incident_id: int) -> list[Change]:
    """Every change of the incident's moments, oldest first: for the FG (the reasons are
    part of her assessment)."""
    require(db, actor, Action.READ_ASSESSMENT, IncidentRef(incident_id))
    return [_change(r) for r in sql.changes(db, incident_id)]


def proposed(
    aware_at: datetime,
    basis: AwareBasis | None = None,
    source: str | None = None,
    timeline: Timeline | None = None,
) -> dict[str, str | None]:
    """What the FG states, as stored values; a part that is None is left as it is."""
    values: dict[str, str | None] = {"aware_at": clock.to_iso(aware_at)}
    if basis is not None:
        values["aware_basis"] = AwareBasis(basis).value
    if source is not None:
        values["aware_source"] = source.strip()
    if timeline is not None:
        kind = timeline.occurrence if timeline.occurrence in OCCURRENCES else "unknown"
        start = timeline.occurred_from if kind != "unknown" else None
        end = timeline.occurred_to if kind == "period" else None
        values |= {
            "occurrence": kind,
            "occurred_from": clock.to_iso(start) if start else None,
            "occurred_to": clock.to_iso(end) if end else None,
            "discovered_at": clock.to_iso(timeline.discovered_at) if timeline.discovered_at else None,
        }
    return values


def _same(field: str, old: str | None, new: str | None) -> bool:
    """Moments are typed to the minute: seconds stored earlier are no change."""
    if field in MOMENT_FIELDS and old and new:
        return clock.from_iso(old).replace(second=0, microsecond=0) == clock.from_iso(new).replace(
            second=0, microsecond=0
        )
    return (old or None) == (new or None)


def _needs_reason(field: str, old: str | None, basis_stated: bool) -> bool:
    """Filling an empty moment needs no reason; changing one that had a value does. The basis
    is the report's default until the FG first states it."""
    if field == "aware_basis":
        return basis_stated
    if field == "occurrence":
        return old not in (None, "", "unknown")
    return old not in (None, "")


def _required(values: dict, errors: dict) -> None:
    kind = values.get("occurrence")
    if kind in ("moment", "period", "ongoing") and not values.get("occurred_from"):
        errors["occurred_from"] = "Vul in wanneer het lek begon, of kies 'Onbekend'."
    if kind == "period" and not values.get("occurred_to"):
        errors["occurred_to"] = "Vul in tot wanneer het duurde."
    if not values.get("discovered_at"):
        errors["discovered_at"] = "Vul in wanneer het lek ontdekt werd."
    if len(values.get("aware_source") or "") > MAX_SOURCE:
        errors["aware_source"] = f"Dit is te lang: gebruik hoogstens {MAX_SOURCE} tekens."


def _reason_message(changed: list[str]) -> str:
    if "aware_at" in changed:
        return (
            "Geef de reden van de wijziging. Het moment van bewustwording bepaalt de termijn "
            f"van {regime.CURRENT.period_hours} uur voor de melding bij de AP. "
            "Daarom bewaren we het oude moment en de reden."
        )
    names = ", ".join(FIELDS[f].lower() for f in changed)
    return f"Geef de reden van de wijziging ({names}). Het oude antwoord bewaren we met de reden."


def plan(
    row: dict,
    values: dict[str, str | None],
    reason: str,
    rows: list[dict],
    notified_at: str | None,
    now: datetime,
) -> tuple[list[dict], dict[str, str]]:
    """The changes the stated ``values`` make to the incident ``row`` and the problems with
    them (``{field: Dutch message}``). Pure: the caller reads and writes."""
    changes = [
        {"field": f, "old_value": row[f], "new_value": v}
        for f, v in values.items()
        if f in FIELDS and not _same(f, row[f], v)
    ]
    merged = {**row, **{c["field"]: c["new_value"] for c in changes}}
    errors: dict[str, str] = {}
    _required(merged, errors)
    basis_stated = any(r["field"] == "aware_basis" for r in rows)
    unexplained = [c["field"] for c in changes if _needs_reason(c["field"], c["old_value"], basis_stated)]
    if unexplained and not reason.strip():
        errors["aware_reason"] = _reason_message(unexplained)
    elif len(reason.strip()) > MAX_REASON:
        errors["aware_reason"] = f"Dit is te lang: gebruik hoogstens {MAX_REASON} tekens."
    moment = {f: clock.from_iso(merged.get(f)) for f in (*MOMENT_FIELDS, "notified_at")}
    moment["notified_at"] = clock.from_iso(notified_at)
    clashes = chronology.check(now=now, **moment)
    if "notified_at" in clashes:  # moving awareness past the notification: said at awareness
        clashes.setdefault("aware_at", clashes.pop("notified_at"))
    for field, message in clashes.items():
        errors.setdefault(field, message)
    return changes, errors


def check(db: Database, incident_id: int, values: dict[str, str | None], reason: str) -> dict[str, str]:
    """The problems with the stated values, before any write (a form shows them all at once)."""
    row = incident_sql.incident(db, incident_id)
    rows = sql.changes(db, incident_id)
    return plan(row, values, reason, rows, sql.first_notified_at(db, incident_id), clock.now())[1]


def apply(
    db: Database, actor: Actor, incident_id: int, values: dict[str, str | None], reason: str, at: str
) -> list[dict]:
    """Inside a ``store.write``: record the changes the stated values make, with the reason, and
    write the new values; audited. ``InvalidInput`` when a reason is missing or the moments
    clash. Returns the changes (an empty list when nothing changed)."""
    row = incident_sql.incident(db, incident_id)
    rows = sql.changes(db, incident_id)
    notified_at = sql.first_notified_at(db, incident_id)
    changes, errors = plan(row, values, reason, rows, notified_at, clock.from_iso(at))
    if errors:
        raise InvalidInput(errors)
    if not changes:
        return []
    for change in changes:
        sql.insert_change(
            db,
            {
                **change,
                "incident_id": incident_id,
                "reason": reason.strip(),
                "after_notification": int(notified_at is not None),
                "changed_by": actor.user_id,
                "changed_at": at,
            },
        )
    sql.set_moments(db, incident_id, {c["field"]: c["new_value"] for c in changes}, at)
    fields = [c["field"] for c in changes]
    aware = [f for f in fields if f in AWARENESS_FIELDS]
    other = [f for f in fields if f not in AWARENESS_FIELDS]
    after = notified_at is not None
    if aware:
        audit.append(
            db, actor, "incident.awareness", "incident", incident_id, fields=aware, after_notification=after
        )
    if other:
        audit.append(
            db, actor, "incident.timeline", "incident", incident_id, fields=other, after_notification=after
        )
    return changes
