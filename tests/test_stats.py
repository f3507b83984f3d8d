"""Overviews for management and the FG: counts only, small numbers hidden."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from datalek import store
from datalek.accounts import auth
from datalek.accounts.organisations import create_organisation
from datalek.accounts.permissions import PermissionDenied
from datalek.accounts.users import create_user
from datalek.handling import incidents, lifecycle
from datalek.insight import disclosure, stats
from datalek.models import Actor, Role, Status
from tests.conftest import World, make_report

P = pytest.param
UTC = UTC


def shown(cells: list[stats.Cell]) -> dict[str, int | None]:
    return {c.label: c.count for c in cells}


# --- suppression of small numbers --------------------------------------------------------

SUPPRESS = [
    P({"a": 10, "b": 7}, {"a": 10, "b": 7}, id="all-above-threshold"),
    P({"a": 5, "b": 5}, {"a": 5, "b": 5}, id="threshold-itself-is-shown"),
    P(
        {"a": 3, "b": 10, "c": 7},
        {"a": None, "b": 10, "c": None},
        id="one-hidden-then-next-smallest-hidden-too",
    ),
    P({"a": 3, "b": 4, "c": 10}, {"a": None, "b": None, "c": 10}, id="two-hidden-nothing-more"),
    P(
        {"a": 3, "b": 20, "c": 6, "d": 0},
        {"a": None, "b": 20, "c": None, "d": 0},
        id="zero-is-not-the-next-smallest",
    ),
    P({"a": 0, "b": 12, "c": 6}, {"a": 0, "b": 12, "c": 6}, id="zeros-shown"),
    P({"a": 2, "b": 0, "c": 0}, {"a": None, "b": 0, "c": 0}, id="only-one-non-zero-cell"),
    P({"a": 4}, {"a": None}, id="single-small-cell"),
    P({"a": 1, "b": 1, "c": 1}, {"a": None, "b": None, "c": None}, id="all-small"),
    P({}, {}, id="empty"),
]


@pytest.mark.parametrize(("counts", "expected"), SUPPRESS)
def test_suppress(counts, expected):
    cells = disclosure.suppress(counts, 5)
    assert shown(cells) == expected
    assert [c.label for c in cells] == list(counts), "order of the cells is kept"


def test_suppress_tie_hides_exactly_one_of_the_next_smallest():
    result = shown(disclosure.suppress({"a": 1, "b": 9, "c": 9, "d": 30}, 5))
    assert result["a"] is None and result["d"] == 30
    assert [result["b"], result["c"]].count(None) == 1


@pytest.mark.parametrize("limit", [1, 3, 5, 10])
def test_suppress_never_leaves_a_single_hidden_cell_recoverable(limit):
    """Exhaustively: a lone hidden cell among visible non-zero cells could be recomputed
    from the total, so that never happens; and no visible count is below the limit."""
    values = [0, 1, 2, 4, 5, 7, 12]
    for combo in itertools.product(values, repeat=3):
        counts = dict(zip("abc", combo, strict=True))
        cells = shown(disclosure.suppress(counts, limit))
        hidden = [k for k, v in cells.items() if v is None]
        visible_non_zero = [k for k, v in cells.items() if v]
        assert not (len(hidden) == 1 and visible_non_zero), (counts, cells)
        for k, v in cells.items():
            assert v is None or v == 0 or v >= limit, (counts, cells)
            assert v is None or v == counts[k]


@pytest.mark.parametrize(
    ("own", "env", "expected"),
    [
        P(5, None, 5, id="the-column-default"),
        P(3, None, 3, id="an-organisation-lower"),
        P(10, None, 10, id="an-organisation-higher"),
        P(None, None, 5, id="unknown-organisation"),
        P(0, None, 1, id="at-least-one"),
        P(3, "5", 5, id="never-below-the-installation"),
        P(10, "5", 10, id="higher-than-the-installation"),
        P(1, "1", 1, id="installation-allows-one"),
        P(3, "-4", 3, id="installation-negative"),
        P(3, "vijf", 5, id="installation-not-a-number"),
    ],
)
def test_threshold_is_the_organisations_never_below_the_installation(monkeypatch, own, env, expected):
    """``organisations.small_number`` (default 5) is the organisation's threshold; the
    operator's ``DATALEK_SMALL_NUMBER`` is the installation's lower bound."""
    if env is None:
        monkeypatch.delenv("DATALEK_SMALL_NUMBER", raising=False)
    else:
        monkeypatch.setenv("DATALEK_SMALL_NUMBER", env)
    assert disclosure.limit_for(own) == expected


def test_each_organisation_its_own_threshold_and_all_together_the_largest(filled, monkeypatch):
    """Gemeente Test hides below 2, the other organisation below 10: Gemeente Test's management
    sees its 2 reports of June; all together hide below 10 (5 in June)."""
    world, db = filled
    db.execute("UPDATE organisations SET small_number = 2 WHERE id = ?", [world.org.id])
    db.execute("UPDATE organisations SET small_number = 10 WHERE id = ?", [world.other_org.id])
    db.conn.commit()
    try:
        one = stats.dashboard(db, world["management"], 2026).current
        assert shown(one.series["month"]) == dict.fromkeys(stats.MONTHS, 0) | {"jan": 3, "mrt": 9, "jun": 2}
        assert one.limit == 2
        both = make_management(db, world)
        every = stats.dashboard(db, both, 2026).current
        assert every.limit == 10 and shown(every.series["month"])["jun"] is None
        assert every.value("total") == 17, "a total, whatever the threshold"
    finally:
        db.execute("UPDATE organisations SET small_number = 5")
        db.conn.commit()


def make_management(db, world):
    found = db.execute("SELECT id FROM users WHERE email = 'bestuur-beide@test.invalid'").fetchone()
    if found is None:
        user = create_user(
            db, Actor.cli(), "Bestuur", "bestuur-beide@test.invalid", Role.MANAGEMENT, None,
            [world.org.id, world.other_org.id],
        )  # fmt: skip
        return auth.actor_for(db, user.id)
    return auth.actor_for(db, found[0])


def test_a_hidden_cell_says_verborgen_whatever_its_size(monkeypatch):
    monkeypatch.setenv("DATALEK_SMALL_NUMBER", "3")
    assert stats.Cell("x", None).shown == "verborgen"
    assert stats.Cell("x", 0).shown == "0"
    assert stats.Cell("x", 42).shown == "42"


# --- overview of a hand-made set of reports ---------------------------------------------

#: (situation, reported at (UTC), how many)
REPORTS_2026 = [
    ("email_wrong_person", datetime(2026, 1, 15, 9, tzinfo=UTC), 3),
    ("email_wrong_person", datetime(2026, 3, 10, 9, tzinfo=UTC), 4),
    ("letter_wrong_address", datetime(2026, 3, 20, 14, tzinfo=UTC), 5),
    ("phishing", datetime(2026, 6, 2, 8, tzinfo=UTC), 2),
]
MOVED_ON = 6  # reports the FG takes into treatment


def submit(db, actor, org_id: int, situation: str, at: datetime):
    report = make_report(
        org_id,
        now=at,
        situation=situation,
        occurred_from=at - timedelta(hours=5),
        discovered_at=at - timedelta(hours=2),
    )
    return incidents.submit_report(db, actor, report, at=at)


@pytest.fixture(scope="module")
def filled_path(tmp_path_factory):
    """One database with the reports above, built once: the overview tests only read it."""
    path = tmp_path_factory.mktemp("stats") / "datalek.db"
    store.migrate(path)
    with store.unit(path) as db:
        world = World(db)
        made = []
        for situation, at, n in REPORTS_2026:
            for i in range(n):
                made.append(submit(db, world["reporter"], world.org.id, situation, at + timedelta(minutes=i)))
        for incident in made[:MOVED_ON]:
            lifecycle.change_status(db, world["dpo"], incident.id, Status.IN_PROGRESS)
        # Not counted in 2026 for the organisation: another year, another organisation.
        submit(db, world["reporter"], world.org.id, "hack", datetime(2025, 12, 1, 9, tzinfo=UTC))
        for _ in range(3):
            submit(
                db,
                world["other_reporter"],
                world.other_org.id,
                "phishing",
                datetime(2026, 6, 2, 8, tzinfo=UTC),
            )
    return path, world


@pytest.fixture
def filled(filled_path, monkeypatch):
    path, world = filled_path
    monkeypatch.delenv("DATALEK_SMALL_NUMBER", raising=False)
    with store.unit(path) as db:
        yield world, db


def months(**counts: int | None) -> dict[str, int | None]:
    result: dict[str, int | None] = {f"{m:02d}": 0 for m in range(1, 13)}
    result.update({k.removeprefix("m"): v for k, v in counts.items()})
    return result


OUTCOME_UNDECIDED = {
    "Datalek": 0,
    "Geen datalek: delen met een wettelijke grondslag": 0,
    "Geen datalek: geen persoonsgegevens": 0,
    "Geen datalek: geen incident (vals alarm)": 0,
    "Dubbele melding": 0,
    "Nog geen besluit": 14,
}


def test_overview_counts(filled):
    world, db = filled
    overview = stats.overview(db, world["management"], [world.org.id], 2026)
    assert overview.year == 2026
    assert overview.total == 14
    # No decision yet: the outcome is an organisation's total, and there is no breach to draw.
    assert shown(overview.by_status) == OUTCOME_UNDECIDED
    assert shown(overview.by_type) == {}
    # January (3) and June (2) are both hidden: two hidden cells need no further hiding.
    assert shown(overview.by_month) == months(m01=None, m03=9, m06=None)


def test_overview_same_for_the_dpo(filled):
    world, db = filled
    assert stats.overview(db, world["dpo"], [world.org.id], 2026) == stats.overview(
        db, world["management"], [world.org.id], 2026
    )


@pytest.fixture
def threshold(filled):
    """Set Gemeente Test's threshold for one test."""
    world, db = filled

    def set_to(limit: int) -> None:
        db.execute("UPDATE organisations SET small_number = ?", [limit])
        db.conn.commit()

    yield set_to
    set_to(5)


