"""A fast constructive plan: the greedy baseline, and the starting point for large parts.

Classes are placed one after the other, largest first. Within a class, modules are taken in
order: the class's theory starts as soon as every pupil who follows the module has finished the
previous one; then each pupil gets the earliest simulated phase at a centre with a free seat
and the earliest company phase at a company (home first) whose capacity, mentor and the school's
teacher visits allow it; after the last module the experience period. Company phases are as
long as the pupil's contract needs (OAO: long enough for 20 h a week and the margin; internship:
the shortest). Places taken are held for the next classes.

Pure Python, no solver: a class that does not fit is left out (its pupils are listed), and the
caller plans it with CP-SAT. The result is never trusted: the whole model checks it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from scheduler.model.programme import OAO_THRESHOLD_HOURS
from scheduler.solver.context import PhaseHint
from scheduler.solver.data import HUNDRED, Option, PhaseSpec, PupilData, SolverData, h100


@dataclass
class GreedyResult:
    """Hints for the pupils the greedy could place, and the pupils it could not."""

    hints: list[PhaseHint] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)
    taken: dict[str, list[int]] = field(default_factory=dict)


class _Capacity:
    """Places left per week at every company, mentor, centre and school (teacher visits)."""

    def __init__(self, data: SolverData, taken: dict[str, list[int]] | None = None):
        scenario = data.scenario
        weeks = data.weeks.mondays
        self.n = len(weeks)
        self.left: dict[str, list[int]] = {}
        for company in scenario.companies:
            self.left[f"company:{company.id}"] = [company.capacity_in(m) for m in weeks]
            for mentor in company.mentors:
                self.left[f"mentor:{mentor.id}"] = [
                    0 if m in mentor.unavailable_weeks else mentor.max_pupils for m in weeks
                ]
        for centre in scenario.centres:
            self.left[f"centre:{centre.id}"] = [centre.seats_in(m) for m in weeks]
        for school in scenario.schools:
            self.left[f"school:{school.id}"] = [scenario.teacher_visits_of(school)] * self.n
        for party, row in (taken or {}).items():
            if party in self.left:
                self.left[party] = [a - b for a, b in zip(self.left[party], row, strict=False)]
        self.used: dict[str, list[int]] = defaultdict(lambda: [0] * self.n)

    def free(self, party: str, start: int, end: int) -> bool:
        row = self.left[party]
        return all(row[t] > 0 for t in range(start, end))

    def take(self, party: str, start: int, end: int) -> None:
        row = self.left[party]
        for t in range(start, end):
            row[t] -= 1
            self.used[party][t] += 1

    def give_back(self, party: str, start: int, end: int) -> None:
        row = self.left[party]
        for t in range(start, end):
            row[t] += 1
            self.used[party][t] -= 1


@dataclass
class _Placed:
    spec: PhaseSpec
    start: int
    size: int
    option: Option


def _company_lengths(pupil: PupilData, margin100: int) -> dict[int, int]:
    """Company-phase lengths (by phase index) that give the pupil's contract what it needs: OAO
    pupils get longer phases (round robin) until an estimate of the average reaches 20 h plus
    the margin; internship pupils keep the shortest. The estimate uses the pupil's own average
    week (short weeks and absences included); the exact check comes after placing."""
    lengths = {k: s.min_len for k, s in enumerate(pupil.phases)}
    enrolled = [t for t, d in enumerate(pupil.days) if d]
    if pupil.contract != "oao" or not enrolled:
        return lengths
    days = pupil.total_days / len(enrolled)
    ordinary_week = sum(pupil.ordinary_wp100[t] * pupil.days[t] for t in enrolled) / len(enrolled)
    base = pupil.ordinary_units()
    target = (OAO_THRESHOLD_HOURS * HUNDRED + margin100) * pupil.total_days

    def estimate() -> float:
        return base + sum(
            n * (pupil.phases[k].wp100 * days - ordinary_week) for k, n in lengths.items()
        )

    growable = [
        k for k, s in enumerate(pupil.phases) if s.kind == "company" and s.max_len > s.min_len
    ]
    while estimate() < target and growable:
        for k in list(growable):
            lengths[k] += 1
            if lengths[k] >= pupil.phases[k].max_len:
                growable.remove(k)
            if estimate() >= target:
                break
    return lengths


def _lengthen(cap: _Capacity, pupil: PupilData, placed: list[_Placed], need: int) -> None:
    """Lengthen company phases by a week where the next phase and the places allow, until the
    pupil's workplace units reach ``need`` (the exact contract check after placing)."""
    grown = True
    while grown and _workplace_units(pupil, placed) < need:
        grown = False
        for i, p in enumerate(placed):
            if p.spec.kind != "company" or p.size >= p.spec.max_len:
                continue
            end = p.start + p.size
            nxt = placed[i + 1].start if i + 1 < len(placed) else (pupil.enrolled[-1] + 1)
            parties = [f"company:{p.option.place}"] + (
                [f"mentor:{p.option.mentor}"] if p.option.mentor else []
            )
            school = f"school:{pupil.school_id}"
            if end >= nxt or not _fits(pupil, end, end + 1):
                continue
            if not all(cap.free(q, end, end + 1) for q in parties) or not cap.free(
                school, end, end + 1
            ):
                continue
            for q in parties:
                cap.take(q, end, end + 1)
            cap.give_back(school, end - 1, end)
            cap.take(school, end, end + 1)
            p.size += 1
            grown = True
            if _workplace_units(pupil, placed) >= need:
                return


