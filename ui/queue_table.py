"""The FG's queue as a table, with the time left shown plainly and as a level."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from datalek import clock, config, deadlines
from datalek.handling.incidents import IncidentSummary
from datalek.intake.situations import Situation
from datalek.models import Status

COLOURS = {
    "Te laat": "#f4c7c3",
    "Minder dan 24 uur": "#fde2b6",
    "Minder dan 48 uur": "#fff3c4",
    "Meer dan 48 uur": "",
    "Opvolging": "",
}
URGENCY = {
    "late": "Te laat",
    "urgent": "Minder dan 24 uur",
    "soon": "Minder dan 48 uur",
    "ok": "Meer dan 48 uur",
}


def render(
    rows: list[IncidentSummary],
    org_names: dict[int, str],
    now: datetime,
    flags: dict[int, list[str]] | None = None,
) -> int | None:
    """Show the rows; return the id of the incident the FG opens, if any."""
    if not rows:
        st.write("Er zijn geen open meldingen.")
        return None
    if len(rows) >= config.QUEUE_LIMIT:
        st.write(f"De eerste {config.QUEUE_LIMIT} open meldingen. Gebruik de filters om verder te zoeken.")
    else:
        st.write(
            f"{len(rows)} open melding(en). Eerst de meldingen zonder besluit, dan de meldingen "
            "die nog opvolging nodig hebben."
        )
    new = sorted((r for r in rows if r.status is Status.REPORTED), key=lambda r: r.reported_at, reverse=True)
    if new:
        shown = ", ".join(r.reference for r in new[:10]) + (" en meer" if len(new) > 10 else "")
        st.info(f"Nieuw binnen, nog niet beoordeeld ({len(new)}): {shown}", icon=":material/fiber_new:")
    table = pd.DataFrame(
        {
            "Nummer": [r.reference for r in rows],
            "Termijn": [
                deadlines.describe_hours_left(r.hours_left(now)) if r.awaits_decision else "besluit genomen"
                for r in rows
            ],
            "Urgentie": [
                URGENCY[deadlines.urgency(r.hours_left(now))] if r.awaits_decision else "Opvolging"
                for r in rows
            ],
            "Status": [r.status.label for r in rows],
            "Aandacht": [", ".join((flags or {}).get(r.id, [])) for r in rows],
            "Wat er gebeurde": [Situation(r.situation).label for r in rows],
            "Afdeling": [r.department for r in rows],
            "Organisatie": [org_names.get(r.org_id, "") for r in rows],
            "Gemeld": [clock.format_local(r.reported_at) for r in rows],
        }
    )
    # Colour helps, the words carry the meaning: the table reads the same without colour.
    shade = [f"background-color: {COLOURS[u]}" if COLOURS[u] else "" for u in table["Urgentie"]]
    styled = table.style.apply(lambda _: shade, subset=["Termijn"], axis=0)
    st.dataframe(styled, hide_index=True, width="stretch")
    several = len({r.org_id for r in rows}) > 1  # numbers restart per organisation
    names = {r.id: f"{r.reference} · {org_names.get(r.org_id, '')}" if several else r.reference for r in rows}
    return st.selectbox(
        "Open een melding",
        [r.id for r in rows],
        index=None,
        key="q_choice",
        format_func=names.get,
        placeholder="Kies een melding",
    )
