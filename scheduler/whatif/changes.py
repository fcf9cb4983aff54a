"""Change files: what-if changes to a scenario, and applying them.

A change file names a base scenario and lists typed changes (a company drops out, a mentor is
ill, a pupil joins late, a centre closes a week, ...). :func:`apply_changes` turns the base
scenario into the changed one: a new, fully validated :class:`Scenario` that keeps the base's
``meta.name`` and school year, because it is a revision of the same year plan (plans, feeds
and calendar UIDs depend on that name).

Every change is checked against the scenario as it stands after the changes before it; each
problem names the change and its field (``changes[2].company: 'ACME' is geen bedrijf in dit
scenario``) and, when read from a file, the file and line.

What ``company_leaves`` does (the task left it open; see also ``docs/whatif.md``):

- the company takes part until the day before ``from`` (``active_until``); it stays in the
  scenario because the weeks already spent there are part of the plan;
- each of its pupils still enrolled on ``from`` gets a new **home company** and mentor: the
  pupil's own ``new_company``/``new_mentor``, else the change's, else the partner of the
  company that allows all the pupil's modules and has the most places left (places minus home
  pupils), with its mentor who has the most room; without partners the change must name one;
- the old company and its partners become partners of the new home company, so the company
  and experience weeks the pupil already spent there stay valid (after ``from`` the old
  company takes nobody; the new company's own pupils could in principle be sent to those
  partners too, which a re-plan avoids because it changes as little as it can);
- the pupil's **ordinary-week workplace days** move to the new home company (its closures
  apply from then on), and the **experience period** is at the new home company or its
  partners.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field, ValidationError, model_validator

from scheduler.errors import Problem, ScenarioError
from scheduler.files import (
    LineMap,
    Loc,
    format_loc,
    problems_from_validation_error,
    read_document,
)
from scheduler.i18n import tr
from scheduler.model.base import DomainModel, Id, monday_of
from scheduler.model.parties import Pupil, SchoolClass
from scheduler.model.programme import Contract, Length, PhaseKind
from scheduler.model.scenario import Meta, Scenario
from scheduler.plan import PlanPhase

# --- shared pieces ------------------------------------------------------------------------


class _Dated(DomainModel):
    """Base of every change: the dates it names and the one from which it applies."""

    date_fields: ClassVar[tuple[str, ...]] = ()
    """The change's date fields; the first is the day from which the change applies."""

    def effective(self) -> dt.date | None:
        """The first day the change applies (None: it has no date of its own)."""
        return getattr(self, self.date_fields[0]) if self.date_fields else None

    def dates(self) -> list[tuple[str, dt.date | None]]:
        """Every date the change names, by field, to be checked against the school year."""
        fields = type(self).model_fields
        return [(fields[n].alias or n, getattr(self, n)) for n in self.date_fields]


def _ordered(start: dt.date, end: dt.date | None) -> None:
    if end is not None and end < start:
        raise ValueError(
            tr(
                nl=f"'to' ({end}) ligt vóór 'from' ({start})",
                en=f"'to' ({end}) is before 'from' ({start})",
            )
        )


class _Span(_Dated):
    """A change that holds from one date to another (both inclusive)."""

    date_fields = ("start", "end")

    start: dt.date = Field(alias="from", description="First day (inclusive).")
    end: dt.date = Field(alias="to", description="Last day (inclusive).")

    @model_validator(mode="after")
    def _check_order(self) -> _Span:
        _ordered(self.start, self.end)
        return self


class _OpenSpan(_Dated):
    """A change from a date, until another date or the end of the school year."""

    date_fields = ("start", "end")

    start: dt.date = Field(alias="from", description="First day (inclusive).")
    end: dt.date | None = Field(
        default=None, alias="to", description="Last day (inclusive); the end of the year if absent."
    )

    @model_validator(mode="after")
    def _check_order(self) -> _OpenSpan:
        _ordered(self.start, self.end)
        return self


class _Undated(_Dated):
    """A change for the whole year that may say from when it is known (``from``)."""

    date_fields = ("start",)

    start: dt.date | None = Field(
        default=None,
        alias="from",
        description="From when the change applies (frozen weeks before it); none when absent.",
    )


# --- the changes --------------------------------------------------------------------------


class PupilMove(DomainModel):
    """Where one pupil of a company that drops out goes."""

    pupil: Id
    new_company: Id | None = Field(default=None, description="The pupil's new home company.")
    new_mentor: Id | None = Field(
        default=None, description="The pupil's new mentor (implies the new company)."
    )


class CompanyLeaves(_Dated):
    """A company drops out from ``from`` on; its pupils get a new home company and mentor."""

    date_fields = ("start",)

    type: Literal["company_leaves"]
    company: Id
    start: dt.date = Field(alias="from", description="First day the company takes no pupils.")
    new_company: Id | None = Field(
        default=None, description="New home company for all its pupils (else its partners)."
    )
    new_mentor: Id | None = Field(
        default=None, description="New mentor for all its pupils (implies the new company)."
    )
    pupils: list[PupilMove] = Field(
        default_factory=list, description="Per pupil: the new company and/or mentor."
    )


class CompanyCloses(_Span):
    """A company is closed from one date to another (collective holidays, a strike, a fire)."""

    type: Literal["company_closes"]
    company: Id


