"""The searches' in-memory index (storage/holders.py) against the SQL search it replaces.

After every kind of write that changes what /whoknows or /meet sees (tags, opt-in, pause,
stop, reachability, hiding, leave, ban, coming back, being seen again, /privacy delete, a
supergroup merge), the next search from the index gives exactly the SQL's rows — also when
the write is made by another instance on the same database.
"""

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from storage import ChatInfo, MemberInfo, open_store

GROUP = ChatInfo(-100, "supergroup", "Makers")
PEOPLE = [MemberInfo(i, f"M{i}", None, f"m{i}", "en") for i in range(1, 13)]
NOW = datetime(2026, 12, 2, 9, 15, tzinfo=UTC)
VOCABULARY = ["python", "rust", "go", "kayak", "chess", "design", "sql"]
KINDS = ["interest", "offer", "seek"]


def rows(found: Any) -> tuple[int, list[tuple[int, ...]]]:
    return found.size, sorted(tuple(int(x) for x in row) for row in found.rows)


async def seed(store: Any) -> None:
    for person in PEOPLE:
        await store.memberships.record_message(GROUP, person, person.id, NOW, NOW.date())
        await store.members.set_reachable(person.id, True)
        await store.intros.join(GROUP.id, person, NOW)
        await store.intros.add_tags(person, "interest", ["python"], NOW)


async def same(reader: Any, tags: list[str], now: datetime, chat: int = GROUP.id) -> None:
    """Assert the reader's index gives what the SQL gives, in both pools."""
    intros = reader.intros
    assert rows(await intros.candidate_holders(chat, now, tags)) == rows(
        await intros.holders_by_sql(chat, tags, now=now)
    )
    assert rows(await intros.listed_holders(chat, tags)) == rows(
        await intros.holders_by_sql(chat, tags)
    )


@pytest.fixture
async def store(database):
    store = await open_store(database)
    await seed(store)
    yield store
    await store.close()


async def test_each_write_is_seen_by_the_next_search(store):
    intros = store.intros
    tags = ["python", "rust", "go"]
    await same(store, tags, NOW)
    assert intros.index.builds == 1
    steps = [
        lambda: intros.add_tags(PEOPLE[1], "offer", ["rust"], NOW),
        lambda: intros.add_tags(PEOPLE[2], "seek", ["rust", "go"], NOW),
        lambda: intros.remove_tags(1, ["python"]),
        lambda: intros.set_status(GROUP.id, 4, "stopped", NOW),
        lambda: intros.set_status(GROUP.id, 5, "paused", NOW, until=NOW + timedelta(days=3)),
        lambda: intros.set_status(GROUP.id, 6, "paused", NOW, reason="silent"),
        lambda: store.members.set_reachable(7, False),
        lambda: store.members.set_hidden(8, True),
        lambda: store.memberships.record_leave(GROUP, PEOPLE[8], NOW),
        lambda: store.memberships.record_leave(GROUP, PEOPLE[9], NOW, "kicked"),
        lambda: intros.join(GROUP.id, PEOPLE[3], NOW),  # back from stopped
        lambda: store.memberships.record_join(GROUP, PEOPLE[8], NOW + timedelta(minutes=1)),
        lambda: store.members.delete(3),
    ]
    for step in steps:
        await step()
        await same(store, tags, NOW)
    # A dated pause ends by itself; members not seen for 60 days drop out.
    await same(store, tags, NOW + timedelta(days=4))
    await same(store, tags, NOW + timedelta(days=61))
    # Seen again (no mark: when they were last seen only grows) and back by posting.
    later = NOW + timedelta(days=70)
    await store.memberships.record_message(GROUP, PEOPLE[10], 500, later, later.date())
    await store.memberships.record_message(GROUP, PEOPLE[9], 501, later, later.date())
    await same(store, tags, later)
    assert intros.index.builds == 2, "built once, and again after the deletion only"
    assert intros.index.refreshes >= 10


