"""The help ledger's rules across instances: two stores on one PostgreSQL, racing.

Each store stands for a `rete run` instance with its own connection and its own batch of
offered thanks. Written at the same moment, the batches never score past the giver's daily
quota or the pair's weekly cap together, and a message thanked on both counts once.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.ledger import QUOTA, LedgerRules
from storage import ChatInfo, MemberInfo, open_store
from storage.ledger import CommittedCredit, CreditRequest, _rule_keys

GROUP = ChatInfo(-100, "supergroup", "Makers")
ADA, BOB = MemberInfo(1, "Ada"), MemberInfo(2, "Bob")
PEOPLE = [MemberInfo(100 + i, f"P{i}") for i in range(200)]
CY, DEE = MemberInfo(3, "Cy"), MemberInfo(4, "Dee")
T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
RULES = LedgerRules(daily_quota=5, pair_cap=3)
ROUNDS = 8


def thanks(giver: MemberInfo, receiver: MemberInfo, message_id: int, at: datetime = T0):
    return CreditRequest(
        chat_id=GROUP.id,
        giver=giver,
        receiver=receiver,
        message_id=message_id,
        kind="words",
        at=at,
        local_day=at.date().isoformat(),
    )


async def two_instances(postgres_schemas):
    url = await postgres_schemas.new()
    first = await open_store(url)
    second = await open_store(url)
    await first.chats.seen(GROUP)
    return first, second


async def race(stores, offers_per_store) -> list[CommittedCredit]:
    """Offer each store its thanks, then write both batches at the same moment."""
    for store, offers in zip(stores, offers_per_store, strict=True):
        for request in offers:
            await store.ledger.offer(request, RULES.judge)
    await asyncio.gather(*(store.ledger.flush() for store in stores))
    return [written for store in stores for written in store.ledger.committed()]


async def scored(store, sql: str, *params) -> int:
    row = await store.fetchone(sql, params)
    return int(row[0])


async def test_two_instances_never_score_past_the_daily_quota(postgres_schemas):
    stores = await two_instances(postgres_schemas)
    try:
        for day in range(ROUNDS):
            at = T0 + timedelta(days=day)
            # Each instance holds five thanks of Ada's to five different people: either
            # batch alone fills her quota.
            offers = [
                [
                    thanks(ADA, PEOPLE[10 * day + 5 * side + i], 1000 * day + 10 * side + i, at)
                    for i in range(5)
                ]
                for side in (0, 1)
            ]
            written = await race(stores, offers)
            counted = [w for w in written if w.outcome.counted]
            assert len(counted) == RULES.daily_quota, f"day {day}"
            refused = [w.outcome.not_counted_why for w in written if not w.outcome.counted]
            assert refused == [QUOTA] * 5
            assert (
                await scored(
                    stores[0],
                    "SELECT count(*) FROM credits WHERE giver_id = ? AND local_day = ? "
                    "AND counted = 1",
                    ADA.id,
                    at.date().isoformat(),
                )
                == RULES.daily_quota
            )
    finally:
        for store in stores:
            await store.close()


async def test_two_instances_never_score_past_the_pair_cap(postgres_schemas):
    stores = await two_instances(postgres_schemas)
    try:
        for week in range(ROUNDS):
            at = T0 + timedelta(days=8 * week)
            # Ada thanks Bob on one instance while Bob thanks Ada on the other: the cap
            # counts both directions.
            offers = [
                [thanks(ADA, BOB, 1000 * week + i, at) for i in range(3)],
                [thanks(BOB, ADA, 1000 * week + 500 + i, at) for i in range(3)],
            ]
            written = await race(stores, offers)
            assert sum(w.outcome.counted for w in written) == RULES.pair_cap, f"week {week}"
            assert {w.outcome.not_counted_why for w in written if not w.outcome.counted} == {
                "pair_cap"
            }
    finally:
        for store in stores:
            await store.close()


async def test_one_message_thanked_on_both_instances_is_one_credit(postgres_schemas):
    stores = await two_instances(postgres_schemas)
    try:
        for message_id in range(ROUNDS):
            # A /thanks on one instance and thank-you words on the other, same message.
            written = await race(
                stores,
                [[thanks(ADA, PEOPLE[message_id], message_id)]] * 2,
            )
            assert sorted(w.outcome.new for w in written) == [False, True]
        assert await scored(stores[0], "SELECT count(*) FROM credits") == ROUNDS
    finally:
        for store in stores:
            await store.close()


async def test_crossing_batches_both_commit(postgres_schemas):
    """Cy and Dee thank on both instances in opposite orders: no batch fails (deadlock)."""
    stores = await two_instances(postgres_schemas)
    try:
        for step in range(ROUNDS):
            at = T0 + timedelta(days=step)
            people = PEOPLE[4 * step : 4 * step + 4]
            written = await race(
                stores,
                [
                    [
                        thanks(CY, people[0], 10 * step, at),
                        thanks(DEE, people[1], 10 * step + 1, at),
                    ],
                    [
                        thanks(DEE, people[2], 10 * step + 2, at),
                        thanks(CY, people[3], 10 * step + 3, at),
                    ],
                ],
            )
            assert [w.outcome.counted for w in written] == [True] * 4
        assert await scored(stores[0], "SELECT count(*) FROM credits") == 4 * ROUNDS
    finally:
        for store in stores:
            await store.close()


async def test_a_batch_waits_for_another_instance_judging_the_same_giver(postgres_schemas):
    """The other instance's batch for Ada is still open (it scored her five credits): this
    one waits for it to commit, then finds her quota used up."""
    first, second = await two_instances(postgres_schemas)
    # Set on the way out, so that a failure never leaves the other transaction open.
    releases: list[asyncio.Event] = []
    try:
        for person in (ADA, *PEOPLE[:6]):
            await first.members.seen(person)
        request = thanks(ADA, PEOPLE[5], 500)
        held, release = asyncio.Event(), asyncio.Event()

        async def other_instance() -> None:
            async with second.raw_transaction() as conn:
                await second.serialize(conn, _rule_keys([request], [PEOPLE[5].id]))
                for i in range(RULES.daily_quota):
                    await conn.execute(
                        "INSERT INTO credits (chat_id, message_id, giver_id, receiver_id, "
                        "by_words, counted, local_day, created_at) "
                        "VALUES (?, ?, ?, ?, 1, 1, ?, ?)",
                        (
                            GROUP.id,
                            400 + i,
                            ADA.id,
                            PEOPLE[i].id,
                            request.local_day,
                            T0.isoformat(),
                        ),
                    )
                held.set()
                await release.wait()

        other = asyncio.create_task(other_instance())
        releases.append(release)
        await asyncio.wait_for(held.wait(), 10)
        give = asyncio.create_task(first.ledger.give(request, RULES.judge))
        await asyncio.sleep(0.5)
        assert not give.done(), "judged while another instance was judging the same giver"
        release.set()
        await asyncio.wait_for(other, 10)
        outcome = await asyncio.wait_for(give, 10)
        assert (outcome.new, outcome.counted, outcome.not_counted_why) == (True, False, QUOTA)
    finally:
        for event in releases:
            event.set()
        for store in (first, second):
            await store.close()
