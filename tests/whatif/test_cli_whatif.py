"""``scheduler whatif`` and ``scheduler compare`` on the tiny scenario: exit codes, the new
plan and the JSON report, clear errors for bad input, the baseline never touched."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from typer.testing import CliRunner

from scheduler.cli import app
from scheduler.plan import load_plan
from tests.conftest import EXAMPLES
from tests.handmade import TINY, build_plan, tiny_scenario

runner = CliRunner()


def _files(tmp_path: Path, *changes: dict, **extra) -> tuple[Path, Path, Path]:
    """The tiny scenario, a hand-made baseline plan of it and a change file."""
    scenario = tmp_path / "tiny.yaml"
    scenario.write_text(yaml.safe_dump(TINY, allow_unicode=True), encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    baseline.write_text(build_plan(tiny_scenario()).to_json(), encoding="utf-8")
    change = tmp_path / "change.yaml"
    data = {"meta": {"name": "test", "description": "Test", "expected": "feasible"},
            "base": "tiny.yaml", "changes": list(changes)} | extra  # fmt: skip
    change.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return scenario, baseline, change


CLOSES = {"type": "company_closes", "company": "desmet", "from": "2027-04-19", "to": "2027-05-21"}


def test_whatif_writes_the_new_plan_and_the_report(tmp_path: Path) -> None:
    scenario, baseline, change = _files(tmp_path, CLOSES)
    before = baseline.read_bytes()
    plan, report = tmp_path / "new.json", tmp_path / "diff.json"
    args = ["-o", str(plan), "--report", str(report), "--time-limit", "10"]
    result = runner.invoke(app, ["whatif", str(change), "--baseline", str(baseline), *args])
    assert result.exit_code == 0, result.output
    assert "Wie verwittigen" in result.output and "Kerncijfers voor en na" in result.output
    assert "Het nieuwe plan is geldig" in result.output
    assert baseline.read_bytes() == before, "the baseline is never touched"
    data = json.loads(report.read_text(encoding="utf-8"))
    assert {"changes", "kpis", "validation", "meta", "status"} <= set(data)
    assert data["meta"]["name"] == "test" and data["status"] in ("optimal", "feasible")
    assert data["validation"] == {"valid": True, "violations": []}
    assert data["changed_pupil_weeks"] == len(data["changes"]) > 0
    # L02's experience at De Smet (weeks of 26 April - 10 May) moves
    assert {c["pupil"] for c in data["changes"]} == {"L02"}
    assert all(c["week"] >= "2027-04-19" for c in data["changes"]), "nothing before from"
    new = load_plan(plan)
    assert new.scenario == "mini-duaal-2026-2027", "the revision keeps the scenario's name"
    checked = runner.invoke(app, ["validate", str(scenario), str(plan)])
    assert checked.exit_code == 1, "the plan belongs to the changed scenario, not the base"


MORE_SEATS = {"type": "centre_seats", "centre": "anttec", "seats": 3, "from": "2027-01-04"}
ABSENT = {"type": "mentor_absent", "mentor": "jan", "from": "2027-03-01", "to": "2027-03-05"}


def test_whatif_without_baseline_solves_the_base_first(tmp_path: Path) -> None:
    _, _, change = _files(tmp_path, MORE_SEATS)
    result = runner.invoke(app, ["whatif", str(change), "--time-limit", "10"])
    assert result.exit_code == 0, result.output
    assert "Geen basisplan gegeven" in result.output
    assert "0 leerling-weken wijzigen" in result.output, "more seats change nothing"


def test_impossible_whatif_exits_3_explains_and_keeps_a_good_plan(tmp_path: Path) -> None:
    zero = {"type": "company_capacity", "company": "jansens", "capacity": 0, "from": "2027-01-04"}
    block = {"type": "company_capacity", "company": "wuyts", "capacity": 0, "from": "2027-01-04"}
    _, baseline, change = _files(tmp_path, zero, block)
    out, report = tmp_path / "new.json", tmp_path / "diff.json"
    out.write_bytes(baseline.read_bytes())
    args = ["-o", str(out), "--report", str(report), "--time-limit", "5"]
    result = runner.invoke(app, ["whatif", str(change), "--baseline", str(baseline), *args])
    assert result.exit_code == 3, result.output
    assert "Waarom er geen plan is" in result.output and "Jansens" in result.output
    assert out.read_bytes() == baseline.read_bytes(), "a good plan is not replaced"
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["status"] == "infeasible" and data["explanation"]
    assert data["validation"]["valid"] is False and data["changes"] == []


def test_bad_input_exits_2_with_a_clear_message(tmp_path: Path) -> None:
    _, baseline, change = _files(
        tmp_path, CLOSES | {"company": "ACME"}, {"type": "mentor_absent", "mentor": "an",
                                                "from": "2027-07-05", "to": "2027-07-09"}
    )  # fmt: skip
    before = baseline.read_bytes()
    result = runner.invoke(app, ["whatif", str(change), "--baseline", str(baseline)])
    assert result.exit_code == 2
    assert f"{change}:8: changes[0].company: 'ACME' is geen bedrijf in dit scenario" in (
        result.output
    )
    assert "changes[1].from: 2027-07-05 ligt buiten schooljaar 2026-2027" in result.output
    assert "Traceback" not in result.output
    _, baseline, change = _files(tmp_path, CLOSES)
    bad_from = runner.invoke(app, ["whatif", str(change), "--from", "2027-08-01"])
    assert bad_from.exit_code == 2 and "--from: 2027-08-01 ligt buiten schooljaar" in (
        bad_from.output
    )
    not_a_date = runner.invoke(app, ["whatif", str(change), "--from", "morgen"])
    assert not_a_date.exit_code == 2 and "'morgen' is geen datum" in not_a_date.output
    same = runner.invoke(app, ["whatif", str(change), "--baseline", str(baseline), "-o",
                               str(baseline)])  # fmt: skip
    assert same.exit_code == 2 and "basisplan" in same.output
    same = runner.invoke(app, ["whatif", str(change), "--baseline", str(baseline), "--report",
                               str(baseline)])  # fmt: skip
    assert same.exit_code == 2 and "--report" in same.output
    assert baseline.read_bytes() == before


def test_a_baseline_of_another_scenario_is_refused(tmp_path: Path) -> None:
    _, baseline, change = _files(tmp_path, CLOSES)
    other = json.loads(baseline.read_text(encoding="utf-8")) | {"scenario": "iets-anders"}
    baseline.write_text(json.dumps(other), encoding="utf-8")
    before = baseline.read_bytes()
    result = runner.invoke(app, ["whatif", str(change), "--baseline", str(baseline)])
    assert result.exit_code == 2
    assert "hoort bij scenario 'iets-anders'" in result.output
    assert baseline.read_bytes() == before
    empty = json.loads(baseline.read_text(encoding="utf-8")) | {
        "scenario": "mini-duaal-2026-2027", "status": "infeasible", "assignments": []
    }  # fmt: skip
    baseline.write_text(json.dumps(empty), encoding="utf-8")
    result = runner.invoke(app, ["whatif", str(change), "--baseline", str(baseline)])
    assert result.exit_code == 2 and "geen geldig plan" in result.output


def test_planner_pins_keep_weeks_as_in_the_baseline(tmp_path: Path) -> None:
    # without the pin, closing De Smet in L02's first company phase (weeks 4-5) could move it
    # anywhere; the pin keeps L02's weeks 7-13 exactly as planned
    pin = {"pupil": "L02", "from": "2026-10-12", "to": "2026-12-11"}
    _, baseline, change = _files(tmp_path, CLOSES, pins=[pin])
    report = tmp_path / "diff.json"
    result = runner.invoke(app, ["whatif", str(change), "--baseline", str(baseline),
                                 "--report", str(report), "--time-limit", "10"])  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(report.read_text(encoding="utf-8"))
    assert not [c for c in data["changes"] if "2026-10-12" <= c["week"] <= "2026-12-11"]
    bad = _files(tmp_path, CLOSES, pins=[pin | {"pupil": "L77"}])[2]
    result = runner.invoke(app, ["whatif", str(bad), "--baseline", str(baseline)])
    assert result.exit_code == 2 and "pins[0].pupil: 'L77' is geen leerling" in result.output


def test_compare_puts_variants_side_by_side(tmp_path: Path) -> None:
    scenario, _, change = _files(tmp_path, MORE_SEATS, ABSENT)
    result = runner.invoke(app, ["compare", str(scenario), str(change), "--time-limit", "10",
                                 "--json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["kind"] for r in rows] == ["scenario", "change"]
    assert [r["name"] for r in rows] == ["mini-duaal-2026-2027", "test"]
    assert all(r["kpis"]["valid"] for r in rows)
    assert rows[1]["kpis"]["changed_pupil_weeks"] >= 0
    assert rows[0]["kpis"].get("changed_pupil_weeks") is None
    table = runner.invoke(app, ["compare", str(scenario), str(change), "--time-limit", "10"])
    assert table.exit_code == 0 and "Varianten naast elkaar" in table.output
    impossible = runner.invoke(app, ["compare", str(EXAMPLES / "onmogelijk-oao.yaml"),
                                     "--time-limit", "5"])  # fmt: skip
    assert impossible.exit_code == 3
    bad = runner.invoke(app, ["compare", str(scenario), str(tmp_path / "nope.yaml")])
    assert bad.exit_code == 2 and "bestaat niet" in bad.output


def test_schema_change_prints_the_change_file_schema() -> None:
    result = runner.invoke(app, ["schema", "change"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["title"] == "Duaal leren what-if change"
    assert "changes" in schema["properties"]
