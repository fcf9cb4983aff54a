"""The iCalendar feed (RFC 5545) of one subscriber, built with the ``icalendar`` library.

Feeds are made to be subscribed to (Outlook, Google Calendar, Apple Calendar, Thunderbird) and
to update in place when the plan changes:

- every event's UID is a UUID5 of the scenario name, the subscriber and the event's stable key
  (:mod:`scheduler.ical.blocks`), so the same plan always gives the same UIDs and a changed
  plan moves events instead of duplicating them;
- SEQUENCE and DTSTAMP come from the previous export of the same feed (``previous``): an event
  whose content is unchanged keeps both; a changed event gets SEQUENCE + 1 and the new stamp;
  a new event starts at 0. Without ``generated`` the stamp is fixed (1 August before the school
  year, UTC), so the same inputs always give the same bytes.

All-day events use ``VALUE=DATE`` with an exclusive DTEND; phases with a daily schedule become
timed events in Europe/Brussels (a VTIMEZONE is always included), repeated daily over the run
of school days (``RRULE:FREQ=DAILY;COUNT=n``).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, vDuration

from scheduler.errors import PlanError, UsageError
from scheduler.i18n import tr
from scheduler.ical.events import EventSpec, feed_events
from scheduler.ical.subscribers import SubscriberKind, parse_subscriber
from scheduler.ical.texts import calendar_description, calendar_name
from scheduler.model import Scenario
from scheduler.plan import Plan, check_plan_matches

NAMESPACE = uuid.UUID("3b0c1f5e-8d7a-5b8e-9c41-6d2f0a7e5c93")
"""The UUID5 namespace of every event UID; never change it (subscribers would get duplicates)."""

TIMEZONE = "Europe/Brussels"
PRODID = "-//Duaal leren planner//scheduler ical//NL"
DEFAULT_REFRESH = dt.timedelta(days=1)

_VOLATILE = frozenset({"DTSTAMP", "SEQUENCE"})
_NAME = re.compile(r"^[A-Za-z0-9-]+")


class PreviousFeedError(UsageError):
    """The previous export given to :func:`build_feed` is not an iCalendar feed."""


def event_uid(scenario: Scenario, subscriber: str, key: str) -> str:
    """The UID of an event: stable for the same scenario name, subscriber and event key."""
    return str(uuid.uuid5(NAMESPACE, f"{scenario.meta.name}|{subscriber}|{key}"))


def default_stamp(scenario: Scenario) -> dt.datetime:
    """The DTSTAMP used when no ``generated`` time is given: 1 August before the school year."""
    return dt.datetime(scenario.school_calendar.start_year, 8, 1, tzinfo=dt.UTC)


def _utc(moment: dt.datetime) -> dt.datetime:
    """A moment in UTC, whole seconds (a naive moment is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).replace(microsecond=0)


@dataclass(frozen=True)
class _Before:
    """An event as the previous export had it."""

    sequence: int
    content: tuple[str, ...]
    stamp: dt.datetime | None


def _content(event: Event) -> tuple[str, ...]:
    """The event's content lines without DTSTAMP and SEQUENCE, sorted: equal when the event
    says the same thing."""
    lines = []
    for line in event.content_lines():
        match = _NAME.match(line)
        name = match.group(0).upper() if match else ""
        if name and name not in ("BEGIN", "END") and name not in _VOLATILE:
            lines.append(str(line))
    return tuple(sorted(lines))


def _previous_events(previous: str | bytes | None) -> dict[str, _Before]:
    """The events of a previous export by UID (empty without one)."""
    if previous is None:
        return {}
    data = previous.encode("utf-8") if isinstance(previous, str) else previous
    try:
        calendar = Calendar.from_ical(data)
    except ValueError as exc:
        raise PreviousFeedError(
            tr(
                nl=f"de vorige feed is geen iCalendar-tekst: {exc}",
                en=f"the previous feed is not iCalendar text: {exc}",
            )
        ) from None
    if not isinstance(calendar, Calendar):
        raise PreviousFeedError(
            tr(
                nl="de vorige feed is geen VCALENDAR",
                en="the previous feed is not a VCALENDAR",
            )
        )
    out: dict[str, _Before] = {}
    for event in calendar.walk("VEVENT"):
        uid = str(event.get("UID", ""))
        try:
            sequence = int(str(event.get("SEQUENCE", 0)))
        except ValueError:
            sequence = 0
        stamp = getattr(event.get("DTSTAMP"), "dt", None)
        out[uid] = _Before(
            sequence=sequence,
            content=_content(event),
            stamp=_utc(stamp) if isinstance(stamp, dt.datetime) else None,
        )
    return out


