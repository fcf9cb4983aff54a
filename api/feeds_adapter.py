"""The thin seam between the API and the iCalendar feeds of :mod:`scheduler.ical`: the API
only ever calls the functions below."""

from __future__ import annotations

from typing import Any

from scheduler import ical as _ical
from scheduler.model.scenario import Scenario
from scheduler.plan import Plan

BACKEND: str = _ical.__name__
"""Which module makes the feeds."""


def subscribers(scenario: Scenario) -> list[str]:
    """Every subscriber of a scenario (``company:ID``, ``mentor:ID``, ...)."""
    return list(_ical.subscribers(scenario))


def parse_subscriber(text: str, scenario: Scenario) -> tuple[str, str]:
    """``company:jansens`` -> ``("company", "jansens")``; UsageError when unknown or malformed."""
    kind, ident = _ical.parse_subscriber(text, scenario)
    return str(kind), str(ident)


def build_feed(
    scenario: Scenario, plan: Plan, subscriber: str, *, previous: bytes | None, generated: Any
) -> bytes:
    """The subscriber's iCalendar feed of ``plan`` (PlanError when the plan cannot serve one)."""
    return bytes(
        _ical.build_feed(scenario, plan, subscriber, previous=previous, generated=generated)
    )
