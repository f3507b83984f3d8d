"""Letters made, read back (issue #15): each letter as it was made, from the text kept with it
(``letters``: the text, its SHA-256, the template's id and version), never composed again from
today's template; offered again only while the text still has its SHA-256 (``stored_letter``);
and per person on the informing list, the letters made and where the person stands
(``member_status``). Made and sent by ``sending``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlite_utils import Database

from datalek import clock
from datalek.accounts.permissions import Action, IncidentRef, require
from datalek.actions import informing, informing_list, letter_texts, letters
from datalek.actions.addressees import Addressee
from datalek.actions.informing_status import InformState, Standing, standings
from datalek.actions.letters import Letter
from datalek.actions.notices import Notice
from datalek.actions.recipients import Proposal
from datalek.models import Actor, InvalidInput
from datalek.store import actions as sql

#: A letter whose stored text no longer has its stored SHA-256 (changed outside the app).
ALTERED = (
    "Deze brief is na het maken veranderd: de tekst past niet meer bij de vingerafdruk (SHA-256) "
    "die toen is vastgelegd. Download hem daarom niet. Meld dit aan de beheerder."
)


@dataclass(frozen=True)
class MadeLetter:
    id: int
    incident_id: int
    member_id: int | None  # None: a letter to a recipient group
    reader: Addressee
    template_version: int
    sha256: str
    letter: Letter
    made_at: datetime
    intact: bool = True  # the stored text still has the stored SHA-256


# --- reading back --------------------------------------------------------------------------------


def _heading(line: str) -> re.Pattern:
    """A template's heading as a pattern: its placeholders may have become any text."""
    parts = letters.PLACEHOLDER.split(line)
    return re.compile(".*?".join(re.escape(p) for p in parts[::2]))


def _trim(lines: list[str]) -> list[str]:
    while lines and not lines[-1]:
        lines = lines[:-1]
    return lines


def read_letter(text: str, template_body: str, reference: str, version: int) -> Letter:
    """The letter as made, from its stored text and the template it came from: the template
    says whether there is a salutation and which lines are headings. Always
    ``read_letter(...).to_text() == text``: a text that cannot be read so becomes its title and
    one part with the rest."""
    lines = text.rstrip("\n").split("\n")
    rest = "\n".join(lines[4:])
    plain = Letter(lines[0], "", [("", rest)] if rest else [], reference, version)
    template = template_body.strip("\n").split("\n")
    if template[0].startswith("# "):
        template = template[1:]
    first = next((i for i, t in enumerate(template) if t.startswith("## ")), len(template))
    patterns = [_heading(t[3:].strip()) for t in template[first:] if t.startswith("## ")]
    start, salutation = 4, ""
    if any(t.strip() for t in template[:first]) and len(lines) > 5 and lines[5] == "":
        start, salutation = 6, lines[4]
    sections: list[tuple[str, list[str]]] = [("", [])]
    k = 0
    for j in range(start, len(lines)):
        after_blank = j == start or lines[j - 1] == ""
        found = next(
            (p for p in range(k, len(patterns)) if after_blank and patterns[p].fullmatch(lines[j])), None
        )
        if found is None:
            sections[-1][1].append(lines[j])
        else:
            sections.append((lines[j], []))
            k = found + 1
    parts = [(heading, "\n".join(_trim(body))) for heading, body in sections]
    read = Letter(lines[0], salutation, [(h, t) for h, t in parts if h or t], reference, version)
    return read if read.to_text() == text else plain


def from_row(row: dict) -> MadeLetter:
    """A letter made, as ``store.actions.letter`` gives it."""
    reader = Addressee(row["reader"])
    body = row["template_body"] or letter_texts.builtin(reader).body
    letter = read_letter(row["text"], body, row["reference"], row["template_version"])
    return MadeLetter(
        row["id"],
        row["incident_id"],
        row["member_id"],
        reader,
        row["template_version"],
        row["sha256"],
        letter,
        clock.from_iso(row["made_at"]),
        hashlib.sha256(row["text"].encode("utf-8")).hexdigest() == row["sha256"],
    )


def letters_made(db: Database, actor: Actor, incident_id: int) -> list[MadeLetter]:
    """Every letter made for the incident, in the order made."""
    require(db, actor, Action.READ_INFORMING, IncidentRef(incident_id))
    return [from_row(r) for r in sql.letters(db, incident_id)]


def stored_letter(db: Database, actor: Actor, letter_id: int) -> MadeLetter:
    """One letter made, to offer again (DOCX and text): rebuilt from the text kept when it was
    made, never from today's template. ``InvalidInput`` ({"letter": ALTERED}) when that text no
    longer has the SHA-256 kept with it: then nothing is offered. An unknown letter is refused
    like someone else's."""
    row = sql.letter(db, letter_id)
    require(db, actor, Action.READ_INFORMING, IncidentRef(row["incident_id"] if row else 0))
    made = from_row(row)
    if not made.intact:
        raise InvalidInput({"letter": ALTERED})
    return made


# --- each person's standing ----------------------------------------------------------------------


@dataclass(frozen=True)
class MemberStatus:
    """Per person on the list: the proposal, may a letter be made (and why not), the letters
    made, the standing notice (sent when and how), and where the person stands, with the
    reason when not informed (postponed, flagged, no letter by the rules or the FG's choice)."""

    member_id: int
    household_id: int
    proposal: Proposal
    may_make: bool
    why_not: str
    letters: tuple[MadeLetter, ...]
    notice: Notice | None
    state: InformState
    reason: str


def _status(standing: Standing, made: tuple[MadeLetter, ...]) -> MemberStatus:
    s = standing
    return MemberStatus(
        s.member_id, s.household_id, s.proposal, s.may_make, s.why_not, made, s.notice, s.state, s.reason
    )


def member_status(db: Database, actor: Actor, incident_id: int, on: date) -> dict[int, MemberStatus]:
    """Per person on the incident's list (by id), on the date of informing ``on``."""
    require(db, actor, Action.READ_INFORMING, IncidentRef(incident_id))
    made: dict[int, list[MadeLetter]] = {}
    for letter in (from_row(r) for r in sql.letters(db, incident_id)):
        if letter.member_id is not None:
            made.setdefault(letter.member_id, []).append(letter)
    found = standings(informing_list.load(db, incident_id), informing.load(db, incident_id).notices, on)
    return {member_id: _status(s, tuple(made.get(member_id, ()))) for member_id, s in found.items()}
