"""Completing a solution hint: the helper variables a plan does not name (peaks, spreads,
shortfalls) get their values too.

A plan given as a hint fixes every placement, but not the integer variables the objective
reads (a company's busiest week, a class's spread, a pupil's shortfall under the OAO margin).
Left out, CP-SAT fills them in by its own search and its first solution can be far worse than
the plan: measured on the EMT example hinted with its optimal plan (284.52), the first
solution was 480.52 and the neighbourhood search needed over a second to get back. With every
placement fixed the helpers follow by propagation, so one small solve (0.04 s there) gives them
their best values, and CP-SAT starts from the plan's true objective.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

if TYPE_CHECKING:
    from scheduler.solver.context import PhaseHint
    from scheduler.solver.data import SolverData

COMPLETE_SECONDS = 0.5
"""At most this long for the solve that completes a hint (it is mostly propagation)."""


def complete_hint(model: cp_model.CpModel, seconds: float = COMPLETE_SECONDS) -> bool:
    """Add hints for every variable of ``model`` its hint leaves out: their values in the best
    solution with the hinted variables fixed to their hints. False (the hint unchanged) when
    there is no hint, the hinted values admit no solution, or none was found in time."""
    proto = model.proto
    hint = proto.solution_hint
    if not hint.vars:
        return False
    hinted = set(hint.vars)
    missing = [i for i in range(len(proto.variables)) if i not in hinted]
    if not missing:
        return True
    probe = model.clone()
    probe.clear_hints()
    variables = probe.proto.variables
    for index, value in zip(hint.vars, hint.values, strict=True):
        domain = variables[index].domain
        domain.clear()
        domain.extend([value, value])
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = seconds
    status = solver.Solve(probe)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return False
    values = solver.response_proto.solution
    for index in missing:
        hint.vars.append(index)
        hint.values.append(values[index])
    return True


def is_whole_plan(data: SolverData, hints: list[PhaseHint] | None) -> bool:
    """Whether the hints give every phase of every pupil of the part."""
    if not hints:
        return False
    keys = {(h.pupil, h.phase_key) for h in hints}
    return all((p.id, s.key) in keys for p in data.pupils for s in p.phases)


def hint_solution(model: cp_model.CpModel, solver: cp_model.CpSolver) -> None:
    """Use a solution as the complete hint of the next solve."""
    model.ClearHints()
    for i in range(len(model.Proto().variables)):
        var = model.GetIntVarFromProtoIndex(i)
        model.AddHint(var, solver.Value(var))