def test_overview_with_a_lower_threshold(filled, threshold):
    world, db = filled
    threshold(3)
    overview = stats.overview(db, world["management"], [world.org.id], 2026)
    assert overview.total == 14
    # June (2) hidden; the smallest other month (a zero) goes with it, January (3) is shown.
    assert shown(overview.by_month) == months(m01=3, m02=None, m03=9, m06=None)


def test_overview_with_threshold_two_shows_everything(filled, threshold):
    world, db = filled
    threshold(2)
    overview = stats.overview(db, world["management"], [world.org.id], 2026)
    assert shown(overview.by_month) == months(m01=3, m03=9, m06=2)


def test_overview_of_another_year_and_a_small_total(filled):
    world, db = filled
    previous = stats.overview(db, world["management"], [world.org.id], 2025)
    assert previous.total == 1  # an organisation's total: shown, however small
    # December (1) hidden, and a second month with it: the total minus the others would give it.
    assert [m for m, n in shown(previous.by_month).items() if n is None] == ["01", "12"]
    other = stats.overview(db, world["other_management"], [world.other_org.id], 2026)
    assert other.total == 3
    empty = stats.overview(db, world["management"], [world.org.id], 2024)
    assert empty.total == 0 and empty.by_type == []
    assert set(shown(empty.by_status).values()) == {0}
    assert shown(empty.by_month) == months()


