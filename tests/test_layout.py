"""The house rules of the layout, checked on the code itself (docs/design.md).

- ``pages/`` modules only define: a page file that Streamlit runs on its own shows nothing.
- ``datalek/`` never imports Streamlit, ``pages/`` or ``ui/``.
- Inside ``datalek/`` dependencies point one way, along the incident's path (the table below,
  also in docs/design.md), and no module imports itself round a circle.
- Every package and path that docs/design.md names exists.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE = ROOT / "datalek"

FOUNDATION = {"config", "models", "clock", "regime", "deadlines", "mail", "chronology", "corrections"}
STAGES = ["intake", "triage", "handling", "actions", "insight"]
#: Which part of the core may import which. Earlier stages never import later ones.
ALLOWED: dict[str, set[str]] = {
    "config": set(),
    "models": set(),
    "clock": set(),
    "regime": set(),
    "deadlines": {"clock", "regime"},
    "chronology": {"clock"},
    "corrections": {"models"},
    "mail": {"config"},
    "submissions": {"store"} | FOUNDATION,
    "store": {"config", "clock"},
    "accounts": {"store"} | FOUNDATION,
    "intake": set(FOUNDATION),  # pure: no database, no accounts
    "triage": {"intake"} | FOUNDATION,  # pure: no database, no accounts
    "handling": {"triage", "intake", "accounts", "store"} | FOUNDATION,
    "actions": {"handling", "triage", "intake", "accounts", "store"} | FOUNDATION,
    "insight": {"actions", "handling", "triage", "intake", "accounts", "store"} | FOUNDATION,
    "demo": {"insight", "actions", "handling", "triage", "intake", "accounts", "store"} | FOUNDATION,
    "cli": {"demo", "insight", "actions", "handling", "triage", "intake", "accounts", "store", "__init__"}
    | FOUNDATION,
    "__main__": {"cli"},
    "__init__": set(),
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1]
    return ".".join(parts)


def core_modules() -> dict[str, Path]:
    return {module_name(p): p for p in CORE.rglob("*.py")}


def imports_of(path: Path) -> set[str]:
    """Every module an import statement names, at any depth (lazy imports included)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def core_imports(path: Path, known: set[str]) -> set[str]:
    """The core modules that ``path`` imports (a name that is not a module counts as its module)."""
    return {name for name in imports_of(path) if name in known and name != "datalek"}


