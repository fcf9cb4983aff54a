"""The hard rules of a year plan, one function per rule family (see docs/rules.md).

Each function adds its constraints to the model in a :class:`ModelContext`. In relaxed mode
(explanations) capacities get a penalised slack instead of a hard limit, so the relaxed model
always has a solution and the slacks it uses name the rules that make the scenario impossible.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable

from ortools.sat.python import cp_model

from scheduler.model.programme import OAO_THRESHOLD_HOURS
from scheduler.solver.context import ModelContext, Pin
from scheduler.solver.data import HUNDRED, PupilData
from scheduler.solver.variables import OptionVar, PhaseVar, new_phase, start_window

BIG_SLACK = 1000
"""Penalty per unit of slack in a relaxed model, far above every objective term."""


def _runs(indices: Iterable[int]) -> list[tuple[int, int]]:
    """Consecutive runs ``(start, length)`` of a set of week indices."""
    out: list[tuple[int, int]] = []
    for _, group in itertools.groupby(
        enumerate(sorted(set(indices))), key=lambda pair: pair[1] - pair[0]
    ):
        block = [t for _, t in group]
        out.append((block[0], len(block)))
    return out


def _reservations(
    model: cp_model.CpModel, profile: list[int], full: int, name: str
) -> tuple[list[cp_model.IntervalVar], list[int]]:
    """Fixed intervals that take away ``full - profile[t]`` units in week ``t`` (closures and
    lower capacities), grouped over runs of equal value."""
    intervals, demands = [], []
    t = 0
    while t < len(profile):
        taken = full - profile[t]
        u = t
        while u + 1 < len(profile) and profile[u + 1] == profile[t]:
            u += 1
        if taken > 0:
            intervals.append(model.NewFixedSizeIntervalVar(t, u - t + 1, f"{name}.res{t}"))
            demands.append(taken)
        t = u + 1
    return intervals, demands


def create_phases(ctx: ModelContext) -> None:
    """Make the phase variables: one theory interval per class and module, and each pupil's
    simulated, company and experience phases with start domains restricted to what the
    pupil's sequence leaves room for."""
    model, data = ctx.model, ctx.data
    for class_id, klass in data.classes.items():
        for module in klass.modules:
            phase = module.phase("theory")
            windows = []
            spec = None
            for pid in klass.pupils:
                pupil = data.pupil(pid)
                for k, s in enumerate(pupil.phases):
                    if s.module == module.id and s.kind == "theory":
                        windows.append(start_window(pupil, k, ctx.pupil_end(pupil)))
                        spec = s
            if phase is None or spec is None:
                continue
            lo = min(w[0] for w in windows)
            hi = max(w[1] for w in windows)
            ctx.theory[(class_id, module.id)] = new_phase(
                model, f"T[{class_id},{module.id}]", spec, lo, hi
            )
    for pupil in data.pupils:
        end = ctx.pupil_end(pupil)
        own: list[PhaseVar] = []
        for k, spec in enumerate(pupil.phases):
            lo, hi = start_window(pupil, k, end)
            name = f"{spec.kind[0].upper()}[{pupil.id},{spec.module or 'E'}]"
            if spec.kind == "theory" and not ctx.relax:
                own.append(ctx.theory[(pupil.class_id, spec.module or "")])
            else:
                own.append(new_phase(model, name, spec, lo, hi))
        ctx.phases[pupil.id] = own


def add_module_order(ctx: ModelContext) -> None:
    """Module order and the phase pattern: each pupil goes through its phases in the fixed
    sequence theory -> simulated -> company per module, modules in programme order, then the
    experience period after the last module (``end`` of one phase <= ``start`` of the next).
    A class's theory of a module starts after its theory of the previous module."""
    model = ctx.model
    for pupil in ctx.data.pupils:
        for a, b in itertools.pairwise(ctx.phases[pupil.id]):
            model.Add(a.end <= b.start)
    by_class: dict[str, list[PhaseVar]] = defaultdict(list)
    for (class_id, _), phase in ctx.theory.items():
        by_class[class_id].append(phase)
    for phases in by_class.values():
        for a, b in itertools.pairwise(phases):
            model.Add(a.end <= b.start)


