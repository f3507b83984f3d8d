"""The audit page shows no raw code: every code a detail can hold (a kind, a theme, a relation,
a reader, a channel, ...) has a Dutch label in ``pages.audit.VALUE_LABELS``. Found two ways: a
scan of every ``audit.append`` call for the keys whose sentence names a code, and the page
itself, rendered over a demo database with an entry for every code there is."""

from __future__ import annotations

import ast
from enum import Enum

import navigation
from datalek import config, store
from datalek.accounts import audit, audit_phrases
from datalek.demo import dataset
from datalek.models import Actor
from pages.audit import VALUE_LABELS
from tests.pages.conftest import signed_in
from tests.test_audit_trail import ROOT, _codes, _is_audit_append, source_files

#: Detail keys whose sentence shows a code through the labels the screen passes.
CODED = ("channel", "inform", "kind", "recipient", "relation", "risk", "status", "theme")


def _labels_for(action: str, key: str) -> dict[str, str] | None:
    found = VALUE_LABELS.get(f"{action}:{key}") or VALUE_LABELS.get(key)
    if found is None:
        return None
    if isinstance(found, type) and issubclass(found, Enum):
        return {m.value: m.label for m in found}
    return dict(found)


def _coded_details() -> list[tuple[str, str, str]]:
    """(where, action, key) for every coded detail an ``audit.append`` call writes."""
    found = []
    for path in source_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not _is_audit_append(node):
                continue
            expr = (
                node.args[2]
                if len(node.args) > 2
                else next(k.value for k in node.keywords if k.arg == "action")
            )
            for keyword in node.keywords:
                value = ast.unparse(keyword.value)
                if keyword.arg not in CODED or value.startswith("bool("):
                    continue  # a yes/no (the informing's risk) reads as ja/nee
                for action in sorted(_codes(expr) or ()):
                    found.append((f"{path.relative_to(ROOT)}:{node.lineno}", action, keyword.arg))
    return sorted(set(found))


def test_every_coded_detail_written_has_dutch_labels():
    found = _coded_details()
    assert len(found) > 10, "the scan finds the calls"
    missing = [f"{where} {action}:{key}" for where, action, key in found if _labels_for(action, key) is None]
    assert missing == [], "add the labels to pages.audit.VALUE_LABELS"


def test_the_audit_page_over_a_demo_database_shows_no_raw_code(world, db_path, monkeypatch):
    dataset.generate(str(db_path), 40, 1, seed=3, with_accounts=False)
    written = []
    with store.unit() as db, store.write(db):
        incident_id = db.execute("SELECT min(id) FROM incidents").fetchone()[0]
        for action, key in sorted({(a, k) for _, a, k in _coded_details()}):
            labels = _labels_for(action, key)
            assert labels is not None, f"no Dutch labels for {action}:{key}"
            for code, label in sorted(labels.items()):
                audit.append(db, Actor.cli(), action, "incident", incident_id, **{key: code})
                written.append((action, key, code, label))
    monkeypatch.setattr(config, "AUDIT_ENTRIES_SHOWN", len(written) + 50)
    at = signed_in(world["admin"], navigation.AUDIT)
    assert not at.exception, at.exception
    [table] = at.dataframe
    details = list(table.value["Details"])[: len(written)][::-1]  # newest first on the page
    raw = [
        (action, key, code, shown)
        for (action, key, code, label), shown in zip(written, details, strict=True)
        if label not in shown
        or (audit_phrases.readable(code) not in label and audit_phrases.readable(code) in shown)
    ]
    assert raw == []
