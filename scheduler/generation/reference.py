"""A reference year plan, built greedily while generating, that proves a scenario feasible.

The generator does not hope its scenarios are feasible: it plans one valid year for every
pupil first (class by class, region by region), and only then writes capacities, seats,
visits, absences, closures and contracts that this plan respects. The plan is not good (it
waits where a solver would not), but it obeys every rule of ``docs/rules.md``, so a plan exists.

The plan follows the programme's pattern for each class: the class has a module's theory
together; then each pupil goes to the region's centre as soon as a seat is free for the whole
simulated phase, then to a company (home, or a partner when the home company lacks the
infrastructure) with a mentor who has room, for a company phase whose last week has a free
teacher visit; the class's next module starts when its last pupil is back, and the others
stay at their company until then (company phases are lengthened as far as ``stretch`` needs
for an OAO). After the modules each pupil has the experience period at home (or at a
partner). :func:`shorten_company_phases` cuts a pupil's company phases back afterwards, for
pupils who get an internship agreement.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from scheduler.generation.world import GClass, GCompany, GPupil, GRegion, GSchool
from scheduler.model.programme import Module, Phase

STRETCHES = (0.0, 0.25, 0.5, 0.75, 1.0)
"""How far company phases of OAO pupils may be lengthened towards their maximum."""
OAO_AIM = 21
"""Hours a week an OAO pupil's year should reach in the reference plan (20 and a margin for
absences and closures placed later)."""


def stretches(klass: GClass, weeks: int) -> list[float]:
    """Stretches to try for a class, in order: the shortest that gives a full year of an OAO
    pupil :data:`OAO_AIM` hours a week, then shorter ones (a class that does not fit in the
    year with it gets shorter company phases; some of its pupils then have an internship)."""
    year = klass.year
    ordinary_hours = klass.programme.ordinary_hours(year.year).workplace

    def average(stretch: float) -> float:
        company = year.experience.weeks
        away = 0  # weeks without real-workplace hours: theory and simulated
        hours = year.experience.weeks * year.experience.hours.workplace
        for m in year.modules:
            for ph in m.phases:
                lo, hi = ph.weeks.min, ph.weeks.max
                length = lo + math.floor(stretch * (hi - lo) + 0.5) if ph.kind == "company" else lo
                if ph.hours.workplace:
                    company += length
                    hours += length * ph.hours.workplace
                else:
                    away += length
        ordinary = max(0, weeks - company - away)
        return (hours + ordinary * ordinary_hours) / weeks

    aim = next((s for s in STRETCHES if average(s) >= OAO_AIM), STRETCHES[-1])
    return sorted((s for s in STRETCHES if s <= aim), reverse=True)


@dataclass(frozen=True)
class RefBlock:
    """One phase block of the reference plan; ``weeks`` are teaching-week indices."""

    phase: str
    module: str | None
    weeks: tuple[int, ...]
    place: str | None = None
    mentor: str | None = None

    @property
    def end(self) -> int:
        """One past the last week."""
        return self.weeks[-1] + 1


@dataclass
class Occupancy:
    """Pupils per week at each place (``company:``, ``mentor:``, ``centre:``) and teacher
    visits per week per school (``visits:``), with a journal to undo a failed attempt."""

    n: int
    load: dict[str, list[int]] = field(default_factory=dict)
    journal: list[tuple[str, int, int, int]] | None = None

    def fits(self, key: str, start: int, length: int, limit: int) -> bool:
        """Whether one more pupil fits at ``key`` in weeks ``start .. start+length-1``."""
        if start < 0 or start + length > self.n:
            return False
        row = self.load.get(key)
        if row is None:
            return limit >= 1
        return all(row[t] < limit for t in range(start, start + length))

    def add(self, key: str, start: int, length: int, delta: int = 1) -> None:
        """Count one pupil (or ``delta``) at ``key`` in the weeks of a run."""
        row = self.load.setdefault(key, [0] * self.n)
        for t in range(start, start + length):
            row[t] += delta
        if self.journal is not None:
            self.journal.append((key, start, length, delta))

    def begin(self) -> None:
        """Start recording changes (for :meth:`undo`)."""
        self.journal = []

    def undo(self) -> None:
        """Take back every change since :meth:`begin`."""
        for key, start, length, delta in reversed(self.journal or []):
            row = self.load[key]
            for t in range(start, start + length):
                row[t] -= delta
        self.journal = None

    def commit(self) -> None:
        """Keep the changes since :meth:`begin`."""
        self.journal = None

    def row(self, key: str) -> list[int]:
        """The load per week at ``key`` (zeros when nothing is there)."""
        return self.load.get(key, [0] * self.n)

    def peak(self, key: str) -> int:
        """The busiest week's load at ``key``."""
        return max(self.load.get(key, [0]))


class ClassDoesNotFit(Exception):
    """The class's year does not fit in the teaching weeks with the current limits."""


