"""Cutting a plan into blocks and runs of school days, with stable keys."""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import given
from hypothesis import strategies as st

from scheduler.ical.blocks import class_theory_blocks, consecutive_runs, plan_blocks, pupil_dates
from scheduler.model import Scenario
from scheduler.plan import Plan
from tests.handmade import LAYOUT, build_plan, with_block
from tests.strategies import school_year_weekdays


@given(st.sets(school_year_weekdays(), max_size=40))
def test_runs_partition_days_into_consecutive_stretches(days: set[dt.date]) -> None:
    runs = consecutive_runs(days)
    assert sorted(d for r in runs for d in r) == sorted(days)
    for run in runs:
        assert all(b - a == dt.timedelta(days=1) for a, b in itertools.pairwise(run))
    for before, after in itertools.pairwise(runs):
        assert after[0] - before[-1] > dt.timedelta(days=1)


def test_block_keys_name_phases_and_anchor_ordinary_weeks(tiny: Scenario, tiny_plan: Plan) -> None:
    keys = [b.key for b in plan_blocks(tiny, tiny_plan)["L01"]]
    assert keys == [
        "school:after:start",
        "theory:vei",
        "simulated:vei",
        "company:vei",
        "school:after:company:vei",
        "theory:elm",
        "simulated:elm",
        "school:after:simulated:elm",
        "company:elm",
        "school:after:company:elm",
        "experience",
        "school:after:experience",
    ]
    l03 = [b.key for b in plan_blocks(tiny, tiny_plan)["L03"]]
    assert "absent:2027-01-04" in l03
    assert "school:after:absent:2027-01-04" in l03


def test_runs_skip_free_days_weekends_and_days_after_leaving(
    tiny: Scenario, tiny_plan: Plan
) -> None:
    blocks = plan_blocks(tiny, tiny_plan)
    for pupil_id, pupil_blocks in blocks.items():
        allowed = {
            d for days in pupil_dates(tiny, tiny.pupil_by_id[pupil_id]).values() for d in days
        }
        for block in pupil_blocks:
            for run in block.runs:
                assert set(run.days) <= allowed
    after_visit = next(b for b in blocks["L01"] if b.key == "school:after:company:vei")
    split_week = [r for r in after_visit.runs if r.week_offset == 1]
    assert [(r.key, r.days[0], r.days[-1]) for r in split_week] == [
        ("1.0", dt.date(2026, 10, 12), dt.date(2026, 10, 13)),
        ("1.1", dt.date(2026, 10, 15), dt.date(2026, 10, 16)),
    ]
    last_day = max(d for b in blocks["L02"] for d in b.days)
    assert last_day == dt.date(2027, 6, 18)


def test_moving_a_block_keeps_its_keys_and_everyone_elses(tiny: Scenario) -> None:
    before = plan_blocks(tiny, build_plan(tiny))
    moved = plan_blocks(tiny, build_plan(tiny, with_block(LAYOUT, "L02", 5, weeks=[13, 14])))
    assert before["L01"] == moved["L01"] and before["L03"] == moved["L03"]
    old = next(b for b in before["L02"] if b.key == "company:elm")
    new = next(b for b in moved["L02"] if b.key == "company:elm")
    assert old.weeks != new.weeks
    assert [r.key for r in old.runs] == [r.key for r in new.runs]


def test_class_theory_follows_the_school_days(tiny: Scenario, tiny_plan: Plan) -> None:
    blocks = class_theory_blocks(tiny, tiny_plan, "5t")
    assert [b.key for b in blocks] == ["theory:vei", "theory:elm"]
    school_days = tiny.school_days("vti")
    for block in blocks:
        assert block.days == [d for w in block.weeks for d in school_days[w]]
