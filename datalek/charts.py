"""Plotly figures for overviews (no Streamlit). Colour-blind-safe, with Dutch labels and
the numbers written on the bars, so a chart reads without colour."""

from __future__ import annotations

import plotly.graph_objects as go

from datalek.stats import Cell

#: Okabe-Ito palette, safe for the common forms of colour blindness.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]

MONTHS = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]


def bar(cells: list[Cell], title: str, x_title: str, horizontal: bool = False) -> go.Figure:
    """Bars with their value as text; suppressed cells get no bar and the text "< 5"."""
    labels = [c.label for c in cells]
    values = [c.count or 0 for c in cells]
    texts = [c.shown for c in cells]
    trace = (
        go.Bar(y=labels, x=values, text=texts, orientation="h", marker_color=PALETTE[0])
        if horizontal
        else go.Bar(x=labels, y=values, text=texts, marker_color=PALETTE[0])
    )
    fig = go.Figure(trace)
    fig.update_traces(textposition="outside", cliponaxis=False, hoverinfo="skip")
    fig.update_layout(
        title=title, margin={"l": 10, "r": 30, "t": 50, "b": 10}, height=360,
        xaxis_title=None if horizontal else x_title, yaxis_title=x_title if horizontal else None,
        font={"size": 14},
    )  # fmt: skip
    if horizontal:
        fig.update_yaxes(autorange="reversed")
    return fig


def per_month(cells: list[Cell], year: int) -> go.Figure:
    named = [Cell(MONTHS[int(c.label) - 1], c.count) for c in cells]
    return bar(named, f"Meldingen per maand in {year}", "Maand")
