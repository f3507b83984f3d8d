"""Files with personal data go to the browser through ``/download/<token>`` only (see
``datalek.accounts.downloads``): a screen *offers* the file it made and shows a link that works
once, for this session, within a minute. ``st.download_button`` is not used for them: its bytes
would sit in Streamlit's media store, which answers anyone who has the URL."""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from datalek import clock, config
from datalek.accounts import downloads
from datalek.accounts.downloads import Download
from datalek.accounts.permissions import Action, Subject
from datalek.models import Actor
from ui import links, session

HINT = "De downloadlink werkt één keer en één minuut lang."
EXPIRED = "De downloadlink is verlopen. Maak het bestand opnieuw."


def offer(db, actor: Actor, action: Action, on: Subject, file: Download) -> tuple[str, str]:
    """Offer ``file``; returns (URL path, valid until) to keep in the session state."""
    path = downloads.offer(db, actor, session.session_id(), action, on, file)
    until = clock.now() + timedelta(seconds=config.download_seconds())
    return path, clock.to_iso(until)


def link(offered: tuple[str, str], label: str, *, primary: bool = True) -> bool:
    """The link to an offered file, while it is valid; False (and a note) once it has expired."""
    path, until = offered
    if clock.from_iso(until) <= clock.now():
        st.caption(EXPIRED)
        return False
    links.link_button(path, label, primary=primary)
    return True
