"""One definition of a tie for /network and the asks' warm paths (both engines)."""

from datetime import UTC, datetime, timedelta

import pytest

from storage import ChatInfo, MemberInfo, open_store
from storage.intro_records import NewIntro

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
GROUP = ChatInfo(-1001, "supergroup", "Makers")
A, B, C, D, E, F = (MemberInfo(n, name) for n, name in enumerate("ABCDEF", 1))


@pytest.fixture
async def store(database):
    opened = await open_store(database, clock=lambda: NOW)
    yield opened
    await opened.close()


async def introduce(store, a, b, *, sent=("sent", "sent"), initiator=None) -> int:
    [intro_id] = await store.intros.add_intros(
        GROUP.id,
        NOW,
        [NewIntro((a.id, b.id))],
        kind="manual" if initiator else "round",
        initiator_id=initiator.id if initiator else None,
    )
    for member, state in zip((a, b), sent, strict=True):
        assert await store.intros.claim_dm(intro_id, member.id, NOW)
        await store.intros.finish_dm(intro_id, member.id, state)
    return intro_id


async def connection(store, asker, helper, connector=None, at=NOW) -> None:
    async with store.transaction(changes_chats=[]) as conn:
        await conn.execute(
            "INSERT INTO ask_connections (chat_id, asker_id, helper_id, connector_id, "
            "connected_at) VALUES (?, ?, ?, ?, ?)",
            (GROUP.id, asker.id, helper.id, connector.id if connector else None, at.isoformat()),
        )


async def test_asks_and_network_read_the_same_ties(store):
    for number, member in enumerate((A, B, C, D, E, F), 1):
        await store.memberships.record_message(GROUP, member, number, NOW, NOW.date())
    await introduce(store, A, B)  # both received it: a tie
    never = await introduce(store, A, C)
    assert await store.intros.answer(never, C.id, "never", NOW)  # C never wants A again
    await introduce(store, A, D, sent=("sent", "failed"))  # D never received it
    await connection(store, A, E, connector=F)  # an ask's warm path
    assert await store.ties.tied_to(A.id) == {B.id, E.id}
    assert await store.asks.tied_to(A.id) == {B.id, E.id}
    assert {t.other_id for t in await store.ties.of(A.id)} == {B.id, E.id}
    [tie] = await store.ties.between(E.id, A.id)
    assert (tie.asks, tie.via, tie.intros, tie.chat_id) == (1, F.id, 0, GROUP.id)
    assert await store.ties.tied_to(C.id) == set()
    # The connector of the ask is credited like a hand introduction's initiator.
    await introduce(store, C, D, initiator=F)
    assert await store.ties.connected(F.id) == 4
    assert await store.ties.connected(F.id, GROUP.id, NOW, NOW + timedelta(days=1)) == 4
    assert await store.ties.connected(F.id, start=NOW + timedelta(days=1)) == 0
    week = (NOW - timedelta(days=7), NOW + timedelta(days=1))
    assert await store.ties.connectors(GROUP.id, *week) == [(F.id, 4)]
    await store.members.set_hidden(F.id, True)
    assert await store.ties.connectors(GROUP.id, *week) == []
    # Either member's deletion removes the ask's tie.
    assert await store.members.delete(E.id)
    assert await store.ties.tied_to(A.id) == {B.id}
    assert await store.ties.connected(F.id) == 2
