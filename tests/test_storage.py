"""Storage on real SQLite files: migrations, repositories, migration of chats, privacy."""

import asyncio
import contextlib
import sqlite3
from datetime import UTC, date, datetime, timedelta

import pytest

from storage import ChatInfo, MemberInfo, SqliteStore, StorageError, open_store
from storage.ledger import CreditRequest
from storage.migrations import LATEST_VERSION, MIGRATIONS, Migration
from storage.sqlite import (
    CHAT_CACHE_FOR,
    CHAT_MERGES,
    CHECKPOINT_EVERY,
    MEMBER_EXPORTS,
    backup_database,
)
from tests.engines import crash, is_postgres, raw_rows, tables_referencing

GROUP = ChatInfo(-100, "group", "Makers")
ADA = MemberInfo(1, "Ada", "Lovelace", "ada", "it")
BOB = MemberInfo(2, "Bob", None, None, "en")
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def schema(path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name"
        ).fetchall()
    return [(name, " ".join((sql or "").split())) for name, sql in rows]


async def test_fresh_database_is_current_wal_with_foreign_keys(sqlite_store):
    store = sqlite_store
    assert await store.schema_version() == LATEST_VERSION
    assert (await store.fetchone("PRAGMA journal_mode"))[0] == "wal"
    assert (await store.fetchone("PRAGMA foreign_keys"))[0] == 1
    assert (await store.fetchone("PRAGMA busy_timeout"))[0] >= 1000


@pytest.mark.parametrize("start", range(len(MIGRATIONS)))
async def test_migrates_from_every_earlier_version(tmp_path, start):
    fresh = tmp_path / "fresh.sqlite3"
    store = await SqliteStore.open(fresh)
    await store.close()

    old = tmp_path / "old.sqlite3"
    store = await SqliteStore.open(old, migrations=MIGRATIONS[:start])
    assert await store.schema_version() == (MIGRATIONS[start - 1].version if start else 0)
    await store.close()

    store = await SqliteStore.open(old)
    assert await store.schema_version() == LATEST_VERSION
    await store.memberships.record_message(GROUP, ADA, 1, T0, T0.date())
    await store.close()
    assert schema(old) == schema(fresh)


async def test_reopening_applies_nothing_twice(tmp_path):
    path = tmp_path / "rete.sqlite3"
    store = await SqliteStore.open(path)
    await store.memberships.record_message(GROUP, ADA, 1, T0, T0.date())
    assert await store.migrate() == []
    await store.close()
    store = await SqliteStore.open(path)
    assert (await store.memberships.get(GROUP.id, ADA.id)).messages == 1
    await store.close()


async def test_failed_migration_changes_nothing(tmp_path):
    path = tmp_path / "rete.sqlite3"
    broken = Migration(
        LATEST_VERSION + 1,
        "broken",
        "CREATE TABLE half_done (x INTEGER);\nINSERT INTO no_such_table VALUES (1);",
    )
    with pytest.raises(sqlite3.OperationalError):
        await SqliteStore.open(path, migrations=(*MIGRATIONS, broken))
    store = await SqliteStore.open(path)
    assert await store.schema_version() == LATEST_VERSION
    assert await store.fetchone("SELECT 1 FROM sqlite_master WHERE name = 'half_done'") is None
    await store.close()


async def test_newer_database_is_refused(tmp_path):
    path = tmp_path / "rete.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 5}")
    with pytest.raises(StorageError, match="newer"):
        await SqliteStore.open(path)


async def test_message_counted_once_per_message_id(store):
    assert await store.memberships.record_message(GROUP, ADA, 10, T0, T0.date())
    assert not await store.memberships.record_message(GROUP, ADA, 10, T0, T0.date())
    # 9 arrives after 10 (a webhook delivers concurrently): late, not a redelivery.
    assert await store.memberships.record_message(GROUP, ADA, 9, T0, T0.date())
    assert not await store.memberships.record_message(GROUP, ADA, 9, T0, T0.date())
    assert await store.memberships.record_message(GROUP, BOB, 11, T0, T0.date())
    assert (await store.memberships.get(GROUP.id, ADA.id)).messages == 2
    rows = await store.fetchall("SELECT day, messages FROM activity_daily WHERE member_id = 1")
    assert [tuple(r) for r in rows] == [("2026-03-01", 2)]


