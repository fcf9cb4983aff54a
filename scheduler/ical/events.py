"""What each subscriber sees: the events of one feed, before they become iCalendar text.

Privacy is decided here, in one place:

- ``company:ID``: company phases and experience periods *at that company* (a partner pupil who
  comes for a module is the company's pupil for those weeks; the company does not see where
  its own pupils are elsewhere), and the practice-test visits of those company phases;
- ``mentor:ID``: the company phases and experience periods the mentor supervises, and their
  visits;
- ``pupil:ID``: the pupil's whole year (theory, centre, company, experience, ordinary weeks,
  absences) and the pupil's practice-test visits;
- ``centre:ID``: who comes to the centre in which week (simulated phases there);
- ``school:ID``: theory per class and module, and every practice-test visit of its pupils.

Companies, mentors and centres name pupils as ``settings.pupil_names`` says; pupils and schools
see full names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from scheduler.i18n import tr
from scheduler.ical.blocks import Block, Run, class_theory_blocks, plan_blocks
from scheduler.ical.subscribers import SubscriberKind
from scheduler.ical.texts import (
    hours_line,
    phase_description,
    phase_label,
    place_location,
    place_name,
    pupil_name,
)
from scheduler.model import DailySchedule, Pupil, Scenario
from scheduler.plan import Place, Plan

WORKPLACE_PHASES = ("company", "experience")


@dataclass(frozen=True)
class EventSpec:
    """One calendar event: consecutive school days (all-day, or daily times from a schedule)."""

    key: str
    """Stable identity inside the feed (the UID is derived from it)."""
    days: tuple[dt.date, ...]
    schedule: DailySchedule | None
    summary: str
    description: str
    location: str | None
    category: str
    pupil: str | None = None
    """The pupil the event is about (``None`` for a class); not written to the feed."""


@dataclass(frozen=True)
class _Context:
    """What every event of one feed needs to know."""

    scenario: Scenario
    kind: SubscriberKind


def _module_name(scenario: Scenario, module: str | None) -> str | None:
    if module is None:
        return None
    ref = scenario.module_by_id.get(module)
    return ref.module.name if ref is not None else module


def _schedule(scenario: Scenario, pupil: Pupil, block: Block) -> DailySchedule | None:
    """The daily times of a block's phase, when the programme gives them."""
    if block.absent:
        return None
    if block.phase == "experience":
        return scenario.programme_year_of(pupil)[1].experience.schedule
    ref = scenario.module_by_id.get(block.module or "")
    if ref is None:
        return None
    phase = next((p for p in ref.module.phases if p.kind == block.phase), None)
    return phase.schedule if phase is not None else None


def _mentor_name(scenario: Scenario, mentor_id: str | None) -> str | None:
    if mentor_id is None:
        return None
    found = scenario.mentor_by_id.get(mentor_id)
    return found[1].name if found is not None else mentor_id


def _summary(ctx: _Context, pupil: Pupil, block: Block, label: str) -> str:
    """Short text for a month view: what, which module, and who (or where, for the pupil)."""
    module = _module_name(ctx.scenario, block.module)
    what = f"{label} {module}" if module else label
    if ctx.kind == "pupil":
        if block.place.kind == "school" or block.absent:
            return what
        return f"{what} - {place_name(ctx.scenario, block.place)}"
    return f"{what} - {pupil_name(ctx.scenario, pupil, ctx.kind)}"


def _details(ctx: _Context, pupil: Pupil, block: Block) -> list[str]:
    """Description lines shared by a block's events and its visit."""
    scenario = ctx.scenario
    lines: list[str] = []
    module = _module_name(scenario, block.module)
    if module:
        lines.append(tr(nl="Module", en="Module") + f": {module}")
    if ctx.kind != "pupil":
        klass = scenario.class_by_id[pupil.class_id]
        lines.append(
            tr(nl="Leerling", en="Pupil")
            + f": {pupil_name(scenario, pupil, ctx.kind)} ({klass.name or klass.id})"
        )
    if not block.absent:
        lines.append(tr(nl="Plaats", en="Place") + f": {place_location(scenario, block.place)}")
    mentor = _mentor_name(scenario, block.mentor)
    if mentor:
        lines.append(f"Mentor: {mentor}")
    return lines


def _run_event(ctx: _Context, pupil: Pupil, block: Block, run: Run) -> EventSpec:
    """The event of one run of a pupil's block."""
    phase = "absent" if block.absent else block.phase
    lines = [phase_description(phase), *_details(ctx, pupil, block)]
    if len(block.weeks) > 1:
        n, total = run.week_offset + 1, len(block.weeks)
        lines.append(tr(nl=f"Week {n} van {total}", en=f"Week {n} of {total}"))
    if run.assignment is not None and not block.absent:
        hours = run.assignment.hours
        if block.phase == "school" and hours.workplace:
            # an ordinary week mixes school and work at the home company
            home = Place(kind="company", id=pupil.company)
            lines.append(
                tr(nl="Werkplek", en="Workplace") + f": {place_location(ctx.scenario, home)}"
            )
        lines.append(hours_line(hours))
    return EventSpec(
        key=f"{pupil.id}/{block.key}/{run.key}",
        days=run.days,
        schedule=_schedule(ctx.scenario, pupil, block),
        summary=_summary(ctx, pupil, block, phase_label(phase)),
        description="\n".join(lines),
        location=None if block.absent else place_location(ctx.scenario, block.place),
        category=phase_label(phase),
        pupil=pupil.id,
    )