class CompanyCapacity(_OpenSpan):
    """A company can host a different number of pupils at once for a while."""

    type: Literal["company_capacity"]
    company: Id
    capacity: int = Field(ge=0, description="Pupils on site at once in those weeks.")


class MentorAbsent(_Span):
    """A mentor is away (ill, on leave) from one date to another."""

    type: Literal["mentor_absent"]
    mentor: Id


class PupilJoins(_Dated):
    """A new pupil joins the programme on ``start``."""

    date_fields = ("start",)

    type: Literal["pupil_joins"]
    pupil: Pupil = Field(description="The full pupil entry, as in a scenario file.")
    start: dt.date = Field(description="First day in the programme.")


class PupilLeaves(_Dated):
    """A pupil leaves the programme; ``date`` is the last day (as ``leave`` in a scenario)."""

    date_fields = ("date",)

    type: Literal["pupil_leaves"]
    pupil: Id
    date: dt.date = Field(description="The pupil's last day in the programme.")


class ContractChanges(_Undated):
    """A pupil gets another contract (OAO or internship) for the school year."""

    type: Literal["contract_changes"]
    pupil: Id
    contract: Contract


class CentreClosed(_Span):
    """A training centre is closed from one date to another."""

    type: Literal["centre_closed"]
    centre: Id


class CentreSeats(_OpenSpan):
    """A training centre has a different number of seats for a while."""

    type: Literal["centre_seats"]
    centre: Id
    seats: int = Field(ge=0, description="Pupils the centre takes per week then.")


class ExtraFreeDay(_Dated):
    """An extra day without school, for every school or for one."""

    date_fields = ("date",)

    type: Literal["extra_free_day"]
    date: dt.date
    name: str = Field(min_length=1)
    school: Id | None = Field(default=None, description="Only this school; every school if absent.")


class PhaseLength(_Undated):
    """A module phase gets another length (e.g. one more week of theory)."""

    type: Literal["phase_length"]
    module: Id
    phase: PhaseKind = Field(description="theory, simulated or company.")
    weeks: Length = Field(description="New length in teaching weeks: 3 or 2..4.")


class ClassAdded(_Dated):
    """A new class (with its pupils) joins a school's dual learning."""

    date_fields = ("start",)

    type: Literal["class_added"]
    school: Id
    klass: SchoolClass = Field(alias="class", description="The class entry.")
    pupils: list[Pupil] = Field(
        default_factory=list, description="Its pupils; 'class' may be left out."
    )
    start: dt.date | None = Field(
        default=None, description="First day of the class (the pupils' start when they have none)."
    )

    @model_validator(mode="before")
    @classmethod
    def _pupils_in_class(cls, data: Any) -> Any:
        # a pupil entry inside the class needs not repeat the class id
        if isinstance(data, dict) and isinstance(data.get("class"), dict):
            class_id = data["class"].get("id")
            pupils = data.get("pupils")
            if class_id is not None and isinstance(pupils, list):
                data = dict(data)
                data["pupils"] = [
                    {"class": class_id, **p} if isinstance(p, dict) and "class" not in p else p
                    for p in pupils
                ]
        return data

    def effective(self) -> dt.date | None:
        """The class's start, or its first pupil's."""
        starts = [p.start for p in self.pupils if p.start] + ([self.start] if self.start else [])
        return min(starts, default=None)


Change = Annotated[
    CompanyLeaves
    | CompanyCloses
    | CompanyCapacity
    | MentorAbsent
    | PupilJoins
    | PupilLeaves
    | ContractChanges
    | CentreClosed
    | CentreSeats
    | ExtraFreeDay
    | PhaseLength
    | ClassAdded,
    Field(discriminator="type"),
]
"""One change, told apart by its ``type``."""

CHANGE_TYPES = (
    "company_leaves", "company_closes", "company_capacity", "mentor_absent", "pupil_joins",
    "pupil_leaves", "contract_changes", "centre_closed", "centre_seats", "extra_free_day",
    "phase_length", "class_added",
)  # fmt: skip


class PinSpec(DomainModel):
    """A planner's pin: these weeks of this pupil must not move. Without ``phase`` and
    ``place`` they stay exactly as in the baseline plan; with them, the pupil is in that phase
    (and at that place) in those weeks."""

    pupil: Id
    start: dt.date = Field(alias="from", description="First day (its week is pinned).")
    end: dt.date = Field(alias="to", description="Last day (its week is pinned).")
    phase: PlanPhase | None = Field(
        default=None, description="theory, simulated, company, experience or school."
    )
    module: Id | None = Field(default=None, description="The module, for a module phase.")
    place: Id | None = Field(default=None, description="A company or centre id.")
    mentor: Id | None = Field(default=None, description="A mentor id (company weeks).")

    @model_validator(mode="after")
    def _check(self) -> PinSpec:
        _ordered(self.start, self.end)
        if self.phase in ("theory", "simulated", "company") and self.module is None:
            raise ValueError(
                tr(
                    nl=f"een pin op fase '{self.phase}' moet de module noemen",
                    en=f"a pin on phase '{self.phase}' must name the module",
                )
            )
        if self.phase in ("experience", "school") and self.module is not None:
            raise ValueError(
                tr(
                    nl=f"fase '{self.phase}' hoort bij geen module",
                    en=f"phase '{self.phase}' belongs to no module",
                )
            )
        return self

    @property
    def phase_key(self) -> str | None:
        """The solver's phase key: ``MODULE:kind``, ``experience`` or None (ordinary week)."""
        if self.phase in (None, "school"):
            return None
        if self.phase == "experience":
            return "experience"
        return f"{self.module}:{self.phase}"


