"""The concept AP-melding: sections 0-9 in Dutch, unknown answers shown as such, the delay
reason, Markdown and JSON, and a supplement that lists only what changed."""

import json
import re
from datetime import timedelta

import pytest

from datalek import clock
from datalek.accounts import users
from datalek.accounts.permissions import PermissionDenied
from datalek.actions import authority, documents, measures
from datalek.actions.notification_draft import UNKNOWN
from datalek.handling import assessment, decisions, delay, incidents, prefill
from datalek.handling.decisions import DecisionInput, Inform
from datalek.intake.situations import CountKind
from datalek.models import AwareBasis, InvalidInput
from datalek.store import audit_log
from datalek.triage.facts import Cause, CrossBorder, OtherOrganisation, SecurityMeasure, Severity
from datalek.triage.facts import DataCategory as D
from tests.conftest import NOW, make_report

AWARE = NOW - timedelta(hours=2)
SECTIONS = [
    (0, "Over deze melding"),
    (1, "Contactgegevens en algemene informatie"),
    (2, "Tijdlijn"),
    (3, "Gegevens over het datalek"),
    (4, "Persoonsgegevens"),
    (5, "Betrokkenen"),
    (6, "Maatregelen vooraf"),
    (7, "Gevolgen"),
    (8, "Vervolgacties"),
    (9, "Overig"),
]
FIXED = {"0.law", "0.kind", "1.organisation", "9.reference"}


class Clock:
    def __init__(self, monkeypatch):
        self.at = NOW
        monkeypatch.setattr(clock, "now", lambda: self.at)


@pytest.fixture
def fake_clock(monkeypatch) -> Clock:
    return Clock(monkeypatch)


@pytest.fixture
def decided(fresh_db, world, fake_clock):
    """Reported at NOW (aware two hours earlier), assessed and decided 'melden' at NOW."""
    incident = incidents.submit_report(fresh_db, world["reporter"], make_report(world.org.id), at=NOW)
    facts = prefill.facts_from_report(incident, world.org)
    assessment.save(
        fresh_db,
        world["dpo"],
        incident.id,
        facts,
        "Ouder kan het verslag lezen.",
        "Ontvanger gevraagd te verwijderen.",
    )
    decisions.record(
        fresh_db,
        world["dpo"],
        incident.id,
        DecisionInput(breach=True, notify_authority=True, inform=Inform.YES, motivation="Conform advies."),
    )
    return incident, facts


def _concept(db, world, incident_id, **kw):
    return documents.draft_notification(db, world["dpo"], incident_id, **kw)


def test_every_section_of_the_ap_form_is_answered_in_order(fresh_db, world, decided):
    made = _concept(fresh_db, world, decided[0].id)
    assert [(s.number, s.title) for s in made.sections] == SECTIONS
    assert all(s.answers for s in made.sections)
    answers = made.answers()
    assert answers["0.law"] == "Algemene verordening gegevensbescherming (AVG)"
    # Answers are still open: a phased first notification that names what will follow.
    assert (
        answers["0.kind"].startswith("Nieuwe melding, in fasen (art. 33 lid 4 AVG)")
        and made.kind == "initial"
    )
    assert all(a.question in answers["0.kind"] for a in made.missing)
    assert answers["1.organisation"] == "Gemeente Test" and answers["1.contact"] == "fg@test.invalid"
    assert answers["3.description"] == "Verslag naar een verkeerde ouder gestuurd."
    assert answers["5.count"] == "3" and answers["9.reference"] == decided[0].reference
    assert answers["7.effects"] == "Ouder kan het verslag lezen."


def test_facts_still_to_be_determined_are_shown_as_unknown(fresh_db, world, decided):
    incident, facts = decided
    unsure = facts.model_copy(
        update={"cause": Cause.TBD, "people_count_kind": CountKind.UNKNOWN, "people_count": None}
    )
    assessment.save(fresh_db, world["dpo"], incident.id, unsure, "g", "m")
    made = _concept(fresh_db, world, incident.id)
    answers = made.answers()
    assert answers["3.cause"] is None and answers["5.count"] is None
    # The organisation has no FG phone number, nor has the FG's account: it is unknown.
    assert answers["1.notifier_phone"] is None
    missing = {a.key for a in made.missing}
    assert {"3.cause", "5.count", "1.notifier_phone"} <= missing
    assert all(a.shown == UNKNOWN == "Onbekend — nog aanvullen" for a in made.missing)
    assert made.to_markdown().count(UNKNOWN) == len(made.missing)


