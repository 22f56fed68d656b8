"""Introductions storage on a real SQLite file: candidates, rounds, history, numbers."""

from datetime import UTC, datetime, timedelta

import pytest

from bot.ledger import LedgerRules
from storage import ChatInfo, MemberInfo, open_store
from storage.intro_records import NewIntro
from storage.ledger import CreditRequest

GROUP = ChatInfo(-100, "supergroup", "Makers")
PEOPLE = [MemberInfo(i, f"M{i}", None, f"m{i}", "en") for i in range(1, 7)]
NOW = datetime(2026, 12, 2, 9, 15, tzinfo=UTC)


@pytest.fixture
async def store(database):
    store = await open_store(database)
    for person in PEOPLE:
        await store.memberships.record_message(GROUP, person, person.id, NOW, NOW.date())
        await store.members.set_reachable(person.id, True)
        await store.intros.join(GROUP.id, person, NOW)
        await store.intros.add_tags(person, "interest", ["python"], NOW)
    yield store
    await store.close()


async def test_candidates_respect_status_pause_reachability_and_presence(store):
    intros = store.intros
    await intros.set_status(GROUP.id, 1, "stopped", NOW)
    await intros.set_status(GROUP.id, 2, "paused", NOW, until=NOW + timedelta(days=3))
    await intros.set_status(GROUP.id, 3, "paused", NOW, reason="silent")
    await store.members.set_reachable(4, False)
    await intros.add_never(PEOPLE[4], 6, NOW)
    ids = [c.member_id for c in await intros.candidates(GROUP.id, NOW)]
    assert ids == [5, 6]
    later = [c.member_id for c in await intros.candidates(GROUP.id, NOW + timedelta(days=4))]
    assert later == [2, 5, 6], "a dated pause ends by itself"
    five = next(c for c in await intros.candidates(GROUP.id, NOW) if c.member_id == 5)
    assert five.never == frozenset({6})
    assert five.tags == (("interest", "python"),)
    gone = [c.member_id for c in await intros.candidates(GROUP.id, NOW + timedelta(days=61))]
    assert gone == [], "not seen in the group for 60 days"


async def test_round_is_recorded_once_and_history_counts_rounds(store):
    intros = store.intros
    follow = NOW + timedelta(days=7)
    first, new = await intros.record_round(
        GROUP.id, "2026-11-30T10:00", NOW, follow, [NewIntro((1, 2), 1.0)], [(3, "alone")]
    )
    assert new
    again, new = await intros.record_round(
        GROUP.id, "2026-11-30T10:00", NOW, follow, [NewIntro((3, 4), 1.0)], []
    )
    assert (again, new) == (first, False)
    assert len(await intros.round_intros(first)) == 2
    later = NOW + timedelta(days=14)
    await intros.record_round(GROUP.id, "2026-12-14T10:00", later, follow, [NewIntro((3, 4))], [])
    since = await intros.rounds_since(GROUP.id, 6)
    assert since == {frozenset({1, 2}): 2, frozenset({3, 4}): 1}
    assert await intros.rounds_since(GROUP.id, 1) == {frozenset({3, 4}): 1}


async def test_one_members_history_is_the_groups_history_of_their_pairs(store):
    intros = store.intros
    follow = NOW + timedelta(days=7)
    rounds = [[(1, 2), (3, 4, 5)], [(1, 3), (2, 4)], [(5, 1), (2, 3), (4, 6)]]
    for n, pairs in enumerate(rounds):
        at = NOW + timedelta(days=7 * n)
        await intros.record_round(
            GROUP.id, f"r{n}", at, follow, [NewIntro(p, 1.0) for p in pairs], []
        )
    rules = LedgerRules(daily_quota=5, pair_cap=3)
    for n, (giver, receiver) in enumerate([(1, 4), (2, 1), (3, 5), (6, 2)]):
        request = CreditRequest(
            chat_id=GROUP.id,
            giver=PEOPLE[giver - 1],
            receiver=PEOPLE[receiver - 1],
            message_id=10 + n,
            kind="command",
            at=NOW,
            local_day=NOW.date().isoformat(),
        )
        await store.ledger.give(request, rules.judge)
    for window in (1, 2, 6):
        whole = await intros.rounds_since(GROUP.id, window)
        interacted = await intros.interacted(GROUP.id)
        for member in range(1, 7):
            theirs = {pair: ago for pair, ago in whole.items() if member in pair}
            narrowed = await intros.rounds_since(GROUP.id, window, member)
            assert {p: a for p, a in narrowed.items() if member in p} == theirs
            assert all(pair in whole for pair in narrowed)
            assert await intros.interacted(GROUP.id, member) == {
                pair for pair in interacted if member in pair
            }
    assert frozenset({4, 5}) in await intros.rounds_since(GROUP.id, 6, 3), "a trio's pair"
    assert await intros.interacted(GROUP.id, 1) == {frozenset({1, 4}), frozenset({1, 2})}


