"""The independent validator of year plans: checks any plan against every rule of docs/rules.md.

The validator never trusts the solver: it imports nothing from ``scheduler.solver`` and
re-derives every rule from the scenario's data (the model) and the plan. Each rule code of
docs/rules.md has one ``check_*`` function here; :func:`validate_plan` runs them all and
returns a :class:`ValidationReport`.

Hours are compared exactly. A profile has 2 decimals and is scaled by ``days / 5``, so every
exact week value is a whole number of *units* of 1/500 hour; the plan's rounded numbers are
read from their decimal text (``Fraction("30.4")``) and must lie within 0.01 h of the exact
value. The work is O(assignments) with dict lookups, so that plans of thousands of pupils
validate in about a second.
"""

from __future__ import annotations

import datetime as dt
import gc
import math
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field

from scheduler.errors import PlanError
from scheduler.i18n import current_language, format_date, tr
from scheduler.model import (
    OAO_THRESHOLD_HOURS,
    Centre,
    Company,
    DailySchedule,
    Hours,
    Module,
    Phase,
    ProgrammeYear,
    Pupil,
    Scenario,
    School,
    expand_weeks,
)
from scheduler.plan import Assignment, Plan, PupilSummary, Violation, check_plan_matches

UNITS_PER_HOUR = 500
"""Exact hours are counted in 1/500 h: 2-decimal profiles times ``days / 5`` are whole units."""

TOLERANCE = 5
"""0.01 h in units: how far the plan's rounded numbers may lie from the exact ones."""

MAX_WEEK_HOURS = 40
MAX_DAY_HOURS = 8
EARLIEST, LATEST = dt.time(6, 0), dt.time(20, 0)

MODULE_PHASES = ("theory", "simulated", "company")
WORKPLACE_PHASES = ("company", "experience")

Amount = int | Fraction
Units = tuple[Amount, Amount, Amount]
"""Hours of a week (school, centre, workplace) in units of 1/500 h."""

Check = Callable[["PlanContext"], Iterable[Violation]]


# --- the report ---------------------------------------------------------------------------


class ValidationReport(BaseModel):
    """The verdict on a plan: valid, or every rule violation found (in docs/rules.md order).

    JSON: ``{"valid": false, "violations": [{"rule", "message", "pupil", "week", "party"}]}``.
    """

    model_config = ConfigDict(frozen=True)

    valid: bool
    violations: list[Violation] = Field(default_factory=list)

    def by_rule(self) -> dict[str, list[Violation]]:
        """Violations grouped by rule code, in the order the rules are checked."""
        out: dict[str, list[Violation]] = {}
        for v in self.violations:
            out.setdefault(v.rule, []).append(v)
        return out

    @property
    def rules(self) -> list[str]:
        """The codes of the rules the plan breaks."""
        return list(self.by_rule())

    def summary(self) -> str:
        """A one-line verdict for the planner, e.g. ``Plan breekt 2 regels (...)``."""
        if self.valid:
            return tr(
                nl="Plan is geldig: alle regels gerespecteerd",
                en="Plan is valid: every rule respected",
            )
        groups = self.by_rule()
        counts = ", ".join(f"{rule} {len(items)}" for rule, items in groups.items())
        n, total = len(groups), len(self.violations)
        return tr(
            nl=f"Plan breekt {n} {'regel' if n == 1 else 'regels'} "
            f"({total} {'overtreding' if total == 1 else 'overtredingen'}: {counts})",
            en=f"Plan breaks {n} {'rule' if n == 1 else 'rules'} "
            f"({total} {'violation' if total == 1 else 'violations'}: {counts})",
        )

    def to_json(self) -> str:
        """The report as JSON text."""
        return self.model_dump_json(indent=1) + "\n"


# --- what the validator knows about a plan ------------------------------------------------


@dataclass(slots=True)
class Run:
    """A phase block: a pupil's consecutive weeks (on the teaching-week index) with the same
    phase and module.

    Unlike a block of docs/rules.md, a run is not cut where the company changes: a company
    phase split over two companies is one defect (``place``), not also two blocks.
    """

    phase: str
    module: str | None
    first: int
    weeks: list[Assignment]

    @property
    def last(self) -> int:
        """Teaching-week index of the last week."""
        return self.first + len(self.weeks) - 1

    @property
    def start(self) -> dt.date:
        """Monday of the first week."""
        return self.weeks[0].week

    @property
    def end(self) -> dt.date:
        """Monday of the last week."""
        return self.weeks[-1].week


@dataclass(slots=True)
class PupilPlan:
    """One pupil's part of the plan, prepared for the checks."""

    pupil: Pupil
    school: School
    year: ProgrammeYear
    home: Company
    days: dict[dt.date, int]
    """School days per enrolled week."""
    by_week: dict[dt.date, list[Assignment]] = field(default_factory=dict)
    """Every assignment of the pupil, by week (duplicates and stray weeks included)."""
    weeks: list[Assignment] = field(default_factory=list)
    """The assignment of each enrolled week that has one (the first of duplicates), in order."""
    runs: list[Run] = field(default_factory=list)
    expected: dict[dt.date, Units | None] = field(default_factory=dict)
    """Exact hours of each week in ``weeks``; ``None`` when its phase is unknown."""
    average: Fraction | None = None
    """The exact annual average of real-workplace hours a week (see :func:`workplace_average`);
    ``None`` without school days."""

    def true_units(self, a: Assignment) -> Units:
        """The exact hours of a week, or the plan's own numbers when they cannot be derived."""
        exact = self.expected.get(a.week)
        if exact is not None:
            return exact
        h = a.hours
        return (_plan_units(h.school), _plan_units(h.centre), _plan_units(h.workplace))


