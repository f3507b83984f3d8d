"""``python -m datalek purge`` speaks Dutch: the tables it counts by the names the audit trail
uses (``audit_labels.TABLES``), the status by its label, never an English table name or code."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from datalek.accounts.audit_labels import TABLES
from datalek.cli import main
from datalek.handling import retention
from datalek.store import retention as retention_sql
from tests.conftest import NOW
from tests.test_retention import aged  # noqa: F401 - the fixture: three incidents past retention


@pytest.mark.parametrize("mode", ["--apply", "--dry-run"])
def test_the_purge_output_names_tables_and_statuses_in_dutch(aged, db_path, monkeypatch, mode):  # noqa: F811
    db, _, ids = aged
    monkeypatch.setattr(retention.clock, "now", lambda: NOW)
    result = CliRunner().invoke(main, ["purge", mode, "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    english = sorted({"incidents", *retention_sql.COUNTED, "closed", "not_a_breach", "org"})
    found = [word for word in english if re.search(rf"\b{word}\b", result.output)]
    assert found == [], result.output
    assert "meldingen: 3" in result.output
    assert f"{TABLES['lessons']}: " in result.output
    ref = db.execute("SELECT reference FROM incidents WHERE id = ?", [ids["closed_old"]]).fetchone()[0]
    [line] = [x for x in result.output.splitlines() if x.startswith(ref)]
    assert "afgerond" in line and "organisatie Gemeente Test" in line
