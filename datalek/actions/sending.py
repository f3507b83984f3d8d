"""Letters made and sent, on record (issue #15): the letter to one person on the informing list
or to a recipient group, kept as it was made, and the sending of it.

A letter to a person passes the one gate (``InformingList.may_make_letter``) inside the
transaction that stores it: the family's safety judged, the person not flagged, the family not
postponed, and the rules (or the FG's deviation) giving this person a letter, of exactly this
kind. A parents' letter is about the children the proposal names ("uw kinderen"). A letter to a
group passes the group's safety check (``informing.Overview.allowed``). Either is made from the
organisation's current template for that reader, and kept: the text, its SHA-256 and the
template's id and version (``letters``). The audit trail gets ids and codes, never the text.

Recording that a letter was sent is a notice (``subject_notices``) pointing to the letter and
the person: one person counts as one and is informed once (a second notice is refused while the
first stands); the gate is asked again, so a letter made before a person was flagged or the
family was postponed can never be recorded as sent. A group letter says how many got it.
Corrections and withdrawals: ``informing.correct_notice`` and ``informing.withdraw_notice``.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlite_utils import Database

from datalek import clock, store
from datalek.accounts import audit
from datalek.accounts.organisations import from_row as organisation
from datalek.accounts.permissions import Action, IncidentRef, require
from datalek.actions import informing, informing_list, letter_templates, letters
from datalek.actions.addressees import Addressee
from datalek.actions.household_rules import PURGED
from datalek.actions.informing_status import InformState
from datalek.actions.letters import LetterText
from datalek.actions.made_letters import (  # noqa: F401 - read through here too
    MadeLetter,
    MemberStatus,
    from_row,
    letters_made,
    member_status,
    read_letter,
    stored_letter,
)
from datalek.actions.notices import Channel, Notice
from datalek.actions.recipients import Proposal
from datalek.models import Actor, InvalidInput
from datalek.store import accounts as account_sql
from datalek.store import actions as sql
from datalek.store import assessments as assessment_sql
from datalek.store import incidents as incident_sql
from datalek.triage.facts import Facts

__all__ = [
    "InformState",
    "MadeLetter",
    "MemberStatus",
    "letters_made",
    "make_letter",
    "member_status",
    "read_letter",
    "record_sent",
    "stored_letter",
]

MAX_PEOPLE = 10_000_000


# --- making --------------------------------------------------------------------------------------


def _proposal(listed: informing_list.InformingList, member_id: int, on: date) -> Proposal:
    house = next(h for h in listed.households if any(m.id == member_id for m in h.members))
    return next(p for p in house.proposals(on) if p.member_id == member_id)


def _member_gate(db: Database, incident_id: int, member_id: int, reader: Addressee, on: date) -> Proposal:
    """The one gate for a letter to a person, and the kind of letter the proposal gives."""
    listed = informing_list.load(db, incident_id)
    allowed, why = listed.may_make_letter(member_id, on)
    if not allowed:
        raise InvalidInput({"recipient": why})
    proposal = _proposal(listed, member_id, on)
    if proposal.reader is not reader:
        raise InvalidInput({"reader": f"Kies voor deze persoon de brief voor: {proposal.reader.label}."})
    return proposal


def _group_gate(db: Database, incident_id: int, reader: Addressee) -> None:
    allowed, why = informing.load(db, incident_id).allowed(reader)
    if not allowed:
        raise InvalidInput({"recipient": why})


def _with_data(db: Database, incident_id: int, parts: LetterText) -> LetterText:
    """Without ``parts.data`` the letter names the data of the incident's latest assessment."""
    latest = assessment_sql.latest_assessment(db, incident_id)
    if parts.data or latest is None:
        return parts
    facts = Facts.model_validate_json(latest["facts"])
    return parts.model_copy(update={"data": letters.prefill(facts).data})


