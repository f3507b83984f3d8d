"""What the roll-up counts: the facts of each incident and measure, and their cells.

``FACTS_NOW`` reads one incident's figures from the sources (the latest decision, the AP
notifications, the notices, the latest assessment); ``cells_sql`` turns facts into the cells
of ``stats_cube`` (``datalek.store.rollup`` keeps them up to date). The definitions follow
``docs/domain/figures.md`` ("How Datalek counts"): the outcome of a report is its latest
decision, breakdowns of causes and data count breaches only, durations are never clamped.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlite_utils import Database

from datalek.store import rollup_parties

#: The members of an assessment's facts (``triage.facts.Facts``) the figures read.
FACT_KEYS = ("data_categories", "natures", "groups", "family_file", "people_count_kind", "people_count")

#: The raw moments and answers of an incident (``d`` its latest decision, ``a`` its latest
#: assessment, each found once and read by rowid); ``{duplicate}`` is the latest decision's
#: ``duplicate_of`` (NULL before migration 0020 added it), ``{delay_kind}`` the kind of the
#: reason for a delay ('' before migration 0022 added it); ``{undone}`` is true when the latest
#: decision merged the report into another and that merge was undone (issue #16, migration
#: 0026): the report is undecided again, not a duplicate. ``{changed}`` and ``{published}`` are
#: true when the incident has a change of a moment or a public notice
#: (``rollup_parties.has_rows``): most have neither, and an index probe costs less than a
#: subquery that finds nothing (10^6 incidents: seconds in the full recount; the same answers).
_RAW = """
SELECT i.id, i.year, i.org_id, i.department, i.month, i.incident_type, i.status, i.reported_at,
    round((julianday(i.reported_at) - julianday(i.discovered_at)) * 24, 3) > 24 AS late_report,
    i.repeat_of IS NOT NULL AS is_repeat,
    i.status IN ('reported', 'in_progress', 'decided') AS is_open,
    CASE WHEN {undone} THEN NULL ELSE d.kind END AS decision,
    d.lawful_basis AS basis,
    {duplicate} AS duplicate,
    (SELECT min(d.decided_at) FROM decisions d WHERE d.incident_id = i.id) AS first_decided,
    (SELECT min(d.decided_at) FROM decisions d WHERE d.incident_id = i.id AND d.kind = 'breach')
        AS breach_decided,
    (SELECT min(a.submitted_at) FROM authority_notifications a
     WHERE a.incident_id = i.id AND a.kind = 'initial') AS notified_at,
    EXISTS (SELECT 1 FROM authority_notifications w WHERE w.incident_id = i.id
            AND w.kind = 'withdrawal') AS withdrawn,
    -- judged from the awareness as it stood when the AP was notified (a later change of the
    -- moment never makes a late notification timely: datalek.handling.moments.judged_from)
    coalesce(CASE WHEN {changed} THEN (SELECT c.old_value FROM incident_changes c WHERE c.incident_id = i.id
              AND c.field = 'aware_at' AND c.after_notification ORDER BY c.id LIMIT 1) END, i.aware_at)
        AS aware,
    lower(coalesce(nullif(trim((SELECT a.late_reason FROM authority_notifications a
        WHERE a.incident_id = i.id AND a.kind = 'initial' ORDER BY a.submitted_at LIMIT 1)), ''),
        trim(i.delay_reason))) AS reason,
    {delay_kind} AS reason_kind,
    -- the first day the people were told (a notice not withdrawn, or a public notice); both
    -- dates are NOT NULL, so the incident counts as informed exactly when there is one
    CASE WHEN {published} THEN (SELECT min(x) FROM (SELECT s.informed_on AS x FROM subject_notices s
        WHERE s.incident_id = i.id AND s.withdrawn_at IS NULL
        UNION ALL SELECT p.published_on FROM public_notices p WHERE p.incident_id = i.id))
    ELSE (SELECT min(s.informed_on) FROM subject_notices s WHERE s.incident_id = i.id AND s.withdrawn_at IS NULL)
    END AS informed_on,
    a.risk AS risk,
    -- only the members the figures read (``FACT_KEYS``), as a JSON array in that order, parsed
    -- once: each JSON function below parses its text again (SQLite 3.40), and the whole facts
    -- are about 1 100 bytes, these about 90
    json_extract(a.facts, {fact_paths}) AS facts,
    {processors} AS processors,
    {party_aware} AS party_aware,
    {proc_notice} AS proc_notice,
    {chain} AS chain
