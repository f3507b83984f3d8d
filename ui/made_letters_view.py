"""Letters made before, offered again (issue #15): every letter made for the incident, per person
or group, with the day it was made and the template version, and "Opnieuw downloaden": the DOCX
and the text rebuilt from the text kept when the letter was made (never from today's template),
checked against the SHA-256 kept with it (``made_letters.stored_letter``). A letter whose text
no longer matches offers nothing and says so."""

from __future__ import annotations

import streamlit as st

from datalek import clock
from datalek.accounts.permissions import Action, IncidentRef
from datalek.actions import made_letters
from datalek.actions.made_letters import MadeLetter
from ui import downloads, letter_view
from ui.callbacks import act
from ui.forms import field_error, md_escape

state = st.session_state
TITLE = "Gemaakte brieven"
AGAIN = "Opnieuw downloaden"


def _prefix(incident_id: int, letter_id: int) -> str:
    return f"inf{incident_id}_made{letter_id}_"


def file_name(reference: str, made: MadeLetter) -> str:
    """The letter's file name, as when it was made."""
    name = f"brief-{reference}-{letter_view.FILE_NAMES[made.reader]}"
    return name + (f"-persoon-{made.member_id}" if made.member_id is not None else "")


def who(made: MadeLetter) -> str:
    """For whom the letter was made: "Persoon 12, brief voor ouders" or "Groep: ouders ..."."""
    if made.member_id is None:
        return f"Groep: {made.reader.label.lower()}"
    return f"Persoon {made.member_id}, brief voor {made.reader.label.lower()}"


def _again(incident_id: int, reference: str, letter_id: int) -> None:
    prefix = _prefix(incident_id, letter_id)
    state.pop(prefix + "offered", None)

    def offering(db, actor):
        made = made_letters.stored_letter(db, actor, letter_id)
        files = letter_view.files(made, file_name(reference, made), merge=made.member_id is None)
        state[prefix + "offered"] = {
            fmt: downloads.offer(db, actor, Action.READ_INFORMING, IncidentRef(incident_id), file)
            for fmt, file in files.items()
        }

    act(prefix + "errors", "", offering)


def _offered(prefix: str) -> None:
    offered = state.get(prefix + "offered")
    if not offered:
        return
    cols = st.columns(len(offered))
    with cols[0]:
        shown = downloads.link(offered["docx"], "Download als Word (DOCX)")
    with cols[1]:
        downloads.link(offered["txt"], "Download als tekst (voor e-mail)", primary=False)
    if "merge" in offered:
        with cols[2]:
            downloads.link(offered["merge"], "Download voor samenvoegen (Word)", primary=False)
    if shown:
        st.caption(downloads.HINT)


def render(incident_id: int, reference: str, made: list[MadeLetter]) -> None:
    """Every letter made for the incident, the newest first, each with "Opnieuw downloaden"."""
    st.subheader(TITLE, anchor=False)
    if not made:
        st.caption("Er zijn nog geen brieven gemaakt.")
        return
    st.caption(
        "Hier download je een brief die al gemaakt is opnieuw, precies zoals hij toen gemaakt is. "
        "Ook als het sjabloon intussen is veranderd."
    )
    for letter in sorted(made, key=lambda m: m.id, reverse=True):
        prefix = _prefix(incident_id, letter.id)
        with st.container(border=True, key=prefix + "box"):
            version = (
                f"sjabloon versie {letter.template_version}"
                if letter.template_version
                else ("de tekst van Datalek (versie 0)")
            )
            st.markdown(
                md_escape(f"{who(letter)} · gemaakt op {clock.format_local(letter.made_at)} · {version}")
            )
            if not letter.intact:
                st.error(made_letters.ALTERED, icon=":material/error:")
                continue
            st.button(AGAIN, key=prefix + "again", on_click=_again, args=(incident_id, reference, letter.id))
            errors = state.get(prefix + "errors")
            field_error(errors, "letter")
            _offered(prefix)
