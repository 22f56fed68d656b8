"""The scheduler: each slot runs once per group, across restarts, holds and crashes."""

from datetime import UTC, datetime, time, timedelta

import pytest

from bot.chat_settings import effective
from bot.schedule import Weekly
from handlers import scheduling
from handlers.context import ReteContext
from handlers.delivery import post
from storage import ChatInfo, MemberInfo, open_store
from tests import factories as f
from tests.conftest import ADMIN, MEMBER

GROUP = f.group(-1007, "Makers")
# Monday 23 November 2026, 09:00 in Rome (the test settings' default zone) is 08:00 UTC.
SLOT = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
MONDAY_NINE = Weekly(frozenset({0}), time(9, 0))


class Recorder:
    """A scheduled feature for tests: posts "slot <key>" and remembers each call."""

    def __init__(self, *, hold: int = 0, resumable: bool = False) -> None:
        self.calls: list[tuple[int, datetime]] = []
        self.holds = hold
        self.job = scheduling.ScheduledJob(
            name="test",
            schedule=lambda prefs: MONDAY_NINE,
            grace=timedelta(hours=1),
            run=self.run,
            resumable=resumable,
        )

    async def run(self, context, chat_id: int, slot: datetime) -> datetime | None:
        self.calls.append((chat_id, slot))
        if self.holds:
            self.holds -= 1
            return slot + timedelta(minutes=15 * len(self.calls))
        await post(context, chat_id, f"slot {slot:%H:%M}")
        return None


@pytest.fixture
async def group(rete):
    rete.telegram.set_admins(GROUP["id"], ADMIN)
    await rete.send(f.my_chat_member(GROUP, ADMIN, rete.telegram.bot_user, "left", "member"))
    await rete.backdate(GROUP["id"])  # the tests' slots are before today
    rete.telegram.clear_calls()
    return GROUP


def use(rete, recorder: Recorder) -> None:
    assert rete.app is not None
    rete.app.bot_data[scheduling.JOBS_KEY] = [recorder.job]


async def test_a_due_slot_runs_once_even_across_a_restart(rete, group):
    recorder = Recorder()
    use(rete, recorder)
    await rete.tick(SLOT - timedelta(seconds=1))
    assert recorder.calls == [], "nothing before the slot"
    await rete.tick(SLOT + timedelta(seconds=30))
    await rete.tick(SLOT + timedelta(seconds=90))
    assert recorder.calls == [(GROUP["id"], SLOT)]
    assert rete.texts(GROUP["id"]) == ["slot 08:00"]
    await rete.restart()
    use(rete, recorder)
    await rete.tick(SLOT + timedelta(minutes=5))
    assert len(recorder.calls) == 1, "a restart inside the slot must not run it again"
    run = await rete.db.schedule.get(GROUP["id"], "test", "2026-11-23T09:00")
    assert run is not None
    assert run.state == "done"


async def test_a_slot_missed_longer_than_grace_is_skipped_and_recorded(rete, group, caplog):
    recorder = Recorder()
    use(rete, recorder)
    caplog.set_level("INFO", logger="handlers.scheduling")
    await rete.tick(SLOT + timedelta(hours=2))
    assert recorder.calls == []
    assert rete.texts(GROUP["id"]) == []
    run = await rete.db.schedule.get(GROUP["id"], "test", "2026-11-23T09:00")
    assert run is not None
    assert run.state == "skipped"
    assert "Skipped test" in caplog.text


async def test_a_slot_missed_within_grace_runs_on_return(rete, group):
    recorder = Recorder()
    use(rete, recorder)
    await rete.tick(SLOT + timedelta(minutes=50))
    assert recorder.calls == [(GROUP["id"], SLOT)]


async def test_a_held_run_is_retried_at_its_time_even_after_a_restart(rete, group):
    recorder = Recorder(hold=1)
    use(rete, recorder)
    await rete.tick(SLOT)
    assert len(recorder.calls) == 1
    assert rete.texts(GROUP["id"]) == []
    held = await rete.db.schedule.get(GROUP["id"], "test", "2026-11-23T09:00")
    assert held is not None
    assert held.state == "held"
    assert held.retry_at == SLOT + timedelta(minutes=15)
    await rete.tick(SLOT + timedelta(minutes=14))
    assert len(recorder.calls) == 1, "not before the retry time"
    await rete.restart()
    use(rete, recorder)
    await rete.tick(SLOT + timedelta(minutes=15))
    assert recorder.calls == [(GROUP["id"], SLOT), (GROUP["id"], SLOT)]
    assert rete.texts(GROUP["id"]) == ["slot 08:00"]
    await rete.tick(SLOT + timedelta(minutes=30))
    assert len(recorder.calls) == 2


