"""The dashboard's figures against a hand-computed register, filters, and access."""

from __future__ import annotations

import pytest

from datalek.accounts.permissions import PermissionDenied
from datalek.handling import incidents
from datalek.insight import stats
from tests import dashboard_world as dw

P = pytest.param


def small_number(db, monkeypatch, limit: int) -> None:
    """Every organisation's threshold (``organisations.small_number``), and the installation's
    lower bound, set to ``limit``."""
    monkeypatch.setenv("DATALEK_SMALL_NUMBER", str(limit))
    db.execute("UPDATE organisations SET small_number = ?", [limit])
    db.conn.commit()


@pytest.fixture
def board_world(world, fresh_db, monkeypatch):
    small_number(fresh_db, monkeypatch, 1)
    both = dw.fill(fresh_db, world)
    return world, fresh_db, both


#: Gemeente Test, 2026, every figure worked out by hand from ``dashboard_world`` (nothing
#: hidden: threshold 1). Its two "not a breach" decisions carry no reason: counted as lawful.
EXPECTED = {
    "total": 18,
    "breach": 9,
    "not_breach": 2,
    "lawful": 2,
    "no_personal_data": 0,
    "no_incident": 0,
    "duplicate": 0,
    "undecided": 7,
    "notified": 5,
    "notified_on_time": 3,
    "notified_late": 2,
    "withdrawn": 1,
    "informed": 3,
    "bad_time": 0,
    "late_report": 2,
    "open": 10,
    "repeat": 1,
    "minors": 0,
    "special": 4,
    "bsn": 0,
    "youth_file": 0,
    "processor": 0,
    "measures": 5,
    "measures_open": 2,
    "measures_overdue": 1,
    "measures_on_time": 2,
    "preventive": 3,
    "preventive_done": 1,
    "notified_share": 5 / 9,
    "within72_share": 3 / 5,
    "notify_median": 60.0,
    "decision_median": 13.0,
    "inform_median": 10.0,
}
#: The charts: causes and data count the nine breaches, not the 18 reports.
SERIES = dw.SERIES | {
    "outcome": {
        "Datalek": 9,
        "Geen datalek: delen met een wettelijke grondslag": 2,
        "Geen datalek: geen persoonsgegevens": 0,
        "Geen datalek: geen incident (vals alarm)": 0,
        "Dubbele melding": 0,
        "Nog geen besluit": 7,
    },
    "type": {
        "Per ongeluk verstuurd (post of e-mail)": 6,
        "Hack of malware": 2,
        "Post kwijt, geopend of verkeerd bezorgd": 1,
    },
    "risk": {"Geen risico waarschijnlijk": 0, "Risico": 6, "Hoog risico": 3, "Geen risico vastgelegd": 0},
    "data": {"Naam, geboortedatum, geslacht": 7, "Gezondheid (art. 9 AVG)": 4, "Inloggegevens": 2},
    "nature": {"Vertrouwelijkheid": 9, "Integriteit": 2, "Beschikbaarheid": 1},
    "people": {
        "1 persoon": 0,
        "2 tot en met 10": 0,
        "11 tot en met 100": 0,
        "meer dan 100": 0,
        "Onbekend": 9,
    },
    "late_reason": {
        "Een verwerker of andere partij meldde het laat": 0,
        "Eerst was onderzoek nodig": 0,
        "Het lek kwam laat bij de FG (weekend, vakantie, afwezigheid)": 0,
        "Een andere reden": 0,
        "Geen reden vastgelegd": 2,
    },
}
del SERIES["status"]


def series(figures: stats.Figures, code: str) -> dict:
    return {c.label: c.count for c in figures.series[code]}


@pytest.mark.parametrize("code", list(EXPECTED))
def test_key_figure_by_hand(board_world, code):
    world, db, _ = board_world
    board = stats.dashboard(db, world["management"], 2026, today=dw.TODAY)
    assert board.current.value(code) == pytest.approx(EXPECTED[code])


@pytest.mark.parametrize("code", list(SERIES))
def test_chart_series_by_hand(board_world, code):
    world, db, _ = board_world
    board = stats.dashboard(db, world["dpo"], 2026, today=dw.TODAY)
    assert series(board.current, code) == SERIES[code]