def _workplace_units(pupil: PupilData, placed: list[_Placed]) -> int:
    """Exact workplace units (``h100 * days``) of a pupil's placed phases."""
    covered: dict[int, int] = {}
    for p in placed:
        for t in range(p.start, p.start + p.size):
            covered[t] = p.spec.wp100
    return sum(
        (covered[t] if t in covered else pupil.ordinary_wp100[t]) * d
        for t, d in enumerate(pupil.days)
    )


def _fits(pupil: PupilData, start: int, end: int) -> bool:
    """Whether the pupil can be in a phase during ``start..end-1`` (enrolled, not absent)."""
    if start < 0 or end > len(pupil.days):
        return False
    return all(pupil.days[t] > 0 and t not in pupil.absent for t in range(start, end))


def _place(
    cap: _Capacity, pupil: PupilData, spec: PhaseSpec, earliest: int, size: int, limit: int
) -> _Placed | None:
    """The earliest placement of a phase from ``earliest`` that ends by ``limit``."""
    for start in range(earliest, limit - size + 1):
        if not _fits(pupil, start, start + size):
            continue
        for option in spec.options:
            parties = []
            if option.kind in ("company", "centre"):
                parties.append(f"{option.kind}:{option.place}")
            if option.mentor:
                parties.append(f"mentor:{option.mentor}")
            if not all(cap.free(p, start, start + size) for p in parties):
                continue
            if spec.kind == "company" and not cap.free(
                f"school:{pupil.school_id}", start + size - 1, start + size
            ):
                continue
            for p in parties:
                cap.take(p, start, start + size)
            if spec.kind == "company":
                cap.take(f"school:{pupil.school_id}", start + size - 1, start + size)
            return _Placed(spec, start, size, option)
    return None


def _release(cap: _Capacity, pupil: PupilData, placed: list[_Placed]) -> None:
    for p in placed:
        if p.spec.kind == "theory":
            continue
        end = p.start + p.size
        if p.option.kind in ("company", "centre"):
            cap.give_back(f"{p.option.kind}:{p.option.place}", p.start, end)
        if p.option.mentor:
            cap.give_back(f"mentor:{p.option.mentor}", p.start, end)
        if p.spec.kind == "company":
            cap.give_back(f"school:{pupil.school_id}", end - 1, end)


def _theory_start(
    data: SolverData, pupils: list[PupilData], module: str, size: int, earliest: int
) -> int | None:
    """The first week from ``earliest`` in which every pupil who follows ``module`` can have
    ``size`` weeks of theory."""
    takers = [p for p in pupils if any(s.module == module and s.kind == "theory" for s in p.phases)]
    for start in range(earliest, data.weeks.n - size + 1):
        if all(_fits(p, start, start + size) for p in takers):
            return start
    return None


def greedy(
    data: SolverData,
    margin_hours: float = 0.0,
    taken: dict[str, list[int]] | None = None,
    groups: list[list[str]] | None = None,
) -> GreedyResult:
    """A plan for the pupils of ``data``, class by class (see the module text).

    ``groups`` (lists of pupil ids, whole classes) succeed or fail together: classes that share
    a company with one place are placed together or not at all, so CP-SAT can plan a failed
    group as a whole."""
    cap = _Capacity(data, taken)
    margin100 = h100(margin_hours)
    result = GreedyResult()
    if groups is None:
        groups = [
            c.pupils for c in sorted(data.classes.values(), key=lambda c: (-len(c.pupils), c.id))
        ]
    class_of = {p.id: p.class_id for p in data.pupils}
    users = _centre_users(data, groups)
    for index, group in enumerate(groups):
        held = _hold_back(data, cap, users, index)
        order = list(dict.fromkeys(class_of[p] for p in group))
        done: list[tuple[list[PupilData], dict[str, list[_Placed]]]] = []
        failed = False
        for class_id in order:
            outcome = _place_class(data, cap, data.classes[class_id], margin100)
            if outcome is None:
                failed = True
                break
            done.append(outcome)
        for party, seats in held.items():
            cap.left[party] = [v + seats for v in cap.left[party]]
        if failed:
            for pupils, placed in done:
                for pupil in pupils:
                    _release(cap, pupil, placed[pupil.id])
            result.unplaced += list(group)
            continue
        for pupils, placed in done:
            for pupil in pupils:
                for p in placed[pupil.id]:
                    result.hints.append(
                        PhaseHint(
                            pupil.id, p.spec.key, p.start, p.size, p.option.place, p.option.mentor
                        )
                    )
    result.taken = {party: list(row) for party, row in cap.used.items()}
    return result


