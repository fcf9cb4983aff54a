"""iCalendar feeds of a year plan for companies, mentors, pupils, training centres and schools.

The public API (the web service and the command line use exactly this):

- :func:`subscribers` - every valid subscriber of a scenario (``company:jansens``, ...);
- :func:`parse_subscriber` - ``kind:id`` text to ``(kind, id)``, or a clear :class:`UsageError`;
- :func:`build_feed` - the RFC 5545 bytes of one subscriber's feed;
- :func:`feed_file_name`, :func:`write_feed`, :func:`write_all_feeds` - files for the CLI.
"""

from scheduler.ical.export import clear_stale_feeds, write_all_feeds, write_feed
from scheduler.ical.feed import build_feed, event_uid
from scheduler.ical.subscribers import (
    KINDS,
    SubscriberKind,
    feed_file_name,
    parse_subscriber,
    subscribers,
)

__all__ = [
    "KINDS",
    "SubscriberKind",
    "build_feed",
    "clear_stale_feeds",
    "event_uid",
    "feed_file_name",
    "parse_subscriber",
    "subscribers",
    "write_all_feeds",
    "write_feed",
]