async def test_dm_claimed_once_and_bounce_strands_the_partner(store):
    intros = store.intros
    round_id, _ = await intros.record_round(
        GROUP.id, "s", NOW, NOW, [NewIntro((1, 2)), NewIntro((3, 4, 5))], []
    )
    pending = await intros.pending_dms(round_id=round_id)
    assert len(pending) == 5
    intro_id = pending[0][0]
    assert await intros.claim_dm(intro_id, 1, NOW)
    assert not await intros.claim_dm(intro_id, 1, NOW), "never sent twice"
    assert await intros.drop_unreachable(intro_id, 2, NOW) == [1]
    assert await intros.stranded(round_id) == [(intro_id, 1)]
    trio = pending[2][0]
    assert await intros.drop_unreachable(trio, 5, NOW) == [], "a trio minus one is a pair"
    assert (await intros.intro(trio)).status == "active"
    await intros.add_intros(GROUP.id, NOW, [], kind="round", round_id=round_id, settle=[intro_id])
    assert await intros.stranded(round_id) == []


async def test_silent_members_after_three_unanswered_rounds(store):
    intros = store.intros
    for week in range(3):
        round_id, _ = await intros.record_round(
            GROUP.id, f"w{week}", NOW + timedelta(days=7 * week), NOW, [NewIntro((1, 2))], []
        )
        [intro] = await intros.round_intros(round_id)
        for member in (1, 2):
            await intros.claim_dm(intro.id, member, NOW)
            await intros.finish_dm(intro.id, member, "sent")
        if week == 1:
            await intros.answer(intro.id, 2, "skip", NOW)
    assert await intros.silent_members(GROUP.id, [1, 2, 3], 3) == [1]


async def test_week_numbers_count_dmed_intros_and_people_who_met(store):
    intros = store.intros
    ids = await intros.add_intros(
        GROUP.id, NOW, [NewIntro((1, 2)), NewIntro((3, 4)), NewIntro((5, 6))], kind="round"
    )
    for intro_id, (a, b) in zip(ids, [(1, 2), (3, 4), (5, 6)], strict=True):
        if intro_id == ids[2]:
            continue  # never DMed: not made
        for member in (a, b):
            await intros.claim_dm(intro_id, member, NOW)
            await intros.finish_dm(intro_id, member, "sent")
    await intros.set_outcome(ids[0], 1, "yes", NOW)
    await intros.set_outcome(ids[0], 2, "yes", NOW)
    await intros.set_outcome(ids[1], 3, "no", NOW)
    start = NOW - timedelta(days=1)
    assert await intros.week_numbers(GROUP.id, start, start + timedelta(days=7)) == (2, 2)
    assert await intros.week_numbers(
        GROUP.id, NOW + timedelta(seconds=1), NOW + timedelta(days=7)
    ) == (0, 0)


async def test_group_migration_moves_introductions(store):
    intros = store.intros
    await intros.record_round(GROUP.id, "s", NOW, NOW, [NewIntro((1, 2))], [])
    await store.chats.migrate(GROUP.id, -1009)
    assert [c.member_id for c in await intros.candidates(-1009, NOW)] == [1, 2, 3, 4, 5, 6]
    assert await intros.round_id(-1009, "s") is not None
    assert await intros.rounds_since(-1009, 6) == {frozenset({1, 2}): 1}


async def test_never_list_survives_the_other_deleting_their_data(store):
    intros = store.intros
    await intros.add_never(PEOPLE[0], 2, NOW)
    await store.members.delete(2)
    assert await intros.never(1) == [2]
    await store.members.delete(1)
    rows = await store.fetchall("SELECT count(*) FROM intro_never")
    assert next(iter(rows))[0] == 0