@dataclass(slots=True)
class PlanContext:
    """The scenario and the plan, indexed once so that every check runs in O(assignments)."""

    scenario: Scenario
    plan: Plan
    index: dict[dt.date, int]
    """Teaching-week index of each Monday with school days in the Flemish calendar."""
    holiday: dict[dt.date, str]
    pupils: dict[str, PupilPlan] = field(default_factory=dict)
    """Every pupil of the scenario, in scenario order."""
    unknown: dict[str, list[Assignment]] = field(default_factory=dict)
    """Assignments of pupils the scenario does not know."""
    company_weeks: dict[tuple[str, dt.date], list[str]] = field(default_factory=dict)
    """Pupils per (company, week) in company and experience weeks."""
    mentor_weeks: dict[tuple[str, dt.date], list[str]] = field(default_factory=dict)
    """Pupils per (mentor, week) in company and experience weeks."""
    centre_weeks: dict[tuple[str, dt.date], list[str]] = field(default_factory=dict)
    """Pupils per (centre, week) in simulated weeks."""
    _overrides: dict[tuple[str, str], dict[dt.date, int]] = field(default_factory=dict)
    _candidates: dict[tuple[str, str | None], frozenset[str]] = field(default_factory=dict)
    _phases: dict[tuple[str | None, str], tuple[Module, Phase] | None] = field(default_factory=dict)

    @classmethod
    def build(cls, scenario: Scenario, plan: Plan) -> PlanContext:
        """Index the plan against the scenario."""
        cal = scenario.school_calendar
        teaching = [w.monday for w in cal.weeks if w.school_days]
        ctx = cls(
            scenario=scenario,
            plan=plan,
            index={monday: i for i, monday in enumerate(teaching)},
            holiday={w.monday: w.holiday for w in cal.weeks if w.holiday},
        )
        # pupils of one school with the same start and leave share their school days
        days: dict[tuple[str, dt.date | None, dt.date | None], dict[dt.date, int]] = {}
        for p in scenario.pupils:
            school = scenario.school_of(p)
            key = (school.id, p.start, p.leave)
            if key not in days:
                days[key] = scenario.pupil_days(p)
            ctx.pupils[p.id] = PupilPlan(
                pupil=p,
                school=school,
                year=scenario.programme_year_of(p)[1],
                home=scenario.company_by_id[p.company],
                days=days[key],
            )
        for a in plan.assignments:
            pp = ctx.pupils.get(a.pupil)
            if pp is None:
                ctx.unknown.setdefault(a.pupil, []).append(a)
            else:
                pp.by_week.setdefault(a.week, []).append(a)
        for pp in ctx.pupils.values():
            ctx._prepare(pp)
        return ctx

    def _prepare(self, pp: PupilPlan) -> None:
        """Order a pupil's enrolled weeks, cut them into runs, derive hours, count places."""
        index, pid = self.index, pp.pupil.id
        ordinary = self.scenario.ordinary_hours_of(pp.pupil)
        companies, centres = self.scenario.company_by_id, self.scenario.centre_by_id
        mentors = self.scenario.mentor_by_id
        run: Run | None = None
        workplace: Amount = 0
        for monday in sorted(pp.by_week):
            days = pp.days.get(monday)
            if days is None:
                continue  # not an enrolled week: only coverage speaks of it
            a = pp.by_week[monday][0]
            pp.weeks.append(a)
            i = index[monday]
            if run and run.phase == a.phase and run.module == a.module and i == run.last + 1:
                run.weeks.append(a)
            else:
                run = Run(a.phase, a.module, i, [a])
                pp.runs.append(run)
            exact = pp.expected[monday] = self._expected_units(pp, a, days, ordinary)
            workplace += exact[2] if exact is not None else _plan_units(a.hours.workplace)
            place = a.place
            if a.phase in WORKPLACE_PHASES and place.kind == "company" and place.id in companies:
                self.company_weeks.setdefault((place.id, monday), []).append(pid)
                if a.mentor in mentors:
                    self.mentor_weeks.setdefault((a.mentor, monday), []).append(pid)
            elif a.phase == "simulated" and place.kind == "centre" and place.id in centres:
                self.centre_weeks.setdefault((place.id, monday), []).append(pid)
        school_days = sum(pp.days.values())
        if school_days:  # units / 500 hours over school_days / 5 weeks
            pp.average = Fraction(workplace) * 5 / (UNITS_PER_HOUR * school_days)

    def _expected_units(
        self, pp: PupilPlan, a: Assignment, days: int, ordinary: Hours
    ) -> Units | None:
        """The exact hours the ``hours`` rule gives this week, or ``None`` if unknown."""
        if a.absent:
            return (0, 0, 0)
        if a.phase == "school":
            return _scaled(ordinary, days, moved=not pp.home.is_open(a.week))
        if a.phase == "experience":
            return _scaled(pp.year.experience.hours, days)
        found = self.phase(a.module, a.phase)
        return None if found is None else _scaled(found[1].hours, days)

    def phase(self, module_id: str | None, kind: str) -> tuple[Module, Phase] | None:
        """:func:`phase_of`, remembered (it is asked for every week)."""
        key = (module_id, kind)
        if key not in self._phases:
            self._phases[key] = phase_of(self.scenario, module_id, kind)
        return self._phases[key]

    def capacity(self, party: Company | Centre, monday: dt.date) -> int:
        """Places of a company (seats of a centre) in a week: the last matching override, else
        the default. Closures aside: they are ``company_closed``'s and ``centre_closed``'s."""
        if isinstance(party, Company):
            key, specs, default = ("company", party.id), party.capacity_overrides, party.capacity
        else:
            key, specs, default = ("centre", party.id), party.seat_overrides, party.seats
        weeks = self._overrides.get(key)
        if weeks is None:
            weeks = {}
            for o in specs:  # a later override wins
                weeks.update(dict.fromkeys(expand_weeks(o.weeks), o.capacity))
            self._overrides[key] = weeks
        return weeks.get(monday, default)

    def candidates(self, home: str, module_id: str | None) -> frozenset[str]:
        """Companies where a pupil of home company ``home`` may do the company phase of
        ``module_id`` (``None``: the experience period): the home company and its partners
        that allow the module, else every company that allows it (docs/rules.md)."""
        key = (home, module_id)
        found = self._candidates.get(key)
        if found is None:
            companies = self.scenario.company_by_id
            near = (home, *companies[home].partners)
            if module_id is None:
                found = frozenset(near)
            else:
                found = frozenset(c for c in near if companies[c].allows(module_id))
                if not found:
                    everyone = self.scenario.companies
                    found = frozenset(c.id for c in everyone if c.allows(module_id))
            self._candidates[key] = found
        return found

    def runs(self, *phases: str) -> Iterator[tuple[PupilPlan, Run]]:
        """Every run of these phases (all runs when none are given), pupil by pupil."""
        for pp in self.pupils.values():
            for run in pp.runs:
                if not phases or run.phase in phases:
                    yield pp, run

    def module_runs(self) -> Iterator[tuple[PupilPlan, Run, Module, Phase]]:
        """Every run of a module phase the scenario defines, with that module and phase."""
        for pp, run in self.runs(*MODULE_PHASES):
            found = self.phase(run.module, run.phase)
            if found is not None:
                yield pp, run, found[0], found[1]


def phase_of(scenario: Scenario, module_id: str | None, kind: str) -> tuple[Module, Phase] | None:
    """The module and its phase of this kind, if the scenario has both."""
    if module_id is None or kind not in MODULE_PHASES:
        return None
    ref = scenario.module_by_id.get(module_id)
    phase = next((f for f in ref.module.phases if f.kind == kind), None) if ref else None
    return None if ref is None or phase is None else (ref.module, phase)


# --- exact hours ----------------------------------------------------------------------------


def _whole(value: Fraction) -> Amount:
    return value.numerator if value.denominator == 1 else value


@lru_cache(maxsize=4096)
def _plan_units(hours: float) -> Fraction:
    """A plan number in units, exactly as its decimal text says (``30.4`` is 30.4).

    Raises :class:`PlanError` for ``NaN`` or infinity (JSON readers accept them): such a file
    is no plan at all."""
    if not math.isfinite(hours):
        raise PlanError(
            tr(
                nl=f"het plan bevat een aantal uren dat geen getal is ({hours})",
                en=f"the plan holds a number of hours that is not a number ({hours})",
            )
        )
    return Fraction(str(hours)) * UNITS_PER_HOUR


@lru_cache(maxsize=4096)
def _scaled_cached(school: float, centre: float, work: float, days: int, moved: bool) -> Units:
    s, c, w = (Fraction(str(x)) * UNITS_PER_HOUR * days / 5 for x in (school, centre, work))
    if moved:
        s, w = s + w, Fraction(0)
    return (_whole(s), _whole(c), _whole(w))


def _scaled(profile: Hours, days: int, moved: bool = False) -> Units:
    """A full-week profile scaled to ``days`` school days; ``moved``: the workplace hours go
    to school (the home company is closed or gone that week)."""
    return _scaled_cached(profile.school, profile.centre, profile.workplace, days, moved)


@lru_cache(maxsize=8192)
def _close(plan_value: float, exact: Amount) -> bool:
    return abs(_plan_units(plan_value) - exact) <= TOLERANCE


@lru_cache(maxsize=8192)
def _all_close(given: tuple[float, float, float], exact: Units) -> bool:
    """Whether a week's three numbers all lie within the tolerance (one lookup a week)."""
    return all(_close(g, e) for g, e in zip(given, exact, strict=True))


def _hours_text(units: Amount) -> str:
    """Hours as a planner writes them: ``22,8`` (nl) / ``22.8`` (en), at most 2 decimals."""
    return _hours_text_in(units, current_language())


