"""What an evidence file is, read from its bytes, and its uploaded name made safe to keep
(``datalek.handling.evidence`` attaches it).

Only these kinds are accepted (magic numbers and structure, never the name or the type the
browser sends):

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

The name is cleaned: no folders, control or direction characters, at most ``MAX_NAME``
characters. It can hold personal data ("klacht_jan_jansen.eml"): it is shown to the FG, never
written to the audit trail nor used as the name of a download.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass

MAX_NAME = 120


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
BY_TYPE = {k.media_type: k for k in KINDS}
#: The Dutch name of each kind by its code (the code the audit trail records).
LABELS = {k.code: k.label for k in KINDS}

REFUSED = (
    "Dit soort bestand kan niet worden toegevoegd. Toegestaan: PNG, JPEG, GIF, PDF, Word (.docx), "
    "Excel (.xlsx), e-mail (.eml) en tekst (.txt)."
)
OUTLOOK = REFUSED + " Een e-mail uit Outlook? Sla die op als .eml of als PDF."

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


def is_outlook(content: bytes) -> bool:
    """An OLE file (Outlook's .msg, old .doc and .xls): refused with a way out."""
    return content.startswith(_OLE)
