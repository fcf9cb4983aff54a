"""The thin seam between the API and the iCalendar feeds.

The feeds are made by ``scheduler.ical`` (``subscribers``, ``parse_subscriber``,
``build_feed``). Until that module is part of this tree, :mod:`api._ical_fallback` stands in
with the same three functions; the API only ever calls the functions below.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from scheduler.model.scenario import Scenario
from scheduler.plan import Plan


def _backend() -> ModuleType:
    try:
        return importlib.import_module("scheduler.ical")
    except ModuleNotFoundError as exc:
        if exc.name != "scheduler.ical":
            raise  # scheduler.ical exists but lacks a dependency: a real error
        return importlib.import_module("api._ical_fallback")


_ical = _backend()
BACKEND: str = _ical.__name__
"""Which module makes the feeds (``scheduler.ical``, or the fallback)."""


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
