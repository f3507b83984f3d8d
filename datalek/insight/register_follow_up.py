"""What followed the decision, as the register holds it for one incident: the notifications to
the AP (references, kinds, late reasons, the verdict on the period), the informing of the
betrokkenen (who, how many, when, how; postponements for safety; public notices) and the
measures (owner, due date, status and the real date done). Used by ``register_entry``.

The informing columns are ``INFORMING_COLUMNS``, filled by ``informing`` (the counts per
person and family from ``register_informing``): add a column of informing there and in those
functions, nowhere else.
"""

from __future__ import annotations

from datetime import date, datetime

from datalek import clock, regime
from datalek.actions.addressees import Addressee
from datalek.actions.informing import Notice
from datalek.actions.informing_list import InformingList
from datalek.actions.measures import MeasureKind, MeasureStatus
from datalek.handling import delay, moments
from datalek.insight import register_informing

Value = str | int | datetime | date | None

#: The register's verdict on the notification period of the regime (72 hours under art. 33 AVG).
WITHIN = f"Binnen {regime.CURRENT.period_hours} uur"

#: The columns of the informing of the betrokkenen, filled by ``informing`` (one place to
#: add the columns of informing per person).
INFORMING_COLUMNS = [
    "Betrokkenen geïnformeerd",
    "Aantal geïnformeerd",
    "Eerst geïnformeerd op",
    "Laatst geïnformeerd op",
    "Kanalen",
    "Personen op de informeerlijst",
    "Per soort lezer",
    "Niet geïnformeerd, met reden",
    "Uitstel per gezin (veiligheid)",
    "Uitstel (veiligheid)",
    "Groepen en eerdere berichten",
    "Openbare mededeling",
]


def _day(iso: str | None) -> str:
    """An ISO date in the Dutch way (31-01-2027), like the moments in the other columns."""
    return f"{iso[8:10]}-{iso[5:7]}-{iso[0:4]}" if iso else ""


def _local(iso: str | None) -> str:
    return clock.format_local(clock.from_iso(iso)) if iso else ""


def notifications(row: dict, notes: list[dict], changes: list[dict]) -> dict[str, Value]:
    """The notifications to the AP: the first with its reference, moment, verdict on the
    period and the reason it was late; every supplement and withdrawal with its reference."""
    initial = next((n for n in notes if n["kind"] == "initial"), None)
    later = [
        ("Aanvulling" if n["kind"] == "supplement" else "Intrekking")
        + f" {_local(n['submitted_at'])} (meldnummer {n['ap_reference']}): {n['note']}"
        for n in notes
        if n["kind"] != "initial"
    ]
    withdrawn = any(n["kind"] == "withdrawal" for n in notes)
    out: dict[str, Value] = {"Gemeld bij AP": "ingetrokken" if withdrawn else ("ja" if initial else "nee")}
    if initial:
        # Judged against the awareness when notified: a later change never makes it on time.
        judged = moments.judged_from(clock.from_iso(row["aware_at"]), changes)
        hours = (clock.from_iso(initial["submitted_at"]) - judged).total_seconds() / 3600
        out |= {
            "Meldnummer AP": initial["ap_reference"],
            "Gemeld bij AP op": clock.from_iso(initial["submitted_at"]),
            WITHIN: "ja" if hours <= regime.CURRENT.period_hours else "nee",
            # with the kind the FG picked (handling.delay), when late
            "Reden vertraging": delay.described(initial["late_reason"], row.get("delay_kind") or "")
            if initial["late_reason"]
            else "",
        }
    out["Aanvullingen en intrekking"] = "\n".join(later)
    return out


def _postponements(checks: list[dict]) -> list[str]:
    """Every postponement for safety, also one lifted later: the register keeps the weighing."""
    lines = []
    for n, check in enumerate(checks):
        if not check["risk"]:
            continue
        lifted = next((c for c in checks[n + 1 :] if c["recipient"] == check["recipient"]), None)
        state = (
            f"opgeheven op {_local(lifted['recorded_at'])}"
            if lifted and not lifted["risk"]
            else "vervangen"
            if lifted
            else "loopt"
        )
        lines.append(
            f"{Addressee(check['recipient']).label}: uitgesteld op {_local(check['recorded_at'])}"
            f" tot {_day(check['review_on'])} ({state}): {check['reason']}"
        )
    return lines


def informing(i: int, extra: dict, on: date) -> dict[str, Value]:
    """The ``INFORMING_COLUMNS``: who was informed (per kind of reader, how many, when, how),
    the persons on the informing list (informed, postponed, not informed and why, per kind of
    reader; ``register_informing``), the postponements for safety of families and of groups,
    the letters to groups and older notices, and the public notices. ``extra["lists"]`` holds
    the informing list of the incidents that have one; ``on`` is the date of informing."""
    notices = [Notice.from_row(n) for n in extra["notices"][i]]
    listed = extra.get("lists", {}).get(i) or InformingList(i, ())
    return register_informing.columns(listed, notices, on) | {
        "Uitstel (veiligheid)": "\n".join(_postponements(extra["checks"][i])),
        "Openbare mededeling": "\n".join(
            f"{_day(p['published_on'])}: {p['text']}" for p in extra["public"][i]
        ),
    }


def measures(found: list[dict]) -> str:
    return "\n".join(
        f"{MeasureKind(m['kind']).label}: {m['description']} — {m['owner']}, uiterlijk {_day(m['due_on'])}, "
        f"{MeasureStatus(m['status']).label.lower()}"
        + (f" op {_day(m['done_on'])}" if m["status"] == "done" and m["done_on"] else "")
        for m in found
    )
