"""Safety before speed: no letter or notice for a recipient group before its safety check
or while it is postponed; postponements come back for review and block closing."""

import json
from datetime import date, timedelta

import pytest

from datalek import clock
from datalek.accounts.permissions import PermissionDenied
from datalek.actions import authority, documents, informing, measures
from datalek.actions.addressees import Addressee
from datalek.actions.informing import Channel
from datalek.actions.letters import LetterText
from datalek.handling import assessment, completeness, decisions, incidents, lifecycle, prefill
from datalek.handling.decisions import DecisionInput, Inform
from datalek.models import InvalidInput, Status
from datalek.store import audit_log
from tests.conftest import NOW, make_report
from tests.test_lessons import a_lesson

TODAY = date(2026, 11, 25)  # the clock below, in Amsterdam
TEXT = LetterText(what_happened="Er ging iets mis.", consequences="Weinig.", measures="Hersteld.")
FIRST_QUESTION = "Beantwoord eerst de veiligheidsvraag voor deze ontvanger."
POSTPONED = "Het informeren van betrokkenen is uitgesteld vanwege de veiligheid."


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW + timedelta(days=5))


@pytest.fixture
def incident_id(fresh_db, world) -> int:
    """Decided: notify the AP and inform the people."""
    incident = incidents.submit_report(fresh_db, world["reporter"], make_report(world.org.id), at=NOW)
    assessment.save(
        fresh_db, world["dpo"], incident.id, prefill.facts_from_report(incident, world.org), "g", "m"
    )
    decisions.record(
        fresh_db,
        world["dpo"],
        incident.id,
        DecisionInput(breach=True, notify_authority=True, inform=Inform.YES, motivation="Conform advies."),
    )
    return incident.id


def _check(db, world, incident_id, recipient=Addressee.PARENTS, risk=False, reason="", review_on=None):
    return informing.record_safety_check(db, world["dpo"], incident_id, recipient, risk, reason, review_on)


def _postpone(db, world, incident_id, recipient=Addressee.PARENTS, review_on=TODAY + timedelta(days=7)):
    return _check(db, world, incident_id, recipient, True, "Zorgen over huiselijk geweld.", review_on)


def _letter(db, world, incident_id, recipient=Addressee.PARENTS):
    return documents.letter_for(db, world["dpo"], incident_id, recipient, TEXT, today=TODAY)


def _notice(db, world, incident_id, recipient=Addressee.PARENTS, **kw):
    values = {"people_count": 2, "informed_on": date(2026, 11, 21), "channel": Channel.LETTER, **kw}
    return informing.record_notice(db, world["dpo"], incident_id, recipient, **values)


def _refused(call) -> dict:
    with pytest.raises(InvalidInput) as refused:
        call()
    return refused.value.errors


@pytest.mark.parametrize("make", [_letter, _notice], ids=["letter", "notice"])
def test_nothing_goes_to_a_recipient_group_before_its_safety_check(fresh_db, world, incident_id, make):
    assert _refused(lambda: make(fresh_db, world, incident_id))["recipient"] == FIRST_QUESTION


@pytest.mark.parametrize("make", [_letter, _notice], ids=["letter", "notice"])
def test_nothing_goes_to_a_recipient_group_flagged_as_a_safety_risk(fresh_db, world, incident_id, make):
    _postpone(fresh_db, world, incident_id)
    message = _refused(lambda: make(fresh_db, world, incident_id))["recipient"]
    assert message == "Uitgesteld vanwege de veiligheid. Opnieuw bekijken op 02-12-2026."
    assert informing.overview(fresh_db, world["dpo"], incident_id).notices == []


@pytest.mark.parametrize("make", [_letter, _notice], ids=["letter", "notice"])
def test_a_later_check_without_risk_lifts_the_postponement(fresh_db, world, incident_id, make):
    _postpone(fresh_db, world, incident_id)
    _check(fresh_db, world, incident_id, risk=False, reason="Niet bewaard bij geen risico.")
    assert make(fresh_db, world, incident_id)
    latest = informing.overview(fresh_db, world["dpo"], incident_id).checks[Addressee.PARENTS]
    assert not latest.postponed and latest.reason == "" and latest.review_on is None


