"""What an action is about: the subject a domain function names (``IncidentRef``, ``OrgRef`` …),
and what a rule looks at once ``permissions.require`` has looked it up (``Owner``, ``Account``)."""

from __future__ import annotations

from dataclasses import dataclass

from datalek.models import Role


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
