"""Attack on SqliteMemberships.flush_chats and SqlStore.reading(chats=...) (searches write
only their groups' buffered rows), from outside: members first seen a moment ago in another
group, redelivered and late messages while a group's rows are written alone, failed
writes, restarts, concurrent searches in different groups, a supergroup migration, both
engines.

The rule these tests hold the change to: whatever order the partial and the whole
writes of the buffer come in (and whatever fails in between), each message is counted
once, every member, chat and membership the buffer held ends up on record as one whole
flush would have written it, and nothing refers to a row that is not there.
"""

import asyncio
import contextlib
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from storage import ChatInfo, MemberInfo, open_store

GROUP = ChatInfo(-100, "supergroup", "Makers")
OTHER = ChatInfo(-200, "supergroup", "Elsewhere")
OLD = ChatInfo(-300, "group", "Old group")
NEW = ChatInfo(-1000000000300, "supergroup", "Old group")
ADA = MemberInfo(1, "Ada", "Lovelace", "ada", "it")
BOB = MemberInfo(2, "Bob", None, "bob", "en")
CY = MemberInfo(3, "Cy", None, "cy", "en")
NEWBIE = MemberInfo(9, "Nico", None, "nico", "en")
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


async def counted(store, chat: ChatInfo, member: MemberInfo, message_id: int, at=T0) -> bool:
    return await store.memberships.record_message(chat, member, message_id, at, at.date())


async def on_record(store, sql: str, params: tuple = ()) -> list[tuple]:
    return [tuple(r) for r in await store.query(sql, params)]


async def messages(store, chat: ChatInfo, member: MemberInfo) -> int:
    rows = await on_record(
        store,
        "SELECT coalesce(sum(messages), 0) FROM activity_daily"
        " WHERE chat_id = ? AND member_id = ?",
        (chat.id, member.id),
    )
    return int(rows[0][0])


async def opted_in(store, member: MemberInfo, chat: ChatInfo, tag: str = "python") -> None:
    await store.memberships.record_seen(chat, member, T0)
    await store.flush()
    await store.members.set_reachable(member.id, True)
    await store.intros.join(chat.id, member, T0)
    await store.intros.add_tags(member, "offer", [tag], T0)


async def fail_to_write_group(store, during) -> None:
    """Write GROUP's buffered rows alone on a disk that fills up: ``during`` runs inside
    the write, which then fails."""
    real = store.raw_transaction

    @contextlib.asynccontextmanager
    async def failing():
        async with real() as conn:
            yield conn
            await during()
            raise sqlite3.OperationalError("database or disk is full")

    await write_group_through(store, failing, sqlite3.OperationalError)


async def write_group_through(store, transaction, raises: type[BaseException]) -> None:
    """Write GROUP's buffered rows alone through ``transaction`` (in place of the store's
    raw_transaction), which makes the write raise ``raises``."""
    store.raw_transaction = transaction
    try:
        with pytest.raises(raises):
            await store.memberships.flush_chats([GROUP.id])
    finally:
        del store.raw_transaction


# ---- the search's partial write, then the whole flush: nothing lost, nothing twice ----------


async def test_a_newcomer_in_another_group_and_a_search_here_then_the_flush(store):
    """Nico's first message ever, a second ago, was in the other group; Ada's in this one.
    A search here writes this group's rows (Ada), Nico waits for the flush, then both are
    on record, each message once."""
    await opted_in(store, BOB, GROUP)
    await store.flush()
    assert await counted(store, OTHER, NEWBIE, 1)
    assert await counted(store, GROUP, ADA, 1)
    assert await counted(store, GROUP, BOB, 2)
    found = await store.intros.listed_holders(GROUP.id, ["python"])
    assert [int(r[0]) for r in found.rows] == [BOB.id]
    assert await on_record(store, "SELECT id FROM members WHERE id = ?", (NEWBIE.id,)) == []
    await store.flush()
    assert await messages(store, OTHER, NEWBIE) == 1
    assert await messages(store, GROUP, ADA) == 1
    assert await messages(store, GROUP, BOB) == 1


async def test_a_redelivered_message_after_its_groups_rows_were_written_alone(store):
    assert await counted(store, GROUP, ADA, 5)
    assert await counted(store, OTHER, ADA, 5)  # the same id in another group: another message
    await store.memberships.flush_chats([GROUP.id])
    assert not await counted(store, GROUP, ADA, 5), "a redelivery, counted already"
    assert await counted(store, GROUP, ADA, 4), "a late message, never counted"
    assert not await counted(store, OTHER, ADA, 5), "a redelivery still buffered"
    await store.flush()
    assert await messages(store, GROUP, ADA) == 2
    assert await messages(store, OTHER, ADA) == 1


