"""Report links (issue #16): the FG lets a processor, a partner or a group of staff without an
account report a suspected breach for one organisation, through a link.

The link holds a long random token (``secrets.token_urlsafe(32)``); the database keeps only its
SHA-256, as for sessions and one-time password links, so the plain link is shown once, when it
is made. A link is for one organisation, optionally one-time, always with an expiry date (at
most a year ahead), revocable with a reason, and never deleted. Making, using and revoking are
audited by number, never with the token or the label's words.

A report through a link counts as one use inside the report's own transaction
(``record_use``, called by ``handling.incidents.submit_report``): a one-time link is used up by
its first report, and a link revoked or expired meanwhile refuses the report. The report gets a
second, separate token (``with_follow_up``) bound to that one incident, valid for
``FOLLOW_UP_DAYS``: with it the reporter can read the report and add information, nothing else.
Opening either token is ``guest_sessions``."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlite_utils import Database

from datalek import clock, store
from datalek.accounts import audit
from datalek.accounts.guest import GuestActor
from datalek.accounts.permissions import Action, IncidentRef, OrgRef, PermissionDenied, refuse, require
from datalek.accounts.sessions import token_hash
from datalek.models import Actor, InvalidInput, LabelledEnum
from datalek.store import processors as party_sql
from datalek.store import report_links as sql

MAX_LABEL = 100
MAX_REASON = 1000
#: The latest expiry date a link can get, in days from today.
MAX_DAYS = 366
DEFAULT_DAYS = 90
#: How long the follow-up token of a report works.
FOLLOW_UP_DAYS = 30
REPORT_PATH = "/auth/melden"
FOLLOW_UP_PATH = "/auth/aanvullen"
QUERY_KEY = "t"

CLOSED = "Deze meldlink werkt niet meer. Er is niets opgeslagen. Vraag de FG om een nieuwe link."


class LinkKind(LabelledEnum):
    PARTY = "party"
    GROUP = "group"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {"party": "Verwerker of ketenpartner", "group": "Groep medewerkers zonder account"}


class LinkState(LabelledEnum):
    OPEN = "active"
    USED = "used"
    EXPIRED = "expired"
    REVOKED = "revoked"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "active": "werkt",
            "used": "gebruikt (eenmalig)",
            "expired": "verlopen",
            "revoked": "ingetrokken",
        }


def state_of(row: dict, at: datetime) -> LinkState:
    """What a link's row says now; revoked wins over expired, expired over used."""
    if row["revoked_at"]:
        return LinkState.REVOKED
    if clock.from_iso(row["expires_at"]) <= at:
        return LinkState.EXPIRED
    if row["one_time"] and row["uses"] > 0:
        return LinkState.USED
    return LinkState.OPEN


@dataclass(frozen=True)
class ReportLink:
    id: int
    org_id: int
    label: str
    kind: LinkKind
    party_name: str
    one_time: bool
    created_at: datetime
    expires_at: datetime
    uses: int
    state: LinkState
    revoked_reason: str

    @classmethod
    def from_row(cls, row: dict, at: datetime) -> ReportLink:
        return cls(
            id=row["id"],
            org_id=row["org_id"],
            label=row["label"],
            kind=LinkKind(row["kind"]),
            party_name=row.get("party_name") or "",
            one_time=bool(row["one_time"]),
            created_at=clock.from_iso(row["created_at"]),
            expires_at=clock.from_iso(row["expires_at"]),
            uses=row["uses"],
            state=state_of(row, at),
            revoked_reason=row["revoked_reason"],
        )


@dataclass(frozen=True)
class Made:
    """A new link: its row, and the link itself, shown this once."""

    link: ReportLink
    url: str


def url(base_url: str, token: str, path: str = REPORT_PATH) -> str:
    return f"{base_url.rstrip('/')}{path}?{QUERY_KEY}={token}"


def _expiry(value, today: date) -> datetime:
    """The end of the chosen day (Amsterdam), from tomorrow up to ``MAX_DAYS`` ahead."""
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        raise InvalidInput({"expires_on": "Kies tot wanneer de link werkt."})
    if value <= today:
        raise InvalidInput({"expires_on": "Kies een datum na vandaag."})
    if value > today + timedelta(days=MAX_DAYS):
        raise InvalidInput({"expires_on": "Een link werkt hoogstens een jaar. Kies een eerdere datum."})
    return datetime.combine(value + timedelta(days=1), datetime.min.time(), tzinfo=clock.AMSTERDAM)


def _checked(db: Database, org_id: int, values: dict, today: date) -> dict:
    errors: dict[str, str] = {}
    label = str(values.get("label") or "").strip()
    if not label:
        errors["label"] = "Geef de link een naam, bijvoorbeeld 'Uitzendkrachten zorg'."
    elif len(label) > MAX_LABEL:
        errors["label"] = f"Dit is te lang: gebruik hoogstens {MAX_LABEL} tekens."
    try:
        kind = LinkKind(values.get("kind"))
    except ValueError:
        kind = None
        errors["kind"] = "Kies voor wie de link is."
    party_id = values.get("party_id") if kind is LinkKind.PARTY else None
    if kind is LinkKind.PARTY:
        party = party_sql.party(db, party_id) if isinstance(party_id, int) else None
        if party is None or party["org_id"] != org_id or not party["active"]:
            errors["party_id"] = "Kies een verwerker of ketenpartner uit het register."
    try:
        expires = _expiry(values.get("expires_on"), today)
    except InvalidInput as exc:
        errors |= exc.errors
        expires = None
    if errors:
        raise InvalidInput(errors)
    return {
        "label": label,
        "kind": kind.value,
        "party_id": party_id,
        "one_time": int(bool(values.get("one_time"))),
        "expires_at": clock.to_iso(expires),
    }


