"""``assess``: the triage engine's advice on the facts in a JSON file, without the app."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import click
from pydantic import ValidationError

from datalek import chronology, clock, triage
from datalek.cli.common import Refused
from datalek.handling import assessment
from datalek.triage.facts import Facts

_PYDANTIC_DUTCH = {
    "missing": "ontbreekt",
    "enum": "onbekende waarde",
    "literal_error": "onbekende waarde",
    "bool_type": "moet true of false zijn",
    "bool_parsing": "moet true of false zijn",
    "int_type": "moet een heel getal zijn",
    "int_parsing": "moet een heel getal zijn",
    "int_from_float": "moet een heel getal zijn",
    "float_type": "moet een getal zijn",
    "float_parsing": "moet een getal zijn",
    "greater_than_equal": "mag niet negatief zijn",
    "list_type": "moet een lijst zijn",
    "string_type": "moet tekst zijn",
    "datetime_type": "moet een datum en tijd zijn, zoals 2026-11-20T09:00:00+01:00",
    "datetime_parsing": "moet een datum en tijd zijn, zoals 2026-11-20T09:00:00+01:00",
    "datetime_from_date_parsing": "moet een datum en tijd zijn, zoals 2026-11-20T09:00:00+01:00",
    "timezone_aware": "moet een tijdzone hebben, zoals +01:00",
    "model_type": "moet een JSON-object zijn met de feiten",
}


#: Moments a facts file may carry next to ``aware_at`` (not facts of the engine: only checked).
MOMENTS = ("occurred_from", "occurred_to", "discovered_at", "notified_at")


def _moments(data) -> dict[str, datetime]:
    """Take the other moments out of the facts file's data, each as a datetime with a timezone."""
    if not isinstance(data, dict):
        return {}
    found, problems = {}, []
    for name in MOMENTS:
        text = data.pop(name, None)
        if text is None:
            continue
        try:
            found[name] = clock.require_aware(datetime.fromisoformat(str(text)))
        except ValueError:
            problems.append(f"{name}: {_PYDANTIC_DUTCH['datetime_parsing']}, met een tijdzone")
    if problems:
        raise Refused(f"De feiten kloppen niet: {'; '.join(problems)}")
    return found


def _dutch_problem(error: dict) -> str:
    where = ".".join(str(p) for p in error["loc"]) or "bestand"
    what = _PYDANTIC_DUTCH.get(error["type"], "ongeldige waarde")
    if error["type"] == "value_error" and "timezone" in error.get("msg", ""):
        what = _PYDANTIC_DUTCH["timezone_aware"]
    if error["type"] == "enum" and "expected" in error.get("ctx", {}):
        what += f" (kies uit {error['ctx']['expected'].replace(' or ', ' of ')})"
    return f"{where}: {what}"


@click.command()
@click.argument("facts_file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--schema", is_flag=True, help="Print the JSON schema of the facts and stop.")
def assess(facts_file: Path | None, schema: bool) -> None:
    """Print the triage advice (JSON) for the facts in FACTS_FILE (JSON).

    Next to aware_at the file may hold occurred_from, occurred_to, discovered_at and
    notified_at: they must be in order (occurred <= discovered <= aware <= notified <= now)."""
    if schema:
        click.echo(json.dumps(Facts.model_json_schema(), indent=2, ensure_ascii=False))
        return
    if facts_file is None:
        raise Refused("Geef een JSON-bestand met de feiten, of gebruik --schema.")
    try:
        data = json.loads(facts_file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise Refused(f"Bestand {facts_file} bestaat niet.") from None
    except UnicodeDecodeError:
        raise Refused(f"Bestand {facts_file} is geen tekstbestand (UTF-8).") from None
    except json.JSONDecodeError as exc:
        raise Refused(f"Het bestand is geen geldige JSON (regel {exc.lineno}, kolom {exc.colno}).") from None
    others = _moments(data)
    try:
        facts = Facts.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(_dutch_problem(e) for e in exc.errors())
        raise Refused(f"De feiten kloppen niet: {problems}") from None
    # The same rules as the FG's form: a kind of count without its number contradicts itself.
    if contradictions := assessment.count_errors(facts):
        problems = "; ".join(f"{field}: {message}" for field, message in contradictions.items())
        raise Refused(f"De feiten kloppen niet: {problems}")
    # The moments in their order (occurred ≤ discovered ≤ aware ≤ notified ≤ now), as everywhere.
    if clashes := chronology.check(now=clock.now(), aware_at=facts.aware_at, **others):
        raise Refused("De momenten kloppen niet: " + " ".join(clashes.values()))
    click.echo(triage.assess(facts).model_dump_json(indent=2))
