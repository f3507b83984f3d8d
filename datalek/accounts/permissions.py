"""Who may do what: one entry point, ``require(db, actor, Action.X, on)``, in the domain core.

Pages may hide what a role cannot use, but that is convenience. Every domain function calls
``require`` before it touches a row: it finds what the action is about (the organisation and
reporter of an incident, say), checks the rule for the action in ``RULES``, and on a refusal
writes an audit entry — in its own transaction — before it raises ``PermissionDenied``.
An unknown id is refused exactly like someone else's, so a refusal never tells whether a
thing exists.

Separation of duties: the beheerder manages accounts and organisations but reads no incident,
and never holds or sets an FG's credentials. The FG role is given only through a one-time link
to the FG's own address (``datalek.accounts.invitations``) or by the operator on the server;
the beheerder may switch an FG account off, never set its password or change its role.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NoReturn

from sqlite_utils import Database

from datalek import store
from datalek.accounts import audit
from datalek.accounts.guest import GuestActor
from datalek.models import Actor, Role
from datalek.store import accounts as account_sql
from datalek.store import ownership


class PermissionDenied(PermissionError):
    """The actor may not do this. ``message`` is Dutch, for the user."""

    def __init__(self, action: str, message: str = "Je hebt geen toegang tot deze gegevens."):
        super().__init__(action)
        self.action = action
        self.message = message


class Action(StrEnum):
    """Everything an actor can be refused. The value is the code the audit trail records."""

    # the employee's report
    REPORT = "incident.create"
    LIST_OWN_REPORTS = "incident.list_own"
    READ_INCIDENT = "incident.read"
    #: the reporter's name and address, for the FG who may contact them
    READ_REPORTER = "incident.reporter"
    SUPPLEMENT = "incident.supplement"
    REPORT_DRAFT = "report.draft"
    # the FG's work on one incident
    CHANGE_STATUS = "incident.status"
    READ_ASSESSMENT = "assessment.read"
    SAVE_ASSESSMENT = "assessment.save"
    RECORD_DECISION = "decision.record"
    READ_DECISION = "decision.read"
    READ_COMPLETENESS = "register.read"
    DRAFT_NOTIFICATION = "authority.concept"
    READ_NOTIFICATIONS = "authority.read"
    RECORD_NOTIFICATION = "authority.initial"
    RECORD_SUPPLEMENT = "authority.supplement"
    RECORD_WITHDRAWAL = "authority.withdrawal"
    READ_INFORMING = "subjects.read"
    RECORD_SAFETY_CHECK = "subjects.safety_check"
    MAKE_LETTER = "subjects.letter"
    RECORD_NOTICE = "subjects.notice"
    RECORD_PUBLIC_NOTICE = "subjects.public_notice"
    #: the informing list: families, persons, deviations and each family's safety
    MANAGE_HOUSEHOLDS = "subjects.households"
    ADD_MEASURE = "measure.add"
    CHANGE_MEASURE = "measure.status"
    READ_MEASURES = "measure.read"
    #: files attached to an incident as evidence (screenshots, the e-mail, the processor's report)
    ATTACH_EVIDENCE = "evidence.attach"
    READ_EVIDENCE = "evidence.read"
    #: what the organisation learned from an incident (recorded when it is closed)
    READ_LESSONS = "lesson.read"
    #: which processor or partner an incident involved, in which role, and its moments (#16)
    LINK_PARTIES = "incident.parties"
    #: merging a duplicate report into its main incident, and undoing it (#16)
    MERGE_INCIDENTS = "incident.merge"
    #: linking two incidents of one organisation that belong together, and removing the link (#16)
    LINK_INCIDENTS = "incident.link"
    #: the chain of an incident: its members (organisation and reference only), linked incidents
    #: made for other organisations, existing ones added (#16); an FG of both sides
    CHAIN_INCIDENTS = "incident.chain"
    #: which partner or controller was told about an incident, and their reply (#16)
    PARTNER_NOTICES = "incident.partner_notices"
    # the FG's lists
    SEE_QUEUE = "incident.queue"
    LIST_DEPARTMENTS = "incident.departments"
    SEE_REVIEWS = "subjects.reviews"
    SEE_OVERDUE_MEASURES = "measure.overdue"
    VIEW_REGISTER = "register.view"
    EXPORT_REGISTER = "register.export"
    # figures, never rows
    SEE_OVERVIEW = "stats.overview"
    SEE_DASHBOARD = "stats.dashboard"
    SEE_DEPARTMENT = "stats.department"
    MAKE_ANNUAL_REPORT = "annual_report.generate"
    # administration
    SEE_ALL_ORGANISATIONS = "organisation.list_all"
    CREATE_ORGANISATION = "organisation.create"
    CREATE_USER = "user.create"
    LIST_USERS = "user.list"
    READ_USER = "user.read"
    FIND_USER = "user.find"
    ENABLE_USER = "user.enable"
    DISABLE_USER = "user.disable"
    SET_PASSWORD = "user.password"
    #: one's own job title and phone (the notifier in a concept AP-melding)
    SET_OWN_CONTACT = "user.contact"
    CHANGE_ROLE = "user.role"
    #: the FG role is given only by invitation, or by the operator on the server
    GRANT_DPO = "user.grant_dpo"
    INVITE_DPO = "invitation.dpo"
    INVITE_DEPUTY = "invitation.deputy"
    LIST_DPO_TEAM = "user.list_dpo"
    SEND_RESET_LINK = "invitation.reset"
    PRINT_LINK = "invitation.print"
    CHANGE_DPO_CONTACT = "organisation.dpo_contact"
    #: the deputy FG, management contact and reminder points of the notification period
    REMINDER_SETTINGS = "organisation.reminders"
    #: the organisation's letter texts per kind of reader (versioned)
    LETTER_TEMPLATES = "organisation.letter_templates"
    #: the organisation's processors and partners: read, add, change, end, import (#16)
    MANAGE_PARTIES = "organisation.parties"
    EXPORT_PARTIES = "organisation.parties_export"
    #: links to report without an account, for a processor, partner or group of staff (#16)
    MANAGE_REPORT_LINKS = "organisation.report_links"
    #: the small-number threshold of the organisation's figures (never below the installation's)
    SMALL_NUMBER = "organisation.small_number"
    #: the FG's narrative and theme summaries of a year, for the board (and the lessons they sum up)
    WRITE_NARRATIVE = "narrative.write"
    READ_RETENTION = "retention.read"
    SET_RETENTION = "retention.set"
    LIST_RETENTION_DUE = "retention.list"
    PURGE = "retention.purge"
    VERIFY_AUDIT = "audit.verify"
    READ_AUDIT = "audit.read"
    SETUP = "setup"


# --- what an action is about -------------------------------------------------------------------


@dataclass(frozen=True)
class IncidentRef:
    """An incident by id; ``require`` looks up its organisation and reporter."""

    id: int


@dataclass(frozen=True)
class MeasureRef:
    """A measure by id; it belongs to the organisation of its incident."""

    id: int


@dataclass(frozen=True)
class OrgRef:
    id: int


@dataclass(frozen=True)
class OrgSelection:
    """The organisations a set of figures is about."""

    ids: tuple[int, ...]


@dataclass(frozen=True)
class AccountRef:
    """An account by id; ``require`` looks up its role."""

    id: int


Subject = IncidentRef | MeasureRef | OrgRef | OrgSelection | AccountRef | None


@dataclass(frozen=True)
class Owner:
    """Whose an incident is: what the rules about incidents look at."""

    incident_id: int
    org_id: int
    reporter_id: int | None


@dataclass(frozen=True)
class Account:
    """An account as the rules about accounts see it: which one, and its role."""

    id: int
    role: Role


# --- the rules, as pure predicates over (actor, what the action is about) ---------------------


def _dpo_of(actor: Actor, org_id: int) -> bool:
    return actor.role is Role.DPO and org_id in actor.org_ids


def _handles(actor: Actor, owner: Owner) -> bool:
    """The FG of the incident's organisation."""
    return _dpo_of(actor, owner.org_id)


