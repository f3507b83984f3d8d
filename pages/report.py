"""Melden: an employee reports a suspected datalek in a few minutes.

Three states: the form; the identifiers found in the text, each to replace or keep; and the
confirmation with what happens next. Storing the report and telling the FG is
``incidents.submit_report``; the choices about identifiers are ``intake.redaction``. The answers
given so far are kept as a draft, so a reload brings them back (``handling.report_drafts``).
"""

import logging
from datetime import timedelta

import streamlit as st

from datalek import clock, store, submissions
from datalek.accounts import report_links
from datalek.accounts.guest import GuestActor
from datalek.accounts.organisations import list_organisations
from datalek.accounts.permissions import PermissionDenied
from datalek.config import SmtpSettings
from datalek.handling import incidents, report_drafts
from datalek.intake import guidance, pii, redaction
from datalek.intake.report import Report, validate_report
from datalek.intake.situations import Situation
from datalek.models import InvalidInput
from ui import report_form as rf
from ui import session
from ui.forms import form_errors, md_escape

FAILED = (
    "Je melding is NIET opgeslagen. Er ging iets mis bij het bewaren. Je antwoorden staan er nog: "
    "probeer het over een minuut opnieuw. Lukt het niet, mail of bel dan de FG."
)
ALREADY_SENT = (
    "Deze melding was al verstuurd. Er is niets dubbel opgeslagen. Je vindt hem bij Mijn meldingen."
)
WHERE = {"description": "beschrijving", "actions_taken": "wat je al deed"}
KEY = "r_key"  # the submission key of the report being written (``datalek.submissions``)


def render() -> None:
    st.title("Datalek melden", anchor=False)
    state = st.session_state
    if done := state.get("r_done"):
        _confirmation(done)
    elif pending := state.get("r_pending"):
        _identifiers(pending)
        if snapshot := state.get("r_snapshot"):  # the answers as sent, identifiers and all
            rf.keep_draft(session.actor(), rf.answers(snapshot))
    else:
        _form(session.actor())


def _form(actor) -> None:
    if isinstance(actor, GuestActor) and not _guest_may_report(actor):
        return
    st.write(
        "Denk je dat persoonsgegevens bij de verkeerde terecht zijn gekomen, kwijt zijn of veranderd? "
        "Meld het meteen. Je hoeft niet zeker te weten of het een datalek is."
    )
    st.info("Beschrijf wat er gebeurd is, niet wie het betreft.", icon=":material/info:")
    rf.bring_back()
    rf.bring_back_draft(actor)
    if restored := rf.draft_restored_at():
        st.info(report_drafts.restored_message(restored), icon=":material/history:")
        st.button("Weggooien en leeg beginnen", on_click=_discard, icon=":material/delete:")
    if failure := st.session_state.get("r_failure"):
        st.error(failure, icon=":material/error:")
    if already := st.session_state.pop("r_already", None):
        st.info(already, icon=":material/info:")
    with store.unit() as db:
        orgs = [o for o in list_organisations(db, actor) if o.id in actor.org_ids]
    errors = st.session_state.get("r_errors")
    situation, occurrence = rf.situation_and_time(errors)
    rf.form_body(errors, situation, occurrence, orgs)  # no st.form: every answer reaches the draft
    if not st.session_state.get(KEY):
        st.session_state[KEY] = submissions.new_key()
    st.button("Versturen", type="primary", on_click=_submit, args=(orgs, st.session_state[KEY]))
    form_errors(errors)
    rf.keep()
    rf.keep_draft(actor, rf.answers())


def _guest_may_report(actor: GuestActor) -> bool:
    """A guest through a report link: say so; a one-time link already used shows no form."""
    with store.unit() as db:
        open_ = report_links.may_report(db, actor)
    if not open_:
        st.warning(report_links.CLOSED, icon=":material/link_off:")
        return False
    st.caption("Je meldt zonder account, via een link van de FG. Je naam wordt niet gevraagd.")
    return True