async def test_inactive_groups_and_private_chats_are_not_scheduled(rete, group):
    recorder = Recorder()
    use(rete, recorder)
    await rete.send(f.my_chat_member(GROUP, ADMIN, rete.telegram.bot_user, "member", "left"))
    await rete.send(f.command(f.private_chat(MEMBER), MEMBER, "/start"))
    await rete.tick(SLOT)
    assert recorder.calls == []


async def test_a_failing_run_is_logged_and_not_repeated(rete, group, caplog):
    calls = []

    async def broken(context, chat_id, slot):
        calls.append(slot)
        raise RuntimeError("boom")

    job = scheduling.ScheduledJob("broken", lambda prefs: MONDAY_NINE, timedelta(hours=1), broken)
    rete.app.bot_data[scheduling.JOBS_KEY] = [job]
    await rete.tick(SLOT)
    await rete.tick(SLOT + timedelta(minutes=1))
    assert len(calls) == 1
    assert "broken failed in chat" in caplog.text
    run = await rete.db.schedule.get(GROUP["id"], "broken", "2026-11-23T09:00")
    assert run is not None
    assert run.state == "failed"


@pytest.mark.parametrize("resumable", [True, False])
async def test_a_run_interrupted_by_a_crash_is_resumed_only_if_resumable(rete, group, resumable):
    # A process claimed the slot and died before finishing it.
    assert await rete.db.schedule.claim(GROUP["id"], "test", "2026-11-23T09:00", SLOT)
    await rete.restart()
    recorder = Recorder(resumable=resumable)
    use(rete, recorder)
    await rete.tick(SLOT + timedelta(minutes=2))
    assert recorder.calls == ([(GROUP["id"], SLOT)] if resumable else [])
    run = await rete.db.schedule.get(GROUP["id"], "test", "2026-11-23T09:00")
    assert run is not None
    assert run.state == ("done" if resumable else "failed")


async def test_upcoming_is_in_the_groups_zone(rete, group):
    recorder = Recorder()
    prefs = effective({"timezone": "America/New_York"}, rete.settings)
    nxt = scheduling.upcoming(recorder.job, prefs, SLOT)
    assert nxt == datetime(2026, 11, 23, 14, 0, tzinfo=UTC)


async def test_admins_are_told_in_dm_even_after_the_bot_was_removed(rete, group):
    # The admin opened the private chat; the member is an admin who only wrote in the group.
    rete.telegram.set_admins(GROUP["id"], ADMIN, MEMBER)
    await rete.send(f.command(f.private_chat(ADMIN), ADMIN, "/start"))
    await rete.send(f.message_update(f.message(GROUP, MEMBER, "hello")))
    await rete.send(f.command(GROUP, ADMIN, "/settings"))  # Rete asks Telegram who the admins are
    assert await rete.db.admins.of(GROUP["id"]) == [ADMIN["id"], MEMBER["id"]]
    await rete.send(f.my_chat_member(GROUP, ADMIN, rete.telegram.bot_user, "member", "kicked"))
    await rete.restart()
    rete.telegram.clear_calls()
    context = ReteContext(rete.app)
    told = await scheduling.notify_admins(
        context, GROUP["id"], "settings-bad-time", value="<b>Makers</b>"
    )
    assert told == 1
    assert rete.telegram.sent(MEMBER["id"]) == []
    assert "<b>Makers</b>" in rete.last_text(ADMIN["id"])


