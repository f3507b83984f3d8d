"""The audit trail reads as Dutch: every action code the code writes has a Dutch name (found by
scanning the source, so a new code without one fails here), every refused action too, and an
entry shows names instead of numbers and its details as sentences."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from datalek import store
from datalek.accounts import audit, audit_trail, sessions
from datalek.accounts.permissions import Action, PermissionDenied
from datalek.accounts.users import set_active, set_password
from datalek.actions.authority import NotificationKind
from datalek.actions.informing import Channel
from datalek.handling import incidents
from datalek.models import Actor
from tests.conftest import NOW, make_report

ROOT = Path(__file__).resolve().parents[1]
#: Everything that can write to the trail: the core, the screens, the server's routes.
SOURCES = [ROOT / "datalek", ROOT / "pages", ROOT / "ui", ROOT / "web", ROOT / "app.py", ROOT / "server.py"]
#: Codes built at run time, and what they can become.
DYNAMIC = {"f'authority.{kind.value}'": {f"authority.{k.value}" for k in NotificationKind}}


def source_files() -> list[Path]:
    found = []
    for place in SOURCES:
        if place.is_file():
            found.append(place)
        elif place.is_dir():
            found += sorted(place.rglob("*.py"))
    return found


def _is_audit_append(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "append"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "audit"
    )


def _codes(expr: ast.expr) -> set[str] | None:
    """The codes an expression can be: a literal, either side of ``a if c else b``, or a known
    dynamic code; None when the scan cannot tell (the test then fails and names the call)."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return {expr.value}
    if isinstance(expr, ast.IfExp):
        body, orelse = _codes(expr.body), _codes(expr.orelse)
        return None if body is None or orelse is None else body | orelse
    return DYNAMIC.get(ast.unparse(expr))


def written_actions() -> tuple[set[str], list[str], set[str]]:
    """(every action code written, the calls whose code the scan cannot tell, detail keys)."""
    codes, unknown, keys = set(), [], set()
    for path in source_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not _is_audit_append(node):
                continue
            expr = (
                node.args[2]
                if len(node.args) > 2
                else next(k.value for k in node.keywords if k.arg == "action")
            )
            found = _codes(expr)
            if found is None:
                unknown.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(expr)}")
            else:
                codes |= found
            keys |= {k.arg for k in node.keywords if k.arg and k.arg != "action"}
    return codes, unknown, keys


def test_the_scan_finds_the_real_calls():
    codes, _, keys = written_actions()
    assert len(codes) > 40
    assert {"signin", "user.grant_dpo", "invitation.dpo", "sessions_ended", "authority.withdrawal"} <= codes
    assert {"attempted", "reason", "org_ids"} <= keys


def test_every_written_action_has_a_dutch_label():
    codes, unknown, _ = written_actions()
    assert unknown == [], "add the code(s) to DYNAMIC in this test, with what they can become"
    assert sorted(c for c in codes if c not in audit_trail.LABELS) == []
    # written by the audit module itself, not through audit.append
    assert {audit.ANCHOR_ACTION, audit.BASELINE_ACTION} <= set(audit_trail.LABELS)
    assert "legacy_until" in audit_trail.PHRASES


def test_every_refusable_action_reads_as_dutch():
    assert sorted(a.value for a in Action if a not in audit_trail.ATTEMPTS) == []


def test_every_detail_key_written_reads_as_a_sentence():
    _, _, keys = written_actions()
    pairs = {key for pair in audit_trail.PAIRS for key in pair}
    assert sorted(k for k in keys if k not in audit_trail.PHRASES and k not in pairs) == []


def test_an_unknown_code_still_reads():
    assert audit_trail.label("signin.locked_out") == "Overige actie: signin locked out"
    assert audit_trail.label("signin") == "Aangemeld"
    assert audit_trail.attempted_label("something.new") == "something new"


def entries_by_action(db, world) -> dict[str, audit_trail.Entry]:
    found = audit_trail.readable_entries(db, world["admin"], 50, {"channel": Channel})
    return {e.action: e for e in reversed(found)}  # the newest of each action wins


def test_an_entry_names_accounts_organisations_and_incidents(fresh_db, world):
    incident = incidents.submit_report(fresh_db, world["reporter"], make_report(world.org.id), at=NOW)
    incidents.read_incident(fresh_db, world["dpo"], incident.id)
    with pytest.raises(PermissionDenied):
        incidents.read_incident(fresh_db, world["admin"], incident.id)
    shown = entries_by_action(fresh_db, world)

    opened = shown["Melding geopend"]
    assert (opened.who, opened.role) == ("Dpo", "Functionaris gegevensbescherming (FG)")
    assert opened.about == f"Melding {incident.reference}"
    made = shown["Melding gedaan"]
    assert made.who == "Reporter" and made.role == "Medewerker / melder"
    assert "Organisatie: Gemeente Test." in made.details
    refused = shown["Actie geweigerd (geen toegang)"]
    assert (refused.who, refused.role) == ("Admin", "Beheerder")
    assert refused.details == "Geprobeerd: een melding openen."
    for entry in shown.values():
        assert "{" not in entry.details and "_" not in entry.details  # no JSON, no codes


def test_account_changes_read_as_sentences(fresh_db, world):
    target = world["reporter2"]
    sessions.open_session(fresh_db, target.user_id, method="password", client="127.0.0.1", user_agent="t")
    set_password(fresh_db, world["admin"], target.user_id, "een heel nieuw wachtwoord")
    set_active(fresh_db, Actor.cli(), target.user_id, False)
    shown = entries_by_action(fresh_db, world)

    assert shown["Wachtwoord gewijzigd"].about == "Account: Reporter2"
    ended = shown["Alle sessies van het account beëindigd"]
    assert ended.who == "Niet aangemeld"
    assert ended.details == "Reden: nieuw wachtwoord. Aantal: 1."
    disabled = shown["Account uitgeschakeld"]
    assert (disabled.who, disabled.role) == ("Server (opdrachtregel)", "Server (opdrachtregel)")


def test_codes_in_details_take_the_labels_the_screen_passes(fresh_db, world):
    with store.write(fresh_db):
        audit.append(
            fresh_db, world["dpo"], "subjects.notice", "incident", 999, people_count=2, channel="letter"
        )
        audit.append(
            fresh_db,
            world["dpo"],
            "incident.status",
            "incident",
            999,
            from_status="reported",
            to_status="in_progress",
        )
        audit.append(fresh_db, None, "something.new", "thing", 5, new_flag=True)
    shown = entries_by_action(fresh_db, world)
    assert shown["Informeren van betrokkenen vastgelegd"].details == "2 personen. Via: Brief."
    assert shown["Informeren van betrokkenen vastgelegd"].about == "Melding nr. 999"
    assert shown["Status gewijzigd"].details == "Van gemeld naar in behandeling."
    other = shown["Overige actie: something new"]
    assert (other.about, other.details) == ("Thing 5", "New flag: ja.")


def test_only_the_beheerder_reads_the_trail(fresh_db, world):
    for key in ("dpo", "reporter", "management"):
        with pytest.raises(PermissionDenied):
            audit_trail.readable_entries(fresh_db, world[key])
    entry = json.loads(
        fresh_db.execute("SELECT detail FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()[0]
    )
    assert entry == {"attempted": "audit.read"}
