"""The error tree of the scheduler.

Every error a user can cause is a :class:`SchedulerError`; the CLI and the API turn it into a
clear message (no traceback) and a non-zero exit code or a 4xx answer.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where (file, path inside it, line) and what."""

    message: str
    path: str = ""
    file: str = ""
    line: int | None = None

    def __str__(self) -> str:
        where = self.file
        if where and self.line is not None:
            where = f"{where}:{self.line}"
        parts = [p for p in (where, self.path) if p]
        return ": ".join([*parts, self.message])


class SchedulerError(Exception):
    """Base class of every error the scheduler raises on purpose."""


class ScenarioError(SchedulerError, ValueError):
    """A scenario (or programme, change, plan) file is malformed or inconsistent.

    ``problems`` lists every problem found, each naming file, path and value.
    """

    def __init__(self, problems: list[Problem] | str):
        if isinstance(problems, str):
            problems = [Problem(problems)]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class PlanError(SchedulerError, ValueError):
    """A plan file cannot be used: unreadable, malformed, or made for another scenario."""


class UsageError(SchedulerError, ValueError):
    """A command or request was called with options that do not make sense together."""
