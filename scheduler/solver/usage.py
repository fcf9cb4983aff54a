"""What phases take per week: places at companies, mentors and centres, and teacher visits.

A plan built piece by piece (the greedy, a neighbourhood re-planned inside its region) keeps the
places the other pupils hold as *reservations*: capacities left for the piece, and loads that
still count in the busiest-week (peak) term.
"""

from __future__ import annotations

from scheduler.model.scenario import Scenario
from scheduler.solver.context import PhaseHint

Usage = dict[str, list[int]]
"""Per party (``company:ID``, ``mentor:ID``, ``centre:ID``, ``school:ID`` for teacher visits)
the number taken per teaching week."""


def add_usage(
    taken: Usage, scenario: Scenario, hints: list[PhaseHint], n_weeks: int, sign: int = 1
) -> None:
    """Add (or with ``sign=-1`` take away) the places that phases take per week."""
    for hint in hints:
        kind = hint.phase_key.rpartition(":")[2]
        end = hint.start + hint.size
        weeks = range(max(0, hint.start), min(end, n_weeks))
        if kind in ("company", "experience") and hint.place:
            row = taken.setdefault(f"company:{hint.place}", [0] * n_weeks)
            for t in weeks:
                row[t] += sign
        elif kind == "simulated" and hint.place:
            row = taken.setdefault(f"centre:{hint.place}", [0] * n_weeks)
            for t in weeks:
                row[t] += sign
        if hint.mentor:
            row = taken.setdefault(f"mentor:{hint.mentor}", [0] * n_weeks)
            for t in weeks:
                row[t] += sign
        if kind == "company" and 0 < end <= n_weeks:
            school = scenario.school_of(scenario.pupil_by_id[hint.pupil]).id
            row = taken.setdefault(f"school:{school}", [0] * n_weeks)
            row[end - 1] += sign


def usage(scenario: Scenario, hints: list[PhaseHint], n_weeks: int) -> Usage:
    """The places that phases take per week."""
    taken: Usage = {}
    add_usage(taken, scenario, hints, n_weeks)
    return taken


def loads_only(taken: Usage) -> Usage:
    """The company and centre rows of a usage: the loads the peak term counts."""
    return {k: v for k, v in taken.items() if k.startswith(("company:", "centre:"))}


def combined(*parts: Usage) -> Usage:
    """The sum of several usages."""
    out: Usage = {}
    for part in parts:
        for party, row in part.items():
            mine = out.get(party)
            if mine is None:
                out[party] = list(row)
            else:
                out[party] = [a + b for a, b in zip(mine, row, strict=True)]
    return out