def test_an_approximate_number_of_people_says_so(fresh_db, world, decided):
    incident, facts = decided
    assessment.save(
        fresh_db,
        world["dpo"],
        incident.id,
        facts.model_copy(update={"people_count_kind": CountKind.APPROXIMATE, "people_count": 40}),
        "g",
        "m",
    )
    assert _concept(fresh_db, world, incident.id).answers()["5.count"] == "ongeveer 40"


def test_without_an_assessment_the_facts_are_unknown_but_nothing_is_invented(fresh_db, world, fake_clock):
    incident = incidents.submit_report(fresh_db, world["reporter"], make_report(world.org.id), at=NOW)
    answers = _concept(fresh_db, world, incident.id).answers()
    for key in ("3.nature", "3.cause", "4.kinds", "5.count", "5.groups", "7.effects", "8.inform"):
        assert answers[key] is None, key
    assert answers["3.description"] == "Verslag naar een verkeerde ouder gestuurd."


@pytest.mark.parametrize(
    ("hours_after_aware", "reason", "expected"),
    [
        (12, "", "Niet van toepassing: binnen 72 uur gemeld."),
        (12, "Wordt genegeerd.", "Niet van toepassing: binnen 72 uur gemeld."),
        (80, "", None),
        (80, "   ", None),
        (80, "De FG was met verlof.", "De FG was met verlof."),
    ],
    ids=["in-time", "in-time-reason-ignored", "late-without-reason", "late-blank-reason", "late-with-reason"],
)
def test_the_delay_reason_is_asked_only_after_72_hours(
    fresh_db, world, decided, fake_clock, hours_after_aware, reason, expected
):
    fake_clock.at = AWARE + timedelta(hours=hours_after_aware)
    made = _concept(fresh_db, world, decided[0].id, late_reason=reason)
    assert made.answers()["2.late_reason"] == expected
    assert ("2.late_reason" in {a.key for a in made.missing}) == (expected is None)


def _text_blocks(markdown: str) -> list[str]:
    """The contents of the ```text blocks, read as CommonMark does: a block opened with N
    backticks (or tildes) closes at the first line of at least N of the same character."""
    blocks, lines, i = [], markdown.split("\n"), 0
    while i < len(lines):
        opening = re.fullmatch(r"(`{3,}|~{3,})text", lines[i])
        if opening:
            fence = opening.group(1)
            end = next(
                j
                for j in range(i + 1, len(lines))
                if re.fullmatch(re.escape(fence[0]) + f"{{{len(fence)},}}", lines[j])
            )
            blocks.append("\n".join(lines[i + 1 : end]))
            i = end
        i += 1
    return blocks


def test_markdown_has_one_copyable_text_block_per_answer(fresh_db, world, decided):
    made = _concept(fresh_db, world, decided[0].id)
    markdown = made.to_markdown()
    shown = [a.shown for s in made.sections for a in s.answers]
    assert _text_blocks(markdown) == shown
    assert markdown.count("```text\n") == len(shown)
    assert markdown.startswith(f"# Concept AP-melding {decided[0].reference}")
    assert all(f"## {n}. {title}" in markdown for n, title in SECTIONS)


def test_a_code_fence_in_the_description_stays_inside_its_block(fresh_db, world, fake_clock):
    report = make_report(world.org.id, description="Zie bijlage:\n```\n# Kop die geen kop mag worden")
    incident = incidents.submit_report(fresh_db, world["reporter"], report, at=NOW)
    made = _concept(fresh_db, world, incident.id)
    assert _text_blocks(made.to_markdown()) == [a.shown for s in made.sections for a in s.answers]


