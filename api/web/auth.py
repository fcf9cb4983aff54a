"""Signing in to the web pages: the planner enters a planner token once, the browser keeps a
session cookie.

The cookie holds ``HMAC-SHA256(token, "scheduler-web-session-v1")``, never the token: it can
only be made by someone who knows a token, and it stops working when that token is removed
from ``SCHEDULER_API_TOKENS``. It is ``HttpOnly`` (no script reads it), ``SameSite=Strict``
(no other site's page can send it along, which together with POST-only changes keeps the pages
CSRF-safe) and ``Secure`` on https. As a second line, :func:`check_same_origin` refuses a POST
whose ``Origin`` header names another site.
"""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import urlsplit

from fastapi import Request

from api.settings import Settings

SESSION_COOKIE = "planner_session"
SESSION_DAYS = 30
_SESSION_MESSAGE = b"scheduler-web-session-v1"


class LoginRequired(Exception):
    """The page needs a signed-in planner; the handler redirects to the login page."""

    def __init__(self, next_url: str):
        super().__init__("login required")
        self.next_url = next_url


class ForeignOrigin(Exception):
    """A form was posted from another site (refused with 403)."""


def session_value(token: str) -> str:
    """The cookie value for a planner token (an HMAC of it; the token itself is not kept)."""
    return hmac.new(token.encode("utf-8", "surrogatepass"), _SESSION_MESSAGE, "sha256").hexdigest()


def valid_session(value: str | None, settings: Settings) -> bool:
    """Whether a cookie value belongs to one of the accepted tokens (compared in constant time,
    all of them)."""
    if not value:
        return False
    given = hashlib.sha256(value.encode("utf-8", "surrogatepass")).digest()
    found = False
    for token in settings.accepted_tokens:
        expected = hashlib.sha256(session_value(token).encode()).digest()
        found |= hmac.compare_digest(given, expected)
    return found


def safe_next(url: str | None) -> str:
    """Where to go after signing in: a path on this site only (no open redirects)."""
    if not url or not url.startswith("/") or url.startswith("//") or "\\" in url:
        return "/"
    return url


def require_session(request: Request) -> None:
    """Let only signed-in planners through (:class:`LoginRequired` otherwise)."""
    settings: Settings = request.app.state.settings
    if not valid_session(request.cookies.get(SESSION_COOKIE), settings):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(target)


def check_same_origin(request: Request) -> None:
    """Refuse a state-changing request sent from another site (:class:`ForeignOrigin`).

    Browsers send ``Origin`` with every POST; a request without it (a script, a test client)
    is let through, since without the SameSite cookie it is not signed in anyway. The
    request's own host and the host of ``SCHEDULER_PUBLIC_URL`` are this site.
    """
    origin = request.headers.get("origin")
    if origin is None:
        return
    allowed = {request.headers.get("host", "")}
    public = request.app.state.settings.public_url
    if public:
        allowed.add(urlsplit(public).netloc)  # behind a proxy that rewrites Host
    if urlsplit(origin).netloc not in allowed:
        raise ForeignOrigin()


def require_planner_page(request: Request) -> None:
    """A signed-in planner, and for POSTs a form from this site."""
    require_session(request)
    if request.method == "POST":
        check_same_origin(request)
