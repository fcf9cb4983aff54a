"""The benchmark: ``python -m bench`` (or ``scheduler bench``).

For each size (S, M, L, XL) and seed, in one run and side by side: the greedy baseline
(objective, time, pupils it could not place), CP-SAT (time to the first whole plan, objective
at 10/30/60/120 s, final objective, bound, gap, the validator's verdict, peak memory) and a
re-plan after one company drops out (time, changed pupil-weeks). Each instance runs in its own
process. Writes ``bench/results.json``, ``bench/results.md`` (machine, OR-Tools version, date,
medians) and ``bench/objective.png`` (objective over time per size).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

SIZES = {"S": 50, "M": 500, "L": 2000, "XL": 5000}
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "emt-duaal-2026-2027.yaml"
"""The EMT example: the first row of the target table (first plan < 1 s, optimal < 2 s)."""
EXAMPLE_TARGETS = (1, 2)
TARGETS = {  # first valid plan, within 1 % of the lower bound (issue targets, seconds)
    "S": (1, 5),
    "M": (5, 30),
    "L": (15, 60),
    "XL": (30, 120),
}
REPLAN_TARGET = ("L", 5)
"""What-if re-plan (one company drops out) under 5 s at L."""
MEMORY_TARGET = ("XL", 2048)
"""Peak memory under 2 GiB (MiB) at XL."""
CHECKPOINTS = (10, 30, 60, 120)
HERE = Path(__file__).resolve().parent


def _machine() -> str:
    try:
        model = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        model = platform.processor() or "unknown CPU"
    try:
        mem = next(
            int(line.split()[1]) // (1024 * 1024)
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    except (OSError, StopIteration):
        mem = 0
    return f"{os.cpu_count()} cores ({model}), {mem} GiB, Python {platform.python_version()}"


def run_instance(
    size: str,
    seed: int,
    time_limit: float,
    replan_limit: float,
    processes: int,
    greedy_limit: float = 60.0,
) -> dict[str, Any]:
    """One instance in a subprocess; its JSON result. Size ``EMT`` is the EMT example."""
    what = (
        ["--scenario", str(EXAMPLE), "--no-replan"]
        if size == "EMT"
        else ["--pupils", str(SIZES[size]), "--keep", str(HERE / "out")]
    )
    cmd = [
        sys.executable, "-m", "bench.run_one", *what, "--seed", str(seed),
        "--time-limit", str(time_limit), "--replan-time-limit", str(replan_limit),
        "--processes", str(processes), "--greedy-time-limit", str(greedy_limit),
    ]  # fmt: skip
    proc = subprocess.run(
        cmd, capture_output=True, text=True, cwd=HERE.parent, check=False,
        timeout=time_limit * 4 + replan_limit * 4 + greedy_limit * 2 + 600,
    )  # fmt: skip
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        return {"size": size, "seed": seed, "error": proc.stderr[-2000:]}
    data = json.loads(lines[-1])
    data["size"] = size
    return data


def objective_at(history: list[list[float]], seconds: float) -> float | None:
    """The best objective found by ``seconds`` (None before the first whole plan)."""
    values = [obj for t, obj in history if t <= seconds]
    return min(values) if values else None


def _median(values: list[Any]) -> Any:
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 2) if values else None


def _exact_median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _verdict(value: float | None, target: float) -> str:
    return "met" if value is not None and value <= target else "**missed**"


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}"


def _beats(r: dict[str, Any]) -> bool:
    """Whether CP-SAT, on the greedy's own instance, found a valid plan below its objective."""
    fg = r.get("from_greedy") or {}
    return bool(
        fg.get("valid") and fg.get("objective") is not None
        and fg["objective"] < r["greedy"]["objective"] - 1e-6
    )  # fmt: skip


def _gain(r: dict[str, Any]) -> float | None:
    """By how much (a share of the greedy's objective) CP-SAT went below it."""
    fg = r.get("from_greedy") or {}
    greedy = r["greedy"]["objective"]
    if fg.get("objective") is None or not greedy:
        return None
    return (greedy - fg["objective"]) / greedy