def test_json_round_trips_with_dutch_text_unescaped(fresh_db, world, decided):
    made = _concept(fresh_db, world, decided[0].id)
    text = made.to_json()
    assert json.loads(text) == made.as_dict()
    assert "beëindigd" in text and "\\u" not in text
    loaded = json.loads(text)
    assert [s["number"] for s in loaded["sections"]] == list(range(10))
    assert {a["key"]: a["answer"] for s in loaded["sections"] for a in s["answers"]} == made.answers()


def _first_notification(db, world, incident_id, fake_clock):
    fake_clock.at = AWARE + timedelta(hours=10)
    first = _concept(db, world, incident_id)
    authority.record_initial(
        db, world["dpo"], incident_id, "M-2026-000123", fake_clock.at, draft=first.as_dict()
    )
    return first


def test_a_supplement_lists_only_what_changed_plus_the_identification(fresh_db, world, decided, fake_clock):
    incident, facts = decided
    first = _first_notification(fresh_db, world, incident.id, fake_clock)
    fake_clock.at = AWARE + timedelta(hours=30)
    assessment.save(
        fresh_db,
        world["dpo"],
        incident.id,
        facts.model_copy(update={"people_count": 5}),
        "Ouder kan het verslag lezen.",
        "Ontvanger gevraagd te verwijderen.",
    )
    supplement = _concept(fresh_db, world, incident.id)
    answers = supplement.answers()
    assert supplement.kind == "supplement" and supplement.changed_since == first.generated_at
    assert set(answers) == FIXED | {"5.count"}
    assert answers["5.count"] == "5"
    assert answers["0.kind"] == "Aanvulling op de melding met meldnummer M-2026-000123 van " + (
        clock.format_local(AWARE + timedelta(hours=10)) + "."
    )
    assert [s.number for s in supplement.sections] == [0, 1, 5, 9]
    assert supplement.to_markdown().startswith("# Concept aanvulling AP-melding")


def test_a_new_measure_appears_in_the_supplement(fresh_db, world, decided, fake_clock):
    incident, _ = decided
    _first_notification(fresh_db, world, incident.id, fake_clock)
    fake_clock.at = AWARE + timedelta(hours=30)
    measures.add(
        fresh_db,
        world["dpo"],
        incident.id,
        measures.MeasureInput(
            kind=measures.MeasureKind.PREVENTIVE,
            description="Adrescontrole in het sjabloon.",
            owner="Teamleider",
            due_on=NOW.date() + timedelta(days=60),
        ),
    )
    answers = _concept(fresh_db, world, incident.id).answers()
    assert set(answers) == FIXED | {"8.measures"}
    assert "Adrescontrole in het sjabloon." in answers["8.measures"]


def test_a_supplement_after_72_hours_does_not_ask_why_a_timely_notification_was_late(
    fresh_db, world, decided, fake_clock
):
    incident, _ = decided
    _first_notification(fresh_db, world, incident.id, fake_clock)
    fake_clock.at = AWARE + timedelta(days=6)
    supplement = _concept(fresh_db, world, incident.id)
    assert "2.late_reason" not in supplement.answers()
    assert not supplement.missing


def test_making_a_concept_is_audited_and_reserved_for_the_dpo(fresh_db, world, decided, fake_clock):
    incident, _ = decided
    _first_notification(fresh_db, world, incident.id, fake_clock)
    _concept(fresh_db, world, incident.id)
    initial, supplement = reversed(audit_log.recent(fresh_db, 2, action="authority.concept"))
    assert json.loads(initial["detail"]) == {"supplement": False}
    assert json.loads(supplement["detail"]) == {"supplement": True}
    for who in ("reporter", "management", "admin", "other_dpo"):
        with pytest.raises(PermissionDenied):
            documents.draft_notification(fresh_db, world[who], incident.id)


def test_a_notification_recorded_late_for_a_timely_moment_needs_no_delay_reason(
    fresh_db, world, decided, fake_clock
):
    """The FG records on day 5 that they notified the AP within the 72 hours: the concept
    stored with it is the one for that moment, without a missing delay reason."""
    incident, _ = decided
    fake_clock.at = AWARE + timedelta(days=5)
    in_time = _concept(fresh_db, world, incident.id, submitted_at=AWARE + timedelta(hours=30))
    assert in_time.answers()["2.late_reason"].startswith("Niet van toepassing")
    assert _concept(fresh_db, world, incident.id).answers()["2.late_reason"] is None


