"""The questions of the AP form that the engine does not weigh but the concept AP-melding
must answer; drawn inside the FG's facts form (``ui.assessment_form``)."""

from __future__ import annotations

import streamlit as st

from datalek.triage.facts import CrossBorder, Impact, OtherOrganisation, SecurityMeasure, Severity
from ui.forms import enum_multiselect, enum_select, field_error

DERIVED = "Afleiden uit de beoordeling"


def render(prefix: str, errors: dict | None) -> None:
    """The widgets, keyed ``prefix + <Facts field>`` so the facts form collects them."""
    p = prefix
    st.markdown("**Voor de melding bij de AP**")
    left, right = st.columns(2)
    with left:
        enum_select("Is er een andere organisatie betrokken?", OtherOrganisation, p + "other_organisation")
    right.text_input("Naam van die organisatie", key=p + "other_organisation_name", max_chars=200)
    field_error(errors, "other_organisation_name")
    enum_multiselect(
        "Welke beveiligingsmaatregelen waren er vóór het datalek?",
        SecurityMeasure,
        p + "security_measures",
    )
    field_error(errors, "security_measures")
    st.text_input("Andere maatregel (bij 'Anders')", key=p + "security_other", max_chars=500)
    field_error(errors, "security_other")
    left, right = st.columns(2)
    with left:
        enum_select("Grensoverschrijdende verwerking?", CrossBorder, p + "cross_border")
    right.text_input(
        "Andere toezichthouders of instanties ingelicht (zoals politie)",
        key=p + "other_authorities",
        max_chars=500,
    )
    st.markdown("**Gevolgen voor de betrokkenen (vraag 7 van de AP)**")
    st.caption(
        "Laat je deze vragen leeg, dan leidt Datalek de gevolgen en de ernst af uit de feiten en het "
        "advies. Wijk je af, geef dan de reden."
    )
    enum_multiselect("Soorten gevolgen", Impact, p + "impacts")
    enum_select("Ernst van de gevolgen", Severity, p + "severity", none_label=DERIVED)
    st.text_area("Reden van je eigen inschatting", key=p + "consequences_reason", max_chars=1000)
    field_error(errors, "consequences_reason")