def _reads(actor: Actor, owner: Owner) -> bool:
    """The FG of the incident's organisation, or the employee who reported it."""
    if actor.role is Role.REPORTER:
        return actor.user_id is not None and owner.reporter_id == actor.user_id
    return _handles(actor, owner)


def _reports(actor: Actor, org: OrgRef) -> bool:
    return actor.role in (Role.REPORTER, Role.DPO) and org.id in actor.org_ids


def _own_draft(actor: Actor, account: Account) -> bool:
    """A report being written: only by the account that writes it, and only if it may report."""
    may_report = actor.role in (Role.REPORTER, Role.DPO)
    return may_report and actor.user_id is not None and actor.user_id == account.id


def _has_account(actor: Actor, _: Any) -> bool:
    return actor.user_id is not None


def _dpo_lists(actor: Actor, org: OrgRef | None) -> bool:
    """The FG's own lists, of all their organisations or of one of them."""
    return actor.role is Role.DPO and (org is None or org.id in actor.org_ids)


def _register(actor: Actor, org: OrgRef) -> bool:
    """The register of an organisation: its FG, or the operator on the server."""
    return _dpo_of(actor, org.id) or actor.system


def _figures(actor: Actor, selection: OrgSelection) -> bool:
    """Figures of one organisation or of all the actor's, never a subset: a subset would let
    two selections be subtracted from each other (see ``datalek.insight.disclosure``)."""
    ids = set(selection.ids)
    return (
        actor.role in (Role.MANAGEMENT, Role.DPO)
        and bool(ids)
        and ids <= set(actor.org_ids)
        and (len(ids) == 1 or ids == set(actor.org_ids))
    )


