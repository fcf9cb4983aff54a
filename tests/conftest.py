"""Shared fixtures: paths of the bundled examples and loaded scenarios."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from hypothesis import settings

from scheduler.files import load_scenario
from scheduler.i18n import set_language

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
EMT = EXAMPLES / "emt-duaal-2026-2027.yaml"
SCENARIO_FILES = sorted(EXAMPLES.glob("*.yaml"))

# The default run (CI's) draws the same examples every time, so a red build always points at a
# change, never at luck; `python -m pytest --hypothesis-profile=explore` draws new random
# examples to hunt for bugs, as a developer run before a release. No deadline: nothing in a
# test is timed, and a loaded machine (a CI runner, a benchmark beside the tests) made a
# 1 ms calendar example take 273 ms and fail as "flaky".
settings.register_profile("default", derandomize=True, print_blob=True, deadline=None)
settings.register_profile("explore", derandomize=False, print_blob=True, deadline=None)
settings.load_profile("default")


@pytest.fixture(autouse=True)
def _dutch() -> None:
    """Every test starts in the default language (Dutch)."""
    set_language("nl")


@pytest.fixture(scope="session")
def emt():
    """The EMT duaal example scenario."""
    return load_scenario(EMT)


EXAMPLE_TIME_LIMITS = {"optimal": 120.0, "feasible": 10.0, "infeasible": 30.0}


@functools.cache
def solve_example(path: Path):
    """Solve an example once per test session (the EMT example takes ~10-20 s)."""
    from scheduler.solver.solve import solve

    scenario = load_scenario(path)
    limit = EXAMPLE_TIME_LIMITS.get(scenario.meta.expected or "feasible", 30.0)
    return scenario, solve(scenario, time_limit=limit)


@pytest.fixture(scope="session")
def emt_solved():
    """The EMT example and its solve result."""
    return solve_example(EMT)