@lru_cache(maxsize=4096)
def _hours_text_in(units: Amount, lang: str) -> str:  # lang: only a key of the cache
    cents = int(Fraction(units) * 100 / UNITS_PER_HOUR + Fraction(1, 2))  # half up, as the plan
    text = f"{cents // 100}.{cents % 100:02d}".rstrip("0").rstrip(".")
    return tr(nl=text.replace(".", ","), en=text)


# --- words ---------------------------------------------------------------------------------


def _v(
    rule: str,
    nl: str,
    en: str,
    pupil: str | None = None,
    week: dt.date | None = None,
    party: str | None = None,
) -> Violation:
    return Violation(rule=rule, message=tr(nl=nl, en=en), pupil=pupil, week=week, party=party)


def _pupil(p: Pupil) -> str:
    return f"{p.id} ({p.display_name})"


def _week(monday: dt.date) -> str:
    return _week_in(monday, current_language())


@lru_cache(maxsize=1024)
def _week_in(monday: dt.date, lang: str) -> str:  # lang: only a key of the cache
    return tr(nl=f"week van {format_date(monday)}", en=f"week of {format_date(monday)}")


def _span(first: dt.date, last: dt.date) -> str:
    if first == last:
        return _week(first)
    return tr(
        nl=f"weken van {format_date(first)} t/m {format_date(last)}",
        en=f"weeks of {format_date(first)} to {format_date(last)}",
    )


def _run_span(run: Run) -> str:
    return _span(run.start, run.end)


def _weeks_text(mondays: Iterable[dt.date], index: dict[dt.date, int]) -> str:
    """A set of weeks: one span when consecutive on the teaching-week index, else a list."""
    days = sorted(mondays)
    idx = [index.get(d, -2) for d in days]
    if idx == list(range(idx[0], idx[0] + len(idx))):
        return _span(days[0], days[-1])
    return tr(nl="weken van ", en="weeks of ") + ", ".join(format_date(d) for d in days)


_PHASE = {
    "theory": ("theorie", "theory"),
    "simulated": ("gesimuleerde werkplek", "simulated workplace"),
    "company": ("praktijkfase", "company phase"),
    "experience": ("ervaringsperiode", "experience period"),
    "school": ("gewone week", "ordinary week"),
}


def _phase(kind: str) -> str:
    nl, en = _PHASE.get(kind, (kind, kind))
    return tr(nl=nl, en=en)


def _module_name(scenario: Scenario, module_id: str | None) -> str:
    ref = scenario.module_by_id.get(module_id or "")
    return ref.module.name if ref else f"'{module_id}'"


def _what(scenario: Scenario, phase: str, module_id: str | None = None) -> str:
    """``de praktijkfase van Veiligheid`` / ``the company phase of Safety``."""
    if phase in MODULE_PHASES and module_id is not None:
        name = _module_name(scenario, module_id)
        return tr(nl=f"de {_phase(phase)} van {name}", en=f"the {_phase(phase)} of {name}")
    return tr(nl=f"de {_phase(phase)}", en=f"the {_phase(phase)}")


def _run_what(scenario: Scenario, run: Run) -> str:
    """``de praktijkfase van Veiligheid (weken van ... t/m ...)``."""
    return f"{_what(scenario, run.phase, run.module)} ({_run_span(run)})"


def _ids(pupils: Iterable[str]) -> str:
    return ", ".join(pupils)


def _contract(kind: str) -> str:
    return "OAO" if kind == "oao" else tr(nl="stage-overeenkomst", en="internship agreement")


def _n_weeks(n: int) -> str:
    return tr(nl=f"{n} {'week' if n == 1 else 'weken'}", en=f"{n} week{'s' if n != 1 else ''}")


def _n_pupils(n: int) -> str:
    return tr(nl=f"{n} leerling{'en' if n != 1 else ''}", en=f"{n} pupil{'s' if n != 1 else ''}")


_PLACE = {
    "company": ("bedrijf", "onbekend bedrijf", "company"),
    "centre": ("centrum", "onbekend centrum", "centre"),
    "school": ("school", "onbekende school", "school"),
}


def _place_text(scenario: Scenario, kind: str, place_id: str) -> str:
    parties = {
        "company": scenario.company_by_id,
        "centre": scenario.centre_by_id,
        "school": scenario.school_by_id,
    }
    party = parties[kind].get(place_id)
    nl, unknown_nl, en = _PLACE[kind]
    if party is None:
        return tr(nl=f"{unknown_nl} '{place_id}'", en=f"unknown {en} '{place_id}'")
    return tr(nl=f"{nl} {party.name}", en=f"{en} {party.name}")


def _by_week(counts: dict[tuple[str, dt.date], list[str]]) -> list[tuple[str, dt.date, list[str]]]:
    """(party, week, pupils) in week order, then party."""
    return sorted(((k[0], k[1], v) for k, v in counts.items()), key=lambda t: (t[1], t[0]))


def _over_limit(
    counts: dict[tuple[str, dt.date], list[str]], limit: Callable[[str, dt.date], int]
) -> Iterator[tuple[str, dt.date, list[str], int, str]]:
    """(party, week, pupils, limit, week words) wherever more pupils than ``limit`` allows."""
    for party_id, monday, pids in _by_week(counts):
        most = limit(party_id, monday)
        if len(pids) > most:
            yield party_id, monday, pids, most, _week(monday)


# --- coverage and the calendar ------------------------------------------------------------


def _outside_reason(ctx: PlanContext, pp: PupilPlan, monday: dt.date) -> str:
    """Why a week has no place in a pupil's plan, in the planner's words."""
    if monday.weekday() != 0:
        return tr(nl="die datum is geen maandag", en="that date is not a Monday")
    if monday in ctx.holiday:
        return tr(nl=f"dat is de {ctx.holiday[monday]}", en=f"that is the {ctx.holiday[monday]}")
    if monday not in ctx.scenario.school_calendar.week_mondays():
        return tr(nl="die week valt buiten het schooljaar", en="that week is outside the year")
    start, leave = pp.pupil.start, pp.pupil.leave
    if start is not None and monday + dt.timedelta(days=4) < start:
        day = format_date(start)
        return tr(nl=f"de leerling begint pas op {day}", en=f"the pupil starts on {day}")
    if leave is not None and monday > leave:
        day = format_date(leave)
        return tr(nl=f"de leerling vertrekt op {day}", en=f"the pupil leaves on {day}")
    return tr(nl="die week heeft geen schooldagen", en="that week has no school days")


def check_coverage(ctx: PlanContext) -> Iterator[Violation]:
    """``coverage``: exactly one assignment per pupil per enrolled week; none in other weeks,
    none for unknown pupils, no duplicates. One violation per pupil-week (per unknown pupil)."""
    for pp in ctx.pupils.values():
        p, who = pp.pupil, _pupil(pp.pupil)
        for monday in sorted(pp.days.keys() | pp.by_week.keys()):
            n = len(pp.by_week.get(monday, ()))
            if monday in pp.days and n == 1:
                continue
            week = _week(monday)
            if monday not in pp.days:
                why = _outside_reason(ctx, pp, monday)
                yield _v(
                    "coverage",
                    f"{who} is ingepland in {week}, maar {why}",
                    f"{who} is planned in the {week}, but {why}",
                    p.id,
                    monday,
                )
            elif n == 0:
                days = pp.days[monday]
                yield _v(
                    "coverage",
                    f"{who} heeft niets gepland in {week} ({days} schooldagen)",
                    f"{who} has nothing planned in the {week} ({days} school days)",
                    p.id,
                    monday,
                )
            else:
                yield _v(
                    "coverage",
                    f"{who} staat {n} keer gepland in {week}",
                    f"{who} is planned {n} times in the {week}",
                    p.id,
                    monday,
                )
    for pid, items in ctx.unknown.items():
        yield _v(
            "coverage",
            f"Het plan heeft {_n_weeks(len(items))} voor leerling '{pid}', die niet in het "
            "scenario staat",
            f"The plan has {_n_weeks(len(items))} for pupil '{pid}', who is not in the scenario",
            pid,
            min(a.week for a in items),
        )


