"""The employee's report is stored once: a double click on "Versturen" straight after typing
the last answer (no pause for the field's own run) gives one report and its confirmation, and a
double click on "Alles vervangen en versturen" in the identifiers step gives one too."""

import re

import pytest

from datalek import store
from tests.conftest import settle
from tests.e2e.conftest import fill_letter_report, open_page, sign_in, sign_out

pytestmark = pytest.mark.e2e
REFERENCE = re.compile(r"DL-\d{4}-\d{4}")


def _reports(path, marker: str) -> list[str]:
    with store.unit(path) as db:
        return [
            r
            for (r,) in db.execute(
                "SELECT reference FROM incidents WHERE description LIKE ?", [f"%{marker}%"]
            )
        ]


def _confirmed(page) -> str:
    success = page.locator("[data-testid=stAlertContentSuccess]")
    success.wait_for(timeout=30000)
    settle(page)
    return REFERENCE.search(success.inner_text()).group(0)


def test_a_double_click_right_after_typing_stores_one_report(page, server, seeded):
    path, _ = seeded
    sign_in(page, server.url, "reporter@test.invalid")
    open_page(page, "Datalek melden")
    fill_letter_report(page, "Brief naar oud adres (dubbelklik).", typing=True)
    page.get_by_role("button", name="Versturen").dblclick()  # the description is still in focus
    reference = _confirmed(page)
    assert _reports(path, "dubbelklik") == [reference]
    assert page.locator("[data-testid=stException]").count() == 0
    sign_out(page)


def test_a_double_click_in_the_identifiers_step_stores_one_report(page, server, seeded):
    path, _ = seeded
    sign_in(page, server.url, "reporter2@test.invalid")
    open_page(page, "Datalek melden")
    fill_letter_report(page, "Brief met BSN 111222333 naar oud adres (stap twee).")  # under test: step two
    page.get_by_role("button", name="Versturen").click()
    page.get_by_role("button", name="Alles vervangen en versturen").dblclick()
    reference = _confirmed(page)
    assert _reports(path, "stap twee") == [reference]
    assert page.locator("[data-testid=stException]").count() == 0
    sign_out(page)
