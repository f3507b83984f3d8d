"""``benchmarks.writer_steps`` splits each report's time into steps that add up to the whole."""

from __future__ import annotations

from benchmarks import writer_steps
from datalek.store import durability, group_commit


def test_the_steps_of_a_report_add_up_to_its_time_and_the_timers_are_taken_off_again():
    transaction, sync = group_commit._Writer._transaction, durability.Durability._sync
    found = writer_steps.measure(4, 40)
    assert found["summary"]["reports_per_commit"] >= 1
    for parts in [found["median"], *found["slowest"]]:
        steps = [v for k, v in parts.items() if k != "total"]
        assert all(v >= 0 for v in steps), parts
        assert abs(sum(steps) - parts["total"]) <= 0.3, parts  # rounded to 0.1 ms each
    assert group_commit._Writer._transaction is transaction and durability.Durability._sync is sync
