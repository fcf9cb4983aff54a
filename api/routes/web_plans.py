"""The plan pages: the year grid, load views, adjusting and re-planning, comparing, publishing,
calendar subscriptions, the XLSX export and the print page.

Every page reads the plan through the cache of parsed plans (:mod:`api.web.planview`), so a
large plan is parsed once, not per request.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from api import diffs
from api.routes.feeds import create_subscription
from api.routes.web import job_done_url, parse_time_limit, submit_job
from api.store import PlanRow, ScenarioRow, Store
from api.web import grid, loads, replan
from api.web.auth import require_planner_page
from api.web.pages import PageError, missing, plan_of, redirect, store_of
from api.web.parties import kind_name, party_label, party_link, party_name, pupil_link
from api.web.planview import PlanView
from api.web.render import render
from api.web.xlsx import grid_workbook
from scheduler.errors import Problem, ScenarioError
from scheduler.i18n import current_language, tr
from scheduler.model.scenario import Scenario
from scheduler.validate import validate_plan

router = APIRouter(include_in_schema=False, dependencies=[Depends(require_planner_page)])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _base(
    row: PlanRow, view: PlanView, scenario_row: ScenarioRow, scenario: Scenario
) -> dict[str, Any]:
    """What every plan page shows in its header."""
    return {"plan": row, "data": view.plan, "scenario_row": scenario_row, "scenario": scenario}


def _selected_class(scenario: Scenario, requested: str | None) -> str:
    if requested is None:
        return grid.default_class(scenario)
    known = {c for c, _, _ in grid.class_choices(scenario)}
    if requested != grid.ALL and requested not in known:
        raise missing(
            nl=f"'{requested}' is geen klas van dit scenario",
            en=f"'{requested}' is not a class of this scenario",
        )
    return requested


def _explanation(scenario: Scenario, row: PlanRow, view: PlanView) -> list[dict[str, Any]]:
    """The explanation items with the parties' and pupils' names and links."""
    items = []
    for item in view.plan.explanation:
        items.append({
            "item": item,
            "parties": [(party_label(scenario, p), party_link(scenario, row.id, p))
                        for p in item.parties],
            "pupils": [(party_name(scenario, f"pupil:{p}"), pupil_link(scenario, row.id, p))
                       for p in item.pupils],
        })  # fmt: skip
    return items


@router.get("/plan/{plan_id}")
def plan_page(request: Request, plan_id: str) -> Response:
    """The year grid of a plan, paged per class for large scenarios."""
    row, view, scenario_row, scenario = plan_of(request, plan_id)
    selected = _selected_class(scenario, request.query_params.get("class"))
    context = {
        **_base(row, view, scenario_row, scenario),
        "columns": grid.columns(scenario),
        "groups": grid.build_grid(scenario, view, selected),
        "classes": grid.class_choices(scenario),
        "selected": selected,
        "legend": grid.legend(),
        "explanation": _explanation(scenario, row, view),
        "others": [p for p in store_of(request).list_plans(row.scenario_id) if p.id != row.id],
        "just_published": request.query_params.get("published") == "1",
    }
    return render(request, "plan.html", context)


@router.get("/plan/{plan_id}/print")
def print_page(request: Request, plan_id: str) -> Response:
    """The grid for printing (landscape, legend, room for the approval)."""
    row, view, scenario_row, scenario = plan_of(request, plan_id)
    selected = _selected_class(scenario, request.query_params.get("class"))
    context = {
        **_base(row, view, scenario_row, scenario),
        "columns": grid.columns(scenario),
        "groups": grid.build_grid(scenario, view, selected),
        "legend": grid.legend(),
        "today": dt.date.today(),
        "printing": True,
    }
    return render(request, "print.html", context)


@router.get("/plan/{plan_id}/export.xlsx")
def export_xlsx(request: Request, plan_id: str) -> Response:
    """The grid of every class as an Excel workbook."""
    row, view, _, scenario = plan_of(request, plan_id)
    groups = grid.build_grid(scenario, view, grid.ALL)
    body = grid_workbook(scenario, view.plan, groups)
    name = f"jaarplanning-{scenario.meta.name}-{row.id}.xlsx"
    return Response(
        body, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@router.get("/plan/{plan_id}/load")
def load_page(request: Request, plan_id: str) -> Response:
    """Per company and per centre: pupils present against capacity, week by week."""
    row, view, scenario_row, scenario = plan_of(request, plan_id)
    columns, rows = loads.build_loads(scenario, view)
    context = {**_base(row, view, scenario_row, scenario), "columns": columns, "rows": rows}
    return render(request, "load.html", context)


@router.post("/plan/{plan_id}/publish")
def publish(request: Request, plan_id: str) -> Response:
    """Make the plan the scenario's published plan (the calendars show it)."""
    row, *_ = plan_of(request, plan_id)
    if not row.publishable:
        raise PageError(
            409,
            tr(nl="dit plan kan niet gepubliceerd worden: het is geen geldig plan "
                  f"(status {row.status})",
               en=f"this plan cannot be published: it is not a valid plan (status {row.status})"),
        )  # fmt: skip
    store_of(request).publish_plan(plan_id)
    return redirect(request, f"/plan/{plan_id}?published=1")


