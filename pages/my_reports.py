"""Mijn meldingen: the employee's own reports, their status, and adding information later."""

import streamlit as st

from datalek import clock, store, submissions
from datalek.accounts.permissions import PermissionDenied
from datalek.handling import incidents, merges
from datalek.intake import pii, redaction
from datalek.intake.situations import Situation
from datalek.models import InvalidInput, Status
from ui import incident_view, session, unsent_report
from ui.forms import field_error
from ui.once import OnceForm


def render() -> None:
    actor = session.actor()
    st.title("Mijn meldingen", anchor=False)
    with store.unit() as db:
        mine = incidents.my_reports(db, actor)
        merged_into = merges.own_merges(db, actor, [m.id for m in mine]) if mine else {}
    if not mine:
        st.info("Je hebt nog geen meldingen gedaan.")
        st.stop()
    st.table(
        {
            "Nummer": [m.reference for m in mine],
            "Wat er gebeurde": [Situation(m.situation).label for m in mine],
            "Gemeld op": [clock.format_local(m.reported_at) for m in mine],
            "Status": [_status(m, merged_into) for m in mine],
        },
    )
    choice = st.selectbox(
        "Bekijk of vul een melding aan",
        options=[m.id for m in mine],
        format_func={m.id: m.reference for m in mine}.get,
        index=None,
        key="mine_choice",
        filter_mode=None if len(mine) <= 10 else "contains",
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
    if choice in merged_into:
        st.info(
            f"Je melding is samengevoegd met {merged_into[choice]}: iemand anders meldde hetzelfde. "
            "De FG handelt het af onder die melding. Je tekst blijft bewaard.",
            icon=":material/call_merge:",
        )
    incident_view.facts(view)
    incident_view.supplements(view)
    st.subheader("Aanvulling toevoegen", anchor=False)
    st.caption(
        "Je aanvulling komt onder je melding te staan; je oorspronkelijke melding blijft zoals hij was. "
        "Beschrijf wat er gebeurd is, niet wie het betreft."
    )
    supplement_form(choice)


def _status(summary, merged_into: dict[int, str]) -> str:
    """The status in the employee's words; a merged report names only its main reference."""
    if summary.status is Status.MERGED and summary.id in merged_into:
        return f"Samengevoegd met {merged_into[summary.id]}"
    return summary.status.label


def _adding(choice: int) -> OnceForm:
    return unsent_report.adding_form(choice)  # named there: a closed link gives its text back


def supplement_form(choice: int) -> None:
    """Adding information to report ``choice``: the text, the identifiers check, once only
    (also the follow-up page of a report made through a link, ``pages/guest_supplement.py``)."""
    state = st.session_state
    form = _adding(choice)
    key = form.key
    st.text_area("Wat wil je toevoegen?", key=form.field("text"), max_chars=incidents.MAX_SUPPLEMENT)
    field_error(state.get(f"sup_errors_{choice}"), "text")
    if found := state.get(form.field("findings")):
        kinds = ", ".join(sorted({pii.PiiKind(f["kind"]).label for f in found}))
        st.warning(
            f"In je tekst staan gegevens waarmee iemand te herkennen is ({kinds}). "
            "Er is nog niets opgeslagen."
        )
        left, right = st.columns(2)
        left.button(
            "Vervangen en toevoegen",
            type="primary",
            key=form.field("redact"),
            on_click=_redact_and_add,
            args=(choice, key),
        )
        right.button(
            "Toch toevoegen zoals het is", key=form.field("keep"), on_click=_keep_and_add, args=(choice, key)
        )
    else:
        st.button(
            "Aanvulling toevoegen",
            type="primary",
            key=form.field("add"),
            on_click=_submit,
            args=(choice, key),
        )
    form.outcome()


# --- button callbacks (they run before app.py on the next run) ----------------------------------
# ``key`` is the submission key of the form the button belonged to: its text is recorded once.


def _submit(choice: int, key: str) -> None:
    form = _adding(choice)
    if form.already(key):
        return
    text = form.get(key, "text", "")
    if found := redaction.identifiers_in(text):
        st.session_state[form.field("findings", key)] = found
        return
    _add(choice, key, text, False)


def _redact_and_add(choice: int, key: str) -> None:
    # The text may have changed since the warning: replace what is in it now.
    form = _adding(choice)
    if form.already(key):
        return
    text = pii.redact_all(form.get(key, "text", ""))
    st.session_state[form.field("text", key)] = text
    _add(choice, key, text, False)


def _keep_and_add(choice: int, key: str) -> None:
    form = _adding(choice)
    if form.already(key):
        return
    text = form.get(key, "text", "")
    found = redaction.identifiers_in(text)
    if redaction.unwarned(found, form.get(key, "findings", [])):
        st.session_state[form.field("findings", key)] = found  # warn again, about everything in it now
        return
    _add(choice, key, text, bool(found))


def _add(choice: int, key: str, text: str, pii_kept: bool) -> None:
    state = st.session_state
    form = _adding(choice)
    current = session.fresh_actor()  # callbacks run before app.py's session check
    if current is None:
        return
    try:
        with store.unit() as db, submissions.once(db, current, key, form.prefix):
            incidents.add_supplement(db, current, choice, text, pii_kept)
    except submissions.Repeated:
        state[f"sup_errors_{choice}"] = None
        form.repeated()
        return
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
    form.saved(key, "Je aanvulling is opgeslagen.")
