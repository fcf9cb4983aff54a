"""Decision variables: one interval per phase, with restricted start domains and place options.

Each pupil goes through a fixed sequence of phases (theory, simulated, company per module,
then the experience period). A phase is an interval on the teaching-week index: ``start``,
``size`` (its length, fixed or ``min..max``) and ``end``. Theory belongs to the *class*: all its
pupils share one interval per module. Where a phase can happen at more than one place (several
centres, the home company or a partner, several mentors), each place is an optional interval
sharing the phase's start and size, and exactly one of them is present.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduler.solver.data import Option, PhaseSpec, PupilData, SolverData


@dataclass
class OptionVar:
    """One place a phase may happen: the option, its presence literal and its interval."""

    option: Option
    literal: cp_model.IntVar | int
    interval: cp_model.IntervalVar


@dataclass
class PhaseVar:
    """The variables of one phase (of a pupil, or of a class for theory)."""

    name: str
    spec: PhaseSpec
    start: cp_model.IntVar
    size: cp_model.IntVar | int
    end: cp_model.IntVar
    interval: cp_model.IntervalVar
    lo: int = 0
    hi: int = 0
    options: list[OptionVar] = field(default_factory=list)

    def chosen(self, solver: cp_model.CpSolver) -> OptionVar:
        """The option a solution chose."""
        for ov in self.options:
            if isinstance(ov.literal, int) or solver.BooleanValue(ov.literal):
                return ov
        raise RuntimeError(f"no option chosen for {self.name}")


def new_phase(
    model: cp_model.CpModel,
    name: str,
    spec: PhaseSpec,
    lo: int,
    hi: int,
    options: list[Option] | None = None,
) -> PhaseVar:
    """Create the interval of a phase that must start in ``lo..hi`` and end by ``hi + max``.

    ``options`` are the places the phase may happen (one literal each, exactly one present).
    """
    hi = max(hi, lo)
    start = model.NewIntVar(lo, hi, f"{name}.s")
    if spec.min_len == spec.max_len:
        size: cp_model.IntVar | int = spec.min_len
        end = model.NewIntVar(lo + spec.min_len, hi + spec.min_len, f"{name}.e")
    else:
        size = model.NewIntVar(spec.min_len, spec.max_len, f"{name}.l")
        end = model.NewIntVar(lo + spec.min_len, hi + spec.max_len, f"{name}.e")
    interval = model.NewIntervalVar(start, size, end, f"{name}.i")
    phase = PhaseVar(name, spec, start, size, end, interval, lo, hi)
    options = options if options is not None else spec.options
    if not options:
        model.AddBoolOr([])  # nowhere to hold this phase: no plan (the explanation says why)
    elif len(options) == 1:
        phase.options.append(OptionVar(options[0], 1, interval))
    else:
        literals = []
        for k, option in enumerate(options):
            lit = model.NewBoolVar(f"{name}.o{k}")
            opt = model.NewOptionalIntervalVar(start, size, end, lit, f"{name}.o{k}.i")
            phase.options.append(OptionVar(option, lit, opt))
            literals.append(lit)
        if literals:
            model.AddExactlyOne(literals)
    return phase


def start_window(pupil: PupilData, k: int, horizon_end: int) -> tuple[int, int]:
    """Earliest and latest start of the pupil's ``k``-th phase: the phases before it need their
    minimum lengths after the pupil's first week, the phases from it on before the end."""
    enrolled = pupil.enrolled
    first = enrolled[0] if enrolled else 0
    before = sum(p.min_len for p in pupil.phases[:k])
    after = sum(p.min_len for p in pupil.phases[k:])
    return first + before, horizon_end - after


def pupil_horizon_end(pupil: PupilData) -> int:
    """One past the pupil's last enrolled week."""
    enrolled = pupil.enrolled
    return enrolled[-1] + 1 if enrolled else 0


def class_theory_window(data: SolverData, class_id: str, module_id: str) -> tuple[int, int]:
    """The start window of a class's theory for a module: the union of its pupils' windows
    (each pupil who follows the module then narrows it by its own sequence)."""
    lo, hi = data.weeks.n, 0
    for pid in data.classes[class_id].pupils:
        pupil = data.pupil(pid)
        for k, spec in enumerate(pupil.phases):
            if spec.module == module_id and spec.kind == "theory":
                a, b = start_window(pupil, k, pupil_horizon_end(pupil))
                lo, hi = min(lo, a), max(hi, b)
    return lo, hi
