"""Register: the FG sees the register of their organisation and exports it; nobody else."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

import navigation
from datalek import clock
from datalek.accounts.permissions import PermissionDenied
from datalek.handling import incidents
from datalek.insight import register_export
from datalek.models import Role
from tests.conftest import make_report
from tests.pages.conftest import (
    button,
    download_links,
    error_after,
    fetch,
    open_db,
    rows,
    signed_in,
    table_with,
)

PAGE = navigation.REGISTER


@pytest.fixture
def reported(world, db_path):
    now = clock.now()
    db = open_db(db_path)
    try:
        made = incidents.submit_report(
            db,
            world["reporter"],
            make_report(
                world.org.id,
                now=now,
                discovered_at=now - timedelta(hours=3),
                occurred_from=now - timedelta(hours=4),
                description='=HYPERLINK("x")',
            ),
        )
        incidents.submit_report(
            db,
            world["other_reporter"],
            make_report(
                world["other_reporter"].org_ids[0],
                now=now,
                discovered_at=now - timedelta(hours=3),
                occurred_from=now - timedelta(hours=4),
            ),
        )
    finally:
        db.close()
    return made


def test_the_dpo_sees_the_register_of_their_own_organisation(world, reported, db_path):
    at = signed_in(world["dpo"], PAGE)
    assert not at.exception
    table = table_with(at, "Kenmerk")
    assert list(table["Kenmerk"]) == [reported.reference]
    assert list(table["Besluit"]) == ["nog geen besluit"]
    (entry,) = rows(db_path, "SELECT actor_id, object_id FROM audit_log WHERE action = 'register.view'")
    assert entry == {"actor_id": world["dpo"].user_id, "object_id": str(world.org.id)}


def test_the_xlsx_export_is_made_on_request_and_audited(world, reported, db_path):
    at = signed_in(world["dpo"], PAGE)
    assert rows(db_path, "SELECT * FROM audit_log WHERE action = 'register.export'") == []
    button(at, "Maak export (XLSX)").click().run()
    assert not at.exception
    year = reported.reported_at.year
    path = download_links(at)[f"Download het register {year} (XLSX)"]  # the whole year
    made = fetch(path)
    assert made.file_name.endswith(f"-{year}.xlsx")
    sheet = load_workbook(io.BytesIO(made.data)).active
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert values[0][0] == "Kenmerk" and values[1][0] == reported.reference
    assert '\'=HYPERLINK("x")' in values[1]  # never a formula
    (entry,) = rows(db_path, "SELECT detail FROM audit_log WHERE action = 'register.export'")
    assert json.loads(entry["detail"]) == {
        "format": "xlsx",
        "rows": 1,
        "start": f"{year}-01-01",
        "end": f"{year}-12-31",
    }


def test_the_printable_register_of_a_chosen_period_downloads_as_html(world, reported, db_path):
    at = signed_in(world["dpo"], PAGE)
    day = reported.reported_at.astimezone(clock.AMSTERDAM).date()
    year = day.year
    start, end = f"reg_start_{world.org.id}_{year}", f"reg_end_{world.org.id}_{year}"
    assert (at.date_input(key=start).value, at.date_input(key=end).value) == (
        date(year, 1, 1),
        date(year, 12, 31),
    )
    at.date_input(key=start).set_value(day)
    at.date_input(key=end).set_value(day)
    button(at, "Maak export (HTML, om te printen)").click().run()
    assert not at.exception, at.exception
    label = f"Download het register van {day:%d-%m-%Y} tot en met {day:%d-%m-%Y} (HTML)"
    made = fetch(download_links(at)[label])
    assert made.media_type.startswith("text/html") and made.file_name.endswith(".html")
    page = made.data.decode("utf-8")
    assert f"<h2>{reported.reference}</h2>" in page and "=HYPERLINK(&quot;x&quot;)" in page
    (entry,) = rows(db_path, "SELECT detail FROM audit_log WHERE action = 'register.export'")
    assert json.loads(entry["detail"])["format"] == "html"


def test_a_period_that_ends_before_it_starts_is_refused_next_to_the_field(world, reported, db_path):
    at = signed_in(world["dpo"], PAGE)
    year = reported.reported_at.year
    end = f"reg_end_{world.org.id}_{year}"
    at.date_input(key=end).set_value(date(year - 1, 12, 31))
    button(at, "Maak export (CSV)").click().run()
    assert error_after(at, end) == "De laatste dag ligt vóór de eerste dag. Kies een latere datum."
    assert rows(db_path, "SELECT * FROM audit_log WHERE action = 'register.export'") == []
    assert not [label for label in download_links(at) if label.startswith("Download het register")]


def test_management_has_no_register_page_and_cannot_export(world, reported, db_path):
    assert PAGE not in navigation.PAGES_BY_ROLE[Role.MANAGEMENT]
    db = open_db(db_path)
    try:
        with pytest.raises(PermissionDenied):
            register_export.export_period(
                db, world["management"], world.org.id, date(2026, 1, 1), date(2026, 12, 31), "xlsx"
            )
    finally:
        db.close()


@pytest.mark.parametrize("who", ["reporter", "management", "admin", "other_dpo"])
def test_only_the_organisations_dpo_may_view_the_register(world, reported, db_path, who):
    db = open_db(db_path)
    try:
        for call in (
            lambda: register_export.view(db, world[who], world.org.id, 2026),
            lambda: register_export.years(db, world[who], world.org.id),
        ):
            with pytest.raises(PermissionDenied):
                call()
    finally:
        db.close()
    refused = rows(db_path, "SELECT detail FROM audit_log WHERE action = 'refused'")
    assert [json.loads(r["detail"])["attempted"] for r in refused] == ["register.view"] * 2
