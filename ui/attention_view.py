"""What needs the FG's attention besides new reports: postponed messages whose review date
has come (of a recipient group or of a family), measures past their due date (also of closed
incidents); and, in the queue, every incident whose informing waits for safety."""

from __future__ import annotations

import streamlit as st

from datalek import config, store
from datalek.actions import informing, measures, postponements
from datalek.models import Actor
from ui.forms import md_escape

#: In "Aandacht" on the review date of a postponement.
REVIEW_DUE = "uitstel opnieuw bekijken"


def render(actor: Actor) -> dict[int, list[str]]:
    """Show the attention points; return them per incident id for the queue table."""
    with store.unit() as db:
        reviews = informing.reviews_due(db, actor)
        waiting = postponements.queue_flags(db, actor)
        overdue = measures.overdue(db, actor, limit=config.OVERDUE_MEASURES_SHOWN)
        overdue_total = (
            measures.count_overdue(db, actor)
            if len(overdue) == config.OVERDUE_MEASURES_SHOWN
            else len(overdue)
        )
    flags: dict[int, list[str]] = {}
    for incident_id in dict.fromkeys(r.incident_id for r in reviews):
        flags.setdefault(incident_id, []).append(REVIEW_DUE)
    for incident_id, flag in waiting.items():
        flags.setdefault(incident_id, []).append(flag)
    for m in overdue:
        flags.setdefault(m.incident_id, []).append("maatregel te laat")
    if reviews:
        # A family's label is typed by the FG: escaped, st.warning renders Markdown.
        st.warning(
            "Uitgesteld informeren, vandaag opnieuw bekijken: "
            + ", ".join(
                f"{r.reference} ({md_escape(r.what)}, sinds {r.review_on:%d-%m-%Y})" for r in reviews
            ),
            icon=":material/schedule:",
        )
    if overdue:
        shown = ", ".join(
            f"{m.reference} ({m.kind.label.split(' ')[0].lower()}, klaar op {m.due_on:%d-%m-%Y})"
            for m in overdue
        )
        more = f" en nog {overdue_total - len(overdue)}" if overdue_total > len(overdue) else ""
        st.warning(
            f"Maatregelen over de datum ({overdue_total}), de oudste eerst: {shown}{more}",
            icon=":material/assignment_late:",
        )
    return flags
