"""A fast constructive plan: the greedy baseline, and the first plan CP-SAT starts from.

Classes are placed one after the other (the second year, with its longer modules, first; then
the largest). Within a class, modules are taken in order:

- the class's theory starts in the first week from which every follower is free, or a week or
  two later when that lets the whole class go on to the centre and the companies without
  waiting (each start is tried and the cheapest kept: waiting weeks, weeks away from home and
  the delay of the class);
- each pupil then gets the earliest simulated phase at a centre with a free seat, and the
  earliest company phase at a company (home first, own mentor first) whose capacity, mentor
  and the school's teacher visits allow it, as long as the pupil's contract needs (OAO: 20 h
  a week and the margin; internship: the shortest), shorter when that is what fits;
- after the last module, the experience period, in the weeks where the company is least busy.

OAO pupils whose year still falls short get longer company phases where the next phase leaves
room; a class that does not fit is tried again with shorter company phases. What still does not
fit is left unplaced (the solver then plans it exactly around the others). Places taken are held
for the classes after.

Pure Python: fast enough for every pupil of Flanders in seconds. Its plan is never trusted: the
solver's model and the independent validator check it.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from scheduler.model.programme import OAO_THRESHOLD_HOURS
from scheduler.solver.context import PhaseHint
from scheduler.solver.data import HUNDRED, ClassData, Option, PhaseSpec, PupilData, SolverData, h100
from scheduler.solver.weekly.domains import capacity_rows

LENGTH_SHARES = (1.0, 0.5, 0.0)
"""Shares of the extra company weeks an OAO pupil's contract asks for, tried in this order: a
class moves in step (shared theory), so long company phases of some pupils delay everyone's next
module and can push the experience period out of the year."""

THEORY_DELAYS = 2
"""A class's theory is tried this many weeks later than its earliest start too."""

UNITS_PER_COST = 500
"""Workplace units (1/500 hour) a unit of the objective is worth: the OAO margin counts 1 per
hour, so a week of waiting (10) is worth 10 hours of workplace learning."""

DELAY_COST = 1.0
"""What a week of delay of a class costs per pupil when choosing its theory start (waiting
costs the objective's weight, 10 by default): a little delay to avoid waiting is worth it."""


@dataclass
class GreedyResult:
    """The phases of the pupils placed, the pupils left out, and the places taken."""

    hints: list[PhaseHint] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)
    taken: dict[str, list[int]] = field(default_factory=dict)
    rescued: list[str] = field(default_factory=list)
    """Classes the greedy could not place and ``rescue`` planned."""


@dataclass
class _Placed:
    spec: PhaseSpec
    start: int
    size: int
    option: Option | None

    @property
    def end(self) -> int:
        return self.start + self.size


class _Loads:
    """Places left per week (capacity minus what is taken) and the load per week, with a
    journal so a tried placement can be undone."""

    def __init__(self, data: SolverData, taken: dict[str, list[int]] | None):
        self.n = data.weeks.n
        self.left = capacity_rows(data, taken)
        self.load: dict[str, list[int]] = defaultdict(lambda: [0] * self.n)
        for party, row in (taken or {}).items():
            if party.startswith(("company:", "centre:")):
                self.load[party] = [row[t] if t < len(row) else 0 for t in range(self.n)]
        self.journal: list[tuple[str, int, int, int]] = []
        # a guest from a partner should only take the places the company's own pupils never
        # need (as the generator's own plan does): its capacity beyond its own pupils
        home: dict[str, int] = defaultdict(int)
        for pupil in data.pupils:
            home[pupil.home] += 1
        for party, row in list(self.left.items()):
            kind, _, company = party.partition(":")
            if kind == "company":
                self.left[f"guests:{company}"] = [max(0, c - home[company]) for c in row]

    def free(self, parties: list[str], start: int, end: int, strict: bool = True) -> bool:
        left = self.left
        for party in parties:
            if not strict and party.startswith("guests:"):
                continue
            row = left[party]
            for t in range(start, end):
                if row[t] <= 0:
                    return False
        return True

    def add(self, party: str, start: int, end: int, delta: int) -> None:
        row = self.left[party]
        load = self.load[party]
        for t in range(start, end):
            row[t] -= delta
            load[t] += delta
        self.journal.append((party, start, end, delta))

    def mark(self) -> int:
        return len(self.journal)

    def undo(self, mark: int) -> None:
        while len(self.journal) > mark:
            party, start, end, delta = self.journal.pop()
            row = self.left[party]
            load = self.load[party]
            for t in range(start, end):
                row[t] += delta
                load[t] -= delta

    def peak(self, party: str, start: int, end: int) -> int:
        load = self.load.get(party)
        return max(load[start:end]) if load is not None else 0


