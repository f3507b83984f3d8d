"""Audittrail: check the hash chain and see the latest entries (ids and codes, no contents)."""

import streamlit as st

from datalek import clock, config, store
from datalek.accounts import audit_trail
from ui import session


def render() -> None:
    actor = session.actor()
    st.title("Audittrail")
    st.write(
        "Elke aanmelding, elke keer dat iemand een melding opent, elke wijziging en elke "
        "geweigerde actie staat in de audittrail. Elke regel is met een hash aan de vorige "
        "gekoppeld, zodat achteraf wijzigen opvalt."
    )
    if st.button("Controleer de keten", type="primary"):
        with store.unit() as db:
            result = audit_trail.check(db, actor)
        if result.intact:
            st.success(f"De audittrail is intact: {result.entries} regels gecontroleerd.")
        else:
            st.error(
                f"De audittrail is beschadigd vanaf regel {result.first_broken}. "
                "Neem contact op met de beheerder en de FG."
            )
    with store.unit() as db:
        rows = audit_trail.recent_entries(db, actor, config.AUDIT_ENTRIES_SHOWN)
    st.dataframe(
        {
            "Nr.": [r["seq"] for r in rows],
            "Tijd": [clock.format_local(clock.from_iso(r["at"])) for r in rows],
            "Wie (account-id)": [r["actor_id"] if r["actor_id"] is not None else "-" for r in rows],
            "Rol": [r["actor_role"] for r in rows],
            "Actie": [audit_trail.label(r["action"]) for r in rows],
            "Code": [r["action"] for r in rows],
            "Object": [f"{r['object_type']} {r['object_id']}".strip() for r in rows],
            "Details": [r["detail"] for r in rows],
        },
        hide_index=True,
        width="stretch",
    )
