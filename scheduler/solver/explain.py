"""Why no plan exists, in the planner's words, and the closest plan that does exist.

Two steps, cheapest first:

1. **Aggregate checks** that each prove impossibility on their own: a phase nobody can host
   (infrastructure, no centre), hours above the young-worker limits, a pupil whose modules do
   not fit in the weeks the pupil is there, a pupil who cannot reach the contract's 20 hours
   even alone, a company, mentor or centre that must host more pupil-weeks than it has over the
   whole year.
2. A **relaxed solve**: the same model with a penalised slack on every capacity, on the
   contract, on following theory with the class and on the end of the year. The slacks it has
   to use name the rules that conflict; the loads in its plan give the weeks and the numbers.
   That plan is returned as a *proposal*: it breaks exactly the rules listed, and is never
   presented as a valid plan.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from ortools.sat.python import cp_model

from scheduler.i18n import format_date, tr
from scheduler.model.programme import OAO_THRESHOLD_HOURS
from scheduler.model.scenario import Scenario, Weights
from scheduler.plan import Assignment, ExplanationItem
from scheduler.solver.builder import build_model
from scheduler.solver.constraints import young_worker_problems
from scheduler.solver.context import Pin
from scheduler.solver.data import HUNDRED, PupilData, SolverData, solver_data
from scheduler.solver.extract import extract


def _pupil_name(scenario: Scenario, pupil_id: str) -> str:
    pupil = scenario.pupil_by_id[pupil_id]
    return f"{pupil.display_name} ({pupil.id})"


def _company_name(scenario: Scenario, company_id: str) -> str:
    return tr(nl="Bedrijf ", en="Company ") + scenario.company_by_id[company_id].name


def _module_name(scenario: Scenario, module_id: str | None) -> str:
    if module_id is None:
        return tr(nl="de ervaringsperiode", en="the experience period")
    return scenario.module_by_id[module_id].module.name


def n_pupils(n: int) -> str:
    """``1 leerling`` / ``3 leerlingen`` (``1 pupil`` / ``3 pupils``)."""
    return tr(nl=f"{n} leerling" if n == 1 else f"{n} leerlingen",
              en=f"{n} pupil" if n == 1 else f"{n} pupils")  # fmt: skip


def week_span(mondays: Iterable[dt.date]) -> str:
    """Weeks as a planner reads them: ``week van 5 oktober 2026`` or ``weken van 5 oktober 2026
    tot 26 oktober 2026`` (runs of consecutive weeks joined by commas)."""
    days = sorted(set(mondays))
    runs: list[list[dt.date]] = []
    for day in days:
        if runs and (day - runs[-1][-1]).days <= 7:
            runs[-1].append(day)
        else:
            runs.append([day])
    if len(runs) > 3:
        return tr(
            nl=f"{len(days)} weken tussen {format_date(days[0])} en {format_date(days[-1])}",
            en=f"{len(days)} weeks between {format_date(days[0])} and {format_date(days[-1])}",
        )
    parts = []
    for run in runs:
        if len(run) == 1:
            parts.append(tr(nl="week van ", en="week of ") + format_date(run[0]))
        else:
            parts.append(
                tr(
                    nl=f"weken van {format_date(run[0])} tot {format_date(run[-1])}",
                    en=f"weeks of {format_date(run[0])} to {format_date(run[-1])}",
                )
            )
    return ", ".join(parts)


# --- step 1: aggregate checks -------------------------------------------------------------


def check_options(data: SolverData) -> list[ExplanationItem]:
    """Phases that no company or centre can host."""
    scenario = data.scenario
    items: dict[tuple[str, str | None, str], ExplanationItem] = {}
    for pupil in data.pupils:
        for spec in pupil.phases:
            if spec.options:
                continue
            if spec.kind == "simulated":
                key = ("centre_module", spec.module, pupil.school_id)
                school = scenario.school_by_id[pupil.school_id].name
                item = items.get(key) or ExplanationItem(
                    rule="centre_module",
                    message=tr(
                        nl=f"Geen opleidingscentrum biedt de gesimuleerde werkplek van "
                        f"{_module_name(scenario, spec.module)} aan voor {school}",
                        en=f"No training centre offers the simulated workplace of "
                        f"{_module_name(scenario, spec.module)} to {school}",
                    ),
                    fix=tr(
                        nl="voeg de module toe aan een centrum dat de school bedient, of laat "
                        "het centrum de school bedienen",
                        en="add the module to a centre that serves the school, or let the "
                        "centre serve the school",
                    ),
                    parties=[f"school:{pupil.school_id}"],
                )
            else:
                key = ("infrastructure", spec.module, pupil.home)
                item = items.get(key) or ExplanationItem(
                    rule="infrastructure",
                    message=tr(
                        nl=f"Geen enkel bedrijf kan {_module_name(scenario, spec.module)} "
                        f"opvangen voor de leerlingen van "
                        f"{_company_name(scenario, pupil.home)}: het heeft de infrastructuur "
                        "niet en geen partnerbedrijf dat ze wel heeft",
                        en=f"No company can host {_module_name(scenario, spec.module)} for "
                        f"the pupils of {_company_name(scenario, pupil.home)}: it lacks the "
                        "infrastructure and has no partner company that has it",
                    ),
                    fix=tr(
                        nl="voeg een partnerbedrijf met de nodige infrastructuur toe",
                        en="add a partner company with the infrastructure",
                    ),
                    parties=[f"company:{pupil.home}"],
                )
            if pupil.id not in item.pupils:
                item = item.model_copy(update={"pupils": [*item.pupils, pupil.id]})
            items[key] = item
    return list(items.values())


def check_young_workers(data: SolverData) -> list[ExplanationItem]:
    """Phases whose hours break the young-worker limits."""
    scenario = data.scenario
    found: dict[str, list[str]] = defaultdict(list)
    for pupil in data.pupils:
        for key in young_worker_problems(pupil):
            found[key].append(pupil.id)
    items = []
    for key, pupils in found.items():
        module, _, kind = key.partition(":")
        what = (
            tr(nl="de gewone week", en="the ordinary week")
            if key == "ordinary"
            else (
                _module_name(scenario, None)
                if key == "experience"
                else f"{kind} - {_module_name(scenario, module)}"
            )
        )
        items.append(
            ExplanationItem(
                rule="young_worker",
                message=tr(
                    nl=f"De uren van {what} overschrijden de grenzen voor jonge werknemers "
                    "(hoogstens 40 uur per week, 8 uur per dag, tussen 6 en 20 uur)",
                    en=f"The hours of {what} break the limits for young workers (at most 40 "
                    "hours a week, 8 hours a day, between 6:00 and 20:00)",
                ),
                fix=tr(
                    nl="verlaag de uren in het programma", en="lower the hours in the programme"
                ),
                pupils=pupils,
            )
        )
    return items


def check_time(data: SolverData) -> list[ExplanationItem]:
    """Pupils whose phases at their shortest need more weeks than the pupil is there."""
    scenario = data.scenario
    items = []
    for pupil in data.pupils:
        needed = sum(s.min_len for s in pupil.phases)
        available = sum(1 for t, d in enumerate(pupil.days) if d and t not in pupil.absent)
        if needed > available:
            items.append(
                ExplanationItem(
                    rule="year_end",
                    message=tr(
                        nl=f"{_pupil_name(scenario, pupil.id)} heeft minstens {needed} lesweken "
                        f"nodig voor de modules en de ervaringsperiode, maar is maar "
                        f"{available} lesweken beschikbaar",
                        en=f"{_pupil_name(scenario, pupil.id)} needs at least {needed} teaching "
                        f"weeks for the modules and the experience period, but is available "
                        f"for only {available}",
                    ),
                    fix=tr(
                        nl="markeer modules als verworven, verkort fasen of pas de start- of "
                        "einddatum aan",
                        en="mark modules as mastered, shorten phases or change the start or "
                        "leave date",
                    ),
                    pupils=[pupil.id],
                )
            )
    return items


def _solve_alone(
    scenario: Scenario,
    pupil_id: str,
    weights: Weights,
    skip: frozenset[str] = frozenset(),
    maximise_workplace: bool | None = None,
    time_limit: float = 2.0,
) -> tuple[int, float | None]:
    """Solve one pupil alone; optionally maximise (or minimise) its workplace hours instead of
    the objective. Returns the status and the workplace average found (hours/week)."""
    data = solver_data(scenario, [pupil_id])
    ctx = build_model(data, weights, symmetry=False, skip=skip)
    pupil = data.pupils[0]
    units = ctx.workplace_units.get(pupil.id)
    if maximise_workplace is not None and units is not None:
        ctx.model.ClearObjective()
        if maximise_workplace:
            ctx.model.Maximize(units)
        else:
            ctx.model.Minimize(units)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = 1
    status = solver.Solve(ctx.model)
    average = None
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) and units is not None and pupil.total_days:
        average = solver.Value(units) / (HUNDRED * pupil.total_days)
    return status, average


def check_pupils_alone(data: SolverData, weights: Weights, budget: float) -> list[ExplanationItem]:
    """Pupils for whom no plan exists even when they are planned alone, with the rule that
    makes it so (the contract, or the weeks they are there)."""
    scenario = data.scenario
    items: list[ExplanationItem] = []
    seen: dict[tuple, int] = {}
    per = max(0.3, min(2.0, budget / max(1, len(data.pupils))))
    for pupil in data.pupils:
        key = (pupil.class_id, pupil.home, pupil.contract, tuple(pupil.days), tuple(pupil.absent),
               tuple(pupil.ordinary_wp100), tuple(s.key for s in pupil.phases))  # fmt: skip
        if key not in seen:
            seen[key] = _solve_alone(scenario, pupil.id, weights, time_limit=per)[0]
        if seen[key] != cp_model.INFEASIBLE:
            continue
        status, _ = _solve_alone(
            scenario, pupil.id, weights, frozenset({"add_contract"}), None, per
        )
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            _, best = _solve_alone(
                scenario, pupil.id, weights, frozenset({"add_contract"}),
                maximise_workplace=pupil.contract == "oao", time_limit=per,
            )  # fmt: skip
            items.append(_contract_item(scenario, pupil, best, alone=True))
        else:
            items.append(
                ExplanationItem(
                    rule="year_end",
                    message=tr(
                        nl=f"Voor {_pupil_name(scenario, pupil.id)} bestaat zelfs alleen geen "
                        "plan: de modules passen niet in de weken waarin de leerling er is "
                        "(afwezigheden, sluitingen, afwezige mentor)",
                        en=f"No plan exists for {_pupil_name(scenario, pupil.id)} even alone: "
                        "the modules do not fit in the weeks the pupil is there (absences, "
                        "closures, absent mentor)",
                    ),
                    fix=tr(
                        nl="markeer modules als verworven, verkort fasen of kies een ander "
                        "bedrijf of een andere mentor",
                        en="mark modules as mastered, shorten phases or choose another "
                        "company or mentor",
                    ),
                    pupils=[pupil.id],
                    parties=[f"company:{pupil.home}", f"mentor:{pupil.mentor}"],
                )
            )
    return items


def _contract_item(
    scenario: Scenario, pupil: PupilData, average: float | None, alone: bool
) -> ExplanationItem:
    name = _pupil_name(scenario, pupil.id)
    shown = f"{average:.1f}".replace(".", ",") if average is not None else "?"
    if pupil.contract == "oao":
        message = tr(
            nl=f"{name} haalt {'zelfs met de langste praktijkfasen ' if alone else ''}"
            f"{'hoogstens' if alone else 'in dit plan'} {shown} uur per week op de werkplek; "
            f"een OAO vraagt gemiddeld minstens {OAO_THRESHOLD_HOURS} uur",
            en=f"{name} reaches {'even with the longest company phases ' if alone else ''}"
            f"{'at most' if alone else 'in this plan'} {shown} hours a week on the workplace; "
            f"an OAO needs at least {OAO_THRESHOLD_HOURS} hours on average",
        )
        fix = tr(
            nl="geef meer werkplekuren in de gewone week, verleng de praktijkfasen, of kies een "
            "stage-overeenkomst",
            en="give more workplace hours in the ordinary week, lengthen the company phases, or "
            "choose an internship agreement",
        )
    else:
        message = tr(
            nl=f"{name} komt {'zelfs met de kortste praktijkfasen ' if alone else ''}"
            f"{'minstens' if alone else 'in dit plan'} aan {shown} uur per week op de werkplek; "
            f"een stage-overeenkomst moet onder {OAO_THRESHOLD_HOURS} uur blijven",
            en=f"{name} has {'even with the shortest company phases ' if alone else ''}"
            f"{'at least' if alone else 'in this plan'} {shown} hours a week on the workplace; "
            f"an internship must stay below {OAO_THRESHOLD_HOURS} hours",
        )
        fix = tr(
            nl="verminder de werkplekuren in de gewone week, of kies een OAO",
            en="lower the workplace hours of the ordinary week, or choose an OAO",
        )
    return ExplanationItem(rule="contract", message=message, fix=fix, pupils=[pupil.id])


def check_year_capacity(data: SolverData) -> list[ExplanationItem]:
    """Companies, mentors and centres that must host more pupil-weeks over the whole year than
    their capacity allows (counting only phases that can go nowhere else)."""
    scenario = data.scenario
    weeks = data.weeks.mondays
    demand: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for pupil in data.pupils:
        for spec in pupil.phases:
            if not spec.options or spec.kind == "theory":
                continue
            places = {o.place for o in spec.options}
            mentors = {o.mentor for o in spec.options}
            if len(places) == 1:
                kind = "centre" if spec.kind == "simulated" else "company"
                demand[f"{kind}:{next(iter(places))}"].append((pupil.id, spec.min_len))
            if len(mentors) == 1 and None not in mentors:
                demand[f"mentor:{next(iter(mentors))}"].append((pupil.id, spec.min_len))
    items = []
    for party, needs in demand.items():
        kind, _, ident = party.partition(":")
        verb, verb_en = ("begeleiden", "guide") if kind == "mentor" else ("ontvangen", "take")
        total = sum(n for _, n in needs)
        pupils = sorted({p for p, _ in needs})
        if kind == "company":
            company = scenario.company_by_id[ident]
            supply = sum(company.capacity_in(m) for m in weeks)
            peak = company.capacity
            who = _company_name(scenario, ident)
            fix = tr(
                nl=f"verhoog de capaciteit tot minstens {-(-total // max(1, len(weeks)))} of "
                "kies een partnerbedrijf voor een deel van de leerlingen",
                en=f"raise the capacity to at least {-(-total // max(1, len(weeks)))} or choose "
                "a partner company for some of the pupils",
            )
        elif kind == "centre":
            centre = scenario.centre_by_id[ident]
            supply = sum(centre.seats_in(m) for m in weeks)
            peak = centre.seats
            who = tr(nl="Opleidingscentrum ", en="Training centre ") + centre.name
            fix = tr(nl="voorzie meer plaatsen of een tweede centrum",
                     en="provide more seats or a second centre")  # fmt: skip
        else:
            company, mentor = scenario.mentor_by_id[ident]
            supply = sum(0 if m in mentor.unavailable_weeks else mentor.max_pupils for m in weeks)
            peak = mentor.max_pupils
            who = tr(nl="Mentor ", en="Mentor ") + f"{mentor.name} ({company.name})"
            fix = tr(nl="laat een tweede mentor leerlingen begeleiden of verhoog het maximum",
                     en="let a second mentor guide pupils or raise the maximum")  # fmt: skip
        if total > supply:
            items.append(
                ExplanationItem(
                    rule=f"{kind}_capacity",
                    message=tr(
                        nl=f"{who} kan {n_pupils(peak)} tegelijk {verb}, samen "
                        f"{supply} leerling-weken over het schooljaar; {n_pupils(len(pupils))} "
                        f"hebben er samen minstens {total} weken nodig",
                        en=f"{who} can {verb_en} {n_pupils(peak)} at a time, {supply} pupil-weeks "
                        f"over the school year; {n_pupils(len(pupils))} need at least {total} "
                        "weeks there",
                    ),
                    fix=fix,
                    parties=[party],
                    pupils=pupils,
                )
            )
    return items


# --- step 2: the relaxed solve ------------------------------------------------------------


def _loads(
    assignments: list[Assignment], kind: str, key: str
) -> dict[str, dict[dt.date, list[str]]]:
    out: dict[str, dict[dt.date, list[str]]] = defaultdict(lambda: defaultdict(list))
    for a in assignments:
        if kind == "company" and a.phase in ("company", "experience") and a.place.kind == "company":
            out[a.place.id if key == "place" else (a.mentor or "")][a.week].append(a.pupil)
        elif kind == "centre" and a.phase == "simulated":
            out[a.place.id][a.week].append(a.pupil)
    return out


def _capacity_items(
    scenario: Scenario, assignments: list[Assignment], rule: str, party: str
) -> list[ExplanationItem]:
    kind, _, ident = party.partition(":")
    items = []
    if kind == "company":
        company = scenario.company_by_id[ident]
        per_week = _loads(assignments, "company", "place").get(ident, {})
        over = {w: p for w, p in per_week.items() if len(p) > company.capacity_in(w)}
        closed = sorted(w for w in over if not company.is_open(w))
        full = sorted(w for w in over if company.is_open(w))
        name = _company_name(scenario, ident)
        if closed:
            pupils = sorted({p for w in closed for p in over[w]})
            items.append(ExplanationItem(
                rule="company_closed",
                message=tr(
                    nl=f"{name} is gesloten in de {week_span(closed)}, maar "
                    f"{n_pupils(len(pupils))} moeten er dan zijn ({', '.join(pupils)})",
                    en=f"{name} is closed in the {week_span(closed)}, but "
                    f"{n_pupils(len(pupils))} need to be there then ({', '.join(pupils)})",
                ),
                fix=tr(nl="kies een partnerbedrijf voor die weken of verschuif de sluiting",
                       en="choose a partner company for those weeks or move the closure"),
                parties=[party], pupils=pupils, weeks=closed,
            ))  # fmt: skip
        if full:
            pupils = sorted({p for w in full for p in over[w]})
            most = max(len(over[w]) for w in full)
            cap = min(company.capacity_in(w) for w in full)
            items.append(ExplanationItem(
                rule="company_capacity",
                message=tr(
                    nl=f"{name} kan in de {week_span(full)} maar {n_pupils(cap)} tegelijk "
                    f"ontvangen; tot {most} leerlingen hebben er dan hun praktijkfase "
                    f"({', '.join(pupils)})",
                    en=f"{name} can take only {n_pupils(cap)} at a time in the "
                    f"{week_span(full)}; up to {most} pupils have their company phase there "
                    f"then ({', '.join(pupils)})",
                ),
                fix=tr(nl="verhoog de capaciteit of kies een partnerbedrijf",
                       en="raise the capacity or choose a partner company"),
                parties=[party], pupils=pupils, weeks=full,
            ))  # fmt: skip
    elif kind == "mentor":
        company, mentor = scenario.mentor_by_id[ident]
        per_week = _loads(assignments, "company", "mentor").get(ident, {})
        over = {
            w: p for w, p in per_week.items()
            if w in mentor.unavailable_weeks or len(p) > mentor.max_pupils
        }  # fmt: skip
        absent = sorted(w for w in over if w in mentor.unavailable_weeks)
        full = sorted(w for w in over if w not in mentor.unavailable_weeks)
        name = f"{mentor.name} ({company.name})"
        if absent:
            pupils = sorted({p for w in absent for p in over[w]})
            items.append(ExplanationItem(
                rule="mentor_absent",
                message=tr(
                    nl=f"Mentor {name} is afwezig in de {week_span(absent)}, maar "
                    f"{', '.join(pupils)} moet(en) dan bij deze mentor praktijk hebben",
                    en=f"Mentor {name} is away in the {week_span(absent)}, but "
                    f"{', '.join(pupils)} must be with this mentor then",
                ),
                fix=tr(nl="laat een andere mentor de leerling begeleiden of verschuif de fase",
                       en="let another mentor guide the pupil or move the phase"),
                parties=[party], pupils=pupils, weeks=absent,
            ))  # fmt: skip
        if full:
            pupils = sorted({p for w in full for p in over[w]})
            items.append(ExplanationItem(
                rule="mentor_capacity",
                message=tr(
                    nl=f"Mentor {name} kan maar {n_pupils(mentor.max_pupils)} tegelijk "
                    f"begeleiden; in de {week_span(full)} zijn het er tot "
                    f"{max(len(over[w]) for w in full)}",
                    en=f"Mentor {name} can guide only {n_pupils(mentor.max_pupils)} at a time; "
                    f"in the {week_span(full)} there are up to {max(len(over[w]) for w in full)}",
                ),
                fix=tr(nl="laat een tweede mentor leerlingen begeleiden of verhoog het maximum",
                       en="let a second mentor guide pupils or raise the maximum"),
                parties=[party], pupils=pupils, weeks=full,
            ))  # fmt: skip
    elif kind == "centre":
        centre = scenario.centre_by_id[ident]
        per_week = _loads(assignments, "centre", "place").get(ident, {})
        over = {w: p for w, p in per_week.items() if len(p) > centre.seats_in(w)}
        if over:
            weeks = sorted(over)
            pupils = sorted({p for w in weeks for p in over[w]})
            closed = [w for w in weeks if not centre.is_open(w)]
            items.append(ExplanationItem(
                rule="centre_closed" if closed else "centre_capacity",
                message=tr(
                    nl=f"Opleidingscentrum {centre.name} heeft in de {week_span(weeks)} te "
                    f"weinig plaatsen ({min(centre.seats_in(w) for w in weeks)}) voor "
                    f"{max(len(over[w]) for w in weeks)} leerlingen",
                    en=f"Training centre {centre.name} has too few seats in the "
                    f"{week_span(weeks)} ({min(centre.seats_in(w) for w in weeks)}) for "
                    f"{max(len(over[w]) for w in weeks)} pupils",
                ),
                fix=tr(nl="voorzie meer plaatsen of spreid de klassen",
                       en="provide more seats or spread the classes"),
                parties=[party], pupils=pupils, weeks=weeks,
            ))  # fmt: skip
    return items


def _visit_items(
    scenario: Scenario, assignments: list[Assignment], party: str
) -> list[ExplanationItem]:
    school_id = party.partition(":")[2]
    school = scenario.school_by_id[school_id]
    limit = scenario.teacher_visits_of(school)
    pupils_of = {p.id for p in scenario.pupils if scenario.school_of(p).id == school_id}
    per_week: dict[dt.date, list[str]] = defaultdict(list)
    for a in assignments:
        if a.visit and a.pupil in pupils_of:
            per_week[a.week].append(a.pupil)
    over = sorted(w for w, p in per_week.items() if len(p) > limit)
    if not over:
        return []
    return [ExplanationItem(
        rule="teacher_visits",
        message=tr(
            nl=f"{school.name} kan {limit} praktijktoetsen per week bezoeken; in de "
            f"{week_span(over)} eindigen er tot {max(len(per_week[w]) for w in over)} "
            "praktijkfasen",
            en=f"{school.name} can make {limit} practice-test visits a week; in the "
            f"{week_span(over)} up to {max(len(per_week[w]) for w in over)} company phases end",
        ),
        fix=tr(nl="verhoog het aantal bezoeken per week", en="raise the visits per week"),
        parties=[party], pupils=sorted({p for w in over for p in per_week[w]}), weeks=over,
    )]  # fmt: skip


def relaxed_solve(
    scenario: Scenario,
    data: SolverData,
    weights: Weights,
    *,
    time_limit: float,
    seed: int,
    workers: int,
    pins: list[Pin] | None,
) -> tuple[list[ExplanationItem], list[Assignment]]:
    """Solve with penalised slack and describe every slack the solution uses."""
    ctx = build_model(data, weights, relax=True, pins=pins, symmetry=False)
    solver = cp_model.CpSolver()
    # the cheapest relaxation is wanted, not a proof of it: a few seconds are enough
    solver.parameters.max_time_in_seconds = min(time_limit, 10.0)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    status = solver.Solve(ctx.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return [], []
    assignments, _ = extract(ctx, solver)
    items: list[ExplanationItem] = []
    used = [s for s in ctx.slacks if solver.Value(s.var) > 0]
    done: set[tuple[str, str]] = set()
    for slack in used:
        if (slack.rule, slack.party) in done:
            continue
        done.add((slack.rule, slack.party))
        if slack.rule in ("company_capacity", "mentor_capacity", "centre_capacity"):
            items += _capacity_items(scenario, assignments, slack.rule, slack.party)
        elif slack.rule == "teacher_visits":
            items += _visit_items(scenario, assignments, slack.party)
        elif slack.rule == "contract":
            pupil = data.pupil(slack.party.partition(":")[2])
            units = solver.Value(ctx.workplace_units[pupil.id])
            items.append(
                _contract_item(scenario, pupil, units / (HUNDRED * pupil.total_days), False)
            )
        elif slack.rule == "class_theory":
            pid = slack.party.partition(":")[2]
            pupil = scenario.pupil_by_id[pid]
            items.append(ExplanationItem(
                rule="class_theory",
                message=tr(
                    nl=f"{_pupil_name(scenario, pid)} kan de theorie van "
                    f"{_module_name(scenario, slack.detail.get('module'))} niet samen met klas "
                    f"{pupil.class_id} volgen (de leerling is er dan niet, of de klas heeft "
                    "die weken nodig voor de anderen)",
                    en=f"{_pupil_name(scenario, pid)} cannot follow the theory of "
                    f"{_module_name(scenario, slack.detail.get('module'))} with class "
                    f"{pupil.class_id} (the pupil is not there then, or the class needs those "
                    "weeks for the others)",
                ),
                fix=tr(nl="markeer de module als verworven of pas de start of afwezigheid aan",
                       en="mark the module as mastered or change the start or absence dates"),
                pupils=[pid], parties=[f"class:{pupil.class_id}"],
            ))  # fmt: skip
        elif slack.rule == "year_end":
            pid = slack.party.partition(":")[2]
            weeks_over = solver.Value(slack.var)
            items.append(ExplanationItem(
                rule="year_end",
                message=tr(
                    nl=f"De modules van {_pupil_name(scenario, pid)} passen niet in het "
                    f"schooljaar: er zijn {weeks_over} lesweken te weinig",
                    en=f"The modules of {_pupil_name(scenario, pid)} do not fit in the school "
                    f"year: {weeks_over} teaching weeks short",
                ),
                fix=tr(nl="markeer modules als verworven of verkort fasen",
                       en="mark modules as mastered or shorten phases"),
                pupils=[pid],
            ))  # fmt: skip
    return _merge(items), assignments


def _merge(items: list[ExplanationItem]) -> list[ExplanationItem]:
    """One item per distinct message (capacity slacks of several parties can describe the same
    overbooked weeks)."""
    out: dict[str, ExplanationItem] = {}
    for item in items:
        out.setdefault(item.message, item)
    return list(out.values())


def explain_part(
    scenario: Scenario,
    pupil_ids: list[str],
    weights: Weights,
    *,
    time_limit: float = 20.0,
    seed: int = 0,
    workers: int = 2,
    pins: list[Pin] | None = None,
) -> tuple[list[ExplanationItem], list[Assignment]]:
    """Explain why a part has no plan: aggregate findings first, then what a relaxed solve had
    to give up; returns the explanation and the relaxed plan (a proposal, or nothing when a
    phase cannot be placed anywhere)."""
    data = solver_data(scenario, pupil_ids)
    structural = check_options(data) + check_young_workers(data)
    if structural:
        return structural, []
    aggregate = check_time(data) + check_year_capacity(data)
    if not aggregate:
        aggregate = check_pupils_alone(data, weights, budget=min(10.0, time_limit / 2))
    relaxed, proposal = relaxed_solve(
        scenario, data, weights, time_limit=time_limit, seed=seed, workers=workers, pins=pins
    )
    covered = {(a.rule, p) for a in aggregate for p in a.pupils if a.rule == "contract"}
    items = aggregate + [
        r for r in relaxed
        if r.message not in {a.message for a in aggregate}
        and not any((r.rule, p) in covered for p in r.pupils)
    ]  # fmt: skip
    if not items:
        items = [
            ExplanationItem(
                rule="unknown",
                message=tr(
                    nl="Er bestaat geen plan, maar de oorzaak kon niet binnen de tijd worden "
                    "gevonden",
                    en="No plan exists, but the cause could not be found in time",
                ),
                fix=tr(
                    nl="probeer opnieuw met een langere tijdslimiet",
                    en="try again with a longer time limit",
                ),
            )
        ]
    return items, proposal


__all__ = ["explain_part", "week_span"]
