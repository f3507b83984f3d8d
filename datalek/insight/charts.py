"""Plotly figures for the dashboard and the yearly report (no Streamlit).

Colour-blind-safe (Okabe-Ito), Dutch labels, and readable without colour: every bar
carries its number as text, and series that differ are also told apart by a pattern
and by the legend. Hidden counts get no bar and the text "verborgen". At most a few dozen
points per chart: the aggregation happens in SQL (``datalek.store.stats``).
"""

from __future__ import annotations

import plotly.graph_objects as go

from datalek.insight.disclosure import Cell

#: Okabe-Ito palette, safe for the common forms of colour blindness.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]

MONTHS = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]

_LAYOUT = {
    "margin": {"l": 10, "r": 40, "t": 50, "b": 10},
    "font": {"size": 14},
    "template": "plotly_white",
    "separators": ",.",
}


def _trace(cells: list[Cell], name: str, colour: str, pattern: str = "", horizontal: bool = False) -> go.Bar:
    labels = [c.label for c in cells]
    values = [c.count or 0 for c in cells]
    common = {
        "text": [c.shown for c in cells],
        "name": name,
        "marker_color": colour,
        "marker_pattern_shape": pattern,
        "textposition": "outside",
        "cliponaxis": False,
        "hovertemplate": "%{text}<extra>" + name + "</extra>",
    }
    if horizontal:
        return go.Bar(y=labels, x=values, orientation="h", **common)
    return go.Bar(x=labels, y=values, **common)


def bar(cells: list[Cell], title: str, x_title: str, horizontal: bool = False) -> go.Figure:
    """Bars with their value as text; hidden cells get no bar and the text "verborgen"."""
    fig = go.Figure(_trace(cells, x_title, PALETTE[0], horizontal=horizontal))
    fig.update_layout(
        title=title,
        height=max(300, 60 + 28 * len(cells)) if horizontal else 360,
        xaxis_title=None if horizontal else x_title,
        yaxis_title=x_title if horizontal else None,
        showlegend=False,
        **_LAYOUT,
    )
    if horizontal:
        fig.update_yaxes(autorange="reversed", automargin=True)
    return fig


def per_month(cells: list[Cell], year: int, previous: list[Cell] | None = None) -> go.Figure:
    """Reports per month; the year before as hatched bars next to them."""
    named = [Cell(MONTHS[i], c.count, c.limit) for i, c in enumerate(cells)]
    fig = go.Figure(_trace(named, str(year), PALETTE[0]))
    if previous is not None:
        before = [Cell(MONTHS[i], c.count, c.limit) for i, c in enumerate(previous)]
        fig.add_trace(_trace(before, str(year - 1), PALETTE[1], "/"))
    fig.update_layout(
        title=f"Meldingen per maand in {year}" + (f" en {year - 1}" if previous is not None else ""),
        barmode="group",
        height=380,
        xaxis_title="Maand",
        yaxis_title="Meldingen",
        legend={"orientation": "h", "y": -0.2},
        **_LAYOUT,
    )
    return fig


def funnel(cells: list[Cell]) -> go.Figure:
    """From internal report to informing betrokkenen, one step per bar."""
    fig = go.Figure(
        go.Funnel(
            y=[c.label for c in cells],
            x=[c.count or 0 for c in cells],
            text=[c.shown for c in cells],
            textinfo="text",
            marker_color=PALETTE[: len(cells)],
            hoverinfo="skip",
        )
    )
    fig.update_layout(title="Van melding tot betrokkenen geïnformeerd", height=340, **_LAYOUT)
    fig.update_yaxes(automargin=True)
    return fig


def notify_time(cells: list[Cell]) -> go.Figure:
    """AP notifications by hours after discovery, with the 72-hour line; late bars are
    hatched as well as coloured differently."""
    early, late = cells[:3], cells[3:]
    fig = go.Figure([_trace(early, "Binnen 72 uur", PALETTE[2]), _trace(late, "Na 72 uur", PALETTE[5], "x")])
    fig.add_vline(x=2.5, line_dash="dash", line_color=PALETTE[7])
    fig.add_annotation(
        x=2.5, y=1, yref="paper", text="72 uur", showarrow=False, xanchor="left", yanchor="bottom"
    )
    fig.update_layout(
        title="Tijd tot de melding bij de AP",
        height=360,
        barmode="group",
        xaxis_title="Uren na ontdekking",
        yaxis_title="AP-meldingen",
        legend={"orientation": "h", "y": -0.25},
        **_LAYOUT,
    )
    fig.update_xaxes(categoryorder="array", categoryarray=[c.label for c in cells])
    return fig


def dashboard_figures(
    series: dict[str, list[Cell]], year: int, previous: dict[str, list[Cell]] | None
) -> dict[str, go.Figure]:
    """Every chart of the dashboard (and the yearly report), by code."""
    return {
        "month": per_month(series["month"], year, previous["month"] if previous else None),
        "funnel": funnel(series["funnel"]),
        "type": bar(series["type"], "Soort incident", "Soort", horizontal=True),
        "data": bar(series["data"], "Soort gegevens", "Gegevens", horizontal=True),
        "dept": bar(series["dept"], "Per afdeling", "Afdeling", horizontal=True),
        "nature": bar(series["nature"], "Vertrouwelijkheid, integriteit, beschikbaarheid", "Soort inbreuk"),
        "risk": bar(series["risk"], "Risico volgens de beoordeling", "Risico"),
        "notify_time": notify_time(series["notify_bucket"]),
    }
