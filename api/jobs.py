"""Solve jobs: solves run outside the request, in a bounded pool of worker threads.

CP-SAT releases the GIL while it searches, so a :class:`~concurrent.futures.ThreadPoolExecutor`
runs solves truly in parallel with the requests. ``solve_jobs`` solves run at once and at
most ``queue_limit`` wait; beyond that :meth:`JobRunner.submit` raises :class:`QueueFull`
(the API answers 429 with a Retry-After).

A job's life: ``queued`` -> ``running`` -> ``done`` (its plan stored as a draft), ``failed``
(an error; no plan), ``cancelled`` (on request; no plan) or ``interrupted`` (the server
stopped; no plan). Each state change is a conditional update in the store, so a cancel
request and a finishing solve cannot both win.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from api.settings import Settings
from api.store import JobRow, Store, utcnow
from scheduler.errors import SchedulerError
from scheduler.i18n import language, tr
from scheduler.model.scenario import Scenario

log = logging.getLogger("scheduler.api.jobs")

SolveFunction = Callable[..., Any]
"""``scheduler.solver.solve.solve`` or a stand-in with its signature (tests)."""

PROGRESS_INTERVAL = 0.5
"""Seconds between two progress writes to the store (the first is always written)."""

# The explanation step of infeasible scenarios may not be installed yet; without it the solver
# still answers "infeasible", only without the explanation.


class QueueFull(Exception):
    """No room for another solve; try again after ``retry_after`` seconds."""

    def __init__(self, retry_after: int):
        super().__init__(f"queue full, retry after {retry_after} s")
        self.retry_after = retry_after


@dataclass
class _Active:
    """A job this process has queued or is running."""

    scenario_id: str
    time_limit: float
    cancel: threading.Event = field(default_factory=threading.Event)
    started: float | None = None
    solve_args: dict[str, Any] = field(default_factory=dict)


def default_solve(*args: Any, **kwargs: Any) -> Any:
    """The real solver (imported late: OR-Tools loads only when a job runs)."""
    from scheduler.solver.solve import solve

    return solve(*args, **kwargs)


def log_bug(logger: logging.Logger, what: str, exc: BaseException) -> None:
    """Log an unexpected error with its stack but *without* its message or values.

    Messages may quote pupil data; the frames (file, line, code) never do.
    """
    import traceback

    frames = "".join(traceback.format_tb(exc.__traceback__))
    logger.error("%s: %s\n%s", what, type(exc).__name__, frames)


class JobRunner:
    """Queues solve jobs, runs them in worker threads, records their progress and outcome."""

    def __init__(self, store: Store, settings: Settings, solve: SolveFunction | None = None):
        self._store = store
        self._settings = settings
        self._solve = solve or default_solve
        self._pool = ThreadPoolExecutor(max_workers=settings.solve_jobs, thread_name_prefix="solve")
        self._lock = threading.Lock()
        self._active: dict[str, _Active] = {}
        self._stopping = False
        self.on_plan: Callable[[str, Any], None] | None = None
        """Called with (plan id, Plan) when a job has stored its plan (the web pages keep it
        parsed, so the first view of a large plan need not read it back)."""

    # --- requests ----------------------------------------------------------------------

    def submit(
        self,
        scenario_id: str,
        scenario: Scenario,
        options: dict[str, Any],
        lang: str,
        *,
        solve_args: dict[str, Any] | None = None,
    ) -> JobRow:
        """Queue a solve of ``scenario`` with ``options`` (time_limit, seed, weights; stored
        with the job, so JSON). ``solve_args`` go to the solver as they are (a re-plan's
        ``pins``, ``hints`` and ``baseline``); describe them in ``options`` to keep a record."""
        with self._lock:
            if self._stopping or len(self._active) >= (
                self._settings.solve_jobs + self._settings.queue_limit
            ):
                raise QueueFull(self._retry_after())
            job = self._store.add_job(scenario_id, options, lang)
            active = _Active(scenario_id, float(options["time_limit"]))
            self._active[job.id] = active
            active.solve_args = dict(solve_args or {})
            self._pool.submit(self._run, job.id, scenario_id, scenario, options, lang, active)
        log.info(
            "job %s queued for scenario %s (%d pupils)", job.id, scenario_id, len(scenario.pupils)
        )
        return job

    def cancel(self, job_id: str) -> bool:
        """Ask a queued or running job to stop; False when it is not active here."""
        with self._lock:
            active = self._active.get(job_id)
        if active is None:
            return False
        active.cancel.set()
        if not self._store.update_job(
            job_id, when=("queued",), state="cancelled", finished_at=utcnow()
        ):
            self._store.update_job(job_id, when=("running",), cancel_requested=True)
        log.info("job %s: cancel requested", job_id)
        return True

    def cancel_scenario(self, scenario_id: str) -> None:
        """Stop every active job of a scenario (before the scenario is deleted)."""
        with self._lock:
            ids = [j for j, a in self._active.items() if a.scenario_id == scenario_id]
        for job_id in ids:
            self.cancel(job_id)

    def active_count(self) -> int:
        """How many jobs are queued or running in this process."""
        with self._lock:
            return len(self._active)

    def shutdown(self) -> None:
        """Stop: unfinished jobs become ``interrupted``; wait for the worker threads."""
        with self._lock:
            self._stopping = True
            actives = list(self._active.values())
        # mark first, so that a solve finishing right now cannot store its plan any more
        stopped = self._store.interrupt_unfinished()
        for active in actives:
            active.cancel.set()
        self._pool.shutdown(wait=True, cancel_futures=True)
        if stopped:
            log.info("stopped: %d unfinished jobs marked interrupted", stopped)

    def _retry_after(self) -> int:
        """Seconds until a running solve is expected to end (its time limit)."""
        now = time.monotonic()
        left = [
            a.time_limit - (now - a.started) for a in self._active.values() if a.started is not None
        ]
        guess = min(left) if left else self._settings.default_time_limit
        return max(1, min(3600, math.ceil(guess)))

    # --- the worker --------------------------------------------------------------------

    def _run(
        self,
        job_id: str,
        scenario_id: str,
        scenario: Scenario,
        options: dict[str, Any],
        lang: str,
        active: _Active,
    ) -> None:
        try:
            with language(lang):
                self._work(job_id, scenario_id, scenario, options, active)
        except Exception as exc:
            # e.g. the database went away: nothing more to record, but never lose the trace
            log_bug(log, f"job {job_id}: the worker failed", exc)
        finally:
            with self._lock:
                self._active.pop(job_id, None)

    def _work(
        self,
        job_id: str,
        scenario_id: str,
        scenario: Scenario,
        options: dict[str, Any],
        active: _Active,
    ) -> None:
        if active.cancel.is_set() or not self._store.update_job(
            job_id, when=("queued",), state="running", started_at=utcnow()
        ):
            return  # cancelled or interrupted while queued
        active.started = time.monotonic()
        log.info("job %s running", job_id)
        last: dict[str, Any] = {}
        written = [0.0]

        def progress(report: Any) -> None:
            last.update(
                elapsed=round(report.elapsed, 3),
                objective=report.objective,
                bound=report.bound,
                part=report.part,
                parts=report.parts,
            )
            now = time.monotonic()
            if not written[0] or now - written[0] >= PROGRESS_INTERVAL:
                written[0] = now
                self._store.update_job(job_id, when=("running",), progress=dict(last))

        try:
            result = self._solve(
                scenario,
                time_limit=float(options["time_limit"]),
                seed=int(options.get("seed", 0)),
                weights=options.get("weights") or None,
                workers=self._settings.solver_threads,
                progress=progress,
                cancel=active.cancel,
                explain=True,
                **active.solve_args,
            )
        except SchedulerError as exc:
            self._fail(job_id, str(exc), last)
            log.info("job %s failed: %s", job_id, type(exc).__name__)
            return
        except Exception as exc:
            log_bug(log, f"job {job_id}: the solve raised", exc)
            self._fail(
                job_id,
                tr(
                    nl="interne fout tijdens het rekenen; meld dit aan de beheerder",
                    en="internal error while solving; please tell the administrator",
                ),
                last,
            )
            return
        final = {
            **last,
            "elapsed": round(result.runtime, 3),
            "objective": result.objective,
            "bound": result.bound,
        }
        if active.cancel.is_set():
            # cancelled on request (or interrupted by a stop, which already set the state)
            self._store.update_job(
                job_id, when=("running",), state="cancelled", finished_at=utcnow(), progress=final
            )
            log.info("job %s cancelled", job_id)
            return
        self._store.update_job(job_id, when=("running",), progress=final)
        plan = self._store.finish_job_with_plan(job_id, scenario_id, result.plan)
        if plan is not None and self.on_plan is not None:
            self.on_plan(plan.id, result.plan)
        log.info("job %s done: %s, plan %s", job_id, result.status, plan.id if plan else None)

    def _fail(self, job_id: str, message: str, progress: dict[str, Any]) -> None:
        self._store.update_job(
            job_id,
            when=("running",),
            state="failed",
            error=message,
            finished_at=utcnow(),
            progress=progress or None,
        )