def check_absence(ctx: PlanContext) -> Iterator[Violation]:
    """``absence``: an unavailable week is an absent ordinary (school) week without mentor; no
    other week is marked absent. Its hours (0) are the ``hours`` rule's. One violation per
    pupil-week."""
    for pp in ctx.pupils.values():
        p, who = pp.pupil, _pupil(pp.pupil)
        unavailable = p.unavailable_weeks
        for a in pp.weeks:
            if a.week in unavailable:
                wrong = []
                if not a.absent:
                    wrong.append(tr(nl="niet als afwezig gemarkeerd", en="not marked absent"))
                if a.phase != "school":
                    what = _what(ctx.scenario, a.phase, a.module)
                    wrong.append(tr(nl=f"ingepland in {what}", en=f"planned in {what}"))
                if a.mentor is not None:
                    name = _mentor_name(ctx, a.mentor)
                    wrong.append(tr(nl=f"met mentor {name}", en=f"with mentor {name}"))
                if wrong:
                    week = _week(a.week)
                    yield _v(
                        "absence",
                        f"{who} is afwezig in {week}, maar staat " + ", ".join(wrong),
                        f"{who} is away in the {week}, but is " + ", ".join(wrong),
                        p.id,
                        a.week,
                    )
            elif a.absent:
                week = _week(a.week)
                yield _v(
                    "absence",
                    f"{who} staat afwezig in {week}, maar is die week niet onbeschikbaar",
                    f"{who} is marked absent in the {week}, but is not unavailable that week",
                    p.id,
                    a.week,
                )


def check_hours(ctx: PlanContext) -> Iterator[Violation]:
    """``hours``: each week's school, centre and workplace hours equal its phase's profile
    times ``days / 5`` within 0.01 h (ordinary weeks: the programme year's ordinary week, its
    workplace hours at school when the home company is closed or gone; absent weeks: 0).
    One violation per pupil-week."""
    names = (("school", "school"), ("centrum", "centre"), ("werkplek", "workplace"))
    for pp in ctx.pupils.values():
        who = _pupil(pp.pupil)
        for a in pp.weeks:
            exact = pp.expected[a.week]
            if exact is None:
                continue  # the phase is unknown: module_order says so
            given = (a.hours.school, a.hours.centre, a.hours.workplace)
            if _all_close(given, exact):
                continue
            wrong = [
                (n, g, e) for n, g, e in zip(names, given, exact, strict=True) if not _close(g, e)
            ]
            nl = "; ".join(
                f"{n[0]} {_hours_text(_plan_units(g))} u in plaats van {_hours_text(e)} u"
                for n, g, e in wrong
            )
            en = "; ".join(
                f"{n[1]} {_hours_text(_plan_units(g))} h instead of {_hours_text(e)} h"
                for n, g, e in wrong
            )
            what, days, week = (
                _what(ctx.scenario, a.phase, a.module),
                pp.days[a.week],
                _week(a.week),
            )
            absent = tr(nl=", afwezig", en=", absent") if a.absent else ""
            yield _v(
                "hours",
                f"{who} heeft in {week} ({what}{absent}, {days} schooldagen) {nl}",
                f"{who} has in the {week} ({what}{absent}, {days} school days) {en}",
                pp.pupil.id,
                a.week,
            )


# --- order and lengths ----------------------------------------------------------------------


def check_module_order(ctx: PlanContext) -> Iterator[Violation]:
    """``module_order``: a pupil's phase blocks follow the year's module order and, within a
    module, theory -> simulated -> company; each phase of each module the pupil follows is
    exactly one block; no other module (mastered, unknown, another year's), no phase the module
    lacks; ordinary and experience weeks carry no module. One violation per problem."""
    scenario = ctx.scenario
    for pp in ctx.pupils.values():
        p, who = pp.pupil, _pupil(pp.pupil)
        modules = {m.id: m for m in pp.year.modules}
        expected = [
            (m.id, f.kind) for m in pp.year.modules if m.id not in p.mastered for f in m.phases
        ]
        rank = {key: i for i, key in enumerate(expected)}
        seen: dict[tuple[str, str], list[Run]] = {}

        def bad(run: Run | None, nl: str, en: str, who: str = who, p: Pupil = p) -> Violation:
            week = run.start if run else None
            return _v("module_order", f"{who}: {nl}", f"{who}: {en}", p.id, week)

        for run in pp.runs:
            if run.phase not in MODULE_PHASES and run.module is None:
                continue  # an ordinary week or the experience period, as it should be
            followed = run.module in modules and run.module not in p.mastered
            if followed and ctx.phase(run.module, run.phase) is not None:
                seen.setdefault((run.module or "", run.phase), []).append(run)
                continue
            what = _run_what(scenario, run)
            if run.phase not in MODULE_PHASES:
                yield bad(
                    run,
                    f"{what} hoort bij geen module, maar het plan noemt '{run.module}'",
                    f"{what} belongs to no module, but the plan names '{run.module}'",
                )
            elif run.module is None:
                yield bad(run, f"{what} zonder module", f"{what} without a module")
            elif run.module not in modules:
                year = pp.year.year
                yield bad(
                    run,
                    f"{what}: die module hoort niet bij jaar {year} van de leerling",
                    f"{what}: that module is not in the pupil's year {year}",
                )
            elif run.module in p.mastered:
                yield bad(
                    run,
                    f"{what}, maar de leerling beheerst die module al",
                    f"{what}, but the pupil already masters that module",
                )
            else:  # the module lacks this phase
                name, phase = modules[run.module].name, _phase(run.phase)
                yield bad(
                    run,
                    f"{what}, maar module {name} heeft geen {phase}",
                    f"{what}, but module {name} has no {phase}",
                )
        for module_id, kind in expected:
            runs = seen.get((module_id, kind), [])
            if len(runs) == 1:
                continue
            what = _what(scenario, kind, module_id)
            if not runs:
                yield bad(None, f"{what} ontbreekt", f"{what} is missing")
            else:
                spans = ", ".join(_run_span(r) for r in runs)
                yield bad(
                    runs[1],
                    f"{what} is in {len(runs)} blokken gesplitst ({spans}) in plaats van één",
                    f"{what} is split into {len(runs)} blocks ({spans}) instead of one",
                )
        # Order: each block's first appearance against the highest-ranked block before it.
        top: tuple[str, str] | None = None
        for _, key in sorted((runs[0].first, key) for key, runs in seen.items()):
            if top is None or rank[key] > rank[top]:
                top = key
                continue
            this, before = _run_what(scenario, seen[key][0]), _run_what(scenario, seen[top][0])
            yield bad(
                seen[key][0],
                f"{this} komt na {before}, maar hoort ervoor",
                f"{this} comes after {before}, but belongs before it",
            )


def check_phase_length(ctx: PlanContext) -> Iterator[Violation]:
    """``phase_length``: every phase block lasts between the phase's ``weeks.min`` and
    ``weeks.max`` teaching weeks. One violation per block."""
    for pp, run, _module, phase in ctx.module_runs():
        n, lo, hi = len(run.weeks), phase.weeks.min, phase.weeks.max
        if lo <= n <= hi:
            continue
        who, what = _pupil(pp.pupil), _run_what(ctx.scenario, run)
        nl_allowed, en_allowed = (
            (str(lo), str(lo)) if lo == hi else (f"{lo} tot {hi}", f"{lo} to {hi}")
        )
        yield _v(
            "phase_length",
            f"{who}: {what} duurt {n} {'week' if n == 1 else 'weken'}, maar moet {nl_allowed} "
            "weken duren",
            f"{who}: {what} lasts {n} {'week' if n == 1 else 'weeks'}, but must last "
            f"{en_allowed} weeks",
            pp.pupil.id,
            run.start,
        )


