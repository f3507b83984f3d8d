"""``python -m datalek export concept REFERENCE --org ORG [--kind ...] [--json]``: the concept
AP-melding at the command line, as the operator acting for the organisation's FG; audited."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from click.testing import CliRunner

from datalek import clock
from datalek.actions import authority
from datalek.cli import main
from datalek.handling import assessment, decisions, incidents, prefill
from datalek.handling.decisions import DecisionInput, Inform
from datalek.store import audit_log
from tests.conftest import NOW, make_report


@pytest.fixture
def decided(fresh_db, world, db_path, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)
    incident = incidents.submit_report(fresh_db, world["reporter"], make_report(world.org.id), at=NOW)
    assessment.save(
        fresh_db,
        world["dpo"],
        incident.id,
        prefill.facts_from_report(incident, world.org),
        "Gevolgen.",
        "Herstel.",
    )
    decisions.record(
        fresh_db,
        world["dpo"],
        incident.id,
        DecisionInput(breach=True, notify_authority=True, inform=Inform.YES, motivation="Conform advies."),
    )
    return incident


def _run(db_path, *args):
    return CliRunner().invoke(main, ["export", "concept", *args, "--db", str(db_path)])


def test_the_concept_as_json_is_a_list_of_sections_with_null_for_unknown(decided, world, db_path, fresh_db):
    result = _run(db_path, decided.reference, "--org", "Gemeente Test", "--json")
    assert result.exit_code == 0, result.output
    sections = json.loads(result.output)
    assert [s["number"] for s in sections] == list(range(10))
    assert all(set(s) == {"number", "title", "answers"} for s in sections)
    answers = {a["question"]: a["answer"] for s in sections for a in s["answers"]}
    assert all(set(a) == {"question", "answer"} for s in sections for a in s["answers"])
    assert answers["Om welke soorten persoonsgegevens gaat het?"] == "Naam-, adres- en woonplaatsgegevens"
    assert (
        answers[
            "Is er een andere organisatie betrokken (verwerker, gezamenlijk verwerkingsverantwoordelijke)?"
        ]
        is None
    )
    assert "Onbekend" not in result.output
    made = audit_log.recent(fresh_db, 1, action="authority.concept")[0]
    assert made["actor_id"] is None and json.loads(made["detail"]) == {"supplement": False}


def test_the_concept_as_text_is_the_markdown(decided, db_path):
    result = _run(db_path, decided.reference, "--org", str(decided.org_id))
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"# Concept AP-melding {decided.reference}")


def test_a_withdrawal_concept_needs_a_notification_and_gives_the_reason(decided, world, db_path, fresh_db):
    refused = _run(db_path, decided.reference, "--org", "Gemeente Test", "--kind", "withdrawal")
    assert refused.exit_code != 0 and "Er is nog geen melding bij de AP vastgelegd." in refused.output
    authority.record_initial(fresh_db, world["dpo"], decided.id, "M-2026-000777", NOW - timedelta(hours=1))
    result = _run(
        db_path,
        decided.reference,
        "--org",
        "Gemeente Test",
        "--kind",
        "withdrawal",
        "--json",
        "--reason",
        "Bij nader inzien geen datalek.",
    )
    assert result.exit_code == 0, result.output
    answers = {a["question"]: a["answer"] for s in json.loads(result.output) for a in s["answers"]}
    assert answers["Soort melding"] == "Intrekking van de melding met meldnummer M-2026-000777."
    assert answers["Reden van de intrekking"] == "Bij nader inzien geen datalek."


@pytest.mark.parametrize(
    ("reference", "org", "message"),
    [
        ("DL-2099-9999", "Gemeente Test", "Geen melding DL-2099-9999 bij deze organisatie."),
        (None, "Jeugdzorg Test", "Geen melding"),  # another organisation's incident is not found
        (None, "Bestaat Niet", "Onbekende organisatie: Bestaat Niet"),
    ],
    ids=["unknown-reference", "other-organisation", "unknown-organisation"],
)
def test_refusals(decided, db_path, reference, org, message):
    result = _run(db_path, reference or decided.reference, "--org", org)
    assert result.exit_code != 0 and message in result.output