async def test_recap_gets_the_weeks_introductions_and_untagged_newcomers(store):
    from types import SimpleNamespace

    from storage.recap import gather_optional

    intros = store.intros
    [intro_id] = await intros.add_intros(GROUP.id, NOW, [NewIntro((1, 2))], kind="round")
    for member in (1, 2):
        await intros.claim_dm(intro_id, member, NOW)
        await intros.finish_dm(intro_id, member, "sent")
    await intros.set_outcome(intro_id, 1, "yes", NOW)
    await store.members.seen(MemberInfo(7, "New"))
    span = SimpleNamespace(start=NOW - timedelta(days=1), end=NOW + timedelta(days=6))
    optional = await gather_optional(store, GROUP.id, span, [1, 7])
    assert optional.introductions == (1, 1)
    assert optional.newcomers_without_interests is None, "introductions are off there"
    await store.chats.set_setting(GROUP.id, "intros", True)
    optional = await gather_optional(store, GROUP.id, span, [1, 7])
    assert optional.newcomers_without_interests == 1


async def test_deleting_a_member_cleans_the_introductions_they_were_in(store):
    intros = store.intros
    why = {"shared": ["python"]}
    trio = NewIntro(
        (1, 2, 3), 1.0, {1: {2: why, 3: why}, 2: {1: why, 3: why}, 3: {1: why, 2: why}}
    )
    pair = NewIntro((1, 4), 1.0, {1: {4: why}, 4: {1: why}})
    round_id, _ = await intros.record_round(
        GROUP.id, "2026-11-30T10:00", NOW, NOW + timedelta(days=7), [trio, pair], [(5, "alone")]
    )
    [manual] = await intros.add_intros(
        GROUP.id,
        NOW,
        [NewIntro((2, 6))],
        kind="manual",
        status="pending",
        initiator_id=1,
        note="m1 says hi",
    )
    [lonely] = await intros.add_intros(GROUP.id, NOW, [], kind="meet", unmatched=[(1, "none")])
    for intro in await intros.round_intros(round_id):
        for side in intro.members:
            await intros.claim_dm(intro.id, side.member_id, NOW)
            await intros.finish_dm(intro.id, side.member_id, "sent")
    assert await store.members.delete(1)

    by_members = {
        tuple(m.member_id for m in i.members): i for i in await intros.round_intros(round_id)
    }
    kept = by_members[(2, 3)]
    assert kept.status == "active", "two are still there: their introduction stands"
    assert [m.reasons for m in kept.members] == [{"3": why}, {"2": why}]
    gone = by_members[(4,)]
    assert (gone.status, gone.why) == ("cancelled", "erased")
    assert gone.members[0].reasons == {}
    due = await intros.due_follow_ups(NOW + timedelta(days=8))
    assert due == [(kept.id, 2), (kept.id, 3)], "nobody is asked about someone who left"
    assert (await intros.intro(manual)).note is None, "the words of the one who deleted"
    assert (await intros.intro(manual)).status == "pending"
    assert await intros.intro(lonely) is None, "nobody left in it"


async def test_departed_members_are_not_counted_as_opted_in_nor_listed(store):
    intros = store.intros
    await store.memberships.record_leave(GROUP, PEOPLE[0], NOW)
    await store.memberships.record_leave(GROUP, PEOPLE[1], NOW, "kicked")
    await store.flush()
    assert await intros.opted_in(GROUP.id) == [3, 4, 5, 6]
    assert [c.member_id for c in await intros.listed(GROUP.id)] == [3, 4, 5, 6]
    assert [c.member_id for c in await intros.candidates(GROUP.id, NOW)] == [3, 4, 5, 6]


async def test_listed_by_tag_and_the_counts_of_the_askers_tags(store):
    intros = store.intros
    await intros.add_tags(PEOPLE[2], "offer", ["rust"], NOW)
    await intros.add_tags(PEOPLE[3], "seek", ["rust"], NOW)  # seeking is not knowing
    await intros.add_tags(PEOPLE[4], "interest", ["rust", "go"], NOW)
    await store.members.set_hidden(5, True)
    assert [c.member_id for c in await intros.listed(GROUP.id, "rust")] == [3]
    [three] = await intros.listed(GROUP.id, "rust", among=["go"])
    assert three.tags == (("offer", "rust"),), "only the asker's tags, and the one asked"
    four = next(
        c for c in await intros.listed(GROUP.id, "python", among=["rust"]) if c.member_id == 4
    )
    assert four.tags == (("interest", "python"), ("seek", "rust"))
    # Asker 6 (listed) has python and go: 5 listed members, python held by all of them.
    await intros.add_tags(PEOPLE[5], "interest", ["go"], NOW)
    assert await intros.listed_counts(GROUP.id, ["python", "go"], including=6) == (
        5,
        {"python": 5, "go": 1},
    )
    # An asker who is not listed (hidden 5) counts as one more, with their own tags.
    assert await intros.listed_counts(GROUP.id, ["go"], including=5) == (6, {"go": 2})


