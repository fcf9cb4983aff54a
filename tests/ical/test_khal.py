"""Feeds import into a real calendar client: the terminal client khal.

Runs where khal is installed (Debian: ``apt-get install -y khal``) and is skipped elsewhere.
khal gets a temporary configuration, vdir and database, so nothing outside ``tmp_path`` is
touched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from scheduler.ical import build_feed
from scheduler.model import Scenario
from scheduler.plan import Plan
from tests.ical.conftest import Feeds
from tests.ical.helpers import events

KHAL = shutil.which("khal")
pytestmark = pytest.mark.skipif(
    KHAL is None,
    reason="khal is not installed: the import test needs the calendar client khal "
    "(Debian: apt-get install -y khal)",
)

CONFIG = """\
[calendars]
[[duaal]]
path = {vdir}
type = calendar
[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
default_timezone = Europe/Brussels
local_timezone = Europe/Brussels
[default]
default_calendar = duaal
[sqlite]
path = {db}
"""


class Khal:
    """khal with its own configuration, calendar folder and database under ``root``."""

    def __init__(self, root: Path) -> None:
        self.vdir = root / "vdir" / "duaal"
        self.vdir.mkdir(parents=True)
        self.config = root / "khal.conf"
        self.config.write_text(CONFIG.format(vdir=self.vdir, db=root / "khal.db"))
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(root),
            "XDG_CONFIG_HOME": str(root / "config"),
            "XDG_DATA_HOME": str(root / "data"),
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "TZ": "Europe/Brussels",
        }

    def run(self, *args: str) -> str:
        """Run a khal command; fail the test with khal's own words when it fails."""
        assert KHAL is not None
        done = subprocess.run(
            [KHAL, "-c", str(self.config), *args],
            capture_output=True,
            text=True,
            env=self.env,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert "error" not in done.stderr.lower(), done.stderr
        return done.stdout

    def import_feed(self, path: Path) -> None:
        """``khal import --batch``: every event of the file into the calendar."""
        self.run("import", "--batch", str(path))

    def days(self, start: str, end: str) -> dict[str, list[str]]:
        """``khal list``: the events (start time and title) of each day from start to end."""
        out: dict[str, list[str]] = {}
        day = ""
        for line in self.run(
            "list", start, end, "--day-format", "DAY {date}", "--format", "{start-time}|{title}"
        ).splitlines():
            if line.startswith("DAY "):
                day = line[4:]
                out[day] = []
            elif line.strip():
                out[day].append(line)
        return out


def test_khal_imports_a_company_feed_with_timed_events(
    tmp_path: Path, tiny: Scenario, tiny_plan: Plan
) -> None:
    data = build_feed(tiny, tiny_plan, "company:jansens")
    feed = tmp_path / "company-jansens.ics"
    feed.write_bytes(data)
    khal = Khal(tmp_path / "khal")
    khal.import_feed(feed)
    assert len(list(khal.vdir.glob("*.ics"))) == len(events(data))
    days = khal.days("2026-09-28", "2026-10-04")
    # the company phase of "vei" has a daily schedule 08:00-16:00, Monday to Friday
    for day in ("2026-09-28", "2026-09-29", "2026-09-30", "2026-10-01", "2026-10-02"):
        assert "08:00|Praktijk Veiligheid - Lotte V." in days[day], days
    assert "08:00|Praktijktoets Veiligheid - Lotte V." in days["2026-10-02"]
    assert "2026-10-03" not in days and "2026-10-04" not in days


def test_khal_shows_no_event_on_a_free_day(tmp_path: Path, tiny: Scenario, tiny_plan: Plan) -> None:
    feed = tmp_path / "pupil-L01.ics"
    feed.write_bytes(build_feed(tiny, tiny_plan, "pupil:L01"))
    khal = Khal(tmp_path / "khal")
    khal.import_feed(feed)
    days = khal.days("2026-10-12", "2026-10-18")
    # 14 October is the school's pedagogical day: the ordinary week is cut around it
    assert sorted(days) == ["2026-10-12", "2026-10-13", "2026-10-15", "2026-10-16"]
    assert all(items == ["|Gewone week"] for items in days.values()), days


def test_khal_imports_a_feed_of_the_solved_example(
    tmp_path: Path, example_feeds: dict[str, Feeds]
) -> None:
    feeds = example_feeds["emt"]
    sub = max(
        (s for s in feeds.data if s.startswith("company:")), key=lambda s: len(feeds.events[s])
    )
    feed = tmp_path / "company.ics"
    feed.write_bytes(feeds.data[sub])
    khal = Khal(tmp_path / "khal")
    khal.import_feed(feed)
    assert len(list(khal.vdir.glob("*.ics"))) == len(feeds.events[sub])
    listed = {
        item.split("|", 1)[1]
        for items in khal.days("2026-09-01", "2027-06-30").values()
        for item in items
    }
    assert listed == {str(e["SUMMARY"]) for e in feeds.events[sub].values()}
