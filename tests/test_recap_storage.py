"""The recap's numbers from a real SQLite file: exact counts, ordering, hidden members."""

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import Catalog
from bot.recap import assemble, render, week_before
from storage import ChatInfo, MemberInfo, SqlStore, open_store, recap
from storage.ledger import CreditRequest
from storage.recap import HelperRow, NewcomerRow, gather_optional

ROME = ZoneInfo("Europe/Rome")
GROUP = ChatInfo(-1001, "supergroup", "Makers")
ADA, BRUNO, CARLA = MemberInfo(1, "Ada"), MemberInfo(2, "Bruno"), MemberInfo(3, "Carla")
DARIO, ELENA = MemberInfo(4, "Dario", "Hidden"), MemberInfo(5, "Elena")
FABIO = MemberInfo(6, "Fabio", "Rossi")
# The recap posted on Monday 23 November 2026 covers 16–22 November (Rome, UTC+1).
WINDOW = week_before(date(2026, 11, 23), ROME)


def local(day: int, hour: int = 12, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=ROME).astimezone(UTC)


class Seeder:
    def __init__(self, store: SqlStore, chat: ChatInfo = GROUP, zone: ZoneInfo = ROME):
        self.store, self.chat, self.zone = store, chat, zone
        self.message_id = 0

    async def say(self, member: MemberInfo, at: datetime, times: int = 1) -> int:
        for _ in range(times):
            self.message_id += 1
            await self.store.memberships.record_message(
                self.chat, member, self.message_id, at, at.astimezone(self.zone).date()
            )
        return self.message_id

    async def thank(
        self,
        giver: MemberInfo,
        receiver: MemberInfo,
        at: datetime,
        *,
        reason: str | None = None,
        counted: bool = True,
    ) -> int:
        message_id = await self.say(receiver, at)
        self.message_id += 1
        await self.store.ledger.give(
            CreditRequest(
                chat_id=self.chat.id,
                giver=giver,
                receiver=receiver,
                message_id=message_id,
                kind="command",
                at=at,
                local_day=at.astimezone(self.zone).date().isoformat(),
                reason=reason,
                thanks_message_id=self.message_id,
            ),
            lambda today, week: None if counted else "quota",
        )
        return self.message_id


async def seed_week(store: SqlStore) -> None:
    seed = Seeder(store)
    # The week before: 3 messages from 2 people; Elena joins at 23:30 on Sunday the 15th.
    await seed.say(ADA, local(9), times=2)
    await seed.say(ELENA, local(15, 20))
    await store.memberships.record_join(GROUP, ELENA, local(15, 23, 30))
    await seed.thank(BRUNO, ADA, local(10))
    # This week. Fabio joins at 00:30 on Monday the 16th; hidden Dario on the 17th; Bruno
    # joins on the 20th and leaves late on the 22nd.
    await store.memberships.record_join(GROUP, FABIO, local(16, 0, 30))
    await store.memberships.record_join(GROUP, DARIO, local(17))
    await store.memberships.record_join(GROUP, BRUNO, local(20))
    await seed.say(ADA, local(16), times=3)
    await seed.say(BRUNO, local(22))
    await seed.say(DARIO, local(18), times=4)
    # 23:30 on Sunday the 22nd in Rome is still this week; Monday's message is not.
    await seed.say(CARLA, local(22, 23, 30))
    await seed.say(ADA, local(23, 0, 10))
    # Carla helped three people (one short reason), Bruno one person twice.
    await seed.thank(ADA, CARLA, local(17), reason="per la dritta sul router")
    await seed.thank(BRUNO, CARLA, local(18))
    await seed.thank(ELENA, CARLA, local(19), reason="x" * 120)
    await seed.thank(ADA, BRUNO, local(19))
    await seed.thank(ADA, BRUNO, local(20))
    # Fabio: one person, with a reason too long to quote.
    await seed.thank(BRUNO, FABIO, local(21), reason="y" * 81)
    # Dario, hidden, helped four: counted as thanks, never named.
    for giver in (ADA, BRUNO, CARLA, ELENA):
        await seed.thank(giver, DARIO, local(20))
    # Elena's thanks did not score (quota): a thanks given, but no helper credit.
    await seed.thank(FABIO, ELENA, local(21), counted=False)
    # A voided thanks counts for nothing.
    voided = await seed.thank(CARLA, ADA, local(21))
    await store.ledger.void(GROUP.id, voided, ADA, local(21, 13))
    await store.members.set_hidden(DARIO.id, True)
    await store.memberships.record_leave(GROUP, BRUNO, local(22, 23))


