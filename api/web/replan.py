"""Adjusting a plan: a planner's pins, checked against the scenario, and the re-plan around them.

A pin puts a pupil in a phase (a module's theory, simulated or company phase, the experience
period, or an ordinary week) for one or more consecutive teaching weeks from a first week,
optionally at a given company or centre. The re-plan starts from the plan being adjusted
(:func:`scheduler.solver.warmstart.hints_from_plan`: hints and the least-changes baseline),
keeps the weeks before an optional date as they were and adds the pins
(:func:`~scheduler.solver.warmstart.pins_from_plan`). Pins are kept with the job (JSON), so
that a re-plan of a re-plan keeps them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from scheduler.errors import Problem, ScenarioError
from scheduler.i18n import format_date, tr
from scheduler.model.scenario import Scenario
from scheduler.plan import Plan

ORDINARY = "school"
EXPERIENCE = "experience"
MAX_PIN_WEEKS = 20


@dataclass(frozen=True)
class PinSpec:
    """A pinned pupil-week as stored with a job: ``phase`` is ``module:kind``, ``experience``
    or ``school`` (an ordinary week); ``place`` a company or centre id or ``None``."""

    pupil: str
    week: dt.date
    phase: str
    place: str | None = None

    def to_json(self) -> dict[str, Any]:
        """For the job's options."""
        return {**asdict(self), "week": self.week.isoformat()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PinSpec:
        """From the job's options."""
        return cls(data["pupil"], dt.date.fromisoformat(data["week"]), data["phase"],
                   data.get("place"))  # fmt: skip


def teaching_weeks(scenario: Scenario) -> list[dt.date]:
    """The Mondays of the weeks with school days (the solver's week line)."""
    return [w.monday for w in scenario.school_calendar.weeks if w.school_days > 0]


def phase_choices(scenario: Scenario) -> list[tuple[str, list[tuple[str, str]]]]:
    """(group label, [(value, label)]) for the phase field: ordinary week and experience
    period, then each module's phases."""
    kinds = {
        "theory": tr(nl="theorie", en="theory"),
        "simulated": tr(nl="gesimuleerde werkplek", en="simulated workplace"),
        "company": tr(nl="bedrijf", en="company"),
    }
    out = [(
        tr(nl="Algemeen", en="General"),
        [(ORDINARY, tr(nl="gewone week", en="ordinary week")),
         (EXPERIENCE, tr(nl="ervaringsperiode", en="experience period"))],
    )]  # fmt: skip
    for ref in scenario.module_by_id.values():
        m = ref.module
        label = f"{m.name} ({m.short})" if m.short else m.name
        out.append((label, [(f"{m.id}:{p.kind}", f"{label}: {kinds[p.kind]}") for p in m.phases]))
    return out


def _problem(message_nl: str, message_en: str, path: str) -> ScenarioError:
    return ScenarioError([Problem(tr(nl=message_nl, en=message_en), path=path)])


def parse_pin(
    scenario: Scenario,
    pupil_id: str,
    phase: str,
    first_week: str,
    weeks: str,
    place: str,
    freeze_before: dt.date | None,
) -> list[PinSpec]:
    """The pins of one form, checked: ``ScenarioError`` naming the field and value otherwise."""
    pupil = scenario.pupil_by_id.get(pupil_id)
    if pupil is None:
        raise _problem(f"'{pupil_id}' is geen leerling van dit scenario",
                       f"'{pupil_id}' is not a pupil of this scenario", "pupil")  # fmt: skip
    module_id, _, kind = phase.partition(":")
    if phase not in (ORDINARY, EXPERIENCE):
        modules = {m.id: m for m in scenario.modules_of(pupil)}
        module = modules.get(module_id)
        if module is None or module.phase(kind) is None:  # type: ignore[arg-type]
            raise _problem(
                f"'{phase}' is geen fase die {pupil.display_name} dit jaar volgt",
                f"'{phase}' is not a phase {pupil.display_name} follows this year",
                "phase",
            )
    try:
        first = dt.date.fromisoformat(first_week)
        count = int(weeks or "1")
    except ValueError:
        raise _problem(f"kies een eerste week en een aantal weken (niet '{first_week}', "
                       f"'{weeks}')", f"choose a first week and a number of weeks (not "
                       f"'{first_week}', '{weeks}')", "first_week") from None  # fmt: skip
    if not 1 <= count <= MAX_PIN_WEEKS:
        raise _problem(f"het aantal weken moet tussen 1 en {MAX_PIN_WEEKS} liggen, niet {count}",
                       f"the number of weeks must be between 1 and {MAX_PIN_WEEKS}, not {count}",
                       "weeks")  # fmt: skip
    line = teaching_weeks(scenario)
    if first not in line:
        raise _problem(f"de week van {format_date(first)} is geen lesweek",
                       f"the week of {format_date(first)} is not a teaching week",
                       "first_week")  # fmt: skip
    start = line.index(first)
    chosen = line[start : start + count]
    enrolled = scenario.pupil_days(pupil)
    for monday in chosen:
        if monday not in enrolled:
            raise _problem(
                f"{pupil.display_name} is niet ingeschreven in de week van {format_date(monday)}",
                f"{pupil.display_name} is not enrolled in the week of {format_date(monday)}",
                "first_week",
            )
        if freeze_before is not None and monday < freeze_before:
            raise _problem(
                f"de week van {format_date(monday)} ligt vóór {format_date(freeze_before)}, "
                "en die weken blijven ongewijzigd",
                f"the week of {format_date(monday)} is before {format_date(freeze_before)}, "
                "and those weeks stay as they are", "first_week")  # fmt: skip
    place_id = _check_place(scenario, phase, kind, place.strip() or None)
    return [PinSpec(pupil.id, monday, phase, place_id) for monday in chosen]


def _check_place(scenario: Scenario, phase: str, kind: str, place: str | None) -> str | None:
    if place is None:
        return None
    if phase == EXPERIENCE or kind == "company":
        if place in scenario.company_by_id:
            return place
        raise _problem(f"'{place}' is geen bedrijf van dit scenario",
                       f"'{place}' is not a company of this scenario", "place")  # fmt: skip
    if kind == "simulated":
        if place in scenario.centre_by_id:
            return place
        raise _problem(f"'{place}' is geen opleidingscentrum van dit scenario",
                       f"'{place}' is not a training centre of this scenario",
                       "place")  # fmt: skip
    raise _problem("een plaats kan alleen bij een bedrijfsfase, ervaringsperiode of "
                   "gesimuleerde werkplek", "a place can only be given for a company phase, "
                   "the experience period or a simulated workplace", "place")  # fmt: skip


def merge_pins(carried: list[PinSpec], new: list[PinSpec]) -> list[PinSpec]:
    """The pins of the plan being adjusted, with the new ones replacing any on the same
    pupil-week."""
    taken = {(p.pupil, p.week) for p in new}
    return [p for p in carried if (p.pupil, p.week) not in taken] + new


def solve_args(
    scenario: Scenario, plan: Plan, pins: list[PinSpec], freeze_before: dt.date | None
) -> dict[str, Any]:
    """The solver's ``pins``, ``hints`` and ``baseline`` for a re-plan of ``plan``."""
    from scheduler.solver.context import Pin
    from scheduler.solver.warmstart import hints_from_plan, pins_from_plan

    index = {m: i for i, m in enumerate(teaching_weeks(scenario))}
    extra = [
        Pin(p.pupil, index[p.week], None if p.phase == ORDINARY else p.phase, place=p.place)
        for p in pins
        if p.week in index
    ]
    pinned = {(p.pupil, p.week) for p in extra}
    frozen = [
        f
        for f in pins_from_plan(scenario, plan, before=freeze_before)
        if (f.pupil, f.week) not in pinned
    ]
    hints = hints_from_plan(scenario, plan)
    return {"pins": frozen + extra, "hints": hints, "baseline": hints}
