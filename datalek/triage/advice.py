"""The advice of the triage engine: its reasons, ENISA score, risk level and missing facts."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from datalek.models import LabelledEnum


class Reason(BaseModel):
    text: str
    ref: str


class EnisaLevel(LabelledEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    VERY_HIGH = "very_high"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {"low": "Laag", "medium": "Gemiddeld", "high": "Hoog", "very_high": "Zeer hoog"}


class RiskLevel(LabelledEnum):
    NONE = "none"
    RISK = "risk"
    HIGH = "high"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {"none": "Geen risico waarschijnlijk", "risk": "Risico", "high": "Hoog risico"}


class Art34Exception(LabelledEnum):
    UNINTELLIGIBLE = "a"
    LATER_MEASURES = "b"
    DISPROPORTIONATE = "c"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "a": "art. 34 lid 3 sub a AVG: de gegevens zijn onleesbaar voor anderen",
            "b": "art. 34 lid 3 sub b AVG: maatregelen achteraf nemen het hoge risico weg",
            "c": "art. 34 lid 3 sub c AVG: onevenredige inspanning, dus een openbare mededeling",
        }


class DpcScore(BaseModel):
    category: str  # simple | behavioural | financial | sensitive
    base: int
    score: int
    reasons: list[Reason]  # each change from the base score, with its reason


class CbElement(BaseModel):
    element: str  # confidentiality | integrity | availability | malicious
    points: float
    reason: Reason


class Enisa(BaseModel):
    dpc: int
    dpc_scores: list[DpcScore]
    ei: float
    ei_reason: Reason
    cb: float
    cb_elements: list[CbElement]
    se: float
    level: EnisaLevel
    over_100: bool
    unintelligible: bool
    #: ENISA 2013 §2: the context score before the FG's adjustment, and the FG's reason
    #: (None: not adjusted; older advice has neither).
    dpc_computed: int | None = None
    adjustment_reason: Reason | None = None


class MissingFact(BaseModel):
    field: str  # the Facts field to complete
    label: str
    effect: str  # what knowing it could change, in Dutch


class Advice(BaseModel):
    is_breach: bool
    breach_reasons: list[Reason]
    enisa: Enisa | None
    risk: RiskLevel | None
    risk_factors: list[Reason]
    notify_authority: bool
    inform_subjects: bool
    exception: Art34Exception | None
    public_communication: bool
    phased: bool
    deadline: datetime
    hours_left: float
    late: bool
    reasons: list[Reason]
    missing: list[MissingFact]

    def summary(self) -> str:
        """The advice in one line of plain Dutch."""
        if not self.is_breach:
            return "Geen datalek: niet melden bij de AP, wel vastleggen in het register met de reden."
        yes = {True: "ja", False: "nee"}
        notify = yes[self.notify_authority] + (" (nu melden, later aanvullen)" if self.phased else "")
        inform = yes[self.inform_subjects] + (f" ({self.exception.label})" if self.exception else "")
        return f"Melden bij de AP: {notify}. Betrokkenen informeren: {inform}. {self.risk.label}."
