"""Secrets of the service: feed tokens (made, hashed) and constant-time comparison."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable

FEED_TOKEN_BYTES = 32
"""256 random bits per feed token (``secrets.token_urlsafe(32)``: 43 URL-safe characters)."""


def new_feed_token() -> str:
    """A fresh, unguessable feed token."""
    return secrets.token_urlsafe(FEED_TOKEN_BYTES)


def hash_token(token: str) -> str:
    """The SHA-256 (hex) under which a token is stored; the token itself never is."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def matches_any(given: str, accepted: Iterable[str]) -> bool:
    """Whether ``given`` is one of ``accepted``, in time independent of where they differ.

    Both sides are hashed first so that every comparison has the same length, and every
    accepted token is compared (no early exit).
    """
    digest = hashlib.sha256(given.encode("utf-8", "surrogatepass")).digest()
    found = False
    for token in accepted:
        found |= hmac.compare_digest(digest, hashlib.sha256(token.encode()).digest())
    return found
