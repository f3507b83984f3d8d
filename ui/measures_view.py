"""Maatregelen: corrective and preventive measures of one incident, with owner, due date
and status; adding one and moving its status."""

from __future__ import annotations

import streamlit as st

from datalek import clock
from datalek.actions import measures
from datalek.actions.measures import MeasureInput, MeasureKind, MeasureStatus
from ui.callbacks import act
from ui.forms import field_error, form_errors
from ui.once import OnceForm

state = st.session_state


def _adding(incident_id: int) -> OnceForm:
    return OnceForm(f"ms{incident_id}_add_")


def _add(incident_id: int, key: str) -> None:
    form = _adding(incident_id)
    data = MeasureInput(
        kind=form.get(key, "kind") and MeasureKind(form.get(key, "kind")),
        description=form.get(key, "description", ""),
        owner=form.get(key, "owner", ""),
        due_on=form.get(key, "due"),
    )
    act(
        f"ms{incident_id}_errors",
        "De maatregel is toegevoegd.",
        lambda db, who: measures.add(db, who, incident_id, data),
        once=(form, key),
    )


def _status(incident_id: int, measure_id: int) -> None:
    chosen = MeasureStatus(state[f"ms{incident_id}_{measure_id}_status"])
    act(
        f"ms{incident_id}_errors",
        "De status van de maatregel is bijgewerkt.",
        lambda db, who: measures.set_status(db, who, measure_id, chosen),
    )


def render(incident_id: int, found: list[measures.Measure]) -> None:
    """``found``: the incident's measures, as the page loaded them (checked there)."""
    p = f"ms{incident_id}_"
    errors = state.get(p + "errors")
    today = clock.today()
    if not found:
        st.caption("Nog geen maatregelen.")
    for m in found:
        if m.done_on:
            when = f"uitgevoerd op {m.done_on:%d-%m-%Y}"
        else:
            when = f"uiterlijk klaar op {m.due_on:%d-%m-%Y}" + (" — TE LAAT" if m.overdue(today) else "")
        st.markdown(f"**{m.kind.label}**: {m.status.label}, {when}")
        st.text(f"{m.description}\nUitvoerder: {m.owner}")
        cols = st.columns([3, 1])
        cols[0].selectbox(
            "Nieuwe status",
            [s.value for s in MeasureStatus],
            key=f"{p}{m.id}_status",
            index=list(MeasureStatus).index(m.status),
            format_func=lambda v: MeasureStatus(v).label,
        )
        cols[1].button("Status opslaan", key=f"{p}{m.id}_save", on_click=_status, args=(incident_id, m.id))
    form_errors(errors)
    form = _adding(incident_id)
    with st.form(form.field("form"), enter_to_submit=False):
        st.markdown("**Maatregel toevoegen**")
        st.radio(
            "Soort maatregel",
            [k.value for k in MeasureKind],
            index=None,
            key=form.field("kind"),
            format_func=lambda v: MeasureKind(v).label,
            horizontal=True,
        )
        field_error(errors, "kind")
        st.text_area("Wat wordt er gedaan?", key=form.field("description"), max_chars=measures.MAX_DESCRIPTION)
        field_error(errors, "description")
        left, right = st.columns(2)
        with left:
            st.text_input(
                "Wie voert het uit? (functie of afdeling)", key=form.field("owner"), max_chars=measures.MAX_OWNER
            )
            field_error(errors, "owner")
        with right:
            st.date_input("Klaar op", value=None, key=form.field("due"), format="DD-MM-YYYY")
            field_error(errors, "due_on")
        st.form_submit_button("Maatregel toevoegen", on_click=_add, args=(incident_id, form.key))
    form.outcome()