def _administers(actor: Actor, _: Any = None) -> bool:
    return actor.role is Role.ADMIN or actor.system


def _self_or_admin(actor: Actor, account: Account) -> bool:
    return _administers(actor) or actor.user_id == account.id


def _on_the_server(actor: Actor, _: Any = None) -> bool:
    """The operator at the command line on the server, never a signed-in account."""
    return actor.system


def _manages(actor: Actor, account: Account) -> bool:
    """Separation of duties: the beheerder manages accounts, but never an FG's credentials or
    role (the beheerder may only disable an FG account). The operator on the server may."""
    return actor.system or (actor.role is Role.ADMIN and account.role is not Role.DPO)


def _own_account(actor: Actor, account: Account) -> bool:
    """One's own account only, or the operator on the server."""
    return actor.system or (actor.user_id is not None and actor.user_id == account.id)


def _sets_password(actor: Actor, account: Account) -> bool:
    """One's own password; the beheerder's for a non-FG account; the operator's on the server."""
    return actor.user_id == account.id or _manages(actor, account)


def _dpo_of_org(actor: Actor, org: OrgRef) -> bool:
    """An FG, for one of her own organisations (a deputy FG is invited by the FG)."""
    return _dpo_of(actor, org.id)


def _dpo_or_operator(actor: Actor, org: OrgRef) -> bool:
    """The FG of the organisation, or the operator on the server (not the beheerder: how much
    the figures hide is a judgement about privacy, the FG's, not about accounts)."""
    return _dpo_of(actor, org.id) or actor.system


def _chains(actor: Actor, about: Owner | OrgRef) -> bool:
    """A chain joins incidents of several organisations: the FG of the incident for its side
    (an ``Owner``), and the FG of the organisation for each other side (an ``OrgRef``)."""
    return _dpo_of(actor, about.org_id if isinstance(about, Owner) else about.id)


def _never(actor: Actor, _: Any) -> bool:
    return False


Rule = Callable[[Actor, Any], bool]
HANDLER_ACTIONS = (
    Action.CHANGE_STATUS,
    Action.READ_ASSESSMENT,
    Action.SAVE_ASSESSMENT,
    Action.RECORD_DECISION,
    Action.READ_DECISION,
    Action.READ_COMPLETENESS,
    Action.DRAFT_NOTIFICATION,
    Action.READ_NOTIFICATIONS,
    Action.RECORD_NOTIFICATION,
    Action.RECORD_SUPPLEMENT,
    Action.RECORD_WITHDRAWAL,
    Action.READ_INFORMING,
    Action.RECORD_SAFETY_CHECK,
    Action.MAKE_LETTER,
    Action.RECORD_NOTICE,
    Action.RECORD_PUBLIC_NOTICE,
    Action.MANAGE_HOUSEHOLDS,
    Action.ADD_MEASURE,
    Action.CHANGE_MEASURE,
    Action.READ_MEASURES,
    Action.ATTACH_EVIDENCE,
    Action.READ_EVIDENCE,
    Action.READ_LESSONS,
    Action.LINK_PARTIES,
    Action.MERGE_INCIDENTS,
    Action.LINK_INCIDENTS,
)
ADMIN_ACTIONS = (
    Action.SEE_ALL_ORGANISATIONS,
    Action.CREATE_ORGANISATION,
    Action.CREATE_USER,
    Action.LIST_USERS,
    Action.FIND_USER,
    Action.ENABLE_USER,
    Action.DISABLE_USER,
    Action.READ_RETENTION,
    Action.SET_RETENTION,
    Action.LIST_RETENTION_DUE,
    Action.PURGE,
    Action.VERIFY_AUDIT,
    Action.READ_AUDIT,
    Action.INVITE_DPO,
    Action.SEND_RESET_LINK,
    Action.CHANGE_DPO_CONTACT,
)

