"""Running one domain call from a button callback: fresh session check, one unit of work,
Dutch messages for refused input, and a failed write shown as a failure."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from pydantic import ValidationError

from datalek import store, submissions
from datalek.accounts.permissions import PermissionDenied
from datalek.models import InvalidInput
from ui import session
from ui.once import OnceForm

FAILED = "Het is NIET opgeslagen: er ging iets mis bij het bewaren. Je invoer staat er nog."


def act(error_key: str, success: str, action: Callable, once: tuple[OnceForm, str] | None = None) -> bool:
    """Call ``action(db, actor)``; errors land in ``st.session_state[error_key]``, the outcome
    in ``q_flash`` or ``q_failure`` (shown at the top of the page). True when it worked.

    With ``once=(form, key)`` the call and the claim of the form's submission key are one
    transaction: a key claimed before records nothing, and the outcome is shown under the
    form's own button, which is drawn empty after a save."""
    current = session.fresh_actor()  # callbacks run before app.py's session check
    if current is None:
        return False
    state = st.session_state
    if once and once[0].already(once[1]):
        state[error_key] = None
        return False
    try:
        with store.unit() as db:
            if once:
                with submissions.once(db, current, once[1], once[0].prefix):
                    action(db, current)
            else:
                action(db, current)
    except submissions.Repeated:
        state[error_key] = None
        once[0].repeated(once[1])
    except InvalidInput as exc:
        state[error_key] = exc.errors
    except ValidationError:
        state[error_key] = {"form": "Niet alle antwoorden zijn geldig."}
    except PermissionDenied as exc:
        state["q_failure"] = exc.message
    except store.StorageError:
        state["q_failure"] = FAILED
    else:
        state[error_key] = None
        if once:
            once[0].saved(once[1], success)
        elif success:
            state["q_flash"] = success
        return True
    return False
