"""The model under construction: the CP-SAT model, the data and the variables made so far.

Constraint and objective functions receive a :class:`ModelContext`; in *relaxed* mode (used to
explain impossible scenarios) they add penalised slack instead of hard limits and record each
slack so the explanation can say which rule had to give way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from scheduler.model.scenario import Weights
from scheduler.solver.data import PupilData, SolverData
from scheduler.solver.variables import PhaseVar

RELAX_OVERFLOW_WEEKS = 30
"""Extra weeks after the year in a relaxed model, so phases that do not fit still get placed."""


@dataclass
class Slack:
    """A relaxation used by the explanation: which rule, for which party, how much."""

    rule: str
    party: str
    var: cp_model.IntVar
    weight: int
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class Pin:
    """A fixed pupil-week: the pupil is in phase ``phase_key`` (``None``: an ordinary week) at
    the given place and mentor (``None``: any)."""

    pupil: str
    week: int
    phase_key: str | None
    place: str | None = None
    mentor: str | None = None


@dataclass
class ModelContext:
    """Everything the constraint and objective functions share."""

    model: cp_model.CpModel
    data: SolverData
    weights: Weights
    relax: bool = False
    skip: frozenset[str] = frozenset()
    theory: dict[tuple[str, str], PhaseVar] = field(default_factory=dict)
    phases: dict[str, list[PhaseVar]] = field(default_factory=dict)
    slacks: list[Slack] = field(default_factory=list)
    terms: dict[str, cp_model.LinearExprT] = field(default_factory=dict)
    workplace_units: dict[str, cp_model.LinearExprT] = field(default_factory=dict)
    peaks: dict[str, cp_model.LinearExprT] = field(default_factory=dict)
    objective: cp_model.LinearExprT = 0
    notes: list[str] = field(default_factory=list)
    _elements: dict[tuple[int, tuple[int, ...]], cp_model.IntVar] = field(default_factory=dict)

    @property
    def horizon(self) -> int:
        """Number of week indices in the model (teaching weeks, plus overflow when relaxed)."""
        return self.data.weeks.n + (RELAX_OVERFLOW_WEEKS if self.relax else 0)

    def pupil_end(self, pupil: PupilData) -> int:
        """One past the last week index the pupil's phases may use."""
        enrolled = pupil.enrolled
        if not enrolled:
            return 0
        overflow = RELAX_OVERFLOW_WEEKS if self.relax else 0
        return min(self.horizon, enrolled[-1] + 1 + overflow)

    def element(self, index: cp_model.IntVar, values: list[int], name: str) -> cp_model.IntVar:
        """``values[index]`` as a variable, shared between identical requests (pupils of one
        class share their theory intervals and often their hours arrays)."""
        key = (index.Index(), tuple(values))
        var = self._elements.get(key)
        if var is None:
            var = self.model.NewIntVar(min(values), max(values), name)
            self.model.AddElement(index, values, var)
            self._elements[key] = var
        return var

    def contribution(self, phase: PhaseVar, prefix: list[int], name: str) -> cp_model.IntVar:
        """``prefix[end] - prefix[start]`` of a phase as one variable, through a table of every
        (start, size) the phase can take: a table propagates both ways, where a difference of
        two element constraints lets the solver see little.

        Pupils of a class share their theory interval and often the same hours, so equal
        requests share one table."""
        key = (phase.start.Index(), tuple(prefix))
        var = self._elements.get(key)
        if var is not None:
            return var
        lo_s, hi_s = phase.lo, phase.hi
        sizes = (
            [phase.size]
            if isinstance(phase.size, int)
            else list(range(phase.spec.min_len, phase.spec.max_len + 1))
        )
        last = len(prefix) - 1
        rows = [
            (s, size, prefix[s + size] - prefix[s])
            for s in range(lo_s, hi_s + 1)
            for size in sizes
            if s + size <= last
        ]
        values = [r[2] for r in rows] or [0]
        var = self.model.NewIntVar(min(values), max(values), name)
        if isinstance(phase.size, int):
            self.model.AddAllowedAssignments([phase.start, var], [(r[0], r[2]) for r in rows])
        else:
            self.model.AddAllowedAssignments([phase.start, phase.size, var], rows)
        self._elements[key] = var
        return var

    def slack(
        self, rule: str, party: str, upper: int, weight: int, **detail: Any
    ) -> cp_model.IntVar:
        """A non-negative slack variable for ``rule`` at ``party`` (relaxed mode only)."""
        name = f"slack.{rule}.{party}"
        var = self.model.NewBoolVar(name) if upper == 1 else self.model.NewIntVar(0, upper, name)
        self.slacks.append(Slack(rule, party, var, weight, dict(detail)))
        return var
