"""Class groups: the units a large part is planned and improved in.

Pupils of two classes that share a company or mentor with room for one or two pupils at a time
are planned together (whichever class went first would take weeks the other one needs); other
classes share only larger places (a training centre, big companies) and can be planned apart
and then reconciled (:mod:`scheduler.solver.large`).
"""

from __future__ import annotations

from collections import defaultdict

from scheduler.model.scenario import Scenario
from scheduler.solver.context import PhaseHint
from scheduler.solver.data import solver_data

MAX_GROUP = 48
"""Classes are planned together when they share small companies or mentors, up to this many
pupils (pupils of two classes that share a company with one place must be planned together:
whichever class goes first would take weeks the other one needs)."""


def class_groups(scenario: Scenario, pupil_ids: list[str]) -> list[list[str]]:
    """Groups of classes to plan together, largest first: classes that share a company or a
    mentor with room for at most two pupils at once are merged while the group stays small."""
    data = solver_data(scenario, pupil_ids)
    by_class: dict[str, list[str]] = defaultdict(list)
    places: dict[str, set[str]] = defaultdict(set)
    for pupil in data.pupils:
        by_class[pupil.class_id].append(pupil.id)
        for spec in pupil.phases:
            for option in spec.options:
                if option.kind != "company":
                    continue
                company = scenario.company_by_id[option.place]
                if company.capacity <= 2:
                    places[f"company:{option.place}"].add(pupil.class_id)
                if option.mentor:
                    _, mentor = scenario.mentor_by_id[option.mentor]
                    if mentor.max_pupils <= 2:
                        places[f"mentor:{option.mentor}"].add(pupil.class_id)
    group_of = {c: {c} for c in by_class}
    for classes in sorted(places.values(), key=len):
        merged = set().union(*(group_of[c] for c in classes))
        if sum(len(by_class[c]) for c in merged) > MAX_GROUP:
            continue
        for c in merged:
            group_of[c] = merged
    seen: set[int] = set()
    groups = []
    for group in group_of.values():
        if id(group) in seen:
            continue
        seen.add(id(group))
        groups.append([p for c in sorted(group) for p in by_class[c]])
    return sorted(groups, key=lambda g: (-len(g), g[0]))


def add_usage(
    taken: dict[str, list[int]], scenario: Scenario, hints: list[PhaseHint], n_weeks: int
) -> None:
    """Add the places that phases take per week (company, mentor, centre, teacher visits)."""
    for hint in hints:
        kind = hint.phase_key.rpartition(":")[2]
        end = hint.start + hint.size
        weeks = range(max(0, hint.start), min(end, n_weeks))
        if kind in ("company", "experience") and hint.place:
            row = taken.setdefault(f"company:{hint.place}", [0] * n_weeks)
            for t in weeks:
                row[t] += 1
        elif kind == "simulated" and hint.place:
            row = taken.setdefault(f"centre:{hint.place}", [0] * n_weeks)
            for t in weeks:
                row[t] += 1
        if hint.mentor:
            row = taken.setdefault(f"mentor:{hint.mentor}", [0] * n_weeks)
            for t in weeks:
                row[t] += 1
        if kind == "company" and 0 < end <= n_weeks:
            school = scenario.school_of(scenario.pupil_by_id[hint.pupil]).id
            row = taken.setdefault(f"school:{school}", [0] * n_weeks)
            row[end - 1] += 1