def _centre_users(data: SolverData, groups: list[list[str]]) -> dict[str, list[int]]:
    """Per centre, how many pupils of each group may go there."""
    group_of = {p: g for g, group in enumerate(groups) for p in group}
    users: dict[str, list[int]] = defaultdict(lambda: [0] * len(groups))
    for pupil in data.pupils:
        if pupil.id not in group_of:
            continue
        for centre in {o.place for s in pupil.phases for o in s.options if o.kind == "centre"}:
            users[f"centre:{centre}"][group_of[pupil.id]] += 1
    return users


def _hold_back(
    data: SolverData, cap: _Capacity, users: dict[str, list[int]], index: int
) -> dict[str, int]:
    """Take away, for the time group ``index`` is placed, the centre seats that the groups after
    it are owed in proportion to their pupils (so an early group cannot fill a centre)."""
    held: dict[str, int] = {}
    for party, per_group in users.items():
        later = sum(per_group[index + 1 :])
        if not later or not per_group[index] or party not in cap.left:
            continue
        seats = data.scenario.centre_by_id[party.partition(":")[2]].seats
        owed = (seats * later) // sum(per_group)
        cap.left[party] = [v - owed for v in cap.left[party]]
        held[party] = owed
    return held


def _place_class(
    data: SolverData, cap: _Capacity, klass, margin100: int
) -> tuple[list[PupilData], dict[str, list[_Placed]]] | None:
    """Place one class (taking its places), or None (nothing taken) when it does not fit."""
    pupils = [data.pupil(p) for p in klass.pupils]
    lengths = {p.id: _company_lengths(p, margin100) for p in pupils}
    placed: dict[str, list[_Placed]] = {p.id: [] for p in pupils}
    ready = {p.id: (p.enrolled[0] if p.enrolled else 0) for p in pupils}
    ok = True
    modules = [m.id for m in klass.modules]
    for module in [*modules, None]:
        if module is not None:
            theory = next(
                (s for p in pupils for s in p.phases if s.module == module and s.kind == "theory"),
                None,
            )
            takers = [p for p in pupils if any(s.module == module for s in p.phases)]
            if not takers:
                continue
            t_start = t_size = None
            if theory is not None:
                t_size = theory.min_len
                t_start = _theory_start(
                    data, takers, module, t_size, max(ready[p.id] for p in takers)
                )
                if t_start is None:
                    ok = False
                    break
            for pupil in takers:
                cursor = ready[pupil.id]
                for k, spec in enumerate(pupil.phases):
                    if spec.module != module:
                        continue
                    limit = (pupil.enrolled[-1] + 1) if pupil.enrolled else 0
                    if spec.kind == "theory":
                        assert t_start is not None and t_size is not None
                        got = _Placed(spec, t_start, t_size, spec.options[0])
                    else:
                        size = lengths[pupil.id][k] if spec.kind == "company" else spec.min_len
                        got = None
                        while got is None and size >= spec.min_len:
                            got = _place(cap, pupil, spec, cursor, size, limit)
                            size -= 1
                    if got is None:
                        ok = False
                        break
                    placed[pupil.id].append(got)
                    cursor = got.start + got.size
                if not ok:
                    break
                ready[pupil.id] = cursor
        else:
            for pupil in pupils:
                spec = pupil.phases[-1]
                limit = (pupil.enrolled[-1] + 1) if pupil.enrolled else 0
                got = _place(cap, pupil, spec, ready[pupil.id], spec.min_len, limit)
                if got is None:
                    ok = False
                    break
                placed[pupil.id].append(got)
        if not ok:
            break
    if ok:
        for pupil in pupils:
            need = OAO_THRESHOLD_HOURS * HUNDRED * pupil.total_days
            if pupil.contract == "oao":
                _lengthen(cap, pupil, sorted(placed[pupil.id], key=lambda p: p.start), need)
            units = _workplace_units(pupil, placed[pupil.id])
            if (pupil.contract == "oao" and units < need) or (
                pupil.contract == "internship" and units >= need
            ):
                ok = False
                break
    if not ok:
        for pupil in pupils:
            _release(cap, pupil, placed[pupil.id])
        return None
    return pupils, placed