def _identifiers(pending: dict) -> None:
    if failure := st.session_state.get("r_failure"):
        st.error(failure, icon=":material/error:")
    st.warning(
        "In je tekst staan gegevens waarmee iemand te herkennen is. Die horen niet in een melding. "
        "Kies per gegeven of je het vervangt door een neutrale aanduiding. Er is nog niets opgeslagen.",
        icon=":material/privacy_tip:",
    )
    for n, found in enumerate(pending["findings"]):
        finding = pii.Finding.from_dict(found)
        st.radio(
            f"{finding.kind.label} in je {WHERE[found['field']]}: {md_escape(finding.masked)}",
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


def _confirmation(done: dict) -> None:
    st.success(
        f"Je melding is verstuurd. Het nummer van je melding is {done['reference']}.",
        icon=":material/check_circle:",
    )
    st.subheader("Wat gebeurt er nu?", anchor=False)
    st.write(guidance.NEXT_STEPS)
    st.write(
        f"De organisatie moet uiterlijk **{rf.deadline_text(done['aware_at'])}** beslissen of dit "
        "gemeld moet worden bij de Autoriteit Persoonsgegevens: 72 uur na het moment dat het "
        "ontdekt werd."
    )
    st.subheader("Doe dit nu", anchor=False)
    for line in guidance.for_situation(Situation(done["situation"])):
        st.markdown(f"- {line}", unsafe_allow_html=False)
    if done.get("guest"):
        _follow_up(done)
        return
    st.write("Weet je later meer? Vul je melding aan via **Mijn meldingen**.")
    st.button("Nieuwe melding maken", on_click=_new)


def _follow_up(done: dict) -> None:
    """After a report through a link: the separate link to add information later."""
    st.subheader("Later iets aanvullen?", anchor=False)
    if not done.get("follow_up"):
        st.write("Weet je later meer? Mail of bel dan de FG en noem het nummer van je melding.")
        return
    st.write(
        f"Met deze link lees je je melding terug en voeg je informatie toe, tot "
        f"{done['follow_up_until']}. Bewaar hem goed en deel hem niet: wie de link heeft, kan je "
        "melding lezen. Je ziet hem maar één keer."
    )
    st.text_input(  # a field to select and copy (st.code's copy button speaks English)
        "Je link om aan te vullen",
        value=report_links.url(session.site_url(), done["follow_up"], report_links.FOLLOW_UP_PATH),
        key="r_follow_up_link",
    )
    with store.unit() as db:
        again = report_links.may_report(db, session.actor())
    if again:
        st.button("Nieuwe melding maken", on_click=_new)


# --- button callbacks (they run before app.py on the next run) ----------------------------------


def _submit(orgs, key: str) -> None:
    state = st.session_state
    if state.get("r_done") or state.get("r_pending"):
        return  # a second click on a form that was sent or is waiting for the identifiers step
    state.pop("r_failure", None)
    try:
        report = validate_report(rf.collected(orgs), clock.now())
    except InvalidInput as exc:
        state["r_errors"] = exc.errors
        return
    state["r_errors"] = None
    if found := redaction.findings(report):
        state["r_snapshot"] = rf.snapshot()
        state["r_pending"] = {"report": report.model_dump(mode="json"), "findings": found, "key": key}
    else:
        _save(report, pii_kept=False, key=key)


def _resolve(replace_all: bool) -> None:
    state = st.session_state
    pending = state.pop("r_pending", None)
    if pending is None:
        return  # a second click: the first one sent it or went back to the form
    found = pending["findings"]
    keep = set() if replace_all else {n for n in range(len(found)) if state.get(f"r_pii_{n}") == "keep"}
    redacted = redaction.redact(pending["report"], found, keep)
    rf.restore(
        {
            **state.pop("r_snapshot", {}),
            "r_description": redacted.values["description"],
            "r_actions": redacted.values["actions_taken"],
        }
    )
    try:
        report = redacted.report()
    except InvalidInput as exc:
        state["r_errors"] = exc.errors  # shown next to the field, with the replaced text in it
        return
    _save(report, pii_kept=redacted.kept, key=pending["key"])


def _save(report: Report, pii_kept: bool, key: str) -> None:
    state = st.session_state
    current = session.fresh_actor()  # callbacks run before app.py's session check
    if current is None:
        return
    acting, follow_up = report_links.with_follow_up(current)  # a guest's second token (issue #16)
    try:
        with store.unit() as db, submissions.once(db, current, key, "r_"):
            incident = incidents.submit_report(db, acting, report, pii_kept, mail=SmtpSettings.from_env())
    except submissions.Repeated:
        rf.start_empty()
        state["r_already"] = ALREADY_SENT
        return
    except PermissionDenied as exc:
        state["r_failure"] = exc.message
        return
    except Exception as exc:  # noqa: BLE001 - any failure must be shown as a failure
        logging.getLogger("datalek.pages.report").error("report not saved: %s", type(exc).__name__)
        state["r_failure"] = FAILED
        return
    rf.forget()
    state["r_done"] = {
        "reference": incident.reference,
        "aware_at": clock.to_iso(incident.aware_at),
        "situation": incident.situation,
    }
    if isinstance(current, GuestActor):
        until = clock.now() + timedelta(days=report_links.FOLLOW_UP_DAYS)
        state["r_done"] |= {
            "guest": True,
            "follow_up": follow_up,
            "follow_up_until": clock.format_local(until, with_time=False),
        }


def _back() -> None:
    st.session_state.pop("r_pending", None)
    rf.restore(st.session_state.pop("r_snapshot", {}))


def _new() -> None:
    for key in [k for k in st.session_state if str(k).startswith("r_")]:
        del st.session_state[key]


def _discard() -> None:
    current = session.fresh_actor()
    if current is None:
        return
    try:
        with store.unit() as db:
            report_drafts.discard(db, current, current.user_id)
    except store.StorageError:
        st.session_state[session.STORAGE_FAILED] = True  # app.py says nothing was changed
        return
    rf.start_empty()
