"""Verantwoording: on the register page the FG writes, per organisation and year, her
narrative for the board and picks the themes of the year's lessons to show, each with her own
summary. She reads the lessons she sums up here; the board never does."""

from __future__ import annotations

import streamlit as st

from datalek import store
from datalek.accounts.permissions import PermissionDenied
from datalek.handling.lessons import LessonTheme
from datalek.insight import narrative
from ui.callbacks import act
from ui.forms import field_error, form_errors
from ui.once import OnceForm

state = st.session_state


def _narrative_form(org_id: int, year: int) -> OnceForm:
    return OnceForm(f"nar_{org_id}_{year}_")


def _themes_form(org_id: int, year: int) -> OnceForm:
    return OnceForm(f"thm_{org_id}_{year}_")


def _lessons(n: int) -> str:
    return f"{n} {'les' if n == 1 else 'lessen'}"


def render(actor, org_id: int, year: int) -> None:
    st.divider()
    st.subheader(f"Verantwoording {year}", anchor=False)
    st.caption(
        "Wat je hier schrijft, staat in de jaarlijkse verantwoording voor het bestuur, boven de "
        "cijfers. Het bestuur leest nooit de lessen van losse incidenten. Het ziet alleen hoeveel "
        "lessen er per thema zijn, en jouw samenvatting van de thema's die je hier kiest."
    )
    try:
        with store.unit() as db:
            editing = narrative.for_editing(db, actor, org_id, year)
    except PermissionDenied as exc:
        st.error(exc.message)
        return
    _write_narrative(org_id, year, editing.narrative)
    themes = [t for t in LessonTheme if editing.counts[t] or t in editing.summaries]
    st.markdown(f"**Lessen van {year}, per thema**")
    if not themes:
        st.caption("Er zijn nog geen lessen vastgelegd bij afgeronde incidenten van dit jaar.")
        return
    for theme in themes:
        found = editing.learned.get(theme, [])
        with st.expander(f"{theme.label}: {_lessons(len(found))}", key=f"thm_{org_id}_{year}_{theme.value}"):
            for reference, learned in found:
                st.caption(reference)
                st.text(learned)
    _write_summaries(org_id, year, themes, editing)


def _write_narrative(org_id: int, year: int, current: str) -> None:
    form = _narrative_form(org_id, year)
    errors = state.get(form.prefix + "errors")
    form_errors(errors)
    with st.form(form.field("form"), enter_to_submit=False):
        field_error(errors, "form")
        st.text_area(
            "Jouw toelichting voor het bestuur",
            value=current,
            key=form.field("text"),
            max_chars=narrative.MAX_NARRATIVE,
            height=200,
            help="Je oordeel over het jaar, de trends, en waar het bestuur op moet letten.",
        )
        field_error(errors, "narrative")
        st.form_submit_button("Toelichting opslaan", on_click=_save_narrative, args=(org_id, year, form.key))
    form.outcome()


def _save_narrative(org_id: int, year: int, key: str) -> None:
    form = _narrative_form(org_id, year)
    if form.already(key):
        return
    text = form.get(key, "text", "") or ""
    act(
        form.prefix + "errors",
        "De toelichting is opgeslagen.",
        lambda db, who: narrative.write_narrative(db, who, org_id, year, text),
        once=(form, key),
    )


def _write_summaries(org_id: int, year: int, themes: list[LessonTheme], editing: narrative.Editing) -> None:
    form = _themes_form(org_id, year)
    errors = state.get(form.prefix + "errors")
    form_errors(errors)
    with st.form(form.field("form"), enter_to_submit=False):
        st.markdown("**Welke thema's laat je zien, en wat schrijf je erbij?**")
        field_error(errors, "form")
        for theme in themes:
            st.checkbox(
                f"{theme.label} tonen ({_lessons(editing.counts[theme])})",
                value=theme in editing.summaries,
                key=form.field(f"show_{theme.value}"),
            )
            st.text_area(
                f"Samenvatting: {theme.label}",
                value=editing.summaries.get(theme, ""),
                key=form.field(f"summary_{theme.value}"),
                max_chars=narrative.MAX_SUMMARY,
            )
            field_error(errors, f"summary_{theme.value}")
        st.form_submit_button(
            "Samenvattingen opslaan",
            on_click=_save_summaries,
            args=(org_id, year, [t.value for t in themes], form.key),
        )
    form.outcome()


def _save_summaries(org_id: int, year: int, themes: list[str], key: str) -> None:
    form = _themes_form(org_id, year)
    if form.already(key):
        return
    shown = {
        LessonTheme(t): form.get(key, f"summary_{t}", "") or ""
        for t in themes
        if form.get(key, f"show_{t}", False)
    }
    act(
        form.prefix + "errors",
        "De samenvattingen zijn opgeslagen.",
        lambda db, who: narrative.write_summaries(db, who, org_id, year, shown),
        once=(form, key),
    )
