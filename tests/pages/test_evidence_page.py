"""Bewijsstukken on the FG's incident screen (Werkvoorraad, tab Melding): add a file with a note,
see it listed (its name as plain text), download it through the one-time link with the same
bytes, remove it with a reason — Dutch messages next to the field, nothing typed lost, and a
failed write said as such."""

from __future__ import annotations

from datetime import timedelta

import pytest

import navigation
from datalek import clock, store
from datalek.handling import evidence, evidence_files, incidents
from tests.conftest import make_report
from tests.pages.conftest import (
    button,
    download_links,
    error_after,
    errors,
    fetch,
    once_key,
    open_db,
    rows,
    signed_in,
    successes,
)
from tests.test_evidence import HTML, PNG

PAGE = navigation.QUEUE
NAME = "Schermafdruk <b>Jan<b> **vet** :red[rood].png"


@pytest.fixture
def reported(world, db_path):
    now = clock.now()
    db = open_db(db_path)
    try:
        return incidents.submit_report(
            db,
            world["reporter"],
            make_report(
                world.org.id,
                now=now,
                discovered_at=now - timedelta(hours=2),
                occurred_from=now - timedelta(hours=3),
            ),
        )
    finally:
        db.close()


def opened(world, incident):
    """The incident open on its first tab, Melding, where the evidence is."""
    at = signed_in(world["dpo"], PAGE)
    at.session_state[f"q_tab_{incident.id}"] = "Melding"
    at.selectbox(key="q_choice").set_value(incident.id).run()
    assert not at.exception, at.exception
    return at


def attached(world, db_path, incident, name=NAME, content=PNG) -> evidence.Evidence:
    db = open_db(db_path)
    try:
        return evidence.attach(db, world["dpo"], incident.id, name, content, "Wat de ouder zag.")
    finally:
        db.close()


def texts(at) -> list[str]:
    return [t.value for t in at.text]


def test_the_fg_adds_a_file_and_sees_it_listed_as_plain_text(world, reported, db_path):
    from tests.pages.test_dutch_only import page_offences

    at = opened(world, reported)
    p = f"ev{reported.id}_add_"
    at.file_uploader(key=once_key(at, p, "file")).set_value((NAME, PNG, "application/pdf"))
    at.text_area(key=once_key(at, p, "note")).input("Wat de ouder zag.")
    button(at, "Bewijsstuk toevoegen").click().run()
    assert not at.exception, at.exception
    assert "Het bestand is toegevoegd." in successes(at)
    (row,) = rows(db_path, "SELECT file_name, media_type, note, size FROM evidence")
    assert row == {
        "file_name": NAME,
        "media_type": "image/png",
        "note": "Wat de ouder zag.",
        "size": len(PNG),
    }
    assert NAME in texts(at) and "Wat de ouder zag." in texts(at)
    assert not any("<b>Jan" in m.value for m in at.markdown)  # never as Markdown or HTML
    assert any(c.value.startswith("afbeelding (PNG), ") and "Dpo" in c.value for c in at.caption)
    assert at.text_area(key=once_key(at, p, "note")).value == ""  # a new, empty form
    names = {"Reporter", "Dpo"}  # the test world names its people after their role
    assert {
        t: o for t, found in page_offences(at).items() if (o := [w for w in found if w not in names])
    } == {}


def test_a_refused_file_is_said_next_to_the_field_and_the_note_stays(world, reported, db_path):
    at = opened(world, reported)
    p = f"ev{reported.id}_add_"
    at.file_uploader(key=once_key(at, p, "file")).set_value(("scherm.png", HTML, "image/png"))
    at.text_area(key=once_key(at, p, "note")).input("Mijn toelichting")
    button(at, "Bewijsstuk toevoegen").click().run()
    assert error_after(at, once_key(at, p, "file")) == evidence_files.REFUSED
    assert at.text_area(key=once_key(at, p, "note")).value == "Mijn toelichting"
    assert rows(db_path, "SELECT * FROM evidence") == []
    button(at, "Bewijsstuk toevoegen").click().run()  # without choosing again: the file is still there
    assert error_after(at, once_key(at, p, "file")) == evidence_files.REFUSED


def test_no_file_chosen_is_said_next_to_the_field(world, reported, db_path):
    at = opened(world, reported)
    button(at, "Bewijsstuk toevoegen").click().run()
    assert error_after(at, once_key(at, f"ev{reported.id}_add_", "file")) == evidence.NO_FILE


def test_the_download_link_hands_out_the_same_bytes(world, reported, db_path):
    added = attached(world, db_path, reported)
    at = opened(world, reported)
    assert "Download het bestand" not in download_links(at)  # nothing read before the click
    button(at, "Maak download").click().run()
    made = fetch(download_links(at)["Download het bestand"])
    assert made.data == PNG and made.media_type == "image/png"
    assert made.file_name == f"{reported.reference}-bewijsstuk-{added.id}.png"
    assert rows(db_path, "SELECT count(*) AS n FROM audit_log WHERE action = 'evidence.download'") == [
        {"n": 1}
    ]


def test_removing_needs_a_reason_and_keeps_the_file_listed(world, reported, db_path):
    added = attached(world, db_path, reported)
    at = opened(world, reported)
    p = f"ev{reported.id}_{added.id}_drop_"
    button(at, "Verwijderen").click().run()
    assert error_after(at, once_key(at, p, "reason")) == "Schrijf waarom je dit bestand verwijdert."
    at.text_area(key=once_key(at, p, "reason")).input("Verkeerde schermafdruk.")
    button(at, "Verwijderen").click().run()
    assert "Het bestand is verwijderd. Het blijft in de lijst staan, met de reden." in successes(at)
    assert NAME in texts(at)
    assert any("Reden: Verkeerde schermafdruk" in c.value for c in at.caption)
    assert not [b for b in at.button if b.label == "Maak download"]
    (row,) = rows(db_path, "SELECT removed_reason FROM evidence")
    assert row == {"removed_reason": "Verkeerde schermafdruk."}


def test_a_failed_write_is_said_and_the_note_stays(world, reported, db_path, monkeypatch):
    at = opened(world, reported)
    p = f"ev{reported.id}_add_"
    at.file_uploader(key=once_key(at, p, "file")).set_value(("scherm.png", PNG, "image/png"))
    at.text_area(key=once_key(at, p, "note")).input("Niet kwijtraken")
    original = store.write

    def fail_once(db):
        monkeypatch.setattr(store, "write", original)  # the page's own run after it works again
        raise store.StorageError("disk I/O error")

    monkeypatch.setattr(store, "write", fail_once)
    button(at, "Bewijsstuk toevoegen").click().run()
    assert any(e.startswith("Het is NIET opgeslagen") for e in errors(at))
    assert at.text_area(key=once_key(at, p, "note")).value == "Niet kwijtraken"
    assert rows(db_path, "SELECT * FROM evidence") == []
