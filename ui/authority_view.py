"""AP-melding: the draft answer by answer (each in a text area to copy from), downloads, and
recording the notification, a supplement or the withdrawal."""

from __future__ import annotations

import hashlib

import streamlit as st

from datalek import clock, deadlines, regime, store
from datalek.accounts.downloads import Download
from datalek.accounts.permissions import Action, IncidentRef
from datalek.actions import authority, documents
from datalek.handling import assessment
from datalek.handling.decisions import Decision
from datalek.models import Actor, Incident
from datalek.triage.facts import LEGACY_CATEGORIES
from ui import downloads
from ui.callbacks import act
from ui.forms import datetime_input, field_error, form_errors, local_datetime
from ui.once import OnceForm

state = st.session_state


def _recording(incident_id: int, kind: str) -> OnceForm:
    """The form that records the notification (``initial``), a supplement or the withdrawal."""
    return OnceForm(f"ap{incident_id}_{kind}_")


SAVED = {
    "initial": "De melding bij de AP is vastgelegd.",
    "supplement": "De aanvulling is vastgelegd.",
    "withdrawal": "De intrekking is vastgelegd.",
}


def _record(incident_id: int, kind: str, key: str, draft: dict) -> None:
    p = f"ap{incident_id}_"
    form = _recording(incident_id, kind)
    if form.already(key):
        return
    at = form.field("at", key)
    when = local_datetime(state.get(at + "_date"), state.get(at + "_time"))
    if kind == "initial":
        late = state.get(p + "late", "")
        reference = form.get(key, "reference", "")

        def record(db, who):  # the stored draft is the one for the moment actually entered
            made = None
            if when:
                # Making the draft is audited in a write of its own: on another connection, so
                # that the form's submission key is claimed in the notification's transaction.
                with store.unit() as other:
                    made = documents.draft_notification(other, who, incident_id, late, submitted_at=when)
            authority.record_initial(
                db, who, incident_id, reference, when, late, made.snapshot() if made else draft
            )

    elif kind == "supplement":
        note = form.get(key, "note", "")

        def record(db, who):
            authority.record_supplement(db, who, incident_id, when, note, draft)

    else:
        # The reason typed above the concept, else the one the concept gives (the decision).
        note = state.get(p + "withdraw_reason", "").strip() or _reason_in(draft)

        def record(db, who):
            authority.record_withdrawal(db, who, incident_id, when, note)

    act(p + "errors", SAVED[kind], record, once=(form, key))


DRAFT_FORMATS = {"md": ("Markdown", "text/markdown"), "json": ("JSON", "application/json")}


def _downloads(actor: Actor, incident: Incident, draft, p: str) -> None:
    """The concept as a file: made on a click, fetched through a one-time link."""
    columns = dict(zip(DRAFT_FORMATS, st.columns(len(DRAFT_FORMATS)), strict=True))
    for fmt, (label, media_type) in DRAFT_FORMATS.items():
        with columns[fmt]:
            if st.button(f"Maak download ({label})", key=p + fmt):
                data = draft.to_markdown() if fmt == "md" else draft.to_json()
                file = Download(f"concept-ap-melding-{incident.reference}.{fmt}", media_type, data.encode())
                with store.unit() as db:
                    st.session_state[p + fmt + "_offer"] = downloads.offer(
                        db, actor, Action.DRAFT_NOTIFICATION, IncidentRef(incident.id), file
                    )
            offered = st.session_state.get(p + fmt + "_offer")
            if offered and downloads.link(offered, f"Download als {label}"):
                st.caption(downloads.HINT)


#: About the characters of one line in a text area of the main column, and its pixels.
_LINE_CHARS, _LINE_PX, _MIN_PX, _MAX_PX = 90, 24, 68, 320


