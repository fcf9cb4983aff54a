"""Running what-ifs end to end: the baseline, the re-plan, the report; and comparing variants.

Used by ``scheduler whatif`` and ``scheduler compare`` (and later the web API). The solve
function can be replaced (``solve_fn``) so the command line can show live progress.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from scheduler.errors import ScenarioError
from scheduler.files import load_scenario, read_document
from scheduler.i18n import tr
from scheduler.model.scenario import Scenario
from scheduler.plan import Plan, check_plan_matches
from scheduler.solver.solve import SolveResult, solve
from scheduler.validate import validate_plan
from scheduler.whatif.changes import WhatIf, describe, load_change_file
from scheduler.whatif.diff import DiffReport, plan_diff, plan_figures
from scheduler.whatif.replan import check_baseline, frozen_before, replan

SolveFn = Callable[..., SolveResult]


@dataclass
class WhatIfRun:
    """The outcome of a what-if: the baseline used, the re-plan and the report."""

    whatif: WhatIf
    baseline: Plan
    result: SolveResult
    report: DiffReport


def baseline_notes(whatif: WhatIf, baseline: Plan) -> list[str]:
    """Warnings about the baseline: made for another version of the base scenario."""
    fingerprint = baseline.scenario_fingerprint
    if fingerprint and fingerprint not in (whatif.base.fingerprint, whatif.scenario.fingerprint):
        return [
            tr(
                nl="het basisplan is gemaakt voor een andere versie van het basisscenario; "
                "weken die daardoor niet meer kloppen, tellen als wijzigingen",
                en="the baseline was made for another version of the base scenario; weeks that "
                "no longer fit count as changes",
            )
        ]
    return []


def whatif_report(
    whatif: WhatIf, baseline: Plan, plan: Plan, notes: Sequence[str] = ()
) -> DiffReport:
    """The diff report of a what-if's new plan against its baseline, with the change's meta."""
    meta = whatif.file.meta.model_dump(mode="json") | {
        "file": str(whatif.path),
        "base": whatif.file.base,
        "from": whatif.start.isoformat() if whatif.start else None,
    }
    return plan_diff(
        whatif.base,
        baseline,
        whatif.scenario,
        plan,
        meta=meta,
        frozen_before=frozen_before(whatif.start),
        notes=[*whatif.notes, *notes],
        changes_described=describe(whatif.file.changes),
    )


def run_whatif(
    whatif: WhatIf,
    baseline: Plan,
    *,
    solve_fn: SolveFn | None = None,
    source: str = "baseline",
    **options: Any,
) -> WhatIfRun:
    """Re-plan a what-if from ``baseline`` (a plan of its base scenario) and report the diff.
    ``options`` go to the solve (``time_limit``, ``seed``, ``workers``, ...); ``source`` names
    the baseline in messages. Raises :class:`~scheduler.errors.PlanError` for a baseline of
    another scenario or without a plan."""
    check_plan_matches(baseline, whatif.base, source)
    check_baseline(whatif.scenario, baseline, source)
    result = replan(
        whatif.scenario,
        baseline,
        start=whatif.start,
        pins=whatif.file.pins,
        solve_fn=solve_fn,
        **options,
    )
    report = whatif_report(whatif, baseline, result.plan, baseline_notes(whatif, baseline))
    return WhatIfRun(whatif, baseline, result, report)


# --- comparing variants -------------------------------------------------------------------


@dataclass
class Variant:
    """One variant of a comparison: a scenario file, or a change file re-planned from its
    base scenario's plan."""

    path: Path
    kind: Literal["scenario", "change"]
    name: str
    scenario: Scenario
    whatif: WhatIf | None = None
    plan: Plan | None = None
    report: DiffReport | None = None
    figures: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The variant's figures, JSON-ready."""
        return {
            "file": str(self.path),
            "kind": self.kind,
            "name": self.name,
            "status": self.figures.get("status"),
            "kpis": self.figures,
            "explanation": [e.model_dump(mode="json") for e in self.plan.explanation]
            if self.plan
            else [],
        }


def is_change_file(path: str | Path) -> bool:
    """Whether a file is a change file (it has ``base`` and ``changes``), not a scenario."""
    data, _ = read_document(path)
    return isinstance(data, dict) and "changes" in data and "base" in data


def load_variants(paths: Sequence[Path]) -> list[Variant]:
    """Read every variant first, so bad input stops the comparison before any solving."""
    variants = []
    problems = []
    for path in paths:
        try:
            if is_change_file(path):
                whatif = load_change_file(path)
                variants.append(
                    Variant(path, "change", whatif.file.meta.name, whatif.scenario, whatif)
                )
            else:
                scenario = load_scenario(path)
                variants.append(Variant(path, "scenario", scenario.meta.name, scenario))
        except ScenarioError as exc:
            problems += exc.problems
    if problems:
        raise ScenarioError(problems)
    return variants


def _figures(scenario: Scenario, plan: Plan) -> dict[str, Any]:
    figures: dict[str, Any] = {"status": plan.status}
    figures["valid"] = validate_plan(scenario, plan).valid
    if plan.has_solution:
        figures |= plan_figures(scenario, plan)
    return figures


def compare_variants(
    variants: Sequence[Variant],
    *,
    solve_fn: SolveFn | None = None,
    **options: Any,
) -> list[Variant]:
    """Solve every variant: a scenario as it is, a change file as a re-plan from its base
    scenario's plan (each base is solved once). Fills in each variant's plan and figures."""
    run = solve_fn or solve
    bases: dict[str, Plan] = {}
    for v in variants:
        if v.whatif is None:
            v.plan = run(v.scenario, **options).plan
            v.figures = _figures(v.scenario, v.plan)
            continue
        key = str(v.whatif.base_path) + v.whatif.base.fingerprint
        if key not in bases:
            bases[key] = run(v.whatif.base, **options).plan
        baseline = bases[key]
        if not baseline.has_solution:
            v.plan = baseline
            v.figures = {"status": baseline.status, "valid": False}
            continue
        outcome = run_whatif(v.whatif, baseline, solve_fn=solve_fn, **options)
        v.plan, v.report = outcome.result.plan, outcome.report
        v.figures = _figures(v.scenario, v.plan)
        v.figures["changed_pupil_weeks"] = (
            outcome.report.changed_pupil_weeks if v.plan.has_solution else None
        )
    return variants


def parse_day(text: str | None, option: str = "--from") -> dt.date | None:
    """A date given on the command line (``2027-01-11``), or a clear error."""
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ScenarioError(
            tr(
                nl=f"{option}: '{text}' is geen datum (JJJJ-MM-DD)",
                en=f"{option}: '{text}' is not a date (YYYY-MM-DD)",
            )
        ) from None
