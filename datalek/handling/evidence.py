"""Evidence (bewijsstukken): files the FG attaches to an incident — a screenshot, the e-mail that
went wrong, the processor's report.

What a file is, is read from its bytes against an allow-list (``datalek.handling.evidence_files``:
PNG, JPEG, GIF, PDF, .docx and .xlsx without macros, .eml, plain UTF-8 text without markup); its
uploaded name is cleaned there too.

At most ``MAX_BYTES`` (10 MB), never empty. The content is stored once per SHA-256 inside the
database (never under a web root). Only the FG of the incident's organisation may attach, list,
remove or download (``Action.ATTACH_EVIDENCE``, ``Action.READ_EVIDENCE``). Every step is audited
with ids and codes (the evidence id, kind, size, hash), never the name or the note: an uploaded
name can hold personal data ("klacht_jan_jansen.eml").

A download goes through the authenticated one-time route (``datalek.accounts.downloads``): the
screen offers the ``Download`` that ``download`` returns, the route serves it as an attachment
with the sniffed type and ``nosniff``. Its name is ``<reference>-bewijsstuk-<id>.<ext>``, not the
uploaded name, because the route writes the file name into the audit trail; the download itself
is audited with the evidence id and the hash of what was handed out.

A removal keeps the row with the reason; the content stays until the retention purge (the
purge blanks names, notes and reasons, and deletes content no other unpurged row holds:
``datalek.store.evidence.purge``). A removed or purged file is not handed out any more.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from datalek import clock, store
from datalek.accounts import audit
from datalek.accounts.downloads import Download
from datalek.accounts.permissions import Action, IncidentRef, require
from datalek.handling.evidence_files import BY_TYPE, OUTLOOK, REFUSED, Kind, clean_name, is_outlook, sniff
from datalek.models import Actor, InvalidInput
from datalek.store import evidence as sql
from datalek.store import incidents as incident_sql

MAX_BYTES = 10 * 1024 * 1024
MAX_NOTE = 1000
MAX_REASON = 1000


NO_FILE = "Kies eerst een bestand."
EMPTY = "Dit bestand is leeg. Kies een ander bestand."
TOO_BIG = f"Dit bestand is te groot. Een bestand mag hoogstens {MAX_BYTES // (1024 * 1024)} MB zijn."
PURGED = "De gegevens van deze melding zijn opgeschoond na de bewaartermijn. Er kan geen bestand meer bij."
PURGED_FILE = "Dit bestand is opgeschoond na de bewaartermijn."
REMOVED = "Dit bestand is verwijderd. Het kan niet meer worden gedownload."
DAMAGED = "Dit bestand is beschadigd: de inhoud klopt niet met de controlecode. Meld dit aan de beheerder."

# --- the files of an incident --------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    id: int
    incident_id: int
    file_name: str
    kind: Kind
    size: int
    sha256: str
    note: str
    added_by_name: str
    added_at: datetime
    removed_at: datetime | None = None
    removed_by_name: str = ""
    removed_reason: str = ""
    purged_at: datetime | None = None

    @classmethod
    def from_row(cls, row: dict) -> Evidence:
        return cls(
            id=row["id"],
            incident_id=row["incident_id"],
            file_name=row["file_name"],
            kind=BY_TYPE[row["media_type"]],
            size=row["size"],
            sha256=row["sha256"],
            note=row["note"],
            added_by_name=row.get("added_by_name") or "",
            added_at=clock.from_iso(row["added_at"]),
            removed_at=clock.from_iso(row["removed_at"]),
            removed_by_name=row.get("removed_by_name") or "",
            removed_reason=row["removed_reason"],
            purged_at=clock.from_iso(row["purged_at"]),
        )

    @property
    def media_type(self) -> str:
        return self.kind.media_type

    @property
    def removed(self) -> bool:
        return self.removed_at is not None

    @property
    def purged(self) -> bool:
        return self.purged_at is not None

    @property
    def size_label(self) -> str:
        """The size as a person reads it: "812 bytes", "14 kB", "2,3 MB"."""
        if self.size < 1024:
            return f"{self.size} bytes"
        if self.size < 1024 * 1024:
            return f"{round(self.size / 1024)} kB"
        return f"{self.size / (1024 * 1024):.1f} MB".replace(".", ",")


def _length_errors(field: str, text: str, limit: int) -> dict[str, str]:
    return {field: f"Dit is te lang: gebruik hoogstens {limit} tekens."} if len(text) > limit else {}


def attach(
    db: Database, actor: Actor, incident_id: int, file_name: str, content: bytes, note: str = ""
) -> Evidence:
    """Attach a file to an incident; ``InvalidInput`` (field "file" or "note") when refused."""
    require(db, actor, Action.ATTACH_EVIDENCE, IncidentRef(incident_id))
    content, note = bytes(content or b""), (note or "").strip()
    errors = _length_errors("note", note, MAX_NOTE)
    kind = sniff(content) if 0 < len(content) <= MAX_BYTES else None
    if not content:
        errors["file"] = EMPTY if file_name else NO_FILE
    elif len(content) > MAX_BYTES:
        errors["file"] = TOO_BIG
    elif kind is None:
        errors["file"] = OUTLOOK if is_outlook(content) else REFUSED
    if errors:
        raise InvalidInput(errors)
    digest = hashlib.sha256(content).hexdigest()
    at = clock.to_iso(clock.now())
    with store.write(db):
        if incident_sql.incident(db, incident_id)["purged_at"]:
            raise InvalidInput({"file": PURGED})
        if same := sql.standing_with_hash(db, incident_id, digest):
            when = clock.format_local(clock.from_iso(same["added_at"]))
            raise InvalidInput({"file": f"Dit bestand hoort al bij deze melding (toegevoegd op {when})."})
        sql.store_blob(db, digest, content)
        row = {
            "incident_id": incident_id,
            "file_name": clean_name(file_name, kind),
            "media_type": kind.media_type,
            "size": len(content),
            "sha256": digest,
            "note": note,
            "added_by": actor.user_id,
            "added_at": at,
        }
        evidence_id = sql.insert(db, row)
        incident_sql.touch(db, incident_id, at)
        audit.append(
            db,
            actor,
            "evidence.attach",
            "incident",
            incident_id,
            evidence_id=evidence_id,
            kind=kind.code,
            size=len(content),
            sha256=digest,
        )
        added = Evidence.from_row(sql.row(db, evidence_id))
    return added


def list_for(db: Database, actor: Actor, incident_id: int) -> list[Evidence]:
    """The incident's files, oldest first, the removed and purged ones included (marked)."""
    require(db, actor, Action.READ_EVIDENCE, IncidentRef(incident_id))
    return [Evidence.from_row(r) for r in sql.for_incident(db, incident_id)]