def test_without_a_stored_concept_the_supplement_shows_everything(fresh_db, world, decided, fake_clock):
    incident, _ = decided
    fake_clock.at = AWARE + timedelta(hours=10)
    authority.record_initial(fresh_db, world["dpo"], incident.id, "M-2026-000123", fake_clock.at)
    supplement = _concept(fresh_db, world, incident.id)
    assert supplement.kind == "supplement" and supplement.changed_since is None
    assert [s.number for s in supplement.sections] == list(range(10))


def test_a_supplement_without_changes_has_nothing_beyond_the_identification(
    fresh_db, world, decided, fake_clock
):
    incident, _ = decided
    _first_notification(fresh_db, world, incident.id, fake_clock)
    assert _concept(fresh_db, world, incident.id).changed == []


# --- issue #14: a concept the FG can file as it stands ------------------------------------------


def _save(db, world, incident_id, facts, effects="Ouder kan het verslag lezen.", remedial="Verwijderd."):
    assessment.save(db, world["dpo"], incident_id, facts, effects, remedial)


def test_the_ap_questions_the_fg_answered_are_no_longer_unknown(fresh_db, world, decided):
    incident, facts = decided
    answered = facts.model_copy(
        update={
            "other_organisation": OtherOrganisation.PROCESSOR,
            "other_organisation_name": "Zorgmail B.V.",
            "security_measures": [SecurityMeasure.ENCRYPTION, SecurityMeasure.TRAINING],
            "cross_border": CrossBorder.NO,
            "records_count_kind": CountKind.EXACT,
            "records_count": 4,
        }
    )
    _save(fresh_db, world, incident.id, answered)
    answers = _concept(fresh_db, world, incident.id).answers()
    assert answers["1.other"] == "Ja, een verwerker: Zorgmail B.V."
    assert answers["6.security"] == "Versleuteling; Training en bewustwording"
    assert answers["8.international"].startswith("Nee, alleen in Nederland")
    assert answers["4.records"] == "4"


def test_questions_the_fg_has_not_answered_stay_unknown(fresh_db, world, decided):
    answers = _concept(fresh_db, world, decided[0].id).answers()
    for key in ("1.other", "6.security", "8.international", "4.records"):
        assert answers[key] is None, key


def test_a_one_off_event_is_ended(fresh_db, world, decided):
    answers = _concept(fresh_db, world, decided[0].id).answers()
    assert answers["2.ended"] == "Ja, het was een eenmalige gebeurtenis op " + clock.format_local(
        NOW - timedelta(hours=5)
    )


def test_name_and_address_are_reported_as_recorded_and_the_care_file_as_health(fresh_db, world, decided):
    answers = _concept(fresh_db, world, decided[0].id).answers()
    assert answers["4.kinds"] == "Naam-, adres- en woonplaatsgegevens"
    assert answers["4.special"] == "Gezondheid"
    assert "jeugdhulpgegevens" in answers["4.explain"]
    for overstated in ("geboortedatum", "Telefoon", "E-mail", "geslacht"):
        assert overstated.lower() not in (answers["4.kinds"] + answers["4.special"]).lower()


def test_kinds_recorded_before_0_5_keep_the_meaning_they_had(fresh_db, world, decided):
    """Before 0.5.0 a report of "naam en adres" was saved as ``basic`` + ``contact``; relabelling
    ``contact`` as "telefoon, e-mail" dropped the address and claimed a phone and an e-mail
    (found in review on an upgraded database). The old codes say what they said then."""
    incident, facts = decided
    _save(
        fresh_db,
        world,
        incident.id,
        facts.model_copy(update={"data_categories": [D.BSN, D.BASIC, D.CONTACT]}),
    )
    kinds = _concept(fresh_db, world, incident.id).answers()["4.kinds"]
    assert kinds == (
        "Burgerservicenummer (BSN); Naam, geboortedatum, geslacht; Contactgegevens (adres, telefoon, e-mail)"
    )
    assert D.CONTACT.label == "Contactgegevens (adres, telefoon, e-mail)"  # as in 0.4.0