@dataclass
class RegionPlanner:
    """Plans the classes of one region into a shared :class:`Occupancy`."""

    region: GRegion
    occupancy: Occupancy
    rng: random.Random
    companies: dict[str, GCompany]
    blocks: dict[str, list[RefBlock]] = field(default_factory=dict)

    @property
    def n(self) -> int:
        """Number of teaching weeks."""
        return self.occupancy.n

    def plan(self) -> bool:
        """Plan every class of the region; False when one does not fit (limits too low)."""
        classes = list(self.region.classes)
        self.rng.shuffle(classes)
        # the second year has the longest modules: give it the first pick of the centre
        classes.sort(key=lambda c: -c.year.year)
        return all(self._plan_class(klass) for klass in classes)

    def _plan_class(self, klass: GClass) -> bool:
        for stretch in stretches(klass, self.n):
            self.occupancy.begin()
            try:
                planned = self._class_blocks(klass, stretch)
            except ClassDoesNotFit:
                self.occupancy.undo()
                continue
            self.occupancy.commit()
            self.blocks.update(planned)
            return True
        return False

    # --- one class ------------------------------------------------------------------------

    def _class_blocks(self, klass: GClass, stretch: float) -> dict[str, list[RefBlock]]:
        blocks: dict[str, list[RefBlock]] = {p.id: [] for p in klass.pupils}
        ready = {p.id: 0 for p in klass.pupils}
        t = 0
        for module in klass.year.modules:
            followers = [p for p in klass.pupils if module.id not in p.mastered]
            if not followers:
                continue
            start = max([t, *(ready[p.id] for p in followers)])
            theory = module.phase("theory")
            if theory is not None:
                length = theory.weeks.min
                if start + length > self.n:
                    raise ClassDoesNotFit
                weeks = tuple(range(start, start + length))
                for p in followers:
                    blocks[p.id].append(RefBlock("theory", module.id, weeks, klass.school))
                start += length
            order = list(followers)
            self.rng.shuffle(order)
            for p in order:
                ready[p.id] = self._simulated(module, p, start, blocks)
            company = module.phase("company")
            if company is not None:
                self._company_wave(klass, module, company, order, ready, stretch, blocks)
            t = max(ready[p.id] for p in followers)
            if company is not None:
                self._lengthen(klass, followers, module.id, t, blocks)
                for p in followers:
                    ready[p.id] = blocks[p.id][-1].end
        for p in klass.pupils:
            blocks[p.id].append(self._experience(klass, p, ready[p.id]))
        return blocks

    def _simulated(
        self, module: Module, pupil: GPupil, start: int, blocks: dict[str, list[RefBlock]]
    ) -> int:
        """The pupil's simulated phase at the region's centre, as soon as a seat is free for all
        of it from week ``start``; return the week after it."""
        phase = module.phase("simulated")
        if phase is None:
            return start
        centre = self.region.centre
        assert centre is not None
        length = phase.weeks.min
        key = f"centre:{centre.id}"
        t = start
        while not self.occupancy.fits(key, t, length, centre.seats):
            t += 1
            if t + length > self.n:
                raise ClassDoesNotFit
        self.occupancy.add(key, t, length)
        weeks = tuple(range(t, t + length))
        blocks[pupil.id].append(RefBlock("simulated", module.id, weeks, centre.id))
        return t + length

    def _company_wave(
        self,
        klass: GClass,
        module: Module,
        phase: Phase,
        order: list[GPupil],
        ready: dict[str, int],
        stretch: float,
        blocks: dict[str, list[RefBlock]],
    ) -> None:
        """The company phases of a module's followers: the class is back when the last pupil
        back from the centre has had a company phase lengthened by ``stretch`` towards its
        maximum; the others stay at the company until then (within the phase's maximum)."""
        lo, hi = phase.weeks.min, phase.weeks.max
        wanted = lo + math.floor(stretch * (hi - lo) + 0.5)
        back = max(ready[p.id] for p in order) + wanted
        for p in sorted(order, key=lambda p: ready[p.id]):
            length = min(hi, max(lo, back - ready[p.id]))
            block = self._company_phase(klass, p, module.id, phase, ready[p.id], length)
            blocks[p.id].append(block)
            ready[p.id] = block.end

    def _options(self, pupil: GPupil, module_id: str | None) -> list[tuple[GCompany, str]]:
        """(company, mentor) options: the home company (own mentor first) when it allows the
        module, then its partners that allow it."""
        home = self.companies[pupil.company]
        out: list[tuple[GCompany, str]] = []
        if module_id is None or home.allows(module_id):
            mentors = sorted(home.mentors, key=lambda m: m.id != pupil.mentor)
            out += [(home, m.id) for m in mentors]
        for pid in home.partners:
            partner = self.companies[pid]
            if module_id is None or partner.allows(module_id):
                out += [(partner, m.id) for m in partner.mentors]
        return out

    def _room(self, pupil: GPupil, company: GCompany, mentor: str, start: int, length: int) -> bool:
        """Whether company and mentor have room; a guest from a partner only takes places the
        company's own pupils can never need (its capacity beyond its own pupils)."""
        occ = self.occupancy
        if company.id != pupil.company and not occ.fits(
            f"guests:{company.id}", start, length, company.capacity - company.home
        ):
            return False
        return occ.fits(f"company:{company.id}", start, length, company.capacity) and occ.fits(
            f"mentor:{mentor}", start, length, company.mentor(mentor).max_pupils
        )

    def _take(self, pupil: GPupil, company: GCompany, mentor: str, start: int, length: int) -> None:
        """Count the pupil at the company and with the mentor."""
        occ = self.occupancy
        occ.add(f"company:{company.id}", start, length)
        occ.add(f"mentor:{mentor}", start, length)
        if company.id != pupil.company:
            occ.add(f"guests:{company.id}", start, length)

    def _company_phase(
        self,
        klass: GClass,
        pupil: GPupil,
        module_id: str,
        phase: Phase,
        start: int,
        wanted: int,
    ) -> RefBlock:
        """A company phase from week ``start`` (or later) of ``wanted`` weeks (or another
        length within the phase's) with a company, a mentor and a teacher visit that have room."""
        lo, hi = phase.weeks.min, phase.weeks.max
        lengths = [wanted, *range(wanted - 1, lo - 1, -1), *range(wanted + 1, hi + 1)]
        school = self.region_school(klass)
        occ = self.occupancy
        options = self._options(pupil, module_id)
        for s in range(start, self.n - lo + 1):
            for length in lengths:
                last = s + length - 1
                if last >= self.n or not occ.fits(f"visits:{school.id}", last, 1, school.visits):
                    continue
                for company, mentor in options:
                    if self._room(pupil, company, mentor, s, length):
                        self._take(pupil, company, mentor, s, length)
                        occ.add(f"visits:{school.id}", last, 1)
                        weeks = tuple(range(s, s + length))
                        return RefBlock("company", module_id, weeks, company.id, mentor)
        raise ClassDoesNotFit

    def region_school(self, klass: GClass) -> GSchool:
        """The school of a class."""
        return next(s for s in self.region.schools if s.id == klass.school)

    def _lengthen(
        self,
        klass: GClass,
        followers: list[GPupil],
        module_id: str,
        until: int,
        blocks: dict[str, list[RefBlock]],
    ) -> None:
        """Lengthen company phases into the weeks the class waits anyway (until its last pupil
        is back), while company, mentor and teacher visits have room."""
        module = next(m for m in klass.year.modules if m.id == module_id)
        phase = module.phase("company")
        assert phase is not None
        school = self.region_school(klass)
        occ = self.occupancy
        for p in followers:
            block = blocks[p.id][-1]
            assert block.phase == "company" and block.place and block.mentor
            company = self.companies[block.place]
            weeks = list(block.weeks)
            while len(weeks) < phase.weeks.max and weeks[-1] + 1 < until:
                nxt = weeks[-1] + 1
                if not (
                    self._room(p, company, block.mentor, nxt, 1)
                    and occ.fits(f"visits:{school.id}", nxt, 1, school.visits)
                ):
                    break
                self._take(p, company, block.mentor, nxt, 1)
                occ.add(f"visits:{school.id}", weeks[-1], 1, -1)
                occ.add(f"visits:{school.id}", nxt, 1)
                weeks.append(nxt)
            blocks[p.id][-1] = RefBlock(
                "company", module_id, tuple(weeks), company.id, block.mentor
            )

    def _experience(self, klass: GClass, pupil: GPupil, start: int) -> RefBlock:
        length = klass.year.experience.weeks
        options = self._options(pupil, None)
        for s in range(start, self.n - length + 1):
            for company, mentor in options:
                if self._room(pupil, company, mentor, s, length):
                    self._take(pupil, company, mentor, s, length)
                    weeks = tuple(range(s, s + length))
                    return RefBlock("experience", None, weeks, company.id, mentor)
        raise ClassDoesNotFit