async def test_week_numbers_exact(store):
    await seed_week(store)
    numbers = await store.recaps.week_numbers(GROUP.id, WINDOW.span)
    facts = assemble(WINDOW, numbers)
    # Messages: 3 + 1 + 4 + 1 said, plus one per thanked message (12 thanked messages).
    assert facts.this_week.messages == 9 + 12
    assert facts.this_week.active_members == 8 - 2  # Ada Bruno Carla Dario Elena Fabio
    assert facts.this_week.new_members == 2  # Fabio and hidden Dario; Bruno left
    assert facts.this_week.thanks == 11
    assert facts.last_week.messages == 3 + 1
    assert facts.last_week.active_members == 2
    assert facts.last_week.new_members == 1
    assert facts.last_week.thanks == 1
    assert [d.day for d in facts.daily] == WINDOW.days
    assert [d.thanks for d in facts.daily] == [0, 1, 1, 2, 5, 2, 0]
    assert numbers.helpers == (
        HelperRow(CARLA.id, "Carla", 3, 3, "per la dritta sul router"),
        HelperRow(BRUNO.id, "Bruno", 1, 2, None),
        HelperRow(FABIO.id, "Fabio Rossi", 1, 1, None),
    )
    assert numbers.newcomers == (NewcomerRow(FABIO.id, "Fabio Rossi"),)
    assert numbers.visible_new_members == 1
    assert numbers.has_history, "the group was active the week before"


async def test_hidden_members_are_never_named(store):
    await seed_week(store)
    numbers = await store.recaps.week_numbers(GROUP.id, WINDOW.span)
    named = {h.member_id for h in numbers.helpers} | {n.member_id for n in numbers.newcomers}
    assert DARIO.id not in named
    await store.members.set_hidden(CARLA.id, True)
    numbers = await store.recaps.week_numbers(GROUP.id, WINDOW.span)
    assert [h.name for h in numbers.helpers] == ["Bruno", "Fabio Rossi"]


async def test_top_helpers_capped_at_five_by_people_then_credits(store):
    seed = Seeder(store)
    helpers = [MemberInfo(100 + n, f"Helper{n}") for n in range(7)]
    givers = [MemberInfo(200 + n, f"Giver{n}") for n in range(7)]
    for n, helper in enumerate(helpers):
        # Helper n is thanked by n + 1 people (Helper0 by one person, twice).
        for giver in givers[: n + 1]:
            await seed.thank(giver, helper, local(18))
    await seed.thank(givers[1], helpers[0], local(19))
    numbers = await store.recaps.week_numbers(GROUP.id, WINDOW.span)
    assert [(h.name, h.people) for h in numbers.helpers] == [
        ("Helper6", 7),
        ("Helper5", 6),
        ("Helper4", 5),
        ("Helper3", 4),
        ("Helper2", 3),
    ]


async def test_a_group_with_no_data_has_no_history(store):
    await store.chats.seen(GROUP)
    numbers = await store.recaps.week_numbers(GROUP.id, WINDOW.span)
    facts = assemble(WINDOW, numbers)
    assert not facts.has_history
    assert facts.this_week.messages == 0
    assert numbers.helpers == ()


async def test_a_dst_week_is_seven_local_days_not_168_hours(store):
    zone = ZoneInfo("America/New_York")
    chat = ChatInfo(-2002, "supergroup", "NYC")
    seed = Seeder(store, chat, zone)
    window = week_before(date(2026, 11, 2), zone)  # 26 Oct – 1 Nov, clocks fall back 1 Nov
    assert window.end - window.start == timedelta(hours=169)
    # 23:30 on Sunday 1 November, EST: 04:30 UTC on the 2nd, beyond 168 hours from the start.
    late_sunday = datetime(2026, 11, 1, 23, 30, tzinfo=zone).astimezone(UTC)
    assert late_sunday >= window.start + timedelta(hours=168)
    await store.memberships.record_join(chat, ADA, late_sunday)
    await seed.say(ADA, late_sunday)
    # 00:10 on Monday the 26th (EDT) is the first local day.
    await store.memberships.record_join(chat, BRUNO, datetime(2026, 10, 26, 0, 10, tzinfo=zone))
    # 23:50 on Sunday 25 October is the week before.
    await store.memberships.record_join(chat, CARLA, datetime(2026, 10, 25, 23, 50, tzinfo=zone))
    numbers = await store.recaps.week_numbers(chat.id, window.span)
    assert [n.name for n in numbers.newcomers] == ["Bruno", "Ada"]
    assert numbers.previous_new_members == 1
    assert numbers.days == {date(2026, 11, 1): (1, 0)}


async def test_no_prompt_posted_means_no_prompt_of_the_week(store):
    await store.chats.seen(GROUP)
    assert (await gather_optional(store, GROUP.id, WINDOW.span, [1])).prompt_of_week is None


