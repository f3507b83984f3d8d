"""The shared vocabulary of Datalek: enums with their Dutch labels and the core records.

Every enum value is an English code that is stored in the database; the Dutch text a
user reads comes from ``.label``. Labels live here, next to the codes, so that pages,
documents and exports all say the same thing.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class LabelledEnum(StrEnum):
    """A string enum whose members carry a Dutch label in ``_labels``."""

    @property
    def label(self) -> str:
        return type(self)._labels()[self.value]

    @classmethod
    def _labels(cls) -> dict[str, str]:  # pragma: no cover - overridden
        raise TypeError(f"{cls.__name__} defines no labels")

    @classmethod
    def options(cls) -> list[LabelledEnum]:
        return list(cls)


class InvalidInput(ValueError):
    """One or more fields are wrong: ``errors`` maps a field name to a Dutch message,
    so a form can show each message next to its field and keep what was typed."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


class Role(LabelledEnum):
    REPORTER = "reporter"
    DPO = "dpo"
    MANAGEMENT = "management"
    ADMIN = "admin"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "reporter": "Medewerker / melder",
            "dpo": "Functionaris gegevensbescherming (FG)",
            "management": "Directie / bestuur",
            "admin": "Beheerder",
        }


class Status(LabelledEnum):
    REPORTED = "reported"
    IN_PROGRESS = "in_progress"
    DECIDED = "decided"
    CLOSED = "closed"
    NOT_A_BREACH = "not_a_breach"
    #: a duplicate report moved under its main incident (``datalek.handling.merges``)
    MERGED = "merged"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "reported": "Gemeld",
            "in_progress": "In behandeling",
            "decided": "Besloten",
            "closed": "Afgerond",
            "not_a_breach": "Geen datalek",
            "merged": "Samengevoegd",
        }

    @property
    def is_open(self) -> bool:
        return self in (Status.REPORTED, Status.IN_PROGRESS, Status.DECIDED)

    @property
    def awaits_decision(self) -> bool:
        """The 72-hour clock is shown until the FG has decided on notifying."""
        return self in (Status.REPORTED, Status.IN_PROGRESS)


class Organisation(BaseModel):
    """A controller (verwerkingsverantwoordelijke) with its own FG and its own register."""

    model_config = ConfigDict(frozen=True)

    id: int
    name: str
    dpo_name: str = ""
    dpo_email: str = ""
    dpo_phone: str = ""
    #: A youth-care provider or social-domain team: being its client is itself sensitive.
    youth_care: bool = False


class User(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    name: str
    email: str
    role: Role
    active: bool = True
    org_ids: tuple[int, ...] = ()
    job_title: str = ""  # the notifier's job title in a concept AP-melding
    phone: str = ""


class AwareBasis(LabelledEnum):
    """How the organisation became aware of the breach: the start of the 72 hours."""

    EMPLOYEE_REPORT = "employee_report"
    PROCESSOR = "processor"
    PARTNER = "partner"
    MONITORING = "monitoring"
    DATA_SUBJECT = "data_subject"
    MEDIA = "media"
    AUTHORITY = "authority"
    OTHER = "other"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "employee_report": "Melding door een medewerker",
            "processor": "Bericht van een verwerker",
            "partner": "Bericht van een ketenpartner of andere organisatie",
            "monitoring": "Eigen controle of monitoring",
            "data_subject": "Melding door een betrokkene",
            "media": "Pers of sociale media",
            "authority": "De Autoriteit Persoonsgegevens",
            "other": "Anders",
        }


class Incident(BaseModel):
    """An incident as stored: the report plus its place in the process.

    ``report`` holds the employee's answers (see ``datalek.intake.report.Report``);
    later stages (assessment, decision, follow-up) get their own records.
    """

    id: int
    org_id: int
    reference: str
    reporter_id: int | None
    department: str
    situation: str
    incident_type: str
    status: Status
    occurred_from: datetime | None = None
    occurred_to: datetime | None = None
    ongoing: bool = False
    discovered_at: datetime
    reported_at: datetime
    aware_at: datetime
    #: How the organisation became aware, through whom, and the awareness as first recorded
    #: (never changed; ``datalek.handling.moments`` keeps every change of ``aware_at``).
    aware_basis: AwareBasis = AwareBasis.EMPLOYEE_REPORT
    aware_source: str = ""
    first_aware_at: datetime | None = None
    #: How it happened, as the FG states it (an ``intake.situations.Occurrence`` value).
    occurrence: str = "unknown"
    delay_reason: str = ""
    report: dict = Field(default_factory=dict)
    description: str = ""
    actions_taken: str = ""
    pii_kept: bool = False
    updated_at: datetime
    repeat_of: int | None = None  # the earlier incident this one repeats (datalek.handling.repeats)
    closed_at: datetime | None = None


