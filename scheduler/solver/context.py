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


@dataclass(frozen=True)
class PhaseHint:
    """A suggested value for one phase of one pupil (from a baseline plan or the greedy)."""

    pupil: str
    phase_key: str
    start: int
    size: int
    place: str | None = None
    mentor: str | None = None


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
    relax_capacity: bool = False
    """Only capacities get slack (company, mentor, centre, teacher visits): used to repair a
    plan put together from parts that were planned apart."""
    skip: frozenset[str] = frozenset()
    reserved: dict[str, list[int]] = field(default_factory=dict)
    """Places already taken per week by pupils planned earlier (``company:ID``, ``mentor:ID``,
    ``centre:ID``, ``school:ID`` for teacher visits), in a constructive solve."""
    theory: dict[tuple[str, str], PhaseVar] = field(default_factory=dict)
    phases: dict[str, list[PhaseVar]] = field(default_factory=dict)
    slacks: list[Slack] = field(default_factory=list)
    terms: dict[str, cp_model.LinearExprT] = field(default_factory=dict)
    workplace_units: dict[str, cp_model.LinearExprT] = field(default_factory=dict)
    peaks: dict[str, cp_model.LinearExprT] = field(default_factory=dict)
    objective: cp_model.LinearExprT = 0
    notes: list[str] = field(default_factory=list)
    _covers: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)

    @property
    def capacity_slack(self) -> bool:
        """Whether capacities get a penalised slack instead of a hard limit."""
        return self.relax or self.relax_capacity

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

    def covers(self, phase: PhaseVar, week: int) -> cp_model.IntVar:
        """A literal true exactly when the phase covers ``week`` (``start <= week < end``);
        shared by everyone who uses the same phase (a class's theory)."""
        key = (phase.start.Index(), week)
        lit = self._covers.get(key)
        if lit is None:
            model = self.model
            after = model.NewBoolVar(f"{phase.name}.s<={week}")
            model.Add(phase.start <= week).OnlyEnforceIf(after)
            model.Add(phase.start >= week + 1).OnlyEnforceIf(after.Not())
            before = model.NewBoolVar(f"{phase.name}.e>{week}")
            model.Add(phase.end >= week + 1).OnlyEnforceIf(before)
            model.Add(phase.end <= week).OnlyEnforceIf(before.Not())
            lit = model.NewBoolVar(f"{phase.name}.covers{week}")
            model.AddBoolAnd([after, before]).OnlyEnforceIf(lit)
            model.AddBoolOr([after.Not(), before.Not(), lit])
            self._covers[key] = lit
        return lit

    def contribution(self, phase: PhaseVar, per_week: list[int]) -> cp_model.LinearExprT:
        """``sum(per_week[t] for t in start..end-1)`` as a linear expression.

        Almost every week of a pupil's year has the same value (a full week, the same ordinary
        hours); the few others are short weeks, closures and absences. So the sum is the usual
        value times the phase's length, corrected by a "phase covers this week" literal for each
        unusual week the phase can reach. Exact, linear in the length, and cheap: a table or
        element encoding of every (start, length) made the presolve blow up at 100 pupils."""
        horizon = len(per_week)
        reach = range(max(0, phase.lo), min(horizon, phase.hi + phase.spec.max_len))
        values = [per_week[t] for t in reach]
        if not values:
            return 0
        usual = max(set(values), key=values.count)
        expr: cp_model.LinearExprT = usual * phase.size
        for t in reach:
            if per_week[t] != usual:
                expr += (per_week[t] - usual) * self.covers(phase, t)
        return expr

    def slack(
        self, rule: str, party: str, upper: int, weight: int, **detail: Any
    ) -> cp_model.IntVar:
        """A non-negative slack variable for ``rule`` at ``party`` (relaxed mode only)."""
        name = f"slack.{rule}.{party}"
        var = self.model.NewBoolVar(name) if upper == 1 else self.model.NewIntVar(0, upper, name)
        self.slacks.append(Slack(rule, party, var, weight, dict(detail)))
        return var
