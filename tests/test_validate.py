"""The independent validator: a hand-made valid plan passes; breaking each rule in turn is
reported with exactly that rule's code; the ``scheduler validate`` command's exit codes."""

from __future__ import annotations

import ast
import datetime as dt
import json
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from scheduler.cli import app
from scheduler.errors import PlanError
from scheduler.i18n import language
from scheduler.model import Scenario
from scheduler.plan import Assignment, Place, Plan, WeekHours
from scheduler.validate import RULE_CODES, RULES, ValidationReport, validate_plan
from tests.conftest import EMT, ROOT
from tests.handmade import (
    LAYOUT,
    TINY,
    blocks,
    build_plan,
    edit_assignments,
    party,
    resummarise,
    tiny_scenario,
    week_of,
    with_block,
)
from tests.strategies import capacities, hour_offsets

SCENARIO = tiny_scenario()
VALID = build_plan(SCENARIO)


def W(index: int):
    """Monday of teaching week ``index`` of the tiny scenario."""
    return week_of(SCENARIO, index)


def at(pupil: str, index: int) -> Callable[[Assignment], bool]:
    """Whether an assignment is ``pupil``'s in teaching week ``index``."""
    return lambda a: a.pupil == pupil and a.week == W(index)


def change(where: Callable[[Assignment], bool], **fields: Any) -> Plan:
    """The valid plan with the matching assignment(s) changed."""
    return edit_assignments(VALID, lambda a: a.model_copy(update=fields) if where(a) else a)


def add(where: Callable[[Assignment], bool], **fields: Any) -> Plan:
    """The valid plan with a changed copy of the matching assignment added."""
    return edit_assignments(VALID, lambda a: [a, a.model_copy(update=fields)] if where(a) else a)


def drop(where: Callable[[Assignment], bool]) -> Plan:
    """The valid plan without the matching assignment(s)."""
    return edit_assignments(VALID, lambda a: None if where(a) else a)


def rebuilt(edit: Callable[[dict], None] | None = None, layout: dict | None = None):
    """A scenario edited by ``edit`` and the plan the helper builds for it from ``layout``."""
    scenario = tiny_scenario(edit)
    return scenario, build_plan(scenario, layout or LAYOUT)


def scenario_only(edit: Callable[[dict], None]):
    """A scenario edited by ``edit``, with the unchanged valid plan."""
    return tiny_scenario(edit), VALID


def edited(plan: Plan, summary: bool = False):
    """The tiny scenario with a corrupted plan (``summary``: recompute the pupil summary,
    because the corruption changes a pupil's hours on purpose)."""
    return SCENARIO, resummarise(SCENARIO, plan) if summary else plan


def ordinary(pupil: str, index: int) -> Assignment:
    """The valid plan's assignment of ``pupil`` in week ``index``."""
    return next(a for a in VALID.assignments if at(pupil, index)(a))


# --- the valid plan ---------------------------------------------------------------------------


def test_the_hand_made_plan_is_valid() -> None:
    report = validate_plan(SCENARIO, VALID)
    assert report.valid, report.violations
    assert report.violations == []
    assert report.summary() == "Plan is geldig: alle regels gerespecteerd"


def test_the_hand_made_plan_uses_what_the_rules_are_about() -> None:
    """The valid plan is not valid by accident: it reaches the limits it could break."""
    by_pupil = VALID.by_pupil()
    assert len(VALID.assignments) == 38 + 36 + 38  # L02 leaves before the last two weeks
    l01_closed = next(a for a in by_pupil["L01"] if a.week == W(18))
    assert l01_closed.hours == WeekHours(school=38, workplace=0)  # home company closed
    assert sum(a.absent for a in by_pupil["L03"]) == 7
    short = next(a for a in by_pupil["L01"] if a.week == W(9))  # after 11 November
    assert (short.phase, short.hours.school) == ("theory", 25.6)
    summary = {s.pupil: s for s in VALID.pupils}
    assert summary["L01"].workplace_hours_per_week >= 20 > summary["L03"].workplace_hours_per_week