async def test_reads_in_flushed_flush_once_at_its_start(store):
    memberships = store.memberships
    go = asyncio.Event()

    async def elsewhere() -> int:
        await go.wait()
        return (await memberships.get(GROUP.id, ADA.id)).messages

    # Another update's task, started outside the block: its reads flush as always.
    other = asyncio.create_task(elsewhere())
    assert await memberships.record_message(GROUP, ADA, 1, T0, T0.date())
    async with store.flushed():
        assert (await memberships.get(GROUP.id, ADA.id)).messages == 1, "flushed at the start"
        assert await memberships.record_message(GROUP, ADA, 2, T0, T0.date())
        assert (await memberships.get(GROUP.id, ADA.id)).messages == 1, "no flush per read"
        go.set()
        assert await other == 2
        assert await memberships.record_message(GROUP, ADA, 3, T0, T0.date())
    assert (await memberships.get(GROUP.id, ADA.id)).messages == 3, "after it, reads flush"


async def test_writes_and_inner_blocks_in_flushed_do_not_flush_again(store):
    memberships = store.memberships
    assert await memberships.record_message(GROUP, ADA, 1, T0, T0.date())
    async with store.flushed():
        assert await memberships.record_message(GROUP, ADA, 2, T0, T0.date())
        # A write in the block (as /meet's introduction) refers to what was on record
        # when it began; so does a block inside it (the holder index's, in a search).
        async with store.transaction() as conn:
            await conn.execute("UPDATE members SET first_name = 'Augusta' WHERE id = ?", (1,))
        async with store.flushed():
            assert (await memberships.get(GROUP.id, ADA.id)).messages == 1
        assert (await store.members.get(ADA.id)).first_name == "Augusta"
    assert (await memberships.get(GROUP.id, ADA.id)).messages == 2, "buffered, not lost"


async def rows_on_record(store, sql: str, params: tuple = ()) -> list[tuple]:
    """What the database holds, asked on the store's own connection without a flush."""
    return [tuple(r) for r in await store.query(sql, params)]


async def test_reading_reads_the_record_and_leaves_the_buffer_to_the_flush(store):
    """/helpers and /profile read beside the stream: a second of everyone's counters is
    not written before their reads (that write was most of their time amid a stream)."""
    memberships = store.memberships
    assert await memberships.record_message(GROUP, ADA, 1, T0, T0.date())
    await store.flush()
    assert await memberships.record_message(GROUP, ADA, 2, T0, T0.date())
    assert await memberships.record_message(GROUP, BOB, 3, T0, T0.date())
    async with store.reading():
        # On record: Ada with one message. Bob's first message is only buffered, and a
        # read of Ada's membership does not need it.
        assert (await memberships.get(GROUP.id, ADA.id)).messages == 1
        assert (await store.members.get(ADA.id)).first_name == "Ada"
        assert await rows_on_record(store, "SELECT id FROM members ORDER BY id") == [(1,)]
    assert (await memberships.get(GROUP.id, ADA.id)).messages == 2, "buffered, not lost"
    assert (await memberships.get(GROUP.id, BOB.id)).messages == 1


async def test_reading_writes_first_what_a_read_would_miss_in_the_buffer(store):
    memberships = store.memberships
    assert await memberships.record_message(GROUP, ADA, 1, T0, T0.date())
    await store.flush()
    # Bob is new here: his membership is only in the buffer, read off it as the flush
    # will write it (no flush for that).
    await store.members.seen(BOB)
    assert await memberships.record_message(GROUP, BOB, 2, T0, T0.date())
    assert await memberships.record_message(GROUP, BOB, 3, T0 + timedelta(seconds=5), T0.date())
    async with store.reading():
        bob = await memberships.get(GROUP.id, BOB.id)
        assert (bob.status, bob.first_seen, bob.last_seen) == (
            "member",
            T0,
            T0 + timedelta(seconds=5),
        )
        assert bob.messages == 2
        assert await rows_on_record(store, "SELECT member_id FROM memberships") == [(1,)]
    assert (await memberships.get(GROUP.id, BOB.id)) == bob, "as the flush wrote it"
    await memberships.record_message(GROUP, MemberInfo(3, "Cy"), 4, T0, T0.date())
    async with store.reading():
        assert (await store.members.get(3)).first_name == "Cy"
    # Ada leaves: a leave not on record yet is written before her membership is read.
    await memberships.record_leave(GROUP, ADA, T0 + timedelta(minutes=1))
    async with store.reading():
        assert (await memberships.get(GROUP.id, ADA.id)).status == "left"
    # @ada changes hands: Dee, seen with it a moment ago, holds it now, not Ada.
    dee = MemberInfo(4, "Dee", None, "Ada", "en")
    assert await memberships.record_message(GROUP, dee, 5, T0 + timedelta(minutes=2), T0.date())
    async with store.reading():
        assert (await store.members.find_by_username("@ada")).id == 4
    # The holder on record is still the one seen with it: nothing to write for that.
    assert await memberships.record_message(GROUP, dee, 6, T0 + timedelta(minutes=3), T0.date())
    async with store.reading():
        assert (await store.members.find_by_username("ada")).id == 4
        assert (await memberships.get(GROUP.id, 4)).messages == 1, "no flush for that"
    assert (await memberships.get(GROUP.id, 4)).messages == 2


