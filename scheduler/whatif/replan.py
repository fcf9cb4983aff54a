"""Re-planning from the plan in use: the past stays, the rest changes as little as it can.

Weeks before ``start`` (every week whose Monday lies before the Monday of ``start``: a week
that has begun is not frozen) keep exactly the phase, place and mentor they have in the
baseline; a planner's pins keep more weeks. After that the solver first minimises the changes
from the baseline, then the normal objective (:func:`scheduler.solver.solve.solve` with a
``baseline``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from scheduler.errors import PlanError, Problem, ScenarioError
from scheduler.i18n import format_date, tr
from scheduler.model.base import monday_of
from scheduler.model.scenario import Scenario
from scheduler.plan import Assignment, ExplanationItem, Plan, check_plan_matches
from scheduler.solver.context import PhaseHint, Pin
from scheduler.solver.data import weekline
from scheduler.solver.explain import explain_part
from scheduler.solver.solve import SolveResult, solve
from scheduler.solver.warmstart import hints_from_plan, pins_from_plan, pupils_stuck
from scheduler.validate import validate_plan
from scheduler.whatif.changes import PinSpec


@dataclass
class ReplanInputs:
    """What the solver gets for a re-plan: frozen and pinned weeks, and the baseline's phases
    (as hints and as the reference the changes are counted from)."""

    pins: list[Pin]
    hints: list[PhaseHint]
    frozen_before: dt.date | None
    """Weeks whose Monday lies before this date are frozen (None: nothing is)."""


def frozen_before(start: dt.date | None) -> dt.date | None:
    """The Monday before which weeks are frozen: the week of ``start`` itself is not."""
    return None if start is None else monday_of(start)


def check_baseline(scenario: Scenario, baseline: Plan, source: str = "baseline") -> None:
    """Refuse a baseline that cannot be re-planned from: another scenario, or no plan at all."""
    check_plan_matches(baseline, scenario, source)
    if not baseline.has_solution:
        raise PlanError(
            tr(
                nl=f"{source}: dit plan bevat geen geldig plan (status {baseline.status}); "
                "herplannen kan enkel vanuit een plan",
                en=f"{source}: this file holds no valid plan (status {baseline.status}); a "
                "re-plan needs a plan to start from",
            )
        )


def _key(a: Assignment) -> str | None:
    """The solver's phase key of an assignment (None: an ordinary week)."""
    if a.phase == "school":
        return None
    return "experience" if a.phase == "experience" else f"{a.module}:{a.phase}"


def planner_pins(scenario: Scenario, baseline: Plan, specs: Sequence[PinSpec]) -> list[Pin]:
    """The solver pins of a planner's pins: each enrolled week of the pupil from ``from`` to
    ``to`` as in the baseline, or in the phase (and at the place and mentor) the pin names."""
    weeks = weekline(scenario)
    planned = {(a.pupil, a.week): a for a in baseline.assignments}
    pins: list[Pin] = []
    problems: list[Problem] = []
    for i, spec in enumerate(specs):
        pupil = scenario.pupil_by_id[spec.pupil]
        for monday in sorted(scenario.pupil_days(pupil)):
            t = weeks.index_of(monday)
            if t is None or not monday_of(spec.start) <= monday <= spec.end:
                continue
            a = planned.get((spec.pupil, monday))
            if spec.phase is not None:
                key, place, mentor = spec.phase_key, spec.place, spec.mentor
            elif a is None:
                problems.append(
                    Problem(
                        tr(
                            nl=f"leerling '{spec.pupil}' heeft in de week van {monday} niets in "
                            "het basisplan om vast te houden",
                            en=f"pupil '{spec.pupil}' has nothing in the baseline in the week "
                            f"of {monday} to keep",
                        ),
                        path=f"pins[{i}]",
                    )
                )
                break
            elif a.absent:
                continue
            else:
                key = _key(a)
                place = spec.place or (a.place.id if key else None)
                mentor = spec.mentor or (a.mentor if key and spec.place is None else None)
            pins.append(Pin(spec.pupil, t, key, place=place, mentor=mentor))
    if problems:
        raise ScenarioError(problems)
    return pins


def replan_inputs(
    scenario: Scenario,
    baseline: Plan,
    start: dt.date | None,
    pins: Sequence[PinSpec] = (),
) -> ReplanInputs:
    """Pins (frozen weeks before ``start`` and the planner's pins) and hints for a re-plan of
    ``scenario`` (the changed scenario) from ``baseline``.

    Frozen weeks in which the pupil is no longer enrolled in the changed scenario (the pupil
    left earlier) are dropped: they cannot be kept."""
    check_baseline(scenario, baseline)
    before = frozen_before(start)
    weeks = weekline(scenario)
    frozen = pins_from_plan(scenario, baseline, before)
    enrolled = {p.id: {weeks.index_of(m) for m in scenario.pupil_days(p)} for p in scenario.pupils}
    kept = [p for p in frozen if p.week in enrolled.get(p.pupil, set())]
    extra = planner_pins(scenario, baseline, pins)
    hints = hints_from_plan(scenario, baseline)
    return ReplanInputs(kept + extra, hints, before)


