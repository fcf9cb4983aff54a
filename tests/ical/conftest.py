"""Plans for the feed tests: solved once per test session, plus the hand-made tiny plan."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import icalendar
import pytest

from scheduler.files import load_scenario
from scheduler.ical import build_feed, subscribers
from scheduler.model import Scenario
from scheduler.plan import Plan
from scheduler.solver.solve import solve
from tests.conftest import EXAMPLES, solve_example
from tests.handmade import build_plan, tiny_scenario
from tests.ical.helpers import Occurrence, events, occurrences

REGIO = EXAMPLES / "regio-meetjesland-2026-2027.yaml"
IMPOSSIBLE = sorted(EXAMPLES.glob("onmogelijk-*.yaml"))


@pytest.fixture(scope="session")
def emt_plan(emt_solved) -> Plan:
    """The EMT example, solved once per session (shared with the solver tests)."""
    _, result = emt_solved
    assert result.plan.has_solution, result.summary()
    return result.plan


@pytest.fixture(scope="session")
def regio() -> Scenario:
    """The regional example (three schools, one centre)."""
    return load_scenario(REGIO)


@pytest.fixture(scope="session")
def regio_plan(regio: Scenario) -> Plan:
    """A plan of the regional example: any plan will do for feeds, so the time limit is short
    (once more, longer, when a busy machine found none in time)."""
    _, result = solve_example(REGIO)
    if not result.plan.has_solution:
        result = solve(regio, time_limit=30)
    assert result.plan.has_solution, result.summary()
    return result.plan


@pytest.fixture(scope="session")
def tiny() -> Scenario:
    """The hand-made tiny scenario (tests/handmade.py)."""
    return tiny_scenario()


@pytest.fixture(scope="session")
def tiny_plan(tiny: Scenario) -> Plan:
    """The hand-made valid plan of the tiny scenario."""
    return build_plan(tiny)


@pytest.fixture(scope="session")
def example_plans(
    emt: Scenario,
    emt_plan: Plan,
    regio: Scenario,
    regio_plan: Plan,
    tiny: Scenario,
    tiny_plan: Plan,
) -> dict[str, tuple[Scenario, Plan]]:
    """Every scenario with a plan: the two solvable examples and the tiny one."""
    return {"emt": (emt, emt_plan), "regio": (regio, regio_plan), "tiny": (tiny, tiny_plan)}


@pytest.fixture(scope="session")
def plan_files(
    tmp_path_factory: pytest.TempPathFactory, example_plans: dict[str, tuple[Scenario, Plan]]
) -> dict[str, Path]:
    """The example plans written as plan files (for the command line)."""
    folder = tmp_path_factory.mktemp("plans")
    out = {}
    for name, (_, plan) in example_plans.items():
        out[name] = folder / f"{name}.json"
        out[name].write_text(plan.to_json(), encoding="utf-8")
    return out


@dataclass(frozen=True)
class Feeds:
    """Every feed of one example plan, built once, with pupils named in full (so tests can tell
    who is who), each read back by both parsers."""

    scenario: Scenario
    plan: Plan
    data: dict[str, bytes]
    events: dict[str, dict[str, icalendar.Event]]
    occurrences: dict[str, list[Occurrence]]


GENERATED = dt.datetime(2026, 8, 20, 12, 0, tzinfo=dt.UTC)


def full_names(scenario: Scenario) -> Scenario:
    """The scenario with pupils named in full in every feed."""
    named = scenario.settings.model_copy(update={"pupil_names": "full_name"})
    return scenario.model_copy(update={"settings": named})


@pytest.fixture(scope="session")
def example_feeds(example_plans: dict[str, tuple[Scenario, Plan]]) -> dict[str, Feeds]:
    """The feeds of every example plan (see :class:`Feeds`)."""
    out = {}
    for name, (scenario, plan) in example_plans.items():
        named = full_names(scenario)
        data = {s: build_feed(named, plan, s, generated=GENERATED) for s in subscribers(named)}
        out[name] = Feeds(
            named,
            plan,
            data,
            {s: events(d) for s, d in data.items()},
            {s: occurrences(d) for s, d in data.items()},
        )
    return out
