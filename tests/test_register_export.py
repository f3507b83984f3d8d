"""The register export: every incident of the organisation's year with its follow-up, as CSV
or XLSX, cells never run as formulas, audited, and only for the organisation's FG."""

import csv
import io
import json
from datetime import date, timedelta

import openpyxl
import pytest
from click.testing import CliRunner

from datalek import clock
from datalek.accounts.permissions import PermissionDenied
from datalek.actions import authority, informing
from datalek.actions.addressees import Addressee
from datalek.cli import main
from datalek.handling import assessment, decisions, incidents, prefill
from datalek.handling.decisions import DecisionInput, Inform, NotBreachReason
from datalek.insight import register_export
from datalek.insight.register_export import COLUMNS, safe_cell
from datalek.models import InvalidInput
from datalek.store import audit_log
from datalek.triage.facts import LawfulBasis
from tests.conftest import NOW, complete_actions, make_report


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW + timedelta(days=5))


def _submit(db, world, at=NOW, **changes):
    report = make_report(
        world.org.id,
        now=at,
        occurred_from=at - timedelta(hours=5),
        discovered_at=at - timedelta(hours=2),
        **changes,
    )
    return incidents.submit_report(db, world["reporter"], report, at=at)


def _decide(db, world, incident, breach=True):
    facts = prefill.facts_from_report(incident, world.org)
    if not breach:
        facts = facts.model_copy(update={"lawful_basis": LawfulBasis.MELDRECHT})
    assessment.save(db, world["dpo"], incident.id, facts, "Gevolgen voor het gezin.", "Teruggevraagd.")
    decisions.record(
        db,
        world["dpo"],
        incident.id,
        DecisionInput(breach=True, notify_authority=True, inform=Inform.YES, motivation="Conform advies.")
        if breach
        else DecisionInput(
            breach=False, not_breach_reason=NotBreachReason.MELDRECHT, motivation="Wettelijk."
        ),
    )


@pytest.fixture
def year(fresh_db, world):
    """2026: a documented breach, a 'geen datalek', an undecided report and a postponed one;
    plus a 2025 incident and one of the other organisation that must stay out."""
    made = {}
    made["old"] = _submit(fresh_db, world, NOW - timedelta(days=400))
    made["full"] = _submit(fresh_db, world, department="Jeugdteam")
    _decide(fresh_db, world, made["full"])
    complete_actions(fresh_db, world["dpo"], made["full"].id)
    made["none"] = _submit(fresh_db, world, department="Wmo")
    _decide(fresh_db, world, made["none"], breach=False)
    made["open"] = _submit(fresh_db, world, department="Schuldhulp")
    made["postponed"] = _submit(fresh_db, world, NOW + timedelta(hours=1), department="Jeugdteam")
    _decide(fresh_db, world, made["postponed"])
    informing.record_safety_check(
        fresh_db,
        world["dpo"],
        made["postponed"].id,
        Addressee.PARENTS,
        True,
        "Zorgen over de vader.",
        date(2026, 12, 10),
    )
    other = make_report(world.other_org.id)
    incidents.submit_report(fresh_db, world["other_reporter"], other, at=NOW)
    return made


def _by_reference(table):
    return {r["Kenmerk"]: r for r in table}


def test_every_incident_of_the_year_is_in_the_register(fresh_db, year):
    table = register_export.rows(fresh_db, year["full"].org_id, 2026)
    assert [r["Kenmerk"] for r in table] == [year[k].reference for k in ("full", "none", "open", "postponed")]
    assert all(list(r) == COLUMNS for r in table)
    assert [r["Kenmerk"] for r in register_export.rows(fresh_db, year["old"].org_id, 2025)] == [
        year["old"].reference
    ]


