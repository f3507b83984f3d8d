"""The charts of the yearly report as PNG pictures, for the Word document (``board_report``).

Drawn with matplotlib's Agg renderer only (no screen, no browser, no network) in the DejaVu
Sans font that matplotlib carries, so nothing is fetched at run time. Titles and labels are
Dutch and come from ``stats.SERIES``, as on the dashboard. Colour-blind-safe (the dashboard's
Okabe-Ito palette), and readable without colour: every bar has its number written next to it.
A hidden count gets no bar and the word "verborgen", never a value; a chart without any bar
says why. The same figures give the same bytes (no date or version in the file).
"""

from __future__ import annotations

import io
import textwrap
from typing import TYPE_CHECKING

from datalek.insight import stats
from datalek.insight.disclosure import Cell, empty_note

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: Okabe-Ito, as ``charts.PALETTE`` on the dashboard.
BLUE, ORANGE, GREEN, RED, BLACK = "#0072B2", "#E69F00", "#009E73", "#D55E00", "#000000"
WIDTH_INCH = 7.0
DPI = 150
_FONT = {"family": "DejaVu Sans", "size": 9}


def _label(text: str) -> str:
    return "\n".join(textwrap.wrap(text, 38)) or text


def _figure(height: float) -> tuple[Figure, object]:
    # matplotlib is imported when a picture is drawn: importing it costs a third of a second,
    # and every command line and page that imports this module does not draw one
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH_INCH, height), dpi=DPI)
    axes = figure.add_subplot()
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return figure, axes


def _note(figure: Figure, cells: list[Cell]) -> None:
    if (note := empty_note(cells)) is not None:
        figure.text(0.5, 0.5, note, ha="center", va="center", fontdict={**_FONT, "size": 12})


def bars(
    cells: list[Cell], title: str, value_label: str = "Aantal", colours: list[str] | None = None
) -> Figure:
    """Horizontal bars, top to bottom in the cells' order, each with its number (or
    "verborgen", without a bar)."""
    figure, axes = _figure(max(2.2, 0.9 + 0.38 * len(cells)))
    rows = list(range(len(cells)))
    axes.barh(rows, [c.count or 0 for c in cells], color=colours or BLUE, height=0.6)
    for row, cell in zip(rows, cells, strict=True):
        axes.annotate(
            cell.shown,
            (cell.count or 0, row),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            **_FONT,
        )
    axes.set_yticks(rows, [_label(c.label) for c in cells], fontdict=_FONT)
    axes.invert_yaxis()
    _counts_axis(axes, "x", cells)
    axes.set_xlabel(value_label, fontdict=_FONT)
    axes.set_title(title, fontdict={**_FONT, "size": 11}, loc="left")
    _note(figure, cells)
    figure.tight_layout()
    return figure


def _counts_axis(axes, axis: str, cells: list[Cell]) -> None:
    """Whole numbers from 0 on the value axis, with room for the number after the longest bar."""
    from matplotlib.ticker import MaxNLocator

    largest = max((c.count or 0 for c in cells), default=0)
    top = max(1, largest) * 1.18
    if axis == "x":
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_xlim(0, top)
    else:
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_ylim(0, top)


def per_month(cells: list[Cell], year: int, previous: list[Cell] | None = None) -> Figure:
    """Reports per month, the year before as hatched bars next to them."""
    figure, axes = _figure(3.2)
    months = list(range(len(cells)))
    width = 0.4 if previous is not None else 0.7
    series = [(cells, str(year), BLUE, "", 0.0)]
    if previous is not None:
        series = [
            (cells, str(year), BLUE, "", -width / 2),
            (previous, str(year - 1), ORANGE, "//", width / 2),
        ]
    for found, name, colour, hatch, shift in series:
        xs = [m + shift for m in months]
        axes.bar(xs, [c.count or 0 for c in found], width, color=colour, hatch=hatch, label=name)
        for x, cell in zip(xs, found, strict=True):
            if cell.count != 0:  # a number on every bar; a hidden one gets the word, upright
                hidden = cell.count is None
                axes.text(
                    x,
                    cell.count or 0,
                    cell.shown,
                    ha="center",
                    va="bottom",
                    rotation=90 if hidden else 0,
                    fontdict={**_FONT, "size": 7},
                )
    axes.set_xticks(months, stats.MONTHS, fontdict=_FONT)
    _counts_axis(axes, "y", cells + (previous or []))
    axes.set_ylabel("Meldingen", fontdict=_FONT)
    title = f"Meldingen per maand in {year}" + (f" en {year - 1}" if previous is not None else "")
    axes.set_title(title, fontdict={**_FONT, "size": 11}, loc="left")
    if previous is not None:
        axes.legend(prop=_FONT, frameon=False)
    _note(figure, cells + (previous or []))
    figure.tight_layout()
    return figure


def notify_time(cells: list[Cell]) -> Figure:
    """AP notifications by hours after awareness; late ones in another colour, below a line."""
    figure = bars(cells, stats.SERIES["notify_bucket"].title, "AP-meldingen", [GREEN] * 3 + [RED] * 3)
    axes = figure.axes[0]
    axes.axhline(2.5, color=BLACK, linestyle="--", linewidth=1)
    axes.text(axes.get_xlim()[1], 2.5, "72 uur ", ha="right", va="bottom", fontdict=_FONT)
    return figure


def order(series: dict[str, list[Cell]]) -> list[str]:
    """The charts of a selection, by code, in the order of ``stats.SERIES``."""
    return [code for code in stats.SERIES if code in series]


def figures(
    series: dict[str, list[Cell]], year: int, previous: dict[str, list[Cell]] | None
) -> dict[str, Figure]:
    """Every chart of the selection, by code, in the order of ``stats.SERIES``."""
    made = {
        "month": lambda: per_month(series["month"], year, previous.get("month") if previous else None),
        "notify_bucket": lambda: notify_time(series["notify_bucket"]),
    }
    return {
        code: made[code]() if code in made else bars(series[code], stats.SERIES[code].title, "Aantal")
        for code in order(series)
    }


def png(figure: Figure) -> bytes:
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
    return out.getvalue()


def pngs(
    series: dict[str, list[Cell]], year: int, previous: dict[str, list[Cell]] | None
) -> dict[str, bytes]:
    """Every chart of the selection as PNG bytes, by code, in the order of ``stats.SERIES``."""
    return {code: png(figure) for code, figure in figures(series, year, previous).items()}
