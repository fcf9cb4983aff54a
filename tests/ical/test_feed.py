"""One feed of the tiny hand-made plan: calendar properties, events, identity, privacy."""

from __future__ import annotations

import datetime as dt
import re

import icalendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler.errors import PlanError, UsageError
from scheduler.i18n import language
from scheduler.ical import build_feed, event_uid, subscribers
from scheduler.ical.blocks import pupil_dates
from scheduler.ical.feed import default_stamp
from scheduler.model import Scenario
from scheduler.plan import Plan
from tests.handmade import LAYOUT, build_plan, tiny_scenario, with_block
from tests.ical.helpers import event_text, events, occurrences, parse_both
from tests.strategies import school_year_weekdays

GENERATED = dt.datetime(2026, 8, 20, 12, 30, tzinfo=dt.UTC)


def _feed(scenario: Scenario, plan: Plan, sub: str, **kw: object) -> bytes:
    return build_feed(scenario, plan, sub, generated=GENERATED, **kw)  # type: ignore[arg-type]


def test_calendar_properties(tiny: Scenario, tiny_plan: Plan) -> None:
    loose, strict = parse_both(_feed(tiny, tiny_plan, "company:jansens"))
    assert loose["VERSION"] == "2.0" and "Duaal leren" in str(loose["PRODID"])
    assert str(loose["NAME"]) == "Duaal leren - Bedrijf Jansens Elektro NV"
    assert str(loose["X-WR-CALNAME"]) == "Duaal leren - Bedrijf Jansens Elektro NV"
    assert str(loose["X-WR-TIMEZONE"]) == "Europe/Brussels"
    assert loose["REFRESH-INTERVAL"].dt == dt.timedelta(days=1)
    assert loose["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert str(loose["X-PUBLISHED-TTL"]) == "P1D"
    assert [tz.tz_name for tz in loose.timezones] == ["Europe/Brussels"]
    assert strict.prodid == str(loose["PRODID"])


def test_english_on_request(tiny: Scenario, tiny_plan: Plan) -> None:
    with language("en"):
        data = _feed(tiny, tiny_plan, "company:jansens")
    loose = icalendar.Calendar.from_ical(data)
    assert str(loose["X-WR-CALNAME"]) == "Dual learning - Company Jansens Elektro NV"
    summaries = {str(e["SUMMARY"]) for e in loose.walk("VEVENT")}
    assert "Workplace Veiligheid - Lotte V." in summaries
    assert "Practice test Veiligheid - Lotte V." in summaries


def test_all_day_events_end_the_day_after_their_last_school_day(
    tiny: Scenario, tiny_plan: Plan
) -> None:
    data = _feed(tiny, tiny_plan, "pupil:L01")
    allowed = {d for ds in pupil_dates(tiny, tiny.pupil_by_id["L01"]).values() for d in ds}
    all_day = [e for e in events(data).values() if not isinstance(e.start, dt.datetime)]
    assert all_day
    for event in all_day:
        start, end = event["DTSTART"], event["DTEND"]
        assert start.params.get("VALUE") == "DATE" and end.params.get("VALUE") == "DATE"
        first, after = start.dt, end.dt
        assert first in allowed and after - dt.timedelta(days=1) in allowed
        assert after not in allowed, "DTEND is exclusive: the day after the last school day"
    # the ordinary week of 12 October is cut around the pedagogical day (Wednesday 14th)
    october = sorted(
        (e.start, e.end)
        for e in all_day
        if dt.date(2026, 10, 12) <= e.start < dt.date(2026, 10, 17)
    )
    assert october == [
        (dt.date(2026, 10, 12), dt.date(2026, 10, 14)),
        (dt.date(2026, 10, 15), dt.date(2026, 10, 17)),
    ]


def test_timed_events_follow_the_phase_schedule(tiny: Scenario, tiny_plan: Plan) -> None:
    # the tiny programme gives the company phase of "vei" a schedule of 08:00-16:00
    data = _feed(tiny, tiny_plan, "mentor:an")
    timed = [e for e in events(data).values() if isinstance(e.start, dt.datetime)]
    assert timed and all(
        str(e["SUMMARY"]).startswith(("Praktijk Veiligheid", "Praktijktoets")) for e in timed
    )
    for event in timed:
        assert event["DTSTART"].params["TZID"] == "Europe/Brussels"
        assert (event.start.hour, event.start.minute, event.end.hour) == (8, 0, 16)
    week = next(e for e in timed if "RRULE" in e)
    assert week["RRULE"]["FREQ"] == ["DAILY"] and week["RRULE"]["COUNT"] == [5]
    days = [o.day for o in occurrences(data) if o.uid == str(week["UID"])]
    assert days == [week.start.date() + dt.timedelta(days=i) for i in range(5)]


def test_visit_on_the_last_school_day_of_the_practice_test_week(
    tiny: Scenario, tiny_plan: Plan
) -> None:
    visits = [a for a in tiny_plan.assignments if a.visit]
    data = _feed(tiny, tiny_plan, "school:vti")
    found = sorted(
        (e.start.date() if isinstance(e.start, dt.datetime) else e.start, str(e["SUMMARY"]))
        for e in events(data).values()
        if str(e["SUMMARY"]).startswith("Praktijktoets")
    )
    assert len(found) == len(visits)
    school_days = tiny.school_days("vti")
    expected = sorted(school_days[a.week][-1] for a in visits)
    assert [d for d, _ in found] == expected


def test_same_plan_same_bytes_and_uids(tiny: Scenario, tiny_plan: Plan) -> None:
    for sub in subscribers(tiny):
        first, second = _feed(tiny, tiny_plan, sub), _feed(tiny, tiny_plan, sub)
        assert first == second
    later = build_feed(tiny, tiny_plan, "pupil:L01", generated=GENERATED + dt.timedelta(days=3))
    earlier = _feed(tiny, tiny_plan, "pupil:L01")
    assert events(later).keys() == events(earlier).keys()
    assert re.sub(rb"DTSTAMP:\S+", b"", later) == re.sub(rb"DTSTAMP:\S+", b"", earlier)
    default = build_feed(tiny, tiny_plan, "pupil:L01")
    assert default == build_feed(tiny, tiny_plan, "pupil:L01")
    stamps = {e["DTSTAMP"].dt for e in events(default).values()}
    assert stamps == {default_stamp(tiny)}


def test_changing_one_pupil_changes_only_that_pupils_events(tiny: Scenario) -> None:
    plan = build_plan(tiny)
    changed = build_plan(tiny, with_block(LAYOUT, "L02", 5, weeks=[13, 14]))
    later = GENERATED + dt.timedelta(days=30)
    for sub in ("company:jansens", "mentor:bart", "school:vti", "pupil:L02", "pupil:L01"):
        before = _feed(tiny, plan, sub)
        after = build_feed(tiny, changed, sub, previous=before, generated=later)
        old, new = events(before), events(after)
        names = {u: event_text(e) for u, e in {**old, **new}.items()}
        kept = old.keys() & new.keys()
        differ = {u for u in kept if old[u].to_ical() != new[u].to_ical()}
        for uid in differ | (old.keys() ^ new.keys()):
            assert sub == "pupil:L02" or "Milan" in names[uid], f"{sub}: {names[uid]}"
        for uid in differ:
            assert new[uid]["SEQUENCE"] == 1
            assert new[uid]["DTSTAMP"].dt == later
        for uid in kept - differ:
            assert new[uid]["SEQUENCE"] == 0
        if sub == "pupil:L01":
            assert after == before, "another pupil's feed does not change at all"
        else:
            assert differ, f"{sub}: Milan's company phase moved"
    # the company phase that moved keeps its UIDs: the same events, one week later
    before = _feed(tiny, plan, "mentor:bart")
    after = build_feed(tiny, changed, "mentor:bart", previous=before)
    assert events(before).keys() == events(after).keys()


def test_sequence_keeps_rising_and_stamps_never_go_back(tiny: Scenario) -> None:
    one = build_plan(tiny)
    two = build_plan(tiny, with_block(LAYOUT, "L02", 5, weeks=[13, 14]))
    first = build_feed(tiny, one, "mentor:bart")
    second = build_feed(tiny, two, "mentor:bart", previous=first)
    third = build_feed(tiny, one, "mentor:bart", previous=second)
    unchanged = build_feed(tiny, one, "mentor:bart", previous=third)
    assert unchanged == third
    seqs = [{int(e["SEQUENCE"]) for e in events(x).values()} for x in (first, second, third)]
    assert seqs[0] == {0} and 1 in seqs[1] and 2 in seqs[2]
    for old, new in ((first, second), (second, third)):
        before, after = events(old), events(new)
        for uid, event in after.items():
            assert event["DTSTAMP"].dt >= before[uid]["DTSTAMP"].dt
            if event.to_ical() != before[uid].to_ical():
                assert event["DTSTAMP"].dt > before[uid]["DTSTAMP"].dt


def test_previous_of_another_feed_or_garbage(tiny: Scenario, tiny_plan: Plan) -> None:
    other = build_feed(tiny, tiny_plan, "company:wuyts")
    fresh = build_feed(tiny, tiny_plan, "company:jansens")
    assert build_feed(tiny, tiny_plan, "company:jansens", previous=other) == fresh
    assert build_feed(tiny, tiny_plan, "company:jansens", previous=fresh.decode()) == fresh
    with pytest.raises(UsageError, match="geen iCalendar"):
        build_feed(tiny, tiny_plan, "company:jansens", previous=b"niet: een feed\r\n")


def test_refuses_plans_without_solution_or_of_another_scenario(
    tiny: Scenario, tiny_plan: Plan
) -> None:
    empty = tiny_plan.model_copy(update={"status": "infeasible", "assignments": []})
    with pytest.raises(PlanError, match="geen oplossing"):
        build_feed(tiny, empty, "company:jansens")
    proposal = tiny_plan.model_copy(update={"status": "infeasible", "proposal": True})
    with pytest.raises(PlanError, match="geen oplossing"):
        build_feed(tiny, proposal, "company:jansens")
    other = tiny_plan.model_copy(update={"scenario": "iets-anders"})
    with pytest.raises(PlanError, match="hoort bij scenario 'iets-anders'"):
        build_feed(tiny, other, "company:jansens")
    with pytest.raises(UsageError):
        build_feed(tiny, tiny_plan, "company:acme")


def test_uid_depends_on_scenario_subscriber_and_key(tiny: Scenario) -> None:
    uid = event_uid(tiny, "company:jansens", "L01/company:vei/0.0")
    assert uid == event_uid(tiny, "company:jansens", "L01/company:vei/0.0")
    assert uid != event_uid(tiny, "mentor:an", "L01/company:vei/0.0")
    assert uid != event_uid(tiny, "company:jansens", "L01/company:vei/1.0")
    renamed = tiny_scenario(lambda d: d["meta"].update(name="ander-scenario"))
    assert uid != event_uid(renamed, "company:jansens", "L01/company:vei/0.0")


def _names_in(data: bytes, scenario: Scenario) -> set[str]:
    text = "\n".join(event_text(e) for e in events(data).values())
    return {p.id for p in scenario.pupils if p.display_name in text}


def test_what_each_subscriber_sees(tiny: Scenario, tiny_plan: Plan) -> None:
    full = tiny.model_copy(
        update={"settings": tiny.settings.model_copy(update={"pupil_names": "full_name"})}
    )
    # De Smet hosts only Milan (its own pupil); Jansens also hosts Milan for "elm" (partner)
    assert _names_in(_feed(full, tiny_plan, "company:desmet"), full) == {"L02"}
    assert _names_in(_feed(full, tiny_plan, "company:jansens"), full) == {"L01", "L02", "L03"}
    assert _names_in(_feed(full, tiny_plan, "company:wuyts"), full) == set()
    assert _names_in(_feed(full, tiny_plan, "mentor:bart"), full) == {"L02"}
    assert _names_in(_feed(full, tiny_plan, "mentor:an"), full) == {"L01", "L03"}
    # a pupil's own feed names nobody else
    own = _feed(full, tiny_plan, "pupil:L01")
    assert _names_in(own, full) == set()
    assert str(icalendar.Calendar.from_ical(own)["X-WR-CALNAME"]) == "Duaal leren - Lotte Vermeulen"
    # the centre sees simulated phases only, the school theory and visits
    centre = events(_feed(tiny, tiny_plan, "centre:anttec")).values()
    assert {str(e["CATEGORIES"].cats[0]) for e in centre} == {"Opleidingscentrum"}
    school = events(_feed(tiny, tiny_plan, "school:vti")).values()
    assert {str(e["CATEGORIES"].cats[0]) for e in school} == {"Theorie", "Praktijktoets"}
    assert not events(_feed(tiny, tiny_plan, "school:ander"))


@pytest.mark.parametrize(
    ("naming", "shown", "hidden"),
    [
        ("first_name_initial", "Lotte V.", "Vermeulen"),
        ("full_name", "Lotte Vermeulen", None),
        ("code", "L01", "Lotte"),
    ],
)
def test_pupil_naming_setting(naming: str, shown: str, hidden: str | None) -> None:
    scenario = tiny_scenario(lambda d: d["settings"].update(pupil_names=naming))
    plan = build_plan(scenario)
    for sub in ("company:jansens", "mentor:an", "centre:anttec"):
        text = "\n".join(event_text(e) for e in events(_feed(scenario, plan, sub)).values())
        assert shown in text
        if hidden:
            assert hidden not in text
    assert "Lotte Vermeulen" in _feed(scenario, plan, "school:vti").decode()


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    free=st.lists(school_year_weekdays(), max_size=6),
    start=st.sampled_from([None, "2026-09-16", "2026-10-05"]),
    leave=st.sampled_from([None, "2027-05-12", "2027-06-18"]),
)
def test_no_event_on_a_day_without_school(
    free: list[dt.date], start: str | None, leave: str | None
) -> None:
    def edit(data: dict) -> None:
        data["calendar"] = {
            "free_days": [{"date": d.isoformat(), "name": "Vrij"} for d in sorted(set(free))]
        }
        pupil = data["pupils"][0]
        pupil.update({k: v for k, v in (("start", start), ("leave", leave)) if v})

    scenario = tiny_scenario(edit)
    plan = build_plan(scenario)
    for sub in ("pupil:L01", "company:jansens", "school:vti"):
        data = _feed(scenario, plan, sub)
        parse_both(data)
        for occ in occurrences(data):
            assert occ.day.weekday() < 5 and scenario.school_calendar.holiday_on(occ.day) is None
            assert occ.day not in set(free)
        if sub == "pupil:L01":
            allowed = {
                d for ds in pupil_dates(scenario, scenario.pupil_by_id["L01"]).values() for d in ds
            }
            assert {o.day for o in occurrences(data)} <= allowed
