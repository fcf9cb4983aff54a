"""Writing feeds to files without ever leaving an empty or half-written one behind.

Every feed is built in memory first (bad input fails before the disk is touched), then written
to a temporary file next to its target and moved into place with ``os.replace``. Writing all
feeds goes through a temporary folder: files are moved only when every feed was written.

An existing feed file is the *previous export* of that feed, so writing to the same place again
keeps SEQUENCE for unchanged events and raises it for changed ones.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path

from scheduler.errors import UsageError
from scheduler.fileio import write_atomic
from scheduler.i18n import tr
from scheduler.ical.feed import PRODID, PreviousFeedError, build_feed
from scheduler.ical.subscribers import feed_file_name, parse_subscriber, subscribers
from scheduler.model import Scenario
from scheduler.plan import Plan


def _cannot_write(path: Path, exc: OSError) -> UsageError:
    reason = exc.strerror or str(exc)
    return UsageError(
        tr(nl=f"{path}: kan niet schrijven ({reason})", en=f"{path}: cannot write ({reason})")
    )


def _read_previous(path: Path) -> bytes | None:
    """The previous export at ``path``, if there is one."""
    if not path.is_file():
        return None
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UsageError(
            tr(
                nl=f"{path}: kan de vorige feed niet lezen ({exc.strerror or exc})",
                en=f"{path}: cannot read the previous feed ({exc.strerror or exc})",
            )
        ) from None


def _build(
    scenario: Scenario,
    plan: Plan,
    subscriber: str,
    path: Path,
    generated: dt.datetime | None,
) -> bytes:
    """The feed for ``path``, with the file already there as the previous export."""
    try:
        return build_feed(
            scenario, plan, subscriber, previous=_read_previous(path), generated=generated
        )
    except PreviousFeedError:
        raise UsageError(
            tr(
                nl=f"{path}: bestaat al en is geen iCalendar-feed; verwijder het of kies "
                "een ander -o",
                en=f"{path}: exists and is not an iCalendar feed; remove it or choose another -o",
            )
        ) from None


def write_feed(
    scenario: Scenario,
    plan: Plan,
    subscriber: str,
    path: str | Path,
    *,
    generated: dt.datetime | None = None,
) -> Path:
    """Write one subscriber's feed to ``path`` (a file, or a folder for its default name).

    A feed already at that path is the previous export (SEQUENCE is kept or raised). Returns
    the path written. Raises :class:`~scheduler.errors.SchedulerError` subclasses for bad
    input, before anything is written.
    """
    target = Path(path)
    if target.is_dir():
        kind, ident = parse_subscriber(subscriber, scenario)
        target = target / feed_file_name(f"{kind}:{ident}")
    if not target.parent.is_dir():
        raise UsageError(
            tr(
                nl=f"{target.parent}: de map bestaat niet",
                en=f"{target.parent}: the folder does not exist",
            )
        )
    data = _build(scenario, plan, subscriber, target, generated)
    try:
        write_atomic(target, data)
    except OSError as exc:
        raise _cannot_write(target, exc) from None
    return target


def write_all_feeds(
    scenario: Scenario,
    plan: Plan,
    directory: str | Path,
    *,
    generated: dt.datetime | None = None,
) -> list[Path]:
    """Write the feed of every subscriber into ``directory`` (created when missing), one
    ``kind-id.ics`` file each; files are moved in only when all were written.

    Files already there are the previous exports. Returns the paths written, in the order of
    :func:`scheduler.ical.subscribers`.
    """
    folder = Path(directory)
    if folder.exists() and not folder.is_dir():
        raise UsageError(
            tr(
                nl=f"{folder}: is een bestand, geen map (--all schrijft één bestand per abonnee)",
                en=f"{folder}: is a file, not a folder (--all writes one file per subscriber)",
            )
        )
    feeds = {
        feed_file_name(s): _build(scenario, plan, s, folder / feed_file_name(s), generated)
        for s in subscribers(scenario)
    }
    try:
        folder.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".ical-", dir=folder))
    except OSError as exc:
        raise _cannot_write(folder, exc) from None
    try:
        for name, data in feeds.items():
            (staging / name).write_bytes(data)
        written = []
        for name in feeds:
            os.replace(staging / name, folder / name)
            written.append(folder / name)
    except OSError as exc:
        raise _cannot_write(folder, exc) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return written


def clear_stale_feeds(directory: str | Path, current: list[Path]) -> list[Path]:
    """Empty the feeds in ``directory`` that an earlier export wrote for subscribers the plan
    no longer has (a company that left, a pupil who quit), and return their paths.

    A subscribed calendar keeps the events of a feed that disappears (the client only sees an
    error), so such a feed is rewritten with its calendar properties and no events: on the next
    refresh the old weeks vanish from that calendar. Only files this program wrote (its PRODID)
    are touched; anything else in the folder is left alone.
    """
    from icalendar import Calendar

    keep = {p.name for p in current}
    emptied: list[Path] = []
    for path in sorted(Path(directory).glob("*.ics")):
        if path.name in keep:
            continue
        try:
            old = Calendar.from_ical(path.read_bytes())
        except (OSError, ValueError):
            continue
        if str(old.get("prodid", "")) != PRODID or not old.walk("VEVENT"):
            continue
        empty = Calendar()
        for name, value in old.property_items(recursive=False):
            if name not in ("BEGIN", "END"):
                empty.add(name, value)
        for component in old.subcomponents:
            if component.name != "VEVENT":
                empty.add_component(component)
        try:
            write_atomic(path, empty.to_ical())
        except OSError as exc:
            raise _cannot_write(path, exc) from None
        emptied.append(path)
    return emptied