def part_of(module: str) -> str:
    """'datalek.handling.incidents' -> 'handling'; 'datalek.clock' -> 'clock'."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_every_part_of_the_core_has_a_rule():
    parts = {part_of(m) for m in core_modules()}
    assert parts == set(ALLOWED), parts ^ set(ALLOWED)


def test_dependencies_point_one_way():
    modules = core_modules()
    wrong = []
    for name, path in sorted(modules.items()):
        mine = part_of(name)
        for target in sorted(core_imports(path, set(modules))):
            theirs = part_of(target)
            if theirs != mine and theirs not in ALLOWED[mine]:
                wrong.append(f"{name} -> {target}")
    assert wrong == []


def test_the_stages_are_ordered_along_the_incidents_path():
    for i, stage in enumerate(STAGES):
        assert not set(STAGES[i + 1 :]) & ALLOWED[stage], stage


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _package_parents(name: str) -> set[str]:
    parts = name.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts))}


def test_no_import_circles_between_modules():
    modules = core_modules()
    known = set(modules)
    # A package's __init__ importing its own modules is not a circle of the design.
    graph = {
        name: {t for t in core_imports(path, known) if t != name and t not in _package_parents(name)}
        for name, path in modules.items()
    }
    assert _cycles(graph) == []


@pytest.mark.parametrize(
    ("graph", "circles"),
    [
        ({"a": {"b"}, "b": {"a"}, "c": set()}, [["a", "b"]]),
        ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, [["a", "b", "c"]]),
    ],
    ids=["two", "none", "three"],
)
def test_the_circle_finder_finds_circles(graph, circles):
    assert _cycles(graph) == circles


#: The screens' side: app.py -> navigation -> pages -> ui -> datalek, never back.
UI_LAYERS = {"app": 0, "navigation": 1, "pages": 2, "ui": 3, "datalek": 4}


def _ui_layer_files() -> dict[str, list[Path]]:
    return {
        "app": [ROOT / "app.py"],
        "navigation": [ROOT / "navigation.py"],
        "pages": sorted((ROOT / "pages").glob("*.py")),
        "ui": sorted((ROOT / "ui").glob("*.py")),
    }


def test_the_screens_import_downwards_only():
    wrong = []
    for layer, paths in _ui_layer_files().items():
        for path in paths:
            for name in imports_of(path):
                target = name.split(".")[0]
                if target in UI_LAYERS and UI_LAYERS[target] <= UI_LAYERS[layer] and target != layer:
                    wrong.append(f"{path.relative_to(ROOT)} -> {name}")
    assert wrong == []


#: The server's side: server.py -> web -> datalek. web/ never reaches into the screens (it
#: answers HTTP requests, not Streamlit runs), and neither side of the screens imports web/.
SCREENS = {"app", "navigation", "pages", "ui"}


def test_the_server_side_and_the_screens_stay_apart():
    wrong = [
        f"{path.relative_to(ROOT)} -> {name}"
        for path in sorted((ROOT / "web").glob("*.py"))
        for name in imports_of(path)
        if name.split(".")[0] in SCREENS | {"server"}
    ]
    wrong += [
        f"{path.relative_to(ROOT)} -> {name}"
        for paths in _ui_layer_files().values()
        for path in paths
        for name in imports_of(path)
        if name.split(".")[0] in {"web", "server"}
    ]
    assert wrong == []
    assert {n.split(".")[0] for n in imports_of(ROOT / "server.py")} <= {"streamlit", "starlette", "web"}


def test_the_core_never_imports_streamlit_or_the_screens():
    offenders = {
        name: sorted(
            i
            for i in imports_of(path)
            if i.split(".")[0]
            in {"streamlit", "starlette", "pages", "ui", "app", "navigation", "web", "server"}
        )
        for name, path in core_modules().items()
    }
    assert {k: v for k, v in offenders.items() if v} == {}


# --- pages/: only definitions ----------------------------------------------------------------------


def _is_constant(node: ast.AST) -> bool:
    """An assignment whose value calls nothing and touches no attribute (no Streamlit object)."""
    if not isinstance(node, ast.Assign | ast.AnnAssign):
        return False
    value = node.value
    return value is not None and not any(isinstance(n, ast.Call | ast.Attribute) for n in ast.walk(value))


def top_level_statements(source: str) -> list[str]:
    """What a module does besides importing, defining and naming constants."""
    tree = ast.parse(source)
    allowed = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef)
    found = []
    for i, node in enumerate(tree.body):
        is_docstring = i == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        if not (is_docstring or isinstance(node, allowed) or _is_constant(node)):
            found.append(f"line {node.lineno}: {ast.unparse(node).splitlines()[0]}")
        if isinstance(node, ast.FunctionDef | ast.ClassDef) and node.decorator_list:
            found.append(f"line {node.lineno}: a decorator runs at import")
    return found


PAGE_FILES = sorted((ROOT / "pages").glob("*.py"))


@pytest.mark.parametrize("path", PAGE_FILES, ids=[p.stem for p in PAGE_FILES])
def test_a_page_module_only_defines(path):
    assert top_level_statements(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ('"""Doc."""\nimport streamlit as st\nLIMIT = 5\n\ndef render():\n    st.title("x")\n', 0),
        ('import streamlit as st\nst.title("Werkvoorraad")\n', 1),
        ("import streamlit as st\nstate = st.session_state\n", 1),
        ("import logging\nlog = logging.getLogger(__name__)\n", 1),
        ("if True:\n    pass\n", 1),
        ("import streamlit as st\n@st.cache_data\ndef f():\n    pass\n", 1),
    ],
    ids=["definitions-only", "a-call", "a-streamlit-object", "a-logger", "a-statement", "a-decorator"],
)
def test_the_page_check_recognises_what_runs_at_import(source, found):
    assert len(top_level_statements(source)) == found


def test_every_screen_is_a_page_module():
    screens = (
        "account audit dpo_team guest_supplement my_reports organisations overview queue register report"
        " set_password setup signin users"
    )
    assert {p.stem for p in PAGE_FILES} - {"__init__"} == set(screens.split())


# --- the design document matches the code ----------------------------------------------------------

DESIGN = ROOT / "docs" / "design.md"


def test_the_design_document_names_every_part_of_the_core():
    text = DESIGN.read_text(encoding="utf-8")
    for part in set(ALLOWED) - {"__init__", "__main__"}:
        assert f"{part}" in text, part


@pytest.mark.parametrize(
    "doc",
    [DESIGN, *sorted((ROOT / "docs" / "domain").glob("*.md")), ROOT / "README.md"],
    ids=lambda p: p.name,
)
def test_every_path_a_document_names_exists(doc):
    text = doc.read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:datalek|pages|ui|tests|benchmarks|docs)/[\w/.\-]*)`", text))
    named |= set(re.findall(r"\b((?:datalek|pages|ui)/[\w/]+\.py)\b", text))
    missing = sorted(n for n in named if not (ROOT / n.rstrip("/")).exists())
    assert missing == []


CORE_STAGES = ("intake", "triage", "handling", "actions", "insight", "accounts", "demo")


@pytest.mark.parametrize("stage", CORE_STAGES)
def test_the_design_document_names_every_module_of_a_stage(stage):
    """A new module in a stage is described where the stage is, so a reader finds it."""
    text = DESIGN.read_text(encoding="utf-8")
    modules = sorted(p.stem for p in (ROOT / "datalek" / stage).glob("*.py") if p.stem != "__init__")
    assert [m for m in modules if not re.search(rf"\b{m}\b", text)] == []
