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


def _parse_weights(text: str | None) -> dict[str, int] | None:
    """``waiting=5,load_peak=0`` -> ``{"waiting": 5, "load_peak": 0}`` (checked names)."""
    from scheduler.errors import UsageError
    from scheduler.model.scenario import Weights

    if not text:
        return None
    out: dict[str, int] = {}
    for part in text.split(","):
        name, _, value = part.partition("=")
        name = name.strip()
        if name not in Weights.model_fields:
            raise UsageError(
                tr(
                    nl=f"--weights: onbekend gewicht '{name}'; kies uit "
                    f"{', '.join(Weights.model_fields)}",
                    en=f"--weights: unknown weight '{name}'; choose from "
                    f"{', '.join(Weights.model_fields)}",
                )
            )
        try:
            out[name] = int(value)
            if out[name] < 0:
                raise ValueError
        except ValueError:
            raise UsageError(
                tr(
                    nl=f"--weights: '{part}' moet naam=geheel getal >= 0 zijn",
                    en=f"--weights: '{part}' must be name=whole number >= 0",
                )
            ) from None
    return out


def _keep_good_plan(target: Path) -> bool:
    """Whether ``target`` holds a plan with a solution (which a failed solve must not replace)."""
    from scheduler.errors import PlanError
    from scheduler.plan import load_plan

    if not target.exists():
        return False
    try:
        return load_plan(target).has_solution
    except PlanError:
        return False


def run_solve(
    scenario: Any,
    *,
    time_limit: float,
    seed: int,
    workers: int,
    weights: dict[str, int] | None,
    pins: Any = None,
    hints: Any = None,
    baseline: Any = None,
    **parallel: Any,
) -> Any:
    """Solve with a live progress display on a terminal (elapsed, best objective, bound);
    with a ``baseline`` (phase hints of the plan in use) it is a least-change re-plan.
    ``parallel`` (processes, executor, address) spreads independent parts."""
    from rich.live import Live

    from scheduler.solver.solve import Progress, solve

    if not err.is_terminal:
        return solve(scenario, time_limit=time_limit, seed=seed, workers=workers,
                     weights=weights, pins=pins, hints=hints, baseline=baseline,
                     **parallel)  # fmt: skip
    state = {"text": tr(nl="Zoeken naar een eerste plan...", en="Looking for a first plan...")}

    def line() -> str:
        return state["text"]

    with Live(line(), console=err, refresh_per_second=4, transient=True) as live:

        def progress(p: Progress) -> None:
            objective = f"{p.objective:g}" if p.objective is not None else "-"
            bound = f"{p.bound:g}" if p.bound is not None else "-"
            state["text"] = tr(
                nl=f"deel {p.part}/{p.parts} · {p.elapsed:5.1f} s · beste doelfunctie "
                f"{objective} · ondergrens {bound}",
                en=f"part {p.part}/{p.parts} · {p.elapsed:5.1f} s · best objective "
                f"{objective} · bound {bound}",
            )
            live.update(line())

        return solve(scenario, time_limit=time_limit, seed=seed, workers=workers,
                     weights=weights, pins=pins, hints=hints, baseline=baseline,
                     progress=progress, **parallel)  # fmt: skip


def exit_code_for(status: str) -> int:
    """Exit code of a solve: 0 plan, 3 impossible, 4 time limit without a plan."""
    return {"optimal": EXIT_OK, "feasible": EXIT_OK, "infeasible": EXIT_INFEASIBLE}.get(
        status, EXIT_TIME_LIMIT
    )


def save_plan(plan: Any, output: Path | None) -> None:
    """Write a plan to ``output``; a plan without solution never replaces one with a solution
    (it goes next to it as ``NAME.geen-plan.json``)."""
    from scheduler.fileio import write_atomic

    if output is None:
        return
    target = output
    if not plan.has_solution and _keep_good_plan(output):
        target = output.with_name(output.stem + ".geen-plan" + output.suffix)
        err.print(
            tr(
                nl=f"{output} bevat een geldig plan en blijft ongewijzigd; dit resultaat staat "
                f"in {target}",
                en=f"{output} holds a valid plan and is left unchanged; this result is in {target}",
            )
        )
    write_atomic(target, plan.to_json())
    out.print(tr(nl=f"Plan geschreven naar {target}", en=f"Plan written to {target}"))


