"""Plans for people: rich tables and short texts in the planner's language.

Used by ``scheduler solve`` (the summary at the end), ``scheduler whatif`` and ``compare``.
"""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from scheduler.i18n import tr
from scheduler.model.programme import OAO_THRESHOLD_HOURS
from scheduler.model.scenario import Scenario
from scheduler.plan import Plan

STATUS_TEXT = {
    "optimal": ("optimaal plan", "optimal plan", "green"),
    "feasible": ("geldig plan (niet bewezen optimaal)", "valid plan (not proven optimal)", "green"),
    "infeasible": ("geen plan mogelijk", "no plan exists", "red"),
    "unknown": ("geen plan gevonden binnen de tijdslimiet", "no plan found in time", "yellow"),
}

TERM_NAMES = {
    "waiting": ("wachtweken tussen fasen", "weeks waiting between phases"),
    "away_from_home": ("weken bij een ander bedrijf", "weeks at another company"),
    "other_mentor": ("weken bij een andere mentor", "weeks with another mentor"),
    "load_peak": ("drukste weken (som van pieken)", "busiest weeks (sum of peaks)"),
    "class_spread": ("spreiding van klassen in het centrum", "classes spread at the centre"),
    "oao_margin": ("uren onder de OAO-marge", "hours below the OAO margin"),
}


def status_line(plan: Plan) -> Text:
    """``✓ optimaal plan (12.3 s, doelfunctie 284.5)``."""
    nl, en, colour = STATUS_TEXT[plan.status]
    text = Text()
    text.append("✓ " if plan.has_solution else "✗ ", style=f"bold {colour}")
    text.append(tr(nl=nl, en=en), style=f"bold {colour}")
    details = [f"{plan.solve_seconds:.1f} s"]
    if plan.objective is not None:
        details.append(tr(nl=f"doelfunctie {plan.objective:g}", en=f"objective {plan.objective:g}"))
    if plan.bound is not None and plan.status == "feasible":
        details.append(tr(nl=f"ondergrens {plan.bound:g}", en=f"lower bound {plan.bound:g}"))
    if plan.gap is not None and plan.status == "feasible":
        details.append(tr(nl=f"kloof {plan.gap:.1%}", en=f"gap {plan.gap:.1%}"))
    text.append(f" ({', '.join(details)})")
    return text


def pupils_table(scenario: Scenario, plan: Plan) -> Table:
    """Per pupil: class, contract, workplace hours per week, margin (red where short)."""
    table = Table(
        title=tr(nl="Leerlingen: werkplekuren per week", en="Pupils: workplace hours a week")
    )
    for header in (
        tr(nl="leerling", en="pupil"),
        tr(nl="klas", en="class"),
        tr(nl="contract", en="contract"),
        tr(nl="uur/week", en="h/week"),
        tr(nl="marge", en="margin"),
    ):
        table.add_column(header)
    for summary in plan.pupils:
        pupil = scenario.pupil_by_id.get(summary.pupil)
        if pupil is None:
            continue
        ok = (summary.margin >= 0) == (summary.contract == "oao")
        contract = "OAO" if summary.contract == "oao" else tr(nl="stage", en="internship")
        table.add_row(
            f"{pupil.display_name} ({pupil.id})",
            pupil.class_id,
            contract,
            f"{summary.workplace_hours_per_week:.2f}",
            Text(f"{summary.margin:+.2f}", style="green" if ok else "bold red"),
        )
    table.caption = tr(
        nl=f"OAO: gemiddeld minstens {OAO_THRESHOLD_HOURS} uur per week op een echte werkplek; "
        f"stage: minder dan {OAO_THRESHOLD_HOURS}",
        en=f"OAO: at least {OAO_THRESHOLD_HOURS} hours a week on a real workplace on average; "
        f"internship: below {OAO_THRESHOLD_HOURS}",
    )
    return table


