"""The hard rules of the weekly model that tie placements together, one function per rule
family (see docs/rules.md; what concerns one phase in one week is in :mod:`.domains`).

Each function adds its constraints to a :class:`~scheduler.solver.weekly.model.WeeklyModel`.
Every constraint is a linear inequality over placement literals (or an exactly-one), so the
model's linear relaxation is the relaxation of the rules themselves (:mod:`.relaxation`).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from typing import TYPE_CHECKING

from scheduler.model.programme import OAO_THRESHOLD_HOURS
from scheduler.solver.constraints import young_worker_problems
from scheduler.solver.data import HUNDRED

if TYPE_CHECKING:
    from scheduler.solver.weekly.model import WeeklyModel


def one_placement_per_phase(wm: WeeklyModel) -> None:
    """Every phase is held exactly once, in one block, at one place, with a length within its
    ``min..max`` (``coverage``, ``phase_length``, ``place``, ``experience``). A phase without
    any placement makes the part impossible (the explanation says why)."""
    for domain in wm.domains.all():
        literals = wm.literals[domain.name]
        if not literals:
            wm.notes.append(f"empty:{domain.name}")
        wm.model.AddExactlyOne(literals)


def precedence(wm: WeeklyModel, before: str, after: str) -> None:
    """Phase ``after`` starts when phase ``before`` has ended: for every week ``w``, 'after has
    started by w' and 'before has not ended by w' exclude each other (the strong time-indexed
    form: its linear relaxation keeps phases in order, which a single start >= end does not).
    Both phases choose exactly one placement, so this is an at-most-one per week."""
    a = wm.domain_by_name[before]
    b = wm.domain_by_name[after]
    if not a.placements or not b.placements:
        return
    b_first = min(p.start for p in b.placements)
    a_last = max(p.end for p in a.placements)
    for w in range(b_first, a_last):
        group = [lit for p, lit in wm.choices(b) if p.start <= w]
        group += [lit for p, lit in wm.choices(a) if p.end > w]
        # a linear row, not an at-most-one: measured faster to a proof on the EMT example
        wm.model.Add(sum(group) <= 1)


def module_order(wm: WeeklyModel) -> None:
    """Module order and the phase pattern (``module_order``, ``experience``): each pupil goes
    through its phases in the fixed sequence theory -> simulated -> company per module, modules
    in programme order, the experience period after the last module; a class's theory of a
    module comes after its theory of the module before."""
    for pupil in wm.data.pupils:
        names = [d.name for d in wm.domains.by_pupil[pupil.id]]
        for a, b in itertools.pairwise(names):
            precedence(wm, a, b)
    by_class: dict[str, list[str]] = defaultdict(list)
    for (class_id, _), domain in wm.domains.theory.items():
        by_class[class_id].append(domain.name)
    for class_id, names in by_class.items():
        order = [m.id for m in wm.data.classes[class_id].modules]
        names.sort(key=lambda n: order.index(wm.domain_by_name[n].spec.module or ""))
        for a, b in itertools.pairwise(names):
            precedence(wm, a, b)


def class_theory(wm: WeeklyModel) -> None:
    """Theory is taught to the class (``class_theory``): the followers of a module share one
    theory domain, so they have it in the same weeks by construction (:mod:`.domains`); a late
    joiner narrows the class's placements to the weeks the joiner is there. Nothing to add."""
    for domain in wm.domains.theory.values():
        assert domain.class_id is not None


def _limit(wm: WeeklyModel, party: str, t: int, literals: list, limit: int) -> None:
    """``sum(literals) <= limit``; in a repair model (``wm.overflow``) the limit may be
    exceeded at a price (see :func:`scheduler.solver.weekly.terms.overflow_term`)."""
    if len(literals) <= limit:
        return
    if wm.overflow is None:
        wm.model.Add(sum(literals) <= limit)
        return
    extra = wm.model.NewIntVar(0, len(literals) - max(0, limit), f"over[{party},{t}]")
    wm.model.Add(sum(literals) <= limit + extra)
    wm.overflow.append(extra)


def _capacity(wm: WeeklyModel, prefix: str, kinds: set[str]) -> None:
    """Literals per place and week <= places left that week."""
    for party, weeks in wm.cover.items():
        if not party.startswith(prefix):
            continue
        row = wm.rows[party]
        for t, entries in weeks.items():
            _limit(wm, party, t, [lit for kind, lit in entries if kind in kinds], row[t])


def company_capacity(wm: WeeklyModel) -> None:
    """Pupils in a company or experience phase at a company per week <= its capacity that week
    (closed weeks and weeks after ``active_until`` have no placements at all,
    ``company_capacity``, ``company_closed``)."""
    _capacity(wm, "company:", {"company", "experience"})


def mentor_capacity(wm: WeeklyModel) -> None:
    """Pupils with a mentor per week <= the mentor's ``max_pupils`` (``mentor_capacity``)."""
    _capacity(wm, "mentor:", {"company", "experience"})


def centre_capacity(wm: WeeklyModel) -> None:
    """Pupils at a training centre per week <= its seats that week (``centre_capacity``)."""
    _capacity(wm, "centre:", {"simulated"})


def teacher_visits(wm: WeeklyModel) -> None:
    """Practice tests (the last week of a company phase) per school and week <= the visits the
    school's teachers can make that week (``teacher_visits``)."""
    for school, weeks in wm.visits.items():
        row = wm.rows[f"school:{school}"]
        for t, literals in weeks.items():
            _limit(wm, f"school:{school}", t, literals, row[t])


def contract(wm: WeeklyModel) -> None:
    """The contract (``contract``): the annual average of real-workplace hours is at least 20
    h/week for an OAO and below 20 for an internship, in exact integers (hundredths of an hour
    times school days, see :mod:`scheduler.solver.data`): the ordinary year plus, per chosen
    placement, the difference its weeks make."""
    for pupil in wm.data.pupils:
        units = wm.workplace_units[pupil.id]
        need = OAO_THRESHOLD_HOURS * HUNDRED * pupil.total_days
        if pupil.total_days == 0:
            continue
        if pupil.contract == "oao":
            wm.model.Add(units >= need)
        else:
            wm.model.Add(units <= need - 1)


def young_workers(wm: WeeklyModel) -> None:
    """Young workers: at most 40 hours a week and 8 hours a day, daily times within 06:00-20:00
    (``young_worker``). Hours are fixed per phase, so a phase over a limit makes the part
    impossible."""
    for pupil in wm.data.pupils:
        problems = young_worker_problems(pupil)
        if problems:
            wm.notes.append(f"young_worker:{pupil.id}:{','.join(problems)}")
            wm.model.AddBoolOr([])


HARD_RULES = (
    one_placement_per_phase,
    module_order,
    class_theory,
    company_capacity,
    mentor_capacity,
    centre_capacity,
    teacher_visits,
    contract,
    young_workers,
)
"""The rule families the weekly model adds, in order (the rest are in :mod:`.domains`)."""
