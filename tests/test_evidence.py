"""Evidence attached to an incident (``datalek.handling.evidence``): the type sniffed from the
bytes against an allow-list, a size limit, content stored once per SHA-256, only the FG of the
incident's organisation, audited with codes only, handed out through the authenticated download
route as an attachment, and purged with the incident's words by the retention rules."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path

import docx
import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image
from starlette.applications import Starlette
from starlette.testclient import TestClient

from datalek import clock, store
from datalek.accounts import audit, downloads, sessions
from datalek.accounts.permissions import Action, IncidentRef, PermissionDenied
from datalek.handling import evidence, evidence_files, incidents, retention
from datalek.models import Actor, InvalidInput
from tests.conftest import NOW, make_report
from web.routes import routes

# --- real files, made by the libraries that write them ------------------------------------------


def image(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 30, 30)).save(out, fmt)
    return out.getvalue()


def word() -> bytes:
    document = docx.Document()
    document.add_paragraph("Verslag van de verwerker.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def excel() -> bytes:
    book = openpyxl.Workbook()
    book.active["A1"] = "Kenmerk"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zipped(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return out.getvalue()


def with_entry(archive: bytes, name: str, data: bytes) -> bytes:
    """``archive`` with one more entry (a Word file with macros, say)."""
    with zipfile.ZipFile(io.BytesIO(archive)) as z:
        entries = {info.filename: z.read(info) for info in z.infolist()}
    return zipped({**entries, name: data})


PNG, JPEG, GIF = image("PNG"), image("JPEG"), image("GIF")
DOCX, XLSX = word(), excel()
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EML = (
    b"From: Team Jeugd <jeugd@gemeente.invalid>\r\nTo: ouder@voorbeeld.invalid\r\n"
    b"Subject: Verslag\r\nDate: Thu, 19 Nov 2026 09:12:00 +0100\r\nMIME-Version: 1.0\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n\r\nBeste ouder, hierbij het verslag.\r\n"
)
EML_HTML = (
    b"Received: from mail.gemeente.invalid\r\nFrom: jeugd@gemeente.invalid\r\n"
    b"Subject: =?utf-8?q?Verslag?=\r\nContent-Type: multipart/alternative;\r\n"
    b' boundary="b1"\r\n\r\n--b1\r\nContent-Type: text/html\r\n\r\n<html><b>Beste ouder</b></html>\r\n'
    b"--b1--\r\n"
)
TXT = "Tijdlijn:\n09:12 mail verstuurd\n09:40 ontvanger belde terug – €0\n".encode()
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504  # Outlook .msg, old .doc/.xls
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
PNG_TYPE = "image/png"
TEXT_TYPE = "text/plain; charset=utf-8"

#: (what, file name as uploaded, the bytes, the type stored; None: refused)
ALLOW_LIST = [
    ("png", "scherm.png", PNG, PNG_TYPE),
    ("jpeg", "foto.jpg", JPEG, "image/jpeg"),
    ("gif", "scherm.gif", GIF, "image/gif"),
    ("pdf", "rapport-verwerker.pdf", PDF, "application/pdf"),
    ("docx", "verslag.docx", DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("xlsx", "lijst.xlsx", XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("eml", "de-mail.eml", EML, "message/rfc822"),
    ("eml with an html part", "de-mail.eml", EML_HTML, "message/rfc822"),
    ("plain text", "tijdlijn.txt", TXT, TEXT_TYPE),
    ("text with a byte order mark", "notitie.txt", b"\xef\xbb\xbfNotitie", TEXT_TYPE),
    ("a png renamed .pdf is a png", "rapport.pdf", PNG, PNG_TYPE),
    ("a png without a name", "", PNG, PNG_TYPE),
    ("html renamed .png", "scherm.png", HTML, None),
    ("html without a doctype", "scherm.png", b"  <html><body>hallo</body></html>", None),
    ("html after some text", "notitie.txt", b"Zie hieronder.\n<script>alert(1)</script>\n", None),
    ("svg", "logo.svg", SVG, None),
    ("svg renamed .png", "logo.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', None),
    ("svg after a blank line, as .txt", "a.txt", b"\n\n<svg onload=alert(1)>", None),
    ("xml", "data.txt", b'<?xml version="1.0"?><a/>', None),
    ("a zip that is not docx", "verslag.docx", zipped({"notities.txt": b"hallo"}), None),
    (
        "a zip naming another office type",
        "verslag.docx",
        zipped({"[Content_Types].xml": b'<Types><Override ContentType="application/x-other"/></Types>'}),
        None,
    ),
    ("a word file with macros", "verslag.docx", with_entry(DOCX, "word/vbaProject.bin", b"\x00"), None),
    ("a broken zip", "verslag.docx", b"PK\x03\x04" + b"\x00" * 40, None),
    ("an exe renamed .pdf", "rapport.pdf", EXE, None),
    ("an exe", "setup.exe", EXE, None),
    ("elf", "tool", ELF, None),
    ("outlook .msg (ole)", "de-mail.msg", OLE, None),
    ("text that is not utf-8", "notitie.txt", "café".encode("latin-1"), None),
    ("text with a nul byte", "notitie.txt", b"abc\x00def", None),
    ("bmp", "scherm.bmp", b"BM" + b"\x00" * 60, None),
    ("webp", "scherm.webp", b"RIFF\x00\x00\x00\x00WEBPVP8 ", None),
]


@pytest.mark.parametrize(("what", "name", "content", "expected"), ALLOW_LIST, ids=[r[0] for r in ALLOW_LIST])
def test_the_type_is_sniffed_from_the_bytes_against_the_allow_list(
    fresh_db, world, incident, what, name, content, expected
):
    if expected is None:
        with pytest.raises(InvalidInput) as refused:
            evidence.attach(fresh_db, world["dpo"], incident, name, content)
        assert refused.value.errors["file"].startswith("Dit soort bestand kan niet worden toegevoegd.")
        assert "Toegestaan: " in refused.value.errors["file"]
        assert count(fresh_db, "evidence") == count(fresh_db, "evidence_blobs") == 0
    else:
        added = evidence.attach(fresh_db, world["dpo"], incident, name, content)
        assert added.media_type == expected
        (row,) = fresh_db.query("SELECT media_type, size, sha256 FROM evidence")
        assert row == {"media_type": expected, "size": len(content), "sha256": sha(content)}


def test_an_outlook_message_is_refused_with_a_way_out(fresh_db, world, incident):
    with pytest.raises(InvalidInput) as refused:
        evidence.attach(fresh_db, world["dpo"], incident, "mail.msg", OLE)
    assert "Outlook" in refused.value.errors["file"] and ".eml" in refused.value.errors["file"]


@given(st.binary(max_size=200))
def test_a_png_signature_makes_a_png_whatever_follows(tail):
    assert evidence_files.sniff(b"\x89PNG\r\n\x1a\n" + tail).media_type == PNG_TYPE


@given(st.text(max_size=200), st.sampled_from(["<svg", "<html", "<!doctype html", "<SCRIPT", "<?xml"]))
def test_markup_is_never_accepted_as_text(text, tag):
    assert evidence_files.sniff(("\n " + tag + text).encode()) is None
    assert evidence_files.sniff((text + "\n" + tag + " x").encode()) is None or tag == "<?xml"


@given(st.binary(max_size=300))
def test_whatever_is_accepted_is_one_of_the_allowed_types(content):
    kind = evidence_files.sniff(content)
    assert kind is None or kind in evidence_files.KINDS


# --- size, emptiness, names -------------------------------------------------------------------


def test_the_size_limit_is_ten_megabytes(fresh_db, world, incident):
    assert evidence.MAX_BYTES == 10 * 1024 * 1024
    at_limit = PNG + b"\x00" * (evidence.MAX_BYTES - len(PNG))
    assert evidence.attach(fresh_db, world["dpo"], incident, "groot.png", at_limit).size == evidence.MAX_BYTES
    with pytest.raises(InvalidInput) as refused:
        evidence.attach(fresh_db, world["dpo"], incident, "te-groot.png", at_limit + b"\x00")
    assert refused.value.errors == {"file": "Dit bestand is te groot. Een bestand mag hoogstens 10 MB zijn."}
    assert count(fresh_db, "evidence") == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("leeg.png", b"", evidence.EMPTY),
        ("", b"", evidence.NO_FILE),
    ],
)
def test_an_empty_or_missing_file_is_refused(fresh_db, world, incident, name, content, message):
    with pytest.raises(InvalidInput) as refused:
        evidence.attach(fresh_db, world["dpo"], incident, name, content)
    assert refused.value.errors == {"file": message}


def test_a_note_longer_than_the_limit_is_refused_next_to_the_note(fresh_db, world, incident):
    with pytest.raises(InvalidInput) as refused:
        evidence.attach(fresh_db, world["dpo"], incident, "a.png", PNG, "x" * (evidence.MAX_NOTE + 1))
    assert set(refused.value.errors) == {"note"}


@pytest.mark.parametrize(
    ("uploaded", "kept"),
    [
        ("C:\\Users\\jan\\Bureaublad\\scherm.png", "scherm.png"),
        ("../../etc/passwd", "passwd"),
        ("map/sub/verslag.pdf", "verslag.pdf"),
        ("fac\u202etuur\u200b.png", "factuur.png"),  # right-to-left override, zero-width space
        ("a\x00b\x07c\x1b[31m.png", "abc[31m.png"),
        ("  .verborgen.png  ", "verborgen.png"),
        ("twee   spaties\tTab.png", "twee spaties Tab.png"),
        ("...", "bewijsstuk.png"),
        ("", "bewijsstuk.png"),
        ("x" * 200 + ".png", "x" * 116 + ".png"),
        ("Schermafdruk 2026-11-19 om 09.12.png", "Schermafdruk 2026-11-19 om 09.12.png"),
    ],
)
def test_the_file_name_is_cleaned(uploaded, kept):
    assert evidence_files.clean_name(uploaded, evidence_files.sniff(PNG)) == kept


@given(st.text(max_size=400))
def test_a_cleaned_name_is_never_a_path_nor_holds_control_characters(name):
    cleaned = evidence_files.clean_name(name, evidence_files.sniff(PDF))
    assert 1 <= len(cleaned) <= evidence_files.MAX_NAME
    assert "/" not in cleaned and "\\" not in cleaned and not cleaned.startswith(".")
    assert cleaned == cleaned.strip()
    assert all(ch.isprintable() or ch == " " for ch in cleaned)


# --- stored once per hash; listed; removed with a reason ----------------------------------------


def test_the_same_content_is_stored_once(fresh_db, world, incident, second_incident):
    dpo = world["dpo"]
    evidence.attach(fresh_db, dpo, incident, "scherm.png", PNG)
    evidence.attach(fresh_db, dpo, second_incident, "kopie.png", PNG)
    evidence.attach(fresh_db, dpo, second_incident, "rapport.pdf", PDF)
    assert count(fresh_db, "evidence") == 3
    blobs = list(fresh_db.query("SELECT sha256, size, content FROM evidence_blobs ORDER BY size"))
    assert sorted(b["sha256"] for b in blobs) == sorted([sha(PNG), sha(PDF)])
    assert {b["sha256"]: b["content"] for b in blobs} == {sha(PNG): PNG, sha(PDF): PDF}


def test_the_same_file_twice_on_one_incident_is_refused(fresh_db, world, incident):
    evidence.attach(fresh_db, world["dpo"], incident, "scherm.png", PNG)
    with pytest.raises(InvalidInput) as refused:
        evidence.attach(fresh_db, world["dpo"], incident, "nogmaals.png", PNG)
    assert refused.value.errors["file"].startswith("Dit bestand hoort al bij deze melding")
    assert count(fresh_db, "evidence") == 1


def test_the_list_says_what_who_and_when(fresh_db, world, incident):
    clock_at = clock.now()
    evidence.attach(fresh_db, world["dpo"], incident, "scherm.png", PNG, "  Wat de ontvanger zag.  ")
    evidence.attach(fresh_db, world["dpo"], incident, "mail.eml", EML)
    first, second = evidence.list_for(fresh_db, world["dpo"], incident)
    assert (first.file_name, first.kind.label, first.size, first.note) == (
        "scherm.png",
        "afbeelding (PNG)",
        len(PNG),
        "Wat de ontvanger zag.",
    )
    assert first.added_by_name == "Dpo" and first.added_at >= clock_at.replace(microsecond=0)
    assert second.kind.label == "e-mail (.eml)" and not second.removed


def test_a_removed_file_stays_listed_with_its_reason_and_is_no_longer_handed_out(fresh_db, world, incident):
    dpo = world["dpo"]
    added = evidence.attach(fresh_db, dpo, incident, "verkeerd.png", PNG)
    with pytest.raises(InvalidInput) as no_reason:
        evidence.remove(fresh_db, dpo, added.id, "   ")
    assert set(no_reason.value.errors) == {"reason"}
    evidence.remove(fresh_db, dpo, added.id, "Verkeerde schermafdruk.")
    (shown,) = evidence.list_for(fresh_db, dpo, incident)
    assert shown.removed and shown.removed_reason == "Verkeerde schermafdruk."
    assert shown.removed_by_name == "Dpo"
    assert count(fresh_db, "evidence_blobs") == 1  # the content stays until the purge
    with pytest.raises(InvalidInput) as gone:
        evidence.download(fresh_db, dpo, added.id)
    assert gone.value.errors == {"download": evidence.REMOVED}
    with pytest.raises(InvalidInput):
        evidence.remove(fresh_db, dpo, added.id, "Nog een keer.")
    again = evidence.attach(fresh_db, dpo, incident, "goed.png", PNG)  # a removed one is no duplicate
    assert again.id != added.id


def test_a_purged_incident_refuses_attachments(fresh_db, world, incident):
    with store.write(fresh_db):
        fresh_db.execute("UPDATE incidents SET purged_at = ? WHERE id = ?", [clock.to_iso(NOW), incident])
    with pytest.raises(InvalidInput) as refused:
        evidence.attach(fresh_db, world["dpo"], incident, "scherm.png", PNG)
    assert refused.value.errors == {"file": evidence.PURGED}
    assert count(fresh_db, "evidence") == 0


def test_a_damaged_content_is_not_handed_out(fresh_db, world, incident):
    added = evidence.attach(fresh_db, world["dpo"], incident, "scherm.png", PNG)
    with store.write(fresh_db):
        fresh_db.execute("UPDATE evidence_blobs SET content = ?", [PNG + b"x"])
    with pytest.raises(InvalidInput) as refused:
        evidence.download(fresh_db, world["dpo"], added.id)
    assert refused.value.errors == {"download": evidence.DAMAGED}


# --- who may: the FG of the incident's organisation only -----------------------------------------

CALLS = {
    "attach": (
        "evidence.attach",
        lambda db, a, c: evidence.attach(db, a, c["incident"], "scherm2.png", GIF),
    ),
    "list": ("evidence.read", lambda db, a, c: evidence.list_for(db, a, c["incident"])),
    "remove": ("evidence.attach", lambda db, a, c: evidence.remove(db, a, c["evidence"], "Weg ermee.")),
    "download": ("evidence.read", lambda db, a, c: evidence.download(db, a, c["evidence"])),
    "download unknown": ("evidence.read", lambda db, a, c: evidence.download(db, a, 999_999)),
}
OUTSIDERS = [
    "reporter",  # who reported this incident
    "reporter2",
    "management",
    "admin",
    "other_dpo",
    "other_management",
    "other_reporter",
    "cli",
]


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize("call", list(CALLS), ids=list(CALLS))
def test_only_the_fg_of_the_incidents_organisation_touches_evidence(fresh_db, world, incident, who, call):
    attempted, run = CALLS[call]
    added = evidence.attach(fresh_db, world["dpo"], incident, "scherm.png", PNG)
    before = dump(fresh_db, "evidence")
    entries = count(fresh_db, "audit_log")
    actor = Actor.cli() if who == "cli" else world[who]
    with pytest.raises(PermissionDenied):
        run(fresh_db, actor, {"incident": incident, "evidence": added.id})
    (entry,) = fresh_db.query("SELECT action, detail FROM audit_log WHERE seq > ?", [entries])
    assert entry["action"] == "refused" and json.loads(entry["detail"])["attempted"] == attempted
    assert dump(fresh_db, "evidence") == before


def test_the_fg_may_do_all_of_it(fresh_db, world, incident):
    dpo = world["dpo"]
    added = evidence.attach(fresh_db, dpo, incident, "scherm.png", PNG)
    assert evidence.download(fresh_db, dpo, added.id).data == PNG
    assert [e.id for e in evidence.list_for(fresh_db, dpo, incident)] == [added.id]
    evidence.remove(fresh_db, dpo, added.id, "Dubbel.")


# --- audited with codes only -------------------------------------------------------------------

NAME = "Brief aan Jan Jansen.png"
NOTE = "Adres van familie Jansen"


def test_every_step_is_audited_without_the_file_name_or_note(fresh_db, world, incident):
    dpo = world["dpo"]
    added = evidence.attach(fresh_db, dpo, incident, NAME, PNG, NOTE)
    evidence.download(fresh_db, dpo, added.id)
    evidence.remove(fresh_db, dpo, added.id, "Jansen wilde dit niet.")
    found = list(
        fresh_db.query(
            "SELECT action, object_type, object_id, detail FROM audit_log"
            " WHERE action LIKE 'evidence.%' ORDER BY seq"
        )
    )
    assert [(e["action"], e["object_type"], e["object_id"]) for e in found] == [
        ("evidence.attach", "incident", str(incident)),
        ("evidence.download", "incident", str(incident)),
        ("evidence.remove", "incident", str(incident)),
    ]
    assert json.loads(found[0]["detail"]) == {
        "evidence_id": added.id,
        "kind": "png",
        "size": len(PNG),
        "sha256": sha(PNG),
    }
    assert json.loads(found[1]["detail"]) == {"evidence_id": added.id, "sha256": sha(PNG)}
    assert json.loads(found[2]["detail"]) == {"evidence_id": added.id}
    assert "Jansen" not in dump(fresh_db, "audit_log")


# --- the authenticated download route --------------------------------------------------------


@pytest.fixture
def http(db_path) -> TestClient:
    return TestClient(Starlette(routes=routes()), base_url="http://datalek.test", follow_redirects=False)


def offered(world, name: str, content: bytes) -> tuple[str, str, str]:
    """Attach ``content`` and offer it through a real session: (URL path, cookie, reference)."""
    dpo = world["dpo"]
    with store.unit() as db:
        made = incidents.submit_report(db, world["reporter"], make_report(world.org.id))
        token = sessions.open_session(db, dpo.user_id, method="password", client="c", user_agent="u")
        session_id = sessions.resolve(db, token).session_id
        added = evidence.attach(db, dpo, made.id, name, content)
        file = evidence.download(db, dpo, added.id)
        path = downloads.offer(db, dpo, session_id, Action.READ_EVIDENCE, IncidentRef(made.id), file)
    return path, token, f"{made.reference}-bewijsstuk-{added.id}"


@pytest.mark.parametrize(
    ("name", "content", "media_type", "extension"),
    [
        (NAME, PNG, "image/png", "png"),
        ("tijdlijn.txt", TXT, TEXT_TYPE, "txt"),
        ("m.eml", EML, "message/rfc822", "eml"),
    ],
)
def test_the_route_hands_out_the_same_bytes_as_an_attachment_of_the_sniffed_type(
    http, world, db_path, name, content, media_type, extension
):
    path, cookie, stem = offered(world, name, content)
    http.cookies.set(sessions.COOKIE, cookie)
    response = http.get(path)
    assert response.status_code == 200
    assert response.content == content
    assert response.headers["content-type"] == media_type
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["content-disposition"] == (
        f"attachment; filename=\"{stem}.{extension}\"; filename*=UTF-8''{stem}.{extension}"
    )
    with store.unit() as db:
        assert "Jansen" not in dump(db, "audit_log")
        assert count(db, "audit_log WHERE action = 'download'") == 1


def test_the_route_refuses_a_browser_without_the_session(http, world):
    path, _, _ = offered(world, "scherm.png", PNG)
    anonymous = http.get(path)
    assert anonymous.status_code == 403 and PNG not in anonymous.content


def test_management_cannot_have_it_offered(fresh_db, world, incident):
    added = evidence.attach(fresh_db, world["dpo"], incident, "scherm.png", PNG)
    file = evidence.download(fresh_db, world["dpo"], added.id)
    boss = world["management"]
    token = sessions.open_session(fresh_db, boss.user_id, method="password", client="c", user_agent="u")
    session_id = sessions.resolve(fresh_db, token).session_id
    with pytest.raises(PermissionDenied):
        downloads.offer(fresh_db, boss, session_id, Action.READ_EVIDENCE, IncidentRef(incident), file)


# --- retention --------------------------------------------------------------------------------

SECRET = "Jan de Vries, BSN 111222333"
MARKER = b"UNIEK-BEWIJS-7f3a9c-"


@pytest.fixture
def aged(fresh_db, world):
    """An incident closed seven years ago with three files (one removed), and a recent incident
    that holds one of the same files."""
    db, dpo = fresh_db, world["dpo"]
    old = NOW - timedelta(days=365 * 7)
    report = make_report(
        world.org.id, now=old, occurred_from=old - timedelta(hours=5), discovered_at=old - timedelta(hours=2)
    )
    made = incidents.submit_report(db, world["reporter"], report, at=old)
    recent = incidents.submit_report(db, world["reporter"], make_report(world.org.id))
    unique = b"%PDF-1.4\n" + MARKER * 2000
    kept = evidence.attach(db, dpo, made.id, f"{SECRET}.png", PNG, f"Notitie over {SECRET}")
    only = evidence.attach(db, dpo, made.id, f"Rapport {SECRET}.pdf", unique)
    removed = evidence.attach(db, dpo, made.id, "leeg-notitie.txt", TXT)
    evidence.remove(db, dpo, removed.id, f"Ging over {SECRET}")
    shared = evidence.attach(db, dpo, recent.id, "scherm.png", PNG, "Zelfde scherm")
    with store.write(db):
        db.execute(
            "UPDATE incidents SET status = 'closed', closed_at = ? WHERE id = ?",
            [clock.to_iso(old + timedelta(days=30)), made.id],
        )
        audit.append(db, None, "incident.status", "incident", made.id)  # the state, as the app would
    return made.id, recent.id, {"kept": kept, "only": only, "removed": removed, "shared": shared}, unique


def test_the_purge_blanks_names_and_notes_and_drops_content_nobody_else_holds(fresh_db, db_path, aged):
    old_id, recent_id, files, unique = aged
    fresh_db.execute("PRAGMA secure_delete = OFF")  # as SQLite's own default, where it is not built in
    result = retention.purge(fresh_db, Actor.cli(), apply=True, at=NOW)
    assert [d.incident_id for d in result.incidents] == [old_id]
    purged = list(
        fresh_db.query(
            "SELECT file_name, note, removed_reason, purged_at FROM evidence WHERE incident_id = ? ORDER BY id",
            [old_id],
        )
    )
    placeholder, stamp = retention.PLACEHOLDER, clock.to_iso(NOW)
    assert purged == [
        {"file_name": placeholder, "note": placeholder, "removed_reason": "", "purged_at": stamp},
        {"file_name": placeholder, "note": "", "removed_reason": "", "purged_at": stamp},
        {"file_name": placeholder, "note": "", "removed_reason": placeholder, "purged_at": stamp},
    ]
    # the PNG stays: the recent incident's standing row holds it; the others are gone
    assert [r[0] for r in fresh_db.execute("SELECT sha256 FROM evidence_blobs")] == [sha(PNG)]
    (recent,) = evidence.list_for(fresh_db, world_dpo(fresh_db), recent_id)
    assert (recent.file_name, recent.note, recent.purged) == ("scherm.png", "Zelfde scherm", False)
    # and the bytes are gone from the database file itself, not only from the table
    fresh_db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    on_disk = Path(db_path).read_bytes() + wal(db_path)
    assert MARKER not in on_disk
    assert "111222333" not in dump(fresh_db, "evidence")
    assert fresh_db.execute("PRAGMA secure_delete").fetchone()[0] == 0  # as it was


def test_a_purged_file_is_listed_as_purged_and_not_handed_out(fresh_db, world, aged):
    old_id, _, files, _ = aged
    retention.purge(fresh_db, Actor.cli(), apply=True, at=NOW)
    shown = evidence.list_for(fresh_db, world["dpo"], old_id)
    assert all(e.purged and e.file_name == retention.PLACEHOLDER for e in shown)
    with pytest.raises(InvalidInput) as refused:
        evidence.download(fresh_db, world["dpo"], files["kept"].id)
    assert refused.value.errors == {"download": evidence.PURGED_FILE}


# --- helpers ------------------------------------------------------------------------------------


@pytest.fixture
def incident(fresh_db, world) -> int:
    return incidents.submit_report(fresh_db, world["reporter"], make_report(world.org.id), at=NOW).id


@pytest.fixture
def second_incident(fresh_db, world) -> int:
    return incidents.submit_report(fresh_db, world["reporter2"], make_report(world.org.id), at=NOW).id


def sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def count(db, table: str) -> int:
    return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def dump(db, table: str) -> str:
    return "\n".join(json.dumps(r, default=repr) for r in db.query(f"SELECT * FROM {table} ORDER BY rowid"))


def wal(db_path) -> bytes:
    path = Path(str(db_path) + "-wal")
    return path.read_bytes() if path.exists() else b""


def world_dpo(db) -> Actor:
    from datalek.accounts.auth import actor_for

    (user_id,) = db.execute("SELECT id FROM users WHERE email = 'dpo@test.invalid'").fetchone()
    return actor_for(db, user_id)


# --- the download is audited by id and hash, never by name (an uploaded name can hold personal data)

PERSONAL_NAME = "klacht_jan_jansen.eml"


def test_a_download_is_audited_by_id_and_hash_never_by_the_uploaded_name(http, world, db_path):
    path, cookie, _ = offered(world, PERSONAL_NAME, EML)
    http.cookies.set(sessions.COOKIE, cookie)
    assert http.get(path).status_code == 200
    with store.unit() as db:
        [entry] = db.query("SELECT detail FROM audit_log WHERE action = 'evidence.download'")
        evidence_id = db.execute("SELECT id FROM evidence WHERE sha256 = ?", [sha(EML)]).fetchone()[0]
        trail = dump(db, "audit_log").lower()
    assert json.loads(entry["detail"]) == {"evidence_id": evidence_id, "sha256": sha(EML)}
    for fragment in ("klacht", "jan_jansen", "jansen"):
        assert fragment not in trail
