"""Running independent parts side by side: a local process pool (the default) or Ray.

Regions that share no centre, school, company or mentor are independent CP-SAT jobs, the
natural unit to spread over the cores of one machine or the machines of a cluster. Both
executors run the function they are given (:func:`scheduler.solver.solve.solve_part`) on the
same arguments, so a
plan does not depend on where its parts were solved (only on time and seed).

Ray is optional (``pip install ray``): ``executor="ray"`` connects to the cluster at
``address`` (``ray.init(address=...)``), or starts a local Ray when no address is given.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

from scheduler.errors import UsageError
from scheduler.i18n import tr

EXECUTORS = ("local", "ray")


@dataclass
class PartTask:
    """One part to solve: the arguments of :func:`scheduler.solver.solve.solve_part`."""

    index: int
    pupil_ids: list[str]
    time_limit: float
    kwargs: dict[str, Any] = field(default_factory=dict)


def _run_task(
    fn: Callable[..., Any], scenario: Any, weights: Any, task: PartTask
) -> tuple[int, Any]:
    return task.index, fn(
        scenario, task.pupil_ids, weights, time_limit=task.time_limit, **task.kwargs
    )


def check_executor(executor: str) -> None:
    """Refuse an unknown executor name (a usage error, exit 2)."""
    if executor not in EXECUTORS:
        raise UsageError(
            tr(
                nl=f"onbekende uitvoerder '{executor}'; kies uit {', '.join(EXECUTORS)}",
                en=f"unknown executor '{executor}'; choose from {', '.join(EXECUTORS)}",
            )
        )


def run_parts(
    fn: Callable[..., Any],
    scenario: Any,
    weights: Any,
    tasks: list[PartTask],
    *,
    processes: int = 2,
    executor: str = "local",
    address: str | None = None,
) -> Iterator[tuple[int, Any]]:
    """Run ``fn`` (:func:`scheduler.solver.solve.solve_part`) on the tasks side by side,
    yielding ``(index, result)`` as parts finish."""
    check_executor(executor)
    if executor == "ray":
        yield from _run_ray(fn, scenario, weights, tasks, address)
        return
    # forkserver: the API's worker threads make a plain fork unsafe
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=max(1, processes), mp_context=context) as pool:
        pending: set[Future[tuple[int, Any]]] = {
            pool.submit(_run_task, fn, scenario, weights, task) for task in tasks
        }
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield future.result()


def _run_ray(
    fn: Callable[..., Any],
    scenario: Any,
    weights: Any,
    tasks: list[PartTask],
    address: str | None,
) -> Iterator[tuple[int, Any]]:
    try:
        import ray  # type: ignore[import-not-found]
    except ImportError:
        raise UsageError(
            tr(
                nl="Ray is niet geïnstalleerd: pip install ray (of kies --executor local)",
                en="Ray is not installed: pip install ray (or choose --executor local)",
            )
        ) from None
    ray.init(address=address, ignore_reinit_error=True, log_to_driver=False)
    remote = ray.remote(_run_task)
    shared_scenario = ray.put(scenario)
    refs = {remote.remote(fn, shared_scenario, weights, task): task.index for task in tasks}
    pending = list(refs)
    while pending:
        ready, pending = ray.wait(pending, num_returns=1)
        for ref in ready:
            yield ray.get(ref)
