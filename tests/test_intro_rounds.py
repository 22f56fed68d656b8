"""Introduction rounds driven without Telegram: a real database, a clock, a fake messenger."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from bot.chat_settings import ChatPrefs
from bot.clock import ManualClock
from bot.intro_rounds import IntroRounds
from bot.policy import GONE
from storage import ChatInfo, MemberInfo, SqlStore, open_store
from storage.interface import IntroRepository
from storage.intro_records import Intro, NewIntro

GROUP = ChatInfo(-100, "supergroup", "Makers")
# Monday 7 December 2026, 10:00 in Rome: the group's default introductions slot.
SLOT = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
PREFS = ChatPrefs(language="en", timezone="Europe/Rome", topic_id=None, intros=True)
# 1 and 2 share a rare tag, so do 3 and 4; everyone but 5 likes python; 5 shares nothing.
TAGS = {
    1: ["python", "chess"],
    2: ["python", "chess"],
    3: ["python", "go"],
    4: ["python", "go"],
    5: ["knitting"],
}


@dataclass(frozen=True)
class Sent:
    """One DM the fake messenger delivered."""

    what: str  # intro | follow-up | paused | partner-unreachable
    member_id: int
    intro_id: int | None = None
    status: str | None = None
    others: tuple[int, ...] = ()
    # How many introductions of the round were recorded when this DM went out.
    recorded: int | None = None


class FakeMessenger:
    """Records every DM; ``blocked`` members bounce (403), ``flaky`` ones fail once (network)."""

    def __init__(self, intros: IntroRepository) -> None:
        self.intros = intros
        self.sent: list[Sent] = []
        self.bounced: list[tuple[str, int]] = []
        self.blocked: set[int] = set()
        self.flaky: set[int] = set()

    async def _deliver(self, dm: Sent) -> bool:
        if dm.member_id in self.flaky:
            self.flaky.discard(dm.member_id)
            raise ConnectionError("network down")
        if dm.member_id in self.blocked:
            self.bounced.append((dm.what, dm.member_id))
            return False
        self.sent.append(dm)
        return True

    async def send_intro(self, intro: Intro, member_id: int) -> bool:
        recorded = len(await self.intros.round_intros(intro.round_id)) if intro.round_id else None
        others = tuple(sorted(intro.others(member_id)))
        return await self._deliver(
            Sent("intro", member_id, intro.id, intro.status, others, recorded)
        )

    async def send_follow_up(self, intro: Intro, member_id: int) -> bool:
        return await self._deliver(Sent("follow-up", member_id, intro.id))

    async def tell_paused(self, chat_id: int, member_id: int) -> bool:
        return await self._deliver(Sent("paused", member_id))

    async def tell_partner_unreachable(self, member_id: int, partner_id: int) -> bool:
        return await self._deliver(Sent("partner-unreachable", member_id, others=(partner_id,)))

    def intros_of(self, member_id: int) -> list[Sent]:
        return [s for s in self.sent if s.what == "intro" and s.member_id == member_id]


@dataclass
class World:
    store: SqlStore
    clock: ManualClock
    messenger: FakeMessenger
    rounds: IntroRounds


@pytest.fixture
async def world(database):
    clock = ManualClock(SLOT - timedelta(days=1))
    store = await open_store(database, clock=clock.now)
    for member_id, tags in TAGS.items():
        person = MemberInfo(member_id, f"M{member_id}", None, f"m{member_id}", "en")
        await store.memberships.record_message(GROUP, person, member_id, clock.now(), SLOT.date())
        await store.members.set_reachable(member_id, True)
        await store.intros.join(GROUP.id, person, clock.now())
        await store.intros.add_tags(person, "interest", tags, clock.now())
    await store.flush()
    clock.set(SLOT)

    async def prefs(chat_id: int) -> ChatPrefs:
        return PREFS

    async def is_member(chat_id: int, member_id: int) -> bool:
        # The policy's answer from Rete's records (Telegram is not asked here).
        membership = await store.memberships.get(chat_id, member_id)
        return membership is not None and membership.status not in GONE

    messenger = FakeMessenger(store.intros)
    rounds = IntroRounds(
        store.intros,
        messenger,
        prefs,
        clock.now,
        lambda chat_id: store.locks.hold(f"intros:{chat_id}"),
        is_member,
    )
    yield World(store, clock, messenger, rounds)
    await store.close()


async def test_round_is_recorded_before_any_dm_and_sent_once(world):
    round_id = await world.rounds.run_round(GROUP.id, SLOT)
    assert round_id is not None
    sent = world.messenger.sent
    assert {s.recorded for s in sent} == {3}, "two pairs and one 'nobody' before any DM"
    assert {s.others for s in sent if s.status == "active"} == {(1,), (2,), (3,), (4,)}
    assert [s.status for s in sent] == ["active"] * 4 + ["unmatched"], "'nobody' goes last"
    assert sent[-1].member_id == 5

    again = await world.rounds.run_round(GROUP.id, SLOT)
    assert again == round_id
    assert len(world.messenger.sent) == 5, "a resumed round sends nothing twice"


async def test_a_bounce_re_pairs_the_partners_left_alone(world):
    world.messenger.blocked = {1, 3}
    await world.rounds.run_round(GROUP.id, SLOT)
    assert sorted(world.messenger.bounced) == [("intro", 1), ("intro", 3)], "each tried once"
    for member_id, partner in ((2, 4), (4, 2)):
        last = world.messenger.intros_of(member_id)[-1]
        assert last.others == (partner,)
        intro = await world.store.intros.intro(last.intro_id)
        assert intro.status == "active"
        for earlier in world.messenger.intros_of(member_id)[:-1]:
            assert (await world.store.intros.intro(earlier.intro_id)).status == "cancelled"
    nobody = [s for s in world.messenger.sent if s.status == "unmatched"]
    assert [s.member_id for s in nobody] == [5]
    assert world.messenger.sent[-1] == nobody[0], "still told last"


async def test_sweep_sends_what_a_network_error_left_and_then_the_follow_ups(world):
    world.messenger.flaky = {2}
    with pytest.raises(ConnectionError):
        await world.rounds.run_round(GROUP.id, SLOT)
    world.clock.advance(timedelta(minutes=5))
    await world.rounds.sweep()
    for member_id in (1, 2, 3, 4, 5):
        assert len(world.messenger.intros_of(member_id)) == 1, member_id

    world.messenger.blocked = {4}
    await world.rounds.sweep()
    assert not [s for s in world.messenger.sent if s.what == "follow-up"], "not due yet"
    world.clock.set(SLOT + timedelta(days=PREFS.intros_follow_up_days))
    await world.rounds.sweep()
    asked = sorted(s.member_id for s in world.messenger.sent if s.what == "follow-up")
    assert asked == [1, 2, 3]
    assert ("follow-up", 4) in world.messenger.bounced
    await world.rounds.sweep()
    assert len([s for s in world.messenger.sent if s.what == "follow-up"]) == 3, "asked once"


async def test_an_on_demand_intro_that_bounces_tells_the_other(world):
    [intro_id] = await world.store.intros.add_intros(
        GROUP.id, SLOT, [NewIntro((1, 2))], kind="meet", initiator_id=2
    )
    world.messenger.blocked = {1}
    async with world.rounds.lock(GROUP.id):
        for member_id in (1, 2):
            await world.rounds.deliver_one(intro_id, member_id)
    assert world.messenger.sent == [Sent("partner-unreachable", 2, others=(1,))]
    assert (await world.store.intros.intro(intro_id)).status == "cancelled"


async def test_a_member_who_left_before_the_sweep_is_not_introduced_and_is_replaced(world):
    # The round stops at a network error before anyone is told...
    world.messenger.flaky = {1, 2, 3, 4}
    with pytest.raises(ConnectionError):
        await world.rounds.run_round(GROUP.id, SLOT)
    # ...then 1 leaves the group and the sweep sends what is pending.
    person = MemberInfo(1, "M1", None, "m1", "en")
    await world.store.memberships.record_leave(GROUP, person, world.clock.now())
    await world.store.flush()
    world.messenger.flaky.clear()
    world.clock.advance(timedelta(minutes=5))
    await world.rounds.sweep()
    assert world.messenger.intros_of(1) == [], "gone: no introduction DM"
    for member_id in (2, 3, 4, 5):
        for dm in world.messenger.intros_of(member_id):
            assert 1 not in dm.others, f"{member_id} was told about someone who left"
    # 1's partner is re-paired in the round or told there was nobody, never left hanging.
    assert world.messenger.intros_of(2), "2 hears from the round"


async def test_an_on_demand_intro_whose_partner_left_is_called_off(world):
    [intro_id] = await world.store.intros.add_intros(
        GROUP.id, SLOT, [NewIntro((1, 2))], kind="meet", initiator_id=2
    )
    person = MemberInfo(1, "M1", None, "m1", "en")
    await world.store.memberships.record_leave(GROUP, person, world.clock.now(), "kicked")
    await world.store.flush()
    async with world.rounds.lock(GROUP.id):
        for member_id in (1, 2):
            await world.rounds.deliver_one(intro_id, member_id)
    assert world.messenger.sent == [Sent("partner-unreachable", 2, others=(1,))]
    assert (await world.store.intros.intro(intro_id)).status == "cancelled"


async def _meet(world) -> int:
    """2's /meet with 1: recorded, then 1 told first, then 2."""
    async with world.rounds.lock(GROUP.id):
        return await world.rounds.introduce_pair(
            GROUP.id,
            NewIntro((1, 2)),
            first=1,
            kind="meet",
            follow_up_at=SLOT + timedelta(days=3),
            initiator_id=2,
        )