# --- each rule broken in turn -------------------------------------------------------------------

CORRUPTIONS: dict[str, tuple[Callable[[], tuple[Scenario, Plan]], set[str]]] = {
    # coverage and the calendar
    "phase order (company before centre)": (
        lambda: rebuilt(
            layout=with_block(with_block(LAYOUT, "L01", 1, weeks=[4]), "L01", 2, weeks=[3])
        ),
        {"module_order"},
    ),
    "a week in a holiday": (
        lambda: edited(add(at("L01", 20), week=dt.date(2026, 11, 2))),
        {"coverage"},
    ),
    "a missing week": (lambda: edited(drop(at("L01", 20)), summary=True), {"coverage"}),
    "a duplicated week": (lambda: edited(add(at("L01", 20))), {"coverage"}),
    "a week after the pupil left": (
        lambda: edited(add(at("L02", 35), week=W(36))),
        {"coverage"},
    ),
    "a week named by a Tuesday": (
        lambda: edited(add(at("L01", 20), week=dt.date(2027, 6, 29))),
        {"coverage"},
    ),
    "a pupil the scenario does not know": (
        lambda: edited(add(at("L01", 20), pupil="L99")),
        {"coverage"},
    ),
    "absence week used": (
        lambda: edited(
            change(at("L03", 16), absent=False, hours=ordinary("L01", 16).hours), summary=True
        ),
        {"absence"},
    ),
    "absent without being unavailable": (
        lambda: edited(change(at("L01", 20), absent=True, hours=WeekHours()), summary=True),
        {"absence"},
    ),
    "wrong hours": (
        lambda: edited(change(at("L01", 20), hours=WeekHours(school=15.2, workplace=30))),
        {"hours"},
    ),
    "ordinary hours although the home company is closed": (
        lambda: edited(change(at("L01", 18), hours=ordinary("L01", 17).hours)),
        {"hours"},
    ),
    # order and lengths
    "a missing phase": (
        lambda: rebuilt(layout={**LAYOUT, "L01": [b for b in LAYOUT["L01"] if b.weeks != (10,)]}),
        {"module_order"},
    ),
    "a mastered module planned": (
        lambda: scenario_only(lambda d: party(d, "pupils", "L02").update(mastered=["vei"])),
        {"module_order"},
    ),
    "phase too short": (
        lambda: rebuilt(layout=with_block(LAYOUT, "L01", 5, weeks=[12])),
        {"phase_length"},
    ),
    "phase too long": (
        lambda: rebuilt(layout=with_block(LAYOUT, "L01", 5, weeks=[12, 13, 14, 15])),
        {"phase_length"},
    ),
    "experience too short": (
        lambda: rebuilt(layout=with_block(LAYOUT, "L01", 6, weeks=[24, 25])),
        {"experience"},
    ),
    "experience not at the end": (
        lambda: rebuilt(layout=with_block(LAYOUT, "L01", 6, weeks=[5, 6, 7])),
        {"experience"},
    ),
    "experience not consecutive": (
        lambda: rebuilt(
            layout={
                **LAYOUT,
                "L01": [
                    *LAYOUT["L01"][:6],
                    *blocks(
                        ("experience", None, [24, 25], "jansens", "an"),
                        ("experience", None, [27], "jansens", "an"),
                    ),
                ],
            }
        ),
        {"experience"},
    ),
    "no experience": (
        lambda: rebuilt(layout={**LAYOUT, "L01": LAYOUT["L01"][:6]}),
        {"experience"},
    ),
    "class theory split": (
        lambda: rebuilt(layout=with_block(LAYOUT, "L03", 3, weeks=[9, 10])),
        {"class_theory"},
    ),
    # places
    "theory at a company": (
        lambda: edited(change(at("L01", 2), place=Place(kind="company", id="jansens"))),
        {"place"},
    ),
    "a company phase split over two companies": (
        lambda: edited(
            change(at("L01", 13), place=Place(kind="company", id="wuyts"), mentor="jan")
        ),
        {"place"},
    ),
    "a mentor change within a block": (
        lambda: edited(change(at("L03", 14), mentor="bart")),
        {"place"},
    ),
    "infrastructure": (
        lambda: rebuilt(layout=with_block(LAYOUT, "L02", 5, place="desmet", mentor="koen")),
        {"infrastructure"},
    ),
    "experience at a company that is no partner": (
        lambda: rebuilt(layout=with_block(LAYOUT, "L01", 6, place="desmet", mentor="koen")),
        {"infrastructure"},
    ),
    "centre without the module": (
        lambda: rebuilt(layout=with_block(LAYOUT, "L01", 4, place="klein")),
        {"centre_module"},
    ),
    "centre that does not serve the school": (
        lambda: rebuilt(layout=with_block(LAYOUT, "L01", 1, place="elders")),
        {"centre_module"},
    ),
    # capacities and availability
    "company closure": (
        lambda: scenario_only(
            lambda d: party(d, "companies", "jansens")["closures"].append(str(W(13)))
        ),
        {"company_closed"},
    ),
    "company no longer takes part": (
        lambda: rebuilt(
            lambda d: party(d, "companies", "jansens").update(active_until="2027-06-15"),
            with_block(LAYOUT, "L03", 6, weeks=[35, 36, 37]),
        ),
        {"company_closed"},
    ),
    "company capacity": (
        lambda: scenario_only(lambda d: party(d, "companies", "jansens").update(capacity=2)),
        {"company_capacity"},
    ),
    "company capacity override": (
        lambda: scenario_only(
            lambda d: party(d, "companies", "jansens").update(
                capacity_overrides=[{"weeks": [str(W(13))], "capacity": 2}]
            )
        ),
        {"company_capacity"},
    ),
    "mentor of the wrong company": (
        lambda: rebuilt(layout=with_block(LAYOUT, "L01", 5, mentor="koen")),
        {"mentor"},
    ),
    "no mentor in a company phase": (
        lambda: rebuilt(layout=with_block(LAYOUT, "L01", 6, mentor=None)),
        {"mentor"},
    ),
    "a mentor in an ordinary week": (
        lambda: edited(change(at("L01", 20), mentor="an")),
        {"mentor"},
    ),
    "mentor absence": (
        lambda: scenario_only(lambda d: party(d, "mentors", "an").update(unavailable=[str(W(4))])),
        {"mentor_absent"},
    ),
    "mentor capacity": (
        lambda: scenario_only(lambda d: party(d, "mentors", "an").update(max_pupils=1)),
        {"mentor_capacity"},
    ),
    "centre seats": (
        lambda: scenario_only(lambda d: party(d, "centres", "anttec").update(seats=1)),
        {"centre_capacity"},
    ),
    "centre closed": (
        lambda: scenario_only(lambda d: party(d, "centres", "anttec").update(closures=[str(W(3))])),
        {"centre_closed"},
    ),
    "centre not among its open weeks": (
        lambda: scenario_only(
            lambda d: party(d, "centres", "anttec").update(
                open_weeks=[{"from": "2026-09-01", "to": "2026-10-31"}]
            )
        ),
        {"centre_closed"},
    ),
    "teacher visits over the limit": (
        lambda: scenario_only(lambda d: d["settings"].update(teacher_visits_per_week=1)),
        {"teacher_visits"},
    ),
    "teacher visits over the school's own limit": (
        lambda: scenario_only(lambda d: d["schools"][0].update(teacher_visits_per_week=1)),
        {"teacher_visits"},
    ),
    "practice test not marked": (
        lambda: edited(change(at("L01", 4), visit=False)),
        {"teacher_visits"},
    ),
    "practice test marked in the wrong week": (
        lambda: edited(change(at("L01", 12), visit=True)),
        {"teacher_visits"},
    ),
    # contract and young workers
    "OAO below 20 hours": (
        lambda: rebuilt(
            lambda d: party(d, "pupils", "L01").update(
                unavailable=[{"from": "2027-04-19", "to": "2027-06-04"}]
            )
        ),
        {"contract"},
    ),
    "internship at or above 20 hours": (
        lambda: rebuilt(lambda d: party(d, "pupils", "L03").pop("unavailable")),
        {"contract"},
    ),
    "young worker over 40 hours": (
        lambda: rebuilt(
            lambda d: d["programmes"][0]["years"][0]["modules"][0]["phases"][2].update(
                hours={"workplace": 42}
            )
        ),
        {"young_worker"},
    ),
    "young worker day of 9 hours": (
        lambda: scenario_only(
            lambda d: d["programmes"][0]["years"][0]["modules"][0]["phases"][2].update(
                schedule={"start": "07:00", "end": "16:00"}
            )
        ),
        {"young_worker"},
    ),
    "young worker before 06:00": (
        lambda: scenario_only(
            lambda d: d["programmes"][0]["years"][0]["experience"].update(
                schedule={"start": "05:30", "end": "12:00"}
            )
        ),
        {"young_worker"},
    ),
    # the plan itself
    "summary with a wrong average": (
        lambda: edited(
            VALID.model_copy(
                update={
                    "pupils": [
                        s.model_copy(update={"workplace_hours_per_week": 23})
                        if s.pupil == "L01"
                        else s
                        for s in VALID.pupils
                    ]
                }
            )
        ),
        {"summary"},
    ),
    "summary without a pupil": (
        lambda: edited(VALID.model_copy(update={"pupils": VALID.pupils[1:]})),
        {"summary"},
    ),
    "summary with the wrong contract": (
        lambda: edited(
            VALID.model_copy(
                update={
                    "pupils": [
                        s.model_copy(update={"contract": "internship"}) if s.pupil == "L02" else s
                        for s in VALID.pupils
                    ]
                }
            )
        ),
        {"summary"},
    ),
    "contract changed in the scenario after planning": (
        lambda: scenario_only(lambda d: party(d, "pupils", "L02").update(contract="internship")),
        {"summary", "contract"},  # necessarily both: the average and the plan's summary are wrong
    ),
}