def _height(text: str) -> int:
    """A text area's height that shows ``text`` whole (up to a limit; longer text scrolls)."""
    lines = sum(max(1, -(-len(line) // _LINE_CHARS)) for line in text.split("\n"))
    return min(_MAX_PX, max(_MIN_PX, lines * _LINE_PX + 20))


def _show(draft, p: str) -> None:
    """Each answer in its own text area, labelled with the AP form's question: the FG clicks
    in it, selects all and copies (``st.code`` would add an English copy button)."""
    for section in draft.sections:
        st.markdown(f"**{section.number}. {section.title}**")
        for i, answer in enumerate(section.answers):
            digest = hashlib.sha256(answer.shown.encode()).hexdigest()[:12]
            st.text_area(
                answer.question,
                value=answer.shown,
                height=_height(answer.shown),
                key=f"{p}draft_{section.number}_{i}_{digest}",  # a changed answer: a new area
            )


def _history(history: authority.State) -> None:
    rows = [n for n in (history.initial, *history.supplements, history.withdrawal) if n]
    for n in rows:
        text = f"{n.kind.label} op {clock.format_local(n.submitted_at)}, meldnummer {n.ap_reference}"
        st.text(
            text
            + (f". Reden vertraging: {n.late_reason}" if n.late_reason else "")
            + (f". Toelichting: {n.note}" if n.note else "")
        )


def render(actor: Actor, incident: Incident, decision: Decision | None) -> None:
    p = f"ap{incident.id}_"
    errors = state.get(p + "errors")
    with store.unit() as db:
        history = authority.history(db, actor, incident.id)
    if history.initial is None and not (decision and decision.breach and decision.notify_authority):
        st.info("Volgens het besluit hoeft dit datalek niet gemeld te worden bij de AP.")
        return
    _history(history)
    if history.withdrawal is not None:
        _recording(incident.id, "withdrawal").outcome()  # its form is gone: said here
        st.info("De melding bij de AP is ingetrokken.")
        return
    late = clock.now() > deadlines.deadline(incident.aware_at)
    if history.initial is None and late and incident.delay_reason.strip():
        st.caption(
            f"De {regime.CURRENT.period_hours} uur zijn voorbij. De reden van de vertraging staat bij de melding."
        )
    elif history.initial is None and late:
        st.warning(
            f"De {regime.CURRENT.period_hours} uur zijn voorbij. Geef in de melding de reden van de vertraging."
        )
        st.text_area("Reden van de vertraging", key=p + "late", max_chars=authority.MAX_TEXT)
        field_error(errors, "late_reason")
    with store.unit() as db:
        draft = documents.draft_notification(db, actor, incident.id, state.get(p + "late", ""))
    if draft.kind == "initial":
        st.subheader("Concept AP-melding", anchor=False)
    elif draft.changed_since is None:
        st.subheader("Concept aanvulling", anchor=False)
        st.caption("Bij de eerste melding is geen concept bewaard: hieronder staat het hele concept.")
    else:
        st.subheader("Concept aanvulling (alleen wat veranderde)", anchor=False)
        if not draft.changed:
            st.info("Sinds de laatste melding aan de AP is er niets veranderd in de antwoorden.")
    st.caption(
        "Open het meldformulier van de AP ernaast en neem antwoord voor antwoord over: klik in "
        "een vak, kies alles met Ctrl+A en kopieer met Ctrl+C."
    )
    with store.unit() as db:
        current = assessment.current(db, actor, incident.id)
    if current and set(current.facts.data_categories) & LEGACY_CATEGORIES:
        st.warning(
            "De soorten gegevens staan nog in de oude indeling (zoals 'Contactgegevens (adres, "
            "telefoon, e-mail)'). Kies in de beoordeling de soorten die echt betrokken waren, zoals "
            "'Naam-, adres- en woonplaatsgegevens'. Dan zegt de melding niet meer dan er gebeurde."
        )
    if draft.missing:
        st.warning(
            (
                "1 antwoord is nog onbekend. Vul het aan"
                if len(draft.missing) == 1
                else f"{len(draft.missing)} antwoorden zijn nog onbekend. Vul ze aan"
            )
            + " in het formulier van de AP of in de beoordeling."
        )
    _downloads(actor, incident, draft, p)
    _show(draft, p)
    st.divider()
    form_errors(errors)
    field_error(errors, "form")
    if history.initial is None:
        form = _recording(incident.id, "initial")
        with st.form(form.field("form"), enter_to_submit=False):
            st.markdown("**Melding bij de AP vastleggen**")
            st.text_input("Meldnummer van de AP", key=form.field("reference"), max_chars=40)
            field_error(errors, "ap_reference")
            datetime_input("Gemeld bij de AP op", form.field("at"), default_now=True)
            field_error(errors, "submitted_at")
            field_error(errors, "late_reason")  # also here, next to the button
            st.form_submit_button(
                "Melding vastleggen",
                type="primary",
                on_click=_record,
                args=(incident.id, "initial", form.key, draft.snapshot()),
            )
        form.outcome()
        return
    _recording(incident.id, "initial").outcome()  # where its form was, after the save
    kind = st.radio(
        "Wat wil je vastleggen?",
        ["supplement", "withdrawal"],
        horizontal=True,
        key=p + "kind",
        format_func={"supplement": "Aanvulling", "withdrawal": "Intrekking"}.get,
    )
    if kind == "withdrawal":
        _withdrawal(actor, incident, errors)
        return
    form = _recording(incident.id, kind)
    with st.form(form.field("form"), enter_to_submit=False):
        st.text_area(
            "Wat is er veranderd of aangevuld?", key=form.field("note"), max_chars=authority.MAX_TEXT
        )
        field_error(errors, "note")
        datetime_input("Doorgegeven aan de AP op", form.field("at"), default_now=True)
        field_error(errors, "submitted_at")
        st.form_submit_button(
            "Aanvulling vastleggen",
            type="primary",
            on_click=_record,
            args=(incident.id, kind, form.key, draft.snapshot()),
        )
    form.outcome()


def _reason_in(draft: dict) -> str:
    """The withdrawal's reason as its concept states it."""
    answers = {a["key"]: a["answer"] for s in draft.get("sections", []) for a in s["answers"]}
    return answers.get("0.reason") or ""


def _withdrawal(actor: Actor, incident: Incident, errors: dict | None) -> None:
    """The reason first (outside a form, so the concept follows it as it is typed), then the
    concept for the AP's form, then recording the withdrawal."""
    p = f"ap{incident.id}_"
    st.text_area(
        "Reden van de intrekking",
        key=p + "withdraw_reason",
        max_chars=authority.MAX_TEXT,
        help="Bijvoorbeeld: bij nader inzien geen datalek.",
    )
    field_error(errors, "note")
    with store.unit() as db:
        draft = documents.draft_notification(
            db, actor, incident.id, kind="withdrawal", reason=state.get(p + "withdraw_reason", "")
        )
    st.subheader("Concept intrekking", anchor=False)
    _show(draft, p + "w_")
    form = _recording(incident.id, "withdrawal")
    with st.form(form.field("form"), enter_to_submit=False):
        datetime_input("Doorgegeven aan de AP op", form.field("at"), default_now=True)
        field_error(errors, "submitted_at")
        st.form_submit_button(
            "Intrekking vastleggen",
            type="primary",
            on_click=_record,
            args=(incident.id, "withdrawal", form.key, draft.snapshot()),
        )
    form.outcome()
