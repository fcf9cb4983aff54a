"""Shared hypothesis strategies (add yours here, one documented function each)."""

from __future__ import annotations

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


def generator_seeds() -> st.SearchStrategy[int]:
    """A seed for ``scheduler.generate`` (any non-negative 32-bit number)."""
    return st.integers(0, 2**32 - 1)


def small_generated_sizes() -> st.SearchStrategy[int]:
    """Pupil counts for generated scenarios small enough to build many times in a test (one
    or two regions, a handful of classes)."""
    return st.integers(8, 160)
