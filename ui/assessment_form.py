"""The FG's facts form (beoordeling). Widget values live in session state under a prefix
per incident, seeded once from the latest version (or the report), so nothing typed is lost."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from datalek import clock
from datalek.handling import assessment, moments
from datalek.intake.situations import CountKind, Retrieval
from datalek.models import AwareBasis, Incident, IncidentType, Nature
from datalek.triage.facts import (
    AvailabilityState,
    Cause,
    ConfidentialityState,
    DataCategory,
    Exfiltration,
    Facts,
    IntegrityState,
    LawfulBasis,
    PeopleGroup,
    RecipientKind,
    Unintelligible,
)
from ui import ap_questions, engine_questions
from ui.callbacks import act
from ui.forms import enum_multiselect, enum_select, field_error, local_datetime
from ui.once import OnceForm

NOT_APPLICABLE = "Niet van toepassing"
_BACKUP = {"yes": "Ja", "no": "Nee", "unknown": "Onbekend"}


def _prefix(incident_id: int) -> str:
    return f"f{incident_id}_"


def _put_moment(key: str, moment: datetime | None) -> None:
    """A moment into a date and a time widget (empty when unknown)."""
    local = moment.astimezone(clock.AMSTERDAM) if moment else None
    st.session_state[key + "_date"] = local.date() if local else None
    st.session_state[key + "_time"] = local.time().replace(second=0, microsecond=0) if local else None


def seed(
    incident_id: int,
    facts: Facts,
    effects: str,
    remedial: str,
    force: bool = False,
    incident: Incident | None = None,
) -> None:
    """Put the facts (and, with ``incident``, its timeline and how the organisation became
    aware) into the widgets' state, once (or again after a save with ``force``)."""
    p = _prefix(incident_id)
    # Streamlit drops widget values when the form is not on screen: seed again then.
    if not force and p + "natures" in st.session_state:
        return
    for key, value in assessment.answers_for(facts).items():
        st.session_state[p + key] = value
    _put_moment(p + "aware", facts.aware_at)
    if incident is not None:
        st.session_state[p + "aware_basis"] = incident.aware_basis.value
        st.session_state[p + "aware_source"] = incident.aware_source
        st.session_state[p + "occurrence"] = incident.occurrence
        _put_moment(p + "from", incident.occurred_from)
        _put_moment(p + "to", incident.occurred_to)
        _put_moment(p + "found", incident.discovered_at)
    st.session_state[p + "effects"] = effects
    st.session_state[p + "remedial_action"] = remedial
    st.session_state[f"{p}seeded"] = True


def _moment(label: str, key: str, errors: dict | None, field: str) -> None:
    left, right = st.columns(2)
    left.date_input(f"{label} (datum)", key=key + "_date", format="DD-MM-YYYY")
    right.time_input(f"{label} (tijd)", key=key + "_time", step=300)
    field_error(errors, field)


def _timeline(p: str, form: OnceForm, errors: dict | None) -> None:
    """The moments and how the organisation became aware. Changing a moment that had a value
    needs the reason (the core says so, next to the reason field)."""
    st.markdown("**Tijdlijn**")
    if p + "occurrence" in st.session_state:
        st.radio(
            "Hoe gebeurde het?",
            list(moments.OCCURRENCES),
            key=p + "occurrence",
            format_func=moments.OCCURRENCES.get,
            horizontal=True,
        )
        _moment("Begin (of het moment)", p + "from", errors, "occurred_from")
        _moment("Einde (bij een periode)", p + "to", errors, "occurred_to")
        _moment("Ontdekt", p + "found", errors, "discovered_at")
    _moment("Organisatie wist het", p + "aware", errors, "aware_at")
    if p + "aware_basis" in st.session_state:
        enum_select("Hoe wist de organisatie het?", AwareBasis, p + "aware_basis")
        st.text_input(
            "Van wie (bijvoorbeeld de naam van de verwerker)",
            key=p + "aware_source",
            max_chars=moments.MAX_SOURCE,
        )
        field_error(errors, "aware_source")
    st.caption("Wijzig je een moment dat al was ingevuld? Geef dan de reden. Het oude moment blijft bewaard.")
    st.text_area("Reden van de wijziging", key=form.field("aware_reason"), max_chars=moments.MAX_REASON)
    field_error(errors, "aware_reason")


def _saving(incident_id: int) -> OnceForm:
    """The save of one version: its submission key is in the form's and the button's keys;
    the fields keep their own keys, as they show the facts as saved."""
    return OnceForm(f"{_prefix(incident_id)}save_")


