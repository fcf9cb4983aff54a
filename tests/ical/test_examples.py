"""Feeds of every example plan: they parse, keep privacy and never cover a day without school.

The EMT example is solved once per session (conftest), the regional example with a short time
limit; the tiny hand-made plan comes along. The impossible examples have no plan: feeds refuse
them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scheduler.cli import app
from scheduler.files import load_scenario
from scheduler.ical import build_feed, feed_file_name, subscribers
from scheduler.ical.blocks import pupil_dates
from scheduler.model import Pupil, Scenario
from scheduler.plan import Assignment, Plan
from scheduler.solver.solve import solve
from tests.conftest import EMT
from tests.ical.conftest import GENERATED, IMPOSSIBLE, REGIO, Feeds
from tests.ical.helpers import event_text, parse_both

runner = CliRunner()
EXAMPLES = ["emt", "regio", "tiny"]


def _named(scenario: Scenario, text: str) -> list[Pupil]:
    return [p for p in scenario.pupils if p.display_name in text]


def _at(plan: Plan) -> dict[tuple[str, dt.date], Assignment]:
    return {(a.pupil, a.week): a for a in plan.assignments}


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


@pytest.mark.parametrize(("name", "path"), [("emt", EMT), ("regio", REGIO)])
def test_every_feed_written_for_an_example_parses_with_two_libraries(
    name: str, path: Path, plan_files: dict[str, Path], tmp_path: Path
) -> None:
    result = runner.invoke(
        app, ["ical", str(path), str(plan_files[name]), "--all", "-o", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    scenario = load_scenario(path)
    files = sorted(tmp_path.iterdir())
    assert [f.name for f in files] == sorted(feed_file_name(s) for s in subscribers(scenario))
    total = 0
    for file in files:
        _, strict = parse_both(file.read_bytes())
        total += len(strict.events)
        if file.name.startswith(("pupil-", "centre-")):
            assert strict.events, f"{file.name} has no events"
    assert total > 100


def test_exporting_twice_gives_the_same_bytes(example_feeds: dict[str, Feeds]) -> None:
    feeds = example_feeds["emt"]
    picked = {s.partition(":")[0]: s for s in reversed(list(feeds.data))}  # one of each kind
    for sub in picked.values():
        first = feeds.data[sub]
        assert build_feed(feeds.scenario, feeds.plan, sub, generated=GENERATED) == first
        assert build_feed(feeds.scenario, feeds.plan, sub, previous=first) == first


@pytest.mark.parametrize("name", EXAMPLES)
def test_company_feeds_hold_only_pupils_at_that_company(
    name: str, example_feeds: dict[str, Feeds]
) -> None:
    """A partner pupil who comes to the company is its pupil for those weeks, and only then."""
    feeds = example_feeds[name]
    at = _at(feeds.plan)
    for company in feeds.scenario.companies:
        sub = f"company:{company.id}"
        seen: set[str] = set()
        for occ in feeds.occurrences[sub]:
            pupils = _named(feeds.scenario, event_text(feeds.events[sub][occ.uid]))
            assert len(pupils) == 1, f"{sub}: {occ.summary}"
            a = at[(pupils[0].id, _monday(occ.day))]
            assert (a.place.kind, a.place.id) == ("company", company.id), (sub, occ)
            assert a.phase in ("company", "experience")
            seen.add(pupils[0].id)
        hosted = {
            a.pupil
            for a in feeds.plan.assignments
            if a.place.kind == "company" and a.place.id == company.id
        }
        assert seen == hosted, sub


@pytest.mark.parametrize("name", EXAMPLES)
def test_mentor_feeds_hold_only_their_pupils(name: str, example_feeds: dict[str, Feeds]) -> None:
    feeds = example_feeds[name]
    at = _at(feeds.plan)
    for sub, found in feeds.occurrences.items():
        if not sub.startswith("mentor:"):
            continue
        for occ in found:
            (pupil,) = _named(feeds.scenario, event_text(feeds.events[sub][occ.uid]))
            assert f"mentor:{at[(pupil.id, _monday(occ.day))].mentor}" == sub


@pytest.mark.parametrize("name", EXAMPLES)
def test_no_event_falls_on_a_day_without_school(name: str, example_feeds: dict[str, Feeds]) -> None:
    feeds = example_feeds[name]
    scenario = feeds.scenario
    cal = scenario.school_calendar
    free = {f.date for f in cal.free_days} | {f.date for f in scenario.calendar.free_days}
    days_of = {
        p.id: {d for ds in pupil_dates(scenario, p).values() for d in ds} for p in scenario.pupils
    }
    school_days = {
        s.id: {d for ds in scenario.school_days(s.id).values() for d in ds}
        for s in scenario.schools
    }
    for sub, found in feeds.occurrences.items():
        kind, _, ident = sub.partition(":")
        for occ in found:
            assert occ.day.weekday() < 5, (sub, occ)
            assert cal.holiday_on(occ.day) is None and occ.day not in free, (sub, occ)
            if kind == "pupil":
                assert occ.day in days_of[ident], (sub, occ)
                continue
            pupils = _named(scenario, event_text(feeds.events[sub][occ.uid]))
            if pupils:
                assert occ.day in days_of[pupils[0].id], (sub, occ)
            else:  # a class's theory
                assert kind == "school" and occ.day in school_days[ident], (sub, occ)


@pytest.mark.parametrize("path", IMPOSSIBLE, ids=lambda p: p.name)
def test_impossible_examples_get_no_feed(path: Path, tmp_path: Path) -> None:
    scenario = load_scenario(path)
    plan = solve(scenario, time_limit=10, explain=False).plan
    assert not plan.has_solution
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(plan.to_json(), encoding="utf-8")
    company = scenario.companies[0].id
    out_file, out_dir = tmp_path / "feed.ics", tmp_path / "feeds"
    one = runner.invoke(
        app, ["ical", str(path), str(plan_file), "--for", f"company:{company}", "-o", str(out_file)]
    )
    assert one.exit_code == 2 and "geen oplossing" in one.output
    every = runner.invoke(app, ["ical", str(path), str(plan_file), "--all", "-o", str(out_dir)])
    assert every.exit_code == 2 and "geen oplossing" in every.output
    assert "Traceback" not in one.output + every.output
    assert not out_file.exists() and not out_dir.exists()