def test_the_action_columns_are_filled(fresh_db, year):
    rows = _by_reference(register_export.rows(fresh_db, year["full"].org_id, 2026))
    full = rows[year["full"].reference]
    assert (
        full["Besluit"].startswith("datalek; AP: melden") and full["Motivering besluit"] == "Conform advies."
    )
    ap = (full["Gemeld bij AP"], full["Meldnummer AP"], full["Binnen 72 uur"])
    assert ap == ("ja", "M-2026-000123", "ja")
    informed_on = f"{(NOW + timedelta(days=5)).date():%d-%m-%Y}"  # complete_actions: "today"
    assert full["Betrokkenen geïnformeerd"] == f"Ouders of voogd met gezag: 2 op {informed_on} (brief)"
    assert "Adrescontrole in het sjabloon. — Teamleider, uiterlijk 31-01-2027, gepland" in full["Maatregelen"]
    assert full["Gevolgen"] == "Gevolgen voor het gezin." and full["Genomen maatregelen"] == "Teruggevraagd."
    assert full["Aantal betrokkenen"] == "3" and full["Bijzondere persoonsgegevens"] == "ja"
    none = rows[year["none"].reference]
    assert none["Besluit"] == "geen datalek" and none["Reden geen datalek"].startswith("Meldrecht")
    assert none["Gemeld bij AP"] == "nee" and none["Meldnummer AP"] == ""
    undecided = rows[year["open"].reference]
    assert undecided["Besluit"] == "nog geen besluit" and undecided["Status"] == "Gemeld"
    postponed = rows[year["postponed"].reference]
    assert postponed["Uitstel (veiligheid)"].startswith("Ouders of voogd met gezag: uitgesteld op ")
    assert postponed["Uitstel (veiligheid)"].endswith(" tot 10-12-2026 (loopt): Zorgen over de vader.")
    assert postponed["Herhaling van"] == year["full"].reference


def test_a_csv_export_is_semicolon_separated_utf8_with_a_bom(fresh_db, world, year):
    data = register_export.export(fresh_db, world["dpo"], world.org.id, 2026, "csv")
    assert data.startswith("\ufeff".encode())
    table = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert [r["Kenmerk"] for r in table] == [year[k].reference for k in ("full", "none", "open", "postponed")]
    assert table[0]["Betrokkenen geïnformeerd"].startswith("Ouders of voogd met gezag")


def _sheet(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))["Register"]


def test_an_xlsx_export_has_the_header_and_every_reference(fresh_db, world, year):
    sheet = _sheet(register_export.export(fresh_db, world["dpo"], world.org.id, 2026, "xlsx"))
    assert [c.value for c in sheet[1]] == COLUMNS
    assert [sheet.cell(row=i, column=1).value for i in range(2, sheet.max_row + 1)] == [
        year[k].reference for k in ("full", "none", "open", "postponed")
    ]


DANGEROUS = [
    ('=HYPERLINK("http://evil.invalid","klik")', '\'=HYPERLINK("http://evil.invalid","klik")'),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("+31 6 1234", "'+31 6 1234"),
    ("-2+3", "'-2+3"),
    ("<script>alert(1)</script>", "<script>alert(1)</script>"),
    ("Bel\x07 de\x1b FG\x00 nu", "Bel de FG nu"),
    ("\x00=1+1", "'=1+1"),
]
DANGEROUS_IDS = ["hyperlink", "at-sign", "plus", "minus", "script", "control-chars", "control-then-formula"]


