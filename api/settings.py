"""The web service's settings: a small pydantic model filled from ``SCHEDULER_*`` variables.

The SQLite file by default is ``scheduler.db`` in the working folder.

| variable | setting | default |
| --- | --- | --- |
| ``SCHEDULER_DATABASE_URL`` | any SQLAlchemy URL (``postgresql+psycopg://...``) | SQLite file |
| ``SCHEDULER_API_TOKENS`` | planner bearer tokens, comma-separated | none (refused unless dev) |
| ``SCHEDULER_DEV`` | dev mode: without tokens the token ``dev`` is accepted | false |
| ``SCHEDULER_PUBLIC_URL`` | base URL of feed links (``https://planning.vti.be``) | request's |
| ``SCHEDULER_MAX_BODY_BYTES`` | largest request body | 5 MB |
| ``SCHEDULER_SOLVE_JOBS`` | solves running at once | 1 |
| ``SCHEDULER_QUEUE_LIMIT`` | solves waiting at most (beyond: 429) | 4 |
| ``SCHEDULER_SOLVER_THREADS`` | CP-SAT threads per solve | 2 |
| ``SCHEDULER_DEFAULT_TIME_LIMIT`` | a solve's time limit (s) when the request names none | 60 |
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from scheduler.errors import UsageError
from scheduler.i18n import tr

ENV_PREFIX = "SCHEDULER_"
DEV_TOKEN = "dev"
"""The bearer token accepted in dev mode when no token is configured."""
SECRET_SETTINGS = frozenset({"api_tokens", "database_url"})


class Settings(BaseModel):
    """Everything the service needs to know at start-up."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    database_url: str = Field(default="sqlite:///scheduler.db", min_length=1)
    api_tokens: tuple[str, ...] = ()
    dev: bool = False
    public_url: str | None = None
    max_body_bytes: int = Field(default=5 * 1024 * 1024, ge=1024)
    solve_jobs: int = Field(default=1, ge=1, le=64)
    queue_limit: int = Field(default=4, ge=0, le=10_000)
    solver_threads: int = Field(default=2, ge=1, le=64)
    default_time_limit: float = Field(default=60.0, ge=1, le=3600)

    @field_validator("api_tokens", mode="before")
    @classmethod
    def _split_tokens(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = value.split(",")
        if isinstance(value, list | tuple):
            return tuple(t.strip() for t in value if isinstance(t, str) and t.strip())
        return value

    @field_validator("public_url")
    @classmethod
    def _strip_slash(cls, value: str | None) -> str | None:
        return value.rstrip("/") if value else None

    @property
    def accepted_tokens(self) -> tuple[str, ...]:
        """The planner tokens the service accepts (``dev`` in dev mode without tokens)."""
        if self.api_tokens:
            return self.api_tokens
        return (DEV_TOKEN,) if self.dev else ()

    def check_startable(self) -> None:
        """Refuse to serve planners without a token, unless in dev mode."""
        if not self.api_tokens and not self.dev:
            raise UsageError(
                tr(
                    nl="geen API-token ingesteld: zet SCHEDULER_API_TOKENS (bv. een lange "
                    "willekeurige tekst; meerdere gescheiden door komma's) of start met --dev",
                    en="no API token configured: set SCHEDULER_API_TOKENS (e.g. a long random "
                    "string; several separated by commas) or start with --dev",
                )
            )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Settings from ``SCHEDULER_*`` variables, then ``overrides`` (those not ``None``).

        Raises :class:`UsageError` naming the variable when a value is not usable.
        """
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for name in cls.model_fields:
            key = ENV_PREFIX + name.upper()
            if key in environ and environ[key].strip() != "":
                raw = environ[key].strip()
                values[name] = raw.lower() in {"1", "true", "yes", "on"} if name == "dev" else raw
        values.update({k: v for k, v in overrides.items() if v is not None})
        try:
            return cls.model_validate(values)
        except ValidationError as exc:
            first = exc.errors()[0]
            name = str(first["loc"][0]) if first["loc"] else "?"
            # tokens and database URLs are secrets: never repeat them in a message
            shown = "" if name in SECRET_SETTINGS else f" ({tr(nl='waarde', en='value')}: "
            shown += "" if name in SECRET_SETTINGS else f"{first.get('input')!r})"
            raise UsageError(f"{ENV_PREFIX}{name.upper()}: {first['msg']}{shown}") from None
