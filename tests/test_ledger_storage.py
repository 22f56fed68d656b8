"""The help ledger on real databases: one credit per message, quotas, pair caps."""

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from bot.ledger import LedgerRules, rank
from storage import ChatInfo, MemberInfo, open_store
from storage.ledger import AUTHOR_WAIT, CreditRequest
from tests.engines import crash, raw_rows

GROUP = ChatInfo(-100, "supergroup", "Makers")
ADA, BOB, CY, DEE = (MemberInfo(i, n) for i, n in [(1, "Ada"), (2, "Bob"), (3, "Cy"), (4, "Dee")])
T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
RULES = LedgerRules(daily_quota=5, pair_cap=3)


@pytest.fixture
async def store(database):
    store = await open_store(database)
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


async def test_received_in_several_windows_at_once_is_received_in_each(store):
    ledger = store.ledger
    given = [(ADA, 40), (CY, 10), (DEE, 2), (DEE, 1), (ADA, 1), (CY, 0)]
    for n, (giver, days_ago) in enumerate(given):
        await ledger.give(
            thanks(giver, BOB, 100 + n, at=T0 - timedelta(days=days_ago)), RULES.judge
        )
    await ledger.give(thanks(BOB, ADA, 120), RULES.judge)
    await ledger.void(GROUP.id, 105, CY, T0)
    for n in range(RULES.pair_cap + 1):  # the last one over the pair cap: not counted
        await ledger.give(thanks(CY, BOB, 130 + n, at=T0 - timedelta(hours=n)), RULES.judge)
    sinces = [T0 - timedelta(days=7), T0 - timedelta(days=30), None, T0 + timedelta(days=1)]
    for member in (ADA, BOB, CY):
        each = await ledger.received_since_each(GROUP.id, member.id, sinces)
        assert each == [await ledger.received(GROUP.id, member.id, s) for s in sinces]
    # This week: Dee twice, Ada once, Cy three times (the voided and the capped not).
    assert (await ledger.received_since_each(GROUP.id, BOB.id, sinces))[0] == (3, 6)
    assert await ledger.received_since_each(GROUP.id, DEE.id, sinces) == [(0, 0)] * 4


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
    rows = await raw_rows(
        store, "SELECT count(*) FROM credits WHERE 1 IN (giver_id, receiver_id, voided_by)"
    )
    assert rows[0][0] == 0


async def test_credits_follow_a_group_upgrade(store):
    await store.ledger.give(thanks(ADA, BOB, 95), RULES.judge)
    await store.chats.migrate(GROUP.id, -1009)
    assert len(await store.ledger.export(-1009)) == 1


# Batches: thanks are offered, written together, and reported only once committed.


async def credit_rows(store) -> list[tuple[int, int, int, int]]:
    """The credits as committed in the database (what a crash would leave)."""
    return await raw_rows(
        store, "SELECT giver_id, receiver_id, message_id, counted FROM credits ORDER BY id"
    )


async def test_offered_thanks_are_written_together_and_reported_after_the_commit(store):
    assert await store.ledger.offer(thanks(ADA, BOB, 1), RULES.judge, note="first")
    assert not await store.ledger.offer(thanks(CY, BOB, 1), RULES.judge, note="second")
    assert await credit_rows(store) == [], "offered, not yet written"
    assert store.ledger.committed() == [], "nothing is reported before it is written"
    assert await store.ledger.flush() == 2
    assert await credit_rows(store) == [(1, 2, 1, 1), (3, 2, 1, 1)]
    written = store.ledger.committed()
    assert [(w.note, w.outcome.new, w.outcome.counted) for w in written] == [
        ("first", True, True),
        ("second", True, True),
    ]
    assert store.ledger.committed() == [], "each is reported once"
    assert await store.ledger.offer(thanks(DEE, BOB, 2), RULES.judge), "a new batch opens"


async def test_reads_see_offered_thanks(store):
    await store.ledger.offer(thanks(ADA, BOB, 1), RULES.judge)
    assert [r["giver_id"] for r in await store.ledger.export(GROUP.id)] == [ADA.id]
    await store.ledger.offer(thanks(CY, BOB, 2, kind="reaction"), RULES.judge)
    assert await store.ledger.withdraw_reaction(GROUP.id, CY.id, 2) == 1
    assert len(await store.ledger.export(GROUP.id)) == 1


async def test_a_batch_judges_as_one_by_one_would(store, tmp_path):
    """Quota, pair cap both ways, repeats and mixed ways in one batch: the same outcomes."""
    people = [MemberInfo(100 + i, f"P{i}") for i in range(6)]
    sequence = [thanks(ADA, person, 10 + i) for i, person in enumerate(people)]
    sequence += [
        thanks(ADA, BOB, 30, at=T0 + timedelta(days=1)),
        thanks(BOB, ADA, 31, at=T0 + timedelta(days=1)),
        thanks(ADA, BOB, 30, kind="reaction", at=T0 + timedelta(days=1)),
        thanks(ADA, BOB, 32, at=T0 + timedelta(days=1), reason="late"),
        thanks(BOB, ADA, 33, at=T0 + timedelta(days=1)),
        thanks(ADA, BOB, 34, at=T0 + timedelta(days=9)),
        thanks(ADA, people[0], 10, kind="words", thanks_message_id=77),
    ]
    # Half of it already in the database, half in one batch on top of it.
    for request in sequence[:4]:
        await store.ledger.give(request, RULES.judge)
    for request in sequence[4:]:
        await store.ledger.offer(request, RULES.judge)
    await store.flush()
    batched = [w.outcome for w in store.ledger.committed()]

    # Judged one by one on SQLite: the batch gives the same on either engine.
    one_by_one = await open_store(tmp_path / "one-by-one.sqlite3")
    try:
        await one_by_one.chats.seen(GROUP)
        alone = [await one_by_one.ledger.give(r, RULES.judge) for r in sequence]
        assert batched == alone[4:]
        columns = "giver_id, receiver_id, message_id, by_command, by_words, by_reaction, "
        columns += "counted, not_counted_why, reason, thanks_message_id, local_day"
        query = f"SELECT {columns} FROM credits ORDER BY id"
        assert [tuple(r) for r in await store.fetchall(query)] == [
            tuple(r) for r in await one_by_one.fetchall(query)
        ]
    finally:
        await one_by_one.close()
    assert [o.not_counted_why for o in alone] == [None] * 5 + ["quota"] + [
        None,
        None,
        None,
        None,
        "pair_cap",
        None,
        None,
    ]


