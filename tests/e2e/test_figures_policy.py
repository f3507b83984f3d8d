"""The small-number threshold in Chromium (issue #17): the FG sets it on the FG-team page with a
reason, sees that it is saved, and after a reload finds the new value and the change."""

from __future__ import annotations

import re

from datalek import store
from datalek.insight import figures_policy
from tests.conftest import settle
from tests.e2e.conftest import dutch_only, open_page, sign_in

REASON = "Kleine afdelingen zijn herkenbaar."


def test_the_fg_sets_the_threshold_and_finds_it_after_a_reload(server, seeded, page):
    _, world = seeded
    sign_in(page, server.url, "dpo@test.invalid")
    open_page(page, "FG-team")
    page.get_by_text("De drempel van Gemeente Test is nu 5.").wait_for(timeout=20000)
    page.get_by_label(re.compile("^Nieuwe drempel")).fill("12")
    page.get_by_label("Waarom verander je de drempel?").fill(REASON)
    page.get_by_role("button", name="Drempel opslaan").click()
    settle(page)
    page.locator("[data-testid=stAlertContentSuccess]", has_text="De drempel is opgeslagen.").wait_for(
        timeout=20000
    )

    page.reload()
    settle(page)
    page.get_by_text("De drempel van Gemeente Test is nu 12.").wait_for(timeout=20000)
    assert page.get_by_label(re.compile("^Nieuwe drempel")).input_value() == "12"
    dutch_only(page, names=("Dpo",))

    with store.unit(server.db_path) as db:
        [change] = figures_policy.history(db, world["dpo"], world.org.id)
    assert (change.old, change.new, change.reason) == (5, 12, REASON)
