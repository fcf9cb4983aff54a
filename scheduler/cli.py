"""The ``scheduler`` command line (typer + rich).

Exit codes shared by every command: 0 success; 2 bad input or usage (a clear message, never a
traceback). ``solve`` adds 3 (no plan exists) and 4 (time limit without a plan); ``validate``
adds 1 (the plan breaks rules).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from scheduler.errors import ScenarioError, SchedulerError, UsageError
from scheduler.i18n import set_language, tr

EXIT_OK = 0
EXIT_INVALID_PLAN = 1
EXIT_BAD_INPUT = 2
EXIT_INFEASIBLE = 3
EXIT_TIME_LIMIT = 4

app = typer.Typer(
    name="scheduler",
    help="Planning engine for dual learning (duaal leren) in Flanders.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

F = TypeVar("F", bound=Callable[..., Any])


def fail(error: SchedulerError) -> typer.Exit:
    """Print a user mistake clearly (no traceback) and return the exit for bad input."""
    problems = getattr(error, "problems", None)
    if problems:
        for problem in problems:
            err.print(f"[bold red]{tr(nl='fout', en='error')}:[/] {problem}", markup=True)
    else:
        err.print(f"[bold red]{tr(nl='fout', en='error')}:[/] {error}", markup=True)
    return typer.Exit(EXIT_BAD_INPUT)


def user_errors(func: F) -> F:
    """Turn :class:`SchedulerError` raised by a command into a clean message and exit 2."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except SchedulerError as exc:
            raise fail(exc) from None

    return wrapper  # type: ignore[return-value]


@app.callback()
def _main(
    lang: Annotated[
        str,
        typer.Option(
            "--lang",
            envvar="SCHEDULER_LANG",
            help="Language of messages: nl (default) or en.",
        ),
    ] = "nl",
) -> None:
    """Planning engine for dual learning (duaal leren) in Flanders."""
    if lang.lower()[:2] not in {"nl", "en"}:
        err.print(f"--lang: '{lang}' must be nl or en")
        raise typer.Exit(EXIT_BAD_INPUT)
    set_language(lang)


def load(path: Path) -> Any:
    """Load a scenario file (errors become a clean exit 2 through :func:`user_errors`)."""
    from scheduler.files import load_scenario

    return load_scenario(path)


@app.command()
@user_errors
def check(
    file: Annotated[Path, typer.Argument(help="Scenario file (YAML or JSON).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the overview as JSON.")] = False,
) -> None:
    """Validate a scenario file and print a short overview."""
    from dataclasses import asdict

    from scheduler.overview import overview

    scenario = load(file)
    view = overview(scenario)
    if as_json:
        out.print_json(json.dumps(asdict(view), ensure_ascii=False))
        return
    out.print(
        tr(
            nl=f"[bold green]✓[/] {file}: scenario [bold]{view.name}[/] is in orde "
            f"(schooljaar {view.school_year})",
            en=f"[bold green]✓[/] {file}: scenario [bold]{view.name}[/] is valid "
            f"(school year {view.school_year})",
        )
    )
    if view.description:
        out.print(view.description)
    out.print(
        tr(
            nl=f"{view.pupils} leerlingen in {len(view.classes)} klassen van {view.schools} "
            f"school/scholen; {view.companies} bedrijven ({view.company_capacity} plaatsen, "
            f"{view.mentors} mentoren); {view.centres} opleidingscentra "
            f"({view.centre_seats} plaatsen per week); {view.teaching_weeks} lesweken, "
            f"{view.school_days} schooldagen.",
            en=f"{view.pupils} pupils in {len(view.classes)} classes of {view.schools} "
            f"school(s); {view.companies} companies ({view.company_capacity} places, "
            f"{view.mentors} mentors); {view.centres} training centres "
            f"({view.centre_seats} seats a week); {view.teaching_weeks} teaching weeks, "
            f"{view.school_days} school days.",
        )
    )
    table = Table(title=tr(nl="Ruimte per klas", en="Room per class"))
    for header in (
        tr(nl="klas", en="class"),
        tr(nl="jaar", en="year"),
        tr(nl="lln (OAO)", en="pupils (OAO)"),
        tr(nl="weken", en="weeks"),
        tr(nl="dagen", en="days"),
        tr(nl="nodig", en="needed"),
        tr(nl="werkplek u/w", en="workplace h/wk"),
    ):
        table.add_column(header)
    for c in view.classes:
        table.add_row(
            c.class_id,
            str(c.year),
            f"{c.pupils} ({c.oao_pupils})",
            str(c.teaching_weeks),
            str(c.school_days),
            f"{c.weeks_needed_min}-{c.weeks_needed_max}",
            f"± {c.workplace_avg_min:.1f}-{c.workplace_avg_max:.1f}",
        )
    out.print(table)


