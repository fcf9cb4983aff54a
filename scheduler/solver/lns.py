"""Better plans for a part: large neighbourhood search with the weekly model.

A region of a few hundred pupils is too large for one CP-SAT model to improve quickly, but its
classes are only loosely coupled (through the centre, the companies they share and the
school's teacher visits). So a *neighbourhood* (one class, or two classes that compete for the
same places) is planned again, exactly and to optimality where time allows, with everyone else
held in place: their places are reservations, and their loads still count in the busiest-week
term. A new plan is kept only when the whole part's objective goes down, so the plan never
breaks and never gets worse.

Neighbourhoods are visited in rounds: every class alone (the costliest first), then each class
with the class it shares most with, then random pairs; a round that finds nothing better ends
the search early.
"""

from __future__ import annotations

import random
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduler.model.scenario import Weights
from scheduler.solver.context import PhaseHint
from scheduler.solver.data import SolverData, solver_data
from scheduler.solver.evaluate import objective_terms
from scheduler.solver.params import make_weekly_solver
from scheduler.solver.run import run
from scheduler.solver.usage import loads_only, usage
from scheduler.solver.weekly.model import build_weekly

CLASS_SECONDS = 2.0
"""At most this long for one class's neighbourhood (most are proven optimal well before)."""

PAIR_SECONDS = 4.0
"""At most this long for a neighbourhood of two classes."""

FIRST_ROUND_SECONDS = 1.0
"""At most this long for each class in the first round (it makes most of the gain)."""


@dataclass
class Search:
    """The state of a part's search: its phases, their usage, the objective and its terms."""

    data: SolverData
    weights: Weights
    hints: dict[str, list[PhaseHint]]
    objective: float
    terms: dict[str, float]
    history: list[tuple[float, float]] = field(default_factory=list)
    tried: int = 0
    improved: int = 0

    def all_hints(self) -> list[PhaseHint]:
        """Every phase of every pupil."""
        return [h for hs in self.hints.values() for h in hs]


def _class_costs(search: Search) -> dict[str, float]:
    """Each class's share of the objective terms that belong to pupils (the peaks are shared)."""
    data = search.data
    out: dict[str, float] = {}
    for class_id, klass in data.classes.items():
        members = set(klass.pupils)
        sub = SolverData(data.scenario, data.weeks, [p for p in data.pupils if p.id in members],
                         {class_id: klass})  # fmt: skip
        out[class_id] = objective_terms(sub, search.weights, [
            h for p in klass.pupils for h in search.hints[p]
        ])[0]  # fmt: skip
    return out


def _links(search: Search) -> dict[str, dict[str, int]]:
    """How much two classes share: pupil-weeks at the same company, or at the centre in the
    same weeks, plus the teacher visits of a school."""
    data = search.data
    class_of = {p.id: p.class_id for p in data.pupils}
    at: dict[tuple[str, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for pupil_id, hints in search.hints.items():
        c = class_of[pupil_id]
        for h in hints:
            kind = h.phase_key.rpartition(":")[2]
            if kind == "theory" or h.place is None:
                continue
            for t in range(h.start, h.start + h.size):
                at[(h.place, t)][c] += 1
    links: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for users in at.values():
        if len(users) < 2:
            continue
        for a, na in users.items():
            for b, nb in users.items():
                if a != b:
                    links[a][b] += min(na, nb)
    return links


def neighbourhoods(search: Search, rng: random.Random) -> Iterator[list[str]]:
    """Neighbourhoods (lists of class ids) in the order they are tried, round after round."""
    classes = list(search.data.classes)
    if len(classes) <= 1:
        yield classes
        return
    costs = _class_costs(search)
    yield from ([c] for c in sorted(classes, key=lambda c: -costs[c]))
    links = _links(search)
    for c in sorted(classes, key=lambda c: -costs[c]):
        partners = sorted(links.get(c, {}).items(), key=lambda kv: -kv[1])
        if partners:
            yield [c, partners[0][0]]
    while True:
        a, b = rng.sample(classes, 2)
        yield [a, b]


def improve_once(
    search: Search,
    classes: list[str],
    *,
    seconds: float,
    seed: int,
    workers: int,
    cancel: threading.Event | None = None,
) -> bool:
    """Plan the pupils of ``classes`` again with everyone else held in place; keep the result
    when the part's objective goes down. True when it did."""
    data = search.data
    scenario = data.scenario
    n = data.weeks.n
    pupils = [p for c in classes for p in data.classes[c].pupils]
    own = [h for p in pupils for h in search.hints[p]]
    inside = set(pupils)
    others = [h for p, hs in search.hints.items() if p not in inside for h in hs]
    reserved = usage(scenario, others, n)
    wm = build_weekly(
        solver_data(scenario, pupils), search.weights, reserved=reserved,
        base=loads_only(reserved), hints=own,
    )  # fmt: skip
    search.tried += 1
    if not wm.feasible_by_domains:
        return False
    solver = make_weekly_solver(seconds, seed, workers)
    status = run(solver, wm.model, cancel=cancel)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return False
    new = wm.phases(solver)
    candidate = dict(search.hints)
    by_pupil: dict[str, list[PhaseHint]] = defaultdict(list)
    for h in new:
        by_pupil[h.pupil].append(h)
    candidate.update(by_pupil)
    objective, terms = objective_terms(
        data, search.weights, [h for hs in candidate.values() for h in hs]
    )
    if objective < search.objective - 1e-6:
        search.hints = candidate
        search.objective, search.terms = objective, terms
        search.improved += 1
        return True
    return False


def improve(
    data: SolverData,
    weights: Weights,
    hints: list[PhaseHint],
    *,
    deadline: float,
    seed: int = 0,
    workers: int = 2,
    on_better: Callable[[float], None] | None = None,
    cancel: threading.Event | None = None,
    started: float | None = None,
    rounds: int | None = None,
) -> Search:
    """Improve a complete plan of a part until ``deadline`` (or until a whole round of
    neighbourhoods finds nothing better). ``on_better`` hears every better objective;
    ``rounds=1`` stops after every class was planned again once."""
    by_pupil: dict[str, list[PhaseHint]] = defaultdict(list)
    for h in hints:
        by_pupil[h.pupil].append(h)
    objective, terms = objective_terms(data, weights, hints)
    search = Search(data, weights, dict(by_pupil), objective, terms)
    begin = started if started is not None else time.perf_counter()
    search.history.append((time.perf_counter() - begin, objective))
    rng = random.Random(seed)
    stale = 0
    round_size = max(2, len(data.classes))
    for classes in neighbourhoods(search, rng):
        left = deadline - time.perf_counter()
        if left < 0.2 or (cancel is not None and cancel.is_set()):
            break
        if rounds == 1 and search.tried >= len(data.classes):
            break
        limit = CLASS_SECONDS if len(classes) == 1 else PAIR_SECONDS
        if search.tried < len(data.classes):
            limit = FIRST_ROUND_SECONDS  # the first round: every class once, quickly
        if improve_once(
            search, classes, seconds=min(limit, left), seed=seed, workers=workers, cancel=cancel
        ):
            stale = 0
            search.history.append((time.perf_counter() - begin, search.objective))
            if on_better is not None:
                on_better(search.objective)
        else:
            stale += 1
            if stale >= 2 * round_size:
                break  # every class and pair tried since the last improvement
    return search
