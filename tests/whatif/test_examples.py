"""Every what-if example re-plans from one shared baseline of its base scenario and reaches
its expected status; new plans pass the independent validator and never change a frozen
week; impossible ones explain themselves; a change at one company moves only its pupils."""

from __future__ import annotations

import functools
from collections import Counter
from pathlib import Path

import pytest
from pydantic import TypeAdapter

from scheduler.plan import Plan
from scheduler.solver.solve import SolveResult
from scheduler.validate import validate_plan
from scheduler.whatif.changes import (
    Change,
    WhatIf,
    apply_changes,
    load_change_file,
    past_home_notes,
)
from scheduler.whatif.diff import plan_diff, side_of
from scheduler.whatif.replan import frozen_before, replan
from tests.conftest import EXAMPLES, solve_example
from tests.handmade import build_plan, tiny_scenario, week_of

WHATIF_FILES = sorted((EXAMPLES / "what-if").glob("*.yaml"))
TIME_LIMITS = {"tweede-klas.yaml": 40.0}
"""Re-plan time limits (s); 20 s for the others (most stop much earlier, at a proven optimum
or a proof of impossibility). A new class is the hardest re-plan."""


@functools.cache
def run_example(path: Path) -> tuple[WhatIf, Plan, SolveResult]:
    """Re-plan an example once per session, from the shared solve of its base scenario."""
    whatif = load_change_file(path)
    _, base = solve_example(whatif.base_path)
    assert base.plan.has_solution, "the base scenario of an example has a plan"
    result = replan(
        whatif.scenario,
        base.plan,
        start=whatif.start,
        pins=whatif.file.pins,
        time_limit=TIME_LIMITS.get(path.name, 20.0),
    )
    return whatif, base.plan, result


def assert_frozen_weeks_kept(whatif: WhatIf, baseline: Plan, plan: Plan) -> int:
    """Every pupil-week before the frozen date is exactly as in the baseline (for pupils still
    enrolled that week); returns how many were compared."""
    before = frozen_before(whatif.start)
    if before is None:
        return 0
    old = {(a.pupil, a.week): side_of(a) for a in baseline.assignments if a.week < before}
    new = {(a.pupil, a.week): side_of(a) for a in plan.assignments if a.week < before}
    enrolled = {p.id: set(whatif.scenario.pupil_days(p)) for p in whatif.scenario.pupils}
    kept = {k: v for k, v in old.items() if k[1] in enrolled.get(k[0], set())}
    assert {k: new.get(k) for k in kept} == kept
    assert set(new) - set(kept) <= {k for k in new if k[0] not in whatif.base.pupil_by_id}
    return len(kept)


def test_there_are_enough_examples() -> None:
    assert len(WHATIF_FILES) >= 5
    expected = [load_change_file(p).file.meta.expected for p in WHATIF_FILES]
    assert "infeasible" in expected and expected.count("feasible") >= 4


@pytest.mark.parametrize("path", WHATIF_FILES, ids=lambda p: p.name)
def test_example_reaches_its_expected_status(path: Path) -> None:
    whatif, baseline, result = run_example(path)
    expected = whatif.file.meta.expected
    if expected == "feasible":
        assert result.status in ("feasible", "optimal"), result.plan.explanation
    else:
        assert result.status == expected
    report = validate_plan(whatif.scenario, result.plan)
    if result.plan.has_solution:
        assert report.valid, report.summary()
        assert assert_frozen_weeks_kept(whatif, baseline, result.plan) > 0 or (
            whatif.start is None or whatif.start <= whatif.base.school_calendar.weeks[1].monday
        )
    else:
        explanation = result.plan.explanation
        assert explanation and all(e.rule != "unknown" for e in explanation)
        assert not report.valid


def test_impossible_examples_name_party_pupils_and_rule() -> None:
    _, _, place = run_example(EXAMPLES / "what-if" / "onmogelijk-geen-plaats.yaml")
    text = " ".join(e.message for e in place.plan.explanation)
    assert "Brouwerij De Leeuw" in text and "L06" in text
    assert "company_capacity" in {e.rule for e in place.plan.explanation}
    _, _, theory = run_example(EXAMPLES / "what-if" / "onmogelijk-langere-theorie.yaml")
    contract = [e.message for e in theory.plan.explanation if e.rule == "contract"]
    assert any("Lucas Dubois (L12)" in m and "20 uur" in m for m in contract), contract


