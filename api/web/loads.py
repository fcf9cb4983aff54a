"""Load views of a plan: per company and per training centre, pupils present week by week
against the capacity of that week.

A company counts its pupils in company phases and experience periods, a centre its pupils in
simulated phases (as :func:`scheduler.kpis.plan_kpis` counts them). Capacity per week comes
from ``Company.capacity_in(monday)`` and ``Centre.seats_in(monday)``, so closures and
overrides show. An overbooked week cannot occur in a valid plan, but it can in a plan edited
by hand: it stands out (red, with a "!" and the word in its title).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from api.web.grid import Column, columns
from api.web.planview import PlanView
from scheduler.i18n import tr
from scheduler.model.scenario import Scenario

LEVELS = 10
"""Bar heights are drawn in steps of a tenth of the capacity (CSS classes ``l0``..``l10``)."""


@dataclass(frozen=True)
class LoadCell:
    """One week of a party: pupils present, capacity, the bar's level, who is there."""

    used: int
    capacity: int
    level: int
    over: bool
    holiday: bool
    title: str


@dataclass
class LoadRow:
    """A company or centre over the year."""

    kind: str
    id: str
    name: str
    cells: list[LoadCell] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        """The row's id in the page (``company-jansens``), for links from explanations."""
        return f"{self.kind}-{self.id}"

    @property
    def overbooked(self) -> int:
        """Weeks with more pupils than places."""
        return sum(1 for c in self.cells if c.over)

    @property
    def peak(self) -> int:
        """The busiest week's number of pupils."""
        return max((c.used for c in self.cells), default=0)


def _level(used: int, capacity: int) -> int:
    if used <= 0:
        return 0
    if capacity <= 0:
        return LEVELS
    return max(1, min(LEVELS, round(LEVELS * used / capacity)))


def build_loads(scenario: Scenario, view: PlanView) -> tuple[list[Column], list[LoadRow]]:
    """The columns and a row per company, then per centre."""
    cols = columns(scenario)
    present: dict[tuple[str, str], dict[dt.date, list[str]]] = {}
    for a in view.plan.assignments:
        if a.absent:
            continue
        if (a.phase in ("company", "experience") and a.place.kind == "company") or (
            a.phase == "simulated" and a.place.kind == "centre"
        ):
            present.setdefault((a.place.kind, a.place.id), {}).setdefault(a.week, []).append(
                a.pupil
            )
    parties = [("company", c.id, c.name, c.capacity_in) for c in scenario.companies] + [
        ("centre", c.id, c.name, c.seats_in) for c in scenario.centres
    ]
    over_word = tr(nl="OVERBOEKT", en="OVERBOOKED")
    rows = []
    for kind, ident, name, capacity_in in parties:
        row = LoadRow(kind, ident, name)
        weeks = present.get((kind, ident), {})
        for col in cols:
            pupils = weeks.get(col.monday, [])
            capacity = 0 if col.holiday else capacity_in(col.monday)
            used = len(pupils)
            over = used > capacity
            title = f"{col.monday.isoformat()}: {used}/{capacity}"
            if over:
                title += f" {over_word}"
            if pupils:
                title += "\n" + ", ".join(_pupil_name(scenario, p) for p in sorted(pupils))
            row.cells.append(
                LoadCell(used, capacity, _level(used, capacity), over, bool(col.holiday), title)
            )
        rows.append(row)
    return cols, rows


def _pupil_name(scenario: Scenario, pupil_id: str) -> str:
    pupil = scenario.pupil_by_id.get(pupil_id)
    return f"{pupil.display_name} ({pupil_id})" if pupil else pupil_id
