"""Werkvoorraad: the FG's open incidents, earliest 72-hour deadline first; opening one gives
the report, the assessment, the advice and the decision, the follow-up and the history."""

import streamlit as st

from datalek import clock, regime, store
from datalek.accounts.organisations import list_organisations
from datalek.accounts.permissions import PermissionDenied
from datalek.actions import measures
from datalek.handling import (
    assessment,
    completeness,
    decisions,
    incidents,
    lifecycle,
    moments,
    outstanding,
    prefill,
)
from datalek.models import IncidentType, Status
from datalek.triage import RiskLevel
from ui import (
    advice_view,
    assessment_form,
    attention_view,
    authority_view,
    chain_view,
    delay_view,
    evidence_view,
    incident_parties_view,
    incident_view,
    informing_view,
    lessons_view,
    measures_view,
    merge_view,
    partner_notices_view,
    queue_table,
    session,
)
from ui.callbacks import act
from ui.forms import field_error, form_errors, md_escape
from ui.once import OnceForm

REPEAT = (
    "Herhaling: in de afgelopen 12 maanden was er bij deze afdeling al een incident van dezelfde "
    "soort. Is er een preventieve maatregel nodig?"
)


def render() -> None:
    actor = session.actor()
    st.title("Werkvoorraad", anchor=False)
    st.caption(
        f"Open meldingen, de kortste termijn bovenaan. De termijn is {regime.CURRENT.period_hours} uur "
        "vanaf het moment dat de organisatie het wist, tot de melding bij de AP of het besluit "
        "om niet te melden."
    )
    with st.container():  # always present, so nothing below moves when a message comes or goes
        if flash := st.session_state.pop("q_flash", None):
            st.success(flash)
        if failure := st.session_state.pop("q_failure", None):
            st.error(failure)
    with store.unit() as db:
        orgs = list_organisations(db, actor)
        departments = incidents.departments(db, actor)
    org_names = {o.id: o.name for o in orgs}
    status, org_id, department, kind = _filters(org_names, departments)
    with store.unit() as db:
        rows = incidents.queue(db, actor, org_id, status or None, department, kind)
    flags = attention_view.render(actor)
    choice = queue_table.render(rows, org_names, clock.now(), flags, status)
    if choice is not None:
        _incident(actor, choice, orgs)


def _filters(org_names: dict[int, str], departments: list[str]):
    cols = st.columns(4)
    status = cols[0].multiselect(
        "Status",
        [s.value for s in Status],
        format_func=lambda v: Status(v).label,
        key="q_status",
        filter_mode=None,
        placeholder="Alle",
        select_all=False,
    )
    org_id = cols[1].selectbox(
        "Organisatie",
        list(org_names),
        index=None,
        key="q_org",
        format_func=org_names.get,
        filter_mode=None if len(org_names) <= 10 else "contains",
        placeholder="Alle",
    )
    department = cols[2].selectbox(
        "Afdeling",
        departments,
        index=None,
        key="q_dept",
        filter_mode=None if len(departments) <= 10 else "contains",
        placeholder="Alle",
    )
    kind = cols[3].selectbox(
        "Soort incident",
        [t.value for t in IncidentType],
        index=None,
        format_func=lambda v: IncidentType(v).label,
        key="q_type",
        filter_mode=None if len(IncidentType) <= 10 else "contains",
        placeholder="Alle",
    )
    return [Status(s) for s in status], org_id, department, kind


