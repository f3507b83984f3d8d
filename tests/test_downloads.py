"""Files with personal data go out once, to the session that made them, within a minute, and
only while the user may still have them (``datalek.accounts.downloads``); and the route that
hands them over (``web/downloads.py``) over HTTP."""

from __future__ import annotations

from datetime import timedelta

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from datalek import store
from datalek.accounts import downloads, sessions
from datalek.accounts.downloads import Download, DownloadRefused
from datalek.accounts.permissions import Action, IncidentRef, OrgRef, OrgSelection, PermissionDenied
from datalek.handling import incidents
from tests.conftest import NOW, make_report
from web.routes import routes

FILE = Download("register-2026.csv", "text/csv", b"Kenmerk;Status\nDL-2026-0001;open\n")


def session_of(db, actor) -> tuple[str, int]:
    token = sessions.open_session(db, actor.user_id, method="password", client="c", user_agent="u", at=NOW)
    return token, sessions.resolve(db, token, at=NOW).session_id


@pytest.fixture
def offered(fresh_db, world):
    dpo = world["dpo"]
    token, session_id = session_of(fresh_db, dpo)
    path = downloads.offer(
        fresh_db, dpo, session_id, Action.EXPORT_REGISTER, OrgRef(world.org.id), FILE, at=NOW
    )
    return path.removeprefix(downloads.PATH), token, session_id


def test_the_session_that_made_it_gets_it_once(fresh_db, world, offered):
    key, _, session_id = offered
    assert downloads.collect(fresh_db, key, world["dpo"], session_id, at=NOW + timedelta(seconds=5)) == FILE
    with pytest.raises(DownloadRefused) as again:
        downloads.collect(fresh_db, key, world["dpo"], session_id, at=NOW + timedelta(seconds=6))
    assert again.value.status == 404


def test_after_a_minute_it_is_gone(fresh_db, world, offered):
    key, _, session_id = offered
    with pytest.raises(DownloadRefused) as late:
        downloads.collect(fresh_db, key, world["dpo"], session_id, at=NOW + timedelta(seconds=60))
    assert late.value.status == 404 and "één minuut" in late.value.message


def test_without_a_session_nothing_and_the_offer_is_spent(fresh_db, world, offered):
    key, _, session_id = offered
    with pytest.raises(DownloadRefused) as anonymous:
        downloads.collect(fresh_db, key, None, None, at=NOW)
    assert anonymous.value.status == 403
    with pytest.raises(DownloadRefused):  # a leaked link is worth nothing after one try
        downloads.collect(fresh_db, key, world["dpo"], session_id, at=NOW)


def test_another_session_of_the_same_user_is_refused(fresh_db, world, offered):
    key, _, _ = offered
    _, other_session = session_of(fresh_db, world["dpo"])
    with pytest.raises(DownloadRefused) as other:
        downloads.collect(fresh_db, key, world["dpo"], other_session, at=NOW)
    assert other.value.status == 403


def test_a_user_who_lost_the_right_meanwhile_is_refused(fresh_db, world, offered):
    key, _, session_id = offered
    with store.write(fresh_db):  # the FG leaves the organisation between making and fetching
        fresh_db.execute("DELETE FROM memberships WHERE user_id = ?", [world["dpo"].user_id])
    from datalek.accounts.auth import actor_for

    now_actor = actor_for(fresh_db, world["dpo"].user_id)
    with pytest.raises(DownloadRefused) as refused:
        downloads.collect(fresh_db, key, now_actor, session_id, at=NOW)
    assert refused.value.status == 403


def test_nobody_can_offer_what_they_may_not_make(fresh_db, world):
    reporter = world["reporter"]
    _, session_id = session_of(fresh_db, reporter)
    with pytest.raises(PermissionDenied):
        downloads.offer(
            fresh_db, reporter, session_id, Action.EXPORT_REGISTER, OrgRef(world.org.id), FILE, at=NOW
        )


@pytest.mark.parametrize(
    "subject",
    [IncidentRef(7), OrgRef(3), OrgSelection((1, 2))],
)
def test_what_a_file_is_about_survives_the_round_trip(subject):
    assert downloads._subject(downloads._subject_json(subject)) == subject


def test_a_handed_over_file_is_audited(fresh_db, world, offered):
    key, _, session_id = offered
    downloads.collect(fresh_db, key, world["dpo"], session_id, at=NOW)
    (entry,) = fresh_db.query(
        "SELECT actor_id, object_type, object_id FROM audit_log WHERE action = 'download'"
    )
    assert entry == {
        "actor_id": world["dpo"].user_id,
        "object_type": "organisation",
        "object_id": str(world.org.id),
    }


def test_stale_offers_are_pruned_when_a_new_one_is_made(fresh_db, world, offered):
    dpo = world["dpo"]
    _, session_id = session_of(fresh_db, dpo)
    later = NOW + timedelta(minutes=5)
    downloads.offer(fresh_db, dpo, session_id, Action.EXPORT_REGISTER, OrgRef(world.org.id), FILE, at=later)
    assert fresh_db.execute("SELECT count(*) FROM download_offers").fetchone()[0] == 1


# --- the route ------------------------------------------------------------------------------


@pytest.fixture
def http(db_path) -> TestClient:
    return TestClient(Starlette(routes=routes()), base_url="http://datalek.test", follow_redirects=False)


def offer_now(world, letter: bool = False) -> tuple[str, str]:
    """A file offered just now through a real session: (its URL path, the session cookie)."""
    dpo = world["dpo"]
    with store.unit() as db:
        token = sessions.open_session(db, dpo.user_id, method="password", client="c", user_agent="u")
        session_id = sessions.resolve(db, token).session_id
        if letter:
            made = incidents.submit_report(db, world["reporter"], make_report(world.org.id))
            path = downloads.offer(
                db,
                dpo,
                session_id,
                Action.MAKE_LETTER,
                IncidentRef(made.id),
                Download("brief-één.txt", "text/plain; charset=utf-8", b"Beste ouder"),
            )
        else:
            path = downloads.offer(db, dpo, session_id, Action.EXPORT_REGISTER, OrgRef(world.org.id), FILE)
    return path, token


def test_the_route_hands_the_file_over_as_an_uncached_attachment(http, world):
    path, cookie = offer_now(world, letter=True)
    http.cookies.set(sessions.COOKIE, cookie)
    response = http.get(path)
    assert response.status_code == 200
    assert response.content == b"Beste ouder"
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["content-disposition"].startswith("attachment;")
    assert "filename*=UTF-8''brief-%C3%A9%C3%A9n.txt" in response.headers["content-disposition"]
    assert http.get(path).status_code == 404  # once


def test_the_route_refuses_a_request_without_the_session_cookie(http, world):
    path, cookie = offer_now(world)
    anonymous = http.get(path)
    assert anonymous.status_code == 403 and "Meld je eerst aan" in anonymous.text
    http.cookies.set(sessions.COOKIE, cookie)
    assert http.get(path).status_code == 404  # spent by the attempt
