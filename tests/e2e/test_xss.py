"""Injection and XSS: every free-text field holds hostile input, and every page that shows it
renders it as text: no dialog fires, no element is injected, no page breaks.

The payloads go in through the domain core (the same validation the forms use) and one of
them through the real report form; then each role opens each of its pages in Chromium.
"""

from __future__ import annotations

import re

import pytest

from datalek import store
from datalek.accounts.organisations import create_organisation
from datalek.accounts.users import create_user
from datalek.handling import assessment, incidents, prefill
from datalek.models import Actor, Role
from tests.conftest import PASSWORD, World, make_report
from tests.e2e.conftest import choose_option, open_options, open_page, open_tab, settle, sign_in

pytestmark = pytest.mark.e2e

SCRIPT = "<script>alert('xss-script')</script>"
PAYLOADS = [
    SCRIPT,
    "<img src=x onerror=alert('xss-img')>",
    "<svg onload=alert('xss-svg')></svg>",
    "[klik hier](javascript:alert('xss-md-link'))",
    "<a href=\"javascript:alert('xss-a')\">klik</a>",
    "![plaatje](x\" onerror=\"alert('xss-md-img'))",
    "'); DROP TABLE incidents; -- \" OR 1=1 --",
    ":red[rood] **vet** $$\\alpha$$ {{7*7}} ${7*7}",
    "regel\u0007bel\u001b[31mrood\u001b[0m tab\there",
    "\u202egnp.exe \u200f\u200e\u2066rtl\u2069",
]
LONG = ("Lange tekst zonder einde. " * 160)[:3900] + SCRIPT
JOINED = "\n".join(PAYLOADS)
FIELDS = [
    "description",
    "actions_taken",
    "department",
    "supplement",
    "effects",
    "remedial_action",
    "organisation name",
    "FG name",
    "user name",
    "decision motivation",
    "deviation motivation",
    "AP late reason",
    "safety-check reason",
    "public notice",
    "measure description",
    "measure owner",
]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    path = tmp_path_factory.mktemp("xss") / "datalek.db"
    store.migrate(path)
    db = store.connect(path)
    try:
        world = World(db)
        cli = Actor.cli()
        hostile = create_organisation(
            db, cli, "<img src=x onerror=alert('xss-org')>", SCRIPT, "fg@test.invalid"
        )
        create_user(
            db,
            cli,
            "<script>alert('xss-user')</script>",
            "naam@test.invalid",
            Role.REPORTER,
            PASSWORD,
            [hostile.id],
        )
        reporter = world["reporter"]
        first = incidents.submit_report(
            db,
            reporter,
            make_report(
                world.org.id,
                description=JOINED,
                actions_taken=JOINED[:2000],
                department="<script>alert('xss-dept')</script>",
            ),
        )
        incidents.add_supplement(db, reporter, first.id, JOINED)
        incidents.submit_report(db, reporter, make_report(world.org.id, description=LONG))
        facts = prefill.facts_from_report(first, world.org)
        dpo = world["dpo"]
        saved = assessment.save(db, dpo, first.id, facts, JOINED[:1000], JOINED[:1000])
        _follow_up(db, dpo, first.id, saved.advice)
    finally:
        db.close()
    return path, world


def _follow_up(db, dpo, incident_id: int, advice) -> None:
    """The decision and the follow-up records of issue #5, every free text a payload."""
    from datetime import date, timedelta

    from datalek import clock
    from datalek.actions import authority, informing, measures
    from datalek.actions.addressees import Addressee
    from datalek.actions.measures import MeasureInput, MeasureKind
    from datalek.handling import decisions
    from datalek.handling.decisions import DecisionInput, Inform

    decisions.record(
        db,
        dpo,
        incident_id,
        DecisionInput(
            breach=True,
            notify_authority=advice.notify_authority,
            inform=Inform.YES if advice.inform_subjects else Inform.NO,
            motivation=JOINED[:1000],
            deviation_motivation=JOINED[:1000],
        ),
    )
    authority.record_initial(
        db, dpo, incident_id, "AP123456", clock.now() - timedelta(minutes=5), late_reason=JOINED[:1000]
    )
    informing.record_safety_check(
        db, dpo, incident_id, Addressee.PARENTS, True, JOINED[:1000], date.today() + timedelta(days=7)
    )
    informing.record_public_notice(db, dpo, incident_id, JOINED, date.today())
    measures.add(
        db,
        dpo,
        incident_id,
        MeasureInput(
            kind=MeasureKind.PREVENTIVE,
            description=JOINED[:1000],
            owner=SCRIPT,
            due_on=date.today() + timedelta(days=30),
        ),
    )


class Watch:
    """Dialogs and page errors of one browser page."""

    def __init__(self, page):
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()