class ChangeFile(DomainModel):
    """A what-if: the base scenario, the changes, from when the plan may change, and pins."""

    meta: Meta
    base: str = Field(
        min_length=1, description="The base scenario file, relative to this change file."
    )
    start: dt.date | None = Field(
        default=None,
        alias="from",
        description="The plan may change from this date on (weeks before it are frozen); the "
        "earliest change's date when absent.",
    )
    changes: list[Change] = Field(min_length=1)
    pins: list[PinSpec] = Field(
        default_factory=list, description="Weeks of pupils that must stay as they are."
    )

    def effective(self) -> dt.date | None:
        """From when the plan may change: ``from``, else the earliest change's date."""
        if self.start is not None:
            return self.start
        return min((d for c in self.changes if (d := c.effective())), default=None)


# --- applying -----------------------------------------------------------------------------


class _Draft:
    """The scenario being changed: the validated scenario so far and its data to edit."""

    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        self.data: dict[str, Any] = scenario.model_dump(mode="python", by_alias=True)
        self.problems: list[tuple[Loc, str, Any]] = []

    def fail(self, loc: Loc, message: str, value: Any = None) -> None:
        """Record a problem of the change at ``loc``."""
        self.problems.append((loc, message, value))

    def find(
        self, entries: Iterable[dict[str, Any]], ident: str, loc: Loc, nl: str, en: str
    ) -> dict[str, Any] | None:
        """The entry with this id, or a problem at ``loc`` (``nl``/``en`` name the kind)."""
        found = next((e for e in entries if e["id"] == ident), None)
        if found is None:
            self.fail(loc, _not_a(nl, en, ident), ident)
        return found

    def company(self, company_id: str, loc: Loc) -> dict[str, Any] | None:
        """The data of a company, or a problem."""
        return self.find(self.data["companies"], company_id, loc, "bedrijf", "company")

    def centre(self, centre_id: str, loc: Loc) -> dict[str, Any] | None:
        """The data of a centre, or a problem."""
        return self.find(
            self.data["centres"], centre_id, loc, "opleidingscentrum", "training centre"
        )

    def school(self, school_id: str, loc: Loc) -> dict[str, Any] | None:
        """The data of a school, or a problem."""
        return self.find(self.data["schools"], school_id, loc, "school", "school")

    def mentor(self, mentor_id: str, loc: Loc) -> dict[str, Any] | None:
        """The data of a mentor, or a problem."""
        mentors = (m for c in self.data["companies"] for m in c["mentors"])
        return self.find(mentors, mentor_id, loc, "mentor", "mentor")

    def pupil(self, pupil_id: str, loc: Loc) -> dict[str, Any] | None:
        """The data of a pupil, or a problem."""
        return self.find(self.data["pupils"], pupil_id, loc, "leerling", "pupil")


def _not_a(what_nl: str, what_en: str, value: str) -> str:
    return tr(
        nl=f"'{value}' is geen {what_nl} in dit scenario",
        en=f"'{value}' is not a {what_en} in this scenario",
    )


def _span(start: dt.date, end: dt.date) -> dict[str, dt.date]:
    return {"from": start, "to": end}


Remap = dict[Loc, Loc]
"""Where problems of the re-validated scenario belong in the change (scenario path prefix ->
change path prefix), for entries a change adds."""


