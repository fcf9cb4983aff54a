"""Building the parties of a generated scenario: regions, schools and classes, pupils,
companies with mentors and partners, training centres.

Shapes follow Flemish practice (and the brief of the benchmark): a region is one training
centre with the schools it serves and the companies around them; pupils of a school go to
companies of their region that work in their programme's sector; classes have 8-20 pupils;
companies take 1-6 pupils at once (most 1-2), have 1-3 mentors who guide 1-3 pupils each; some
companies lack the infrastructure for a module or two and name partners in the region that have
it; every company has room for all its own pupils at once.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass

from scheduler.generation import names
from scheduler.generation.world import (
    GCentre,
    GClass,
    GCompany,
    GMentor,
    GPupil,
    GRegion,
    GSchool,
    World,
)

EMT = "emt-duaal"
WELDING = "lassen-constructie-duaal"
MACHINING = "mechanische-vormgeving-duaal"
CODES = {EMT: "EMT", WELDING: "LC", MACHINING: "MV"}

CAPACITY_WEIGHTS = (0.36, 0.32, 0.14, 0.09, 0.05, 0.04)
"""Probability of a company capacity of 1, 2, ... 6: most take one or two pupils."""
MAX_HOME_PUPILS = 5
"""At most this many pupils per company on average in a region (capacity 6 leaves room)."""
MIN_CLASS, MAX_CLASS, TYPICAL_CLASS = 8, 20, 14
LATE_JOINERS = 0.03
GAP_SHARE = 0.18


@dataclass(frozen=True)
class Sizes:
    """How many pupils, companies, training centres (= regions) and schools to generate."""

    pupils: int
    companies: int
    centres: int
    schools: int


def split(
    total: int, parts: int, rng: random.Random, low: int, spread: float, high: int | None = None
) -> list[int]:
    """``total`` split into ``parts`` random shares (within ``1 ± spread`` of the mean), each at
    least ``low`` and at most ``high`` (when ``total`` allows it)."""
    weights = [rng.uniform(1 - spread, 1 + spread) for _ in range(parts)]
    scale = total / sum(weights)
    raw = [w * scale for w in weights]
    out = [math.floor(x) for x in raw]
    order = sorted(range(parts), key=lambda i: raw[i] - out[i], reverse=True)
    for i in order[: total - sum(out)]:
        out[i] += 1
    low = min(low, total // parts)
    for i in range(parts):
        while out[i] < low:
            j = max(range(parts), key=lambda k: out[k])
            out[j] -= 1
            out[i] += 1
    if high is not None and high * parts >= total:
        # a mean close to ``high`` plus the spread can overshoot it: shift to the smallest
        for i in range(parts):
            while out[i] > high:
                j = min(range(parts), key=lambda k: out[k])
                out[j] += 1
                out[i] -= 1
    return out


def minimum_companies(pupils_per_region: list[int]) -> int:
    """Companies a set of regions needs: room for every pupil at home, at most
    :data:`MAX_HOME_PUPILS` per company on average."""
    return sum(math.ceil(p / MAX_HOME_PUPILS) for p in pupils_per_region)


class WorldBuilder:
    """Builds a :class:`World` for given sizes from one random generator."""

    def __init__(self, world: World, sizes: Sizes, rng: random.Random) -> None:
        self.world = world
        self.sizes = sizes
        self.rng = rng
        self.ids = names.IdPool()
        self.pupil_count = 0

    # --- regions and schools --------------------------------------------------------------

    def school_sizes(self) -> list[int]:
        """Pupils per school."""
        return split(self.sizes.pupils, self.sizes.schools, self.rng, MIN_CLASS, 0.35)

    def regions(self, school_sizes: list[int]) -> list[int]:
        """Create the regions; return the pupils of each."""
        n = self.sizes.centres
        per_region = [0] * n
        for i, size in enumerate(school_sizes):
            per_region[i * n // len(school_sizes)] += size
        for r in range(n):
            info = names.region(r)
            self.world.regions.append(GRegion(r, info.name, info.places))
        return per_region

    def companies_per_region(self, per_region: list[int]) -> list[int]:
        """Companies of each region: enough for its pupils, the rest in proportion."""
        minimum = [math.ceil(p / MAX_HOME_PUPILS) for p in per_region]
        total_pupils = sum(per_region)
        spare = self.sizes.companies - sum(minimum)
        wanted = [p / total_pupils * self.sizes.companies for p in per_region]
        extra = [max(0.0, w - m) for w, m in zip(wanted, minimum, strict=True)]
        scale = spare / sum(extra) if sum(extra) else 0
        out = [m + math.floor(e * scale) for m, e in zip(minimum, extra, strict=True)]
        order = sorted(range(len(out)), key=lambda i: extra[i] * scale % 1, reverse=True)
        for i in order[: self.sizes.companies - sum(out)]:
            out[i] += 1
        return out

    def region_programmes(self, pupils: int, companies: int) -> list[str]:
        """Programmes taught in a region: EMT everywhere, welding and machining in larger
        regions (each programme needs its own companies)."""
        out = [EMT]
        if pupils >= 40 and self.rng.random() < 0.6:
            out.append(WELDING)
        if pupils >= 60 and self.rng.random() < 0.45:
            out.append(MACHINING)
        while len(out) > 1 and companies < math.ceil(pupils / MAX_HOME_PUPILS) + len(out) - 1:
            out.pop()
        return out

    def schools(self, region: GRegion, sizes: list[int]) -> None:
        """The region's schools with their classes and pupils."""
        offered = region.programmes
        for i, size in enumerate(sizes):
            place = region.places[i % len(region.places)]
            name, short = names.school_name(self.rng, place[0])
            school = GSchool(
                self.ids.take(short), name, names.address(self.rng, place), region.index
            )
            programmes = [offered[i % len(offered)]]
            if len(offered) > 1 and self.rng.random() < 0.35:
                programmes.append(self.rng.choice([p for p in offered if p != programmes[0]]))
            self.classes(school, size, programmes)
            self.free_days(school)
            # a class tends to end its company phases together: room for one class's visits
            school.visits = max(
                3, math.ceil(0.4 * size), max(len(c.pupils) for c in school.classes)
            )
            region.schools.append(school)
        region.programmes = [p for p in offered if any(c.programme.id == p for c in region.classes)]

    def classes(self, school: GSchool, size: int, programmes: list[str]) -> None:
        """Split a school's pupils into classes of 8-20 over its programmes' two years."""
        n = min(max(round(size / TYPICAL_CLASS), math.ceil(size / MAX_CLASS)), size // MIN_CLASS)
        n = max(1, n)
        slots = [(p, y.year) for p in programmes for y in self.world.programmes[p].years]
        chosen = [slots[k % len(slots)] for k in range(n)]
        for k, class_size in enumerate(split(size, n, self.rng, MIN_CLASS, 0.2, MAX_CLASS)):
            programme_id, year_no = chosen[k]
            programme = self.world.programmes[programme_id]
            year = programme.year(year_no)
            assert year is not None
            code = CODES.get(programme_id, programme_id[:3].upper())
            label = f"{4 + year_no} {code}"  # years 1 and 2 of the 3rd grade: 5th and 6th
            if chosen.count(chosen[k]) > 1:  # parallel classes: A, B, ...
                label += " " + chr(ord("A") + chosen[:k].count(chosen[k]))
            klass = GClass(
                self.ids.take(f"{school.id}-{label}"),
                f"{label} duaal",
                school.id,
                programme,
                year,
            )
            self.pupils(klass, class_size)
            school.classes.append(klass)

    def pupils(self, klass: GClass, size: int) -> None:
        """The pupils of a class: names and late joiners."""
        modules = klass.year.modules
        for _ in range(size):
            self.pupil_count += 1
            first, last = names.pupil_name(self.rng)
            width = max(3, len(str(self.sizes.pupils)))
            pupil = GPupil(f"L{self.pupil_count:0{width}d}", first, last, klass.id)
            if len(modules) > 2 and self.rng.random() < LATE_JOINERS:
                # joins late from another school and already masters the first module(s)
                count = 2 if len(modules) > 3 and self.rng.random() < 0.3 else 1
                pupil.mastered = [m.id for m in modules[:count]]
            klass.pupils.append(pupil)

    def free_days(self, school: GSchool) -> None:
        """One to three own free days (pedagogische studiedagen) in full school weeks."""
        full = [w.monday for w in self.world.calendar.weeks if w.school_days == 5]
        mondays = self.rng.sample(full, self.rng.randint(1, 3))
        school.free_days = sorted(m + dt.timedelta(days=self.rng.randint(0, 4)) for m in mondays)

    # --- companies ------------------------------------------------------------------------

    def companies(self, region: GRegion, count: int) -> None:
        """The region's companies, split over its programmes in proportion to their pupils."""
        groups = {p: [pl for c in region.classes if c.programme.id == p for pl in c.pupils]
                  for p in region.programmes}  # fmt: skip
        minimum = {p: math.ceil(len(g) / MAX_HOME_PUPILS) for p, g in groups.items()}
        spare = count - sum(minimum.values())
        total = sum(len(g) for g in groups.values())
        alloc = dict(minimum)
        for p in groups:
            alloc[p] += math.floor(spare * len(groups[p]) / total)
        leftover = count - sum(alloc.values())
        for p in list(groups)[:leftover]:
            alloc[p] += 1
        for programme_id, pupils in groups.items():
            made = [self.company(region, programme_id) for _ in range(alloc[programme_id])]
            self.home_pupils(made, pupils)
            self.gaps_and_partners(made)
            region.companies += made

    def company(self, region: GRegion, programme_id: str) -> GCompany:
        """A company with its capacity and mentors (own pupils are given later)."""
        place = self.rng.choice(region.places)
        name = names.company_name(self.rng, programme_id, place[0])
        capacity = self.rng.choices(range(1, 7), CAPACITY_WEIGHTS)[0]
        programme = self.world.programmes[programme_id]
        company = GCompany(
            self.ids.take(name),
            name,
            names.address(self.rng, place),
            region.index,
            programme_id,
            capacity,
            all_modules=[m.id for y in programme.years for m in y.modules],
        )
        return company

    def mentors(self, company: GCompany) -> None:
        """One to three mentors, 1-3 pupils each, together at least the company's capacity."""
        cap = company.capacity
        if cap <= 2:
            n = 1 if self.rng.random() < 0.7 else 2
        elif cap <= 4:
            n = 2 if self.rng.random() < 0.7 else 3
        else:
            n = 2 if self.rng.random() < 0.4 else 3
        room = [1] * n
        while sum(room) < cap:
            room[self.rng.choice([i for i in range(n) if room[i] < 3])] += 1
        if self.rng.random() < 0.3:
            open_ = [i for i in range(n) if room[i] < 3]
            if open_:
                room[self.rng.choice(open_)] += 1
        for r in room:
            name = names.adult_name(self.rng)
            ident = self.ids.take(f"{company.id[:30]}-{name.split()[0]}")
            company.mentors.append(GMentor(ident, name, r))

    def home_pupils(self, companies: list[GCompany], pupils: list[GPupil]) -> None:
        """Give every pupil a home company with room for all its own pupils at once, and a
        mentor there."""
        while sum(c.capacity for c in companies) < len(pupils):
            open_ = [c for c in companies if c.capacity < 6]
            self.rng.choice(open_).capacity += 1
        for c in companies:
            self.mentors(c)
        order = list(pupils)
        self.rng.shuffle(order)
        mentor_room = {m.id: m.max_pupils for c in companies for m in c.mentors}
        for pupil in order:
            open_ = [c for c in companies if c.home < c.capacity]
            company = self.rng.choices(open_, [c.capacity - c.home for c in open_])[0]
            company.home += 1
            free = [m for m in company.mentors if mentor_room[m.id] > 0]
            mentor = self.rng.choices(free, [mentor_room[m.id] for m in free])[0]
            mentor_room[mentor.id] -= 1
            pupil.company, pupil.mentor = company.id, mentor.id

    def gaps_and_partners(self, companies: list[GCompany]) -> None:
        """Some small companies lack the infrastructure for a module or two (never a year's
        first module) and name one to three partners of the same programme with full
        infrastructure, preferring partners with places to spare; a partner keeps as many
        places beyond its own pupils as the company has pupils (capacity at most 6)."""
        if len(companies) < 3:
            return
        programme = self.world.programmes[companies[0].programme]
        candidates = [m.id for y in programme.years for m in y.modules[1:]]
        chosen = [c for c in companies if c.home <= 2 and self.rng.random() < GAP_SHARE]
        chosen = chosen[: len(companies) // 3]
        for company in chosen:
            company.gaps = sorted(
                self.rng.sample(candidates, 1 if self.rng.random() < 0.7 else 2),
                key=company.all_modules.index,
            )
        full = [c for c in companies if not c.gaps]
        for company in chosen:
            # partners able to keep places for all of the company's pupils
            pool = [c for c in full if c.home + company.home <= 6]
            if not pool:
                company.gaps = []
                continue
            count = min(len(pool), self.rng.choices((1, 2, 3), (0.5, 0.35, 0.15))[0])
            partners: list[GCompany] = []
            for _ in range(count):
                pick = self.rng.choices(pool, [3 * (c.capacity - c.home) + 0.2 for c in pool])[0]
                pool.remove(pick)
                partners.append(pick)
            company.partners = [p.id for p in partners]
            for partner in partners:
                reserved = min(6, max(partner.capacity, partner.home + company.home))
                if reserved > partner.capacity:
                    partner.capacity = reserved
                    self.mentor_room(partner)

    def mentor_room(self, company: GCompany) -> None:
        """Mentors for at least the company's capacity (a mentor guides three at most)."""
        while sum(m.max_pupils for m in company.mentors) < company.capacity:
            open_ = [m for m in company.mentors if m.max_pupils < 3]
            if open_:
                self.rng.choice(open_).max_pupils += 1
            else:
                name = names.adult_name(self.rng)
                ident = self.ids.take(f"{company.id[:30]}-{name.split()[0]}")
                company.mentors.append(GMentor(ident, name, 1))

    # --- centres --------------------------------------------------------------------------

    def centre(self, region: GRegion) -> None:
        """The region's training centre: every module of the region's programmes, its schools,
        and seats for the average demand with a margin (at least most of the largest class)."""
        place = region.places[0]
        name = names.centre_name(self.rng, region.name)
        modules = [
            m.id
            for p in region.programmes
            for y in self.world.programmes[p].years
            for m in y.modules
            if m.phase("simulated") is not None
        ]
        demand = 0
        for klass in region.classes:
            for pupil in klass.pupils:
                for m in klass.followed(pupil):
                    sim = m.phase("simulated")
                    demand += sim.weeks.min if sim else 0
        usable = max(1, self.world.n_weeks - 10)
        largest = max(len(c.pupils) for c in region.classes)
        seats = max(math.ceil(1.25 * demand / usable), math.ceil(0.8 * largest), 1)
        region.centre = GCentre(
            self.ids.take(name),
            name,
            names.address(self.rng, place),
            region.index,
            modules,
            [s.id for s in region.schools],
            seats,
        )


__all__ = ["Sizes", "WorldBuilder", "minimum_companies", "split"]
