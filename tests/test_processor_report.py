"""Issue #16, figures for management: breaches caused at processors and per processor, the
median hours between a processor's awareness and ours, the share told within the agreed hours,
and the incidents in a chain, on the dashboard and in the yearly report (HTML, XLSX, DOCX),
with small numbers hidden and a median over fewer than the threshold hidden."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from datalek.handling import involvement, processors
from datalek.insight import annual_report, stats
from tests import party_changes
from tests.test_processor_figures import _aware
from tests.test_processors import CLOUDZORG
from tests.test_rollup import _decided, fixed_now  # noqa: F401 - the fixture is used by name

TODAY = date(2026, 11, 25)


def _register(db, world, reported: int = 5):
    """Six breaches: five caused at Cloudzorg (``reported`` of them told us the moment we knew,
    6, 12, ... hours after it knew; 48 hours agreed), one at Printservice; five in a chain."""
    cloud = processors.add(db, world["dpo"], world.org.id, {**CLOUDZORG, "notice_hours": 48})
    other = processors.add(db, world["dpo"], world.org.id, {**CLOUDZORG, "name": "Printservice BV"})
    chain_id = party_changes.chain(db, world, None)
    for n in range(6):
        i = _decided(db, world)
        if n == 5:
            involvement.link(db, world["dpo"], i, other.id, ["caused"])
            continue
        party_changes.join_chain(db, world, i, chain_id)
        if n < reported:
            aware = _aware(db, i)
            knew = aware - timedelta(hours=6 * (n + 1))
            involvement.link(db, world["dpo"], i, cloud.id, ["caused", "reported"], knew, aware)
        else:
            involvement.link(db, world["dpo"], i, cloud.id, ["caused"])
    return cloud, other


def test_management_sees_breaches_per_processor_with_small_numbers_hidden(fresh_db, world):
    _register(fresh_db, world)
    now = stats.dashboard(fresh_db, world["management"], 2026, today=TODAY).current
    bars = {c.label: c.count for c in now.series["processor"]}
    assert bars == {"Cloudzorg BV": 5, "Printservice BV": None}
    assert now.value("processor") == 6
    assert now.value("chain") == 5


@pytest.mark.parametrize(("reported", "median"), [(4, None), (5, 18.0)])
def test_the_median_delay_of_the_processors_is_hidden_below_the_threshold(fresh_db, world, reported, median):
    _register(fresh_db, world, reported)
    now = stats.dashboard(fresh_db, world["management"], 2026, today=TODAY).current
    assert now.value("proc_delay_median") == median
    assert now.figures["proc_delay_median"].shown == ("niet te tonen" if median is None else "18 uur")


def test_the_share_of_processors_that_told_us_within_the_agreed_hours(fresh_db, world):
    """Agreed 48 hours; told after 6, 12, 18, 24 and 30 hours: all in time."""
    _register(fresh_db, world)
    now = stats.dashboard(fresh_db, world["management"], 2026, today=TODAY).current
    assert (now.value("proc_told_on_time"), now.value("proc_told_late")) == (5, 0)
    assert now.figures["proc_told_share"].shown == "100%"


def test_the_yearly_report_lists_the_breaches_per_processor_in_every_format(fresh_db, world):
    _register(fresh_db, world)
    actor = world["management"]
    book = load_workbook(io.BytesIO(annual_report.generate(fresh_db, actor, 2026, None, "xlsx", today=TODAY)))
    sheet = [tuple(r) for r in book[stats.SERIES["processor"].short].iter_rows(min_row=2, values_only=True)]
    assert ("Cloudzorg BV", "5") in sheet and ("Printservice BV", stats.HIDDEN) in sheet
    labels = {r[0] for r in book["Kerncijfers"].iter_rows(min_row=2, values_only=True)}
    assert {stats.DERIVED["proc_delay_median"], stats.COUNTS["chain"]} <= labels
    page = annual_report.generate(fresh_db, actor, 2026, None, "html", today=TODAY).decode()
    assert stats.SERIES["processor"].title in page and "Cloudzorg BV" in page
    assert "verwerker" in " ".join(
        annual_report.summary(annual_report.build(fresh_db, actor, 2026, None, TODAY))
    )
    docx = annual_report.generate(fresh_db, actor, 2026, None, "docx", today=TODAY)
    text = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()
    assert stats.SERIES["processor"].title in text and "Cloudzorg BV" in text
    assert "datalekken ontstonden bij een verwerker" in text
    for made in (page, text, str(sheet)):
        assert "security@cloudzorg.invalid" not in made and "Reporter" not in made
