"""Only Dutch reaches a user: every page of every role, rendered with AppTest, shows no internal
code (enum values, snake_case names, "user 5", "None") and none of Streamlit's English texts.

The denylist is built from the code itself (every ``LabelledEnum`` value that is not also a
Dutch word, every audit action code), so a new enum value is covered without touching this
file. What is collected is everything AppTest can see: labels, options (after ``format_func``),
placeholders, help texts, Markdown and captions, alerts, metrics, table headers and cells, and
the texts inside a Plotly figure (titles, axis titles, legend and trace names, categories,
tick texts, annotations). Texts the browser adds itself (tooltips, Streamlit's default
placeholders) are checked in ``tests/e2e/test_management_dutch.py`` where they can be.
"""

from __future__ import annotations

import html
import importlib
import json
import math
import pkgutil
import re
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from streamlit.proto.Selectbox_pb2 import Selectbox as SelectboxProto
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block, Dataframe, Element, Html, Table

import datalek
import navigation
from datalek import store
from datalek.accounts import audit_trail, auth
from datalek.demo import dataset
from datalek.models import LabelledEnum, Role
from tests.pages.conftest import signed_in, walk

# --- the denylist, from the code --------------------------------------------------------------


def _import_every_module() -> None:
    for info in pkgutil.walk_packages(datalek.__path__, "datalek."):
        if not info.name.endswith("__main__"):
            importlib.import_module(info.name)


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def labelled_enums() -> list[type[LabelledEnum]]:
    _import_every_module()
    return sorted(set(_subclasses(LabelledEnum)), key=lambda e: (e.__module__, e.__name__))


#: Codes that are also ordinary Dutch words a page may use ("minstens één letter", "contact
#: opnemen", "de audittrail is intact", "management", "download").
DUTCH_TOO = {"letter", "contact", "intact", "management", "download"}


def internal_codes() -> set[str]:
    """Every enum value and audit action code a user must never read, lower case: values that
    are not also a word of some Dutch label ("phishing", "ransomware") or of ``DUTCH_TOO``."""
    dutch: set[str] = set(DUTCH_TOO)
    codes: set[str] = set()
    for enum in labelled_enums():
        for member in enum:
            dutch |= {w.lower() for w in re.findall(r"[A-Za-zÀ-ÿ]+", member.label)}
            codes.add(member.value.lower())
    codes |= set(audit_trail.LABELS)
    return {c for c in codes if len(c) >= 3 and c not in dutch}


CODES = internal_codes()

#: What Streamlit (or Plotly) writes in English when a page lets it.
ENGLISH = [
    "Press Enter",
    "Copy to clipboard",
    "Choose an option",
    "Choose options",
    "No results",
    "Page not found",
    "Running the app",
    "Drag and drop",
    "Browse files",
    "Submit",
    "Download plot",
    "Produced with Plotly",
    "Autoscale",
    "Reset axes",
    "Link to heading",
]

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_FILE = re.compile(r"\b[\w-]+\.(?:html|xlsx|csv|docx|txt|pdf|db)\b")
_WORD = re.compile(r"_?[A-Za-z][A-Za-z0-9]*(?:[_.][A-Za-z0-9]+)*")
_SNAKE = re.compile(r"^_?[a-z0-9]+(?:_[a-z0-9]+)+$|^_[a-z]+$")
_DOTTED = re.compile(r"^[a-z]+(?:_[a-z]+)*\.[a-z]+(?:_[a-z]+)*$")
_USER_N = re.compile(r"\buser\s*\d+\b", re.IGNORECASE)
_LITERALS = {"None", "none", "nan", "NaN", "True", "False", "null", "undefined"}


def offences(text: str) -> list[str]:
    """What in ``text`` is an internal code or English framework text (empty: all Dutch)."""
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!@|~<>$])", r"\1", text)  # Markdown escapes
    found = [phrase for phrase in ENGLISH if phrase.lower() in text.lower()]
    found += _USER_N.findall(text)
    cleaned = _FILE.sub(" ", _EMAIL.sub(" ", text))
    for word in _WORD.findall(cleaned):
        if word in _LITERALS or word.lower() in CODES or _SNAKE.match(word) or _DOTTED.match(word):
            found.append(word)
    return found


# --- what a user sees on a page ---------------------------------------------------------------

#: Fields of an element's message that a user reads.
TEXT_FIELDS = {
    "label",
    "body",
    "placeholder",
    "help",
    "options",
    "value",
    "caption",
    "text",
    "delta",
    "default",
    "description",
    "title",
}


def _proto_texts(message) -> Iterator[str]:
    for descriptor, value in message.ListFields():
        if descriptor.name in ("spec", "id", "form_id", "icon", "data", "arrow_data", "css"):
            continue
        items = [value] if isinstance(value, (str, bytes)) or hasattr(value, "ListFields") else value
        if not isinstance(items, (list, tuple)) and not hasattr(items, "__iter__"):
            items = [items]
        for item in items:
            if hasattr(item, "ListFields"):
                yield from _proto_texts(item)
            elif descriptor.name in TEXT_FIELDS and isinstance(item, str):
                yield item


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "None"  # st.dataframe shows a missing value as "None"
    return str(value)


