"""Evidence (bewijsstukken): files the FG attaches to an incident — a screenshot, the e-mail that
went wrong, the processor's report.

What a file is, is read from its bytes (magic numbers and structure), never from its name or
the type the browser sends, and only these are accepted:

* PNG, JPEG and GIF images (screenshots; GIF because older tools still save them);
* PDF (the processor's report, a scanned letter);
* Word (.docx) and Excel (.xlsx): a zip whose ``[Content_Types].xml`` names the main part of a
  document or a workbook; with macros (``vbaProject.bin``, .docm/.xlsm) refused;
* an e-mail as ``.eml`` (RFC 822: header lines with at least From and Date or Subject, then
  the message), stored as ``message/rfc822``;
* plain text in UTF-8 without control characters and without markup: a text that starts with
  ``<`` or holds an HTML or SVG tag anywhere is refused, so HTML and SVG never get in.

Refused on purpose: Outlook's ``.msg`` (an OLE file, the same container as old .doc and .xls with
macros, which cannot be told apart without parsing it; the message says to save the e-mail as
.eml or PDF), HTML, SVG, XML, other archives, executables, text in another encoding than UTF-8.

At most ``MAX_BYTES`` (10 MB), never empty. The content is stored once per SHA-256 inside the
database (never under a web root). The name is cleaned: no folders, control or direction
characters, at most ``MAX_NAME`` characters. Only the FG of the incident's organisation may
attach, list, remove or download (``Action.ATTACH_EVIDENCE``, ``Action.READ_EVIDENCE``). Every
step is audited with ids and codes (kind, size, hash), never the name or the note.

A download goes through the authenticated one-time route (``datalek.accounts.downloads``): the
screen offers the ``Download`` that ``download`` returns, the route serves it as an attachment
with the sniffed type and ``nosniff``. Its name is ``<reference>-bewijsstuk-<id>.<ext>``, not the
uploaded name, because the route writes the file name into the audit trail.

A removal keeps the row with the reason; the content stays until the retention purge (the
purge blanks names, notes and reasons, and deletes content no other unpurged row holds:
``datalek.store.evidence.purge``). A removed or purged file is not handed out any more.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from datalek import clock, store
from datalek.accounts import audit
from datalek.accounts.downloads import Download
from datalek.accounts.permissions import Action, IncidentRef, require
from datalek.models import Actor, InvalidInput
from datalek.store import evidence as sql
from datalek.store import incidents as incident_sql

MAX_BYTES = 10 * 1024 * 1024
MAX_NAME = 120
MAX_NOTE = 1000
MAX_REASON = 1000


@dataclass(frozen=True)
class Kind:
    """An allowed kind of file: its code (audit trail, extension), served type and Dutch label."""

    code: str
    media_type: str
    label: str
    extension: str


PNG = Kind("png", "image/png", "afbeelding (PNG)", "png")
JPEG = Kind("jpeg", "image/jpeg", "foto (JPEG)", "jpg")
GIF = Kind("gif", "image/gif", "afbeelding (GIF)", "gif")
PDF = Kind("pdf", "application/pdf", "PDF-document", "pdf")
_OOXML = "application/vnd.openxmlformats-officedocument."
DOCX = Kind("docx", _OOXML + "wordprocessingml.document", "Word-document (.docx)", "docx")
XLSX = Kind("xlsx", _OOXML + "spreadsheetml.sheet", "Excel-bestand (.xlsx)", "xlsx")
EML = Kind("eml", "message/rfc822", "e-mail (.eml)", "eml")
TEXT = Kind("txt", "text/plain; charset=utf-8", "tekst (.txt)", "txt")
KINDS = (PNG, JPEG, GIF, PDF, DOCX, XLSX, EML, TEXT)
_BY_TYPE = {k.media_type: k for k in KINDS}

NO_FILE = "Kies eerst een bestand."
EMPTY = "Dit bestand is leeg. Kies een ander bestand."
TOO_BIG = f"Dit bestand is te groot. Een bestand mag hoogstens {MAX_BYTES // (1024 * 1024)} MB zijn."
REFUSED = (
    "Dit soort bestand kan niet worden toegevoegd. Toegestaan: PNG, JPEG, GIF, PDF, Word (.docx), "
    "Excel (.xlsx), e-mail (.eml) en tekst (.txt)."
)
OUTLOOK = REFUSED + " Een e-mail uit Outlook? Sla die op als .eml of als PDF."
PURGED = "De gegevens van deze melding zijn opgeschoond na de bewaartermijn. Er kan geen bestand meer bij."
PURGED_FILE = "Dit bestand is opgeschoond na de bewaartermijn."
REMOVED = "Dit bestand is verwijderd. Het kan niet meer worden gedownload."
DAMAGED = "Dit bestand is beschadigd: de inhoud klopt niet met de controlecode. Meld dit aan de beheerder."

# --- what a file is, from its bytes ---------------------------------------------------------------

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SIGNATURES = ((b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG), (b"GIF87a", GIF), (b"GIF89a", GIF))
_OFFICE_MAIN = {f"{k.media_type}.main+xml".encode(): k for k in (DOCX, XLSX)}
_CONTENT_TYPE = re.compile(rb"""ContentType\s*=\s*["']([^"']+)["']""")
_MAX_CONTENT_TYPES = 1024 * 1024
#: What ``zipfile`` raises on a damaged or hostile archive: a bad header, a missing member, an
#: encrypted member (RuntimeError), a compression method it does not support
#: (NotImplementedError), a truncated stream. Each means "not an allowed office file".
_ZIP_ERRORS = (zipfile.BadZipFile, KeyError, RuntimeError, NotImplementedError, EOFError, ValueError, OSError)
_HEADER = re.compile(rb"[!-9;-~]+:")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_MARKUP = re.compile(
    r"<\s*(?:!doctype|html|head|body|script|svg|iframe|frame|object|embed|meta|link|style|math|\?xml)\b",
    re.IGNORECASE,
)
_BOM = b"\xef\xbb\xbf"


def _office(content: bytes) -> Kind | None:
    """DOCX or XLSX: a zip without macros whose content types name the main part of one."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if any(i.filename.lower().endswith("vbaproject.bin") for i in archive.infolist()):
                return None
            with archive.open("[Content_Types].xml") as types:
                listed = types.read(_MAX_CONTENT_TYPES + 1)
    except (*_ZIP_ERRORS, zlib.error):
        return None
    if len(listed) > _MAX_CONTENT_TYPES:
        return None
    found = {_OFFICE_MAIN[t] for t in _CONTENT_TYPE.findall(listed) if t in _OFFICE_MAIN}
    return found.pop() if len(found) == 1 else None


