"""Language of user-facing text: Dutch by default, English on request.

Planners, mentors and pupils read Dutch; every message they see is written as a pair
``tr(nl=..., en=...)`` next to where it is used, so a reader sees both versions at once.
The language is a context variable so that concurrent API requests can differ.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Literal

Lang = Literal["nl", "en"]
LANGUAGES: tuple[Lang, ...] = ("nl", "en")


def _default_language() -> Lang:
    value = os.environ.get("SCHEDULER_LANG", "nl").strip().lower()[:2]
    return "en" if value == "en" else "nl"


_current: ContextVar[Lang | None] = ContextVar("scheduler_language", default=None)


def current_language() -> Lang:
    """The language user-facing text is produced in right now."""
    return _current.get() or _default_language()


def set_language(lang: str) -> None:
    """Set the language for the rest of this context (``nl`` or ``en``)."""
    _current.set("en" if lang.lower().startswith("en") else "nl")


@contextmanager
def language(lang: str | None) -> Iterator[None]:
    """Temporarily produce user-facing text in ``lang`` (no-op when ``None``)."""
    if lang is None:
        yield
        return
    token = _current.set("en" if lang.lower().startswith("en") else "nl")
    try:
        yield
    finally:
        _current.reset(token)


def tr(nl: str, en: str) -> str:
    """Pick the Dutch or English version of a message."""
    return en if current_language() == "en" else nl


DUTCH_MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip


def format_date(value: object) -> str:
    """A date as a planner reads it: ``5 oktober 2026`` / ``5 October 2026``."""
    import datetime as _dt

    if not isinstance(value, _dt.date):
        return str(value)
    if current_language() == "en":
        return value.strftime("%-d %B %Y")
    return f"{value.day} {DUTCH_MONTHS[value.month - 1]} {value.year}"
