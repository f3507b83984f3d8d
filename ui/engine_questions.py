"""The FG's own judgements that the engine weighs (issue #19): the effect of an outage on the
people, and her adjustment of the ENISA scores with its reason. Drawn inside the FG's facts
form (``ui.assessment_form``), keyed ``prefix + <Facts field>`` so the form collects them."""

from __future__ import annotations

import streamlit as st

from datalek.triage.facts import AvailabilityEffect, Identification
from ui.forms import field_error

ADJUSTMENTS = [-3, -2, -1, 0, 1, 2, 3]
ENGINE_EI = "Zoals Datalek het berekent"


def _adjustment_label(step: int) -> str:
    if step == 0:
        return "Niet aanpassen (de score van Datalek)"
    return f"{abs(step)} {'hoger' if step > 0 else 'lager'}"


def render(prefix: str, errors: dict | None) -> None:
    """The widgets; the core refuses an adjustment without its reason (next to the field)."""
    p = prefix
    st.markdown("**Gevolgen van onbeschikbaarheid**")
    left, right = st.columns([3, 1])
    with left:
        st.selectbox(
            "Heeft de onbeschikbaarheid gevolgen gehad voor hulp, zorg of besluiten over mensen?",
            [e.value for e in AvailabilityEffect],
            key=p + "availability_effect",
            format_func=lambda v: AvailabilityEffect(v).label,
            filter_mode=None,
            placeholder="Kies",
            help="Bij zorg- of jeugdbeschermingsgegevens vraagt het advies hiernaar. Het gevolg voor "
            "mensen telt, niet alleen de soort gegevens.",
        )
    right.number_input("Hoe lang? (uren)", min_value=0.0, step=1.0, key=p + "effect_hours")
    st.markdown("**Jouw oordeel over de ernst (ENISA)**")
    st.caption(
        "Datalek berekent de ernst met de ENISA-methode. Weet je meer, zoals een onschuldig gegeven tussen "
        "gevoelige gegevens, of juist een context die mensen in gevaar brengt? Pas de score dan aan en "
        "geef de reden. Die reden komt in het advies en in het register."
    )
    st.selectbox(
        "Score voor de soort gegevens aanpassen",
        ADJUSTMENTS,
        key=p + "context_adjustment",
        format_func=_adjustment_label,
        filter_mode=None,
        placeholder="Kies",
    )
    st.text_area("Reden van de aanpassing", key=p + "context_reason", max_chars=1000)
    field_error(errors, "context_reason")
    st.selectbox(
        "Hoe herkenbaar zijn de personen?",
        [None, *(e.value for e in Identification)],
        key=p + "identification",
        format_func=lambda v: ENGINE_EI if v is None else Identification(v).label,
        filter_mode=None,
        placeholder=ENGINE_EI,  # Streamlit shows None as the placeholder
        help="Bijvoorbeeld: een naam die in heel Nederland veel voorkomt is moeilijk te herleiden.",
    )
    st.text_area(
        "Reden van je oordeel over de herkenbaarheid", key=p + "identification_reason", max_chars=1000
    )
    field_error(errors, "identification_reason")
