"""The events of a real school year, placed around the reference plan so it stays valid.

Pupils who join late (before their first module's theory) or leave early (after their
experience period), pupils, mentors and companies who are away or closed for a few weeks, a
centre's closed week and weeks with fewer seats: each is put where the reference plan has
nobody (:mod:`scheduler.generation.reference`), so the plan survives every event. Then each
pupil's contract follows from the plan's exact annual average (OAO at 20 h or more, otherwise
an internship agreement). :func:`tighten` takes the margins away afterwards (``--tight``).
"""

from __future__ import annotations

import math
import random
from fractions import Fraction
from functools import partial

from scheduler.generation.reference import Occupancy, RefBlock, shorten_company_phases
from scheduler.generation.world import GClass, GPupil, Run, World
from scheduler.model.programme import OAO_THRESHOLD_HOURS

PUPILS_AWAY = 0.04
PUPILS_LEAVING = 0.02
MENTORS_AWAY = 0.10
COMPANIES_CLOSED = 0.08
INTERNSHIP_SHARE = (0.10, 0.20)


def free_runs(free: list[bool], length: int) -> list[int]:
    """Starts of the runs of ``length`` consecutive free weeks."""
    out, streak = [], 0
    for t, ok in enumerate(free):
        streak = streak + 1 if ok else 0
        if streak >= length:
            out.append(t - length + 1)
    return out


def pick_run(rng: random.Random, free: list[bool], lengths: tuple[int, ...]) -> Run | None:
    """A random run of free weeks, of the first length in ``lengths`` that has one."""
    for length in lengths:
        starts = free_runs(free, length)
        if starts:
            return rng.choice(starts), length
    return None


def _lengths(rng: random.Random, longest: int) -> tuple[int, ...]:
    """Run lengths to try, a random one first, then shorter ones."""
    first = rng.randint(1, longest)
    return tuple(range(first, 0, -1))


class Events:
    """Places the year's events in a world around its reference plan."""

    def __init__(
        self,
        world: World,
        blocks: dict[str, list[RefBlock]],
        occupancy: Occupancy,
        rng: random.Random,
    ) -> None:
        self.world = world
        self.blocks = blocks
        self.occ = occupancy
        self.rng = rng
        self.n = world.n_weeks

    def enrolment(self, pupil: GPupil) -> range:
        """The pupil's enrolled teaching weeks (every week has school days)."""
        first = pupil.start if pupil.start is not None else 0
        last = pupil.leave if pupil.leave is not None else self.n - 1
        return range(first, last + 1)

    def busy(self, pupil: GPupil) -> set[int]:
        """Weeks in which the reference plan has the pupil in a phase."""
        return {t for b in self.blocks[pupil.id] for t in b.weeks}

    def place_all(self) -> None:
        """Every kind of event, in an order that keeps the reference plan valid."""
        for pupil in self.world.pupils:
            self.late_start(pupil)
        for pupil in self.world.pupils:
            if self.rng.random() < PUPILS_LEAVING:
                self.early_leave(pupil)
        for pupil in self.world.pupils:
            if self.rng.random() < PUPILS_AWAY:
                self.pupil_away(pupil, anywhere=False)
        for company in self.world.companies:
            for mentor in company.mentors:
                if self.rng.random() < MENTORS_AWAY:
                    self.away(f"mentor:{mentor.id}", mentor.away, 3)
            if self.rng.random() < COMPANIES_CLOSED:
                self.away(f"company:{company.id}", company.closures, 2)
        for region in self.world.regions:
            self.centre_weeks(region.index)

    def late_start(self, pupil: GPupil) -> None:
        """A pupil who masters the first module(s) joins in a week up to the class's theory
        of the first module the pupil follows."""
        if not pupil.mastered:
            return
        first = self.blocks[pupil.id][0].weeks[0]
        if first >= 1:
            pupil.start = self.rng.randint(1, first)

    def early_leave(self, pupil: GPupil) -> None:
        """A pupil leaves in a week after the experience period (never in the last week)."""
        end = max(b.end for b in self.blocks[pupil.id])
        if end <= self.n - 2:
            pupil.leave = self.rng.randint(end, self.n - 2)

    def pupil_away(self, pupil: GPupil, anywhere: bool) -> None:
        """One to three weeks of absence: in ordinary weeks of the reference plan, or
        ``anywhere`` in the enrolment (tight scenarios)."""
        busy = set() if anywhere else self.busy(pupil)
        weeks = self.enrolment(pupil)
        taken = {t for s, n in pupil.away for t in range(s, s + n)}
        free = [t in weeks and t not in busy and t not in taken for t in range(self.n)]
        run = pick_run(self.rng, free, _lengths(self.rng, 3))
        if run is not None:
            pupil.away.append(run)
            pupil.away.sort()

    def away(self, key: str, runs: list[Run], longest: int, anywhere: bool = False) -> None:
        """Weeks a mentor is away or a company is closed: where the reference plan has nobody
        there, or ``anywhere`` (tight scenarios)."""
        row = self.occ.row(key)
        taken = {t for s, n in runs for t in range(s, s + n)}
        free = [(anywhere or row[t] == 0) and t not in taken for t in range(self.n)]
        run = pick_run(self.rng, free, _lengths(self.rng, longest))
        if run is not None:
            runs.append(run)
            runs.sort()

    def centre_weeks(self, region_index: int) -> None:
        """Most centres close one week (inventory, staff training) and have a few weeks with
        fewer seats, both where the reference plan leaves room."""
        centre = self.world.regions[region_index].centre
        assert centre is not None
        row = self.occ.row(f"centre:{centre.id}")
        if self.rng.random() < 0.7:
            run = pick_run(self.rng, [x == 0 for x in row], (1,))
            if run is not None:
                centre.closures.append(run)
        if self.rng.random() < 0.6 and centre.seats >= 3:
            fewer = math.ceil(0.6 * centre.seats)
            closed = {t for s, n in centre.closures for t in range(s, s + n)}
            free = [row[t] <= fewer and t not in closed for t in range(self.n)]
            run = pick_run(self.rng, free, (self.rng.randint(2, 4), 2, 1))
            if run is not None:
                start, length = run
                seats = max(fewer, max(row[start : start + length]))
                if seats < centre.seats:
                    centre.reduced.append((run, seats))


