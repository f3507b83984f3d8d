"""Issue #17: the register per organisation and period — which incidents a period holds (the
Dutch calendar), refused periods, the audit of every export, only the organisation's FG —
with formula injection neutralised in XLSX and CSV and every text escaped in the printable
HTML, which loads nothing."""

import html
import json
import re
from datetime import UTC, date, datetime
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

from datalek import clock
from datalek.accounts.permissions import PermissionDenied
from datalek.insight import register_export, register_record
from datalek.insight.register_export import COLUMNS, safe_cell
from datalek.models import InvalidInput
from datalek.store import audit_log
from tests.test_register_fields import (  # noqa: F401 - fixtures
    _period,
    _records,
    _sheet,
    _submit,
    documented,
    fixed_now,
)


class _Tags(HTMLParser):
    """The names of the tags and their attributes in a page."""

    def __init__(self):
        super().__init__()
        self.names: set[str] = set()
        self.attributes: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.names.add(tag)
        self.attributes |= {name for name, _ in attrs}


PREFIXES = ["=cmd|' /C calc'!A0", "+31 6 1234", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("text", PREFIXES, ids=["equals", "plus", "minus", "at", "tab", "carriage-return"])
def test_a_period_export_never_starts_a_cell_with_a_formula(fresh_db, world, fmt, text):
    made = _submit(fresh_db, world)
    # The forms strip white space; a value stored otherwise (an import, an old version) too:
    fresh_db.execute("UPDATE incidents SET description = ? WHERE id = ?", [text, made.id])
    data = _period(fresh_db, world, fmt)
    if fmt == "xlsx":
        sheet = _sheet(data)
        cell = sheet.cell(row=2, column=COLUMNS.index("Omschrijving") + 1)
        assert (cell.value, cell.data_type) == ("'" + text, "s")
    else:
        assert _records(fmt, data)[made.reference]["Omschrijving"] == "'" + text


def test_the_printed_register_escapes_every_text_and_loads_nothing(fresh_db, world):
    attack = '<script>alert(1)</script><img src="https://evil.invalid/x.png"> & "quotes"'
    made = _submit(fresh_db, world, description=attack)
    page = _period(fresh_db, world, "html").decode("utf-8")
    assert _records("html", page.encode())[made.reference]["Omschrijving"] == attack
    assert "<script" not in page and "<img" not in page and "<link" not in page
    assert "&lt;script&gt;" in page
    tags = _Tags()
    tags.feed(page)
    assert tags.names <= {"html", "head", "meta", "title", "style", "body", "header", "h1", "p", "main"} | {
        "section",
        "h2",
        "h3",
        "table",
        "tr",
        "th",
        "td",
    }
    assert not {"src", "href", "action"} & tags.attributes  # self-contained: nothing is fetched
    assert "default-src 'none'" in page  # and the browser is told so


@given(text=st.text())
def test_a_safe_cell_never_starts_a_formula(text):
    cell = safe_cell(text)
    assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r")
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", cell)


@given(text=st.text())
def test_printed_text_reads_back_as_typed_and_never_as_markup(text):
    shown = register_record.text_html(text)
    assert "<" not in shown and ">" not in shown and '"' not in shown
    assert html.unescape(shown) == text


def _reported_at(db, incident_id, moment):
    db.execute("UPDATE incidents SET reported_at = ? WHERE id = ?", [clock.to_iso(moment), incident_id])


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 1, 1), date(2026, 12, 31), ["new-year", "mid", "last"]),
        (date(2025, 1, 1), date(2025, 12, 31), ["old-year"]),
        (date(2026, 1, 1), date(2026, 1, 1), ["new-year"]),
        (date(2026, 6, 1), date(2026, 6, 30), ["mid"]),
        (date(2026, 12, 31), date(2026, 12, 31), ["last"]),
        (date(2027, 1, 1), date(2027, 1, 31), []),
    ],
    ids=["year", "year-before", "first-day", "month", "last-day", "nothing"],
)
def test_a_period_holds_the_incidents_reported_in_it_on_the_dutch_calendar(
    fresh_db, world, start, end, expected
):
    moments = {
        "old-year": datetime(2025, 12, 31, 22, 30, tzinfo=UTC),  # 23:30 in the Netherlands
        "new-year": datetime(2025, 12, 31, 23, 30, tzinfo=UTC),  # 00:30 on 1 January
        "mid": datetime(2026, 6, 15, 10, 0, tzinfo=UTC),
        "last": datetime(2026, 12, 31, 22, 59, tzinfo=UTC),  # 23:59 on 31 December
    }
    made = {}
    for name, moment in moments.items():
        made[name] = _submit(fresh_db, world)
        _reported_at(fresh_db, made[name].id, moment)
    found = _records("csv", _period(fresh_db, world, "csv", start, end))
    assert sorted(found) == sorted(made[n].reference for n in expected)