FROM incidents i
LEFT JOIN decisions d ON d.id = (SELECT x.id FROM decisions x WHERE x.incident_id = i.id
    ORDER BY x.decided_at DESC, x.id DESC LIMIT 1)
LEFT JOIN assessments a ON a.id = (SELECT x.id FROM assessments x WHERE x.incident_id = i.id
    ORDER BY x.version DESC LIMIT 1)""".replace("{fact_paths}", ", ".join(f"'$.{k}'" for k in FACT_KEYS))


#: The last words of ``_RAW``: where it ends inside ``FACTS_NOW``.
_RAW_END = "ORDER BY x.version DESC LIMIT 1)"


def _fact(key: str) -> str:
    """The path of member ``key`` of the facts in ``_RAW``'s array (``FACT_KEYS``' order)."""
    return f"'$[{FACT_KEYS.index(key)}]'"


#: Key words that sort the FG's reason for a late notification into a fixed group (the text
#: never leaves the register): (group, LIKE patterns), the first match counts.
LATE_REASONS = [
    ("processor", ["verwerker", "leverancier", "derde", "ketenpartner", "partij"]),
    ("investigation", ["onderzo", "uitzoek", "uit te zoeken", "analyse", "vaststel", "nagaan", "duidelijk"]),
    (
        "internal",
        ["weekend", "vakantie", "feestdag", "afwezig", "ziek", "vrij", "bereikbaar", "pas na", "laat bij"],
    ),
]
#: The special categories (``triage.facts.SPECIAL_CATEGORIES``: art. 9 and 10 AVG and the
#: youth-care files that hold them); the store may not import the triage, a test compares them.
SPECIAL = ("health", "care_file", "child_protection", "criminal", "racial_ethnic", "political",
           "religious", "sex_life", "union", "genetic", "biometric")  # fmt: skip
_SPECIAL = ", ".join(f"'{c}'" for c in SPECIAL)


def _reason_group() -> str:
    cases = " ".join(
        "WHEN " + " OR ".join(f"reason LIKE '%{w}%'" for w in words) + f" THEN '{group}'"
        for group, words in LATE_REASONS
    )
    # The kind the FG picked (``handling.delay.KINDS``, migration 0022) wins; a reason recorded
    # without one is sorted by its key words.
    return (
        f"CASE WHEN coalesce(reason_kind, '') != '' THEN reason_kind"
        f" WHEN coalesce(reason, '') = '' THEN 'none' {cases} ELSE 'other' END"
    )


def late_reason_group(db: Database, incident_id: int) -> str:
    """The group the figures give an incident's reason for a late notification now (a kind,
    else by its key words; 'none' without a reason): the retention purge keeps it as the kind
    before it blanks the words."""
    found = db.execute(
        f"SELECT {_reason_group()} FROM (SELECT lower(coalesce(nullif(trim((SELECT a.late_reason"
        " FROM authority_notifications a WHERE a.incident_id = i.id AND a.kind = 'initial'"
        " ORDER BY a.submitted_at LIMIT 1)), ''), trim(i.delay_reason))) AS reason,"
        " i.delay_kind AS reason_kind FROM incidents i WHERE i.id = ?)",
        [incident_id],
    ).fetchone()
    return found[0] if found else "none"


def _has(key: str, values: str) -> str:
    return f"EXISTS (SELECT 1 FROM json_each(facts, {_fact(key)}) WHERE value IN ({values}))"


#: An incident's facts as the sources say now; ``WHERE id = ?`` reads a handful of index rows.
#: Durations are never clamped: a negative one (a decision before the report, a notification
#: before the organisation knew, informing before the decision) is counted apart as
#: ``bad_time`` and left out of the times.
FACTS_NOW = f"""
SELECT id, year, org_id, department, month, incident_type, outcome,
    CASE WHEN notified_at IS NULL THEN 'none' WHEN withdrawn THEN 'withdrawn'
         WHEN notify_hours < 0 THEN 'bad' WHEN notify_hours <= 72 THEN 'on_time' ELSE 'late' END
        AS notification,
    CASE WHEN notified_at IS NULL OR withdrawn OR notify_hours < 0 THEN NULL
         WHEN notify_hours <= 24 THEN 'h24' WHEN notify_hours <= 48 THEN 'h48'
         WHEN notify_hours <= 72 THEN 'h72' WHEN notify_hours <= 96 THEN 'h96'
         WHEN notify_hours <= 168 THEN 'd7' ELSE 'more' END AS bucket,
    CASE WHEN notified_at IS NOT NULL AND NOT withdrawn AND notify_hours > 72
         THEN {_reason_group()} END AS late_reason,
    informed_on IS NOT NULL AS informed, late_report, is_repeat, is_open,
    coalesce(decision_hours < 0, 0) OR coalesce(NOT withdrawn AND notify_hours < 0, 0)
        OR coalesce(inform_days < 0, 0) AS bad_time,
    -- a member missing or null is NULL (its cells: '_none'); the array holds JSON null for both
    risk, nullif(facts -> {_fact("data_categories")}, 'null') AS data,
    nullif(facts -> {_fact("natures")}, 'null') AS nature,
    CASE WHEN people_count IS NULL OR people_count <= 0 THEN 'unknown' WHEN people_count = 1 THEN '1'
         WHEN people_count <= 10 THEN '2-10' WHEN people_count <= 100 THEN '11-100' ELSE '101+' END
        AS people,
    CASE WHEN people_count > 0 THEN people_count END AS people_count,
    {_has("groups", "'minors'")} AS minors,
    {_has("data_categories", _SPECIAL)} AS special,
    {_has("data_categories", "'bsn'")} AS bsn,
    {_has("data_categories", "'care_file', 'child_protection'")}
        OR coalesce(facts ->> {_fact("family_file")}, 0) = 1 AS youth_file,
    json_array_length(processors) > 0 AS processor,
    decision_hours, notify_hours, inform_days, processors,
    round((julianday(aware) - julianday(party_aware)) * 24, 3) AS proc_delay_hours,
    proc_notice, chain