def workplace_average(
    world: World,
    klass: GClass,
    pupil: GPupil,
    blocks: list[RefBlock],
    days: list[int],
    closures: list[Run],
) -> Fraction:
    """The exact annual average of real-workplace hours a week the reference plan gives a
    pupil (``docs/rules.md``, rule ``contract``): phases' workplace hours, ordinary weeks' when
    the home company is open (``closures`` are its closed weeks), nothing in absent weeks;
    divided by school days / 5. ``days`` are the school's days per teaching week."""
    n = world.n_weeks
    first = pupil.start if pupil.start is not None else 0
    last = pupil.leave if pupil.leave is not None else n - 1
    away = {t for s, k in pupil.away for t in range(s, s + k)}
    closed = {t for s, k in closures for t in range(s, s + k)}
    # hours in exact hundredths: integers are exact and fast (thousands of pupils)
    per_week: dict[int, int] = {}
    modules = {m.id: m for m in klass.year.modules}
    for b in blocks:
        if b.phase == "experience":
            hours = klass.year.experience.hours.workplace
        else:
            phase = modules[b.module or ""].phase(b.phase)  # type: ignore[arg-type]
            assert phase is not None
            hours = phase.hours.workplace
        for t in b.weeks:
            per_week[t] = round(hours * 100)
    ordinary = round(klass.programme.ordinary_hours(klass.year.year).workplace * 100)
    total, total_days = 0, 0
    for t in range(first, last + 1):
        total_days += days[t]
        if t in away:
            continue
        if t in per_week:
            total += per_week[t] * days[t]
        elif t not in closed:
            total += ordinary * days[t]
    return Fraction(total, 100 * total_days) if total_days else Fraction(0)


def make_internships(
    world: World, blocks: dict[str, list[RefBlock]], occupancy: Occupancy, rng: random.Random
) -> None:
    """Bring 10-20 % of each class to an internship agreement: pupils whose year is closest
    to 20 h a week get their company phases cut back until the year stays below 20 h (pupils
    already below count too). Run before the events, which only take hours away."""
    for school in world.schools:
        days = [len(d) for d in world.school_days(school)]
        for klass in school.classes:
            average = partial(workplace_average, world, klass, days=days, closures=[])
            target = round(rng.uniform(*INTERNSHIP_SHARE) * len(klass.pupils))
            averages = {p.id: average(p, blocks[p.id]) for p in klass.pupils}
            below = sum(1 for a in averages.values() if a < OAO_THRESHOLD_HOURS)
            candidates = sorted(
                (p for p in klass.pupils if averages[p.id] >= OAO_THRESHOLD_HOURS),
                key=lambda p: averages[p.id],
            )
            for pupil in candidates:
                if below >= target:
                    break
                occupancy.begin()
                shorter = shorten_company_phases(
                    pupil, klass, school.visits, blocks[pupil.id], occupancy
                )
                if average(pupil, shorter) < OAO_THRESHOLD_HOURS:
                    occupancy.commit()
                    blocks[pupil.id] = shorter
                    below += 1
                else:
                    occupancy.undo()


def set_contracts(world: World, blocks: dict[str, list[RefBlock]]) -> None:
    """Each pupil's contract from the reference plan: OAO at 20 h a week or more, otherwise
    an internship; written on the pupil only where it differs from the programme year's."""
    companies = {c.id: c for c in world.companies}
    for school in world.schools:
        days = [len(d) for d in world.school_days(school)]
        for klass in school.classes:
            for pupil in klass.pupils:
                closures = companies[pupil.company].closures
                avg = workplace_average(world, klass, pupil, blocks[pupil.id], days, closures)
                contract = "oao" if avg >= OAO_THRESHOLD_HOURS else "internship"
                pupil.contract = None if contract == klass.year.contract else contract


def tighten(world: World, events: Events, rng: random.Random) -> None:
    """Take the margins away: capacities, seats and teacher visits at (or just below) what the
    reference plan uses at its busiest, and more absences and closures anywhere. The result may
    well be impossible; that is its purpose (benchmarks of infeasibility detection)."""
    occ = events.occ
    for company in world.companies:
        company.capacity = max(1, occ.peak(f"company:{company.id}"))
        if rng.random() < 0.06:
            events.away(f"company:{company.id}", company.closures, 2, anywhere=True)
        for mentor in company.mentors:
            if rng.random() < 0.10:
                events.away(f"mentor:{mentor.id}", mentor.away, 3, anywhere=True)
    for region in world.regions:
        centre = region.centre
        assert centre is not None
        peak = occ.peak(f"centre:{centre.id}")
        centre.seats = max(1, round(peak * rng.uniform(0.85, 1.0)))
        centre.reduced = [(run, min(seats, centre.seats)) for run, seats in centre.reduced]
        centre.reduced = [(run, seats) for run, seats in centre.reduced if seats < centre.seats]
        for school in region.schools:
            peak = occ.peak(f"visits:{school.id}")
            school.visits = max(1, round(peak * rng.uniform(0.8, 1.0)))
    for pupil in world.pupils:
        if rng.random() < 0.06:
            events.pupil_away(pupil, anywhere=True)
