"""Small numbers stay hidden on the dashboard, in the report and its exports — also when an
attacker subtracts one selection from another."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from datalek.accounts import permissions
from datalek.accounts.permissions import Action, OrgSelection, PermissionDenied
from datalek.insight import annual_report, figures, stats
from datalek.models import Actor, Role
from tests import dashboard_world as dw
from tests.test_dashboard import small_number

P = pytest.param
THRESHOLDS = [2, 3, 5, 10]


@pytest.fixture
def attack_world(world, fresh_db):
    both = dw.fill(fresh_db, world)
    return world, fresh_db, both


def cells(figures: stats.Figures | None) -> dict[tuple[str, str], int | None]:
    """Every count a user can read: key figures and every chart cell."""
    if figures is None:
        return {}
    found = {("key", c): figures.value(c) for c in stats.COUNTS}
    for code, row in figures.series.items():
        found.update({(code, c.label): c.count for c in row})
    return found


def check_partition(whole, parts, limit):
    """Whole = sum of parts, all released: a visible whole minus visible parts must never
    give back a hidden part."""
    whole_cells = cells(whole)
    part_cells = [cells(p) for p in parts]
    for key, value in whole_cells.items():
        if value is None or key[0] == "dept":
            continue
        values = [p.get(key, 0) for p in part_cells]
        hidden = [v for v in values if v is None]
        assert len(hidden) != 1, (key, value, values)
        if key[0] in ("outcome", "funnel", "org") or (key[0] == "key" and key[1] in figures.TOTALS):
            continue  # an organisation's totals (and the charts of them) are shown, however small
        for v in values:
            assert v is None or v == 0 or v >= limit, (key, values)


@pytest.mark.parametrize("limit", THRESHOLDS)
def test_subtracting_organisations_gives_nothing_back(attack_world, monkeypatch, limit):
    """All organisations minus one organisation = the other one."""
    world, db, both = attack_world
    small_number(db, monkeypatch, limit)
    every = stats.dashboard(db, both, 2026, today=dw.TODAY).current
    one = stats.dashboard(db, both, 2026, world.org.id, today=dw.TODAY).current
    other = stats.dashboard(db, both, 2026, world.other_org.id, today=dw.TODAY).current
    check_partition(every, [one, other], limit)


def test_the_concrete_attack_on_a_breakdown(attack_world, monkeypatch):
    """Jeugdzorg Test's 3 reports came in June: its total is shown (an organisation's total),
    its month hidden; all = 14 in June minus Gemeente Test's 11 would give the 3 back."""
    world, db, both = attack_world
    small_number(db, monkeypatch, 5)
    other = stats.dashboard(db, both, 2026, world.other_org.id).current
    every = stats.dashboard(db, both, 2026).current
    one = stats.dashboard(db, both, 2026, world.org.id).current
    assert other.value("total") == 3 and one.value("total") == 18 and every.value("total") == 21
    june = {name: {c.label: c.count for c in f.series["month"]}["jun"] for name, f in
            (("other", other), ("one", one), ("every", every))}  # fmt: skip
    assert june["other"] is None
    assert None in (june["one"], june["every"]), "14 - 11 would reveal the hidden 3"


@pytest.mark.parametrize("limit", THRESHOLDS)
def test_subtracting_departments_gives_nothing_back(attack_world, monkeypatch, limit):
    world, db, _ = attack_world
    small_number(db, monkeypatch, limit)
    actor = world["management"]
    board = stats.dashboard(db, actor, 2026, today=dw.TODAY)
    parts = [
        stats.dashboard(db, actor, 2026, department=d, today=dw.TODAY).current for d in board.departments
    ]
    dept = {c.label: c.count for c in board.current.series["dept"]}
    hidden_departments = [d for d, n in dept.items() if n is None]
    assert len(hidden_departments) != 1
    assert set(board.departments) == {d for d, n in dept.items() if n}
    if hidden_departments:
        # The rest (two or more hidden departments) is never released: only sums leak.
        return
    check_partition(board.current, parts, limit)