async def test_suggested_tags_are_shared_by_three_visible_current_members(store):
    intros = store.intros
    for person in PEOPLE[1:4]:
        await intros.add_tags(person, "interest", ["kayak"], NOW)
        await intros.add_tags(person, "seek", ["a cofounder"], NOW)
    for person in PEOPLE[1:3]:
        await intros.add_tags(person, "offer", ["design"], NOW)
    assert await intros.popular_tags(1) == [("interest", "kayak", 3)]
    await store.members.set_hidden(4, True)
    assert await intros.popular_tags(1) == []
    assert await intros.popular_tags(1, at_least=2) == [
        ("offer", "design", 2),
        ("interest", "kayak", 2),
    ]
    await store.memberships.record_leave(GROUP, PEOPLE[0], NOW)
    await store.flush()
    assert await intros.popular_tags(1, at_least=1) == [], "not in the group any more"


async def test_hand_introductions_are_counted_per_group_since_a_moment(store):
    intros = store.intros
    for hours in (30, 20, 1):
        await intros.add_intros(
            GROUP.id, NOW - timedelta(hours=hours), [NewIntro((1, 2))], kind="manual"
        )
    await intros.add_intros(GROUP.id, NOW, [NewIntro((3, 4))], kind="meet", initiator_id=3)
    assert await intros.hand_intros_since(GROUP.id, NOW - timedelta(hours=24)) == 2
    assert await intros.hand_intros_since(-999, NOW - timedelta(hours=24)) == 0


async def test_candidates_sharing_a_members_tags_and_their_counts(store):
    intros = store.intros
    await intros.add_tags(PEOPLE[1], "offer", ["rust"], NOW)
    await intros.add_tags(PEOPLE[2], "seek", ["rust", "go"], NOW)
    await store.members.set_reachable(4, False)  # not a candidate, rust or not
    await intros.add_tags(PEOPLE[3], "interest", ["rust"], NOW)
    found = await intros.candidates(GROUP.id, NOW, sharing=["rust"])
    assert [(c.member_id, c.tags) for c in found] == [
        (2, (("offer", "rust"),)),
        (3, (("seek", "rust"),)),
    ]
    assert await intros.candidate_counts(GROUP.id, NOW, ["rust", "python"], including=99) == (
        6,
        {"rust": 2, "python": 5},
    )


async def test_holders_of_tags_as_bit_masks_in_each_pool(store):
    intros = store.intros
    await intros.add_tags(PEOPLE[1], "offer", ["rust"], NOW)
    await intros.add_tags(PEOPLE[2], "seek", ["rust", "go"], NOW)
    await intros.add_tags(PEOPLE[2], "offer", ["go"], NOW)
    await store.members.set_reachable(4, False)  # not a candidate, but listed
    await intros.add_tags(PEOPLE[3], "interest", ["rust"], NOW)
    await store.members.set_hidden(5, True)  # a candidate, but not listed
    await intros.add_tags(PEOPLE[4], "interest", ["go"], NOW)
    # Bit 0 is "go", bit 1 "rust": (member, interests, offers, seeks).
    found = await intros.candidate_holders(GROUP.id, NOW, ["go", "rust"])
    assert found.tags == ("go", "rust")
    assert found.size == 5, "everyone but the unreachable 4, holder or not"
    assert sorted(map(tuple, found.rows)) == [(2, 0, 2, 0, 5), (3, 0, 1, 3, 5), (5, 1, 0, 0, 5)]
    listed = await intros.listed_holders(GROUP.id, ["go", "rust", "python"])
    assert listed.size == 5, "everyone but the hidden 5"
    assert sorted(tuple(row[:4]) for row in listed.rows) == [
        (1, 4, 0, 0),
        (2, 4, 2, 0),
        (3, 4, 1, 3),
        (4, 6, 0, 0),
        (6, 4, 0, 0),
    ]
    assert (await intros.listed_holders(GROUP.id, ["kayak"])).rows == [], "nobody holds it"
    await store.memberships.record_leave(GROUP, PEOPLE[2], NOW)
    await store.flush()
    assert [row[0] for row in (await intros.candidate_holders(GROUP.id, NOW, ["go"])).rows] == [5]


async def test_who_has_a_member_on_their_never_list(store):
    intros = store.intros
    await intros.add_never(PEOPLE[1], 1, NOW)
    await intros.add_never(PEOPLE[4], 1, NOW)
    await intros.add_never(PEOPLE[0], 3, NOW)
    assert await intros.avoided_by(1) == [2, 5]
    assert await intros.avoided_by(3) == [1]
    assert await intros.avoided_by(6) == []
