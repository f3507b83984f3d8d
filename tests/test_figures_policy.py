"""The small-number threshold of an organisation's figures can be set (issue #17): by its FG
(or the operator on the server), never below the installation's floor or above 50, with a
reason; the old and the new value, who and why are kept; the figures use it at once."""

from __future__ import annotations

import html
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from datalek.accounts.permissions import PermissionDenied
from datalek.cli import main
from datalek.insight import annual_report, disclosure, figures_policy, stats
from datalek.models import Actor, InvalidInput
from tests import dashboard_world as dw

#: who -> may set the threshold of Gemeente Test (sorted: stable collection order)
WHO = sorted(
    {
        "admin": False,  # the beheerder: accounts, not the privacy of the figures
        "dpo": True,  # the FG of the organisation
        "management": False,  # reads the figures the threshold protects
        "operator": True,  # python -m datalek org small-number on the server
        "other_dpo": False,  # the FG of another organisation
        "reporter": False,  # an employee
    }.items()
)


@pytest.fixture(autouse=True)
def _no_floor(monkeypatch):
    monkeypatch.delenv("DATALEK_SMALL_NUMBER", raising=False)


def _actor(world, who: str) -> Actor:
    return Actor.cli() if who == "operator" else world[who]


def _audit(db, action: str) -> list[dict]:
    return [
        {**r, "detail": json.loads(r["detail"] or "{}")}
        for r in db.query("SELECT * FROM audit_log WHERE action = ? ORDER BY seq", [action])
    ]


@pytest.mark.parametrize(("who", "allowed"), WHO, ids=[w for w, _ in WHO])
def test_who_may_set_the_threshold(world, fresh_db, who, allowed):
    actor = _actor(world, who)
    if allowed:
        found = figures_policy.set_threshold(fresh_db, actor, world.org.id, 8, "Strenger voor het bestuur")
        assert found.own == 8
        assert figures_policy.threshold(fresh_db, actor, world.org.id).own == 8
        return
    with pytest.raises(PermissionDenied):
        figures_policy.set_threshold(fresh_db, actor, world.org.id, 8, "Strenger")
    refused = _audit(fresh_db, "refused")
    assert refused[-1]["detail"]["attempted"] == "organisation.small_number"
    assert (
        fresh_db.execute("SELECT small_number FROM organisations WHERE id = ?", [world.org.id]).fetchone()[0]
        == 5
    )
    assert fresh_db.execute("SELECT count(*) FROM organisation_changes").fetchone()[0] == 0


def test_a_change_keeps_old_and_new_value_who_and_why(world, fresh_db):
    dpo = world["dpo"]
    figures_policy.set_threshold(fresh_db, dpo, world.org.id, "10", "  Kleine afdelingen herkenbaar  ")
    figures_policy.set_threshold(fresh_db, dpo, world.org.id, 7, "Toch iets lager")
    [second, first] = figures_policy.history(fresh_db, dpo, world.org.id)
    assert (first.old, first.new, first.reason, first.changed_by_name) == (
        5,
        10,
        "Kleine afdelingen herkenbaar",
        "Dpo",
    )
    assert (second.old, second.new, second.reason) == (10, 7, "Toch iets lager")
    entries = _audit(fresh_db, "organisation.small_number")
    assert [(e["object_type"], e["object_id"], e["actor_id"], e["actor_role"]) for e in entries] == [
        ("organisation", str(world.org.id), dpo.user_id, "dpo")
    ] * 2
    assert [e["detail"] for e in entries] == [
        {"change_id": first.id, "old_small_number": 5, "new_small_number": 10},
        {"change_id": second.id, "old_small_number": 10, "new_small_number": 7},
    ]
    assert "herkenbaar" not in json.dumps([e["detail"] for e in entries])  # the reason stays out