def test_hidden_department_and_rest(attack_world, monkeypatch):
    world, db, _ = attack_world
    small_number(db, monkeypatch, 5)
    board = stats.dashboard(db, world["management"], 2026, today=dw.TODAY)
    # ICT (2) is hidden, and so is Wmo (6), the next smallest, so 18 - 10 gives only the sum.
    assert {c.label: c.shown for c in board.current.series["dept"]} == {
        "Jeugd": "10",
        "Wmo": "verborgen",
        "ICT": "verborgen",
    }
    assert board.departments == ["Jeugd"]
    assert board.current.figures["informed"].shown == "3"  # an organisation's total
    assert board.current.figures["notify_median"].value == 60.0  # five notifications: shown


def test_shares_and_medians_hidden_with_their_counts(attack_world, monkeypatch):
    """In the department Jeugd the five AP notifications (3 on time, 2 late) are small at
    threshold 6: hidden, and so are the shares and the median made of them."""
    world, db, _ = attack_world
    small_number(db, monkeypatch, 6)
    now = stats.dashboard(db, world["management"], 2026, department="Jeugd", today=dw.TODAY).current
    assert now.value("notified") is None and now.value("notified_on_time") is None
    assert now.value("within72_share") is None and now.value("notified_share") is None
    assert now.value("notify_median") is None
    assert now.figures["notify_median"].shown == "niet te tonen"


def test_exports_show_the_same_protected_figures(attack_world, monkeypatch):
    world, db, both = attack_world
    small_number(db, monkeypatch, 5)
    data = annual_report.generate(db, both, 2026, None, "xlsx", today=dw.TODAY)
    book = load_workbook(io.BytesIO(data))
    rows = {r[0]: r[1] for r in book["Kerncijfers"].iter_rows(min_row=2, values_only=True)}
    board = stats.dashboard(db, both, 2026, today=dw.TODAY).current
    assert rows == {f.label: f.shown for f in board.figures.values()}
    assert rows["Interne meldingen"] == "21"
    months = {r[0]: r[1] for r in book["Per maand"].iter_rows(min_row=2, values_only=True)}
    assert months == {c.label: c.shown for c in board.series["month"]}
    text = " ".join(str(c) for ws in book for row in ws.iter_rows(values_only=True) for c in row)
    assert "geheim" not in text


def test_departments_are_chosen_within_one_organisation(attack_world, monkeypatch):
    """A department across organisations would be one more sum to subtract: all organisations
    together offer no department, and asking for one is refused."""
    world, db, both = attack_world
    small_number(db, monkeypatch, 1)
    assert stats.dashboard(db, both, 2026).departments == []
    assert stats.dashboard(db, both, 2026, world.org.id).departments == ["ICT", "Jeugd", "Wmo"]
    with pytest.raises(PermissionDenied):
        stats.dashboard(db, both, 2026, department="Jeugd")
    every = stats.dashboard(db, both, 2026).current
    assert "dept" not in every.series
    assert {c.label: c.count for c in every.series["org"]} == {"Gemeente Test": 18, "Jeugdzorg Test": 3}


@pytest.mark.parametrize(
    ("mine", "asked", "allowed"),
    [
        P((1,), [1], True, id="the-one"),
        P((1, 2, 3), [2], True, id="one-of-three"),
        P((1, 2, 3), [1, 2, 3], True, id="all"),
        P((1, 2, 3), [3, 2, 1], True, id="all-in-another-order"),
        P((1, 2, 3), [1, 2], False, id="subset-would-allow-subtraction"),
        P((1, 2), [1, 3], False, id="foreign"),
        P((1, 2), [], False, id="nothing"),
    ],
)
def test_selection_is_one_or_all(mine, asked, allowed):
    actor = Actor(user_id=1, role=Role.MANAGEMENT, org_ids=mine)
    assert permissions.allowed(actor, Action.SEE_DASHBOARD, OrgSelection(tuple(asked))) is allowed