@app.command()
@user_errors
def solve(
    file: Annotated[Path, typer.Argument(help="Scenario file (YAML or JSON).")],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write the plan (JSON) to this file.")
    ] = None,
    time_limit: Annotated[
        float, typer.Option("--time-limit", min=0.5, max=86400, help="Seconds to search.")
    ] = 60.0,
    seed: Annotated[int, typer.Option("--seed", help="Random seed of the solver.")] = 0,
    workers: Annotated[
        int, typer.Option("--workers", min=1, max=64, help="Solver threads (default 2).")
    ] = 2,
    weights: Annotated[
        str | None,
        typer.Option("--weights", help="Override objective weights, e.g. waiting=5,load_peak=0."),
    ] = None,
    brief: Annotated[bool, typer.Option("--brief", help="Only the status line.")] = False,
    processes: Annotated[
        int,
        typer.Option("--processes", min=1, max=256, help="Solve independent regions side by side."),
    ] = 1,
    executor: Annotated[
        str, typer.Option("--executor", help="local (process pool) or ray.")
    ] = "local",
    address: Annotated[
        str | None, typer.Option("--address", help="Ray cluster address (executor ray).")
    ] = None,
    first: Annotated[
        bool, typer.Option("--first", help="Stop at the first valid plan (no improvement).")
    ] = False,
) -> None:
    """Make the year plan of a scenario (CP-SAT) and print a summary.

    Exit codes: 0 a plan was found; 3 no plan exists (the explanation is printed); 4 the time
    limit passed without a plan; 2 bad input.
    """
    from scheduler.report import print_plan_summary

    scenario = load(file)
    overrides = _parse_weights(weights)
    result = run_solve(
        scenario, time_limit=time_limit, seed=seed, workers=workers, weights=overrides,
        processes=processes, executor=executor, address=address, first_plan=first,
    )  # fmt: skip
    print_plan_summary(out, scenario, result.plan, details=not brief)
    save_plan(result.plan, output)
    raise typer.Exit(exit_code_for(result.status))


SolveSeconds = Annotated[
    float, typer.Option("--time-limit", min=0.5, max=86400, help="Seconds per solve.")
]
Seed = Annotated[int, typer.Option("--seed", help="Random seed of the solver.")]
Workers = Annotated[int, typer.Option("--workers", min=1, max=64, help="Solver threads.")]


