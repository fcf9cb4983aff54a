"""``scheduler ical``: one feed to stdout or a file, every feed into a folder, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import icalendar
import pytest
from typer.testing import CliRunner

import scheduler.ical.export as export
from scheduler.cli import app
from scheduler.errors import UsageError
from scheduler.ical import build_feed, feed_file_name, subscribers
from scheduler.model import Scenario
from scheduler.plan import Plan
from tests.handmade import LAYOUT, TINY, build_plan, with_block
from tests.ical.helpers import events, parse_both

runner = CliRunner()


@pytest.fixture
def files(tmp_path: Path, tiny_plan: Plan) -> tuple[Path, Path]:
    """The tiny scenario and its plan as files."""
    scenario = tmp_path / "tiny.json"
    scenario.write_text(json.dumps(TINY), encoding="utf-8")
    plan = tmp_path / "plan.json"
    plan.write_text(tiny_plan.to_json(), encoding="utf-8")
    return scenario, plan


def _ical(*args: str) -> object:
    return runner.invoke(app, ["ical", *args])


def test_one_feed_to_stdout(files: tuple[Path, Path], tiny: Scenario, tiny_plan: Plan) -> None:
    scenario, plan = files
    result = _ical(str(scenario), str(plan), "--for", "company:jansens")
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == build_feed(tiny, tiny_plan, "company:jansens")
    parse_both(result.stdout_bytes)


def test_rewriting_a_file_raises_sequence_of_changed_events_only(
    files: tuple[Path, Path], tiny: Scenario, tmp_path: Path
) -> None:
    scenario, plan = files
    out = tmp_path / "jansens.ics"
    assert (
        _ical(str(scenario), str(plan), "--for", "company:jansens", "-o", str(out)).exit_code == 0
    )
    first = out.read_bytes()
    assert (
        _ical(str(scenario), str(plan), "--for", "company:jansens", "-o", str(out)).exit_code == 0
    )
    assert out.read_bytes() == first
    moved = build_plan(tiny, with_block(LAYOUT, "L02", 5, weeks=[13, 14]))
    plan.write_text(moved.to_json(), encoding="utf-8")
    result = _ical(
        str(scenario), str(plan), "--for", "company:jansens", "-o", str(out),
        "--generated", "2026-09-01T10:00:00+02:00",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    before, after = events(first), events(out.read_bytes())
    assert before.keys() == after.keys()
    sequences = {uid: int(e["SEQUENCE"]) for uid, e in after.items()}
    assert set(sequences.values()) == {0, 1}
    for uid, event in after.items():
        if sequences[uid]:
            assert str(event["DTSTAMP"].to_ical(), "ascii") == "20260901T080000Z"
    assert not list(tmp_path.glob(".*.tmp"))


def test_output_folder_gets_the_default_name(files: tuple[Path, Path], tmp_path: Path) -> None:
    scenario, plan = files
    folder = tmp_path / "out"
    folder.mkdir()
    assert _ical(str(scenario), str(plan), "--for", "pupil:L01", "-o", str(folder)).exit_code == 0
    assert [p.name for p in folder.iterdir()] == ["pupil-L01.ics"]


def test_all_feeds_into_a_folder(files: tuple[Path, Path], tiny: Scenario, tmp_path: Path) -> None:
    scenario, plan = files
    folder = tmp_path / "feeds" / "2026"
    result = _ical(str(scenario), str(plan), "--all", "-o", str(folder))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        feed_file_name(s) for s in subscribers(tiny)
    )
    for path in folder.iterdir():
        parse_both(path.read_bytes())


def test_all_empties_the_feed_of_a_subscriber_no_longer_in_the_plan(
    files: tuple[Path, Path], tiny: Scenario, tmp_path: Path
) -> None:
    scenario, plan = files
    folder = tmp_path / "feeds"
    assert _ical(str(scenario), str(plan), "--all", "-o", str(folder)).exit_code == 0
    # a company that left: its earlier feed is still in the folder, with events
    gone = folder / "company-vertrokken.ics"
    gone.write_bytes((folder / feed_file_name("company:jansens")).read_bytes())
    assert events(gone.read_bytes())
    foreign = folder / "eigen-agenda.ics"
    foreign.write_text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//ander//NL\r\nEND:VCALENDAR\r\n")
    before = foreign.read_bytes()
    result = _ical(str(scenario), str(plan), "--all", "-o", str(folder))
    assert result.exit_code == 0, result.output
    assert "company-vertrokken.ics" in result.output and "leeggemaakt" in result.output
    parse_both(gone.read_bytes())  # still a valid feed for both parsers
    assert not events(gone.read_bytes())  # subscribers see the old weeks vanish on the next refresh
    assert foreign.read_bytes() == before  # files of other programs are never touched
    assert events((folder / feed_file_name("company:jansens")).read_bytes())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--for", "company:acme"], "'acme' is geen bedrijf"),
        (["--for", "firma:jansens"], "geen soort abonnee"),
        ([], "kies --for"),
        (["--for", "company:jansens", "--all"], "kies --for"),
        (["--all"], "geef een map met -o"),
        (["--for", "company:jansens", "--generated", "gisteren"], "geen tijdstip"),
    ],
)
def test_bad_usage_exits_2_with_a_message(
    files: tuple[Path, Path], tmp_path: Path, args: list[str], message: str
) -> None:
    scenario, plan = files
    out = tmp_path / "out.ics"
    extra = [] if "--all" in args else ["-o", str(out)]
    result = _ical(str(scenario), str(plan), *args, *extra)
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output
    assert not out.exists()


def test_plan_of_another_scenario(files: tuple[Path, Path], tmp_path: Path) -> None:
    scenario, plan = files
    data = json.loads(plan.read_text(encoding="utf-8"))
    data["scenario"] = "emt-duaal-2026-2027"
    plan.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "x.ics"
    result = runner.invoke(
        app,
        ["--lang", "en", "ical", str(scenario), str(plan), "--for", "school:vti", "-o", str(out)],
    )
    assert result.exit_code == 2
    assert f"{plan}: this plan belongs to scenario 'emt-duaal-2026-2027'" in result.output
    assert not out.exists()


def test_a_file_that_is_not_a_feed_is_left_alone(files: tuple[Path, Path], tmp_path: Path) -> None:
    scenario, plan = files
    out = tmp_path / "notes.ics"
    out.write_text("mijn notities\n", encoding="utf-8")
    result = _ical(str(scenario), str(plan), "--for", "school:vti", "-o", str(out))
    assert result.exit_code == 2 and "geen iCalendar-feed" in result.output
    assert out.read_text(encoding="utf-8") == "mijn notities\n"
    missing = tmp_path / "nergens" / "x.ics"
    result = _ical(str(scenario), str(plan), "--for", "school:vti", "-o", str(missing))
    assert result.exit_code == 2 and "de map bestaat niet" in result.output
    result = _ical(str(scenario), str(plan), "--all", "-o", str(out))
    assert result.exit_code == 2 and "is een bestand, geen map" in result.output


def test_all_moves_nothing_when_one_feed_fails(
    files: tuple[Path, Path], tiny: Scenario, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario, plan = files
    folder = tmp_path / "feeds"
    assert _ical(str(scenario), str(plan), "--all", "-o", str(folder)).exit_code == 0
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    moved = build_plan(tiny, with_block(LAYOUT, "L02", 5, weeks=[13, 14]))
    plan.write_text(moved.to_json(), encoding="utf-8")

    real = export.build_feed
    calls = []

    def failing(*args: object, **kwargs: object) -> bytes:
        calls.append(args[2])
        if len(calls) == 5:
            raise UsageError("kapot")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(export, "build_feed", failing)
    result = _ical(str(scenario), str(plan), "--all", "-o", str(folder))
    assert result.exit_code == 2 and "kapot" in result.output
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before

    monkeypatch.setattr(export, "build_feed", real)
    written = []
    real_write = Path.write_bytes

    def disk_full(self: Path, data: bytes) -> int:
        if len(written) == 3:
            raise OSError(28, "No space left on device")
        written.append(self)
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", disk_full)
    result = _ical(str(scenario), str(plan), "--all", "-o", str(folder))
    assert result.exit_code == 2 and "No space left on device" in result.output
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before, "no staging folder left"

    monkeypatch.setattr(Path, "write_bytes", real_write)
    assert _ical(str(scenario), str(plan), "--all", "-o", str(folder)).exit_code == 0
    after = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert after.keys() == before.keys() and after["mentor-bart.ics"] != before["mentor-bart.ics"]


def test_feeds_name_the_calendar_for_the_subscriber(
    files: tuple[Path, Path], tmp_path: Path
) -> None:
    scenario, plan = files
    result = _ical(str(scenario), str(plan), "--for", "centrum:anttec")
    calendar = icalendar.Calendar.from_ical(result.stdout_bytes)
    assert str(calendar["X-WR-CALNAME"]) == "Duaal leren - Opleidingscentrum Anttec Gent"