def _parties(option: Option | None) -> list[str]:
    if option is None or option.kind == "school":
        return []
    out = [f"{option.kind}:{option.place}"]
    if option.mentor:
        out.append(f"mentor:{option.mentor}")
    if option.kind == "company" and not option.home:
        out.append(f"guests:{option.place}")
    return out


def _free_weeks(pupil: PupilData, start: int, end: int) -> bool:
    if start < 0 or end > len(pupil.days):
        return False
    days, absent = pupil.days, pupil.absent
    return all(days[t] > 0 and t not in absent for t in range(start, end))


class _ClassPlanner:
    """Places one class into the loads (see the module text)."""

    def __init__(self, data: SolverData, loads: _Loads, klass: ClassData, margin100: int):
        self.data = data
        self.loads = loads
        self.klass = klass
        self.margin100 = margin100
        self.pupils = [data.pupil(p) for p in klass.pupils]
        self.waiting = 0
        self.culprit: str | None = None
        self.delays = THEORY_DELAYS

    # --- one phase ------------------------------------------------------------------------

    def _take(self, pupil: PupilData, placed: _Placed) -> None:
        for party in _parties(placed.option):
            self.loads.add(party, placed.start, placed.end, 1)
        if placed.spec.kind == "company":
            self.loads.add(f"school:{pupil.school_id}", placed.end - 1, placed.end, 1)

    def _fits(
        self,
        pupil: PupilData,
        spec: PhaseSpec,
        option: Option,
        start: int,
        size: int,
        strict: bool = True,
    ) -> bool:
        end = start + size
        if not self.loads.free(_parties(option), start, end, strict):
            return False
        return not (
            spec.kind == "company" and self.loads.left[f"school:{pupil.school_id}"][end - 1] <= 0
        )

    def place_phase(
        self,
        pupil: PupilData,
        spec: PhaseSpec,
        earliest: int,
        latest_end: int,
        sizes: list[int],
    ) -> _Placed | None:
        """The earliest placement from ``earliest`` that ends by ``latest_end``: at each start
        the sizes in the order given, the options in the order of the phase (home, own mentor
        first)."""
        shortest = min(sizes)
        for strict in (True, False):
            for start in range(earliest, latest_end - shortest + 1):
                if not _free_weeks(pupil, start, start + shortest):
                    continue
                for size in sizes:
                    if start + size > latest_end or not _free_weeks(pupil, start, start + size):
                        continue
                    for option in spec.options:
                        if self._fits(pupil, spec, option, start, size, strict):
                            placed = _Placed(spec, start, size, option)
                            self._take(pupil, placed)
                            return placed
        return None

    def place_experience(
        self, pupil: PupilData, spec: PhaseSpec, earliest: int, latest_end: int
    ) -> _Placed | None:
        """The experience period where its company is least busy (home first), as early as
        that allows."""
        size = spec.min_len
        best: tuple[tuple, _Placed] | None = None
        for start in range(earliest, latest_end - size + 1):
            if not _free_weeks(pupil, start, start + size):
                continue
            for rank, option in enumerate(spec.options):
                strict = self._fits(pupil, spec, option, start, size)
                if not strict and not self._fits(pupil, spec, option, start, size, False):
                    continue
                busy = self.loads.peak(f"company:{option.place}", start, start + size)
                key = (not strict, not option.home, busy, rank, start)
                if best is None or key < best[0]:
                    best = (key, _Placed(spec, start, size, option))
                break
        if best is None:
            return None
        self._take(pupil, best[1])
        return best[1]

    # --- the contract -----------------------------------------------------------------------

    def units(self, pupil: PupilData, placed: list[_Placed]) -> int:
        """Exact workplace units (``h100 * days``) of a pupil's year."""
        covered: dict[int, int] = {}
        for p in placed:
            for t in range(p.start, p.end):
                covered[t] = p.spec.wp100
        return sum(
            (covered[t] if t in covered else pupil.ordinary_wp100[t]) * d
            for t, d in enumerate(pupil.days)
            if d
        )

    def wanted_lengths(self, pupil: PupilData, share: float) -> dict[str, int]:
        """Company-phase lengths (by phase key) for the pupil's contract: OAO pupils get
        longer phases (round robin) until an estimate of the year reaches 20 h plus the margin
        a week; internship pupils keep the shortest. ``share`` scales the extra weeks."""
        lengths = {s.key: s.min_len for s in pupil.phases if s.kind == "company"}
        enrolled = pupil.enrolled
        if pupil.contract != "oao" or not enrolled:
            return lengths
        days = pupil.total_days / len(enrolled)
        ordinary = sum(pupil.ordinary_wp100[t] * pupil.days[t] for t in enrolled) / len(enrolled)
        target = (OAO_THRESHOLD_HOURS * HUNDRED + self.margin100) * pupil.total_days
        mins = {s.key: s.min_len for s in pupil.phases}

        def estimate() -> float:
            return pupil.ordinary_units() + sum(
                (lengths.get(s.key, mins[s.key])) * (s.wp100 * days - ordinary)
                for s in pupil.phases
            )

        growable = [s for s in pupil.phases if s.kind == "company" and s.max_len > s.min_len]
        extra = 0
        while estimate() < target and growable:
            for s in list(growable):
                lengths[s.key] += 1
                extra += 1
                if lengths[s.key] >= s.max_len:
                    growable.remove(s)
                if estimate() >= target:
                    break
        if share < 1.0:
            cut = extra - round(share * extra)
            for s in reversed([s for s in pupil.phases if s.kind == "company"]):
                while cut > 0 and lengths[s.key] > s.min_len:
                    lengths[s.key] -= 1
                    cut -= 1
        return lengths

    def lengthen(self, pupil: PupilData, placed: list[_Placed], until: int | None = None) -> None:
        """Lengthen company phases a week at a time where the next phase (or ``until``)
        leaves room, the places allow and the pupil is free, while the year is short of its
        target (20 h plus the margin, or only 20 h when ``until`` is None: a must)."""
        margin = self.margin100 if until is not None else 0
        target = (OAO_THRESHOLD_HOURS * HUNDRED + margin) * pupil.total_days
        school = f"school:{pupil.school_id}"
        grown = True
        while grown and self.units(pupil, placed) < target:
            grown = False
            for i, p in enumerate(placed):
                if p.spec.kind != "company" or p.size >= p.spec.max_len:
                    continue
                nxt = placed[i + 1].start if i + 1 < len(placed) else pupil.enrolled[-1] + 1
                if until is not None:
                    nxt = min(nxt, until)
                end = p.end
                if end >= nxt or not _free_weeks(pupil, end, end + 1):
                    continue
                if not self.loads.free(_parties(p.option), end, end + 1, until is not None):
                    continue
                if self.loads.left[school][end] <= 0:
                    continue
                for party in _parties(p.option):
                    self.loads.add(party, end, end + 1, 1)
                self.loads.add(school, end - 1, end, -1)
                self.loads.add(school, end, end + 1, 1)
                p.size += 1
                grown = True
                if self.units(pupil, placed) >= target:
                    return

    def release(self) -> None:
        """Give back every place the class holds (it does not fit)."""
        for pupil in self.pupils:
            for p in self.placed[pupil.id]:
                for party in _parties(p.option):
                    self.loads.add(party, p.start, p.end, -1)
                if p.spec.kind == "company":
                    self.loads.add(f"school:{pupil.school_id}", p.end - 1, p.end, -1)
            self.placed[pupil.id] = []

    def shorten_last(self, pupil: PupilData, placed: list[_Placed]) -> bool:
        """Take the last week of the pupil's last company phase back (when it is longer than
        its shortest and the teacher visit can move a week earlier); False when it cannot."""
        if not placed or placed[-1].spec.kind != "company":
            return False
        p = placed[-1]
        school = f"school:{pupil.school_id}"
        last = p.end - 1
        if p.size <= p.spec.min_len or self.loads.left[school][last - 1] <= 0:
            return False
        for party in _parties(p.option):
            self.loads.add(party, last, last + 1, -1)
        self.loads.add(school, last, last + 1, -1)
        self.loads.add(school, last - 1, last, 1)
        p.size -= 1
        return True

    def shorten(self, pupil: PupilData, placed: list[_Placed]) -> None:
        """Cut company phases back to their shortest (an internship pupil above 20 h)."""
        school = f"school:{pupil.school_id}"
        for p in placed:
            while p.spec.kind == "company" and p.size > p.spec.min_len:
                last = p.end - 1
                if self.loads.left[school][last - 1] <= 0:
                    break
                for party in _parties(p.option):
                    self.loads.add(party, last, last + 1, -1)
                self.loads.add(school, last, last + 1, -1)
                self.loads.add(school, last - 1, last, 1)
                p.size -= 1

    # --- the class --------------------------------------------------------------------------

    def _module(
        self,
        module: str,
        followers: list[PupilData],
        ready: dict[str, int],
        placed: dict[str, list[_Placed]],
        lengths: dict[str, dict[str, int]],
        theory_start: int | None,
    ) -> tuple[float, int] | None:
        """Place one module for its followers with the class's theory at ``theory_start``:
        every follower's simulated phase as early as a seat allows, then the company phases,
        timed so the class is back together (a pupil who waited for a seat gets a shorter
        company phase, within its lengths), as the generator's own plan does. Returns (cost,
        weeks of waiting) or None when it does not fit."""
        waiting = 0
        cost = 0.0
        cursor: dict[str, int] = {}
        phase_end: dict[str, int] = {}
        # theory and the simulated phase
        for pupil in followers:
            end = pupil.enrolled[-1] + 1
            at = ready[pupil.id]
            for spec in pupil.phases:
                if spec.module != module or spec.kind == "company":
                    continue
                k = pupil.phases.index(spec)
                latest_end = end - sum(s.min_len for s in pupil.phases[k + 1 :])
                if spec.kind == "theory":
                    assert theory_start is not None
                    got = _Placed(spec, theory_start, spec.min_len, None)
                else:
                    got = self.place_phase(pupil, spec, at, latest_end, [spec.min_len])
                    if got is None:
                        self.culprit = pupil.id
                        self.reason = "sim"
                        return None
                    if theory_start is not None:
                        waiting += got.start - at
                placed[pupil.id].append(got)
                at = got.end
            cursor[pupil.id] = at
            phase_end[pupil.id] = end
        # company phases, back together at ``back``
        wanted = [
            lengths[p.id].get(s.key, s.min_len)
            for p in followers if p.contract == "oao"
            for s in p.phases if s.module == module and s.kind == "company"
        ]  # fmt: skip
        back = max(cursor.values()) + (max(wanted) if wanted else 0)
        for pupil in followers:
            spec = next(
                (s for s in pupil.phases if s.module == module and s.kind == "company"), None
            )
            if spec is None:
                ready[pupil.id] = cursor[pupil.id]
                continue
            k = pupil.phases.index(spec)
            latest_end = phase_end[pupil.id] - sum(s.min_len for s in pupil.phases[k + 1 :])
            at = cursor[pupil.id]
            if pupil.contract == "oao":
                target = min(spec.max_len, max(spec.min_len, back - at))
            else:
                target = spec.min_len
            sizes = [target, *range(target - 1, spec.min_len - 1, -1)]
            got = self.place_phase(pupil, spec, at, latest_end, sizes)
            if got is None:
                self.culprit = pupil.id
                self.reason = "company"
                return None
            if any(s.module == module and s.kind != "company" for s in pupil.phases):
                waiting += got.start - at
            option = got.option
            if option is not None:
                cost += 6 * got.size * (not option.home)
                cost += 2 * got.size * (option.home and not option.own_mentor)
            placed[pupil.id].append(got)
            ready[pupil.id] = got.end
        cost += 10 * waiting
        return cost, waiting

    def start(self, share: float) -> None:
        """Begin placing the class with company lengths scaled by ``share``."""
        pupils = self.pupils
        self.placed: dict[str, list[_Placed]] = {p.id: [] for p in pupils}
        self.ready = {p.id: (p.enrolled[0] if p.enrolled else 0) for p in pupils}
        self.lengths = {p.id: self.wanted_lengths(p, share) for p in pupils}
        self.order = sorted(
            pupils, key=lambda p: (p.contract != "oao", min(len(s.options) for s in p.phases), p.id)
        )
        self.modules = [
            m.id for m in self.klass.modules
            if any(s.module == m.id for p in pupils for s in p.phases)
        ]  # fmt: skip
        self.next_module = 0
        self.culprit = None

    @property
    def done(self) -> bool:
        """Whether every module of the class is placed."""
        return self.next_module >= len(self.modules)

    def earliest(self) -> int:
        """The earliest week the class's next module can begin (its followers are back)."""
        module = self.modules[self.next_module]
        return max(
            self.ready[p.id] for p in self.pupils if any(s.module == module for s in p.phases)
        )

    def place_next_module(self) -> bool:
        """Place the class's next module (theory at the cheapest of its first possible starts,
        then every follower's simulated and company phases); False when it does not fit."""
        loads = self.loads
        module = self.modules[self.next_module]
        followers = [p for p in self.order if any(s.module == module for s in p.phases)]
        ready, placed, lengths = self.ready, self.placed, self.lengths
        theory = next(
            (s for s in followers[0].phases if s.module == module and s.kind == "theory"), None
        )
        if theory is None:
            if self._module(module, followers, ready, placed, lengths, None) is None:
                return False
        else:
            earliest = max(ready[p.id] for p in followers)
            slack = self.slack(followers, earliest)
            best = None
            for ts in self._theory_starts(followers, theory, earliest):
                if ts - earliest > max(0, slack) and best is not None:
                    break  # a later start would cost the class its room for long company phases
                mark = loads.mark()
                trial_ready = dict(ready)
                trial_placed = {p.id: list(placed[p.id]) for p in followers}
                got = self._module(module, followers, trial_ready, trial_placed, lengths, ts)
                if got is not None:
                    cost, _ = got
                    back = max(trial_ready[p.id] for p in followers)
                    cost += DELAY_COST * (back - earliest) * len(followers)
                    if best is None or cost < best[0]:
                        best = (cost, ts)
                loads.undo(mark)
                if got is not None and got[1] == 0:
                    break  # no waiting at all: nothing later is cheaper
            if best is None:
                if self.culprit is None:
                    self.culprit = followers[0].id
                    self.reason = "theory"
                return False
            got = self._module(module, followers, ready, placed, lengths, best[1])
            assert got is not None
        back = max(ready[p.id] for p in followers)
        for pupil in followers:
            if pupil.contract == "oao" and placed[pupil.id]:
                self.lengthen(pupil, placed[pupil.id], until=back)
                ready[pupil.id] = placed[pupil.id][-1].end
        self.next_module += 1
        return True

    def slack(self, followers: list[PupilData], earliest: int) -> int:
        """Weeks the class can still lose from ``earliest`` on: the fewest, over the
        followers, between the end of the pupil's year and what its remaining phases need
        (theory and centre at their shortest, company phases as long as wanted, the
        experience period)."""
        module = self.modules[self.next_module]
        out = 10**6
        for pupil in followers:
            phases = pupil.phases
            first = next(i for i, s in enumerate(phases) if s.module == module)
            need = sum(
                self.lengths[pupil.id].get(s.key, s.min_len) if s.kind == "company" else s.min_len
                for s in phases[first:]
            )
            out = min(out, pupil.enrolled[-1] + 1 - earliest - need)
        return out

    def finish(self) -> bool:
        """The experience periods, then the contract of every pupil; False when some pupil
        does not fit."""
        placed, ready = self.placed, self.ready
        for pupil in self.order:
            spec = pupil.phases[-1]
            if spec.kind != "experience":
                continue
            got = self.place_experience(pupil, spec, ready[pupil.id], pupil.enrolled[-1] + 1)
            while got is None and self.shorten_last(pupil, placed[pupil.id]):
                # the year is full: the last company phase gives its extra weeks back
                got = self.place_experience(
                    pupil, spec, placed[pupil.id][-1].end, pupil.enrolled[-1] + 1
                )
            if got is None:
                if self.repair(pupil):
                    continue
                self.culprit = pupil.id
                self.reason = "experience"
                return False
            placed[pupil.id].append(got)
        for pupil in self.order:
            need = OAO_THRESHOLD_HOURS * HUNDRED * pupil.total_days
            if pupil.contract == "oao":
                self.lengthen(pupil, placed[pupil.id], until=None)
                if self.units(pupil, placed[pupil.id]) < need and not self.repair(pupil):
                    self.culprit = pupil.id
                    self.reason = "oao"
                    return False
            elif self.units(pupil, placed[pupil.id]) >= need:
                self.shorten(pupil, placed[pupil.id])
                if self.units(pupil, placed[pupil.id]) >= need:
                    self.culprit = pupil.id
                    self.reason = "internship"
                    return False
        return True

    def repair(self, pupil: PupilData) -> bool:
        """Plan the pupil's own phases again, around the class's theory and everyone else's
        places: the path through the year with the most workplace hours, less what its
        waiting and weeks away cost (a shortest path over the pupil's phases). True when it
        gives the contract its 20 h; the pupil's old phases stay otherwise."""
        placed = self.placed[pupil.id]
        theory = {p.spec.key: p for p in placed if p.spec.kind == "theory"}
        own = [p for p in placed if p.spec.kind != "theory"]
        self._give_back(pupil, own)
        need = OAO_THRESHOLD_HOURS * HUNDRED * pupil.total_days
        for weight in (UNITS_PER_COST, 0):
            path = self._best_path(pupil, theory, weight)
            if path is not None and self.units(pupil, path) >= need:
                for p in path:
                    if p.spec.kind != "theory":
                        self._take(pupil, p)
                self.placed[pupil.id] = path
                self.ready[pupil.id] = path[-1].end
                return True
        for p in own:
            self._take(pupil, p)
        return False

    def _give_back(self, pupil: PupilData, phases: list[_Placed]) -> None:
        for p in phases:
            for party in _parties(p.option):
                self.loads.add(party, p.start, p.end, -1)
            if p.spec.kind == "company":
                self.loads.add(f"school:{pupil.school_id}", p.end - 1, p.end, -1)

    def _best_path(
        self, pupil: PupilData, theory: dict[str, _Placed], weight: int
    ) -> list[_Placed] | None:
        """The pupil's phases with the most workplace units minus ``weight`` per unit of
        cost (waiting 10, away from home 6, another mentor 2 a week), theory fixed."""
        n = len(pupil.days)
        ordinary, days = pupil.ordinary_wp100, pupil.days
        # best[e] = (score, path) of the phases so far, ending at week e
        best: dict[int, tuple[float, list[_Placed]]] = {pupil.enrolled[0]: (0.0, [])}
        previous: PhaseSpec | None = None
        for spec in pupil.phases:
            fixed = theory.get(spec.key)
            candidates: list[tuple[_Placed, float]] = []
            if fixed is not None:
                candidates.append((fixed, 0.0))
            else:
                first = min(best)
                for start in range(first, n):
                    for size in range(spec.min_len, spec.max_len + 1):
                        if not _free_weeks(pupil, start, start + size):
                            continue
                        gain = sum(
                            (spec.wp100 - ordinary[t]) * days[t] for t in range(start, start + size)
                        )
                        for option in spec.options:
                            if not self._fits(pupil, spec, option, start, size, False):
                                continue
                            cost = 0.0
                            if option.kind == "company":
                                cost = size * (
                                    6 * (not option.home)
                                    + 2 * (option.home and not option.own_mentor)
                                )
                            placed = _Placed(spec, start, size, option)
                            candidates.append((placed, gain - weight * cost))
                            break  # options are in preference order: the first that fits
            same = (
                previous is not None
                and previous.module is not None
                and previous.module == spec.module
            )
            ends = sorted(best)
            nxt: dict[int, tuple[float, list[_Placed]]] = {}
            for placed, value in candidates:
                # the best way to be done with the phases before by this start
                choice = None
                for e in ends:
                    if e > placed.start:
                        break
                    score = best[e][0] + value - (weight * 10 * (placed.start - e) if same else 0)
                    if choice is None or score > choice[0]:
                        choice = (score, e)
                if choice is None:
                    continue
                score, e = choice
                if placed.end not in nxt or score > nxt[placed.end][0]:
                    nxt[placed.end] = (score, [*best[e][1], placed])
            if not nxt:
                return None
            best = nxt
            previous = spec
        return max(best.values(), key=lambda v: v[0])[1]

    def _theory_starts(
        self, followers: list[PupilData], spec: PhaseSpec, earliest: int
    ) -> list[int]:
        """Weeks from ``earliest`` in which every follower can have the theory."""
        size = spec.min_len
        out = []
        last = min(p.enrolled[-1] + 1 for p in followers)
        for start in range(earliest, last - size + 1):
            if all(_free_weeks(p, start, start + size) for p in followers):
                out.append(start)
                if len(out) > self.delays:
                    break
        return out


