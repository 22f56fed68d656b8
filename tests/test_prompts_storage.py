"""Prompts storage on a real SQLite file: deck, rotation, replies, suggestions, privacy."""

from datetime import UTC, datetime, timedelta

import pytest

from storage import ChatInfo, MemberInfo, open_store

GROUP = ChatInfo(-100, "supergroup", "Makers")
ADA = MemberInfo(1, "Ada", "Lovelace", "ada", "it")
BOB = MemberInfo(2, "Bob", None, None, "en")
CARLA = MemberInfo(3, "Carla", None, "carla", "it")
T0 = datetime(2026, 3, 2, 8, 30, tzinfo=UTC)


@pytest.fixture
async def store(database):
    store = await open_store(database)
    await store.chats.seen(GROUP)
    yield store
    await store.close()


async def post(store, message_id, key, *, cycle=0, at=T0, text=None, chat=GROUP.id):
    return await store.prompts.record_post(
        chat,
        message_id=message_id,
        key=key,
        cycle=cycle,
        text=text or f"prompt {key}",
        slot=None,
        at=at,
    )


async def test_custom_deck_in_order_without_duplicates_and_ids_never_reused(store):
    first = await store.prompts.add(GROUP.id, "Who helped you?", added_by=ADA, at=T0)
    second = await store.prompts.add(GROUP.id, "What are you learning?", added_by=ADA, at=T0)
    assert await store.prompts.add(GROUP.id, "  who HELPED you? ", added_by=ADA, at=T0) is None
    assert [p.text for p in await store.prompts.custom(GROUP.id)] == [
        "Who helped you?",
        "What are you learning?",
    ]
    assert await store.prompts.remove(GROUP.id, second)
    assert not await store.prompts.remove(GROUP.id, second)
    third = await store.prompts.add(GROUP.id, "Another", added_by=None, at=T0)
    assert third is not None
    assert third > second > first, "a removed prompt's key is never given to a new one"


async def test_rotation_is_read_back_from_the_posts(store):
    assert (await store.prompts.rotation(GROUP.id)).cycle == 0
    await post(store, 10, "b3")
    await post(store, 11, "c1")
    await post(store, 12, "b5", cycle=1)
    await post(store, 13, "b1", cycle=1)
    rotation = await store.prompts.rotation(GROUP.id)
    assert (rotation.cycle, rotation.used, rotation.last) == (1, frozenset({"b5", "b1"}), "b1")


async def test_replies_are_distinct_members_and_only_to_prompts(store):
    await post(store, 10, "b3")
    assert await store.prompts.record_reply(GROUP.id, 10, ADA)
    assert not await store.prompts.record_reply(GROUP.id, 10, ADA), "one per member"
    assert await store.prompts.record_reply(GROUP.id, 10, BOB)
    assert not await store.prompts.record_reply(GROUP.id, 99, CARLA), "not a prompt"
    assert await store.prompts.replies(GROUP.id, 10) == 2
    await post(store, 20, "b3", cycle=1)
    await store.prompts.record_reply(GROUP.id, 20, CARLA)
    records = await store.prompts.track_records(GROUP.id)
    assert (records["b3"].posts, records["b3"].replies) == (2, 3)


async def test_top_post_of_a_period(store):
    monday = T0
    await post(store, 10, "b1", at=monday, text="Quiet one")
    await post(store, 11, "b2", at=monday + timedelta(days=3), text="Popular <one> & co")
    await post(store, 12, "b3", at=monday + timedelta(days=7), text="Next week")
    for member in (ADA, BOB):
        await store.prompts.record_reply(GROUP.id, 11, member)
    for member in (ADA, BOB, CARLA):
        await store.prompts.record_reply(GROUP.id, 12, member)
    week = (monday, monday + timedelta(days=7))
    assert await store.prompts.top_post(GROUP.id, *week) == ("Popular <one> & co", 2)
    assert await store.prompts.top_post(GROUP.id, monday, monday + timedelta(days=1)) == (
        "Quiet one",
        0,
    )
    empty = (monday - timedelta(days=7), monday)
    assert await store.prompts.top_post(GROUP.id, *empty) is None


