"""Is it a breach at all (art. 4 sub 12 AVG); lawful sharing is not."""

from __future__ import annotations

from datalek.triage.advice import Reason
from datalek.triage.facts import Facts, LawfulBasis

# --- 1. is it a breach ------------------------------------------------------------------------


def is_breach(f: Facts) -> bool:
    """Art. 4 sub 12 AVG: personal data, and no legal basis for what happened to them."""
    return f.personal_data and f.lawful_basis is LawfulBasis.NONE


def breach_reasons(f: Facts) -> tuple[bool, list[Reason]]:
    """Art. 4 sub 12 AVG; lawful sharing is no breach but is recorded with its basis
    (docs/domain/youth-care.md §3; handreiking jeugddomein §1.6, afwegingskader bijlage 6)."""
    if not f.personal_data:
        return False, [
            Reason(
                text="Er zijn geen persoonsgegevens bij betrokken. Dit is dus geen datalek. Leg het "
                "wel vast in het register.",
                ref="art. 4 sub 12 AVG",
            )
        ]
    if not is_breach(f):
        return False, [
            Reason(
                text=f"De gegevens zijn gedeeld met een geldige grondslag: {f.lawful_basis.label}. Dat "
                "is geen datalek. Leg de melding vast als 'geen datalek', met deze grondslag.",
                ref="art. 6 AVG; handreiking jeugddomein §1.6 en bijlage 6",
            )
        ]
    return True, [
        Reason(
            text="Persoonsgegevens zijn zonder grondslag bij een ander terechtgekomen, veranderd of "
            "kwijtgeraakt. Dit is een datalek.",
            ref="art. 4 sub 12 AVG",
        )
    ]
