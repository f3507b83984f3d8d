"""Optional sign-in through the organisation's identity provider (``st.login``).

Active only when ``[auth]`` is configured in ``.streamlit/secrets.toml``. The identity
provider proves the e-mail address; the local account decides the role.
"""

from __future__ import annotations

import streamlit as st


def enabled() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - Streamlit raises a bare error when there is no secrets file
        return False


def signed_in() -> bool:
    return enabled() and bool(getattr(st.user, "is_logged_in", False))


def email() -> str:
    return str(st.user.get("email") or "")


def email_verified() -> bool:
    return bool(st.user.get("email_verified", False))


def login_button() -> None:
    if enabled() and st.button("Aanmelden via je organisatie", icon=":material/key:"):
        st.login()


def logout() -> None:
    if signed_in():
        st.logout()
