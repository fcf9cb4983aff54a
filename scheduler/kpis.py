"""Key figures of a plan, computed from the plan itself (so they hold for any plan, also one
edited by hand): contract averages and margins, waiting, home-company share, utilisation.

Used by the solve summary, the what-if comparison and the API. Independent of the solver.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from typing import Any

from scheduler.model.programme import OAO_THRESHOLD_HOURS
from scheduler.model.scenario import Scenario
from scheduler.plan import Assignment, PupilSummary


def pupil_summaries(scenario: Scenario, assignments: list[Assignment]) -> list[PupilSummary]:
    """Each pupil's contract, annual workplace-hours average and margin above 20 h."""
    hours: dict[str, float] = defaultdict(float)
    for a in assignments:
        hours[a.pupil] += a.hours.workplace
    out = []
    for pupil in scenario.pupils:
        days = sum(scenario.pupil_days(pupil).values())
        total = hours.get(pupil.id, 0.0)
        avg = total / (days / 5) if days else 0.0
        out.append(
            PupilSummary(
                pupil=pupil.id,
                contract=scenario.contract_of(pupil),
                workplace_hours_per_week=round(avg, 2),
                margin=round(avg - OAO_THRESHOLD_HOURS, 2),
                school_days=days,
                workplace_hours=round(total, 2),
            )
        )
    return out


def _blocks(items: list[Assignment]) -> list[list[Assignment]]:
    """Runs of consecutive assignments with the same phase, module and place."""
    out: list[list[Assignment]] = []
    for a in items:
        if out and (
            out[-1][-1].phase == a.phase
            and out[-1][-1].module == a.module
            and out[-1][-1].place == a.place
        ):
            out[-1].append(a)
        else:
            out.append([a])
    return out


def plan_kpis(scenario: Scenario, assignments: list[Assignment]) -> dict[str, Any]:
    """Key figures of a plan (JSON-ready)."""
    summaries = pupil_summaries(scenario, assignments)
    teaching = [w.monday for w in scenario.school_calendar.weeks if w.school_days > 0]
    index = {m: i for i, m in enumerate(teaching)}
    by_pupil: dict[str, list[Assignment]] = defaultdict(list)
    for a in sorted(assignments, key=lambda a: (a.pupil, a.week)):
        by_pupil[a.pupil].append(a)

    waiting = 0
    away = 0
    for pupil_id, items in by_pupil.items():
        pupil = scenario.pupil_by_id.get(pupil_id)
        blocks = [b for b in _blocks(items) if b[0].phase != "school"]
        for prev, nxt in itertools.pairwise(blocks):
            if prev[0].module is not None and prev[0].module == nxt[0].module:
                waiting += index.get(nxt[0].week, 0) - index.get(prev[-1].week, 0) - 1
        if pupil is not None:
            away += sum(
                1
                for a in items
                if a.phase in ("company", "experience") and a.place.id != pupil.company
            )

    def load(kind: str, phases: tuple[str, ...]) -> dict[str, dict[str, int]]:
        per: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for a in assignments:
            if a.phase in phases and a.place.kind == kind:
                per[a.place.id][a.week.isoformat()] += 1
        return per

    companies = {}
    company_load = load("company", ("company", "experience"))
    for company in scenario.companies:
        weeks = company_load.get(company.id, {})
        capacity = sum(company.capacity_in(m) for m in teaching)
        used = sum(weeks.values())
        companies[company.id] = {
            "pupil_weeks": used,
            "capacity_weeks": capacity,
            "utilisation": round(used / capacity, 3) if capacity else None,
            "peak": max(weeks.values(), default=0),
        }
    centres = {}
    centre_load = load("centre", ("simulated",))
    for centre in scenario.centres:
        weeks = centre_load.get(centre.id, {})
        capacity = sum(centre.seats_in(m) for m in teaching)
        used = sum(weeks.values())
        centres[centre.id] = {
            "pupil_weeks": used,
            "seat_weeks": capacity,
            "utilisation": round(used / capacity, 3) if capacity else None,
            "peak": max(weeks.values(), default=0),
        }
    oao = [s for s in summaries if s.contract == "oao"]
    internship = [s for s in summaries if s.contract == "internship"]
    averages = [s.workplace_hours_per_week for s in summaries]
    return {
        "pupils": len(summaries),
        "oao_pupils": len(oao),
        "internship_pupils": len(internship),
        "workplace_hours_avg": round(sum(averages) / len(averages), 2) if averages else None,
        "oao_min_margin": min((s.margin for s in oao), default=None),
        "oao_below_20": sum(1 for s in oao if s.margin < 0),
        "internship_at_or_above_20": sum(1 for s in internship if s.margin >= 0),
        "waiting_weeks": waiting,
        "away_from_home_weeks": away,
        "companies": companies,
        "centres": centres,
    }