GROUPED = {
    "company_closed",
    "company_capacity",
    "mentor_absent",
    "mentor_capacity",
    "centre_closed",
    "centre_capacity",
}
"""Rules reported per party and week: their messages list the pupils by id."""


@pytest.mark.parametrize("name", CORRUPTIONS)
def test_breaking_one_rule_is_reported_as_that_rule(name: str) -> None:
    make, expected = CORRUPTIONS[name]
    scenario, plan = make()
    report = validate_plan(scenario, plan)
    assert not report.valid
    assert set(report.rules) == expected, [v.message for v in report.violations]
    for v in report.violations:
        assert v.message and "{" not in v.message
        if v.pupil in scenario.pupil_by_id and v.rule not in GROUPED:
            assert f"{v.pupil} ({scenario.pupil_by_id[v.pupil].display_name})" in v.message


def test_every_rule_of_the_rules_page_is_checked_and_broken_by_a_test() -> None:
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    hard = text.split("## Hard rules", 1)[1].split("\n## ", 1)[0]
    codes = re.findall(r"^- `([a-z_]+)`", hard, flags=re.MULTILINE)
    assert len(codes) >= 20
    assert set(codes) == set(RULE_CODES)
    # scenario raises PlanError, no_solution is the status: both tested further below
    assert set(RULES) == set(codes) - {"scenario", "no_solution"}
    broken = set().union(*(expected for _, expected in CORRUPTIONS.values()))
    assert broken == set(RULES)