@pytest.mark.parametrize(("description", "expected"), DANGEROUS, ids=DANGEROUS_IDS)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_free_text_is_written_as_inert_text(fresh_db, world, fmt, description, expected):
    made = _submit(fresh_db, world, description=description)
    data = register_export.export(fresh_db, world["dpo"], world.org.id, 2026, fmt)
    if fmt == "csv":
        row = next(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
        assert (row["Kenmerk"], row["Omschrijving"]) == (made.reference, expected)
    else:
        sheet = _sheet(data)
        cell = sheet.cell(row=2, column=COLUMNS.index("Omschrijving") + 1)
        assert (sheet.cell(row=2, column=1).value, cell.value) == (made.reference, expected)
        assert cell.data_type == "s"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        (42, "42"),
        ("gewoon", "gewoon"),
        ("=1+1", "'=1+1"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("regel\nregel", "regel\nregel"),
        ("a=b", "a=b"),
    ],
    ids=["none", "number", "plain", "formula", "tab", "carriage-return", "newline-kept", "equals-inside"],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_an_export_is_audited_with_year_format_and_row_count(fresh_db, world, year):
    register_export.export(fresh_db, world["dpo"], world.org.id, 2026, "xlsx")
    entry = audit_log.recent(fresh_db, 1, action="register.export")[0]
    assert json.loads(entry["detail"]) == {"year": 2026, "format": "xlsx", "rows": 4}
    assert entry["object_id"] == str(world.org.id)


def test_an_unknown_format_is_refused(fresh_db, world):
    with pytest.raises(InvalidInput) as refused:
        register_export.export(fresh_db, world["dpo"], world.org.id, 2026, "pdf")
    assert refused.value.errors == {"format": "Kies CSV of XLSX."}


@pytest.mark.parametrize("who", ["reporter", "management", "admin", "other_dpo"])
def test_only_the_dpo_of_the_organisation_exports_its_register(fresh_db, world, year, who):
    with pytest.raises(PermissionDenied):
        register_export.export(fresh_db, world[who], world.org.id, 2026, "csv")
    assert audit_log.recent(fresh_db, 1, action="register.export") == []


def test_the_cli_writes_the_register_and_audits_it_as_the_system(db_path, fresh_db, world, year, tmp_path):
    out = tmp_path / "register.csv"
    result = CliRunner().invoke(
        main,
        [
            "export",
            "register",
            "--org",
            "Gemeente Test",
            "--year",
            "2026",
            "--format",
            "csv",
            "--out",
            str(out),
        ],
        env={"DATALEK_DB": str(db_path)},
    )
    assert result.exit_code == 0, result.output
    assert "Register 2026 geschreven" in result.output
    table = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig")), delimiter=";"))
    assert len(table) == 4
    entry = audit_log.recent(fresh_db, 1, action="register.export")[0]
    assert entry["actor_role"] == "system" and json.loads(entry["detail"])["format"] == "csv"


def test_the_cli_refuses_an_unknown_organisation(db_path, world, tmp_path):
    out = tmp_path / "register.xlsx"
    result = CliRunner().invoke(
        main,
        ["export", "register", "--org", "Bestaat Niet", "--year", "2026", "--out", str(out)],
        env={"DATALEK_DB": str(db_path)},
    )
    assert result.exit_code != 0 and "Onbekende organisatie" in result.output
    assert not out.exists()


def test_a_lifted_postponement_stays_in_the_register():
    checks = [
        {
            "recipient": "parents",
            "risk": 1,
            "reason": "Veilig Thuis loopt.",
            "review_on": "2026-12-10",
            "recorded_at": "2026-11-21T09:00:00+00:00",
        },
        {
            "recipient": "parents",
            "risk": 0,
            "reason": "",
            "review_on": None,
            "recorded_at": "2026-12-10T09:00:00+00:00",
        },
    ]
    (line,) = register_export._postponements(checks)
    assert line == (
        "Ouders of voogd met gezag: uitgesteld op 21-11-2026 10:00 tot 10-12-2026 "
        "(opgeheven op 10-12-2026 10:00): Veilig Thuis loopt."
    )


@pytest.mark.parametrize(
    ("organisation", "fmt", "expected"),
    [
        ("Gemeente Waterdam", "xlsx", "datalekkenregister-gemeente-waterdam-2026.xlsx"),
        ("Jeugdzorg 't Hofje & Co.", "csv", "datalekkenregister-jeugdzorg-t-hofje-co-2026.csv"),
        ("Ærø", "csv", "datalekkenregister-r-2026.csv"),
        ("!!!", "xlsx", "datalekkenregister-organisatie-2026.xlsx"),
    ],
)
def test_the_export_file_is_named_after_organisation_and_year(organisation, fmt, expected):
    assert register_export.file_name(organisation, 2026, fmt) == expected


# --- the moment of awareness: its basis, the first recorded value and every change ------------


def test_the_register_keeps_a_late_notification_late_after_the_awareness_moved(fresh_db, world):
    from datalek.models import AwareBasis

    incident = _submit(fresh_db, world)
    _decide(fresh_db, world, incident)
    aware = incident.aware_at
    authority.record_initial(
        fresh_db, world["dpo"], incident.id, "M-2026-000123", aware + timedelta(hours=80), "Ziekte."
    )
    moved = prefill.facts_from_report(incident, world.org).model_copy(
        update={"aware_at": aware + timedelta(hours=10)}
    )
    assessment.save(
        fresh_db,
        world["dpo"],
        incident.id,
        moved,
        basis=AwareBasis.PROCESSOR,
        source="Leverancier",
        reason="De verwerker belde later.",
    )
    (row,) = register_export.rows(fresh_db, world.org.id, 2026)
    assert row["Binnen 72 uur"] == "nee"
    # The dashboard and the yearly report count it as the register does: late (80 hours).
    from datalek.store import stats as stats_sql

    figures = {(d, k): n for *_, d, k, n in stats_sql.cube(fresh_db, [world.org.id], [2026])}
    assert figures[("notification", "late")] == 1  # the roll-up's dimensions since #17
    assert ("notification", "on_time") not in figures
    assert figures[("notify_hours", "80")] == 1
    assert row["Organisatie wist het"] == "20-11-2026 19:00"
    assert row["Eerst vastgelegd moment van weten"] == "20-11-2026 09:00"
    assert row["Hoe de organisatie het wist"] == "Bericht van een verwerker (Leverancier)"
    changes = row["Wijzigingen in de tijdlijn"]
    assert (
        "Moment van bewustwording: 20-11-2026 09:00 → 20-11-2026 19:00, door Dpo op "
        "25-11-2026 11:00, na de melding bij de AP. Reden: De verwerker belde later." in changes
    )
    assert "Hoe de organisatie het wist: Melding door een medewerker → Bericht van een verwerker" in changes


@pytest.mark.parametrize(
    ("args", "suffix", "starts"),
    [
        (["--from", "2026-01-01", "--to", "2026-12-31", "--format", "html"], "html", b"<!DOCTYPE html>"),
        (["--from", "2026-01-01", "--to", "2026-12-31", "--format", "xlsx"], "xlsx", b"PK"),
        (["--year", "2026", "--format", "html"], "html", b"<!DOCTYPE html>"),
    ],
)
def test_the_cli_writes_the_register_of_a_period_also_as_printable_html(
    db_path, fresh_db, world, year, tmp_path, args, suffix, starts
):
    out = tmp_path / f"register.{suffix}"
    result = CliRunner().invoke(
        main,
        ["export", "register", "--org", "Gemeente Test", *args, "--out", str(out)],
        env={"DATALEK_DB": str(db_path)},
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:20].upper().startswith(starts.upper())
    detail = json.loads(audit_log.recent(fresh_db, 1, action="register.export")[0]["detail"])
    assert (detail["start"], detail["end"], detail["format"]) == ("2026-01-01", "2026-12-31", suffix)


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--from", "2026-01-01"],
        ["--year", "2026", "--from", "2026-01-01", "--to", "2026-02-01"],
        ["--from", "2026-03-01", "--to", "2026-02-01"],
    ],
)
def test_the_cli_refuses_a_period_that_is_not_one(db_path, world, tmp_path, args):
    out = tmp_path / "register.xlsx"
    result = CliRunner().invoke(
        main,
        ["export", "register", "--org", "Gemeente Test", *args, "--out", str(out)],
        env={"DATALEK_DB": str(db_path)},
    )
    assert result.exit_code != 0 and not out.exists()
