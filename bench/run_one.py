"""One benchmark run, in its own process (so its peak memory is its own): generate an
instance, run the greedy baseline, solve with CP-SAT recording the objective over time,
validate the plan, then re-plan "one company drops out" from it. Prints one JSON line.

``python -m bench.run_one --pupils 500 --seed 0 --time-limit 120``
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _tree_rss_kib(root: int) -> int:
    """Resident memory of a process and all its descendants now (Linux ``/proc``), KiB."""
    parent: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # the name in parentheses may hold spaces: the parent pid is the 2nd field after it
        parent[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        for child, ppid in parent.items():
            if ppid == pid and child not in tree:
                tree.add(child)
                frontier.append(child)
    total = 0
    for pid in tree:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


class TreePeak:
    """The peak resident memory of this process together with its worker processes (a process
    pool's parts), sampled every ``interval`` seconds: ``ru_maxrss`` counts one process only."""

    def __init__(self, interval: float = 0.25):
        import os
        import threading

        self.peak_kib = 0
        self._pid = os.getpid()
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(OSError):
                self.peak_kib = max(self.peak_kib, _tree_rss_kib(self._pid))
            self._stop.wait(self._interval)

    def __enter__(self) -> TreePeak:
        if Path("/proc").is_dir():
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()


def greedy_baseline(scenario: Any) -> dict[str, Any]:
    """The greedy plan of every part, pure Python, without the CP-SAT rescue of the classes
    it cannot place: time, pupils left unplaced, objective of what it placed (the full
    objective only when it placed everyone)."""
    from scheduler.solver.data import parts, solver_data
    from scheduler.solver.evaluate import objective_terms
    from scheduler.solver.greedy import greedy

    started = time.perf_counter()
    unplaced = 0
    objective = 0.0
    placed_parts: list[list[str]] = []
    hints: list[Any] = []
    for ids in parts(scenario):
        data = solver_data(scenario, ids)
        result = greedy(data, scenario.settings.oao_margin_hours)
        unplaced += len(result.unplaced)
        left_out = set(result.unplaced)
        placed = [p for p in ids if p not in left_out]
        placed_parts.append(placed)
        mine = [h for h in result.hints if h.pupil not in left_out]
        hints += mine
        if placed:
            objective += objective_terms(
                solver_data(scenario, placed), scenario.settings.weights, mine
            )[0]
    return {
        "seconds": round(time.perf_counter() - started, 3),
        "unplaced": unplaced,
        "objective": round(objective, 2),
        "complete": unplaced == 0,
        "placed_parts": placed_parts,
        "hints": hints,
    }


def from_greedy(
    scenario: Any, placed: list[str], hints: list[Any], time_limit: float, processes: int
) -> dict[str, Any]:
    """CP-SAT on exactly the greedy's instance: the pupils the greedy placed, its plan as the
    starting point (the same solve function, ``hints``), validated. The like-for-like
    comparison with the greedy's objective where the greedy leaves pupils out (CP-SAT's own
    plan then also places those, so its objective counts more pupils)."""
    from scheduler.model.scenario import Scenario
    from scheduler.solver.solve import solve
    from scheduler.validate import validate_plan

    keep = set(placed)
    dumped = scenario.model_dump()
    dumped["pupils"] = [p for p in dumped["pupils"] if p["id"] in keep]
    sub = Scenario.model_validate(dumped)
    started = time.perf_counter()
    result = solve(sub, time_limit=time_limit, hints=hints, processes=processes, explain=False)
    return {
        "time_limit": time_limit,
        "seconds": round(time.perf_counter() - started, 2),
        "status": result.status,
        "objective": result.plan.objective,
        "valid": validate_plan(sub, result.plan).valid if result.plan.has_solution else False,
    }


def objective_of_pupils(scenario: Any, plan: Any, placed_parts: list[list[str]]) -> float:
    """The objective of a plan counted over the given pupils only (per part, by the model's
    own definitions): CP-SAT's plan on the pupils the greedy placed, a like-for-like
    comparison with the greedy's objective."""
    from scheduler.solver.data import solver_data
    from scheduler.solver.evaluate import objective_terms
    from scheduler.solver.warmstart import hints_from_plan

    hints = hints_from_plan(scenario, plan)
    total = 0.0
    for placed in placed_parts:
        if placed:
            members = set(placed)
            total += objective_terms(
                solver_data(scenario, placed),
                scenario.settings.weights,
                [h for h in hints if h.pupil in members],
            )[0]
    return round(total, 2)


def _company_to_drop(scenario: Any) -> Any:
    """The company with most own pupils that has partners (a realistic drop-out)."""
    counts: dict[str, int] = {}
    for pupil in scenario.pupils:
        counts[pupil.company] = counts.get(pupil.company, 0) + 1
    candidates = [c for c in scenario.companies if c.partners and counts.get(c.id)]
    return max(candidates, key=lambda c: (counts[c.id], c.id)) if candidates else None


def _drop_date(plan: Any, company: str, earliest: dt.date) -> dt.date:
    """The first Monday from ``earliest`` on which no pupil is in the middle of a stay at the
    company. Leaving in the middle of a phase makes the year impossible (a phase is never split,
    and its past weeks are frozen): a true answer, but then the bench would time the proof of
    an impossibility instead of a re-plan."""
    at_company: set[tuple[str, dt.date]] = {
        (a.pupil, a.week)
        for a in plan.assignments
        if a.place.kind == "company" and a.place.id == company
    }
    monday = earliest + dt.timedelta(days=(7 - earliest.weekday()) % 7)
    for _ in range(12):
        before = monday - dt.timedelta(days=7)
        if not any((p, before) in at_company for p, w in at_company if w == monday):
            return monday
        monday += dt.timedelta(days=7)
    return earliest


def replan_one_company(scenario: Any, plan: Any, time_limit: float) -> dict[str, Any]:
    """'A company drops out in January': re-plan from the plan, past weeks frozen."""
    from scheduler.whatif.changes import CompanyLeaves, apply_changes
    from scheduler.whatif.diff import week_changes
    from scheduler.whatif.replan import replan

    company = _company_to_drop(scenario)
    if company is None:
        return {"skipped": "no company with partners"}
    start = _drop_date(plan, company.id, dt.date(int(scenario.school_year[:4]) + 1, 1, 11))
    changed = apply_changes(
        scenario, [CompanyLeaves(type="company_leaves", company=company.id, start=start)]
    )
    started = time.perf_counter()
    result = replan(changed, plan, start=start, time_limit=time_limit)
    seconds = time.perf_counter() - started
    changes = week_changes(plan, result.plan) if result.plan.has_solution else []
    return {
        "company": company.id,
        "status": result.status,
        "seconds": round(seconds, 2),
        "changed_pupil_weeks": len(changes),
        "pupils_of_company": sum(1 for p in scenario.pupils if p.company == company.id),
    }


def within(history: list[tuple[float, float]], bound: float | None, share: float) -> float | None:
    """When the objective first came within ``share`` of the final lower bound (None: never)."""
    if bound is None:
        return None
    for seconds, objective in history:
        if objective <= bound * (1 + share) + 1e-9:
            return seconds
    return None


def main(argv: list[str] | None = None) -> None:
    """Run one instance and print the measurements as JSON."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--pupils", type=int, default=0)
    parser.add_argument(
        "--scenario", type=Path, default=None,
        help="Solve this scenario file (e.g. the EMT example) instead of a generated one.",
    )  # fmt: skip
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--time-limit", type=float, default=120.0)
    parser.add_argument("--replan-time-limit", type=float, default=30.0)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument(
        "--greedy-time-limit", type=float, default=60.0,
        help="Time for CP-SAT on the greedy's own instance when it leaves pupils out (0: skip).",
    )  # fmt: skip
    parser.add_argument("--executor", default="local")
    parser.add_argument("--no-replan", action="store_true")
    parser.add_argument(
        "--keep", type=Path, default=None,
        help="Write the generated scenario and its plan into this folder (for bench/web_render).",
    )  # fmt: skip
    args = parser.parse_args(argv)

    from scheduler.generate import generate
    from scheduler.solver.solve import Progress, solve
    from scheduler.validate import validate_plan

    out: dict[str, Any] = {"pupils": args.pupils, "seed": args.seed}
    tree = TreePeak().__enter__()
    t = time.perf_counter()
    if args.scenario is not None:
        from scheduler.files import load_scenario

        scenario = load_scenario(args.scenario)
        out["pupils"] = len(scenario.pupils)
    else:
        scenario = generate(args.pupils, args.seed)
    out["generate_seconds"] = round(time.perf_counter() - t, 2)
    out["companies"] = len(scenario.companies)
    out["centres"] = len(scenario.centres)
    out["schools"] = len(scenario.schools)
    out["greedy"] = greedy_baseline(scenario)
    placed_parts = out["greedy"].pop("placed_parts")
    greedy_hints = out["greedy"].pop("hints")

    history: list[tuple[float, float]] = []

    def progress(p: Progress) -> None:
        # a whole plan exists once every part has one: the sum is then an objective
        if p.objective is not None and p.complete:
            history.append((round(p.elapsed, 2), round(p.objective, 2)))

    started = time.perf_counter()
    result = solve(
        scenario,
        time_limit=args.time_limit,
        seed=args.seed,
        progress=progress,
        processes=args.processes,
        executor=args.executor,
    )
    out["solve_seconds"] = round(time.perf_counter() - started, 2)
    out["status"] = result.status
    out["objective"] = result.plan.objective
    out["bound"] = result.plan.bound
    out["gap"] = result.plan.gap
    firsts = [p.first_plan_seconds or p.seconds for p in result.parts]
    out["first_plan_seconds"] = round(min(h[0] for h in history), 2) if history else None
    out["part_first_plan_seconds"] = [round(f, 2) for f in firsts]
    out["history"] = history
    out["optimal_seconds"] = out["solve_seconds"] if result.status == "optimal" else None
    out["within_1pct_seconds"] = within(history, result.plan.bound, 0.01)
    out["parts"] = len(result.parts)
    t = time.perf_counter()
    report = validate_plan(scenario, result.plan)
    out["validate_seconds"] = round(time.perf_counter() - t, 2)
    out["valid"] = report.valid
    if result.plan.has_solution:
        out["objective_on_greedy_pupils"] = objective_of_pupils(scenario, result.plan, placed_parts)
    if not out["greedy"]["complete"] and args.greedy_time_limit > 0:
        out["from_greedy"] = from_greedy(
            scenario, [p for ids in placed_parts for p in ids], greedy_hints,
            args.greedy_time_limit, args.processes,
        )  # fmt: skip
    elif out["greedy"]["complete"]:
        # the greedy placed everyone: the solve above started from exactly its plan
        out["from_greedy"] = {
            "time_limit": args.time_limit, "seconds": out["solve_seconds"],
            "status": result.status, "objective": result.plan.objective,
            "valid": report.valid, "same_run": True,
        }  # fmt: skip
    out["violations"] = len(report.violations)
    if args.keep is not None and result.plan.has_solution:
        from scheduler.dump import scenario_yaml
        from scheduler.fileio import write_atomic

        stem = f"{args.pupils}-{args.seed}"
        write_atomic(args.keep / f"scenario-{stem}.yaml", scenario_yaml(scenario))
        write_atomic(args.keep / f"plan-{stem}.json", result.plan.to_json())
    if result.plan.has_solution and not args.no_replan:
        out["replan"] = replan_one_company(scenario, result.plan, args.replan_time_limit)
    tree.__exit__()
    # with a process pool the parts' processes hold memory too: their sum, sampled
    out["peak_rss_mib"] = round(max(_rss_mib(), tree.peak_kib / 1024), 1)
    out["peak_rss_self_mib"] = round(_rss_mib(), 1)
    sys.stdout.write(json.dumps(out) + "\n")


if __name__ == "__main__":
    main()
