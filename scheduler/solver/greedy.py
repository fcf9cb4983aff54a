"""A fast constructive plan: the greedy baseline of the benchmark.

Classes are placed one after the other, largest first. Within a class, modules are taken in
order: the class's theory starts as soon as every pupil who follows the module has finished the
previous one; then each pupil gets the earliest simulated phase at a centre with a free seat
and the earliest company phase at a company (home first) whose capacity, mentor and the school's
teacher visits allow it; after the last module the experience period, as late as it fits.
Company phases are as long as the pupil's contract needs (OAO: long enough for 20 h a week and
the margin; internship: the shortest); when that does not fit, shorter ones are tried and
lengthened afterwards where room is left. A pupil who still does not fit is left out and the
class is placed again without them. Places taken are held for the next classes.

Pure Python, no solver. The result is never trusted: ``evaluate`` fixes it in the full model.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from scheduler.model.programme import OAO_THRESHOLD_HOURS
from scheduler.solver.context import PhaseHint
from scheduler.solver.data import HUNDRED, Option, PhaseSpec, PupilData, SolverData, h100

# Shares of the contract's extra company weeks tried for a class, in order: a class moves in
# step (shared theory), so long company phases of some pupils delay everyone's next module and
# can push the experience period out of the year; shorter ones often still fit.
LENGTH_SHARES = (1.0, 0.75, 0.5, 0.25, 0.0)


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
    cap: _Capacity,
    pupil: PupilData,
    spec: PhaseSpec,
    earliest: int,
    size: int,
    limit: int,
    latest: bool = False,
) -> _Placed | None:
    """The earliest (or with ``latest`` the latest) placement of a phase from ``earliest`` that
    ends by ``limit``."""
    starts = range(earliest, limit - size + 1)
    for start in reversed(starts) if latest else starts:
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

    ``groups`` (lists of pupil ids, whole classes) give the order of the classes (default:
    largest class first). A pupil who does not fit is left out of the class and the class is
    placed again without them, so one pupil never costs the whole class."""
    cap = _Capacity(data, taken)
    margin100 = h100(margin_hours)
    result = GreedyResult()
    if groups is None:
        groups = [
            c.pupils for c in sorted(data.classes.values(), key=lambda c: (-len(c.pupils), c.id))
        ]
    class_of = {p.id: p.class_id for p in data.pupils}
    order = list(dict.fromkeys(class_of[p] for group in groups for p in group))
    for class_id in order:
        klass = data.classes[class_id]
        left_out: set[str] = set()
        outcome = None
        while outcome is None and len(left_out) < len(klass.pupils):
            culprit: str | None = None
            # long company phases (for the contract) can push a late pupil's experience period
            # out of the year; shorter ones, lengthened afterwards where room is left, may fit
            for share in LENGTH_SHARES:
                got = _place_class(data, cap, klass, margin100, share, left_out)
                if isinstance(got, tuple):
                    outcome = got
                    break
                culprit = got
            if outcome is None:
                if culprit is None:  # no week for the class's theory: nobody of it fits
                    left_out = set(klass.pupils)
                    break
                left_out.add(culprit)
        result.unplaced += [p for p in klass.pupils if outcome is None or p in left_out]
        if outcome is None:
            continue
        pupils, placed = outcome
        for pupil in pupils:
            for p in placed[pupil.id]:
                result.hints.append(
                    PhaseHint(
                        pupil.id, p.spec.key, p.start, p.size, p.option.place, p.option.mentor
                    )
                )
    result.taken = {party: list(row) for party, row in cap.used.items()}
    return result


def _place_class(
    data: SolverData,
    cap: _Capacity,
    klass,
    margin100: int,
    share: float = 1.0,
    left_out: set[str] | None = None,
) -> tuple[list[PupilData], dict[str, list[_Placed]]] | str | None:
    """Place one class but ``left_out`` (taking its places); when it does not fit, nothing is
    taken and the answer is the pupil who did not fit (None: no week for the class's theory).

    Company phases get ``share`` of the extra length the contract needs above their minimum
    (lengthened after placing as far as the next phase and the places allow)."""
    pupils = [data.pupil(p) for p in klass.pupils if p not in (left_out or ())]
    culprit: str | None = None
    lengths = {}
    for p in pupils:
        wanted = _company_lengths(p, margin100)
        lengths[p.id] = {
            k: s.min_len + round(share * (wanted[k] - s.min_len)) for k, s in enumerate(p.phases)
        }
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
                    culprit = _least_free(data, takers, t_size, max(ready[p.id] for p in takers))
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
                        culprit = pupil.id
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
                # as late as it fits: the weeks before it leave the last company phase room to
                # grow for the contract
                got = _place(cap, pupil, spec, ready[pupil.id], spec.min_len, limit, latest=True)
                if got is None:
                    culprit = pupil.id
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
                culprit = pupil.id
                ok = False
                break
    if not ok:
        for pupil in pupils:
            _release(cap, pupil, placed[pupil.id])
        return culprit
    return pupils, placed


def _least_free(data: SolverData, takers: list[PupilData], size: int, earliest: int) -> str:
    """The pupil with the fewest possible starts for the class's theory (the one to leave out
    when no week suits them all)."""
    starts = range(earliest, data.weeks.n - size + 1)
    return min(takers, key=lambda p: (sum(_fits(p, t, t + size) for t in starts), p.id)).id