def _bob_thanks_ada() -> CreditRequest:
    """Bob's /thanks for Ada's first message, as the ledger is offered it."""
    return CreditRequest(
        chat_id=GROUP.id,
        giver=BOB,
        receiver=ADA,
        message_id=1,
        kind="command",
        at=T0,
        local_day=T0.date().isoformat(),
    )


async def test_reading_writes_the_offered_thanks_and_writes_flush_as_always(store):
    memberships = store.memberships
    assert await memberships.record_message(GROUP, ADA, 1, T0, T0.date())
    await store.flush()
    assert await memberships.record_message(GROUP, BOB, 2, T0, T0.date())
    thanks = _bob_thanks_ada()
    await store.ledger.offer(thanks, lambda today, week: None)
    async with store.reading():
        # The board counts credits: a thanks offered a moment ago is on it.
        assert await store.ledger.pairs(GROUP.id, None) == [(ADA.id, BOB.id, 1)]
        # A write refers to what is buffered (Bob's membership): it flushes first.
        async with store.transaction() as conn:
            await conn.execute(
                "UPDATE memberships SET status = 'member' WHERE chat_id = ? AND member_id = ?",
                (GROUP.id, BOB.id),
            )
        assert await rows_on_record(
            store, "SELECT member_id FROM memberships ORDER BY member_id"
        ) == [(1,), (2,)]


async def test_a_reading_without_credits_leaves_the_offered_thanks_to_the_flush(store):
    """The searches read no credits: amid a stream of thanks, writing them first was one
    more write transaction ahead of every search. A block inside that reads them still
    writes them first."""
    assert await store.memberships.record_message(GROUP, ADA, 1, T0, T0.date())
    await store.flush()
    thanks = _bob_thanks_ada()
    await store.ledger.offer(thanks, lambda today, week: None)
    async with store.reading(chats=[GROUP.id], thanks=False):
        assert await rows_on_record(store, "SELECT giver_id FROM credits") == []
        async with store.reading(chats=[GROUP.id], thanks=False):
            assert await rows_on_record(store, "SELECT giver_id FROM credits") == []
        async with store.reading():
            assert await store.ledger.pairs(GROUP.id, None) == [(ADA.id, BOB.id, 1)]
    assert await rows_on_record(store, "SELECT giver_id FROM credits") == [(BOB.id,)]


async def test_reading_does_not_wait_for_a_write_in_progress(sqlite_store):
    """On SQLite the reads of reading() have a connection of their own (WAL): a flush or
    a batch of credits being written does not hold them up."""
    store = sqlite_store
    assert await store.memberships.record_message(GROUP, ADA, 1, T0, T0.date())
    await store.flush()
    holding, release = asyncio.Event(), asyncio.Event()

    async def long_write() -> None:
        async with store.raw_transaction() as conn:
            await conn.execute("UPDATE members SET first_name = 'Augusta' WHERE id = 1")
            holding.set()
            await release.wait()

    writer = asyncio.create_task(long_write())
    await holding.wait()
    try:
        async with asyncio.timeout(5), store.reading():
            # What is committed, not the write in progress.
            assert (await store.members.get(ADA.id)).first_name == "Ada"
    finally:
        release.set()
        await writer
    async with store.reading():
        assert (await store.members.get(ADA.id)).first_name == "Augusta"


def buffered(pending) -> list:
    """Every row a buffer would write, as sorted lists (json_each arrays unpacked)."""
    import json

    return sorted(
        (statement, sorted(map(json.dumps, json.loads(rows[0][0]))))
        for statement, rows in pending.rows("now")
        if rows
    )


