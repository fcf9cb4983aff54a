"""Plan pages beyond the grid: load views, the XLSX export, comparing and the diff, adjusting
(pins, re-plan as a job), publishing and calendar links."""

from __future__ import annotations

import io
from collections import Counter
from html import unescape

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.diffs import plan_diff
from api.web.auth import SESSION_COOKIE, session_value
from api.web.grid import ALL, build_grid, columns
from api.web.loads import build_loads
from api.web.planview import PlanView
from scheduler.files import scenario_from_text
from scheduler.kpis import plan_kpis
from scheduler.plan import Plan
from tests.web.conftest import TOKEN, ReplaySolve, small_yaml, wait_job
from tests.web.pages import moved, sign_in, stored_plan


def _overbooked(plan: Plan) -> tuple[Plan, str, object]:
    """The plan with one more pupil at De Smet (1 place) in a week it already has a pupil."""
    at_desmet = {a.week for a in plan.assignments if a.place.id == "desmet"}
    for a in plan.assignments:
        if a.week in at_desmet and a.phase == "company" and a.place.id != "desmet":
            return moved(plan, a.pupil, a.week, place=("company", "desmet")), a.pupil, a.week
    raise AssertionError("the solved plan has no week to overbook")


def test_loads_count_like_the_kpis_and_show_overbooking(client, solved_plan) -> None:
    scenario = scenario_from_text(small_yaml())
    plan = Plan.model_validate(solved_plan)
    _, rows = build_loads(scenario, PlanView.of(plan))
    kpis = plan_kpis(scenario, list(plan.assignments))
    for row in rows:
        expected = kpis["companies" if row.kind == "company" else "centres"][row.id]
        assert row.peak == expected["peak"]
        assert sum(c.used for c in row.cells) == expected["pupil_weeks"]
        assert not row.overbooked  # a valid plan never overbooks
    assert [r.anchor for r in rows][:1] == ["company-jansens"]

    edited, _, week = _overbooked(plan)
    _, rows = build_loads(scenario, PlanView.of(edited))
    desmet = next(r for r in rows if r.id == "desmet")
    assert desmet.overbooked == 1
    cols = columns(scenario)
    over = desmet.cells[[c.monday for c in cols].index(week)]
    assert (over.used, over.capacity, over.over) == (2, 1, True) and "OVERBOEKT" in over.title

    sign_in(client)
    _, plan_id = stored_plan(client, edited)
    page = client.get(f"/plan/{plan_id}/load")
    assert page.status_code == 200
    assert 'id="company-desmet" class="has-over"' in page.text
    assert "1 weken overboekt" in page.text and 'class="ld l10 over"' in page.text
    assert 'id="centre-anttec-gent"' in page.text


def test_xlsx_export_has_the_grid(client, solved_plan) -> None:
    sign_in(client)
    _, plan_id = stored_plan(client, solved_plan)
    answer = client.get(f"/plan/{plan_id}/export.xlsx")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(answer.content))
    sheet = book["Jaarplanning"]
    assert "Legende" in book.sheetnames
    header = [c.value for c in sheet[2]]
    assert header[:3] == ["klas", "leerling", "naam"]
    assert "herfstvakantie" in header and header[-2] == "marge"
    plan = Plan.model_validate(solved_plan)
    scenario = scenario_from_text(small_yaml())
    mondays = [c.monday for c in columns(scenario)]
    rows = {r[1].value: r for r in sheet.iter_rows(min_row=3)}
    assert set(rows) == {"L01", "L02", "L04", "L11"}
    for a in plan.assignments:
        cell = rows[a.pupil][3 + mondays.index(a.week)]
        letter = {"theory": "T", "simulated": "C", "company": "B", "experience": "E",
                  "school": "G"}[a.phase]  # fmt: skip
        assert cell.value.startswith(letter), (a, cell.value)
        if a.phase == "company":
            assert cell.fill.fgColor.rgb.endswith("009E73")
    margins = {s.pupil: s.margin for s in plan.pupils}
    assert all(rows[p][len(header) - 2].value == margins[p] for p in rows)


