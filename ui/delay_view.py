"""The reason for a delay, near the top of an incident: a small form while the deadline has
passed with the clock running and no reason is recorded; afterwards the reason and its kind,
which the FG can change (the old text and kind are kept, ``datalek.handling.delay``)."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from datalek.handling import delay
from datalek.handling.outstanding import Clock
from ui.callbacks import act
from ui.forms import field_error, form_errors
from ui.once import OnceForm

state = st.session_state
SAVED = "De reden van de vertraging is vastgelegd."


def _form(incident_id: int) -> OnceForm:
    return OnceForm(f"delay_{incident_id}_")


def _save(incident_id: int, key: str) -> None:
    form = _form(incident_id)
    reason = form.get(key, "reason", "") or ""
    kind = form.get(key, "kind")
    act(
        form.prefix + "errors",
        SAVED,
        lambda db, who: delay.record(db, who, incident_id, reason, kind),
        once=(form, key),
    )


def render(found: Clock, now: datetime) -> None:
    """Nothing when no reason is asked for or recorded."""
    if not (found.overdue(now) or found.delay_reason):
        return
    form = _form(found.incident_id)
    errors = state.get(form.prefix + "errors")
    if found.delay_reason:
        with st.expander("Reden van de vertraging", expanded=bool(errors)):
            if found.delay_kind:
                st.text(f"Soort reden: {delay.label(found.delay_kind)}")
            st.text(found.delay_reason)  # as typed: never Markdown or HTML
            _draw(form, found, errors, "Reden aanpassen")
    else:
        with st.container(border=True):
            st.warning(
                "De termijn is voorbij en er is nog niet gemeld. Leg vast waarom; dit komt in de "
                "melding bij de AP.",
                icon=":material/schedule:",
            )
            _draw(form, found, errors, "Reden vastleggen")
    form.outcome()


def _draw(form: OnceForm, found: Clock, errors: dict | None, button: str) -> None:
    form_errors(errors)
    with st.form(form.field("form"), enter_to_submit=False):
        field_error(errors, "form")
        st.text_area(
            delay.question(),
            value=found.delay_reason,
            key=form.field("reason"),
            max_chars=delay.MAX_REASON,
        )
        field_error(errors, "reason")
        kinds = list(delay.KINDS)
        st.radio(
            delay.KIND_QUESTION,
            kinds,
            index=kinds.index(found.delay_kind) if found.delay_kind in kinds else None,
            format_func=delay.KINDS.get,
            key=form.field("kind"),
        )
        field_error(errors, "kind")
        st.form_submit_button(button, on_click=_save, args=(found.incident_id, form.key))
