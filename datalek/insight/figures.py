"""The figures management sees: their codes, Dutch names, and which atoms each one counts.

Every count is a sum of atoms: per part (organisation, department, year) the counts of one
attribute of the reports, a *block* (``disclosure.Block``). The blocks and their populations:

* the reports (``t``): month, outcome, notification, and the flags informed, internal report
  late, repeat, open, impossible times;
* the breaches (``outcome=breach``): incident type, risk, people affected (ranges), each kind
  of data, each nature, and the flags minors, special categories, BSN, youth-care file, at a
  processor; charts about causes and data count breaches, non-breaches are shown apart;
* the AP notifications on time and late: the time buckets; the late ones: the reason group;
* the breaches caused at a processor, per processor (``proc:<party id>``; its name is shown, it
  is not personal data) and whether the processors told us within the agreed hours
  (``proc_told``); the reports in a chain of incidents (issue #16);
* the measures (``M``): kind x state on the day the year is judged.

The dashboard, the yearly report (HTML, XLSX, DOCX) and the derivation test all read their
labels from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from datalek.insight.disclosure import Block
from datalek.models import IncidentType, Nature
from datalek.triage import RiskLevel
from datalek.triage.facts import DataCategory

MONTHS = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
#: A code in the figures that no label table knows (an old value in an old assessment).
UNKNOWN = "Onbekend"

OUTCOMES = {
    "breach": "Datalek",
    "lawful": "Geen datalek: delen met een wettelijke grondslag",
    "no_personal_data": "Geen datalek: geen persoonsgegevens",
    "no_incident": "Geen datalek: geen incident (vals alarm)",
    "duplicate": "Dubbele melding",
    "undecided": "Nog geen besluit",
}
NOT_A_BREACH = ("lawful", "no_personal_data", "no_incident")
NOTIFICATIONS = ("on_time", "late", "bad", "withdrawn", "none")
NOTIFIED = ("on_time", "late", "bad")
#: Hours from awareness to the AP notification: (code, upper bound in hours, label).
BUCKETS = [
    ("h24", 24, "0-24 uur"),
    ("h48", 48, "24-48 uur"),
    ("h72", 72, "48-72 uur"),
    ("h96", 96, "72-96 uur"),
    ("d7", 168, "4-7 dagen"),
    ("more", None, "meer dan 7 dagen"),
]
ON_TIME_BUCKETS = tuple(code for code, _, _ in BUCKETS[:3])
LATE_BUCKETS = tuple(code for code, _, _ in BUCKETS[3:])
#: Why an AP notification was late, grouped by a fixed list (``store.rollup_facts.LATE_REASONS``
#: sorts the FG's reason into it by key words; the text itself never leaves the register).
LATE_REASONS = {
    "processor": "Een verwerker of andere partij meldde het laat",
    "investigation": "Eerst was onderzoek nodig",
    "internal": "Het lek kwam laat bij de FG (weekend, vakantie, afwezigheid)",
    "other": "Een andere reden",
    "none": "Geen reden vastgelegd",
}
PEOPLE = {
    "1": "1 persoon",
    "2-10": "2 tot en met 10",
    "11-100": "11 tot en met 100",
    "101+": "meer dan 100",
    "unknown": "Onbekend",
}
MEASURE_KINDS = ("preventive", "other")
MEASURE_STATES = ("open", "overdue", "on_time", "late", "undated", "other")
FLAGS = ("informed", "late_report", "repeat", "open", "bad_time", "chain")
BREACH_FLAGS = ("minors", "special", "bsn", "youth_file", "processor")
DATA = tuple(c.value for c in DataCategory) + ("_none",)
NATURES = tuple(n.value for n in Nature) + ("_none",)
BREACH = ("outcome", ("breach",))
#: Whether the processors told us within the hours their agreement promises.
PROC_TOLD = ("on_time", "late")
#: The blocks of the breaches per processor: ``proc:<party id>`` (``selections.fill`` makes one
#: for each processor found in the roll-up).
PROCESSOR_BLOCK = "proc"


def _blocks() -> dict[str, Block]:
    blocks = {
        "t": Block(("",)),
        "M": Block(("",)),
        "month": Block(tuple(f"{m:02d}" for m in range(1, 13)), ("t", ("",))),
        "outcome": Block(tuple(OUTCOMES), ("t", ("",))),
        "notification": Block(NOTIFICATIONS, ("t", ("",))),
        "bucket_on_time": Block(ON_TIME_BUCKETS, ("notification", ("on_time",))),
        "bucket_late": Block(LATE_BUCKETS, ("notification", ("late",))),
        "late_reason": Block(tuple(LATE_REASONS), ("notification", ("late",))),
        "type": Block(tuple(t.value for t in IncidentType), BREACH),
        "risk": Block(tuple(r.value for r in RiskLevel) + ("_none",), BREACH),
        "people": Block(tuple(PEOPLE), BREACH),
        "measure": Block(tuple(f"{k}|{s}" for k in MEASURE_KINDS for s in MEASURE_STATES), ("M", ("",))),
        # not every breach has a processor that recorded both moments: the two do not add up
        "proc_told": Block(PROC_TOLD, BREACH, closed=False),
    }
    blocks |= {flag: Block(("",), ("t", ("",)), closed=False) for flag in FLAGS}
    blocks |= {flag: Block(("",), BREACH, closed=False) for flag in BREACH_FLAGS}
    blocks |= {f"data:{c}": Block(("",), BREACH, closed=False) for c in DATA}
    blocks |= {f"nature:{n}": Block(("",), BREACH, closed=False) for n in NATURES}
    return blocks


BLOCKS = _blocks()


@dataclass(frozen=True)
class Count:
    """A key figure that counts atoms: its Dutch label, block and keys."""

    label: str
    block: str
    keys: tuple[str, ...] = ("",)


def _measures(kinds=MEASURE_KINDS, states=MEASURE_STATES) -> tuple[str, ...]:
    return tuple(f"{k}|{s}" for k in kinds for s in states)


#: key figure code -> what it counts.
COUNTS: dict[str, Count] = {
    "total": Count("Interne meldingen", "t"),
    "breach": Count("Beoordeeld als datalek", "outcome", ("breach",)),
    "not_breach": Count("Beoordeeld als geen datalek", "outcome", NOT_A_BREACH),
    "lawful": Count(OUTCOMES["lawful"], "outcome", ("lawful",)),
    "no_personal_data": Count(OUTCOMES["no_personal_data"], "outcome", ("no_personal_data",)),
    "no_incident": Count(OUTCOMES["no_incident"], "outcome", ("no_incident",)),
    "duplicate": Count("Dubbele meldingen", "outcome", ("duplicate",)),
    "undecided": Count("Nog geen besluit", "outcome", ("undecided",)),
    "notified": Count("Gemeld bij de AP", "notification", NOTIFIED),
    "notified_on_time": Count("Gemeld bij de AP binnen 72 uur", "notification", ("on_time",)),
    "notified_late": Count("Gemeld bij de AP na 72 uur", "notification", ("late",)),
    "withdrawn": Count("AP-melding ingetrokken", "notification", ("withdrawn",)),
    "informed": Count("Betrokkenen geïnformeerd", "informed"),
    "bad_time": Count("Meldingen met tijden die niet kunnen (niet in de tijden meegeteld)", "bad_time"),
    "late_report": Count("Te laat intern gemeld (meer dan 24 uur na ontdekking)", "late_report"),
    "open": Count("Incidenten nu nog open", "open"),
    "repeat": Count("Herhaalde incidenten (zelfde soort en afdeling binnen 90 dagen)", "repeat"),
    "minors": Count("Datalekken met gegevens van minderjarigen", "minors"),
    "special": Count("Datalekken met bijzondere persoonsgegevens", "special"),
    "bsn": Count("Datalekken met een BSN", "bsn"),
    "youth_file": Count("Datalekken met een jeugdhulp- of zorgdossier", "youth_file"),
    "processor": Count("Datalekken bij een verwerker", "processor"),
    "proc_told_on_time": Count(
        "Datalekken waarbij de verwerker binnen de afgesproken uren meldde", "proc_told", ("on_time",)
    ),
    "proc_told_late": Count(
        "Datalekken waarbij de verwerker later meldde dan afgesproken", "proc_told", ("late",)
    ),
    "chain": Count("Incidenten in een keten-incident (met andere organisaties)", "chain"),
    "measures": Count("Maatregelen", "M"),
    "measures_open": Count("Maatregelen open", "measure", _measures(states=("open", "overdue"))),
    "measures_overdue": Count("Maatregelen over de termijn", "measure", _measures(states=("overdue",))),
    "measures_on_time": Count("Maatregelen op tijd uitgevoerd", "measure", _measures(states=("on_time",))),
    "preventive": Count("Preventieve maatregelen", "measure", _measures(kinds=("preventive",))),
    "preventive_done": Count(
        "Preventieve maatregelen uitgevoerd",
        "measure",
        _measures(kinds=("preventive",), states=("on_time", "late", "undated")),
    ),
}
#: The organisation's totals: always shown for an organisation (and for all together).
TOTALS = frozenset(
    {
        "total", "breach", "not_breach", "lawful", "no_personal_data", "no_incident", "duplicate",
        "undecided", "notified", "notified_on_time", "notified_late", "withdrawn", "informed", "bad_time",
    }
)  # fmt: skip
#: Shares: code -> (label, numerator, denominator codes); shown when both counts are.
SHARES = {
    "notified_share": ("Deel van de datalekken gemeld bij de AP", "notified", ("breach",)),
    "within72_share": (
        "Deel van de AP-meldingen binnen 72 uur",
        "notified_on_time",
        ("notified_on_time", "notified_late"),
    ),
    "proc_told_share": (
        "Deel van de verwerkers dat binnen de afgesproken uren meldde",
        "proc_told_on_time",
        ("proc_told_on_time", "proc_told_late"),
    ),
}
#: Medians: code -> (label, distribution in the roll-up, unit, the counts it needs shown).
MEDIANS = {
    "notify_median": (
        "Mediaan uren van bewust worden tot AP-melding",
        "notify_hours",
        "uur",
        ("notified_on_time", "notified_late"),
    ),
    "decision_median": ("Mediaan uren van interne melding tot besluit FG", "decision_hours", "uur", ()),
    "inform_median": (
        "Mediaan dagen van besluit tot betrokkenen geïnformeerd",
        "inform_days",
        "dagen",
        ("informed",),
    ),
    "proc_delay_median": (
        "Mediaan uren tussen het moment dat de verwerker het wist en ons moment",
        "proc_delay_hours",
        "uur",
        (),
    ),
}
PEOPLE_SUM = "Betrokken personen bij de datalekken (opgeteld, waar bekend)"


@dataclass(frozen=True)
class Series:
    """A chart: its title, a short name (an Excel sheet's, at most 31 characters), and the
    block it draws (None for the funnel and the department or organisation chart)."""

    title: str
    short: str
    block: str | None = None
    prefix: bool = False  # one flag block per key ("data:health"): the data and nature charts


SERIES = {
    "month": Series("Meldingen per maand", "Per maand", "month"),
    "funnel": Series("Van melding tot betrokkenen geïnformeerd", "Van melding tot informeren"),
    "outcome": Series("Uitkomst van de meldingen", "Uitkomst", "outcome"),
    "type": Series("Datalekken per soort incident", "Soort incident", "type"),
    "data": Series("Datalekken per soort gegevens", "Soort gegevens", "data", prefix=True),
    "dept": Series("Meldingen per afdeling", "Per afdeling"),
    "org": Series("Meldingen per organisatie", "Per organisatie"),
    "nature": Series(
        "Datalekken: vertrouwelijkheid, integriteit, beschikbaarheid", "Soort inbreuk", "nature", prefix=True
    ),
    "risk": Series("Datalekken per risico volgens de beoordeling", "Risico", "risk"),
    "people": Series("Datalekken per aantal betrokken personen", "Aantal betrokkenen", "people"),
    "notify_bucket": Series("Tijd tot de melding bij de AP", "Tijd tot de AP-melding"),
    "late_reason": Series("Waarom AP-meldingen te laat waren", "Reden te late AP-melding", "late_reason"),
    "processor": Series("Datalekken per verwerker", "Per verwerker", PROCESSOR_BLOCK, prefix=True),
}
FUNNEL = ("total", "breach", "notified", "informed")


def _short(label: str) -> str:
    """'Vertrouwelijkheid (iemand kon ...)' -> 'Vertrouwelijkheid'."""
    return label.split(" (")[0]


#: chart code -> code -> Dutch label: every bar a chart can show, also when it is zero.
LABELS: dict[str, dict[str, str]] = {
    "month": {f"{m:02d}": MONTHS[m - 1] for m in range(1, 13)},
    "outcome": dict(OUTCOMES),
    "type": {t.value: t.label for t in IncidentType},
    "data": {c.value: c.label for c in DataCategory} | {"_none": "Geen soort gegevens vastgelegd"},
    "nature": {n.value: _short(n.label) for n in Nature} | {"_none": "Geen soort inbreuk vastgelegd"},
    "risk": {r.value: r.label for r in RiskLevel} | {"_none": "Geen risico vastgelegd"},
    "people": dict(PEOPLE),
    "notify_bucket": {code: label for code, _, label in BUCKETS},
    "late_reason": dict(LATE_REASONS),
}
#: The bars a chart always shows, in this order (the others: the codes found, largest first).
ORDER = {
    "month": list(LABELS["month"]),
    "outcome": list(OUTCOMES),
    "risk": [r.value for r in RiskLevel] + ["_none"],
    "people": list(PEOPLE),
    "notify_bucket": list(LABELS["notify_bucket"]),
    "late_reason": list(LATE_REASONS),
}


def label(chart: str, code: str) -> str:
    """The Dutch label of a code in the figures; department, organisation and processor names
    as typed (a processor's bar is labelled by ``insight.stats``, which reads the names)."""
    if chart in ("dept", "org", "processor"):
        return code
    return LABELS.get(chart, {}).get(code, UNKNOWN)


def bar_atoms(chart: str, code: str) -> tuple[str, tuple[str, ...]]:
    """(block, keys) of one bar of a chart that draws a block (or the time buckets)."""
    if chart == "notify_bucket":
        return ("bucket_on_time" if code in ON_TIME_BUCKETS else "bucket_late", (code,))
    series = SERIES[chart]
    if series.prefix:
        return (f"{series.block}:{code}", ("",))
    return (series.block, (code,))


def chain_sentence(f: dict) -> str:
    """Processors and chain incidents in B1 Dutch, from the protected figures only (code ->
    ``stats.Figure``): the yearly report's summary and the board's document say it."""

    def say(code: str) -> str:
        return "een verborgen aantal" if f[code].value is None else f[code].shown

    text = f"{say('processor')} datalekken ontstonden bij een verwerker."
    if f["proc_delay_median"].value is not None:
        text += f" Een verwerker wist het meestal {f['proc_delay_median'].shown} eerder dan wij (de mediaan)."
    if f["proc_told_share"].value is not None:
        text += f" {f['proc_told_share'].shown} van de verwerkers meldde het binnen de afgesproken tijd."
    text += f" {say('chain')} incidenten hoorden bij een keten-incident met andere organisaties."
    return text[0].upper() + text[1:]