def test_the_validator_imports_nothing_from_the_solver() -> None:
    source = (ROOT / "scheduler" / "validate.py").read_text(encoding="utf-8")
    for node in ast.walk(ast.parse(source)):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        assert not any(n.startswith("scheduler.solver") for n in names), names
    assert "solver" not in re.sub(r'""".*?"""|#.*', "", source, flags=re.DOTALL)


# --- what the messages say ----------------------------------------------------------------------


def _report(make: str) -> ValidationReport:
    scenario, plan = CORRUPTIONS[make][0]()
    return validate_plan(scenario, plan)


def test_capacity_is_one_violation_per_company_and_week_naming_every_pupil() -> None:
    [v] = _report("company capacity").violations
    assert v.message == (
        "Bedrijf Jansens Elektro NV heeft in week van 7 december 2026 3 leerlingen in een "
        "praktijkfase, maar plaats voor 2 (L01, L02, L03)"
    )
    assert (v.week, v.party, v.pupil) == (W(13), "company:jansens", None)


def test_the_last_matching_capacity_override_counts() -> None:
    """Jansens has 3 pupils in week 13: the later override (3 places) wins over the earlier (2)."""
    narrow = {"weeks": [str(W(13))], "capacity": 2}
    wide = {"weeks": [{"from": str(W(12)), "to": str(W(14))}], "capacity": 3}

    def jansens(overrides: list[dict[str, Any]]) -> Scenario:
        return tiny_scenario(
            lambda d: party(d, "companies", "jansens").update(capacity_overrides=overrides)
        )

    assert validate_plan(jansens([narrow, wide]), VALID).valid
    report = validate_plan(jansens([wide, narrow]), VALID)
    assert [(v.rule, v.week) for v in report.violations] == [("company_capacity", W(13))]


