"""Mijn meldingen: the employee's own reports, their status, and adding information later."""

import streamlit as st

from datalek import clock, store
from datalek.accounts.permissions import PermissionDenied
from datalek.handling import incidents
from datalek.intake import pii
from datalek.intake.situations import Situation
from datalek.models import InvalidInput
from ui import incident_view, session
from ui.forms import field_error


def render() -> None:
    actor = session.actor()
    state = st.session_state
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
    key = f"sup_text_{choice}"
    findings_key = f"sup_findings_{choice}"
    errors = state.get(f"sup_errors_{choice}")

    def _add(text: str, pii_kept: bool) -> None:
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
        state.pop(findings_key, None)
        state[key] = ""
        state["sup_saved"] = "Je aanvulling is opgeslagen."

    def _submit() -> None:
        text = state.get(key, "")
        found = pii.find_pii(text)
        if found:
            state[findings_key] = [f.to_dict() for f in found]
            return
        _add(text, False)

    def _redact_and_add() -> None:
        # The text may have changed since the warning: replace what is in it now.
        text = pii.redact_all(state.get(key, ""))
        state[key] = text
        _add(text, False)

    def _keep_and_add() -> None:
        """Keep identifiers on purpose, but only those the employee was warned about."""
        text = state.get(key, "")
        warned = {(f["kind"], f["text"]) for f in state.get(findings_key, [])}
        found = pii.find_pii(text)
        if {(f.kind.value, f.text) for f in found} - warned:
            state[findings_key] = [f.to_dict() for f in found]
            return
        _add(text, bool(found))

    if saved := state.pop("sup_saved", None):
        st.success(saved)
    st.text_area("Wat wil je toevoegen?", key=key, max_chars=incidents.MAX_SUPPLEMENT)
    field_error(errors, "text")
    if found := state.get(findings_key):
        kinds = ", ".join(sorted({pii.PiiKind(f["kind"]).label for f in found}))
        st.warning(
            f"In je tekst staan gegevens waarmee iemand te herkennen is ({kinds}). "
            "Er is nog niets opgeslagen."
        )
        left, right = st.columns(2)
        left.button("Vervangen en toevoegen", type="primary", on_click=_redact_and_add)
        right.button("Toch toevoegen zoals het is", on_click=_keep_and_add)
    else:
        st.button("Aanvulling toevoegen", type="primary", on_click=_submit)
