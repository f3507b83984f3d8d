"""Which unknown facts would change the advice: the rules re-run with known answers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from datalek.intake.situations import CountKind, Retrieval
from datalek.triage.advice import MissingFact
from datalek.triage.breach import is_breach
from datalek.triage.context import A, C, D, R, _known_categories, _people
from datalek.triage.enisa import enisa_score
from datalek.triage.facts import (
    AvailabilityEffect,
    AvailabilityState,
    Cause,
    ConfidentialityState,
    DataCategory,
    Exfiltration,
    Facts,
    PeopleGroup,
    Unintelligible,
)
from datalek.triage.questions import LABELS
from datalek.triage.rules import verdict

# --- 6. what the missing facts would change ---------------------------------------------------------


class _LazyEnisa:
    """The ENISA score, computed only when a rule asks for it: keeps the re-runs cheap."""

    def __init__(self, facts: Facts):
        self._facts, self._score = facts, None

    def __getattr__(self, name: str):
        if self._score is None:
            self._score = enisa_score(self._facts)
        return getattr(self._score, name)


def _outcome(f: Facts) -> tuple[bool, bool]:
    """Notify and inform for these facts: rules 1 to 5, without rule 6 (so no recursion)."""
    if not is_breach(f):
        return False, False
    v = verdict(f, _LazyEnisa(f))  # type: ignore[arg-type]
    return v.notify, v.inform


Answer = tuple[dict, str]  # (changes to the facts, Dutch condition for "Als ...")


@dataclass(frozen=True)
class _Question:
    field: str
    label: str
    is_open: Callable[[Facts, list[str]], bool]  # (facts, unknown key facts)
    answers: Callable[[Facts], tuple[Answer, Answer]]  # (favourable, unfavourable)
    always: bool = True  # listed even when no answer changes the advice (a key fact)


def _known_plus(f: Facts, *extra: DataCategory) -> list[DataCategory]:
    return [c for c in f.data_categories if c is not D.UNKNOWN] + list(extra)


def _groups_plus(f: Facts, *extra: PeopleGroup) -> list[PeopleGroup]:
    return [g for g in f.groups if g is not PeopleGroup.UNKNOWN] + list(extra)


_BACKUP = {"backup_available": True, "availability": AvailabilityState.TEMPORARY, "restore_hours": 4.0}
QUESTIONS = (
    _Question(
        "natures",
        LABELS["natures"],
        lambda f, u: "natures" in u,
        lambda f: (
            (
                {"natures": [A], **_BACKUP},
                "de gegevens alleen tijdelijk onbereikbaar waren en binnen een dag terug zijn",
            ),
            (
                {"natures": [C], "confidentiality": ConfidentialityState.DISCLOSED},
                "iemand de gegevens heeft gezien",
            ),
        ),
    ),
    _Question(
        "data_categories",
        LABELS["data_categories"],
        lambda f, u: "data_categories" in u,
        lambda f: (
            ({"data_categories": _known_plus(f)}, "er geen andere gegevens bij zitten dan wat al bekend is")
            if _known_plus(f)
            else ({"data_categories": [D.BASIC, D.CONTACT]}, "het alleen om naam en contactgegevens gaat"),
            ({"data_categories": _known_plus(f, D.HEALTH)}, "er gezondheidsgegevens bij zitten"),
        ),
    ),
    _Question(
        "data_categories",
        "Waar de inloggegevens toegang toe geven",
        lambda f, u: "data_categories" not in u and _known_categories(f) == {D.CREDENTIALS},
        lambda f: (
            ({"data_categories": [D.CREDENTIALS, D.BASIC]}, "ze alleen toegang geven tot naam en adres"),
            (
                {"data_categories": [D.CREDENTIALS, D.BASIC, D.HEALTH]},
                "ze toegang geven tot gezondheidsgegevens",
            ),
        ),
    ),
    _Question(
        "groups",
        LABELS["groups"],
        lambda f, u: "groups" in u,
        lambda f: (
            (
                {"groups": _groups_plus(f) or [PeopleGroup.EMPLOYEES]},
                "het alleen om volwassenen gaat die niet kwetsbaar zijn",
            ),
            ({"groups": _groups_plus(f, PeopleGroup.MINORS)}, "er kinderen bij zijn"),
        ),
    ),
    _Question(
        "recipients",
        LABELS["recipients"],
        lambda f, u: "recipients" in u,
        lambda f: (
            (
                {"recipients": [R.TRUSTED], "retrieval": Retrieval.CONFIRMED},
                "de ontvanger een professional met geheimhoudingsplicht is die verwijdering bevestigt",
            ),
            ({"recipients": [R.UNKNOWN]}, "onbekenden de gegevens hebben"),
        ),
    ),
    _Question(
        "confidentiality",
        LABELS["confidentiality"],
        lambda f, u: "confidentiality" in u,
        lambda f: (
            (
                {"confidentiality": ConfidentialityState.NOT_DISCLOSED},
                "met bewijs vaststaat dat niemand ze zag",
            ),
            ({"confidentiality": ConfidentialityState.DISCLOSED}, "iemand ze heeft gezien"),
        ),
    ),
    _Question(
        "unintelligible",
        LABELS["unintelligible"],
        lambda f, u: "unintelligible" in u,
        lambda f: (
            ({"unintelligible": Unintelligible.INTACT}, "ze goed versleuteld waren en de sleutel veilig is"),
            ({"unintelligible": Unintelligible.NO}, "ze leesbaar waren"),
        ),
    ),
    _Question(
        "exfiltration",
        LABELS["exfiltration"],
        lambda f, u: "exfiltration" in u,
        lambda f: (
            ({"exfiltration": Exfiltration.EXCLUDED}, "met bewijs is uitgesloten dat er iets is weggesluisd"),
            ({"exfiltration": Exfiltration.CONFIRMED}, "er gegevens zijn weggesluisd"),
        ),
    ),
    _Question(
        "backup_available",
        LABELS["backup_available"],
        lambda f, u: "backup_available" in u,
        lambda f: (
            (_BACKUP, "ze binnen een dag uit een back-up zijn teruggezet"),
            (
                {"backup_available": False, "availability": AvailabilityState.PERMANENT},
                "ze blijvend kwijt zijn",
            ),
        ),
    ),
    _Question(
        "cause",
        LABELS["cause"],
        lambda f, u: f.cause in (Cause.TBD, Cause.UNKNOWN),
        lambda f: (
            ({"cause": Cause.INTERNAL_NON_MALICIOUS}, "het per ongeluk gebeurde"),
            ({"cause": Cause.EXTERNAL_MALICIOUS}, "er opzet in het spel is"),
        ),
        always=False,
    ),
    _Question(
        "people_count",
        LABELS["people_count"],
        lambda f, u: _people(f) is None,
        lambda f: (
            ({"people_count_kind": CountKind.EXACT, "people_count": 1}, "het om één persoon gaat"),
            (
                {"people_count_kind": CountKind.APPROXIMATE, "people_count": 5000},
                "het om duizenden mensen gaat",
            ),
        ),
        always=False,
    ),
    _Question(
        "availability_effect",
        LABELS["availability_effect"],
        lambda f, u: "availability_effect" in u,
        lambda f: (
            (
                {"availability_effect": AvailabilityEffect.NONE},
                "niemand hulp, zorg of een besluit later kreeg",
            ),
            ({"availability_effect": AvailabilityEffect.HARM}, "iemand daardoor schade kan hebben"),
        ),
    ),
    _Question(
        "effect_hours",
        LABELS["effect_hours"],
        lambda f, u: (
            A in f.natures and f.availability_effect is AvailabilityEffect.DELAYED and f.effect_hours is None
        ),
        lambda f: (
            ({"effect_hours": 1.0}, "het om een paar uur ging"),
            ({"effect_hours": 48.0}, "het langer dan een dag duurde"),
        ),
        always=False,
    ),
)


def _consequence(before: tuple[bool, bool], after: tuple[bool, bool]) -> str:
    parts = []
    if after[0] != before[0]:
        parts.append("moet je melden bij de AP" if after[0] else "hoef je niet te melden bij de AP")
    if after[1] != before[1]:
        parts.append(
            "moet je de betrokkenen informeren" if after[1] else "hoef je de betrokkenen niet te informeren"
        )
    return " en ".join(parts)


def missing_facts(f: Facts, base: tuple[bool, bool], unknown: list[str]) -> list[MissingFact]:
    """Rule 6 (docs/domain/rules.md §6): for each open question, re-run rules 1 to 5 with a favourable and an
    unfavourable answer, the other open questions left open. If that changes nothing, once more
    with the others answered the same way (all favourable, or all unfavourable) — reported only
    when this question's answer is what makes the difference there."""
    questions = [q for q in QUESTIONS if q.is_open(f, unknown)]
    answers = {id(q): q.answers(f) for q in questions}
    seen: dict[tuple, tuple[bool, bool]] = {}

    def outcome(update: dict) -> tuple[bool, bool]:
        key = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in update.items()))
        if key not in seen:
            seen[key] = _outcome(f.model_copy(update=update))
        return seen[key]

    found = []
    for q in questions:
        others = [answers[id(o)] for o in questions if o is not q]
        effects: list[tuple[str, str, str]] = []  # (condition, context, consequence)
        for side, (changes, condition) in enumerate(answers[id(q)]):
            after, context_text = outcome(changes), ""
            if after == base and others:
                context = {k: v for pair in others for k, v in pair[side][0].items()}
                if outcome(context) == base:
                    after = outcome({**context, **changes})
                    context_text = (
                        " en de andere open vragen ook "
                        + ("gunstig" if side == 0 else "ongunstig")
                        + " uitvallen"
                    )
            if after != base:
                effects.append((condition, context_text, _consequence(base, after)))
        if len(effects) == 2 and effects[0][2] == effects[1][2] and not (effects[0][1] or effects[1][1]):
            effect = f"Zodra dit bekend is, {effects[0][2]}, welk antwoord het ook is."
        elif effects:
            effect = " ".join(
                f"Als {condition}{context}, {consequence}." for condition, context, consequence in effects
            )
        elif q.always:
            effect = "Het advies blijft hetzelfde, maar de AP vraagt ernaar: vul het aan zodra je het weet."
        else:
            continue
        found.append(MissingFact(field=q.field, label=q.label, effect=effect))
    return found
