"""Issue #15 in Chromium: the FG informs a family. She opens a decided youth-care incident,
puts a family on the list (a 9-year-old, a 14-year-old and two parents with gezag), flags one
parent (a violent ex-partner) and postpones: no letter can be made and the postponement is
shown. She resolves it (not postponed, the parent stays flagged, with a reason), makes the
letters, downloads the 14-year-old's DOCX and the parent's text (the young person's letter
says "je" and no "AVG"), and records both as sent, the first with a double click. After a
reload: exactly two letters sent, and the flagged parent "geen bericht (veiligheid)". While the
family is postponed, and while a person is still to inform, the "Afronden" tab says so. After
the reload (a new session) the mother's letter is listed under "Gemaakte brieven" and
downloaded again: the same text, byte for byte, as it was made and as it is stored; a letter
whose stored text was changed afterwards is shown with an error and offers nothing."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import docx
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from datalek import clock, store
from datalek.handling import assessment, decisions, incidents, prefill
from datalek.handling.decisions import DecisionInput, Inform
from tests.conftest import make_report, wait_until
from tests.e2e.conftest import choose_option, choose_options, dutch_only, open_page, open_tab, settle, sign_in

pytestmark = pytest.mark.e2e

REASON_POSTPONED = "Vader is een ex-partner die geweld heeft gebruikt. Eerst overleg met Veilig Thuis."
REASON_SAFE = "Vader woont elders en krijgt niets. Moeder en de kinderen zijn veilig."


@pytest.fixture(scope="module")
def decided(seeded):
    """A youth-care report (a care file sent to the wrong parent) decided: notify, inform."""
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
        assessment.save(db, world["dpo"], incident.id, facts, "Een andere ouder las het verslag.", "Gebeld.")
        decisions.record(
            db,
            world["dpo"],
            incident.id,
            DecisionInput(breach=True, notify_authority=True, inform=Inform.YES, motivation="Informeren."),
        )
    finally:
        db.close()
    return incident


def _today():
    return clock.today()


def _born(age: int):
    day = _today() - timedelta(days=31)
    return day.replace(year=day.year - age, day=min(day.day, 28))


def _query(server, sql: str, params=()) -> list[tuple]:
    with store.unit(server.db_path) as db:
        return db.execute(sql, params).fetchall()


def _informing(page, reference: str) -> None:
    open_page(page, "Werkvoorraad")
    choose_option(page, page, "Open een melding", reference)
    settle(page)
    page.get_by_role("heading", name=re.compile(reference)).wait_for()
    open_tab(page, "Afhandelen")
    open_tab(page, "Betrokkenen informeren")
    page.get_by_role("heading", name="Per persoon en gezin").wait_for()


def _date(scope, label: str, day) -> None:
    """Type a date into a Streamlit date_input (DD-MM-YYYY) and close the calendar."""
    box = scope.get_by_label(label, exact=True)
    box.click()
    box.press_sequentially(day.strftime("%d-%m-%Y"))
    box.press("Enter")
    box.press("Escape")


def _form(page, button: str):
    """The form with this button (by its text: an open list hides the rest from the role tree)."""
    return page.locator("[data-testid=stForm]").filter(has_text=button)


def _said(page, text: str) -> None:
    """The form's message; when it does not come, the messages that came instead."""
    try:
        page.locator("[data-testid=stAlert]", has_text=text).first.wait_for()
    except PlaywrightTimeout:
        shown = page.locator("[data-testid=stAlertContentError], [data-testid=stAlertContentWarning]")
        raise AssertionError(f"{text!r} not shown; instead: {shown.all_inner_texts()}") from None


def _add_person(page, relation: str, ref: str, age: int | None = None, competent: bool = False) -> None:
    form = _form(page, "Persoon toevoegen")
    choose_option(page, form, "Relatie", relation, exact=True)  # in a form: no run
    form.get_by_label("Dossier- of cliëntnummer (geen naam)").fill(ref)
    if age is not None:
        _date(form, "Geboortedatum (alleen voor een kind)", _born(age))
    if competent:
        form.locator("[data-testid=stRadio]").filter(has_text="Wilsbekwaam?").get_by_text(
            "Ja", exact=True
        ).click()
    form.get_by_role("button", name="Persoon toevoegen").click()
    settle(page)
    _said(page, "De persoon staat op de lijst.")


