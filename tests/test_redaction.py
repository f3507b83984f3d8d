"""The employee's choices about identifiers in a report: replace or keep, one by one."""

from __future__ import annotations

import pytest

from datalek.intake import redaction
from datalek.intake.report import MAX_DESCRIPTION
from datalek.models import InvalidInput
from tests.conftest import make_report

BSN = "111222333"  # passes the eleven-test
DESCRIPTION = f"Brief met BSN {BSN} naar j.jansen@voorbeeld.nl gestuurd."
ACTIONS = "Gebeld met 06-12345678 om de brief terug te vragen."


@pytest.fixture
def report(world):
    return make_report(world.org.id, description=DESCRIPTION, actions_taken=ACTIONS)


def test_every_identifier_is_found_and_numbered_with_its_field(report):
    found = redaction.findings(report)
    assert [(f["field"], f["text"]) for f in found] == [
        ("description", BSN),
        ("description", "j.jansen@voorbeeld.nl"),
        ("actions_taken", "06-12345678"),
    ]


@pytest.mark.parametrize(
    ("keep", "description", "actions", "kept"),
    [
        pytest.param(
            set(),
            "Brief met BSN [BSN] naar [e-mail] gestuurd.",
            "Gebeld met [telefoon] om",
            False,
            id="replace-all",
        ),
        pytest.param(
            {1},
            "Brief met BSN [BSN] naar j.jansen@voorbeeld.nl gestuurd.",
            "Gebeld met [telefoon] om",
            True,
            id="keep-the-address",
        ),
        pytest.param({0, 1, 2}, DESCRIPTION, "Gebeld met 06-12345678 om", True, id="keep-everything"),
    ],
)
def test_the_choices_are_applied_one_by_one(report, keep, description, actions, kept):
    found = redaction.findings(report)
    redacted = redaction.redact(report.model_dump(mode="json"), found, keep)
    assert redacted.values["description"] == description
    assert redacted.values["actions_taken"].startswith(actions)
    assert redacted.kept is kept
    stored = redacted.report()
    assert stored.description == description and stored.department == report.department


def test_a_text_that_placeholders_make_too_long_is_refused_per_field(world):
    long_text = ("x" * (MAX_DESCRIPTION - 7)) + " a@b.nl"  # "[e-mail]" is longer than the address
    report = make_report(world.org.id, description=long_text)
    redacted = redaction.redact(report.model_dump(mode="json"), redaction.findings(report))
    with pytest.raises(InvalidInput) as refused:
        redacted.report()
    assert set(refused.value.errors) == {"description"}
    assert "te lang" in refused.value.errors["description"]


@pytest.mark.parametrize(
    ("warned_about", "now", "warn_again"),
    [
        ("Gebeld met 06-12345678.", "Gebeld met 06-12345678.", False),
        ("Gebeld met 06-12345678.", "Gebeld met 06-12345678, BSN 111222333.", True),
        ("Gebeld met 06-12345678.", "Gebeld.", False),
    ],
    ids=["the-same", "a-new-one-since-the-warning", "removed-since-the-warning"],
)
def test_keeping_covers_only_what_the_employee_was_warned_about(warned_about, now, warn_again):
    warned = redaction.identifiers_in(warned_about)
    found = redaction.identifiers_in(now)
    assert redaction.unwarned(found, warned) is warn_again
    if warn_again:
        assert {f["text"] for f in found} == {"06-12345678", BSN}
