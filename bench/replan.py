"""Re-plan timing on the plans a benchmark run kept: ``python -m bench.replan``.

For every scenario and plan in ``bench/out/`` (written by ``python -m bench``), "one company
drops out" exactly as in the main run (:func:`bench.run_one.replan_one_company`), each in its
own process, one after the other. Writes ``bench/replan.md`` (medians per size) and
``bench/replan.json``. Use it to measure a change to the re-plan without solving every
instance again.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
NAMES = {50: "S", 500: "M", 2000: "L", 5000: "XL"}
TARGET = {"L": 5.0}


def one(scenario: Path, plan: Path, time_limit: float) -> dict[str, Any]:
    """Re-plan one kept plan in a fresh process; its measurements."""
    code = (
        "import json, sys\n"
        "from scheduler.files import load_scenario\n"
        "from scheduler.plan import load_plan\n"
        "from bench.run_one import replan_one_company\n"
        f"s = load_scenario({str(scenario)!r})\n"
        f"p = load_plan({str(plan)!r})\n"
        f"print(json.dumps(replan_one_company(s, p, {time_limit})))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=HERE.parent,
        check=False, timeout=time_limit * 4 + 300,
    )  # fmt: skip
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        return {"error": proc.stderr[-2000:]}
    return json.loads(lines[-1])


def main(argv: list[str] | None = None) -> None:
    """Re-plan every kept plan and write the report."""
    parser = argparse.ArgumentParser(prog="python -m bench.replan", description=__doc__)
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--kept", type=Path, default=HERE / "out")
    args = parser.parse_args(argv)
    rows = []
    kept = sorted(
        args.kept.glob("plan-*.json"), key=lambda p: [int(x) for x in p.stem[5:].split("-")]
    )
    for plan in kept:
        pupils, seed = (int(x) for x in plan.stem[5:].split("-"))
        scenario = args.kept / f"scenario-{pupils}-{seed}.yaml"
        print(f"{pupils} seed {seed} ...", file=sys.stderr, flush=True)
        row = {"size": NAMES.get(pupils, str(pupils)), "pupils": pupils, "seed": seed}
        row.update(one(scenario, plan, args.time_limit))
        rows.append(row)
    (HERE / "replan.json").write_text(json.dumps(rows, indent=1))
    lines = [
        "# Re-plan: one company drops out",
        "",
        f"- date: {dt.date.today().isoformat()}; re-plan limit {args.time_limit:g} s; "
        f"plans kept by the last `python -m bench` run (`{args.kept.name}/`)",
        "- command: `python -m bench.replan`",
        "",
        "| instance | pupils | re-plan seconds (median) | changed pupil-weeks (median) "
        "| statuses | target |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for size in dict.fromkeys(r["size"] for r in rows):
        ok = [r for r in rows if r["size"] == size and "seconds" in r]
        if not ok:
            continue
        seconds = statistics.median(r["seconds"] for r in ok)
        target = TARGET.get(size)
        verdict = (
            "-"
            if target is None
            else (f"< {target:g} s " + ("met" if seconds < target else "**missed**"))
        )
        lines.append(
            f"| {size} | {ok[0]['pupils']} | {seconds:g} | "
            f"{statistics.median(r['changed_pupil_weeks'] for r in ok):g} | "
            f"{', '.join(sorted({r['status'] for r in ok}))} | {verdict} |"
        )
    lines += ["", "| instance | seed | company | status | seconds | changed pupil-weeks |",
              "| --- | --- | --- | --- | --- | --- |"]  # fmt: skip
    for r in rows:
        lines.append(
            f"| {r['size']} | {r['seed']} | {r.get('company', '-')} | "
            f"{r.get('status', 'failed')} | {r.get('seconds', '-')} | "
            f"{r.get('changed_pupil_weeks', '-')} |"
        )
    (HERE / "replan.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {HERE / 'replan.md'}", file=sys.stderr)


if __name__ == "__main__":
    main()