async def test_a_crash_loses_only_thanks_never_reported(database):
    path = database
    store = await open_store(path)
    await store.chats.seen(GROUP)
    await store.ledger.offer(thanks(ADA, BOB, 1), RULES.judge)
    await store.flush()
    reported = store.ledger.committed()
    await store.ledger.offer(thanks(CY, BOB, 2), RULES.judge)
    await crash(store)  # the process dies: no flush, no orderly close

    store = await open_store(path)
    try:
        assert [w.request.giver.id for w in reported] == [ADA.id]
        assert [r["giver_id"] for r in await store.ledger.export(GROUP.id)] == [ADA.id]
    finally:
        await store.close()


async def test_a_failed_batch_is_kept_and_written_next_time(store, monkeypatch):
    await store.ledger.offer(thanks(ADA, BOB, 1), RULES.judge)
    original = store.raw_transaction

    def broken():
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(store, "raw_transaction", broken)
    with pytest.raises(sqlite3.OperationalError):
        await store.ledger.flush()
    assert store.ledger.committed() == []
    monkeypatch.setattr(store, "raw_transaction", original)
    await store.ledger.offer(thanks(CY, BOB, 2), RULES.judge)
    assert await store.ledger.flush() == 2
    assert [w.request.giver.id for w in store.ledger.committed()] == [ADA.id, CY.id]


async def test_orderly_close_writes_offered_thanks(database):
    store = await open_store(database)
    await store.chats.seen(GROUP)
    await store.ledger.offer(thanks(ADA, BOB, 1), RULES.judge)
    await store.close()
    assert await credit_rows(store) == [(1, 2, 1, 1)]


async def test_a_reaction_finds_its_author_when_written(store):
    """An older message's author is looked up in the batch, not on the update's path."""
    await store.memberships.record_message(GROUP, BOB, 40, T0, T0.date())
    await store.memberships.record_message(GROUP, ADA, 41, T0, T0.date())
    await store.flush()
    for giver, message_id in [(ADA, 40), (ADA, 41), (CY, 99), (CY, 40)]:
        await store.ledger.offer(
            thanks(giver, None, message_id, kind="reaction"), RULES.judge, note=message_id
        )
    await store.flush()
    outcomes = [(w.note, w.outcome.new) for w in store.ledger.committed()]
    if not store.one_writer:
        # On PostgreSQL an unknown message's reaction is tried again for AUTHOR_WAIT.
        assert 99 not in [note for note, _ in outcomes]
        store.clock = lambda: datetime.now(UTC) + AUTHOR_WAIT
        await store.flush()
        outcomes += [(w.note, w.outcome.new) for w in store.ledger.committed()]
    assert sorted(outcomes) == [(40, True), (40, True), (41, False), (99, False)], (
        "own message and unknown message record nothing"
    )
    rows = await store.ledger.export(GROUP.id)
    assert [(r["giver_id"], r["receiver_id"], r["message_id"]) for r in rows] == [
        (ADA.id, BOB.id, 40),
        (CY.id, BOB.id, 40),
    ]


async def test_a_reaction_waits_for_another_instances_buffer(database):
    """A reaction reaching one instance while the message it reacts to is still in the
    other's activity buffer is credited once that instance has written it."""
    if not database.startswith("postgresql:"):
        pytest.skip("one SQLite file has one writer: several instances need PostgreSQL")
    now = [T0]
    first = await open_store(database)
    second = await open_store(database, clock=lambda: now[0])
    try:
        await first.chats.seen(GROUP)
        await first.memberships.record_message(GROUP, BOB, 70, T0, T0.date())
        assert await second.ledger.offer(thanks(ADA, None, 70, kind="reaction"), RULES.judge)
        await second.ledger.flush()
        assert second.ledger.committed() == [], "not given up while the author may come"
        # Fresh thanks still open a batch of their own meanwhile (their 🤝 is not held up).
        assert await second.ledger.offer(thanks(CY, BOB, 71), RULES.judge)
        await first.flush()
        await second.ledger.flush()
        assert [(w.request.message_id, w.outcome.new) for w in second.ledger.committed()] == [
            (70, True),
            (71, True),
        ]
        # A message nobody counted is given up after AUTHOR_WAIT, recording nothing; however
        # many batches run meanwhile.
        await second.ledger.offer(thanks(ADA, None, 99, kind="reaction"), RULES.judge)
        for _ in range(5):
            await second.ledger.flush()
        assert second.ledger.committed() == []
        now[0] = T0 + AUTHOR_WAIT
        await second.ledger.flush()
        assert [(w.request.message_id, w.outcome.new) for w in second.ledger.committed()] == [
            (99, False)
        ]
        rows = await second.ledger.export(GROUP.id)
        assert sorted((r["giver_id"], r["receiver_id"], r["message_id"]) for r in rows) == [
            (ADA.id, BOB.id, 70),
            (CY.id, BOB.id, 71),
        ]
    finally:
        await first.close()
        await second.close()