def _from_greedy(r: dict[str, Any]) -> str:
    fg = r.get("from_greedy") or {}
    if fg.get("objective") is None:
        return "-"
    note = "main run" if fg.get("same_run") else f"{fg['time_limit']:g} s"
    gain = _gain(r)
    return (
        f"{fg['objective']:g} ({note}, {'-' if gain is None else f'-{gain * 100:.1f} %'}, "
        f"{'valid' if fg.get('valid') else 'NOT valid'})"
    )


def _beats_cell(runs: list[dict[str, Any]], pupils: int) -> str:
    """The summary's like-for-like column: in how many runs CP-SAT beat the greedy, by how
    much, and how complete the greedy was."""
    beat = [_beats(r) for r in runs]
    complete = sum(1 for r in runs if r["greedy"]["complete"])
    unplaced = _exact_median([r["greedy"]["unplaced"] / pupils for r in runs])
    return (
        f"{sum(beat)}/{len(runs)}, by {_pct(_exact_median([_gain(r) for r in runs]))} % "
        f"(greedy complete in {complete}/{len(runs)}, leaves {_pct(unplaced)} % unplaced)"
    )


def _memory_cell(size: str, runs: list[dict[str, Any]]) -> str:
    peak = _median([r.get("peak_rss_mib") for r in runs])
    cell = f"{_fmt(peak)} MiB"
    if size == MEMORY_TARGET[0]:
        cell += f" (< {MEMORY_TARGET[1] // 1024} GiB) {_verdict(peak, MEMORY_TARGET[1])}"
    return cell


def _replan_cell(size: str, runs: list[dict[str, Any]]) -> str:
    replans = [
        r["replan"] for r in runs if isinstance(r.get("replan"), dict) and "seconds" in r["replan"]
    ]
    if not replans:
        return "-"
    seconds = _median([p["seconds"] for p in replans])
    cell = (
        f"{_fmt(seconds)} s, {_fmt(_median([p['changed_pupil_weeks'] for p in replans]))} "
        f"pupil-weeks changed ({', '.join(sorted({p['status'] for p in replans}))})"
    )
    if size == REPLAN_TARGET[0]:
        cell += f" (< {REPLAN_TARGET[1]} s) {_verdict(seconds, REPLAN_TARGET[1])}"
    return cell


