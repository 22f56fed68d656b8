"""One leader for scheduled work (storage.leadership), on a real PostgreSQL server.

Two stores on one database stand for two instances: one leads, the other waits; killing
the leader's connection on the server hands the lead over at the other's next try; an
instance with another webhook secret refuses to lead while the record is fresh.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from types import SimpleNamespace

import asyncpg
import pytest

from bot.app import build_application
from handlers import intros, members, scheduling
from handlers.context import LEADERSHIP
from storage import open_store
from storage.leadership import STALE, PostgresLeadership, SoleLeader, leadership_for, secret_hash
from tests import factories as f
from tests.conftest import postgres_base


class Clock:
    def __init__(self) -> None:
        self.now = f.START

    def __call__(self):
        return self.now


async def test_sqlite_always_leads(tmp_path):
    store = await open_store(tmp_path / "rete.sqlite3")
    try:
        leadership = leadership_for(store, "s3cret")
        assert isinstance(leadership, SoleLeader)
        assert await leadership.lead()
        assert leadership.is_leader
    finally:
        await store.close()


async def kill(pid: int | None) -> None:
    """Terminate a server process, as a crash of its instance (or a network cut) would."""
    assert pid is not None
    conn = await asyncpg.connect(postgres_base())
    try:
        assert await conn.fetchval("SELECT pg_terminate_backend($1)", pid)
        # Wait until the server process is gone, with it its lock (the bound is a safety net).
        for _ in range(1000):
            if not await conn.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE pid = $1", pid
            ):
                return
            await asyncio.sleep(0.01)
        raise AssertionError(f"server process {pid} still there after terminate")
    finally:
        await conn.close()


async def test_one_leads_and_a_killed_leader_is_replaced(postgres_schemas):
    url = await postgres_schemas.new()
    clock = Clock()
    first = await open_store(url, clock=clock)
    second = await open_store(url, clock=clock)
    a = leadership_for(first, "s3cret")
    b = leadership_for(second, "s3cret")
    assert isinstance(a, PostgresLeadership)
    assert isinstance(b, PostgresLeadership)
    try:
        assert await a.lead()
        assert not await b.lead()
        assert await a.lead(), "the leader keeps the lead at its next try"
        assert not await b.lead()
        row = await first.fetchone("SELECT secret_hash, instance FROM leaders")
        assert row[0] == secret_hash("s3cret")
        assert "s3cret" not in repr(tuple(row))
        await kill(a.server_pid)
        assert await b.lead(), "the next try after the leader died takes the lead"
        assert not await a.lead(), "the old leader finds its lock gone and waits"
        assert not a.is_leader
        await b.close()
        assert await a.lead()
    finally:
        await a.close()
        await b.close()
        await first.close()
        await second.close()


async def test_another_secret_refuses_to_lead_while_the_record_is_fresh(postgres_schemas, caplog):
    url = await postgres_schemas.new()
    clock = Clock()
    first = await open_store(url, clock=clock)
    second = await open_store(url, clock=clock)
    right = leadership_for(first, "s3cret")
    wrong = leadership_for(second, "other-secret")
    try:
        assert await right.lead()
        await right.close()  # the leader stops: its record is still fresh
        caplog.set_level(logging.ERROR, logger="storage.leadership")
        clock.now += timedelta(seconds=10)
        assert not await wrong.lead()
        assert not await wrong.lead()
        refusals = [r for r in caplog.records if "Refusing to lead" in r.getMessage()]
        assert len(refusals) == 1, "said once, not at every try"
        assert "other-secret" not in caplog.text
        assert "s3cret" not in caplog.text
        # The lock was let go: an instance with the right secret leads at once.
        assert await right.lead()
        await right.close()
        # Nobody renewed the record for a minute: every instance has the new secret now.
        clock.now += STALE + timedelta(seconds=1)
        assert await wrong.lead()
        row = await first.fetchone("SELECT secret_hash FROM leaders")
        assert row[0] == secret_hash("other-secret")
    finally:
        await right.close()
        await wrong.close()
        await first.close()
        await second.close()


class Follower:
    """An instance that does not lead (another holds the lock)."""

    is_leader = False

    async def lead(self) -> bool:
        return False

    async def close(self) -> None:
        pass


@pytest.mark.parametrize(("leadership", "runs"), [(SoleLeader(), 1), (Follower(), 0), (None, 0)])
async def test_scheduled_jobs_run_on_the_leader_only(leadership, runs):
    ran: list[object] = []

    async def sweep(context) -> None:
        ran.append(context)

    context = SimpleNamespace(bot_data={} if leadership is None else {LEADERSHIP: leadership})
    await scheduling.leader_only(sweep)(context)
    assert len(ran) == runs
    assert scheduling.leads(context) is bool(runs)


async def test_every_bulk_job_of_the_app_is_the_leaders_only(settings):
    app = build_application(settings)
    jobs = {job.name: job for job in app.job_queue.jobs()}
    for name in ("schedule-tick", intros.SWEEP_JOB_NAME, members.WELCOME_JOB_NAME):
        context = SimpleNamespace(bot_data={LEADERSHIP: Follower()}, application=app)
        # A follower's job returns at once, touching nothing (no database is open here).
        await jobs[name].callback(context)
    assert "leadership" in jobs
