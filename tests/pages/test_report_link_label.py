"""The FG's incident page of a report made through a report link (issue #16): the link's label
is looked up once per page view (``incidents.reporter`` finds it; the "Gemeld via link" row and
the "Melder" block show that one value), and the page says the same as before."""

from __future__ import annotations

from datetime import timedelta

import pytest

import navigation
from datalek import clock
from datalek.accounts import guest_sessions, report_links
from datalek.handling import incidents
from datalek.store import report_links as link_sql
from tests.conftest import make_report
from tests.pages.conftest import open_db, signed_in, table_with

LABEL = "Uitzendkrachten zorg"


@pytest.fixture
def via_link(world, db_path):
    """An incident reported without an account, through the link ``LABEL``."""
    db = open_db(db_path)
    try:
        values = {
            "label": LABEL,
            "kind": "group",
            "expires_on": clock.today() + timedelta(days=30),
            "one_time": False,
        }
        made = report_links.create(db, world["dpo"], world.org.id, values, "https://datalek.example")
        opened = guest_sessions.open_link(db, made.url.split("?t=", 1)[1], "192.0.2.10")
        acting, _ = report_links.with_follow_up(guest_sessions.resolve(db, opened.token))
        return incidents.submit_report(db, acting, make_report(world.org.id, now=clock.now()), at=clock.now())
    finally:
        db.close()


@pytest.fixture
def lookups(monkeypatch) -> list[int]:
    """The incident ids whose report link was looked up (``store.report_links.link_of_incident``)."""
    seen: list[int] = []
    original = link_sql.link_of_incident

    def counted(db, incident_id):
        seen.append(incident_id)
        return original(db, incident_id)

    monkeypatch.setattr(link_sql, "link_of_incident", counted)
    return seen


def test_the_link_label_is_looked_up_once_per_page_view(world, via_link, lookups):
    at = signed_in(world["dpo"], navigation.QUEUE)
    lookups.clear()
    at.selectbox(key="q_choice").set_value(via_link.id).run()
    assert not at.exception, at.exception
    assert lookups.count(via_link.id) == 1, f"looked up {lookups.count(via_link.id)} times in one page view"


def test_the_page_still_names_the_link_in_the_facts_and_the_reporter(world, via_link):
    at = signed_in(world["dpo"], navigation.QUEUE)
    at.selectbox(key="q_choice").set_value(via_link.id).run()
    facts = table_with(at, "Vraag")
    answers = dict(zip(facts["Vraag"], facts["Antwoord"], strict=True))
    assert answers["Gemeld via link"] == LABEL
    assert list(facts["Vraag"]).index("Gemeld via link") == 7
    texts = [t.value for t in at.text]
    assert f"Gemeld zonder account, via de link: {LABEL}\nAfdeling: {via_link.department}" in texts
