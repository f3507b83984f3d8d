"""The register as a printable document: one self-contained HTML page (no script, nothing
fetched, the browser told so by its Content-Security-Policy) with every incident of the period
on its own printed page, in sections that hold every column of ``register_entry.COLUMNS``. Printing
it from the browser gives the PDF the AP asks for. Every text is escaped: what someone typed
is never read as markup.
"""

from __future__ import annotations

import html
from datetime import date, datetime

from datalek import clock
from datalek.insight.register_entry import SECTIONS, Value

_STYLE = """
body { font-family: Arial, Helvetica, sans-serif; font-size: 10.5pt; color: #111; margin: 2em; }
h1 { font-size: 16pt; margin-bottom: 0.2em; }
h2 { font-size: 13pt; border-bottom: 2px solid #154273; padding-bottom: 0.2em; }
h3 { font-size: 11pt; margin: 1em 0 0.3em; color: #154273; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 0.25em 0.4em; border-bottom: 1px solid #ccc; }
th { width: 32%; font-weight: bold; }
td { white-space: pre-wrap; overflow-wrap: anywhere; }
section { break-before: page; }
section:first-of-type { break-before: auto; }
h3, tr { break-inside: avoid; }
@page { size: A4; margin: 15mm; }
@media print { body { margin: 0; } .screen { display: none; } }
"""


def text_html(value: str) -> str:
    """Text as it was typed, never as markup (quotes too: safe inside an attribute)."""
    return html.escape(value, quote=True)


def value_text(value: Value) -> str:
    """A value as a Dutch reader reads it: 20-11-2026 11:00, 24-11-2026, 2, or the text."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return clock.format_local(value)
    if isinstance(value, date):
        return f"{value:%d-%m-%Y}"
    return str(value)


def _section(title: str, columns: list[str], entry: dict[str, Value]) -> str:
    rows = "".join(
        f'<tr><th scope="row">{text_html(c)}</th><td>{text_html(value_text(entry[c]))}</td></tr>'
        for c in columns
    )
    return f"<h3>{text_html(title)}</h3><table>{rows}</table>"


def _incident(entry: dict[str, Value]) -> str:
    parts = "".join(_section(title, columns, entry) for title, columns in SECTIONS)
    return f"<section><h2>{text_html(value_text(entry['Kenmerk']))}</h2>{parts}</section>"


def document(organisation: str, start: date, end: date, entries: list[dict[str, Value]]) -> bytes:
    """The printable register of ``organisation`` for the period ``start`` to ``end``."""
    title = f"Datalekkenregister {organisation}"
    period = f"{start:%d-%m-%Y} tot en met {end:%d-%m-%Y}"
    count = f"{len(entries)} {'incident' if len(entries) == 1 else 'incidenten'}"
    made = clock.format_local(clock.now())
    body = "".join(_incident(e) for e in entries) or "<p>Er zijn geen incidenten in deze periode.</p>"
    page = (
        '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{text_html(title)}</title><style>{_STYLE}</style></head><body>"
        f"<header><h1>{text_html(title)}</h1>"
        f"<p>Register van datalekken (art. 33 lid 5 AVG). Periode: {period}. {count}. "
        f"Gemaakt op {made}.</p>"
        '<p class="screen">Wil je een PDF? Kies Afdrukken in je browser en dan Opslaan als PDF. '
        "Elk incident begint op een nieuwe pagina.</p></header>"
        f"<main>{body}</main></body></html>"
    )
    return page.encode("utf-8")