#: The rule for every action. A test checks that no action is left without one.
RULES: dict[Action, Rule] = {
    Action.REPORT: _reports,
    Action.LIST_OWN_REPORTS: _has_account,
    Action.READ_INCIDENT: _reads,
    Action.READ_REPORTER: _handles,
    Action.SUPPLEMENT: _reads,
    Action.REPORT_DRAFT: _own_draft,
    **dict.fromkeys(HANDLER_ACTIONS, _handles),
    **dict.fromkeys(
        (Action.SEE_QUEUE, Action.LIST_DEPARTMENTS, Action.SEE_REVIEWS, Action.SEE_OVERDUE_MEASURES),
        _dpo_lists,
    ),
    Action.VIEW_REGISTER: _register,
    Action.EXPORT_REGISTER: _register,
    **dict.fromkeys(
        (Action.SEE_OVERVIEW, Action.SEE_DASHBOARD, Action.SEE_DEPARTMENT, Action.MAKE_ANNUAL_REPORT),
        _figures,
    ),
    **dict.fromkeys(ADMIN_ACTIONS, _administers),
    Action.READ_USER: _self_or_admin,
    Action.SET_PASSWORD: _sets_password,
    Action.SET_OWN_CONTACT: _own_account,
    Action.CHANGE_ROLE: _manages,
    Action.GRANT_DPO: _on_the_server,
    Action.PRINT_LINK: _on_the_server,
    Action.INVITE_DEPUTY: _dpo_of_org,
    Action.LIST_DPO_TEAM: _dpo_of_org,
    Action.REMINDER_SETTINGS: _dpo_of_org,
    Action.LETTER_TEMPLATES: _dpo_of_org,
    Action.MANAGE_PARTIES: _dpo_of_org,
    Action.CHAIN_INCIDENTS: _chains,
    Action.PARTNER_NOTICES: _handles,
    Action.EXPORT_PARTIES: _dpo_of_org,
    # Who may report without an account is the FG's call, as the party register is; not the
    # beheerder's, who manages accounts but never what reaches the FG's queue.
    Action.MANAGE_REPORT_LINKS: _dpo_of_org,
    Action.WRITE_NARRATIVE: _dpo_of_org,
    Action.SMALL_NUMBER: _dpo_or_operator,
    # Setup is refused as soon as any account exists, checked inside its own transaction.
    Action.SETUP: _never,
}


def _guest_allowed(guest: GuestActor, action: Action, about: Any) -> bool:
    """A browser without an account (``datalek.accounts.guest``): through a report link only
    REPORT for the link's organisation; through a follow-up token only reading and adding to
    its one incident. Nothing else, whatever its role."""
    if action is Action.REPORT:
        return guest.reports and isinstance(about, OrgRef) and about.id in guest.org_ids
    if action in (Action.READ_INCIDENT, Action.SUPPLEMENT):
        return guest.follows_up and isinstance(about, Owner) and about.incident_id == guest.incident_id
    return False


def allowed(actor: Actor, action: Action, about: Any = None) -> bool:
    """The rule for ``action``, for an actor and what it is about (an ``Owner`` for incidents)."""
    if isinstance(actor, GuestActor):
        return _guest_allowed(actor, action, about)
    return RULES[action](actor, about)


# --- the entry point ---------------------------------------------------------------------------


def _resolve(db: Database, on: Subject) -> tuple[str, int | str | None, Any, bool]:
    """(object type, object id, what the rule looks at, whether it exists)."""
    if isinstance(on, IncidentRef | MeasureRef):
        kind = "incident" if isinstance(on, IncidentRef) else "measure"
        incident_id = on.id if isinstance(on, IncidentRef) else ownership.incident_of_measure(db, on.id)
        row = ownership.incident_owner(db, incident_id) if incident_id is not None else None
        owner = Owner(incident_id, row["org_id"], row["reporter_id"]) if row else None
        return kind, on.id, owner, owner is not None
    if isinstance(on, OrgRef):
        return "organisation", on.id, on, True
    if isinstance(on, AccountRef):
        row = account_sql.user(db, on.id)
        account = Account(row["id"], Role(row["role"])) if row else None
        return "user", on.id, account, account is not None
    return "", None, on, True


def require(
    db: Database, actor: Actor | None, action: Action, on: Subject = None, message: str | None = None
) -> Owner | None:
    """Go on only if ``actor`` may do ``action`` on ``on``; otherwise refuse (audited), with
    ``message`` (Dutch) when the refusal needs more words than "no access".

    Returns the incident's ``Owner`` when ``on`` is an incident or a measure, else None."""
    kind, object_id, about, exists = _resolve(db, on)
    if actor is None or not exists or not allowed(actor, action, about):
        refuse(db, actor, action, kind, object_id, message if exists else None)
    return about if isinstance(about, Owner) else None


def refuse(
    db: Database,
    actor: Actor | None,
    action: Action,
    object_type: str = "",
    object_id: int | str | None = None,
    message: str | None = None,
) -> NoReturn:
    """Audit the refusal in its own transaction, then raise. For refusals that depend on the
    data rather than on a rule (a department too small to show, a setup already done)."""
    if db.conn.in_transaction:
        raise RuntimeError("check permissions before opening a write transaction")
    store.first_in_next_write(db, None)  # a refusal is audited as such, never as a form's submission
    with store.write(db):
        audit.append(db, actor, "refused", object_type, object_id, attempted=action.value)
    raise PermissionDenied(action.value, message) if message else PermissionDenied(action.value)