def utilisation_table(scenario: Scenario, plan: Plan) -> Table:
    """Per company and centre: pupil-weeks, capacity-weeks, utilisation, busiest week."""
    table = Table(title=tr(nl="Bezetting", en="Utilisation"))
    for header in (
        tr(nl="plaats", en="place"),
        tr(nl="leerling-weken", en="pupil-weeks"),
        tr(nl="capaciteit", en="capacity"),
        tr(nl="bezetting", en="utilisation"),
        tr(nl="piek", en="peak"),
    ):
        table.add_column(header)
    kpis = plan.kpis or {}
    for centre_id, row in (kpis.get("centres") or {}).items():
        centre = scenario.centre_by_id.get(centre_id)
        name = centre.name if centre else centre_id
        table.add_row(
            f"{name} ({tr(nl='centrum', en='centre')})",
            str(row["pupil_weeks"]),
            str(row["seat_weeks"]),
            f"{row['utilisation']:.0%}" if row["utilisation"] is not None else "-",
            str(row["peak"]),
        )
    for company_id, row in (kpis.get("companies") or {}).items():
        company = scenario.company_by_id.get(company_id)
        name = company.name if company else company_id
        table.add_row(
            name,
            str(row["pupil_weeks"]),
            str(row["capacity_weeks"]),
            f"{row['utilisation']:.0%}" if row["utilisation"] is not None else "-",
            str(row["peak"]),
        )
    return table


def terms_table(plan: Plan) -> Table:
    """The objective terms, each in its own unit."""
    table = Table(title=tr(nl="Doelfunctie per term", en="Objective by term"))
    table.add_column(tr(nl="term", en="term"))
    table.add_column(tr(nl="waarde", en="value"))
    table.add_column(tr(nl="gewicht", en="weight"))
    weights = (plan.solver or {}).get("weights", {})
    for key, value in plan.objective_terms.items():
        nl, en = TERM_NAMES.get(key, (key, key))
        table.add_row(tr(nl=nl, en=en), f"{value:g}", str(weights.get(key, "")))
    return table


def explanation_panel(plan: Plan) -> Panel:
    """Why no plan exists, and what would resolve it."""
    lines = []
    for i, item in enumerate(plan.explanation, 1):
        lines.append(Text(f"{i}. {item.message}.", style="bold"))
        if item.fix:
            lines.append(Text("   → " + item.fix[0].upper() + item.fix[1:] + ".", style="italic"))
    if plan.proposal:
        lines.append(
            Text(
                tr(
                    nl=f"Een voorstel dat enkel deze regels breekt, staat in het plan "
                    f"({len(plan.violations)} overtredingen, gemarkeerd): het is geen geldig plan.",
                    en=f"A proposal that breaks only these rules is in the plan "
                    f"({len(plan.violations)} violations, marked): it is not a valid plan.",
                ),
                style="yellow",
            )
        )
    return Panel(
        Group(*lines),
        title=tr(nl="Waarom er geen plan is", en="Why there is no plan"),
        border_style="red",
    )


def print_plan_summary(
    console: Console, scenario: Scenario, plan: Plan, *, details: bool = True
) -> None:
    """The summary ``scheduler solve`` prints at the end."""
    console.print(status_line(plan))
    if plan.explanation:
        console.print(explanation_panel(plan), soft_wrap=False)
    if not plan.has_solution:
        return
    kpis = plan.kpis or {}
    margin = kpis.get("oao_min_margin")
    shown = f"{margin:g}" if margin is not None else "-"
    console.print(
        tr(
            nl=f"{kpis.get('pupils', 0)} leerlingen ({kpis.get('oao_pupils', 0)} OAO, "
            f"{kpis.get('internship_pupils', 0)} stage), gemiddeld "
            f"{kpis.get('workplace_hours_avg') or 0:.1f} uur per week op de werkplek; kleinste "
            f"OAO-marge {shown} uur; "
            f"{kpis.get('waiting_weeks', 0)} wachtweken; {kpis.get('away_from_home_weeks', 0)} "
            "weken bij een ander bedrijf.",
            en=f"{kpis.get('pupils', 0)} pupils ({kpis.get('oao_pupils', 0)} OAO, "
            f"{kpis.get('internship_pupils', 0)} internship), on average "
            f"{kpis.get('workplace_hours_avg') or 0:.1f} hours a week on the workplace; smallest "
            f"OAO margin {shown} h; "
            f"{kpis.get('waiting_weeks', 0)} weeks waiting; {kpis.get('away_from_home_weeks', 0)} "
            "weeks at another company.",
        )
    )
    if details:
        console.print(pupils_table(scenario, plan))
        console.print(utilisation_table(scenario, plan))
        console.print(terms_table(plan))
