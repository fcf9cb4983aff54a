"""Hand-made scenarios and plans for tests that must not depend on the solver.

``tiny_scenario()`` is a small but complete school year: one class of three pupils, two
modules, two companies (one with partners and a closure week), three training centres, a
pupil with a long absence (internship), a pupil who leaves in June. ``build_plan(scenario,
layout)`` turns a layout (the phase blocks of each pupil, by teaching-week index) into a full
plan: ordinary weeks everywhere else, absent weeks, hours, visits and the per-pupil summary,
computed here independently of both the solver and the validator.

``LAYOUT`` is a valid layout of the tiny scenario; tests break one rule at a time by editing a
copy of the scenario data, the layout, or the built plan.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from scheduler.files import scenario_from_data
from scheduler.model import Hours, Scenario
from scheduler.plan import Assignment, Place, Plan, PupilSummary, WeekHours

TINY: dict[str, Any] = {
    "meta": {"name": "mini-duaal-2026-2027", "description": "Kleine testklas"},
    "school_year": "2026-2027",
    "settings": {"teacher_visits_per_week": 2},
    "programmes": [
        {
            "id": "mini",
            "name": "Mini duaal",
            "ordinary_week": {"school": 15.2, "workplace": 22.8},
            "years": [
                {
                    "year": 1,
                    "contract": "oao",
                    "modules": [
                        {
                            "id": "vei",
                            "name": "Veiligheid",
                            "phases": [
                                {"kind": "theory", "weeks": 1, "hours": {"school": 32}},
                                {"kind": "simulated", "weeks": 1, "hours": {"centre": 32}},
                                {
                                    "kind": "company",
                                    "weeks": "1..2",
                                    "hours": {"workplace": 38},
                                    "schedule": {"start": "08:00", "end": "16:00"},
                                },
                            ],
                        },
                        {
                            "id": "elm",
                            "name": "Elektriciteit",
                            "phases": [
                                {"kind": "theory", "weeks": 2, "hours": {"school": 32}},
                                {"kind": "simulated", "weeks": "1..2", "hours": {"centre": 32}},
                                {"kind": "company", "weeks": "2..3", "hours": {"workplace": 38}},
                            ],
                        },
                    ],
                    "experience": {"weeks": 3, "hours": {"workplace": 38}},
                }
            ],
        }
    ],
    "schools": [
        {
            "id": "vti",
            "name": "VTI Teststad",
            "free_days": [{"date": "2026-10-14", "name": "Pedagogische studiedag"}],
            "classes": [{"id": "5t", "name": "5 Test", "programme": "mini", "year": 1}],
        },
        {"id": "ander", "name": "Andere School"},
    ],
    "centres": [
        {"id": "anttec", "name": "Anttec Gent", "seats": 2, "modules": ["vei", "elm"]},
        {"id": "klein", "name": "OC Klein", "seats": 2, "modules": ["vei"]},
        {
            "id": "elders",
            "name": "OC Elders",
            "seats": 2,
            "modules": ["vei", "elm"],
            "schools": ["ander"],
        },
    ],
    "companies": [
        {
            "id": "jansens",
            "name": "Jansens Elektro NV",
            "capacity": 3,
            "closures": ["2027-01-25"],
            "partners": ["wuyts"],
            "mentors": [
                {"id": "an", "name": "An Peeters", "max_pupils": 2},
                {
                    "id": "bart",
                    "name": "Bart Claes",
                    "max_pupils": 1,
                    "unavailable": ["2027-02-15"],
                },
            ],
        },
        {
            "id": "desmet",
            "name": "Metaalbouw De Smet",
            "capacity": 1,
            "modules": ["vei"],
            "partners": ["jansens"],
            "mentors": [{"id": "koen", "name": "Koen De Smet", "max_pupils": 2}],
        },
        {
            "id": "wuyts",
            "name": "Chemie Wuyts",
            "capacity": 2,
            "mentors": [{"id": "jan", "name": "Jan Wuyts", "max_pupils": 2}],
        },
    ],
    "pupils": [
        {
            "id": "L01",
            "first_name": "Lotte",
            "last_name": "Vermeulen",
            "class": "5t",
            "company": "jansens",
            "mentor": "an",
        },
        {
            "id": "L02",
            "first_name": "Milan",
            "last_name": "Claes",
            "class": "5t",
            "company": "desmet",
            "mentor": "koen",
            "leave": "2027-06-18",
        },
        {
            "id": "L03",
            "first_name": "Ella",
            "last_name": "Peeters",
            "class": "5t",
            "company": "jansens",
            "mentor": "an",
            "contract": "internship",
            "unavailable": [{"from": "2027-01-04", "to": "2027-02-26"}],
        },
    ],
}


def tiny_scenario(edit: Callable[[dict[str, Any]], None] | None = None) -> Scenario:
    """The tiny scenario, after ``edit`` changed a deep copy of its data."""
    data = copy.deepcopy(TINY)
    if edit is not None:
        edit(data)
    return scenario_from_data(data, "tiny")


def party(data: dict[str, Any], kind: str, ident: str) -> dict[str, Any]:
    """The entry of ``kind`` (``companies``, ``centres``, ``pupils``, ...) with this id in
    scenario data, or a mentor (``kind="mentors"``) wherever it works."""
    if kind == "mentors":
        entries = [m for c in data["companies"] for m in c["mentors"]]
    else:
        entries = data[kind]
    return next(e for e in entries if e["id"] == ident)


@dataclass(frozen=True)
class Block:
    """A phase block of a layout: ``weeks`` are teaching-week indices (0 = first week)."""

    phase: str
    module: str | None
    weeks: tuple[int, ...]
    place: str | None = None
    mentor: str | None = None


def blocks(*items: tuple[Any, ...]) -> list[Block]:
    """Shorthand: ``("company", "vei", [4], "jansens", "an")``."""
    return [Block(p, m, tuple(w), *rest) for p, m, w, *rest in items]


LAYOUT: dict[str, list[Block]] = {
    "L01": blocks(
        ("theory", "vei", [2]),
        ("simulated", "vei", [3], "anttec"),
        ("company", "vei", [4], "jansens", "an"),
        ("theory", "elm", [8, 9]),
        ("simulated", "elm", [10], "anttec"),
        ("company", "elm", [12, 13], "jansens", "an"),
        ("experience", None, [24, 25, 26], "jansens", "an"),
    ),
    "L02": blocks(
        ("theory", "vei", [2]),
        ("simulated", "vei", [3], "anttec"),
        ("company", "vei", [4, 5], "desmet", "koen"),
        ("theory", "elm", [8, 9]),
        ("simulated", "elm", [10, 11], "anttec"),
        ("company", "elm", [12, 13], "jansens", "bart"),
        ("experience", None, [28, 29, 30], "desmet", "koen"),
    ),
    "L03": blocks(
        ("theory", "vei", [2]),
        ("simulated", "vei", [4], "anttec"),
        ("company", "vei", [5], "jansens", "an"),
        ("theory", "elm", [8, 9]),
        ("simulated", "elm", [11], "anttec"),
        ("company", "elm", [13, 14], "jansens", "an"),
        ("experience", None, [32, 33, 34], "jansens", "an"),
    ),
}
"""A valid layout of ``tiny_scenario()``: loads are at most the capacities (Jansens has three
pupils in week 13, Anttec two in weeks 3, 10 and 11, two teacher visits in weeks 5 and 13)."""


def with_block(
    layout: dict[str, list[Block]], pupil: str, index: int, **changes: Any
) -> dict[str, list[Block]]:
    """A copy of ``layout`` with block ``index`` of ``pupil`` changed (``weeks=[...]`` etc.)."""
    out = {p: list(bs) for p, bs in layout.items()}
    if "weeks" in changes:
        changes["weeks"] = tuple(changes["weeks"])
    out[pupil][index] = replace(out[pupil][index], **changes)
    return out


def teaching_weeks(scenario: Scenario) -> list[dt.date]:
    """Mondays of the teaching weeks (weeks with school days), by index."""
    return [w.monday for w in scenario.school_calendar.weeks if w.school_days]


def _round(value: Fraction) -> float:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return float(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def week_hours(profile: Hours, days: int, moved: bool = False) -> WeekHours:
    """A full-week profile scaled to ``days`` (``moved``: workplace hours go to school)."""
    s, c, w = (
        Fraction(str(x)) * days / 5 for x in (profile.school, profile.centre, profile.workplace)
    )
    if moved:
        s, w = s + w, Fraction(0)
    return WeekHours(school=_round(s), centre=_round(c), workplace=_round(w))


def summaries(scenario: Scenario, assignments: list[Assignment]) -> list[PupilSummary]:
    """The per-pupil summary of these assignments (from their rounded hours)."""
    hours_of: dict[str, Fraction] = {}
    for a in assignments:
        hours_of[a.pupil] = hours_of.get(a.pupil, Fraction(0)) + Fraction(str(a.hours.workplace))
    out = []
    for p in scenario.pupils:
        days = sum(scenario.pupil_days(p).values())
        hours = hours_of.get(p.id, Fraction(0))
        avg = hours * 5 / days
        out.append(
            PupilSummary(
                pupil=p.id,
                contract=scenario.contract_of(p),
                workplace_hours_per_week=_round(avg),
                margin=_round(avg - 20),
                school_days=days,
                workplace_hours=_round(hours),
            )
        )
    return out


def resummarise(scenario: Scenario, plan: Plan) -> Plan:
    """The plan with its per-pupil summary recomputed from its assignments."""
    return plan.model_copy(update={"pupils": summaries(scenario, plan.assignments)})


def build_plan(scenario: Scenario, layout: dict[str, list[Block]] | None = None) -> Plan:
    """A full plan from a layout: blocks where the layout says, absent weeks where the pupil is
    unavailable, ordinary weeks elsewhere; hours from the profiles; a visit in the last week
    of every company block; the summary. Raises when blocks overlap each other or absences."""
    layout = LAYOUT if layout is None else layout
    mondays = teaching_weeks(scenario)
    assignments: list[Assignment] = []
    for p in scenario.pupils:
        school = scenario.school_of(p)
        _, year = scenario.programme_year_of(p)
        home = scenario.company_by_id[p.company]
        at: dict[dt.date, tuple[Block, bool]] = {}
        for b in layout.get(p.id, []):
            for i in b.weeks:
                monday = mondays[i]
                assert monday not in at, f"{p.id}: two blocks in week {i}"
                assert monday not in p.unavailable_weeks, f"{p.id}: block in absent week {i}"
                at[monday] = (b, i == b.weeks[-1])
        for monday, days in sorted(scenario.pupil_days(p).items()):
            if monday in p.unavailable_weeks:
                a = Assignment(
                    pupil=p.id,
                    week=monday,
                    phase="school",
                    module=None,
                    place=Place(kind="school", id=school.id),
                    hours=WeekHours(),
                    absent=True,
                )
            elif monday in at:
                b, last = at[monday]
                if b.phase == "experience":
                    profile = year.experience.hours
                else:
                    module = scenario.module_by_id[b.module].module
                    profile = module.phase(b.phase).hours
                kind = {"theory": "school", "simulated": "centre"}.get(b.phase, "company")
                a = Assignment(
                    pupil=p.id,
                    week=monday,
                    phase=b.phase,
                    module=b.module,
                    place=Place(kind=kind, id=b.place or school.id),
                    mentor=b.mentor,
                    hours=week_hours(profile, days),
                    visit=b.phase == "company" and last,
                )
            else:
                a = Assignment(
                    pupil=p.id,
                    week=monday,
                    phase="school",
                    module=None,
                    place=Place(kind="school", id=school.id),
                    hours=week_hours(
                        scenario.ordinary_hours_of(p), days, moved=not home.is_open(monday)
                    ),
                )
            assignments.append(a)
    return Plan(
        status="optimal",
        scenario=scenario.meta.name,
        scenario_fingerprint=scenario.fingerprint,
        school_year=scenario.school_year,
        assignments=assignments,
        pupils=summaries(scenario, assignments),
    )


def edit_assignments(
    plan: Plan, change: Callable[[Assignment], Assignment | list[Assignment] | None]
) -> Plan:
    """The plan with every assignment replaced by ``change(a)`` (a list adds weeks, ``None``
    drops the week)."""
    out: list[Assignment] = []
    for a in plan.assignments:
        new = change(a)
        if isinstance(new, list):
            out.extend(new)
        elif new is not None:
            out.append(new)
    return plan.model_copy(update={"assignments": out})


def week_of(scenario: Scenario, index: int) -> dt.date:
    """Monday of teaching week ``index``."""
    return teaching_weeks(scenario)[index]