def _incident_of(db: Database, evidence_id: int) -> int:
    """The incident a file belongs to; 0 (no incident: refused like a foreign one) if unknown."""
    row = sql.row(db, evidence_id)
    return row["incident_id"] if row else 0


def remove(db: Database, actor: Actor, evidence_id: int, reason: str) -> Evidence:
    """Remove a file attached by mistake: the row stays with the reason, the content until the
    retention purge; it is no longer handed out."""
    require(db, actor, Action.ATTACH_EVIDENCE, IncidentRef(_incident_of(db, evidence_id)))
    reason = (reason or "").strip()
    errors = _length_errors("reason", reason, MAX_REASON)
    if not reason:
        errors["reason"] = "Schrijf waarom je dit bestand verwijdert."
    if errors:
        raise InvalidInput(errors)
    at = clock.to_iso(clock.now())
    with store.write(db):
        row = sql.row(db, evidence_id)
        if not sql.remove(db, evidence_id, actor.user_id, reason, at):
            raise InvalidInput(
                {"reason": PURGED_FILE if row["purged_at"] else "Dit bestand is al verwijderd."}
            )
        incident_sql.touch(db, row["incident_id"], at)
        audit.append(db, actor, "evidence.remove", "incident", row["incident_id"], evidence_id=evidence_id)
        removed = Evidence.from_row(sql.row(db, evidence_id))
    return removed


def download(db: Database, actor: Actor, evidence_id: int) -> Download:
    """The file, to offer through the download route (``Action.READ_EVIDENCE`` on its
    incident); audited. ``InvalidInput`` (field "download") for a removed, purged or damaged file."""
    require(db, actor, Action.READ_EVIDENCE, IncidentRef(_incident_of(db, evidence_id)))
    with store.write(db):
        row = sql.row(db, evidence_id)
        if row["purged_at"]:
            raise InvalidInput({"download": PURGED_FILE})
        if row["removed_at"]:
            raise InvalidInput({"download": REMOVED})
        content = sql.blob(db, row["sha256"])
        if content is None or hashlib.sha256(content).hexdigest() != row["sha256"]:
            raise InvalidInput({"download": DAMAGED})
        reference = incident_sql.incident(db, row["incident_id"])["reference"]
        audit.append(
            db,
            actor,
            "evidence.download",
            "incident",
            row["incident_id"],
            evidence_id=evidence_id,
            sha256=row["sha256"],
        )
    kind = BY_TYPE[row["media_type"]]
    return Download(f"{reference}-bewijsstuk-{evidence_id}.{kind.extension}", kind.media_type, content)
