"""Showing one incident as text (never HTML): facts, answers, supplements, history."""

from __future__ import annotations

import streamlit as st

from datalek import clock
from datalek.handling.incidents import IncidentView, Reporter
from datalek.handling.moments import Change
from datalek.intake.situations import (
    CountKind,
    DataKind,
    Occurrence,
    Protection,
    Recipient,
    Retrieval,
    Situation,
    SubjectGroup,
)
from datalek.models import Incident, IncidentType, Status
from ui.forms import md_escape

#: Shown instead of the reporter's name when their account is switched off or gone.
INACTIVE = "(account niet meer actief)"


def _labels(enum, values) -> str:
    if not values:
        return "niet gevraagd"
    if isinstance(values, str):
        return enum(values).label
    return ", ".join(enum(v).label for v in values)


def _count(answers: dict) -> str:
    kind = answers.get("people_count_kind")
    if not kind or kind == "unknown":
        return "onbekend"
    return f"{CountKind(kind).label.lower()} {answers.get('people_count')}"


def facts(view: IncidentView, show_type: bool = False, reported_by: Reporter | None = None) -> None:
    """The report's facts as a table. ``show_type`` (the FG's view) adds the type and how the
    organisation became aware; ``reported_by`` (``incidents.reporter``, read once for the page)
    adds the report link the incident came through."""
    inc, a = view.incident, view.incident.report
    rows = [
        ("Nummer", inc.reference),
        ("Status", inc.status.label),
        ("Wat er gebeurde", Situation(inc.situation).label),
        ("Afdeling", inc.department),
        (
            "Wanneer",
            _labels(Occurrence, inc.occurrence or a.get("occurrence"))
            + (f", vanaf {clock.format_local(inc.occurred_from)}" if inc.occurred_from else "")
            + (f" tot {clock.format_local(inc.occurred_to)}" if inc.occurred_to else ""),
        ),
        ("Ontdekt", clock.format_local(inc.discovered_at)),
        ("Gemeld", clock.format_local(inc.reported_at)),
        ("Soorten gegevens", _labels(DataKind, a.get("data_kinds"))),
        ("Over wie", _labels(SubjectGroup, a.get("subject_groups"))),
        ("Aantal mensen", _count(a)),
        ("Beveiligd", _labels(Protection, a.get("protection"))),
        ("Ontvangers", _labels(Recipient, a.get("recipients"))),
        ("Teruggegeven of verwijderd", _labels(Retrieval, a.get("retrieval"))),
    ]
    if show_type:  # the FG's view: the type and how the organisation became aware
        rows.insert(3, ("Soort incident", IncidentType(inc.incident_type).label))
        rows[7:7] = _awareness_rows(inc)
        if reported_by is not None and reported_by.via_link:  # reported without an account (issue #16)
            rows.insert(7, ("Gemeld via link", reported_by.via_link))
    # st.table renders Markdown in its cells: escape, the department is typed by a user.
    st.table({"Vraag": [r[0] for r in rows], "Antwoord": [md_escape(r[1]) for r in rows]})
    st.markdown("**Beschrijving**")
    st.text(inc.description)
    st.markdown("**Wat de melder al deed**")
    st.text(inc.actions_taken or "niets ingevuld")
    if inc.pii_kept:
        st.caption("De melder heeft bewust persoonsgegevens in de tekst laten staan.")


def _awareness_rows(inc: Incident) -> list[tuple[str, str]]:
    rows = [
        ("Organisatie wist het", clock.format_local(inc.aware_at)),
        ("Hoe de organisatie het wist", inc.aware_basis.label),
    ]
    if inc.aware_source:
        rows.append(("Van wie", inc.aware_source))
    if inc.first_aware_at and inc.first_aware_at != inc.aware_at:
        rows.append(("Eerst vastgelegd moment van weten", clock.format_local(inc.first_aware_at)))
    return rows


def changes(found: list[Change]) -> None:
    """Every change of the incident's moments: old → new, who, when and why. As plain text:
    the reason and the names were typed by people."""
    st.markdown("**Wijzigingen in de tijdlijn**")
    if not found:
        st.caption("Geen wijzigingen.")
    for c in found:
        st.text(
            f"{c.label}: {c.old or 'leeg'} → {c.new or 'leeg'}\n"
            f"Door {c.changed_by} op {clock.format_local(c.changed_at)}\n"
            f"Reden: {c.reason or 'geen (eerste invulling)'}"
        )
        if c.after_notification:
            st.warning("Gewijzigd na de melding bij de AP: neem dit op in een aanvulling.")


def supplements(view: IncidentView) -> None:
    st.markdown("**Aanvullingen**")
    if not view.supplements:
        st.caption("Nog geen aanvullingen.")
    for s in view.supplements:
        st.caption(clock.format_local(s.created_at))
        st.text(s.text)


def reporter(found: Reporter) -> None:
    """Who reported, and how to reach them (for the FG only: ``incidents.reporter`` checks).
    As plain text: the name and the address were typed by people."""
    st.markdown("**Melder**")
    if found.active:
        st.text(f"{found.name}\nAfdeling: {found.department}\nE-mail: {found.email}")
        st.caption("De melder weet dat de FG contact kan opnemen.")
    elif found.via_link:
        st.text(f"Gemeld zonder account, via de link: {found.via_link}\nAfdeling: {found.department}")
        st.caption("De melder kan zelf informatie toevoegen met de aanvullink die hij kreeg.")
    else:
        st.text(f"{INACTIVE}\nAfdeling: {found.department}")


def reporter_name(found: Reporter | None) -> str:
    if found is None:
        return ""
    if found.active:
        return found.name
    return f"via de link {found.via_link}" if found.via_link else INACTIVE


def history(view: IncidentView, reported_by: Reporter | None = None) -> None:
    """The status changes; with ``reported_by`` (the FG's view) the report's line names the
    reporter ("Melder: ...")."""
    st.markdown("**Verloop**")
    for change in view.history:
        at = clock.format_local(clock.from_iso(change["at"]))
        line = f"{at}: {Status(change['to_status']).label}"
        if reported_by is not None and change["from_status"] is None:
            line += f" — Melder: {md_escape(reporter_name(reported_by))}"  # a caption is Markdown
        st.caption(line)