def test_each_violation_names_pupil_week_and_party() -> None:
    [v] = _report("mentor of the wrong company").violations
    assert v.pupil == "L01" and v.week == W(12) and v.party == "company:jansens"
    assert "L01 (Lotte Vermeulen)" in v.message
    assert "Koen De Smet" in v.message and "Metaalbouw De Smet" in v.message
    assert "weken van 30 november 2026 t/m 7 december 2026" in v.message

    [v] = _report("class theory split").violations
    assert v.party == "class:5t" and v.pupil == "L03"
    assert "(L01, L02)" in v.message and "Elektriciteit" in v.message

    [v] = _report("experience not at the end").violations
    assert "L01 (Lotte Vermeulen)" in v.message and v.week == W(5)


def test_hours_messages_give_the_planners_numbers() -> None:
    [v] = _report("wrong hours").violations
    assert v.message == (
        "L01 (Lotte Vermeulen) heeft in week van 15 februari 2027 (de gewone week, 5 "
        "schooldagen) werkplek 30 u in plaats van 22,8 u"
    )
    assert (v.pupil, v.week) == ("L01", W(20))


def test_hours_within_the_tolerance_are_accepted() -> None:
    report = validate_plan(
        SCENARIO, change(at("L01", 20), hours=WeekHours(school=15.21, workplace=22.79))
    )
    assert report.valid, report.violations


def test_a_holiday_week_says_which_holiday() -> None:
    [v] = _report("a week in a holiday").violations
    assert "herfstvakantie" in v.message and v.week.isoformat() == "2026-11-02"


def test_young_worker_phase_schedule_is_one_violation_for_all_pupils() -> None:
    [v] = _report("young worker day of 9 hours").violations
    assert v.party == "module:vei"
    assert "9 u per dag (07:00-16:00)" in v.message and "(L01, L02, L03)" in v.message


def test_over_40_hours_is_one_violation_per_block() -> None:
    report = _report("young worker over 40 hours")
    assert Counter(v.pupil for v in report.violations) == {"L01": 1, "L02": 1, "L03": 1}
    assert "42 u" in report.violations[0].message


def test_messages_in_english_on_request() -> None:
    scenario, plan = CORRUPTIONS["company capacity"][0]()
    with language("en"):
        [v] = validate_plan(scenario, plan).violations
        assert v.message.startswith("Company Jansens Elektro NV has 3 pupils")
        assert "7 December 2026" in v.message
        assert validate_plan(SCENARIO, VALID).summary() == "Plan is valid: every rule respected"