def _event(spec: EventSpec, uid: str, zone: ZoneInfo) -> Event:
    """The VEVENT of one event, without DTSTAMP and SEQUENCE."""
    event = Event()
    event.add("uid", uid)
    first = spec.days[0]
    if spec.schedule is None:
        event.add("dtstart", first)
        event.add("dtend", spec.days[-1] + dt.timedelta(days=1))  # exclusive
    else:
        event.add("dtstart", dt.datetime.combine(first, spec.schedule.start, zone))
        event.add("dtend", dt.datetime.combine(first, spec.schedule.end, zone))
        if len(spec.days) > 1:  # the days of a run are consecutive
            event.add("rrule", {"FREQ": "DAILY", "COUNT": len(spec.days)})
    event.add("summary", spec.summary)
    event.add("description", spec.description)
    if spec.location:
        event.add("location", spec.location)
    event.add("categories", [spec.category])
    # a pupil's plan must not make the subscriber look busy
    event.add("transp", "TRANSPARENT")
    return event


def _calendar(
    scenario: Scenario, kind: SubscriberKind, ident: str, refresh: dt.timedelta
) -> Calendar:
    """The VCALENDAR with its properties and the Europe/Brussels VTIMEZONE."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    name = calendar_name(scenario, kind, ident)
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    description = calendar_description(scenario, kind, ident)
    calendar.add("description", description)
    calendar.add("x-wr-caldesc", description)
    calendar.add("x-wr-timezone", TIMEZONE)
    calendar.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", _duration(refresh))
    start_year = scenario.school_calendar.start_year
    calendar.add_component(
        Timezone.from_tzid(
            TIMEZONE,
            first_date=dt.date(start_year, 1, 1),
            last_date=dt.date(start_year + 2, 1, 1),
        )
    )
    return calendar


def _duration(value: dt.timedelta) -> str:
    """A duration as RFC 5545 text (``P1D``, ``PT6H``), for the X-PUBLISHED-TTL text value."""
    return vDuration(value).to_ical().decode("ascii")


def build_feed(
    scenario: Scenario,
    plan: Plan,
    subscriber: str | tuple[SubscriberKind, str],
    *,
    previous: str | bytes | None = None,
    generated: dt.datetime | None = None,
    refresh: dt.timedelta = DEFAULT_REFRESH,
) -> bytes:
    """The iCalendar feed of one subscriber (``company:jansens``, ``pupil:L01``, ...).

    ``previous`` is the last export of the same feed: unchanged events keep their SEQUENCE and
    DTSTAMP, changed ones get SEQUENCE + 1 and ``generated`` (UTC; see :func:`default_stamp`
    when absent). ``refresh`` is how often clients should fetch the feed again.

    Raises :class:`PlanError` when the plan belongs to another scenario or has no solution, and
    :class:`UsageError` for an unknown subscriber or a ``previous`` that is not iCalendar.
    Text is in the current language (:func:`scheduler.i18n.language`).
    """
    check_plan_matches(plan, scenario)
    if not plan.has_solution:
        raise PlanError(
            tr(
                nl=f"het plan van scenario '{plan.scenario}' heeft geen oplossing "
                f"(status {plan.status}): er is geen agenda van te maken",
                en=f"the plan of scenario '{plan.scenario}' has no solution "
                f"(status {plan.status}): no calendar can be made from it",
            )
        )
    if isinstance(subscriber, tuple):
        kind, ident = parse_subscriber(f"{subscriber[0]}:{subscriber[1]}", scenario)
    else:
        kind, ident = parse_subscriber(subscriber, scenario)
    before = _previous_events(previous)
    stamp = _utc(generated) if generated is not None else default_stamp(scenario)
    zone = ZoneInfo(TIMEZONE)
    calendar = _calendar(scenario, kind, ident, refresh)
    name = f"{kind}:{ident}"
    for spec in feed_events(scenario, plan, kind, ident):
        uid = event_uid(scenario, name, spec.key)
        event = _event(spec, uid, zone)
        old = before.get(uid)
        if old is None:
            sequence, when = 0, stamp
        elif old.content == _content(event):
            sequence, when = old.sequence, old.stamp or stamp
        else:
            sequence = old.sequence + 1
            # a changed event must never look older than the version it replaces
            when = stamp if old.stamp is None else max(stamp, old.stamp + dt.timedelta(seconds=1))
        event.add("dtstamp", when)
        event.add("sequence", sequence)
        calendar.add_component(event)
    return calendar.to_ical()