def test_a_groups_rows_come_out_of_the_buffer_whole_and_go_back_whole():
    from storage.activity import PendingActivity

    other = ChatInfo(-300, "group", "Elsewhere")
    pending = PendingActivity()
    pending.add(GROUP, ADA, 1, "t1", "2026-03-01")
    pending.add(other, ADA, 2, "t2", "2026-03-01")
    pending.add(other, BOB, 3, "t3", "2026-03-01")
    pending.change(GROUP, BOB, "LEAVE", (GROUP.id, BOB.id, "left", "t4", "t4", "t4"))
    pending.welcome(GROUP, BOB, "t0")
    pending.see(other, BOB, "t5")
    before = buffered(pending)
    part = pending.take([GROUP.id])
    assert set(part.chats) == {GROUP.id}
    assert set(pending.chats) == {other.id}
    assert set(part.members) == {ADA.id, BOB.id}, "the group's members, copied"
    assert set(pending.members) == {ADA.id, BOB.id}, "still needed by the other group"
    assert set(part.authors) == {(GROUP.id, 1)}
    assert set(pending.authors) == {(other.id, 2), (other.id, 3)}
    assert [params[0] for _, params in part.presence] == [GROUP.id]
    assert not pending.presence
    assert set(part.welcomes) == {(GROUP.id, BOB.id)}
    assert set(part.seen) == {(GROUP.id, ADA.id)}
    assert set(pending.seen) == {(other.id, ADA.id), (other.id, BOB.id)}
    # A failed write takes them back: the buffer is as it was.
    pending.absorb(part)
    assert buffered(pending) == before


async def test_a_groups_rows_that_fail_to_be_written_wait_for_the_next_flush(store):
    memberships = store.memberships
    assert await memberships.record_message(GROUP, ADA, 1, T0, T0.date())
    original = store.raw_transaction

    def failing():
        raise sqlite3.OperationalError("disk I/O error")

    store.raw_transaction = failing
    try:
        with pytest.raises(sqlite3.OperationalError):
            await memberships.flush_chats([GROUP.id])
    finally:
        store.raw_transaction = original
    assert await rows_on_record(store, "SELECT member_id FROM memberships") == []
    assert (await memberships.get(GROUP.id, ADA.id)).messages == 1, "written by the flush"


async def test_the_log_is_checkpointed_beside_the_commits(sqlite_store):
    """No COMMIT copies the write-ahead log into the file (that made the commit amid a busy
    stream take 10-36 ms, and every read waiting behind it): the store does, in the
    background, every CHECKPOINT_EVERY commits."""
    store = sqlite_store
    assert (await store.fetchone("PRAGMA wal_autocheckpoint"))[0] == 0

    def in_the_file() -> int | None:
        """Members in the database file alone, as if there were no log (None: no table)."""
        uri = f"{store.path.resolve().as_uri()}?immutable=1"
        with contextlib.closing(sqlite3.connect(uri, uri=True)) as conn:
            try:
                return conn.execute("SELECT count(*) FROM members").fetchone()[0]
            except sqlite3.OperationalError:
                return None

    assert in_the_file() is None, "a new database's schema is still in the log"
    for member_id in range(100, 100 + 2 * CHECKPOINT_EVERY):
        async with store.transaction() as conn:
            await conn.execute(
                "INSERT INTO members (id, first_name, first_seen, updated_at)"
                " VALUES (?, 'M', ?, ?)",
                (member_id, store.now(), store.now()),
            )
    if store._checkpointing is not None:
        await store._checkpointing
    # One checkpoint started by the CHECKPOINT_EVERY-th commit at the latest, and one
    # after it: at least that many of the rows are in the file.
    assert (in_the_file() or 0) >= CHECKPOINT_EVERY


async def test_late_and_redelivered_messages_are_told_apart_exactly(tmp_path):
    """Late messages count once, whether the earlier ones are buffered, on disk or both."""
    path = tmp_path / "rete.sqlite3"
    store = await open_store(path)
    memberships = store.memberships
    for message_id in (1, 2, 5):
        assert await memberships.record_message(GROUP, ADA, message_id, T0, T0.date())
    await store.flush()
    assert await memberships.record_message(GROUP, ADA, 8, T0, T0.date())  # buffered
    assert not await memberships.record_message(GROUP, ADA, 2, T0, T0.date()), "on disk"
    assert not await memberships.record_message(GROUP, ADA, 8, T0, T0.date()), "buffered"
    assert await memberships.record_message(GROUP, ADA, 4, T0, T0.date()), "late"
    # The same late update twice at once (two webhook connections): counted once.
    both = await asyncio.gather(
        memberships.record_message(GROUP, BOB, 3, T0, T0.date()),
        memberships.record_message(GROUP, BOB, 3, T0, T0.date()),
    )
    assert sorted(both) == [False, True]
    await store.close()
    # After a restart the record on disk still tells them apart.
    store = await open_store(path)
    assert not await store.memberships.record_message(GROUP, ADA, 4, T0, T0.date())
    assert await store.memberships.record_message(GROUP, ADA, 6, T0, T0.date())
    assert (await store.memberships.get(GROUP.id, ADA.id)).messages == 6
    assert (await store.memberships.get(GROUP.id, BOB.id)).messages == 1
    await store.close()