def test_previous_year_is_compared(board_world):
    world, db, _ = board_world
    board = stats.dashboard(db, world["management"], 2026, today=dw.TODAY)
    assert board.previous.year == 2025 and board.previous.value("total") == 7
    assert series(board.previous, "month")["jan"] == 7
    assert stats.dashboard(db, world["management"], 2025).previous.value("total") == 0


def test_department_filter(board_world):
    world, db, _ = board_world
    board = stats.dashboard(db, world["management"], 2026, department="Wmo", today=dw.TODAY)
    assert board.current.value("total") == 6 and board.current.value("open") == 6
    assert board.previous is None  # Wmo reported nothing in 2025
    jeugd = stats.dashboard(db, world["management"], 2026, department="Jeugd", today=dw.TODAY)
    assert jeugd.current.value("notified") == 5 and jeugd.previous.value("total") == 7


@pytest.mark.parametrize(("org", "total"), [P("org", 18, id="one"), P(None, 21, id="all")])
def test_organisation_filter(board_world, org, total):
    world, db, both = board_world
    org_id = world.org.id if org else None
    assert stats.dashboard(db, both, 2026, org_id).current.value("total") == total


def test_other_organisation_alone(board_world):
    world, db, both = board_world
    other = stats.dashboard(db, both, 2026, world.other_org.id).current
    assert other.value("total") == 3 and series(other, "outcome")["Nog geen besluit"] == 3
    assert series(other, "type") == {}, "three reports without a decision: no breach to draw"


def test_years(board_world):
    world, db, both = board_world
    assert stats.available_years(db, world["management"]) == [2026, 2025]
    assert stats.available_years(db, both, world.other_org.id) == [2026]


def test_roll_up_follows_new_data(board_world):
    world, db, _ = board_world
    before = stats.dashboard(db, world["management"], 2026).current.value("total")
    dw._incident(db, world.org.id, "Wmo", "other", dw.datetime(2026, 7, 1, tzinfo=dw.UTC), 1, "reported")
    db.conn.commit()
    assert stats.dashboard(db, world["management"], 2026).current.value("total") == before + 1


def test_no_free_text_anywhere(board_world):
    world, db, both = board_world
    board = stats.dashboard(db, both, 2026, today=dw.TODAY)
    assert "geheim" not in repr(board)


# --- access -------------------------------------------------------------------------------

REFUSED = [
    P("reporter", "own", id="reporter"),
    P("admin", "own", id="admin"),
    P("other_management", "own", id="management-of-another-organisation"),
    P("management", "other", id="management-asking-for-another"),
]


@pytest.mark.parametrize(("actor", "org"), REFUSED)
def test_dashboard_refused(board_world, actor, org):
    world, db, _ = board_world
    org_id = world.org.id if org == "own" else world.other_org.id
    with pytest.raises(PermissionDenied):
        stats.dashboard(db, world[actor], 2026, org_id)
    refused = db.execute("SELECT count(*) FROM audit_log WHERE action = 'refused'").fetchone()[0]
    assert refused >= 1


def test_a_department_not_shown_cannot_be_chosen(board_world, monkeypatch):
    world, db, _ = board_world
    small_number(db, monkeypatch, 5)
    assert stats.dashboard(db, world["management"], 2026).departments == ["Jeugd"]
    with pytest.raises(PermissionDenied):
        stats.dashboard(db, world["management"], 2026, department="ICT")


ROW_LEVEL = [
    P(lambda db, a, i: incidents.read_incident(db, a, i), id="read_incident"),
    P(lambda db, a, i: incidents.queue(db, a), id="queue"),
    P(lambda db, a, i: incidents.departments(db, a), id="departments"),
    P(lambda db, a, i: incidents.my_reports(db, a), id="my_reports-of-nobody"),
]


@pytest.mark.parametrize("call", ROW_LEVEL)
def test_management_refused_every_row_level_function(board_world, call):
    world, db, _ = board_world
    incident = db.execute("SELECT id FROM incidents WHERE org_id = ?", [world.org.id]).fetchone()[0]
    result = None
    try:
        result = call(db, world["management"], incident)
    except PermissionDenied:
        return
    assert not result, "management may only receive aggregates"


