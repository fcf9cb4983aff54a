"""The planner's whole way through the web pages in a real headless browser (Debian's chromium
driven by Playwright), against a real uvicorn server with a temporary SQLite database:
sign in, upload the small EMT scenario, solve, see the grid, pin a week, re-plan, publish,
make a feed link, fetch it and read it as iCalendar."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import icalendar
import pytest

from tests.web.conftest import SMALL, TOKEN, make_settings
from tests.web.live import browser_page, chromium_missing, live_server

pytestmark = pytest.mark.skipif(chromium_missing() is not None, reason=str(chromium_missing()))


def test_planner_in_the_browser(tmp_path: Path) -> None:
    with live_server(make_settings(tmp_path / "web.db")) as base, browser_page(base) as page:
        # signing in: every page sends an unknown visitor to the login page first
        page.goto("/")
        assert "/login" in page.url
        assert page.locator("html").get_attribute("lang") == "nl"
        page.get_by_label("Planner-token").fill("wrong")
        page.get_by_role("button", name="Aanmelden").click()
        assert "niet geldig" in page.locator("[role=alert]").inner_text()
        page.get_by_label("Planner-token").fill(TOKEN)
        page.get_by_role("button", name="Aanmelden").click()
        page.wait_for_url(f"{base}/")

        # upload the small scenario and solve it; the job page polls until the plan is there
        page.get_by_label("Scenariobestand", exact=False).set_input_files(str(SMALL))
        page.get_by_role("button", name="Opladen").click()
        assert "Scenario toegevoegd" in page.locator("[role=status]").inner_text()
        page.get_by_label("Rekentijd (seconden)").fill("20")
        page.get_by_role("button", name="Plan berekenen").click()
        page.wait_for_url(re.compile(r".*/plan/[0-9a-f]+$"), timeout=60_000)
        first_plan = page.url.rsplit("/", 1)[1]

        # the grid: a row per pupil with a cell per week, a legend
        row = page.locator("#pupil-L01")
        assert row.locator("th").inner_text().startswith("Lotte Vermeulen")
        cells = row.locator("td.ph-c")
        assert cells.count() > 0, "Lotte has company weeks"
        assert "Jansens Elektro NV" in (row.locator("td.ph-c").first.get_attribute("title") or "")
        assert page.locator("ul.legend").inner_text().count("bedrijf") >= 1

        # pin Lotte to the experience period in the second week of May, at her company
        page.get_by_role("link", name="Aanpassen").first.click()
        page.get_by_label("Leerling").select_option("L01")
        page.get_by_label("Fase").select_option("experience")
        page.get_by_label("Eerste week (maandag)").select_option("2027-05-10")
        page.get_by_label("Rekentijd (seconden)").fill("20")
        page.get_by_role("button", name="Herplannen").click()
        page.wait_for_url(re.compile(r".*/plan/[0-9a-f]+/review$"), timeout=60_000)
        replan = page.url.rsplit("/", 2)[1]
        assert replan != first_plan
        assert "geldig" in page.locator("[role=status]").inner_text()
        assert "Gewijzigde leerling-weken" in page.content()

        # publish the re-plan; Lotte is in her experience period in the pinned week
        page.get_by_role("button", name="Dit plan publiceren").click()
        page.wait_for_url(re.compile(rf".*/plan/{replan}\?published=1$"))
        assert page.locator(".badge.pub").count() == 1
        header = page.locator("table.grid thead th")
        titles = [header.nth(i).get_attribute("title") or "" for i in range(header.count())]
        column = titles.index("10 mei 2027")
        pinned = page.locator("#pupil-L01 > *").nth(column)
        assert pinned.get_attribute("class") == "ph-e", pinned.inner_text()

        # a company's calendar link: shown once, fetched without signing in, read as iCalendar
        page.get_by_role("link", name="Agenda-links").click()
        page.get_by_label("Voor wie").select_option("company:jansens")
        page.get_by_role("button", name="Link maken").click()
        url = page.get_by_label("Link (URL)").input_value()
        assert url.startswith(f"{base}/feeds/") and url.endswith(".ics")
        assert (
            page.get_by_label("Link voor agenda-apps (webcal)")
            .input_value()
            .startswith("webcal://")
        )
        feed = httpx.get(url, timeout=30)
        assert feed.status_code == 200
        events = icalendar.Calendar.from_ical(feed.content).walk("VEVENT")
        assert events and any("Lotte" in str(e.get("SUMMARY", "")) for e in events)

        # the link can be revoked from the page; it then answers 404
        page.get_by_role("button", name=re.compile("Link intrekken")).click()
        assert "Nog geen links" in page.content()
        assert httpx.get(url, timeout=30).status_code == 404
