"""Time the server-side rendering of the web pages' year grid for a scenario and its plan.

    python bench/web_render.py SCENARIO.yaml PLAN.json [--runs 5] [--class ID|all]
    python bench/web_render.py examples/emt-duaal-2026-2027.yaml plan.json --scale 84

It stores the scenario and the plan in a temporary SQLite database, signs in and requests the
grid page (and the load page) through FastAPI's TestClient, in-process: the times are the
server's work (routing, reading the plan, building the grid, Jinja2) without a network. The
first request parses the plan (then cached by id); the median of the next ``--runs`` is the
steady state. ``--scale N`` copies every pupil N times (new ids, new classes; the plan's
weeks copied along) to try a large plan before the 2,000-pupil benchmark scenario exists.
This is a benchmark, not a test: nothing asserts on its times.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fastapi.testclient import TestClient  # noqa: E402

from api.app import create_app  # noqa: E402
from api.settings import Settings  # noqa: E402
from scheduler.files import load_scenario  # noqa: E402
from scheduler.model.scenario import Scenario  # noqa: E402
from scheduler.plan import Plan, load_plan  # noqa: E402

TOKEN = "bench-token"


def scaled(scenario: Scenario, plan: Plan, copies: int) -> tuple[Scenario, Plan]:
    """The scenario with every class and pupil copied ``copies`` times, and the plan along."""
    if copies <= 1:
        return scenario, plan
    data = scenario.model_dump(mode="json", by_alias=True)
    for school in data["schools"]:
        school["classes"] = [
            {**c, "id": f"{c['id']}-{k}", "name": f"{c.get('name') or c['id']} ({k})"}
            for k in range(copies)
            for c in school["classes"]
        ]
    data["pupils"] = [
        {**p, "id": f"{p['id']}-{k}", "class": f"{p['class']}-{k}"}
        for k in range(copies)
        for p in data["pupils"]
    ]
    # the copies share the companies: give them room, so that the scenario stays valid
    for company in data["companies"]:
        company["capacity"] *= copies
        for mentor in company["mentors"]:
            mentor["max_pupils"] *= copies
    big = Scenario.model_validate(data)
    assignments = [
        a.model_copy(update={"pupil": f"{a.pupil}-{k}"})
        for k in range(copies)
        for a in plan.assignments
    ]
    pupils = [
        s.model_copy(update={"pupil": f"{s.pupil}-{k}"}) for k in range(copies) for s in plan.pupils
    ]
    return big, plan.model_copy(update={"assignments": assignments, "pupils": pupils})


def timed(client: TestClient, url: str) -> tuple[float, int]:
    """Seconds for one GET and the size of the answer."""
    started = time.perf_counter()
    answer = client.get(url)
    seconds = time.perf_counter() - started
    answer.raise_for_status()
    return seconds, len(answer.content)


def main() -> None:
    """Run the benchmark and print one line per page."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenario", type=Path)
    parser.add_argument("plan", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--class", dest="klass", default=None, help="a class id, or 'all'")
    parser.add_argument("--scale", type=int, default=1, help="copy every pupil N times")
    args = parser.parse_args()
    scenario, plan = scaled(load_scenario(args.scenario), load_plan(args.plan), args.scale)
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(database_url=f"sqlite:///{folder}/bench.db", api_tokens=(TOKEN,))
        with TestClient(create_app(settings)) as client:
            store = client.app.state.store  # type: ignore[attr-defined]
            scenario_id = store.add_scenario(scenario, "", "json").id
            plan_id = store.add_plan(scenario_id, plan).id
            client.post("/login", data={"token": TOKEN})
            query = f"?class={args.klass}" if args.klass else ""
            print(f"{len(scenario.pupils)} pupils, {len(plan.assignments)} pupil-weeks")
            for name, url in (
                ("grid", f"/plan/{plan_id}{query}"),
                ("load", f"/plan/{plan_id}/load"),
            ):
                first, size = timed(client, url)
                runs = [timed(client, url)[0] for _ in range(args.runs)]
                print(
                    f"{name:5s} first {first * 1000:8.1f} ms   median of {args.runs} "
                    f"{statistics.median(runs) * 1000:8.1f} ms   {size / 1024:8.1f} KiB"
                )


if __name__ == "__main__":
    main()
