"""Shared hypothesis strategies (add yours here, one documented function each)."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st


def two_decimal_hours(min_cents: int = 0, max_cents: int = 60_00) -> st.SearchStrategy[float]:
    """Hours as plans and scenarios write them: at most 2 decimals (``22.8``, ``30.45``)."""
    return st.integers(min_cents, max_cents).map(lambda cents: cents / 100)


def hour_offsets(min_cents: int = 2, max_cents: int = 10_00) -> st.SearchStrategy[int]:
    """A non-zero change of an hours number, in hundredths of an hour, either sign.

    With ``min_cents=2`` it always lies beyond the validator's 0.01 h tolerance.
    """
    size = st.integers(min_cents, max_cents)
    return st.tuples(size, st.sampled_from((-1, 1))).map(lambda t: t[0] * t[1])


def capacities(max_value: int = 6) -> st.SearchStrategy[int]:
    """A capacity (places, seats, pupils per mentor, visits a week), 0 included."""
    return st.integers(0, max_value)


PLANTED_CAUSES = ("company_capacity", "contract", "centre_module", "infrastructure", "year_end")
"""Causes :func:`small_scenarios` can plant; each is also the rule code the explanation names."""


def _module(i: int, theory: int, simulated: int, company: str | int) -> dict:
    return {
        "id": f"m{i}",
        "name": f"Module {i}",
        "phases": [
            {"kind": "theory", "weeks": theory, "hours": {"school": 32}},
            {"kind": "simulated", "weeks": simulated, "hours": {"centre": 32}},
            {"kind": "company", "weeks": company, "hours": {"workplace": 38}},
        ],
    }


@st.composite
def small_scenarios(draw: st.DrawFn, impossible: str | None = None) -> dict:
    """A random small scenario (as file data): one class of 2-5 pupils, 1-3 modules with random
    lengths, 1-3 companies with mentors and closures, one centre.

    Feasible by construction: capacities, seats and visits leave room for everyone at once;
    the ordinary week has 19 workplace hours, theory and centre weeks none and company weeks
    38, and lengths are drawn so that the longest company phases lift every pupil above 20 h
    (OAO possible) and the shortest keep every pupil below (internship possible).

    ``impossible`` plants one cause instead (see :data:`PLANTED_CAUSES`).
    """
    n_modules = draw(st.integers(1, 3))
    modules = []
    for i in range(n_modules):
        theory = draw(st.integers(2, 3))
        simulated = draw(st.integers(1, 2))
        if n_modules == 1:
            theory, simulated = 3, max(simulated, 1) + (1 if theory + simulated < 4 else 0)
        company_max = theory + simulated + 2 + draw(st.integers(0, 1))
        modules.append(_module(i, theory, simulated, f"1..{company_max}"))
    ordinary = {"school": 19, "workplace": 19}
    n_pupils = draw(st.integers(2, 5))
    internship = draw(st.lists(st.booleans(), min_size=n_pupils, max_size=n_pupils))
    if impossible == "year_end":
        modules = [_module(i, 4, 3, 4) for i in range(4)]
    elif impossible == "contract":
        ordinary = {"school": 38}
        modules = [_module(i, 2, 1, 1) for i in range(n_modules)]
        internship = [False] * n_pupils
    elif impossible == "company_capacity":
        modules = [_module(i, 2, 1, 3) for i in range(n_modules)]
    n_companies = 1 if impossible == "company_capacity" else draw(st.integers(1, 3))
    roomy = impossible != "company_capacity"
    companies = []
    for c in range(n_companies):
        closures = draw(
            st.sampled_from([[], ["2027-03-01"], [{"from": "2027-05-03", "to": "2027-05-14"}]])
        )
        companies.append(
            {
                "id": f"b{c}",
                "name": f"Bedrijf {c}",
                "capacity": 8 if roomy else 1,
                "closures": closures if roomy else [],
                "mentors": [
                    {"id": f"b{c}-m{k}", "name": f"Mentor {c}.{k}", "max_pupils": 8 if roomy else 1}
                    for k in range(draw(st.integers(1, 2)))
                ],
            }
        )
    if impossible == "infrastructure":
        for company in companies:
            company["modules"] = [m["id"] for m in modules[1:]] or ["m-none"]
        if not modules[1:]:
            modules.append(_module(9, 1, 1, 1) | {"id": "m-none"})
    names = ["Lotte", "Milan", "Noor", "Arthur", "Fien", "Wout", "Ella", "Kobe"]
    count = 8 if impossible == "company_capacity" else n_pupils
    pupils = []
    for p in range(count):
        company = companies[p % n_companies]
        pupil = {
            "id": f"P{p}",
            "first_name": draw(st.sampled_from(names)),
            "last_name": f"Test{p}",
            "class": "5t",
            "company": company["id"],
            "mentor": company["mentors"][0]["id"],
        }
        if p < n_pupils and internship[p]:
            pupil["contract"] = "internship"
        if impossible is None and draw(st.integers(0, 4)) == 0:
            pupil["unavailable"] = ["2027-01-11"]
        pupils.append(pupil)
    centre_modules = [m["id"] for m in modules]
    if impossible == "centre_module":
        centre_modules = centre_modules[1:] or ["m-other"]
        if centre_modules == ["m-other"]:
            modules.append(_module(8, 1, 1, 1) | {"id": "m-other"})
    return {
        "meta": {"name": "hypothesis", "description": "Willekeurig klein scenario"},
        "school_year": "2026-2027",
        "settings": {"teacher_visits_per_week": 10},
        "programmes": [
            {
                "id": "mini",
                "name": "Mini duaal",
                "ordinary_week": ordinary,
                "years": [
                    {
                        "year": 1,
                        "contract": "oao",
                        "modules": modules,
                        "experience": {"weeks": 4, "hours": {"workplace": 38}},
                    }
                ],
            }
        ],
        "schools": [
            {"id": "vti", "name": "VTI", "classes": [{"id": "5t", "programme": "mini", "year": 1}]}
        ],
        "centres": [{"id": "oc", "name": "Centrum", "seats": 8, "modules": centre_modules}],
        "companies": companies,
        "pupils": pupils,
    }


def dates_between(first: dt.date, last: dt.date) -> st.SearchStrategy[dt.date]:
    """A day between ``first`` and ``last`` (inclusive)."""
    return st.integers(0, (last - first).days).map(lambda n: first + dt.timedelta(days=n))


def school_year_weekdays(start_year: int = 2026) -> st.SearchStrategy[dt.date]:
    """A Monday-to-Friday day of the school year starting in ``start_year`` (Sept-June)."""
    days = dates_between(dt.date(start_year, 9, 1), dt.date(start_year + 1, 6, 30))
    return days.filter(lambda d: d.weekday() < 5)


def generator_seeds() -> st.SearchStrategy[int]:
    """A seed for ``scheduler.generate`` (any non-negative 32-bit number)."""
    return st.integers(0, 2**32 - 1)


def small_generated_sizes() -> st.SearchStrategy[int]:
    """Pupil counts for generated scenarios small enough to build many times in a test (one
    or two regions, a handful of classes)."""
    return st.integers(8, 160)


CHANGE_KINDS = (
    "company_leaves", "company_closes", "company_capacity", "mentor_absent", "pupil_joins",
    "pupil_leaves", "contract_changes", "centre_closed", "centre_seats", "extra_free_day",
    "phase_length",
)  # fmt: skip
"""The change types :func:`single_changes` draws from (``class_added`` is tested by example)."""


@st.composite
def single_changes(draw: st.DrawFn, data: dict, kinds: tuple[str, ...] = CHANGE_KINDS) -> dict:
    """One random what-if change (as change-file data) naming parties of ``data``, a scenario
    drawn by :func:`small_scenarios`. Its dates fall in a full school week between November
    and May, so every weekday is a school day and the change lies inside the year."""
    import datetime as dt

    from scheduler.model.calendar import flemish_calendar

    cal = flemish_calendar(data["school_year"])
    full = [w.monday for w in cal.weeks if w.school_days == 5]
    start: dt.date = draw(st.sampled_from(full[8:-6]))
    end = start + dt.timedelta(days=draw(st.integers(4, 18)))
    companies, pupils = data["companies"], data["pupils"]
    modules = data["programmes"][0]["years"][0]["modules"]
    kind = draw(st.sampled_from(kinds))
    if kind == "company_leaves" and len(companies) < 2:
        kind = "company_closes"
    company = draw(st.sampled_from(companies))
    pupil = draw(st.sampled_from(pupils))
    iso = start.isoformat()
    if kind == "company_leaves":
        other = draw(st.sampled_from([c for c in companies if c["id"] != company["id"]]))
        return {"type": kind, "company": company["id"], "from": iso, "new_company": other["id"]}
    if kind == "company_closes":
        return {"type": kind, "company": company["id"], "from": iso, "to": end.isoformat()}
    if kind == "company_capacity":
        return {"type": kind, "company": company["id"], "capacity": draw(st.integers(0, 2)),
                "from": iso, "to": draw(st.sampled_from([None, end.isoformat()]))}  # fmt: skip
    if kind == "mentor_absent":
        mentor = draw(st.sampled_from(company["mentors"]))
        return {"type": kind, "mentor": mentor["id"], "from": iso, "to": end.isoformat()}
    if kind == "pupil_joins":
        mastered = draw(st.lists(st.sampled_from([m["id"] for m in modules]), unique=True))
        entry = {"id": "NEW", "first_name": "Nieuw", "class": "5t", "company": company["id"],
                 "mentor": company["mentors"][0]["id"], "mastered": mastered}  # fmt: skip
        return {"type": kind, "start": iso, "pupil": entry}
    if kind == "pupil_leaves":
        return {"type": kind, "pupil": pupil["id"], "date": end.isoformat()}
    if kind == "contract_changes":
        contract = draw(st.sampled_from(["oao", "internship"]))
        return {"type": kind, "pupil": pupil["id"], "contract": contract, "from": iso}
    if kind == "centre_closed":
        return {"type": kind, "centre": "oc", "from": iso, "to": end.isoformat()}
    if kind == "centre_seats":
        return {"type": kind, "centre": "oc", "seats": draw(st.integers(1, 4)), "from": iso}
    if kind == "extra_free_day":
        day = start + dt.timedelta(days=draw(st.integers(0, 4)))
        return {"type": kind, "date": day.isoformat(), "name": "Extra vrije dag"}
    module = draw(st.sampled_from(modules))
    phase = draw(st.sampled_from([p["kind"] for p in module["phases"]]))
    low = draw(st.integers(1, 3))
    weeks = f"{low}..{low + draw(st.integers(0, 2))}"
    return {"type": "phase_length", "module": module["id"], "phase": phase, "weeks": weeks,
            "from": iso}  # fmt: skip