async def test_member_names_stay_current(store):
    await store.memberships.record_message(GROUP, ADA, 1, T0, T0.date())
    renamed = MemberInfo(1, "Augusta", "King", "augusta", None)
    await store.memberships.record_message(GROUP, renamed, 2, T0, T0.date())
    member = await store.members.get(1)
    assert (member.first_name, member.last_name, member.username) == ("Augusta", "King", "augusta")
    assert member.language_code == "it", "a missing language_code keeps the known one"
    assert (await store.members.find_by_username("@AUGUSTA")).id == 1


async def test_join_leave_rejoin(store):
    await store.memberships.record_join(GROUP, BOB, T0)
    await store.memberships.record_join(GROUP, BOB, T0 + timedelta(minutes=1))  # reported twice
    membership = await store.memberships.get(GROUP.id, BOB.id)
    assert (membership.status, membership.joined_at) == ("member", T0)
    await store.memberships.record_leave(GROUP, BOB, T0 + timedelta(days=1))
    await store.memberships.record_leave(GROUP, BOB, T0 + timedelta(days=2))
    membership = await store.memberships.get(GROUP.id, BOB.id)
    assert (membership.status, membership.left_at) == ("left", T0 + timedelta(days=1))
    await store.memberships.record_join(GROUP, BOB, T0 + timedelta(days=3))
    membership = await store.memberships.get(GROUP.id, BOB.id)
    assert membership.status == "member"
    assert membership.joined_at == T0 + timedelta(days=3)
    assert membership.left_at is None
    assert membership.first_seen == T0


async def test_settings_round_trip(store):
    await store.chats.seen(GROUP)
    await store.chats.set_setting(GROUP.id, "timezone", "UTC")
    await store.chats.set_setting(GROUP.id, "topic", 5)
    assert (await store.chats.get(GROUP.id)).settings == {"timezone": "UTC", "topic": 5}
    await store.chats.set_setting(GROUP.id, "topic", None)
    assert (await store.chats.get(GROUP.id)).settings == {"timezone": "UTC"}


async def test_a_write_that_names_no_chat_keeps_the_cached_chats(store, monkeypatch):
    """changes_chats=[] (an introduction's DM state, an ask) forgets no cached chat; one
    that names a chat forgets that one; a write that says nothing forgets them all."""
    other = ChatInfo(-1002, "group", "Other")
    for chat in (GROUP, other):
        await store.chats.seen(chat)
    await store.flush()
    for chat in (GROUP, other):
        await store.chats.get(chat.id)
    loads: list[int] = []
    load = store.chats._load

    async def counted(chat_id: int):
        loads.append(chat_id)
        return await load(chat_id)

    monkeypatch.setattr(store.chats, "_load", counted)
    async with store.transaction(changes_chats=[]):
        pass
    assert (await store.chats.get(GROUP.id)).title == GROUP.title
    assert loads == [], "read again after a write that changed no chat"
    async with store.transaction(changes_chats=[other.id]):
        pass
    await store.chats.get(GROUP.id)
    await store.chats.get(other.id)
    assert loads == [other.id]
    async with store.transaction():
        pass
    await store.chats.get(GROUP.id)
    assert loads == [other.id, GROUP.id]


async def test_a_chat_changed_by_another_instance_is_seen_within_the_cache_time(database):
    """On PostgreSQL another instance may change a chat's settings: a cached chat is read
    again once CHAT_CACHE_FOR old. SQLite has one writer: its cache holds until a write."""
    now = [T0]
    store = await open_store(database, clock=lambda: now[0])
    try:
        await store.chats.seen(GROUP)
        await store.chats.set_setting(GROUP.id, "language", "it")
        before = await store.chats.get(GROUP.id)
        assert before.settings == {"language": "it"}
        # What another instance writes: straight into the database, past this one's cache.
        async with store.raw_transaction() as conn:
            await conn.execute(
                "UPDATE chat_settings SET value = '\"en\"' WHERE chat_id = ? AND key = 'language'",
                (GROUP.id,),
            )
        now[0] = T0 + CHAT_CACHE_FOR - timedelta(seconds=1)
        assert (await store.chats.get(GROUP.id)) is before, "cached for CHAT_CACHE_FOR"
        now[0] = T0 + CHAT_CACHE_FOR
        after = await store.chats.get(GROUP.id)
        if store.one_writer:
            assert after is before
        else:
            assert after.settings == {"language": "en"}
            now[0] += CHAT_CACHE_FOR
            assert (await store.chats.get(GROUP.id)) is after, "unchanged: the same object"
    finally:
        await store.close()