async def test_admins_are_remembered_only_once_they_act_and_not_after_deleting(rete, group):
    stranger = f.user(301, "Silvia", username="silvia", language_code="it")
    rete.telegram.set_admins(GROUP["id"], ADMIN, stranger)
    await rete.send(f.command(GROUP, ADMIN, "/settings"))
    # Telegram lists Silvia as an admin, but she never did anything where Rete is.
    assert await rete.db.admins.of(GROUP["id"]) == [ADMIN["id"]]
    assert await rete.db.members.get(stranger["id"]) is None

    await rete.send(f.command(f.private_chat(stranger), stranger, "/start"))
    rete.clock.set(rete.now() + timedelta(seconds=rete.settings.admin_cache_seconds + 1))
    await rete.send(f.command(GROUP, ADMIN, "/settings"))
    assert await rete.db.admins.of(GROUP["id"]) == [ADMIN["id"], stranger["id"]]

    # She deletes her data: still an admin for Telegram, but Rete does not record her again...
    assert await rete.db.members.delete(stranger["id"])
    rete.clock.set(rete.now() + timedelta(seconds=rete.settings.admin_cache_seconds + 1))
    await rete.send(f.command(GROUP, ADMIN, "/settings"))
    assert await rete.db.admins.of(GROUP["id"]) == [ADMIN["id"]]
    assert await rete.db.members.get(stranger["id"]) is None
    # ...and Rete's notices still reach the admins it knows.
    context = ReteContext(rete.app)
    rete.telegram.started_users.add(ADMIN["id"])
    await rete.send(f.command(f.private_chat(ADMIN), ADMIN, "/start"))
    assert (
        await scheduling.notify_admins(context, GROUP["id"], "settings-bad-time", value="x") == 1
    )

    # ...until she acts again herself.
    await rete.send(f.message_update(f.message(GROUP, stranger, "eccomi")))
    rete.clock.set(rete.now() + timedelta(seconds=rete.settings.admin_cache_seconds + 1))
    await rete.send(f.command(GROUP, ADMIN, "/settings"))
    assert await rete.db.admins.of(GROUP["id"]) == [ADMIN["id"], stranger["id"]]


async def test_scheduled_runs_and_admins_move_with_a_migrated_group(database):
    store = await open_store(database)
    try:
        await store.chats.seen(ChatInfo(-5, "group", "Old"))
        await store.members.seen(MemberInfo(1, "Ada"))
        await store.admins.remember(-5, [MemberInfo(1, "Ada")])
        assert await store.schedule.claim(-5, "recap", "2026-11-23T09:00", SLOT)
        assert await store.chats.migrate(-5, -1005)
        assert not await store.schedule.claim(-1005, "recap", "2026-11-23T09:00", SLOT)
        assert await store.admins.of(-1005) == [1]
        assert await store.schedule.get(-5, "recap", "2026-11-23T09:00") is None
    finally:
        await store.close()


async def test_a_slot_from_before_rete_joined_the_group_never_runs(rete, group):
    recorder = Recorder()
    use(rete, recorder)
    # Rete joined ten minutes after Monday's slot: that slot was not missed, it never was.
    await rete.backdate(GROUP["id"], (SLOT + timedelta(minutes=10)).isoformat())
    await rete.tick(SLOT + timedelta(minutes=30))
    assert recorder.calls == []
    assert await rete.db.schedule.get(GROUP["id"], "test", "2026-11-23T09:00") is None
    next_monday = SLOT + timedelta(weeks=1)
    await rete.tick(next_monday)
    assert recorder.calls == [(GROUP["id"], next_monday)]


# ---- at most once per day (or week), whatever the settings do -------------------------------


class Movable(Recorder):
    """A Recorder whose slot time the test moves, as an admin changing the time would."""

    def __init__(self, at: time, *, once_per: str = "day") -> None:
        super().__init__()
        self.at = at
        self.job = scheduling.ScheduledJob(
            name="test",
            schedule=lambda prefs: Weekly(frozenset({0}), self.at),
            grace=timedelta(hours=1),
            run=self.run,
            once_per=once_per,  # type: ignore[arg-type]
        )


async def test_a_slot_moved_later_the_same_day_does_not_run_again(rete, group):
    movable = Movable(time(9, 0))
    use(rete, movable)
    await rete.tick(SLOT + timedelta(minutes=1))
    assert movable.calls == [(GROUP["id"], SLOT)]
    movable.at = time(18, 0)
    await rete.tick(SLOT + timedelta(hours=9, minutes=1))
    assert len(movable.calls) == 1, "one run a day, whatever the settings do"
    await rete.restart()  # the claim is in the database, not in the process
    use(rete, movable)
    await rete.tick(SLOT + timedelta(hours=9, minutes=2))
    assert len(movable.calls) == 1
    next_week = SLOT + timedelta(weeks=1, hours=9)
    await rete.tick(next_week + timedelta(minutes=1))
    assert movable.calls[1:] == [(GROUP["id"], next_week)]