def class_order(data: SolverData) -> list[str]:
    """Classes in the order the greedy places them: the second year (longer modules, the least
    room) first, then the largest."""

    def key(klass: ClassData) -> tuple:
        pupils = [data.pupil(p) for p in klass.pupils]
        busy = max((sum(s.min_len for s in p.phases) for p in pupils), default=0)
        return (-busy, -len(klass.pupils), klass.id)

    return [c.id for c in sorted(data.classes.values(), key=key)]


Rescue = Callable[
    [list[str], dict[str, list[int]], dict[str, list[PhaseHint]]], list[PhaseHint] | None
]
"""Plans one class (its pupil ids) exactly around the places already taken (per party and
week), possibly moving classes placed before (their phases by class id, counted in the places
taken); returns the phases of the class and of every class it moved, or None."""


RANDOM_ORDERS = 8
"""Class orders tried at random (the second year first, as the generator's own plan does)
when neither way with the default order places everyone."""


def greedy(
    data: SolverData,
    margin_hours: float = 0.0,
    taken: dict[str, list[int]] | None = None,
    order: list[str] | None = None,
    rescue: Rescue | None = None,
    seed: int = 0,
) -> GreedyResult:
    """A plan for the pupils of ``data`` (see the module text). ``taken`` holds places others
    already use; ``order`` gives the classes' priority. A class that does not fit goes to
    ``rescue`` at that moment (the solver plans it exactly around what is placed so far,
    :mod:`scheduler.solver.first_plan`), or is left unplaced.

    Ways tried, until one places everyone: all classes advancing together, module by module,
    the class that can go on earliest first (classes that share a centre then take turns at
    it); one whole class after the other (the generator's own way); the same in random class
    orders. The way that leaves the fewest pupils out (then the lowest objective) is then
    run with the rescue, and once more with the classes that did not fit first of all."""
    from scheduler.solver.evaluate import objective_terms

    loads = _Loads(data, taken)
    margin100 = h100(margin_hours)
    priority = list(order or class_order(data))
    begin = loads.mark()
    rng = random.Random(seed)
    ways: list[tuple[bool, list[str]]] = [(False, priority), (True, priority)]
    for _ in range(RANDOM_ORDERS if len(priority) > 1 else 0):
        shuffled = list(priority)
        rng.shuffle(shuffled)
        year = {
            c: -max(len(data.pupil(p).phases) for p in data.classes[c].pupils) for c in shuffled
        }
        ways.append((True, sorted(shuffled, key=year.__getitem__)))
    best: tuple[tuple[int, float], int] | None = None
    for i, (sequential, way) in enumerate(ways):
        loads.undo(begin)
        planners, failed = _attempt(data, loads, way, margin100, sequential)
        unplaced = sum(len(data.classes[c].pupils) for c in failed)
        placed = [p for p in data.pupils if p.class_id not in failed]
        cost = 0.0
        if placed and (unplaced == 0 or best is None or unplaced <= best[0][0]):
            sub = SolverData(data.scenario, data.weeks, placed, {
                c: k for c, k in data.classes.items() if c not in failed
            })  # fmt: skip
            cost = objective_terms(sub, data.scenario.settings.weights, _hints(planners, failed))[0]
        if best is None or (unplaced, cost) < best[0]:
            best = ((unplaced, cost), i)
        if unplaced == 0 and (i >= 1 or len(priority) == 1):
            break  # both default ways tried, or a later way placed everyone
    assert best is not None
    sequential, way = ways[best[1]]
    loads.undo(begin)
    rescued: dict[str, list[PhaseHint]] = {}
    planners, failed = _attempt(
        data, loads, way, margin100, sequential, rescue if best[0][0] else None, rescued
    )
    if failed and rescue is not None:
        # the classes that did not fit at all go first of everything
        first = failed + [c for c in way if c not in failed]
        loads.undo(begin)
        again: dict[str, list[PhaseHint]] = {}
        planners2, failed2 = _attempt(data, loads, first, margin100, True, rescue, again)
        if len(failed2) < len(failed):
            planners, failed, rescued = planners2, failed2, again
        else:
            loads.undo(begin)
            rescued = {}
            planners, failed = _attempt(data, loads, way, margin100, sequential, rescue, rescued)
    result = GreedyResult(hints=_hints(planners, failed + list(rescued)))
    for class_id, hints in rescued.items():
        result.hints += hints
        result.rescued.append(class_id)
    for class_id in failed:
        result.unplaced += list(data.classes[class_id].pupils)
    result.taken = _usage(data, loads)
    return result


