"""FALLBACK ONLY, until ``scheduler.ical`` lands (delete this file, and
``tests/web/test_ical_fallback.py``, at that merge).

A minimal stand-in with the API of ``scheduler.ical``: a valid VCALENDAR with one all-day
VEVENT (Monday to Friday) per company or experience week of the subscriber's pupils. It knows
nothing of visits, hours, schedules or updates (``previous`` is ignored).
"""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar, Event

from scheduler.errors import PlanError, UsageError
from scheduler.i18n import tr
from scheduler.model.scenario import Scenario
from scheduler.plan import Assignment, Plan

KINDS = ("company", "mentor", "pupil", "centre", "school")
WORK_PHASES = ("company", "experience")


def subscribers(scenario: Scenario) -> list[str]:
    """Every subscriber of a scenario."""
    ids = {
        "company": [c.id for c in scenario.companies],
        "mentor": [m.id for c in scenario.companies for m in c.mentors],
        "pupil": [p.id for p in scenario.pupils],
        "centre": [c.id for c in scenario.centres],
        "school": [s.id for s in scenario.schools],
    }
    return [f"{kind}:{i}" for kind in KINDS for i in ids[kind]]


def parse_subscriber(text: str, scenario: Scenario) -> tuple[str, str]:
    """``kind:id`` of an existing party."""
    kind, sep, ident = text.strip().partition(":")
    if not sep or kind not in KINDS or not ident:
        raise UsageError(
            tr(
                nl=f"'{text}' is geen abonnee: schrijf soort:id met soort een van "
                f"{', '.join(KINDS)} (bv. company:jansens)",
                en=f"'{text}' is not a subscriber: write kind:id with kind one of "
                f"{', '.join(KINDS)} (e.g. company:jansens)",
            )
        )
    if f"{kind}:{ident}" not in subscribers(scenario):
        raise UsageError(
            tr(
                nl=f"'{ident}' is geen {kind} in dit scenario",
                en=f"'{ident}' is not a {kind} in this scenario",
            )
        )
    return kind, ident


def _concerns(scenario: Scenario, a: Assignment, kind: str, ident: str) -> bool:
    if kind == "pupil":
        return a.pupil == ident
    if kind == "school":
        return scenario.school_of(scenario.pupil_by_id[a.pupil]).id == ident
    if kind == "mentor":
        return a.mentor == ident
    return a.place.kind == kind and a.place.id == ident


def _name(scenario: Scenario, pupil_id: str, kind: str) -> str:
    pupil = scenario.pupil_by_id[pupil_id]
    naming = scenario.settings.pupil_names
    if kind in ("pupil", "school") or naming == "full_name":
        return pupil.display_name
    if naming == "code":
        return pupil.id
    return f"{pupil.first_name} {pupil.last_name[0]}." if pupil.last_name else pupil.first_name


def build_feed(
    scenario: Scenario,
    plan: Plan,
    subscriber: str,
    *,
    previous: bytes | None = None,
    generated: dt.datetime | None = None,
) -> bytes:
    """The subscriber's calendar: one event per company/experience week of their pupils."""
    if not plan.has_solution or plan.proposal:
        raise PlanError(tr(nl="dit plan heeft geen geldige planning", en="this plan is not valid"))
    kind, ident = parse_subscriber(subscriber, scenario)
    stamp = generated or dt.datetime.now(dt.UTC)
    cal = Calendar()
    cal.add("prodid", "-//duaal-leren-planner//fallback//NL")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{scenario.meta.name} - {subscriber}")
    for a in plan.assignments:
        if a.phase not in WORK_PHASES or not _concerns(scenario, a, kind, ident):
            continue
        place = scenario.company_by_id[a.place.id].name if a.place.kind == "company" else a.place.id
        what = (
            tr(nl="ervaringsperiode", en="experience period")
            if a.phase == "experience"
            else (tr(nl="bedrijfsfase", en="company phase") + (f" {a.module}" if a.module else ""))
        )
        event = Event()
        event.add("uid", f"{a.pupil}-{a.week.isoformat()}-{kind}-{ident}@duaal-leren-planner")
        event.add("dtstamp", stamp)
        event.add("dtstart", a.week)
        event.add("dtend", a.week + dt.timedelta(days=5))
        event.add("summary", f"{_name(scenario, a.pupil, kind)}: {what} ({place})")
        cal.add_component(event)
    return cal.to_ical()