async def test_a_redelivery_while_a_groups_rows_fail_to_be_written_counts_once(store):
    """Disk full while /whoknows writes its group's rows: a copy of the same update comes in
    meanwhile (and a new message), the write fails, the rows go back; the next flush
    writes each message once."""
    assert await counted(store, GROUP, ADA, 5)
    assert await counted(store, OTHER, BOB, 7)
    seen: list[bool] = []

    async def during() -> None:
        seen.append(await counted(store, GROUP, ADA, 5))
        seen.append(await counted(store, GROUP, BOB, 6))

    await fail_to_write_group(store, during)
    assert seen == [False, True]
    assert not await counted(store, GROUP, ADA, 5), "still a redelivery after the failure"
    await store.flush()
    assert await messages(store, GROUP, ADA) == 1
    assert await messages(store, GROUP, BOB) == 1
    assert await messages(store, OTHER, BOB) == 1
    assert not await counted(store, GROUP, ADA, 5)


async def test_a_leave_during_a_failed_partial_write_is_applied_after_the_join(store):
    """Bob joined (buffered), the search's write of the group fails, and Bob leaves
    meanwhile: the next flush writes the join, then the leave (Bob is gone)."""
    await store.flush()
    await store.memberships.record_join(GROUP, BOB, T0)

    async def during() -> None:
        await store.memberships.record_leave(GROUP, BOB, T0 + timedelta(seconds=1))

    await fail_to_write_group(store, during)
    await store.flush()
    membership = await store.memberships.get(GROUP.id, BOB.id)
    assert membership is not None
    assert membership.status == "left"


async def test_a_restart_while_a_groups_rows_are_written_keeps_every_count(database):
    """The store closes (restart) while a search's write of its group is in progress."""
    store = await open_store(database)
    assert await counted(store, GROUP, ADA, 1)
    assert await counted(store, OTHER, BOB, 1)
    real = store.raw_transaction
    inside = asyncio.Event()
    go_on = asyncio.Event()

    @contextlib.asynccontextmanager
    async def slow():
        async with real() as conn:
            inside.set()
            await go_on.wait()
            yield conn

    store.raw_transaction = slow
    partial = asyncio.create_task(store.memberships.flush_chats([GROUP.id]))
    await inside.wait()
    del store.raw_transaction
    # A message of each group arrives while the write is in progress, then the restart.
    assert await counted(store, GROUP, ADA, 2)
    assert await counted(store, OTHER, BOB, 2)
    closing = asyncio.create_task(store.close())
    await asyncio.sleep(0)
    go_on.set()
    await partial
    await closing
    store = await open_store(database)
    try:
        assert await messages(store, GROUP, ADA) == 2
        assert await messages(store, OTHER, BOB) == 2
    finally:
        await store.close()


async def test_two_searches_in_two_groups_at_once_write_each_message_once(store):
    for person in (ADA, BOB):
        await opted_in(store, person, GROUP)
        await opted_in(store, person, OTHER)
    await store.flush()
    for i in range(1, 21):
        assert await counted(store, GROUP, ADA if i % 2 else BOB, i)
        assert await counted(store, OTHER, BOB if i % 2 else ADA, i)
    assert await counted(store, GROUP, NEWBIE, 100)
    assert await counted(store, OTHER, NEWBIE, 100)
    a, b = await asyncio.gather(
        store.intros.listed_holders(GROUP.id, ["python"]),
        store.intros.candidate_holders(OTHER.id, T0, ["python"]),
    )
    assert sorted(int(r[0]) for r in a.rows) == [ADA.id, BOB.id]
    assert sorted(int(r[0]) for r in b.rows) == [ADA.id, BOB.id]
    await store.flush()
    for chat in (GROUP, OTHER):
        assert await messages(store, chat, ADA) == 10
        assert await messages(store, chat, BOB) == 10
        assert await messages(store, chat, NEWBIE) == 1


