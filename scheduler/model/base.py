"""Shared building blocks of the domain model: the base class, identifiers, week references."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from scheduler.i18n import tr

Id = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$"
    ),
]
"""An identifier as used in scenario files: letters, digits, ``_ . -``; no spaces or colons
(feeds address subscribers as ``company:ID``)."""


class DomainModel(BaseModel):
    """Base of every domain model: immutable and strict about unknown keys."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


def monday_of(day: dt.date) -> dt.date:
    """The Monday of the ISO week that contains ``day``."""
    return day - dt.timedelta(days=day.weekday())


class WeekRange(DomainModel):
    """A run of weeks given by two dates; every week that touches ``from``..``to`` counts."""

    start: dt.date = Field(alias="from", description="First day (any day of the first week).")
    end: dt.date = Field(alias="to", description="Last day (any day of the last week), inclusive.")

    @model_validator(mode="after")
    def _ordered(self) -> WeekRange:
        if self.end < self.start:
            raise ValueError(
                tr(
                    nl=f"'to' ({self.end}) ligt vóór 'from' ({self.start})",
                    en=f"'to' ({self.end}) is before 'from' ({self.start})",
                )
            )
        return self

    def mondays(self) -> list[dt.date]:
        """The Mondays of all weeks this range touches."""
        first, last = monday_of(self.start), monday_of(self.end)
        n = (last - first).days // 7
        return [first + dt.timedelta(weeks=i) for i in range(n + 1)]


def _check_monday(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date) and value.weekday() != 0:
        raise ValueError(
            tr(
                nl=f"{value} is geen maandag: een week wordt aangeduid met haar maandag "
                f"({monday_of(value)})",
                en=f"{value} is not a Monday: a week is named by its Monday ({monday_of(value)})",
            )
        )
    return value


class _MondayValidator:
    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_after_validator_function(_check_monday, handler(dt.date))


Monday = Annotated[dt.date, _MondayValidator]
"""A week, named by its Monday."""

WeekSpec = Monday | WeekRange
"""A week (its Monday) or a range of weeks ``{from: date, to: date}``."""


def expand_weeks(specs: list[WeekSpec] | tuple[WeekSpec, ...]) -> frozenset[dt.date]:
    """All Mondays named by a list of week specifications."""
    out: set[dt.date] = set()
    for spec in specs:
        if isinstance(spec, WeekRange):
            out.update(spec.mondays())
        else:
            out.add(spec)
    return frozenset(out)


def week_spec_dates(spec: WeekSpec) -> list[dt.date]:
    """The dates written in one week specification (for range checks)."""
    if isinstance(spec, WeekRange):
        return [spec.start, spec.end]
    return [spec]
