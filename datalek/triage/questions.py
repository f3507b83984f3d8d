"""The key facts the engine asks about when they are unknown, with their Dutch names.

``rules`` names the open questions in its advice and ``missing`` re-runs the rules for each
of them; both take the names from here.
"""

from __future__ import annotations

LABELS: dict[str, str] = {
    "natures": "Wat voor inbreuk het is",
    "data_categories": "Welke soorten gegevens het betreft",
    "groups": "Over wie het gaat",
    "recipients": "Wie de gegevens heeft gekregen",
    "confidentiality": "Of de gegevens echt zijn ingezien",
    "unintelligible": "Of de gegevens versleuteld waren",
    "exfiltration": "Of er gegevens zijn weggesluisd",
    "backup_available": "Of de gegevens terug zijn (back-up, hersteltijd)",
    "cause": "Hoe het is gebeurd (per ongeluk of met opzet)",
    "people_count": "Hoeveel mensen het betreft",
    "availability_effect": "Of hulp, zorg of besluiten over mensen zijn vertraagd door de onbeschikbaarheid",
    "effect_hours": "Hoe lang hulp, zorg of besluiten zijn vertraagd",
}
