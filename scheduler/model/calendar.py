"""The Flemish school calendar (secondary education, Dutch-speaking community).

The calendar is computed from its rules for any school year, not read from a table:

- first day 1 September (weekend: the Monday after), last day 30 June (weekend: the Friday
  before);
- autumn holiday: the week (Mon-Sun) containing 1 November; when 1 November is a Sunday, the
  week from Monday 2 November;
- Christmas holiday, two weeks from the Monday of the week containing 25 December; when
  25 December is a Saturday or Sunday, from the Monday after;
- spring holiday (krokusvakantie), one week from the 7th Monday before Easter Sunday;
- Easter holiday, two weeks from the first Monday of April; when Easter Sunday falls in March,
  from Easter Monday; when Easter Sunday falls after 15 April, from the second Monday before
  Easter;
- summer holiday 1 July - 31 August;
- single free days: 11 November, Easter Monday, 1 May, Ascension Day and the Friday after it,
  Whit Monday, when they fall on a school day.

Easter comes from ``dateutil``; the tests check the public holidays against the ``holidays``
package (country BE).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from functools import lru_cache

from dateutil.easter import easter
from pydantic import Field

from scheduler.i18n import tr
from scheduler.model.base import DomainModel, monday_of

HOLIDAY_NAMES = (
    "herfstvakantie",
    "kerstvakantie",
    "krokusvakantie",
    "paasvakantie",
    "zomervakantie",
)

_DAY = dt.timedelta(days=1)
_WEEK = dt.timedelta(days=7)


class Holiday(DomainModel):
    """A school holiday; ``start`` and ``end`` are inclusive (Monday..Sunday)."""

    name: str
    start: dt.date
    end: dt.date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end


class FreeDay(DomainModel):
    """A single day without school inside the school year (public holiday or school's own)."""

    name: str
    date: dt.date


class Week(DomainModel):
    """One calendar week of the school year, named by its Monday."""

    monday: dt.date
    school_days: int = Field(ge=0, le=5)
    holiday: str | None = Field(
        default=None, description="Name of the school holiday covering this whole week, if any."
    )


class SchoolCalendar(DomainModel):
    """The Flemish calendar of one school year, as every school in Flanders shares it."""

    school_year: str
    first_day: dt.date
    last_day: dt.date
    holidays: tuple[Holiday, ...]
    free_days: tuple[FreeDay, ...]
    weeks: tuple[Week, ...]

    @property
    def start_year(self) -> int:
        """The calendar year in which the school year starts."""
        return self.first_day.year if self.first_day.month >= 8 else self.first_day.year - 1

    def holiday_on(self, day: dt.date) -> Holiday | None:
        """The school holiday covering ``day``, if any."""
        return next((h for h in self.holidays if day in h), None)

    def is_school_day(self, day: dt.date, extra_free_days: Iterable[dt.date] = ()) -> bool:
        """Whether pupils have school on ``day`` (weekday, in the year, no holiday, not free)."""
        if day < self.first_day or day > self.last_day or day.weekday() >= 5:
            return False
        if self.holiday_on(day) is not None:
            return False
        free = {f.date for f in self.free_days}
        return day not in free and day not in set(extra_free_days)

    def school_days_of_week(
        self, monday: dt.date, extra_free_days: Iterable[dt.date] = ()
    ) -> list[dt.date]:
        """The school days in the week starting ``monday``."""
        extra = set(extra_free_days)
        return [
            d
            for d in (monday + i * _DAY for i in range(5))
            if self.is_school_day(d) and d not in extra
        ]

    def contains(self, day: dt.date) -> bool:
        """Whether ``day`` lies within the school year (first day..last day)."""
        return self.first_day <= day <= self.last_day

    def week_mondays(self) -> list[dt.date]:
        """All Mondays of the school year, holiday weeks included."""
        return [w.monday for w in self.weeks]


_YEAR_RE = re.compile(r"^\s*(\d{4})\s*[-/]\s*(\d{4})\s*$")


def parse_school_year(value: str | int) -> int:
    """The start year of a school year written ``2026-2027`` (or just ``2026``).

    Raises ``ValueError`` with a clear message when the text is not a school year.
    """
    if isinstance(value, int):
        start = value
    else:
        text = str(value).strip()
        m = _YEAR_RE.match(text)
        if m:
            start, end = int(m.group(1)), int(m.group(2))
            if end != start + 1:
                raise ValueError(
                    tr(
                        nl=f"'{text}' is geen schooljaar: het tweede jaar moet {start + 1} zijn",
                        en=f"'{text}' is not a school year: the second year must be {start + 1}",
                    )
                )
        elif text.isdigit() and len(text) == 4:
            start = int(text)
        else:
            raise ValueError(
                tr(
                    nl=f"'{text}' is geen schooljaar; schrijf het als 2026-2027",
                    en=f"'{text}' is not a school year; write it as 2026-2027",
                )
            )
    if not 1900 <= start <= 2200:
        raise ValueError(
            tr(
                nl=f"schooljaar {start}-{start + 1} ligt buiten 1900-2200",
                en=f"school year {start}-{start + 1} is outside 1900-2200",
            )
        )
    return start


def school_year_label(start_year: int) -> str:
    """``2026`` -> ``'2026-2027'``."""
    return f"{start_year}-{start_year + 1}"


def first_school_day(start_year: int) -> dt.date:
    """1 September, or the Monday after when it falls in a weekend."""
    day = dt.date(start_year, 9, 1)
    while day.weekday() >= 5:
        day += _DAY
    return day


def last_school_day(start_year: int) -> dt.date:
    """30 June of the next year, or the Friday before when it falls in a weekend."""
    day = dt.date(start_year + 1, 6, 30)
    while day.weekday() >= 5:
        day -= _DAY
    return day


def autumn_holiday(start_year: int) -> Holiday:
    """Herfstvakantie: the week containing 1 November (from 2 November when that is a Sunday)."""
    nov1 = dt.date(start_year, 11, 1)
    start = nov1 + _DAY if nov1.weekday() == 6 else monday_of(nov1)
    return Holiday(name="herfstvakantie", start=start, end=start + _WEEK - _DAY)


def christmas_holiday(start_year: int) -> Holiday:
    """Kerstvakantie: two weeks from the Monday of Christmas' week (the Monday after when
    Christmas falls in a weekend)."""
    xmas = dt.date(start_year, 12, 25)
    start = monday_of(xmas) + _WEEK if xmas.weekday() >= 5 else monday_of(xmas)
    return Holiday(name="kerstvakantie", start=start, end=start + 2 * _WEEK - _DAY)


def spring_holiday(start_year: int) -> Holiday:
    """Krokusvakantie: one week from the 7th Monday before Easter Sunday."""
    easter_sunday = easter(start_year + 1)
    start = easter_sunday - _DAY * 6 - 6 * _WEEK
    return Holiday(name="krokusvakantie", start=start, end=start + _WEEK - _DAY)


def easter_holiday(start_year: int) -> Holiday:
    """Paasvakantie: two weeks from the first Monday of April; from Easter Monday when Easter
    falls in March; from the second Monday before Easter when Easter falls after 15 April."""
    year = start_year + 1
    easter_sunday = easter(year)
    if easter_sunday.month == 3:
        start = easter_sunday + _DAY
    elif easter_sunday > dt.date(year, 4, 15):
        start = easter_sunday - _DAY * 6 - _WEEK
    else:
        start = dt.date(year, 4, 1)
        while start.weekday() != 0:
            start += _DAY
    return Holiday(name="paasvakantie", start=start, end=start + 2 * _WEEK - _DAY)


def summer_holiday(start_year: int) -> Holiday:
    """Zomervakantie: 1 July - 31 August of the year the school year ends."""
    return Holiday(
        name="zomervakantie",
        start=dt.date(start_year + 1, 7, 1),
        end=dt.date(start_year + 1, 8, 31),
    )


def _public_free_days(start_year: int) -> list[FreeDay]:
    """The single free days that follow from public holidays, before filtering school days.

    Dates follow from Easter; the tests check them against the ``holidays`` package (BE).
    """
    year = start_year + 1
    easter_sunday = easter(year)
    ascension = easter_sunday + 39 * _DAY
    return [
        FreeDay(name="Wapenstilstand", date=dt.date(start_year, 11, 11)),
        FreeDay(name="Paasmaandag", date=easter_sunday + _DAY),
        FreeDay(name="Dag van de Arbeid", date=dt.date(year, 5, 1)),
        FreeDay(name="O.L.H.-Hemelvaart", date=ascension),
        FreeDay(name="Vrijdag na O.L.H.-Hemelvaart", date=ascension + _DAY),
        FreeDay(name="Pinkstermaandag", date=easter_sunday + 50 * _DAY),
    ]


@lru_cache(maxsize=256)
def flemish_calendar(school_year: str | int) -> SchoolCalendar:
    """The Flemish school calendar of ``school_year`` (``'2026-2027'`` or ``2026``)."""
    start_year = parse_school_year(school_year)
    first, last = first_school_day(start_year), last_school_day(start_year)
    holidays = (
        autumn_holiday(start_year),
        christmas_holiday(start_year),
        spring_holiday(start_year),
        easter_holiday(start_year),
        summer_holiday(start_year),
    )

    def in_holiday(day: dt.date) -> bool:
        return any(day in h for h in holidays)

    free_days = tuple(
        f
        for f in _public_free_days(start_year)
        if first <= f.date <= last and f.date.weekday() < 5 and not in_holiday(f.date)
    )
    free = {f.date for f in free_days}

    weeks: list[Week] = []
    monday = monday_of(first)
    while monday <= last:
        days = [monday + i * _DAY for i in range(5)]
        school = [d for d in days if first <= d <= last and not in_holiday(d) and d not in free]
        covering = next(
            (h.name for h in holidays if all(d in h for d in days if first <= d <= last)),
            None,
        )
        weeks.append(Week(monday=monday, school_days=len(school), holiday=covering))
        monday += _WEEK
    return SchoolCalendar(
        school_year=school_year_label(start_year),
        first_day=first,
        last_day=last,
        holidays=holidays,
        free_days=free_days,
        weeks=tuple(weeks),
    )


def calendar_as_json(calendar: SchoolCalendar) -> dict[str, object]:
    """The calendar in the published JSON contract of ``scheduler calendar --json``."""
    return {
        "school_year": calendar.school_year,
        "first_day": calendar.first_day.isoformat(),
        "last_day": calendar.last_day.isoformat(),
        "holidays": [
            {"name": h.name, "start": h.start.isoformat(), "end": h.end.isoformat()}
            for h in calendar.holidays
        ],
        "free_days": [{"name": f.name, "date": f.date.isoformat()} for f in calendar.free_days],
        "weeks": [
            {"monday": w.monday.isoformat(), "school_days": w.school_days, "holiday": w.holiday}
            for w in calendar.weeks
        ],
    }
