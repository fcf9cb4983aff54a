"""Cheap lower bounds on the objective, one per objective term, to report honest gaps and to
prove plans optimal.

CP-SAT's own bound is weak for most of this problem, and the linear relaxation of the weekly
model (:mod:`scheduler.solver.weekly.relaxation`) is strong but too slow for large regions.
These bounds take the problem apart and cost milliseconds per pupil:

- **away from home, other mentor**: every phase costs at least its cheapest placement (a
  company phase whose infrastructure only a partner has is away from home, at its shortest);
- **OAO margin**: at least what the pupil's year falls short of 20 h plus the margin with the
  most workplace hours the pupil can have at all (a longest path over the pupil's phases,
  ignoring everyone else);
- **busiest week**: at a company or centre some pupils cannot avoid, at least their pupil-weeks
  spread evenly over the weeks it is open (and at least one pupil);
- **waiting, class spread**: at least 0.

Each term's bound comes from its own relaxation, so their sum is a lower bound of the sum.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from scheduler.model.programme import OAO_THRESHOLD_HOURS
from scheduler.model.scenario import Weights
from scheduler.solver.data import HUNDRED, UNITS_PER_HOUR, PupilData, SolverData, h100
from scheduler.solver.weekly.domains import Domains, PhaseDomain, build_domains


@dataclass
class LowerBound:
    """A lower bound on the objective, by source."""

    value: float
    pupils: float = 0.0
    resources: float = 0.0
    complete: bool = True
    per_term: dict[str, float] = field(default_factory=dict)


def _max_units(pupil: PupilData, domains: list[PhaseDomain]) -> int | None:
    """The most workplace units (``h100 * days``) the pupil's year can have: a longest path
    over the pupil's phases in order (each placement starting when the one before ended), or
    None when the phases cannot follow each other at all."""
    ordinary, days = pupil.ordinary_wp100, pupil.days
    best: dict[int, int] = {pupil.enrolled[0] if pupil.enrolled else 0: 0}
    for domain in domains:
        wp = domain.spec.wp100
        # the best value of the phases so far, done by week t
        ends = sorted(best)
        prefix: list[tuple[int, int]] = []
        running = None
        for e in ends:
            running = best[e] if running is None else max(running, best[e])
            prefix.append((e, running))
        nxt: dict[int, int] = {}
        for p in domain.placements:
            done = None
            for e, value in prefix:
                if e > p.start:
                    break
                done = value
            if done is None:
                continue
            gain = sum((wp - ordinary[t]) * days[t] for t in range(p.start, p.end))
            value = done + gain
            if nxt.get(p.end, -(10**12)) < value:
                nxt[p.end] = value
        if not nxt:
            return None
        best = nxt
    return pupil.ordinary_units() + max(best.values())


def aggregate_bound(
    data: SolverData, weights: Weights, domains: Domains | None = None
) -> LowerBound:
    """The lower bound of the module text, for a part. ``domains``: the part's placements when
    already built (with pins they are narrower, and the bound holds for the pinned part)."""
    domains = domains if domains is not None else build_domains(data)
    margin = h100(data.scenario.settings.oao_margin_hours)
    away = other = short = 0.0
    complete = True
    demand: dict[str, int] = defaultdict(int)
    for pupil in data.pupils:
        own = domains.by_pupil[pupil.id]
        for domain in own:
            if domain.spec.kind in ("company", "experience") and domain.placements:
                cheapest = min(
                    p.size * (weights.away_from_home * (not p.option.home)
                              + weights.other_mentor * (p.option.home and not p.option.own_mentor))
                    for p in domain.placements if p.option is not None
                )  # fmt: skip
                forced_away = all(
                    p.option is not None and not p.option.home for p in domain.placements
                )
                if forced_away:
                    away += min(p.size for p in domain.placements)
                elif cheapest and weights.other_mentor:
                    other += cheapest / weights.other_mentor
            if domain.class_id is None and domain.placements:
                places = {p.option.place for p in domain.placements if p.option is not None}
                if len(places) == 1 and domain.spec.kind in ("simulated", "company", "experience"):
                    kind = "centre" if domain.spec.kind == "simulated" else "company"
                    demand[f"{kind}:{next(iter(places))}"] += min(p.size for p in domain.placements)
        if pupil.contract == "oao" and margin and pupil.total_days:
            best = _max_units(pupil, own)
            if best is None:
                complete = False
                continue
            target = (OAO_THRESHOLD_HOURS * HUNDRED + margin) * pupil.total_days
            short += max(0, target - best) / UNITS_PER_HOUR
    scenario = data.scenario
    mondays = data.weeks.mondays
    peaks = 0
    for party, weeks in demand.items():
        kind, _, ident = party.partition(":")
        if kind == "company":
            profile = [scenario.company_by_id[ident].capacity_in(m) for m in mondays]
        else:
            profile = [scenario.centre_by_id[ident].seats_in(m) for m in mondays]
        if max(profile) < 2:
            continue  # a place for one pupil at a time has no peak term
        open_weeks = sum(1 for c in profile if c > 0) or 1
        peaks += max(1, math.ceil(weeks / open_weeks))
    terms = {
        "waiting": 0.0,
        "away_from_home": away,
        "other_mentor": other,
        "load_peak": float(peaks) if weights.load_peak else 0.0,
        "class_spread": 0.0,
        "oao_margin": round(short, 2),
    }
    pupils_part = (
        weights.away_from_home * away + weights.other_mentor * other + weights.oao_margin * short
    )
    resources = float(weights.load_peak * peaks)
    return LowerBound(pupils_part + resources, pupils_part, resources, complete, terms)
