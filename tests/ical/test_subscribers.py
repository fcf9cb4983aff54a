"""Subscribers: listing, parsing ``kind:id`` and the messages for bad input."""

from __future__ import annotations

import pytest

from scheduler.errors import UsageError
from scheduler.i18n import language
from scheduler.ical import feed_file_name, parse_subscriber, subscribers
from scheduler.model import Scenario


def test_subscribers_lists_every_party_once(tiny: Scenario) -> None:
    subs = subscribers(tiny)
    assert len(subs) == len(set(subs))
    expected = (
        [f"company:{c.id}" for c in tiny.companies]
        + [f"mentor:{m.id}" for c in tiny.companies for m in c.mentors]
        + [f"pupil:{p.id}" for p in tiny.pupils]
        + [f"centre:{c.id}" for c in tiny.centres]
        + [f"school:{s.id}" for s in tiny.schools]
    )
    assert subs == expected


def test_every_subscriber_parses_back(tiny: Scenario) -> None:
    for sub in subscribers(tiny):
        kind, ident = parse_subscriber(sub, tiny)
        assert f"{kind}:{ident}" == sub


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("bedrijf:jansens", ("company", "jansens")),
        ("Leerling:l01", ("pupil", "L01")),
        (" centrum : anttec ", ("centre", "anttec")),
        ("mentor:bart", ("mentor", "bart")),
        ("school:ander", ("school", "ander")),
    ],
)
def test_dutch_kinds_and_loose_spelling(tiny: Scenario, text: str, expected: tuple) -> None:
    assert parse_subscriber(text, tiny) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("jansens", "schrijf soort:id"),
        ("company:", "schrijf soort:id"),
        ("firma:jansens", "'firma' is geen soort abonnee; kies uit company, mentor"),
        ("company:jansen", "bedoelde je 'jansens'?"),
        ("company:zzz", "bestaande ids: jansens, desmet, wuyts"),
        ("mentor:jansens", "'jansens' is geen mentor in scenario 'mini-duaal-2026-2027'"),
        ("pupil:L99", "geen leerling"),
    ],
)
def test_bad_subscribers_get_a_clear_message(tiny: Scenario, text: str, fragment: str) -> None:
    with pytest.raises(UsageError) as info:
        parse_subscriber(text, tiny)
    assert fragment in str(info.value)


def test_messages_in_english(tiny: Scenario) -> None:
    with language("en"), pytest.raises(UsageError, match="is not a training centre in scenario"):
        parse_subscriber("centre:nowhere", tiny)


def test_file_names() -> None:
    assert feed_file_name("company:jansens") == "company-jansens.ics"
    assert feed_file_name("pupil:L01") == "pupil-L01.ics"
