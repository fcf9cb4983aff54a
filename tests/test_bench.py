"""The benchmark's bookkeeping: when a run came within 1 % of its bound, the day a company
drops out, and the report's verdicts against the targets (no solving here)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from types import SimpleNamespace

from bench.__main__ import _beats, render, write_markdown
from bench.run_one import _drop_date, _tree_rss_kib, within


def test_within_is_the_first_time_the_objective_meets_the_bound() -> None:
    history = [(1.0, 200.0), (5.0, 102.0), (9.0, 100.5)]
    assert within(history, 100.0, 0.01) == 9.0
    assert within(history, 100.0, 0.05) == 5.0
    assert within(history, 50.0, 0.01) is None
    assert within(history, None, 0.01) is None


def _at(pupil: str, week: dt.date, place: str = "acme") -> SimpleNamespace:
    return SimpleNamespace(pupil=pupil, week=week, place=SimpleNamespace(kind="company", id=place))


def test_a_company_drops_out_on_a_monday_no_stay_spans() -> None:
    jan11 = dt.date(2027, 1, 11)
    week = dt.timedelta(days=7)
    plan = SimpleNamespace(
        assignments=[
            # a stay over 4 and 11 January: leaving on the 11th would split it
            _at("an", jan11 - week),
            _at("an", jan11),
            # a stay that starts on the 18th: leaving then moves it whole
            _at("bo", jan11 + week),
            _at("bo", jan11 + 2 * week),
            # another company's stay does not matter
            _at("cas", jan11, "other"),
            _at("cas", jan11 + week, "other"),
        ]
    )
    assert _drop_date(plan, "acme", jan11) == jan11 + week
    assert _drop_date(plan, "nobody", jan11) == jan11


def _run(
    size: str, first: float, within_s: float | None, gap: float, from_greedy: float = 800.0
) -> dict:
    return {
        "size": size, "seed": 0, "pupils": 24 if size == "EMT" else 50,
        "greedy": {"seconds": 0.1, "unplaced": 0, "objective": 900.0, "complete": True},
        "objective_on_greedy_pupils": 800.0, "first_plan_seconds": first,
        "within_1pct_seconds": within_s, "optimal_seconds": within_s, "gap": gap,
        "history": [[first, 800.0]], "objective": 800.0, "bound": 790.0, "valid": True,
        "peak_rss_mib": 200.0,
        "from_greedy": {"time_limit": 60, "objective": from_greedy, "valid": True},
    }  # fmt: skip


def test_the_report_marks_met_and_missed_targets(tmp_path: Path) -> None:
    meta = {
        "date": "2026-12-02", "machine": "test", "ortools": "9", "time_limit": 120,
        "replan_limit": 30, "seeds": "0", "processes": 1, "command": "python -m bench",
    }  # fmt: skip
    out = tmp_path / "results.md"
    runs = [_run("EMT", 0.5, 1.5, 0.0), _run("S", 3.0, None, 0.2), _run("M", 3, 20, 0.01, 950)]
    write_markdown(runs, out, meta)
    rows = {line.split("|")[1].strip(): line for line in out.read_text().splitlines()[:20]
            if line.startswith("| ")}  # fmt: skip
    assert "proven optimal in 1.5 s (< 2 s) met" in rows["EMT example"]
    assert "0.5 s (< 1 s) met" in rows["EMT example"]
    assert "| 3 s (< 1 s) **missed**" in rows["S"]
    assert "not reached (< 5 s) **missed**" in rows["S"]
    # CP-SAT from the greedy's plan: 800 against 900 beats it by 11.1 %; 950 does not
    assert "1/1, by 11.1 % (greedy complete in 1/1" in rows["S"]
    assert "0/1, by -5.6 %" in rows["M"]
    assert "| 20 s (< 30 s) met" in rows["M"]
    # the example's row judges the greedy like every other row
    assert "1/1, by 11.1 %" in rows["EMT example"]


def test_the_report_judges_the_replan_at_l_and_the_memory_at_xl(tmp_path: Path) -> None:
    meta = {
        "date": "2026-12-02", "machine": "test", "ortools": "9", "time_limit": 120,
        "replan_limit": 30, "seeds": "0", "processes": 1, "command": "python -m bench",
    }  # fmt: skip
    slow = {"status": "feasible", "seconds": 8.0, "changed_pupil_weeks": 18}
    big, small = _run("XL", 20, None, 0.7), _run("L", 10, None, 0.7)
    big["peak_rss_mib"], small["replan"] = 2500.0, slow
    (tmp_path / "results.json").write_text(json.dumps([small, big]))
    (tmp_path / "results.meta.json").write_text(json.dumps(meta))
    render(tmp_path)
    rows = {line.split("|")[1].strip(): line
            for line in (tmp_path / "results.md").read_text().splitlines()[:20]
            if line.startswith("| ")}  # fmt: skip
    assert "8 s, 18 pupil-weeks changed (feasible) (< 5 s) **missed**" in rows["L"]
    assert "2500 MiB (< 2 GiB) **missed**" in rows["XL"]
    assert "GiB" not in rows["L"]


def test_a_plan_that_breaks_a_rule_does_not_beat_the_greedy() -> None:
    run = _run("S", 1.0, None, 0.1, 700.0)
    assert _beats(run)
    run["from_greedy"]["valid"] = False
    assert not _beats(run)


def test_the_memory_of_a_process_tree_counts_this_process() -> None:
    import os

    if not Path("/proc/self/status").exists():
        return
    assert _tree_rss_kib(os.getpid()) > 1000