def write_markdown(results: list[dict[str, Any]], path: Path, meta: dict[str, Any]) -> None:
    """``results.md``: the target table with medians, then every run."""
    lines = [
        "# Benchmark results",
        "",
        f"- date: {meta['date']}",
        f"- machine: {meta['machine']}",
        f"- OR-Tools {meta['ortools']}, time limit {meta['time_limit']:g} s per instance, "
        f"re-plan limit {meta['replan_limit']:g} s, seeds {meta['seeds']}, "
        f"processes {meta['processes']}, CP-SAT from the greedy's plan "
        f"{meta.get('greedy_limit', 60):g} s",
        f"- command: `{meta['command']}`",
        "",
        "## Against the targets (medians over seeds)",
        "",
        "| instance | pupils | first valid plan (target) | within 1 % of the lower bound "
        "(target) | gap at the end | CP-SAT beats greedy (same instance) | valid | peak RSS "
        "| re-plan (one company drops out) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    emt = [r for r in results if r.get("size") == "EMT" and "error" not in r]
    if emt:
        first = _median([r.get("first_plan_seconds") for r in emt])
        optimal = [r.get("optimal_seconds") for r in emt]
        proven = _median(optimal) if all(o is not None for o in optimal) else None
        t_first, t_opt = EXAMPLE_TARGETS
        lines.append(
            f"| EMT example | {emt[0]['pupils']} | {_fmt(first)} s (< {t_first} s) "
            f"{_verdict(first, t_first)} | proven optimal in {_fmt(proven)} s (< {t_opt} s) "
            f"{_verdict(proven, t_opt)} | {_pct(_exact_median([r.get('gap') for r in emt]))} % | "
            f"{_beats_cell(emt, emt[0]['pupils'])} | "
            f"{sum(1 for r in emt if r.get('valid'))}/{len(emt)} | "
            f"{_memory_cell('EMT', emt)} | - |"
        )
    for size in SIZES:
        runs = [r for r in results if r.get("size") == size and "error" not in r]
        if not runs:
            continue
        first = _median([r.get("first_plan_seconds") for r in runs])
        gap = _exact_median([r.get("gap") for r in runs])
        reached = [r.get("within_1pct_seconds") for r in runs]
        # the median of the times when at least half of the seeds got there
        within = _median(reached) if sum(x is not None for x in reached) * 2 > len(runs) else None
        target_first, target_gap = TARGETS[size]
        lines.append(
            f"| {size} | {SIZES[size]} | {_fmt(first)} s (< {target_first} s) "
            f"{_verdict(first, target_first)} | "
            + (f"{_fmt(within)} s" if within is not None else "not reached")
            + f" (< {target_gap} s) {_verdict(within, target_gap)} | {_pct(gap)} % | "
            # like for like: CP-SAT on exactly the pupils the greedy placed, from its plan
            f"{_beats_cell(runs, SIZES[size])} | "
            f"{sum(1 for r in runs if r.get('valid'))}/{len(runs)} | "
            f"{_memory_cell(size, runs)} | {_replan_cell(size, runs)} |"
        )
    lines += [
        "",
        "The gap is against the best lower bound the solver has (CP-SAT's own where a whole "
        "part was modelled, the weekly model's LP relaxation for parts up to 80 pupils, or the "
        "aggregate bound term by term, see docs/solver.md). Where the bound is the aggregate "
        "one, much of the gap is the bound, not the plan.",
        "",
        "*CP-SAT beats greedy*: CP-SAT on the greedy's own instance (the pupils it placed), "
        "started from its plan, with the time above; its objective below the greedy's, by the "
        "median share. Where the greedy places everyone, that is the main run itself. CP-SAT's "
        "main run also places the pupils the greedy leaves out (*final objective*; *on the "
        "greedy's pupils* counts that plan over the greedy's pupils only, who then share their "
        "places with the others).",
        "",
        "## Every run",
        "",
        "| instance | seed | greedy: s / unplaced / objective | CP-SAT from the greedy's plan "
        "(same instance) | CP-SAT plan on the greedy's pupils | CP-SAT first plan | "
        + " | ".join(f"objective at {c} s" for c in CHECKPOINTS)
        + " | final objective | bound | gap | valid | peak RSS | re-plan |",
        "| --- | --- | --- | --- | --- | --- | "
        + " | ".join("---" for _ in CHECKPOINTS)
        + " | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        if "error" in r:
            lines.append(f"| {r['size']} | {r['seed']} | run failed: see results.json |")
            continue
        g = r["greedy"]
        history = r.get("history") or []
        rp = r.get("replan") or {}
        lines.append(
            f"| {r['size']} | {r['seed']} | {g['seconds']:g} s / {g['unplaced']} / "
            f"{g['objective']:g}{'' if g['complete'] else ' (partial)'} | "
            f"{_from_greedy(r)} | "
            f"{_fmt(r.get('objective_on_greedy_pupils'))} | "
            f"{_fmt(r.get('first_plan_seconds'))} s | "
            + " | ".join(_fmt(objective_at(history, c)) for c in CHECKPOINTS)
            + f" | {_fmt(r.get('objective'))} | {_fmt(r.get('bound'))} | "
            f"{_pct(r.get('gap'))} % | "
            f"{'yes' if r.get('valid') else 'NO'} | {_fmt(r.get('peak_rss_mib'))} MiB | "
            + (
                f"{rp.get('status')} in {_fmt(rp.get('seconds'))} s, "
                f"{_fmt(rp.get('changed_pupil_weeks'))} changed"
                if "seconds" in rp
                else "-"
            )
            + " |"
        )
    lines += ["", "![objective over time](objective.png)", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def plot(results: list[dict[str, Any]], path: Path) -> None:
    """Objective over time per size (one line per seed), matplotlib PNG (skipped, with a
    notice, where matplotlib is not installed: it comes with the ``bench`` extra)."""
    try:
        import matplotlib
    except ImportError:
        print("matplotlib is not installed (pip install -e '.[bench]'): no plot", file=sys.stderr)
        return

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [s for s in SIZES if any(r.get("size") == s and r.get("history") for r in results)]
    if not sizes:
        return
    fig, axes = plt.subplots(1, len(sizes), figsize=(4 * len(sizes), 3.4), squeeze=False)
    for ax, size in zip(axes[0], sizes, strict=False):
        for r in results:
            if r.get("size") != size or not r.get("history"):
                continue
            xs = [t for t, _ in r["history"]]
            ys = [o for _, o in r["history"]]
            ax.step(xs, ys, where="post", label=f"seed {r['seed']}")
            if r.get("bound"):
                ax.axhline(r["bound"], linestyle=":", linewidth=0.8)
            if r["greedy"]["complete"]:
                ax.axhline(r["greedy"]["objective"], linestyle="--", linewidth=0.8, color="grey")
        ax.set_title(f"{size} ({SIZES[size]} pupils)")
        ax.set_xlabel("seconds")
        ax.set_ylabel("objective")
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and write its reports."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--sizes", default="EMT,S,M,L,XL")
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--time-limit", type=float, default=120.0)
    parser.add_argument("--replan-time-limit", type=float, default=30.0)
    parser.add_argument(
        "--processes", type=int, default=os.cpu_count() or 1,
        help="Regions side by side in a process pool (default: one per core).",
    )  # fmt: skip
    parser.add_argument(
        "--greedy-time-limit", type=float, default=60.0,
        help="Time for CP-SAT from the greedy's plan where the greedy leaves pupils out.",
    )  # fmt: skip
    parser.add_argument("--out", type=Path, default=HERE)
    parser.add_argument(
        "--render", action="store_true",
        help="Only write results.md and objective.png again from the last run's results.json "
        "and results.meta.json (no solving).",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.render:
        render(args.out)
        return
    from ortools import __version__ as ortools_version

    sizes = [s.strip().upper() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES and s != "EMT"]
    if unknown:
        parser.error(f"unknown size {unknown[0]!r}: choose from EMT, {', '.join(SIZES)}")
    seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    results: list[dict[str, Any]] = []
    args.out.mkdir(parents=True, exist_ok=True)
    for size in sizes:
        for seed in seeds:
            print(f"{size} seed {seed} ...", file=sys.stderr, flush=True)
            results.append(
                run_instance(
                    size,
                    seed,
                    args.time_limit,
                    args.replan_time_limit,
                    args.processes,
                    args.greedy_time_limit,
                )
            )
            (args.out / "results.json").write_text(json.dumps(results, indent=1))
    meta = {
        "date": dt.date.today().isoformat(),
        "machine": _machine(),
        "ortools": ortools_version,
        "time_limit": args.time_limit,
        "replan_limit": args.replan_time_limit,
        "seeds": ",".join(map(str, seeds)),
        "processes": args.processes,
        "greedy_limit": args.greedy_time_limit,
        "command": "python -m bench " + " ".join(argv if argv is not None else sys.argv[1:]),
    }
    (args.out / "results.meta.json").write_text(json.dumps(meta, indent=1))
    render(args.out)


def render(out: Path) -> None:
    """Write ``results.md`` and ``objective.png`` from a run's ``results.json`` and
    ``results.meta.json`` in ``out``."""
    try:
        results = json.loads((out / "results.json").read_text())
        meta = json.loads((out / "results.meta.json").read_text())
    except (OSError, ValueError) as exc:
        sys.exit(f"no benchmark run to render in {out}: {exc}")
    write_markdown(results, out / "results.md", meta)
    plot(results, out / "objective.png")
    print(f"wrote {out / 'results.md'}", file=sys.stderr)


if __name__ == "__main__":
    main()