def _visit_events(ctx: _Context, pupil: Pupil, block: Block) -> list[EventSpec]:
    """The practice-test visit of a company block: on the last school day of the marked week."""
    if block.phase != "company":
        return []
    out: list[EventSpec] = []
    marked = [r for r in block.runs if r.assignment is not None and r.assignment.visit]
    weeks = sorted({r.week_offset for r in marked})
    for i, offset in enumerate(weeks):
        day = max(d for r in marked if r.week_offset == offset for d in r.days)
        key = f"{pupil.id}/visit:{block.key}" + (f"#{i + 1}" if i else "")
        lines = [phase_description("visit"), *_details(ctx, pupil, block)]
        if ctx.kind in ("company", "mentor", "pupil"):
            school = ctx.scenario.school_of(pupil)
            lines.insert(1, tr(nl="School", en="School") + f": {school.name}")
        out.append(
            EventSpec(
                key=key,
                days=(day,),
                schedule=_schedule(ctx.scenario, pupil, block),
                summary=_summary(ctx, pupil, block, phase_label("visit")),
                description="\n".join(lines),
                location=place_location(ctx.scenario, block.place),
                category=phase_label("visit"),
                pupil=pupil.id,
            )
        )
    return out


def _sees(kind: SubscriberKind, ident: str, block: Block) -> bool:
    """Whether a block belongs in the feed of ``kind:ident`` (pupil feeds: every block)."""
    if kind == "company":
        at_company = block.place.kind == "company" and block.place.id == ident
        return block.phase in WORKPLACE_PHASES and at_company
    if kind == "mentor":
        return block.phase in WORKPLACE_PHASES and block.mentor == ident
    if kind == "centre":
        at_centre = block.place.kind == "centre" and block.place.id == ident
        return block.phase == "simulated" and at_centre
    if kind == "school":
        return block.phase == "company"  # only for visits; the caller filters pupils
    return True


def _class_events(ctx: _Context, plan: Plan, class_id: str) -> Iterable[EventSpec]:
    """Theory of one class at school: one event per run of each module's theory block."""
    scenario = ctx.scenario
    klass = scenario.class_by_id[class_id]
    label = phase_label("theory")
    for block in class_theory_blocks(scenario, plan, class_id):
        ref = scenario.module_by_id.get(block.module or "")
        phase = ref.module.phase("theory") if ref is not None else None
        weeks = set(block.weeks)
        pupils = {
            a.pupil
            for a in plan.assignments
            if a.phase == "theory" and a.module == block.module and a.week in weeks
        } & {p.id for p in scenario.pupils_of_class(class_id)}
        module = _module_name(scenario, block.module)
        for run in block.runs:
            lines = [
                phase_description("theory"),
                tr(nl="Module", en="Module") + f": {module}",
                tr(nl="Klas", en="Class")
                + f": {klass.name or klass.id} ("
                + tr(nl=f"{len(pupils)} leerlingen", en=f"{len(pupils)} pupils")
                + ")",
            ]
            if len(block.weeks) > 1:
                n, total = run.week_offset + 1, len(block.weeks)
                lines.append(tr(nl=f"Week {n} van {total}", en=f"Week {n} of {total}"))
            yield EventSpec(
                key=f"class:{class_id}/{block.key}/{run.key}",
                days=run.days,
                schedule=phase.schedule if phase is not None else None,
                summary=f"{label} {module} - {klass.name or klass.id}",
                description="\n".join(lines),
                location=place_location(scenario, block.place),
                category=label,
            )


def feed_events(
    scenario: Scenario, plan: Plan, kind: SubscriberKind, ident: str
) -> list[EventSpec]:
    """Every event of the feed of ``kind:ident``, sorted by day, time and summary.

    ``plan`` must belong to ``scenario``; ``kind:ident`` must exist in it
    (:func:`scheduler.ical.parse_subscriber`).
    """
    ctx = _Context(scenario, kind)
    events: list[EventSpec] = []
    blocks = plan_blocks(scenario, plan)
    if kind == "pupil":
        blocks = {ident: blocks.get(ident, [])}
    elif kind == "school":
        blocks = {
            p: bs
            for p, bs in blocks.items()
            if scenario.school_of(scenario.pupil_by_id[p]).id == ident
        }
        for klass in scenario.school_by_id[ident].classes:
            events.extend(_class_events(ctx, plan, klass.id))
    for pupil_id, pupil_blocks in blocks.items():
        pupil = scenario.pupil_by_id[pupil_id]
        for block in pupil_blocks:
            if not _sees(kind, ident, block):
                continue
            if kind != "school":
                events.extend(_run_event(ctx, pupil, block, run) for run in block.runs)
            if kind != "centre":
                events.extend(_visit_events(ctx, pupil, block))
    return sorted(events, key=_order)


def _order(event: EventSpec) -> tuple[object, ...]:
    start = event.schedule.start if event.schedule else dt.time(0)
    return (event.days[0], start, event.summary, event.key)