async def _states(world, intro_id: int) -> dict[int, str]:
    intro = await world.store.intros.intro(intro_id)
    return {side.member_id: side.dm_state for side in intro.members}


async def test_a_meet_tells_the_partner_then_the_asker_and_records_both_sent(world):
    intro_id = await _meet(world)
    assert [(s.what, s.member_id, s.others) for s in world.messenger.sent] == [
        ("intro", 1, (2,)),
        ("intro", 2, (1,)),
    ]
    assert await _states(world, intro_id) == {1: "sent", 2: "sent"}
    world.clock.advance(timedelta(minutes=5))
    await world.rounds.sweep()
    async with world.rounds.lock(GROUP.id):
        for member_id in (1, 2):
            await world.rounds.deliver_one(intro_id, member_id)
    assert len(world.messenger.sent) == 2, "nothing sent twice"


class Killed(BaseException):
    """The process stops here (a restart at the worst moment): nothing after it runs."""


@pytest.mark.parametrize("killed", [1, 2])
async def test_a_meet_cut_by_a_restart_never_sends_a_dm_twice(world, killed):
    # Each DM is claimed before it goes out (the partner's with the record, the asker's
    # with the write that records the partner's sent): a restart right after one went out
    # leaves it claimed, and the sweep after the restart sends only what was not claimed.
    real = world.messenger.send_intro

    async def send_intro(intro, member_id):
        sent = await real(intro, member_id)
        if member_id == killed:
            raise Killed
        return sent

    world.messenger.send_intro = send_intro
    with pytest.raises(Killed):
        await _meet(world)
    world.messenger.send_intro = real
    [intro_id] = [
        row[0] for row in await world.store.fetchall("SELECT id FROM intros WHERE kind = 'meet'")
    ]
    assert await _states(world, intro_id) == (
        {1: "sending", 2: "pending"} if killed == 1 else {1: "sent", 2: "sending"}
    )
    world.clock.advance(timedelta(minutes=5))
    await world.rounds.sweep()
    assert [(s.what, s.member_id) for s in world.messenger.sent] == [
        ("intro", 1),
        ("intro", 2),
    ], "each DM once: the asker's sent by the sweep when the partner's was the last"


