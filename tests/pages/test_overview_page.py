"""Overzicht: the dashboard page for management and the FG (AppTest)."""

from __future__ import annotations

import json

import pytest

import navigation
from tests import dashboard_world as dw
from tests.pages.conftest import download_links, errors, fetch, open_db, rows, signed_in

PAGE = navigation.OVERVIEW


@pytest.fixture
def filled(world, db_path, monkeypatch):
    monkeypatch.setenv("DATALEK_SMALL_NUMBER", "5")
    db = open_db(db_path)
    try:
        both = dw.fill(db, world)
    finally:
        db.close()
    return world, both


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def chart_titles(at) -> list[str]:
    found = []
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        title = spec["layout"].get("title", {})
        found.append(title.get("text") if isinstance(title, dict) else title)
    return found


def test_management_sees_key_figures_and_every_chart(filled):
    world, _ = filled
    at = signed_in(world["management"], PAGE)
    assert not at.exception, at.exception
    shown = metrics(at)
    assert shown["Interne meldingen"] == "18"
    assert shown["Betrokkenen geïnformeerd"] == "3"  # an organisation's total: always shown
    assert shown["Gemeld bij de AP na 72 uur"] == "2"
    assert shown["Beoordeeld als geen datalek"] == "2"
    assert shown["Mediaan uren van bewust worden tot AP-melding"] == "60 uur"
    assert shown["Datalekken met bijzondere persoonsgegevens"] == "verborgen"  # 4: a breakdown
    assert len(at.get("plotly_chart")) == 12  # 12: the breaches per processor (#16)
    titles = chart_titles(at)
    assert "Meldingen per maand in 2026 en 2025" in titles and "Uitkomst van de meldingen" in titles


def test_department_choice_offers_only_shown_departments(filled):
    world, _ = filled
    at = signed_in(world["management"], PAGE)
    select = at.selectbox(key="ov_dept")
    assert select.options == ["Alle afdelingen", "Jeugd"]
    select.set_value("Jeugd").run()
    assert metrics(at)["Interne meldingen"] == "10"


def test_organisation_is_one_or_all(filled):
    world, both = filled
    at = signed_in(both, PAGE)
    select = at.selectbox(key="ov_org")
    assert select.options == ["Alle organisaties", "Gemeente Test", "Jeugdzorg Test"]
    assert metrics(at)["Interne meldingen"] == "21"  # totals are shown: 21 - 18 = 3 is no secret
    assert "Meldingen per organisatie" in chart_titles(at)
    assert at.selectbox(key="ov_dept").options == ["Alle afdelingen"]  # within one organisation
    select.set_value(world.org.id).run()
    assert metrics(at)["Interne meldingen"] == "18"
    assert at.selectbox(key="ov_dept").options == ["Alle afdelingen", "Jeugd"]


def test_report_is_made_and_audited(filled, db_path):
    world, _ = filled
    at = signed_in(world["dpo"], PAGE)
    at.button(key="ov_make").click().run()
    assert not at.exception and not errors(at)
    links = download_links(at)
    assert list(links) == [
        "Download verantwoording (HTML)",
        "Download verantwoording (Word)",
        "Download alle cijfers (Excel)",
    ]
    assert b"<html" in fetch(links["Download verantwoording (HTML)"]).data
    audited = rows(db_path, "SELECT detail FROM audit_log WHERE action = 'annual_report.generate'")
    assert sorted(json.loads(r["detail"])["format"] for r in audited) == ["docx", "html", "xlsx"]


def test_without_reports(world):
    at = signed_in(world["management"], PAGE)
    assert not at.exception
    assert [i.value for i in at.info] == ["Er zijn nog geen meldingen."]


def test_a_report_made_for_one_year_is_not_offered_under_another(filled):
    world, _ = filled
    at = signed_in(world["dpo"], PAGE)
    at.button(key="ov_make").click().run()
    assert download_links(at)
    years = at.selectbox(key="ov_year")
    other = next(y for y in years.options if str(y) != str(years.value))
    years.set_value(int(other)).run()
    assert not at.exception
    assert download_links(at) == {}


def test_every_chart_has_its_figures_as_a_table(filled):
    world, _ = filled
    at = signed_in(world["management"], PAGE)
    tables = at.table
    assert len(tables) == 12  # 12: the breaches per processor (#16)
    month = tables[0].value
    assert len(month) == 12
    shown = {str(v) for t in tables for v in t.value.iloc[:, 1]}
    assert "verborgen" in shown  # the same suppression as the charts


def test_every_chart_is_drawn_without_plotlys_english_toolbar_and_counts_from_zero(filled):
    world, _ = filled
    at = signed_in(world["management"], PAGE)
    for chart in at.get("plotly_chart"):
        assert json.loads(chart.proto.config)["displayModeBar"] is False
        layout = json.loads(chart.proto.spec)["layout"]
        axes = [layout[k] for k in ("xaxis", "yaxis") if layout.get(k, {}).get("tickformat") == "d"]
        assert all(a["rangemode"] == "tozero" for a in axes)


def test_the_organisation_choice_all_is_a_value_streamlit_shows(filled):
    """None as the value of a keyed selectbox is drawn as an empty field with Streamlit's
    English "Choose an option"; "Alle organisaties" must be a real value."""
    world, both = filled
    at = signed_in(both, PAGE)
    select = at.selectbox(key="ov_org")
    assert select.value is not None and select.options[select.index] == "Alle organisaties"
    assert select.proto.HasField("default")
