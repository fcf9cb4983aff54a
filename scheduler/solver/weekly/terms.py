"""What the weekly model optimises: one function per objective term of docs/rules.md, each a
linear expression over placement literals in its natural unit (weeks, pupils, or workplace
units of 1/500 hour), plus the number of changed pupil-weeks of a re-plan.

The weighted objective is ``UNITS_PER_HOUR * sum(weight * term)`` for the week and pupil terms
plus ``weight * units`` for the OAO margin, exactly as in :mod:`scheduler.solver.objectives`.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from scheduler.model.programme import OAO_THRESHOLD_HOURS
from scheduler.solver.data import HUNDRED, UNITS_PER_HOUR, h100

if TYPE_CHECKING:
    from scheduler.solver.weekly.model import WeeklyModel

TERMS = ("waiting", "away_from_home", "other_mentor", "load_peak", "class_spread", "oao_margin")


def _linear(pairs: list[tuple[int, cp_model.IntVar]]) -> cp_model.LinearExprT:
    pairs = [(c, v) for c, v in pairs if c]
    if not pairs:
        return 0
    return cp_model.LinearExpr.WeightedSum([v for _, v in pairs], [c for c, _ in pairs])


def start_of(wm: WeeklyModel, name: str) -> cp_model.LinearExprT:
    """The first week of a phase, as a linear expression."""
    domain = wm.domain_by_name[name]
    return _linear([(p.start, lit) for p, lit in wm.choices(domain)])


def end_of(wm: WeeklyModel, name: str) -> cp_model.LinearExprT:
    """One past the last week of a phase, as a linear expression."""
    domain = wm.domain_by_name[name]
    return _linear([(p.end, lit) for p, lit in wm.choices(domain)])


def waiting_term(wm: WeeklyModel) -> cp_model.LinearExprT:
    """Practice soon after its theory: per pupil and module, the weeks between the end of one
    phase and the start of the next (theory -> simulated -> company)."""
    parts: list[cp_model.LinearExprT] = []
    for pupil in wm.data.pupils:
        for a, b in itertools.pairwise(wm.domains.by_pupil[pupil.id]):
            if a.spec.module is not None and a.spec.module == b.spec.module:
                parts.append(start_of(wm, b.name) - end_of(wm, a.name))
    return sum(parts)  # type: ignore[return-value]


def _company_weeks(wm: WeeklyModel, wanted) -> cp_model.LinearExprT:
    pairs = []
    for pupil in wm.data.pupils:
        for domain in wm.domains.by_pupil[pupil.id]:
            if domain.spec.kind not in ("company", "experience"):
                continue
            for placement, lit in wm.choices(domain):
                if placement.option is not None and wanted(placement.option):
                    pairs.append((placement.size, lit))
    return _linear(pairs)


def away_from_home_term(wm: WeeklyModel) -> cp_model.LinearExprT:
    """Pupils at their home company: weeks of company and experience phases elsewhere."""
    return _company_weeks(wm, lambda option: not option.home)


def other_mentor_term(wm: WeeklyModel) -> cp_model.LinearExprT:
    """Pupils with their own mentor: weeks at the home company with another mentor."""
    return _company_weeks(wm, lambda option: option.home and not option.own_mentor)


def load_peak_term(wm: WeeklyModel) -> cp_model.LinearExprT:
    """Load spread evenly over the year: the busiest week's load per company and per centre
    (places that take at most one pupil have no peak). Pupils outside the model (``base``, a
    neighbourhood's surroundings) count in the load too."""
    model = wm.model
    scenario = wm.data.scenario
    mondays = wm.data.weeks.mondays
    peaks: list[cp_model.IntVar] = []
    for party, weeks in wm.cover.items():
        kind, _, ident = party.partition(":")
        if kind == "company":
            full = max(scenario.company_by_id[ident].capacity_in(m) for m in mondays)
        elif kind == "centre":
            full = max(scenario.centre_by_id[ident].seats_in(m) for m in mondays)
        else:
            continue
        if full < 2:
            continue
        base = wm.base.get(party) or [0] * len(mondays)
        top = max(base) + max((len(e) for e in weeks.values()), default=0)
        peak = model.NewIntVar(max(base), max(top, max(base)), f"peak[{party}]")
        for t, entries in weeks.items():
            model.Add(peak >= base[t] + sum(lit for _, lit in entries))
        wm.peaks[party] = peak
        peaks.append(peak)
    return sum(peaks)  # type: ignore[return-value]


def class_spread_term(wm: WeeklyModel) -> cp_model.LinearExprT:
    """Classes kept together at the centre: per class and module, the weeks between the first
    and the last pupil starting the simulated phase."""
    model = wm.model
    n = wm.data.weeks.n
    starts: dict[tuple[str, str], list[cp_model.LinearExprT]] = defaultdict(list)
    for pupil in wm.data.pupils:
        for domain in wm.domains.by_pupil[pupil.id]:
            if domain.spec.kind == "simulated":
                starts[(pupil.class_id, domain.spec.module or "")].append(start_of(wm, domain.name))
    parts: list[cp_model.LinearExprT] = []
    for (class_id, module), exprs in starts.items():
        if len(exprs) < 2:
            continue
        lo = model.NewIntVar(0, n, f"spread[{class_id},{module}].lo")
        hi = model.NewIntVar(0, n, f"spread[{class_id},{module}].hi")
        for e in exprs:
            model.Add(lo <= e)
            model.Add(hi >= e)
        parts.append(hi - lo)
    return sum(parts)  # type: ignore[return-value]


def workplace_units(wm: WeeklyModel) -> None:
    """Each pupil's workplace units of the year (``h100 * days``): the ordinary year plus, per
    chosen placement, the difference of its weeks with ordinary weeks (used by the contract and
    the OAO margin)."""
    for pupil in wm.data.pupils:
        pairs = []
        ordinary, days = pupil.ordinary_wp100, pupil.days
        for domain in wm.domains.by_pupil[pupil.id]:
            wp = domain.spec.wp100
            for placement, lit in wm.choices(domain):
                diff = sum(
                    (wp - ordinary[t]) * days[t] for t in range(placement.start, placement.end)
                )
                pairs.append((diff, lit))
        wm.workplace_units[pupil.id] = pupil.ordinary_units() + _linear(pairs)


def oao_margin_term(wm: WeeklyModel) -> cp_model.LinearExprT:
    """A margin above 20 h for OAO pupils: the workplace units (1/500 h) by which the year falls
    short of ``20 + oao_margin_hours`` hours a week."""
    model = wm.model
    margin = h100(wm.data.scenario.settings.oao_margin_hours)
    parts: list[cp_model.LinearExprT] = []
    for pupil in wm.data.pupils:
        if pupil.contract != "oao" or margin == 0 or pupil.total_days == 0:
            continue
        target = (OAO_THRESHOLD_HOURS * HUNDRED + margin) * pupil.total_days
        short = model.NewIntVar(0, target, f"short[{pupil.id}]")
        model.Add(short >= target - wm.workplace_units[pupil.id])
        wm.shortfalls[pupil.id] = short
        parts.append(short)
    return sum(parts)  # type: ignore[return-value]


def changes_term(wm: WeeklyModel) -> cp_model.LinearExprT:
    """A re-plan's changed pupil-weeks, counted exactly: a week changes unless the chosen
    placement that covers it has the baseline's phase, place and mentor there (or, for a
    baseline ordinary week, no placement covers it)."""
    baseline = wm.baseline_weeks
    pairs = []
    constant = 0
    for pupil in wm.data.pupils:
        base = baseline.get(pupil.id, {})
        enrolled = [t for t, d in enumerate(pupil.days) if d]
        ordinary = {t for t in enrolled if t not in base}
        constant += len(enrolled) - len(ordinary)
        for domain in wm.domains.by_pupil[pupil.id]:
            for placement, lit in wm.choices(domain):
                gain = 0
                option = placement.option
                here = (
                    domain.key,
                    option.place if option is not None else pupil.school_id,
                    option.mentor if option is not None else None,
                )
                for t in range(placement.start, placement.end):
                    if t in ordinary:
                        gain -= 1
                    elif base.get(t) == here:
                        gain += 1
                pairs.append((-gain, lit))
    return constant + _linear(pairs)


def objective(wm: WeeklyModel) -> cp_model.LinearExprT:
    """The weighted objective (in units of 1/500), each term kept in ``wm.terms``."""
    w = wm.weights
    makers = {
        "waiting": (w.waiting, waiting_term),
        "away_from_home": (w.away_from_home, away_from_home_term),
        "other_mentor": (w.other_mentor, other_mentor_term),
        "load_peak": (w.load_peak, load_peak_term),
        "class_spread": (w.class_spread, class_spread_term),
        "oao_margin": (w.oao_margin, oao_margin_term),
    }
    total: list[cp_model.LinearExprT] = []
    for name, (weight, make) in makers.items():
        if not weight and name in ("load_peak", "class_spread"):
            wm.terms[name] = 0  # no auxiliary variables for a term that does not count
            continue
        term = make(wm)
        wm.terms[name] = term
        if weight:
            scale = weight if name == "oao_margin" else weight * UNITS_PER_HOUR
            total.append(scale * term)
    return sum(total)  # type: ignore[return-value]
