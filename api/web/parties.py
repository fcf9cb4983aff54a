"""Parties named in explanations and feeds (``company:jansens``) as the planner reads them, and
where on the pages each one is shown."""

from __future__ import annotations

from scheduler.i18n import tr
from scheduler.model.scenario import Scenario


def kind_name(kind: str) -> str:
    """``company`` -> ``bedrijf`` (Dutch) / ``company``."""
    names = {
        "company": tr(nl="bedrijf", en="company"),
        "mentor": tr(nl="mentor", en="mentor"),
        "pupil": tr(nl="leerling", en="pupil"),
        "centre": tr(nl="opleidingscentrum", en="training centre"),
        "school": tr(nl="school", en="school"),
        "class": tr(nl="klas", en="class"),
    }
    return names.get(kind, kind)


def party_name(scenario: Scenario, party: str) -> str:
    """The name of the party written ``kind:id`` (the text itself when unknown)."""
    kind, _, ident = party.partition(":")
    if kind == "company" and ident in scenario.company_by_id:
        return scenario.company_by_id[ident].name
    if kind == "centre" and ident in scenario.centre_by_id:
        return scenario.centre_by_id[ident].name
    if kind == "school" and ident in scenario.school_by_id:
        return scenario.school_by_id[ident].name
    if kind == "mentor" and ident in scenario.mentor_by_id:
        company, mentor = scenario.mentor_by_id[ident]
        return f"{mentor.name} ({company.name})"
    if kind == "pupil" and ident in scenario.pupil_by_id:
        return scenario.pupil_by_id[ident].display_name
    if kind == "class" and ident in scenario.class_by_id:
        return scenario.class_by_id[ident].name or ident
    return ident or party


def party_label(scenario: Scenario, party: str) -> str:
    """``bedrijf Jansens Elektro NV``."""
    kind = party.partition(":")[0]
    return f"{kind_name(kind)} {party_name(scenario, party)}"


def party_link(scenario: Scenario, plan_id: str, party: str) -> str | None:
    """The page (and place on it) that shows the party's load or row, if any."""
    kind, _, ident = party.partition(":")
    if kind in ("company", "centre"):
        return f"/plan/{plan_id}/load#{kind}-{ident}"
    if kind == "mentor" and ident in scenario.mentor_by_id:
        return f"/plan/{plan_id}/load#company-{scenario.mentor_by_id[ident][0].id}"
    if kind == "pupil" and ident in scenario.pupil_by_id:
        return pupil_link(scenario, plan_id, ident)
    if kind == "class" and ident in scenario.class_by_id:
        return f"/plan/{plan_id}?class={ident}"
    return None


def pupil_link(scenario: Scenario, plan_id: str, pupil_id: str) -> str:
    """The pupil's row in the grid (on the page of the pupil's class)."""
    pupil = scenario.pupil_by_id.get(pupil_id)
    klass = f"?class={pupil.class_id}" if pupil else ""
    return f"/plan/{plan_id}{klass}#pupil-{pupil_id}"