async def test_privacy_warning_only_once(store):
    await store.chats.seen(GROUP)
    assert await store.chats.mark_privacy_warned(GROUP.id)
    assert not await store.chats.mark_privacy_warned(GROUP.id)


async def test_migration_moves_everything(store):
    await store.chats.seen(GROUP)
    await store.chats.set_setting(GROUP.id, "language", "en")
    await store.chats.mark_privacy_warned(GROUP.id)
    await store.memberships.record_join(GROUP, ADA, T0)
    await store.memberships.record_message(GROUP, ADA, 5, T0, T0.date())
    await store.memberships.record_message(GROUP, BOB, 6, T0, T0.date())

    assert await store.chats.migrate(GROUP.id, -1009)
    assert await store.chats.get(GROUP.id) is None
    new = await store.chats.get(-1009)
    assert (new.type, new.title, new.settings, new.privacy_warned) == (
        "supergroup",
        "Makers",
        {"language": "en"},
        True,
    )
    ada = await store.memberships.get(-1009, ADA.id)
    assert (ada.joined_at, ada.messages) == (T0, 1)
    assert (await store.memberships.get(-1009, BOB.id)).messages == 1
    for table in await tables_referencing(store, "chats"):
        row = await store.fetchone(f"SELECT count(*) FROM {table} WHERE chat_id = ?", (GROUP.id,))
        assert row[0] == 0, table
    assert not await store.chats.migrate(GROUP.id, -1009), "a second migration is a no-op"


async def test_migration_merges_into_already_seen_supergroup(store):
    supergroup = ChatInfo(-1009, "supergroup", "Makers")
    await store.memberships.record_message(GROUP, ADA, 5, T0, T0.date())
    await store.memberships.record_message(supergroup, ADA, 1, T0, T0.date())
    await store.chats.set_setting(GROUP.id, "timezone", "UTC")
    await store.chats.migrate(GROUP.id, supergroup.id)
    assert (await store.memberships.get(supergroup.id, ADA.id)).messages == 2
    assert (await store.chats.get(supergroup.id)).settings == {"timezone": "UTC"}


async def test_every_chat_table_is_migrated(store):
    assert set(await tables_referencing(store, "chats")) == set(CHAT_MERGES)


async def test_every_member_table_is_exported(store):
    assert set(await tables_referencing(store, "members")) == set(MEMBER_EXPORTS)


async def test_export_and_delete_member_leave_nothing(store):
    await store.memberships.record_join(GROUP, ADA, T0)
    await store.memberships.record_message(GROUP, ADA, 5, T0, date(2026, 3, 1))
    await store.memberships.record_message(GROUP, BOB, 6, T0, date(2026, 3, 1))
    export = await store.members.export(ADA.id)
    assert export["member"]["first_name"] == "Ada"
    assert export["memberships"][0]["chat_title"] == "Makers"
    assert export["activity_daily"] == [{"chat_id": -100, "day": "2026-03-01", "messages": 1}]

    assert await store.members.delete(ADA.id)
    assert not await store.members.delete(ADA.id)
    for table, columns in (await tables_referencing(store, "members")).items():
        for column in columns:
            rows = await raw_rows(store, f"SELECT count(*) FROM {table} WHERE {column} = ?", (1,))
            assert rows[0][0] == 0, (table, column)
    assert (await raw_rows(store, "SELECT count(*) FROM members WHERE id = 1"))[0][0] == 0
    assert (await store.memberships.get(GROUP.id, BOB.id)).messages == 1


async def test_hidden_and_reachable_flags(store):
    await store.members.seen(ADA)
    await store.members.set_reachable(ADA.id, True)
    await store.members.set_hidden(ADA.id, True)
    member = await store.members.get(ADA.id)
    assert member.dm_reachable
    assert member.hidden