def add_phase_lengths(ctx: ModelContext) -> None:
    """Phase lengths within ``min..max`` and the experience period of exactly its weeks.

    The lengths are the interval sizes' domains (see :func:`new_phase`), so nothing is added
    here; the function exists so the rule has one named home."""
    for phases in ctx.phases.values():
        for phase in phases:
            assert phase.spec.min_len >= 1


def add_blocked_weeks(ctx: ModelContext) -> None:
    """Nothing in weeks a pupil cannot be planned: absences (unavailable weeks) and weeks
    without school days inside the pupil's enrolment. Phases start at the earliest in the
    pupil's first week and end by the last (start domains); holidays have no index at all."""
    model = ctx.model
    for pupil in ctx.data.pupils:
        blocked = pupil.blocked()
        if not blocked:
            continue
        fixed = [
            model.NewFixedSizeIntervalVar(start, length, f"blocked[{pupil.id},{start}]")
            for start, length in _runs(blocked)
        ]
        model.AddNoOverlap([p.interval for p in ctx.phases[pupil.id]] + fixed)


def add_class_theory(ctx: ModelContext) -> None:
    """Theory is taught to the class: its pupils have a module's theory in the same weeks.

    In the hard model the pupils share the class's interval (made in :func:`create_phases`),
    which must lie in each sharing pupil's own window: the class's domain is the union of the
    windows, and nothing else keeps a late joiner's first theory after the pupil's start.
    In a relaxed model each pupil has its own theory interval, equal to the class's unless a
    penalised literal lets the pupil follow theory apart (e.g. a pupil who joins too late)."""
    model = ctx.model
    if not ctx.relax:
        for pupil in ctx.data.pupils:
            end = ctx.pupil_end(pupil)
            for k, spec in enumerate(pupil.phases):
                if spec.kind == "theory":
                    lo, hi = start_window(pupil, k, end)
                    klass = ctx.theory[(pupil.class_id, spec.module or "")]
                    model.Add(klass.start >= lo)
                    model.Add(klass.start <= hi)
        return
    for pupil in ctx.data.pupils:
        for phase in ctx.phases[pupil.id]:
            if phase.spec.kind != "theory":
                continue
            klass = ctx.theory[(pupil.class_id, phase.spec.module or "")]
            apart = ctx.slack(
                "class_theory", f"pupil:{pupil.id}", 1, 5 * BIG_SLACK, module=phase.spec.module
            )
            model.Add(phase.start == klass.start).OnlyEnforceIf(apart.Not())
            model.Add(phase.end == klass.end).OnlyEnforceIf(apart.Not())


def _options_by(
    ctx: ModelContext, key: Callable[[OptionVar], str | None], kinds: set[str]
) -> dict[str, list[tuple[PupilData, PhaseVar, OptionVar]]]:
    out: dict[str, list[tuple[PupilData, PhaseVar, OptionVar]]] = defaultdict(list)
    for pupil in ctx.data.pupils:
        for phase in ctx.phases[pupil.id]:
            if phase.spec.kind not in kinds:
                continue
            for ov in phase.options:
                k = key(ov)
                if k is not None:
                    out[k].append((pupil, phase, ov))
    return out


