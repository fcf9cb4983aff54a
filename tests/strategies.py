"""Shared hypothesis strategies (add yours here, one documented function each)."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st


def two_decimal_hours(min_cents: int = 0, max_cents: int = 60_00) -> st.SearchStrategy[float]:
    """Hours as plans and scenarios write them: at most 2 decimals (``22.8``, ``30.45``)."""
    return st.integers(min_cents, max_cents).map(lambda cents: cents / 100)


def hour_offsets(min_cents: int = 2, max_cents: int = 10_00) -> st.SearchStrategy[int]:
    """A non-zero change of an hours number, in hundredths of an hour, either sign.

    With ``min_cents=2`` it always lies beyond the validator's 0.01 h tolerance.
    """
    size = st.integers(min_cents, max_cents)
    return st.tuples(size, st.sampled_from((-1, 1))).map(lambda t: t[0] * t[1])


def capacities(max_value: int = 6) -> st.SearchStrategy[int]:
    """A capacity (places, seats, pupils per mentor, visits a week), 0 included."""
    return st.integers(0, max_value)


def dates_between(first: dt.date, last: dt.date) -> st.SearchStrategy[dt.date]:
    """A day between ``first`` and ``last`` (inclusive)."""
    return st.integers(0, (last - first).days).map(lambda n: first + dt.timedelta(days=n))


def school_year_weekdays(start_year: int = 2026) -> st.SearchStrategy[dt.date]:
    """A Monday-to-Friday day of the school year starting in ``start_year`` (Sept-June)."""
    days = dates_between(dt.date(start_year, 9, 1), dt.date(start_year + 1, 6, 30))
    return days.filter(lambda d: d.weekday() < 5)
