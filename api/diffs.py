"""How two plans differ, for the web pages (compare, review a re-plan).

Which pupil-weeks changed comes from the what-if package (:func:`scheduler.whatif.diff.
week_changes`, the same count as ``scheduler whatif`` reports); the pages show each change with
the full assignments on both sides, and the KPIs and objective terms side by side.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from scheduler.i18n import tr
from scheduler.kpis import plan_kpis
from scheduler.model.scenario import Scenario
from scheduler.plan import Assignment, Plan

BACKEND = "scheduler.whatif.diff.week_changes"
"""Which implementation finds the changed pupil-weeks."""


@dataclass(frozen=True)
class WeekChange:
    """A pupil-week whose phase, module, place, mentor or presence differs."""

    pupil: str
    week: dt.date
    before: Assignment | None
    after: Assignment | None


@dataclass(frozen=True)
class KpiChange:
    """One key figure in both plans."""

    key: str
    label: str
    before: Any
    after: Any

    @property
    def changed(self) -> bool:
        """Whether the figure differs."""
        return self.before != self.after


@dataclass
class PageDiff:
    """What the pages show of a diff: changed pupil-weeks, KPIs and objective terms."""

    changes: list[WeekChange] = field(default_factory=list)
    kpis: list[KpiChange] = field(default_factory=list)
    terms: list[KpiChange] = field(default_factory=list)

    @property
    def pupils_changed(self) -> list[str]:
        """The pupils with at least one changed week, sorted."""
        return sorted({c.pupil for c in self.changes})


def _changes(old_plan: Plan, new_plan: Plan) -> list[WeekChange]:
    from scheduler.whatif.diff import week_changes

    before = {(a.pupil, a.week): a for a in old_plan.assignments}
    after = {(a.pupil, a.week): a for a in new_plan.assignments}
    return [
        WeekChange(c.pupil, c.week, before.get((c.pupil, c.week)), after.get((c.pupil, c.week)))
        for c in week_changes(old_plan, new_plan)
    ]


def kpi_labels() -> dict[str, str]:
    """The scalar KPIs of :func:`scheduler.kpis.plan_kpis` as the planner reads them."""
    return {
        "pupils": tr(nl="leerlingen", en="pupils"),
        "workplace_hours_avg": tr(
            nl="gemiddeld werkplekuren per week", en="average workplace hours per week"
        ),
        "oao_min_margin": tr(nl="kleinste OAO-marge (uur)", en="smallest OAO margin (hours)"),
        "oao_below_20": tr(nl="OAO-leerlingen onder 20 u", en="OAO pupils below 20 h"),
        "internship_at_or_above_20": tr(
            nl="stageleerlingen op of boven 20 u", en="internship pupils at or above 20 h"
        ),
        "waiting_weeks": tr(nl="wachtweken", en="waiting weeks"),
        "away_from_home_weeks": tr(nl="weken bij een ander bedrijf", en="weeks at another company"),
    }


def term_labels() -> dict[str, str]:
    """The objective terms as the planner reads them."""
    return {
        "waiting": tr(nl="wachten tussen fasen", en="waiting between phases"),
        "away_from_home": tr(nl="weg van het eigen bedrijf", en="away from the home company"),
        "other_mentor": tr(nl="andere mentor", en="other mentor"),
        "load_peak": tr(nl="piekbezetting", en="peak load"),
        "class_spread": tr(nl="spreiding van de klas", en="class spread"),
        "oao_margin": tr(nl="OAO-marge tekort", en="OAO margin shortfall"),
        "changes": tr(nl="wijzigingen t.o.v. het vorige plan", en="changes from the previous plan"),
    }


def plan_kpi_rows(
    old_scenario: Scenario, old_plan: Plan, new_scenario: Scenario, new_plan: Plan
) -> tuple[list[KpiChange], list[KpiChange]]:
    """KPIs (from the assignments, so they hold for any plan) and objective terms, side by
    side."""
    before = plan_kpis(old_scenario, list(old_plan.assignments)) if old_plan.assignments else {}
    after = plan_kpis(new_scenario, list(new_plan.assignments)) if new_plan.assignments else {}
    kpis = [
        KpiChange(key, label, before.get(key), after.get(key))
        for key, label in kpi_labels().items()
    ]
    kpis.append(
        KpiChange("objective", tr(nl="doelfunctie", en="objective"),
                  old_plan.objective, new_plan.objective)
    )  # fmt: skip
    names = term_labels()
    keys = [k for k in names if k in old_plan.objective_terms or k in new_plan.objective_terms]
    keys += sorted((old_plan.objective_terms.keys() | new_plan.objective_terms.keys()) - set(names))
    terms = [
        KpiChange(k, names.get(k, k), old_plan.objective_terms.get(k),
                  new_plan.objective_terms.get(k))
        for k in keys
    ]  # fmt: skip
    return kpis, terms


def plan_diff(
    old_scenario: Scenario, old_plan: Plan, new_scenario: Scenario, new_plan: Plan
) -> PageDiff:
    """The changed pupil-weeks (from -> to) and KPIs before/after of two plans."""
    kpis, terms = plan_kpi_rows(old_scenario, old_plan, new_scenario, new_plan)
    return PageDiff(_changes(old_plan, new_plan), kpis, terms)
