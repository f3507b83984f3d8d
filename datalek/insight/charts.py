"""Plotly figures for the dashboard and the yearly report (no Streamlit).

Colour-blind-safe (Okabe-Ito), Dutch labels, and readable without colour: every bar
carries its number as text, and series that differ are also told apart by a pattern
and by the legend. Hidden counts get no bar and the text "verborgen". At most a few dozen
points per chart: the aggregation happens in SQL (``datalek.store.stats``).

Counts are whole numbers: the value axis starts at 0 and has whole-number ticks. A chart
without any bar says why, in Dutch ("Nog geen gegevens", or that every count is hidden),
instead of drawing an empty axis from -1 to 1. The charts cannot be zoomed and draw no
Plotly toolbar: its buttons and messages are English (``CONFIG``).
"""

from __future__ import annotations

import plotly.graph_objects as go

from datalek.insight import stats
from datalek.insight.disclosure import Cell, empty_note

#: Okabe-Ito palette, safe for the common forms of colour blindness.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]

MONTHS = stats.MONTHS

#: Plotly's configuration wherever a chart is drawn (the dashboard, the yearly report): no
#: toolbar, whose tooltips ("Download plot as a png", "Autoscale") Plotly only has in English.
CONFIG = {"displayModeBar": False, "displaylogo": False, "scrollZoom": False}

#: Up to this many, the value axis gets a tick per whole number (Plotly would pick 0.5 steps).
SMALL_AXIS = 10

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


def _counts_axis(fig: go.Figure, cells: list[Cell], axis: str | None) -> go.Figure:
    """Whole numbers from 0 on the value axis (``axis``: "x", "y" or None for a funnel), no
    zooming, and a note in the middle when no bar can be drawn."""
    note = empty_note(cells)
    if axis is not None:
        largest = max((c.count or 0 for c in cells), default=0)
        ticks = {"tickformat": "d", "rangemode": "tozero", "fixedrange": True}
        if note is not None:
            ticks |= {"range": [0, 1], "dtick": 1}
        elif largest <= SMALL_AXIS:
            ticks |= {"dtick": 1}
        fig.update_xaxes(fixedrange=True)
        fig.update_yaxes(fixedrange=True)
        (fig.update_xaxes if axis == "x" else fig.update_yaxes)(**ticks)
    if note is not None:
        fig.add_annotation(
            text=note,
            x=0.5,
            y=0.5,
            xref="paper",
            yref="paper",
            showarrow=False,
            font={"size": 16},
        )
    return fig


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
    return _counts_axis(fig, cells, "x" if horizontal else "y")


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
    return _counts_axis(fig, named + (before if previous is not None else []), "y")


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
    fig.update_layout(title=stats.SERIES["funnel"].title, height=340, **_LAYOUT)
    fig.update_yaxes(automargin=True)
    return _counts_axis(fig, cells, None)


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
        title=stats.SERIES["notify_bucket"].title,
        height=360,
        barmode="group",
        xaxis_title="Uren na bewust worden",
        yaxis_title="AP-meldingen",
        legend={"orientation": "h", "y": -0.25},
        **_LAYOUT,
    )
    fig.update_xaxes(categoryorder="array", categoryarray=[c.label for c in cells])
    return _counts_axis(fig, cells, "y")


#: chart code in ``dashboard_figures`` -> its series code in ``stats.SERIES``
SERIES_OF = {"notify_time": "notify_bucket"}
#: horizontal bar charts (long labels): series code -> the axis title
_HORIZONTAL = {
    "type": "Soort",
    "data": "Gegevens",
    "dept": "Afdeling",
    "org": "Organisatie",
    "outcome": "Uitkomst",
    "processor": "Verwerker",
}
_VERTICAL = {"nature": "Soort inbreuk", "risk": "Risico", "people": "Aantal personen", "late_reason": "Reden"}


def dashboard_figures(
    series: dict[str, list[Cell]], year: int, previous: dict[str, list[Cell]] | None
) -> dict[str, go.Figure]:
    """Every chart of the dashboard (and the yearly report), by code; titles from ``stats.SERIES``.
    The chart of the parts is "dept" for one organisation and "org" for several together."""
    title = {code: names.title for code, names in stats.SERIES.items()}
    made = {
        "month": per_month(series["month"], year, previous["month"] if previous else None),
        "funnel": funnel(series["funnel"]),
        "notify_time": notify_time(series["notify_bucket"]),
    }
    for code, axis in _HORIZONTAL.items():
        if code in series:
            made[code] = bar(series[code], title[code], axis, horizontal=True)
    for code, axis in _VERTICAL.items():
        if code in series:
            made[code] = bar(series[code], title[code], axis)
    return made
