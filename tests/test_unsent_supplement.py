"""``ui/unsent_report.text_of`` for the follow-up page (issue #16): what a guest typed into "Wat wil
je toevoegen?" (``pages/my_reports.supplement_form``) when the follow-up link closed, as they get
it back to copy: under a Dutch heading, as typed, and nothing when there is nothing to give back.
The page itself is ``tests/e2e/test_follow_up_link_closed.py``."""

from __future__ import annotations

from pages import my_reports
from ui import unsent_report

INCIDENT = 7
KEY = "0123456789abcdef0123456789abcdef"
MORE = "De map stond ook op een **tweede** <b>share</b>.\nDie is nu dicht."


def _typed(text, incident: int = INCIDENT, key: str = KEY, **more) -> dict:
    """Session state as the follow-up page leaves it: the form's submission key and its text area."""
    form = my_reports._adding(incident)
    return {form.prefix + "key": key, form.field("text", key): text, **more}


def test_the_supplement_text_comes_back_as_typed_under_a_dutch_heading():
    assert unsent_report.text_of(_typed(MORE), INCIDENT) == f"Je aanvulling:\n{MORE}"


def test_a_text_waiting_on_the_identifiers_warning_comes_back_too():
    form = my_reports._adding(INCIDENT)
    pending = _typed(MORE, **{form.field("findings", KEY): [{"kind": "bsn"}]})
    assert unsent_report.text_of(pending, INCIDENT) == f"Je aanvulling:\n{MORE}"


def test_nothing_typed_saved_or_of_another_report_gives_nothing_back():
    assert unsent_report.text_of({}, INCIDENT) == ""
    assert unsent_report.text_of(_typed("  \n "), INCIDENT) == ""
    assert unsent_report.text_of(_typed(None), INCIDENT) == ""
    # after a save the form gets a new key and forgets the old one's text
    saved = {**_typed(MORE), my_reports._adding(INCIDENT).prefix + "key": "f" * 32}
    assert unsent_report.text_of(saved, INCIDENT) == ""
    assert unsent_report.text_of(_typed(MORE, incident=8), INCIDENT) == ""
    assert unsent_report.text_of(_typed(MORE), None) == ""  # a report link's guest has no report


def test_the_report_form_answers_and_the_supplement_both_come_back():
    state = {**_typed(MORE), "r_description": "Alleen dit."}
    assert (
        unsent_report.text_of(state, INCIDENT)
        == f"Korte beschrijving:\nAlleen dit.\n\nJe aanvulling:\n{MORE}"
    )