def check_experience(ctx: PlanContext) -> Iterator[Violation]:
    """``experience``: exactly one experience block per pupil, of exactly ``experience.weeks``
    consecutive teaching weeks, after the pupil's last module phase. One violation per
    problem."""
    for pp in ctx.pupils.values():
        p, who, need = pp.pupil, _pupil(pp.pupil), pp.year.experience.weeks
        runs = [r for r in pp.runs if r.phase == "experience"]
        if not runs:
            yield _v(
                "experience",
                f"{who} heeft geen ervaringsperiode ({need} weken nodig)",
                f"{who} has no experience period ({need} weeks needed)",
                p.id,
            )
            continue
        n, first = sum(len(r.weeks) for r in runs), runs[0]
        if len(runs) > 1:
            spans = ", ".join(_run_span(r) for r in runs)
            yield _v(
                "experience",
                f"{who}: de ervaringsperiode is in {len(runs)} stukken gesplitst ({spans}); ze "
                f"moet {need} aaneengesloten lesweken duren",
                f"{who}: the experience period is split into {len(runs)} parts ({spans}); it "
                f"must be {need} consecutive teaching weeks",
                p.id,
                first.start,
            )
        elif n != need:
            span = _run_span(first)
            yield _v(
                "experience",
                f"{who}: de ervaringsperiode duurt {n} {'week' if n == 1 else 'weken'} ({span}) "
                f"in plaats van {need}",
                f"{who}: the experience period lasts {n} {'week' if n == 1 else 'weeks'} "
                f"({span}) instead of {need}",
                p.id,
                first.start,
            )
        phases = [r for r in pp.runs if r.phase in MODULE_PHASES]
        last = max(phases, key=lambda r: r.last, default=None)
        if last is not None and first.first < last.last:
            week, what = _week(first.start), _run_what(ctx.scenario, last)
            yield _v(
                "experience",
                f"{who}: de ervaringsperiode begint in {week}, vóór het einde van {what}; ze "
                "hoort na de laatste module",
                f"{who}: the experience period starts in the {week}, before the end of {what}; "
                "it belongs after the last module",
                p.id,
                first.start,
            )


def check_class_theory(ctx: PlanContext) -> Iterator[Violation]:
    """``class_theory``: the pupils of a class who follow a module have its theory in the same
    weeks. The weeks most of the class has are the reference (on a tie, the first pupil's);
    each pupil who deviates gets one violation. A pupil without the theory at all is
    ``module_order``'s."""
    scenario = ctx.scenario
    classes: dict[str, list[PupilPlan]] = {}
    for pp in ctx.pupils.values():
        classes.setdefault(pp.pupil.class_id, []).append(pp)
    for class_id, members in classes.items():
        theory: dict[tuple[str, str], set[dt.date]] = {}
        for pp in members:
            for a in pp.weeks:
                if a.phase == "theory" and a.module is not None:
                    theory.setdefault((pp.pupil.id, a.module), set()).add(a.week)
        klass = scenario.class_by_id[class_id]
        label = klass.name or klass.id
        for module in members[0].year.modules:
            weeks = {
                pp.pupil.id: frozenset(theory[(pp.pupil.id, module.id)])
                for pp in members
                if module.id not in pp.pupil.mastered and (pp.pupil.id, module.id) in theory
            }
            groups = list(dict.fromkeys(weeks.values()))  # first pupil's group first
            if len(groups) <= 1:
                continue
            counts = Counter(weeks.values())
            reference = max(groups, key=lambda g: counts[g])  # max keeps the first on a tie
            together = _ids(pid for pid, w in weeks.items() if w == reference)
            ref_text = _weeks_text(reference, ctx.index)
            for pid, w in weeks.items():
                if w == reference:
                    continue
                who, own = _pupil(scenario.pupil_by_id[pid]), _weeks_text(w, ctx.index)
                yield _v(
                    "class_theory",
                    f"{who} krijgt de theorie van {module.name} in {own}, de rest van klas "
                    f"{label} ({together}) in {ref_text}",
                    f"{who} has the theory of {module.name} in the {own}, the rest of class "
                    f"{label} ({together}) in the {ref_text}",
                    pid,
                    min(w),
                    f"class:{class_id}",
                )


# --- places ---------------------------------------------------------------------------------


def _kind_for(phase: str) -> str:
    """The kind of place a phase happens at."""
    return {"simulated": "centre", "company": "company", "experience": "company"}.get(
        phase, "school"
    )


def _place_ok(ctx: PlanContext, pp: PupilPlan, a: Assignment) -> bool:
    """Whether the week is at the right kind of place, that place exists and, for school
    weeks, it is the pupil's own school."""
    kind, place = _kind_for(a.phase), a.place
    if place.kind != kind:
        return False
    if kind == "school":
        return place.id == pp.school.id
    known = ctx.scenario.centre_by_id if kind == "centre" else ctx.scenario.company_by_id
    return place.id in known


def check_place(ctx: PlanContext) -> Iterator[Violation]:
    """``place``: theory and ordinary weeks at the pupil's school, simulated weeks at a centre,
    company and experience weeks at a company; one place and one mentor per phase block.
    One violation per block and problem."""
    scenario = ctx.scenario
    for pp, run in ctx.runs():
        p = pp.pupil
        places = list(dict.fromkeys((a.place.kind, a.place.id) for a in run.weeks))
        # one place for the run (the usual case): checking its first week checks them all
        weeks = run.weeks[:1] if len(places) == 1 else run.weeks
        wrong = next((a for a in weeks if not _place_ok(ctx, pp, a)), None)
        if wrong is not None:
            who = _pupil(p)
            should = {
                "school": tr(
                    nl=f"op school ({pp.school.name})", en=f"at school ({pp.school.name})"
                ),
                "centre": tr(nl="in een opleidingscentrum", en="at a training centre"),
                "company": tr(nl="in een bedrijf", en="at a company"),
            }[_kind_for(run.phase)]
            here, week = _place_text(scenario, wrong.place.kind, wrong.place.id), _week(wrong.week)
            yield _v(
                "place",
                f"{who} is in {week} ({_what(scenario, run.phase, run.module)}) bij {here}, "
                f"maar hoort {should}",
                f"{who} is at {here} in the {week} ({_what(scenario, run.phase, run.module)}), "
                f"but belongs {should}",
                p.id,
                wrong.week,
                f"{wrong.place.kind}:{wrong.place.id}",
            )
            continue
        if len(places) > 1:
            who, what = _pupil(p), _run_what(scenario, run)
            names = ", ".join(_place_text(scenario, kind, pid) for kind, pid in places)
            yield _v(
                "place",
                f"{who} wisselt van plaats binnen {what}: {names}; een fase gebeurt op één plaats",
                f"{who} changes place within {what}: {names}; a phase happens at one place",
                p.id,
                run.start,
            )
        elif run.phase in WORKPLACE_PHASES:
            company = scenario.company_by_id[places[0][1]]
            # other companies' (or unknown) mentors are the mentor rule's, not a change here
            mentors = {a.mentor for a in run.weeks if a.mentor}
            if len(mentors) > 1 and len(own := [m for m in company.mentors if m.id in mentors]) > 1:
                who, what = _pupil(p), _run_what(scenario, run)
                names = ", ".join(m.name for m in own)
                yield _v(
                    "place",
                    f"{who} wisselt van mentor binnen {what}: {names}",
                    f"{who} changes mentor within {what}: {names}",
                    p.id,
                    run.start,
                    f"company:{company.id}",
                )