def _safety(page, postpone: bool, reason: str, flag: str | None = None) -> None:
    form = _form(page, "Veiligheid van dit gezin vastleggen")
    if flag:
        choose_options(page, "Wie mag nooit een bericht krijgen?", [flag])
        choose_options(page, "Waarom niet? (de zorg)", ["(Ex-)partner die geweld heeft gebruikt"])
    answer = "Ja, uitstellen" if postpone else "Nee, informeer dit gezin nu"
    form.locator("[data-testid=stRadio]").get_by_text(answer, exact=True).click()
    form.get_by_label(re.compile("^Reden")).fill(reason)
    if postpone:
        _date(form, "Bij uitstel: opnieuw bekijken op", _today() + timedelta(days=14))
    form.get_by_role("button", name="Veiligheid van dit gezin vastleggen").click()
    settle(page)
    _said(page, "De veiligheid van dit gezin is vastgelegd.")


def _download(page, link) -> Path:
    with page.expect_download() as info:
        link.click()
    return Path(info.value.path())


def _box(page, incident_id: int, member_id: int):
    return page.locator(f".st-key-inf{incident_id}_m{member_id}_box")


def _make(page, incident_id: int, member_id: int):
    _box(page, incident_id, member_id).get_by_role("button", name="Maak de brief").click()
    settle(page)
    box = _box(page, incident_id, member_id)
    box.get_by_role("link", name="Download als Word (DOCX)").wait_for()
    return box


def _sent(page, box, double: bool) -> None:
    choose_option(page, box, "Hoe verstuurd?", "Brief", exact=True)  # in a form: no run
    _date(box, "Verstuurd op", _today())
    submit = box.get_by_role("button", name="Verstuurd vastleggen")
    submit.dblclick() if double else submit.click()
    settle(page)


def _row(page, incident_id: int, house: int, member_id: int) -> str:
    table = page.locator(f".st-key-inf{incident_id}_h{house}_box table")
    return table.locator("tr").filter(has_text=re.compile(rf"^Persoon {member_id} ")).inner_text()


def _closing_says(page, text: str) -> None:
    """The "Afronden" tab lists ``text`` among what is still needed; back to informing after."""
    open_tab(page, "Afronden")
    page.get_by_text("Nog nodig voor het register voordat je kunt afronden").wait_for()
    page.locator("[data-testid=stMarkdownContainer] li", has_text=text).first.wait_for()
    open_tab(page, "Betrokkenen informeren")
    page.get_by_role("heading", name="Per persoon en gezin").wait_for()


