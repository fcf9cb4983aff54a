"""The diff report, on hand-made plans (no solver): exact pupil-week changes, parties to
tell, key figures before and after, the validator's verdict, JSON and words."""

from __future__ import annotations

import json

from rich.console import Console

from scheduler.i18n import language
from scheduler.plan import Plan
from scheduler.whatif.diff import plan_diff, week_changes
from scheduler.whatif.render import print_diff
from tests.handmade import LAYOUT, build_plan, edit_assignments, tiny_scenario, week_of, with_block

SCENARIO = tiny_scenario()
VALID = build_plan(SCENARIO)


def test_the_same_plan_has_no_changes() -> None:
    report = plan_diff(SCENARIO, VALID, SCENARIO, VALID)
    assert report.changed_pupil_weeks == 0 and report.changes == [] and report.parties == []
    assert report.validation.valid
    assert report.kpis["before"] == report.kpis["after"]


def test_moving_an_experience_period_names_weeks_parties_and_figures() -> None:
    # L01's experience (block 6, weeks 24-26) moves from Jansens (An) to partner Wuyts (Jan)
    moved = build_plan(SCENARIO, with_block(LAYOUT, "L01", 6, place="wuyts", mentor="jan"))
    report = plan_diff(SCENARIO, VALID, SCENARIO, moved)
    assert report.changed_pupil_weeks == 3 and report.changed_pupils == 1
    assert [c.week for c in report.changes] == [week_of(SCENARIO, i) for i in (24, 25, 26)]
    assert {tuple(c.fields) for c in report.changes} == {("place", "mentor")}
    assert report.changes[0].before.place == "company:jansens"
    assert report.changes[0].after.place == "company:wuyts"
    assert [p.party for p in report.parties] == [
        "company:jansens", "company:wuyts", "mentor:an", "mentor:jan"
    ]  # fmt: skip
    assert all(p.pupils == ["L01"] and len(p.weeks) == 3 for p in report.parties)
    before, after = report.kpis["before"], report.kpis["after"]
    assert after["away_from_home_weeks"] == before["away_from_home_weeks"] + 3
    assert after["companies"]["wuyts"]["pupil_weeks"] == 3
    (pupil,) = report.pupils
    assert pupil.pupil == "L01" and pupil.weeks == 3
    assert pupil.lines == [
        "weken van 15 maart 2027 tot 12 april 2027 (3 weken): ervaringsperiode bij Jansens "
        "Elektro NV (An Peeters) → ervaringsperiode bij Chemie Wuyts (Jan Wuyts)"
    ]
    assert report.validation.valid
    rows = {r.key: (r.before, r.after) for r in report.kpi_rows}
    assert rows["changed_pupil_weeks"] == (0, 3) and rows["valid"] == (True, True)


def test_shifting_a_phase_counts_every_week_that_differs() -> None:
    # L01's company phase of module elm moves from weeks 12-13 to 13-14: week 12 becomes an
    # ordinary week, week 13 loses its practice test (visit), week 14 becomes company
    shifted = build_plan(SCENARIO, with_block(LAYOUT, "L01", 5, weeks=[13, 14]))
    changes = week_changes(VALID, shifted)
    assert [c.fields for c in changes] == [
        ["phase", "module", "place", "mentor", "hours"],
        ["visit"],
        ["phase", "module", "place", "mentor", "hours", "visit"],
    ]
    assert [c.week for c in changes] == [week_of(SCENARIO, i) for i in (12, 13, 14)]


def test_weeks_in_one_plan_only_are_changes_too() -> None:
    last = max(a.week for a in VALID.assignments if a.pupil == "L02")
    shorter = edit_assignments(VALID, lambda a: None if (a.pupil, a.week) == ("L02", last) else a)
    report = plan_diff(SCENARIO, VALID, SCENARIO, shorter)
    (change,) = report.changes
    assert change.fields == ["removed"] and change.after is None
    assert not report.validation.valid, "the validator sees the missing week"
    assert {v.rule for v in report.validation.violations} >= {"coverage"}
    back = plan_diff(SCENARIO, shorter, SCENARIO, VALID)
    assert back.changes[0].fields == ["added"] and back.changes[0].before is None


def test_a_plan_without_solution_has_no_changes_and_no_figures_after() -> None:
    none = Plan(status="infeasible", scenario=VALID.scenario, school_year=VALID.school_year)
    report = plan_diff(SCENARIO, VALID, SCENARIO, none)
    assert report.status == "infeasible" and report.changes == [] and report.kpis["after"] is None
    assert not report.validation.valid
    assert [v.rule for v in report.validation.violations] == ["no_solution"]


def test_json_and_terminal_output_in_both_languages() -> None:
    moved = build_plan(SCENARIO, with_block(LAYOUT, "L01", 6, place="wuyts", mentor="jan"))
    report = plan_diff(SCENARIO, VALID, SCENARIO, moved, meta={"name": "test"})
    data = json.loads(report.to_json())
    assert {"changes", "kpis", "validation", "meta", "status"} <= set(data)
    assert data["validation"] == {"valid": True, "violations": []}
    assert set(data["kpis"]) == {"before", "after"}
    assert data["changes"][0]["before"]["place"] == "company:jansens"
    console = Console(record=True, width=200)
    print_diff(console, report)
    text = console.export_text()
    assert "Wie verwittigen" in text and "Chemie Wuyts" in text and "geldig" in text
    with language("en"):
        english = plan_diff(SCENARIO, VALID, SCENARIO, moved)
        console = Console(record=True, width=200)
        print_diff(console, english)
    assert "experience period at Chemie Wuyts" in english.pupils[0].lines[0]
    assert "Who to tell" in console.export_text()
