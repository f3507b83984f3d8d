"""The FG's queue as a table, with each incident's notification clock (``handling.outstanding``)
shown plainly and as a level, and the missing reason for a delay under "Aandacht".

A table whose cells wrap (``st.table``): the nine columns fit the page on a 1280 px laptop."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from datalek import clock, config
from datalek.handling.incidents import IncidentSummary
from datalek.intake.situations import Situation
from datalek.models import Status
from ui.forms import md_escape

#: The urgency of an incident whose clock stopped (notified, or decided not to notify).
NO_CLOCK = "Geen termijn"
#: In "Aandacht" while the deadline has passed and no reason for the delay is recorded.
DELAY_REASON_MISSING = "Reden vertraging ontbreekt"
COLOURS = {
    "Te laat": "#f4c7c3",
    "Minder dan 24 uur": "#fde2b6",
    "Minder dan 48 uur": "#fff3c4",
    "Meer dan 48 uur": "",
    NO_CLOCK: "",
}
URGENCY = {
    "late": "Te laat",
    "urgent": "Minder dan 24 uur",
    "soon": "Minder dan 48 uur",
    "ok": "Meer dan 48 uur",
}


def reports(count: int) -> str:
    """'1 melding', '2 meldingen': Dutch singular and plural, never 'melding(en)'."""
    return f"{count} melding" if count == 1 else f"{count} meldingen"


def _what(statuses: list[Status] | None) -> str:
    """What the list holds: open reports, or those with the statuses of the filter."""
    if not statuses:
        return "open"
    labels = [s.label for s in statuses]
    joined = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " of " + labels[-1]
    return f"met status {joined}"


def count_line(count: int, statuses: list[Status] | None = None) -> str:
    """The sentence above the table: describes what is shown, with the status filter."""
    what = _what(statuses)
    if count == 0:
        return "Er zijn geen open meldingen." if not statuses else f"Er zijn geen meldingen {what}."
    if count >= config.QUEUE_LIMIT:
        shown = f"De eerste {config.QUEUE_LIMIT} " + (
            "open meldingen" if not statuses else f"meldingen {what}"
        )
        return f"{shown}. Gebruik de filters om verder te zoeken."
    shown = f"{reports(count).replace(' ', ' open ', 1)}" if not statuses else f"{reports(count)} {what}"
    return (
        f"{shown}. Eerst de meldingen waarvan de termijn loopt, de kortste bovenaan. Daarna de "
        "meldingen die gemeld zijn of niet gemeld worden."
    )


def urgency(row: IncidentSummary, now: datetime) -> str:
    level = row.clock.urgency(now) if row.clock else None
    return URGENCY[level] if level else NO_CLOCK


def attention(row: IncidentSummary, now: datetime, flags: dict[int, list[str]] | None) -> str:
    found = list((flags or {}).get(row.id, []))
    if row.clock and row.clock.needs_delay_reason(now):
        found.insert(0, DELAY_REASON_MISSING)
    return ", ".join(found)


def render(
    rows: list[IncidentSummary],
    org_names: dict[int, str],
    now: datetime,
    flags: dict[int, list[str]] | None = None,
    statuses: list[Status] | None = None,
) -> int | None:
    """Show the rows; return the id of the incident the FG opens, if any. ``statuses``: the
    status filter, so that the sentence above the table says what is shown."""
    st.write(count_line(len(rows), statuses))
    if not rows:
        return None
    new = sorted((r for r in rows if r.status is Status.REPORTED), key=lambda r: r.reported_at, reverse=True)
    if new:
        shown = ", ".join(r.reference for r in new[:10]) + (" en meer" if len(new) > 10 else "")
        st.info(f"Nieuw binnen, nog niet beoordeeld ({len(new)}): {shown}", icon=":material/fiber_new:")
    table = pd.DataFrame(
        {
            "Nummer": [r.reference for r in rows],
            "Termijn": [r.clock.label(now) if r.clock else "" for r in rows],
            "Urgentie": [urgency(r, now) for r in rows],
            "Status": [r.status.label for r in rows],
            "Aandacht": [attention(r, now, flags) for r in rows],
            "Wat er gebeurde": [Situation(r.situation).label for r in rows],
            # st.table renders Markdown in its cells: escape what people typed.
            "Afdeling": [md_escape(r.department) for r in rows],
            "Organisatie": [md_escape(org_names.get(r.org_id, "")) for r in rows],
            "Gemeld": [clock.format_local(r.reported_at) for r in rows],
        }
    )
    # Colour helps, the words carry the meaning: the table reads the same without colour.
    shade = [f"background-color: {COLOURS[u]}" if COLOURS[u] else "" for u in table["Urgentie"]]
    styled = table.style.apply(lambda _: shade, subset=["Termijn"], axis=0)
    # st.table, not st.dataframe: its cells wrap, so all nine columns fit a 1280 px laptop
    # screen without scrolling sideways (tests/e2e/test_screens_fit.py).
    st.table(styled, hide_index=True)
    # Numbers restart per organisation. The label depends on the FG's organisations, not on the
    # rows shown: a label that changes when a row comes in (a linked incident of another
    # organisation, #16) would lose the incident that is open.
    several = len(org_names) > 1
    names = {r.id: f"{r.reference} · {org_names.get(r.org_id, '')}" if several else r.reference for r in rows}
    return st.selectbox(
        "Open een melding",
        [r.id for r in rows],
        index=None,
        key="q_choice",
        format_func=names.get,
        filter_mode=None if len(rows) <= 10 else "contains",
        placeholder="Kies een melding",
    )