def _class_hints(planner: _ClassPlanner) -> list[PhaseHint]:
    out = []
    for pupil in planner.pupils:
        for p in planner.placed[pupil.id]:
            option = p.option
            place = option.place if option is not None else pupil.school_id
            mentor = option.mentor if option is not None else None
            out.append(PhaseHint(pupil.id, p.spec.key, p.start, p.size, place, mentor))
    return out


def _hints(planners: dict[str, _ClassPlanner], skip: list[str]) -> list[PhaseHint]:
    return [h for c, p in planners.items() if c not in skip for h in _class_hints(p)]


def _attempt(
    data: SolverData,
    loads: _Loads,
    priority: list[str],
    margin100: int,
    sequential: bool,
    rescue: Rescue | None = None,
    rescued: dict[str, list[PhaseHint]] | None = None,
) -> tuple[dict[str, _ClassPlanner], list[str]]:
    """Place every class (one after the other, or advancing together); a class that does not
    fit gives its places back and goes to ``rescue`` (its phases then land in ``rescued``),
    and the others go on. Returns the planners and the classes that did not fit at all."""
    rank = {c: i for i, c in enumerate(priority)}
    planners = {c: _ClassPlanner(data, loads, data.classes[c], margin100) for c in priority}
    failed: list[str] = []
    for planner in planners.values():
        planner.start(LENGTH_SHARES[0])

    done: list[str] = []

    def drop(c: str) -> None:
        planners[c].release()
        hints = None
        if rescue is not None:
            movable = {o: _class_hints(planners[o]) for o in done if o not in (rescued or {})}
            movable.update({o: h for o, h in (rescued or {}).items()})
            hints = rescue(list(data.classes[c].pupils), _usage(data, loads), movable)
        if hints is None:
            failed.append(c)
            return
        assert rescued is not None
        class_of = {p.id: p.class_id for p in data.pupils}
        by_class: dict[str, list[PhaseHint]] = defaultdict(list)
        for hint in hints:
            by_class[class_of[hint.pupil]].append(hint)
        for o, mine in by_class.items():
            if o == c:
                continue
            # the rescue moved a class placed before: its old phases give way
            if o in rescued:
                _take_hints(data, loads, rescued[o], -1)
            else:
                planners[o].release()
            rescued[o] = mine
        rescued[c] = by_class[c]
        _take_hints(data, loads, hints)

    if sequential:
        for c in priority:
            planner = planners[c]
            # a later theory to spare a class waiting at the centre can leave its last module
            # no room: the class is then placed again with every theory as early as it can be
            for delays in (THEORY_DELAYS, 0):
                planner.delays = delays
                while not planner.done:
                    if not planner.place_next_module():
                        break
                if planner.done and planner.finish():
                    break
                planner.release()
                planner.start(LENGTH_SHARES[0])
            else:
                drop(c)
                continue
            done.append(c)
        return planners, failed
    going = [c for c, p in planners.items() if not p.done]
    while going:
        c = min(going, key=lambda c: (planners[c].earliest(), rank[c]))
        if not planners[c].place_next_module():
            drop(c)
            going.remove(c)
        elif planners[c].done:
            going.remove(c)
    for c in priority:
        if c not in failed and c not in (rescued or {}) and not planners[c].finish():
            drop(c)
    return planners, failed