def test_the_fg_informs_a_family_safely_and_on_record(page, server, seeded, decided):
    i = decided.id
    sign_in(page, server.url, "dpo@test.invalid")
    _informing(page, decided.reference)

    # 1. The family: a 9-year-old, a 14-year-old (competent), two parents with gezag.
    _form(page, "Gezin toevoegen").get_by_role("button", name="Gezin toevoegen").click()
    settle(page)
    _said(page, "Het gezin is toegevoegd.")
    [(house,)] = _query(server, "SELECT id FROM households WHERE incident_id = ?", [i])
    _add_person(page, "Kind of jongere (cliënt)", "C-9001", age=9)
    _add_person(page, "Kind of jongere (cliënt)", "C-1401", age=14, competent=True)
    _add_person(page, "Ouder met gezag", "O-1")
    _add_person(page, "Ouder met gezag", "O-2")
    ids = dict(_query(server, "SELECT file_ref, id FROM household_members WHERE incident_id = ?", [i]))
    c9, c14, mother, father = (ids[r] for r in ("C-9001", "C-1401", "O-1", "O-2"))
    assert "9 jaar" in _row(page, i, house, c9) and "14 jaar" in _row(page, i, house, c14)

    # 2. The father is a violent ex-partner: flagged, and the family's letters wait.
    _safety(page, True, REASON_POSTPONED, flag=f"Persoon {father} · ouder met gezag · dossier O-2")
    review = _today() + timedelta(days=14)
    page.get_by_text(f"Uitgesteld vanwege de veiligheid. Opnieuw bekijken op {review:%d-%m-%Y}.").wait_for()
    expect(page.get_by_role("button", name="Maak de brief")).to_have_count(0)
    assert "geen bericht (veiligheid)" in _row(page, i, house, father)
    assert f"Uitgesteld tot {review:%d-%m-%Y}" in _row(page, i, house, mother)
    _closing_says(page, f"Informeren van 1 gezin is uitgesteld tot {review:%d-%m-%Y}: beslis eerst")

    # 3. Resolved: not postponed; the father stays flagged (the form starts from the flags).
    _safety(page, False, REASON_SAFE)
    page.get_by_text("Veilig om te informeren", exact=False).first.wait_for()
    expect(_box(page, i, father)).to_have_count(0)  # never a letter to him
    expect(_box(page, i, c9)).to_have_count(0)  # the parents' letter is about the 9-year-old
    assert "geen bericht (veiligheid)" in _row(page, i, house, father)

    # 4. The letters: the 14-year-old's DOCX and the mother's text, checked byte by byte.
    young = _make(page, i, c14)
    word = docx.Document(
        io.BytesIO(_download(page, young.get_by_role("link", name="Download als Word (DOCX)")).read_bytes())
    )
    text = "\n".join(p.text for p in word.paragraphs)
    assert re.search(r"\bje\b", text) and "AVG" not in text and "Hoi," in text
    _closing_says(page, "nog niet geïnformeerd")  # the mother is still to inform
    _sent(page, _box(page, i, c14), double=True)  # a double click records once
    wait_until(
        page, lambda: len(_query(server, "SELECT id FROM subject_notices WHERE member_id = ?", [c14])) == 1
    )
    parent = _make(page, i, mother)
    letter = _download(page, parent.get_by_role("link", name="Download als tekst (voor e-mail)")).read_text(
        "utf-8"
    )
    assert "Beste ouder of verzorger," in letter and "uw kinderen" in letter
    _sent(page, _box(page, i, mother), double=False)
    _said(page, "Verstuurd vastgelegd.")
    expect(_box(page, i, mother).get_by_role("button", name="Verstuurd vastleggen")).to_have_count(0)
    sent = _query(
        server, "SELECT member_id, channel FROM subject_notices WHERE incident_id = ? ORDER BY id", [i]
    )
    assert sent == [(c14, "letter"), (mother, "letter")]

    # 5. After a reload: exactly two letters sent; the father "geen bericht (veiligheid)".
    page.reload()
    settle(page)
    _informing(page, decided.reference)
    statuses = page.locator(f".st-key-inf{i}_h{house}_box table tr").all_inner_texts()
    assert sum(f"Verstuurd op {_today():%d-%m-%Y} (brief)" in row for row in statuses) == 2
    assert "geen bericht (veiligheid)" in _row(page, i, house, father)
    lines = page.locator("[data-testid=stText]", has_text=re.compile("^Geïnformeerd: ")).all_inner_texts()
    assert len(lines) == 2 and all("Brief: sjabloon versie 0, controlecode " in line for line in lines)
    assert len(_query(server, "SELECT id FROM subject_notices WHERE incident_id = ?", [i])) == 2
    dutch_only(page, names=("Reporter",))

    # 6. The mother's letter again, in this new session: rebuilt from the stored text.
    [(letter_id, stored)] = _query(
        server, "SELECT id, text FROM letters WHERE member_id = ? ORDER BY id", [mother]
    )
    again = page.locator(f".st-key-inf{i}_made{letter_id}_box")
    expect(again).to_contain_text(f"Persoon {mother}, brief voor ouders of voogd met gezag")
    expect(again).to_contain_text("de tekst van Datalek (versie 0)")
    again.get_by_role("button", name="Opnieuw downloaden").click()
    settle(page)
    link = again.get_by_role("link", name="Download als tekst (voor e-mail)")
    link.wait_for()
    assert _download(page, link).read_text("utf-8") == letter == stored
    word = again.get_by_role("link", name="Download als Word (DOCX)")
    paragraphs = [p.text for p in docx.Document(io.BytesIO(_download(page, word).read_bytes())).paragraphs]
    assert "Beste ouder of verzorger," in paragraphs and f"Ons kenmerk: {decided.reference}" in paragraphs

    # 7. A letter whose stored text was changed afterwards no longer matches its SHA-256: the
    # screen says so and offers nothing.
    [(young_id,)] = _query(server, "SELECT id FROM letters WHERE member_id = ?", [c14])
    with store.unit(server.db_path) as db, store.write(db):
        db.execute("UPDATE letters SET text = text || 'Extra.' WHERE id = ?", [young_id])
    page.reload()
    settle(page)
    _informing(page, decided.reference)
    altered = page.locator(f".st-key-inf{i}_made{young_id}_box")
    expect(altered.locator("[data-testid=stAlertContentError]")).to_contain_text("SHA-256")
    expect(altered.get_by_role("button", name="Opnieuw downloaden")).to_have_count(0)
    expect(page.locator(f".st-key-inf{i}_made{letter_id}_box").get_by_role("button")).to_have_count(1)
