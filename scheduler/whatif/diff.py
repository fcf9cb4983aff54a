"""What differs between two plans of the same year: per pupil-week, per pupil, per party.

:func:`plan_diff` compares the plan everyone has in their calendar with a new one (a re-plan
after a change, or any other plan of the same scenario) and says:

- every pupil-week that changes, from -> to (phase, module, place, mentor, hours, absence,
  teacher visit); a week in only one of the plans counts too. The count is exact, not the
  solver's estimate;
- per pupil, the runs of changed weeks in words, and a changed home company or mentor;
- which companies, mentors and centres must be told (those of the week before and after);
- the key figures before and after (workplace hours, contract margins, waiting, utilisation);
- the independent validator's verdict on the new plan.

Text is in the planner's language at the time of the call (Dutch by default).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from scheduler.i18n import format_date, tr
from scheduler.kpis import plan_kpis, pupil_summaries
from scheduler.model.scenario import Scenario
from scheduler.plan import Assignment, ExplanationItem, Plan, PlanStatus, Violation, WeekHours
from scheduler.validate import validate_plan


class _DiffModel(BaseModel):
    model_config = ConfigDict(frozen=True)


class Side(_DiffModel):
    """One side of a changed pupil-week: what the pupil does that week in one plan."""

    phase: str
    module: str | None = None
    place: str = Field(description="kind:id, e.g. company:jansens.")
    mentor: str | None = None
    hours: WeekHours
    absent: bool = False
    visit: bool = False


class WeekChange(_DiffModel):
    """A pupil-week that differs: ``before`` or ``after`` is null when the week exists in only
    one plan; ``fields`` names what differs (or ``added``/``removed``)."""

    pupil: str
    week: dt.date
    before: Side | None
    after: Side | None
    fields: list[str]


class PupilChange(_DiffModel):
    """What changes for one pupil, in words, with the contract figures before and after."""

    pupil: str
    name: str
    weeks: int = Field(description="Changed weeks.")
    first_week: dt.date | None = None
    last_week: dt.date | None = None
    home_before: str | None = Field(default=None, description="company/mentor before.")
    home_after: str | None = Field(default=None, description="company/mentor after.")
    lines: list[str] = Field(default_factory=list, description="Runs of changed weeks, in words.")
    contract_before: str | None = None
    contract_after: str | None = None
    hours_before: float | None = Field(default=None, description="Workplace h/week before.")
    hours_after: float | None = Field(default=None, description="Workplace h/week after.")
    margin_before: float | None = None
    margin_after: float | None = None


PartyKind = Literal["company", "mentor", "centre"]


class PartyNotice(_DiffModel):
    """A company, mentor or centre that must be told: which pupils, which weeks."""

    party: str = Field(description="kind:id, e.g. company:jansens.")
    kind: PartyKind
    id: str
    name: str
    pupils: list[str]
    weeks: list[dt.date]
    message: str


class KpiRow(_DiffModel):
    """One key figure before and after, labelled in the planner's language."""

    key: str
    label: str
    before: Any = None
    after: Any = None


class Verdict(_DiffModel):
    """The independent validator's verdict: ``{"valid": bool, "violations": [...]}``."""

    valid: bool
    violations: list[Violation] = Field(default_factory=list)


class DiffReport(_DiffModel):
    """Everything that differs between a baseline plan and a new plan (JSON: ``to_json``)."""

    scenario: str
    school_year: str
    meta: dict[str, Any] | None = Field(default=None, description="The change file's meta.")
    status: PlanStatus = Field(description="Status of the new plan.")
    baseline_status: PlanStatus
    frozen_before: dt.date | None = Field(
        default=None, description="Weeks whose Monday lies before this date were frozen."
    )
    changed_pupil_weeks: int
    changed_pupils: int
    changes: list[WeekChange] = Field(default_factory=list)
    pupils: list[PupilChange] = Field(default_factory=list)
    parties: list[PartyNotice] = Field(default_factory=list)
    kpis: dict[str, dict[str, Any] | None] = Field(
        default_factory=dict, description="Key figures: {'before': {...}, 'after': {...}}."
    )
    kpi_rows: list[KpiRow] = Field(default_factory=list)
    validation: Verdict
    explanation: list[ExplanationItem] = Field(default_factory=list)
    changes_described: list[str] = Field(
        default_factory=list, description="The changes of the change file, in words."
    )
    notes: list[str] = Field(default_factory=list)

    def to_json(self) -> str:
        """The report as JSON text."""
        data = self.model_dump(mode="json")
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