def test_a_risk_for_one_group_does_not_block_another(fresh_db, world, incident_id):
    _postpone(fresh_db, world, incident_id, Addressee.PARENTS)
    _check(fresh_db, world, incident_id, Addressee.YOUNG_PERSON)
    assert _letter(fresh_db, world, incident_id, Addressee.YOUNG_PERSON).salutation == "Hoi,"
    assert "recipient" in _refused(lambda: _letter(fresh_db, world, incident_id, Addressee.PARENTS))


@pytest.mark.parametrize(
    ("risk", "reason", "review_on", "field", "message"),
    [
        (None, "", None, "risk", "Kies ja of nee."),
        (True, "", TODAY + timedelta(days=7), "reason", "Leg uit waarom informeren nu niet veilig is."),
        (True, "Gevaar.", None, "review_on", "Kies een datum na vandaag waarop je dit opnieuw bekijkt."),
        (True, "Gevaar.", TODAY, "review_on", "Kies een datum na vandaag waarop je dit opnieuw bekijkt."),
        (True, "Gevaar.", TODAY - timedelta(days=1), "review_on", "Kies een datum na vandaag"),
        (True, "Gevaar.", TODAY + timedelta(days=367), "review_on", "Kies een datum binnen een jaar."),
        (True, "x" * 4001, TODAY + timedelta(days=7), "reason", "hoogstens 4000 tekens"),
    ],
    ids=[
        "no-answer",
        "risk-without-reason",
        "risk-without-date",
        "review-today",
        "review-yesterday",
        "review-beyond-a-year",
        "reason-too-long",
    ],
)
def test_an_undocumented_postponement_is_refused(
    fresh_db, world, incident_id, risk, reason, review_on, field, message
):
    errors = _refused(
        lambda: _check(fresh_db, world, incident_id, risk=risk, reason=reason, review_on=review_on)
    )
    assert message in errors[field]
    assert informing.overview(fresh_db, world["dpo"], incident_id).checks == {}


def test_a_postponement_may_last_up_to_a_year(fresh_db, world, incident_id):
    made = _postpone(fresh_db, world, incident_id, review_on=TODAY + timedelta(days=366))
    assert made.postponed and made.review_on == TODAY + timedelta(days=366)


@pytest.mark.parametrize(
    ("day", "listed"),
    [
        (TODAY + timedelta(days=6), False),
        (TODAY + timedelta(days=7), True),
        (TODAY + timedelta(days=30), True),
    ],
    ids=["day-before", "on-the-review-date", "after"],
)
def test_a_postponement_returns_to_the_queue_on_its_review_date(fresh_db, world, incident_id, day, listed):
    _postpone(fresh_db, world, incident_id)
    due = informing.reviews_due(fresh_db, world["dpo"], today=day)
    assert [(r.incident_id, r.recipient, r.review_on) for r in due] == (
        [(incident_id, Addressee.PARENTS, TODAY + timedelta(days=7))] if listed else []
    )
    assert informing.reviews_due(fresh_db, world["other_dpo"], today=day) == []


def test_a_lifted_postponement_is_no_longer_due(fresh_db, world, incident_id):
    _postpone(fresh_db, world, incident_id)
    _check(fresh_db, world, incident_id, risk=False)
    assert informing.reviews_due(fresh_db, world["dpo"], today=TODAY + timedelta(days=30)) == []


@pytest.mark.parametrize("who", ["reporter", "management", "admin"])
def test_only_a_dpo_sees_the_reviews(fresh_db, world, who):
    with pytest.raises(PermissionDenied):
        informing.reviews_due(fresh_db, world[who])