async def test_concurrent_writers_do_not_interleave(store):
    async def write(chat: ChatInfo) -> None:
        for i in range(1, 51):
            await store.memberships.record_message(
                chat, MemberInfo(i % 7 + 1, "M"), i, T0, T0.date()
            )

    await asyncio.gather(write(GROUP), write(ChatInfo(-200, "group", "Other")))
    row = await store.fetchone("SELECT sum(messages) FROM activity_daily")
    assert row[0] == 100


async def test_backup_is_a_consistent_copy(sqlite_store, tmp_path):
    store = sqlite_store
    await store.memberships.record_message(GROUP, ADA, 5, T0, T0.date())
    await store.flush()  # the running bot flushes every second
    await backup_database(store.path, tmp_path / "copy.sqlite3")
    await store.memberships.record_message(GROUP, ADA, 6, T0, T0.date())
    with sqlite3.connect(tmp_path / "copy.sqlite3") as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
        assert copy.execute("SELECT sum(messages) FROM activity_daily").fetchone()[0] == 1
    assert not (tmp_path / "copy.sqlite3.partial").exists()


async def test_backup_of_missing_database_is_an_error(tmp_path):
    with pytest.raises(StorageError, match="no database"):
        await backup_database(tmp_path / "none.sqlite3", tmp_path / "copy.sqlite3")


async def raw_count(store) -> int:
    rows = await raw_rows(store, "SELECT coalesce(sum(messages), 0) FROM activity_daily")
    return int(rows[0][0])


async def test_counters_are_buffered_until_flush_but_reads_see_them(store):
    await store.memberships.record_message(GROUP, ADA, 1, T0, T0.date())
    assert await raw_count(store) == 0, "counted in memory, not yet written"
    assert (await store.memberships.get(GROUP.id, ADA.id)).messages == 1
    assert await raw_count(store) == 1, "a read flushes first"
    await store.memberships.record_message(GROUP, ADA, 2, T0, T0.date())
    assert await store.flush() == 1
    assert await store.flush() == 0
    assert await raw_count(store) == 2


async def test_big_bursts_flush_early(store):
    from storage.sqlite import FLUSH_AT

    for message_id in range(1, FLUSH_AT + 1):
        await store.memberships.record_message(GROUP, ADA, message_id, T0, T0.date())
    assert await raw_count(store) == FLUSH_AT


async def test_crash_loses_only_the_unflushed_counters_and_they_recount(database):
    path = database
    store = await open_store(path)
    await store.memberships.record_message(GROUP, ADA, 1, T0, T0.date())
    await store.flush()
    await store.memberships.record_message(GROUP, ADA, 2, T0, T0.date())
    await crash(store)  # the process dies: no flush, no orderly close

    store = await open_store(path)
    assert (await store.memberships.get(GROUP.id, ADA.id)).messages == 1
    # Telegram redelivers the unacknowledged update: it is counted now, once.
    assert not await store.memberships.record_message(GROUP, ADA, 1, T0, T0.date())
    assert await store.memberships.record_message(GROUP, ADA, 2, T0, T0.date())
    assert (await store.memberships.get(GROUP.id, ADA.id)).messages == 2
    await store.close()


async def test_failed_flush_keeps_counters(store, monkeypatch):
    await store.memberships.record_message(GROUP, ADA, 1, T0, T0.date())
    original = store.raw_transaction

    def broken():
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(store, "raw_transaction", broken)
    with pytest.raises(sqlite3.OperationalError):
        await store.flush()
    monkeypatch.setattr(store, "raw_transaction", original)
    await store.memberships.record_message(GROUP, ADA, 2, T0, T0.date())
    assert (await store.memberships.get(GROUP.id, ADA.id)).messages == 2


async def test_settings_on_a_chat_known_only_from_buffered_messages(store):
    await store.memberships.record_message(GROUP, ADA, 1, T0, T0.date())
    await store.chats.set_setting(GROUP.id, "language", "en")
    assert (await store.chats.get(GROUP.id)).settings == {"language": "en"}


async def test_message_authors_kept_30_days(store):
    await store.memberships.record_message(GROUP, ADA, 7, T0, T0.date())
    assert await store.memberships.author_of(GROUP.id, 7) == ADA.id
    await store.flush()
    assert await store.memberships.author_of(GROUP.id, 7) == ADA.id
    assert await store.memberships.author_of(GROUP.id, 8) is None
    assert await store.memberships.prune_authors(T0 + timedelta(days=29)) == 0
    assert await store.memberships.prune_authors(T0 + timedelta(days=31)) == 1
    assert await store.memberships.author_of(GROUP.id, 7) is None


