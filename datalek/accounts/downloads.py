"""Files with personal data leave the server only through ``/download/<token>``.

A screen that made a file (a register export, a letter, a concept notification, the yearly
report) *offers* it: the bytes wait in the database under a random one-time token, bound to the
session that made it and to what the file is about, for at most a minute. The download
route takes the offer out (so a second request finds nothing), and only hands it over when the
same session asks, in time, and the signed-in user may *still* do the action on that object —
the permission is checked again at download time. Every handed-over file is audited.

Streamlit's own ``st.download_button`` is never given such bytes: they would land in its media
store, which answers anyone who has the URL while the browser session lives.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlite_utils import Database

from datalek import clock, config, store
from datalek.accounts import audit, permissions
from datalek.accounts.permissions import AccountRef, Action, IncidentRef, OrgRef, OrgSelection, Subject
from datalek.accounts.sessions import token_hash
from datalek.models import Actor
from datalek.store import downloads as sql

PATH = "/download/"


@dataclass(frozen=True)
class Download:
    file_name: str
    media_type: str
    data: bytes


class DownloadRefused(Exception):
    """Why a download is not handed over: ``status`` (403/404) and a Dutch ``message``."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def _subject_json(on: Subject) -> str:
    if isinstance(on, IncidentRef):
        return json.dumps({"incident": on.id})
    if isinstance(on, OrgRef):
        return json.dumps({"organisation": on.id})
    if isinstance(on, OrgSelection):
        return json.dumps({"organisations": list(on.ids)})
    if isinstance(on, AccountRef):
        return json.dumps({"user": on.id})
    raise ValueError(f"a download must be about something: {on!r}")


def _subject(text: str) -> Subject:
    data = json.loads(text)
    if "incident" in data:
        return IncidentRef(data["incident"])
    if "organisation" in data:
        return OrgRef(data["organisation"])
    if "organisations" in data:
        return OrgSelection(tuple(data["organisations"]))
    return AccountRef(data["user"])


def offer(
    db: Database,
    actor: Actor,
    session_id: int,
    action: Action,
    on: Subject,
    file: Download,
    at: datetime | None = None,
) -> str:
    """Keep ``file`` for one download by this session; returns the URL path to fetch it."""
    permissions.require(db, actor, action, on)
    at = at or clock.now()
    token = secrets.token_urlsafe(32)
    with store.write(db):
        sql.prune(db, clock.to_iso(at))
        sql.insert(
            db,
            {
                "token_hash": token_hash(token),
                "session_id": session_id,
                "user_id": actor.user_id,
                "action": action.value,
                "subject": _subject_json(on),
                "file_name": file.file_name,
                "media_type": file.media_type,
                "data": file.data,
                "created_at": clock.to_iso(at),
                "expires_at": clock.to_iso(at + timedelta(seconds=config.download_seconds())),
            },
        )
    return PATH + token


GONE = "Deze downloadlink werkt niet (meer). Een link werkt één keer en één minuut lang. Maak het bestand opnieuw."


def collect(
    db: Database, token: str, actor: Actor | None, session_id: int | None, at: datetime | None = None
) -> Download:
    """Hand over the file behind ``token`` to the session that made it, once, in time, if the
    signed-in user may still have it. Raises ``DownloadRefused``."""
    at = at or clock.now()
    with store.write(db):
        row = sql.take(db, token_hash(token)) if token else None
    if actor is None or session_id is None:
        raise DownloadRefused(403, "Meld je eerst aan. Daarna kun je het bestand opnieuw maken.")
    if row is None or clock.from_iso(row["expires_at"]) <= at:
        raise DownloadRefused(404, GONE)
    if row["session_id"] != session_id or row["user_id"] != actor.user_id:
        with store.write(db):
            audit.append(db, actor, "refused", "download", None, attempted="download", reason="other_session")
        raise DownloadRefused(403, "Dit bestand is voor iemand anders gemaakt.")
    on = _subject(row["subject"])
    try:
        permissions.require(db, actor, Action(row["action"]), on)
    except permissions.PermissionDenied as exc:
        raise DownloadRefused(403, exc.message) from exc
    kind, object_id = next(iter(json.loads(row["subject"]).items()))
    with store.write(db):
        audit.append(
            db,
            actor,
            "download",
            kind,
            object_id if isinstance(object_id, int) else None,
            file=row["file_name"],
            permission=row["action"],
        )
    return Download(row["file_name"], row["media_type"], row["data"])
