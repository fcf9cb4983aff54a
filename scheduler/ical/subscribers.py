"""Who can subscribe to a calendar feed, and how a subscriber is written (``company:jansens``).

A subscriber is a kind and the id of a party in the scenario: a company, a mentor, a pupil, a
training centre or a school. The web API and the command line address feeds this way; Dutch
kind names (``bedrijf``, ``leerling``, ``centrum``) are accepted too.
"""

from __future__ import annotations

import difflib
from typing import Literal, get_args

from scheduler.errors import UsageError
from scheduler.i18n import tr
from scheduler.model import Scenario

SubscriberKind = Literal["company", "mentor", "pupil", "centre", "school"]
KINDS: tuple[SubscriberKind, ...] = get_args(SubscriberKind)

_ALIASES: dict[str, SubscriberKind] = {
    "bedrijf": "company",
    "leerling": "pupil",
    "centrum": "centre",
    "opleidingscentrum": "centre",
    "center": "centre",
}

_KIND_NL = {
    "company": "bedrijf",
    "mentor": "mentor",
    "pupil": "leerling",
    "centre": "opleidingscentrum",
    "school": "school",
}
_KIND_EN = {
    "company": "company",
    "mentor": "mentor",
    "pupil": "pupil",
    "centre": "training centre",
    "school": "school",
}

_SHOWN_IDS = 12


def subscriber_ids(scenario: Scenario, kind: SubscriberKind) -> list[str]:
    """The ids of every party of one kind, in scenario order."""
    if kind == "company":
        return [c.id for c in scenario.companies]
    if kind == "mentor":
        return [m.id for c in scenario.companies for m in c.mentors]
    if kind == "pupil":
        return [p.id for p in scenario.pupils]
    if kind == "centre":
        return [c.id for c in scenario.centres]
    return [s.id for s in scenario.schools]


def subscribers(scenario: Scenario) -> list[str]:
    """Every valid subscriber of the scenario (``company:jansens``, ``pupil:L01``, ...).

    Companies first, then mentors, pupils, training centres and schools, each in scenario
    order.
    """
    return [f"{kind}:{ident}" for kind in KINDS for ident in subscriber_ids(scenario, kind)]


def kind_label(kind: SubscriberKind) -> str:
    """The kind as a planner reads it (``bedrijf`` / ``company``)."""
    return tr(nl=_KIND_NL[kind], en=_KIND_EN[kind])


def parse_subscriber(text: str, scenario: Scenario) -> tuple[SubscriberKind, str]:
    """Read ``kind:id`` (e.g. ``company:jansens``) and check that the party exists.

    Raises :class:`UsageError` with a clear message for text without a colon, an unknown kind
    or an id that is not in the scenario (naming the ids that are).
    """
    raw = str(text).strip()
    kind_text, sep, ident = raw.partition(":")
    kinds = ", ".join(KINDS)
    if not sep or not kind_text.strip() or not ident.strip():
        raise UsageError(
            tr(
                nl=f"'{raw}' is geen abonnee: schrijf soort:id, bv. company:jansens "
                f"(soorten: {kinds})",
                en=f"'{raw}' is not a subscriber: write kind:id, e.g. company:jansens "
                f"(kinds: {kinds})",
            )
        )
    key = kind_text.strip().lower()
    kind = _ALIASES.get(key) or next((k for k in KINDS if k == key), None)
    if kind is None:
        raise UsageError(
            tr(
                nl=f"'{kind_text}' is geen soort abonnee; kies uit {kinds}",
                en=f"'{kind_text}' is not a kind of subscriber; choose from {kinds}",
            )
        )
    ident = ident.strip()
    known = subscriber_ids(scenario, kind)
    if ident in known:
        return kind, ident
    # ids are case-sensitive, but a pupil code typed as "l01" is clear enough
    folded = [k for k in known if k.lower() == ident.lower()]
    if len(folded) == 1:
        return kind, folded[0]
    raise UsageError(_unknown_id(scenario, kind, ident, known))


def _unknown_id(scenario: Scenario, kind: SubscriberKind, ident: str, known: list[str]) -> str:
    """The message for an id that is not in the scenario: a close match, or the known ids."""
    what = kind_label(kind)
    name = scenario.meta.name
    close = difflib.get_close_matches(ident, known, n=1)
    if close:
        hint_nl, hint_en = f"bedoelde je '{close[0]}'?", f"did you mean '{close[0]}'?"
    elif known:
        shown = ", ".join(known[:_SHOWN_IDS]) + (", ..." if len(known) > _SHOWN_IDS else "")
        hint_nl, hint_en = f"bestaande ids: {shown}", f"known ids: {shown}"
    else:
        hint_nl, hint_en = "het scenario heeft er geen", "the scenario has none"
    return tr(
        nl=f"'{ident}' is geen {what} in scenario '{name}'; {hint_nl}",
        en=f"'{ident}' is not a {what} in scenario '{name}'; {hint_en}",
    )


def feed_file_name(subscriber: str) -> str:
    """The file name of a subscriber's feed: ``company:jansens`` -> ``company-jansens.ics``.

    Ids hold only letters, digits and ``_ . -`` and kinds have no dash, so names never clash.
    """
    kind, _, ident = subscriber.partition(":")
    return f"{kind}-{ident}.ics"