def test_section_7_gives_consequences_and_severity_in_the_forms_terms_without_enisa(fresh_db, world, decided):
    made = _concept(fresh_db, world, decided[0].id)
    answers = made.answers()
    assert answers["7.severity"] in {"Gering", "Aanzienlijk", "Ernstig"}
    assert "Verlies van vertrouwelijkheid van gegevens onder beroepsgeheim" in answers["7.impacts"]
    assert "ENISA" not in made.to_markdown() and "Hoog risico" not in made.to_markdown()


def test_the_fg_changes_the_severity_only_with_a_reason(fresh_db, world, decided):
    incident, facts = decided
    with pytest.raises(InvalidInput) as refused:
        _save(fresh_db, world, incident.id, facts.model_copy(update={"severity": Severity.MINOR}))
    assert "consequences_reason" in refused.value.errors
    changed = facts.model_copy(
        update={
            "severity": Severity.MINOR,
            "consequences_reason": "De ontvanger is een collega-hulpverlener.",
        }
    )
    _save(fresh_db, world, incident.id, changed)
    answers = _concept(fresh_db, world, incident.id).answers()
    assert answers["7.severity"].startswith("Gering")
    assert "De ontvanger is een collega-hulpverlener." in answers["7.severity"]


def test_a_withdrawal_concept_gives_its_reason(fresh_db, world, decided, fake_clock):
    incident, _ = decided
    _first_notification(fresh_db, world, incident.id, fake_clock)
    made = documents.draft_notification(
        fresh_db, world["dpo"], incident.id, kind="withdrawal", reason="Bij nader inzien geen datalek."
    )
    answers = made.answers()
    assert made.kind == "withdrawal"
    assert answers["0.kind"] == "Intrekking van de melding met meldnummer M-2026-000123."
    assert answers["0.reason"] == "Bij nader inzien geen datalek."
    assert made.to_markdown().startswith("# Concept intrekking AP-melding")


def test_the_notifier_comes_from_the_fgs_own_account(fresh_db, world, decided):
    users.set_contact(fresh_db, world["dpo"], world["dpo"].user_id, "Privacy officer", "030 123 45 67")
    answers = _concept(fresh_db, world, decided[0].id).answers()
    assert answers["1.notifier_name"] == "Dpo"
    assert answers["1.notifier_title"] == "Privacy officer"
    assert answers["1.notifier_phone"] == "030 123 45 67"


@pytest.mark.parametrize("why", ["disabled", "other_organisation"])
def test_the_operator_s_concept_never_names_a_former_or_foreign_fg(fresh_db, world, decided, why):
    """Made by the operator (CLI), the notifier is the active FG account of this organisation
    with the organisation's FG address, else the organisation's settings (found in review: a
    disabled former FG with that address was named)."""
    from datalek.accounts.organisations import create_organisation
    from datalek.accounts.users import create_user, set_active
    from datalek.models import Actor, Role
    from tests.conftest import PASSWORD

    org = world.org
    other = create_organisation(fresh_db, Actor.cli(), "Gemeente Elders", "Els Elders", "fg@elders.invalid")
    home = other.id if why == "other_organisation" else org.id
    former = create_user(fresh_db, Actor.cli(), "Oud FG Persoon", org.dpo_email, Role.DPO, PASSWORD, [home])
    if why == "disabled":
        set_active(fresh_db, Actor.cli(), former.id, False)
    operator = Actor(user_id=None, role=Role.DPO, org_ids=(org.id,), system=True)  # as the CLI acts
    made = documents.draft_notification(fresh_db, operator, decided[0].id)
    assert made.answers()["1.notifier_name"] == org.dpo_name


