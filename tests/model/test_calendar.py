"""The Flemish school calendar against published calendars and its rules for any year."""

from __future__ import annotations

import datetime as dt
import itertools

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scheduler.model.calendar import flemish_calendar, parse_school_year

D = dt.date

# Checked by hand against the calendars the Flemish Department of Education publishes
# (onderwijs.vlaanderen.be, "schoolvakanties"): first and last day, then the holidays in the
# order herfst, kerst, krokus, pasen (start, end inclusive).
PUBLISHED = {
    "2022-2023": (D(2022, 9, 1), D(2023, 6, 30), [
        (D(2022, 10, 31), D(2022, 11, 6)), (D(2022, 12, 26), D(2023, 1, 8)),
        (D(2023, 2, 20), D(2023, 2, 26)), (D(2023, 4, 3), D(2023, 4, 16))]),
    "2023-2024": (D(2023, 9, 1), D(2024, 6, 28), [
        (D(2023, 10, 30), D(2023, 11, 5)), (D(2023, 12, 25), D(2024, 1, 7)),
        (D(2024, 2, 12), D(2024, 2, 18)), (D(2024, 4, 1), D(2024, 4, 14))]),
    "2024-2025": (D(2024, 9, 2), D(2025, 6, 30), [
        (D(2024, 10, 28), D(2024, 11, 3)), (D(2024, 12, 23), D(2025, 1, 5)),
        (D(2025, 3, 3), D(2025, 3, 9)), (D(2025, 4, 7), D(2025, 4, 20))]),
    "2025-2026": (D(2025, 9, 1), D(2026, 6, 30), [
        (D(2025, 10, 27), D(2025, 11, 2)), (D(2025, 12, 22), D(2026, 1, 4)),
        (D(2026, 2, 16), D(2026, 2, 22)), (D(2026, 4, 6), D(2026, 4, 19))]),
    "2026-2027": (D(2026, 9, 1), D(2027, 6, 30), [
        (D(2026, 11, 2), D(2026, 11, 8)), (D(2026, 12, 21), D(2027, 1, 3)),
        (D(2027, 2, 8), D(2027, 2, 14)), (D(2027, 3, 29), D(2027, 4, 11))]),
    "2027-2028": (D(2027, 9, 1), D(2028, 6, 30), [
        (D(2027, 11, 1), D(2027, 11, 7)), (D(2027, 12, 27), D(2028, 1, 9)),
        (D(2028, 2, 28), D(2028, 3, 5)), (D(2028, 4, 3), D(2028, 4, 16))]),
    "2028-2029": (D(2028, 9, 1), D(2029, 6, 29), [
        (D(2028, 10, 30), D(2028, 11, 5)), (D(2028, 12, 25), D(2029, 1, 7)),
        (D(2029, 2, 12), D(2029, 2, 18)), (D(2029, 4, 2), D(2029, 4, 15))]),
    "2029-2030": (D(2029, 9, 3), D(2030, 6, 28), [
        (D(2029, 10, 29), D(2029, 11, 4)), (D(2029, 12, 24), D(2030, 1, 6)),
        (D(2030, 3, 4), D(2030, 3, 10)), (D(2030, 4, 8), D(2030, 4, 21))]),
}  # fmt: skip

NAMES = ["herfstvakantie", "kerstvakantie", "krokusvakantie", "paasvakantie", "zomervakantie"]


@pytest.mark.parametrize("year", sorted(PUBLISHED))
def test_matches_published_calendar(year: str) -> None:
    first, last, holidays_ = PUBLISHED[year]
    cal = flemish_calendar(year)
    assert cal.first_day == first
    assert cal.last_day == last
    assert [h.name for h in cal.holidays] == NAMES
    assert [(h.start, h.end) for h in cal.holidays[:4]] == holidays_
    summer = cal.holidays[4]
    assert (summer.start, summer.end) == (D(last.year, 7, 1), D(last.year, 8, 31))


def test_2026_2027_free_days_and_weeks() -> None:
    cal = flemish_calendar("2026-2027")
    assert [(f.date, f.name) for f in cal.free_days] == [
        (D(2026, 11, 11), "Wapenstilstand"),
        (D(2027, 5, 6), "O.L.H.-Hemelvaart"),
        (D(2027, 5, 7), "Vrijdag na O.L.H.-Hemelvaart"),
        (D(2027, 5, 17), "Pinkstermaandag"),
    ]
    # Easter Monday (29 March) falls in the Easter holiday, 1 May 2027 is a Saturday.
    assert cal.weeks[0].monday == D(2026, 8, 31) and cal.weeks[0].school_days == 4
    assert cal.weeks[-1].monday == D(2027, 6, 28) and cal.weeks[-1].school_days == 3
    by_monday = {w.monday: w for w in cal.weeks}
    assert by_monday[D(2026, 11, 9)].school_days == 4
    assert by_monday[D(2027, 5, 3)].school_days == 3
    assert by_monday[D(2026, 11, 2)].holiday == "herfstvakantie"
    assert by_monday[D(2026, 11, 2)].school_days == 0
    assert sum(1 for w in cal.weeks if w.school_days) == 38
    assert sum(w.school_days for w in cal.weeks) == 183


def test_2024_2025_easter_monday_after_the_holiday_is_free() -> None:
    cal = flemish_calendar("2024-2025")
    assert D(2025, 4, 21) in {f.date for f in cal.free_days}


@pytest.mark.parametrize("text", ["2026-2028", "26-27", "volgend jaar", "2026/2026"])
def test_bad_school_year(text: str) -> None:
    with pytest.raises(ValueError, match="schooljaar"):
        parse_school_year(text)


@given(st.integers(min_value=2000, max_value=2100))
def test_calendar_rules_hold_for_any_year(start: int) -> None:
    cal = flemish_calendar(start)
    assert len(cal.holidays) == 5
    spans = sorted((h.start, h.end) for h in cal.holidays)
    for (_, end), (next_start, _) in itertools.pairwise(spans):
        assert end < next_start, "holidays overlap"
    by_name = {h.name: h for h in cal.holidays}
    assert set(by_name) == set(NAMES)
    for name, weeks in [("herfstvakantie", 1), ("kerstvakantie", 2), ("krokusvakantie", 1),
                        ("paasvakantie", 2)]:  # fmt: skip
        h = by_name[name]
        assert h.start.weekday() == 0, f"{name} starts on a Monday"
        assert (h.end - h.start).days + 1 == 7 * weeks
        assert h.end.weekday() == 6
    assert cal.first_day.weekday() < 5 and cal.last_day.weekday() < 5
    assert cal.first_day <= D(start, 9, 3) and cal.last_day >= D(start + 1, 6, 28)
    # free days are school days, and each is a Belgian public holiday or the Friday after
    # Ascension
    be = holidays.country_holidays("BE", years=[start, start + 1])
    for f in cal.free_days:
        assert f.date.weekday() < 5
        assert cal.holiday_on(f.date) is None
        if f.date.year <= 2100:  # the holidays package stops at 2100
            assert f.date in be or (f.date - dt.timedelta(days=1)) in be
    # weeks: consecutive Mondays, holiday weeks have no school days
    mondays = [w.monday for w in cal.weeks]
    assert all((b - a).days == 7 for a, b in itertools.pairwise(mondays))
    for w in cal.weeks:
        if w.holiday:
            assert w.school_days == 0
