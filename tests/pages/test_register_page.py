"""Register: the FG sees the register of their organisation and exports it; nobody else."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from openpyxl import load_workbook

import navigation
from datalek import clock
from datalek.accounts.permissions import PermissionDenied
from datalek.handling import incidents
from datalek.insight import register_export
from tests.conftest import make_report
from tests.pages.conftest import button, download_links, fetch, open_db, rows, signed_in, table_with

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
    path = download_links(at)[f"Download het register {year} (XLSX)"]
    made = fetch(path)
    assert made.file_name.endswith(f"{year}.xlsx")
    sheet = load_workbook(io.BytesIO(made.data)).active
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert values[0][0] == "Kenmerk" and values[1][0] == reported.reference
    assert '\'=HYPERLINK("x")' in values[1]  # never a formula
    (entry,) = rows(db_path, "SELECT detail FROM audit_log WHERE action = 'register.export'")
    assert json.loads(entry["detail"]) == {"format": "xlsx", "rows": 1, "year": reported.reported_at.year}


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
