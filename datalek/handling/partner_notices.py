"""The partner notification log of an incident (issue #16, "Ketenpartners geïnformeerd"): which
partner or controller was told what, when, by whom and by which channel, and their reply
("Gemeente X meldt zelf bij de AP, meldnummer …").

The partner is a processor or partner from the organisation's register, another organisation of
the incident's chain, or a name typed in. The moment of telling is not in the future and not
before the organisation knew (``incidents.aware_at``); a reply comes with its moment, not before
the telling. Filling in a reply later needs no reason; changing anything that had a value
does, and keeps the old value, who and why (``partner_notice_changes``). A notice entered by
mistake is withdrawn with a reason and stays visible.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from datalek import clock, corrections, store
from datalek.accounts import audit
from datalek.accounts.permissions import Action, IncidentRef, require
from datalek.handling.partner_notice_rules import (
    FIELDS,
    MAX_NAME,
    MAX_REASON,
    MAX_TEXT,
    Channel,
    NoticeInput,
    Partner,
    line,
    moment_errors,
    readable,
    same,
)
from datalek.models import Actor, InvalidInput
from datalek.store import chains as chain_sql
from datalek.store import incidents as incident_sql
from datalek.store import partner_notices as sql
from datalek.store import processors as party_sql

#: A change that overwrites a recorded value says why.
WHY = "Geef de reden van de wijziging. Het oude gegeven bewaren we met de reden."
WHY_WITHDRAWN = "Geef de reden: waarom trek je dit in?"


@dataclass(frozen=True)
class Notice:
    id: int
    partner_name: str
    told_what: str
    told_at: datetime
    channel: Channel
    reply: str
    reply_at: datetime | None
    recorded_by: str
    recorded_at: datetime
    withdrawn_at: datetime | None
    withdrawn_reason: str


@dataclass(frozen=True)
class NoticeChange:
    notice_id: int
    partner_name: str
    field: str
    label: str
    old: str | None
    new: str | None
    reason: str
    changed_by: str
    changed_at: datetime


def _notice(row: dict) -> Notice:
    return Notice(
        id=row["id"],
        partner_name=row["partner_name"],
        told_what=row["told_what"],
        told_at=clock.from_iso(row["told_at"]),
        channel=Channel(row["channel"]),
        reply=row["reply"],
        reply_at=clock.from_iso(row["reply_at"]),
        recorded_by=corrections.who(row["recorded_by"], row["recorded_by_name"]),
        recorded_at=clock.from_iso(row["recorded_at"]),
        withdrawn_at=clock.from_iso(row["withdrawn_at"]),
        withdrawn_reason=row["withdrawn_reason"],
    )


def partner_choices(db: Database, actor: Actor, incident_id: int) -> tuple[dict[int, str], dict[int, str]]:
    """(the organisation's active parties by id, the chain's other organisations by id): the
    form's choices besides a name typed in."""
    require(db, actor, Action.PARTNER_NOTICES, IncidentRef(incident_id))
    return _parties(db, incident_id), _chain_orgs(db, incident_id)


def _parties(db: Database, incident_id: int) -> dict[int, str]:
    org_id = incident_sql.incident(db, incident_id)["org_id"]
    return {r["id"]: r["name"] for r in party_sql.parties(db, org_id, include_ended=False)}


def _chain_orgs(db: Database, incident_id: int) -> dict[int, str]:
    membership = chain_sql.membership(db, incident_id)
    if membership is None or membership["removed_at"]:
        return {}
    own = incident_sql.incident(db, incident_id)["org_id"]
    return {
        r["org_id"]: r["org_name"]
        for r in chain_sql.members(db, membership["chain_id"])
        if r["removed_at"] is None and r["org_id"] != own
    }


def _partner(db: Database, incident_id: int, partner: Partner, errors: dict) -> dict:
    given = [
        x for x in (partner.party_id, partner.org_id, (partner.name or "").strip() or None) if x is not None
    ]
    if len(given) != 1:
        errors["partner"] = "Kies één partner uit het register of de keten, of typ een naam."
        return {}
    if partner.party_id is not None:
        name = _parties(db, incident_id).get(partner.party_id)
        if name is None:
            errors["partner"] = "Kies een verwerker of ketenpartner uit het register van deze organisatie."
        return {"party_id": partner.party_id, "partner_name": name or ""}
    if partner.org_id is not None:
        name = _chain_orgs(db, incident_id).get(partner.org_id)
        if name is None:
            errors["partner"] = "Kies een organisatie die in de keten van deze melding zit."
        return {"partner_org_id": partner.org_id, "partner_name": name or ""}
    name = partner.name.strip()
    if len(name) > MAX_NAME:
        errors["partner"] = f"Dit is te lang: gebruik hoogstens {MAX_NAME} tekens."
    return {"partner_name": name}


def plan(db: Database, incident_id: int, given: NoticeInput, now: datetime) -> tuple[dict, dict[str, str]]:
    """The stored values of a notice and the problems with them (``{field: Dutch message}``)."""
    errors: dict[str, str] = {}
    values = _partner(db, incident_id, given.partner, errors)
    told_what, reply = (given.told_what or "").strip(), (given.reply or "").strip()
    if not told_what:
        errors["told_what"] = "Vul in wat je de partner hebt verteld."
    elif len(told_what) > MAX_TEXT:
        errors["told_what"] = f"Dit is te lang: gebruik hoogstens {MAX_TEXT} tekens."
    if len(reply) > MAX_TEXT:
        errors["reply"] = f"Dit is te lang: gebruik hoogstens {MAX_TEXT} tekens."
    if given.channel not in {c.value for c in Channel}:
        errors["channel"] = "Kies hoe de partner is geïnformeerd."
    row = incident_sql.incident(db, incident_id)
    for field, message in moment_errors(row, given.told_at, given.reply_at, reply, now).items():
        errors.setdefault(field, message)
    values |= {
        "told_what": told_what,
        "told_at": clock.to_iso(given.told_at) if given.told_at else None,
        "channel": given.channel,
        "reply": reply,
        "reply_at": clock.to_iso(given.reply_at) if given.reply_at else None,
    }
    return values, errors


