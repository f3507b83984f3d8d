"""WCAG 2.1 AA: axe-core (from the npm registry, installed by ``make test`` into
``.cache/node``) on every page of every role, the sign-in page and the setup page.

Serious and critical findings fail the test unless they are listed in ``FRAMEWORK`` below:
findings that come from Streamlit's own markup, which our pages cannot change (see
docs/accessibility.md). Every finding is written to ``.cache/figures/axe.json``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import navigation
from datalek import store
from datalek.handling import incidents
from datalek.models import Role
from navigation import PAGES_BY_ROLE
from tests.conftest import make_report
from tests.e2e.conftest import ROOT, Server, open_page, open_tab, settle, sign_in
from tests.e2e.test_xss import choose

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """The server's Content-Security-Policy rightly refuses the axe script these audits inject;
    only here does the browser ignore it. That the app itself runs under the policy without a
    single violation is tested in ``test_sessions.py``."""
    return {**browser_context_args, "bypass_csp": True}


AXE = ROOT / ".cache" / "node" / "node_modules" / "axe-core" / "axe.min.js"
RESULTS = ROOT / ".cache" / "figures" / "axe.json"
ACCOUNTS = {
    Role.REPORTER: "reporter@test.invalid",
    Role.DPO: "dpo@test.invalid",
    Role.MANAGEMENT: "management@test.invalid",
    Role.ADMIN: "admin@test.invalid",
}

#: (rule id, data-testid of a Streamlit container): findings inside Streamlit's own markup,
#: which our pages cannot change (listed in docs/accessibility.md). Empty: the menu's "list" and
#: "listitem" findings came from menu sections (a <div> per section inside the <ul>); app.py
#: now gives st.navigation one flat list, and these tests prove the findings gone.
FRAMEWORK: list[tuple[str, str]] = []


def _axe_path() -> Path:
    if AXE.exists():
        return AXE
    if os.environ.get("CI") == "true":
        pytest.fail("axe-core is missing: 'make test' installs it into .cache/node")
    pytest.skip("axe-core not installed (run 'make test' or 'npm install --prefix .cache/node axe-core@4')")


def _record(name: str, violations: list[dict]) -> None:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    data = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    data[name] = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [
                {
                    "target": n["target"],
                    "html": n["html"][:300],
                    "summary": (n.get("failureSummary") or "")[:300],
                }
                for n in v["nodes"]
            ],
        }
        for v in violations
    ]
    RESULTS.write_text(json.dumps(data, indent=2, sort_keys=True))


def _framework(page, rule: str, target: list) -> bool:
    for r, testid in FRAMEWORK:
        if r == rule and page.evaluate(
            "([sel, id]) => !!document.querySelector(sel)?.closest(`[data-testid=${id}]`)",
            [target[-1], testid],
        ):
            return True
    return False


def check(page, name: str) -> None:
    page.add_script_tag(path=str(_axe_path()))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']})"
    )
    violations = result["violations"]
    _record(name, violations)
    ours = [
        (v["id"], v["impact"], json.dumps(n["target"]), v["help"])
        for v in violations
        if v["impact"] in ("serious", "critical")
        for n in v["nodes"]
        if not _framework(page, v["id"], n["target"])
    ]
    assert ours == [], f"{name}: {ours}"


@pytest.fixture(scope="module")
def seeded(seeded):
    path, world = seeded
    db = store.connect(path)
    try:
        incidents.submit_report(db, world["reporter"], make_report(world.org.id))
    finally:
        db.close()
    return path, world


def test_signin_page(page, server):
    page.goto(server.url)  # the server's own sign-in form, without Streamlit
    page.wait_for_url("**/auth/signin**")
    page.get_by_role("heading", name="Aanmelden bij Datalek").wait_for()
    check(page, "signin")


def test_setup_page(page, tmp_path):
    path = tmp_path / "empty.db"
    store.migrate(path)
    srv = Server(path, tmp_path / "setup.log")
    try:
        page.goto(srv.url)
        settle(page)
        check(page, "setup")
    finally:
        srv.stop()


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_every_page_of_every_role(page, server, role):
    sign_in(page, server.url, ACCOUNTS[role])
    for spec in PAGES_BY_ROLE[role]:
        open_page(page, spec.title)
        check(page, f"{role.value}:{spec.url_path}")
        if spec == navigation.QUEUE:
            choose(page, "Open een melding", "DL-")
            for tab in page.get_by_role("tab").all():
                open_tab(page, tab.inner_text().strip())
                check(page, f"{role.value}:{spec.url_path}#{tab.inner_text().strip()}")
        if spec == navigation.MY_REPORTS and role is Role.REPORTER:
            choose(page, "Bekijk of vul een melding aan", "DL-")
            check(page, f"{role.value}:{spec.url_path}#open")