@pytest.mark.parametrize(
    ("start", "end", "fmt", "errors"),
    [
        (None, date(2026, 12, 31), "csv", {"start": "Kies de eerste dag van de periode."}),
        (date(2026, 1, 1), None, "csv", {"end": "Kies de laatste dag van de periode."}),
        (
            date(2026, 2, 1),
            date(2026, 1, 31),
            "xlsx",
            {"end": "De laatste dag ligt vóór de eerste dag. Kies een latere datum."},
        ),
        (date(2026, 1, 1), date(2026, 12, 31), "pdf", {"format": "Kies CSV, XLSX of HTML."}),
    ],
    ids=["no-start", "no-end", "end-before-start", "unknown-format"],
)
def test_a_wrong_period_or_format_is_refused_per_field(fresh_db, world, start, end, fmt, errors):
    with pytest.raises(InvalidInput) as refused:
        register_export.export_period(fresh_db, world["dpo"], world.org.id, start, end, fmt)
    assert refused.value.errors == errors
    assert audit_log.recent(fresh_db, 1, action="register.export") == []


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "html"])
def test_a_period_export_is_audited_with_its_period_format_and_row_count(
    fresh_db,
    world,
    documented,  # noqa: F811 - the fixture
    fmt,
):
    _period(fresh_db, world, fmt, date(2026, 11, 1), date(2026, 11, 30))
    entry = audit_log.recent(fresh_db, 1, action="register.export")[0]
    assert json.loads(entry["detail"]) == {
        "start": "2026-11-01",
        "end": "2026-11-30",
        "format": fmt,
        "rows": 2,
    }
    assert entry["object_id"] == str(world.org.id)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "html"])
@pytest.mark.parametrize("who", ["reporter", "management", "other_management", "admin", "other_dpo"])
def test_only_the_organisations_dpo_exports_a_period(
    fresh_db,
    world,
    documented,  # noqa: F811 - the fixture
    who,
    fmt,
):
    with pytest.raises(PermissionDenied):
        register_export.export_period(
            fresh_db, world[who], world.org.id, date(2026, 1, 1), date(2026, 12, 31), fmt
        )
    assert audit_log.recent(fresh_db, 1, action="register.export") == []
    refused = json.loads(audit_log.recent(fresh_db, 1, action="refused")[0]["detail"])
    assert refused["attempted"] == "register.export"


@pytest.mark.parametrize(
    ("organisation", "start", "end", "fmt", "expected"),
    [
        (
            "Gemeente Test",
            date(2026, 1, 1),
            date(2026, 3, 31),
            "xlsx",
            "datalekkenregister-gemeente-test-20260101-20260331.xlsx",
        ),
        (
            "Gemeente Test",
            date(2026, 1, 1),
            date(2026, 12, 31),
            "html",
            "datalekkenregister-gemeente-test-2026.html",
        ),
        (
            "Stichting Jeugdzorg en Gezinsbegeleiding Regio Noord",
            date(2026, 2, 1),
            date(2026, 2, 28),
            "html",
            "datalekkenregister-stichting-jeugdzorg-en-20260201-20260228.html",
        ),
    ],
    ids=["quarter", "calendar-year", "long-name"],
)
def test_a_period_file_is_named_after_organisation_and_period(organisation, start, end, fmt, expected):
    name = register_export.period_file_name(organisation, start, end, fmt)
    assert name == expected and len(name) <= 64  # the download's audit entry keeps it as a code
