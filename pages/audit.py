"""Audittrail: check the hash chain and read the latest entries in Dutch (names, no contents)."""

import streamlit as st

from datalek import clock, config, store
from datalek.accounts import audit_trail
from datalek.accounts.report_links import LinkKind
from datalek.actions.addressees import Addressee, Relation
from datalek.actions.informing import Channel
from datalek.actions.measures import MeasureKind, MeasureStatus
from datalek.handling.decisions import Inform
from datalek.handling.delay import KINDS as DELAY_KINDS
from datalek.handling.evidence_files import LABELS as EVIDENCE_KINDS
from datalek.handling.lessons import LessonTheme
from datalek.handling.partner_notice_rules import Channel as PartnerChannel
from datalek.triage.advice import RiskLevel
from ui import session

#: Dutch labels for the codes in the details, per detail key or per "action:key".
VALUE_LABELS = {
    "recipient": Addressee,
    "channel": Channel,
    "inform": Inform,
    "measure.status:status": MeasureStatus,
    "measure.add:kind": MeasureKind,
    "measure.correct:kind": MeasureKind,
    "assessment.save:risk": RiskLevel,
    "decision.record:kind": {
        "breach": "datalek",
        "not_a_breach": "geen datalek",
        "duplicate": "dubbele melding, samengevoegd met de hoofdmelding",
    },
    # issue #15 and #17: a family member's relation, what was learned, evidence, a late notification
    "relation": Relation,
    "lesson.record:theme": LessonTheme,
    "evidence.attach:kind": EVIDENCE_KINDS,
    "incident.delay_reason:kind": DELAY_KINDS,
    # issue #16: how a partner was told (the partner notification log's own channels)
    "partner_notice.record:channel": PartnerChannel,
    "report_link.create:kind": LinkKind,
}


def render() -> None:
    actor = session.actor()
    st.title("Audittrail", anchor=False)
    st.write(
        "Elke aanmelding, elke keer dat iemand een melding opent, elke wijziging en elke "
        "geweigerde actie staat in de audittrail. Elke regel is met een hash aan de vorige "
        "gekoppeld, zodat achteraf wijzigen opvalt. De audittrail bevat namen van accounts en "
        "organisaties en nummers van meldingen, nooit de inhoud van een melding."
    )
    if st.button("Controleer de keten", type="primary"):
        with store.unit() as db:
            result = audit_trail.check(db, actor)
        if result.intact:
            st.success(f"De audittrail is intact: {result.entries} regels gecontroleerd.")
        else:
            st.error(
                "De audittrail is niet in orde. "
                + " ".join(finding.dutch for finding in result.findings)
                + " Neem contact op met de beheerder en de FG."
            )
    with store.unit() as db:
        entries = audit_trail.readable_entries(db, actor, config.AUDIT_ENTRIES_SHOWN, VALUE_LABELS)
    st.caption(f"De nieuwste {len(entries)} regels, de nieuwste bovenaan.")
    st.dataframe(
        {
            "Nr.": [e.seq for e in entries],
            "Tijd": [clock.format_local(e.at) for e in entries],
            "Wie": [e.who for e in entries],
            "Rol": [e.role for e in entries],
            "Wat": [e.action for e in entries],
            "Waarover": [e.about for e in entries],
            "Details": [e.details for e in entries],
        },
        hide_index=True,
        width="stretch",
    )