def figure_texts(spec: dict) -> Iterator[str]:
    """The texts a Plotly figure draws: titles, axis titles, tick texts, legend, traces,
    categories and annotations (numbers and colours are left out)."""
    layout = spec.get("layout", {})

    def title(obj) -> Iterator[str]:
        t = obj.get("title") if isinstance(obj, dict) else None
        if isinstance(t, dict):
            t = t.get("text")
        if isinstance(t, str):
            yield t

    yield from title(layout)
    for key, axis in layout.items():
        if re.match(r"[xy]axis\d*$", key) and isinstance(axis, dict):
            yield from title(axis)
            yield from (str(t) for t in axis.get("ticktext", []) or [])
            yield from (str(t) for t in axis.get("categoryarray", []) or [] if isinstance(t, str))
    yield from title(layout.get("legend", {}))
    for note in layout.get("annotations", []) or []:
        yield str(note.get("text", ""))
    for trace in spec.get("data", []):
        if trace.get("name"):
            yield str(trace["name"])
        for key in ("x", "y", "labels", "text"):
            values = trace.get(key)
            if isinstance(values, list):
                yield from (v for v in values if isinstance(v, str))
            elif isinstance(values, str):
                yield values


def visible_texts(at: AppTest) -> list[str]:
    """Every text on the page that AppTest can see."""
    found: list[str] = []
    for root in (at.main, at.sidebar):
        for node in walk(root):
            if isinstance(node, Block):
                if node.proto is not None:
                    found.extend(_proto_texts(node.proto))
                continue
            if not isinstance(node, Element):
                continue
            if isinstance(node, (Dataframe, Table)):
                frame = node.value
                found.extend(str(c) for c in frame.columns)
                found.extend(_cell(v) for v in frame.to_numpy().ravel())
                continue
            if node.type == "plotly_chart":
                found.extend(figure_texts(json.loads(node.proto.spec)))
                continue
            if isinstance(node, Html):
                found.append(html.unescape(re.sub(r"<[^>]+>", " ", node.proto.body)))
                continue
            found.extend(_proto_texts(node.proto))
    return [t for t in found if t and t.strip()]


def page_offences(at: AppTest) -> dict[str, list[str]]:
    """text -> its offences, for every text on the page with one."""
    return {text: bad for text in visible_texts(at) if (bad := offences(text))}


#: A list this short needs no typing to find an option; with typing on, a search that finds
#: nothing shows Streamlit's English "No results" (``filter_mode=None`` turns typing off).
SHORT_LIST = 10
#: ``filter_mode=None`` as drawn (the same number in the selectbox's and the multiselect's message).
NO_TYPING = (
    SelectboxProto.DESCRIPTOR.fields_by_name["filter_mode"]
    .enum_type.values_by_name["FILTER_MODE_NONE"]
    .number
)


def framework_defaults(at: AppTest) -> list[str]:
    """Widgets that would show one of Streamlit's English defaults: "Choose an option" (a
    selectbox without a placeholder of our own: the browser puts it in the field's placeholder
    also while an option is chosen, and shows it when none is), "Choose options" (a multiselect
    without one), "No results" (typing on in a short list)."""
    shown = []
    for box in at.selectbox:
        if not box.proto.placeholder.strip():
            shown.append(f"selectbox {box.label!r}: 'Choose an option'")
        if box.proto.filter_mode != NO_TYPING and len(box.options) <= SHORT_LIST:
            shown.append(f"selectbox {box.label!r}: 'No results'")
    for heading in [*at.title, *at.header, *at.subheader]:
        if not heading.proto.hide_anchor:
            shown.append(f"heading {heading.value!r}: 'Link to heading' (anchor=False hides it)")
    for box in at.multiselect:
        if not box.proto.placeholder.strip():
            shown.append(f"multiselect {box.label!r}: 'Choose options'")
        if box.proto.filter_mode != NO_TYPING and len(box.options) <= SHORT_LIST:
            shown.append(f"multiselect {box.label!r}: 'No results'")
    return shown


# --- the worlds -------------------------------------------------------------------------------

NOW = datetime(2026, 11, 20, 10, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory) -> tuple[Path, dict[Role, str]]:
    """Demo data (two years, every role), made once for this module."""
    path = tmp_path_factory.mktemp("dutch") / "demo.db"
    made = dataset.generate(str(path), 300, years=2, seed=5, now=NOW)
    return path, {a.role: a.email for a in made}


@pytest.fixture
def demo(demo_template, db_path) -> dict[Role, object]:
    """This test's copy of the demo database (DATALEK_DB points at it); an actor per role."""
    template, emails = demo_template
    source, target = sqlite3.connect(template), sqlite3.connect(db_path)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    with store.unit(db_path) as db:
        ids = {r["email"]: r["id"] for r in db.query("SELECT id, email FROM users")}
        return {role: auth.actor_for(db, ids[email]) for role, email in emails.items()}


