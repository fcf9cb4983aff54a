"""Calendar feeds: planners subscribe a party to a scenario's plan; calendars fetch the feed.

``POST /plans/{id}/feeds`` (planner token) makes a subscription with a secret token and answers
its URL once; ``GET /feeds/{token}.ics`` (the token is the only key) serves the subscriber's
calendar from the scenario's *published* plan, so publishing another plan updates every
subscription; ``DELETE /feeds/{token}`` revokes it. Tokens are stored hashed.
"""

from __future__ import annotations

import hashlib
import json
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Header, HTTPException, Request, Response

from api import feeds_adapter
from api.deps import SettingsDep, StoreDep, require_planner
from api.errors import not_found, responses
from api.examples import FEED_EXAMPLES
from api.routes.plans import plan_row
from api.schemas import FeedCreated, FeedRequest
from api.store import FeedRow, Store
from api.tokens import hash_token, new_feed_token
from scheduler.errors import Problem, ScenarioError, UsageError
from scheduler.i18n import current_language, language, tr
from scheduler.model.scenario import Scenario
from scheduler.plan import Plan

CALENDAR = "text/calendar; charset=utf-8"
CACHE_CONTROL = "private, no-cache"
"""Calendars may keep the feed but must ask again (cheaply, with If-None-Match) each time."""

router = APIRouter(prefix="/feeds", tags=["feeds"])
planner_router = APIRouter(
    prefix="/plans",
    tags=["feeds"],
    dependencies=[Depends(require_planner)],
    responses=responses(401),
)


@planner_router.post(
    "/{plan_id}/feeds",
    status_code=201,
    response_model=FeedCreated,
    responses=responses(400, 404, 409, 413, 422),
)
def subscribe(
    plan_id: str,
    body: Annotated[FeedRequest, Body(openapi_examples=FEED_EXAMPLES)],
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
) -> FeedCreated:
    """Subscribe ``company:ID``, ``mentor:ID``, ``pupil:ID``, ``centre:ID`` or ``school:ID`` to
    the calendar of this (published) plan's scenario. The answer holds the only copy of the
    feed's secret URL."""
    row = plan_row(store, plan_id)
    if not row.published:
        raise HTTPException(
            409,
            tr(
                nl=f"plan '{plan_id}' is niet gepubliceerd: publiceer het eerst "
                f"(POST /plans/{plan_id}/publish)",
                en=f"plan '{plan_id}' is not published: publish it first "
                f"(POST /plans/{plan_id}/publish)",
            ),
        )
    scenario = store.scenario_model(row.scenario_id)
    if scenario is None:
        raise not_found("scenario", "scenario", row.scenario_id)
    return create_subscription(
        store,
        settings.public_url or str(request.base_url),
        row.scenario_id,
        scenario,
        body.subscriber,
        body.lang or current_language(),
        path="body.subscriber",
    )


def create_subscription(
    store: Store,
    base_url: str,
    scenario_id: str,
    scenario: Scenario,
    subscriber: str,
    lang: str,
    *,
    path: str = "subscriber",
) -> FeedCreated:
    """Make a subscription of ``subscriber`` to the scenario's published plan: a fresh secret
    token, stored hashed; the answer holds the only copy of its URL. ``ScenarioError`` (at
    ``path``) when the subscriber is malformed or not in the scenario."""
    try:
        kind, ident = feeds_adapter.parse_subscriber(subscriber, scenario)
    except UsageError as exc:
        raise ScenarioError([Problem(str(exc), path=path)]) from None
    token = new_feed_token()
    feed = store.add_feed(hash_token(token), scenario_id, f"{kind}:{ident}", lang)
    url = f"{base_url.rstrip('/')}/feeds/{token}.ics"
    return FeedCreated(
        id=feed.id,
        subscriber=feed.subscriber,
        scenario_id=feed.scenario_id,
        url=url,
        webcal_url="webcal://" + url.split("://", 1)[1],
        created_at=feed.created_at,
    )


def _gone() -> HTTPException:
    return HTTPException(
        404,
        tr(
            nl="dit agenda-abonnement bestaat niet (meer)",
            en="this calendar subscription does not exist (any more)",
        ),
    )


def _etag_matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    tags = [t.strip().removeprefix("W/") for t in header.split(",")]
    return "*" in tags or etag in tags


def _current_feed(store: Store, feed: FeedRow) -> tuple[bytes, str]:
    """The feed from the scenario's published plan (rebuilt only when that plan changed)."""
    published = store.published_plan(feed.scenario_id)
    if published is None:
        raise HTTPException(
            404,
            tr(nl="er is (nog) geen gepubliceerd plan", en="there is no published plan (yet)"),
        )
    if published.id == feed.cache_plan_id and feed.cache_body and feed.cache_etag:
        return feed.cache_body, feed.cache_etag
    scenario = store.scenario_model(feed.scenario_id)
    if scenario is None:
        raise _gone()
    plan = Plan.model_validate(json.loads(published.data))
    with language(feed.lang):
        body = feeds_adapter.build_feed(
            scenario,
            plan,
            feed.subscriber,
            previous=feed.cache_body,
            generated=published.published_at,
        )
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    store.cache_feed(feed.id, published.id, body, etag)
    return body, etag


@router.get(
    "/{token}.ics",
    response_class=Response,
    responses={
        200: {"content": {"text/calendar": {"schema": {"type": "string"}}}},
        304: {"description": "Not modified (If-None-Match matched the ETag)."},
        **responses(404, 409),
    },
)
def get_feed(
    token: str,
    store: StoreDep,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """The subscriber's calendar (iCalendar), from the scenario's published plan. Send the
    ETag back in If-None-Match to get 304 when nothing changed."""
    feed = store.active_feed(hash_token(token))
    if feed is None:
        raise _gone()
    body, etag = _current_feed(store, feed)
    headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL}
    if _etag_matches(if_none_match, etag):
        return Response(status_code=304, headers=headers)
    headers["Content-Disposition"] = 'inline; filename="planning.ics"'
    return Response(body, media_type=CALENDAR, headers=headers)


@router.delete("/{token}", status_code=204, responses=responses(404))
def revoke_feed(token: str, store: StoreDep) -> Response:
    """Revoke a subscription (the feed URL answers 404 from now on). The token is the key."""
    if not store.revoke_feed(hash_token(token.removesuffix(".ics"))):
        raise _gone()
    return Response(status_code=204)