async def test_opted_in_before_being_seen_in_the_group_counts_once_seen(store):
    newcomer = MemberInfo(50, "New", None, None, "en")
    await store.members.seen(newcomer)
    await store.members.set_reachable(newcomer.id, True)
    await store.intros.join(GROUP.id, newcomer, NOW)  # no membership row yet
    await store.intros.add_tags(newcomer, "offer", ["python"], NOW)
    await same(store, ["python"], NOW)
    assert 50 not in [
        int(row[0]) for row in (await store.intros.listed_holders(GROUP.id, ["python"])).rows
    ]
    await store.memberships.record_message(GROUP, newcomer, 900, NOW, NOW.date())
    await same(store, ["python"], NOW)
    assert 50 in [
        int(row[0]) for row in (await store.intros.listed_holders(GROUP.id, ["python"])).rows
    ]


async def test_a_deleted_member_is_gone_from_the_index_and_leaves_no_mark(store):
    await same(store, ["python"], NOW)
    await store.members.delete(5)
    found = await store.intros.listed_holders(GROUP.id, ["python"])
    assert 5 not in [int(row[0]) for row in found.rows]
    assert found.size == len(PEOPLE) - 1
    row = await store.fetchone("SELECT count(*) FROM holder_changes WHERE member_id = 5")
    assert row[0] == 0


async def test_a_refresh_that_fails_halfway_drops_the_groups_index(store, monkeypatch):
    """A refresh that fails in its thread may have applied part of its rows: the group's
    index is dropped and built afresh by the next search, never used half-applied."""
    from storage.holders import GroupIndex

    await same(store, ["python"], NOW)
    await store.members.set_hidden(3, True)
    real = GroupIndex.apply

    def halfway(self: GroupIndex, loaded: Any, dropped: Any) -> None:
        self.alive[:] = False  # a part of the work done, then the failure
        raise MemoryError("no room for the refresh")

    monkeypatch.setattr(GroupIndex, "apply", halfway)
    with pytest.raises(MemoryError):
        await store.intros.listed_holders(GROUP.id, ["python"])
    monkeypatch.setattr(GroupIndex, "apply", real)
    builds = store.intros.index.builds
    await same(store, ["python"], NOW)
    assert store.intros.index.builds == builds + 1, "built afresh"
    found = await store.intros.listed_holders(GROUP.id, ["python"])
    assert 3 not in [int(row[0]) for row in found.rows]
    assert found.size == len(PEOPLE) - 1


async def test_a_supergroup_merge_rebuilds_the_new_groups_index(store):
    await same(store, ["python"], NOW)
    supergroup = ChatInfo(-1009, "supergroup", "Makers")
    await store.memberships.record_message(supergroup, PEOPLE[0], 1, NOW, NOW.date())
    await same(store, ["python"], NOW, chat=supergroup.id)  # built before the merge
    await store.chats.migrate(GROUP.id, supergroup.id)
    await same(store, ["python"], NOW, chat=supergroup.id)
    found = await store.intros.listed_holders(supergroup.id, ["python"])
    assert found.size == len(PEOPLE)


OTHER = ChatInfo(-200, "supergroup", "Elsewhere")


async def test_a_search_writes_its_groups_buffered_rows_and_no_other_groups(store):
    """A search reads one group as a whole: that group's buffered joins, leaves and
    sightings are written before it (who left a moment ago is nobody's match), the other
    groups' second of counters is left to the flush (it was a third of the search's time
    amid a busy stream)."""
    await store.flush()
    chatter = MemberInfo(40, "Chatty", None, None, "en")
    assert await store.memberships.record_message(OTHER, chatter, 7, NOW, NOW.date())
    await store.memberships.record_leave(GROUP, PEOPLE[1], NOW)
    newcomer = MemberInfo(41, "New", None, None, "en")
    await store.members.seen(newcomer)
    await store.members.set_reachable(newcomer.id, True)
    await store.intros.join(GROUP.id, newcomer, NOW)
    await store.intros.add_tags(newcomer, "offer", ["python"], NOW)
    await store.flush()
    # Seen in the group for the first time, a moment ago: a holder from now on.
    assert await store.memberships.record_message(GROUP, newcomer, 900, NOW, NOW.date())
    await store.memberships.record_leave(GROUP, PEOPLE[2], NOW)
    assert await store.memberships.record_message(OTHER, chatter, 8, NOW, NOW.date())
    for found in (
        await store.intros.listed_holders(GROUP.id, ["python"]),
        await store.intros.candidate_holders(GROUP.id, NOW, ["python"]),
    ):
        ids = [int(row[0]) for row in found.rows]
        assert PEOPLE[1].id not in ids
        assert PEOPLE[2].id not in ids, "left a moment ago"
        assert newcomer.id in ids, "seen a moment ago"
    rows_elsewhere = await store.query(
        "SELECT sum(messages) FROM activity_daily WHERE chat_id = ?", (OTHER.id,)
    )
    assert next(iter(rows_elsewhere))[0] == 1, "the other group's new message still buffered"
    assert (await store.memberships.get(OTHER.id, chatter.id)).messages == 2, "not lost"