def _apply_company_leaves(c: CompanyLeaves, d: _Draft, at: Loc) -> Remap:
    company = d.company(c.company, (*at, "company"))
    if company is None:
        return {}
    s = d.scenario
    gone = c.start - dt.timedelta(days=1)

    def target(loc: Loc, new_company: str | None, new_mentor: str | None) -> tuple | None:
        """(company, mentor or None) a move names, None when it names none, () on a problem."""
        if new_mentor is not None:
            owner = s.mentor_by_id.get(new_mentor)
            if owner is None:
                d.fail((*loc, "new_mentor"), _not_a("mentor", "mentor", new_mentor), new_mentor)
                return ()
            if new_company is not None and owner[0].id != new_company:
                d.fail(
                    (*loc, "new_mentor"),
                    tr(
                        nl=f"'{new_mentor}' is geen mentor van bedrijf '{new_company}' "
                        f"(wel van '{owner[0].id}')",
                        en=f"'{new_mentor}' is not a mentor of company '{new_company}' "
                        f"(but of '{owner[0].id}')",
                    ),
                    new_mentor,
                )
                return ()
            new_company = owner[0].id
        if new_company is None:
            return None
        other = s.company_by_id.get(new_company)
        field_name = "new_company" if new_mentor is None else "new_mentor"
        if other is None:
            d.fail((*loc, "new_company"), _not_a("bedrijf", "company", new_company), new_company)
            return ()
        if other.id == c.company:
            d.fail(
                (*loc, field_name),
                tr(
                    nl=f"'{other.id}' is het bedrijf dat stopt",
                    en=f"'{other.id}' is the company that drops out",
                ),
                other.id,
            )
            return ()
        if other.active_until is not None and other.active_until < c.start:
            d.fail(
                (*loc, field_name),
                tr(
                    nl=f"bedrijf '{other.id}' neemt na {other.active_until} geen leerlingen meer",
                    en=f"company '{other.id}' takes no pupils after {other.active_until}",
                ),
                other.id,
            )
            return ()
        return (other.id, new_mentor)

    common = target(at, c.new_company, c.new_mentor)
    own: dict[str, tuple | None] = {}
    for j, move in enumerate(c.pupils):
        loc = (*at, "pupils", j)
        pupil = s.pupil_by_id.get(move.pupil)
        if pupil is None:
            d.fail((*loc, "pupil"), _not_a("leerling", "pupil", move.pupil), move.pupil)
        elif pupil.company != c.company:
            d.fail(
                (*loc, "pupil"),
                tr(
                    nl=f"'{move.pupil}' is geen leerling van bedrijf '{c.company}' "
                    f"(wel van '{pupil.company}')",
                    en=f"'{move.pupil}' is not a pupil of company '{c.company}' "
                    f"(but of '{pupil.company}')",
                ),
                move.pupil,
            )
        elif move.pupil in own:
            d.fail(
                (*loc, "pupil"),
                tr(nl=f"'{move.pupil}' staat er twee keer", en=f"'{move.pupil}' appears twice"),
                move.pupil,
            )
        else:
            own[move.pupil] = target(loc, move.new_company, move.new_mentor)
    if common == () or any(t == () for t in own.values()):
        return {}

    homes = Counter(p["company"] for p in d.data["pupils"])
    guided = Counter(p["mentor"] for p in d.data["pupils"])
    for p in d.data["pupils"]:
        pupil = s.pupil_by_id[p["id"]]
        if pupil.company != c.company or (pupil.leave is not None and pupil.leave < c.start):
            continue
        chosen = own.get(pupil.id) or common or _partner_for(s, c, pupil, homes)
        if chosen is None:
            d.fail(
                (*at, "new_company"),
                tr(
                    nl=f"bedrijf '{c.company}' heeft geen partnerbedrijf dat leerling "
                    f"'{pupil.id}' kan overnemen: geef new_company op (voor iedereen of per "
                    "leerling onder pupils)",
                    en=f"company '{c.company}' has no partner that can take pupil "
                    f"'{pupil.id}': give new_company (for all, or per pupil under pupils)",
                ),
            )
            continue
        new_id, mentor_id = chosen
        new = s.company_by_id[new_id]
        if mentor_id is None:
            # the mentor with the most room (max pupils minus pupils guided), in listed order
            mentor_id = max(new.mentors, key=lambda m: m.max_pupils - guided[m.id]).id
        homes[p["company"]] -= 1
        guided[p["mentor"]] -= 1
        homes[new_id] += 1
        guided[mentor_id] += 1
        p["company"], p["mentor"] = new_id, mentor_id
        # the company and experience weeks already spent at the old company or its partners
        # stay at candidate companies of the pupil
        history = [c.company, *s.company_by_id[c.company].partners]
        for data in d.data["companies"]:
            if data["id"] == new_id:
                extra = [x for x in history if x != new_id and x not in data["partners"]]
                data["partners"] = [*data["partners"], *extra]
    current = company["active_until"]
    company["active_until"] = gone if current is None else min(current, gone)
    return {}


def _partner_for(
    s: Scenario, c: CompanyLeaves, pupil: Pupil, homes: Counter[str]
) -> tuple[str, None] | None:
    """The partner that allows all the pupil's modules and has the most places left (places
    minus its home pupils), in listed order; None when the company has no usable partner."""
    leaving = s.company_by_id[c.company]
    modules = [m.id for m in s.modules_of(pupil)]
    best: tuple[tuple[int, int, int], str] | None = None
    for rank, partner_id in enumerate(leaving.partners):
        partner = s.company_by_id[partner_id]
        if partner.id == leaving.id:
            continue
        if partner.active_until is not None and partner.active_until < c.start:
            continue
        allows = all(partner.allows(m) for m in modules)
        key = (int(allows), partner.capacity - homes[partner.id], -rank)
        if best is None or key > best[0]:
            best = (key, partner.id)
    return None if best is None else (best[1], None)


def _append(entry: dict[str, Any] | None, key: str, item: Any) -> Remap:
    """Add ``item`` to the list ``key`` of a scenario entry (None: the lookup failed)."""
    if entry is not None:
        entry[key] = [*entry[key], item]
    return {}


def _override(d: _Draft, start: dt.date, end: dt.date | None, number: int) -> dict[str, Any]:
    """A capacity or seat override from ``start`` to ``end`` (the end of the year if None)."""
    return {
        "weeks": [_span(start, end or d.scenario.school_calendar.last_day)],
        "capacity": number,
    }


def _apply_company_closes(c: CompanyCloses, d: _Draft, at: Loc) -> Remap:
    company = d.company(c.company, (*at, "company"))
    return _append(company, "closures", _span(c.start, c.end))


def _apply_company_capacity(c: CompanyCapacity, d: _Draft, at: Loc) -> Remap:
    company = d.company(c.company, (*at, "company"))
    return _append(company, "capacity_overrides", _override(d, c.start, c.end, c.capacity))