def replan(
    scenario: Scenario,
    baseline: Plan,
    *,
    start: dt.date | None,
    pins: Sequence[PinSpec] = (),
    solve_fn: Callable[..., SolveResult] | None = None,
    **options: Any,
) -> SolveResult:
    """Re-plan the changed ``scenario`` from ``baseline``: weeks before ``start`` stay exactly
    as they are, the planner's ``pins`` too, and the rest changes as little as possible, then
    as well as possible (the normal objective).

    ``options`` go to the solve (``time_limit``, ``seed``, ``workers``, ``weights``,
    ``progress``, ``explain``, ``cancel``: see :func:`scheduler.solver.solve.solve`);
    ``solve_fn`` replaces that function (the command line's live progress display)."""
    inputs = replan_inputs(scenario, baseline, start, pins)
    result = (solve_fn or solve)(
        scenario, pins=inputs.pins, hints=inputs.hints, baseline=inputs.hints, **options
    )
    return explain_replan(result, scenario, baseline, inputs.frozen_before, inputs.pins)


def frozen_conflicts(
    scenario: Scenario, baseline: Plan, before: dt.date | None
) -> list[ExplanationItem]:
    """Why frozen weeks make a re-plan impossible: the rules the baseline breaks, under the
    changed scenario, in weeks that are already past (and therefore cannot change)."""
    if before is None:
        return []
    report = validate_plan(scenario, baseline)
    planned = {a.pupil for a in baseline.assignments}
    items = []
    seen = set()
    for v in report.violations:
        if v.week is None or v.week >= before or v.message in seen:
            continue
        if v.pupil is not None and v.pupil not in planned:
            continue  # a pupil new in the changed scenario has no past
        seen.add(v.message)
        items.append(
            ExplanationItem(
                rule=v.rule,
                message=tr(
                    nl=f"De wijziging botst met een week die al voorbij is (vóór "
                    f"{format_date(before)}): {v.message}",
                    en=f"The change conflicts with a week that has already passed (before "
                    f"{format_date(before)}): {v.message}",
                ),
                fix=tr(
                    nl="het verleden verandert niet: laat de wijziging later ingaan of kies "
                    "een latere 'from'-datum",
                    en="the past does not change: let the change start later or choose a "
                    "later 'from' date",
                ),
                pupils=[v.pupil] if v.pupil else [],
                parties=[v.party] if v.party else [],
                weeks=[v.week],
            )
        )
    return items


def explain_replan(
    result: SolveResult,
    scenario: Scenario,
    baseline: Plan,
    before: dt.date | None,
    pins: Sequence[Pin] = (),
) -> SolveResult:
    """Explain an impossible re-plan in terms of its frozen and pinned weeks.

    The solver's explanation does not know the frozen weeks: its aggregate checks ignore them
    and its relaxed solve can only bend rules around them. So, first, every pupil who has no
    plan even alone with their pins is explained alone (each proves the re-plan impossible;
    the message says when the frozen weeks are the reason). Otherwise the solver's explanation
    stays; when it found no cause, the rules the baseline breaks in past weeks are listed."""
    if result.status != "infeasible":
        return result
    items: list[ExplanationItem] = []
    if pins:
        for pid in pupils_stuck(scenario, list(pins)):
            own = [p for p in pins if p.pupil == pid]
            found, _ = explain_part(
                scenario, [pid], scenario.settings.weights, time_limit=5.0, pins=own
            )
            if own and not pupils_stuck(scenario, [], pupils=[pid]):
                found = [_because_of_past(item, before) for item in found]
            items += [item for item in found if item.rule != "unknown"]
    if not items and any(e.rule != "unknown" for e in result.plan.explanation):
        return result
    items = items or frozen_conflicts(scenario, baseline, before)
    if items:
        result.plan = result.plan.model_copy(update={"explanation": items})
    return result


def _because_of_past(item: ExplanationItem, before: dt.date | None) -> ExplanationItem:
    """The item, said to hold because of the weeks already fixed."""
    when = (
        tr(nl=f" (vóór {format_date(before)})", en=f" (before {format_date(before)})")
        if before
        else ""
    )
    lead = tr(
        nl=f"Met de weken die al vastliggen{when}: ",
        en=f"With the weeks already fixed{when}: ",
    )
    return item.model_copy(update={"message": lead + item.message})
