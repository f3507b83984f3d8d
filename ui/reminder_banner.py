"""The banner on every page of an FG: her organisations' notification clocks that passed
their first reminder point or the deadline (``datalek.actions.reminders.attention``).

Text only, as ``st.warning``: an error box is kept for what failed."""

from __future__ import annotations

import streamlit as st

from datalek import clock, regime, store
from datalek.actions import reminders
from datalek.models import Actor
from ui.forms import md_escape

#: More lines than this and the banner pushes the page down: the rest is in the queue.
SHOWN = 5


def heading(count: int, overdue: int) -> str:
    """ "Let op: 2 meldingen naderen de termijn van 72 uur en 1 is te laat." """
    hours = regime.CURRENT.period_hours
    nearing = count - overdue
    parts = []
    if nearing:
        parts.append(
            f"1 melding nadert de termijn van {hours} uur"
            if nearing == 1
            else f"{nearing} meldingen naderen de termijn van {hours} uur"
        )
    if overdue and nearing:
        parts.append(f"{overdue} {'is' if overdue == 1 else 'zijn'} te laat")
    elif overdue:
        parts.append(
            f"1 melding is over de termijn van {hours} uur"
            if overdue == 1
            else f"{overdue} meldingen zijn over de termijn van {hours} uur"
        )
    return "Let op: " + " en ".join(parts) + "."


def render(actor: Actor) -> None:
    with store.unit() as db:
        found = reminders.attention(db, actor, clock.now())
    if not found:
        return
    lines = [heading(len(found), sum(a.overdue for a in found)), ""]
    lines += [f"- {md_escape(a.reference)}: {md_escape(a.label)}" for a in found[:SHOWN]]
    if len(found) > SHOWN:
        lines.append(f"- en nog {len(found) - SHOWN}: zie de Werkvoorraad.")
    st.warning("\n".join(lines), icon=":material/alarm:")