async def test_a_slot_skipped_while_offline_leaves_the_day_free(rete, group):
    movable = Movable(time(9, 0))
    use(rete, movable)
    await rete.tick(SLOT + timedelta(hours=2))  # back after the grace: 09:00 is skipped
    assert movable.calls == []
    movable.at = time(12, 0)  # the admins move today's run to noon
    await rete.tick(SLOT + timedelta(hours=3, minutes=1))
    assert movable.calls == [(GROUP["id"], SLOT + timedelta(hours=3))]


INTROS_GROUP = f.group(-1017, "Walkers")
ALBA = f.user(411, "Alba", username="alba", language_code="en")
BRUNA = f.user(412, "Bruna", username="bruna", language_code="en")


async def weekly_introductions(rete) -> None:
    """A group with introductions every Wednesday at 18:30 (Rome), and two who joined."""
    rete.telegram.set_admins(INTROS_GROUP["id"], ADMIN)
    await rete.send(
        f.my_chat_member(INTROS_GROUP, ADMIN, rete.telegram.bot_user, "left", "member")
    )
    for text in ("intros on", "introsevery weekly", "introsday wednesday", "introstime 18:30"):
        await rete.send(f.command(INTROS_GROUP, ADMIN, f"/settings {text}"))
    for person in (ALBA, BRUNA):
        await rete.send(f.message_update(f.message(INTROS_GROUP, person, "ciao")))
        await rete.send(f.command(f.private_chat(person), person, "/start"))
        await rete.send(f.callback_query(person, f"in:j:{INTROS_GROUP['id']}"))
        await rete.send(f.command(f.private_chat(person), person, "/interests kayak"))


async def intro_rounds(rete) -> int:
    rows = await rete.db.fetchall("SELECT count(*) FROM intro_rounds")
    return next(iter(rows))[0]


async def test_changing_introstime_on_the_day_of_a_round_runs_no_second_round(rete):
    # The tests' clock starts on Wednesday 2 December 2026 (Rome); rounds every Wednesday.
    await weekly_introductions(rete)

    await rete.tick(datetime(2026, 12, 2, 17, 31, tzinfo=UTC))  # 18:31 in Rome
    assert await intro_rounds(rete) == 1
    assert any("meeting Bruna" in text for text in rete.texts(ALBA["id"]))
    rete.clock.set(datetime(2026, 12, 2, 18, 0, tzinfo=UTC))
    await rete.send(f.command(INTROS_GROUP, ADMIN, "/settings introstime 20:00"))
    await rete.tick(datetime(2026, 12, 2, 19, 1, tzinfo=UTC))  # 20:01 in Rome
    assert await intro_rounds(rete) == 1, "no second round the same day"
    await rete.tick(datetime(2026, 12, 9, 19, 1, tzinfo=UTC))  # next Wednesday, 20:01
    assert await intro_rounds(rete) == 2


async def test_moving_the_round_to_later_in_the_week_runs_no_second_round(rete):
    await weekly_introductions(rete)
    await rete.tick(datetime(2026, 12, 2, 17, 31, tzinfo=UTC))
    await rete.send(f.command(INTROS_GROUP, ADMIN, "/settings introsday friday"))
    await rete.tick(datetime(2026, 12, 4, 17, 31, tzinfo=UTC))  # Friday, same ISO week
    assert await intro_rounds(rete) == 1, "introductions run once a week at most"


async def test_introductions_switched_on_after_the_slot_still_run_it(rete):
    await weekly_introductions(rete)
    await rete.send(f.command(INTROS_GROUP, ADMIN, "/settings intros off"))
    await rete.tick(datetime(2026, 12, 2, 17, 31, tzinfo=UTC))
    assert await intro_rounds(rete) == 0
    rete.clock.set(datetime(2026, 12, 2, 18, 0, tzinfo=UTC))  # 19:00 in Rome
    await rete.send(f.command(INTROS_GROUP, ADMIN, "/settings intros on"))
    await rete.tick(datetime(2026, 12, 2, 18, 1, tzinfo=UTC))
    assert await intro_rounds(rete) == 1, "Rete was in the group at 18:30: the slot runs"
