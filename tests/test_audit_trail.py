"""Every action the code writes to the audit trail has a Dutch name for the beheerder."""

from __future__ import annotations

import re
from pathlib import Path

from datalek.accounts import audit_trail

ROOT = Path(__file__).resolve().parents[1] / "datalek"
# audit.append(db, actor, "code", ...) and f"authority.{kind.value}" for the three AP kinds
_LITERAL = re.compile(r"audit\.append\(\s*db,\s*[^,]+,\s*\"([a-z_.]+)\"")


def written_actions() -> set[str]:
    found = set()
    for path in ROOT.rglob("*.py"):
        found |= set(_LITERAL.findall(path.read_text()))
    return found | {"authority.initial", "authority.supplement", "authority.withdrawal"}


def test_every_written_action_has_a_dutch_label():
    actions = written_actions()
    assert len(actions) > 25  # the scan finds the real calls
    assert sorted(a for a in actions if a not in audit_trail.LABELS) == []


def test_an_unknown_code_is_shown_as_it_is():
    assert audit_trail.label("something.new") == "something.new"
    assert audit_trail.label("signin") == "Aangemeld"