def _usage(data: SolverData, loads: _Loads) -> dict[str, list[int]]:
    """Places taken per week (what the loads' capacity rows lost)."""
    full = capacity_rows(data, None)
    return {
        party: [a - b for a, b in zip(full[party], row, strict=True)]
        for party, row in loads.left.items()
        if party in full and any(a != b for a, b in zip(full[party], row, strict=True))
    }


def _take_hints(data: SolverData, loads: _Loads, hints: list[PhaseHint], sign: int = 1) -> None:
    """Count (or with ``sign=-1`` no longer count) phases planned elsewhere (a rescued class)
    in the loads."""
    for hint in hints:
        kind = hint.phase_key.rpartition(":")[2]
        end = hint.start + hint.size
        pupil = data.pupil(hint.pupil)
        if kind in ("company", "experience") and hint.place:
            loads.add(f"company:{hint.place}", hint.start, end, sign)
            if hint.place != pupil.home:
                loads.add(f"guests:{hint.place}", hint.start, end, sign)
        elif kind == "simulated" and hint.place:
            loads.add(f"centre:{hint.place}", hint.start, end, sign)
        if hint.mentor:
            loads.add(f"mentor:{hint.mentor}", hint.start, end, sign)
        if kind == "company":
            loads.add(f"school:{pupil.school_id}", end - 1, end, sign)