PEOPLE = ["Anna Melder", "Bram Melder", "Fien de Vries", "Daan Bestuur", "Eva Beheer", "Gijs", "Hanna", "Ivo"]

CASES = [
    pytest.param(role, spec, id=f"{role.value}-{spec.url_path}")
    for role in Role
    for specs in navigation.sections(role).values()
    for spec in specs
]


def _render(actor, spec) -> AppTest:
    at = signed_in(actor, spec)
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize(("role", "spec"), CASES)
def test_a_page_with_demo_data_shows_only_dutch(demo, role, spec):
    at = _render(demo[role], spec)
    assert page_offences(at) == {}
    assert framework_defaults(at) == []


@pytest.mark.parametrize(("role", "spec"), CASES)
def test_a_page_without_incidents_shows_only_dutch(world, db_path, role, spec):
    key = {Role.REPORTER: "reporter", Role.DPO: "dpo", Role.MANAGEMENT: "management", Role.ADMIN: "admin"}
    with store.unit(db_path) as db, store.write(db):  # the test world names people after codes
        for user_id, name in enumerate(PEOPLE, start=1):
            db.execute(
                "UPDATE users SET name = ?, email = ? WHERE id = ?",
                [name, f"p{user_id}@test.invalid", user_id],
            )
    at = _render(world[key[role]], spec)
    assert page_offences(at) == {}
    assert framework_defaults(at) == []


# --- the filters of the overview and the register ---------------------------------------------


@pytest.mark.parametrize("role", [Role.MANAGEMENT, Role.DPO])
def test_every_overview_selection_shows_only_dutch(demo, role):
    at = _render(demo[role], navigation.OVERVIEW)
    seen = {}
    for org in [None, *demo[role].org_ids[:1]]:
        at.selectbox(key="ov_org").set_value(org).run()
        for year in [int(y) for y in at.selectbox(key="ov_year").options]:
            at.selectbox(key="ov_year").set_value(year).run()
            departments = at.selectbox(key="ov_dept").options[1:3]
            for dept in [None, *departments]:
                at.selectbox(key="ov_dept").set_value(dept).run()
                assert not at.exception, at.exception
                if found := page_offences(at):
                    seen[(org, year, dept)] = found
        at.toggle(key="ov_compare").set_value(False).run()
        if found := page_offences(at):
            seen[(org, "no comparison")] = found
    assert seen == {}


def test_every_register_year_shows_only_dutch(demo):
    at = _render(demo[Role.DPO], navigation.REGISTER)
    seen = {}
    for org in demo[Role.DPO].org_ids:
        at.selectbox(key="reg_org").set_value(org).run()
        for year in [int(y) for y in at.selectbox(key="reg_year").options]:
            at.selectbox(key="reg_year").set_value(year).run()
            assert not at.exception, at.exception
            if found := page_offences(at):
                seen[(org, year)] = found
    assert seen == {}


@pytest.mark.parametrize("status", ["reported", "in_progress", "decided", "closed", "not_a_breach"])
@pytest.mark.parametrize("tab", ["Melding", "Afhandelen"])
def test_an_incident_opened_by_the_dpo_shows_only_dutch(demo, db_path, status, tab):
    """One incident of each status, open in the queue (every tab is drawn; the AP concept only
    when its own tab is open, as it is with "Afhandelen")."""
    dpo = demo[Role.DPO]
    with store.unit(db_path) as db:
        found = db.execute(
            "SELECT id, org_id FROM incidents WHERE status = ? ORDER BY id DESC LIMIT 1", [status]
        ).fetchone()
    if found is None:
        pytest.skip(f"no {status} incident in the demo data")
    at = _render(dpo, navigation.QUEUE)
    at.multiselect(key="q_status").set_value([status]).run()
    at.session_state[f"q_tab_{found[0]}"] = tab
    at.session_state[f"q_follow_{found[0]}"] = "AP-melding"
    at.selectbox(key="q_choice").set_value(found[0]).run()
    assert not at.exception, at.exception
    assert page_offences(at) == {}
    assert framework_defaults(at) == []


# --- the checker itself -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ("Hoog risico", []),
        ("none", ["none"]),
        ("_none", ["_none"]),
        ("Risico: risk", ["risk"]),
        ("Door user 5", ["user 5"]),
        ("Wat: measure.add", ["measure.add"]),
        ("Status: in_progress", ["in_progress"]),
        ("nan", ["nan"]),
        ("None", ["None"]),
        ("Phishing of social engineering", []),
        ("Mail naar fg@gemeente.invalid, bestand verantwoording-2026.html", []),
        ("Press Enter to submit form", ["Press Enter", "Submit"]),
        ("Minstens één letter en een cijfer", []),
    ],
)
def test_the_checker_finds_codes_and_english(text, bad):
    assert offences(text) == bad


def test_the_denylist_holds_every_enum_code_that_is_no_dutch_word():
    assert {"none", "risk", "high", "not_a_breach", "in_progress", "measure.add"} <= CODES
    assert not {"phishing", "ransomware", "moment"} & CODES
    assert len(labelled_enums()) >= 30