async def test_reading_chats_then_a_write_about_a_member_only_seen_elsewhere(store):
    """Inside reading(chats=[GROUP]) a write refers to Nico, seen a second ago for the first
    time, in OTHER only (not written by the search): an opt-in in GROUP made inside the
    block. The write must not fail on a missing member (the opt-in writes the member
    itself: held)."""
    assert await counted(store, GROUP, ADA, 1)
    await store.flush()
    assert await counted(store, OTHER, NEWBIE, 1)
    async with store.reading(chats=[GROUP.id]):
        await store.intros.join(GROUP.id, NEWBIE, T0)
    await store.flush()
    assert await on_record(store, "SELECT id FROM members WHERE id = ?", (NEWBIE.id,)) == [
        (NEWBIE.id,)
    ]


# ---- a group migrated to a supergroup a moment ago ------------------------------------------


async def test_a_search_in_a_supergroup_a_moment_after_its_migration(store):
    """The old group's messages 1-3 are buffered, it becomes a supergroup (whose ids start
    again at 1), messages 1-2 there; a search in the supergroup writes its rows alone."""
    await opted_in(store, ADA, OLD)
    assert await counted(store, OLD, ADA, 1)
    assert await counted(store, OLD, BOB, 2)
    assert await counted(store, OLD, ADA, 3)
    assert await store.chats.migrate(OLD.id, NEW.id)
    assert await counted(store, NEW, ADA, 1), "a new generation of message ids"
    assert await counted(store, NEW, BOB, 2)
    assert await counted(store, OTHER, CY, 1)
    found = await store.intros.listed_holders(NEW.id, ["python"])
    assert [int(r[0]) for r in found.rows] == [ADA.id]
    assert not await counted(store, NEW, ADA, 1), "a redelivery in the supergroup"
    await store.flush()
    assert await messages(store, NEW, ADA) == 3
    assert await messages(store, NEW, BOB) == 2
    assert await on_record(store, "SELECT id FROM chats WHERE id = ?", (OLD.id,)) == []


# ---- a search's task stopped, and a reader, while its group's rows commit -------------------


async def test_a_search_cancelled_as_its_groups_rows_commit_counts_each_message_once(store):
    """/whoknows' task is cancelled (a shutdown, a client gone) while the COMMIT of its
    group's rows is under way: the database commits them (the engine's thread, or the
    server, finishes the statement) and the task gets CancelledError on its await. The
    rows must not go back into the buffer: the next flush would count them again."""
    assert await counted(store, GROUP, ADA, 5)
    real = store.raw_transaction

    @contextlib.asynccontextmanager
    async def cancelled_at_commit():
        async with real() as conn:
            yield conn
        raise asyncio.CancelledError  # committed, and the await is cancelled

    await write_group_through(store, cancelled_at_commit, asyncio.CancelledError)
    await store.flush()
    assert await messages(store, GROUP, ADA) == 1


async def test_the_author_of_a_message_whose_group_is_being_written_is_known(store):
    """A thanks by reply to Ada's message 5 arrives while a search writes the group's rows:
    its author is Ada (not unknown) on both engines."""
    assert await counted(store, GROUP, ADA, 5)
    found: list[asyncio.Task] = []
    real = store.raw_transaction

    @contextlib.asynccontextmanager
    async def writing():
        async with real() as conn:
            task = asyncio.create_task(store.memberships.author_of(GROUP.id, 5))
            found.append(task)
            await asyncio.sleep(0)  # the reader starts while the write is under way
            yield conn

    store.raw_transaction = writing
    try:
        await store.memberships.flush_chats([GROUP.id])
    finally:
        del store.raw_transaction
    assert await found[0] == ADA.id


async def test_a_search_cancelled_on_sqlites_commit_counts_each_message_once(tmp_path):
    """The same on SQLite with a real cancellation: the task is cancelled while it awaits
    the COMMIT of its group's rows (aiosqlite has queued it: the thread commits)."""
    store = await open_store(tmp_path / "rete.sqlite3")
    try:
        assert await counted(store, GROUP, ADA, 5)
        conn = store._conn
        real = conn.execute

        def execute(sql, *args, **kwargs):
            if sql == "COMMIT":
                task = asyncio.current_task()
                assert task is not None
                task.cancel()
            return real(sql, *args, **kwargs)

        conn.execute = execute
        try:
            with pytest.raises(asyncio.CancelledError):
                await asyncio.create_task(store.memberships.flush_chats([GROUP.id]))
        finally:
            del conn.execute
        await store.flush()
        assert await messages(store, GROUP, ADA) == 1
    finally:
        await store.close()