# --- adjusting -----------------------------------------------------------------------------


def _carried_pins(request: Request, row: PlanRow) -> list[replan.PinSpec]:
    """The pins the plan was made with (a re-plan's), to keep in the next re-plan."""
    job = store_of(request).get_job(row.job_id) if row.job_id else None
    return [replan.PinSpec.from_json(p) for p in (job.options.get("pins") or [])] if job else []


def _adjust_page(
    request: Request, plan_id: str, status: int = 200, problems: list[Problem] | None = None,
    form: dict[str, str] | None = None,
) -> Response:  # fmt: skip
    row, view, scenario_row, scenario = plan_of(request, plan_id)
    context = {
        **_base(row, view, scenario_row, scenario),
        "pupils": scenario.pupils,
        "phases": replan.phase_choices(scenario),
        "weeks": replan.teaching_weeks(scenario),
        "companies": scenario.companies,
        "centres": scenario.centres,
        "carried": _carried_pins(request, row),
        "problems": problems or [],
        "form": form or {"pupil": request.query_params.get("pupil", "")},
        "default_time_limit": min(60, int(request.app.state.settings.default_time_limit)),
    }
    return render(request, "adjust.html", context, status)


@router.get("/plan/{plan_id}/adjust")
def adjust_page(request: Request, plan_id: str) -> Response:
    """The pin form: pupil, phase, first week, number of weeks, place."""
    return _adjust_page(request, plan_id)


@router.post("/plan/{plan_id}/replan")
def replan_plan(
    request: Request,
    plan_id: str,
    pupil: Annotated[str, Form()] = "",
    phase: Annotated[str, Form()] = "",
    first_week: Annotated[str, Form()] = "",
    weeks: Annotated[str, Form()] = "1",
    place: Annotated[str, Form()] = "",
    freeze_before: Annotated[str, Form()] = "",
    time_limit: Annotated[str, Form()] = "30",
) -> Response:
    """Re-plan around the pins (a job); its plan becomes a draft to review."""
    row, view, _, scenario = plan_of(request, plan_id)
    form = {"pupil": pupil, "phase": phase, "first_week": first_week, "weeks": weeks,
            "place": place, "freeze_before": freeze_before, "time_limit": time_limit}  # fmt: skip
    if not view.plan.assignments:
        raise PageError(409, tr(nl="een plan zonder weken kan niet aangepast worden",
                                en="a plan without weeks cannot be adjusted"))  # fmt: skip
    try:
        frozen = dt.date.fromisoformat(freeze_before) if freeze_before else None
    except ValueError:
        problem = Problem(
            tr(nl=f"'{freeze_before}' is geen datum", en=f"'{freeze_before}' is not a date"),
            path="freeze_before",
        )
        return _adjust_page(request, plan_id, 422, [problem], form)  # fmt: skip
    try:
        seconds = parse_time_limit(time_limit)
        new = replan.parse_pin(scenario, pupil, phase, first_week, weeks, place, frozen)
    except ScenarioError as exc:
        return _adjust_page(request, plan_id, 422, exc.problems, form)
    pins = replan.merge_pins(_carried_pins(request, row), new)
    options = {
        "time_limit": seconds, "seed": 0, "weights": {}, "baseline": plan_id,
        "pins": [p.to_json() for p in pins],
        "freeze_before": frozen.isoformat() if frozen else None,
    }  # fmt: skip
    args = replan.solve_args(scenario, view.plan, pins, frozen)
    job = submit_job(request, row.scenario_id, options, args)
    return redirect(request, f"/job/{job.id}")


# --- comparing -----------------------------------------------------------------------------


def _compare(request: Request, old_id: str, new_id: str, review: bool) -> Response:
    old_row, old_view, _, old_scenario = plan_of(request, old_id)
    row, view, scenario_row, scenario = plan_of(request, new_id)
    diff = diffs.plan_diff(old_scenario, old_view.plan, scenario, view.plan)
    report = validate_plan(scenario, view.plan) if review else None
    context = {
        **_base(row, view, scenario_row, scenario),
        "old": old_row,
        "old_data": old_view.plan,
        "diff": diff,
        "report": report,
        "review": review,
        "explanation": _explanation(scenario, row, view),
        "others": [p for p in store_of(request).list_plans(row.scenario_id) if p.id != row.id],
        "pupil_name": lambda p: party_name(scenario, f"pupil:{p}"),
        "what": lambda a: _what(scenario, a),
    }
    return render(request, "compare.html", context)


