"""What the employee answered in a demo report: the kinds of data, the groups of people and
how many, how it happened. Youth care concerns children and their parents; so do a share of
a municipality's breaches in its departments with youth tasks."""

from __future__ import annotations

import random

from datalek.intake.report import applicable
from datalek.intake.situations import (
    CountKind,
    DataKind,
    Occurrence,
    Protection,
    Recipient,
    Retrieval,
    Situation,
    SubjectGroup,
)

#: Municipal departments with youth tasks (Jeugdwet: the wijkteams of the social domain), and
#: the share of their breaches that concern a child and its parents.
YOUTH_DEPARTMENTS = {"Jeugd": 0.7, "Sociaal Domein": 0.35}


def youth_groups(answers: dict, department: str, reference_key: str) -> dict:
    """A municipality's youth-care case involves a child and its parents: the subject groups of
    a share of the breaches of its departments with youth tasks, drawn from the incident's own
    random stream (the rest of the demo stays as it was)."""
    share = YOUTH_DEPARTMENTS.get(department, 0)
    if not share or random.Random(f"youth-{reference_key}").random() >= share:
        return answers
    groups = [SubjectGroup.CHILDREN.value, SubjectGroup.PARENTS.value]
    return {**answers, "subject_groups": groups}


def _people(rng: random.Random) -> tuple[str, int | None]:
    kind = rng.choices(["exact", "approximate", "unknown"], [70, 22, 8])[0]
    if kind == "unknown":
        return kind, None
    size = rng.choices([1, rng.randint(2, 5), rng.randint(6, 60), rng.randint(61, 2000)], [55, 25, 14, 6])[0]
    return kind, size


def answers(rng: random.Random, situation: Situation, youth: bool) -> dict:
    asks = applicable(situation)
    kinds = {DataKind.NAME_ADDRESS}
    kinds |= set(
        rng.sample(
            [
                DataKind.CONTACT,
                DataKind.BSN,
                DataKind.FINANCIAL,
                DataKind.HEALTH,
                DataKind.CARE_FILE,
                DataKind.ID_COPY,
            ],
            k=rng.randint(0, 2),
        )
    )
    if youth and rng.random() < 0.5:
        kinds.add(DataKind.CARE_FILE)
    if youth and rng.random() < 0.08:
        kinds.add(DataKind.CHILD_PROTECTION)
    groups = (
        [SubjectGroup.CHILDREN, SubjectGroup.PARENTS]
        if youth and rng.random() < 0.6
        else [rng.choice([SubjectGroup.CLIENTS, SubjectGroup.RESIDENTS, SubjectGroup.EMPLOYEES])]
    )
    count_kind, count = _people(rng)
    return {
        "occurrence": rng.choices([o.value for o in Occurrence], [80, 8, 2, 10])[0],
        "data_kinds": sorted(k.value for k in kinds),
        "subject_groups": sorted(g.value for g in groups),
        "people_count_kind": CountKind(count_kind).value,
        "people_count": count,
        "protection": rng.choice(list(Protection)).value if asks["protection"] else None,
        "recipients": [rng.choices([r.value for r in Recipient], [30, 45, 12, 5, 8])[0]]
        if asks["recipients"]
        else None,
        "retrieval": rng.choices([r.value for r in Retrieval], [45, 20, 20, 15])[0]
        if asks["retrieval"]
        else None,
    }