class Supplement(BaseModel):
    """Information added to a report later (aanvulling); never overwrites the original."""

    id: int
    incident_id: int
    author_id: int | None
    created_at: datetime
    text: str


class Actor(BaseModel):
    """Who is acting: loaded fresh from the database on every run, never trusted from the client.

    ``user_id`` is None for the operator working through the command line (``system``).
    """

    model_config = ConfigDict(frozen=True)

    user_id: int | None
    role: Role
    org_ids: tuple[int, ...] = ()
    system: bool = False

    @classmethod
    def cli(cls) -> Actor:
        return cls(user_id=None, role=Role.ADMIN, system=True)


class Nature(LabelledEnum):
    """The three kinds of breach (art. 4(12) AVG); one breach can be several."""

    CONFIDENTIALITY = "confidentiality"
    INTEGRITY = "integrity"
    AVAILABILITY = "availability"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "confidentiality": "Vertrouwelijkheid (iemand kon gegevens zien die dat niet mocht)",
            "integrity": "Integriteit (gegevens zijn veranderd)",
            "availability": "Beschikbaarheid (gegevens zijn kwijt of onbereikbaar)",
        }


class IncidentType(LabelledEnum):
    """Nature of the incident: the option list of the EU notification template (2026)."""

    ABUSE_OF_ACCESS = "abuse_of_access"
    RANSOMWARE = "ransomware"
    HACKING_MALWARE = "hacking_malware"
    PHISHING = "phishing"
    EXPLOITED_VULNERABILITY = "exploited_vulnerability"
    UNAUTHORISED_ACCESS = "unauthorised_access"
    EXFILTRATION = "exfiltration"
    RECORD_MIXUP = "record_mixup"
    DEVICE_LOST_STOLEN = "device_lost_stolen"
    EWASTE = "ewaste"
    PAPER_DISPOSAL = "paper_disposal"
    MAIL_MISDELIVERED = "mail_misdelivered"
    MISCONFIGURATION = "misconfiguration"
    INCORRECT_PERMISSIONS = "incorrect_permissions"
    PAPER_LOST = "paper_lost"
    DATA_DELETED = "data_deleted"
    WRONG_RECIPIENT_DISPLAY = "wrong_recipient_display"
    SENT_BY_MISTAKE = "sent_by_mistake"
    NO_BCC = "no_bcc"
    TECHNICAL_MALFUNCTION = "technical_malfunction"
    UNAUTHORISED_MODIFICATION = "unauthorised_modification"
    UNINTENDED_PUBLICATION = "unintended_publication"
    VERBAL_DISCLOSURE = "verbal_disclosure"
    TO_BE_DETERMINED = "to_be_determined"
    OTHER = "other"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "abuse_of_access": "Misbruik van toegangsrechten door medewerker",
            "ransomware": "Gijzelsoftware (ransomware)",
            "hacking_malware": "Hack of malware",
            "phishing": "Phishing of social engineering",
            "exploited_vulnerability": "Misbruikte kwetsbaarheid",
            "unauthorised_access": "Ongeautoriseerde toegang tot systemen",
            "exfiltration": "Gegevens weggesluisd",
            "record_mixup": "Gegevens van de verkeerde persoon getoond of in verkeerd dossier",
            "device_lost_stolen": "Apparaat kwijt of gestolen",
            "ewaste": "Afgedankt apparaat met gegevens",
            "paper_disposal": "Papier onjuist weggegooid",
            "mail_misdelivered": "Post kwijt, geopend of verkeerd bezorgd",
            "misconfiguration": "Verkeerde instelling",
            "incorrect_permissions": "Te ruime toegangsrechten (gedeelde map, cloud)",
            "paper_lost": "Papier kwijt, gestolen of onbeheerd achtergelaten",
            "data_deleted": "Gegevens gewist of vernietigd",
            "wrong_recipient_display": "Gegevens getoond aan de verkeerde persoon",
            "sent_by_mistake": "Per ongeluk verstuurd (post of e-mail)",
            "no_bcc": "E-mail aan veel ontvangers zonder bcc",
            "technical_malfunction": "Technische storing",
            "unauthorised_modification": "Ongeautoriseerde wijziging",
            "unintended_publication": "Onbedoeld gepubliceerd",
            "verbal_disclosure": "Mondeling gedeeld",
            "to_be_determined": "Nog te bepalen",
            "other": "Anders",
        }
