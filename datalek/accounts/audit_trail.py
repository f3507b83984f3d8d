"""Reading the audit trail: for the beheerder only, in Dutch.

The trail spans every organisation of the installation, so only the beheerder (or the operator
on the server) checks and reads it. An entry holds ids and codes, never contents; this module
turns them into something a person reads: the names of accounts and organisations, the
reference number of an incident, a Dutch label for every role, action and kind of object, and
the details as short sentences. ``tests/test_audit_trail.py`` scans the source for every action
code that is written and fails when one has no label (the labels: ``audit_labels``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from datalek import clock
from datalek.accounts import audit_verify
from datalek.accounts.audit_labels import (
    ATTEMPTS,
    LABELS,
    METHODS,
    OBJECT_LABELS,
    REASONS,
    ROLE_LABELS,
    TABLES,
)
from datalek.accounts.permissions import Action, require
from datalek.models import Actor, LabelledEnum, Status
from datalek.store import accounts as names_sql
from datalek.store import audit_log


def readable(code: str) -> str:
    """A code nobody gave a label yet, still readable: 'signin.locked' -> 'signin locked'."""
    return code.replace(".", " ").replace("_", " ").strip() or "-"


def label(action: str) -> str:
    """The Dutch name of an action code; a code without one reads as "Overige actie: ..."."""
    return LABELS.get(action) or f"Overige actie: {readable(action)}"


def attempted_label(code: str) -> str:
    return ATTEMPTS.get(code) or readable(code)


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


@dataclass
class Names:
    """Names of the accounts and organisations, and references of the incidents, entries name."""

    users: dict[int, str]
    organisations: dict[int, str]
    incidents: dict[int, str]

    def user(self, user_id: int | None) -> str:
        if user_id is None:
            return "-"
        return self.users.get(user_id) or f"account {user_id} (bestaat niet meer)"

    def organisation(self, org_id: int) -> str:
        return self.organisations.get(org_id) or f"organisatie {org_id}"

    def incident(self, incident_id: int) -> str:
        return self.incidents.get(incident_id) or f"nr. {incident_id}"


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _names(db: Database, rows: list[dict], details: list[dict]) -> Names:
    users, orgs, incidents = set(), set(), set()
    for row, detail in zip(rows, details, strict=True):
        users.add(row["actor_id"])
        target = {"user": users, "organisation": orgs, "incident": incidents}.get(row["object_type"])
        if target is not None:
            target.add(_int(row["object_id"]))
        users |= {detail.get("user_id"), detail.get("invited_by")}
        orgs |= {detail.get("org_id"), *detail.get("org_ids", [])}

    def ids(found: set) -> list[int]:
        return sorted(i for i in found if isinstance(i, int))

    return Names(
        names_sql.user_names(db, ids(users)),
        names_sql.organisation_names(db, ids(orgs)),
        names_sql.incident_references(db, ids(incidents)),
    )


def _status(code: str | None) -> str:
    if code is None:
        return "-"
    return Status(code).label.lower() if code in {s.value for s in Status} else readable(code)


def _yes_no(value) -> str:
    return "ja" if value else "nee"


def _count(n, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


Phrase = Callable[[object, "Names", Mapping[str, str]], str | None]

#: A sentence per detail key; None leaves the detail out (nothing worth saying).
PHRASES: dict[str, Phrase] = {
    "attempted": lambda v, n, c: f"Geprobeerd: {attempted_label(str(v))}.",
    "reason": lambda v, n, c: f"Reden: {REASONS.get(str(v)) or readable(str(v))}.",
    "count": lambda v, n, c: f"Aantal: {v}.",
    "method": lambda v, n, c: f"{(METHODS.get(str(v)) or readable(str(v))).capitalize()}.",
    "user_id": lambda v, n, c: f"Account: {n.user(v)}.",
    "org_id": lambda v, n, c: f"Organisatie: {n.organisation(v)}.",
    "org_ids": lambda v, n, c: "Organisatie(s): " + ", ".join(n.organisation(i) for i in v) + ".",
    "invited_by": lambda v, n, c: f"Uitgenodigd door: {n.user(v)}." if v else "Uitgenodigd op de server.",
    "invitation_id": lambda v, n, c: f"Link nr. {v}.",
    "delivery": lambda v, n, c: (
        "Verstuurd per e-mail." if v == "mail" else "Op de server getoond om door te geven."
    ),
    "superseded": lambda v, n, c: (
        f"{_count(v, 'oudere link vervalt', 'oudere links vervallen')}." if v else None
    ),
    "invitations_closed": lambda v, n, c: (
        f"{_count(v, 'open uitnodiging vervalt', 'open uitnodigingen vervallen')}." if v else None
    ),
    "role": lambda v, n, c: f"Rol: {ROLE_LABELS.get(str(v), v)}.",
    "email_changed": lambda v, n, c: "Het e-mailadres van de FG is gewijzigd." if v else None,
    "name_changed": lambda v, n, c: "De naam van de FG is gewijzigd." if v else None,
    "phone_changed": lambda v, n, c: "Het telefoonnummer van de FG is gewijzigd." if v else None,
    "year": lambda v, n, c: f"Jaar {v}.",
    "format": lambda v, n, c: f"Bestand: {str(v).upper()}.",
    "rows": lambda v, n, c: f"{_count(v, 'regel', 'regels')}.",
    "integrity_ok": lambda v, n, c: f"Controle van de kopie: {'in orde' if v else 'NIET in orde'}.",
    "incidents": lambda v, n, c: f"{_count(v, 'melding', 'meldingen')}.",
    "decisions": lambda v, n, c: f"{_count(v, 'besluit', 'besluiten')}.",
    "followed_up": lambda v, n, c: f"{v} opgevolgd.",
    "seed": lambda v, n, c: f"Startgetal {v}.",
    "notification_id": lambda v, n, c: f"AP-melding nr. {v}.",
    "late": lambda v, n, c: "Later dan 72 uur gemeld." if v else "Binnen 72 uur gemeld.",
    "supplement": lambda v, n, c: "Voor een aanvulling." if v else "Voor de eerste melding.",
    "recipient": lambda v, n, c: f"Voor: {c.get(str(v), readable(str(v)))}.",
    "risk": lambda v, n, c: (
        f"Risico: {_yes_no(v) if isinstance(v, bool) else c.get(str(v), readable(str(v)))}."
    ),
    "people_count": lambda v, n, c: f"{_count(v, 'persoon', 'personen')}.",
    "channel": lambda v, n, c: f"Via: {c.get(str(v), readable(str(v)))}.",
    "measure_id": lambda v, n, c: f"Maatregel nr. {v}.",
    "notice_id": lambda v, n, c: f"Informeren nr. {v}.",
    "kind": lambda v, n, c: f"Soort: {c.get(str(v), readable(str(v)))}.",
    "status": lambda v, n, c: f"Status: {c.get(str(v), readable(str(v)))}.",
    "version": lambda v, n, c: f"Versie {v}.",
    "notify": lambda v, n, c: f"Melden bij de AP: {_yes_no(v)}.",
    "inform": lambda v, n, c: f"Betrokkenen informeren: {c.get(str(v), readable(str(v)))}.",
    "deviates": lambda v, n, c: "Wijkt af van het advies." if v else "Volgt het advies.",
    "decision_id": lambda v, n, c: f"Besluit nr. {v}.",
    "pii_kept": lambda v, n, c: "Persoonsgegevens in de tekst bewust laten staan." if v else None,
    "repeat": lambda v, n, c: "Lijkt op een eerdere melding." if v else None,
    "supplement_id": lambda v, n, c: f"Aanvulling nr. {v}.",
    "old_years": lambda v, n, c: f"Was {v} jaar.",
    "new_years": lambda v, n, c: f"Wordt {v} jaar.",
    "file": lambda v, n, c: f"Bestand: {v}.",
    "legacy_until": lambda v, n, c: f"Verzegeld tot en met regel {v}.",
    "action": lambda v, n, c: f"Voor: {attempted_label(str(v))}.",
    "permission": lambda v, n, c: f"Recht: {attempted_label(str(v))}.",
    "client": lambda v, n, c: f"Vanaf adres {v}.",
    "scope": lambda v, n, c: "Geteld per account en adres." if v == "account_client" else "Geteld per adres.",
    "failures": lambda v, n, c: f"{_count(v, 'mislukte poging', 'mislukte pogingen')}.",
    "wait_seconds": lambda v, n, c: f"Wachttijd {v} seconden.",
    "fields": lambda v, n, c: f"{_count(len(v), 'moment of gegeven', 'momenten of gegevens')} gewijzigd.",
    "after_notification": lambda v, n, c: "Na de melding bij de AP." if v else None,
    "replaced": lambda v, n, c: "Vervangt een eerdere reden; die blijft bewaard." if v else None,
    "accounts": lambda v, n, c: f"{_count(v, 'account', 'verschillende accounts')} geprobeerd.",
    "deputy_changed": lambda v, n, c: "De plaatsvervangend FG is gewijzigd." if v else None,
    "management_changed": lambda v, n, c: "Het adres van het management is gewijzigd." if v else None,
    "hours_changed": lambda v, n, c: "De momenten van de herinneringen zijn gewijzigd." if v else None,
    "points": lambda v, n, c: f"{_count(v, 'moment', 'momenten')} voor een herinnering.",
    "point_hours": lambda v, n, c: f"Herinnering na {v} uur.",
    "recipients": lambda v, n, c: f"{_count(v, 'ontvanger', 'ontvangers')}.",
    "escalation": lambda v, n, c: "Ook aan het management." if v else None,
    "skipped": lambda v, n, c: (
        f"{_count(v, 'eerder moment', 'eerdere momenten')} overgeslagen." if v else None
    ),
}

#: Two details that read as one sentence.
PAIRS: dict[tuple[str, str], Phrase] = {
    ("old_role", "new_role"): lambda v, n, c: (
        f"Rol van {ROLE_LABELS.get(v[0], v[0])} naar {ROLE_LABELS.get(v[1], v[1])}."
    ),
    ("from_status", "to_status"): lambda v, n, c: f"Van {_status(v[0])} naar {_status(v[1])}.",
    ("old_years", "new_years"): lambda v, n, c: f"Bewaartermijn van {v[0]} naar {v[1]} jaar.",
}


def details_sentence(
    action: str, detail: dict, names: Names, value_labels: Mapping[str, Mapping[str, str]] | None = None
) -> str:
    """The details of one entry as sentences. ``value_labels`` gives Dutch labels for codes in
    the details, per key or per "action:key" (the screens pass the enums of the later stages)."""
    value_labels = value_labels or {}
    done: set[str] = set()
    parts: list[str] = []
    for (first, second), phrase in PAIRS.items():
        if first in detail and second in detail:
            parts.append(phrase((detail[first], detail[second]), names, {}))
            done |= {first, second}
    order = {key: i for i, key in enumerate(PHRASES)}
    for key, value in sorted(detail.items(), key=lambda item: order.get(item[0], len(order))):
        if key in done:
            continue
        codes = value_labels.get(f"{action}:{key}") or value_labels.get(key) or {}
        if key in PHRASES:
            sentence = PHRASES[key](value, names, codes)
        elif key in TABLES and isinstance(value, int):
            sentence = f"{TABLES[key].capitalize()}: {value}."
        else:
            shown = _yes_no(value) if isinstance(value, bool) else value
            sentence = f"{readable(key).capitalize()}: {shown}."
        if sentence:
            parts.append(sentence)
    return " ".join(parts)


def about(row: dict, names: Names) -> str:
    kind, object_id = row["object_type"], row["object_id"]
    if not kind:
        return "-"
    shown = OBJECT_LABELS.get(kind) or readable(kind).capitalize()
    number = _int(object_id)
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
