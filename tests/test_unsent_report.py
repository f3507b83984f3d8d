"""``ui/unsent_report.text_of``: the report form's answers, as the guest whose link closed gets
them back to copy (issue #16): Dutch questions and answers, no internal codes, the free texts
as typed (never Markdown or HTML: the page shows them in a text field), and nothing when there
is nothing to give back. The page itself is ``tests/e2e/test_guest_link_revoked.py``."""

from __future__ import annotations

from datetime import date, time

from datalek.intake.situations import CountKind, DataKind, Recipient, Retrieval, Situation, SubjectGroup
from ui import unsent_report

WHAT = "Een back-up stond <b>onbeveiligd</b> op [een server](https://x.nl) — *niet* goed.\nTweede regel."
FORM = {
    "r_situation": Situation.LETTER_WRONG_ADDRESS.value,
    "r_occurrence": "unknown",
    "r_found_date": date(2026, 12, 4),
    "r_found_time": time(9, 5),
    "r_department": "Jeugd",
    "r_data_kinds": [DataKind.CARE_FILE.value],
    "r_subject_groups": [SubjectGroup.CHILDREN.value],
    "r_count_kind": CountKind.EXACT.value,
    "r_count": 2,
    "r_recipients": [Recipient.KNOWN_PERSON.value],
    "r_retrieval": Retrieval.UNKNOWN.value,
    "r_description": WHAT,
    "r_actions": "De ontvanger gebeld.",
}


def test_the_answers_read_as_dutch_questions_and_answers_with_the_texts_as_typed():
    text = unsent_report.text_of(FORM)
    lines = text.splitlines()
    assert lines[0] == f"Wat is er gebeurd: {Situation.LETTER_WRONG_ADDRESS.label}"
    assert "Wanneer gebeurde het: Weet ik niet" in lines
    assert "Wanneer ontdekte je het: 04-12-2026 om 09:05" in lines
    assert "Je afdeling of team: Jeugd" in lines
    assert f"Welke soorten gegevens: {DataKind.CARE_FILE.label}" in lines
    assert f"Over wie gaat het: {SubjectGroup.CHILDREN.label}" in lines
    assert "Hoeveel mensen: Precies" in lines and "Aantal mensen: 2" in lines
    assert f"Wie heeft de gegevens gekregen of kon ze zien: {Recipient.KNOWN_PERSON.label}" in lines
    assert any(line.endswith(": Weet ik niet") and "terug" in line for line in lines)
    assert f"Korte beschrijving:\n{WHAT}" in text  # verbatim: the page never renders it
    assert "Wat heb je al gedaan:\nDe ontvanger gebeld." in text
    for code in ("r_", "letter_wrong_address", "care_file", "known_person", "exact", "None"):
        assert code not in text.replace(WHAT, ""), code


def test_answers_off_screen_come_from_their_kept_copies_or_the_identifiers_step():
    kept = {f"keep_{key}": value for key, value in FORM.items()}
    assert unsent_report.text_of(kept) == unsent_report.text_of(FORM)
    pending = {"r_snapshot": dict(FORM), "r_pending": {"findings": []}}
    assert unsent_report.text_of(pending) == unsent_report.text_of(FORM)


def test_nothing_typed_or_already_sent_gives_nothing_back():
    assert unsent_report.text_of({}) == ""
    prefilled = {"r_found_date": date(2026, 12, 4), "r_found_time": time(9, 5)}
    assert unsent_report.text_of(prefilled) == ""  # the form fills these in by itself
    assert unsent_report.text_of({**FORM, "r_done": {"reference": "DL-2026-0001"}}) == ""
    assert unsent_report.text_of({"r_description": "Alleen dit."}) == "Korte beschrijving:\nAlleen dit."


def test_a_value_that_does_not_fit_the_form_is_left_out_not_shown_as_code():
    odd = {"r_situation": "iets_anders", "r_count": "veel", "r_description": "Wel dit."}
    assert unsent_report.text_of(odd) == "Korte beschrijving:\nWel dit."