def _apply_mentor_absent(c: MentorAbsent, d: _Draft, at: Loc) -> Remap:
    mentor = d.mentor(c.mentor, (*at, "mentor"))
    return _append(mentor, "unavailable", _span(c.start, c.end))


def _apply_pupil_joins(c: PupilJoins, d: _Draft, at: Loc) -> Remap:
    if c.pupil.id in d.scenario.pupil_by_id:
        d.fail(
            (*at, "pupil", "id"),
            tr(
                nl=f"leerling '{c.pupil.id}' bestaat al in dit scenario",
                en=f"pupil '{c.pupil.id}' already exists in this scenario",
            ),
            c.pupil.id,
        )
        return {}
    if c.pupil.start is not None and c.pupil.start != c.start:
        d.fail(
            (*at, "pupil", "start"),
            tr(
                nl=f"de start van de leerling ({c.pupil.start}) verschilt van die van de "
                f"wijziging ({c.start}); laat ze weg bij de leerling",
                en=f"the pupil's start ({c.pupil.start}) differs from the change's "
                f"({c.start}); leave it out of the pupil",
            ),
            str(c.pupil.start),
        )
        return {}
    entry = c.pupil.model_dump(mode="python", by_alias=True) | {"start": c.start}
    d.data["pupils"] = [*d.data["pupils"], entry]
    return {("pupils", len(d.data["pupils"]) - 1): (*at, "pupil")}


def _apply_pupil_leaves(c: PupilLeaves, d: _Draft, at: Loc) -> Remap:
    pupil = d.pupil(c.pupil, (*at, "pupil"))
    if pupil is None:
        return {}
    if pupil["start"] is not None and c.date < pupil["start"]:
        d.fail(
            (*at, "date"),
            tr(
                nl=f"{c.date} ligt vóór de start van de leerling ({pupil['start']})",
                en=f"{c.date} is before the pupil's start ({pupil['start']})",
            ),
            str(c.date),
        )
        return {}
    pupil["leave"] = c.date
    return {}


def _apply_contract_changes(c: ContractChanges, d: _Draft, at: Loc) -> Remap:
    pupil = d.pupil(c.pupil, (*at, "pupil"))
    if pupil is not None:
        pupil["contract"] = c.contract
    return {}


def _apply_centre_closed(c: CentreClosed, d: _Draft, at: Loc) -> Remap:
    centre = d.centre(c.centre, (*at, "centre"))
    return _append(centre, "closures", _span(c.start, c.end))


def _apply_centre_seats(c: CentreSeats, d: _Draft, at: Loc) -> Remap:
    centre = d.centre(c.centre, (*at, "centre"))
    return _append(centre, "seat_overrides", _override(d, c.start, c.end, c.seats))


def _apply_extra_free_day(c: ExtraFreeDay, d: _Draft, at: Loc) -> Remap:
    s = d.scenario
    if c.school is not None:
        school = d.school(c.school, (*at, "school"))
        if school is None:
            return {}
        schools = [c.school]
    else:
        school, schools = None, [x.id for x in s.schools]
    week = monday_of(c.date)
    if not any(c.date in s.school_days(x).get(week, ()) for x in schools):
        d.fail(
            (*at, "date"),
            tr(
                nl=f"{c.date} is geen schooldag (weekend, vakantie of al een vrije dag)",
                en=f"{c.date} is not a school day (weekend, holiday or already a free day)",
            ),
            str(c.date),
        )
        return {}
    entry = {"name": c.name, "date": c.date}
    if school is not None:
        school["free_days"] = [*school["free_days"], entry]
    else:
        d.data["calendar"]["free_days"] = [*d.data["calendar"]["free_days"], entry]
    return {}


def _apply_phase_length(c: PhaseLength, d: _Draft, at: Loc) -> Remap:
    if c.module not in d.scenario.module_by_id:
        d.fail((*at, "module"), _not_a("module", "module", c.module), c.module)
        return {}
    for programme in d.data["programmes"]:
        for year in programme["years"]:
            for module in year["modules"]:
                if module["id"] != c.module:
                    continue
                for phase in module["phases"]:
                    if phase["kind"] == c.phase:
                        phase["weeks"] = {"min": c.weeks.min, "max": c.weeks.max}
                        return {}
                d.fail(
                    (*at, "phase"),
                    tr(
                        nl=f"module '{c.module}' heeft geen fase '{c.phase}'",
                        en=f"module '{c.module}' has no phase '{c.phase}'",
                    ),
                    c.phase,
                )
    return {}