def _incident(actor, choice: int, orgs) -> None:
    state = st.session_state
    try:
        with store.unit() as db:
            view = incidents.read_incident(db, actor, choice)
            latest = assessment.current(db, actor, choice)
            decision = decisions.latest(db, actor, choice)
            gaps = completeness.gaps_for(db, actor, choice)
            measure_list = measures.for_incident(db, actor, choice)
            reported_by = incidents.reporter(db, actor, choice)
            moment_changes = moments.history(db, actor, choice)
            clock_now = outstanding.for_incident(db, actor, choice)
    except PermissionDenied as exc:
        st.error(exc.message)
        return
    incident = view.incident
    org = next((o for o in orgs if o.id == incident.org_id), None)
    facts = latest.facts if latest else prefill.facts_from_report(incident, org)
    state[f"shown_version_{choice}"] = latest.version if latest else 0  # guards against lost updates
    assessment_form.seed(
        choice,
        facts,
        latest.effects if latest else "",
        latest.remedial_action if latest else "",
        incident=incident,
    )
    now = clock.now()
    st.subheader(f"{incident.reference}: {clock_now.label(now)}", anchor=False)
    delay_view.render(clock_now, now)
    # Keyed tabs keep the FG's place when a message appears or disappears above them.
    report_tab, facts_tab, advice_tab, follow_tab, history_tab = st.tabs(
        ["Melding", "Beoordeling", "Advies en besluit", "Afhandelen", "Verloop"],
        key=f"q_tab_{choice}",
        on_change="rerun",
    )
    with report_tab:
        incident_view.reporter(reported_by)
        incident_view.facts(view, show_type=True, reported_by=reported_by)
        incident_view.changes(moment_changes)
        incident_view.supplements(view)
        evidence_view.render(actor, incident.id)
        incident_parties_view.render(actor, incident.id, incident.org_id)
        chain_view.render(actor, incident.id)
        partner_notices_view.render(actor, incident.id)
        merge_view.render(actor, incident)
    with facts_tab:
        if latest is None:
            st.info(
                "Nog niet beoordeeld. De antwoorden van de melder zijn alvast ingevuld; vul aan "
                "en sla op voor een advies."
            )
        else:
            st.caption(f"Versie {latest.version}, opgeslagen {clock.format_local(latest.created_at)}.")
        assessment_form.render(choice, state.get(f"fe_{choice}"))
    with advice_tab:
        if latest is None:
            st.info("Sla eerst de feiten op; dan verschijnt hier het advies.")
        else:
            advice_view.advice(latest.advice)
            st.divider()
            if decision is not None:
                advice_view.decision_summary(decision)
            st.markdown("**Besluit vastleggen**" if decision is None else "**Nieuw besluit vastleggen**")
            advice_view.decision_form(choice, latest.advice, state.get(f"de_{choice}"))
    with follow_tab:
        if measures.prevention_missing(incident, measure_list):
            st.warning(REPEAT)
        _actions_tab(actor, view, decision, measure_list, gaps, follow_tab)
    with history_tab:
        _history(actor, view, reported_by)


def _actions_tab(actor, view, decision, measure_list, gaps: list[str], follow_tab) -> None:
    incident = view.incident
    ap_tab, subjects_tab, measures_tab, close_tab = st.tabs(
        ["AP-melding", "Betrokkenen informeren", "Maatregelen", "Afronden"],
        key=f"q_follow_{incident.id}",
        on_change="rerun",
    )
    with ap_tab:
        if follow_tab.open and ap_tab.open:  # the draft is audited: only when it is looked at
            authority_view.render(actor, incident, decision)
    with subjects_tab:
        informing_view.render(actor, incident, decision)
    with measures_tab:
        measures_view.render(incident.id, measure_list)
    with close_tab:
        if gaps:
            st.markdown("**Nog nodig voor het register voordat je kunt afronden**")
            for gap in gaps:
                st.markdown(f"- {md_escape(gap)}")  # a gap may name a family's label
        elif incident.status is Status.DECIDED:
            st.write("Het dossier is compleet.")
            lessons_view.close_form(incident.id, measure_list)  # closing asks the lesson first
        else:
            st.write(f"Status: {incident.status.label}.")
            lessons_view.shown(actor, incident.id, measure_list)


def _history(actor, view, reported_by) -> None:
    incident = view.incident
    incident_view.history(view, reported_by)
    with store.unit() as db:
        versions = assessment.versions(db, actor, incident.id)
    for v in versions:
        outcome = RiskLevel(v["risk"]).label if v["risk"] else "geen datalek"
        st.caption(
            f"Beoordeling versie {v['version']} — {clock.format_local(clock.from_iso(v['created_at']))}: "
            f"{outcome}, AP {'ja' if v['notify_authority'] else 'nee'}"
        )
    targets = lifecycle.manual_targets(incident.status)
    form = _status_form(incident.id)
    if targets:
        errors = st.session_state.get(f"se_{incident.id}")
        form_errors(errors)
        with st.form(form.field("form"), enter_to_submit=False):
            st.selectbox(
                "Status wijzigen",
                [s.value for s in targets],
                format_func=lambda v: Status(v).label,
                key=form.field("target"),
                filter_mode=None,
                placeholder="Kies een status",
            )
            field_error(errors, "status")
            st.text_input("Toelichting", max_chars=500, key=form.field("reason"))
            st.form_submit_button("Status wijzigen", on_click=_change_status, args=(incident.id, form.key))
    form.outcome()  # also when no status is left to choose: the change just made is said here


# --- button callbacks (they run before app.py on the next run) ----------------------------------


def _status_form(incident_id: int) -> OnceForm:
    # The form's id starts with "status_": tests find the status form by it.
    return OnceForm(f"status_{incident_id}_")


def _change_status(incident_id: int, key: str) -> None:
    """The status form records once: a double click or a replayed submit changes nothing more."""
    form = _status_form(incident_id)
    if form.already(key):
        return
    target = Status(form.get(key, "target"))
    reason = form.get(key, "reason", "") or ""
    act(
        f"se_{incident_id}",
        f"Status gewijzigd naar '{target.label}'.",
        lambda db, who: lifecycle.change_status(db, who, incident_id, target, reason),
        once=(form, key),
    )
