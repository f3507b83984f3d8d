"""SQL for what the organisation learned: a lesson per closing of an incident, and per
organisation and year the FG's summary per theme and her narrative for the board. All three
are append-only: a new row never changes an older one, and the newest row counts."""

from __future__ import annotations

from sqlite_utils import Database


def _insert(db: Database, table: str, row: dict) -> int:
    columns = list(row)
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        table, ", ".join(columns), ", ".join(":" + c for c in columns)
    )
    return db.execute(sql, row).lastrowid


def _ints(values: list[int]) -> str:
    """An IN list of integers, written out (ids only, never text)."""
    return ",".join(str(int(v)) for v in values) or "NULL"


# -- lessons -----------------------------------------------------------------------------


def insert_lesson(db: Database, row: dict) -> int:
    return _insert(db, "lessons", row)


def lessons(db: Database, incident_id: int) -> list[dict]:
    """Every lesson of one incident, oldest first."""
    return list(db.query("SELECT * FROM lessons WHERE incident_id = ? ORDER BY id", [incident_id]))


#: The newest lesson of each incident that is closed now, of the given organisations and year.
_NEWEST_OF_CLOSED = """
    FROM lessons l JOIN incidents i ON i.id = l.incident_id
    WHERE i.status = 'closed' AND i.year = ? AND i.org_id IN ({orgs})
      AND l.id = (SELECT max(id) FROM lessons WHERE incident_id = l.incident_id)
"""


def theme_counts(db: Database, org_ids: list[int], year: int) -> list[tuple[int, str, int]]:
    """(org_id, theme, number of incidents): counts only, never text."""
    sql = "SELECT i.org_id, l.theme, count(*)" + _NEWEST_OF_CLOSED.format(orgs=_ints(org_ids))
    return [tuple(r) for r in db.execute(sql + " GROUP BY i.org_id, l.theme", [year]).fetchall()]


def learned_of_year(db: Database, org_id: int, year: int) -> list[dict]:
    """The theme, reference and lesson of every closed incident of the year (for its FG)."""
    sql = "SELECT l.theme, i.reference, l.learned" + _NEWEST_OF_CLOSED.format(orgs=_ints([org_id]))
    return list(db.query(sql + " ORDER BY i.reference", [year]))


# -- the FG's summaries per theme and her narrative ----------------------------------------


def insert_theme_summary(db: Database, row: dict) -> int:
    return _insert(db, "theme_summaries", row)


def theme_summaries(db: Database, org_ids: list[int], year: int) -> list[dict]:
    """The newest summary per organisation and theme (an empty one: the theme is not shown)."""
    return list(
        db.query(
            "SELECT org_id, theme, summary FROM theme_summaries t"
            f" WHERE year = ? AND org_id IN ({_ints(org_ids)}) AND id = (SELECT max(id) FROM"
            " theme_summaries WHERE org_id = t.org_id AND year = t.year AND theme = t.theme)"
            " ORDER BY org_id, theme",
            [year],
        )
    )


def insert_narrative(db: Database, row: dict) -> int:
    return _insert(db, "year_narratives", row)


def narratives(db: Database, org_ids: list[int], year: int) -> dict[int, str]:
    """The newest narrative per organisation: org_id -> text."""
    rows = db.execute(
        "SELECT org_id, text FROM year_narratives n"
        f" WHERE year = ? AND org_id IN ({_ints(org_ids)}) AND id = (SELECT max(id) FROM"
        " year_narratives WHERE org_id = n.org_id AND year = n.year)",
        [year],
    ).fetchall()
    return dict(rows)


def small_numbers(db: Database, org_ids: list[int]) -> list[int]:
    """The organisations' own small-number thresholds (``organisations.small_number``)."""
    return [
        r[0] for r in db.execute(f"SELECT small_number FROM organisations WHERE id IN ({_ints(org_ids)})")
    ]
