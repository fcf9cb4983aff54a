"""The words of calendar feeds: phase labels, pupil names, places, calendar names (nl / en).

Summaries must stay short in a month view (``Praktijk Pneumatica/Hydraulica - Lotte V.``);
details go into the description. Everything is produced in the current language
(:func:`scheduler.i18n.tr`).
"""

from __future__ import annotations

from scheduler.i18n import current_language, tr
from scheduler.ical.subscribers import SubscriberKind
from scheduler.model import Centre, Company, Pupil, Scenario, School
from scheduler.model.programme import Hours
from scheduler.plan import Place, WeekHours


def phase_label(phase: str) -> str:
    """What a phase is called in a summary (``theory`` -> ``Theorie``)."""
    labels = {
        "theory": ("Theorie", "Theory"),
        "simulated": ("Opleidingscentrum", "Training centre"),
        "company": ("Praktijk", "Workplace"),
        "experience": ("Ervaringsperiode", "Experience period"),
        "school": ("Gewone week", "Ordinary week"),
        "absent": ("Afwezig", "Absent"),
        "visit": ("Praktijktoets", "Practice test"),
    }
    nl, en = labels[phase]
    return tr(nl=nl, en=en)


def phase_description(phase: str) -> str:
    """One line on what the pupil does in a phase (for descriptions)."""
    lines = {
        "theory": (
            "Theoretische kennis op school",
            "Theory at school",
        ),
        "simulated": (
            "Gesimuleerde werkplek in het opleidingscentrum",
            "Simulated workplace at the training centre",
        ),
        "company": (
            "Praktijktoets en observatiefase in het bedrijf",
            "Practice test and observation phase at the company",
        ),
        "experience": (
            "Geïntegreerde ervaringsperiode op de werkvloer",
            "Integrated experience period on the shop floor",
        ),
        "school": (
            "Gewone week volgens het programma (school en werkplek)",
            "Ordinary week of the programme (school and workplace)",
        ),
        "absent": (
            "Afwezig: geen planning deze week",
            "Absent: nothing planned this week",
        ),
        "visit": (
            "Een leerkracht van de school komt de praktijktoets afnemen",
            "A teacher of the school visits for the practice test",
        ),
    }
    nl, en = lines[phase]
    return tr(nl=nl, en=en)


def pupil_name(scenario: Scenario, pupil: Pupil, subscriber: SubscriberKind) -> str:
    """How a pupil is named in a subscriber's feed.

    Pupils and schools see full names; companies, mentors and centres see what the scenario's
    ``settings.pupil_names`` allows: ``first_name_initial`` (``Lotte V.``), ``full_name`` or
    ``code`` (the pupil id).
    """
    naming = "full_name" if subscriber in ("pupil", "school") else scenario.settings.pupil_names
    if naming == "code":
        return pupil.id
    if naming == "full_name" or not pupil.last_name.strip():
        return pupil.display_name
    return f"{pupil.first_name} {pupil.last_name.strip()[0].upper()}."


def _party(scenario: Scenario, place: Place) -> School | Centre | Company | None:
    """The school, centre or company a place names."""
    if place.kind == "school":
        return scenario.school_by_id.get(place.id)
    if place.kind == "centre":
        return scenario.centre_by_id.get(place.id)
    return scenario.company_by_id.get(place.id)


def place_name(scenario: Scenario, place: Place) -> str:
    """The name of a school, centre or company."""
    party = _party(scenario, place)
    return party.name if party is not None else place.id


def place_location(scenario: Scenario, place: Place) -> str:
    """Name and address of a place (the address when the scenario knows it)."""
    party = _party(scenario, place)
    if party is None:
        return place.id
    return f"{party.name}, {party.address}" if party.address else party.name


def format_hours(value: float) -> str:
    """``22.8`` -> ``22,8 u`` (nl) / ``22.8 h`` (en)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    if current_language() == "en":
        return f"{text} h"
    return f"{text.replace('.', ',')} u"


def hours_line(hours: WeekHours | Hours) -> str:
    """The hours of a week by place, e.g. ``Uren deze week: school 15,2 u, werkplek 22,8 u``."""
    parts = [
        (tr(nl="school", en="school"), hours.school),
        (tr(nl="opleidingscentrum", en="training centre"), hours.centre),
        (tr(nl="werkplek", en="workplace"), hours.workplace),
    ]
    shown = ", ".join(f"{name} {format_hours(v)}" for name, v in parts if v) or "0"
    return tr(nl=f"Uren deze week: {shown}", en=f"Hours this week: {shown}")


def calendar_name(scenario: Scenario, kind: SubscriberKind, ident: str) -> str:
    """The calendar's name in the subscriber's list of calendars."""
    prefix = tr(nl="Duaal leren", en="Dual learning")
    if kind == "company":
        who = tr(nl="Bedrijf", en="Company") + " " + scenario.company_by_id[ident].name
    elif kind == "mentor":
        company, mentor = scenario.mentor_by_id[ident]
        who = tr(nl="Mentor", en="Mentor") + f" {mentor.name} ({company.name})"
    elif kind == "pupil":
        who = scenario.pupil_by_id[ident].display_name
    elif kind == "centre":
        who = (
            tr(nl="Opleidingscentrum", en="Training centre")
            + " "
            + scenario.centre_by_id[ident].name
        )
    else:
        who = tr(nl="School", en="School") + " " + scenario.school_by_id[ident].name
    return f"{prefix} - {who}"


def calendar_description(scenario: Scenario, kind: SubscriberKind, ident: str) -> str:
    """One sentence describing the feed (shown by some clients under the calendar name)."""
    year = scenario.school_year
    what = {
        "company": (
            "de bedrijfsfasen en ervaringsperiodes van leerlingen in dit bedrijf",
            "the company phases and experience periods of pupils at this company",
        ),
        "mentor": (
            "de bedrijfsfasen en ervaringsperiodes van de leerlingen van deze mentor",
            "the company phases and experience periods of this mentor's pupils",
        ),
        "pupil": (
            "het hele schooljaar: school, opleidingscentrum en bedrijf",
            "the whole school year: school, training centre and company",
        ),
        "centre": (
            "welke leerlingen welke week naar het opleidingscentrum komen",
            "which pupils come to the training centre in which week",
        ),
        "school": (
            "de theorie per klas en de bezoeken voor praktijktoetsen",
            "theory per class and the visits for practice tests",
        ),
    }[kind]
    return tr(
        nl=f"Jaarplanning duaal leren {year}: {what[0]}.",
        en=f"Dual learning year plan {year}: {what[1]}.",
    )
