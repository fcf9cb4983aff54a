"""Reading feeds back in tests, with two independent parsers (icalendar and ical)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import icalendar
from ical.calendar import Calendar as StrictCalendar
from ical.calendar_stream import IcsCalendarStream


def parse_both(data: bytes) -> tuple[icalendar.Calendar, StrictCalendar]:
    """The feed read by ``icalendar`` and by the strict RFC 5545 parser ``ical``."""
    loose = icalendar.Calendar.from_ical(data)
    strict = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    assert len(loose.walk("VEVENT")) == len(strict.events)
    return loose, strict


def events(data: bytes) -> dict[str, icalendar.Event]:
    """The feed's events by UID (failing on a repeated UID)."""
    out: dict[str, icalendar.Event] = {}
    for event in icalendar.Calendar.from_ical(data).walk("VEVENT"):
        uid = str(event["UID"])
        assert uid not in out, f"UID {uid} twice"
        out[uid] = event
    return out


@dataclass(frozen=True)
class Occurrence:
    """One day an event (or one instance of a repeating event) covers."""

    uid: str
    day: dt.date
    summary: str
    description: str
    all_day: bool


def occurrences(data: bytes) -> list[Occurrence]:
    """Every day covered by every event instance, expanded by the ``ical`` library (so
    repetition rules are read by a parser that shares no code with the writer)."""
    calendar = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    out: list[Occurrence] = []
    for instance in calendar.timeline:
        start, end = instance.dtstart, instance.dtend
        all_day = not isinstance(start, dt.datetime)
        if all_day:
            days = [start + dt.timedelta(days=i) for i in range((end - start).days)]
        else:
            assert start.date() == end.date(), "a timed event stays within its day"
            days = [start.date()]
        out.extend(
            Occurrence(
                instance.uid or "",
                day,
                instance.summary or "",
                instance.description or "",
                all_day,
            )
            for day in days
        )
    return out


def event_text(event: icalendar.Event) -> str:
    """Summary, description and location of an event, for searching names in."""
    return "\n".join(str(event.get(k, "")) for k in ("SUMMARY", "DESCRIPTION", "LOCATION"))
