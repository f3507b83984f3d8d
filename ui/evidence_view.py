"""Bewijsstukken: files the FG attaches to an incident (``datalek.handling.evidence``). One file at
a time with a note; the list shows each file's name (as plain text), kind, size, who added it
and when, a one-time download link through ``/download/<token>`` (never Streamlit's media
store), and "Verwijderen" with a reason (the row stays, marked)."""

from __future__ import annotations

import streamlit as st

from datalek import clock, store
from datalek.accounts.permissions import Action, IncidentRef, PermissionDenied
from datalek.handling import evidence
from datalek.models import Actor
from ui import downloads, links
from ui.callbacks import act
from ui.forms import field_error, form_errors, md_escape
from ui.once import OnceForm

state = st.session_state
MEGABYTES = evidence.MAX_BYTES // (1024 * 1024)
ALLOWED = "PNG, JPEG, GIF, PDF, Word (.docx), Excel (.xlsx), e-mail (.eml) of tekst (.txt)"


#: Streamlit writes the size limit of its file uploader in English ("10MB per file") and has no
#: setting for it: hidden (out of the page's text too); the field's label says it in Dutch.
def _adding(incident_id: int) -> OnceForm:
    return OnceForm(f"ev{incident_id}_add_")


def _removing(incident_id: int, evidence_id: int) -> OnceForm:
    return OnceForm(f"ev{incident_id}_{evidence_id}_drop_")


def _add(incident_id: int, key: str) -> None:
    form = _adding(incident_id)
    uploaded = form.get(key, "file")
    name, content = (uploaded.name, uploaded.getvalue()) if uploaded is not None else ("", b"")
    note = form.get(key, "note", "")
    act(
        form.prefix + "errors",
        "Het bestand is toegevoegd.",
        lambda db, who: evidence.attach(db, who, incident_id, name, content, note),
        once=(form, key),
    )


def _remove(incident_id: int, evidence_id: int, key: str) -> None:
    form = _removing(incident_id, evidence_id)
    reason = form.get(key, "reason", "")
    act(
        form.prefix + "errors",
        "Het bestand is verwijderd. Het blijft in de lijst staan, met de reden.",
        lambda db, who: evidence.remove(db, who, evidence_id, reason),
        once=(form, key),
    )


def _offer(incident_id: int, evidence_id: int) -> None:
    """Make the one-time link: the file is read (and that is audited) only on this click."""
    p = f"ev{incident_id}_{evidence_id}_"

    def offer(db, who):
        file = evidence.download(db, who, evidence_id)
        state[p + "offer"] = downloads.offer(db, who, Action.READ_EVIDENCE, IncidentRef(incident_id), file)

    act(p + "errors", "", offer)


def render(actor: Actor, incident_id: int) -> None:
    """The incident's evidence: the form to add a file, then every file (checked in the core)."""
    st.markdown("**Bewijsstukken**")
    st.caption(
        "Bijvoorbeeld een schermafdruk, de e-mail die fout ging of het rapport van de verwerker. "
        "Alleen de FG kan ze zien en downloaden."
    )
    try:
        with store.unit() as db:
            found = evidence.list_for(db, actor, incident_id)
    except PermissionDenied as exc:
        st.error(exc.message)
        return
    _add_form(incident_id)
    if not found:
        st.caption("Nog geen bewijsstukken.")
    for item in found:
        _item(incident_id, item)


def _add_form(incident_id: int) -> None:
    form = _adding(incident_id)
    errors = state.get(form.prefix + "errors")
    form_errors(errors)
    links.hide_english_upload_limit()
    with st.form(form.field("form"), enter_to_submit=False):
        st.file_uploader(
            f"Bestand (hoogstens {MEGABYTES} MB)",
            key=form.field("file"),
            max_upload_size=MEGABYTES,
            help=f"Toegestaan: {ALLOWED}. Het soort bestand wordt gecontroleerd aan de inhoud.",
        )
        field_error(errors, "file")
        st.text_area("Toelichting (mag leeg blijven)", key=form.field("note"), max_chars=evidence.MAX_NOTE)
        field_error(errors, "note")
        st.form_submit_button("Bewijsstuk toevoegen", on_click=_add, args=(incident_id, form.key))
    form.outcome()


def _item(incident_id: int, item: evidence.Evidence) -> None:
    if item.purged:
        st.caption(
            f"Bewijsstuk opgeschoond na de bewaartermijn op {clock.format_local(item.purged_at, False)} "
            f"({item.kind.label}, {item.size_label})."
        )
        return
    if item.removed:
        st.markdown("**Verwijderd:**")
    st.text(item.file_name)
    st.caption(
        f"{item.kind.label}, {item.size_label}. Toegevoegd door {md_escape(item.added_by_name)} "
        f"op {clock.format_local(item.added_at)}."
    )
    if item.note:
        st.text(item.note)
    if item.removed:
        st.caption(
            f"Verwijderd door {md_escape(item.removed_by_name)} op {clock.format_local(item.removed_at)}. "
            f"Reden: {md_escape(item.removed_reason)}"
        )
        _removing(incident_id, item.id).outcome()  # the removal just made, if it was
        return
    p = f"ev{incident_id}_{item.id}_"
    st.button("Maak download", key=p + "make", on_click=_offer, args=(incident_id, item.id))
    field_error(state.get(p + "errors"), "download")
    offered = state.get(p + "offer")
    if offered and downloads.link(offered, "Download het bestand"):
        st.caption(downloads.HINT)
    with st.expander("Verwijderen", key=p + "open", on_change="rerun", icon=":material/delete:"):
        _remove_form(incident_id, item.id)


def _remove_form(incident_id: int, evidence_id: int) -> None:
    form = _removing(incident_id, evidence_id)
    errors = state.get(form.prefix + "errors")
    form_errors(errors)
    with st.form(form.field("form"), enter_to_submit=False):
        st.markdown(
            "**Verwijderen** (als dit bestand per ongeluk is toegevoegd; het blijft in de lijst staan)"
        )
        st.text_area(
            "Waarom verwijder je dit bestand?", key=form.field("reason"), max_chars=evidence.MAX_REASON
        )
        field_error(errors, "reason")
        st.form_submit_button("Verwijderen", on_click=_remove, args=(incident_id, evidence_id, form.key))
    form.outcome()
