"""A form that records once (``datalek.submissions``), as the page draws it.

The form's widgets carry the form's submission key in their own keys. After a save the key is
renewed: the browser then draws new, empty widgets (a form that was only cleared through
session state kept its values in Chromium and recorded the same people twice), and a second
click on the old form sends the old key, which the store finds taken. After refused input the
key stays, and so does everything typed. The outcome is shown under the form's own button."""

from __future__ import annotations

import time

import streamlit as st

from datalek import submissions
from ui.forms import field_error, form_errors

state = st.session_state
OUTCOME_SECONDS = 120


class OnceForm:
    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    @property
    def key(self) -> str:
        """The submission key of the form as drawn now (made on first use)."""
        key = state.get(self.prefix + "key")
        if not key:
            key = state[self.prefix + "key"] = submissions.new_key()
        return key

    def field(self, name: str, key: str | None = None) -> str:
        """The widget key of field ``name`` in the form with submission key ``key``."""
        return f"{self.prefix}{key or self.key}_{name}"

    def get(self, key: str, name: str, default=None):
        """What the form with submission ``key`` held in field ``name`` (in a callback)."""
        return state.get(self.field(name, key), default)

    def saved(self, key: str, message: str) -> None:
        """After a save: forget the fields of ``key``, draw a new empty form, say ``message``."""
        self._forget(key)
        state[self.prefix + "key"] = submissions.new_key()
        state[self.prefix + "outcome"] = state[self.prefix + "last"] = ("saved", message, key, time.time())

    def repeated(self, key: str | None = None) -> None:
        """A submission whose key the store found taken: say so; forget the fields of ``key``."""
        if key:
            self._forget(key)
            if key == state.get(self.prefix + "key"):  # never leave a form whose key is spent
                state[self.prefix + "key"] = submissions.new_key()
        state[self.prefix + "outcome"] = ("repeated", submissions.ALREADY, key, time.time())

    def already(self, key: str) -> bool:
        """True (and said) when ``key`` is not the form drawn now: a second click on a form
        that was saved and replaced (a double click in the browser sends it after the first).
        Its fields may be gone already, so it must not be checked as new input."""
        if key == state.get(self.prefix + "key"):
            return False
        last = state.get(self.prefix + "last")
        if last and last[2] == key:  # the second click of a double click: the save stands
            self._forget(key)
            state[self.prefix + "outcome"] = last
        else:
            self.repeated(key)
        return True

    def _forget(self, key: str) -> None:
        old = f"{self.prefix}{key}_"
        for name in [k for k in state if str(k).startswith(old)]:
            del state[name]

    def outcome(self) -> None:
        """Say, right under the form's button, what its last submission did. It stays for
        ``OUTCOME_SECONDS`` whatever runs come in between (the second click of a double click
        is a run of its own, and must not wipe the message of the first)."""
        found = state.get(self.prefix + "outcome")
        if found is None:
            return
        kind, message, _, at = found
        if time.time() - at > OUTCOME_SECONDS:
            del state[self.prefix + "outcome"]
            return
        if kind == "saved":
            st.success(message, icon=":material/check_circle:")
        else:
            st.info(message, icon=":material/info:")


def withdraw_form(form: OnceForm, max_reason: int, on_click, args: tuple) -> None:
    """ "Intrekken" of a recorded row entered by mistake: only a reason; the row stays visible as
    withdrawn. ``on_click(*args, form.key)`` records it (through ``ui.callbacks.act``)."""
    errors = state.get(form.prefix + "errors")
    form_errors(errors)
    with st.form(form.field("form"), enter_to_submit=False):
        st.markdown("**Intrekken** (als dit per ongeluk is vastgelegd; het blijft zichtbaar)")
        field_error(errors, "form")
        st.text_area("Waarom trek je dit in?", key=form.field("reason"), max_chars=max_reason)
        field_error(errors, "reason")
        st.form_submit_button("Intrekken", on_click=on_click, args=(*args, form.key))
    form.outcome()
