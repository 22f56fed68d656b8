"""The help ledger on a real SQLite file: one credit per message, quotas, pair caps."""

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from bot.ledger import LedgerRules, rank
from storage import ChatInfo, MemberInfo, open_store
from storage.ledger import CreditRequest

GROUP = ChatInfo(-100, "supergroup", "Makers")
ADA, BOB, CY, DEE = (MemberInfo(i, n) for i, n in [(1, "Ada"), (2, "Bob"), (3, "Cy"), (4, "Dee")])
T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
RULES = LedgerRules(daily_quota=5, pair_cap=3)


@pytest.fixture
async def store(tmp_path):
    store = await open_store(tmp_path / "rete.sqlite3")
    await store.chats.seen(GROUP)
    yield store
    await store.close()


def thanks(giver, receiver, message_id, *, kind="command", at=T0, **extra):
    return CreditRequest(
        chat_id=GROUP.id,
        giver=giver,
        receiver=receiver,
        message_id=message_id,
        kind=kind,
        at=at,
        local_day=at.date().isoformat(),
        **extra,
    )


async def test_one_credit_per_giver_receiver_message_whatever_the_way(store):
    first = await store.ledger.give(thanks(ADA, BOB, 10, reason="great tip"), RULES.judge)
    again = await store.ledger.give(thanks(ADA, BOB, 10, kind="words"), RULES.judge)
    react = await store.ledger.give(thanks(ADA, BOB, 10, kind="reaction"), RULES.judge)
    assert (first.new, first.counted) == (True, True)
    assert (again.new, react.new) == (False, False)
    rows = await store.ledger.export(GROUP.id)
    assert len(rows) == 1
    assert (rows[0]["by_command"], rows[0]["by_words"], rows[0]["by_reaction"]) == (1, 1, 1)
    assert rows[0]["reason"] == "great tip"


async def test_daily_quota_counts_in_the_groups_day(store):
    people = [MemberInfo(100 + i, f"P{i}") for i in range(7)]
    outcomes = [
        await store.ledger.give(thanks(ADA, person, 20 + i), RULES.judge)
        for i, person in enumerate(people)
    ]
    assert [o.counted for o in outcomes] == [True] * 5 + [False] * 2
    assert outcomes[5].not_counted_why == "quota"
    tomorrow = await store.ledger.give(
        thanks(ADA, BOB, 99, at=T0 + timedelta(days=1)), RULES.judge
    )
    assert tomorrow.counted


async def test_pair_cap_covers_both_directions(store):
    results = []
    for i, (giver, receiver) in enumerate([(ADA, BOB), (BOB, ADA), (ADA, BOB), (BOB, ADA)]):
        outcome = await store.ledger.give(
            thanks(giver, receiver, 30 + i, at=T0 + timedelta(hours=i)), RULES.judge
        )
        results.append((outcome.counted, outcome.not_counted_why))
    assert results == [(True, None), (True, None), (True, None), (False, "pair_cap")]
    later = await store.ledger.give(thanks(ADA, BOB, 40, at=T0 + timedelta(days=8)), RULES.judge)
    assert later.counted, "the cap is per 7 days"


async def test_reaction_removal_removes_only_the_reactions_credit(store):
    await store.ledger.give(thanks(ADA, BOB, 50, kind="reaction"), RULES.judge)
    await store.ledger.give(thanks(CY, BOB, 50, kind="reaction"), RULES.judge)
    await store.ledger.give(thanks(CY, BOB, 50, kind="command"), RULES.judge)
    assert await store.ledger.withdraw_reaction(GROUP.id, ADA.id, 50) == 1
    assert await store.ledger.withdraw_reaction(GROUP.id, CY.id, 50) == 0
    rows = await store.ledger.export(GROUP.id)
    assert [(r["giver_id"], r["by_reaction"], r["by_command"]) for r in rows] == [(3, 0, 1)]


async def test_void_keeps_the_row_but_stops_counting(store):
    await store.ledger.give(thanks(ADA, BOB, 60, thanks_message_id=61), RULES.judge)
    assert await store.ledger.void(GROUP.id, 61, CY, T0) == 1
    assert await store.ledger.void(GROUP.id, 61, CY, T0) == 0
    rows = await store.ledger.export(GROUP.id)
    assert rows[0]["voided_by"] == CY.id
    assert await store.ledger.pairs(GROUP.id, None) == []
    assert await store.ledger.received(GROUP.id, BOB.id, None) == (0, 0)


async def test_leaderboard_favours_breadth_and_hides_hidden(store):
    for i, giver in enumerate([ADA, CY, DEE]):
        await store.ledger.give(thanks(giver, BOB, 70 + i), RULES.judge)
    for i in range(3):
        await store.ledger.give(thanks(ADA, CY, 80 + i, at=T0 + timedelta(hours=i)), RULES.judge)
    board = rank(await store.ledger.pairs(GROUP.id, None))
    assert [(h.member_id, h.people, h.credits) for h in board] == [(2, 3, 3), (3, 1, 3)]
    await store.members.set_hidden(BOB.id, True)
    board = rank(await store.ledger.pairs(GROUP.id, T0 - timedelta(days=1)))
    assert [h.member_id for h in board] == [3]
    partners = await store.ledger.top_partners(GROUP.id, CY.id, thanked_by=True)
    assert [(p.name, p.credits) for p in partners] == [("Ada", 3)]
    partners = await store.ledger.top_partners(GROUP.id, CY.id, thanked_by=False)
    assert partners == [], "Bob is hidden: never named"


async def test_quota_notice_once_per_day(store):
    await store.members.seen(ADA)
    assert await store.ledger.first_quota_notice(GROUP.id, ADA.id, "2026-03-02")
    assert not await store.ledger.first_quota_notice(GROUP.id, ADA.id, "2026-03-02")
    assert await store.ledger.first_quota_notice(GROUP.id, ADA.id, "2026-03-03")


async def test_deleting_a_member_removes_their_credits_both_ways(store):
    await store.ledger.give(thanks(ADA, BOB, 90), RULES.judge)
    await store.ledger.give(thanks(BOB, ADA, 91), RULES.judge)
    await store.ledger.give(thanks(CY, DEE, 92, thanks_message_id=93), RULES.judge)
    await store.ledger.void(GROUP.id, 93, ADA, T0)
    export = await store.members.export(ADA.id)
    assert len(export["credits"]) == 3
    await store.members.delete(ADA.id)
    rows = await store.ledger.export(GROUP.id)
    assert [(r["giver_id"], r["receiver_id"], r["voided_by"]) for r in rows] == [(3, 4, None)]
    with sqlite3.connect(store.path) as conn:
        assert (
            conn.execute(
                "SELECT count(*) FROM credits WHERE 1 IN (giver_id, receiver_id, voided_by)"
            ).fetchone()[0]
            == 0
        )


async def test_credits_follow_a_group_upgrade(store):
    await store.ledger.give(thanks(ADA, BOB, 95), RULES.judge)
    await store.chats.migrate(GROUP.id, -1009)
    assert len(await store.ledger.export(-1009)) == 1
