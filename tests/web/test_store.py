"""The store on its own: one published plan per scenario, hashed tokens, conditional updates."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from api.store import PlanRow, Store, new_id, utcnow
from api.tokens import hash_token, matches_any, new_feed_token
from scheduler.files import scenario_from_text
from scheduler.plan import Plan
from tests.web.conftest import small_yaml


@pytest.fixture
def store(tmp_path):
    """A store on a fresh SQLite file."""
    s = Store(f"sqlite:///{tmp_path / 'store.db'}")
    s.create_schema()
    yield s
    s.close()


def _plan_of(store: Store, scenario_id: str, solved_plan: dict) -> PlanRow:
    job = store.add_job(scenario_id, {"time_limit": 5}, "nl")
    store.update_job(job.id, state="running")
    row = store.finish_job_with_plan(job.id, scenario_id, Plan.model_validate(solved_plan))
    assert row is not None
    return row


def test_one_published_plan_per_scenario(store, solved_plan) -> None:
    scenario_id = store.add_scenario(scenario_from_text(small_yaml()), small_yaml(), "yaml").id
    first, second = (_plan_of(store, scenario_id, solved_plan) for _ in range(2))
    store.publish_plan(first.id)
    store.publish_plan(second.id)
    assert {p.id: p.published for p in store.list_plans(scenario_id)} == {
        first.id: False,
        second.id: True,
    }
    # the database itself refuses a second published plan
    with pytest.raises(IntegrityError), store.session() as session:
        session.add(
            PlanRow(
                id=new_id(), scenario_id=scenario_id, status="optimal", published=True,
                created_at=utcnow(), data="{}",
            )
        )  # fmt: skip


def test_a_finished_or_cancelled_job_never_stores_a_plan(store, solved_plan) -> None:
    scenario_id = store.add_scenario(scenario_from_text(small_yaml()), small_yaml(), "yaml").id
    job = store.add_job(scenario_id, {"time_limit": 5}, "nl")
    assert store.update_job(job.id, when=("queued",), state="cancelled")
    assert not store.update_job(job.id, when=("queued",), state="running")
    assert store.finish_job_with_plan(job.id, scenario_id, Plan.model_validate(solved_plan)) is None
    assert store.list_plans(scenario_id) == []


def test_tokens_are_stored_hashed(store) -> None:
    scenario_id = store.add_scenario(scenario_from_text(small_yaml()), small_yaml(), "yaml").id
    token = new_feed_token()
    assert len(token) >= 43
    store.add_feed(hash_token(token), scenario_id, "pupil:L01", "nl")
    with store.session() as session:
        stored = session.connection().exec_driver_sql("SELECT token_hash FROM feeds").scalars()
        assert list(stored) == [hash_token(token)]
    assert store.active_feed(hash_token(token)) is not None
    assert store.revoke_feed(hash_token(token))
    assert store.active_feed(hash_token(token)) is None
    assert not store.revoke_feed(hash_token(token))


def test_bearer_tokens_compare_whole() -> None:
    assert matches_any("abc", ["x", "abc"])
    assert not matches_any("ab", ["abc"]) and not matches_any("abcd", ["abc"])
    assert not matches_any("", [])