@app.command()
@user_errors
def whatif(
    change: Annotated[Path, typer.Argument(help="Change file (YAML or JSON).")],
    baseline: Annotated[
        Path | None,
        typer.Option("--baseline", help="The plan in use (JSON); solved from the base if absent."),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option("--from", help="Plan may change from this date (YYYY-MM-DD) on."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write the new plan (JSON) here.")
    ] = None,
    report_file: Annotated[
        Path | None, typer.Option("--report", help="Write the diff report (JSON) here.")
    ] = None,
    time_limit: SolveSeconds = 20.0,
    seed: Seed = 0,
    workers: Workers = 2,
) -> None:
    """Re-plan after a change (what-if) and report what differs from the plan in use.

    Weeks before --from (default: the earliest change) stay exactly as in the baseline; after
    it the fewest pupil-weeks change. Exit codes as solve: 0 plan, 3 impossible (explained),
    4 time limit, 2 bad input.
    """
    from scheduler.errors import UsageError
    from scheduler.fileio import write_atomic
    from scheduler.plan import load_plan
    from scheduler.whatif.changes import load_change_file
    from scheduler.whatif.render import print_diff
    from scheduler.whatif.run import parse_day, run_whatif

    scenario_change = load_change_file(change, parse_day(start))
    for option, target in (("-o", output), ("--report", report_file)):
        if baseline is not None and target is not None and target.resolve() == baseline.resolve():
            raise UsageError(
                tr(
                    nl=f"{option} {target}: dat is het basisplan, dat ongewijzigd blijft; kies "
                    "een ander bestand",
                    en=f"{option} {target}: that is the baseline, which stays unchanged; choose "
                    "another file",
                )
            )
    options = {"time_limit": time_limit, "seed": seed, "workers": workers, "weights": None}
    if baseline is not None:
        plan = load_plan(baseline)
        source = str(baseline)
    else:
        out.print(
            tr(
                nl=f"Geen basisplan gegeven: eerst het basisscenario {scenario_change.base_path}"
                " plannen.",
                en=f"No baseline given: planning the base scenario {scenario_change.base_path}"
                " first.",
            )
        )
        plan = run_solve(scenario_change.base, **options).plan
        source = str(scenario_change.base_path)
        if not plan.has_solution:
            from scheduler.report import print_plan_summary

            print_plan_summary(out, scenario_change.base, plan, details=False)
            err.print(
                tr(
                    nl="het basisscenario heeft zelf geen plan: er is niets om van te herplannen",
                    en="the base scenario has no plan itself: there is nothing to re-plan from",
                )
            )
            raise typer.Exit(exit_code_for(plan.status))
    outcome = run_whatif(scenario_change, plan, solve_fn=run_solve, source=source, **options)
    print_diff(out, outcome.report)
    save_plan(outcome.result.plan, output)
    if report_file is not None:
        write_atomic(report_file, outcome.report.to_json())
        out.print(tr(nl=f"Rapport geschreven naar {report_file}",
                     en=f"Report written to {report_file}"))  # fmt: skip
    raise typer.Exit(exit_code_for(outcome.result.status))


@app.command()
@user_errors
def compare(
    files: Annotated[
        list[Path], typer.Argument(help="Scenario files and/or change files to compare.")
    ],
    time_limit: SolveSeconds = 20.0,
    seed: Seed = 0,
    workers: Workers = 2,
    as_json: Annotated[bool, typer.Option("--json", help="Print the comparison as JSON.")] = False,
) -> None:
    """Solve several variants (scenario files or change files) and put their key figures side
    by side. Exit 0 when every variant has a plan, else the highest solve exit code (3, 4)."""
    from scheduler.whatif.render import compare_table
    from scheduler.whatif.run import compare_variants, load_variants

    variants = load_variants(files)
    options = {"time_limit": time_limit, "seed": seed, "workers": workers, "weights": None}
    compare_variants(variants, solve_fn=run_solve, **options)
    rows = [v.as_json() for v in variants]
    if as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1, default=str) + "\n")
    else:
        out.print(compare_table([{"name": v.name, "kpis": v.figures} for v in variants]))
    raise typer.Exit(max(exit_code_for(v.figures.get("status", "unknown")) for v in variants))


@app.command()
@user_errors
def schema(
    kind: Annotated[
        str, typer.Argument(help="Which format: scenario (default), programme, plan or change.")
    ] = "scenario",
) -> None:
    """Print the JSON Schema of the scenario file format (or of a programme or plan)."""
    from scheduler.schemas import json_schema

    sys.stdout.write(json.dumps(json_schema(kind), ensure_ascii=False, indent=2) + "\n")


