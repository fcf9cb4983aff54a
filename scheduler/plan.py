"""The year plan: the contract that the solver writes and the validator, API, iCal and what-if read.

A plan has exactly one assignment per pupil per week in which the pupil has school days
(weeks before the pupil starts, after the pupil leaves and school holidays have none). Each
assignment says which phase of which module the pupil is in, where, with which mentor and how
many hours that week counts at school, at a centre and on the real workplace.

A plan with status ``infeasible`` that still has assignments is a *proposal*: the closest plan
the explanation step found, which breaks exactly the rules listed in ``violations``. It is
never a valid plan.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from scheduler.errors import PlanError
from scheduler.i18n import tr

PlanStatus = Literal["optimal", "feasible", "infeasible", "unknown"]
PlanPhase = Literal["theory", "simulated", "company", "experience", "school"]
PlaceKind = Literal["school", "centre", "company"]

PLAN_FORMAT_VERSION = 1


class _PlanModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Place(_PlanModel):
    """Where the pupil is that week: the school, a training centre or a company, by id."""

    kind: PlaceKind
    id: str


class WeekHours(_PlanModel):
    """Hours of one pupil-week, by place (full-week profile scaled by the week's school days)."""

    school: float = 0
    centre: float = 0
    workplace: float = 0


class Assignment(_PlanModel):
    """What one pupil does in one week."""

    pupil: str
    week: dt.date = Field(description="Monday of the week (ISO date).")
    phase: PlanPhase
    module: str | None = Field(description="Module id; null for ordinary (school) weeks.")
    place: Place
    mentor: str | None = Field(default=None, description="Mentor id in company/experience weeks.")
    hours: WeekHours
    absent: bool = Field(default=False, description="The pupil is unavailable this week.")
    visit: bool = Field(
        default=False,
        description="The practice test of this company phase: a teacher visits this week.",
    )


class PupilSummary(_PlanModel):
    """A pupil's contract and the annual average of real-workplace hours the plan gives."""

    pupil: str
    contract: Literal["oao", "internship"]
    workplace_hours_per_week: float
    margin: float = Field(
        default=0, description="Average minus 20 h (OAO must be >= 0, internship < 0)."
    )
    school_days: int = 0
    workplace_hours: float = 0


class Violation(_PlanModel):
    """A rule a plan breaks, in the planner's words."""

    rule: str = Field(description="Rule code, e.g. company_capacity (see docs/rules.md).")
    message: str
    pupil: str | None = None
    week: dt.date | None = None
    party: str | None = Field(default=None, description="e.g. company:jansens, mentor:an.")


class ExplanationItem(_PlanModel):
    """One reason why no plan exists, with what would resolve it."""

    rule: str
    message: str
    fix: str | None = None
    parties: list[str] = Field(default_factory=list)
    pupils: list[str] = Field(default_factory=list)
    weeks: list[dt.date] = Field(default_factory=list)


class Plan(_PlanModel):
    """A year plan for one scenario (or, with status infeasible, a proposal or nothing)."""

    format: int = PLAN_FORMAT_VERSION
    status: PlanStatus
    scenario: str = Field(description="The scenario's meta.name.")
    scenario_fingerprint: str | None = None
    school_year: str
    objective: float | None = None
    bound: float | None = None
    gap: float | None = None
    solve_seconds: float = 0
    objective_terms: dict[str, float] = Field(default_factory=dict)
    assignments: list[Assignment] = Field(default_factory=list)
    pupils: list[PupilSummary] = Field(default_factory=list)
    kpis: dict[str, Any] = Field(default_factory=dict)
    explanation: list[ExplanationItem] = Field(default_factory=list)
    violations: list[Violation] = Field(default_factory=list)
    proposal: bool = Field(
        default=False, description="True when the assignments break the listed violations."
    )
    solver: dict[str, Any] = Field(default_factory=dict, description="Solver details.")

    @property
    def has_solution(self) -> bool:
        """Whether the plan holds a valid solution (not a proposal, not empty)."""
        return self.status in ("optimal", "feasible") and bool(self.assignments)

    def by_pupil(self) -> dict[str, list[Assignment]]:
        """Assignments per pupil, in week order."""
        out: dict[str, list[Assignment]] = {}
        for a in sorted(self.assignments, key=lambda a: (a.pupil, a.week)):
            out.setdefault(a.pupil, []).append(a)
        return out

    def to_json(self) -> str:
        """The plan as JSON text (the published format)."""
        return json.dumps(self.model_dump(mode="json"), ensure_ascii=False, indent=1) + "\n"


def load_plan(path: str | Path) -> Plan:
    """Read a plan file, raising :class:`PlanError` with a clear message when it is unusable."""
    p = Path(path)
    if not p.exists():
        raise PlanError(
            tr(
                nl=f"{path}: het planbestand bestaat niet",
                en=f"{path}: the plan file does not exist",
            )
        )
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise PlanError(
            tr(
                nl=f"{path}: geen geldig plan (JSON): {exc}",
                en=f"{path}: not a valid plan (JSON): {exc}",
            )
        ) from None
    return plan_from_json(text, str(path))


def plan_from_json(text: str, source: str = "plan") -> Plan:
    """A plan from its JSON text: pydantic parses the JSON itself (several times faster on a
    large plan than ``json.loads`` and validation); only a bad plan takes the slower path that
    names the field."""
    try:
        return Plan.model_validate_json(text)
    except ValidationError:
        pass
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PlanError(
            tr(
                nl=f"{source}: geen geldig plan (JSON): {exc}",
                en=f"{source}: not a valid plan (JSON): {exc}",
            )
        ) from None
    return plan_from_data(data, source)


def plan_from_data(data: Any, source: str = "plan") -> Plan:
    """Validate plan data (e.g. an API body), raising :class:`PlanError` naming the field."""
    try:
        return Plan.model_validate(data)
    except ValidationError as exc:
        from scheduler.files import problems_from_validation_error

        problems = problems_from_validation_error(exc, source, None, Plan)
        raise PlanError("\n".join(str(p) for p in problems[:10])) from None


def check_plan_matches(plan: Plan, scenario: Any, source: str = "plan") -> None:
    """Refuse a plan made for another scenario (name or school year differ)."""
    if plan.scenario != scenario.meta.name or plan.school_year != scenario.school_year:
        raise PlanError(
            tr(
                nl=f"{source}: dit plan hoort bij scenario '{plan.scenario}' ({plan.school_year}), "
                f"niet bij '{scenario.meta.name}' ({scenario.school_year})",
                en=f"{source}: this plan belongs to scenario '{plan.scenario}' "
                f"({plan.school_year}), not to '{scenario.meta.name}' ({scenario.school_year})",
            )
        )
