"""A chain never opens another organisation's incident (issue #16): for generated chains over
generated organisations, an FG of some of them reads every path there is — the incident, its
chain, its parties and partner notices, the queue, the register on screen and as a file, the
figures, the audit trail — and finds nothing of another organisation's incident but its
reference, its organisation's name and the chain's shared description."""

from __future__ import annotations

import contextlib
import itertools
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from datalek import clock
from datalek.accounts import audit_trail, auth
from datalek.accounts.organisations import create_organisation
from datalek.accounts.permissions import PermissionDenied
from datalek.accounts.users import create_user
from datalek.handling import chains, incidents, involvement, partner_notices
from datalek.handling.chains import Target
from datalek.handling.partner_notices import NoticeInput, Partner
from datalek.insight import register_export, stats
from datalek.models import Actor, Role
from tests.conftest import PASSWORD, make_report

SHARED = "Storing bij de leverancier van het zaaksysteem."
_count = itertools.count(1)


def _secret(n: int, what: str) -> str:
    return f"Geheim{n}x{what}"


def _build(db, org_count, incident_orgs, labels, linked):
    """Organisations, an incident per entry of ``incident_orgs`` with secrets in every text,
    chains of the incidents with the same label (one per organisation), and a partner notice
    on every incident; made by an FG of all of them."""
    cli = Actor.cli()
    run = next(_count)
    orgs = [create_organisation(db, cli, f"Organisatie {run}-{k}").id for k in range(org_count)]
    everyone = create_user(db, cli, f"Fg {run}", f"fg{run}@test.invalid", Role.DPO, PASSWORD, orgs)
    operator = auth.actor_for(db, everyone.id)
    now = clock.now()
    made = []  # (incident id, org id, secret number)
    for k, org_index in enumerate(incident_orgs):
        org_id = orgs[org_index % org_count]
        n = run * 100 + k
        report = make_report(
            org_id,
            now=now,
            description=_secret(n, "beschrijving"),
            actions_taken=_secret(n, "gedaan"),
            department=_secret(n, "afdeling"),
            occurred_from=now - timedelta(hours=9),
            discovered_at=now - timedelta(hours=8),
        )
        made.append((incidents.submit_report(db, operator, report, at=now).id, org_id, n))
    for label in sorted(set(labels) - {0}):
        members = [m for m, lab in zip(made[: len(incident_orgs)], labels, strict=False) if lab == label]
        if not members:
            continue
        first, seen = members[0], {members[0][1]}
        for incident_id, org_id, _ in members[1:]:
            if org_id not in seen:
                chains.add_existing(db, operator, first[0], incident_id, SHARED)
                seen.add(org_id)
        free = [o for o in orgs if o not in seen]
        if linked and free:
            for new_id in chains.create_linked(db, operator, first[0], [Target(free[0])], SHARED):
                made.append((new_id, free[0], None))
    for incident_id, _, n in made:
        if n is not None:
            partner_notices.record(
                db,
                operator,
                incident_id,
                NoticeInput(Partner(name=_secret(n, "partner")), _secret(n, "verteld"), now, "email"),
            )
    return orgs, made


def _reads(db, viewer: Actor, orgs: list[int], made) -> list[object]:
    """Everything the viewer gets back from every read path (refusals give nothing)."""
    year = clock.now().astimezone(clock.AMSTERDAM).year
    today = clock.now().astimezone(clock.AMSTERDAM).date()
    calls = []
    for incident_id, _, _ in made:
        for read in (
            incidents.read_incident,
            incidents.reporter,
            chains.of_incident,
            chains.candidates,
            partner_notices.for_incident,
            partner_notices.history,
            involvement.for_incident,
        ):
            calls.append(lambda read=read, i=incident_id: read(db, viewer, i))
    for org_id in orgs:
        calls.append(lambda o=org_id: register_export.view(db, viewer, o, year))
        calls.append(lambda o=org_id: register_export.export(db, viewer, o, year, "csv"))
        calls.append(lambda o=org_id: register_export.export_period(db, viewer, o, today, today, "html"))
        calls.append(lambda o=org_id: stats.dashboard(db, viewer, year, o))
    calls += [
        lambda: incidents.queue(db, viewer),
        lambda: incidents.departments(db, viewer),
        lambda: stats.dashboard(db, viewer, year),
        lambda: audit_trail.recent_entries(db, viewer),
    ]
    found = []
    for call in calls:
        with contextlib.suppress(PermissionDenied):
            found.append(call())
    return found


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    org_count=st.integers(2, 4),
    incident_orgs=st.lists(st.integers(0, 3), min_size=2, max_size=6),
    labels=st.lists(st.integers(0, 2), min_size=6, max_size=6),
    linked=st.booleans(),
    sees=st.sets(st.integers(0, 3), min_size=1, max_size=3),
)
def test_an_fg_reads_nothing_of_another_organisations_incident_but_the_link(
    fresh_db, org_count, incident_orgs, labels, linked, sees
):
    db = fresh_db
    orgs, made = _build(db, org_count, incident_orgs, labels, linked)
    own = sorted({orgs[k % org_count] for k in sees})
    if len(own) == len(orgs):
        own = own[:-1]  # the viewer is FG of some, not all
    cli = Actor.cli()
    user = create_user(
        db, cli, f"Kijker {next(_count)}", f"v{next(_count)}@test.invalid", Role.DPO, PASSWORD, own
    )
    viewer = auth.actor_for(db, user.id)
    found = _reads(db, viewer, orgs, made)
    text = repr([x.decode("utf-8") if isinstance(x, bytes) else x for x in found])
    for incident_id, org_id, n in made:
        if org_id in own or n is None:
            continue
        for what in ("beschrijving", "gedaan", "afdeling", "partner", "verteld"):
            assert _secret(n, what) not in text, (incident_id, what)
    for result in found:
        if isinstance(result, chains.Chain):
            for m in result.members:
                mine = m.incident_id is not None
                assert mine == m.own
                if not m.own:
                    assert (m.removed_reason, m.incident_id) == ("", None)
