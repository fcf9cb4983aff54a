"""Storage of the web service: scenarios, solve jobs, plans and feed subscriptions.

SQLAlchemy 2 over any database URL: a SQLite file by default, PostgreSQL in production. The
schema is created on start. Every method opens its own short transaction, so request threads
and solve threads share one :class:`Store` safely. Rows come back detached (read-only use).

Plans and scenarios are stored as JSON *text*, so a plan is served back byte for byte as the
solver wrote it (``Plan.model_dump(mode="json")``), whatever the database does with JSON.
Feed tokens are never stored, only their SHA-256.

One process per database: on start the store marks every unfinished job ``interrupted``.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    create_engine,
    delete,
    event,
    select,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, deferred, mapped_column, sessionmaker
from sqlalchemy.pool import StaticPool

from scheduler.model.scenario import Scenario
from scheduler.plan import Plan

UNFINISHED = ("queued", "running")
"""Job states that a server stop leaves behind as ``interrupted``."""


def utcnow() -> dt.datetime:
    """Now, in UTC (stored and shown as UTC)."""
    return dt.datetime.now(dt.UTC)


def new_id() -> str:
    """A short random id (64 bits) for scenarios, jobs, plans and subscriptions."""
    return secrets.token_hex(8)


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A timestamp stored in UTC and read back with its zone (SQLite forgets it)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        """Store in UTC."""
        return value.astimezone(dt.UTC) if value is not None and value.tzinfo else value

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        """Read back as UTC (with its zone)."""
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value


class Base(DeclarativeBase):
    """Declarative base of the service's tables."""


class ScenarioRow(Base):
    """An uploaded scenario: its validated JSON and the text it came from."""

    __tablename__ = "scenarios"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    school_year: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text, default="")
    fingerprint: Mapped[str] = mapped_column(String(64))
    pupils: Mapped[int] = mapped_column(default=0)
    companies: Mapped[int] = mapped_column(default=0)
    source_format: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    data: Mapped[str] = deferred(mapped_column(Text))
    source: Mapped[str] = deferred(mapped_column(Text))


class JobRow(Base):
    """A solve job: its options, state, live progress and outcome."""

    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    scenario_id: Mapped[str] = mapped_column(
        ForeignKey("scenarios.id", ondelete="CASCADE"), index=True
    )
    state: Mapped[str] = mapped_column(String(20))
    options: Mapped[dict[str, Any]] = mapped_column(JSON)
    lang: Mapped[str] = mapped_column(String(5), default="nl")
    progress: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    result: Mapped[str | None] = mapped_column(String(20), nullable=True)
    plan_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    started_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)