# --- comparing ----------------------------------------------------------------------------


def side_of(a: Assignment) -> Side:
    """The comparable content of an assignment (hours rounded to 2 decimals)."""
    hours = WeekHours(
        school=round(a.hours.school, 2),
        centre=round(a.hours.centre, 2),
        workplace=round(a.hours.workplace, 2),
    )
    return Side(
        phase=a.phase,
        module=a.module,
        place=f"{a.place.kind}:{a.place.id}",
        mentor=a.mentor,
        hours=hours,
        absent=a.absent,
        visit=a.visit,
    )


FIELDS = ("phase", "module", "place", "mentor", "hours", "absent", "visit")


def week_changes(old_plan: Plan, new_plan: Plan) -> list[WeekChange]:
    """Every pupil-week that differs between two plans, in pupil and week order."""
    old = {(a.pupil, a.week): side_of(a) for a in old_plan.assignments}
    new = {(a.pupil, a.week): side_of(a) for a in new_plan.assignments}
    out = []
    for key in sorted(set(old) | set(new)):
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        if before is None:
            fields = ["added"]
        elif after is None:
            fields = ["removed"]
        else:
            fields = [f for f in FIELDS if getattr(before, f) != getattr(after, f)]
        out.append(WeekChange(pupil=key[0], week=key[1], before=before, after=after, fields=fields))
    return out


def plan_diff(
    old_scenario: Scenario,
    old_plan: Plan,
    new_scenario: Scenario,
    new_plan: Plan,
    *,
    meta: dict[str, Any] | None = None,
    frozen_before: dt.date | None = None,
    notes: list[str] | None = None,
    changes_described: list[str] | None = None,
) -> DiffReport:
    """What differs between ``old_plan`` (of ``old_scenario``) and ``new_plan`` (of
    ``new_scenario``, a revision of the same year), with the key figures of both and the
    validator's verdict on the new plan. A new plan without a solution has no changes (its
    proposal is not a plan) and no key figures after."""
    verdict = validate_plan(new_scenario, new_plan)
    old_valid = validate_plan(old_scenario, old_plan).valid
    solved = new_plan.has_solution
    changes = week_changes(old_plan, new_plan) if solved else []
    before_kpis = plan_figures(old_scenario, old_plan)
    after_kpis = plan_figures(new_scenario, new_plan) if solved else None
    n_pupils = len({c.pupil for c in changes})
    return DiffReport(
        scenario=new_scenario.meta.name,
        school_year=new_scenario.school_year,
        meta=meta,
        status=new_plan.status,
        baseline_status=old_plan.status,
        frozen_before=frozen_before,
        changed_pupil_weeks=len(changes),
        changed_pupils=n_pupils,
        changes=changes,
        pupils=_pupil_changes(old_scenario, old_plan, new_scenario, new_plan, changes, solved),
        parties=_parties(old_scenario, new_scenario, changes) if solved else [],
        kpis={"before": before_kpis, "after": after_kpis},
        kpi_rows=[
            *_kpi_rows(old_scenario, new_scenario, before_kpis, after_kpis, old_plan, new_plan),
            _row("changed_pupil_weeks", 0, len(changes) if solved else None),
            _row("valid", old_valid, verdict.valid),
        ],
        validation=Verdict(valid=verdict.valid, violations=verdict.violations),
        explanation=new_plan.explanation,
        changes_described=changes_described or [],
        notes=[*(notes or []), *_past_notes(old_scenario, new_scenario, changes, frozen_before)],
    )


def _past_notes(
    old_s: Scenario, new_s: Scenario, changes: list[WeekChange], before: dt.date | None
) -> list[str]:
    """A warning for every change in a frozen week. Frozen weeks keep their phase, place and
    mentor; only what the rules derive from them can differ: the practice test of a phase
    that now ends at the frozen boundary falls in its last frozen week, and hours follow the
    changed scenario (e.g. a new home company that was closed that week)."""
    if before is None:
        return []
    out = []
    for c in changes:
        if c.week >= before:
            continue
        if c.fields == ["visit"] and c.after is not None and c.after.visit:
            out.append(
                tr(
                    nl=f"{c.pupil}: {describe_side(new_s, c.after)} eindigt nu in de week van "
                    f"{format_date(c.week)}, die al voorbij is: plan de praktijktoets in",
                    en=f"{c.pupil}: {describe_side(new_s, c.after)} now ends in the week of "
                    f"{format_date(c.week)}, which has passed: schedule the practice test",
                )
            )
        else:
            out.append(
                tr(
                    nl=f"{c.pupil}, week van {format_date(c.week)} (al voorbij): "
                    f"{_change_text(old_s, new_s, c)}",
                    en=f"{c.pupil}, week of {format_date(c.week)} (already past): "
                    f"{_change_text(old_s, new_s, c)}",
                )
            )
    return out