def test_diff_of_a_plan_with_itself_is_empty(solved_plan) -> None:
    scenario = scenario_from_text(small_yaml())
    plan = Plan.model_validate(solved_plan)
    diff = plan_diff(scenario, plan, scenario, plan)
    assert diff.changes == [] and not any(k.changed for k in diff.kpis)
    kpis = plan_kpis(scenario, list(plan.assignments))
    assert {k.key: k.after for k in diff.kpis if k.key in kpis} == {
        k: kpis[k] for k in kpis if k in {x.key for x in diff.kpis}
    }


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_diff_finds_exactly_the_changed_pupil_weeks(solved_plan, data) -> None:
    scenario = scenario_from_text(small_yaml())
    plan = Plan.model_validate(solved_plan)
    company_weeks = [a for a in plan.assignments if a.phase in ("theory", "simulated")]
    picked = data.draw(st.lists(st.sampled_from(company_weeks), max_size=6, unique=True))
    edited = plan
    for a in picked:
        edited = moved(edited, a.pupil, a.week, phase="school", module=None,
                       place=("school", "vti-scheldeland"))  # fmt: skip
    diff = plan_diff(scenario, plan, scenario, edited)
    assert {(c.pupil, c.week) for c in diff.changes} == {(a.pupil, a.week) for a in picked}
    assert all(c.before.phase in ("theory", "simulated") and c.after.phase == "school"
               for c in diff.changes)  # fmt: skip
    assert diff.pupils_changed == sorted({a.pupil for a in picked})


def test_compare_page_and_publish(client, solved_plan) -> None:
    sign_in(client)
    plan = Plan.model_validate(solved_plan)
    scenario_id, first = stored_plan(client, plan)
    edited, _, _ = _overbooked(plan)
    second = client.app.state.store.add_plan(scenario_id, edited).id
    page = client.get(f"/plan/{second}/compare?with={first}")
    assert page.status_code == 200
    assert "Gewijzigde leerling-weken (1; 1 leerlingen)" in page.text
    assert "weken bij een ander bedrijf" in page.text and "Metaalbouw De Smet" in page.text
    bad = client.get(f"/plan/{second}/compare?with=nope")
    assert bad.status_code == 404 and "kies een ander plan" in bad.text

    published = client.post(f"/plan/{first}/publish", follow_redirects=False)
    assert published.headers["location"] == f"/plan/{first}?published=1"
    assert "nu het gepubliceerde plan" in client.get(published.headers["location"]).text
    assert [p.id for p in client.app.state.store.list_plans(scenario_id) if p.published] == [first]


class RecordingSolve(ReplaySolve):
    """Answers the solved plan and remembers what the solver was asked."""

    def __init__(self, plan):
        super().__init__(plan)
        self.calls = []

    def __call__(self, scenario, **kwargs):
        self.calls.append(kwargs)
        return super().__call__(scenario, **kwargs)


def test_adjust_checks_the_pin_and_replans_as_a_job(client_for, solved_plan) -> None:
    solve = RecordingSolve(solved_plan)
    client = sign_in(client_for(solve=solve))
    _, plan_id = stored_plan(client, solved_plan)
    form = client.get(f"/plan/{plan_id}/adjust?pupil=L02")
    assert form.status_code == 200
    assert '<option value="L02" selected>' in form.text
    for field in ("pupil", "phase", "first_week", "weeks", "place", "freeze_before"):
        assert f'<label for="{field}">' in form.text

    good = {"pupil": "L01", "phase": "j1-elmech:company", "first_week": "2027-01-11",
            "weeks": "2", "place": "jansens", "time_limit": "5"}  # fmt: skip
    bad_inputs = [
        ({"pupil": "L99"}, "'L99' is geen leerling"),
        ({"phase": "j9-nope:company"}, "geen fase die Lotte Vermeulen"),
        ({"first_week": "2026-11-02"}, "geen lesweek"),  # autumn holiday
        ({"weeks": "0"}, "tussen 1 en 20"),
        ({"place": "anttec-gent"}, "geen bedrijf"),
        ({"phase": "j1-elmech:theory", "place": "jansens"}, "een plaats kan alleen"),
        ({"freeze_before": "2027-02-01"}, "blijven ongewijzigd"),
        ({"time_limit": "0"}, "tussen 1 en 3600"),
    ]
    for change, message in bad_inputs:
        answer = client.post(f"/plan/{plan_id}/replan", data={**good, **change})
        assert answer.status_code == 422, change
        assert message in unescape(answer.text), (change, unescape(answer.text)[-3000:])
    assert solve.calls == []

    started = client.post(f"/plan/{plan_id}/replan", data=good, follow_redirects=False)
    job_id = started.headers["location"].removeprefix("/job/")
    job = wait_job(client, job_id)
    assert job["options"]["baseline"] == plan_id
    assert [p["week"] for p in job["options"]["pins"]] == ["2027-01-11", "2027-01-18"]
    kwargs = solve.calls[-1]
    pins = kwargs["pins"]
    assert Counter(p.phase_key for p in pins) == {"j1-elmech:company": 2}
    assert {p.place for p in pins} == {"jansens"} and kwargs["baseline"] == kwargs["hints"]
    assert kwargs["baseline"], "the re-plan starts from the plan's phases"
    # done: on to the review, with the validator's verdict and the diff
    progress = client.get(f"/job/{job_id}/progress", headers={"HX-Request": "true"})
    assert progress.headers["HX-Redirect"] == f"/plan/{job['plan_id']}/review"
    review = client.get(progress.headers["HX-Redirect"])
    assert (
        review.status_code == 200 and "onafhankelijke controle vindt dit plan geldig" in review.text
    )
    assert "Dit plan publiceren" in review.text
    # a re-plan of the re-plan keeps the earlier pins; freezing weeks adds the past as pins
    again = client.post(f"/plan/{job['plan_id']}/replan", data={**good, "pupil": "L02",
                        "first_week": "2027-03-01", "weeks": "1", "place": "",
                        "freeze_before": "2026-10-05"}, follow_redirects=False)  # fmt: skip
    job2 = wait_job(client, again.headers["location"].removeprefix("/job/"))
    assert len(job2["options"]["pins"]) == 3
    frozen = [p for p in solve.calls[-1]["pins"] if p.week < 5]
    assert {p.pupil for p in frozen} == {"L01", "L02", "L04", "L11"}
    not_a_replan = client.get(f"/plan/{plan_id}/review")
    assert not_a_replan.status_code == 404 and "geen herplanning" in not_a_replan.text