def check_infrastructure(ctx: PlanContext) -> Iterator[Violation]:
    """``infrastructure``: a company phase is at a candidate company of its module (the home
    company or a partner whose infrastructure allows it, else any company that allows it); an
    experience period at the home company or a partner. One violation per block."""
    scenario = ctx.scenario
    for pp, run in ctx.runs(*WORKPLACE_PHASES):
        module = run.module if run.phase == "company" else None
        if run.phase == "company" and ctx.phase(module, "company") is None:
            continue  # unknown module or phase: module_order's
        allowed = ctx.candidates(pp.home.id, module)
        for place_id in dict.fromkeys(a.place.id for a in run.weeks if a.place.kind == "company"):
            company = scenario.company_by_id.get(place_id)
            if company is None or place_id in allowed:
                continue
            home = pp.home.name
            if module is None:
                nl = f"de ervaringsperiode hoort bij thuisbedrijf {home} of een partner"
                en = f"the experience period belongs at home company {home} or a partner"
            elif not company.allows(module):
                name = _module_name(scenario, module)
                nl = f"de infrastructuur laat module {name} niet toe"
                en = f"its infrastructure does not allow module {name}"
            else:
                nl = f"het is geen partner van thuisbedrijf {home}"
                en = f"it is no partner of home company {home}"
            who, what = _pupil(pp.pupil), _run_what(scenario, run)
            yield _v(
                "infrastructure",
                f"{who} doet {what} bij {company.name}, maar {nl}",
                f"{who} does {what} at {company.name}, but {en}",
                pp.pupil.id,
                run.start,
                f"company:{place_id}",
            )


def check_centre_module(ctx: PlanContext) -> Iterator[Violation]:
    """``centre_module``: a simulated phase is at a centre that offers the module and serves
    the pupil's school. One violation per block."""
    scenario = ctx.scenario
    for pp, run in ctx.runs("simulated"):
        for place_id in dict.fromkeys(a.place.id for a in run.weeks if a.place.kind == "centre"):
            centre = scenario.centre_by_id.get(place_id)
            if centre is None or run.module is None:
                continue
            nl, en = [], []
            if run.module not in centre.modules:
                name = _module_name(scenario, run.module)
                nl.append(f"biedt module {name} niet aan")
                en.append(f"does not offer module {name}")
            if not centre.serves(pp.school.id):
                nl.append(f"neemt geen leerlingen van {pp.school.name}")
                en.append(f"takes no pupils of {pp.school.name}")
            if nl:
                who, what = _pupil(pp.pupil), _run_what(scenario, run)
                yield _v(
                    "centre_module",
                    f"{who} doet {what} bij {centre.name}, maar dat centrum " + " en ".join(nl),
                    f"{who} does {what} at {centre.name}, but that centre " + " and ".join(en),
                    pp.pupil.id,
                    run.start,
                    f"centre:{place_id}",
                )


# --- capacities and availability ----------------------------------------------------------


def _one(pids: list[str]) -> str | None:
    """The pupil a party violation is about, when there is exactly one."""
    return pids[0] if len(pids) == 1 else None


def check_company_closed(ctx: PlanContext) -> Iterator[Violation]:
    """``company_closed``: no company or experience week at a company in one of its closure
    weeks or after its ``active_until``. One violation per company and week."""
    for cid, monday, pids in _by_week(ctx.company_weeks):
        company = ctx.scenario.company_by_id[cid]
        if company.is_open(monday):
            continue
        week, n, ids = _week(monday), _n_pupils(len(pids)), _ids(pids)
        if monday in company.closure_weeks:
            nl = f"is gesloten in {week}, maar heeft dan {n} ({ids})"
            en = f"is closed in the {week}, but has {n} then ({ids})"
        else:
            until = format_date(company.active_until)
            nl = f"doet niet meer mee na {until}, maar heeft in {week} {n} ({ids})"
            en = f"no longer takes part after {until}, but has {n} in the {week} ({ids})"
        yield _v(
            "company_closed",
            f"Bedrijf {company.name} {nl}",
            f"Company {company.name} {en}",
            _one(pids),
            monday,
            f"company:{cid}",
        )


def check_company_capacity(ctx: PlanContext) -> Iterator[Violation]:
    """``company_capacity``: per company and week, the pupils in a company or experience week
    there are at most the week's capacity. One violation per company and week."""
    companies = ctx.scenario.company_by_id
    places = _over_limit(ctx.company_weeks, lambda cid, w: ctx.capacity(companies[cid], w))
    for cid, monday, pids, cap, week in places:
        company, n = companies[cid], len(pids)
        yield _v(
            "company_capacity",
            f"Bedrijf {company.name} heeft in {week} {n} leerlingen in een praktijkfase, maar "
            f"plaats voor {cap} ({_ids(pids)})",
            f"Company {company.name} has {n} pupils in a company phase in the {week}, but room "
            f"for {cap} ({_ids(pids)})",
            None,
            monday,
            f"company:{cid}",
        )


def _mentor_problem(ctx: PlanContext, a: Assignment) -> str | None:
    """What is wrong with the mentor of a company or experience week, if anything."""
    if a.mentor is None:
        return tr(nl="zonder mentor", en="without a mentor")
    if a.mentor not in ctx.scenario.mentor_by_id:
        return tr(nl=f"met onbekende mentor '{a.mentor}'", en=f"with unknown mentor '{a.mentor}'")
    company = ctx.scenario.company_by_id.get(a.place.id) if a.place.kind == "company" else None
    if company is None or company.mentor(a.mentor) is not None:
        return None  # a wrong place is the place rule's
    owner, mentor = ctx.scenario.mentor_by_id[a.mentor]
    return tr(
        nl=f"met mentor {mentor.name}, die bij {owner.name} werkt en niet bij {company.name}",
        en=f"with mentor {mentor.name}, who works at {owner.name}, not at {company.name}",
    )


def check_mentor(ctx: PlanContext) -> Iterator[Violation]:
    """``mentor``: company and experience weeks have a mentor of the company they are at;
    other weeks none (unavailable weeks are ``absence``'s). One violation per block and
    problem."""
    for pp, run in ctx.runs():
        problems: dict[str, list[Assignment]] = {}
        for a in run.weeks:
            if run.phase in WORKPLACE_PHASES:
                problem = _mentor_problem(ctx, a)
            elif a.mentor is not None and a.week not in pp.pupil.unavailable_weeks:
                name = _mentor_name(ctx, a.mentor)
                problem = tr(
                    nl=f"met mentor {name}, terwijl alleen praktijk- en ervaringsweken een "
                    "mentor hebben",
                    en=f"with mentor {name}, while only company and experience weeks have a mentor",
                )
            else:
                problem = None
            if problem is not None:
                problems.setdefault(problem, []).append(a)
        for problem, weeks in problems.items():
            who, what = _pupil(pp.pupil), _what(ctx.scenario, run.phase, run.module)
            span = _weeks_text([a.week for a in weeks], ctx.index)
            place = weeks[0].place
            yield _v(
                "mentor",
                f"{who} staat in {what} ({span}) {problem}",
                f"{who} is in {what} ({span}) {problem}",
                pp.pupil.id,
                weeks[0].week,
                f"{place.kind}:{place.id}",
            )


def _mentor_name(ctx: PlanContext, mentor_id: str) -> str:
    found = ctx.scenario.mentor_by_id.get(mentor_id)
    return found[1].name if found else f"'{mentor_id}'"


def _mentor_label(ctx: PlanContext, mentor_id: str) -> str:
    company, mentor = ctx.scenario.mentor_by_id[mentor_id]
    return f"{mentor.name} ({company.name})"


def check_mentor_absent(ctx: PlanContext) -> Iterator[Violation]:
    """``mentor_absent``: no company or experience week with a mentor in one of the mentor's
    unavailable weeks. One violation per mentor and week."""
    for mid, monday, pids in _by_week(ctx.mentor_weeks):
        if monday not in ctx.scenario.mentor_by_id[mid][1].unavailable_weeks:
            continue
        mentor, week = _mentor_label(ctx, mid), _week(monday)
        yield _v(
            "mentor_absent",
            f"Mentor {mentor} is afwezig in {week}, maar begeleidt dan {_ids(pids)}",
            f"Mentor {mentor} is away in the {week}, but guides {_ids(pids)} then",
            _one(pids),
            monday,
            f"mentor:{mid}",
        )