def test_closing_is_blocked_while_a_postponement_is_open(fresh_db, world, incident_id):
    authority.record_initial(fresh_db, world["dpo"], incident_id, "M-2026-000123", NOW + timedelta(hours=20))
    measures.add(
        fresh_db,
        world["dpo"],
        incident_id,
        measures.MeasureInput(
            kind=measures.MeasureKind.PREVENTIVE, description="Sjabloon.", owner="Team", due_on=TODAY
        ),
    )
    _check(fresh_db, world, incident_id, Addressee.YOUNG_PERSON)
    _notice(fresh_db, world, incident_id, Addressee.YOUNG_PERSON)
    _postpone(fresh_db, world, incident_id, Addressee.PARENTS)
    gaps = completeness.documentation_gaps(fresh_db, incident_id)
    assert len(gaps) == 1 and gaps[0].startswith(POSTPONED)
    errors = _refused(lambda: lifecycle.close(fresh_db, world["dpo"], incident_id, a_lesson()))
    assert POSTPONED in errors["status"]
    _check(fresh_db, world, incident_id, Addressee.PARENTS)
    assert lifecycle.close(fresh_db, world["dpo"], incident_id, a_lesson()) is Status.CLOSED


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"people_count": 0}, "people_count", "minstens 1"),
        ({"people_count": None}, "people_count", "minstens 1"),
        ({"informed_on": None}, "informed_on", "Kies de datum"),
        ({"informed_on": TODAY + timedelta(days=1)}, "informed_on", "in de toekomst"),
        ({"informed_on": date(2026, 11, 19)}, "informed_on", "vóór het ontdekken"),
        ({"channel": None}, "channel", "Kies hoe je hebt geïnformeerd."),
    ],
    ids=["nobody", "no-count", "no-date", "future", "before-discovery", "no-channel"],
)
def test_a_notice_needs_count_date_and_channel(fresh_db, world, incident_id, changes, field, message):
    _check(fresh_db, world, incident_id)
    assert message in _refused(lambda: _notice(fresh_db, world, incident_id, **changes))[field]


def test_a_notice_and_a_public_notice_document_who_was_informed(fresh_db, world, incident_id):
    _check(fresh_db, world, incident_id)
    _notice(fresh_db, world, incident_id, people_count=3, channel=Channel.EMAIL)
    informing.record_public_notice(
        fresh_db, world["dpo"], incident_id, " Op de website. ", date(2026, 11, 22)
    )
    seen = informing.overview(fresh_db, world["dpo"], incident_id)
    assert seen.informed and seen.public[0].text == "Op de website."
    assert [(n.recipient, n.people_count, n.channel) for n in seen.notices] == [
        (Addressee.PARENTS, 3, Channel.EMAIL)
    ]
    entry = audit_log.recent(fresh_db, 1, action="subjects.notice")[0]
    assert json.loads(entry["detail"]) == {"recipient": "parents", "people_count": 3, "channel": "email"}


@pytest.mark.parametrize(
    ("text", "day", "field"),
    [
        ("", date(2026, 11, 22), "text"),
        ("Tekst.", None, "published_on"),
        ("Tekst.", TODAY + timedelta(days=1), "published_on"),
    ],
    ids=["no-text", "no-date", "future"],
)
def test_a_public_notice_needs_its_text_and_a_past_date(fresh_db, world, incident_id, text, day, field):
    dpo = world["dpo"]
    assert field in _refused(lambda: informing.record_public_notice(fresh_db, dpo, incident_id, text, day))


def test_the_safety_check_is_audited_without_its_reason(fresh_db, world, incident_id):
    _postpone(fresh_db, world, incident_id)
    entry = audit_log.recent(fresh_db, 1, action="subjects.safety_check")[0]
    assert json.loads(entry["detail"]) == {"recipient": "parents", "risk": True}
    assert "geweld" not in entry["detail"]


@pytest.mark.parametrize("who", ["reporter", "management", "admin", "other_dpo"])
def test_only_the_dpo_records_safety_checks_and_notices(fresh_db, world, incident_id, who):
    with pytest.raises(PermissionDenied):
        informing.record_safety_check(fresh_db, world[who], incident_id, Addressee.PARENTS, False)
    _check(fresh_db, world, incident_id)
    with pytest.raises(PermissionDenied):
        informing.record_notice(fresh_db, world[who], incident_id, Addressee.PARENTS, 1, TODAY, Channel.PHONE)
    with pytest.raises(PermissionDenied):
        informing.overview(fresh_db, world[who], incident_id)


# --- postponements of a family, back for review; the public notice says where -------------------


def _family_postponed(db, world, incident_id, review_on=TODAY + timedelta(days=7)) -> int:
    from tests.test_sending import SECRET, issue_family, judge

    family = issue_family(db, world["dpo"], incident_id)
    judge(db, world["dpo"], family["house"], [family["p2"]], True, SECRET, review_on)
    return family["house"]


