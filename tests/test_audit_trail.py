"""The audit trail reads as Dutch: every action code the code writes has a Dutch name (found by
scanning the source, so a new code without one fails here), every refused action too, and an
entry shows names instead of numbers and its details as sentences."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from datalek import store
from datalek.accounts import audit, audit_labels, audit_phrases, audit_trail, sessions
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
    assert "legacy_until" in audit_phrases.PHRASES


def test_every_refusable_action_reads_as_dutch():
    assert sorted(a.value for a in Action if a not in audit_labels.ATTEMPTS) == []


def test_every_detail_key_written_reads_as_a_sentence():
    _, _, keys = written_actions()
    pairs = {key for pair in audit_phrases.PAIRS for key in pair}
    assert sorted(k for k in keys if k not in audit_phrases.PHRASES and k not in pairs) == []


def test_an_unknown_code_still_reads():
    assert audit_trail.label("signin.locked_out") == "Overige actie: signin locked out"
    assert audit_trail.label("signin") == "Aangemeld"
    assert audit_phrases.attempted_label("something.new") == "something new"


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


# --- the entries of evidence, lessons and the informing list in families (issues #15, #17) ---


def test_evidence_a_lesson_and_a_family_read_as_dutch_sentences(fresh_db, world):
    """Codes and ids only in the trail, and a sentence for each; a lesson without a measure
    says nothing about a measure. The screen passes the labels of the themes and relations."""
    from datalek.actions.addressees import Relation
    from datalek.handling.lessons import LessonTheme

    digest = "ab" * 32
    with store.write(fresh_db):
        for action, detail in [
            ("evidence.attach", {"evidence_id": 3, "kind": "pdf", "size": 14_336, "sha256": digest}),
            ("lesson.record", {"lesson_id": 2, "theme": "email", "prevention": "none", "measure_id": None}),
            ("subjects.member", {"household_id": 4, "member_id": 9, "relation": "parent_gezag"}),
            ("subjects.family_safety", {"household_id": 4, "flagged": 1, "postponed": True}),
            ("subjects.deviation", {"member_id": 9, "deviation": "exclude"}),
        ]:
            audit.append(fresh_db, world["dpo"], action, "incident", 999, **detail)
    found = audit_trail.readable_entries(
        fresh_db, world["admin"], 10, {"theme": LessonTheme, "relation": Relation}
    )
    shown = {e.action: e.details for e in found}
    assert shown["Bewijsstuk toegevoegd"] == (
        f"Soort: pdf. Bewijsstuk nr. 3. Grootte: 14 kB. Controlecode (SHA-256): {digest}."
    )
    assert shown["Les uit een incident vastgelegd"] == (
        "Les nr. 2. Thema: E-mail en adressering. Er volgt geen preventieve maatregel."
    )
    assert shown["Persoon toegevoegd aan de lijst om te informeren"] == (
        f"Gezin nr. 4. Persoon nr. 9. Relatie: {Relation.PARENT_GEZAG.label}."
    )
    assert shown["Veiligheid van een gezin beoordeeld"] == (
        "Gezin nr. 4. 1 persoon krijgt nooit een bericht (veiligheid). Informeren uitgesteld."
    )
    assert shown["Afwijking van de regel voor een persoon vastgelegd"] == (
        "Persoon nr. 9. Afwijking: deze persoon krijgt geen bericht."
    )
    for details in shown.values():
        assert "None" not in details and "{" not in details


@pytest.mark.parametrize(
    ("key", "value", "sentence"),
    [
        ("size", 812, "Grootte: 812 bytes."),
        ("size", 2_411_725, "Grootte: 2,3 MB."),
        ("prevention", "measure", "Er volgt een preventieve maatregel."),
        ("measure_id", 7, "Maatregel nr. 7."),
        ("measure_id", None, ""),
        ("deviation", "include", "Afwijking: deze persoon krijgt toch een bericht."),
        ("deviation", "", "Geen afwijking meer: het voorstel geldt weer."),
        ("flagged", 0, "Niemand in het gezin is een risico voor de veiligheid."),
        ("flagged", 2, "2 personen krijgen nooit een bericht (veiligheid)."),
        ("postponed", False, ""),
        ("duplicate_of", None, ""),
        ("shown", ["access", "email"], "2 thema's getoond."),
        ("hidden", ["paper"], "1 thema niet meer getoond."),
        ("hidden", [], ""),
    ],
    ids=lambda v: str(v) if not isinstance(v, list) else f"list{len(v)}",
)
def test_the_new_details_read_as_sentences(key, value, sentence):
    names = audit_phrases.Names({}, {}, {})
    assert audit_phrases.details_sentence("x", {key: value}, names) == sentence


def test_a_duplicate_names_the_main_report_and_an_export_its_period(fresh_db, world):
    main = incidents.submit_report(fresh_db, world["reporter"], make_report(world.org.id), at=NOW)
    with store.write(fresh_db):
        audit.append(fresh_db, world["dpo"], "decision.record", "incident", 999, duplicate_of=main.id)
        audit.append(
            fresh_db,
            world["dpo"],
            "register.export",
            "organisation",
            world.org.id,
            start="2026-01-01",
            end="2026-06-30",
            format="xlsx",
            rows=3,
        )
    shown = entries_by_action(fresh_db, world)
    assert shown["Besluit vastgelegd"].details == f"Dubbele melding van {main.reference}."
    assert shown["Register geëxporteerd"].details == (
        "Periode van 01-01-2026 tot en met 30-06-2026. Bestand: XLSX. 3 regels."
    )


NEW_KEYS = (
    "duplicate_of", "evidence_id", "size", "sha256", "lesson_id", "theme", "prevention", "shown",
    "hidden", "household_id", "member_id", "relation", "deviation", "flagged", "postponed",
    "letter_id", "template_version",
)  # fmt: skip
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3),
    max_leaves=5,
)


@given(key=st.sampled_from(NEW_KEYS), value=JSON_VALUES)
def test_a_new_detail_reads_as_one_dutch_sentence_whatever_its_value(key, value):
    """Whatever an entry holds (an old or damaged one too), the trail still reads: one sentence
    or none, never "None" for a missing id."""
    names = audit_phrases.Names({}, {}, {})
    sentence = audit_phrases.details_sentence("x", {key: value}, names)
    assert isinstance(sentence, str)
    assert sentence == "" or sentence.endswith(".")
    if value is None:
        assert "None" not in sentence
