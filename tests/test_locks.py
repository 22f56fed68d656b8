"""Named work locks (storage.locks): one holder at a time, in this process or another.

On SQLite the process's own lock is the database's (one process owns the file). On
PostgreSQL two stores stand for two instances: the second waits for the first's lock,
other keys are free, and a holder whose connection dies frees its lock.
"""

from __future__ import annotations

import asyncio

import asyncpg

from storage import open_store
from tests.conftest import postgres_base

KEY = "intros:-100"


async def holding(store, key: str, events: list[str], name: str, hold: asyncio.Event) -> None:
    async with store.locks.hold(key):
        events.append(f"{name} in")
        await hold.wait()
        events.append(f"{name} out")


async def test_one_task_at_a_time_in_a_process(database):
    store = await open_store(database)
    try:
        events: list[str] = []
        first_go, second_go = asyncio.Event(), asyncio.Event()
        first = asyncio.create_task(holding(store, KEY, events, "first", first_go))
        await asyncio.sleep(0.05)
        second = asyncio.create_task(holding(store, KEY, events, "second", second_go))
        other = asyncio.create_task(holding(store, "intros:-200", events, "other", second_go))
        await asyncio.sleep(0.2)
        assert events == ["first in", "other in"], "another group's lock is free"
        first_go.set()
        second_go.set()
        await asyncio.gather(first, second, other)
        assert events.index("second in") > events.index("first out")
        assert len(store.locks) == 0, "nothing kept once nobody holds or waits"
    finally:
        await store.close()


async def test_another_instance_waits_for_the_lock(postgres_schemas):
    url = await postgres_schemas.new()
    first, second = await open_store(url), await open_store(url)
    try:
        events: list[str] = []
        go = asyncio.Event()
        holder = asyncio.create_task(holding(first, KEY, events, "first", go))
        await asyncio.sleep(0.1)
        waiter = asyncio.create_task(holding(second, KEY, events, "second", asyncio.Event()))
        await asyncio.sleep(0.3)
        assert events == ["first in"], "the other instance waits"
        # Meanwhile the waiting instance's connection serves its other work.
        assert await second.chats.get(-100) is None
        go.set()
        await holder
        for _ in range(100):
            if "second in" in events:
                break
            await asyncio.sleep(0.05)
        assert events == ["first in", "first out", "second in"]
        waiter.cancel()
    finally:
        await first.close()
        await second.close()


async def test_a_dead_holder_frees_its_lock(postgres_schemas):
    url = await postgres_schemas.new()
    first, second = await open_store(url), await open_store(url)
    try:
        assert await first.try_advisory_lock(KEY)
        assert not await second.try_advisory_lock(KEY)
        admin = await asyncpg.connect(postgres_base())
        try:
            await admin.fetchval("SELECT pg_terminate_backend($1)", first._pg.get_server_pid())
        finally:
            await admin.close()
        got = False
        for _ in range(200):
            got = await second.try_advisory_lock(KEY)
            if got:
                break
            await asyncio.sleep(0.02)
        assert got, "the server freed the dead holder's lock"
    finally:
        await first.close()
        await second.close()
