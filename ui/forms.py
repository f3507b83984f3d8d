"""Form helpers: Dutch error messages next to their field, and date-time inputs."""

from __future__ import annotations

from datetime import date, datetime, time

import streamlit as st

from datalek import clock


def field_error(errors: dict[str, str] | None, field: str) -> None:
    """Show the message for ``field`` right under it, if there is one."""
    if errors and field in errors:
        st.error(errors[field], icon=":material/error:")


def form_errors(errors: dict[str, str] | None) -> None:
    if errors:
        st.warning(
            "Niet alles is goed ingevuld. Kijk bij de velden met een melding; je antwoorden zijn bewaard.",
            icon=":material/warning:",
        )


def local_datetime(day: date | None, moment: time | None) -> datetime | None:
    """A date and time typed in the Netherlands, as an aware UTC datetime."""
    if day is None:
        return None
    return clock.local_to_utc(datetime.combine(day, moment or time(0, 0)))


def datetime_input(label: str, key: str, default_now: bool = False) -> datetime | None:
    """A date and a time side by side; the time may stay empty (taken as 00:00)."""
    now = clock.now().astimezone(clock.AMSTERDAM)
    left, right = st.columns(2)
    day_kwargs, time_kwargs = {}, {}
    if f"{key}_date" not in st.session_state:  # a value set through session state wins
        day_kwargs["value"] = now.date() if default_now else None
    if f"{key}_time" not in st.session_state:
        time_kwargs["value"] = now.time().replace(second=0, microsecond=0) if default_now else None
    day = left.date_input(
        f"{label}: datum", key=f"{key}_date", max_value=now.date(), format="DD-MM-YYYY", **day_kwargs
    )
    moment = right.time_input(f"{label}: tijd", key=f"{key}_time", step=300, **time_kwargs)
    return local_datetime(day, moment)


# Enough to stop links, images, emphasis, HTML-looking text and Streamlit's ":color[...]" and
# ":material/...:" directives, and "." and "@" against autolinks (www.x.nl, x@y.nl); "-" stays.
_MARKDOWN_SPECIAL = set("\\`*_{}[]()#!|<>~$:=.@")


def md_escape(text: str) -> str:
    """Text typed by a user, made safe to embed in Markdown (labels, alerts, captions)."""
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIAL else ch for ch in str(text))


#: Short lists open without typing (no English "No results"); longer ones filter as you type.
SHORT_LIST = 10


def enum_select(label, enum, key, none_label: str | None = None, help=None) -> None:
    """A select box over a ``LabelledEnum`` (its codes stored, its Dutch labels shown);
    ``none_label``: the text of an extra empty choice, e.g. "Niet van toepassing"."""
    options = ([None] if none_label else []) + [e.value for e in enum]
    st.selectbox(
        label,
        options,
        key=key,
        help=help,
        format_func=lambda v: none_label if v is None else enum(v).label,
        filter_mode=None if len(options) <= SHORT_LIST else "contains",
        placeholder="Kies",
    )


def enum_multiselect(label, enum, key, help=None) -> None:
    """A multiselect over a ``LabelledEnum``: codes stored, Dutch labels shown."""
    options = [e.value for e in enum]
    st.multiselect(
        label,
        options,
        key=key,
        help=help,
        format_func=lambda v: enum(v).label,
        filter_mode=None if len(options) <= SHORT_LIST else "contains",
        placeholder="Kies een of meer",
        select_all=False,
    )


def choose_organisation(names: dict[int, str], key: str, *, only_when_several: bool = False) -> int | None:
    """The organisation a section of the FG-team page is about: a select box over ``names``
    (id -> name), or the only one without asking when ``only_when_several``."""
    if only_when_several and len(names) == 1:
        return next(iter(names))
    return st.selectbox(
        "Organisatie",
        list(names),
        format_func=names.get,
        key=key,
        filter_mode=None if len(names) <= SHORT_LIST else "contains",
        placeholder="Kies een organisatie",
    )
