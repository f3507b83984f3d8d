"""What the roll-up reads of the parties an incident involved and of the chain it is in (issue
#16), as SQL fragments of ``rollup_facts._RAW`` (one incident ``i``):

* ``processors``: the processors that caused the breach (a link not removed, role 'caused',
  party kind 'processor'), as a JSON list of party ids; the figures count breaches per
  processor (its name is not personal data) and the breaches with at least one;
* ``party_aware``: the earliest moment a processor linked to the incident (any role, link not
  removed) knew of it; the delay to our awareness is counted in hours;
* ``proc_notice``: whether the processors that recorded both moments told us within the hours
  their agreement promises ('on_time'; 'late' as soon as one did not; NULL without both moments
  or without agreed hours), as ``handling.involvement_rules.Delay.late`` judges it;
* ``chain``: whether the incident is in a chain of incidents (a membership not removed).

Before the migrations that add these tables (0023 the parties, 0027 the chains) each fragment
is a constant, so that an earlier migration can install the roll-up of this version.
"""

from __future__ import annotations

from sqlite_utils import Database

#: The links of incident ``i`` to a processor that are not removed (``l`` the link, ``p`` the party).
_LINKS = """FROM incident_parties l JOIN parties p ON p.id = l.party_id
    WHERE l.incident_id = i.id AND l.removed_at IS NULL AND p.kind = 'processor'"""

FRAGMENTS = {
    "processors": f"""(SELECT json_group_array(l.party_id) {_LINKS}
        AND EXISTS (SELECT 1 FROM json_each(l.roles) r WHERE r.value = 'caused'))""",
    "party_aware": f"(SELECT min(l.party_aware_at) {_LINKS} AND l.party_aware_at IS NOT NULL)",
    "proc_notice": f"""(SELECT CASE WHEN count(*) = 0 THEN NULL
        WHEN max(round((julianday(l.party_told_at) - julianday(l.party_aware_at)) * 24, 6) > p.notice_hours)
        THEN 'late' ELSE 'on_time' END {_LINKS}
        AND l.party_aware_at IS NOT NULL AND l.party_told_at IS NOT NULL AND p.notice_hours IS NOT NULL)""",
    "chain": """EXISTS (SELECT 1 FROM chain_members c WHERE c.incident_id = i.id AND c.removed_at IS NULL)""",
}
#: The value of a fragment before its tables exist.
NOTHING = {"processors": "'[]'", "party_aware": "NULL", "proc_notice": "NULL", "chain": "0"}
#: The tables each fragment reads.
NEEDS = {
    "processors": ("incident_parties", "parties"),
    "party_aware": ("incident_parties", "parties"),
    "proc_notice": ("incident_parties", "parties"),
    "chain": ("chain_members",),
}


def tables(db: Database) -> set[str]:
    return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def has_rows(table: str) -> str:
    """Whether incident ``i`` has a row in ``table`` (whose ``incident_id`` is indexed): a probe
    of that index, in the full recount and in the triggers alike. A subquery that finds nothing
    costs more than the probe (10^6 incidents: seconds in the full recount)."""
    return f"i.id IN (SELECT incident_id FROM {table})"


#: The fragments that find nothing for an incident without links to parties (most): they are
#: read only for an incident with one (an index probe), else ``NOTHING``, which is what they
#: give over no links. 10^6 incidents: 2.6 s less in the full recount.
LINKED = ("processors", "party_aware", "proc_notice")


def fill(sql: str, db: Database) -> str:
    """``sql`` with each ``{fragment}`` replaced for this database."""
    present = tables(db)
    for name, fragment in FRAGMENTS.items():
        if not set(NEEDS[name]) <= present:
            fragment = NOTHING[name]
        elif name in LINKED:
            fragment = f"CASE WHEN {has_rows('incident_parties')} THEN {fragment} ELSE {NOTHING[name]} END"
        sql = sql.replace("{" + name + "}", fragment)
    return sql