async def test_a_meet_whose_partner_bounces_tells_the_asker_only_that(world):
    world.messenger.blocked = {1}
    intro_id = await _meet(world)
    assert world.messenger.sent == [Sent("partner-unreachable", 2, others=(1,))]
    assert (await world.store.intros.intro(intro_id)).status == "cancelled"
    assert await _states(world, intro_id) == {1: "failed", 2: "pending"}
    world.clock.advance(timedelta(minutes=5))
    await world.rounds.sweep()
    assert len(world.messenger.sent) == 1, "a cancelled introduction sends nothing more"


async def test_a_meet_whose_asker_bounces_tells_the_partner(world):
    world.messenger.blocked = {2}
    intro_id = await _meet(world)
    assert [(s.what, s.member_id) for s in world.messenger.sent] == [
        ("intro", 1),
        ("partner-unreachable", 1),
    ]
    assert (await world.store.intros.intro(intro_id)).status == "cancelled"
    assert await _states(world, intro_id) == {1: "sent", 2: "failed"}


@pytest.mark.parametrize("flaky", [1, 2])
async def test_a_meet_cut_by_a_network_error_is_finished_by_the_sweep(world, flaky):
    world.messenger.flaky = {flaky}
    with pytest.raises(ConnectionError):
        await _meet(world)
    [intro_id] = [
        row[0] for row in await world.store.fetchall("SELECT id FROM intros WHERE kind = 'meet'")
    ]
    # The partner's failure stops before the asker hears of them; the asker's leaves the
    # partner's DM sent. What is left is pending, and the sweep sends it, once.
    assert await _states(world, intro_id) == (
        {1: "pending", 2: "pending"} if flaky == 1 else {1: "sent", 2: "pending"}
    )
    assert [s.member_id for s in world.messenger.sent] == ([] if flaky == 1 else [1])
    world.clock.advance(timedelta(minutes=5))
    await world.rounds.sweep()
    await world.rounds.sweep()
    assert sorted(s.member_id for s in world.messenger.sent if s.what == "intro") == [1, 2]
    assert await _states(world, intro_id) == {1: "sent", 2: "sent"}
