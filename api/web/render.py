"""Rendering the web pages: one Jinja2 environment over ``api/templates``, autoescaped.

Templates write their text as ``t("Dutch", "English")`` (the request's language picks one, as
:func:`scheduler.i18n.tr` does everywhere else) and format dates with ``date``/``day``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from api.middleware import LANG_COOKIE
from scheduler.i18n import current_language, format_date, tr

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

_SHORT_MONTHS = {
    "nl": ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}


def short_day(value: dt.date) -> str:
    """``7 sep`` / ``7 Sep``."""
    return f"{value.day} {_SHORT_MONTHS[current_language()][value.month - 1]}"


def number(value: Any, digits: int = 2, strip: bool = True) -> str:
    """A number as the planner reads it (Dutch decimal comma); ``–`` for none. ``strip=False``
    keeps the decimals (a column of margins reads better aligned: ``1,0``, ``0,5``)."""
    if value is None:
        return "–"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    text = f"{value:.{digits}f}"
    if strip and isinstance(value, float):
        text = text.rstrip("0").rstrip(".")
    elif isinstance(value, int) and strip:
        text = str(value)
    return text.replace(".", ",") if current_language() == "nl" else text


def when(value: dt.datetime | None) -> str:
    """A stored moment (UTC) as date and minutes, in the server's local time."""
    if value is None:
        return "–"
    local = value.astimezone()
    return f"{format_date(local.date())} {local:%H:%M}"


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.globals["t"] = lambda nl, en: tr(nl=nl, en=en)
    env.filters["date"] = format_date
    env.filters["day"] = short_day
    env.filters["num"] = number
    env.filters["when"] = when
    return env


ENV = _environment()


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    """The page ``name`` with ``context``; remembers a language chosen with ``?lang=``."""
    lang = current_language()
    values = {"request": request, "lang": lang, "other_lang": "en" if lang == "nl" else "nl"}
    values.update(context or {})
    html = ENV.get_template(name).render(values)
    response = HTMLResponse(html, status_code=status_code)
    chosen = request.query_params.get("lang", "")[:2].lower()
    if chosen in ("nl", "en"):
        response.set_cookie(LANG_COOKIE, chosen, max_age=365 * 86400, samesite="strict")
    return response