def plan_figures(scenario: Scenario, plan: Plan) -> dict[str, Any]:
    """The plan's key figures (:func:`scheduler.kpis.plan_kpis`, recomputed from its
    assignments) plus overall utilisation of companies and centres and the objective."""
    kpis = plan_kpis(scenario, plan.assignments)
    for kind, capacity_key in (("companies", "capacity_weeks"), ("centres", "seat_weeks")):
        rows = kpis[kind].values()
        used = sum(r["pupil_weeks"] for r in rows)
        capacity = sum(r[capacity_key] for r in rows)
        kpis[f"{kind}_utilisation"] = round(used / capacity, 3) if capacity else None
    kpis["objective"] = plan.objective
    return kpis


# --- words --------------------------------------------------------------------------------


PHASE_WORDS = {
    "theory": ("theorie", "theory"),
    "simulated": ("gesimuleerde werkplek", "simulated workplace"),
    "company": ("praktijkfase", "company phase"),
    "experience": ("ervaringsperiode", "experience period"),
    "school": ("gewone week", "ordinary week"),
}


def _place_name(scenario: Scenario, place: str) -> str:
    kind, _, ident = place.partition(":")
    if kind == "company" and ident in scenario.company_by_id:
        return scenario.company_by_id[ident].name
    if kind == "centre" and ident in scenario.centre_by_id:
        return scenario.centre_by_id[ident].name
    if kind == "school" and ident in scenario.school_by_id:
        return scenario.school_by_id[ident].name
    return ident


def _mentor_name(scenario: Scenario, mentor_id: str | None) -> str | None:
    if mentor_id is None:
        return None
    found = scenario.mentor_by_id.get(mentor_id)
    return found[1].name if found else mentor_id


def describe_side(scenario: Scenario, side: Side | None) -> str:
    """A pupil-week in words: ``praktijkfase ELM bij Jansens Elektro NV (An Peeters)``."""
    if side is None:
        return tr(nl="niet ingepland", en="not planned")
    if side.absent:
        return tr(nl="afwezig", en="absent")
    nl, en = PHASE_WORDS.get(side.phase, (side.phase, side.phase))
    text = tr(nl=nl, en=en)
    if side.module:
        ref = scenario.module_by_id.get(side.module)
        text += f" {ref.module.label if ref else side.module}"
    if side.phase != "school":
        where = tr(nl=" bij ", en=" at ") if side.place.startswith("company:") else " - "
        text += where + _place_name(scenario, side.place)
    if side.mentor:
        text += f" ({_mentor_name(scenario, side.mentor)})"
    return text


def _hours_text(side: Side | None) -> str:
    if side is None:
        return "-"
    h = side.hours
    return tr(
        nl=f"school {h.school:g} u, centrum {h.centre:g} u, werkplek {h.workplace:g} u",
        en=f"school {h.school:g} h, centre {h.centre:g} h, workplace {h.workplace:g} h",
    )


def _span_text(first: dt.date, last: dt.date, n: int) -> str:
    if n == 1:
        return tr(nl="week van ", en="week of ") + format_date(first)
    return tr(
        nl=f"weken van {format_date(first)} tot {format_date(last)} ({n} weken)",
        en=f"weeks of {format_date(first)} to {format_date(last)} ({n} weeks)",
    )


def _change_text(old_s: Scenario, new_s: Scenario, change: WeekChange) -> str:
    before = describe_side(old_s, change.before)
    after = describe_side(new_s, change.after)
    if before != after:
        return f"{before} → {after}"
    if "hours" in change.fields:
        return f"{after}: {_hours_text(change.before)} → {_hours_text(change.after)}"
    if "visit" in change.fields:
        visit = change.after is not None and change.after.visit
        return f"{after}: " + (
            tr(nl="nu met praktijktoets (bezoek)", en="now with the practice test (visit)")
            if visit
            else tr(nl="geen praktijktoets meer", en="no practice test any more")
        )
    return after


