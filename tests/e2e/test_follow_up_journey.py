"""Issue #5: the FG follows up a decided breach in the browser — the AP-melding from the
concept, letters for the parents of an 11-year-old and for a 14-year-old (and parents), a
preventive measure, closing the dossier, and the register export that shows all of it."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import docx
import openpyxl
import pytest

from datalek import clock, store
from datalek.handling import assessment, decisions, incidents, prefill
from datalek.handling.decisions import DecisionInput, Inform
from tests.conftest import make_report
from tests.e2e.conftest import choose_option, open_page, open_tab, settle, sign_in

pytestmark = pytest.mark.e2e

AP_NUMBER = "M-2026-424242"
#: The group a 14-year-old reads in (since 0.6.0: by age, no longer "De jongere zelf").
YOUNG = "Jongere van 12 tot en met 15 jaar"
LEARNED = "Een adres in het verzendsjabloon wordt voortaan door een collega gecontroleerd."


@pytest.fixture(scope="module")
def decided(seeded):
    """A report discovered about 20 hours ago, assessed and decided: notify the AP, inform.
    The world gives the organisation (with the FG's name and e-mail), its FG and a reporter."""
    path, world = seeded
    now = clock.now()
    report = make_report(
        world.org.id,
        now=now,
        occurred_from=now - timedelta(hours=22),
        discovered_at=now - timedelta(hours=20),
    )
    db = store.connect(path)
    try:
        incident = incidents.submit_report(db, world["reporter"], report, at=now)
        facts = prefill.facts_from_report(incident, world.org)
        assessment.save(
            db,
            world["dpo"],
            incident.id,
            facts,
            "Een andere ouder kon het verslag over een kind lezen.",
            "Ontvanger gebeld en gevraagd de e-mail te verwijderen.",
        )
        decisions.record(
            db,
            world["dpo"],
            incident.id,
            DecisionInput(
                breach=True,
                notify_authority=True,
                inform=Inform.YES,
                motivation="Verslag over een kind bij een ander gezin: melden en informeren.",
            ),
        )
    finally:
        db.close()
    return incident


def _today():
    return clock.now().astimezone(clock.AMSTERDAM).date()


def _flash(page, text: str) -> None:
    """A success message at the top of the page."""
    page.locator("[data-testid=stAlertContentSuccess]", has_text=text).first.wait_for()


def _follow_up(page, sub_tab: str) -> None:
    """Open "Afhandelen" and one of its sub-tabs (a no-op when they are open already)."""
    open_tab(page, "Afhandelen")
    open_tab(page, sub_tab)


def _date(scope, label: str, day) -> None:
    """Type a date into a Streamlit date_input (format DD-MM-YYYY) and close the calendar."""
    box = scope.get_by_label(label, exact=True)
    box.click()
    box.press_sequentially(day.strftime("%d-%m-%Y"))
    box.press("Enter")
    box.press("Escape")


def _expander(page, title: str):
    exp = page.locator("[data-testid=stExpander]").filter(has=page.locator("summary", has_text=title))
    if exp.locator("details").get_attribute("open") is None:
        exp.locator("summary").click()
    return exp


def _download(page, link) -> Path:
    """Follow a one-time download link (``/download/<token>``, same tab, an attachment)."""
    with page.expect_download() as info:
        link.click()
    return Path(info.value.path())


def _age(page, age: int) -> None:
    box = page.get_by_label("Leeftijd van de betrokkene")
    box.fill(str(age))
    box.press("Enter")
    settle(page)
    _follow_up(page, "Betrokkenen informeren")


def _recipient(page, title: str):
    """The expander of one kind of reader in "Betrokkenen informeren", open."""
    _follow_up(page, "Betrokkenen informeren")
    return _expander(page, title)


def _safety_check(page, title: str) -> None:
    expander = _recipient(page, title)
    expander.locator("[data-testid=stRadio]").get_by_text("Nee", exact=True).click()
    expander.get_by_role("button", name="Veiligheidscheck vastleggen").click()
    settle(page)
    _flash(page, "De veiligheidscheck is vastgelegd.")
    _recipient(page, title).get_by_text("Veilig om te informeren").wait_for()


def _notice(page, title: str, count: int) -> None:
    # the form "Vastleggen wie er zijn geïnformeerd" (a made letter has a form of its own)
    noting = _recipient(page, title).locator("[data-testid=stForm]").filter(has_text="Aantal ontvangers")
    noting.get_by_label("Aantal ontvangers").fill(str(count))
    _date(noting, "Geïnformeerd op", _today())
    choose_option(page, noting, "Hoe", "Brief", exact=True)  # in a form: no run
    noting.get_by_role("button", name="Informeren vastleggen").click()
    settle(page)
    _flash(page, "Vastgelegd wie er zijn geïnformeerd.")
    _follow_up(page, "Betrokkenen informeren")


def _open_incident(page, reference: str) -> None:
    choose_option(page, page, "Open een melding", reference)
    settle(page)
    page.get_by_role("heading", name=re.compile(reference)).wait_for()


def test_dpo_follows_up_a_breach_until_the_register(page, server, seeded, decided):
    _, world = seeded
    reference = decided.reference
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    sign_in(page, server.url, "dpo@test.invalid")
    open_page(page, "Werkvoorraad")
    _open_incident(page, reference)
    _follow_up(page, "AP-melding")

    # 1. The concept, answer by answer in text areas to copy from (no English copy button);
    # then record the notification.
    page.get_by_text("Concept AP-melding").wait_for()
    answers = page.locator("[data-testid=stTextArea] textarea:visible")
    answers.first.wait_for()
    by_value = {a.input_value(): a for a in answers.all()}
    assert "fg@test.invalid" in by_value  # the FG's contact
    org_answer = by_value[world.org.name]
    page.evaluate("navigator.clipboard.writeText('leeg')")
    org_answer.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.press("ControlOrMeta+c")
    page.wait_for_function(
        "async name => (await navigator.clipboard.readText()) === name", arg=world.org.name
    )

    page.get_by_label("Meldnummer van de AP").fill(AP_NUMBER)
    page.get_by_role("button", name="Melding vastleggen").click()
    settle(page)
    _flash(page, "De melding bij de AP is vastgelegd.")
    with store.unit(server.db_path) as db:
        row = db.execute(
            "SELECT kind, ap_reference FROM authority_notifications WHERE incident_id = ?", [decided.id]
        ).fetchall()
    assert row == [("initial", AP_NUMBER)]
    # The FG keeps their place: the message above the tabs does not send them back to "Melding".
    for name in ("Afhandelen", "AP-melding"):
        assert page.get_by_role("tab", name=name, exact=True).get_attribute("aria-selected") == "true"

    # 2. An 11-year-old: the parents with gezag get the letter.
    _follow_up(page, "Betrokkenen informeren")
    _age(page, 11)
    page.locator("[data-testid=stAlertContentInfo]").filter(
        has_text="Ontvangers: ouders of voogd met gezag."
    ).wait_for()
    _safety_check(page, "Ouders of voogd met gezag")
    parents = _recipient(page, "Ouders of voogd met gezag")
    parents.get_by_role("button", name="Maak de brief").click()
    settle(page)
    parents = _recipient(page, "Ouders of voogd met gezag")
    parents.get_by_text("Beste ouder of verzorger,").wait_for()
    word = docx.Document(_download(page, parents.get_by_role("link", name="Download als Word (DOCX)")))
    texts = [p.text for p in word.paragraphs]
    assert "Er is iets misgegaan met de gegevens van uw kind" in texts
    assert "Beste ouder of verzorger," in texts
    _notice(page, "Ouders of voogd met gezag", 2)
    page.get_by_text(f"Geïnformeerd: Ouders of voogd met gezag, 2 op {_today():%d-%m-%Y} (brief).").wait_for()

    # 3. A 14-year-old: the young person and the parents, each their own letter.
    _age(page, 14)
    page.locator("[data-testid=stAlertContentInfo]").filter(
        has_text="Ontvangers: de jongere zelf en ouders of voogd met gezag."
    ).wait_for()
    _safety_check(page, YOUNG)
    young = _recipient(page, YOUNG)
    young.get_by_role("button", name="Maak de brief").click()
    settle(page)
    young = _recipient(page, YOUNG)
    young.get_by_text(re.compile(r"^Hoi,", re.M)).first.wait_for()
    letter = _download(page, young.get_by_role("link", name="Download als tekst (voor e-mail)")).read_text()
    assert "Hoi," in letter and "jouw" in letter and "uw kind" not in letter
    _notice(page, YOUNG, 1)
    page.get_by_text(f"Geïnformeerd: {YOUNG}, 1 op {_today():%d-%m-%Y} (brief).").wait_for()
    with store.unit(server.db_path) as db:
        notices = db.execute(
            "SELECT recipient, people_count, channel FROM subject_notices WHERE incident_id = ? ORDER BY id",
            [decided.id],
        ).fetchall()
    assert notices == [("parents", 2, "letter"), ("young_12_15", 1, "letter")]

    # 4. A preventive measure.
    _follow_up(page, "Maatregelen")
    page.get_by_text("Preventie (herhaling voorkomen)", exact=True).click()
    page.get_by_label("Wat wordt er gedaan?").fill("Adrescontrole toegevoegd aan het verzendsjabloon.")
    page.get_by_label("Wie voert het uit? (functie of afdeling)").fill("Teamleider Jeugd")
    due = _today() + timedelta(days=30)
    _date(page, "Klaar op", due)
    page.get_by_role("button", name="Maatregel toevoegen").click()
    settle(page)
    _flash(page, "De maatregel is toegevoegd.")
    _follow_up(page, "Maatregelen")
    page.get_by_text(
        f"Preventie (herhaling voorkomen): Gepland, uiterlijk klaar op {due:%d-%m-%Y}"
    ).wait_for()
    page.locator(
        "[data-testid=stText]", has_text="Adrescontrole toegevoegd aan het verzendsjabloon."
    ).wait_for()

    # 5. Nothing is missing: close the dossier, with what the organisation learned (issue #17).
    _follow_up(page, "Afronden")
    page.get_by_text("Het dossier is compleet.").wait_for()
    # found by its text, not by role: an open list hides the rest of the page from the roles
    closing = page.locator("[data-testid=stForm]").filter(has_text="Wat leert de organisatie hiervan?")
    closing.get_by_role("button", name="Afronden", exact=True).click()  # without a lesson: refused
    settle(page)
    _follow_up(page, "Afronden")
    closing.get_by_text("Kies het thema waar de les over gaat.").wait_for()
    closing.get_by_text("Schrijf op wat de organisatie hiervan leert.").wait_for()
    with store.unit(server.db_path) as db:
        status = db.execute("SELECT status FROM incidents WHERE id = ?", [decided.id]).fetchone()[0]
    assert status == "decided"
    choose_option(page, closing, "Thema", "E-mail en adressering", exact=True)  # in a form: no run
    closing.get_by_label("Wat leert de organisatie hiervan?").fill(LEARNED)
    closing.locator("[data-testid=stRadio]").get_by_text(
        "Een preventieve maatregel die al bij dit incident staat", exact=True
    ).click()
    choose_option(
        page,
        closing,
        "Preventieve maatregel van dit incident",
        "Adrescontrole toegevoegd aan het verzendsjabloon.",
    )
    closing.get_by_role("button", name="Afronden", exact=True).click()
    settle(page)
    _flash(page, "Afgerond. Wat de organisatie leert, is vastgelegd.")
    with store.unit(server.db_path) as db:
        status = db.execute("SELECT status FROM incidents WHERE id = ?", [decided.id]).fetchone()[0]
        lessons = db.execute(
            "SELECT l.theme, l.learned, l.prevention, m.description FROM lessons l"
            " JOIN measures m ON m.id = l.measure_id WHERE l.incident_id = ?",
            [decided.id],
        ).fetchall()
    assert status == "closed"
    assert lessons == [("email", LEARNED, "measure", "Adrescontrole toegevoegd aan het verzendsjabloon.")]

    # 6. The register export holds the incident with the AP number, closed.
    year = int(reference.split("-")[1])  # the register year is the reference's year
    open_page(page, "Register")
    if choose_option(page, page, "Jaar", str(year), exact=True):
        settle(page)
    page.get_by_role("button", name="Maak export (XLSX)").click()
    settle(page)
    xlsx = _download(page, page.get_by_role("link", name=f"Download het register {year} (XLSX)"))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.read_bytes())).active
    header, *rows = [[c if c is not None else "" for c in r] for r in sheet.iter_rows(values_only=True)]
    assert "Kenmerk" in header
    found = [dict(zip(header, r, strict=False)) for r in rows if reference in r]
    assert len(found) == 1
    assert found[0]["Kenmerk"] == reference
    assert found[0]["Meldnummer AP"] == AP_NUMBER
    assert found[0]["Status"] == "Afgerond"