def test_feed_links_are_shown_once_listed_and_revoked(client, solved_plan) -> None:
    sign_in(client)
    scenario_id, plan_id = stored_plan(client, solved_plan)
    page = client.get(f"/plan/{plan_id}/feeds")
    assert page.status_code == 200 and "nog geen gepubliceerd plan" in page.text
    assert "Abonneren vanaf het web" in page.text and "Via URL" in page.text
    early = client.post(f"/plan/{plan_id}/feeds", data={"subscriber": "company:jansens"})
    assert early.status_code == 409 and "publiceer eerst" in early.text

    client.post(f"/plan/{plan_id}/publish")
    made = client.post(f"/plan/{plan_id}/feeds", data={"subscriber": "mentor:jansens-an",
                                                       "feed_lang": "en"})  # fmt: skip
    assert made.status_code == 201
    url = unescape(made.text).split('id="feed-url" type="text" readonly value="')[1].split('"')[0]
    assert url.startswith("http://testserver/feeds/") and "webcal://testserver/feeds/" in made.text
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    feed = client.get(url.removeprefix("http://testserver"))
    assert feed.status_code == 200 and b"BEGIN:VCALENDAR" in feed.content
    # listed without its token; the token is not in the database
    listing = client.get(f"/plan/{plan_id}/feeds").text
    assert "mentor An Peeters (Jansens Elektro NV)" in listing and token not in listing
    (feed_row,) = client.app.state.store.list_feeds(scenario_id)
    assert token not in repr(feed_row.__dict__)
    bad = client.post(f"/plan/{plan_id}/feeds", data={"subscriber": "company:acme"})
    assert bad.status_code == 422 and "acme" in bad.text
    client.post(f"/plan/{plan_id}/feeds/{feed_row.id}/revoke")
    assert client.get(url.removeprefix("http://testserver")).status_code == 404
    assert client.app.state.store.list_feeds(scenario_id) == []
    gone = client.post(f"/plan/{plan_id}/feeds/{feed_row.id}/revoke")
    assert gone.status_code == 404


def test_grid_groups_follow_the_scenario_classes(solved_plan) -> None:
    scenario = scenario_from_text(small_yaml())
    groups = build_grid(scenario, PlanView.of(Plan.model_validate(solved_plan)), ALL)
    assert [g.class_id for g in groups] == ["5emt"]
    assert [r.pupil for r in groups[0].rows] == [p.id for p in scenario.pupils]
    assert all(len(r.cells) == len(columns(scenario)) for r in groups[0].rows)


def test_feed_links_use_the_public_https_address(client_for, solved_plan) -> None:
    client = client_for(public_url="https://planning.vti.be")
    login = client.post("/login", data={"token": TOKEN}, follow_redirects=False)
    assert "Secure" in login.headers["set-cookie"]  # served over https: the cookie says so
    # the test client speaks http, where a browser would not send a Secure cookie: set it here
    client.cookies.set(SESSION_COOKIE, session_value(TOKEN))
    _, plan_id = stored_plan(client, solved_plan)
    client.post(f"/plan/{plan_id}/publish")
    made = client.post(f"/plan/{plan_id}/feeds", data={"subscriber": "school:vti-scheldeland"})
    assert made.status_code == 201
    assert 'value="https://planning.vti.be/feeds/' in made.text
    assert 'value="webcal://planning.vti.be/feeds/' in made.text
    assert "SCHEDULER_PUBLIC_URL" not in made.text  # no http warning
