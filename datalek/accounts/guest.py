"""The actor of a browser without an account that opened a report link or a follow-up token
(issue #16). It may do exactly one thing (``permissions.allowed`` asks ``GuestActor`` first):

* through a report link (``link_id``): report for the link's one organisation (``org_ids``);
* through a follow-up token (``incident_id``): read that one report and add information to it.

It has no ``user_id``; every other action is refused, whatever its role says."""

from __future__ import annotations

from datalek.models import Actor, Role


class GuestActor(Actor):
    """A guest: bound to one link or to one incident, never both."""

    role: Role = Role.REPORTER
    #: the guest session (``guest_sessions.id``)
    guest_session_id: int
    #: a guest through a report link
    link_id: int | None = None
    #: a guest through a follow-up token: the one incident it may read and add to
    incident_id: int | None = None
    #: set only while a report is stored: the hash of the follow-up token made with it
    follow_up_hash: str | None = None

    @property
    def reports(self) -> bool:
        return self.link_id is not None

    @property
    def follows_up(self) -> bool:
        return self.incident_id is not None


def from_data(data: dict) -> Actor:
    """An actor as ``model_dump(mode="json")`` wrote it: a guest stays a guest."""
    return GuestActor.model_validate(data) if "guest_session_id" in data else Actor.model_validate(data)
