"""The year grid of a plan: pupils as rows (grouped by class), calendar weeks as columns.

Built once per request from the cached :class:`~api.web.planview.PlanView`; the template only
loops. Each cell carries a CSS class for its phase, a short text (phase letter + module short
name, so colour is never the only clue) and a title with place, mentor and hours. Titles are
shared between equal cells (most cells of a class repeat a few dozen texts).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from api.web.planview import PlanView
from scheduler.i18n import current_language, tr
from scheduler.model.scenario import Scenario
from scheduler.plan import Assignment

PHASES = ("theory", "simulated", "company", "experience", "school", "absent")
"""Phases as the grid shows them (``absent`` is an assignment marked absent)."""

CSS = {
    "theory": "ph-t",
    "simulated": "ph-s",
    "company": "ph-c",
    "experience": "ph-e",
    "school": "ph-o",
    "absent": "ph-a",
}

ALL = "all"
"""The class selector's value for every class at once."""

SHOW_ALL_UP_TO = 120
"""Up to this many pupils the grid shows every class by default; above, one class a page."""


def phase_name(phase: str) -> str:
    """A phase as the planner reads it."""
    names = {
        "theory": tr(nl="theorie op school", en="theory at school"),
        "simulated": tr(nl="gesimuleerde werkplek (centrum)", en="simulated workplace (centre)"),
        "company": tr(nl="bedrijf (praktijk)", en="company (practice)"),
        "experience": tr(nl="ervaringsperiode", en="experience period"),
        "school": tr(nl="gewone week", en="ordinary week"),
        "absent": tr(nl="afwezig", en="absent"),
    }
    return names[phase]


def phase_letter(phase: str) -> str:
    """The letter before a cell's text, so that the phase does not rely on colour alone."""
    letters = {
        "theory": "T",
        "simulated": "C",
        "company": "B",
        "experience": "E",
        "school": "G",
        "absent": "A",
    }
    english = {"company": "W", "school": "O"}
    if current_language() == "en":
        return english.get(phase, letters[phase])
    return letters[phase]


def legend() -> list[tuple[str, str, str]]:
    """(css class, letter, name) of every phase, for the legend."""
    return [(CSS[p], phase_letter(p), phase_name(p)) for p in PHASES]


@dataclass(frozen=True)
class Column:
    """A calendar week: a teaching week, or a holiday week (shown narrow and grey)."""

    monday: dt.date
    holiday: str | None
    school_days: int

    @property
    def label(self) -> str:
        """Day and month of the Monday: ``7/9``."""
        return f"{self.monday.day}/{self.monday.month}"


@dataclass(frozen=True)
class Cell:
    """One pupil-week of the grid."""

    css: str
    text: str
    title: str


EMPTY = Cell("ph-n", "", "")
HOLIDAY = Cell("hol", "", "")


@dataclass
class Row:
    """A pupil's year: a cell per column and the contract margin."""

    pupil: str
    name: str
    contract: str
    average: float | None
    margin: float | None
    short: bool
    cells: list[Cell]


@dataclass
class Group:
    """The rows of one class."""

    class_id: str
    label: str
    school: str
    rows: list[Row] = field(default_factory=list)


def columns(scenario: Scenario) -> list[Column]:
    """Every week of the school year, holiday weeks included."""
    return [Column(w.monday, w.holiday, w.school_days) for w in scenario.school_calendar.weeks]


def class_choices(scenario: Scenario) -> list[tuple[str, str, str]]:
    """(class id, class label, school name) of every class, in scenario order."""
    return [(c.id, c.name or c.id, s.name) for s in scenario.schools for c in s.classes]


def default_class(scenario: Scenario) -> str:
    """Every class for a small scenario, the first class of a large one."""
    if len(scenario.pupils) <= SHOW_ALL_UP_TO or not class_choices(scenario):
        return ALL
    return class_choices(scenario)[0][0]


def is_short(contract: str, margin: float | None) -> bool:
    """Whether a pupil's average misses the contract: OAO below 20 h, internship at or above."""
    if margin is None:
        return False
    return margin < 0 if contract == "oao" else margin >= 0


class _Titles:
    """Cell texts and titles, made once per distinct (phase, module, place, mentor, hours)."""

    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        self._cache: dict[tuple[object, ...], Cell] = {}
        self._hours = tr(nl="uren", en="hours")
        self._visit = tr(nl="praktijktoets (bezoek leerkracht)", en="practice test (teacher visit)")

    def cell(self, a: Assignment) -> Cell:
        h = a.hours
        key = (a.phase, a.module, a.place.kind, a.place.id, a.mentor, h.school, h.centre,
               h.workplace, a.absent, a.visit)  # fmt: skip
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._make(a)
        return found

    def _make(self, a: Assignment) -> Cell:
        phase = "absent" if a.absent else a.phase
        ref = self.scenario.module_by_id.get(a.module) if a.module else None
        short = (ref.module.short or ref.module.id[:6]) if ref else ""
        text = f"{phase_letter(phase)}\u00a0{short}" if short else phase_letter(phase)
        if a.visit:
            text += "\u2713"
        lines = [phase_name(phase) + (f": {ref.module.name}" if ref else "")]
        lines.append(place_name(self.scenario, a.place.kind, a.place.id))
        if a.mentor:
            mentor = self.scenario.mentor_by_id.get(a.mentor)
            lines.append(
                tr(nl="mentor: ", en="mentor: ") + (mentor[1].name if mentor else a.mentor)
            )
        h = a.hours
        lines.append(
            f"{self._hours}: school {h.school:g}, "
            + tr(nl="centrum", en="centre")
            + f" {h.centre:g}, "
            + tr(nl="werkplek", en="workplace")
            + f" {h.workplace:g}"
        )
        if a.visit:
            lines.append(self._visit)
        return Cell(CSS[phase], text, "\n".join(lines))


def place_name(scenario: Scenario, kind: str, ident: str) -> str:
    """The name of a school, centre or company (its id when unknown)."""
    if kind == "company":
        company = scenario.company_by_id.get(ident)
        return company.name if company else ident
    if kind == "centre":
        centre = scenario.centre_by_id.get(ident)
        return centre.name if centre else ident
    school = scenario.school_by_id.get(ident)
    return school.name if school else ident


def build_grid(scenario: Scenario, view: PlanView, selected: str) -> list[Group]:
    """The groups (classes) of the grid: ``selected`` is a class id or :data:`ALL`."""
    cols = columns(scenario)
    titles = _Titles(scenario)
    summaries = view.summaries(scenario)
    by_class: dict[str, list] = {}
    for pupil in scenario.pupils:
        by_class.setdefault(pupil.class_id, []).append(pupil)
    groups = []
    for class_id, label, school in class_choices(scenario):
        if selected not in (ALL, class_id):
            continue
        group = Group(class_id, label, school)
        for pupil in by_class.get(class_id, []):
            weeks = view.cells.get(pupil.id, {})
            cells = []
            for col in cols:
                a = weeks.get(col.monday)
                if a is not None:
                    cells.append(titles.cell(a))
                else:
                    cells.append(HOLIDAY if col.holiday else EMPTY)
            summary = summaries.get(pupil.id)
            contract = scenario.contract_of(pupil)
            margin = summary.margin if summary else None
            group.rows.append(
                Row(
                    pupil.id,
                    pupil.display_name,
                    contract,
                    summary.workplace_hours_per_week if summary else None,
                    margin,
                    is_short(contract, margin),
                    cells,
                )
            )
        groups.append(group)
    return groups