async def test_the_prompt_of_the_week_is_the_one_most_people_answered(store):
    seed = Seeder(store)
    await seed.say(ELENA, local(9))  # the group was there the week before
    for member in (ADA, BRUNO, CARLA):
        await seed.say(member, local(19, 11), times=4)
    posts = [
        (101, "Who helped you this week?", local(17, 10), (ADA, BRUNO)),
        (102, "What are you <b>learning</b>?", local(19, 10), (ADA, BRUNO, CARLA)),
        (103, "Before the week", local(15, 10), (ADA, BRUNO, CARLA, ELENA)),
    ]
    for message_id, text, at, repliers in posts:
        await store.prompts.record_post(
            GROUP.id,
            message_id=message_id,
            key=f"k{message_id}",
            cycle=1,
            text=text,
            slot=None,
            at=at,
        )
        for member in (*repliers, repliers[0]):  # a second reply by the same member
            await store.prompts.record_reply(GROUP.id, message_id, member)
    optional = await gather_optional(store, GROUP.id, WINDOW.span, [])
    assert optional.prompt_of_week == ("What are you <b>learning</b>?", 3)
    numbers = await store.recaps.week_numbers(GROUP.id, WINDOW.span)
    text = render(assemble(WINDOW, numbers, optional), Catalog(), "en", "Makers")
    assert "What are you &lt;b&gt;learning&lt;/b&gt;?" in text


async def test_a_scheduled_recap_is_claimed_once_per_week(store):
    await store.chats.seen(GROUP)
    at = datetime(2026, 11, 23, 8, tzinfo=UTC)
    first = await store.recaps.claim_scheduled(GROUP.id, "2026-W48", at)
    assert first is not None
    assert await store.recaps.claim_scheduled(GROUP.id, "2026-W48", at + timedelta(days=3)) is None
    assert await store.recaps.claim_scheduled(GROUP.id, "2026-W49", at + timedelta(days=7))
    await store.recaps.set_messages(first, [41, 42])
    posted = await store.recaps.posted(GROUP.id)
    assert [(p.week, p.kind, p.message_ids) for p in posted] == [
        ("2026-W48", "scheduled", (41, 42)),
        ("2026-W49", "scheduled", ()),
    ]


async def test_on_demand_recaps_once_an_hour(store):
    await store.chats.seen(GROUP)
    at = datetime(2026, 11, 25, 10, tzinfo=UTC)
    hour = timedelta(hours=1)
    first, _ = await store.recaps.claim_manual(GROUP.id, "2026-W48", at, hour)
    assert first is not None
    soon = at + timedelta(minutes=59)
    again, allowed = await store.recaps.claim_manual(GROUP.id, "2026-W48", soon, hour)
    assert again is None
    assert allowed == at + hour
    later, _ = await store.recaps.claim_manual(GROUP.id, "2026-W48", at + hour, hour)
    assert later is not None
    # One that could not be posted does not use up the hour.
    await store.recaps.release(later)
    retry, _ = await store.recaps.claim_manual(GROUP.id, "2026-W48", at + hour, hour)
    assert retry is not None


async def test_recaps_move_with_a_migrated_group(store):
    await store.chats.seen(GROUP)
    at = datetime(2026, 11, 23, 8, tzinfo=UTC)
    assert await store.recaps.claim_scheduled(GROUP.id, "2026-W48", at)
    assert await store.chats.migrate(GROUP.id, -1009)
    assert await store.recaps.claim_scheduled(-1009, "2026-W48", at) is None
    assert [p.week for p in await store.recaps.posted(-1009)] == ["2026-W48"]


@pytest.mark.parametrize("query", ["_DAYS", "_SCALARS", "_HELPERS", "_NEWCOMERS"])
async def test_recap_queries_read_indexed_ranges_never_whole_tables(tmp_path, query):
    # The recap must stay an aggregate over one group's week, whatever the database's size.
    params = {
        "chat": GROUP.id,
        "first": "2026-11-16",
        "last": "2026-11-22",
        "pfirst": "2026-11-09",
        "plast": "2026-11-15",
        "start": "2026-11-15T23:00:00+00:00",
        "end": "2026-11-22T23:00:00+00:00",
        "pstart": "2026-11-08T23:00:00+00:00",
        "top": 5,
        "reason_limit": 80,
        "newcomers": 20,
    }
    store = await open_store(tmp_path / "plans.sqlite3")  # SQLite's query plans
    try:
        explain = "EXPLAIN QUERY PLAN " + getattr(recap, query)
        plan = [row[3] for row in await store.query(explain, params)]
    finally:
        await store.close()
    whole = [
        line
        for line in plan
        if re.match(r"SCAN (credits|members|activity_daily|memberships|c|m|ms)\b", line)
    ]
    assert whole == [], plan
    if query in ("_DAYS", "_HELPERS"):
        assert any("credits_chat_day" in line for line in plan), plan
