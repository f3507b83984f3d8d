"""Werkvoorraad: the FG's open incidents, earliest 72-hour deadline first."""

import streamlit as st

from datalek import accounts, deadlines, incidents, store
from datalek.intake import Situation
from datalek.models import TRANSITIONS, IncidentType, InvalidInput, Status
from datalek.permissions import PermissionDenied
from ui import incident_view, session

URGENCY = {"late": "Te laat", "urgent": "Minder dan 24 uur", "soon": "Minder dan 48 uur",
           "ok": "Meer dan 48 uur"}  # fmt: skip
actor = session.actor()
state = st.session_state
st.title("Werkvoorraad")
st.caption("Open meldingen, de kortste termijn bovenaan. De termijn is 72 uur vanaf het moment "
           "dat de organisatie het wist (ontdekking door een medewerker).")  # fmt: skip

with store.unit() as db:
    orgs = accounts.list_organisations(db, actor)
    departments = incidents.departments(db, actor)
cols = st.columns(4)
status = cols[0].multiselect("Status", [s.value for s in Status if s.is_open],
                             format_func=lambda v: Status(v).label, key="q_status")  # fmt: skip
org_id = cols[1].selectbox("Organisatie", [o.id for o in orgs], index=None,
                           format_func={o.id: o.name for o in orgs}.get, key="q_org",
                           placeholder="Alle")  # fmt: skip
department = cols[2].selectbox("Afdeling", departments, index=None, key="q_dept", placeholder="Alle")
kind = cols[3].selectbox("Soort incident", [t.value for t in IncidentType], index=None,
                         format_func=lambda v: IncidentType(v).label, key="q_type",
                         placeholder="Alle")  # fmt: skip

with store.unit() as db:
    rows = incidents.queue(db, actor, org_id, [Status(s) for s in status] or None, department, kind)
now = deadlines.now()
names = {o.id: o.name for o in orgs}
if flash := state.pop("q_flash", None):
    st.success(flash)
st.write(f"{len(rows)} open melding(en).")
if rows:
    st.dataframe(
        {
            "Nummer": [r.reference for r in rows],
            "Termijn": [deadlines.describe_hours_left(r.hours_left(now)) for r in rows],
            "Urgentie": [URGENCY[deadlines.urgency(r.hours_left(now))] for r in rows],
            "Status": [r.status.label for r in rows],
            "Wat er gebeurde": [Situation(r.situation).label for r in rows],
            "Afdeling": [r.department for r in rows],
            "Organisatie": [names.get(r.org_id, "") for r in rows],
            "Gemeld": [deadlines.format_local(r.reported_at) for r in rows],
        },
        hide_index=True,
        width="stretch",
    )
    choice = st.selectbox("Open een melding", [r.id for r in rows], index=None, key="q_choice",
                          format_func={r.id: r.reference for r in rows}.get,
                          placeholder="Kies een melding")  # fmt: skip
    if choice is not None:
        try:
            with store.unit() as db:
                view = incidents.read_incident(db, actor, choice)
        except PermissionDenied as exc:
            st.error(exc.message)
            st.stop()
        hours = deadlines.hours_left(view.incident.aware_at, now)
        st.subheader(f"{view.incident.reference}: {deadlines.describe_hours_left(hours)}")
        incident_view.facts(view, show_type=True)
        incident_view.supplements(view)
        incident_view.history(view)
        nexts = sorted(TRANSITIONS[view.incident.status], key=lambda s: s.value)
        with st.form(f"status_{choice}"):
            target = st.selectbox("Nieuwe status", [s.value for s in nexts],
                                  format_func=lambda v: Status(v).label)  # fmt: skip
            reason = st.text_input("Toelichting (verplicht bij 'Geen datalek')", max_chars=500)
            if st.form_submit_button("Status wijzigen"):
                try:
                    with store.unit() as db:
                        incidents.change_status(db, actor, choice, Status(target), reason)
                except InvalidInput as exc:
                    st.error(" ".join(exc.errors.values()))
                except PermissionDenied as exc:
                    st.error(exc.message)
                else:
                    state["q_flash"] = f"Status gewijzigd naar '{Status(target).label}'."
                    st.rerun()
