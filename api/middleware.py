"""ASGI middleware of the service: the caller's language, the body size limit, the access log.

All three are plain ASGI (no ``BaseHTTPMiddleware``) so that the language context variable
reaches the endpoints, and the body limit holds for chunked bodies too (it counts bytes as
they arrive instead of trusting ``Content-Length``).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Mapping
from contextlib import suppress
from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import parse_qs

from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from scheduler.i18n import language, tr

access_log = logging.getLogger("scheduler.api.access")


def request_language(headers: Mapping[str, str]) -> str:
    """``en`` or ``nl`` from an ``Accept-Language`` header: the preferred of the two (Dutch
    when neither is asked for)."""
    best, best_q = "nl", -1.0
    for order, item in enumerate((headers.get("accept-language") or "").split(",")):
        tag, _, params = item.strip().partition(";")
        lang = tag.strip().lower()[:2]
        if lang not in ("nl", "en"):
            continue
        q = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                q = float(params[2:])
            except ValueError:
                q = 0.0
        if q <= 0:
            continue  # q=0: "not this language"
        if q > best_q or (q == best_q and order == 0):
            best, best_q = lang, q
    return best


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


class _HttpMiddleware:
    """A middleware for HTTP requests only (lifespan events pass through untouched)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.handle(scope, receive, send)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Process one HTTP request."""
        raise NotImplementedError


LANG_COOKIE = "lang"
"""The cookie in which the web pages remember a language chosen with ``?lang=``."""


def chosen_language(scope: Scope) -> str | None:
    """``nl`` or ``en`` when the request chooses one explicitly: ``?lang=`` first, then the
    ``lang`` cookie the web pages set; ``None`` otherwise."""
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    cookies = SimpleCookie()
    with suppress(CookieError):
        cookies.load(_headers(scope).get("cookie", ""))
    for value in (
        *query.get("lang", []),
        cookies[LANG_COOKIE].value if LANG_COOKIE in cookies else "",
    ):
        if value.lower()[:2] in ("nl", "en"):
            return value.lower()[:2]
    return None


class LanguageMiddleware(_HttpMiddleware):
    """Produce every message of a request in the language it asks for: ``?lang=`` or the
    ``lang`` cookie (web pages), else its ``Accept-Language``."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the request in its language."""
        with language(chosen_language(scope) or request_language(_headers(scope))):
            await self.app(scope, receive, send)


class BodyLimitMiddleware(_HttpMiddleware):
    """Refuse request bodies larger than ``max_bytes`` with 413, chunked ones included."""

    def __init__(self, app: ASGIApp, max_bytes: int):
        super().__init__(app)
        self.max_bytes = max_bytes

    def _too_large(self) -> str:
        megabytes = self.max_bytes / (1024 * 1024)
        return tr(
            nl=f"de inhoud van het verzoek is te groot (hoogstens {megabytes:g} MB)",
            en=f"the request body is too large (at most {megabytes:g} MB)",
        )

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the declared length, then count the bytes as they arrive."""
        declared = _headers(scope).get("content-length")
        if declared is not None:
            if not declared.strip().isdigit():
                await _send_json(
                    send, 400, tr(nl="ongeldige Content-Length", en="bad Content-Length")
                )
                return
            if int(declared) > self.max_bytes:
                await _send_json(send, 413, self._too_large())
                return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise HTTPException(413, self._too_large())
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except HTTPException as exc:
            # the body was read outside the app's own error handling
            if exc.status_code != 413 or started:
                raise
            await _send_json(send, 413, str(exc.detail))


async def _send_json(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}, ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class AccessLogMiddleware(_HttpMiddleware):
    """One log line per request: method, route *template*, status, milliseconds.

    The template (``/feeds/{token}.ics``) is logged instead of the path, so that feed tokens
    never reach the logs; paths carry ids only, never pupil names.
    """

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the request, then log it."""
        started = time.perf_counter()
        status: list[int] = [0]

        async def recording_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        finally:
            route: Any = scope.get("route")
            access_log.info(
                "%s %s %d %.1f ms",
                scope.get("method", "?"),
                getattr(route, "path", "(no route)"),
                status[0] or 500,
                (time.perf_counter() - started) * 1000,
            )