@pytest.mark.parametrize(
    ("day", "listed"),
    [
        (TODAY + timedelta(days=6), False),
        (TODAY + timedelta(days=7), True),
        (TODAY + timedelta(days=30), True),
    ],
    ids=["day-before", "on-the-review-date", "after"],
)
def test_a_family_postponement_returns_for_review_on_its_date(fresh_db, world, incident_id, day, listed):
    house = _family_postponed(fresh_db, world, incident_id)
    _postpone(fresh_db, world, incident_id, Addressee.YOUNG_12_15, review_on=TODAY + timedelta(days=8))
    due = informing.reviews_due(fresh_db, world["dpo"], today=day)
    family = [(incident_id, None, TODAY + timedelta(days=7), house, "Gezin 1")] if listed else []
    group = (
        [(incident_id, Addressee.YOUNG_12_15, TODAY + timedelta(days=8), None, "")]
        if day > TODAY + timedelta(days=7)
        else []
    )
    assert [(r.incident_id, r.recipient, r.review_on, r.household_id, r.label) for r in due] == family + group
    assert [r.what for r in due] == ["Gezin 1", "jongere van 12 tot en met 15 jaar"][: len(due)]
    assert informing.reviews_due(fresh_db, world["other_dpo"], today=day) == []


def test_a_resolved_family_postponement_is_no_longer_due(fresh_db, world, incident_id):
    from tests.test_sending import judge

    house = _family_postponed(fresh_db, world, incident_id)
    judge(fresh_db, world["dpo"], house, [], False)
    assert informing.reviews_due(fresh_db, world["dpo"], today=TODAY + timedelta(days=30)) == []


def test_the_queue_shows_an_open_postponement_until_it_is_resolved(fresh_db, world, incident_id):
    from datalek.actions import postponements
    from tests.test_sending import judge

    assert postponements.queue_flags(fresh_db, world["dpo"]) == {}
    house = _family_postponed(fresh_db, world, incident_id, review_on=TODAY + timedelta(days=9))
    _postpone(fresh_db, world, incident_id, Addressee.PARENTS, review_on=TODAY + timedelta(days=7))
    flags = postponements.queue_flags(fresh_db, world["dpo"])
    assert flags == {incident_id: "Informeren uitgesteld (veiligheid) tot 02-12-2026"}  # the soonest
    assert postponements.queue_flags(fresh_db, world["other_dpo"]) == {}
    _check(fresh_db, world, incident_id, Addressee.PARENTS)
    assert postponements.queue_flags(fresh_db, world["dpo"]) == {
        incident_id: "Informeren uitgesteld (veiligheid) tot 04-12-2026"
    }
    judge(fresh_db, world["dpo"], house, [], False)
    assert postponements.queue_flags(fresh_db, world["dpo"]) == {}


@pytest.mark.parametrize("who", ["reporter", "management", "admin"])
def test_only_a_dpo_sees_the_queue_flags(fresh_db, world, who):
    from datalek.actions import postponements

    with pytest.raises(PermissionDenied):
        postponements.queue_flags(fresh_db, world[who])


@pytest.mark.parametrize(
    ("where", "error"),
    [
        ("", "Vul in waar de mededeling staat. Bijvoorbeeld het adres van de website."),
        ("   ", "Vul in waar de mededeling staat. Bijvoorbeeld het adres van de website."),
        ("x" * 301, "Dit is te lang: gebruik hoogstens 300 tekens."),
        ("x" * 300, None),
        (" Huis-aan-huisblad De Stadskrant ", None),
    ],
    ids=["empty", "blank", "too-long", "longest", "a-paper"],
)
def test_a_public_notice_says_where_it_was_published(fresh_db, world, incident_id, where, error):
    def record():
        return informing.record_public_notice(
            fresh_db, world["dpo"], incident_id, "Tekst.", date(2026, 11, 22), published_where=where
        )

    if error:
        assert _refused(record) == {"published_where": error}
        assert informing.overview(fresh_db, world["dpo"], incident_id).public == []
    else:
        assert record().published_where == where.strip()
        [kept] = informing.overview(fresh_db, world["dpo"], incident_id).public
        assert (kept.text, kept.published_on, kept.published_where) == (
            "Tekst.",
            date(2026, 11, 22),
            where.strip(),
        )


def test_a_public_notice_recorded_the_old_way_keeps_an_empty_place(fresh_db, world, incident_id):
    made = informing.record_public_notice(fresh_db, world["dpo"], incident_id, "Tekst.", date(2026, 11, 22))
    assert made.published_where == ""
    assert informing.overview(fresh_db, world["dpo"], incident_id).public == [made]