def _room_for_moves(whatif: WhatIf, baseline: Plan, moves: list[list]) -> bool:
    """Whether the baseline leaves room for each block of weeks in ``moves`` (a pupil's weeks
    at the company that stops) at one candidate company and mentor, without moving anybody
    else: places, mentor capacity and absences, closures, infrastructure (greedy, in order)."""
    s = whatif.scenario
    load: Counter = Counter()
    guided: Counter = Counter()
    for a in baseline.assignments:
        if a.phase in ("company", "experience"):
            load[(a.place.id, a.week)] += 1
            guided[(a.mentor, a.week)] += 1
    for block in moves:
        pupil = s.pupil_by_id[block[0].pupil]
        home = s.company_by_id[pupil.company]
        module = block[0].module
        found = False
        for company in [home, *(s.company_by_id[c] for c in home.partners)]:
            if module is not None and not company.allows(module):
                continue
            for mentor in company.mentors:
                if all(
                    load[(company.id, a.week)] < company.capacity_in(a.week)
                    and guided[(mentor.id, a.week)] < mentor.max_pupils
                    and a.week not in mentor.unavailable_weeks
                    for a in block
                ):
                    for a in block:
                        load[(company.id, a.week)] += 1
                        guided[(mentor.id, a.week)] += 1
                    found = True
                    break
            if found:
                break
        if not found:
            return False
    return True


def test_a_company_that_drops_out_moves_only_its_own_pupils() -> None:
    whatif, baseline, result = run_example(EXAMPLES / "what-if" / "bedrijf-stopt.yaml")
    start = whatif.start
    assert start is not None
    at_willems = sorted(
        (a for a in baseline.assignments if a.place.id == "willems" and a.week >= start),
        key=lambda a: (a.pupil, a.week),
    )
    report = plan_diff(whatif.base, baseline, whatif.scenario, result.plan)
    changed = {(c.pupil, c.week) for c in report.changes}
    assert {(a.pupil, a.week) for a in at_willems} <= changed, "every week at Willems moves"
    assert not any(a.place.id == "willems" and a.week >= start for a in result.plan.assignments)
    assert whatif.scenario.pupil_by_id["L23"].mentor == "hydro-sofie"
    blocks: list[list] = []
    for a in at_willems:
        if blocks and blocks[-1][-1].pupil == a.pupil and blocks[-1][-1].phase == a.phase:
            blocks[-1].append(a)
        else:
            blocks.append([a])
    if _room_for_moves(whatif, baseline, blocks):
        # where capacity allows, only Willems's pupils move, and only those weeks
        assert {p for p, _ in changed} == {"L10", "L23"}
        assert report.changed_pupil_weeks == len(at_willems)


def _without_closures(data: dict) -> None:
    for company in data["companies"]:
        company["closures"] = []


def test_company_leaving_moves_exactly_its_weeks_when_capacity_allows() -> None:
    # hand-made baseline of the tiny scenario: L02 (home De Smet) has its experience at De
    # Smet in weeks 28-30; Jansens, De Smet's partner, has room then
    base = tiny_scenario(_without_closures)
    baseline = build_plan(base)
    start = week_of(base, 20)
    change = {"type": "company_leaves", "company": "desmet", "from": start.isoformat()}
    changed = apply_changes(base, TypeAdapter(list[Change]).validate_python([change]))
    result = replan(changed, baseline, start=start, time_limit=10)
    assert result.status == "optimal"
    assert validate_plan(changed, result.plan).valid
    report = plan_diff(base, baseline, changed, result.plan)
    assert report.changed_pupil_weeks == 3
    assert {c.pupil for c in report.changes} == {"L02"}
    assert [c.week for c in report.changes] == [week_of(base, i) for i in (28, 29, 30)]
    assert all(c.after and c.after.place == "company:jansens" for c in report.changes)
    assert report.pupils[0].home_after == "jansens/bart"
    old = {(a.pupil, a.week): side_of(a) for a in baseline.assignments if a.week < start}
    new = {(a.pupil, a.week): side_of(a) for a in result.plan.assignments if a.week < start}
    assert old == new


def test_a_new_home_closed_in_the_past_is_the_documented_exception() -> None:
    # Jansens was closed in week 18 (25 January), before the change: L02's ordinary week
    # there now counts as a school week (the rules tie it to the home company); it is the
    # only past week that changes, and the change file's notes say so
    base = tiny_scenario()
    baseline = build_plan(base)
    start = week_of(base, 20)
    change = {"type": "company_leaves", "company": "desmet", "from": start.isoformat()}
    changed = apply_changes(base, TypeAdapter(list[Change]).validate_python([change]))
    (note,) = past_home_notes(base, changed, start)
    assert note.startswith("L02: het nieuwe thuisbedrijf jansens was gesloten in de week van "
                           "2027-01-25")  # fmt: skip
    result = replan(changed, baseline, start=start, time_limit=10)
    report = plan_diff(base, baseline, changed, result.plan)
    past = [c for c in report.changes if c.week < start]
    assert [(c.pupil, c.week, c.fields) for c in past] == [("L02", week_of(base, 18), ["hours"])]
    assert past[0].after.hours.workplace == 0