@app.command()
@user_errors
def ical(
    scenario_file: Annotated[Path, typer.Argument(help="Scenario file (YAML or JSON).")],
    plan_file: Annotated[Path, typer.Argument(help="Plan file (JSON) with a solution.")],
    subscriber: Annotated[
        str | None,
        typer.Option(
            "--for",
            help="Whose feed: company:ID, mentor:ID, pupil:ID, centre:ID or school:ID.",
        ),
    ] = None,
    all_feeds: Annotated[
        bool, typer.Option("--all", help="Write every subscriber's feed into the -o folder.")
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", help="File to write (a folder with --all); stdout when absent."
        ),
    ] = None,
    generated: Annotated[
        str | None,
        typer.Option(
            "--generated",
            help="DTSTAMP of new and changed events (ISO time, UTC without offset); "
            "a fixed time when absent, so the same plan gives the same bytes.",
        ),
    ] = None,
) -> None:
    """Export the plan as iCalendar feeds (RFC 5545) to subscribe to in a calendar client.

    An existing output file is the previous export: unchanged events keep their SEQUENCE,
    changed ones get a higher one.
    """
    import datetime as dt

    from rich.markup import escape

    from scheduler.errors import UsageError
    from scheduler.ical import build_feed, clear_stale_feeds, write_all_feeds, write_feed
    from scheduler.plan import check_plan_matches, load_plan

    if (subscriber is None) == (not all_feeds):
        raise UsageError(
            tr(
                nl="kies --for SOORT:ID (één feed) of --all (alle feeds, met -o MAP)",
                en="choose --for KIND:ID (one feed) or --all (every feed, with -o FOLDER)",
            )
        )
    if all_feeds and output is None:
        raise UsageError(
            tr(
                nl="--all schrijft één bestand per abonnee: geef een map met -o MAP",
                en="--all writes one file per subscriber: give a folder with -o FOLDER",
            )
        )
    stamp = None
    if generated is not None:
        try:
            stamp = dt.datetime.fromisoformat(generated)
        except ValueError:
            raise UsageError(
                tr(
                    nl=f"--generated: '{generated}' is geen tijdstip; schrijf bv. "
                    "2026-08-20T12:00:00Z",
                    en=f"--generated: '{generated}' is not a time; write e.g. 2026-08-20T12:00:00Z",
                )
            ) from None
    scenario = load(scenario_file)
    plan = load_plan(plan_file)
    check_plan_matches(plan, scenario, str(plan_file))
    if all_feeds:
        assert output is not None
        paths = write_all_feeds(scenario, plan, output, generated=stamp)
        out.print(
            tr(
                nl=f"[bold green]✓[/] {len(paths)} feeds geschreven in {escape(str(output))}",
                en=f"[bold green]✓[/] {len(paths)} feeds written to {escape(str(output))}",
            )
        )
        for path in clear_stale_feeds(output, paths):
            out.print(
                tr(
                    nl=f"  {escape(path.name)}: deze abonnee staat niet meer in het plan; "
                    "de feed is leeggemaakt (de oude weken verdwijnen uit die agenda)",
                    en=f"  {escape(path.name)}: this subscriber is no longer in the plan; "
                    "the feed was emptied (the old weeks vanish from that calendar)",
                )
            )
    elif output is None:
        assert subscriber is not None
        data = build_feed(scenario, plan, subscriber, generated=stamp)
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        assert subscriber is not None
        path = write_feed(scenario, plan, subscriber, output, generated=stamp)
        out.print(
            tr(
                nl=f"[bold green]✓[/] feed geschreven: {escape(str(path))}",
                en=f"[bold green]✓[/] feed written: {escape(str(path))}",
            )
        )


@app.command()
@user_errors
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    dev: Annotated[
        bool, typer.Option("--dev", help="Dev mode: without SCHEDULER_API_TOKENS accept 'dev'.")
    ] = False,
    database: Annotated[
        str | None,
        typer.Option(
            "--database",
            help="SQLAlchemy URL (default SCHEDULER_DATABASE_URL or sqlite:///scheduler.db).",
        ),
    ] = None,
) -> None:
    """Run the web API (uvicorn); OpenAPI documentation at /docs. Needs SCHEDULER_API_TOKENS."""
    from api.server import run

    run(host=host, port=port, dev=dev or None, database_url=database)


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
    from scheduler.dump import scenario_yaml
    from scheduler.fileio import write_atomic
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


@app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    add_help_option=False,
)
def bench(ctx: typer.Context) -> None:
    """Run the benchmark (same as ``python -m bench``; from a checkout of the repository)."""
    try:
        from bench.__main__ import main as bench_main
    except ImportError:
        err.print(
            tr(
                nl="de benchmark hoort bij de broncode: start hem in de map van de repository",
                en="the benchmark comes with the source: run it in the repository's folder",
            )
        )
        raise typer.Exit(EXIT_BAD_INPUT) from None
    bench_main(list(ctx.args))


def main() -> None:
    """Entry point of the ``scheduler`` console script."""
    app()


if __name__ == "__main__":
    main()