def test_summary_and_by_rule() -> None:
    report = validate_plan(*CORRUPTIONS["teacher visits over the limit"][0]())
    assert list(report.by_rule()) == ["teacher_visits"]
    assert len(report.by_rule()["teacher_visits"]) == 2  # weeks 5 and 13
    assert report.summary() == "Plan breekt 1 regel (2 overtredingen: teacher_visits 2)"
    data = json.loads(report.to_json())
    assert data["valid"] is False and data["violations"][0]["rule"] == "teacher_visits"
    assert ValidationReport.model_validate(data) == report


# --- plans without a solution and plans of another scenario --------------------------------------


def test_no_solution_is_one_violation() -> None:
    plan = Plan(status="infeasible", scenario=SCENARIO.meta.name, school_year="2026-2027")
    report = validate_plan(SCENARIO, plan)
    assert not report.valid
    assert [v.rule for v in report.violations] == ["no_solution"]
    unknown = plan.model_copy(update={"status": "unknown"})
    assert validate_plan(SCENARIO, unknown).rules == ["no_solution"]


def test_a_proposal_is_never_valid() -> None:
    proposal = VALID.model_copy(update={"status": "infeasible", "proposal": True})
    assert validate_plan(SCENARIO, proposal).rules == ["no_solution"]


@pytest.mark.parametrize(
    "update", [{"scenario": "emt-duaal-2026-2027"}, {"school_year": "2027-2028"}]
)
def test_a_plan_of_another_scenario_is_refused(update: dict[str, str]) -> None:
    with pytest.raises(PlanError, match="hoort bij scenario"):
        validate_plan(SCENARIO, VALID.model_copy(update=update))


def test_hours_that_are_not_a_number_are_refused() -> None:
    plan = change(at("L01", 20), hours=WeekHours(school=float("nan"), workplace=22.8))
    with pytest.raises(PlanError, match="geen getal"):
        validate_plan(SCENARIO, plan)


# --- properties -----------------------------------------------------------------------------------

ENROLLED = [(a.pupil, a.week) for a in VALID.assignments]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.permutations(range(len(VALID.assignments))))
def test_the_order_of_assignments_does_not_matter(order: list[int]) -> None:
    shuffled = VALID.model_copy(update={"assignments": [VALID.assignments[i] for i in order]})
    assert validate_plan(SCENARIO, shuffled).valid


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(ENROLLED))
def test_any_missing_week_is_named(missing: tuple[str, Any]) -> None:
    pupil, week = missing
    plan = drop(lambda a: (a.pupil, a.week) == missing)
    found = [v for v in validate_plan(SCENARIO, plan).violations if v.rule == "coverage"]
    assert [(v.pupil, v.week) for v in found] == [(pupil, week)]


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from(ENROLLED), st.sampled_from(["school", "centre", "workplace"]), hour_offsets()
)
def test_any_wrong_hours_are_named(key: tuple[str, Any], place: str, cents: int) -> None:
    original = next(a for a in VALID.assignments if (a.pupil, a.week) == key)
    value = round(getattr(original.hours, place) + cents / 100, 2)
    if value < 0:
        return
    hours = original.hours.model_copy(update={place: value})
    report = validate_plan(SCENARIO, change(lambda a: (a.pupil, a.week) == key, hours=hours))
    assert [(v.rule, v.pupil, v.week) for v in report.violations] == [("hours", *key)]


@settings(max_examples=20, deadline=None)
@given(capacities())
def test_company_capacity_matches_a_count_of_the_plan(capacity: int) -> None:
    load = Counter(
        a.week
        for a in VALID.assignments
        if a.place == Place(kind="company", id="jansens") and a.phase in ("company", "experience")
    )
    scenario = tiny_scenario(lambda d: party(d, "companies", "jansens").update(capacity=capacity))
    found = validate_plan(scenario, VALID).by_rule().get("company_capacity", [])
    assert {v.week for v in found} == {w for w, n in load.items() if n > capacity}


# --- the command line -------------------------------------------------------------------------

runner = CliRunner()


