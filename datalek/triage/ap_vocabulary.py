"""The vocabulary of the AP form's own questions that the triage engine does not weigh: another
organisation involved, the security measures in place, cross-border processing, and the
consequences with their severity (EU template option lists, docs/domain/ap-form.md §2)."""

from __future__ import annotations

from datalek.models import LabelledEnum


class OtherOrganisation(LabelledEnum):
    """Another organisation involved in the breach (AP form §1)."""

    NONE = "none"
    PROCESSOR = "processor"
    JOINT_CONTROLLER = "joint_controller"
    OTHER = "other"
    TBD = "tbd"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "none": "Nee, geen andere organisatie",
            "processor": "Ja, een verwerker",
            "joint_controller": "Ja, een gezamenlijk verwerkingsverantwoordelijke",
            "other": "Ja, een andere organisatie",
            "tbd": "Nog te bepalen",
        }


class SecurityMeasure(LabelledEnum):
    """Security measures in place before the breach (EU template list; AP form §6)."""

    PSEUDONYMISATION = "pseudonymisation"
    BACKUP = "backup"
    ENCRYPTION = "encryption"
    POLICIES = "policies"
    TRAINING = "training"
    INCIDENT_LOG = "incident_log"
    ACCESS_LEVELS = "access_levels"
    ACCESS_CONTROL = "access_control"
    AUDITS = "audits"
    PHYSICAL_ACCESS = "physical_access"
    UP_TO_DATE = "up_to_date"
    OTHER = "other"
    NONE = "none"
    TBD = "tbd"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "pseudonymisation": "Pseudonimisering",
            "backup": "Back-up en herstel",
            "encryption": "Versleuteling",
            "policies": "Beleid en werkinstructies",
            "training": "Training en bewustwording",
            "incident_log": "Registratie van incidenten",
            "access_levels": "Toegangsniveaus (alleen wie het nodig heeft)",
            "access_control": "Logische toegangsbeveiliging (zoals tweestapsverificatie)",
            "audits": "Audits en controles",
            "physical_access": "Fysieke toegangsbeveiliging",
            "up_to_date": "Systemen up-to-date (updates en patches)",
            "other": "Anders",
            "none": "Geen",
            "tbd": "Nog te bepalen",
        }


class CrossBorder(LabelledEnum):
    """Cross-border processing (AP form §8, international aspects)."""

    NO = "no"
    YES = "yes"
    TBD = "tbd"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "no": "Nee, alleen in Nederland",
            "yes": "Ja, grensoverschrijdende verwerking",
            "tbd": "Nog te bepalen",
        }


class Impact(LabelledEnum):
    """Consequences for the people involved (EU template impact list; AP form §7)."""

    LOSS_OF_CONTROL = "loss_of_control"
    LIMITATION_OF_RIGHTS = "limitation_of_rights"
    DISCRIMINATION = "discrimination"
    IDENTITY_THEFT = "identity_theft"
    FRAUD = "fraud"
    FINANCIAL_LOSS = "financial_loss"
    REVERSED_PSEUDONYMISATION = "reversed_pseudonymisation"
    REPUTATION = "reputation"
    PROFESSIONAL_SECRECY = "professional_secrecy"
    DISCLOSURE = "disclosure"
    DISADVANTAGE = "disadvantage"
    PHYSICAL_MENTAL_HARM = "physical_mental_harm"
    MATERIAL_DAMAGE = "material_damage"
    OTHER = "other"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "loss_of_control": "Verlies van controle over de eigen persoonsgegevens",
            "limitation_of_rights": "Beperking van rechten",
            "discrimination": "Discriminatie",
            "identity_theft": "Identiteitsdiefstal",
            "fraud": "Fraude",
            "financial_loss": "Financiële schade",
            "reversed_pseudonymisation": "Ongedaan maken van pseudonimisering",
            "reputation": "Schade aan de goede naam",
            "professional_secrecy": "Verlies van vertrouwelijkheid van gegevens onder beroepsgeheim",
            "disclosure": "Gegevens bekend bij onbevoegden",
            "disadvantage": "Aanzienlijk economisch of maatschappelijk nadeel",
            "physical_mental_harm": "Lichamelijke of psychische schade",
            "material_damage": "Materiële schade",
            "other": "Anders",
        }


class Severity(LabelledEnum):
    """How severe the consequences are, in the AP form's terms (EU template: minor, moderate,
    severe, to be determined)."""

    MINOR = "minor"
    MODERATE = "moderate"
    SEVERE = "severe"
    TBD = "tbd"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {"minor": "Gering", "moderate": "Aanzienlijk", "severe": "Ernstig", "tbd": "Nog niet bekend"}
