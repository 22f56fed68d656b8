"""Updates handled once (storage.updates): a claimed update id is never claimed again.

Each test runs on both engines (the ``database`` fixture); the PostgreSQL ones also claim
from two stores at once, as two instances would.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from storage import ChatInfo, MemberInfo, open_store
from storage import updates as updates_module
from storage.postgres import PostgresStore
from tests import factories as f


def clock():
    return f.START


async def test_the_same_update_is_claimed_once(database):
    store = await open_store(database, clock=clock)
    try:
        assert await store.updates.claim(7)
        assert not await store.updates.claim(7)
        assert await store.updates.claim(8)
        # Copies arriving together (a webhook delivers concurrently): one wins.
        results = await asyncio.gather(*(store.updates.claim(9) for _ in range(5)))
        assert sorted(results) == [False, False, False, False, True]
    finally:
        await store.close()


async def test_a_claim_outlives_a_restart(database):
    store = await open_store(database, clock=clock)
    try:
        assert await store.updates.claim(41)
        assert await store.updates.claim(42)
    finally:
        await store.close()  # writes what a one-writer store held in memory
    store = await open_store(database, clock=clock)
    try:
        assert not await store.updates.claim(42)
        assert not await store.updates.claim(41)
        assert await store.updates.claim(43)
        await store.flush()  # the periodic flush: a read alone does not write claims
        rows = await store.fetchall("SELECT update_id FROM handled_updates ORDER BY update_id")
        assert [row[0] for row in rows] == [41, 42, 43]
    finally:
        await store.close()


async def test_reads_do_not_write_the_claims_the_flush_does(database):
    """A command's reads write the buffered counters they may need, not the update
    claims: one write transaction fewer in front of every command's reply."""
    store = await open_store(database, clock=clock)
    try:
        assert await store.updates.claim(51)
        # SQLite holds claim 51 in memory; PostgreSQL committed it, and defers 52.
        written_at_once = 0 if store.one_writer else 1
        if not store.one_writer:
            store.updates.defer(52)
        query = "SELECT count(*) FROM handled_updates"
        assert (await store.fetchone(query))[0] == written_at_once
        async with store.transaction():
            pass
        assert (await store.fetchone(query))[0] == written_at_once
        await store.flush()
        assert (await store.fetchone(query))[0] == written_at_once + 1
    finally:
        await store.close()


async def test_an_old_copy_beyond_the_window_is_looked_up(database, monkeypatch):
    monkeypatch.setattr(updates_module, "WINDOW", 3)
    store = await open_store(database, clock=clock)
    try:
        for update_id in range(1, 7):
            assert await store.updates.claim(update_id)
        # 1 left the window of 3 long ago (and was never written): still refused.
        assert not await store.updates.claim(1)
        if store.one_writer:
            assert store.updates.claim_now(7) is True, "a new id costs no lookup"
        else:
            assert store.updates.claim_now(7) is None, "the database decides"
            assert await store.updates.claim(7)
    finally:
        await store.close()
    store = await open_store(database, clock=clock)
    try:
        # Only ids 5-7 are loaded on SQLite: 2 is found in the table, 0 is not there.
        assert not await store.updates.claim(2)
        assert not await store.updates.claim(5)
        assert await store.updates.claim(0)
        assert not await store.updates.claim(0)
    finally:
        await store.close()


async def test_claims_older_than_a_day_are_pruned(database):
    now = f.START
    store = await open_store(database, clock=lambda: now)
    try:
        assert await store.updates.claim(1)
        now = f.START + timedelta(hours=2)
        assert await store.updates.claim(2)
        await store.flush()
        assert await store.updates.prune(f.START + updates_module.KEPT + timedelta(hours=1)) == 1
        rows = await store.fetchall("SELECT update_id FROM handled_updates")
        assert [row[0] for row in rows] == [2]
    finally:
        await store.close()


async def test_two_instances_claim_each_update_once(database):
    if not database.startswith("postgresql:"):
        pytest.skip("one SQLite file has one writer: several instances need PostgreSQL")
    first = await open_store(database, clock=clock)
    second = await open_store(database, clock=clock)
    try:
        assert isinstance(first, PostgresStore)
        assert not first.one_writer
        # The same 200 updates delivered to both, interleaved: each is claimed by one.
        ids = list(range(1000, 1200))
        wins = await asyncio.gather(
            *(store.updates.claim(i) for i in ids for store in (first, second))
        )
        by_first, by_second = wins[0::2], wins[1::2]
        assert all(a != b for a, b in zip(by_first, by_second, strict=True))
        assert sum(wins) == len(ids)
        # A copy arriving later at either is refused.
        assert not await first.updates.claim(1100)
        assert not await second.updates.claim(1100)
    finally:
        await first.close()
        await second.close()


async def test_a_message_counted_by_two_instances_is_counted_once(database):
    # An ordinary message's claim waits for the flush (storage.updates.defer): when both
    # instances got a copy and counted it, the flush that records it second adds nothing.
    if not database.startswith("postgresql:"):
        pytest.skip("one SQLite file has one writer: several instances need PostgreSQL")
    group = ChatInfo(id=-500, type="supergroup", title="Makers")
    ada = MemberInfo(id=1, first_name="Ada")
    bob = MemberInfo(id=2, first_name="Bob")
    at = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
    first = await open_store(database, clock=clock)
    second = await open_store(database, clock=clock)
    try:
        for store in (first, second):
            store.updates.defer(70)
            assert await store.memberships.record_message(group, ada, 10, at, at.date())
        # Only the second instance saw this one.
        second.updates.defer(71)
        assert await second.memberships.record_message(group, bob, 11, at, at.date())
        await first.flush()
        await second.flush()
        rows = await first.fetchall(
            "SELECT member_id, messages FROM activity_daily WHERE chat_id = ? ORDER BY member_id",
            (group.id,),
        )
        assert [tuple(row) for row in rows] == [(1, 1), (2, 1)]
        claims = await first.fetchall("SELECT update_id FROM handled_updates ORDER BY update_id")
        assert [row[0] for row in claims] == [70, 71]
        # A third copy, claimed the usual way, is refused: the deferred claim is on disk.
        assert not await first.updates.claim(70)
    finally:
        await first.close()
        await second.close()