FROM (SELECT *,
    CASE WHEN decision IS NULL THEN 'undecided' WHEN duplicate IS NOT NULL THEN 'duplicate'
         WHEN decision = 'breach' THEN 'breach' WHEN basis = 'no_personal_data' THEN 'no_personal_data'
         WHEN basis = 'no_incident' THEN 'no_incident' ELSE 'lawful' END AS outcome,
    round((julianday(first_decided) - julianday(reported_at)) * 24, 3) AS decision_hours,
    round((julianday(notified_at) - julianday(aware)) * 24, 3) AS notify_hours,
    julianday(informed_on) - julianday(date(breach_decided)) AS inform_days,
    CASE WHEN coalesce(facts ->> {_fact("people_count_kind")}, 'unknown') != 'unknown'
         THEN CAST(facts ->> {_fact("people_count")} AS INTEGER) END AS people_count
    FROM ({_RAW}))
"""


_UNDONE = "EXISTS (SELECT 1 FROM incident_merges m WHERE m.decision_id = d.id AND m.undone_at IS NOT NULL)"


def facts_now(db: Database) -> str:
    """``FACTS_NOW`` for this database (migration 0017 installs the roll-up before 0020 adds
        ``decisions.duplicate_of`` and 0022 ``incidents.delay_kind``; 0021 and 0022 install it again;
    the parties and chains of issue #16 are read once their tables exist, ``rollup_parties``)."""
    columns = {c.name for c in db["decisions"].columns}
    kind = "i.delay_kind" if "delay_kind" in {c.name for c in db["incidents"].columns} else "''"
    filled = FACTS_NOW.replace("{duplicate}", "d.duplicate_of" if "duplicate_of" in columns else "NULL")
    filled = filled.replace("{undone}", _UNDONE if db["incident_merges"].exists() else "0")
    filled = filled.replace("{changed}", rollup_parties.has_rows("incident_changes"))
    filled = filled.replace("{published}", rollup_parties.has_rows("public_notices"))
    return rollup_parties.fill(filled.replace("{delay_kind}", kind), db)


def _raw_span(whole: str) -> tuple[int, int]:
    """Where ``_RAW`` (filled in) lies in ``whole``, ``facts_now``'s text: its parentheses."""
    start = whole.index(_RAW[:40]) - 1
    end = whole.rindex(_RAW_END) + len(_RAW_END)
    assert whole[start] == "(" and whole[end] == ")" and _RAW.endswith(_RAW_END)
    return start, end + 1


def raw_now(db: Database) -> str:
    """The raw moments and answers of every incident (``_RAW``, filled in as ``facts_now``
    fills it) for this database."""
    whole = facts_now(db)
    start, end = _raw_span(whole)
    return whole[start + 1 : end - 1]


#: Closes the middle SELECT of ``facts_from``: a subquery with an OFFSET is never flattened
#: into the one around it, so its columns are worked out once per incident. Flattened, SQLite
#: put ``notify_hours`` (two ``julianday``) in again at each of its eleven uses (10^5
#: incidents: 0.83 s, not flattened 0.66 s, the same rows). The view may not have it: a
#: subquery with a LIMIT takes no ``WHERE id = ?`` from outside, and the triggers read one
#: incident through the view.
_ONCE = " LIMIT -1 OFFSET 0"


def facts_from(db: Database, raw: str) -> str:
    """``facts_now`` over a table that holds ``raw_now``'s rows: the rebuild and ``verify``
    read every subquery once per incident instead of once per use of its column (inlined
    in the view, the latest assessment alone was read some twenty times per incident), and
    work out each of the middle columns once (``_ONCE``)."""
    whole = facts_now(db)
    start, end = _raw_span(whole)
    return whole[:start] + raw + _ONCE + whole[end:]


#: The measures that count (not withdrawn), with the partition of their incident.
MEASURES_NOW = """
SELECT m.id, m.incident_id, i.year, i.org_id, i.department, m.kind, m.status,
    substr(m.due_on, 1, 10) AS due_on, substr(m.done_on, 1, 10) AS done_on
FROM measures m JOIN incidents i ON i.id = m.incident_id WHERE m.withdrawn_at IS NULL
"""

#: Distributions of hours stop here: a median of "240" reads "240 hours or more".
HOURS_CAP = 240
#: Days from the decision to informing the people stop here.
DAYS_CAP = 365
BREACH = "outcome = 'breach'"
_FLAG = "''"

#: dimension -> (key expression, filter) over one incident's facts.
FACT_CELLS = {
    "total": (_FLAG, "1"),
    "month": ("printf('%02d', month)", "1"),
    "outcome": ("outcome", "1"),
    "notification": ("notification", "1"),
    "notify_bucket": ("bucket", "bucket IS NOT NULL"),
    "late_reason": ("late_reason", "late_reason IS NOT NULL"),
    "informed": (_FLAG, "informed"),
    "late_report": (_FLAG, "late_report"),
    "repeat": (_FLAG, "is_repeat AND outcome != 'duplicate'"),
    "open": (_FLAG, "is_open"),
    "bad_time": (_FLAG, "bad_time"),
    "type": ("incident_type", BREACH),
    "risk": ("coalesce(risk, '_none')", BREACH),
    "people": ("people", BREACH),
    "people_n": ("people_count", f"{BREACH} AND people_count IS NOT NULL"),
    **{
        flag: (_FLAG, f"{BREACH} AND {flag}")
        for flag in ("minors", "special", "bsn", "youth_file", "processor")
    },
    "chain": (_FLAG, "chain"),
    "proc_told": ("proc_notice", f"{BREACH} AND proc_notice IS NOT NULL"),
    "proc_delay_hours": (
        f"min({HOURS_CAP}, CAST(proc_delay_hours AS INTEGER))",
        f"{BREACH} AND proc_delay_hours >= 0",
    ),
    "notify_hours": (
        f"min({HOURS_CAP}, CAST(notify_hours AS INTEGER))",
        "notification IN ('on_time', 'late')",
    ),
    "decision_hours": (f"min({HOURS_CAP}, CAST(decision_hours AS INTEGER))", "decision_hours >= 0"),
    "inform_days": (f"min({DAYS_CAP}, CAST(inform_days AS INTEGER))", f"{BREACH} AND inform_days >= 0"),
}
_KIND = "CASE kind WHEN 'preventive' THEN 'p' ELSE 'o' END"
#: (dimension expression, key expression, filter) over one measure. Keyed by date, so that the
#: reader judges them on any day (``MEASURE_STATE``): open ones by their due date, done ones by
#: "done_on|due_on", done ones without a date and the others (cancelled) apart.
_MEASURE_CELLS = [
    ("'measures'", "''", "1"),
    (f"'m:' || {_KIND} || ':open'", "coalesce(due_on, '')", "status IN ('planned', 'in_progress')"),
    (f"'m:' || {_KIND} || ':done'", "done_on || '|' || coalesce(due_on, '')",
     "status = 'done' AND coalesce(done_on, '') != ''"),
    (f"'m:' || {_KIND} || ':undated'", "''", "status = 'done' AND coalesce(done_on, '') = ''"),
    (f"'m:' || {_KIND} || ':other'", "''", "status NOT IN ('planned', 'in_progress', 'done')"),
]  # fmt: skip
#: A measure's state on ``:day`` from its date-keyed cell (``store.stats.cube``): open (overdue
#: when due before the day), done on time or late, done without a date, or other.
MEASURE_STATE = """CASE
    WHEN dimension LIKE 'm:_:open' THEN CASE WHEN key != '' AND key < :day THEN 'overdue' ELSE 'open' END
    WHEN dimension LIKE 'm:_:done' AND substr(key, 1, 10) > :day THEN
        CASE WHEN substr(key, 12) != '' AND substr(key, 12) < :day THEN 'overdue' ELSE 'open' END
    WHEN dimension LIKE 'm:_:done' THEN
        CASE WHEN substr(key, 12) = '' OR substr(key, 1, 10) <= substr(key, 12) THEN 'on_time' ELSE 'late' END
    WHEN dimension LIKE 'm:_:undated' THEN 'undated' ELSE 'other' END"""
PART = "year, org_id, department"
#: What joins the parts of ``cells_sql`` (one per dimension; the rebuild counts them apart).
UNION = "\nUNION ALL "


#: The dimensions that only count (their key is always '').
FLAGS = [dim for dim, (key, _) in FACT_CELLS.items() if key == _FLAG]
#: The dimensions whose key is one member of a JSON list of the facts, one cell per member,
#: of the breaches: dimension -> (column, key over ``j``, the member, and the join). A breach
#: without categories or natures counts as '_none'; the processors that caused a breach (a
#: party id: its name is read when shown) count only when there are some.
JSON_CELLS = {
    "data": ("data", "coalesce(j.value, '_none')", "LEFT JOIN"),
    "nature": ("nature", "coalesce(j.value, '_none')", "LEFT JOIN"),
    "proc": ("processors", "CAST(j.value AS TEXT)", "JOIN"),
}


def cells_sql(facts: str, measures: str, without: Collection[str] = ()) -> str:
    """Every cell of every incident in ``facts`` / ``measures``: (id, part, dimension, key);
    none of the dimensions in ``without``."""
    parts = [
        f"SELECT id, {PART}, '{dim}' AS dimension, {key} AS key FROM {facts} WHERE {where}"
        for dim, (key, where) in FACT_CELLS.items()
        if dim not in without
    ]
    parts += [
        f"SELECT f.id, f.year, f.org_id, f.department, '{dim}', {key}"
        f" FROM {facts} f {join} json_each(f.{column}) j WHERE f.{BREACH}"
        for dim, (column, key, join) in JSON_CELLS.items()
        if dim not in without
    ]
    parts += [
        f"SELECT incident_id, {PART}, {dim}, {key} FROM {measures} WHERE {where}"
        for dim, key, where in _MEASURE_CELLS
    ]
    return UNION.join(parts)