@app.command()
@user_errors
def calendar(
    school_year: Annotated[str, typer.Argument(help="School year, e.g. 2026-2027.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the calendar as JSON.")] = False,
) -> None:
    """Print the Flemish school calendar of a school year (holidays, free days, weeks)."""
    from scheduler.i18n import format_date
    from scheduler.model.calendar import calendar_as_json, flemish_calendar

    try:
        cal = flemish_calendar(school_year)
    except ValueError as exc:
        raise ScenarioError(f"SCHOOL_YEAR: {exc}") from None
    if as_json:
        sys.stdout.write(json.dumps(calendar_as_json(cal), ensure_ascii=False, indent=2) + "\n")
        return
    out.print(
        tr(
            nl=f"[bold]Schooljaar {cal.school_year}[/]: van {format_date(cal.first_day)} "
            f"tot {format_date(cal.last_day)}",
            en=f"[bold]School year {cal.school_year}[/]: from {format_date(cal.first_day)} "
            f"to {format_date(cal.last_day)}",
        )
    )
    table = Table(title=tr(nl="Vakanties", en="Holidays"))
    table.add_column(tr(nl="vakantie", en="holiday"))
    table.add_column(tr(nl="van", en="from"))
    table.add_column(tr(nl="tot en met", en="to"))
    for h in cal.holidays:
        table.add_row(h.name, format_date(h.start), format_date(h.end))
    out.print(table)
    free = Table(title=tr(nl="Vrije dagen", en="Free days"))
    free.add_column(tr(nl="dag", en="day"))
    free.add_column(tr(nl="datum", en="date"))
    for f in cal.free_days:
        free.add_row(f.name, format_date(f.date))
    out.print(free)
    teaching = [w for w in cal.weeks if w.school_days]
    out.print(
        tr(
            nl=f"{len(teaching)} lesweken, {sum(w.school_days for w in teaching)} schooldagen; "
            f"onvolledige weken: "
            + ", ".join(f"{w.monday} ({w.school_days})" for w in teaching if w.school_days < 5),
            en=f"{len(teaching)} teaching weeks, {sum(w.school_days for w in teaching)} school "
            f"days; short weeks: "
            + ", ".join(f"{w.monday} ({w.school_days})" for w in teaching if w.school_days < 5),
        )
    )


@app.command()
@user_errors
def validate(
    scenario_file: Annotated[Path, typer.Argument(help="Scenario file (YAML or JSON).")],
    plan_file: Annotated[Path, typer.Argument(help="Plan file (JSON) to check.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Check a plan against every rule (docs/rules.md): exit 0 valid, 1 violations, 2 bad input."""
    from rich.markup import escape

    from scheduler.plan import load_plan
    from scheduler.validate import validate_plan

    scenario = load(scenario_file)
    plan = load_plan(plan_file)
    report = validate_plan(scenario, plan, source=str(plan_file))
    if as_json:
        sys.stdout.write(report.to_json())
    else:
        for v in report.violations:  # the message names the pupil, the week and the party
            out.print(f"[red]✗[/] [bold]{v.rule}[/]: {escape(v.message)}")
        colour = "green" if report.valid else "red"
        out.print(f"[bold {colour}]{escape(report.summary())}[/]")
    if not report.valid:
        raise typer.Exit(EXIT_INVALID_PLAN)


@app.command()
@user_errors
def schema(
    kind: Annotated[
        str, typer.Argument(help="Which format: scenario (default), programme or plan.")
    ] = "scenario",
) -> None:
    """Print the JSON Schema of the scenario file format (or of a programme or plan)."""
    from scheduler.schemas import json_schema

    sys.stdout.write(json.dumps(json_schema(kind), ensure_ascii=False, indent=2) + "\n")


@app.command()
@user_errors
def generate(
    pupils: Annotated[int, typer.Option("--pupils", help="Number of pupils (50, 500, ...).")],
    seed: Annotated[int, typer.Option("--seed", help="Random seed: same seed, same file.")] = 0,
    tight: Annotated[
        bool,
        typer.Option("--tight", help="No margins: limits at their minimum; may be impossible."),
    ] = False,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write to this file (default: stdout).")
    ] = None,
    companies: Annotated[int | None, typer.Option(help="Companies (default ≈ pupils/2).")] = None,
    centres: Annotated[
        int | None, typer.Option(help="Training centres = regions (default ≈ pupils/250).")
    ] = None,
    schools: Annotated[int | None, typer.Option(help="Schools (default ≈ pupils/80).")] = None,
    school_year: Annotated[str, typer.Option(help="School year, e.g. 2026-2027.")] = "2026-2027",
) -> None:
    """Generate a realistic scenario (regions, schools, companies, centres) as YAML."""
    from scheduler.dump import scenario_yaml, write_atomic
    from scheduler.generate import generate as make

    scenario = make(
        pupils,
        seed,
        tight=tight,
        school_year=school_year,
        companies=companies,
        centres=centres,
        schools=schools,
    )
    command = f"scheduler generate --pupils {pupils} --seed {seed}" + (" --tight" if tight else "")
    for name, value in (("companies", companies), ("centres", centres), ("schools", schools)):
        if value is not None:
            command += f" --{name} {value}"
    if school_year != "2026-2027":
        command += f" --school-year {school_year}"
    text = scenario_yaml(scenario, header=f"Generated by: {command}")
    if output is None:
        sys.stdout.write(text)
        return
    try:
        write_atomic(output, text)
    except OSError as exc:
        raise UsageError(
            tr(
                nl=f"{output}: kan niet schrijven: {exc.strerror}",
                en=f"{output}: cannot write: {exc.strerror}",
            )
        ) from None
    err.print(
        tr(
            nl=f"{output}: {len(scenario.pupils)} leerlingen, {len(scenario.companies)} bedrijven, "
            f"{len(scenario.centres)} opleidingscentra, {len(scenario.schools)} scholen",
            en=f"{output}: {len(scenario.pupils)} pupils, {len(scenario.companies)} companies, "
            f"{len(scenario.centres)} training centres, {len(scenario.schools)} schools",
        )
    )


def main() -> None:
    """Entry point of the ``scheduler`` console script."""
    app()


if __name__ == "__main__":
    main()
