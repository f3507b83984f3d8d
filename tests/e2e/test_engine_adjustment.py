"""Issue #19 in Chromium: the FG adjusts the ENISA context score in the facts form; without a
reason it is refused next to the field and nothing typed is lost; with the reason the advice
shows what she changed and why, and the assessment version keeps it."""

import json
import re

import pytest

from datalek import store
from tests.e2e.conftest import choose_option, dutch_only, open_page, settle, sign_in, sign_out
from tests.e2e.test_triage_journey import _report_letter

pytestmark = pytest.mark.e2e

#: The FG's own words, with Markdown in them: the advice shows them as typed.
REASON = "In de brief staat alleen een afspraak over een *sportclub*. Die zegt niets over de zorg (**geen** diagnose)."


def test_dpo_adjusts_the_context_score_with_a_reason_and_sees_it_in_the_advice(page, server, seeded):
    sign_in(page, server.url, "reporter@test.invalid")
    reference = _report_letter(page)
    sign_out(page)

    sign_in(page, server.url, "dpo@test.invalid")
    open_page(page, "Werkvoorraad")
    choose_option(page, page, "Open een melding", reference)
    settle(page)
    page.get_by_role("heading", name=re.compile(reference)).wait_for()
    page.get_by_role("tab", name="Beoordeling").click()
    # The facts form: other tabs' forms (e.g. evidence under "Melding") are in the page too.
    form = page.locator("[data-testid=stForm]").filter(has_text="Is het een datalek?")
    choose_option(page, form, "Score voor de soort gegevens aanpassen", "2 lager")
    choose_option(
        page,
        form,
        "Heeft de onbeschikbaarheid gevolgen gehad",
        "Nee, er is geen hulp, zorg of besluit vertraagd",
    )
    page.get_by_role("button", name="Feiten opslaan en advies berekenen").click()
    settle(page)
    refusal = page.get_by_text("Geef een reden: je past de score voor de soort gegevens aan.")
    refusal.wait_for()
    box = page.locator("[data-testid=stSelectbox]").filter(has_text="Score voor de soort gegevens aanpassen")
    assert box.locator("input").input_value() == "2 lager"  # nothing typed is lost
    dutch_only(page, names=("Reporter",))

    page.get_by_label("Reden van de aanpassing").fill(REASON)
    page.get_by_role("button", name="Feiten opslaan en advies berekenen").click()
    settle(page)
    page.get_by_text("De feiten zijn opgeslagen en het advies is bijgewerkt.").wait_for()

    page.get_by_role("tab", name="Advies en besluit").click()
    shown = page.get_by_text(
        re.compile(
            r"^Aangepast door de FG: De FG heeft de score voor de soort gegevens verlaagd van 4 naar 2\."
        )
    )
    shown.wait_for()
    assert REASON in shown.inner_text()
    dutch_only(page, names=("Reporter",))
    with store.unit(server.db_path) as db:
        (facts,) = db.execute(
            "SELECT a.facts FROM assessments a JOIN incidents i ON i.id = a.incident_id WHERE i.reference = ?",
            [reference],
        ).fetchone()
    stored = json.loads(facts)
    assert (stored["context_adjustment"], stored["context_reason"]) == (-2, REASON)
    assert stored["availability_effect"] == "none"
