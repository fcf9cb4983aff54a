"""``scheduler solve`` and ``scheduler validate`` from the command line: exit codes, files."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from typer.testing import CliRunner

from scheduler.cli import app
from scheduler.plan import load_plan
from tests.conftest import EXAMPLES
from tests.handmade import TINY

runner = CliRunner()


def _tiny_file(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(TINY, allow_unicode=True), encoding="utf-8")
    return path


def test_solve_writes_a_plan_that_validates(tmp_path: Path) -> None:
    scenario = _tiny_file(tmp_path)
    plan = tmp_path / "plan.json"
    result = runner.invoke(app, ["solve", str(scenario), "-o", str(plan), "--time-limit", "30"])
    assert result.exit_code == 0, result.output
    assert "plan" in result.output and "Leerlingen" in result.output
    data = json.loads(plan.read_text(encoding="utf-8"))
    assert data["status"] in ("optimal", "feasible")
    assert {"pupil", "week", "phase", "module", "place", "mentor", "hours"} <= set(
        data["assignments"][0]
    )
    checked = runner.invoke(app, ["validate", str(scenario), str(plan)])
    assert checked.exit_code == 0, checked.output


def test_impossible_scenario_exits_3_and_keeps_a_good_plan(tmp_path: Path) -> None:
    scenario = _tiny_file(tmp_path)
    plan = tmp_path / "plan.json"
    assert runner.invoke(app, ["solve", str(scenario), "-o", str(plan)]).exit_code == 0
    before = plan.read_bytes()
    impossible = EXAMPLES / "onmogelijk-oao.yaml"
    result = runner.invoke(app, ["solve", str(impossible), "-o", str(plan)])
    assert result.exit_code == 3
    assert "Waarom er geen plan is" in result.output and "20 uur" in result.output
    assert plan.read_bytes() == before, "a failed solve never overwrites a good plan"
    kept = tmp_path / "plan.geen-plan.json"
    assert load_plan(kept).status == "infeasible"
    assert load_plan(kept).explanation


def test_bad_options_exit_2(tmp_path: Path) -> None:
    scenario = _tiny_file(tmp_path)
    bad = runner.invoke(app, ["solve", str(scenario), "--weights", "wachten=3"])
    assert bad.exit_code == 2 and "onbekend gewicht 'wachten'" in bad.output
    assert runner.invoke(app, ["solve", str(tmp_path / "nope.yaml")]).exit_code == 2
    assert runner.invoke(app, ["solve", str(scenario), "--time-limit", "-1"]).exit_code == 2
    assert "Traceback" not in bad.output


def test_validate_rejects_plan_of_another_scenario(tmp_path: Path) -> None:
    scenario = _tiny_file(tmp_path)
    plan = tmp_path / "plan.json"
    runner.invoke(app, ["solve", str(scenario), "-o", str(plan)])
    other = EXAMPLES / "regio-meetjesland-2026-2027.yaml"
    result = runner.invoke(app, ["validate", str(other), str(plan)])
    assert result.exit_code == 2
    assert "hoort bij scenario" in result.output