def _pupil_changes(
    old_s: Scenario,
    old_plan: Plan,
    new_s: Scenario,
    new_plan: Plan,
    changes: list[WeekChange],
    solved: bool,
) -> list[PupilChange]:
    """Per pupil with changed weeks (or a changed home company or contract): runs of changed
    weeks in words, and the contract figures before and after."""
    weeks_of = defaultdict(list)
    for c in changes:
        weeks_of[c.pupil].append(c)
    old_sum = {s.pupil: s for s in pupil_summaries(old_s, old_plan.assignments)}
    new_sum = {s.pupil: s for s in pupil_summaries(new_s, new_plan.assignments)} if solved else {}
    teaching = [w.monday for w in new_s.school_calendar.weeks if w.school_days > 0]
    index = {m: i for i, m in enumerate(teaching)}
    ids = [p.id for p in old_s.pupils] + [
        p.id for p in new_s.pupils if p.id not in old_s.pupil_by_id
    ]
    out = []
    for pid in ids:
        old_p, new_p = old_s.pupil_by_id.get(pid), new_s.pupil_by_id.get(pid)
        home_before = f"{old_p.company}/{old_p.mentor}" if old_p else None
        home_after = f"{new_p.company}/{new_p.mentor}" if new_p else None
        before, after = old_sum.get(pid), new_sum.get(pid)
        items = weeks_of.get(pid, [])
        contract_changed = (before and after) and before.contract != after.contract
        if not items and home_before == home_after and not contract_changed:
            continue
        lines = []
        if old_p and new_p and home_before != home_after:
            lines.append(
                tr(
                    nl=f"thuisbedrijf: {old_s.company_by_id[old_p.company].name} "
                    f"({_mentor_name(old_s, old_p.mentor)}) → "
                    f"{new_s.company_by_id[new_p.company].name} "
                    f"({_mentor_name(new_s, new_p.mentor)})",
                    en=f"home company: {old_s.company_by_id[old_p.company].name} "
                    f"({_mentor_name(old_s, old_p.mentor)}) → "
                    f"{new_s.company_by_id[new_p.company].name} "
                    f"({_mentor_name(new_s, new_p.mentor)})",
                )
            )
        # runs of consecutive teaching weeks with the same change in words
        runs: list[tuple[str, list[dt.date]]] = []
        for c in items:
            text = _change_text(old_s, new_s, c)
            last = runs[-1][1][-1] if runs else None
            adjacent = last is not None and index.get(c.week, -9) - index.get(last, -99) == 1
            if runs and runs[-1][0] == text and adjacent:
                runs[-1][1].append(c.week)
            else:
                runs.append((text, [c.week]))
        for text, weeks in runs:
            lines.append(f"{_span_text(weeks[0], weeks[-1], len(weeks))}: {text}")
        person = new_p or old_p
        assert person is not None
        out.append(
            PupilChange(
                pupil=pid,
                name=person.display_name,
                weeks=len(items),
                first_week=items[0].week if items else None,
                last_week=items[-1].week if items else None,
                home_before=home_before,
                home_after=home_after,
                lines=lines,
                contract_before=before.contract if before else None,
                contract_after=after.contract if after else None,
                hours_before=before.workplace_hours_per_week if before else None,
                hours_after=after.workplace_hours_per_week if after else None,
                margin_before=before.margin if before else None,
                margin_after=after.margin if after else None,
            )
        )
    return out


