"""The command line: checks on the examples, the calendar contract, exit codes, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scheduler.cli import app
from tests.conftest import EMT, ROOT, SCENARIO_FILES

runner = CliRunner()


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.name)
def test_check_accepts_every_example(path: Path) -> None:
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 0, result.output
    assert "in orde" in result.output


def test_check_summary_of_emt() -> None:
    result = runner.invoke(app, ["check", str(EMT)])
    assert "24 leerlingen in 2 klassen" in result.output
    assert "12 bedrijven" in result.output
    assert "38 lesweken" in result.output


def test_check_json_overview() -> None:
    result = runner.invoke(app, ["check", str(EMT), "--json"])
    data = json.loads(result.output)
    assert data["pupils"] == 24 and len(data["classes"]) == 2


def test_calendar_json_contract() -> None:
    result = runner.invoke(app, ["calendar", "2026-2027", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["school_year"] == "2026-2027"
    assert data["first_day"] == "2026-09-01" and data["last_day"] == "2027-06-30"
    assert data["holidays"][0] == {
        "name": "herfstvakantie",
        "start": "2026-11-02",
        "end": "2026-11-08",
    }
    assert [h["name"] for h in data["holidays"]] == [
        "herfstvakantie", "kerstvakantie", "krokusvakantie", "paasvakantie", "zomervakantie"
    ]  # fmt: skip
    assert data["holidays"][-1] == {
        "name": "zomervakantie",
        "start": "2027-07-01",
        "end": "2027-08-31",
    }
    assert {"name": "Wapenstilstand", "date": "2026-11-11"} in data["free_days"]
    assert data["weeks"][0] == {"monday": "2026-08-31", "school_days": 4, "holiday": None}


def test_calendar_table_and_bad_year() -> None:
    assert "herfstvakantie" in runner.invoke(app, ["calendar", "2026-2027"]).output
    result = runner.invoke(app, ["calendar", "twintig"])
    assert result.exit_code == 2
    assert "geen schooljaar" in result.output


@pytest.mark.parametrize(("kind", "key"), [("scenario", "pupils"), ("plan", "assignments")])
def test_schema_is_published_and_current(kind: str, key: str) -> None:
    result = runner.invoke(app, ["schema", kind])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert key in schema["properties"]
    committed = json.loads((ROOT / "docs" / f"{kind}.schema.json").read_text(encoding="utf-8"))
    assert committed == schema, f"docs/{kind}.schema.json is stale: run scheduler schema {kind}"


def test_unknown_schema_kind_exits_2() -> None:
    result = runner.invoke(app, ["schema", "feed"])
    assert result.exit_code == 2 and "onbekend formaat 'feed'" in result.output


def test_unknown_option_is_a_usage_error() -> None:
    result = runner.invoke(app, ["check", str(EMT), "--frobnicate"])
    assert result.exit_code == 2


def test_bad_file_exits_2_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("meta: {name: x}\nschool_year: 2026-2027\nprogrammes: []\nschools: []\n")
    proc = subprocess.run(
        [sys.executable, "-m", "scheduler.cli", "check", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "programmes: mag niet leeg zijn" in proc.stderr


def test_english_on_request(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--lang", "en", "check", str(tmp_path / "missing.yaml")])
    assert result.exit_code == 2
    assert "the file does not exist" in result.output
