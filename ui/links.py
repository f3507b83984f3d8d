"""Plain links and the sign-out form, for the places where the browser itself must go to a
route of ``web/`` (sign-in, sign-out, a download) in the same tab. Streamlit's own link widgets
open a new tab; ``st.html`` with a fixed, escaped snippet does not. No user text goes in here
unescaped, and these snippets carry no script."""

from __future__ import annotations

from html import escape

import streamlit as st

_BUTTON = (
    "display:inline-block;padding:.45rem .9rem;border-radius:.5rem;text-decoration:none;"
    "font-weight:600;border:1px solid rgba(49,51,63,.3);cursor:pointer;font-size:1rem;"
)
_PRIMARY = _BUTTON + "background:#ff4b4b;color:#fff;border-color:#ff4b4b;"
_SECONDARY = _BUTTON + "background:#fff;color:#31333f;"


def link_button(href: str, label: str, *, primary: bool = True) -> None:
    """A link that looks like a button and opens ``href`` — a path on this site — in this tab."""
    if not href.startswith("/") or href.startswith("//"):
        raise ValueError(f"only a path on this site: {href!r}")
    style = _PRIMARY if primary else _SECONDARY
    st.html(f'<a href="{escape(href)}" style="{style}">{escape(label)}</a>')


def sign_out_form() -> None:
    """A real form that POSTs to ``/auth/signout``: the route ends the session, clears the
    cookie and sends the browser to the sign-in form, in this tab."""
    st.html(
        '<form method="post" action="/auth/signout">'
        f'<button type="submit" style="{_SECONDARY}">Afmelden</button></form>'
    )


#: Streamlit's uploader writes "Limit 10MB per file" in English under its drop zone; the label
#: above it says the limit in Dutch. A fixed style snippet, no user text.
_HIDE_UPLOAD_LIMIT = (
    '<style>[data-testid="stFileUploaderDropzoneInstructions"] { visibility: hidden; }</style>'
)


def hide_english_upload_limit() -> None:
    st.html(_HIDE_UPLOAD_LIMIT)