def record(db: Database, actor: Actor, incident_id: int, given: NoticeInput) -> Notice:
    """Record that a partner was told (and, if known already, their reply)."""
    require(db, actor, Action.PARTNER_NOTICES, IncidentRef(incident_id))
    now = clock.now()
    values, errors = plan(db, incident_id, given, now)
    if errors:
        raise InvalidInput(errors)
    at = clock.to_iso(now)
    with store.write(db):
        notice_id = sql.insert_notice(
            db, {**values, "incident_id": incident_id, "recorded_by": actor.user_id, "recorded_at": at}
        )
        incident_sql.touch(db, incident_id, at)
        audit.append(
            db,
            actor,
            "partner_notice.record",
            "incident",
            incident_id,
            partner_notice_id=notice_id,
            channel=values["channel"],
            replied=bool(values["reply"]),
        )
    return next(n for n in notices_of(db, incident_id) if n.id == notice_id)


def _standing(db: Database, incident_id: int, notice_id: int) -> dict:
    row = sql.notice(db, notice_id)
    if row is None or row["incident_id"] != incident_id:
        raise InvalidInput({"form": "Deze regel hoort niet bij deze melding."})
    if row["withdrawn_at"]:
        raise InvalidInput({"form": "Deze regel is al ingetrokken."})
    return row


def correct(
    db: Database, actor: Actor, incident_id: int, notice_id: int, given: NoticeInput, reason: str
) -> list[dict]:
    """Correct a notice or fill in the reply. Filling an empty field needs no reason; changing
    one that had a value does, and keeps the old value, who and why."""
    require(db, actor, Action.PARTNER_NOTICES, IncidentRef(incident_id))
    row = _standing(db, incident_id, notice_id)
    now = clock.now()
    values, errors = plan(db, incident_id, given, now)
    reason = (reason or "").strip()
    new = {f: values[f] for f in sql.NOTICE_COLUMNS if f in values}
    changes = corrections.checked(row, new, reason, errors, missing=WHY, same=same, limit=MAX_REASON)
    if not changes:
        return []
    at = clock.to_iso(now)
    with store.write(db):
        for r in corrections.change_rows(
            changes, reason, actor, at, notice_id=notice_id, incident_id=incident_id
        ):
            sql.insert_change(db, r)
        sql.update_notice(db, notice_id, {c["field"]: c["new_value"] for c in changes})
        incident_sql.touch(db, incident_id, at)
        audit.append(
            db,
            actor,
            "partner_notice.correct",
            "incident",
            incident_id,
            partner_notice_id=notice_id,
            fields=[c["field"] for c in changes],
        )
    return changes


def withdraw(db: Database, actor: Actor, incident_id: int, notice_id: int, reason: str) -> None:
    """Withdraw a notice entered by mistake: the row stays, marked, with the reason."""
    require(db, actor, Action.PARTNER_NOTICES, IncidentRef(incident_id))
    _standing(db, incident_id, notice_id)
    reason = (reason or "").strip()
    if errors := corrections.reason_errors(reason, missing=WHY_WITHDRAWN, limit=MAX_REASON):
        raise InvalidInput(errors)
    at = clock.to_iso(clock.now())
    mark = corrections.marked("withdrawn", at)
    with store.write(db):
        sql.withdraw_notice(db, notice_id, actor.user_id, at, reason)
        for r in corrections.change_rows(
            mark, reason, actor, at, notice_id=notice_id, incident_id=incident_id
        ):
            sql.insert_change(db, r)
        incident_sql.touch(db, incident_id, at)
        audit.append(
            db, actor, "partner_notice.withdraw", "incident", incident_id, partner_notice_id=notice_id
        )


def notices_of(db: Database, incident_id: int) -> list[Notice]:
    """The incident's notices, withdrawn ones included (no permission check: callers check)."""
    return [_notice(r) for r in sql.notices(db, incident_id)]


def for_incident(db: Database, actor: Actor, incident_id: int) -> list[Notice]:
    require(db, actor, Action.PARTNER_NOTICES, IncidentRef(incident_id))
    return notices_of(db, incident_id)


def history(db: Database, actor: Actor, incident_id: int) -> list[NoticeChange]:
    """Every correction and withdrawal of the incident's notices, oldest first."""
    require(db, actor, Action.PARTNER_NOTICES, IncidentRef(incident_id))
    return [
        NoticeChange(
            notice_id=r["notice_id"],
            partner_name=r["partner_name"],
            **corrections.shown(r, FIELDS, readable),
            changed_at=clock.from_iso(r["changed_at"]),
        )
        for r in sql.changes(db, incident_id)
    ]


def register_texts(db: Database, ids: list[int]) -> dict[int, str]:
    """Per incident, the register's "Ketenpartners geïnformeerd": its standing notices, one a
    line (no permission check: the register checks)."""
    return {i: "\n".join(line(r) for r in rows) for i, rows in sql.standing_of(db, ids).items()}
