"""Running CP-SAT so that another thread can stop it (a web job's cancel button)."""

from __future__ import annotations

import threading

from ortools.sat.python import cp_model


def run(
    solver: cp_model.CpSolver,
    model: cp_model.CpModel,
    callback: cp_model.CpSolverSolutionCallback | None = None,
    cancel: threading.Event | None = None,
) -> int:
    """``solver.Solve`` that a ``cancel`` event set from another thread interrupts."""
    if cancel is None:
        return solver.Solve(model, callback) if callback else solver.Solve(model)
    if cancel.is_set():
        return cp_model.UNKNOWN
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.05):
            if cancel.is_set():
                solver.stop_search()
                return

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        return solver.Solve(model, callback) if callback else solver.Solve(model)
    finally:
        done.set()
        watcher.join()
