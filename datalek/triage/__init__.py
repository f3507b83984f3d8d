"""The triage engine: from the facts of a breach to an advice with reasons.

Pure functions: no Streamlit, no database, no clock unless none is given. Each rule is a small
function whose docstring names its source (``docs/domain/rules.md``, ``enisa.md``,
``youth-care.md``), and every conclusion carries Dutch reasons with a reference:

1. is it a personal data breach at all (art. 4 sub 12 AVG; lawful sharing is not);
2. the ENISA severity SE = DPC × EI + CB (ENISA 2013), every change from a base score explained;
3. the EDPB 9/2022 §IV risk level: "no risk" only where the facts positively support it,
   "high risk" where the EDPB says damage should be considered likely, otherwise "risk";
4. unknown key facts never give "no risk" (AP: bij twijfel melden) — notify now, supplement later;
5. the advice: notify the AP (art. 33), inform the people (art. 34) or which art. 34 lid 3
   exception applies, the 72-hour deadline and whether it has passed;
6. which unknown facts would change the advice, found by re-running rules 1-5 (never rule 6
   itself, so there is no recursion) with a favourable and an unfavourable answer for each.

ENISA sets no notification threshold: its level is one piece of evidence in the EDPB weighing.
"""

from __future__ import annotations

from datetime import datetime

from datalek import clock, deadlines
from datalek.triage.advice import (
    Advice,
    Art34Exception,
    CbElement,
    DpcScore,
    Enisa,
    EnisaLevel,
    MissingFact,
    Reason,
    RiskLevel,
)
from datalek.triage.breach import breach_reasons, is_breach
from datalek.triage.enisa import enisa_score, level_for
from datalek.triage.facts import Facts
from datalek.triage.missing import missing_facts
from datalek.triage.rules import conclusions, risk_factors, verdict

__all__ = [
    "Advice",
    "Art34Exception",
    "CbElement",
    "DpcScore",
    "Enisa",
    "EnisaLevel",
    "Facts",
    "MissingFact",
    "Reason",
    "RiskLevel",
    "assess",
    "enisa_score",
    "is_breach",
    "level_for",
]

# --- the public entry points ----------------------------------------------------------------------


def assess(facts: Facts, now: datetime | None = None) -> Advice:
    """The advice on these facts at moment ``now`` (default: the current time)."""
    now = now or clock.now()
    deadline, hours = deadlines.deadline(facts.aware_at), deadlines.hours_left(facts.aware_at, now)
    is_a_breach, why_breach = breach_reasons(facts)
    if not is_a_breach:
        return Advice(
            is_breach=False,
            breach_reasons=why_breach,
            enisa=None,
            risk=None,
            risk_factors=[],
            notify_authority=False,
            inform_subjects=False,
            exception=None,
            public_communication=False,
            phased=False,
            deadline=deadline,
            hours_left=hours,
            late=False,
            missing=[],
            reasons=[
                Reason(
                    text="Niet melden bij de AP en de betrokkenen niet informeren: er is geen datalek.",
                    ref="art. 33 lid 1 en art. 34 lid 1 AVG",
                )
            ],
        )
    enisa = enisa_score(facts)
    v = verdict(facts, enisa)
    return Advice(
        is_breach=True,
        breach_reasons=why_breach,
        enisa=enisa,
        risk=v.risk,
        risk_factors=risk_factors(facts, enisa),
        notify_authority=v.notify,
        inform_subjects=v.inform,
        exception=v.exception,
        public_communication=v.exception is Art34Exception.DISPROPORTIONATE,
        phased=v.notify and bool(v.unknown),
        deadline=deadline,
        hours_left=hours,
        late=v.notify and hours < 0,
        reasons=conclusions(facts, v, deadline, hours),
        missing=missing_facts(facts, (v.notify, v.inform), v.unknown),
    )