def make_letter(
    db: Database,
    actor: Actor,
    incident_id: int,
    reader: Addressee,
    parts: LetterText,
    *,
    member_id: int | None = None,
) -> MadeLetter:
    """Make and keep the letter for one person on the list (``member_id``) or for a recipient
    group (None). ``InvalidInput`` with the gate's Dutch reason under "recipient", a wrong kind
    of letter under "reader", a missing part under its own name. Audited with ids only."""
    owner = require(db, actor, Action.MAKE_LETTER, IncidentRef(incident_id))
    reader = Addressee(reader)
    if errors := parts.errors():
        raise InvalidInput(errors)
    org = organisation(account_sql.organisation(db, owner.org_id))
    now, today = clock.now(), clock.today()
    with store.write(db):
        row = incident_sql.incident(db, incident_id)
        if row["purged_at"]:
            raise InvalidInput({"form": PURGED})
        children = 1
        if member_id is None:
            _group_gate(db, incident_id, reader)
        else:
            proposal = _member_gate(db, incident_id, member_id, reader, today)
            children = len(proposal.about) if reader is Addressee.PARENTS else 1
        template = letter_templates.current(db, org.id, reader)
        letter = letters.compose(
            reader, _with_data(db, incident_id, parts), org, row["reference"], today, template, children
        )
        text = letter.to_text()
        letter_id = sql.insert_letter(
            db,
            {
                "incident_id": incident_id,
                "member_id": member_id,
                "reader": reader.value,
                "template_id": template.id,
                "template_version": template.version,
                "text": text,
                "sha256": letter.sha256,
                "made_by": actor.user_id,
                "made_at": clock.to_iso(now),
            },
        )
        incident_sql.touch(db, incident_id, clock.to_iso(now))
        audit.append(
            db, actor, "subjects.letter", "incident", incident_id,
            letter_id=letter_id, recipient=reader.value, member_id=member_id, template_version=template.version,
        )  # fmt: skip
    return MadeLetter(letter_id, incident_id, member_id, reader, template.version, letter.sha256, letter, now)


# --- sending, on record --------------------------------------------------------------------------


def _sent_errors(
    channel: Channel | None, sent_on: date | None, people_count: int | None, to_member: bool
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if channel is None:
        errors["channel"] = "Kies hoe de brief is verstuurd."
    if sent_on is None:
        errors["sent_on"] = "Kies de datum waarop de brief is verstuurd."
    elif sent_on > clock.today():
        errors["sent_on"] = "Deze datum ligt in de toekomst."
    if to_member:
        if people_count not in (None, 1):
            errors["people_count"] = "Een brief aan één persoon telt voor 1 persoon."
    elif people_count is None or people_count < 1:
        errors["people_count"] = "Vul in hoeveel ontvangers deze brief kregen (minstens 1)."
    elif people_count > MAX_PEOPLE:
        errors["people_count"] = "Dit aantal is te groot."
    return errors


def _local_day(moment: datetime) -> date:
    return moment.astimezone(clock.AMSTERDAM).date()


def record_sent(
    db: Database,
    actor: Actor,
    letter_id: int,
    channel: Channel | None,
    sent_on: date | None,
    people_count: int | None = None,
) -> Notice:
    """Record that a letter made was sent: how (``channel``) and when (``sent_on``); for a group
    letter also to how many. The gate is asked again. ``InvalidInput`` per field in Dutch; a
    person informed already: "Al verstuurd op dd-mm-jjjj" under "recipient"."""
    row = sql.letter(db, letter_id)
    incident_id = row["incident_id"] if row else 0  # an unknown letter: refused like someone else's
    require(db, actor, Action.RECORD_NOTICE, IncidentRef(incident_id))
    member_id, reader = row["member_id"], Addressee(row["reader"])
    errors = _sent_errors(channel, sent_on, people_count, member_id is not None)
    at = clock.to_iso(clock.now())
    with store.write(db):
        incident = incident_sql.incident(db, incident_id)
        if incident["purged_at"]:
            raise InvalidInput({"form": PURGED})
        if sent_on and "sent_on" not in errors:
            if sent_on < _local_day(clock.from_iso(incident["aware_at"])):
                errors["sent_on"] = "Deze datum ligt vóór het ontdekken van het datalek."
            elif sent_on < _local_day(clock.from_iso(row["made_at"])):
                errors["sent_on"] = "Deze datum ligt vóór het maken van de brief."
        if member_id is None:
            try:
                _group_gate(db, incident_id, reader)
            except InvalidInput as refused:
                errors |= refused.errors
        elif standing := sql.standing_notice(db, member_id):
            errors["recipient"] = f"Al verstuurd op {date.fromisoformat(standing['informed_on']):%d-%m-%Y}."
        else:
            try:
                _member_gate(db, incident_id, member_id, reader, sent_on or clock.today())
            except InvalidInput as refused:
                errors |= {"recipient": " ".join(refused.errors.values())}
        if errors:
            raise InvalidInput(errors)
        count = 1 if member_id is not None else people_count
        notice_id = sql.insert_subject_notice(
            db,
            {
                "incident_id": incident_id,
                "recipient": reader.value,
                "people_count": count,
                "informed_on": sent_on.isoformat(),
                "channel": channel.value,
                "recorded_by": actor.user_id,
                "recorded_at": at,
                "member_id": member_id,
                "letter_id": letter_id,
            },
        )
        incident_sql.touch(db, incident_id, at)
        audit.append(
            db, actor, "subjects.notice", "incident", incident_id,
            recipient=reader.value, people_count=count, channel=channel.value, letter_id=letter_id,
            member_id=member_id,
        )  # fmt: skip
    return Notice(reader, count, sent_on, channel, notice_id, member_id=member_id, letter_id=letter_id)
