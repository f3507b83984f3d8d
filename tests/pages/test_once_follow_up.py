"""Issue #20: the FG's follow-up forms record once. A form submitted twice (a double click, a
second click on a form that kept its values) records one row; after a save the form is drawn
empty and says so right under its button. Recorded notices and measures are corrected or
withdrawn with a reason (``datalek.actions.informing``, ``measures``), also only once.

The safety check, notice and public notice tests find their widgets by label, so that they
also run against the forms as they were before (where the second submission recorded twice)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from datalek import clock, submissions
from datalek.actions import informing, measures
from datalek.actions.addressees import Addressee
from datalek.actions.informing import Channel
from datalek.actions.measures import MeasureInput, MeasureKind
from datalek.handling import assessment, decisions, incidents, prefill
from datalek.handling.decisions import DecisionInput, Inform
from tests.conftest import make_report
from tests.pages.conftest import button, count_rows, error_after, once_key, open_db, rows, successes
from tests.pages.test_follow_up_page import opened

ALREADY = submissions.ALREADY


@pytest.fixture
def decided(world, db_path):
    """A report discovered 20 h ago, assessed and decided: notify the AP, inform the people."""
    now = clock.now()
    db = open_db(db_path)
    try:
        incident = incidents.submit_report(
            db,
            world["reporter"],
            make_report(world.org.id, now=now, discovered_at=now - timedelta(hours=20)),
        )
        facts = prefill.facts_from_report(incident, world.org)
        assessment.save(db, world["dpo"], incident.id, facts, "Ouders lazen het verslag.", "Teruggehaald.")
        decisions.record(
            db,
            world["dpo"],
            incident.id,
            DecisionInput(
                breach=True, notify_authority=True, inform=Inform.YES, motivation="Volgens advies."
            ),
        )
    finally:
        db.close()
    return incident


def _today() -> date:
    return clock.now().astimezone(clock.AMSTERDAM).date()


def labelled(widgets, label: str) -> list:
    return [w for w in widgets if w.label == label]


def infos(at) -> list[str]:
    return [i.value for i in at.info]


def _with_db(db_path, work) -> None:
    db = open_db(db_path)
    try:
        work(db)
    finally:
        db.close()


def _parents_may_be_informed(world, incident, db_path) -> None:
    _with_db(
        db_path,
        lambda db: informing.record_safety_check(db, world["dpo"], incident.id, Addressee.PARENTS, False),
    )


def _notice(world, incident, db_path, count: int = 5) -> int:
    _parents_may_be_informed(world, incident, db_path)
    made = []
    _with_db(
        db_path,
        lambda db: made.append(
            informing.record_notice(
                db, world["dpo"], incident.id, Addressee.PARENTS, count, _today(), Channel.LETTER
            )
        ),
    )
    return made[0].id


def _measure(world, incident, db_path) -> int:
    made = []
    data = MeasureInput(
        kind=MeasureKind.PREVENTIVE,
        description="Adrescontrole in het sjabloon.",
        owner="Teamleider Jeugd",
        due_on=_today() + timedelta(days=30),
    )
    _with_db(db_path, lambda db: made.append(measures.add(db, world["dpo"], incident.id, data)))
    return made[0].id


# --- the three informing forms: submitted twice, recorded once, drawn empty -------------------


def _fill_safety(at) -> None:
    labelled(at.radio, informing.SAFETY_QUESTION)[1].set_value("no")  # [1]: the parents


def _fill_notice(at) -> None:
    # the parents' form comes first: the notices recorded (each with its correction form) follow
    labelled(at.number_input, "Aantal ontvangers")[0].set_value(2)
    labelled(at.date_input, "Geïnformeerd op")[0].set_value(_today())
    labelled(at.selectbox, "Hoe")[0].set_value("letter")


def _fill_public(at) -> None:
    labelled(at.text_area, "Tekst voor de website")[0].set_value("Er ging iets mis met een verslag.")
    labelled(at.text_input, "Waar gepubliceerd? (bijvoorbeeld het adres van de webpagina)")[0].set_value(
        "www.example.nl/datalek"
    )
    labelled(at.date_input, "Gepubliceerd op")[0].set_value(_today())


FORMS = {
    # name: (fill, button, button index, table, the message, the field that must be empty)
    "safety_check": (
        _fill_safety,
        "Veiligheidscheck vastleggen",
        1,
        "safety_checks",
        "De veiligheidscheck is vastgelegd.",
        lambda at: labelled(at.radio, informing.SAFETY_QUESTION)[1].value,
    ),
    "notice": (
        _fill_notice,
        "Informeren vastleggen",
        -1,
        "subject_notices",
        "Vastgelegd wie er zijn geïnformeerd.",
        lambda at: labelled(at.number_input, "Aantal ontvangers")[0].value,
    ),
    "public_notice": (
        _fill_public,
        "Mededeling vastleggen",
        0,
        "public_notices",
        "De openbare mededeling is vastgelegd.",
        lambda at: labelled(at.date_input, "Gepubliceerd op")[0].value,
    ),
}


@pytest.mark.parametrize("name", list(FORMS))
def test_an_informing_form_submitted_twice_is_recorded_once(
    world, decided, db_path, fixed_submission_key, name
):
    fill, label, index, table, message, _ = FORMS[name]
    if name == "notice":
        _parents_may_be_informed(world, decided, db_path)
    at = opened(world, decided)
    for _ in range(2):  # the same form, with the same values, sent again
        fill(at)
        [b for b in at.button if b.label == label][index].click().run()
        assert not at.exception, at.exception
    assert count_rows(db_path, table) == 1
    assert ALREADY in infos(at)


@pytest.mark.parametrize("name", list(FORMS))
def test_an_informing_form_is_drawn_empty_after_a_save_with_the_message_under_it(
    world, decided, db_path, name
):
    fill, label, index, table, message, value = FORMS[name]
    if name == "notice":
        _parents_may_be_informed(world, decided, db_path)
    at = opened(world, decided)
    fill(at)
    [b for b in at.button if b.label == label][index].click().run()
    assert message in successes(at)
    assert count_rows(db_path, table) == 1
    assert value(at) is None  # a new, empty form: a second click records nothing
    assert "q_flash" not in at.session_state or at.session_state["q_flash"] != message


def outcome_under(at, form_prefix: str) -> str | None:
    """The message shown right under the submit button of the once-form ``form_prefix``."""
    from tests.pages.conftest import walk

    seen = False
    for node in walk(at.main):
        if str(getattr(node, "key", "") or "").startswith(f"FormSubmitter:{form_prefix}"):
            seen = True
        elif seen and type(node).__name__ in ("Success", "Info", "Error", "Warning"):
            return node.value
        elif seen and getattr(node, "key", None):
            return None
    return None


def test_the_outcome_is_right_under_the_forms_own_button(world, decided, db_path):
    _parents_may_be_informed(world, decided, db_path)
    at = opened(world, decided)
    _fill_notice(at)
    button(at, "Informeren vastleggen").click().run()
    assert outcome_under(at, f"inf{decided.id}_parents_notice_") == "Vastgelegd wie er zijn geïnformeerd."


# --- corrections and withdrawals: with a reason, recorded once -----------------------------


def test_a_notice_withdrawn_needs_a_reason_and_then_no_longer_counts(world, decided, db_path):
    notice_id = _notice(world, decided, db_path)
    at = opened(world, decided)
    p = f"inf{decided.id}_n{notice_id}_drop_"
    button(at, "Intrekken").click().run()
    assert "Schrijf waarom" in error_after(at, once_key(at, p, "reason"))
    reason = "Dubbel vastgelegd **vet** [link](https://x.invalid)"
    at.text_area(key=once_key(at, p, "reason")).set_value(reason)
    button(at, "Intrekken").click().run()
    assert "De regel is ingetrokken. Hij telt niet meer mee, maar blijft zichtbaar." in successes(at)
    (row,) = rows(db_path, "SELECT withdrawn_reason FROM subject_notices")
    assert row["withdrawn_reason"] == reason
    struck = [m.value for m in at.markdown if "Ingetrokken" in m.value]
    assert struck and struck[0].startswith("~~Geïnformeerd: Ouders of voogd met gezag, 5 op")
    assert any("Reden: Dubbel vastgelegd \\*\\*vet\\*\\* \\[link\\]" in c.value for c in at.caption)
    assert not [t for t in at.text if t.value.startswith("Geïnformeerd:")]  # nothing counts as informed


def test_a_notice_corrected_shows_its_first_value(world, decided, db_path):
    notice_id = _notice(world, decided, db_path, count=5)
    at = opened(world, decided)
    p = f"inf{decided.id}_n{notice_id}_fix_"
    at.number_input(key=once_key(at, p, "count")).set_value(4)
    at.text_area(key=once_key(at, p, "reason")).set_value("Telfout: vier ouders.")
    button(at, "Correctie opslaan").click().run()
    assert "De correctie is opgeslagen. De oude gegevens blijven bewaard." in successes(at)
    assert any(t.value.endswith("(brief). (gecorrigeerd, eerst: 5)") for t in at.text)
    assert at.number_input(key=once_key(at, p, "count")).value == 4  # the new form shows the new value
    assert at.text_area(key=once_key(at, p, "reason")).value == ""


STEPS = {
    # name: (make, the form's prefix, fill, button, the message)
    "notice_correction": (
        _notice,
        "inf{incident}_n{row}_fix_",
        {"count": 4, "reason": "Telfout."},
        "Correctie opslaan",
        "De correctie is opgeslagen. De oude gegevens blijven bewaard.",
    ),
    "notice_withdrawal": (
        _notice,
        "inf{incident}_n{row}_drop_",
        {"reason": "Dubbel."},
        "Intrekken",
        "De regel is ingetrokken. Hij telt niet meer mee, maar blijft zichtbaar.",
    ),
    "measure_correction": (
        _measure,
        "ms{incident}_{row}_fix_",
        {"owner": "Afdeling ICT", "reason": "Verkeerde uitvoerder."},
        "Correctie opslaan",
        "De correctie is opgeslagen. De oude gegevens blijven bewaard.",
    ),
    "measure_withdrawal": (
        _measure,
        "ms{incident}_{row}_drop_",
        {"reason": "Per ongeluk toegevoegd."},
        "Intrekken",
        "De maatregel is ingetrokken. Hij telt niet meer mee, maar blijft zichtbaar.",
    ),
}


def _set(at, key: str, value) -> None:
    for kind in ("number_input", "text_area", "text_input"):
        found = [w for w in getattr(at, kind) if w.key == key]
        if found:
            found[0].set_value(value)
            return
    raise AssertionError(f"no field {key}")


@pytest.mark.parametrize("name", list(STEPS))
def test_a_correction_or_withdrawal_submitted_twice_is_recorded_once(
    world, decided, db_path, fixed_submission_key, name
):
    """Two tabs (or a replayed message) holding the same drawn form: the second records nothing.
    A withdrawn row's form is gone after the first save, so the second tab is the way back."""
    make, prefix, values, label, message = STEPS[name]
    row_id = make(world, decided, db_path)
    first, second = opened(world, decided), opened(world, decided)
    p = prefix.format(incident=decided.id, row=row_id)
    for at in (first, second):
        for field, value in values.items():
            _set(at, once_key(at, p, field), value)
        button(at, label).click().run()
        assert not at.exception, at.exception
    assert message in successes(first)
    assert count_rows(db_path, "corrections") == 1
    assert ALREADY in infos(second)


def test_a_withdrawn_measure_is_struck_through_with_its_reason_and_no_status(world, decided, db_path):
    measure_id = _measure(world, decided, db_path)
    at = opened(world, decided)
    p = f"ms{decided.id}_{measure_id}_drop_"
    at.text_area(key=once_key(at, p, "reason")).set_value("Per ongeluk toegevoegd.")
    button(at, "Intrekken").click().run()
    assert any(m.value.startswith("~~**Preventie") and "Ingetrokken" in m.value for m in at.markdown)
    assert any("Reden: Per ongeluk toegevoegd\\." in c.value for c in at.caption)
    assert not [s for s in at.selectbox if s.key == f"ms{decided.id}_{measure_id}_status"]
    (row,) = rows(db_path, "SELECT status, withdrawn_reason FROM measures")
    assert row == {"status": "planned", "withdrawn_reason": "Per ongeluk toegevoegd."}
