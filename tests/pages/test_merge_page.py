"""Samenvoegen en koppelen on screen (issue #16), drawn by Streamlit's AppTest: the merged
report and its main incident open in the queue in Dutch only, with the report text under the
main incident; the employee's Mijn meldingen says "Samengevoegd met DL-…" and nothing else of it."""

from __future__ import annotations

from datetime import timedelta

import pytest

import navigation
from datalek import clock
from datalek.handling import incident_links, incidents, merges
from tests.conftest import make_report
from tests.pages.conftest import open_db, signed_in, table_with
from tests.pages.test_dutch_only import framework_defaults, page_offences

REASON = "Dezelfde e-mail, door twee collega's gemeld."
#: The test accounts' names look like codes ("Reporter"): not what this test is about.
NAMES = {"Dpo", "Reporter", "Reporter2"}


def offences(at) -> dict[str, list[str]]:
    found = {t: [w for w in words if w not in NAMES] for t, words in page_offences(at).items()}
    return {t: words for t, words in found.items() if words}


@pytest.fixture
def merged(world, db_path):
    db = open_db(db_path)
    try:
        now = clock.now()
        made = []
        for who, text in (
            ("reporter", "Eerste melding van de mail."),
            ("reporter2", "Tweede melding van de mail."),
        ):
            report = make_report(
                world.org.id, now=now, description=text, discovered_at=now - timedelta(hours=2)
            )
            made.append(incidents.submit_report(db, world[who], report, at=now))
        main, copy = made
        merges.merge(db, world["dpo"], copy.id, main.reference, REASON)
        third = incidents.submit_report(db, world["reporter"], make_report(world.org.id, now=now), at=now)
        incident_links.link(db, world["dpo"], main.id, third.reference, "Zelfde afdeling, zelfde week.")
    finally:
        db.close()
    return main, copy


@pytest.mark.parametrize("which", ["copy", "main"])
def test_the_merged_report_and_its_main_incident_show_only_dutch(world, merged, which):
    main, copy = merged
    chosen = main if which == "main" else copy
    at = signed_in(world["dpo"], navigation.QUEUE)
    at.multiselect(key="q_status").set_value(["reported", "merged"]).run()
    at.selectbox(key="q_choice").set_value(chosen.id).run()
    assert not at.exception, at.exception
    assert offences(at) == {}
    assert framework_defaults(at) == []
    shown = [t.value for t in at.text]
    if which == "main":
        assert "Tweede melding van de mail." in shown
        assert any("Toelichting: Zelfde afdeling, zelfde week." in t for t in shown)
    else:
        assert any(f"samengevoegd met {main.reference}" in i.value for i in at.info)
        assert [b.label for b in at.button if b.label == "Samenvoegen ongedaan maken"]


def test_the_employee_sees_merged_with_the_main_reference_only(world, merged):
    main, copy = merged
    at = signed_in(world["reporter2"], navigation.MY_REPORTS)
    table = table_with(at, "Nummer")
    assert dict(zip(table["Nummer"], table["Status"], strict=True)) == {
        copy.reference: f"Samengevoegd met {main.reference}"
    }
    at.selectbox(key="mine_choice").set_value(copy.id).run()
    assert not at.exception, at.exception
    assert [i.value for i in at.info if main.reference in i.value]
    assert "Eerste melding van de mail." not in [t.value for t in at.text]  # nothing else of the main
    assert offences(at) == {}


def test_an_earlier_merged_report_tells_the_dpo_the_organisation_knew_earlier(world, db_path):
    db = open_db(db_path)
    try:
        now = clock.now()
        report = make_report(
            world.org.id,
            now=now,
            occurred_from=now - timedelta(hours=2),
            discovered_at=now - timedelta(hours=1),
        )
        main = incidents.submit_report(db, world["reporter"], report, at=now)
        early = now - timedelta(hours=6)
        report = make_report(
            world.org.id,
            now=early,
            occurred_from=early - timedelta(hours=3),
            discovered_at=early - timedelta(hours=1),
        )
        copy = incidents.submit_report(db, world["reporter2"], report, at=early)
        merges.merge(db, world["dpo"], copy.id, main.reference, REASON)
    finally:
        db.close()
    at = signed_in(world["dpo"], navigation.QUEUE)
    at.selectbox(key="q_choice").set_value(main.id).run()
    assert not at.exception, at.exception
    found = [w.value for w in at.warning]
    earlier = [w for w in found if "eerder wist" in w]
    assert len(earlier) == 1, found
    warning = earlier[0]
    assert copy.reference in warning and "Pas het moment van weten aan met een reden" in warning
