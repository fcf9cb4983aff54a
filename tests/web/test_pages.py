"""The web pages through FastAPI's TestClient: sign-in, every page, bad input, Dutch/English."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest

from api.web.auth import SESSION_COOKIE, safe_next, session_value
from scheduler.plan import ExplanationItem, Plan
from tests.web.conftest import (
    TOKEN,
    FixedSolve,
    ReplaySolve,
    small_yaml,
    upload,
    wait_job,
)
from tests.web.pages import sign_in, stored_plan

PAGES = ["/", "/plan/x", "/plan/x/load", "/plan/x/adjust", "/plan/x/feeds", "/job/x"]


def _no_trace(text: str) -> None:
    assert "Traceback" not in text and 'File "' not in text


@pytest.mark.parametrize("path", PAGES)
def test_pages_send_strangers_to_the_login_page(client, path: str) -> None:
    answer = client.get(path, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/login?next={path}"
    # htmx follows HX-Redirect, not a 303 into its swap target
    polled = client.get(path, headers={"HX-Request": "true"}, follow_redirects=False)
    assert polled.headers["HX-Redirect"] == f"/login?next={path}"
    assert client.post("/plan/x/publish", follow_redirects=False).status_code == 303


def test_the_session_cookie_holds_no_token_and_is_strict(client) -> None:
    wrong = client.post("/login", data={"token": "nope"})
    assert wrong.status_code == 401 and "niet geldig" in wrong.text
    answer = client.post("/login", data={"token": TOKEN, "next": "/"}, follow_redirects=False)
    cookie = answer.headers["set-cookie"]
    assert f"{SESSION_COOKIE}={session_value(TOKEN)}" in cookie
    assert TOKEN not in cookie.split(";")[0]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    assert client.get("/").status_code == 200
    # a forged or stale cookie is no session
    client.cookies.set(SESSION_COOKIE, "0" * 64)
    assert client.get("/", follow_redirects=False).status_code == 303


def test_a_removed_token_ends_its_sessions(client_for) -> None:
    first = sign_in(client_for())
    cookie = first.cookies.get(SESSION_COOKIE)
    other = client_for(api_tokens=("another-token",))
    other.cookies.set(SESSION_COOKIE, cookie)
    assert other.get("/", follow_redirects=False).status_code == 303


def test_after_sign_in_only_local_paths() -> None:
    assert safe_next("/plan/abc?class=5emt") == "/plan/abc?class=5emt"
    for bad in ("//evil.example", "https://evil.example", "\\\\evil", "", None, "/\\evil"):
        assert safe_next(bad) == "/"


def test_a_form_from_another_site_is_refused(client) -> None:
    sign_in(client)
    answer = client.post(
        "/scenario/example",
        data={"example": "emt-duaal-2026-2027.yaml"},
        headers={"Origin": "https://evil.example"},
    )
    assert answer.status_code == 403 and "andere website" in answer.text
    assert client.app.state.store.list_scenarios() == []


def test_dev_mode_accepts_dev_and_says_so(client_for) -> None:
    client = client_for(api_tokens=(), dev=True)
    assert "<code>dev</code>" in client.get("/login").text
    sign_in(client, "dev")
    assert client.get("/").status_code == 200


def test_start_page_upload_example_and_bad_files(client) -> None:
    sign_in(client)
    start = client.get("/")
    assert start.status_code == 200 and 'lang="nl"' in start.text
    assert "Nog geen scenario" in start.text
    assert "emt-duaal-2026-2027.yaml" in start.text  # the bundled examples are offered

    sent = client.post("/scenario/upload", files={"scenario_file": ("klein.yaml", small_yaml())})
    assert sent.status_code == 200 and "Scenario toegevoegd" in sent.text
    assert "emt-klein-2026-2027" in sent.text

    # an example with a programme file: resolved on the server
    example = client.post("/scenario/example", data={"example": "emt-duaal-2026-2027.yaml"})
    assert example.status_code == 200 and "emt-duaal-2026-2027" in example.text
    assert len(client.app.state.store.list_scenarios()) == 2

    broken = small_yaml().replace("capacity: 2", "capcity: 2", 1)
    bad = client.post("/scenario/upload", files={"scenario_file": ("kapot.yaml", broken)})
    assert bad.status_code == 422
    assert "capcity" in bad.text and "regel" in bad.text and "kapot.yaml" in bad.text
    _no_trace(bad.text)
    empty = client.post("/scenario/upload", files={"scenario_file": ("leeg.yaml", b"")})
    assert empty.status_code == 422 and "kies eerst een scenariobestand" in empty.text
    latin = client.post(
        "/scenario/upload", files={"scenario_file": ("x.yaml", "é".encode("latin-1"))}
    )
    assert latin.status_code == 422 and "UTF-8" in latin.text
    unknown = client.post("/scenario/example", data={"example": "../../etc/passwd"})
    assert unknown.status_code == 422 and "geen meegeleverd voorbeeld" in unknown.text


def test_solve_follow_the_job_and_reach_the_plan(client_for, solved_plan) -> None:
    client = sign_in(client_for(solve=ReplaySolve(solved_plan)))
    scenario_id = upload(client)
    bad = client.post(f"/scenario/{scenario_id}/solve", data={"time_limit": "veel"})
    assert bad.status_code == 422 and "tussen 1 en 3600 seconden" in bad.text
    started = client.post(
        f"/scenario/{scenario_id}/solve", data={"time_limit": "5"}, follow_redirects=False
    )
    job_id = started.headers["location"].removeprefix("/job/")
    done = wait_job(client, job_id)  # through the JSON API, with the bearer token
    progress = client.get(f"/job/{job_id}/progress", headers={"HX-Request": "true"})
    assert progress.headers["HX-Redirect"] == f"/plan/{done['plan_id']}"
    page = client.get(f"/job/{job_id}", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == f"/plan/{done['plan_id']}"
    start = client.get("/")
    assert f"/plan/{done['plan_id']}" in start.text and "concept" in start.text
    missing = client.get("/job/nope")
    assert missing.status_code == 404 and "geen berekening met id 'nope'" in unescape(missing.text)


def test_a_running_job_page_polls_and_can_be_cancelled(client_for) -> None:
    from tests.web.conftest import BlockingSolve

    solve = BlockingSolve()
    client = sign_in(client_for(solve=solve))
    scenario_id = upload(client)
    started = client.post(f"/scenario/{scenario_id}/solve", data={"time_limit": "30"})
    assert solve.started.acquire(timeout=30)
    job_id = re.search(r"/job/([0-9a-f]+)/progress", started.text).group(1)
    assert 'hx-trigger="every 1s"' in started.text and "<progress" in started.text
    assert "Berekening stoppen" in started.text
    client.post(f"/job/{job_id}/cancel")
    job = wait_job(client, job_id)
    assert job["state"] == "cancelled"
    block = client.get(f"/job/{job_id}/progress")
    assert "Gestopt op jouw vraag" in block.text and "hx-trigger" not in block.text


def test_grid_page_rows_weeks_margins_and_languages(client, solved_plan) -> None:
    sign_in(client)
    _, plan_id = stored_plan(client, solved_plan)
    plan = Plan.model_validate(solved_plan)
    page = client.get(f"/plan/{plan_id}")
    assert page.status_code == 200
    html = page.text
    for pupil in ("L01", "L02", "L04", "L11"):
        assert f'id="pupil-{pupil}"' in html
    assert "herfstvakantie" in html and "kerstvakantie" in html  # holiday columns, named
    # one cell per pupil-week of the plan: count the phase cells of L01's row
    row = html.split('id="pupil-L01"')[1].split("</tr>")[0]
    weeks_of_l01 = sum(1 for a in plan.assignments if a.pupil == "L01")
    assert len(re.findall(r'<td class="ph-[tscoea]"', row)) == weeks_of_l01
    margin = next(s for s in plan.pupils if s.pupil == "L01").margin
    assert f"{margin:.1f}".replace(".", ",") in row.split('class="m')[1]
    assert 'scope="row"' in html and 'scope="col"' in html and "<caption" in html
    # one class at a time, and an unknown class
    assert 'id="pupil-L01"' in client.get(f"/plan/{plan_id}?class=5emt").text
    unknown = client.get(f"/plan/{plan_id}?class=6xyz")
    assert unknown.status_code == 404 and "'6xyz' is geen klas" in unescape(unknown.text)
    # English on request, remembered in a cookie; and from Accept-Language
    english = client.get(f"/plan/{plan_id}?lang=en")
    assert 'lang="en"' in english.text and "Year grid" in english.text
    assert "lang=en" in english.headers["set-cookie"]
    assert 'lang="en"' in client.get(f"/plan/{plan_id}").text
    client.cookies.delete("lang")
    assert 'lang="en"' in client.get(f"/plan/{plan_id}", headers={"Accept-Language": "en"}).text
    assert client.get(f"/plan/{plan_id}/print").status_code == 200
    missing = client.get("/plan/nope")
    assert missing.status_code == 404 and "geen plan met id 'nope'" in unescape(missing.text)


def test_print_page_has_every_class_legend_and_approval(client, solved_plan) -> None:
    sign_in(client)
    _, plan_id = stored_plan(client, solved_plan)
    page = client.get(f"/plan/{plan_id}/print").text
    assert "Goedgekeurd door de directie" in page and 'class="legend"' in page
    assert all(f'id="pupil-{p}"' in page for p in ("L01", "L02", "L04", "L11"))
    assert "/adjust" not in page  # no links to edit on paper
    css = client.get("/static/web.css").text
    assert "@media print" in css and "landscape" in css


def test_an_impossible_plan_explains_itself_with_links(client_for) -> None:
    item = ExplanationItem(
        rule="company_capacity",
        message="Bedrijf Metaalbouw De Smet kan 1 leerling tegelijk ontvangen.",
        fix="Verhoog de capaciteit tot minstens 2.",
        parties=["company:desmet"],
        pupils=["L04"],
        weeks=[dt.date(2027, 3, 1)],
    )
    client = sign_in(client_for(solve=FixedSolve("infeasible", explanation=[item])))
    scenario_id = upload(client)
    started = client.post(
        f"/scenario/{scenario_id}/solve", data={"time_limit": "5"}, follow_redirects=False
    )
    plan_id = wait_job(client, started.headers["location"].removeprefix("/job/"))["plan_id"]
    page = client.get(f"/plan/{plan_id}").text
    assert "Waarom er geen plan is" in page and "onmogelijk" in page
    assert item.message in page and "Verhoog de capaciteit tot minstens 2." in page
    assert f'href="/plan/{plan_id}/load#company-desmet"' in page
    assert "bedrijf Metaalbouw De Smet" in page
    assert f'href="/plan/{plan_id}?class=5emt#pupil-L04"' in page
    assert "Publiceren" not in page
    refused = client.post(f"/plan/{plan_id}/publish")
    assert refused.status_code == 409 and "kan niet gepubliceerd worden" in refused.text


def test_offline_docs_and_static_files(client) -> None:
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "/docs-assets/swagger-ui-bundle.js" in docs.text and "cdn" not in docs.text.lower()
    assert client.get("/docs-assets/swagger-ui-bundle.js").status_code == 200
    assert client.get("/static/htmx.min.js").status_code == 200
    sign_in(client)
    page = client.get("/").text
    assert "http://" not in page.replace("http://testserver", "") and "https://" not in page