@pytest.fixture()
def files(tmp_path: Path) -> dict[str, Path]:
    """The tiny scenario, its valid plan and a broken plan as files."""
    scenario = tmp_path / "mini.yaml"
    scenario.write_text(yaml.safe_dump(TINY, allow_unicode=True), encoding="utf-8")
    valid = tmp_path / "plan.json"
    valid.write_text(VALID.to_json(), encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text(_broken_plan().to_json(), encoding="utf-8")
    return {"scenario": scenario, "valid": valid, "broken": broken, "dir": tmp_path}


def _broken_plan() -> Plan:
    return drop(at("L01", 20))


def test_cli_valid_plan_exits_0(files: dict[str, Path]) -> None:
    result = runner.invoke(app, ["validate", str(files["scenario"]), str(files["valid"])])
    assert result.exit_code == 0, result.output
    assert "Plan is geldig: alle regels gerespecteerd" in result.output


def test_cli_broken_plan_exits_1_and_lists_violations(files: dict[str, Path]) -> None:
    result = runner.invoke(app, ["validate", str(files["scenario"]), str(files["broken"])])
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("✗ coverage: L01 (Lotte Vermeulen) heeft niets gepland in week van")
    assert any(line.startswith("✗ summary: ") for line in lines)
    assert lines[-1].startswith("Plan breekt 2 regels")


def test_cli_json_report(files: dict[str, Path]) -> None:
    result = runner.invoke(
        app, ["validate", str(files["scenario"]), str(files["broken"]), "--json"]
    )
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["valid"] is False
    assert {v["rule"] for v in data["violations"]} == {"coverage", "summary"}
    ok = runner.invoke(app, ["validate", str(files["scenario"]), str(files["valid"]), "--json"])
    assert ok.exit_code == 0 and json.loads(ok.output) == {"valid": True, "violations": []}


def test_cli_plan_of_another_scenario_exits_2(files: dict[str, Path]) -> None:
    result = runner.invoke(app, ["validate", str(EMT), str(files["valid"])])
    assert result.exit_code == 2
    assert "hoort bij scenario 'mini-duaal-2026-2027'" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("dit is geen json", "geen geldig plan (JSON)"),
        ('{"status": "optimal"}', "scenario"),
        (None, "bestaat niet"),
    ],
)
def test_cli_unusable_plan_file_exits_2(
    files: dict[str, Path], content: str | None, words: str
) -> None:
    plan = files["dir"] / "garbage.json"
    if content is not None:
        plan.write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["validate", str(files["scenario"]), str(plan)])
    assert result.exit_code == 2, result.output
    assert words in result.output and "Traceback" not in result.output


def test_cli_bad_scenario_exits_2(files: dict[str, Path]) -> None:
    bad = files["dir"] / "bad.yaml"
    bad.write_text(files["scenario"].read_text().replace("capacity: 3", "capacity: drie"))
    result = runner.invoke(app, ["validate", str(bad), str(files["valid"])])
    assert result.exit_code == 2
    assert "capacity" in result.output and "Traceback" not in result.output


def test_cli_plan_without_solution_exits_1(tmp_path: Path) -> None:
    scenario = ROOT / "examples" / "onmogelijk-oao.yaml"
    plan = tmp_path / "geen.json"
    empty = Plan(status="infeasible", scenario="onmogelijk-oao", school_year="2026-2027")
    plan.write_text(empty.to_json(), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(scenario), str(plan)])
    assert result.exit_code == 1
    assert "✗ no_solution: Het plan heeft status infeasible: er is geen plan" in result.output
    assert "Plan breekt 1 regel (1 overtreding: no_solution 1)" in result.output


def test_cli_in_a_real_process(files: dict[str, Path]) -> None:
    """Exit codes and output as a shell sees them (no traceback on bad input)."""

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "scheduler.cli", "validate", *args],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )

    broken = run(str(files["scenario"]), str(files["broken"]))
    assert broken.returncode == 1
    assert "Plan breekt" in broken.stdout
    other = run(str(EMT), str(files["broken"]))
    assert other.returncode == 2
    assert "hoort bij scenario" in other.stderr and "Traceback" not in other.stderr
