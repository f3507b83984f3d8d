"""The order of an incident's moments (``datalek.chronology``): occurred ≤ discovered ≤ aware ≤
notified ≤ now, ended ≥ started, ended ≤ now; unknown moments are skipped; a clash names both
moments with their values."""

from datetime import UTC, datetime, timedelta

import pytest

from datalek import chronology

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)  # 13:00 in Amsterdam
H = timedelta(hours=1)

#: (given moments, the field that gets a message, the words it must contain)
CLASHES = [
    ({"occurred_from": NOW - 5 * H, "discovered_at": NOW - 6 * H}, "discovered_at",
     "Het lek werd ontdekt (04-12-2026 07:00) vóór het lek begon (04-12-2026 08:00)."),
    ({"discovered_at": NOW - 5 * H, "aware_at": NOW - 6 * H}, "aware_at",
     "De organisatie wist het (04-12-2026 07:00) vóór het lek ontdekt werd (04-12-2026 08:00)."),
    ({"aware_at": NOW - 5 * H, "notified_at": NOW - 6 * H}, "notified_at",
     "De AP werd ingelicht (04-12-2026 07:00) vóór de organisatie het wist (04-12-2026 08:00)."),
    ({"occurred_from": NOW - 5 * H, "occurred_to": NOW - 6 * H}, "occurred_to",
     "Het lek eindigde (04-12-2026 07:00) vóór het lek begon (04-12-2026 08:00)."),
    # an unknown moment in between is skipped: the nearest known one before it counts
    ({"occurred_from": NOW - 5 * H, "aware_at": NOW - 6 * H}, "aware_at",
     "De organisatie wist het (04-12-2026 07:00) vóór het lek begon (04-12-2026 08:00)."),
    ({"discovered_at": NOW - 5 * H, "notified_at": NOW - 6 * H}, "notified_at",
     "De AP werd ingelicht (04-12-2026 07:00) vóór het lek ontdekt werd (04-12-2026 08:00)."),
    ({"occurred_from": NOW - 5 * H, "notified_at": NOW - 6 * H}, "notified_at",
     "De AP werd ingelicht (04-12-2026 07:00) vóór het lek begon (04-12-2026 08:00)."),
    # every moment against now (beyond the clock skew)
    ({"occurred_from": NOW + 6 * timedelta(minutes=1)}, "occurred_from",
     "Het lek begon (04-12-2026 13:06): dat ligt in de toekomst. Het is nu 04-12-2026 13:00."),
    ({"occurred_to": NOW + H}, "occurred_to", "Het lek eindigde (04-12-2026 14:00): dat ligt in de toekomst."),
    ({"discovered_at": NOW + H}, "discovered_at", "Het lek werd ontdekt (04-12-2026 14:00): dat ligt in"),
    ({"aware_at": NOW + H}, "aware_at", "De organisatie wist het (04-12-2026 14:00): dat ligt in"),
    ({"notified_at": NOW + H}, "notified_at", "De AP werd ingelicht (04-12-2026 14:00): dat ligt in"),
]  # fmt: skip


@pytest.mark.parametrize(("given", "field", "words"), CLASHES)
def test_a_clash_is_reported_on_the_later_moment_naming_both(given, field, words):
    errors = chronology.check(now=NOW, **given)
    assert list(errors) == [field]
    assert words in errors[field]


ORDERED = [
    {},
    {"occurred_from": NOW - 9 * H, "occurred_to": NOW - 8 * H, "discovered_at": NOW - 7 * H,
     "aware_at": NOW - 6 * H, "notified_at": NOW - 5 * H},
    # equal moments are in order; so is a moment within the five-minute clock skew
    {"occurred_from": NOW - H, "occurred_to": NOW - H, "discovered_at": NOW - H, "aware_at": NOW - H,
     "notified_at": NOW + timedelta(minutes=5)},
    # a period may end after it was discovered (it was still going on)
    {"occurred_from": NOW - 9 * H, "discovered_at": NOW - 8 * H, "occurred_to": NOW - H},
    {"aware_at": NOW - 2 * H},
]  # fmt: skip


@pytest.mark.parametrize("given", ORDERED)
def test_moments_in_order_pass(given):
    assert chronology.check(now=NOW, **given) == {}


def test_one_wrong_moment_gives_one_message_not_a_cascade():
    """Discovered too early: only the discovery clashes (awareness is after it, and the nearest
    known moment before awareness is the discovery)."""
    errors = chronology.check(
        now=NOW, occurred_from=NOW - 5 * H, discovered_at=NOW - 7 * H, aware_at=NOW - 6 * H
    )
    assert list(errors) == ["discovered_at"]


# --- python -m datalek assess: the facts file may carry the other moments -----------------------


def _assess(tmp_path, **moments):
    import json

    from click.testing import CliRunner

    from datalek.cli import main

    facts = {"aware_at": "2026-12-03T10:00:00+01:00", "natures": ["confidentiality"], **moments}
    path = tmp_path / "feiten.json"
    path.write_text(json.dumps(facts), encoding="utf-8")
    return CliRunner().invoke(main, ["assess", str(path)])


def test_the_command_line_refuses_a_facts_file_whose_moments_clash(tmp_path):
    result = _assess(tmp_path, discovered_at="2026-12-04T09:00:00+01:00")
    assert result.exit_code != 0
    assert (
        "De organisatie wist het (03-12-2026 10:00) vóór het lek ontdekt werd (04-12-2026 09:00)."
        in result.output
    )


def test_the_command_line_accepts_moments_in_order(tmp_path):
    result = _assess(
        tmp_path, occurred_from="2026-12-02T22:00:00+01:00", discovered_at="2026-12-03T08:00:00+01:00"
    )
    assert result.exit_code == 0, result.output
    assert '"notify_authority"' in result.output


# --- the demo data: only valid chronologies, and a realistic mix of bases ------------------------


def test_the_demo_makes_only_valid_chronologies_and_a_mix_of_bases(tmp_path):
    from collections import Counter

    from datalek import clock, store
    from datalek.demo import dataset

    dataset.generate(str(tmp_path / "demo.db"), 600, 2, 3, now=NOW, with_accounts=False)
    with store.unit(tmp_path / "demo.db") as db:
        found = list(db.query("SELECT * FROM incidents"))
        notified = {
            r["incident_id"]: r["submitted_at"]
            for r in db.query("SELECT * FROM authority_notifications WHERE kind = 'initial'")
        }
    wrong = []
    for row in found:
        moments = {
            k: clock.from_iso(row[k]) for k in ("occurred_from", "occurred_to", "discovered_at", "aware_at")
        }
        errors = chronology.check(now=NOW, notified_at=clock.from_iso(notified.get(row["id"])), **moments)
        if errors or row["first_aware_at"] != row["aware_at"]:
            wrong.append((row["reference"], errors))
    assert wrong == []
    bases = Counter(row["aware_basis"] for row in found)
    assert bases.most_common(1)[0][0] == "employee_report"
    assert {"processor", "monitoring", "data_subject"} <= set(bases)
    assert 0.65 < bases["employee_report"] / len(found) < 0.9