def test_years(filled):
    world, db = filled
    assert stats.years(db, world["management"], [world.org.id]) == [2026, 2025]
    assert stats.years(db, world["other_management"], [world.other_org.id]) == [2026]


@pytest.mark.parametrize(
    ("actor", "orgs"),
    [
        P("reporter", "own", id="reporter"),
        P("admin", "own", id="admin"),
        P("other_management", "own", id="management-of-another-organisation"),
        P("management", "both", id="management-asking-for-both"),
        P("management", "none", id="no-organisation"),
    ],
)
def test_overview_refused(filled, actor, orgs):
    world, db = filled
    org_ids = {"own": [world.org.id], "both": [world.org.id, world.other_org.id], "none": []}[orgs]
    with pytest.raises(PermissionDenied):
        stats.overview(db, world[actor], org_ids, 2026)
    with pytest.raises(PermissionDenied):
        stats.years(db, world[actor], org_ids)


def test_month_is_the_month_in_the_netherlands(fresh_db):
    cli = Actor.cli()
    org = create_organisation(fresh_db, cli, "Gemeente Oudjaar")
    reporter, board = (
        auth.actor_for(
            fresh_db,
            create_user(fresh_db, cli, role, f"{role}@test.invalid", role, None, [org.id]).id,
        )
        for role in (Role.REPORTER, Role.MANAGEMENT)
    )
    at = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)  # 1 January 2027, 00:30 in Amsterdam
    for i in range(5):
        submit(fresh_db, reporter, org.id, "verbal", at + timedelta(seconds=i))
    overview = stats.overview(fresh_db, board, [org.id], 2027)
    assert overview.total == 5
    assert shown(overview.by_month) == months(m01=5)


def test_a_large_count_hidden_to_protect_a_small_one_is_never_called_small():
    """Hiding 2 alone would let the total give it away, so 90 is hidden too: both read
    'verborgen', never '< 5' (90 is not small, and two words would pin the 2 down)."""
    cells = {c.label: c.shown for c in disclosure.suppress({"a": 2, "b": 90, "c": 100}, 5)}
    assert cells == {"a": "verborgen", "b": "verborgen", "c": "100"}
