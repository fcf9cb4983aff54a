"""FALLBACK ONLY: tests of ``api/_ical_fallback.py`` (delete both when ``scheduler.ical`` lands).

The feed tests in ``test_flow.py`` hold for either implementation; these check the stand-in's
own promise: one event per company/experience week of the subscriber's pupils.
"""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest

from api import _ical_fallback as fallback
from scheduler.errors import PlanError, UsageError
from scheduler.files import scenario_from_text
from scheduler.plan import Plan
from tests.web.conftest import small_yaml


@pytest.fixture(scope="module")
def scenario():
    """The small scenario."""
    return scenario_from_text(small_yaml())


def test_subscribers_name_every_party(scenario) -> None:
    names = fallback.subscribers(scenario)
    assert "company:jansens" in names and "mentor:desmet-koen" in names
    assert "pupil:L11" in names and "centre:anttec-gent" in names
    assert "school:vti-scheldeland" in names
    assert fallback.parse_subscriber(" pupil:L01 ", scenario) == ("pupil", "L01")
    for bad in ("pupil:L99", "teacher:x", "jansens", "company:"):
        with pytest.raises(UsageError):
            fallback.parse_subscriber(bad, scenario)


@pytest.mark.parametrize("subscriber", ["company:mertens", "pupil:L04", "mentor:jansens-an"])
def test_one_event_per_work_week_of_the_subscribers_pupils(
    scenario, solved_plan, subscriber
) -> None:
    plan = Plan.model_validate(solved_plan)
    kind, ident = subscriber.split(":")
    expected = {
        (a.pupil, a.week)
        for a in plan.assignments
        if a.phase in ("company", "experience")
        and (
            (kind == "pupil" and a.pupil == ident)
            or (kind == "mentor" and a.mentor == ident)
            or (kind == "company" and a.place.id == ident)
        )
    }
    stamp = dt.datetime(2026, 8, 1, tzinfo=dt.UTC)
    body = fallback.build_feed(scenario, plan, subscriber, generated=stamp)
    events = icalendar.Calendar.from_ical(body).walk("VEVENT")
    starts = sorted(e.decoded("DTSTART") for e in events)
    assert starts == sorted(week for _, week in expected)
    assert len({str(e["UID"]) for e in events}) == len(events)
    # the same plan and time stamp give the same bytes (stable ETags)
    assert fallback.build_feed(scenario, plan, subscriber, generated=stamp) == body


def test_no_feed_from_a_plan_without_solution(scenario, solved_plan) -> None:
    plan = Plan.model_validate({**solved_plan, "status": "infeasible", "proposal": True})
    with pytest.raises(PlanError):
        fallback.build_feed(scenario, plan, "company:jansens")