def _parties(old_s: Scenario, new_s: Scenario, changes: list[WeekChange]) -> list[PartyNotice]:
    """Companies, mentors and centres of the changed weeks (before and after), and the old
    and new home companies and mentors of pupils who change home."""
    pupils: dict[str, set[str]] = defaultdict(set)
    weeks: dict[str, set[dt.date]] = defaultdict(set)
    for c in changes:
        for side in (c.before, c.after):
            if side is None:
                continue
            kind = side.place.partition(":")[0]
            touched = []
            if kind in ("company", "centre"):
                touched.append(side.place)
            if side.mentor:
                touched.append(f"mentor:{side.mentor}")
            for party in touched:
                pupils[party].add(c.pupil)
                weeks[party].add(c.week)
    for pupil in new_s.pupils:
        old = old_s.pupil_by_id.get(pupil.id)
        if old is None or (old.company, old.mentor) == (pupil.company, pupil.mentor):
            continue
        for party in (
            f"company:{old.company}",
            f"company:{pupil.company}",
            f"mentor:{old.mentor}",
            f"mentor:{pupil.mentor}",
        ):
            pupils[party].add(pupil.id)
    out = []
    order = {"company": 0, "mentor": 1, "centre": 2}
    for party in sorted(pupils, key=lambda p: (order[p.partition(":")[0]], p)):
        kind, _, ident = party.partition(":")
        if kind == "mentor":
            name = _mentor_name(new_s, ident) or _mentor_name(old_s, ident) or ident
        else:
            name = _place_name(new_s, party)
        who, when = sorted(pupils[party]), sorted(weeks[party])
        n, w = len(who), len(when)
        out.append(
            PartyNotice(
                party=party,
                kind=kind,  # type: ignore[arg-type]
                id=ident,
                name=name,
                pupils=who,
                weeks=when,
                message=tr(
                    nl=f"{name}: {n} {'leerling' if n == 1 else 'leerlingen'} "
                    f"({', '.join(who)}), {w} {'week' if w == 1 else 'weken'} gewijzigd",
                    en=f"{name}: {n} {'pupil' if n == 1 else 'pupils'} ({', '.join(who)}), "
                    f"{w} {'week' if w == 1 else 'weeks'} changed",
                ),
            )
        )
    return out


FIGURES = (
    "objective",
    "pupils",
    "workplace_hours_avg",
    "oao_min_margin",
    "oao_below_20",
    "internship_at_or_above_20",
    "waiting_weeks",
    "away_from_home_weeks",
    "companies_utilisation",
    "centres_utilisation",
)
"""The key figures of :func:`plan_figures` shown before and after (and by ``compare``)."""

KPI_LABELS: dict[str, tuple[str, str]] = {
    "status": ("status", "status"),
    "valid": ("geldig (onafhankelijke controle)", "valid (independent check)"),
    "objective": ("doelfunctie", "objective"),
    "changed_pupil_weeks": ("gewijzigde leerling-weken", "changed pupil-weeks"),
    "pupils": ("leerlingen", "pupils"),
    "workplace_hours_avg": ("werkplekuren per week (gemiddeld)", "workplace hours a week (mean)"),
    "oao_min_margin": ("kleinste OAO-marge (uur)", "smallest OAO margin (h)"),
    "oao_below_20": ("OAO-leerlingen onder 20 uur", "OAO pupils below 20 h"),
    "internship_at_or_above_20": ("stageleerlingen vanaf 20 uur", "internship pupils at 20 h+"),
    "waiting_weeks": ("wachtweken tussen fasen", "weeks waiting between phases"),
    "away_from_home_weeks": ("weken bij een ander bedrijf", "weeks at another company"),
    "companies_utilisation": ("bezetting bedrijven", "company utilisation"),
    "centres_utilisation": ("bezetting centra", "centre utilisation"),
}


def _row(key: str, before: Any, after: Any, label: str | None = None) -> KpiRow:
    nl, en = KPI_LABELS.get(key, (key, key))
    return KpiRow(key=key, label=label or tr(nl=nl, en=en), before=before, after=after)


def _kpi_rows(
    old_s: Scenario,
    new_s: Scenario,
    before: dict[str, Any],
    after: dict[str, Any] | None,
    old_plan: Plan,
    new_plan: Plan,
) -> list[KpiRow]:
    """The key figures side by side; per company and centre only those whose use changed."""

    row = _row
    after = after or {}
    rows = [
        row("status", old_plan.status, new_plan.status),
    ]
    for key in FIGURES:
        rows.append(row(key, before.get(key), after.get(key)))
    for kind, names in (("companies", old_s.company_by_id), ("centres", old_s.centre_by_id)):
        old_rows, new_rows = before.get(kind) or {}, after.get(kind) or {}
        for ident in sorted(set(old_rows) | set(new_rows)):
            b, a = old_rows.get(ident), new_rows.get(ident)
            if a is None or b == a:
                continue
            party = names.get(ident) or (new_s.company_by_id | new_s.centre_by_id).get(ident)
            name = party.name if party else ident
            rows.append(
                row(
                    f"{kind}.{ident}.utilisation",
                    b["utilisation"] if b else None,
                    a["utilisation"],
                    label=tr(nl=f"bezetting {name}", en=f"utilisation {name}"),
                )
            )
    return rows
