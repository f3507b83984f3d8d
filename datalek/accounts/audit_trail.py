"""Reading the audit trail: for the beheerder only, in Dutch.

The trail spans every organisation of the installation, so only the beheerder (or the operator
on the server) checks and reads it. An entry holds ids and codes, never contents; this module
turns them into something a person reads: the names of accounts and organisations, the
reference number of an incident, a Dutch label for every role, action and kind of object, and
the details as short sentences (``audit_phrases``). ``tests/test_audit_trail.py`` scans the
source for every action code that is written and fails when one has no label (the labels:
``audit_labels``)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from datalek import clock
from datalek.accounts import audit_verify
from datalek.accounts.audit_labels import LABELS, OBJECT_LABELS, ROLE_LABELS
from datalek.accounts.audit_phrases import Names, as_int, details_sentence, readable
from datalek.accounts.permissions import Action, require
from datalek.models import Actor, LabelledEnum
from datalek.store import accounts as names_sql
from datalek.store import audit_log


def label(action: str) -> str:
    """The Dutch name of an action code; a code without one reads as "Overige actie: ..."."""
    return LABELS.get(action) or f"Overige actie: {readable(action)}"


def check(db: Database, actor: Actor) -> audit_verify.Verification:
    """``audit.verify`` for a signed-in beheerder."""
    require(db, actor, Action.VERIFY_AUDIT)
    return audit_verify.verify(db)


def recent_entries(db: Database, actor: Actor, limit: int = 200) -> list[dict]:
    """The newest entries (ids and codes only, by construction)."""
    require(db, actor, Action.READ_AUDIT)
    return audit_log.recent(db, limit)


# --- the entries as a person reads them ----------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    seq: int
    at: datetime
    who: str
    role: str
    action: str
    about: str
    details: str


def _names(db: Database, rows: list[dict], details: list[dict]) -> Names:
    users, orgs, incidents = set(), set(), set()
    for row, detail in zip(rows, details, strict=True):
        users.add(row["actor_id"])
        target = {"user": users, "organisation": orgs, "incident": incidents}.get(row["object_type"])
        if target is not None:
            target.add(as_int(row["object_id"]))
        users |= {detail.get("user_id"), detail.get("invited_by")}
        orgs |= {detail.get("org_id"), *detail.get("org_ids", [])}
        incidents.add(as_int(detail.get("duplicate_of")))
        incidents.add(as_int(detail.get("linked_to")))

    def ids(found: set) -> list[int]:
        return sorted(i for i in found if isinstance(i, int))

    return Names(
        names_sql.user_names(db, ids(users)),
        names_sql.organisation_names(db, ids(orgs)),
        names_sql.incident_references(db, ids(incidents)),
    )


def about(row: dict, names: Names) -> str:
    kind, object_id = row["object_type"], row["object_id"]
    if not kind:
        return "-"
    shown = OBJECT_LABELS.get(kind) or readable(kind).capitalize()
    number = as_int(object_id)
    if kind == "user":
        return f"{shown}: {names.user(number)}" if number is not None else shown
    if kind == "organisation" and number is not None:
        return f"{shown}: {names.organisation(number)}"
    if kind == "incident" and number is not None:
        return f"{shown} {names.incident(number)}"
    return f"{shown} {object_id}".strip()


def _who(row: dict, names: Names) -> str:
    if row["actor_id"] is not None:
        return names.user(row["actor_id"])
    return ROLE_LABELS.get(row["actor_role"]) or "-"


def readable_entries(
    db: Database,
    actor: Actor,
    limit: int = 200,
    value_labels: Mapping[str, type[LabelledEnum] | Mapping[str, str]] | None = None,
) -> list[Entry]:
    """The newest entries in Dutch: who (by name), their role, what, about what, and details."""
    require(db, actor, Action.READ_AUDIT)
    rows = audit_log.recent(db, limit)
    details = [json.loads(r["detail"] or "{}") for r in rows]
    names = _names(db, rows, details)
    codes = {
        key: ({m.value: m.label for m in labels} if isinstance(labels, type) else dict(labels))
        for key, labels in (value_labels or {}).items()
    }
    return [
        Entry(
            seq=row["seq"],
            at=clock.from_iso(row["at"]),
            who=_who(row, names),
            role=ROLE_LABELS.get(row["actor_role"]) or readable(row["actor_role"]),
            action=label(row["action"]),
            about=about(row, names),
            details=details_sentence(row["action"], detail, names, codes),
        )
        for row, detail in zip(rows, details, strict=True)
    ]
