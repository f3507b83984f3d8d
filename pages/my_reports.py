"""Mijn meldingen: the employee's own reports, their status, and adding information later."""

import streamlit as st

from datalek import clock, store
from datalek.accounts.permissions import PermissionDenied
from datalek.handling import incidents
from datalek.intake import pii, redaction
from datalek.intake.situations import Situation
from datalek.models import InvalidInput
from ui import incident_view, session
from ui.forms import field_error


def render() -> None:
    actor = session.actor()
    st.title("Mijn meldingen")
    with store.unit() as db:
        mine = incidents.my_reports(db, actor)
    if not mine:
        st.info("Je hebt nog geen meldingen gedaan.")
        st.stop()
    st.table(
        {
            "Nummer": [m.reference for m in mine],
            "Wat er gebeurde": [Situation(m.situation).label for m in mine],
            "Gemeld op": [clock.format_local(m.reported_at) for m in mine],
            "Status": [m.status.label for m in mine],
        },
    )
    choice = st.selectbox(
        "Bekijk of vul een melding aan",
        options=[m.id for m in mine],
        format_func={m.id: m.reference for m in mine}.get,
        index=None,
        key="mine_choice",
        placeholder="Kies een melding",
    )
    if choice is None:
        st.stop()
    try:
        with store.unit() as db:
            view = incidents.read_incident(db, actor, choice)
    except PermissionDenied as exc:
        st.error(exc.message)
        st.stop()
    incident_view.facts(view)
    incident_view.supplements(view)
    st.subheader("Aanvulling toevoegen")
    st.caption(
        "Je aanvulling komt onder je melding te staan; je oorspronkelijke melding blijft zoals hij was. "
        "Beschrijf wat er gebeurd is, niet wie het betreft."
    )
    _supplement_form(choice)


def _supplement_form(choice: int) -> None:
    state = st.session_state
    text_key, findings_key = f"sup_text_{choice}", f"sup_findings_{choice}"
    if saved := state.pop("sup_saved", None):
        st.success(saved)
    st.text_area("Wat wil je toevoegen?", key=text_key, max_chars=incidents.MAX_SUPPLEMENT)
    field_error(state.get(f"sup_errors_{choice}"), "text")
    if found := state.get(findings_key):
        kinds = ", ".join(sorted({pii.PiiKind(f["kind"]).label for f in found}))
        st.warning(
            f"In je tekst staan gegevens waarmee iemand te herkennen is ({kinds}). "
            "Er is nog niets opgeslagen."
        )
        left, right = st.columns(2)
        left.button("Vervangen en toevoegen", type="primary", on_click=_redact_and_add, args=(choice,))
        right.button("Toch toevoegen zoals het is", on_click=_keep_and_add, args=(choice,))
    else:
        st.button("Aanvulling toevoegen", type="primary", on_click=_submit, args=(choice,))


# --- button callbacks (they run before app.py on the next run) ----------------------------------


def _submit(choice: int) -> None:
    text = st.session_state.get(f"sup_text_{choice}", "")
    if found := redaction.identifiers_in(text):
        st.session_state[f"sup_findings_{choice}"] = found
        return
    _add(choice, text, False)


def _redact_and_add(choice: int) -> None:
    # The text may have changed since the warning: replace what is in it now.
    text = pii.redact_all(st.session_state.get(f"sup_text_{choice}", ""))
    st.session_state[f"sup_text_{choice}"] = text
    _add(choice, text, False)


def _keep_and_add(choice: int) -> None:
    state = st.session_state
    text = state.get(f"sup_text_{choice}", "")
    found = redaction.identifiers_in(text)
    if redaction.unwarned(found, state.get(f"sup_findings_{choice}", [])):
        state[f"sup_findings_{choice}"] = found  # warn again, about everything in it now
        return
    _add(choice, text, bool(found))


def _add(choice: int, text: str, pii_kept: bool) -> None:
    state = st.session_state
    current = session.fresh_actor()  # callbacks run before app.py's session check
    if current is None:
        return
    try:
        with store.unit() as db:
            incidents.add_supplement(db, current, choice, text, pii_kept)
    except InvalidInput as exc:
        state[f"sup_errors_{choice}"] = exc.errors
        return
    except PermissionDenied as exc:
        state[f"sup_errors_{choice}"] = {"text": exc.message}
        return
    except Exception:  # noqa: BLE001 - shown as a failure, the text stays
        state[f"sup_errors_{choice}"] = {"text": "Je aanvulling is NIET opgeslagen. Probeer het opnieuw."}
        return
    state[f"sup_errors_{choice}"] = None
    state.pop(f"sup_findings_{choice}", None)
    state[f"sup_text_{choice}"] = ""
    state["sup_saved"] = "Je aanvulling is opgeslagen."