async def test_writes_of_another_instance_are_seen(database):
    writer = await open_store(database)
    reader = await open_store(database)
    try:
        await seed(writer)
        tags = ["python", "rust"]
        await same(reader, tags, NOW)
        await writer.intros.add_tags(PEOPLE[0], "offer", ["rust"], NOW)
        await writer.intros.set_status(GROUP.id, 2, "stopped", NOW)
        await writer.members.set_hidden(3, True)
        await same(reader, tags, NOW)
        await writer.memberships.record_leave(GROUP, PEOPLE[3], NOW)
        await writer.flush()
        await same(reader, tags, NOW)
        await writer.members.delete(5)
        await same(reader, tags, NOW)
        found = await reader.intros.listed_holders(GROUP.id, tags)
        assert 5 not in [int(row[0]) for row in found.rows]
        assert reader.intros.index.builds == 2, "built, then again after the deletion"
    finally:
        await reader.close()
        await writer.close()


async def test_random_writes_keep_the_index_exact(database):
    rng = random.Random(16)
    store = await open_store(database)
    other = await open_store(database)
    try:
        await seed(store)
        now = NOW
        for message_id in range(1000, 1060):
            writer = rng.choice([store, other])
            person = rng.choice(PEOPLE)
            if await writer.members.get(person.id) is None:
                # Deleted: comes back by posting and opting in again.
                await writer.memberships.record_message(GROUP, person, message_id, now, now.date())
                await writer.members.set_reachable(person.id, True)
                await writer.intros.join(GROUP.id, person, now)
                continue
            action = rng.randrange(11)
            if action == 0:
                kind = rng.choice(KINDS)
                await writer.intros.add_tags(person, kind, rng.sample(VOCABULARY, 2), now)
            elif action == 1:
                await writer.intros.remove_tags(person.id, rng.sample(VOCABULARY, 2))
            elif action == 2:
                await writer.intros.join(GROUP.id, person, now)
            elif action == 3:
                status = rng.choice(["stopped", "paused"])
                until = now + timedelta(days=rng.choice([1, 5])) if rng.random() < 0.5 else None
                await writer.intros.set_status(GROUP.id, person.id, status, now, until=until)
            elif action == 4:
                await writer.members.set_reachable(person.id, rng.random() < 0.5)
            elif action == 5:
                await writer.members.set_hidden(person.id, rng.random() < 0.5)
            elif action == 6:
                status = rng.choice(["left", "kicked"])
                await writer.memberships.record_leave(GROUP, person, now, status)
            elif action == 7:
                await writer.memberships.record_join(GROUP, person, now)
            elif action == 8:
                await writer.memberships.record_message(GROUP, person, message_id, now, now.date())
            elif action == 9 and rng.random() < 0.3:
                await writer.members.delete(person.id)
            else:
                now += timedelta(days=rng.choice([1, 20, 45]))
            await writer.flush()
            asked = rng.sample(VOCABULARY, rng.randint(1, 4))
            await same(rng.choice([store, other]), asked, now)
    finally:
        await other.close()
        await store.close()


async def test_start_up_builds_the_big_groups_indexes(store):
    index = store.intros.index
    assert await index.warm(least=len(PEOPLE) + 1) == [], "no group that big"
    assert await index.warm(least=len(PEOPLE)) == [GROUP.id]
    assert index.builds == 1
    await same(store, ["python"], NOW)
    assert index.builds == 1, "the search found it built"
