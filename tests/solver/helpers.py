"""Helpers for the solver tests."""

from __future__ import annotations

from scheduler.kpis import pupil_summaries
from scheduler.model.scenario import Scenario
from scheduler.plan import Plan
from scheduler.solver.context import PhaseHint
from scheduler.solver.data import parts, solver_data
from scheduler.solver.extract import assignments_from_hints


def plan_of(scenario: Scenario, hints: list[PhaseHint]) -> Plan:
    """A plan (for the independent validator) from every pupil's phases."""
    assignments = []
    for ids in parts(scenario):
        members = set(ids)
        assignments += assignments_from_hints(
            solver_data(scenario, ids), [h for h in hints if h.pupil in members]
        )
    return Plan(
        status="feasible", scenario=scenario.meta.name, school_year=scenario.school_year,
        assignments=assignments, pupils=pupil_summaries(scenario, assignments),
    )  # fmt: skip
