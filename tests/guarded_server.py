"""The server's routes and guard without Streamlit, for tests that attack them over HTTP
(Starlette's TestClient): every page Streamlit would serve answers "de app"."""

from __future__ import annotations

from datetime import timedelta

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import HTMLResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from datalek import clock, store
from datalek.accounts import report_links
from web.guard import Guard
from web.routes import routes

BASE = "http://datalek.test"
HTML = {"accept": "text/html,application/xhtml+xml"}
LABEL = "Uitzendkrachten"


async def _streamlit_stand_in(request):
    return HTMLResponse("<html>de app</html>")


def client() -> TestClient:
    app = Starlette(
        routes=[*routes(), Route("/{path:path}", _streamlit_stand_in)], middleware=[Middleware(Guard)]
    )
    return TestClient(app, base_url=BASE, follow_redirects=False)


def report_link(db_path, world, **changes) -> tuple[int, str]:
    """A group report link of the world's organisation, made by its FG: (id, path with token)."""
    values = {"label": LABEL, "kind": "group", "expires_on": clock.today() + timedelta(days=7)}
    with store.unit(db_path) as db:
        made = report_links.create(db, world["dpo"], world.org.id, values | changes, BASE)
    return made.link.id, made.url.removeprefix(BASE)
