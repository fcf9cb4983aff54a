"""Realistic generated scenarios of any size, for benchmarks: a region or all of Flanders.

``generate(pupils, seed)`` builds a school year of dual learning with regions (one training
centre each, the schools it serves, the companies around them), EMT duaal and two other
programmes, classes of 8-20 pupils, companies of 1-6 places with 1-3 mentors, partners for
missing infrastructure, absences, closures, late joiners and early leavers, OAO and internship
pupils, Flemish names. The same seed gives the same scenario.

A generated scenario is **feasible by construction**: the generator first plans a valid year
itself (:mod:`scheduler.generation.reference`), then sets every limit and places every event
so that this plan respects them. ``tight=True`` then takes the margins away (capacities, seats
and visits at the reference plan's peaks or just below, more absences and closures anywhere),
which may make the scenario impossible; that is what it is for.

Instance sizes of the benchmark (``default_sizes``):

| pupils | companies | centres | schools |
| --- | --- | --- | --- |
| 50 | 30 | 1 | 2 |
| 500 | 300 | 4 | 10 |
| 2000 | 1000 | 10 | 30 |
| 5000 | 2500 | 20 | 60 |

Other sizes scale: companies ≈ pupils / 2, centres ≈ pupils / 250, schools ≈ pupils / 80.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from scheduler.errors import UsageError
from scheduler.generation.build import MAX_HOME_PUPILS, Sizes, WorldBuilder, minimum_companies
from scheduler.generation.events import Events, make_internships, set_contracts, tighten
from scheduler.generation.programmes import bundled_programmes
from scheduler.generation.reference import Occupancy, RefBlock, RegionPlanner
from scheduler.generation.world import GRegion, World
from scheduler.i18n import tr
from scheduler.model.calendar import flemish_calendar, parse_school_year
from scheduler.model.scenario import Scenario

TABLE: dict[int, tuple[int, int, int]] = {
    50: (30, 1, 2),
    500: (300, 4, 10),
    2000: (1000, 10, 30),
    5000: (2500, 20, 60),
}
"""The benchmark's instances S, M, L, XL: pupils -> (companies, centres, schools)."""

MAX_PUPILS = 50_000
RELIEF_ROUNDS = 12


@dataclass(frozen=True)
class GeneratedScenario:
    """A generated scenario and, unless it is tight, the reference plan that proves it
    feasible: per pupil its phase blocks by teaching-week index (0 = the first week with
    school days); every other enrolled week is an ordinary week (absent in the pupil's
    ``unavailable`` weeks)."""

    scenario: Scenario
    reference: dict[str, list[RefBlock]] | None


def default_sizes(pupils: int) -> Sizes:
    """The benchmark's sizes for these pupils (exactly the table's for 50/500/2000/5000)."""
    if pupils in TABLE:
        companies, centres, schools = TABLE[pupils]
    else:
        companies = max(1, round(pupils / 2))
        centres = max(1, round(pupils / 250))
        schools = max(centres, round(pupils / 80), 1)
    return Sizes(pupils, companies, centres, schools)


def _bad(option: str, nl: str, en: str) -> UsageError:
    return UsageError(f"{option}: " + tr(nl=nl, en=en))


def resolve_sizes(
    pupils: int, companies: int | None, centres: int | None, schools: int | None
) -> Sizes:
    """Sizes from the options, defaults filled in; :class:`UsageError` naming the option when
    they cannot make a scenario."""
    if pupils < 1 or pupils > MAX_PUPILS:
        raise _bad(
            "pupils",
            f"moet tussen 1 en {MAX_PUPILS} liggen (waarde: {pupils})",
            f"must be between 1 and {MAX_PUPILS} (value: {pupils})",
        )
    base = default_sizes(pupils)
    schools = base.schools if schools is None else schools
    if schools < 1 or schools > pupils:
        raise _bad(
            "schools",
            f"moet tussen 1 en het aantal leerlingen ({pupils}) liggen (waarde: {schools})",
            f"must be between 1 and the number of pupils ({pupils}) (value: {schools})",
        )
    centres = min(base.centres, schools) if centres is None else centres
    if centres < 1 or centres > schools:
        raise _bad(
            "centres",
            f"moet tussen 1 en het aantal scholen ({schools}) liggen: elk opleidingscentrum "
            f"bedient een regio met minstens één school (waarde: {centres})",
            f"must be between 1 and the number of schools ({schools}): every training centre "
            f"serves a region with at least one school (value: {centres})",
        )
    companies = base.companies if companies is None else companies
    # every region needs room for its pupils at home, at most 5 per company on average
    needed = math.ceil(pupils / MAX_HOME_PUPILS) + centres - 1
    if companies < needed:
        raise _bad(
            "companies",
            f"te weinig bedrijven voor {pupils} leerlingen in {centres} regio's: minstens "
            f"{needed} nodig (hoogstens 5 eigen leerlingen per bedrijf) (waarde: {companies})",
            f"too few companies for {pupils} pupils in {centres} regions: at least {needed} "
            f"needed (at most 5 own pupils per company) (value: {companies})",
        )
    return Sizes(pupils, companies, centres, schools)


def generate(
    pupils: int,
    seed: int,
    *,
    tight: bool = False,
    school_year: str = "2026-2027",
    companies: int | None = None,
    centres: int | None = None,
    schools: int | None = None,
) -> Scenario:
    """A realistic scenario with this many pupils; the same arguments give the same scenario.

    Feasible by construction unless ``tight``. Raises :class:`UsageError` (a ``ValueError``)
    naming the argument when the sizes cannot make a scenario."""
    return generate_with_reference(
        pupils,
        seed,
        tight=tight,
        school_year=school_year,
        companies=companies,
        centres=centres,
        schools=schools,
    ).scenario