async def test_pins_and_their_failures(store):
    first = await post(store, 10, "b1")
    await store.prompts.set_pin(GROUP.id, first, pinned=True)
    assert await store.prompts.pinned_message(GROUP.id) == 10
    second = await post(store, 11, "b2")
    await store.prompts.set_pin(GROUP.id, second, pinned=False)
    assert await store.prompts.last_pin_failed(GROUP.id)
    assert await store.prompts.pinned_message(GROUP.id) == 10, "still pinned: unpin next time"
    third = await post(store, 12, "b3")
    await store.prompts.set_pin(GROUP.id, third, pinned=True)
    assert await store.prompts.pinned_message(GROUP.id) == 12
    assert not await store.prompts.last_pin_failed(GROUP.id)


async def test_a_suggestion_is_decided_once(store):
    suggestion = await store.prompts.suggest(GROUP.id, CARLA, "What made you smile?", T0)
    assert [s.id for s in await store.prompts.pending(GROUP.id)] == [suggestion]
    approved = await store.prompts.decide(suggestion, approve=True, admin=ADA, at=T0)
    assert approved is not None
    assert approved.changed
    assert approved.suggestion.status == "approved"
    again = await store.prompts.decide(suggestion, approve=False, admin=BOB, at=T0)
    assert again is not None
    assert not again.changed
    assert again.suggestion.status == "approved"
    deck = await store.prompts.custom(GROUP.id)
    assert [(p.id, p.text, p.suggested) for p in deck] == [
        (approved.prompt_id, "What made you smile?", True)
    ]
    assert await store.prompts.pending(GROUP.id) == []
    assert await store.prompts.decide(9999, approve=True, admin=ADA, at=T0) is None


async def test_busy_count_reads_only_the_latest_messages(store):
    for message_id in range(1, 31):
        at = T0 - timedelta(minutes=60 - message_id)
        await store.memberships.record_message(GROUP, ADA, message_id, at, at.date())
    # Messages 1..30 were sent 59..30 minutes before T0; the buffer is flushed first.
    since = T0 - timedelta(minutes=45)
    assert await store.prompts.recent_messages(GROUP.id, since, limit=100) == 16
    assert await store.prompts.recent_messages(GROUP.id, since, limit=11) == 11
    assert await store.prompts.recent_messages(GROUP.id, T0, limit=11) == 0


async def test_everything_moves_when_the_group_becomes_a_supergroup(store):
    await store.prompts.add(GROUP.id, "Mine", added_by=ADA, at=T0)
    suggestion = await store.prompts.suggest(GROUP.id, BOB, "Yours", T0)
    await post(store, 10, "c1")
    await store.prompts.record_reply(GROUP.id, 10, CARLA)
    await store.chats.migrate(GROUP.id, -1009)
    assert [p.text for p in await store.prompts.custom(-1009)] == ["Mine"]
    assert (await store.prompts.suggestion(suggestion)).chat_id == -1009
    assert (await store.prompts.rotation(-1009)).used == {"c1"}
    assert await store.prompts.top_post(-1009, T0, T0 + timedelta(days=1)) == ("prompt c1", 1)
    assert await store.prompts.custom(GROUP.id) == []


async def test_members_see_and_delete_what_prompts_keep_about_them(store):
    await store.prompts.add(GROUP.id, "Mine", added_by=ADA, at=T0)
    suggestion = await store.prompts.suggest(GROUP.id, BOB, "Yours", T0)
    await store.prompts.decide(suggestion, approve=True, admin=ADA, at=T0)
    pending = await store.prompts.suggest(GROUP.id, BOB, "Pending", T0)
    await post(store, 10, "c1")
    await store.prompts.record_reply(GROUP.id, 10, BOB)
    exported = await store.members.export(BOB.id)
    assert [p["text"] for p in exported["prompts"]] == ["Yours"]
    assert [s["text"] for s in exported["prompt_suggestions"]] == ["Yours", "Pending"]
    assert len(exported["prompt_replies"]) == 1
    assert [s["text"] for s in (await store.members.export(ADA.id))["prompt_suggestions"]] == [
        "Yours"
    ]
    assert await store.members.delete(BOB.id)
    assert await store.prompts.suggestion(pending) is None
    assert await store.prompts.replies(GROUP.id, 10) == 0
    deck = await store.prompts.custom(GROUP.id)
    assert [p.text for p in deck] == ["Mine", "Yours"], "the group's deck stays, unnamed"
    rows = await store.fetchall("SELECT suggested_by FROM prompts ORDER BY id")
    assert [r[0] for r in rows] == [None, None]