def _is_message(content: bytes) -> bool:
    """An RFC 822 message: header lines (with From, and Date or Subject) up to an empty line."""
    end = min((i for i in (content.find(b"\r\n\r\n"), content.find(b"\n\n")) if i >= 0), default=-1)
    if (end < 0 and len(content) > 65536) or end > 65536 or b"\x00" in content:
        return False
    head = content[: end if end >= 0 else None]
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    names = set()
    for number, line in enumerate(head.split(b"\n")):
        line = line.rstrip(b"\r")
        if number and line[:1] in (b" ", b"\t"):
            continue  # a header folded over more lines
        match = _HEADER.match(line)
        if not match:
            return False
        names.add(match.group(0)[:-1].lower())
    return b"from" in names and bool(names & {b"date", b"subject"})


def _is_text(content: bytes) -> bool:
    """Plain UTF-8 text without control characters and without HTML, SVG or XML in it."""
    try:
        text = content.removeprefix(_BOM).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not _CONTROL.search(text) and not text.lstrip().startswith("<") and not _MARKUP.search(text)


def sniff(content: bytes) -> Kind | None:
    """The allowed kind ``content`` is, or None."""
    for signature, kind in _SIGNATURES:
        if content.startswith(signature):
            return kind
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"PK\x03\x04"):
        return _office(content)
    if _is_message(content):
        return EML
    return TEXT if _is_text(content) else None


def clean_name(name: str, kind: Kind) -> str:
    """The uploaded name without folders, control or direction characters and runs of spaces,
    at most ``MAX_NAME`` characters (the extension kept); a name for a file without one."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(" " if ch.isspace() else ch for ch in name)
    name = " ".join("".join(ch for ch in name if ch.isprintable()).split()).strip(" .")
    if not name:
        return f"bewijsstuk.{kind.extension}"
    if len(name) > MAX_NAME:
        stem, dot, extension = name.rpartition(".")
        if dot and stem and len(extension) <= 10:
            name = stem[: MAX_NAME - len(extension) - 1].rstrip(" .") + "." + extension
        else:
            name = name[:MAX_NAME].rstrip(" .")
    return name


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
            kind=_BY_TYPE[row["media_type"]],
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
        errors["file"] = OUTLOOK if content.startswith(_OLE) else REFUSED
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
        audit.append(db, actor, "evidence.download", "incident", row["incident_id"], evidence_id=evidence_id)
    kind = _BY_TYPE[row["media_type"]]
    return Download(f"{reference}-bewijsstuk-{evidence_id}.{kind.extension}", kind.media_type, content)
