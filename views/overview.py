"""Overzicht: counts per year for management and the FG. No rows, no names, no free text."""

import streamlit as st

from datalek import accounts, charts, stats, store
from datalek.permissions import PermissionDenied
from ui import session

actor = session.actor()
st.title("Overzicht")
st.caption(f"Aantallen kleiner dan {stats.threshold()} worden niet getoond, zodat niemand "
           "herkenbaar wordt.")  # fmt: skip

with store.unit() as db:
    orgs = accounts.list_organisations(db, actor)
left, right = st.columns(2)
chosen = left.multiselect("Organisatie", [o.id for o in orgs], default=[o.id for o in orgs],
                          format_func={o.id: o.name for o in orgs}.get, key="ov_orgs")  # fmt: skip
if not chosen:
    st.info("Kies minstens één organisatie.")
    st.stop()
try:
    with store.unit() as db:
        years = stats.years(db, actor, chosen)
        if not years:
            st.info("Er zijn nog geen meldingen.")
            st.stop()
        year = right.selectbox("Jaar", years, key="ov_year")
        data = stats.overview(db, actor, chosen, year)
except PermissionDenied as exc:
    st.error(exc.message)
    st.stop()

st.metric("Interne meldingen", "< %d" % stats.threshold() if data.total is None else data.total)
st.plotly_chart(charts.per_month(data.by_month, year), width="stretch")
a, b = st.columns(2)
a.plotly_chart(charts.bar(data.by_type, "Soort incident", "Soort", horizontal=True), width="stretch")
b.plotly_chart(charts.bar(data.by_status, "Status", "Status", horizontal=True), width="stretch")
