"""Issue #15 "On record" in Chromium: after a family was postponed for safety (one parent
flagged), judged safe again and two letters were sent, the FG's printable register shows the
informing per kind of reader, the reasons and how the postponement ended, without a file
reference; management's yearly report shows the persons informed and the postponement."""

from __future__ import annotations

import pytest

from datalek import clock, store
from datalek.actions import households as hh
from datalek.actions import sending
from datalek.actions.addressees import Addressee, Concern
from datalek.actions.informing import Channel
from datalek.handling import assessment, decisions, incidents, prefill
from datalek.handling.decisions import DecisionInput, Inform
from tests.conftest import make_report
from tests.e2e.conftest import open_page, settle, sign_in
from tests.test_sending import FOURTEEN, NINE, PARTS
from tests.test_sending import R as Relation

pytestmark = pytest.mark.e2e

REFS = ("C-9001", "C-1401", "O-1", "O-2", "O-3")
SECRET = "De vader dreigt de moeder."


@pytest.fixture(scope="module")
def informed(seeded):
    """A breach whose family waited for safety and then got two letters (parent and 14-year-old)."""
    path, world = seeded
    now, today = clock.now(), clock.today()
    db = store.connect(path)
    try:
        dpo = world["dpo"]
        report = make_report(world.org.id, now=now)
        incident = incidents.submit_report(db, world["reporter"], report, at=now)
        facts = prefill.facts_from_report(incident, world.org)
        assessment.save(db, dpo, incident.id, facts, "Gevolgen.", "Teruggevraagd.")
        decisions.record(
            db, dpo, incident.id,
            DecisionInput(breach=True, notify_authority=True, inform=Inform.YES, motivation="Volgens advies."),
        )  # fmt: skip
        house = hh.add_household(db, dpo, incident.id).id
        ids = {}
        for ref, relation, extra in [
            ("C-9001", Relation.CHILD, {"birth_date": NINE}),
            ("C-1401", Relation.CHILD, {"birth_date": FOURTEEN, "competent": True}),
            ("O-1", Relation.PARENT_GEZAG, {}),
            ("O-2", Relation.PARENT_GEZAG, {}),
            ("O-3", Relation.PARENT_NO_GEZAG, {}),
        ]:
            ids[ref] = hh.add_member(db, dpo, house, relation=relation, file_ref=ref, **extra).id
        flag = {"flagged": {ids["O-2"]}, "concerns": {Concern.VIOLENT_PARTNER}}
        hh.judge_safety(
            db,
            dpo,
            house,
            **flag,
            postponed=True,
            reason=SECRET,
            review_on=today.replace(year=today.year + 1),
        )
        hh.judge_safety(db, dpo, house, **flag, postponed=False, reason="Nu veilig.", review_on=None)
        for ref, reader in (("O-1", Addressee.PARENTS), ("C-1401", Addressee.YOUNG_12_15)):
            made = sending.make_letter(db, dpo, incident.id, reader, PARTS, member_id=ids[ref])
            sending.record_sent(db, dpo, made.id, Channel.LETTER, today)
    finally:
        db.close()
    return incident


def _download(page, button: str, link: str, target):
    page.get_by_role("button", name=button).click()
    settle(page)
    with page.expect_download(timeout=30000) as info:
        page.get_by_role("link", name=link).click()
    info.value.save_as(target)


def _row(section, page, header: str) -> str:
    return section.locator("tr", has=page.locator("th", has_text=header)).first.locator("td").inner_text()


def test_the_printable_register_shows_the_informing_without_a_file_reference(
    page, server, informed, tmp_path
):
    sign_in(page, server.url, "dpo@test.invalid")
    open_page(page, "Register")
    page.get_by_role("button", name="Maak export (HTML, om te printen)").wait_for(timeout=20000)
    year = clock.now().astimezone(clock.AMSTERDAM).year
    target = tmp_path / "register.html"
    _download(page, "Maak export (HTML, om te printen)", f"Download het register {year} (HTML)", target)
    page.goto(target.as_uri())  # offline: the file itself, as printed
    section = page.locator("section", has=page.get_by_role("heading", level=2, name=informed.reference))
    page.get_by_role("heading", level=3, name="Betrokkenen informeren").first.wait_for()
    assert _row(section, page, "Personen op de informeerlijst") == "5"
    assert _row(section, page, "Per soort lezer").split("\n") == [
        "Ouders of voogd met gezag: 1 geïnformeerd, 0 uitgesteld, 1 niet geïnformeerd",
        "Jongere van 12 tot en met 15 jaar: 1 geïnformeerd, 0 uitgesteld, 0 niet geïnformeerd",
        "Zonder eigen brief: 0 geïnformeerd, 0 uitgesteld, 2 niet geïnformeerd",
    ]
    assert _row(section, page, "Niet geïnformeerd, met reden").split("\n") == [
        "Geen bericht: veiligheidsrisico: 1",
        "Geen eigen bericht volgens de regels: 2",
    ]
    postponed = _row(section, page, "Uitstel per gezin (veiligheid)")
    assert postponed.startswith("Gezin 1: uitgesteld op ") and "daarna geïnformeerd op" in postponed
    assert postponed.endswith(SECRET)
    text = page.locator("body").inner_text()
    assert not any(ref in text for ref in REFS)


def test_the_yearly_report_shows_the_persons_informed(page, server, informed, tmp_path):
    sign_in(page, server.url, "management@test.invalid")
    open_page(page, "Overzicht")
    target = tmp_path / "verantwoording.html"
    _download(page, "Maak verantwoording", "Download verantwoording (HTML)", target)
    page.goto(target.as_uri())
    section = page.locator("section#informing")
    section.get_by_role("heading", level=2, name="Betrokkenen informeren: personen en uitstel").wait_for()
    rows = {
        r.locator("td").nth(0).inner_text(): r.locator("td").nth(1).inner_text()
        for r in section.locator("tr").all()
        if r.locator("td").count() == 2
    }
    assert rows["Personen geïnformeerd"] == "2"  # a total: always shown
    assert rows["Uitstel vanwege de veiligheid (gezinnen en groepen)"] == "1"
    assert rows["Personen geïnformeerd: Ouders of voogd met gezag"] == "verborgen"  # 1 < 5
    text = page.locator("body").inner_text()
    assert not any(ref in text for ref in REFS) and SECRET not in text
