"""Parsed plans for the web pages, cached by plan id.

A plan's JSON never changes once stored (only its row's ``published`` flag does), so each
plan is parsed once and kept, with its assignments indexed by pupil and week, for the next
requests. A 2,000-pupil plan holds some 80,000 assignments: parsing it costs far more than
rendering one page of it.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cached_property

from api.store import PlanRow, Store
from scheduler.kpis import pupil_summaries
from scheduler.model.scenario import Scenario
from scheduler.plan import Assignment, Plan, PupilSummary


@dataclass
class PlanView:
    """A parsed plan with the lookups the pages need."""

    plan: Plan
    cells: dict[str, dict[dt.date, Assignment]] = field(default_factory=dict)

    @classmethod
    def of(cls, plan: Plan) -> PlanView:
        """Index ``plan``'s assignments by pupil and week."""
        cells: dict[str, dict[dt.date, Assignment]] = {}
        for a in plan.assignments:
            cells.setdefault(a.pupil, {})[a.week] = a
        return cls(plan, cells)

    def summaries(self, scenario: Scenario) -> dict[str, PupilSummary]:
        """Each pupil's contract margin: the plan's own summaries, or computed from the
        assignments when the plan has none (a plan edited by hand)."""
        if self.plan.pupils:
            return {s.pupil: s for s in self.plan.pupils}
        return self._computed(scenario)

    def _computed(self, scenario: Scenario) -> dict[str, PupilSummary]:
        key = scenario.fingerprint
        if self._summary_cache.get("key") != key:
            self._summary_cache.clear()
            self._summary_cache["key"] = key
            self._summary_cache["value"] = {
                s.pupil: s for s in pupil_summaries(scenario, list(self.plan.assignments))
            }
        return self._summary_cache["value"]  # type: ignore[return-value]

    @cached_property
    def _summary_cache(self) -> dict[str, object]:
        return {}


class PlanCache:
    """The last ``size`` parsed plans (least recently used out first); thread-safe."""

    def __init__(self, size: int = 4):
        self._size = size
        self._items: OrderedDict[str, PlanView] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, plan_id: str, plan: Plan) -> None:
        """Keep a plan that is already parsed (e.g. the one a solve job just stored)."""
        self._keep(plan_id, PlanView.of(plan))

    def _keep(self, plan_id: str, view: PlanView) -> None:
        with self._lock:
            self._items[plan_id] = view
            self._items.move_to_end(plan_id)
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def view(self, store: Store, row: PlanRow) -> PlanView:
        """The parsed plan of a stored plan row (read from the store on first use)."""
        with self._lock:
            found = self._items.get(row.id)
            if found is not None:
                self._items.move_to_end(row.id)
                return found
        full = store.get_plan(row.id, full=True)
        data = full.data if full is not None else "{}"
        view = PlanView.of(Plan.model_validate_json(data))
        self._keep(row.id, view)
        return view
