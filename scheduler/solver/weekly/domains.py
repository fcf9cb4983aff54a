"""The placements of every phase: where and when a phase may be held at all.

A placement is (first week, weeks, place). Most hard rules that concern one pupil in one week
are enforced here, by leaving out every placement that breaks them, one named check each:

- :func:`pupil_free`: only weeks in which the pupil is enrolled, has school days and is not
  absent (rules ``coverage``, ``absence``; holidays have no teaching-week index at all);
- :func:`place_open`: a company or centre that is open and has a place left that week (after
  the places others already hold), a mentor who is there (``company_closed``,
  ``centre_closed``, ``mentor_absent``), a teacher visit left in the practice-test week;
- :func:`pins_allow`: pinned pupil-weeks (the frozen past of a re-plan, a planner's pins);
- the phase lengths ``min..max`` and the candidate places (``infrastructure``,
  ``centre_module``) come from the phase's own data.

Start windows are then narrowed so that every phase fits between its neighbours
(:func:`narrow`), which keeps the model small: the order of the phases itself is a rule of
:mod:`.rules`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from scheduler.solver.context import Pin
from scheduler.solver.data import Option, PhaseSpec, PupilData, SolverData


@dataclass(frozen=True, slots=True)
class Placement:
    """One way to hold a phase: its first teaching week, its number of weeks and its place
    (``None``: the pupil's school, for theory)."""

    start: int
    size: int
    option: Option | None = None

    @property
    def end(self) -> int:
        """One past the last week."""
        return self.start + self.size

    def parties(self, kind: str, school: str) -> list[str]:
        """The places (``company:``, ``mentor:``, ``centre:``) this placement takes every week."""
        option = self.option
        if option is None or option.kind == "school":
            return []
        out = [f"{option.kind}:{option.place}"]
        if option.mentor:
            out.append(f"mentor:{option.mentor}")
        return out


@dataclass
class PhaseDomain:
    """The placements one phase may take: a pupil's phase, or a class's theory block shared by
    the ``pupils`` who follow it."""

    name: str
    spec: PhaseSpec
    pupils: list[PupilData]
    placements: list[Placement] = field(default_factory=list)
    class_id: str | None = None
    """Set for a class's theory (one domain for all its followers)."""

    @property
    def key(self) -> str:
        """The phase key (``module:kind`` or ``experience``)."""
        return self.spec.key


def _places_of(data: SolverData) -> tuple[set[str], set[str], set[str]]:
    """The companies, centres and schools the part's pupils can be at."""
    companies: set[str] = set()
    centres: set[str] = set()
    schools: set[str] = set()
    for pupil in data.pupils:
        companies.add(pupil.home)
        schools.add(pupil.school_id)
        for spec in pupil.phases:
            for option in spec.options:
                if option.kind == "company":
                    companies.add(option.place)
                elif option.kind == "centre":
                    centres.add(option.place)
    return companies, centres, schools


def capacity_rows(data: SolverData, reserved: dict[str, list[int]] | None) -> dict[str, list[int]]:
    """Places left per week at every company, mentor, centre and school (teacher visits) the
    part's pupils can use: the scenario's capacity that week (0 when closed, gone or absent)
    minus what others hold."""
    scenario = data.scenario
    mondays = data.weeks.mondays
    n = len(mondays)
    # only the places the part's pupils can use: a class planned again inside a region of
    # thousands of companies spent most of its model building on everyone else's rows
    companies, centres, schools = _places_of(data)
    rows: dict[str, list[int]] = {}
    for company in scenario.companies:
        if company.id not in companies:
            continue
        rows[f"company:{company.id}"] = [company.capacity_in(m) for m in mondays]
        for mentor in company.mentors:
            absent = mentor.unavailable_weeks
            rows[f"mentor:{mentor.id}"] = [0 if m in absent else mentor.max_pupils for m in mondays]
    for centre in scenario.centres:
        if centre.id in centres:
            rows[f"centre:{centre.id}"] = [centre.seats_in(m) for m in mondays]
    for school in scenario.schools:
        if school.id in schools:
            rows[f"school:{school.id}"] = [scenario.teacher_visits_of(school)] * n
    for party, taken in (reserved or {}).items():
        row = rows.get(party)
        if row is not None:
            rows[party] = [c - (taken[t] if t < len(taken) else 0) for t, c in enumerate(row)]
    return rows


def pupil_free(pupil: PupilData, start: int, size: int) -> bool:
    """Whether the pupil can be in a phase in weeks ``start .. start+size-1``: enrolled, with
    school days, not absent (``coverage``, ``absence``)."""
    days = pupil.days
    if start < 0 or start + size > len(days):
        return False
    absent = pupil.absent
    return all(days[t] > 0 and t not in absent for t in range(start, start + size))


def place_open(
    rows: dict[str, list[int]], placement: Placement, spec: PhaseSpec, school: str
) -> bool:
    """Whether every place of the placement has room in each of its weeks (closures, absent
    mentors and reservations leave 0), and, for a company phase, whether the school has a
    teacher visit left in its last week (the practice test, ``teacher_visits``)."""
    for party in placement.parties(spec.kind, school):
        row = rows[party]
        if any(row[t] <= 0 for t in range(placement.start, placement.end)):
            return False
    return not (spec.kind == "company" and rows[f"school:{school}"][placement.end - 1] <= 0)


PinsByWeek = dict[int, Pin]


def pins_allow(pins: PinsByWeek, placement: Placement, key: str) -> bool:
    """Whether a placement of phase ``key`` agrees with the pupil's pinned weeks: it covers
    exactly the weeks pinned to this phase, at the pinned place and mentor."""
    if not pins:
        return True
    covered = range(placement.start, placement.end)
    for week, pin in pins.items():
        inside = week in covered
        if inside != (pin.phase_key == key):
            return False
        if inside and pin.place is not None:
            option = placement.option
            place = option.place if option is not None else None
            if place is not None and place != pin.place:
                return False
            if pin.mentor is not None and option is not None and option.mentor != pin.mentor:
                return False
    return True


def _window(pupil: PupilData, k: int) -> tuple[int, int]:
    """Earliest and latest start of the pupil's ``k``-th phase from the minimum lengths of the
    phases before and after it."""
    enrolled = pupil.enrolled
    if not enrolled:
        return 0, -1
    before = sum(p.min_len for p in pupil.phases[:k])
    after = sum(p.min_len for p in pupil.phases[k:])
    return enrolled[0] + before, enrolled[-1] + 1 - after


def _placements(
    spec: PhaseSpec,
    pupils: list[PupilData],
    lo: int,
    hi: int,
    rows: dict[str, list[int]],
    pins: dict[str, PinsByWeek],
    options: list[Option | None],
) -> list[Placement]:
    out = []
    for start in range(lo, hi + 1):
        for size in range(spec.min_len, spec.max_len + 1):
            if not all(pupil_free(p, start, size) for p in pupils):
                continue
            for option in options:
                placement = Placement(start, size, option)
                if option is not None and not place_open(
                    rows, placement, spec, pupils[0].school_id
                ):
                    continue
                if not all(pins_allow(pins.get(p.id, {}), placement, spec.key) for p in pupils):
                    continue
                out.append(placement)
    return out


@dataclass
class Domains:
    """Every phase domain of a part: per pupil the domains of its phases in order (theory
    domains are shared by the class's followers)."""

    by_pupil: dict[str, list[PhaseDomain]]
    theory: dict[tuple[str, str], PhaseDomain]

    def all(self) -> list[PhaseDomain]:
        """Each domain once: the classes' theory, then every pupil's own phases."""
        own = [d for ds in self.by_pupil.values() for d in ds if d.class_id is None]
        return list(self.theory.values()) + own


def build_domains(
    data: SolverData,
    reserved: dict[str, list[int]] | None = None,
    pins: list[Pin] | None = None,
) -> Domains:
    """The placements of every phase of the part (see the module text)."""
    rows = capacity_rows(data, reserved)
    pins_of: dict[str, PinsByWeek] = defaultdict(dict)
    for pin in pins or []:
        pins_of[pin.pupil][pin.week] = pin
    theory: dict[tuple[str, str], PhaseDomain] = {}
    followers: dict[tuple[str, str], list[tuple[PupilData, int]]] = defaultdict(list)
    for pupil in data.pupils:
        for k, spec in enumerate(pupil.phases):
            if spec.kind == "theory":
                followers[(pupil.class_id, spec.module or "")].append((pupil, k))
    for (class_id, module), members in followers.items():
        spec = members[0][0].phases[members[0][1]]
        windows = [_window(p, k) for p, k in members]
        lo, hi = max(w[0] for w in windows), min(w[1] for w in windows)
        domain = PhaseDomain(
            f"T[{class_id},{module}]", spec, [p for p, _ in members], class_id=class_id
        )
        domain.placements = _placements(spec, domain.pupils, lo, hi, rows, pins_of, [None])
        theory[(class_id, module)] = domain
    by_pupil: dict[str, list[PhaseDomain]] = {}
    for pupil in data.pupils:
        own: list[PhaseDomain] = []
        for k, spec in enumerate(pupil.phases):
            if spec.kind == "theory":
                own.append(theory[(pupil.class_id, spec.module or "")])
                continue
            lo, hi = _window(pupil, k)
            domain = PhaseDomain(f"{spec.key}[{pupil.id}]", spec, [pupil])
            options: list[Option | None] = list(spec.options)
            domain.placements = _placements(spec, [pupil], lo, hi, rows, pins_of, options)
            own.append(domain)
        by_pupil[pupil.id] = own
    domains = Domains(by_pupil, theory)
    narrow(domains)
    return domains


def narrow(domains: Domains) -> None:
    """Leave out placements that cannot fit between the phase's neighbours: a phase starts at
    the earliest when the phase before it can end, and ends at the latest when the phase after
    it can start (repeated until nothing changes; class theory must suit every follower)."""
    changed = True
    while changed:
        changed = False
        for own in domains.by_pupil.values():
            earliest = 0
            for d in own:
                kept = [p for p in d.placements if p.start >= earliest]
                if len(kept) != len(d.placements):
                    d.placements, changed = kept, True
                earliest = min((p.end for p in d.placements), default=10**6)
            latest = 10**6
            for d in reversed(own):
                kept = [p for p in d.placements if p.end <= latest]
                if len(kept) != len(d.placements):
                    d.placements, changed = kept, True
                latest = max((p.start for p in d.placements), default=-1)
