"""``GET /download/<token>``: a file a screen offered (``datalek.accounts.downloads``), handed
to the session that made it, once, within a minute, and never cached."""

from __future__ import annotations

from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from datalek import store
from datalek.accounts import downloads, sessions
from web import html


def _collect(token: str, cookie: str | None) -> downloads.Download:
    with store.unit() as db:
        resolved = sessions.resolve(db, cookie)
        return downloads.collect(db, token, resolved.actor, resolved.session_id)


def _attachment(file_name: str) -> str:
    ascii_name = file_name.encode("ascii", "replace").decode().replace('"', "").replace("?", "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(file_name)}"


async def download(request: Request) -> Response:
    token = request.path_params["token"]
    try:
        file = await run_in_threadpool(_collect, token, request.cookies.get(sessions.COOKIE))
    except downloads.DownloadRefused as refused:
        return html.message_page("Downloaden lukt niet", refused.message, refused.status)
    return Response(
        file.data,
        media_type=file.media_type,
        headers={
            "Content-Disposition": _attachment(file.file_name),
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )
