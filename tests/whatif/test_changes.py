"""Change files: every change type changes the scenario as documented; bad changes are named
by change, field, file and line; the changed scenario keeps the base's name and year."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from pydantic import TypeAdapter

from scheduler.errors import ScenarioError
from scheduler.i18n import language
from scheduler.schemas import json_schema
from scheduler.whatif.changes import (
    CHANGE_TYPES,
    Change,
    ChangeFile,
    apply_changes,
    load_change_file,
)
from tests.conftest import ROOT
from tests.handmade import TINY, tiny_scenario

CHANGES = TypeAdapter(list[Change])
D = dt.date.fromisoformat


def applied(*changes: dict):
    """The tiny scenario with ``changes`` applied."""
    return apply_changes(tiny_scenario(), CHANGES.validate_python(list(changes)))


def problems(*changes: dict) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        applied(*changes)
    return [str(p) for p in caught.value.problems]


def test_every_change_type_is_a_model_and_in_the_schema() -> None:
    schema = json_schema("change")
    text = str(schema)
    for kind in CHANGE_TYPES:
        assert f"'{kind}'" in text
    committed = (ROOT / "docs" / "change.schema.json").read_text(encoding="utf-8")
    import json

    assert json.loads(committed) == schema, "docs/change.schema.json is out of date"


def test_changed_scenario_keeps_name_and_year_but_not_the_fingerprint() -> None:
    base = tiny_scenario()
    changed = applied({"type": "company_closes", "company": "wuyts", "from": "2027-03-01",
                       "to": "2027-03-12"})  # fmt: skip
    assert changed.meta == base.meta and changed.school_year == base.school_year
    assert changed.fingerprint != base.fingerprint
    assert {D("2027-03-01"), D("2027-03-08")} <= changed.company_by_id["wuyts"].closure_weeks
    assert not base.company_by_id["wuyts"].closure_weeks


def test_company_leaves_moves_its_pupils_to_a_partner_and_keeps_their_past_valid() -> None:
    changed = applied({"type": "company_leaves", "company": "jansens", "from": "2027-01-11"})
    jansens = changed.company_by_id["jansens"]
    assert jansens.active_until == D("2027-01-10")
    assert not jansens.is_open(D("2027-01-11")) and jansens.is_open(D("2027-01-04"))
    # both pupils of Jansens go to its only partner, Wuyts, with Wuyts's mentor
    for pid in ("L01", "L03"):
        assert (changed.pupil_by_id[pid].company, changed.pupil_by_id[pid].mentor) == (
            "wuyts",
            "jan",
        )
    # the old company becomes a candidate of the new home, so past weeks there stay valid
    assert "jansens" in changed.company_by_id["wuyts"].partners
    assert changed.pupil_by_id["L02"].company == "desmet", "pupils of others stay"


def test_company_leaves_per_pupil_targets_and_errors() -> None:
    changed = applied(
        {"type": "company_leaves", "company": "jansens", "from": "2027-01-11",
         "new_company": "wuyts",
         "pupils": [{"pupil": "L03", "new_mentor": "koen"}]}
    )  # fmt: skip
    assert (changed.pupil_by_id["L01"].company, changed.pupil_by_id["L01"].mentor) == (
        "wuyts",
        "jan",
    )
    assert (changed.pupil_by_id["L03"].company, changed.pupil_by_id["L03"].mentor) == (
        "desmet",
        "koen",
    )
    found = problems(
        {"type": "company_leaves", "company": "wuyts", "from": "2027-01-11"},  # no pupils: ok
        {"type": "company_leaves", "company": "desmet", "from": "2027-01-11",
         "pupils": [{"pupil": "L01"}, {"pupil": "L02", "new_company": "desmet"}]},
        {"type": "company_leaves", "company": "jansens", "from": "2027-01-11",
         "new_company": "wuyts", "new_mentor": "an"},
    )  # fmt: skip
    assert found == [
        "changes[1].pupils[0].pupil: 'L01' is geen leerling van bedrijf 'desmet' "
        "(wel van 'jansens')",
        "changes[1].pupils[1].new_company: 'desmet' is het bedrijf dat stopt",
        "changes[2].new_mentor: 'an' is geen mentor van bedrijf 'wuyts' (wel van 'jansens')",
    ]


def test_company_without_partners_needs_a_new_company() -> None:
    joins = {"type": "pupil_joins", "start": "2026-09-01",
             "pupil": {"id": "L04", "first_name": "Nora", "class": "5t", "company": "wuyts",
                       "mentor": "jan"}}  # fmt: skip
    leaves = {"type": "company_leaves", "company": "wuyts", "from": "2027-01-11"}
    (message,) = problems(joins, leaves)
    assert message.startswith("changes[1].new_company: bedrijf 'wuyts' heeft geen partnerbedrijf")
    moved = applied(joins, leaves | {"new_company": "desmet"})
    assert moved.pupil_by_id["L04"].company == "desmet"
    # a pupil who left before the company stopped keeps it
    gone = applied(joins | {"pupil": joins["pupil"] | {"leave": "2026-12-18"}}, leaves)
    assert gone.pupil_by_id["L04"].company == "wuyts"


def test_each_change_type_changes_what_it_says() -> None:
    s = applied(
        {"type": "company_capacity", "company": "jansens", "capacity": 1, "from": "2027-03-01"},
        {"type": "mentor_absent", "mentor": "an", "from": "2027-02-01", "to": "2027-02-12"},
        {"type": "pupil_joins", "start": "2027-01-11",
         "pupil": {"id": "L04", "first_name": "Nora", "class": "5t", "company": "wuyts",
                   "mentor": "jan", "mastered": ["vei"]}},
        {"type": "pupil_leaves", "pupil": "L01", "date": "2027-06-11"},
        {"type": "contract_changes", "pupil": "L03", "contract": "oao"},
        {"type": "centre_closed", "centre": "anttec", "from": "2027-03-08", "to": "2027-03-12"},
        {"type": "centre_seats", "centre": "klein", "seats": 1, "from": "2027-04-19",
         "to": "2027-04-30"},
        {"type": "extra_free_day", "date": "2027-03-03", "name": "Studiedag", "school": "vti"},
        {"type": "extra_free_day", "date": "2027-03-04", "name": "Staking"},
        {"type": "phase_length", "module": "elm", "phase": "theory", "weeks": "2..3"},
        {"type": "class_added", "school": "ander",
         "class": {"id": "5x", "programme": "mini", "year": 1},
         "start": "2026-09-14",
         "pupils": [{"id": "X1", "first_name": "Bo", "company": "wuyts", "mentor": "jan"}]},
    )  # fmt: skip
    assert s.company_by_id["jansens"].capacity_in(D("2027-03-01")) == 1
    assert s.company_by_id["jansens"].capacity_in(D("2027-06-28")) == 1
    assert s.company_by_id["jansens"].capacity_in(D("2027-02-22")) == 3
    assert D("2027-02-08") in s.mentor_by_id["an"][1].unavailable_weeks
    joined = s.pupil_by_id["L04"]
    assert joined.start == D("2027-01-11") and min(s.pupil_days(joined)) == D("2027-01-11")
    assert s.pupil_by_id["L01"].leave == D("2027-06-11")
    assert s.contract_of(s.pupil_by_id["L03"]) == "oao"
    assert not s.centre_by_id["anttec"].is_open(D("2027-03-08"))
    assert s.centre_by_id["klein"].seats_in(D("2027-04-19")) == 1
    assert s.centre_by_id["klein"].seats_in(D("2027-05-03")) == 2
    assert len(s.school_days("vti")[D("2027-03-01")]) == 3  # two free days that week
    assert len(s.school_days("ander")[D("2027-03-01")]) == 4
    theory = s.module_by_id["elm"].module.phase("theory")
    assert (theory.weeks.min, theory.weeks.max) == (2, 3)
    assert s.pupil_by_id["X1"].class_id == "5x" and s.pupil_by_id["X1"].start == D("2026-09-14")
    assert s.school_of(s.pupil_by_id["X1"]).id == "ander"


def test_bad_changes_name_change_and_field() -> None:
    found = problems(
        {"type": "company_closes", "company": "ACME", "from": "2027-01-11", "to": "2027-01-15"},
        {"type": "mentor_absent", "mentor": "zorro", "from": "2027-01-11", "to": "2027-01-15"},
        {"type": "centre_seats", "centre": "anttec", "seats": 2, "from": "2027-08-02"},
        {"type": "extra_free_day", "date": "2026-12-23", "name": "Kerst"},
        {"type": "phase_length", "module": "vei", "phase": "theory", "weeks": 2},
        {"type": "pupil_joins", "start": "2027-01-11",
         "pupil": {"id": "L01", "first_name": "Dubbel", "class": "5t", "company": "wuyts",
                   "mentor": "jan"}},
        {"type": "pupil_joins", "start": "2027-01-11",
         "pupil": {"id": "L09", "first_name": "Fout", "class": "5t", "company": "wuyts",
                   "mentor": "an"}},
        {"type": "contract_changes", "pupil": "L99", "contract": "oao"},
    )  # fmt: skip
    assert found == [
        "changes[0].company: 'ACME' is geen bedrijf in dit scenario",
        "changes[1].mentor: 'zorro' is geen mentor in dit scenario",
        "changes[2].from: 2027-08-02 ligt buiten schooljaar 2026-2027 (2026-09-01 tot 2027-06-30)",
        "changes[3].date: 2026-12-23 is geen schooldag (weekend, vakantie of al een vrije dag)",
        "changes[5].pupil.id: leerling 'L01' bestaat al in dit scenario",
        "changes[6].pupil.mentor: 'an' is geen mentor van bedrijf 'wuyts' (wel van 'jansens')",
        "changes[7].pupil: 'L99' is geen leerling in dit scenario",
    ], "phase_length on a fixed phase is fine (vei theory 2 weeks)"


def _write(tmp_path: Path, name: str, data: dict) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_change_file_errors_name_file_and_line(tmp_path: Path) -> None:
    _write(tmp_path, "tiny.yaml", TINY)
    text = """meta:
  name: test
base: tiny.yaml
changes:
  - type: company_closes
    company: jansens
    from: 2027-01-11
    to: 2027-01-15
  - type: company_closes
    company: ACME
    from: 2027-01-11
    to: 2027-01-15
  - type: mentor_ill
    mentor: an
  - type: centre_closed
    centre: anttec
    form: 2027-01-11
    to: 2027-01-15
"""
    path = tmp_path / "change.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_change_file(path)
    shown = [str(p) for p in caught.value.problems]
    assert f"{path}:13: changes[2].type: onbekend type 'mentor_ill'; kies uit " in shown[0]
    assert f"{path}:17: changes[3].form: onbekende sleutel 'form'; bedoelde je 'from'?" in shown
    assert f"{path}:15: changes[3].from: ontbreekt (verplicht)" in shown
    # reference problems come once the file is well-formed
    path.write_text(text.split("  - type: mentor_ill")[0], encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_change_file(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:10: changes[1].company: 'ACME' is geen bedrijf in dit scenario"
    ]


def test_missing_base_and_from_outside_the_year(tmp_path: Path) -> None:
    contract = {"type": "contract_changes", "pupil": "L01", "contract": "oao"}
    change = {"meta": {"name": "x"}, "base": "nergens.yaml", "changes": [contract]}
    path = _write(tmp_path, "change.yaml", change)
    with pytest.raises(ScenarioError, match=r"basisscenario 'nergens\.yaml' bestaat niet"):
        load_change_file(path)
    _write(tmp_path, "tiny.yaml", TINY)
    path = _write(tmp_path, "change.yaml", change | {"base": "tiny.yaml"})
    with pytest.raises(ScenarioError, match=r"--from: 2027-07-05 ligt buiten schooljaar"):
        load_change_file(path, D("2027-07-05"))
    whatif = load_change_file(path)
    assert whatif.start is None, "a change without a date freezes nothing"
    assert load_change_file(path, D("2027-02-03")).start == D("2027-02-03")


def test_default_from_is_the_earliest_change(tmp_path: Path) -> None:
    _write(tmp_path, "tiny.yaml", TINY)
    path = _write(
        tmp_path,
        "change.yaml",
        {"meta": {"name": "x"}, "base": "tiny.yaml", "changes": [
            {"type": "mentor_absent", "mentor": "an", "from": "2027-03-01", "to": "2027-03-05"},
            {"type": "centre_closed", "centre": "anttec", "from": "2027-02-03",
             "to": "2027-02-05"},
        ]},
    )  # fmt: skip
    assert load_change_file(path).start == D("2027-02-03")
    assert ChangeFile.model_validate(
        yaml.safe_load(path.read_text(encoding="utf-8")) | {"from": "2027-01-04"}
    ).effective() == D("2027-01-04")


def test_problems_inside_added_entries_point_into_the_change() -> None:
    found = problems(
        {"type": "class_added", "school": "ander",
         "class": {"id": "5x", "programme": "nope", "year": 1},
         "pupils": [{"id": "X1", "first_name": "Bo", "company": "wuyts", "mentor": "an",
                     "mastered": ["zz"]}]},
    )  # fmt: skip
    assert "changes[0].class.programme: 'nope' is geen programma in dit scenario" in found
    assert (
        "changes[0].pupils[0].mentor: 'an' is geen mentor van bedrijf 'wuyts' (wel van 'jansens')"
        in found
    )
    with language("en"):
        (english,) = problems({"type": "contract_changes", "pupil": "L99", "contract": "oao"})
    assert english == "changes[0].pupil: 'L99' is not a pupil in this scenario"