def _apply_class_added(c: ClassAdded, d: _Draft, at: Loc) -> Remap:
    school = d.school(c.school, (*at, "school"))
    if school is None:
        return {}
    if c.klass.id in d.scenario.class_by_id:
        d.fail(
            (*at, "class", "id"),
            tr(
                nl=f"klas '{c.klass.id}' bestaat al in dit scenario",
                en=f"class '{c.klass.id}' already exists in this scenario",
            ),
            c.klass.id,
        )
        return {}
    remap: Remap = {}
    i = next(k for k, x in enumerate(d.data["schools"]) if x["id"] == c.school)
    school["classes"] = [*school["classes"], c.klass.model_dump(mode="python", by_alias=True)]
    remap[("schools", i, "classes", len(school["classes"]) - 1)] = (*at, "class")
    for j, pupil in enumerate(c.pupils):
        if pupil.class_id != c.klass.id:
            d.fail(
                (*at, "pupils", j, "class"),
                tr(
                    nl=f"de leerling hoort bij klas '{pupil.class_id}', niet bij de nieuwe klas "
                    f"'{c.klass.id}'",
                    en=f"the pupil is in class '{pupil.class_id}', not in the new class "
                    f"'{c.klass.id}'",
                ),
                pupil.class_id,
            )
            continue
        entry = pupil.model_dump(mode="python", by_alias=True)
        if entry["start"] is None and c.start is not None:
            entry["start"] = c.start
        d.data["pupils"] = [*d.data["pupils"], entry]
        remap[("pupils", len(d.data["pupils"]) - 1)] = (*at, "pupils", j)
    return remap


_APPLY = {
    CompanyLeaves: _apply_company_leaves,
    CompanyCloses: _apply_company_closes,
    CompanyCapacity: _apply_company_capacity,
    MentorAbsent: _apply_mentor_absent,
    PupilJoins: _apply_pupil_joins,
    PupilLeaves: _apply_pupil_leaves,
    ContractChanges: _apply_contract_changes,
    CentreClosed: _apply_centre_closed,
    CentreSeats: _apply_centre_seats,
    ExtraFreeDay: _apply_extra_free_day,
    PhaseLength: _apply_phase_length,
    ClassAdded: _apply_class_added,
}


def _outside_year(scenario: Scenario, day: dt.date) -> str | None:
    cal = scenario.school_calendar
    if cal.contains(day):
        return None
    return tr(
        nl=f"{day} ligt buiten schooljaar {scenario.school_year} "
        f"({cal.first_day} tot {cal.last_day})",
        en=f"{day} is outside school year {scenario.school_year} "
        f"({cal.first_day} to {cal.last_day})",
    )


def _line(lines: LineMap | None, loc: Loc) -> int | None:
    for k in range(len(loc), -1, -1):
        if lines and loc[:k] in lines:
            return lines[loc[:k]]
    return None


def _problem(loc: Loc, message: str, source: str, lines: LineMap | None) -> Problem:
    return Problem(message, path=format_loc(loc), file=source, line=_line(lines, loc))


def _remapped(
    exc: ValidationError, remap: Remap, at: Loc, source: str, lines: LineMap | None
) -> list[Problem]:
    """Problems of the changed scenario, placed at the change that caused them."""
    out = []
    for problem in problems_from_validation_error(exc, "", None, Scenario):
        loc: Loc | None = None
        for prefix, target in remap.items():
            text = format_loc(prefix)
            if problem.path == text or problem.path.startswith((text + ".", text + "[")):
                rest = problem.path[len(text) :]
                out.append(
                    Problem(
                        problem.message,
                        path=format_loc(target) + rest,
                        file=source,
                        line=_line(lines, target),
                    )
                )
                loc = target
                break
        if loc is None:
            where = f"{problem.path}: " if problem.path else ""
            out.append(_problem(at, where + problem.message, source, lines))
    return out


def apply_changes(
    scenario: Scenario,
    changes: Sequence[Change],
    *,
    source: str = "",
    lines: LineMap | None = None,
    loc: Loc = ("changes",),
) -> Scenario:
    """The scenario with the changes applied in order: a new, validated scenario with the same
    ``meta`` and school year. Raises :class:`ScenarioError` naming each bad change and field
    (``changes[2].company: 'ACME' is geen bedrijf in dit scenario``); ``source`` and ``lines``
    (from :func:`scheduler.files.read_document`) add the file and line."""
    problems: list[Problem] = []
    current = scenario
    for i, change in enumerate(changes):
        at = (*loc, i)
        draft = _Draft(current)
        remap: Remap = {}
        for name, day in change.dates():
            if day is not None and (text := _outside_year(current, day)):
                draft.fail((*at, name), text, str(day))
        if not draft.problems:
            remap = _APPLY[type(change)](change, draft, at)  # type: ignore[operator]
        if draft.problems:
            problems += [_problem(p, m, source, lines) for p, m, _ in draft.problems]
            continue
        try:
            current = Scenario.model_validate(draft.data)
        except ValidationError as exc:
            problems += _remapped(exc, remap, at, source, lines)
    if problems:
        raise ScenarioError(problems)
    return current