def _what(scenario: Scenario, a: Any) -> str:
    """A pupil-week in a few words: ``B ELM @ Jansens Elektro NV``."""
    if a is None:
        return "–"
    phase = "absent" if a.absent else a.phase
    ref = scenario.module_by_id.get(a.module) if a.module else None
    text = grid.phase_name(phase)
    if ref:
        text += f" {ref.module.short or ref.module.id}"
    return f"{text} — {grid.place_name(scenario, a.place.kind, a.place.id)}"


@router.get("/plan/{plan_id}/review")
def review(request: Request, plan_id: str) -> Response:
    """A re-plan before it is published: the validator's verdict and what changed."""
    row, *_ = plan_of(request, plan_id)
    job = store_of(request).get_job(row.job_id) if row.job_id else None
    baseline = job.options.get("baseline") if job else None
    if not baseline or store_of(request).get_plan(baseline) is None:
        raise missing(nl="dit plan is geen herplanning van een bestaand plan",
                      en="this plan is not a re-plan of an existing plan")  # fmt: skip
    return _compare(request, baseline, plan_id, review=True)


@router.get("/plan/{plan_id}/compare")
def compare(request: Request, plan_id: str) -> Response:
    """Two plans of a scenario side by side: KPIs, objective terms, changed pupil-weeks."""
    other = request.query_params.get("with", "")
    row, *_ = plan_of(request, plan_id)
    other_row = store_of(request).get_plan(other) if other else None
    if other_row is None or other_row.scenario_id != row.scenario_id:
        raise missing(
            nl=f"kies een ander plan van hetzelfde scenario om mee te vergelijken (niet '{other}')",
            en=f"choose another plan of the same scenario to compare with (not '{other}')",
        )
    return _compare(request, other, plan_id, review=False)


# --- calendar subscriptions ------------------------------------------------------------------


def _published(store: Store, scenario_id: str) -> PlanRow | None:
    """The scenario's published plan row, without reading its JSON."""
    return next((p for p in store.list_plans(scenario_id) if p.published), None)


def _feeds_page(
    request: Request, plan_id: str, status: int = 200, created: Any = None,
    problems: list[Problem] | None = None,
) -> Response:  # fmt: skip
    row, view, scenario_row, scenario = plan_of(request, plan_id)
    from api import feeds_adapter

    store = store_of(request)
    subscribers = feeds_adapter.subscribers(scenario)
    choices: dict[str, list[tuple[str, str]]] = {}
    for sub in subscribers:
        kind = sub.partition(":")[0]
        choices.setdefault(kind_name(kind), []).append((sub, party_name(scenario, sub)))
    feeds = store.list_feeds(row.scenario_id)
    context = {
        **_base(row, view, scenario_row, scenario),
        "published": _published(store, row.scenario_id),
        "feeds": [(f, party_label(scenario, f.subscriber)) for f in feeds],
        "choices": choices,
        "created": created,
        "created_label": party_label(scenario, created.subscriber) if created else None,
        "problems": problems or [],
    }  # fmt: skip
    return render(request, "feeds.html", context, status)


@router.get("/plan/{plan_id}/feeds")
def feeds_page(request: Request, plan_id: str) -> Response:
    """The scenario's calendar subscriptions: create, copy, revoke."""
    return _feeds_page(request, plan_id)


@router.post("/plan/{plan_id}/feeds")
def create_feed(
    request: Request,
    plan_id: str,
    subscriber: Annotated[str, Form()] = "",
    feed_lang: Annotated[str, Form()] = "",
) -> Response:
    """A new subscription; its URL is shown this once (only its hash is stored)."""
    row, _, _, scenario = plan_of(request, plan_id)
    store = store_of(request)
    if _published(store, row.scenario_id) is None:
        problem = Problem(
            tr(
                nl="publiceer eerst een plan van dit scenario",
                en="publish a plan of this scenario first",
            ),
            path="subscriber",
        )
        return _feeds_page(request, plan_id, 409, problems=[problem])  # fmt: skip
    settings = request.app.state.settings
    lang = feed_lang if feed_lang in ("nl", "en") else current_language()
    try:
        created = create_subscription(
            store, settings.public_url or str(request.base_url), row.scenario_id, scenario,
            subscriber, lang,
        )  # fmt: skip
    except ScenarioError as exc:
        return _feeds_page(request, plan_id, 422, problems=exc.problems)
    return _feeds_page(request, plan_id, 201, created=created)


@router.post("/plan/{plan_id}/feeds/{feed_id}/revoke")
def revoke_feed(request: Request, plan_id: str, feed_id: str) -> Response:
    """Revoke a subscription by its id: its URL answers 404 from now on."""
    row, *_ = plan_of(request, plan_id)
    if not store_of(request).revoke_feed_by_id(feed_id, row.scenario_id):
        raise missing(nl="dit abonnement bestaat niet (meer)",
                      en="this subscription does not exist (any more)")  # fmt: skip
    return redirect(request, f"/plan/{plan_id}/feeds")


__all__ = ["job_done_url", "router"]