def test_section_2_gives_the_basis_of_awareness_and_each_change_of_it(fresh_db, world, decided, fake_clock):
    incident, facts = decided
    answers = _concept(fresh_db, world, incident.id).answers()
    assert answers["2.aware_basis"] == "Melding door een medewerker"
    assert "2.aware_changes" not in answers
    later = AWARE + timedelta(hours=1)
    assessment.save(
        fresh_db,
        world["dpo"],
        incident.id,
        facts.model_copy(update={"aware_at": later}),
        "g",
        "m",
        basis=AwareBasis.PROCESSOR,
        source="Zorgmail B.V.",
        reason="Pas toen bevestigde de verwerker het.",
    )
    answers = _concept(fresh_db, world, incident.id).answers()
    assert answers["2.aware_basis"] == "Bericht van een verwerker (Zorgmail B.V.)"
    assert "Pas toen bevestigde de verwerker het." in answers["2.aware_changes"]
    assert clock.format_local(AWARE) in answers["2.aware_changes"]  # the old value is kept
    assert clock.format_local(later) in answers["2.aware_changes"]


def test_a_late_concept_gives_the_delay_reason_recorded_for_the_incident(
    fresh_db, world, decided, fake_clock
):
    fake_clock.at = AWARE + timedelta(hours=80)
    delay.record(
        fresh_db, world["dpo"], decided[0].id, "De FG was ziek; de vervanger was niet ingelicht.", "internal"
    )
    kind = f"Soort reden: {delay.KINDS['internal']}.\n"  # the kind the FG picked comes first
    answers = _concept(fresh_db, world, decided[0].id).answers()
    assert answers["2.late_reason"] == kind + "De FG was ziek; de vervanger was niet ingelicht."
    # The reason typed with the notification itself comes first.
    assert _concept(fresh_db, world, decided[0].id, late_reason="Eigen reden.").answers()[
        "2.late_reason"
    ] == (kind + "Eigen reden.")


def test_section_8_takes_over_what_is_on_record(fresh_db, world, decided, fake_clock):
    """Who was informed per kind of reader (count, date, channel), the family postponed for
    safety (how many, review date), who is not informed and why, and the public notice with
    where and when: counts only, no file number, no label of a family, no reason."""
    from datalek.actions import households, informing, letters, sending
    from datalek.actions.addressees import Addressee, Relation
    from datalek.actions.informing import Channel
    from tests.test_sending import SECRET, issue_family, judge

    dpo, incident_id, today = world["dpo"], decided[0].id, clock.today()
    review = today + timedelta(days=14)
    assert _concept(fresh_db, world, incident_id).answers()["8.inform"] == "Ja. Dit wordt nog gedaan."
    family = issue_family(fresh_db, dpo, incident_id)
    judge(fresh_db, dpo, family["house"], [family["p2"]], True, SECRET, review)
    other = households.add_household(fresh_db, dpo, incident_id, "Gezin Jansen")
    parent = households.add_member(fresh_db, dpo, other.id, relation=Relation.PARENT_GEZAG, file_ref="O-77")
    households.add_member(fresh_db, dpo, other.id, relation=Relation.CHILD, file_ref="C-77", birth_date=today)
    judge(fresh_db, dpo, other.id)
    parts = letters.LetterText(what_happened="Mis.", consequences="Weinig.", measures="Hersteld.")
    made = sending.make_letter(fresh_db, dpo, incident_id, Addressee.PARENTS, parts, member_id=parent.id)
    sending.record_sent(fresh_db, dpo, made.id, Channel.EMAIL, today)
    informing.record_public_notice(
        fresh_db, dpo, incident_id, "Uitleg over het datalek.", today, "www.gemeente-test.nl/datalek"
    )
    answers = _concept(fresh_db, world, incident_id).answers()
    assert answers["8.inform"] == (
        f"Ja. Ouders of voogd met gezag: 1 persoon geïnformeerd op {today:%d-%m-%Y} (e-mail). "
        f"Uitgesteld vanwege de veiligheid: 1 gezin (2 personen); opnieuw bekijken op {review:%d-%m-%Y}. "
        "Niet geïnformeerd: 1 persoon vanwege een veiligheidsrisico; "
        "3 personen zonder eigen bericht volgens de regels."
    )
    assert answers["8.public"] == (
        f"Gepubliceerd op {today:%d-%m-%Y}. Waar: www.gemeente-test.nl/datalek. Uitleg over het datalek."
    )
    shown = answers["8.inform"] + answers["8.public"]
    for personal in (SECRET, "Jansen", "O-77", "C-9001", "O-1", "Gezin 1"):
        assert personal not in shown