def render(incident_id: int, errors: dict | None) -> None:
    """The facts form; a click saves one new version, once (``ui.once``), by this module's
    own callback."""
    p = _prefix(incident_id)
    form = _saving(incident_id)
    with st.form(form.field("form"), enter_to_submit=False):
        st.markdown("**Is het een datalek?**")
        st.checkbox("Het gaat om persoonsgegevens", key=p + "personal_data")
        enum_select(
            "Was er een wettelijke grondslag om te delen?",
            LawfulBasis,
            p + "lawful_basis",
            help="Delen met een grondslag (meldrecht, informatieplicht, toestemming, "
            "afwegingskader) is geen datalek.",
        )
        _timeline(p, form, errors)
        st.markdown("**Aard en oorzaak**")
        enum_multiselect("Soort inbreuk", Nature, p + "natures")
        field_error(errors, "natures")
        a, b, c = st.columns(3)
        with a:
            enum_select(
                "Vertrouwelijkheid", ConfidentialityState, p + "confidentiality", none_label=NOT_APPLICABLE
            )
        with b:
            enum_select("Integriteit", IntegrityState, p + "integrity", none_label=NOT_APPLICABLE)
        with c:
            enum_select("Beschikbaarheid", AvailabilityState, p + "availability", none_label=NOT_APPLICABLE)
        enum_select("Soort incident", IncidentType, p + "incident_type")
        enum_select("Oorzaak", Cause, p + "cause")
        st.markdown("**Gegevens en betrokkenen**")
        enum_multiselect("Soorten gegevens", DataCategory, p + "data_categories")
        field_error(errors, "data_categories")
        enum_multiselect("Groepen betrokkenen", PeopleGroup, p + "groups")
        field_error(errors, "groups")
        a, b = st.columns(2)
        a.radio(
            "Aantal personen",
            [c.value for c in CountKind],
            key=p + "people_count_kind",
            format_func=lambda v: CountKind(v).label,
            horizontal=True,
        )
        a.number_input("Aantal personen", min_value=0, step=1, key=p + "people_count")
        field_error(errors, "people_count")
        b.radio(
            "Aantal records",
            [c.value for c in CountKind],
            key=p + "records_count_kind",
            format_func=lambda v: CountKind(v).label,
            horizontal=True,
        )
        b.number_input("Aantal records", min_value=0, step=1, key=p + "records_count")
        field_error(errors, "records_count")
        st.markdown("**Bescherming, ontvangers en herstel**")
        enum_select("Onleesbaar gemaakt (versleuteld, gehasht)?", Unintelligible, p + "unintelligible")
        enum_multiselect("Ontvangers", RecipientKind, p + "recipients")
        field_error(errors, "recipients")
        enum_select("Teruggehaald of verwijderd (bevestigd)?", Retrieval, p + "retrieval")
        enum_select("Gegevens weggesluisd (exfiltratie)?", Exfiltration, p + "exfiltration")
        a, b = st.columns(2)
        a.radio(
            "Is er een back-up?", list(_BACKUP), key=p + "backup", format_func=_BACKUP.get, horizontal=True
        )
        b.number_input("Hersteltijd in uren", min_value=0.0, step=1.0, key=p + "restore_hours")
        ap_questions.render(p, errors)
        engine_questions.render(p, errors)
        st.markdown("**Jeugd en sociaal domein**")
        st.checkbox("Gegevens onder beroepsgeheim", key=p + "professional_secrecy")
        st.checkbox(
            "Informatie over de veiligheid van een kind (Veilig Thuis, jeugdbescherming)",
            key=p + "child_safety",
        )
        st.checkbox("Gezinsdossier: gegevens van meerdere gezinsleden", key=p + "family_file")
        st.checkbox("De organisatie is jeugdhulpaanbieder of sociaal team", key=p + "youth_care_controller")
        st.markdown("**Uitzonderingen op informeren (art. 34 lid 3 AVG)**")
        st.checkbox("Maatregelen achteraf nemen het hoge risico weg (sub b)", key=p + "later_measures")
        st.checkbox(
            "Iedereen apart informeren kost onevenredig veel moeite (sub c)",
            key=p + "disproportionate_effort",
        )
        st.markdown("**Voor het register (art. 33 lid 5 AVG)**")
        st.text_area("Gevolgen voor de betrokkenen", key=p + "effects", max_chars=4000)
        field_error(errors, "effects")
        st.text_area(
            "Genomen maatregelen om het lek te herstellen en gevolgen te beperken",
            key=p + "remedial_action",
            max_chars=4000,
        )
        field_error(errors, "remedial_action")
        field_error(errors, "form")
        shown = st.session_state.get(f"shown_version_{incident_id}")  # the version the FG sees
        st.form_submit_button(
            "Feiten opslaan en advies berekenen",
            type="primary",
            key=form.field("save"),
            on_click=_save,
            args=(incident_id, form.key, shown),
        )
    form.outcome()


def _save(incident_id: int, key: str, shown: int | None) -> None:
    """The button's callback: one new version for the form with submission ``key``, on top of
    version ``shown`` (someone else's newer version: refused by the core)."""

    def save(db, who) -> None:
        facts, effects, remedial = collected(incident_id)
        assessment.save(
            db,
            who,
            incident_id,
            facts,
            effects,
            remedial,
            expected_version=shown,
            reason=_saving(incident_id).get(key, "aware_reason", ""),
            **stated(incident_id),
        )

    act(
        f"fe_{incident_id}",
        "De feiten zijn opgeslagen en het advies is bijgewerkt.",
        save,
        once=(_saving(incident_id), key),
    )


def stated(incident_id: int) -> dict:
    """The timeline and how the organisation became aware, as typed (only what the form shows)."""
    p, s = _prefix(incident_id), st.session_state
    out: dict = {}
    if p + "aware_basis" in s:
        out["basis"] = AwareBasis(s[p + "aware_basis"])
        out["source"] = s.get(p + "aware_source") or ""
    if p + "occurrence" in s:

        def moment(key: str) -> datetime | None:
            return local_datetime(s.get(key + "_date"), s.get(key + "_time"))

        out["timeline"] = moments.Timeline(
            occurrence=s[p + "occurrence"],
            occurred_from=moment(p + "from"),
            occurred_to=moment(p + "to"),
            discovered_at=moment(p + "found"),
        )
    return out


def collected(incident_id: int) -> tuple[Facts, str, str]:
    """The facts, effects and remedial action as typed; ``InvalidInput`` per field otherwise
    (the rules are the core's: ``assessment.facts_from_answers``)."""
    p, s = _prefix(incident_id), st.session_state
    answers = {name: s[p + name] for name in (*Facts.model_fields, "backup") if p + name in s}
    aware = local_datetime(s.get(p + "aware_date"), s.get(p + "aware_time"))
    facts = assessment.facts_from_answers(answers, aware)
    return facts, s.get(p + "effects", ""), s.get(p + "remedial_action", "")
