"""The CP-SAT parameters the project solves with (one place, measured choices)."""

from __future__ import annotations

from ortools.sat.python import cp_model


def make_solver(time_limit: float, seed: int, workers: int) -> cp_model.CpSolver:
    """A CP-SAT solver with the project's parameters."""
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, time_limit)
    solver.parameters.num_workers = max(1, workers)
    solver.parameters.random_seed = seed
    # the objective is integral in units of 1/500; stop at proven optimality exactly
    solver.parameters.relative_gap_limit = 0.0
    # stronger linear relaxation: measured faster to a proof on the EMT example (7.8 s vs 9.7 s)
    solver.parameters.linearization_level = 2
    return solver
