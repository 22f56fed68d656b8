"""Storage: migration 9 repairs what earlier versions let in, and the rules it installs."""

import sqlite3
from datetime import UTC, datetime

import pytest

from storage import ChatInfo, MemberInfo, SqliteStore, open_store
from storage.migrations import MIGRATIONS

T0 = "2026-03-01T09:00:00+00:00"
T1 = "2026-03-02T09:00:00+00:00"
GROUP_ID = -100
PRIVATE_ID = 200  # a member's private chat, recorded as a "supergroup" by a reaction
ANONYMOUS = 1087968824


async def version_8(path) -> None:
    store = await SqliteStore.open(path, migrations=[m for m in MIGRATIONS if m.version <= 8])
    assert await store.schema_version() == 8
    await store.close()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA foreign_keys = ON")
        for chat_id in (GROUP_ID, PRIVATE_ID):
            conn.execute(
                "INSERT INTO chats (id, type, added_at, updated_at) "
                "VALUES (?, 'supergroup', ?, ?)",
                (chat_id, T0, T0),
            )
        members = [
            (1, "Ada", "ada", T0),
            (2, "Olga", "maker", T0),  # had @maker first
            (3, "Nina", "Maker", T1),  # seen with it later: holds it now
            (ANONYMOUS, "Group", "GroupAnonymousBot", T0),
        ]
        conn.executemany(
            "INSERT INTO members (id, first_name, username, first_seen, updated_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [(i, n, u, T0, at) for i, n, u, at in members],
        )
        for chat_id in (GROUP_ID, PRIVATE_ID):
            conn.execute(
                "INSERT INTO chat_settings (chat_id, key, value) VALUES (?, 'recap', 'true')",
                (chat_id,),
            )
            conn.execute(
                "INSERT INTO memberships (chat_id, member_id, first_seen, last_seen) "
                "VALUES (?, 1, ?, ?)",
                (chat_id, T0, T0),
            )
            conn.execute(
                "INSERT INTO schedule_runs (chat_id, job, slot, slot_at, state, updated_at) "
                "VALUES (?, 'recap', '2026-03-02T09:00', ?, 'done', ?)",
                (chat_id, T1, T1),
            )
            conn.execute(
                "INSERT INTO recaps (chat_id, week, kind, posted_at) "
                "VALUES (?, '2026-W10', 'scheduled', ?)",
                (chat_id, T1),
            )
            conn.execute(
                "INSERT INTO credits (chat_id, message_id, giver_id, receiver_id, counted, "
                "local_day, created_at, thanks_message_id, voided_at, voided_by) "
                "VALUES (?, 5, 1, 3, 1, '2026-03-01', ?, 6, ?, ?)",
                (chat_id, T0, T1, ANONYMOUS),
            )


async def test_migration_9_removes_private_chats_and_service_accounts(tmp_path):
    path = tmp_path / "rete.sqlite3"
    await version_8(path)
    store = await open_store(path)
    assert await store.chats.get(PRIVATE_ID) is None
    assert [chat.id for chat in await store.chats.list_active()] == [GROUP_ID]
    tables = [
        r[0]
        for r in await store.fetchall(
            "SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) c "
            "WHERE m.type = 'table' AND c.name = 'chat_id'"
        )
    ]
    for table in tables:
        row = await store.fetchone(f"SELECT count(*) FROM {table} WHERE chat_id > 0")
        assert row[0] == 0, table
    # The group keeps everything; the credit a service account voided stays voided.
    [credit] = await store.ledger.export(GROUP_ID)
    assert (credit["voided_at"], credit["voided_by"]) == (T1, None)
    assert await store.members.get(ANONYMOUS) is None
    assert len(await store.recaps.posted(GROUP_ID)) == 1
    await store.close()


async def test_migration_9_leaves_each_username_one_holder(tmp_path):
    path = tmp_path / "rete.sqlite3"
    await version_8(path)
    store = await open_store(path)
    assert (await store.members.find_by_username("@MAKER")).id == 3
    assert (await store.members.get(2)).username is None
    # Whoever is seen with a username from now on takes it, whichever way they are written.
    await store.members.seen(MemberInfo(4, "Ugo", None, "maker", "it"))
    assert (await store.members.find_by_username("maker")).id == 4
    assert (await store.members.get(3)).username is None
    group = ChatInfo(GROUP_ID, "supergroup", "Makers")
    at = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
    nina = MemberInfo(3, "Nina", None, "maker")
    await store.memberships.record_message(group, nina, 9, at, at.date())
    assert (await store.members.find_by_username("maker")).id == 3
    assert (await store.members.get(4)).username is None
    await store.close()


async def test_private_chats_are_never_recorded(database):
    store = await open_store(database)
    private = ChatInfo(PRIVATE_ID, "private")
    ada = MemberInfo(1, "Ada")
    at = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
    assert not await store.memberships.record_message(private, ada, 1, at, at.date())
    await store.memberships.record_join(private, ada, at)
    await store.flush()
    assert await store.chats.get(PRIVATE_ID) is None
    assert await store.memberships.get(PRIVATE_ID, ada.id) is None
    with pytest.raises(ValueError, match="not a group"):
        await store.chats.seen(private)
    await store.close()
