"""What-if results for people: the diff report and comparisons of variants as rich tables."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from scheduler.i18n import format_date, tr
from scheduler.report import STATUS_TEXT
from scheduler.whatif.diff import FIGURES, KPI_LABELS, DiffReport, KpiRow


def _value(value: Any, key: str = "") -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return tr(nl="ja", en="yes") if value else tr(nl="nee", en="no")
    if key == "status" and value in STATUS_TEXT:
        nl, en, _ = STATUS_TEXT[value]
        return tr(nl=nl, en=en)
    if key.endswith("utilisation") and isinstance(value, int | float):
        return f"{value:.0%}"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _delta(row: KpiRow) -> Text:
    b, a = row.before, row.after
    if isinstance(b, bool) or isinstance(a, bool) or b is None or a is None:
        return Text("")
    if not isinstance(b, int | float) or not isinstance(a, int | float) or a == b:
        return Text("")
    d = a - b
    text = f"{d:+.0%}" if row.key.endswith("utilisation") else f"{d:+g}"
    return Text(text)


def kpi_table(report: DiffReport) -> Table:
    """The key figures before and after, side by side."""
    table = Table(title=tr(nl="Kerncijfers voor en na", en="Key figures before and after"))
    table.add_column(tr(nl="kerncijfer", en="figure"))
    table.add_column(tr(nl="voor", en="before"), justify="right")
    table.add_column(tr(nl="na", en="after"), justify="right")
    table.add_column(tr(nl="verschil", en="change"), justify="right")
    for row in report.kpi_rows:
        table.add_row(
            row.label, _value(row.before, row.key), _value(row.after, row.key), _delta(row)
        )
    return table


def pupils_table(report: DiffReport) -> Table:
    """Per pupil: what changes, in words, and the contract figures before and after."""
    table = Table(title=tr(nl="Wat verandert per leerling", en="What changes per pupil"))
    table.add_column(tr(nl="leerling", en="pupil"))
    table.add_column(tr(nl="weken", en="weeks"), justify="right")
    table.add_column(tr(nl="van → naar", en="from → to"))
    table.add_column(tr(nl="werkplek u/week", en="workplace h/week"), justify="right")
    for p in report.pupils:
        hours = f"{_value(p.hours_before)} → {_value(p.hours_after)}"
        if p.contract_before != p.contract_after and p.contract_after:
            hours += f" ({p.contract_before} → {p.contract_after})"
        table.add_row(
            f"{escape(p.name)} ({p.pupil})", str(p.weeks), escape("\n".join(p.lines)), hours
        )
    return table


def parties_table(report: DiffReport) -> Table:
    """Who must be told: companies, mentors and centres, with pupils and weeks."""
    table = Table(title=tr(nl="Wie verwittigen", en="Who to tell"))
    table.add_column(tr(nl="wie", en="who"))
    table.add_column(tr(nl="soort", en="kind"))
    table.add_column(tr(nl="leerlingen", en="pupils"))
    table.add_column(tr(nl="weken", en="weeks"))
    kinds = {
        "company": tr(nl="bedrijf", en="company"),
        "mentor": tr(nl="mentor", en="mentor"),
        "centre": tr(nl="centrum", en="centre"),
    }
    for party in report.parties:
        if party.weeks:
            first, last = format_date(party.weeks[0]), format_date(party.weeks[-1])
            weeks = f"{len(party.weeks)} ({first} – {last})" if len(party.weeks) > 1 else first
        else:
            weeks = tr(nl="nieuw thuisbedrijf/mentor", en="new home company/mentor")
        table.add_row(escape(party.name), kinds[party.kind], ", ".join(party.pupils), weeks)
    return table


def print_diff(console: Console, report: DiffReport) -> None:
    """The what-if report on the terminal: status, changes, who to tell, key figures, verdict."""
    meta = report.meta or {}
    nl, en, colour = STATUS_TEXT[report.status]
    head = Text()
    head.append(tr(nl="Wat-als", en="What-if"), style="bold")
    if meta.get("name"):
        head.append(f" {meta['name']}", style="bold")
    head.append(": ")
    head.append(tr(nl=nl, en=en), style=f"bold {colour}")
    console.print(head)
    if meta.get("description"):
        console.print(escape(str(meta["description"])))
    for line in report.changes_described:
        console.print(f"  • {escape(line)}")
    if report.frozen_before is not None:
        console.print(
            tr(
                nl=f"Weken vóór {format_date(report.frozen_before)} blijven zoals gepland.",
                en=f"Weeks before {format_date(report.frozen_before)} stay as planned.",
            )
        )
    for note in report.notes:
        console.print(f"[yellow]! {escape(note)}[/]")
    if report.explanation:
        console.print(tr(nl="[bold red]Waarom er geen plan is:[/]", en="[bold red]Why no plan:[/]"))
        for i, item in enumerate(report.explanation, 1):
            console.print(f"  {i}. {escape(item.message)}.")
            if item.fix:
                console.print(f"     → {escape(item.fix[0].upper() + item.fix[1:])}.")
    if report.status in ("optimal", "feasible"):
        n, p = report.changed_pupil_weeks, report.changed_pupils
        console.print(
            tr(
                nl=f"{n} {'leerling-week wijzigt' if n == 1 else 'leerling-weken wijzigen'} "
                f"bij {p} {'leerling' if p == 1 else 'leerlingen'}.",
                en=f"{n} pupil-{'week changes' if n == 1 else 'weeks change'} for {p} "
                f"{'pupil' if p == 1 else 'pupils'}.",
            )
        )
        if report.pupils:
            console.print(pupils_table(report))
        if report.parties:
            console.print(parties_table(report))
    console.print(kpi_table(report))
    if report.validation.valid:
        console.print(
            tr(
                nl="[bold green]✓ Het nieuwe plan is geldig[/] (onafhankelijke controle: alle "
                "regels gerespecteerd)",
                en="[bold green]✓ The new plan is valid[/] (independent check: every rule "
                "respected)",
            )
        )
    else:
        rules = sorted({v.rule for v in report.validation.violations})
        console.print(
            tr(
                nl=f"[bold red]✗ Het nieuwe plan is niet geldig[/] ({', '.join(rules)})",
                en=f"[bold red]✗ The new plan is not valid[/] ({', '.join(rules)})",
            )
        )
        for v in report.validation.violations[:20]:
            if v.rule != "no_solution":
                console.print(f"  [red]✗[/] {v.rule}: {escape(v.message)}")


COMPARE_KEYS = ("status", "valid", "changed_pupil_weeks", *FIGURES)
"""The key figures ``scheduler compare`` puts side by side, in this order."""


def compare_table(variants: Sequence[dict[str, Any]]) -> Table:
    """Variants side by side: one column per variant, one row per key figure. Each variant is
    ``{"name": ..., "kpis": {key: value}}``."""
    table = Table(title=tr(nl="Varianten naast elkaar", en="Variants side by side"))
    table.add_column(tr(nl="kerncijfer", en="figure"))
    for v in variants:
        table.add_column(escape(str(v["name"])), justify="right")
    for key in COMPARE_KEYS:
        nl, en = KPI_LABELS.get(key, (key, key))
        table.add_row(tr(nl=nl, en=en), *(_value(v["kpis"].get(key), key) for v in variants))
    return table