def _capacity_constraint(
    ctx: ModelContext,
    rule: str,
    party: str,
    entries: list[tuple[PupilData, PhaseVar, OptionVar]],
    profile: list[int],
    peak_weight: int,
) -> cp_model.LinearExprT | None:
    """Pupils at a place per week <= ``profile[week]``; returns a peak-load variable when the
    load-spread objective needs one.

    A week's capacity below the maximum (a closure, a lower capacity) is a fixed reserved
    interval; in a relaxed model the maximum gets a penalised slack. When the capacity never
    varies, the peak-load variable (an upper bound on every week's load) is the limit itself.
    Places that take one pupil at a time have no peak to spread and get none."""
    model = ctx.model
    if not entries:
        return None
    intervals = [ov.interval for _, _, ov in entries]
    literals = [ov.literal for _, _, ov in entries]
    n = len(intervals)
    taken = ctx.reserved.get(party)
    if taken:
        # pupils planned in an earlier step of a constructive solve hold these places
        profile = [max(0, c - (taken[t] if t < len(taken) else 0)) for t, c in enumerate(profile)]
    ones = [1] * n
    full = max(profile) if profile else 0
    varying = any(c != full for c in profile)
    slack = ctx.slack(rule, party, n, BIG_SLACK) if ctx.capacity_slack else None
    capacity: cp_model.LinearExprT = full + slack if slack is not None else full
    peak: cp_model.LinearExprT | None = None
    if peak_weight > 0 and full >= 2 and n == 1:
        peak = literals[0]
    elif peak_weight > 0 and n >= 2 and full >= 2:
        peak = model.NewIntVar(0, full + (n if ctx.capacity_slack else 0), f"peak[{party}]")
        model.AddCumulative(intervals, ones, peak)
        model.Add(peak <= capacity)
        if not varying:
            return peak
    if not varying and n <= full:
        return peak  # the limit can never bind
    reserved, demands = _reservations(model, profile, full, f"cap[{party}]")
    if full == 1 and slack is None and all(d == 1 for d in demands):
        model.AddNoOverlap(intervals + reserved)
    else:
        model.AddCumulative(intervals + reserved, ones + demands, capacity)
    return peak


def add_company_capacity(ctx: ModelContext) -> None:
    """Company capacity per week, closure weeks and the end of a company's participation:
    pupils in a company or experience phase at a company <= its capacity that week (0 when
    closed or gone). Infrastructure per module is in the options: a company phase only has
    options at companies whose infrastructure allows the module."""
    scenario = ctx.data.scenario
    weeks = ctx.data.weeks
    by_company = _options_by(
        ctx,
        lambda ov: ov.option.place if ov.option.kind == "company" else None,
        {"company", "experience"},
    )
    for company_id, entries in by_company.items():
        company = scenario.company_by_id[company_id]
        profile = [company.capacity_in(m) for m in weeks.mondays]
        profile += [company.capacity] * (ctx.horizon - weeks.n)
        peak = _capacity_constraint(
            ctx,
            "company_capacity",
            f"company:{company_id}",
            entries,
            profile,
            ctx.weights.load_peak,
        )
        if peak is not None:
            ctx.peaks[f"company:{company_id}"] = peak


def add_mentor_rules(ctx: ModelContext) -> None:
    """Mentor availability and capacity: a mentor guides at most ``max_pupils`` pupils at once
    in company and experience phases, and none in the mentor's unavailable weeks."""
    scenario = ctx.data.scenario
    weeks = ctx.data.weeks
    by_mentor = _options_by(ctx, lambda ov: ov.option.mentor, {"company", "experience"})
    for mentor_id, entries in by_mentor.items():
        _company, mentor = scenario.mentor_by_id[mentor_id]
        absent = mentor.unavailable_weeks
        profile = [0 if m in absent else mentor.max_pupils for m in weeks.mondays]
        profile += [mentor.max_pupils] * (ctx.horizon - weeks.n)
        _capacity_constraint(ctx, "mentor_capacity", f"mentor:{mentor_id}", entries, profile, 0)