@pytest.mark.parametrize(
    ("floor", "value", "reason", "field", "message"),
    sorted(
        [
            (
                None,
                "1",
                "r",
                "small_number",
                "De drempel kan niet lager zijn dan 2: bij 1 wordt niets verborgen.",
            ),
            (
                None,
                "0",
                "r",
                "small_number",
                "De drempel kan niet lager zijn dan 2: bij 1 wordt niets verborgen.",
            ),
            (
                None,
                "51",
                "r",
                "small_number",
                "De drempel kan niet hoger zijn dan 50: dan blijft er bijna niets over om te tonen.",
            ),
            (None, "vijf", "r", "small_number", "Vul een heel getal in, bijvoorbeeld 5."),
            (None, "6.5", "r", "small_number", "Vul een heel getal in, bijvoorbeeld 5."),
            (None, "5", "r", "small_number", "De drempel is al 5. Er is niets veranderd."),
            (None, "8", "  ", "reason", "Schrijf waarom je de drempel verandert."),
            (
                "8",
                "6",
                "r",
                "small_number",
                "De drempel kan niet lager zijn dan 8: dat is de ondergrens van deze installatie.",
            ),
        ],
        key=str,
    ),
)
def test_a_threshold_that_cannot_be_is_refused_in_dutch(
    world, fresh_db, monkeypatch, floor, value, reason, field, message
):
    if floor:
        monkeypatch.setenv("DATALEK_SMALL_NUMBER", floor)
    with pytest.raises(InvalidInput) as refused:
        figures_policy.set_threshold(fresh_db, world["dpo"], world.org.id, value, reason)
    assert refused.value.errors[field] == message
    assert fresh_db.execute("SELECT count(*) FROM organisation_changes").fetchone()[0] == 0


def test_the_floor_of_the_installation_can_be_set_and_wins(world, fresh_db, monkeypatch):
    monkeypatch.setenv("DATALEK_SMALL_NUMBER", "8")
    found = figures_policy.set_threshold(fresh_db, world["dpo"], world.org.id, 8, "De ondergrens")
    assert (found.own, found.used, found.lowest) == (8, 8, 8)


# --- the figures use it at once ----------------------------------------------------------------


def _hidden(dashboard: stats.Dashboard) -> int:
    current = dashboard.current
    return sum(c.count is None for row in current.series.values() for c in row) + sum(
        current.value(code) is None for code in stats.COUNTS
    )


def _hidden_in_xlsx(data: bytes) -> int:
    book = load_workbook(io.BytesIO(data))
    return sum(
        cell == disclosure.HIDDEN
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
    )


def test_a_higher_threshold_hides_more_at_once(world, fresh_db):
    """Threshold 2, then 10: the dashboard and the yearly report of the same account hide more
    right after the change, in the same process (the protected pattern is cached per threshold)."""
    dw.fill(fresh_db, world)
    dpo, management = world["dpo"], world["management"]
    figures_policy.set_threshold(fresh_db, dpo, world.org.id, 2, "Zo weinig mogelijk verbergen")
    low = _hidden(stats.dashboard(fresh_db, management, 2026, world.org.id, today=dw.TODAY))
    low_xlsx = _hidden_in_xlsx(
        annual_report.generate(fresh_db, management, 2026, world.org.id, "xlsx", dw.TODAY)
    )
    figures_policy.set_threshold(fresh_db, dpo, world.org.id, 10, "Meer bescherming")
    high = _hidden(stats.dashboard(fresh_db, management, 2026, world.org.id, today=dw.TODAY))
    high_xlsx = _hidden_in_xlsx(
        annual_report.generate(fresh_db, management, 2026, world.org.id, "xlsx", dw.TODAY)
    )
    assert (low, low_xlsx) < (high, high_xlsx) and low < high and low_xlsx < high_xlsx, (
        low,
        high,
        low_xlsx,
        high_xlsx,
    )
    page = annual_report.generate(fresh_db, management, 2026, world.org.id, "html", dw.TODAY).decode()
    assert html.escape(disclosure.explanation(10)) in page


# --- the command line ----------------------------------------------------------------------------


@pytest.fixture
def cli(db_path: Path, world):
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(main, list(args), env={"DATALEK_DB": str(db_path)})

    return invoke


def test_the_operator_sets_the_threshold_on_the_command_line(cli, world, fresh_db):
    shown = cli("org", "small-number", "--org", "Gemeente Test")
    assert (shown.exit_code, shown.output) == (0, "Drempel voor kleine aantallen: 5.\n")
    done = cli("org", "small-number", "--org", "Gemeente Test", "--set", "12", "--reason", "Beleid 2027")
    assert done.exit_code == 0, done.output
    assert done.output == "Opgeslagen. Drempel voor kleine aantallen van 5 naar 12.\n"
    [change] = figures_policy.history(fresh_db, Actor.cli(), world.org.id)
    assert (change.old, change.new, change.reason, change.changed_by_name) == (
        5,
        12,
        "Beleid 2027",
        "Server (opdrachtregel)",
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--set", "60", "--reason", "x"), "Fout: De drempel kan niet hoger zijn dan 50"),
        (("--set", "9"), "Fout: Schrijf waarom je de drempel verandert."),
    ],
)
def test_a_refusal_on_the_command_line_exits_with_2(cli, args, message):
    result = cli("org", "small-number", "--org", "Gemeente Test", *args)
    assert result.exit_code == 2
    assert message in result.output