def shorten_company_phases(
    pupil: GPupil,
    klass: GClass,
    visits: int,
    blocks: list[RefBlock],
    occupancy: Occupancy,
) -> list[RefBlock]:
    """The pupil's blocks with every company phase cut back towards its shortest length (the
    weeks cut become ordinary weeks), as far as the teacher visit can move to the new last
    week (``visits``: the school's visits a week); updates ``occupancy``."""
    modules = {m.id: m for m in klass.year.modules}
    out: list[RefBlock] = []
    for block in blocks:
        if block.phase != "company" or block.place is None or block.mentor is None:
            out.append(block)
            continue
        phase = modules[block.module or ""].phase("company")
        assert phase is not None
        weeks = list(block.weeks)
        school = f"visits:{klass.school}"
        while len(weeks) > phase.weeks.min and occupancy.fits(school, weeks[-2], 1, visits):
            gone = weeks.pop()
            occupancy.add(f"company:{block.place}", gone, 1, -1)
            occupancy.add(f"mentor:{block.mentor}", gone, 1, -1)
            if block.place != pupil.company:
                occupancy.add(f"guests:{block.place}", gone, 1, -1)
            occupancy.add(school, gone, 1, -1)
            occupancy.add(school, weeks[-1], 1)
        out.append(RefBlock("company", block.module, tuple(weeks), block.place, block.mentor))
    return out
