"""The widgets of the report form. Values live in ``st.session_state`` under ``r_*`` keys,
so a validation error, a redaction step or a failed save never loses an answer; a copy in the
database (``handling.report_drafts``) brings them back after a reload.

No widget is inside an ``st.form``: each answer reaches the server as soon as it is given, so
the draft can hold it. A choice is sent at once; a text or number when its field loses focus,
on Enter in a one-line field, or on Ctrl+Enter in a text area."""

from __future__ import annotations

import logging
from datetime import datetime

import streamlit as st

from datalek import clock, deadlines, store
from datalek.handling import report_drafts
from datalek.intake.report import applicable
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
from datalek.models import Actor, Organisation
from ui.forms import datetime_input, field_error, local_datetime

WIDGET_KEYS = (
    "r_situation",
    "r_occurrence",
    "r_from_date",
    "r_from_time",
    "r_to_date",
    "r_to_time",
    "r_found_date",
    "r_found_time",
    "r_org",
    "r_department",
    "r_data_kinds",
    "r_subject_groups",
    "r_count_kind",
    "r_count",
    "r_protection",
    "r_recipients",
    "r_retrieval",
    "r_actions",
    "r_description",
)

TEXT_FIELDS = {"description": "r_description", "actions_taken": "r_actions"}

log = logging.getLogger("datalek.ui.report_form")


def _label(enum):
    return lambda value: enum(value).label


def situation_and_time(errors: dict | None) -> tuple[str | None, str | None]:
    """The questions that change the rest of the form (outside the form, so it can adapt)."""
    st.subheader("1. Wat is er gebeurd?", anchor=False)
    situation = st.radio(
        "Kies wat het meest lijkt op wat er gebeurde",
        options=[s.value for s in Situation],
        format_func=_label(Situation),
        captions=[f"Bijvoorbeeld: {s.info.example}" for s in Situation],
        index=None,
        key="r_situation",
    )
    field_error(errors, "situation")
    st.subheader("2. Wanneer?", anchor=False)
    occurrence = st.radio(
        "Wanneer gebeurde het?",
        options=[o.value for o in Occurrence],
        format_func=_label(Occurrence),
        index=None,
        horizontal=True,
        key="r_occurrence",
    )
    field_error(errors, "occurrence")
    return situation, occurrence


def form_body(
    errors: dict | None, situation: str | None, occurrence: str | None, orgs: list[Organisation]
) -> None:
    """The rest of the questions; only those that fit the situation."""
    if occurrence in ("moment", "ongoing", "period"):
        datetime_input("Begin" if occurrence != "moment" else "Wanneer gebeurde het", "r_from")
        field_error(errors, "occurred_from")
    if occurrence == "period":
        datetime_input("Einde", "r_to")
        field_error(errors, "occurred_to")
    datetime_input("Wanneer ontdekte je het", "r_found", default_now=True)
    field_error(errors, "discovered_at")
    if len(orgs) > 1:
        st.selectbox(
            "Voor welke organisatie werk je hierbij?",
            options=[o.id for o in orgs],
            format_func={o.id: o.name for o in orgs}.get,
            key="r_org",
            filter_mode=None if len(orgs) <= 10 else "contains",
            placeholder="Kies een organisatie",
        )
    st.text_input("Je afdeling of team", key="r_department", max_chars=100)
    field_error(errors, "department")

    st.subheader("3. Welke gegevens, en over wie?", anchor=False)
    st.multiselect(
        "Welke soorten gegevens?",
        options=[d.value for d in DataKind],
        format_func=_label(DataKind),
        key="r_data_kinds",
        filter_mode=None if len(DataKind) <= 10 else "contains",
        placeholder="Kies een of meer",
        select_all=False,
    )
    field_error(errors, "data_kinds")
    st.multiselect(
        "Over wie gaat het?",
        options=[g.value for g in SubjectGroup],
        format_func=_label(SubjectGroup),
        key="r_subject_groups",
        filter_mode=None if len(SubjectGroup) <= 10 else "contains",
        placeholder="Kies een of meer",
        select_all=False,
    )
    field_error(errors, "subject_groups")
    st.radio(
        "Hoeveel mensen gaat het ongeveer om?",
        options=[c.value for c in CountKind],
        format_func=_label(CountKind),
        horizontal=True,
        key="r_count_kind",
        index=None,
    )
    field_error(errors, "people_count_kind")
    st.number_input(
        "Aantal mensen (laat leeg als je het niet weet)", min_value=0, step=1, value=None, key="r_count"
    )
    field_error(errors, "people_count")

    asks = applicable(situation)
    if asks["protection"]:
        st.radio(
            "Waren de gegevens beveiligd?",
            options=[p.value for p in Protection],
            format_func=_label(Protection),
            horizontal=True,
            key="r_protection",
            index=None,
        )
        field_error(errors, "protection")
    if asks["recipients"]:
        st.multiselect(
            "Wie heeft de gegevens gekregen of kon ze zien?",
            options=[r.value for r in Recipient],
            format_func=_label(Recipient),
            key="r_recipients",
            filter_mode=None if len(Recipient) <= 10 else "contains",
            placeholder="Kies een of meer",
            select_all=False,
        )
        field_error(errors, "recipients")
    if asks["retrieval"]:
        question = Situation(situation).info.retrieval_question if situation else None
        st.radio(
            question or "Zijn de gegevens teruggegeven of verwijderd?",
            options=[r.value for r in Retrieval],
            format_func=_label(Retrieval),
            horizontal=True,
            key="r_retrieval",
            index=None,
        )
        field_error(errors, "retrieval")

    st.subheader("4. Wat is er gebeurd, en wat heb je al gedaan?", anchor=False)
    st.caption("Beschrijf wat er gebeurd is, niet wie het betreft.")
    st.text_area(
        "Korte beschrijving",
        key="r_description",
        max_chars=4000,
        height=120,
        placeholder="Bijvoorbeeld: verslag per e-mail naar een verkeerde ouder gestuurd.",
    )
    field_error(errors, "description")
    st.text_area("Wat heb je al gedaan? (mag leeg blijven)", key="r_actions", max_chars=2000, height=80)
    field_error(errors, "actions_taken")


