"""What a guest typed into the report form and could not send, because the report link closed
while the form was open (issue #16); likewise the addition typed on the follow-up page
("Wat wil je toevoegen?", ``pages/guest_supplement``) when the follow-up link closed.

A guest keeps no draft in the database (``ui/report_form.keep_draft``), and when the link
closes ``ui/session.end`` forgets everything the browser session held. So right before that,
``text_of`` turns the answers into one plain Dutch text, which ``ui/session.resume`` keeps under
``KEY`` in this browser session's memory only: never stored, never logged, never audited. The
page that says the link closed (``pages/signin``) shows it read-only, to copy; a reload starts
a new session without it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, time

import streamlit as st

from datalek.handling import report_drafts
from datalek.intake.situations import (
    CountKind,
    DataKind,
    Occurrence,
    Protection,
    Recipient,
    Retrieval,
    Situation,
    SubjectGroup,
)
from ui.once import OnceForm
from ui.report_form import WIDGET_KEYS

KEY = "_unsent_report"
#: ``ui/report_form.keep`` copies each answer under this prefix (a widget off screen loses its own)
_KEPT = "keep_"

HINT = (
    "Dit had je ingevuld. Het is niet verstuurd en nergens bewaard. Kopieer het als je het nog "
    "aan de organisatie wilt doorgeven. Sluit je deze pagina of laad je hem opnieuw, dan is het weg."
)


def _given(state: Mapping) -> dict:
    """The form's answers by name: the widgets', else the copies kept for them, else those of
    the identifiers step (``r_snapshot``)."""
    snapshot = state.get("r_snapshot") or {}
    found = {}
    for key in WIDGET_KEYS:
        for source, name in ((state, key), (state, _KEPT + key), (snapshot, key)):
            if source.get(name) is not None:
                found[key.removeprefix("r_")] = source[name]
                break
    return found


def _moment(day: date | None, moment: time | None) -> str | None:
    if day is None:
        return None
    return f"{day:%d-%m-%Y}" + (f" om {moment:%H:%M}" if moment is not None else "")


def _labels(enum, values) -> str:
    return ", ".join(enum(v).label for v in values)


def lines(answers: dict) -> list[str]:
    """The answers (``report_drafts.decode``d) as "question: answer" lines in the form's order;
    the two free texts on lines of their own, as typed."""
    out: list[str] = []
    a = answers

    def add(label: str, value: str | None) -> None:
        if value:
            out.append(f"{label}: {value}")

    situation, occurrence = a.get("situation"), a.get("occurrence")
    add("Wat is er gebeurd", situation and Situation(situation).label)
    add("Wanneer gebeurde het", occurrence and Occurrence(occurrence).label)
    add("Moment" if occurrence == "moment" else "Begin", _moment(a.get("from_date"), a.get("from_time")))
    add("Einde", _moment(a.get("to_date"), a.get("to_time")))
    add("Wanneer ontdekte je het", _moment(a.get("found_date"), a.get("found_time")))
    add("Je afdeling of team", a.get("department"))
    add("Welke soorten gegevens", a.get("data_kinds") and _labels(DataKind, a["data_kinds"]))
    add("Over wie gaat het", a.get("subject_groups") and _labels(SubjectGroup, a["subject_groups"]))
    add("Hoeveel mensen", a.get("count_kind") and CountKind(a["count_kind"]).label)
    add("Aantal mensen", None if a.get("count") is None else str(a["count"]))
    add("Waren de gegevens beveiligd", a.get("protection") and Protection(a["protection"]).label)
    add(
        "Wie heeft de gegevens gekregen of kon ze zien",
        a.get("recipients") and _labels(Recipient, a["recipients"]),
    )
    question = (Situation(situation).info.retrieval_question if situation else None) or (
        "Zijn de gegevens teruggegeven of verwijderd?"
    )
    add(question.rstrip("?"), a.get("retrieval") and Retrieval(a["retrieval"]).label)
    for label, name in (("Korte beschrijving", "description"), ("Wat heb je al gedaan", "actions")):
        if a.get(name):
            out += ["", f"{label}:", a[name]]
    return out


def adding_form(incident_id: int) -> OnceForm:
    """The form that adds information to report ``incident_id`` (``pages/my_reports``' own):
    its widget keys are named here, so that ``text_of`` finds what a guest typed in it."""
    return OnceForm(f"sup{incident_id}_")


def _addition(state: Mapping, incident_id: int | None) -> str:
    """The text in the adding form drawn now ('' after a save: the form then has a new key)."""
    if incident_id is None:
        return ""
    form = adding_form(incident_id)
    key = state.get(form.prefix + "key")
    text = state.get(form.field("text", key)) if key else None
    return text if isinstance(text, str) and text.strip() else ""


def _report(state: Mapping) -> str:
    if state.get("r_done"):
        return ""
    encoded = report_drafts.encode(_given(state))
    if report_drafts.is_empty(encoded):
        return ""
    return "\n".join(lines(report_drafts.decode(encoded))).strip()


def text_of(state: Mapping, incident_id: int | None = None) -> str:
    """What the report form in ``state`` holds, and the addition typed for report ``incident_id``
    (a follow-up link's guest), as one text; '' when nothing was typed (only the discovery moment
    the form fills in itself) or when it was sent already."""
    addition = _addition(state, incident_id)
    parts = [_report(state), f"Je aanvulling:\n{addition}" if addition else ""]
    return "\n\n".join(part for part in parts if part).strip()


def show() -> None:
    """On the page that says the link closed: the unsent answers, read-only, to select and copy.
    Plain text (``st.text``): never Markdown, never HTML; not a disabled field, whose text some
    browsers do not let you select."""
    typed = st.session_state.get(KEY)
    if not typed:
        return
    st.subheader("Wat je had ingevuld", anchor=False)
    st.write(HINT)
    with st.container(border=True, key=KEY.strip("_")):
        st.text(typed)
