"""Bad scenario files: each mistake gets one clear problem naming file, path and value."""

from __future__ import annotations

from pathlib import Path

import pytest

from scheduler.errors import ScenarioError
from scheduler.files import load_scenario, scenario_from_text
from scheduler.i18n import language
from tests.conftest import EMT, EXAMPLES

SOURCE = EMT.read_text(encoding="utf-8").replace(
    "programmes/emt-duaal.yaml", str(EXAMPLES / "programmes" / "emt-duaal.yaml")
)

# (name, edit of the EMT example, path named in the message, words the message must hold)
BAD_INPUTS = [
    (
        "dangling reference",
        ("company: desmet, mentor: desmet-koen}", "company: ACME, mentor: desmet-koen}"),
        "pupils[3].company",
        ["'ACME'", "geen bedrijf"],
    ),
    (
        "unknown key",
        ("    seats: 12", "    seats: 12\n    sets: 4"),
        "centres[0].sets",
        ["onbekende sleutel 'sets'", "bedoelde je 'seats'"],
    ),
    (
        "wrong type",
        ("    seats: 12", "    seats: tien"),
        "centres[0].seats",
        ["geheel getal", "'tien'"],
    ),
    (
        "negative capacity",
        ("name: Vermeulen Techniek\n    address: Brugsesteenweg 220, 9030 Mariakerke\n"
         "    capacity: 2",
         "name: Vermeulen Techniek\n    address: Brugsesteenweg 220, 9030 Mariakerke\n"
         "    capacity: -2"),
        "companies[1].capacity",
        ["minstens 0", "-2"],
    ),
    (
        "date outside the school year",
        ("start: 2026-10-05", "start: 2027-09-06"),
        "pupils[10].start",
        ["2027-09-06", "buiten schooljaar 2026-2027"],
    ),
    (
        "a week that is not a Monday",
        ("      - 2027-02-15   # yearly", "      - 2027-02-17   # yearly"),
        "companies[6].closures[0]",
        ["2027-02-17", "geen maandag", "2027-02-15"],
    ),
    (
        "mentor of another company",
        (
            "company: maes, mentor: maes-ilse, mastered",
            "company: maes, mentor: dubois-marc, mastered",
        ),
        "pupils[6].mentor",
        ["'dubois-marc'", "'maes'"],
    ),
    (
        "duplicate id",
        ("{id: L02, first_name: Milan", "{id: L01, first_name: Milan"),
        "pupils[1].id",
        ["'L01'", "twee keer"],
    ),
    (
        "missing field",
        ("    seats: 12\n", ""),
        "centres[0].seats",
        ["ontbreekt"],
    ),
    (
        "phase order inline",
        ("programmes:\n  - " + str(EXAMPLES / "programmes" / "emt-duaal.yaml"),
         "programmes:\n  - id: p\n    name: P\n    ordinary_week: {school: 30}\n"
         "    years:\n      - year: 1\n        contract: oao\n        modules:\n"
         "          - id: m\n            name: M\n            phases:\n"
         "              - {kind: company, weeks: 2, hours: {workplace: 38}}\n"
         "              - {kind: theory, weeks: 2, hours: {school: 32}}"),
        "programmes[0].years[0].modules[0].phases",
        ["stramien", "company -> theory"],
    ),
]  # fmt: skip


def _write(tmp_path: Path, text: str, name: str = "scenario.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "edit", "path", "words"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS]
)
def test_bad_input_names_file_path_and_value(
    tmp_path: Path, name: str, edit: tuple[str, str], path: str, words: list[str]
) -> None:
    assert edit[0] in SOURCE, f"the edit for {name!r} no longer applies to the example"
    file = _write(tmp_path, SOURCE.replace(edit[0], edit[1], 1))
    with pytest.raises(ScenarioError) as info:
        load_scenario(file)
    matching = [p for p in info.value.problems if p.path == path]
    assert matching, [str(p) for p in info.value.problems]
    problem = matching[0]
    assert problem.file == str(file)
    assert problem.line is not None
    for word in words:
        assert word in problem.message, problem.message


def test_malformed_yaml_names_the_line(tmp_path: Path) -> None:
    file = _write(tmp_path, SOURCE.replace("pupils:\n", "pupils:\n  - {id: X, first_name: [\n", 1))
    with pytest.raises(ScenarioError) as info:
        load_scenario(file)
    (problem,) = info.value.problems
    assert "YAML" in problem.message and problem.line is not None and problem.file == str(file)


def test_duplicate_yaml_key_is_refused(tmp_path: Path) -> None:
    file = _write(tmp_path, SOURCE.replace("    seats: 12", "    seats: 12\n    seats: 12"))
    with pytest.raises(ScenarioError, match="'seats' komt twee keer voor"):
        load_scenario(file)


def test_empty_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="leeg"):
        load_scenario(_write(tmp_path, "   \n"))
    with pytest.raises(ScenarioError, match="bestaat niet"):
        load_scenario(tmp_path / "nope.yaml")
    with pytest.raises(ScenarioError, match="object met sleutels"):
        load_scenario(_write(tmp_path, "- just\n- a list\n"))


def test_problem_in_referenced_programme_names_that_file(tmp_path: Path) -> None:
    programme = (EXAMPLES / "programmes" / "emt-duaal.yaml").read_text(encoding="utf-8")
    _write(tmp_path, programme.replace("weeks: 2..4", "weeks: 4..2", 1), "prog.yaml")
    scenario = EMT.read_text(encoding="utf-8").replace("programmes/emt-duaal.yaml", "prog.yaml")
    with pytest.raises(ScenarioError) as info:
        load_scenario(_write(tmp_path, scenario))
    files = {p.file for p in info.value.problems}
    assert str(tmp_path / "scenario.yaml") in files
    inner = [p for p in info.value.problems if p.file.endswith("prog.yaml")]
    assert inner and "max (2) is kleiner dan min (4)" in inner[0].message
    assert inner[0].path.startswith("years[0].modules[1].phases[2].weeks")


def test_json_scenario_and_english_messages() -> None:
    with language("en"), pytest.raises(ScenarioError) as info:
        scenario_from_text('{"meta": {"name": "x"}, "school_year": "2026-2027", "programmes": [], '
                           '"schools": []}', "json", "upload.json")  # fmt: skip
    text = str(info.value)
    assert "upload.json: programmes: must not be empty" in text


def test_programme_file_reference_refused_in_uploads() -> None:
    with pytest.raises(ScenarioError, match="niet als bestandsnaam"):
        scenario_from_text(
            SOURCE.replace(str(EXAMPLES / "programmes" / "emt-duaal.yaml"), "x.yaml")
        )