def assert_inert(page, watch: Watch, where: str) -> None:
    # every image has finished loading or failing: an onerror/onload handler would have fired
    page.wait_for_function("() => [...document.images].every(image => image.complete)")
    assert watch.dialogs == [], where
    broken = page.locator("[data-testid=stException]")
    assert broken.count() == 0, (where, broken.first.inner_text() if broken.count() else "")
    injected = page.evaluate("""() => ({
        img: document.querySelectorAll('img[src="x"], img[onerror], svg[onload]').length,
        js: [...document.querySelectorAll('a[href]')].filter(a => /^\\s*javascript:/i
             .test(a.getAttribute('href'))).length,
        script: [...document.querySelectorAll('script')].filter(s => s.textContent
             .includes('xss-')).length,
    })""")
    assert injected == {"img": 0, "js": 0, "script": 0}, (where, injected)


def choose(page, label: str, option: str) -> None:
    if choose_option(page, page, label, option):
        settle(page)


def shown_text(page) -> str:
    return page.locator("[data-testid=stMain]").inner_text()


def my_references(page) -> list[str]:
    page.get_by_role("cell", name=re.compile(r"DL-\d{4}-\d{4}")).first.wait_for()
    found = sorted(set(re.findall(r"DL-\d{4}-\d{4}", shown_text(page))))
    assert len(found) == 2, found
    return found


def test_the_reporter_sees_the_payloads_as_text(page, server):
    watch = Watch(page)
    sign_in(page, server.url, "reporter@test.invalid")
    open_page(page, "Mijn meldingen")
    assert_inert(page, watch, "my_reports list")
    references = my_references(page)
    for reference in references:
        choose(page, "Bekijk of vul een melding aan", reference)
        assert_inert(page, watch, f"my_reports {reference}")
    choose(page, "Bekijk of vul een melding aan", references[0])
    text = shown_text(page)
    assert SCRIPT in text and "DROP TABLE incidents" in text
    assert "<img src=x onerror=alert('xss-img')>" in text
    assert watch.errors == []


def test_a_payload_typed_into_the_supplement_form_is_stored_verbatim(page, server):
    watch = Watch(page)
    sign_in(page, server.url, "reporter@test.invalid")
    open_page(page, "Mijn meldingen")
    reference = my_references(page)[-1]
    choose(page, "Bekijk of vul een melding aan", reference)
    typed = "<img src=x onerror=alert('xss-typed')> ' OR 1=1; --"
    page.get_by_label("Wat wil je toevoegen?").fill(typed)
    page.get_by_role("button", name="Aanvulling toevoegen").click()
    settle(page)
    assert_inert(page, watch, "after supplement")
    assert typed in shown_text(page)
    with store.unit(server.db_path) as db:
        assert db.execute("SELECT count(*) FROM supplements WHERE text = ?", [typed]).fetchone()[0] == 1


def test_the_dpo_sees_the_payloads_as_text_on_every_tab(page, server):
    watch = Watch(page)
    sign_in(page, server.url, "dpo@test.invalid")
    open_page(page, "Werkvoorraad")
    assert_inert(page, watch, "queue list")
    choose(page, "Open een melding", "DL-2026-0001")
    assert SCRIPT in shown_text(page) and "DROP TABLE incidents" in shown_text(page)
    for name in [
        "Melding",
        "Beoordeling",
        "Advies en besluit",
        "Verloop",
        "Afhandelen",
        "AP-melding",
        "Betrokkenen informeren",
        "Maatregelen",
        "Afronden",
    ]:
        open_tab(page, name)
        assert_inert(page, watch, f"queue tab {name}")
        if name == "Maatregelen":
            assert SCRIPT in shown_text(page)  # the measure's owner
    for expander in page.locator("[data-testid=stExpander] summary").all():
        if expander.is_visible():
            expander.click()
            settle(page)
    assert_inert(page, watch, "follow-up expanded")
    open_page(page, "Register")
    assert_inert(page, watch, "register")
    open_page(page, "Overzicht")
    assert_inert(page, watch, "overview")
    assert watch.errors == []


@pytest.mark.parametrize(
    "email, pages",
    [
        ("admin@test.invalid", ["Accounts", "Organisaties", "Audittrail", "Mijn account"]),
        ("management@test.invalid", ["Overzicht", "Mijn account"]),
    ],
)
def test_names_and_organisations_are_shown_as_text(page, server, email, pages):
    watch = Watch(page)
    sign_in(page, server.url, email)
    for title in pages:
        open_page(page, title)
        assert_inert(page, watch, title)
    if email.startswith("admin"):
        open_page(page, "Organisaties")  # the tables are canvas grids: read the chooser's options
        chooser = page.locator("[data-testid=stSelectbox]").filter(has_text="Organisatie").first
        option = open_options(page, chooser, "onerror")
        shown = option.inner_text()
        already = option.get_attribute("aria-selected") == "true"
        option.click()
        if not already:  # choosing the chosen option starts no run
            settle(page)
        assert_inert(page, watch, "organisation chosen")
        assert shown.strip() == "<img src=x onerror=alert('xss-org')>", shown


def test_the_payload_count():
    assert len(PAYLOADS) + 1 == 11  # ten short payloads and one of 3,900+ characters
    assert len(FIELDS) == 16