def check_mentor_capacity(ctx: PlanContext) -> Iterator[Violation]:
    """``mentor_capacity``: per mentor and week, at most ``max_pupils`` pupils. One violation
    per mentor and week."""
    mentors = ctx.scenario.mentor_by_id
    places = _over_limit(ctx.mentor_weeks, lambda mid, _: mentors[mid][1].max_pupils)
    for mid, monday, pids, most, week in places:
        mentor, n = _mentor_label(ctx, mid), len(pids)
        yield _v(
            "mentor_capacity",
            f"Mentor {mentor} begeleidt in {week} {n} leerlingen, maar hoogstens {most} "
            f"({_ids(pids)})",
            f"Mentor {mentor} guides {n} pupils in the {week}, but at most {most} ({_ids(pids)})",
            None,
            monday,
            f"mentor:{mid}",
        )


def check_centre_closed(ctx: PlanContext) -> Iterator[Violation]:
    """``centre_closed``: no simulated week at a centre that is closed that week (a closure,
    or not among its ``open_weeks``). One violation per centre and week."""
    for cid, monday, pids in _by_week(ctx.centre_weeks):
        centre = ctx.scenario.centre_by_id[cid]
        if centre.is_open(monday):
            continue
        week, n = _week(monday), _n_pupils(len(pids))
        yield _v(
            "centre_closed",
            f"Centrum {centre.name} is gesloten in {week}, maar heeft dan {n} ({_ids(pids)})",
            f"Centre {centre.name} is closed in the {week}, but has {n} then ({_ids(pids)})",
            _one(pids),
            monday,
            f"centre:{cid}",
        )


def check_centre_capacity(ctx: PlanContext) -> Iterator[Violation]:
    """``centre_capacity``: per centre and week, the pupils there are at most the week's seats.
    One violation per centre and week."""
    centres = ctx.scenario.centre_by_id
    places = _over_limit(ctx.centre_weeks, lambda cid, w: ctx.capacity(centres[cid], w))
    for cid, monday, pids, seats, week in places:
        centre, n = centres[cid], len(pids)
        yield _v(
            "centre_capacity",
            f"Centrum {centre.name} heeft in {week} {n} leerlingen, maar plaats voor {seats} "
            f"({_ids(pids)})",
            f"Centre {centre.name} has {n} pupils in the {week}, but seats for {seats} "
            f"({_ids(pids)})",
            None,
            monday,
            f"centre:{cid}",
        )


def check_teacher_visits(ctx: PlanContext) -> Iterator[Violation]:
    """``teacher_visits``: the last week of every company-phase block, and no other week, is
    marked ``visit``; per school and week at most the school's visits. One violation per
    wrong mark, and per school and week over the limit."""
    scenario = ctx.scenario
    visits: dict[tuple[str, dt.date], list[str]] = {}
    for pp, run in ctx.runs():
        final = run.weeks[-1] if run.phase == "company" else None
        if final is not None:
            visits.setdefault((pp.school.id, final.week), []).append(pp.pupil.id)
        for a in run.weeks:
            if a.visit == (a is final):
                continue
            who, week, what = (
                _pupil(pp.pupil),
                _week(a.week),
                _what(scenario, run.phase, run.module),
            )
            if a is final:
                nl = f"{week} is de laatste week van {what}, maar niet gemarkeerd als praktijktoets"
                en = f"the {week} is the last week of {what}, but not marked as the practice test"
            else:
                nl = f"{week} ({what}) is gemarkeerd als praktijktoets, maar is niet de laatste "
                nl += "week van een praktijkfase"
                en = f"the {week} ({what}) is marked as a practice test, but is not the last "
                en += "week of a company phase"
            yield _v("teacher_visits", f"{who}: {nl}", f"{who}: {en}", pp.pupil.id, a.week)
    for sid, monday, pids in _by_week(visits):
        school = scenario.school_by_id[sid]
        limit, week, n = scenario.teacher_visits_of(school), _week(monday), len(pids)
        if n <= limit:
            continue
        yield _v(
            "teacher_visits",
            f"School {school.name} moet in {week} {n} praktijktoetsen bezoeken, maar heeft "
            f"tijd voor {limit} per week ({_ids(pids)})",
            f"School {school.name} must visit {n} practice tests in the {week}, but has time "
            f"for {limit} a week ({_ids(pids)})",
            None,
            monday,
            f"school:{sid}",
        )


# --- contract and young workers ------------------------------------------------------------


def workplace_average(pp: PupilPlan) -> Fraction | None:
    """A pupil's exact annual average of real-workplace hours a week:
    ``sum(workplace hours of the enrolled weeks) / (school days / 5)``; ``None`` without school
    days. A missing week counts 0 (``coverage`` reports it)."""
    return pp.average  # computed while indexing the plan


def check_contract(ctx: PlanContext) -> Iterator[Violation]:
    """``contract``: an OAO pupil averages at least 20 real-workplace hours a week over the
    year, an internship pupil below 20. One violation per pupil."""
    for pp in ctx.pupils.values():
        avg = workplace_average(pp)
        if avg is None:
            continue
        contract = ctx.scenario.contract_of(pp.pupil)
        if (avg >= OAO_THRESHOLD_HOURS) == (contract == "oao"):
            continue
        who, hours = _pupil(pp.pupil), _hours_text(avg * UNITS_PER_HOUR)
        if contract == "oao":
            yield _v(
                "contract",
                f"{who} heeft een OAO, maar komt gemiddeld maar aan {hours} u per week op de "
                "werkplek (minstens 20 nodig)",
                f"{who} has an OAO, but averages only {hours} h a week at the workplace (at "
                "least 20 needed)",
                pp.pupil.id,
            )
        else:
            yield _v(
                "contract",
                f"{who} heeft een stage-overeenkomst, maar komt gemiddeld aan {hours} u per week "
                "op de werkplek (moet onder 20 blijven)",
                f"{who} has an internship agreement, but averages {hours} h a week at the "
                "workplace (must stay below 20)",
                pp.pupil.id,
            )


def _bad_schedule(schedule: DailySchedule) -> bool:
    return schedule.hours > MAX_DAY_HOURS or schedule.start < EARLIEST or schedule.end > LATEST


def _bad_schedules(ctx: PlanContext) -> dict[tuple[str, str, str], tuple[DailySchedule, dict]]:
    """Every daily schedule the plan uses that a young worker may not work, with its pupils
    (an ordered set), keyed by (party, phase, module id or programme year)."""
    out: dict[tuple[str, str, str], tuple[DailySchedule, dict]] = {}
    for pp, run, module, phase in ctx.module_runs():
        if phase.schedule is not None and _bad_schedule(phase.schedule):
            key = (f"module:{module.id}", run.phase, module.id)
            out.setdefault(key, (phase.schedule, {}))[1][pp.pupil.id] = None
    for pp, _run in ctx.runs("experience"):
        schedule = pp.year.experience.schedule
        if schedule is not None and _bad_schedule(schedule):
            programme = ctx.scenario.class_by_id[pp.pupil.class_id].programme
            key = (f"programme:{programme}", "experience", str(pp.year.year))
            out.setdefault(key, (schedule, {}))[1][pp.pupil.id] = None
    return out