async def test_joins_and_leaves_are_buffered_in_order_and_reads_see_them(store):
    await store.memberships.record_join(GROUP, BOB, T0)
    await store.memberships.record_message(GROUP, BOB, 1, T0 + timedelta(minutes=1), T0.date())
    await store.memberships.record_leave(GROUP, BOB, T0 + timedelta(minutes=2))
    assert (await raw_rows(store, "SELECT count(*) FROM memberships"))[0][0] == 0
    membership = await store.memberships.get(GROUP.id, BOB.id)
    assert (membership.status, membership.joined_at, membership.left_at, membership.messages) == (
        "left",
        T0,
        T0 + timedelta(minutes=2),
        1,
    )
    # A message after a leave (its join went unseen) means the member is back.
    await store.memberships.record_leave(GROUP, ADA, T0)
    await store.memberships.record_message(GROUP, ADA, 2, T0 + timedelta(minutes=1), T0.date())
    assert (await store.memberships.get(GROUP.id, ADA.id)).status == "member"


async def test_a_crash_loses_at_most_the_buffered_joins(database):
    path = database
    store = await open_store(path)
    await store.memberships.record_join(GROUP, ADA, T0)
    await store.flush()
    await store.memberships.record_join(GROUP, BOB, T0)
    await crash(store)  # the process dies: no flush, no orderly close

    store = await open_store(path)
    try:
        assert (await store.memberships.get(GROUP.id, ADA.id)).status == "member"
        assert await store.memberships.get(GROUP.id, BOB.id) is None
    finally:
        await store.close()


async def test_a_chat_found_missing_is_found_once_written(store):
    assert await store.chats.get(GROUP.id) is None
    await store.memberships.record_message(GROUP, ADA, 1, T0, T0.date())
    assert await store.chats.get(GROUP.id) is None, "only in the buffer yet"
    await store.flush()
    assert (await store.chats.get(GROUP.id)).title == "Makers"


async def test_author_comes_from_the_buffer_or_the_database(store):
    await store.memberships.record_message(GROUP, ADA, 7, T0, T0.date())
    assert await store.memberships.author(GROUP.id, 7) == ADA
    await store.flush()
    assert await store.memberships.author(GROUP.id, 7) == ADA
    assert await store.memberships.author(GROUP.id, 8) is None


async def test_one_batch_gives_a_username_to_the_member_written_last(store):
    olga = MemberInfo(410, "Olga", None, "maker", "it")
    nina = MemberInfo(411, "Nina", None, "Maker", "it")
    await store.memberships.record_message(GROUP, olga, 1, T0, T0.date())
    await store.memberships.record_message(GROUP, nina, 2, T0, T0.date())
    await store.flush()  # both in one statement
    assert (await store.members.find_by_username("maker")).id == nina.id
    assert (await store.members.get(olga.id)).username is None
    await store.memberships.record_message(GROUP, olga, 3, T0, T0.date())
    assert (await store.members.find_by_username("MAKER")).id == olga.id


async def test_a_search_reads_everything_written_on_its_own_connection(store):
    # A search (/whoknows, /meet) flushes buffered counters, then reads on a second
    # connection: what was just counted is there, and a transaction held open on the main
    # connection does not hold it up (WAL: it reads what is committed).
    await store.memberships.record_message(GROUP, ADA, 1, T0, T0.date())
    rows = await store.search("SELECT member_id FROM memberships WHERE chat_id = ?", (GROUP.id,))
    assert [row["member_id"] for row in rows] == [ADA.id]
    if is_postgres(store):
        return  # the server's readers never wait for its writers: one connection serves
    async with store.transaction() as conn:
        await conn.execute("DELETE FROM memberships")
        during = await store.search("SELECT count(*) FROM memberships")
        assert next(iter(during))[0] == 1, "the committed state, not the open transaction"
    after = await store.search("SELECT count(*) FROM memberships")
    assert next(iter(after))[0] == 0
    with pytest.raises(sqlite3.OperationalError):
        await store.search("DELETE FROM memberships")  # searches only read


async def test_members_are_read_many_at_once_by_id(store):
    await store.memberships.record_message(GROUP, ADA, 1, T0, T0.date())
    await store.memberships.record_message(GROUP, BOB, 2, T0, T0.date())
    found = await store.members.get_many([BOB.id, 99, ADA.id, BOB.id])
    assert found == {
        ADA.id: await store.members.get(ADA.id),
        BOB.id: await store.members.get(BOB.id),
    }
    assert found[ADA.id].first_name == "Ada", "recorded members, written before the read"
    assert await store.members.get_many([]) == {}
