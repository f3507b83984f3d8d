"""``make bench`` rewrites docs/benchmarks.md (``benchmarks/run.py``) and keeps the sections it
does not write itself: an issue's goals and analysis above, dated partial runs below."""

from __future__ import annotations

from benchmarks.run import merged

OLD = """# Benchmarks

Produced by make bench on an older day.

## Issue #18: where each goal stands

| goal | now |
|---|---|

### Writers

old analysis

## Writers under load

old generated figures

## Partial run of 2026-12-04

kept figures
"""

NEW = """# Benchmarks

Produced by make bench today.

## Writers under load

new generated figures

## Demo data

new demo figures
"""


def test_make_bench_keeps_the_hand_written_sections_around_the_ones_it_writes():
    text = merged(NEW, OLD)
    assert text.startswith("# Benchmarks\n\nProduced by make bench today.\n\n## Issue #18")
    assert "old generated figures" not in text and "older day" not in text
    order = [
        text.index(s)
        for s in ("## Issue #18", "### Writers", "new generated", "## Demo data", "## Partial run")
    ]
    assert order == sorted(order)
    assert text.count("## Writers under load") == 1 and "kept figures" in text


def test_a_first_run_without_an_old_file_writes_what_it_generated():
    assert merged(NEW, "") == NEW
