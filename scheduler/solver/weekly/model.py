"""Building and reading the weekly model of a part (or of a neighbourhood inside a part)."""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduler.model.scenario import Weights
from scheduler.solver.context import PhaseHint, Pin
from scheduler.solver.data import UNITS_PER_HOUR, SolverData
from scheduler.solver.hinting import complete_hint
from scheduler.solver.weekly import rules, terms
from scheduler.solver.weekly.domains import (
    Domains,
    PhaseDomain,
    Placement,
    build_domains,
    capacity_rows,
)

OVERFLOW_PRICE = 1000 * UNITS_PER_HOUR
"""What a place too many costs in a repair model: far more than any plan's objective."""


@dataclass
class WeeklyModel:
    """The CP-SAT model of a part: the domains, one literal per placement, what each place
    holds per week, and the objective's terms.

    ``reserved`` are places held per week by pupils outside the model (a neighbourhood's
    surroundings: capacities are what is left); ``base`` is their load at companies and
    centres (the peaks count it); ``baseline`` turns the model into a re-plan that first counts
    changed pupil-weeks."""

    data: SolverData
    weights: Weights
    model: cp_model.CpModel
    domains: Domains
    rows: dict[str, list[int]]
    base: dict[str, list[int]] = field(default_factory=dict)
    literals: dict[str, list[cp_model.IntVar]] = field(default_factory=dict)
    domain_by_name: dict[str, PhaseDomain] = field(default_factory=dict)
    cover: dict[str, dict[int, list[tuple[str, cp_model.IntVar]]]] = field(default_factory=dict)
    visits: dict[str, dict[int, list[cp_model.IntVar]]] = field(default_factory=dict)
    workplace_units: dict[str, cp_model.LinearExprT] = field(default_factory=dict)
    shortfalls: dict[str, cp_model.IntVar] = field(default_factory=dict)
    peaks: dict[str, cp_model.IntVar] = field(default_factory=dict)
    terms: dict[str, cp_model.LinearExprT] = field(default_factory=dict)
    objective: cp_model.LinearExprT = 0
    baseline_weeks: dict[str, dict[int, tuple[str, str | None, str | None]]] = field(
        default_factory=dict
    )
    notes: list[str] = field(default_factory=list)
    overflow: list[cp_model.IntVar] | None = None
    """In a repair model: how far each capacity is exceeded (else None: capacities are hard)."""

    @property
    def feasible_by_domains(self) -> bool:
        """False when some phase has no placement at all (the part is then impossible)."""
        return all(self.literals[d.name] for d in self.domains.all())

    # --- building -------------------------------------------------------------------------

    def _make_literals(self) -> None:
        cover: dict[str, dict[int, list[tuple[str, cp_model.IntVar]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        visits: dict[str, dict[int, list[cp_model.IntVar]]] = defaultdict(lambda: defaultdict(list))
        new = self.model.NewBoolVar
        for domain in self.domains.all():
            self.domain_by_name[domain.name] = domain
            kind = domain.spec.kind
            school = domain.pupils[0].school_id
            literals = []
            for placement in domain.placements:
                lit = new("")
                literals.append(lit)
                for party in placement.parties(kind, school):
                    weeks = cover[party]
                    for t in range(placement.start, placement.end):
                        weeks[t].append((kind, lit))
                if kind == "company":
                    visits[school][placement.end - 1].append(lit)
            self.literals[domain.name] = literals
        self.cover = cover
        self.visits = visits

    def add_symmetry_breaking(self) -> None:
        """Pupils of a class who are identical for the model (same home company, mentor,
        dates, absences, contract and modules) are interchangeable: order them by the start of
        their first own phase."""
        groups: dict[tuple, list[str]] = defaultdict(list)
        for pupil in self.data.pupils:
            key = (
                pupil.class_id, pupil.home, pupil.mentor, pupil.contract, tuple(pupil.days),
                tuple(pupil.ordinary_wp100), tuple(sorted(pupil.absent)),
                tuple(s.key for s in pupil.phases),
            )  # fmt: skip
            groups[key].append(pupil.id)
        for members in groups.values():
            for a, b in itertools.pairwise(members):
                da = next((d for d in self.domains.by_pupil[a] if d.class_id is None), None)
                db = next((d for d in self.domains.by_pupil[b] if d.class_id is None), None)
                if da is not None and db is not None:
                    self.model.Add(terms.start_of(self, da.name) <= terms.start_of(self, db.name))

    def add_hints(self, hints: list[PhaseHint]) -> int:
        """Hint CP-SAT with given phases; returns how many phases found their placement. When
        every phase found it (a whole plan), the objective's helper variables are hinted too
        (:func:`scheduler.solver.hinting.complete_hint`)."""
        by_key = {(h.pupil, h.phase_key): h for h in hints}
        found = 0
        done: set[str] = set()
        for pupil in self.data.pupils:
            for domain in self.domains.by_pupil[pupil.id]:
                if domain.name in done:
                    continue
                hint = by_key.get((pupil.id, domain.key))
                if hint is None:
                    continue
                done.add(domain.name)
                index = self.placement_index(domain, hint)
                for i, lit in enumerate(self.literals[domain.name]):
                    self.model.AddHint(lit, i == index)
                found += index is not None
        if found == len(self.domains.all()):
            complete_hint(self.model)
        return found

    @staticmethod
    def placement_index(domain: PhaseDomain, hint: PhaseHint) -> int | None:
        """The index of the placement that a hint describes, if the domain has it."""
        for i, p in enumerate(domain.placements):
            if p.start != hint.start or p.size != hint.size:
                continue
            option = p.option
            if option is None or (option.place == hint.place and option.mentor == hint.mentor):
                return i
        return None

    def fix(self, hints: list[PhaseHint]) -> bool:
        """Fix every phase to its hint; False when a phase has no such placement."""
        by_key = {(h.pupil, h.phase_key): h for h in hints}
        ok = True
        for pupil in self.data.pupils:
            for domain in self.domains.by_pupil[pupil.id]:
                hint = by_key.get((pupil.id, domain.key))
                index = None if hint is None else self.placement_index(domain, hint)
                if index is None:
                    ok = False
                    continue
                self.model.Add(self.literals[domain.name][index] == 1)
        return ok

    # --- reading --------------------------------------------------------------------------

    def choices(self, domain: PhaseDomain) -> list[tuple[Placement, cp_model.IntVar]]:
        """Each placement of a phase with the literal that chooses it."""
        return list(zip(domain.placements, self.literals[domain.name], strict=True))

    def chosen(self, solver: cp_model.CpSolver, domain: PhaseDomain) -> Placement:
        """The placement a solution chose for a phase."""
        for placement, lit in self.choices(domain):
            if solver.BooleanValue(lit):
                return placement
        raise RuntimeError(f"no placement chosen for {domain.name}")

    def phases(self, solver: cp_model.CpSolver) -> list[PhaseHint]:
        """Every phase of a solution, as hints (start, length, place, mentor)."""
        out = []
        for pupil in self.data.pupils:
            for domain in self.domains.by_pupil[pupil.id]:
                p = self.chosen(solver, domain)
                option = p.option
                place = option.place if option is not None else pupil.school_id
                mentor = option.mentor if option is not None else None
                out.append(PhaseHint(pupil.id, domain.key, p.start, p.size, place, mentor))
        return out

    def term_values(self, solver: cp_model.CpSolver) -> dict[str, float]:
        """Each objective term's value in its unit (weeks, pupils, hours)."""
        out = {}
        for name in terms.TERMS:
            expr = self.terms.get(name, 0)
            value = expr if isinstance(expr, int) else solver.Value(expr)
            out[name] = round(value / UNITS_PER_HOUR, 2) if name == "oao_margin" else float(value)
        return out


def build_weekly(
    data: SolverData,
    weights: Weights,
    *,
    reserved: dict[str, list[int]] | None = None,
    base: dict[str, list[int]] | None = None,
    pins: list[Pin] | None = None,
    hints: list[PhaseHint] | None = None,
    baseline: list[PhaseHint] | None = None,
    symmetry: bool = True,
    repair: bool = False,
) -> WeeklyModel:
    """The weekly model of ``data``: domains, every hard rule, the objective (after the changed
    pupil-weeks when ``baseline`` is given), hints. A ``repair`` model lets capacities be
    exceeded at a price far above the objective (to mend a plan put together from pieces)."""
    wm = WeeklyModel(
        data, weights, cp_model.CpModel(), build_domains(data, reserved, pins),
        capacity_rows(data, reserved), base=dict(base or {}),
    )  # fmt: skip
    if repair:
        wm.overflow = []
    wm._make_literals()
    terms.workplace_units(wm)
    for rule in rules.HARD_RULES:
        rule(wm)
    wm.objective = terms.objective(wm)
    if repair:
        wm.terms["overflow"] = sum(wm.overflow or [])  # type: ignore[assignment]
        wm.objective = OVERFLOW_PRICE * wm.terms["overflow"] + wm.objective
    if baseline is not None:
        for hint in baseline:
            weeks = wm.baseline_weeks.setdefault(hint.pupil, {})
            for t in range(hint.start, hint.start + hint.size):
                weeks[t] = (hint.phase_key, hint.place, hint.mentor)
        wm.terms["changes"] = terms.changes_term(wm)
    wm.model.Minimize(wm.objective)
    if symmetry and not pins and baseline is None:
        wm.add_symmetry_breaking()
    if hints:
        wm.add_hints(hints)
    return wm