CHANGES = [
    P(
        "UPDATE incidents SET repeat_of = 1, updated_at = '2026-12-01T00:00:00+00:00' WHERE id = 3",
        "repeat",
        2,
        id="repeat-marked",
    ),  # as repeats.detect does: with the assessment's update
    P(
        "INSERT INTO subject_notices (incident_id, recipient, people_count, informed_on, channel,"
        " recorded_at) VALUES (4, 'person', 1, '2026-04-01', 'letter', 'x')",
        "informed",
        4,
        id="betrokkenen-informed",
    ),
    P(
        "INSERT INTO authority_notifications (incident_id, kind, ap_reference, submitted_at,"
        " recorded_at) VALUES (1, 'withdrawal', 'AP-1', '2026-04-01T00:00:00+00:00', 'x')",
        "notified",
        4,
        id="notification-withdrawn",
    ),
    P(
        "UPDATE measures SET status = 'done', done_on = '2026-05-02',"
        " updated_at = '2026-05-02T00:00:00+00:00' WHERE status = 'planned'",
        "measures_open",
        1,
        id="measure-done",
    ),
    P(
        "INSERT INTO decisions (incident_id, kind, motivation, advice, decided_at) VALUES"
        " (1, 'not_a_breach', 'm', '{}', '2026-12-01T00:00:00+00:00')",
        "breach",
        8,
        id="decision-revised",
    ),
]


@pytest.mark.parametrize(("statement", "code", "expected"), CHANGES)
def test_roll_up_follows_every_source_table(board_world, statement, code, expected):
    world, db, _ = board_world
    stats.dashboard(db, world["management"], 2026, today=dw.TODAY)
    db.execute(statement)
    db.conn.commit()
    board = stats.dashboard(db, world["management"], 2026, today=dw.TODAY)
    assert board.current.value(code) == expected


@pytest.mark.parametrize(
    ("today", "overdue", "as_of"),
    [
        P(dw.date(2026, 4, 20), 0, dw.date(2026, 4, 20), id="before-the-due-date"),
        P(dw.date(2026, 6, 1), 1, dw.date(2026, 6, 1), id="after-the-due-date"),
        P(dw.date(2027, 3, 1), 1, dw.date(2026, 12, 31), id="finished-year-judged-at-its-end"),
    ],
)
def test_measures_judged_on_the_right_day(board_world, today, overdue, as_of):
    world, db, _ = board_world
    board = stats.dashboard(db, world["management"], 2026, today=today)
    assert board.current.value("measures_overdue") == overdue
    assert board.current.as_of == as_of


def test_roll_up_follows_a_move_to_another_department_in_the_write(board_world):
    """No reader brings the roll-up up to date: the write itself did, exactly (the old
    department loses the incident, the new one gains it), also with plain SQL."""
    from datalek.store import stats as sql

    world, db, _ = board_world
    db.execute(
        "UPDATE incidents SET status = 'closed' WHERE department = 'Wmo'"
        " AND id = (SELECT min(id) FROM incidents WHERE department = 'Wmo')"
    )
    db.execute(
        "UPDATE incidents SET department = 'ICT'"
        " WHERE id = (SELECT min(id) FROM incidents WHERE department = 'Wmo')"
    )
    db.conn.commit()
    assert sql.differences(db) == ([], 0)
    board = stats.dashboard(db, world["management"], 2026, today=dw.TODAY)
    assert series(board.current, "dept") == {"Jeugd": 10, "Wmo": 5, "ICT": 3}
    assert board.current.value("open") == 9


def test_a_done_measure_without_its_date_counts_as_done(board_world):
    """The schema allows 'done' without done_on (older data, a bulk import): no crash."""
    world, db, _ = board_world
    db.execute(
        "UPDATE measures SET status = 'done', done_on = NULL, updated_at = '2026-12-01T00:00:00+00:00'"
    )
    db.conn.commit()
    board = stats.dashboard(db, world["management"], 2026, today=dw.TODAY)
    assert board.current.value("measures_open") == 0