def create(
    db: Database, actor: Actor, org_id: int, values: dict, base_url: str, at: datetime | None = None
) -> Made:
    """A new link for ``org_id`` (``values``: label, kind, party_id for a party, expires_on as a
    date, one_time). Only the FG of the organisation; the plain link comes back once."""
    require(db, actor, Action.MANAGE_REPORT_LINKS, OrgRef(org_id))
    at = at or clock.now()
    row = _checked(db, org_id, values, at.astimezone(clock.AMSTERDAM).date())
    token = secrets.token_urlsafe(32)
    row |= {
        "org_id": org_id,
        "token_hash": token_hash(token),
        "created_by": actor.user_id,
        "created_at": clock.to_iso(at),
    }
    with store.write(db):
        link_id = sql.insert_link(db, row)
        audit.append(
            db,
            actor,
            "report_link.create",
            "organisation",
            org_id,
            link_id=link_id,
            kind=row["kind"],
            one_time=bool(row["one_time"]),
        )
        stored = sql.link(db, link_id)
    return Made(ReportLink.from_row(stored, at), url(base_url, token))


def list_links(db: Database, actor: Actor, org_id: int, at: datetime | None = None) -> list[ReportLink]:
    """The organisation's links, newest first, with their state now."""
    require(db, actor, Action.MANAGE_REPORT_LINKS, OrgRef(org_id))
    at = at or clock.now()
    return [ReportLink.from_row(r, at) for r in sql.links_of(db, org_id)]


def revoke(db: Database, actor: Actor, link_id: int, reason: str, at: datetime | None = None) -> None:
    """The link stops working at once, for new visitors and for every browser that opened it;
    the row stays with who, when and why. An unknown link is refused like another's."""
    row = sql.link(db, link_id) if isinstance(link_id, int) else None
    if row is None:
        refuse(db, actor, Action.MANAGE_REPORT_LINKS, "organisation", None)
    require(db, actor, Action.MANAGE_REPORT_LINKS, OrgRef(row["org_id"]))
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput({"reason": "Schrijf waarom je de link intrekt."})
    if len(reason) > MAX_REASON:
        raise InvalidInput({"reason": f"Dit is te lang: gebruik hoogstens {MAX_REASON} tekens."})
    at = at or clock.now()
    with store.write(db):
        if not sql.revoke_link(db, link_id, actor.user_id, clock.to_iso(at), reason):
            raise InvalidInput({"reason": "Deze link was al ingetrokken."})
        ended = sql.delete_sessions_of_link(db, link_id)
        audit.append(
            db, actor, "report_link.revoke", "organisation", row["org_id"], link_id=link_id, count=ended
        )


# --- a report through a link ---------------------------------------------------------------------


def with_follow_up(actor: Actor) -> tuple[Actor, str | None]:
    """Before a guest's report is stored: a new follow-up token, and the actor that carries its
    hash into the report's transaction (``record_use``). Anyone else: unchanged, no token."""
    if not isinstance(actor, GuestActor) or not actor.reports:
        return actor, None
    token = secrets.token_urlsafe(32)
    return actor.model_copy(update={"follow_up_hash": token_hash(token)}), token


def record_use(db: Database, actor: Actor, incident_id: int, at_iso: str) -> None:
    """Inside the report's write transaction: a report through a link counts one use while the
    link is open (else ``PermissionDenied``, and nothing of the report is stored), marks the
    incident with its link and stores the follow-up token's hash. No-op for anyone else."""
    if not isinstance(actor, GuestActor) or not actor.reports:
        return
    if not sql.use_link(db, actor.link_id, at_iso):
        raise PermissionDenied(Action.REPORT.value, CLOSED)
    sql.mark_incident(db, incident_id, actor.link_id)
    if actor.follow_up_hash:
        expires = clock.from_iso(at_iso) + timedelta(days=FOLLOW_UP_DAYS)
        sql.insert_follow_up(
            db,
            {
                "incident_id": incident_id,
                "link_id": actor.link_id,
                "token_hash": actor.follow_up_hash,
                "created_at": at_iso,
                "expires_at": clock.to_iso(expires),
            },
        )
    audit.append(db, actor, "report_link.use", "incident", incident_id, link_id=actor.link_id)


def may_report(db: Database, actor: Actor, at: datetime | None = None) -> bool:
    """Whether the guest's link still takes a report (a one-time link used up does not)."""
    if not isinstance(actor, GuestActor) or not actor.reports:
        return False
    row = sql.link(db, actor.link_id)
    return row is not None and state_of(row, at or clock.now()) is LinkState.OPEN


def reported_through(db: Database, actor: Actor, incident_id: int) -> str | None:
    """The label of the link an incident was reported through, or None: for whoever may read
    the incident (the FG's incident view says "Gemeld via link: ...")."""
    require(db, actor, Action.READ_INCIDENT, IncidentRef(incident_id))
    row = sql.link_of_incident(db, incident_id)
    return row["label"] if row else None
