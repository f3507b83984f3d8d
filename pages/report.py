"""Melden: an employee reports a suspected datalek in a few minutes."""

import logging
import streamlit as st
from datalek import clock, store
from datalek.accounts.organisations import list_organisations, notice_recipients
from datalek.accounts.permissions import PermissionDenied
from datalek.config import SmtpSettings
from datalek.handling import incidents
from datalek.intake import guidance, notice, pii
from datalek.intake.report import MAX_DESCRIPTION, MAX_SHORT_TEXT, Report, validate_report
from datalek.intake.situations import Situation
from datalek.models import InvalidInput
from ui import report_form as rf
from ui import session
from ui.forms import form_errors, md_escape

FAILED = (
    "Je melding is NIET opgeslagen. Er ging iets mis bij het bewaren. Je antwoorden staan er nog: "
    "probeer het over een minuut opnieuw. Lukt het niet, mail of bel dan de FG."
)


def render() -> None:
    log = logging.getLogger("datalek.pages.report")
    actor = session.actor()
    state = st.session_state

    def _save(report: Report, pii_kept: bool) -> None:
        current = session.fresh_actor()  # callbacks run before app.py's session check
        if current is None:
            return
        try:
            with store.unit() as db:
                incident = incidents.submit_report(db, current, report, pii_kept)
        except PermissionDenied as exc:
            state["r_failure"] = exc.message
            return
        except Exception as exc:  # noqa: BLE001 - any failure must be shown as a failure
            log.error("report not saved: %s", type(exc).__name__)
            state["r_failure"] = FAILED
            return
        try:  # the report is stored: a failing notice must not make it look unsaved
            with store.unit() as db:
                recipients = notice_recipients(db, report.org_id)
            notice.send_new_report_in_background(SmtpSettings.from_env(), recipients, incident.reference)
        except Exception as exc:  # noqa: BLE001
            log.error("notice for %s not prepared: %s", incident.reference, type(exc).__name__)
        rf.forget()
        state["r_done"] = {
            "reference": incident.reference,
            "aware_at": clock.to_iso(incident.aware_at),
            "situation": incident.situation,
        }

    def _submit(orgs) -> None:
        state.pop("r_failure", None)
        try:
            report = validate_report(rf.collected(orgs), clock.now())
        except InvalidInput as exc:
            state["r_errors"] = exc.errors
            return
        state["r_errors"] = None
        findings = [
            {"field": field, "index": i, **f.to_dict()}
            for field in ("description", "actions_taken")
            for i, f in enumerate(pii.find_pii(getattr(report, field)))
        ]
        if findings:
            state["r_snapshot"] = rf.snapshot()
            state["r_pending"] = {"report": report.model_dump(mode="json"), "findings": findings}
        else:
            _save(report, pii_kept=False)

    def _resolve(replace_all: bool) -> None:
        pending = state["r_pending"]
        data = dict(pending["report"])
        kept = False
        for field in ("description", "actions_taken"):
            chosen = []
            for n, f in enumerate(pending["findings"]):
                if f["field"] != field:
                    continue
                if replace_all or state.get(f"r_pii_{n}", "replace") == "replace":
                    chosen.append(pii.Finding.from_dict(f))
                else:
                    kept = True
            data[field] = pii.redact(data[field], chosen)
        state.pop("r_pending")
        rf.restore(
            {
                **state.pop("r_snapshot", {}),
                "r_description": data["description"],
                "r_actions": data["actions_taken"],
            }
        )
        too_long = {
            field: f"Na het vervangen is deze tekst te lang (hoogstens {limit} tekens). "
            "Maak hem korter en verstuur opnieuw."
            for field, limit in (
                ("description", MAX_DESCRIPTION),
                ("actions_taken", MAX_SHORT_TEXT),
            )
            if len(data[field]) > limit
        }
        if too_long:  # a placeholder can be longer than what it replaces
            state["r_errors"] = too_long
            return
        _save(Report.model_validate(data), pii_kept=kept)

    def _back() -> None:
        state.pop("r_pending", None)
        rf.restore(state.pop("r_snapshot", {}))

    def _new() -> None:
        for key in [k for k in state.keys() if str(k).startswith("r_")]:
            del state[key]

    st.title("Datalek melden")
    if done := state.get("r_done"):
        st.success(
            f"Je melding is verstuurd. Het nummer van je melding is {done['reference']}.",
            icon=":material/check_circle:",
        )
        st.subheader("Wat gebeurt er nu?")
        st.write(guidance.NEXT_STEPS)
        st.write(
            f"De organisatie moet uiterlijk **{rf.deadline_text(done['aware_at'])}** beslissen of dit "
            "gemeld moet worden bij de Autoriteit Persoonsgegevens: 72 uur na het moment dat het "
            "ontdekt werd."
        )
        st.subheader("Doe dit nu")
        for line in guidance.for_situation(Situation(done["situation"])):
            st.markdown(f"- {line}", unsafe_allow_html=False)
        st.write("Weet je later meer? Vul je melding aan via **Mijn meldingen**.")
        st.button("Nieuwe melding maken", on_click=_new)
        st.stop()
    if failure := state.get("r_failure"):
        st.error(failure, icon=":material/error:")
    if pending := state.get("r_pending"):
        st.warning(
            "In je tekst staan gegevens waarmee iemand te herkennen is. Die horen niet in een melding. "
            "Kies per gegeven of je het vervangt door een neutrale aanduiding. Er is nog niets opgeslagen.",
            icon=":material/privacy_tip:",
        )
        where = {"description": "beschrijving", "actions_taken": "wat je al deed"}
        for n, f in enumerate(pending["findings"]):
            finding = pii.Finding.from_dict(f)
            st.radio(
                f"{finding.kind.label} in je {where[f['field']]}: {md_escape(finding.masked)}",
                options=["replace", "keep"],
                horizontal=True,
                key=f"r_pii_{n}",
                format_func={
                    "replace": f"Vervangen door {finding.kind.placeholder}",
                    "keep": "Laten staan (bewust)",
                }.get,
            )
        left, middle, right = st.columns(3)
        left.button("Alles vervangen en versturen", type="primary", on_click=_resolve, args=(True,))
        middle.button("Versturen met deze keuzes", on_click=_resolve, args=(False,))
        right.button("Terug naar het formulier", on_click=_back)
        st.stop()
    st.write(
        "Denk je dat persoonsgegevens bij de verkeerde terecht zijn gekomen, kwijt zijn of veranderd? "
        "Meld het meteen. Je hoeft niet zeker te weten of het een datalek is."
    )
    st.info("Beschrijf wat er gebeurd is, niet wie het betreft.", icon=":material/info:")
    with store.unit() as db:
        orgs = [o for o in list_organisations(db, actor) if o.id in actor.org_ids]
    rf.bring_back()
    errors = state.get("r_errors")
    situation, occurrence = rf.situation_and_time(errors)
    with st.form("report", clear_on_submit=False, enter_to_submit=False):
        rf.form_body(errors, situation, occurrence, orgs)
        st.form_submit_button("Versturen", type="primary", on_click=_submit, args=(orgs,))
    form_errors(errors)
    rf.keep()
