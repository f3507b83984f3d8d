"""Issue #16 in Chromium: a reporter's follow-up link closes while "Melding aanvullen" is open.

A guest who reported through a report link opens their follow-up link and types an addition in
"Wat wil je toevoegen?". Meanwhile the follow-up token expires (it lives ``FOLLOW_UP_DAYS``; the
FG cannot revoke it, see ``docs/security.md``), or the guest session's own time runs out. The
click on "Aanvulling toevoegen" then stores nothing, the page says the link no longer works, and
what the guest typed is given back read-only to copy: in this browser's memory only, not in the
database or the server's log. (The report form's case is ``test_guest_link_revoked.py``.)"""

from __future__ import annotations

from datetime import timedelta

import pytest

from datalek import clock, store
from datalek.accounts import guest_sessions, report_links
from datalek.handling import incidents
from tests.conftest import click_sent, make_report, new_context
from tests.e2e.conftest import commit_text, dutch_only, settle

pytestmark = pytest.mark.e2e

#: typed by the guest and never stored, so nowhere else in this module's data (the Markdown and
#: the tag must come back as typed: the page renders neither)
TYPED = "Ook de **tweede** map op testserver 9 stond <b>open</b>; die is nu dicht gezet."


def _reported(server, world) -> tuple[int, str]:
    """A report made through a report link, as ``pages/report`` makes it: its id and follow-up link."""
    values = {"label": "Zorgteam", "kind": "group", "expires_on": clock.today() + timedelta(days=7)}
    with store.unit(server.db_path) as db:
        made = report_links.create(db, world["dpo"], world.org.id, values, server.url)
        opened = guest_sessions.open_link(db, made.url.split("?t=", 1)[1], "192.0.2.7")
        acting, follow_up = report_links.with_follow_up(guest_sessions.resolve(db, opened.token))
        incident = incidents.submit_report(db, acting, make_report(world.org.id, now=clock.now()))
    return incident.id, report_links.url(server.url, follow_up, report_links.FOLLOW_UP_PATH)


def _close(server, incident_id: int, how: str) -> None:
    """The follow-up token's 30 days, or the guest session's 4 hours, are over now."""
    table = "report_follow_ups" if how == "follow_up_expired" else "guest_sessions"
    where = (
        "incident_id = ?"
        if how == "follow_up_expired"
        else ("follow_up_id IN (SELECT id FROM report_follow_ups WHERE incident_id = ?)")
    )
    with store.unit(server.db_path) as db:
        db.execute(
            f"UPDATE {table} SET expires_at = ? WHERE {where}", [clock.to_iso(clock.now()), incident_id]
        )


def _supplements(server, incident_id: int) -> int:
    with store.unit(server.db_path) as db:
        (found,) = db.execute(
            "SELECT count(*) FROM supplements WHERE incident_id = ?", [incident_id]
        ).fetchone()
    return found


@pytest.mark.parametrize("how", sorted(["follow_up_expired", "session_over"]))
def test_the_addition_typed_when_the_follow_up_link_closed_is_given_back(server, seeded, browser, how):
    _, world = seeded
    incident_id, follow_up = _reported(server, world)
    context = new_context(browser)
    guest = context.new_page()
    guest.goto(follow_up)
    guest.wait_for_url(f"{server.url}/aanvullen")
    guest.get_by_role("heading", name="Melding aanvullen").wait_for()
    settle(guest)
    guest.get_by_label("Wat wil je toevoegen?").fill(TYPED)
    commit_text(guest, "Wat wil je toevoegen?")

    _close(server, incident_id, how)
    click_sent(guest, guest.get_by_role("button", name="Aanvulling toevoegen"))
    settle(guest)

    guest.get_by_role("heading", name="Deze link werkt niet meer").wait_for()
    guest.get_by_text("NIET opgeslagen").first.wait_for()
    shown = guest.locator("[data-testid=stMain]").inner_text()
    assert "Je aanvulling is opgeslagen" not in shown and "Traceback" not in shown
    assert guest.locator("[data-testid=stException]").count() == 0
    assert _supplements(server, incident_id) == 0

    guest.get_by_text("Dit had je ingevuld. Het is niet verstuurd").wait_for(timeout=5000)
    block = guest.locator(".st-key-unsent_report [data-testid=stText]")
    assert block.inner_text() == f"Je aanvulling:\n{TYPED}"
    block.select_text()  # the guest can select it to copy
    assert TYPED in guest.evaluate("getSelection().toString()")
    assert block.locator("b, strong, a, input, textarea").count() == 0  # plain text, nothing rendered
    dutch_only(guest)

    with store.unit(server.db_path) as db:
        everything = "\n".join(db.conn.iterdump())
    assert "testserver 9" not in everything  # not stored, not in the audit trail
    assert "testserver 9" not in server.log_path.read_text(encoding="utf-8")
    guest.reload()  # gone after a reload: it was in this browser session's memory only
    guest.locator("[data-testid=stApp], h1").first.wait_for()
    guest.wait_for_timeout(500)
    assert "testserver 9" not in guest.content()
    context.close()
