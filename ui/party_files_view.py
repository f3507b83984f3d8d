"""The register of processors and partners as a file (FG-team page, issue #16): import from CSV
or XLSX with a preview that names every problem per row in Dutch (nothing is imported while any
row is wrong), and export as CSV or XLSX through the one-time ``/download/<token>`` route."""

from __future__ import annotations

import streamlit as st

from datalek import store
from datalek.accounts.permissions import Action, OrgRef, PermissionDenied
from datalek.handling import party_files
from datalek.models import InvalidInput
from ui import downloads, links, session
from ui.callbacks import act
from ui.forms import field_error
from ui.once import OnceForm

state = st.session_state
LABELS = {"csv": "CSV", "xlsx": "XLSX"}


def _importing(org_id: int) -> OnceForm:
    return OnceForm(f"pf{org_id}_imp_")


def render(org_id: int, org_name: str) -> None:
    st.markdown("**Importeren uit een bestand**")
    st.caption(
        "Een CSV- of Excel-bestand met de kolommen van de export: Soort en Naam zijn nodig. Je ziet "
        "eerst wat er zou worden toegevoegd. Heeft één regel een fout, dan wordt er niets "
        "geïmporteerd. Een partij die al in het register staat, wijzig je hierboven."
    )
    form = _importing(org_id)
    errors = state.get(form.prefix + "errors")
    links.hide_english_upload_limit()
    st.file_uploader("Bestand (CSV of XLSX, hoogstens 2 MB)", type=["csv", "xlsx"], key=form.field("file"))
    field_error(errors, "file")
    left, right = st.columns(2)
    left.button("Controleren", key=form.field("check"), on_click=_preview, args=(org_id, form.key))
    shown = state.get(form.prefix + "preview")
    if shown and shown[0] == form.key:
        _show_preview(shown[1])
        if shown[1].ok:
            right.button(
                "Importeren", type="primary", key=form.field("go"), on_click=_import, args=(org_id, form.key)
            )
    if failure := state.pop(form.prefix + "failure", None):
        st.error(failure, icon=":material/error:")
    form.outcome()
    _export(org_id, org_name)


def _show_preview(preview: party_files.Preview) -> None:
    if preview.ok:
        st.success(f"Alle {len(preview.rows)} regels zijn goed. Klik op Importeren om ze toe te voegen.")
    else:
        st.error(
            f"{len(preview.wrong)} van de {len(preview.rows)} regels hebben een fout. Verbeter het bestand "
            "en kies het opnieuw. Er is niets geïmporteerd.",
            icon=":material/error:",
        )
    st.dataframe(
        {
            "Regel": [r.line for r in preview.rows],
            "Naam": [r.values["name"] for r in preview.rows],
            "Fouten": [" ".join(r.messages()) or "goed" for r in preview.rows],
        },
        hide_index=True,
        width="stretch",
    )


def _uploaded(form: OnceForm, key: str) -> tuple[str, bytes]:
    uploaded = form.get(key, "file")
    return (uploaded.name, uploaded.getvalue()) if uploaded is not None else ("", b"")


def _preview(org_id: int, key: str) -> None:
    form = _importing(org_id)
    name, content = _uploaded(form, key)
    actor = session.fresh_actor()  # callbacks run before app.py's session check
    if actor is None:
        return
    state.pop(form.prefix + "preview", None)
    try:
        with store.unit() as db:
            found = party_files.preview(db, actor, org_id, name, content)
    except InvalidInput as exc:
        state[form.prefix + "errors"] = exc.errors
        return
    except PermissionDenied as exc:
        state[form.prefix + "failure"] = exc.message
        return
    state[form.prefix + "errors"] = None
    state[form.prefix + "preview"] = (key, found)


def _import(org_id: int, key: str) -> None:
    form = _importing(org_id)
    name, content = _uploaded(form, key)
    count: list[int] = []
    done = act(
        form.prefix + "errors",
        "",
        lambda db, who: count.append(party_files.import_file(db, who, org_id, name, content)),
        once=(form, key),
    )
    if failure := state.pop("q_failure", None):
        state[form.prefix + "failure"] = failure
    if done:
        state.pop(form.prefix + "preview", None)
        outcome = state[form.prefix + "outcome"]
        message = (
            f"{count[0]} {'partij is' if count[0] == 1 else 'partijen zijn'} toegevoegd aan het register."
        )
        state[form.prefix + "outcome"] = state[form.prefix + "last"] = (outcome[0], message, *outcome[2:])


def _export(org_id: int, org_name: str) -> None:
    st.markdown("**Exporteren**")
    for col, fmt in zip(st.columns(len(party_files.FORMATS)), party_files.FORMATS, strict=True):
        col.button(
            f"Maak export ({LABELS[fmt]})",
            key=f"pf{org_id}_make_{fmt}",
            on_click=_make,
            args=(org_id, org_name, fmt),
        )
    made = state.get("pf_file")
    if made and made[0] == org_id:
        _, fmt, offered = made
        if downloads.link(offered, f"Download de verwerkers en ketenpartners ({fmt.upper()})"):
            st.caption(downloads.HINT)
    if failure := state.pop(f"pf{org_id}_failure", None):
        st.error(failure, icon=":material/error:")


def _make(org_id: int, org_name: str, fmt: str) -> None:
    def make(db, who) -> None:
        file = party_files.export(db, who, org_id, org_name, fmt)
        state["pf_file"] = (
            org_id,
            fmt,
            downloads.offer(db, who, Action.EXPORT_PARTIES, OrgRef(org_id), file),
        )

    if not act(f"pf{org_id}_errors", "", make):
        state.pop("pf_file", None)
    if failure := state.pop("q_failure", None):
        state[f"pf{org_id}_failure"] = failure