def generate_with_reference(
    pupils: int,
    seed: int,
    *,
    tight: bool = False,
    school_year: str = "2026-2027",
    companies: int | None = None,
    centres: int | None = None,
    schools: int | None = None,
) -> GeneratedScenario:
    """Like :func:`generate`, with the reference plan that proves the scenario feasible (None
    when ``tight``: the margins it relied on are gone)."""
    sizes = resolve_sizes(pupils, companies, centres, schools)
    try:
        start_year = parse_school_year(school_year)
    except ValueError as exc:
        raise _bad("school_year", str(exc), str(exc)) from None
    label = f"{start_year}-{start_year + 1}"
    rng = random.Random(seed)
    world = World(flemish_calendar(label), bundled_programmes())
    builder = WorldBuilder(world, sizes, rng)
    school_sizes = builder.school_sizes()
    per_region = builder.regions(school_sizes)
    assert minimum_companies(per_region) <= sizes.companies  # resolve_sizes made sure
    per_company = builder.companies_per_region(per_region)
    for region in world.regions:
        mine = [s for i, s in enumerate(school_sizes) if i * sizes.centres // sizes.schools
                == region.index]  # fmt: skip
        region.programmes = builder.region_programmes(
            per_region[region.index], per_company[region.index]
        )
        builder.schools(region, mine)
        builder.companies(region, per_company[region.index])
        builder.centre(region)

    occupancy = Occupancy(world.n_weeks)
    blocks: dict[str, list[RefBlock]] = {}
    for region in world.regions:
        planned, region_occupancy = plan_region(world, region, rng, builder)
        blocks.update(planned)
        occupancy.load.update(region_occupancy.load)

    make_internships(world, blocks, occupancy, rng)
    events = Events(world, blocks, occupancy, rng)
    events.place_all()
    set_contracts(world, blocks)
    if tight:
        tighten(world, events, rng)

    meta = {
        "name": f"gegenereerd-{pupils}-s{seed}{'-krap' if tight else ''}-{label}",
        "description": describe(world, pupils, seed, tight),
    }
    if not tight:
        meta["expected"] = "feasible"
    scenario = Scenario.model_validate(world.scenario_data(meta, label))
    return GeneratedScenario(scenario, None if tight else blocks)


def plan_region(
    world: World, region: GRegion, rng: random.Random, builder: WorldBuilder
) -> tuple[dict[str, list[RefBlock]], Occupancy]:
    """The reference plan of one region. When a class does not fit in the year, the region's
    limits grow a little (seats, teacher visits; later partner places and mentors) and the
    region is planned again."""
    companies = {c.id: c for c in region.companies}
    centre = region.centre
    assert centre is not None
    for attempt in range(RELIEF_ROUNDS):
        occupancy = Occupancy(world.n_weeks)
        planner = RegionPlanner(region, occupancy, rng, companies)
        if planner.plan():
            return planner.blocks, occupancy
        centre.seats = math.ceil(centre.seats * 1.2)
        for school in region.schools:
            school.visits = math.ceil(school.visits * 1.2)
        if attempt >= 4:
            for company in region.companies:
                company.capacity = min(6, company.capacity + 1)
                builder.mentor_room(company)
    raise RuntimeError(f"generator: region {region.name} does not fit in the year")  # a bug


def _n(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def describe(world: World, pupils: int, seed: int, tight: bool) -> str:
    """The scenario's Dutch description for planners."""
    programmes = list(dict.fromkeys(c.programme.name for c in world.classes))
    regions = ", ".join(r.name for r in world.regions)
    everyone = world.pupils
    internships = sum(1 for p in everyone if p.contract == "internship")
    late = sum(1 for p in everyone if p.start is not None)
    leaving = sum(1 for p in everyone if p.leave is not None)
    away = sum(1 for p in everyone if p.away)
    command = f"scheduler generate --pupils {pupils} --seed {seed}" + (" --tight" if tight else "")
    text = (
        f"Gegenereerd scenario ({command}): {_n(len(everyone), 'leerling', 'leerlingen')} in "
        f"{_n(len(world.classes), 'klas', 'klassen')} van "
        f"{_n(len(world.schools), 'school', 'scholen')}, "
        f"{_n(len(world.companies), 'bedrijf', 'bedrijven')} en "
        f"{_n(len(world.regions), 'opleidingscentrum', 'opleidingscentra')}, één per regio "
        f"({regions}). Programma's: {', '.join(programmes)}. Leerlingen gaan naar bedrijven uit "
        f"de regio van hun school. Stage-overeenkomst: {internships}, OAO: "
        f"{len(everyone) - internships}; later ingestroomd: {late}, vroeger vertrokken: "
        f"{leaving}, enkele weken afwezig: {away}. Alle namen zijn fictief. "
    )
    if tight:
        text += (
            "Krappe variant: capaciteiten, plaatsen in de centra en lerarenbezoeken liggen op "
            "of net onder wat een plan minstens nodig heeft, met meer afwezigheden en "
            "sluitingen; dit scenario kan onmogelijk zijn."
        )
    else:
        text += (
            "Haalbaar door constructie: de generator plande zelf een geldig jaar en legde "
            "capaciteiten, plaatsen, bezoeken, afwezigheden en sluitingen daarop af."
        )
    return text