def collected(orgs: list[Organisation]) -> dict:
    """The answers as the domain expects them (``intake.report.validate_report``)."""
    s = st.session_state
    default_org = orgs[0].id if orgs else None
    return {
        "org_id": s.get("r_org") if len(orgs) > 1 else default_org,
        "department": s.get("r_department") or "",
        "situation": s.get("r_situation"),
        "occurrence": s.get("r_occurrence"),
        "occurred_from": local_datetime(s.get("r_from_date"), s.get("r_from_time")),
        "occurred_to": local_datetime(s.get("r_to_date"), s.get("r_to_time")),
        "discovered_at": local_datetime(s.get("r_found_date"), s.get("r_found_time")),
        "data_kinds": s.get("r_data_kinds") or [],
        "subject_groups": s.get("r_subject_groups") or [],
        "people_count_kind": s.get("r_count_kind"),
        "people_count": s.get("r_count"),
        "protection": s.get("r_protection"),
        "recipients": s.get("r_recipients") or [],
        "retrieval": s.get("r_retrieval"),
        "actions_taken": s.get("r_actions") or "",
        "description": s.get("r_description") or "",
    }


def snapshot() -> dict:
    return {k: st.session_state[k] for k in WIDGET_KEYS if k in st.session_state}


def restore(saved: dict) -> None:
    for key, value in saved.items():
        st.session_state[key] = value


def deadline_text(aware_at_iso: str) -> str:
    aware = clock.from_iso(aware_at_iso)
    return clock.format_local(deadlines.deadline(aware))


# Streamlit drops the state of widgets that are not on screen, e.g. while the employee looks
# at another page. A copy under other keys brings the answers back.
_KEEP = "keep_"


def keep() -> None:
    for key in WIDGET_KEYS:
        if key in st.session_state:
            st.session_state[_KEEP + key] = st.session_state[key]


def bring_back() -> None:
    for key in WIDGET_KEYS:
        if key not in st.session_state and _KEEP + key in st.session_state:
            st.session_state[key] = st.session_state[_KEEP + key]


def forget() -> None:
    for key in [k for k in st.session_state if str(k).startswith(_KEEP)]:
        del st.session_state[key]


# --- the draft: a reload starts a new session, the database still has the answers -----------

_CHECKED, _STORED, _RESTORED = "r_draft_checked", "r_draft_stored", "r_draft_restored"


def answers(saved: dict | None = None) -> dict:
    """The answers by name (``report_drafts.FIELDS``): from the form, or from a ``snapshot``."""
    source = st.session_state if saved is None else saved
    return {key.removeprefix("r_"): source[key] for key in WIDGET_KEYS if key in source}


def bring_back_draft(actor: Actor) -> None:
    """Once per session, before the widgets: put the employee's stored draft into the form."""
    state = st.session_state
    if state.get(_CHECKED):
        return
    state[_CHECKED] = True
    if actor.user_id is None:  # a guest through a report link keeps no draft (issue #16)
        return
    try:
        with store.unit() as db:
            draft = report_drafts.load(db, actor, actor.user_id)
    except store.StorageError as exc:
        log.warning("report draft not read: %s", type(exc).__name__)
        return
    if draft is None:
        state[_STORED] = ""
        return
    restore({f"r_{name}": value for name, value in draft.answers.items()})
    state[_STORED] = draft.text
    state[_RESTORED] = clock.to_iso(draft.updated_at)


def draft_restored_at() -> datetime | None:
    """When the draft brought back in this session was stored; None when there was none."""
    return clock.from_iso(st.session_state.get(_RESTORED))


def keep_draft(actor: Actor, given: dict) -> None:
    """Store the answers as the draft when they changed since the last time (one small write).
    A full disk is not this form's problem: the answers stay in the session, the send says so."""
    state = st.session_state
    if actor.user_id is None:  # a guest through a report link keeps no draft (issue #16)
        return
    try:
        with store.unit() as db:
            state[_STORED] = report_drafts.keep(db, actor, actor.user_id, given, state.get(_STORED))
    except store.StorageError as exc:
        log.warning("report draft not kept: %s", type(exc).__name__)


def start_empty() -> None:
    """An empty form, with no draft to bring back (it was just thrown away)."""
    for key in [k for k in st.session_state if str(k).startswith("r_")]:
        del st.session_state[key]
    forget()
    st.session_state[_CHECKED] = True
    st.session_state[_STORED] = ""