def check_young_worker(ctx: PlanContext) -> Iterator[Violation]:
    """``young_worker``: at most 40 hours a week and 8 hours a school day (week total / days);
    a phase's daily schedule lasts at most 8 hours, between 06:00 and 20:00. One violation
    per block over the hours (its busiest day), and per phase whose schedule breaks the limits
    (naming its pupils)."""
    week_limit, day_limit = MAX_WEEK_HOURS * UNITS_PER_HOUR, MAX_DAY_HOURS * UNITS_PER_HOUR
    limits_nl = (
        f"een jongere werkt hoogstens {MAX_WEEK_HOURS} u per week en {MAX_DAY_HOURS} u per dag"
    )
    limits_en = (
        f"a young worker works at most {MAX_WEEK_HOURS} h a week and {MAX_DAY_HOURS} h a day"
    )
    for pp, run in ctx.runs():
        worst: tuple[Amount, int, Assignment] | None = None
        for a in run.weeks:
            total, days = sum(pp.true_units(a)), pp.days[a.week]
            over = total > week_limit or total > day_limit * days
            if over and (worst is None or total * worst[1] > worst[0] * days):
                worst = (total, days, a)
        if worst is None:
            continue
        total, days, a = worst
        who, what, week = (
            _pupil(pp.pupil),
            _what(ctx.scenario, run.phase, run.module),
            _week(a.week),
        )
        week_h, day_h = _hours_text(total), _hours_text(Fraction(total) / days)
        yield _v(
            "young_worker",
            f"{who} werkt {week_h} u in {week} ({day_h} u per dag, {what}); {limits_nl}",
            f"{who} works {week_h} h in the {week} ({day_h} h a day, {what}); {limits_en}",
            pp.pupil.id,
            a.week,
        )
    for (party, kind, which), (schedule, pupils) in _bad_schedules(ctx).items():
        pids = list(pupils)
        if kind == "experience":
            year = tr(nl=f" van jaar {which}", en=f" of year {which}")
            what = _what(ctx.scenario, kind) + year
        else:
            what = _what(ctx.scenario, kind, which)
        times = f"{schedule.start:%H:%M}-{schedule.end:%H:%M}"
        length = _hours_text(Fraction(schedule.hours).limit_denominator(60) * UNITS_PER_HOUR)
        what = what[0].upper() + what[1:]
        yield _v(
            "young_worker",
            f"{what} duurt {length} u per dag ({times}); een jongere werkt hoogstens "
            f"{MAX_DAY_HOURS} u per dag, tussen 06:00 en 20:00 ({_ids(pids)})",
            f"{what} lasts {length} h a day ({times}); a young worker works at most "
            f"{MAX_DAY_HOURS} h a day, between 06:00 and 20:00 ({_ids(pids)})",
            _one(pids),
            None,
            party,
        )


# --- the plan itself ------------------------------------------------------------------------


def check_summary(ctx: PlanContext) -> Iterator[Violation]:
    """``summary``: the plan's ``pupils`` list holds every pupil once, with the right contract
    and the exact average (within 0.01), and the right school days when it states them. One
    violation per pupil."""
    entries: dict[str, list[PupilSummary]] = {}
    for entry in ctx.plan.pupils:
        entries.setdefault(entry.pupil, []).append(entry)
    for pp in ctx.pupils.values():
        p, who = pp.pupil, _pupil(pp.pupil)
        found = entries.get(p.id, [])
        if len(found) != 1:
            nl = f"staat {len(found)} keer in" if found else "ontbreekt in"
            en = f"appears {len(found)} times in" if found else "is missing from"
            yield _v(
                "summary",
                f"{who} {nl} de samenvatting per leerling",
                f"{who} {en} the per-pupil summary",
                p.id,
            )
        if not found:
            continue
        s, nl, en = found[0], [], []
        contract = ctx.scenario.contract_of(p)
        if s.contract != contract:
            nl.append(f"een {_contract(s.contract)} in plaats van een {_contract(contract)}")
            en.append(f"an {_contract(s.contract)} instead of an {_contract(contract)}")
        avg = workplace_average(pp)
        given = _plan_units(s.workplace_hours_per_week)
        if avg is not None and abs(given - avg * UNITS_PER_HOUR) > TOLERANCE:
            given_h, real_h = _hours_text(given), _hours_text(avg * UNITS_PER_HOUR)
            nl.append(f"gemiddeld {given_h} u werkplek per week in plaats van {real_h}")
            en.append(f"an average of {given_h} workplace hours a week instead of {real_h}")
        days = sum(pp.days.values())
        if s.school_days and s.school_days != days:
            nl.append(f"{s.school_days} schooldagen in plaats van {days}")
            en.append(f"{s.school_days} school days instead of {days}")
        if nl:
            yield _v(
                "summary",
                f"De samenvatting geeft {who} " + ", ".join(nl),
                f"The summary gives {who} " + ", ".join(en),
                p.id,
            )
    for pid in entries.keys() - ctx.pupils.keys():
        yield _v(
            "summary",
            f"De samenvatting noemt leerling '{pid}', die niet in het scenario staat",
            f"The summary names pupil '{pid}', who is not in the scenario",
            pid,
        )


def check_scenario(scenario: Scenario, plan: Plan, source: str = "plan") -> None:
    """``scenario``: the plan names this scenario (``meta.name``) and school year. Otherwise
    comparing them makes no sense: raises :class:`~scheduler.errors.PlanError`."""
    check_plan_matches(plan, scenario, source)


# --- all rules ------------------------------------------------------------------------------

RULES: dict[str, Check] = {
    "coverage": check_coverage,
    "absence": check_absence,
    "hours": check_hours,
    "module_order": check_module_order,
    "phase_length": check_phase_length,
    "experience": check_experience,
    "class_theory": check_class_theory,
    "place": check_place,
    "infrastructure": check_infrastructure,
    "centre_module": check_centre_module,
    "company_closed": check_company_closed,
    "company_capacity": check_company_capacity,
    "mentor": check_mentor,
    "mentor_absent": check_mentor_absent,
    "mentor_capacity": check_mentor_capacity,
    "centre_closed": check_centre_closed,
    "centre_capacity": check_centre_capacity,
    "teacher_visits": check_teacher_visits,
    "contract": check_contract,
    "young_worker": check_young_worker,
    "summary": check_summary,
}
"""The rule checks of docs/rules.md, in its order (``scenario`` is checked first and raises)."""

RULE_CODES: tuple[str, ...] = (*RULES, "scenario", "no_solution")
"""Every rule code the validator knows (``scenario`` raises instead of being reported)."""


def validate_plan(scenario: Scenario, plan: Plan, *, source: str = "plan") -> ValidationReport:
    """Check ``plan`` against every rule of docs/rules.md for ``scenario``.

    Raises :class:`~scheduler.errors.PlanError` when the plan belongs to another scenario
    (``source`` names the plan in that message) or holds hours that are not a number. A plan
    without a solution (status ``infeasible`` or ``unknown``) is never valid: without
    assignments it gets the single violation ``no_solution``; a proposal (with assignments)
    gets ``no_solution`` plus every rule it breaks.
    """
    check_scenario(scenario, plan, source)
    with _no_cyclic_gc():
        return _validate(scenario, plan)


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector: the validator allocates hundreds of thousands of
    small objects (and no cycles), and each collection would rescan the whole plan."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _validate(scenario: Scenario, plan: Plan) -> ValidationReport:
    violations: list[Violation] = []
    if plan.status not in ("optimal", "feasible"):
        nl = "dit is een voorstel, geen geldig plan" if plan.assignments else "er is geen plan"
        en = "this is a proposal, not a valid plan" if plan.assignments else "there is no plan"
        violations.append(
            _v(
                "no_solution",
                f"Het plan heeft status {plan.status}: {nl}",
                f"The plan has status {plan.status}: {en}",
            )
        )
        if not plan.assignments:
            return ValidationReport(valid=False, violations=violations)
    ctx = PlanContext.build(scenario, plan)
    for check in RULES.values():
        violations.extend(check(ctx))
    return ValidationReport(valid=not violations, violations=violations)