def add_centre_capacity(ctx: ModelContext) -> None:
    """Training centres: seats per week, open weeks (closed weeks have no seats); which
    modules a centre offers and which schools it serves are in the options."""
    scenario = ctx.data.scenario
    weeks = ctx.data.weeks
    by_centre = _options_by(
        ctx, lambda ov: ov.option.place if ov.option.kind == "centre" else None, {"simulated"}
    )
    for centre_id, entries in by_centre.items():
        centre = scenario.centre_by_id[centre_id]
        profile = [centre.seats_in(m) for m in weeks.mondays]
        profile += [centre.seats] * (ctx.horizon - weeks.n)
        peak = _capacity_constraint(
            ctx,
            "centre_capacity",
            f"centre:{centre_id}",
            entries,
            profile,
            ctx.weights.load_peak,
        )
        if peak is not None:
            ctx.peaks[f"centre:{centre_id}"] = peak


def add_teacher_visits(ctx: ModelContext) -> None:
    """Teacher visits: the last week of every company phase is its practice test, visited by a
    teacher of the pupil's school; a school makes at most its number of visits per week."""
    model = ctx.model
    scenario = ctx.data.scenario
    by_school: dict[str, list[cp_model.IntervalVar]] = defaultdict(list)
    for pupil in ctx.data.pupils:
        for phase in ctx.phases[pupil.id]:
            if phase.spec.kind == "company":
                visit = model.NewIntervalVar(phase.end - 1, 1, phase.end, f"visit[{phase.name}]")
                by_school[pupil.school_id].append(visit)
    for school_id, visits in by_school.items():
        limit = scenario.teacher_visits_of(scenario.school_by_id[school_id])
        taken = ctx.reserved.get(f"school:{school_id}")
        if len(visits) <= limit and not ctx.capacity_slack and not taken:
            continue
        capacity: cp_model.LinearExprT = limit
        if ctx.capacity_slack:
            capacity = limit + ctx.slack(
                "teacher_visits", f"school:{school_id}", len(visits), BIG_SLACK
            )
        reserved, demands = [], []
        if taken:
            profile = [max(0, limit - v) for v in taken]
            reserved, demands = _reservations(model, profile, limit, f"visits[{school_id}]")
        model.AddCumulative(visits + reserved, [1] * len(visits) + demands, capacity)


def add_contract(ctx: ModelContext) -> None:
    """The contract: a pupil's annual average of real-workplace hours is at least 20 h/week
    for an OAO and below 20 for an internship.

    With ``h100`` the workplace hundredths of a full week and ``days`` the pupil's school days
    in it, the average is ``sum(h100 * days) / (100 * total_days)``. Every week is ordinary
    unless a phase covers it, so the year's workplace units are the ordinary total plus, per
    phase, the sum over its weeks of its difference with the ordinary week
    (:meth:`ModelContext.contribution`)."""
    model = ctx.model
    horizon = ctx.horizon
    for pupil in ctx.data.pupils:
        days = pupil.days + [0] * (horizon - len(pupil.days))
        ordinary = pupil.ordinary_wp100 + [0] * (horizon - len(pupil.ordinary_wp100))
        total: list[cp_model.LinearExprT] = [pupil.ordinary_units()]
        for phase in ctx.phases[pupil.id]:
            wp = phase.spec.wp100
            diff = [(wp - ordinary[t]) * days[t] if days[t] else 0 for t in range(horizon)]
            if not any(diff):
                continue
            total.append(ctx.contribution(phase, diff))
        units = sum(total)  # type: ignore[arg-type]
        ctx.workplace_units[pupil.id] = units
        need = OAO_THRESHOLD_HOURS * HUNDRED * pupil.total_days
        if pupil.total_days == 0 or "add_contract" in ctx.skip:
            continue
        if pupil.contract == "oao":
            if ctx.relax:
                short = ctx.slack("contract", f"pupil:{pupil.id}", need, 1)
                model.Add(units + short >= need)
            else:
                model.Add(units >= need)
        elif ctx.relax:
            over = ctx.slack("contract", f"pupil:{pupil.id}", 10 * need + 1, 1)
            model.Add(units - over <= need - 1)
        else:
            model.Add(units <= need - 1)


