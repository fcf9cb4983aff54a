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
