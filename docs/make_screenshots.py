"""Regenerate the README's screenshots of the web pages from the full EMT example.

    python docs/make_screenshots.py [--plan PLAN.json]

Solves ``examples/emt-duaal-2026-2027.yaml`` once (about 15-40 s; or takes a plan file made
by ``scheduler solve``), stores it in a temporary database, serves the app with uvicorn on a
free localhost port and photographs the year grid (``docs/screenshot-grid.png``) and the
load view (``docs/screenshot-load.png``) with headless Chromium (Debian's ``chromium`` through
Playwright, as the browser test does).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from api.settings import Settings  # noqa: E402
from api.store import Store  # noqa: E402
from scheduler.files import load_scenario  # noqa: E402
from scheduler.plan import load_plan  # noqa: E402
from tests.web.live import browser_page, chromium_missing, live_server  # noqa: E402

EXAMPLE = ROOT / "examples" / "emt-duaal-2026-2027.yaml"
TOKEN = "screenshot-token"


def main() -> None:
    """Solve (or read) the plan, serve it, take the screenshots."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plan", type=Path, help="a plan of the EMT example (skips the solve)")
    args = parser.parse_args()
    if (why := chromium_missing()) is not None:
        sys.exit(f"cannot take screenshots: {why}")
    scenario = load_scenario(EXAMPLE)
    if args.plan:
        plan = load_plan(args.plan)
    else:
        from scheduler.solver.solve import solve

        plan = solve(scenario, time_limit=120, explain=False).plan
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/screens.db"
        store = Store(url)
        store.create_schema()
        scenario_id = store.add_scenario(scenario, EXAMPLE.read_text(encoding="utf-8"), "yaml").id
        plan_id = store.add_plan(scenario_id, plan).id  # type: ignore[union-attr]
        store.close()
        settings = Settings(database_url=url, api_tokens=(TOKEN,))
        size = {"width": 1680, "height": 1050}
        with live_server(settings) as base, browser_page(base, viewport=size) as page:
            page.goto("/login")
            page.get_by_label("Planner-token").fill(TOKEN)
            page.get_by_role("button", name="Aanmelden").click()
            page.goto(f"/plan/{plan_id}")
            # one pupil's cell clicked, so the details line shows what a click shows
            page.locator("#pupil-L01 td.ph-c").first.click()
            page.evaluate("document.activeElement && document.activeElement.blur()")
            page.screenshot(path=str(ROOT / "docs" / "screenshot-grid.png"))
            page.goto(f"/plan/{plan_id}/load")
            page.screenshot(path=str(ROOT / "docs" / "screenshot-load.png"))
    print("docs/screenshot-grid.png, docs/screenshot-load.png")


if __name__ == "__main__":
    main()