class PlanRow(Base):
    """A plan a job produced: a draft, the scenario's one published plan, or unpublishable."""

    __tablename__ = "plans"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    scenario_id: Mapped[str] = mapped_column(ForeignKey("scenarios.id", ondelete="CASCADE"))
    job_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    status: Mapped[str] = mapped_column(String(20))
    proposal: Mapped[bool] = mapped_column(Boolean, default=False)
    publishable: Mapped[bool] = mapped_column(Boolean, default=False)
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    objective: Mapped[float | None] = mapped_column(Float, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    published_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
    data: Mapped[str] = deferred(mapped_column(Text))


class FeedRow(Base):
    """A calendar subscription: who it is for, its hashed token, and the last feed served."""

    __tablename__ = "feeds"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scenario_id: Mapped[str] = mapped_column(
        ForeignKey("scenarios.id", ondelete="CASCADE"), index=True
    )
    subscriber: Mapped[str] = mapped_column(String(200))
    lang: Mapped[str] = mapped_column(String(5), default="nl")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
    cache_plan_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    cache_etag: Mapped[str | None] = mapped_column(String(80), nullable=True)
    cache_body: Mapped[bytes | None] = deferred(mapped_column(LargeBinary, nullable=True))


# At most one published plan per scenario, enforced by the database itself.
Index(
    "one_published_plan_per_scenario",
    PlanRow.scenario_id,
    unique=True,
    sqlite_where=PlanRow.published.is_(True),
    postgresql_where=PlanRow.published.is_(True),
)


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets foreign keys, WAL and a busy timeout for threads."""
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    memory = url in ("sqlite://", "sqlite:///:memory:")
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": 30},
        poolclass=StaticPool if memory else None,
    )

    @event.listens_for(engine, "connect")
    def _pragmas(connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if not memory:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    return engine


class Store:
    """The service's storage (see the module docstring)."""

    def __init__(self, url: str, *, scenario_cache: int = 16):
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._cache: OrderedDict[str, Scenario] = OrderedDict()
        self._cache_size = scenario_cache
        self._cache_lock = threading.Lock()

    def create_schema(self) -> None:
        """Create the tables that do not exist yet."""
        Base.metadata.create_all(self.engine)

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction: committed on success, rolled back on error."""
        with self._sessions.begin() as session:
            yield session

    # --- scenarios ---------------------------------------------------------------------

    def add_scenario(self, scenario: Scenario, source: str, source_format: str) -> ScenarioRow:
        """Store a validated scenario with the text it was read from."""
        row = ScenarioRow(
            id=new_id(),
            name=scenario.meta.name,
            school_year=scenario.school_year,
            description=scenario.meta.description,
            fingerprint=scenario.fingerprint,
            pupils=len(scenario.pupils),
            companies=len(scenario.companies),
            source_format=source_format,
            created_at=utcnow(),
            data=json.dumps(scenario.model_dump(mode="json", by_alias=True), ensure_ascii=False),
            source=source,
        )
        with self.session() as s:
            s.add(row)
        self._remember(row.id, scenario)
        return row

    def list_scenarios(self) -> list[ScenarioRow]:
        """Every scenario, newest first (without their data)."""
        with self.session() as s:
            return list(s.scalars(select(ScenarioRow).order_by(ScenarioRow.created_at.desc())))

    def get_scenario(self, scenario_id: str, *, full: bool = False) -> ScenarioRow | None:
        """One scenario row (with its JSON and source text when ``full``)."""
        with self.session() as s:
            row = s.get(ScenarioRow, scenario_id)
            if row is not None and full:
                _ = row.data, row.source  # load the deferred columns before detaching
            return row

    def scenario_model(self, scenario_id: str) -> Scenario | None:
        """The validated :class:`Scenario` of a stored scenario (cached, it is immutable)."""
        with self._cache_lock:
            if scenario_id in self._cache:
                self._cache.move_to_end(scenario_id)
                return self._cache[scenario_id]
        row = self.get_scenario(scenario_id, full=True)
        if row is None:
            return None
        from scheduler.files import scenario_from_data

        scenario = scenario_from_data(json.loads(row.data), "scenario")
        self._remember(scenario_id, scenario)
        return scenario

    def _remember(self, scenario_id: str, scenario: Scenario) -> None:
        with self._cache_lock:
            self._cache[scenario_id] = scenario
            self._cache.move_to_end(scenario_id)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)

    def delete_scenario(self, scenario_id: str) -> bool:
        """Delete a scenario with its jobs, plans and subscriptions; False when unknown."""
        with self._cache_lock:
            self._cache.pop(scenario_id, None)
        with self.session() as s:
            if s.get(ScenarioRow, scenario_id) is None:
                return False
            for table in (FeedRow, PlanRow, JobRow):
                s.execute(delete(table).where(table.scenario_id == scenario_id))
            s.execute(delete(ScenarioRow).where(ScenarioRow.id == scenario_id))
            return True

    # --- jobs --------------------------------------------------------------------------

    def add_job(self, scenario_id: str, options: dict[str, Any], lang: str) -> JobRow:
        """A new queued job."""
        row = JobRow(
            id=new_id(),
            scenario_id=scenario_id,
            state="queued",
            options=options,
            lang=lang,
            created_at=utcnow(),
        )
        with self.session() as s:
            s.add(row)
        return row

    def get_job(self, job_id: str) -> JobRow | None:
        """One job."""
        with self.session() as s:
            return s.get(JobRow, job_id)

    def update_job(self, job_id: str, *, when: tuple[str, ...] = (), **values: Any) -> bool:
        """Change a job's columns, only while its state is one of ``when`` (if given).

        Returns whether the job was changed: the state check and the change are one statement,
        so a finishing solve and a cancel request cannot both win.
        """
        query = update(JobRow).where(JobRow.id == job_id)
        if when:
            query = query.where(JobRow.state.in_(when))
        with self.session() as s:
            return bool(s.execute(query.values(**values)).rowcount)  # type: ignore[attr-defined]

    def interrupt_unfinished(self) -> int:
        """Mark every queued or running job ``interrupted`` (after a server stop); how many."""
        with self.session() as s:
            result = s.execute(
                update(JobRow)
                .where(JobRow.state.in_(UNFINISHED))
                .values(state="interrupted", finished_at=utcnow())
            )
            return int(result.rowcount)  # type: ignore[attr-defined]

    def finish_job_with_plan(self, job_id: str, scenario_id: str, plan: Plan) -> PlanRow | None:
        """Store a job's plan (a draft) and mark the job done, in one transaction.

        Returns ``None`` (nothing stored) when the job is no longer running, e.g. cancelled
        or its scenario deleted meanwhile.
        """
        row = _plan_row(scenario_id, job_id, plan)
        with self.session() as s:
            if s.get(ScenarioRow, scenario_id) is None:
                return None
            changed = s.execute(
                update(JobRow)
                .where(JobRow.id == job_id, JobRow.state == "running")
                .values(state="done", result=plan.status, plan_id=row.id, finished_at=utcnow())
            ).rowcount  # type: ignore[attr-defined]
            if not changed:
                return None
            s.add(row)
        return row

    # --- plans -------------------------------------------------------------------------

    def add_plan(self, scenario_id: str, plan: Plan) -> PlanRow | None:
        """Store a plan made elsewhere (an imported or benchmark plan) as a draft without a
        job; ``None`` when the scenario does not exist."""
        row = _plan_row(scenario_id, None, plan)
        with self.session() as s:
            if s.get(ScenarioRow, scenario_id) is None:
                return None
            s.add(row)
        return row

    def get_plan(self, plan_id: str, *, full: bool = False) -> PlanRow | None:
        """One plan row (with its JSON when ``full``)."""
        with self.session() as s:
            row = s.get(PlanRow, plan_id)
            if row is not None and full:
                _ = row.data
            return row

    def list_plans(self, scenario_id: str | None = None) -> list[PlanRow]:
        """Plans (of one scenario), newest first, without their JSON."""
        query = select(PlanRow).order_by(PlanRow.created_at.desc())
        if scenario_id is not None:
            query = query.where(PlanRow.scenario_id == scenario_id)
        with self.session() as s:
            return list(s.scalars(query))

    def published_plan(self, scenario_id: str) -> PlanRow | None:
        """The scenario's published plan, with its JSON."""
        with self.session() as s:
            row = s.scalars(
                select(PlanRow).where(
                    PlanRow.scenario_id == scenario_id, PlanRow.published.is_(True)
                )
            ).first()
            if row is not None:
                _ = row.data
            return row

    def publish_plan(self, plan_id: str) -> PlanRow | None:
        """Make a plan its scenario's published plan (the others become drafts)."""
        for attempt in range(3):
            try:
                return self._publish(plan_id)
            except IntegrityError:
                # another plan of the scenario was published at the same moment: try again
                if attempt == 2:
                    raise
        return None  # pragma: no cover - the loop returns or raises

    def _publish(self, plan_id: str) -> PlanRow | None:
        with self.session() as s:
            row = s.get(PlanRow, plan_id)
            if row is None:
                return None
            if row.published:
                return row
            s.execute(
                update(PlanRow)
                .where(PlanRow.scenario_id == row.scenario_id, PlanRow.published.is_(True))
                .values(published=False)
            )
            s.flush()
            row.published = True
            row.published_at = utcnow()
            return row

    # --- feeds -------------------------------------------------------------------------

    def add_feed(self, token_hash: str, scenario_id: str, subscriber: str, lang: str) -> FeedRow:
        """A new subscription, known by the hash of its token."""
        row = FeedRow(
            id=new_id(),
            token_hash=token_hash,
            scenario_id=scenario_id,
            subscriber=subscriber,
            lang=lang,
            created_at=utcnow(),
        )
        with self.session() as s:
            s.add(row)
        return row

    def active_feed(self, token_hash: str) -> FeedRow | None:
        """The subscription with this token hash, unless revoked (with the cached feed)."""
        with self.session() as s:
            row = s.scalars(
                select(FeedRow).where(
                    FeedRow.token_hash == token_hash, FeedRow.revoked_at.is_(None)
                )
            ).first()
            if row is not None:
                _ = row.cache_body
            return row

    def revoke_feed(self, token_hash: str) -> bool:
        """Revoke a subscription; False when unknown or already revoked."""
        with self.session() as s:
            result = s.execute(
                update(FeedRow)
                .where(FeedRow.token_hash == token_hash, FeedRow.revoked_at.is_(None))
                .values(revoked_at=utcnow(), cache_body=None)
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]

    def list_feeds(self, scenario_id: str) -> list[FeedRow]:
        """The scenario's active subscriptions, newest first (ids and subscribers only: the
        tokens themselves are never stored)."""
        with self.session() as s:
            return list(
                s.scalars(
                    select(FeedRow)
                    .where(FeedRow.scenario_id == scenario_id, FeedRow.revoked_at.is_(None))
                    .order_by(FeedRow.created_at.desc())
                )
            )

    def revoke_feed_by_id(self, feed_id: str, scenario_id: str) -> bool:
        """Revoke a subscription by its (non-secret) id within its scenario; False when unknown,
        of another scenario or already revoked."""
        with self.session() as s:
            result = s.execute(
                update(FeedRow)
                .where(
                    FeedRow.id == feed_id,
                    FeedRow.scenario_id == scenario_id,
                    FeedRow.revoked_at.is_(None),
                )
                .values(revoked_at=utcnow(), cache_body=None)
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]

    def cache_feed(self, feed_id: str, plan_id: str, body: bytes, etag: str) -> None:
        """Remember the feed last built for a subscription (stable ETag, cheap re-serving)."""
        with self.session() as s:
            s.execute(
                update(FeedRow)
                .where(FeedRow.id == feed_id)
                .values(cache_plan_id=plan_id, cache_body=body, cache_etag=etag)
            )


def _plan_row(scenario_id: str, job_id: str | None, plan: Plan) -> PlanRow:
    """A new draft plan row for ``plan``."""
    return PlanRow(
        id=new_id(),
        scenario_id=scenario_id,
        job_id=job_id,
        status=plan.status,
        proposal=plan.proposal,
        publishable=plan.has_solution and not plan.proposal,
        published=False,
        objective=plan.objective,
        created_at=utcnow(),
        data=json.dumps(plan.model_dump(mode="json"), ensure_ascii=False),
    )