def young_worker_problems(pupil: PupilData) -> list[str]:
    """Phases of a pupil whose weekly hours break the young-worker limits (40 h a week, 8 h a
    day) or whose daily schedule is longer than 8 h or outside 06:00-20:00."""
    import datetime as dt

    problems = []
    profiles = [(p.key, p.hours) for p in pupil.phases] + [("ordinary", pupil.ordinary)]
    for key, hours in profiles:
        if hours.total > 40 or hours.total / 5 > 8:
            problems.append(key)
    for spec in pupil.phases:
        schedule = spec.schedule
        if schedule is not None and (
            schedule.hours > 8 or schedule.start < dt.time(6) or schedule.end > dt.time(20)
        ):
            problems.append(spec.key)
    return problems


def add_young_worker_limits(ctx: ModelContext) -> None:
    """Young workers: at most 40 hours a week and 8 hours a day. Hours are fixed per phase, so
    a phase over the limit makes the plan impossible (the explanation names it)."""
    for pupil in ctx.data.pupils:
        problems = young_worker_problems(pupil)
        if not problems:
            continue
        if ctx.relax:
            flag = ctx.slack("young_worker", f"pupil:{pupil.id}", 1, BIG_SLACK, phases=problems)
            ctx.model.Add(flag == 1)
        else:
            ctx.notes.append(f"young_worker:{pupil.id}:{','.join(problems)}")
            ctx.model.AddBoolOr([])  # no plan can contain these hours


def add_pins(ctx: ModelContext, pins: list[Pin]) -> None:
    """Pinned pupil-weeks (frozen past weeks of a re-plan, or a planner's pins): the pupil is in
    that phase, at that place, in that week; a pin without phase makes it an ordinary week."""
    model = ctx.model
    for pin in pins:
        phases = ctx.phases.get(pin.pupil)
        if phases is None:
            continue
        if pin.phase_key is None:
            for phase in phases:
                before = model.NewBoolVar(f"pin[{pin.pupil},{pin.week}].{phase.name}")
                model.Add(phase.end <= pin.week).OnlyEnforceIf(before)
                model.Add(phase.start >= pin.week + 1).OnlyEnforceIf(before.Not())
            continue
        phase = next((p for p in phases if p.spec.key == pin.phase_key), None)
        if phase is None:
            model.AddBoolOr([])  # the pinned phase is not part of this pupil's year
            ctx.notes.append(f"pin:{pin.pupil}:{pin.phase_key}")
            continue
        model.Add(phase.start <= pin.week)
        model.Add(phase.end >= pin.week + 1)
        if pin.place is not None:
            matching = [
                ov.literal
                for ov in phase.options
                if ov.option.place == pin.place
                and (pin.mentor is None or ov.option.mentor == pin.mentor)
            ]
            if not matching:
                model.AddBoolOr([])
                ctx.notes.append(f"pin-place:{pin.pupil}:{pin.place}")
            elif not any(isinstance(lit, int) for lit in matching):
                model.AddBoolOr(matching)  # type: ignore[arg-type]


def add_year_end(ctx: ModelContext) -> None:
    """Everything fits in the pupil's school year. In the hard model this is the start and end
    domains; a relaxed model may run past the pupil's last week at a high price per week (the
    explanation then says the modules do not fit)."""
    model = ctx.model
    for pupil in ctx.data.pupils:
        enrolled = pupil.enrolled
        if not enrolled or not ctx.phases[pupil.id]:
            continue
        last = ctx.phases[pupil.id][-1]
        if not ctx.relax:
            # the start domains already say so, except when the phases cannot fit at all
            model.Add(last.end <= enrolled[-1] + 1)
            continue
        over = ctx.slack("year_end", f"pupil:{pupil.id}", ctx.horizon, 4 * BIG_SLACK)
        model.Add(over >= last.end - (enrolled[-1] + 1))
