"""Melding aanvullen: a browser without an account that opened the follow-up token of a report
made through a report link (issue #16). It reads that one report back and adds information to
it, as a signed-in reporter does on Mijn meldingen (``pages.my_reports.supplement_form``);
nothing else of the app exists for it (``navigation.guest_pages``)."""

import streamlit as st

from datalek import store
from datalek.accounts.guest import GuestActor
from datalek.accounts.permissions import PermissionDenied
from datalek.handling import incidents
from pages.my_reports import supplement_form
from ui import incident_view, session


def render() -> None:
    actor = session.actor()
    st.title("Melding aanvullen", anchor=False)
    if not isinstance(actor, GuestActor) or actor.incident_id is None:
        st.stop()
    try:
        with store.unit() as db:
            view = incidents.read_incident(db, actor, actor.incident_id)
    except PermissionDenied as exc:
        st.error(exc.message)
        st.stop()
    st.write(
        "Hier lees je je melding terug en voeg je informatie toe. Je ziet alleen deze melding. "
        "Bewaar de link goed: wie hem heeft, kan deze melding lezen."
    )
    incident_view.facts(view)
    incident_view.supplements(view)
    st.subheader("Aanvulling toevoegen", anchor=False)
    st.caption(
        "Je aanvulling komt onder je melding te staan; je oorspronkelijke melding blijft zoals hij was. "
        "Beschrijf wat er gebeurd is, niet wie het betreft."
    )
    supplement_form(actor.incident_id)
