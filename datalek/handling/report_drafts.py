"""A report being written survives a reload: the answers typed so far, kept per account.

A reload (F5) starts a new Streamlit session with nothing in it. So while an employee fills
in the report form, the answers are stored as a *draft*: one row per account, the answers as
JSON, and when they last changed. The report page brings a draft back when it opens in a new
session, with a notice; sending the report deletes it in the same transaction
(``incidents.submit_report``), and so does the employee's "throw away" button. A draft older
than ``MAX_AGE`` is deleted unread: by any read or write of drafts, and by the retention
purge (``retention.purge``).

A draft holds what the employee typed, identifiers included: the choice to replace an
identifier is made after "Versturen" (``intake.redaction``), and until then the typed text is
all there is — the same text a failed save keeps in the session for a second try. A draft is
personal data, so only its owner may write, read or delete it (``Action.REPORT_DRAFT``).

The answers are the report form's, by name (``FIELDS``); ``encode`` and ``decode`` keep only
known names with values that fit, so a stored draft can always be put back into the form.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import Enum
from typing import Any

from sqlite_utils import Database

from datalek import clock, store
from datalek.accounts.permissions import AccountRef, Action, require
from datalek.intake.report import MAX_DESCRIPTION, MAX_SHORT_TEXT
from datalek.intake.situations import (
    CountKind,
    DataKind,
    Occurrence,
    Protection,
    Recipient,
    Retrieval,
    Situation,
    SubjectGroup,
)
from datalek.models import Actor
from datalek.store import report_drafts as sql

MAX_AGE = timedelta(hours=24)
MAX_COUNT = 100_000_000

Codec = tuple[Callable[[Any], Any], Callable[[Any], Any]]  # (to JSON, from JSON); None = drop


def _choice(enum: type[Enum]) -> Codec:
    values = {e.value for e in enum}

    def check(value):
        return value if isinstance(value, str) and value in values else None

    return check, check


def _choices(enum: type[Enum]) -> Codec:
    values = [e.value for e in enum]

    def check(value):
        if not isinstance(value, list | tuple):
            return None
        chosen = {v for v in value if isinstance(v, str)}
        return [v for v in values if v in chosen] or None  # the form's order, no repeats

    return check, check


def _text(limit: int) -> Codec:
    """Free text, at most twice the form's limit (a replaced identifier may make it longer
    than the form allows; the form then says so). Whitespace only counts as empty."""

    def check(value):
        return value[: 2 * limit] if isinstance(value, str) and value.strip() else None

    return check, check


def _whole(low: int, high: int) -> Codec:
    def check(value):
        ok = isinstance(value, int) and not isinstance(value, bool) and low <= value <= high
        return value if ok else None

    return check, check


def _date() -> Codec:
    def out(value):
        return value.isoformat() if isinstance(value, date) and not isinstance(value, datetime) else None

    def back(value):
        try:
            return date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            return None

    return out, back


def _time() -> Codec:
    def out(value):
        return value.replace(tzinfo=None).isoformat("minutes") if isinstance(value, time) else None

    def back(value):
        try:
            return time.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            return None

    return out, back


#: The report form's answers by name (the form's widget keys without their ``r_``).
FIELDS: dict[str, Codec] = {
    "situation": _choice(Situation),
    "occurrence": _choice(Occurrence),
    "from_date": _date(),
    "from_time": _time(),
    "to_date": _date(),
    "to_time": _time(),
    "found_date": _date(),
    "found_time": _time(),
    "org": _whole(1, 2**63 - 1),
    "department": _text(100),
    "data_kinds": _choices(DataKind),
    "subject_groups": _choices(SubjectGroup),
    "count_kind": _choice(CountKind),
    "count": _whole(0, MAX_COUNT),
    "protection": _choice(Protection),
    "recipients": _choices(Recipient),
    "retrieval": _choice(Retrieval),
    "actions": _text(MAX_SHORT_TEXT),
    "description": _text(MAX_DESCRIPTION),
}
#: Filled in by the form itself (the discovery moment defaults to now): alone, not worth a draft.
PREFILLED = frozenset({"found_date", "found_time"})


def encode(answers: dict) -> dict:
    """The answers as JSON values: unknown names, empty and unfitting values left out."""
    found = {}
    for name, (out, _) in FIELDS.items():
        value = out(answers.get(name))
        if value is not None:
            found[name] = value
    return found


def decode(data: Any) -> dict:
    """Stored JSON values back as the form's values; anything that does not fit is left out."""
    if not isinstance(data, dict):
        return {}
    found = {}
    for name, (_, back) in FIELDS.items():
        value = back(data.get(name))
        if value is not None:
            found[name] = value
    return found


