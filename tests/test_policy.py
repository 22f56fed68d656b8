"""The trust policy's rules, without a bot: records and Telegram's answers are faked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import ManualClock
from bot.policy import Actor, Policy, Refused

GROUP, OTHER = -100, -200
ANNA, BRUNO, CARLA, STRANGER = 1, 2, 3, 9


@dataclass
class Record:
    status: str


class Records:
    def __init__(self) -> None:
        self.memberships: dict[tuple[int, int], Record] = {}
        self.reachable: set[int] = set()

    async def membership(self, chat_id: int, member_id: int) -> Record | None:
        return self.memberships.get((chat_id, member_id))

    async def dm_reachable(self, member_id: int) -> bool:
        return member_id in self.reachable


class Telegram:
    def __init__(self) -> None:
        self.statuses: dict[tuple[int, int], str] = {}
        self.admins: dict[int, set[int]] = {}
        self.calls: list[str] = []
        self.down = False

    async def member_status(self, chat_id: int, user_id: int) -> str | None:
        self.calls.append(f"getChatMember {chat_id} {user_id}")
        return self.statuses.get((chat_id, user_id))

    async def admin_ids(self, chat_id: int) -> set[int]:
        self.calls.append(f"getChatAdministrators {chat_id}")
        if self.down:
            raise ConnectionError("Telegram is unreachable")
        return set(self.admins.get(chat_id, set()))


@pytest.fixture
def world():
    records, telegram = Records(), Telegram()
    clock = ManualClock(datetime(2026, 12, 2, 9, 0, tzinfo=UTC))
    policy = Policy(records, telegram, clock.now, cache_seconds=300)
    records.memberships[(GROUP, ANNA)] = Record("member")
    records.memberships[(GROUP, BRUNO)] = Record("left")
    records.memberships[(GROUP, CARLA)] = Record("kicked")
    telegram.statuses[(GROUP, ANNA)] = "member"
    telegram.admins[GROUP] = {ANNA}
    return policy, records, telegram, clock


async def test_a_recorded_member_is_a_member_without_asking_telegram(world):
    policy, _, telegram, _ = world
    assert await policy.is_member(GROUP, ANNA)
    assert telegram.calls == []


@pytest.mark.parametrize("person", [BRUNO, CARLA, STRANGER])
async def test_who_left_was_banned_or_was_never_there_is_not_a_member(world, person):
    policy, _, _, _ = world
    assert not await policy.is_member(GROUP, person)
    with pytest.raises(Refused) as refused:
        await policy.ensure_member(GROUP, person)
    assert refused.value.reason == "not-member"


async def test_the_record_is_not_enough_when_telegram_says_otherwise(world):
    policy, records, telegram, _ = world
    # Bruno came back without Rete seeing it: Telegram's word counts.
    telegram.statuses[(GROUP, BRUNO)] = "member"
    assert await policy.is_member(GROUP, BRUNO)
    # Anna left without Rete seeing it: a verified check asks Telegram.
    telegram.statuses[(GROUP, ANNA)] = "left"
    assert await policy.is_member(GROUP, ANNA)
    assert not await policy.is_member(GROUP, ANNA, verify=True)
    assert records.memberships[(GROUP, ANNA)].status == "member", "the policy only answers"


async def test_telegrams_answer_is_cached_until_it_expires_or_is_forgotten(world):
    policy, _, telegram, clock = world
    assert not await policy.is_member(GROUP, STRANGER)
    telegram.statuses[(GROUP, STRANGER)] = "member"
    assert not await policy.is_member(GROUP, STRANGER)
    assert len(telegram.calls) == 1
    clock.advance(timedelta(seconds=301))
    assert await policy.is_member(GROUP, STRANGER)
    telegram.statuses[(GROUP, STRANGER)] = "kicked"
    policy.forget_member(GROUP, STRANGER)
    assert not await policy.is_member(GROUP, STRANGER)


async def test_nobody_is_a_member_of_another_group(world):
    policy, _, _, _ = world
    assert not await policy.is_member(OTHER, ANNA)


async def test_admins_come_from_telegram_and_fresh_asks_again(world):
    policy, _, telegram, _ = world
    assert await policy.is_admin(GROUP, Actor(ANNA, GROUP))
    assert not await policy.is_admin(GROUP, Actor(BRUNO, GROUP))
    # Demoted: the cached list still says admin, a fresh check does not.
    telegram.admins[GROUP] = set()
    assert await policy.is_admin(GROUP, Actor(ANNA, GROUP))
    assert not await policy.is_admin(GROUP, Actor(ANNA, GROUP), fresh=True)
    assert not await policy.is_admin(GROUP, Actor(ANNA, GROUP))
    with pytest.raises(Refused) as refused:
        await policy.ensure_admin(GROUP, Actor(ANNA, GROUP))
    assert refused.value.reason == "not-admin"


async def test_an_admin_of_one_group_is_not_an_admin_of_another(world):
    policy, _, telegram, _ = world
    telegram.admins[OTHER] = {BRUNO}
    assert not await policy.is_admin(OTHER, Actor(ANNA, GROUP))
    assert not await policy.is_admin(GROUP, Actor(BRUNO, OTHER))


async def test_an_anonymous_admin_administers_only_the_group_it_writes_as(world):
    policy, _, _, _ = world
    anonymous = Actor(None, GROUP, anonymous_admin=True)
    assert await policy.is_admin(GROUP, anonymous)
    assert not await policy.is_admin(OTHER, anonymous)
    assert anonymous.person is None
    with pytest.raises(Refused) as refused:
        await policy.ensure_member(GROUP, anonymous.person)
    assert refused.value.reason == "not-a-person"


async def test_channels_and_bots_are_nobody(world):
    policy, _, _, _ = world
    channel = Actor(None, GROUP)
    bot = Actor(ANNA, GROUP, is_bot=True)
    assert not await policy.is_admin(GROUP, channel)
    assert not await policy.is_admin(GROUP, bot)
    assert bot.person is None


async def test_telegram_silence_is_never_a_yes(world):
    policy, _, telegram, _ = world
    telegram.down = True
    assert not await policy.is_admin(GROUP, Actor(ANNA, GROUP))


async def test_owner_and_consent(world):
    policy, records, _, _ = world
    policy.ensure_owner(ANNA, Actor(ANNA, GROUP))
    with pytest.raises(Refused):
        policy.ensure_owner(ANNA, Actor(BRUNO, GROUP))
    with pytest.raises(Refused):
        policy.ensure_owner(None, Actor(None, GROUP, anonymous_admin=True))
    assert not await policy.may_dm(ANNA)
    records.reachable.add(ANNA)
    await policy.ensure_may_dm(ANNA)
    with pytest.raises(Refused) as refused:
        await policy.ensure_may_dm(BRUNO)
    assert refused.value.reason == "no-consent"


async def test_allow_counts_uses_in_a_sliding_window(world):
    policy, _, _, clock = world
    per = timedelta(minutes=1)
    assert [policy.allow("whoknows", ANNA, limit=3, per=per) for _ in range(4)] == [
        True,
        True,
        True,
        False,
    ]
    assert policy.allow("whoknows", BRUNO, limit=3, per=per), "counted per person"
    clock.advance(timedelta(seconds=61))
    assert policy.allow("whoknows", ANNA, limit=3, per=per)
    policy.ensure_allowed("whoknows", ANNA, limit=3, per=per)
    policy.ensure_allowed("whoknows", ANNA, limit=3, per=per)
    with pytest.raises(Refused) as refused:
        policy.ensure_allowed("whoknows", ANNA, limit=3, per=per)
    assert refused.value.reason == "too-often"


@dataclass
class Person:
    dm_reachable: bool


def test_consent_is_read_from_the_record(world):
    policy, _, _, _ = world
    assert not Policy.consents(None), "never seen: no consent"
    assert not policy.consents(Person(dm_reachable=False))
    assert policy.consents(Person(dm_reachable=True))