def check_pins(
    scenario: Scenario,
    pins: Sequence[PinSpec],
    *,
    source: str = "",
    lines: LineMap | None = None,
    loc: Loc = ("pins",),
) -> None:
    """Check a planner's pins against the (changed) scenario: the pupil, the dates, the module
    and the place exist. Raises :class:`ScenarioError` naming each bad pin and field."""
    problems: list[Problem] = []

    def fail(at: Loc, message: str) -> None:
        problems.append(_problem(at, message, source, lines))

    places = {c.id for c in scenario.companies} | {c.id for c in scenario.centres}
    places |= {s.id for s in scenario.schools}
    for i, pin in enumerate(pins):
        at = (*loc, i)
        pupil = scenario.pupil_by_id.get(pin.pupil)
        if pupil is None:
            fail((*at, "pupil"), _not_a("leerling", "pupil", pin.pupil))
        for name, day in (("from", pin.start), ("to", pin.end)):
            if text := _outside_year(scenario, day):
                fail((*at, name), text)
        followed = {m.id for m in scenario.modules_of(pupil)} if pupil else set()
        if pin.module is not None and pupil is not None and pin.module not in followed:
            fail(
                (*at, "module"),
                tr(
                    nl=f"'{pin.module}' is geen module die leerling '{pin.pupil}' volgt",
                    en=f"'{pin.module}' is not a module pupil '{pin.pupil}' follows",
                ),
            )
        if pin.place is not None and pin.place not in places:
            fail((*at, "place"), _not_a("plaats", "place", pin.place))
        if pin.mentor is not None and pin.mentor not in scenario.mentor_by_id:
            fail((*at, "mentor"), _not_a("mentor", "mentor", pin.mentor))
    if problems:
        raise ScenarioError(problems)


# --- reading change files -----------------------------------------------------------------


@dataclass
class WhatIf:
    """A change file read and applied: the base scenario, the changed one and from when the
    plan may change."""

    path: Path
    file: ChangeFile
    base_path: Path
    base: Scenario
    scenario: Scenario
    start: dt.date | None
    notes: list[str] = field(default_factory=list)


class _Cleaned:
    """A pydantic error whose locations no longer carry the change type (the union's tag)."""

    def __init__(self, errors: list[dict[str, Any]]):
        self._errors = errors

    def errors(self) -> list[dict[str, Any]]:
        """The cleaned error details."""
        return self._errors


def _validate_file(data: Any, source: str, lines: LineMap) -> ChangeFile:
    if not isinstance(data, dict):
        raise ScenarioError(
            [
                Problem(
                    tr(
                        nl="het bestand moet een object met sleutels bevatten (meta:, base:, "
                        "changes:)",
                        en="the file must hold a mapping of keys (meta:, base:, changes:)",
                    ),
                    file=source,
                )
            ]
        )
    try:
        return ChangeFile.model_validate(data)
    except ValidationError as exc:
        problems: list[Problem] = []
        kept: list[dict[str, Any]] = []
        for error in exc.errors():
            loc = tuple(error["loc"])
            if error["type"] in ("union_tag_invalid", "union_tag_not_found"):
                at = (*loc, "type") if error["type"] == "union_tag_invalid" else loc
                given = (error.get("ctx") or {}).get("tag")
                problems.append(
                    _problem(
                        at,
                        tr(
                            nl=f"onbekend type '{given}'; kies uit {', '.join(CHANGE_TYPES)}",
                            en=f"unknown type '{given}'; choose from {', '.join(CHANGE_TYPES)}",
                        )
                        if given is not None
                        else tr(
                            nl=f"'type' ontbreekt; kies uit {', '.join(CHANGE_TYPES)}",
                            en=f"'type' is missing; choose from {', '.join(CHANGE_TYPES)}",
                        ),
                        source,
                        lines,
                    )
                )
                continue
            if len(loc) > 2 and loc[0] == "changes" and loc[2] in CHANGE_TYPES:
                loc = (*loc[:2], *loc[3:])
            kept.append({**error, "loc": loc})
        if kept:
            problems += problems_from_validation_error(
                _Cleaned(kept),  # type: ignore[arg-type]
                source,
                lines,
                ChangeFile,
            )
        raise ScenarioError(problems) from None


def load_change_file(path: str | Path, start: dt.date | None = None) -> WhatIf:
    """Read a change file, load its base scenario and apply the changes.

    ``start`` (the command line's ``--from``) overrides the file's ``from``. Raises
    :class:`ScenarioError` naming file, line and field for every problem.
    """
    from scheduler.files import load_scenario

    p = Path(path)
    source = str(path)
    data, lines = read_document(p, source)
    file = _validate_file(data, source, lines)
    base_path = (p.resolve().parent / file.base).resolve()
    if not base_path.is_file():
        raise ScenarioError(
            [
                _problem(
                    ("base",),
                    tr(
                        nl=f"basisscenario '{file.base}' bestaat niet (gezocht: {base_path})",
                        en=f"base scenario '{file.base}' does not exist (looked for {base_path})",
                    ),
                    source,
                    lines,
                )
            ]
        )
    base = load_scenario(base_path)
    scenario = apply_changes(base, file.changes, source=source, lines=lines)
    check_pins(scenario, file.pins, source=source, lines=lines)
    problems = []
    if file.start is not None and (text := _outside_year(base, file.start)):
        problems.append(_problem(("from",), text, source, lines))
    if start is not None and (text := _outside_year(base, start)):
        problems.append(Problem(text, path="--from"))
    if problems:
        raise ScenarioError(problems)
    effective = start or file.effective()
    notes = []
    earliest = min((d for c in file.changes if (d := c.effective())), default=None)
    if (
        effective is not None
        and earliest is not None
        and monday_of(earliest) < monday_of(effective)
    ):
        notes.append(
            tr(
                nl=f"'from' ({effective}) ligt na de vroegste wijziging ({earliest}): de weken "
                "daartussen blijven zoals gepland en kunnen met de wijziging botsen",
                en=f"'from' ({effective}) is after the earliest change ({earliest}): the weeks "
                "in between stay as planned and may conflict with the change",
            )
        )
    notes += past_home_notes(base, scenario, effective)
    return WhatIf(p, file, base_path, base, scenario, effective, notes)