def is_empty(encoded: dict) -> bool:
    """Nothing typed: no answer beyond what the form fills in by itself."""
    return set(encoded) <= PREFILLED


def as_text(encoded: dict) -> str:
    """One text per set of answers, to store and to compare; '' when nothing was typed."""
    if is_empty(encoded):
        return ""
    return json.dumps(encoded, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class Draft:
    """A draft as the form takes it back: the answers, and when they were last stored."""

    answers: dict
    updated_at: datetime
    text: str  # ``as_text`` of the answers, to compare with later answers


def restored_message(updated_at: datetime, now: datetime | None = None) -> str:
    """The notice above the form after a reload (Dutch, for the employee)."""
    local = clock.to_utc(updated_at).astimezone(clock.AMSTERDAM)
    today = clock.to_utc(now or clock.now()).astimezone(clock.AMSTERDAM).date()
    day = "vandaag" if local.date() == today else local.strftime("%d-%m-%Y")
    return (
        f"We hebben je melding van {day} om {local:%H:%M} teruggezet. Je was hiermee bezig "
        "toen de pagina opnieuw werd geladen. Kijk je antwoorden na en verstuur de melding. "
        "Verstuur je hem niet, dan gooien we hem 24 uur na je laatste wijziging weg."
    )


def _cutoff(at: datetime) -> str:
    return clock.to_iso(clock.to_utc(at) - MAX_AGE)


def keep(
    db: Database, actor: Actor, user_id: int, answers: dict, last: str | None, at: datetime | None = None
) -> str:
    """Store ``answers`` as the draft of account ``user_id`` (its owner only), unless they are
    what this session stored or brought back last (``last``, an earlier result of this call
    or ``Draft.text``): then nothing is written. Nothing typed deletes the draft.

    Returns the text of the answers, to pass as ``last`` next time. One ``BEGIN IMMEDIATE``
    write when the answers changed, which also deletes every draft past ``MAX_AGE``."""
    require(db, actor, Action.REPORT_DRAFT, AccountRef(user_id))
    text = as_text(encode(answers))
    if text == last:
        return text
    at = at or clock.now()
    with store.write(db):
        sql.delete_older_than(db, _cutoff(at))
        if text:
            sql.put(db, user_id, text, clock.to_iso(at))
        else:
            sql.delete(db, user_id)
    return text


def load(db: Database, actor: Actor, user_id: int, at: datetime | None = None) -> Draft | None:
    """The draft of account ``user_id`` (its owner only), or None. Drafts past ``MAX_AGE``
    are deleted first (a write only when there are any); an organisation the owner no longer
    works for is left out of the answers."""
    require(db, actor, Action.REPORT_DRAFT, AccountRef(user_id))
    at = at or clock.now()
    cutoff = _cutoff(at)
    if sql.any_older_than(db, cutoff):
        with store.write(db):
            sql.delete_older_than(db, cutoff)
    row = sql.of_user(db, user_id)
    if row is None or row["updated_at"] < cutoff:
        return None
    try:
        answers = decode(json.loads(row["answers"]))
    except ValueError:
        answers = {}
    if answers.get("org") not in actor.org_ids:
        answers.pop("org", None)
    text = as_text(encode(answers))
    if not text:
        return None
    return Draft(answers, clock.from_iso(row["updated_at"]), text)


def discard(db: Database, actor: Actor, user_id: int) -> None:
    """Throw away the draft of account ``user_id`` (its owner only)."""
    require(db, actor, Action.REPORT_DRAFT, AccountRef(user_id))
    with store.write(db):
        sql.delete(db, user_id)


def delete_expired(db: Database, at: datetime) -> int:
    """Delete every draft past ``MAX_AGE`` at ``at``; the caller holds the write transaction
    and has checked its own permission (``retention.purge``)."""
    return sql.delete_older_than(db, _cutoff(at))
