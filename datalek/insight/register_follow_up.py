"""What followed the decision, as the register holds it for one incident: the notifications to
the AP (references, kinds, late reasons, the verdict on the period), the informing of the
betrokkenen (who, how many, when, how; postponements for safety; public notices) and the
measures (owner, due date, status and the real date done). Used by ``register_entry``.

The informing columns are ``INFORMING_COLUMNS``, filled by ``informing``: add a column of
informing (per person, per household) there and in that function, nowhere else.
"""

from __future__ import annotations

from datetime import date, datetime

from datalek import clock, regime
from datalek.actions.addressees import Addressee
from datalek.actions.informing import Channel
from datalek.actions.measures import MeasureKind, MeasureStatus
from datalek.handling import moments

Value = str | int | datetime | date | None

#: The register's verdict on the notification period of the regime (72 hours under art. 33 AVG).
WITHIN = f"Binnen {regime.CURRENT.period_hours} uur"

#: The columns of the informing of the betrokkenen, filled by ``informing`` (one place to
#: add the columns of informing per person).
INFORMING_COLUMNS = [
    "Betrokkenen geïnformeerd",
    "Aantal geïnformeerd",
    "Eerst geïnformeerd op",
    "Uitstel (veiligheid)",
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
            "Reden vertraging": initial["late_reason"],
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


def informing(i: int, extra: dict) -> dict[str, Value]:
    """The ``INFORMING_COLUMNS``: who was informed (how many, when, how), the postponements
    for safety and the public notices."""
    notices = extra["notices"][i]
    return {
        "Betrokkenen geïnformeerd": "\n".join(
            f"{Addressee(n['recipient']).label}: {n['people_count']} op {_day(n['informed_on'])} "
            f"({Channel(n['channel']).label.lower()})"
            for n in notices
        ),
        "Aantal geïnformeerd": sum(n["people_count"] for n in notices) if notices else None,
        "Eerst geïnformeerd op": min(date.fromisoformat(n["informed_on"]) for n in notices)
        if notices
        else None,
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