def past_home_notes(base: Scenario, changed: Scenario, start: dt.date | None) -> list[str]:
    """Warnings for pupils whose new home company was closed in a week before ``start`` in
    which the old one was open: the rules tie the workplace hours of an ordinary week to the
    home company, so that past week now counts as a week at school (the diff shows it)."""
    if start is None:
        return []
    before = monday_of(start)
    notes = []
    for pupil in changed.pupils:
        old = base.pupil_by_id.get(pupil.id)
        if old is None or old.company == pupil.company:
            continue
        new_home, old_home = changed.company_by_id[pupil.company], base.company_by_id[old.company]
        weeks = [
            m
            for m in sorted(changed.pupil_days(pupil))
            if m < before
            and m not in pupil.unavailable_weeks
            and old_home.is_open(m)
            and not new_home.is_open(m)
        ]
        if weeks:
            shown = ", ".join(str(m) for m in weeks)
            notes.append(
                tr(
                    nl=f"{pupil.id}: het nieuwe thuisbedrijf {new_home.id} was gesloten in de "
                    f"week van {shown}; de werkplekuren van die gewone week tellen nu als "
                    "schooluren",
                    en=f"{pupil.id}: the new home company {new_home.id} was closed in the week "
                    f"of {shown}; that ordinary week's workplace hours now count as school hours",
                )
            )
    return notes


def changed_pupils(base: Scenario, changed: Scenario) -> dict[str, tuple[str, str]]:
    """Pupils whose home company or mentor differs between two scenarios: id -> (before,
    after), each ``company/mentor``."""
    out = {}
    for pupil in changed.pupils:
        old = base.pupil_by_id.get(pupil.id)
        if old is not None and (old.company, old.mentor) != (pupil.company, pupil.mentor):
            out[pupil.id] = (f"{old.company}/{old.mentor}", f"{pupil.company}/{pupil.mentor}")
    return out


def describe(changes: Iterable[Change]) -> list[str]:
    """One short line per change, in the planner's language (for reports)."""
    return [_describe(c) for c in changes]


def _describe(c: Change) -> str:
    until = tr(nl="tot", en="to")
    match c:
        case CompanyLeaves():
            return tr(nl=f"bedrijf {c.company} stopt vanaf {c.start}",
                      en=f"company {c.company} drops out from {c.start}")  # fmt: skip
        case CompanyCloses():
            return tr(nl=f"bedrijf {c.company} gesloten van {c.start} {until} {c.end}",
                      en=f"company {c.company} closed from {c.start} {until} {c.end}")  # fmt: skip
        case CompanyCapacity():
            end, n = (f" {until} {c.end}" if c.end else ""), c.capacity
            return tr(nl=f"bedrijf {c.company}: {n} plaatsen vanaf {c.start}{end}",
                      en=f"company {c.company}: {n} places from {c.start}{end}")  # fmt: skip
        case MentorAbsent():
            return tr(nl=f"mentor {c.mentor} afwezig van {c.start} {until} {c.end}",
                      en=f"mentor {c.mentor} away from {c.start} {until} {c.end}")  # fmt: skip
        case PupilJoins():
            return tr(nl=f"leerling {c.pupil.id} start op {c.start}",
                      en=f"pupil {c.pupil.id} joins on {c.start}")  # fmt: skip
        case PupilLeaves():
            return tr(nl=f"leerling {c.pupil} vertrekt; laatste dag {c.date}",
                      en=f"pupil {c.pupil} leaves; last day {c.date}")  # fmt: skip
        case ContractChanges():
            return tr(nl=f"leerling {c.pupil} krijgt contract {c.contract}",
                      en=f"pupil {c.pupil} gets contract {c.contract}")  # fmt: skip
        case CentreClosed():
            return tr(nl=f"centrum {c.centre} gesloten van {c.start} {until} {c.end}",
                      en=f"centre {c.centre} closed from {c.start} {until} {c.end}")  # fmt: skip
        case CentreSeats():
            end = f" {until} {c.end}" if c.end else ""
            return tr(nl=f"centrum {c.centre}: {c.seats} plaatsen vanaf {c.start}{end}",
                      en=f"centre {c.centre}: {c.seats} seats from {c.start}{end}")  # fmt: skip
        case ExtraFreeDay():
            who = f" ({c.school})" if c.school else ""
            return tr(nl=f"extra vrije dag {c.date}{who}: {c.name}",
                      en=f"extra free day {c.date}{who}: {c.name}")  # fmt: skip
        case PhaseLength():
            weeks = f"{c.weeks.min}" if c.weeks.fixed else f"{c.weeks.min}..{c.weeks.max}"
            return tr(nl=f"module {c.module}, fase {c.phase}: {weeks} weken",
                      en=f"module {c.module}, phase {c.phase}: {weeks} weeks")  # fmt: skip
        case ClassAdded():
            n = len(c.pupils)
            return tr(nl=f"nieuwe klas {c.klass.id} ({n} leerlingen) in {c.school}",
                      en=f"new class {c.klass.id} ({n} pupils) at {c.school}")  # fmt: skip
    return c.type  # pragma: no cover - every change type is described above
