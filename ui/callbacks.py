"""Running one domain call from a button callback: fresh session check, one unit of work,
Dutch messages for refused input, and a failed write shown as a failure."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from pydantic import ValidationError

from datalek import store
from datalek.accounts.permissions import PermissionDenied
from datalek.models import InvalidInput
from ui import session

FAILED = "Het is NIET opgeslagen: er ging iets mis bij het bewaren. Je invoer staat er nog."


def act(error_key: str, success: str, action: Callable) -> bool:
    """Call ``action(db, actor)``; errors land in ``st.session_state[error_key]``, the outcome
    in ``q_flash`` or ``q_failure`` (shown at the top of the page). True when it worked."""
    current = session.fresh_actor()  # callbacks run before app.py's session check
    if current is None:
        return False
    state = st.session_state
    try:
        with store.unit() as db:
            action(db, current)
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
        if success:
            state["q_flash"] = success
        return True
    return False
