"""Attacks on ties, /network, keep-in-touch reminders, Introduce to… and the monthly note.

Written from outside the feature (issue #13): forged and foreign buttons, privacy between
three members, DMs without consent, time (DST, month ends, restarts, concurrent sweeps)
and hostile input, all through the real bot and the fake Bot API. Every test here either
reproduced a hole (fixed in the commit that added it) or is a cheap probe kept as a
regression test.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from handlers.network import reminders
from tests import factories as f
from tests.conftest import ADMIN
from tests.test_e2e_network import (
    ALBA,
    CESARE,
    DORA,
    EVE,
    GROUP,
    MALLORY,
    OTHER_GROUP,
    alerts,
    at_ten,
    buttons,
    edits,
    last_dm,
    network,
    press,
    private,
    said,
    table,
    thank,
)

ROME = ZoneInfo("Europe/Rome")
REFUSED = ("someone else's network", "not in your network", "no longer", "any more")


@pytest.fixture
async def group(rete):
    rete.telegram.set_admins(GROUP["id"], ADMIN)
    await rete.send(f.my_chat_member(GROUP, ADMIN, rete.telegram.bot_user, "left", "member"))
    await rete.send(f.command(GROUP, ADMIN, "/settings language en"))
    await rete.backdate(GROUP["id"])
    return GROUP


async def join_other_group(rete):
    rete.telegram.set_admins(OTHER_GROUP["id"], ADMIN)
    await rete.send(f.my_chat_member(OTHER_GROUP, ADMIN, rete.telegram.bot_user, "left", "member"))
    await rete.send(f.command(OTHER_GROUP, ADMIN, "/settings language en"))
    await rete.backdate(OTHER_GROUP["id"])


async def nothing_stored(rete):
    for name in ("tie_reminders", "tie_talks", "network_notes", "tie_reminder_days"):
        assert await table(rete, f"SELECT * FROM {name}") == [], name


# ---- forged nw: data ---------------------------------------------------------------------------


async def test_forged_numbers_and_shapes_are_refused_without_an_error(rete, group, caplog):
    await thank(rete, ALBA, CESARE)
    await thank(rete, DORA, EVE)  # a pair Alba is not in
    dm = await network(rete, ALBA)
    c, g = CESARE["id"], GROUP["id"]
    huge = "9" * 18
    for data in (
        f"nw:t:{huge}:{g}:0",
        f"nw:t:{c}:{huge}:0",
        f"nw:t:{c}:-{huge}:0",
        f"nw:t:{'9' * 19}:{g}:0",
        f"nw:t:{c}:{g}:²",
        f"nw:t:{c}:{g}",
        f"nw:t:{c}:{g}:0:0",
        f"nw:t:{c}::0",
        f"nw:t:{c}:{g}: 0",
        f"nw:t:{c}:{g}:٣",
        f"nw:t:{EVE['id']}:{g}:0",
        f"nw:w:{EVE['id']}:{g}",
        f"nw:w:{DORA['id']}:{g}",
        f"nw:r:{c}:{g}:2",
        f"nw:r:{c}:{g}:0",
        f"nw:r:{c}:{g}:-1",
        f"nw:r:{c}:{g}:{huge}",
        f"nw:r:{c}:{OTHER_GROUP['id']}:1",
        f"nw:r:{ALBA['id']}:{g}:1",
        f"nw:w:{ALBA['id']}:{g}",
        f"nw:i:{ALBA['id']}:{g}",
        f"nw:j:{c}:{g}:{c}",
        f"nw:j:{c}:{g}:{EVE['id']}",
        f"nw:j:{c}:{g}:{ALBA['id']}",
        f"nw:l:{EVE['id']}",
        f"nw:s:{huge}",
        "nw:n:-1:0",
        "nw:n:2:0",
        "nw:x:1",
        "nw:",
        "nw:p:",
        "nw:p:-1:",
    ):
        count = len(alerts(rete))
        await press(rete, ALBA, dm, data)
        answers = alerts(rete)
        assert len(answers) == count + 1, data
        assert any(r in (answers[-1] or "") for r in REFUSED), (data, answers[-1])
    await nothing_stored(rete)
    assert await table(rete, "SELECT count(*) FROM intros") == [(0,)]
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")]


async def test_pages_far_out_of_range_show_the_closest(rete, group):
    await thank(rete, ALBA, CESARE)
    dm = await network(rete, ALBA)
    for data in ("nw:p:-1", "nw:p:-999999999999999999", "nw:p:999999999999999999", "nw:p:1"):
        await press(rete, ALBA, dm, data)
        assert "That page no longer exists" in alerts(rete)[-1], data
        assert "Page 1 of 1" in edits(rete)[-1].result["text"]
    # A tie's card with a far page: its Back button stays within Telegram's 64 bytes.
    await press(rete, ALBA, dm, f"nw:t:{CESARE['id']}:{GROUP['id']}:999999999999999999")
    card = edits(rete)[-1]
    assert card.result["text"].startswith("Cesare in")
    await press(rete, ALBA, card, buttons(card)["◀ Back"])
    assert "Page 1 of 1" in edits(rete)[-1].result["text"]
    # The note's button with a far page too.
    await press(rete, ALBA, dm, "nw:n:1:999999999999999999")
    assert "Page 1 of 1" in edits(rete)[-1].result["text"]


async def test_a_button_under_a_group_message_is_refused(rete, group):
    await thank(rete, ALBA, CESARE)
    await rete.send(f.command(GROUP, ALBA, "/network"))
    in_group = rete.telegram.sent(GROUP["id"])[-1]
    for data in (f"nw:r:{CESARE['id']}:{GROUP['id']}:1", "nw:n:1:0", "nw:p:0"):
        await press(rete, ALBA, in_group, data)
        assert "someone else's network" in alerts(rete)[-1], data
    await nothing_stored(rete)


async def test_a_reminder_dm_copied_to_cesare_does_not_touch_albas_reminder(rete, group):
    await thank(rete, ALBA, CESARE)
    await thank(rete, CESARE, DORA)
    dm = await network(rete, ALBA)
    await press(rete, ALBA, dm, f"nw:r:{DORA['id']}:{GROUP['id']}:1")
    # Alba has no tie with Dora: refused. She sets one about Cesare instead.
    assert "not in your network" in alerts(rete)[-1]
    await press(rete, ALBA, dm, f"nw:r:{CESARE['id']}:{GROUP['id']}:1")
    await rete.tick(at_ten(rete.now() + timedelta(days=31)))
    reminder = last_dm(rete, ALBA)
    assert "Cesare" in reminder.result["text"]
    before = await table(rete, "SELECT * FROM tie_reminders")
    # Cesare presses the buttons of Alba's reminder (forwarded), and in his own chat.
    mine = await network(rete, CESARE)
    for data in buttons(reminder).values():
        await press(rete, CESARE, reminder, data)
        assert "rete di qualcun altro" in alerts(rete)[-1]
        await press(rete, CESARE, mine, data.replace(str(CESARE["id"]), str(ALBA["id"])))
    assert await table(rete, "SELECT * FROM tie_reminders") == before
    # In his own chat, the same data names his own tie with Alba: only his own log changes.
    assert await table(rete, "SELECT member_id, other_id FROM tie_talks") == [
        (CESARE["id"], ALBA["id"])
    ]


async def test_pressing_twice_at_once_stores_one_reminder_and_one_talk(rete, group):
    await thank(rete, ALBA, CESARE)
    dm = await network(rete, ALBA)
    r = f"nw:r:{CESARE['id']}:{GROUP['id']}:1"
    w = f"nw:w:{CESARE['id']}:{GROUP['id']}"
    await rete.send_together(*(f.callback_query(ALBA, d, dm.result) for d in (r, r, w, w)))
    assert await table(rete, "SELECT count(*) FROM tie_reminders") == [(1,)]
    assert await table(rete, "SELECT count(*) FROM tie_talks") == [(1,)]


async def test_buttons_after_the_other_left_was_banned_hid_or_deleted(rete, group):
    await thank(rete, ALBA, CESARE)
    await thank(rete, ALBA, DORA)
    await thank(rete, ALBA, EVE)
    await thank(rete, ALBA, MALLORY)
    dm = await network(rete, ALBA)
    g = GROUP["id"]
    rete.telegram.set_member(g, CESARE, "left")
    await rete.send(f.chat_member(GROUP, CESARE, CESARE, "member", "left"))
    rete.telegram.set_member(g, DORA, "kicked")
    await rete.send(f.chat_member(GROUP, ADMIN, DORA, "member", "kicked"))
    await rete.db.members.set_hidden(EVE["id"], True)
    # Her own history: the card and "we talked" still work for each of them.
    for other in (CESARE, DORA, EVE):
        await press(rete, ALBA, dm, f"nw:t:{other['id']}:{g}:0")
        assert edits(rete)[-1].result["text"].startswith(other["first_name"])
    # Deleted: gone, refused, nothing stored.
    assert await rete.db.members.delete(MALLORY["id"])
    for data in (f"nw:t:{MALLORY['id']}:{g}:0", f"nw:r:{MALLORY['id']}:{g}:1"):
        await press(rete, ALBA, dm, data)
        assert "not in your network" in alerts(rete)[-1]
    assert await table(rete, "SELECT * FROM tie_reminders") == []


# ---- time: one reminder a day, whatever runs at once ----------------------------------------


async def remind(rete, member, other, chat, months=1):
    """``member`` sets a reminder for ``other`` from their /network (a tie's card)."""
    dm = await network(rete, member)
    await press(rete, member, dm, f"nw:r:{other['id']}:{chat['id']}:{months}")
    assert "I'll remind you" in alerts(rete)[-1]


def reminder_dms(rete, user, since=0):
    return [
        c
        for c in rete.telegram.sent(user["id"])[since:]
        if "since you were in touch" in c.result["text"]
    ]


async def test_two_groups_sweeping_at_the_same_minute_send_one_reminder(rete, group):
    await join_other_group(rete)
    await thank(rete, ALBA, CESARE)
    await thank(rete, ALBA, DORA, chat=OTHER_GROUP)
    await remind(rete, ALBA, CESARE, GROUP)
    await remind(rete, ALBA, DORA, OTHER_GROUP)
    before = len(rete.telegram.sent(ALBA["id"]))
    # Both groups' sweeps are due at 10:00 in Rome: one tick runs them together.
    await rete.tick(at_ten(rete.now() + timedelta(days=31)))
    assert len(reminder_dms(rete, ALBA, before)) == 1
    assert await table(rete, "SELECT count(*) FROM tie_reminder_days") == [(1,)]
    # The other one goes out the next day.
    await rete.tick(at_ten(rete.now() + timedelta(days=1)))
    assert len(reminder_dms(rete, ALBA, before)) == 2


async def test_the_same_sweep_twice_at_once_sends_once(rete, group):
    await thank(rete, ALBA, CESARE)
    await remind(rete, ALBA, CESARE, GROUP)
    sent: list[int] = []

    async def send(item):
        sent.append(item.reminder.member_id)
        return True

    import asyncio

    now = rete.now() + timedelta(days=31)
    results = await asyncio.gather(
        *(reminders.sweep_group(rete.db, GROUP["id"], now, "2027-01-02", send) for _ in range(2))
    )
    assert sent == [ALBA["id"]], results


async def test_two_instances_settling_the_same_members_day_claim_it_once(postgres_schemas):
    """Two `rete run` on one PostgreSQL (a leadership handover): one DM per member and day.

    Each instance sweeps a different group in which Ada has a due reminder; both settle at
    the same moment. Only one may be told to send.
    """
    import asyncio

    from storage import ChatInfo, MemberInfo, open_store

    url = await postgres_schemas.new()
    first, second = await open_store(url), await open_store(url)
    try:
        ada, bob, cy = MemberInfo(1, "Ada"), MemberInfo(2, "Bob"), MemberInfo(3, "Cy")
        chats = ChatInfo(-100, "supergroup", "Makers"), ChatInfo(-200, "supergroup", "Riders")
        for chat in chats:
            await first.chats.seen(chat)
        for person in (ada, bob, cy):
            await first.members.seen(person)
        at = datetime(2027, 1, 2, 9, 1, tzinfo=ROME)
        for chat, other in zip(chats, (bob, cy), strict=True):
            await first.ties.set_reminder(ada.id, other.id, chat.id, 30, at, at)
        reminders_of = [await first.ties.reminder(ada.id, o.id) for o in (bob, cy)]
        for _ in range(5):
            async with first.transaction() as conn:
                await conn.execute("DELETE FROM tie_reminder_days")
            claimed = await asyncio.gather(
                first.ties.settle([], [reminders_of[0]], "2027-01-02", at),
                second.ties.settle([], [reminders_of[1]], "2027-01-02", at),
            )
            assert sum(len(c) for c in claimed) == 1, claimed
    finally:
        await first.close()
        await second.close()


# ---- Introduce to… -----------------------------------------------------------------------------


async def ties_of_alba(rete, *others):
    for other in others:
        await thank(rete, ALBA, other)
        await rete.send(f.command(private(other), other, "/start"))


async def test_introduce_to_is_limited_per_day_even_across_a_restart(rete, group):
    people = [f.user(900 + n, f"Q{n}", language_code="en") for n in range(5)]
    await ties_of_alba(rete, *people)
    dm = await network(rete, ALBA)
    pairs = [(people[0], people[n]) for n in range(1, 5)]
    for first, second in pairs[:2]:
        await press(rete, ALBA, dm, f"nw:j:{first['id']}:{GROUP['id']}:{second['id']}")
        assert "I asked both" in alerts(rete)[-1]
    await rete.restart()
    for first, second in pairs[2:]:
        await press(rete, ALBA, dm, f"nw:j:{first['id']}:{GROUP['id']}:{second['id']}")
    assert "I asked both" in alerts(rete)[-2]
    assert "asked both" not in alerts(rete)[-1]
    assert await table(rete, "SELECT count(*) FROM intros") == [(3,)]
    # A day later she may again.
    rete.clock.set(rete.now() + timedelta(days=1, minutes=1))
    first, second = pairs[3]
    await press(rete, ALBA, dm, f"nw:j:{first['id']}:{GROUP['id']}:{second['id']}")
    assert "I asked both" in alerts(rete)[-1]


async def test_introduce_to_pressed_twice_at_once_asks_each_once(rete, group):
    await ties_of_alba(rete, CESARE, DORA)
    dm = await network(rete, ALBA)
    data = f"nw:j:{CESARE['id']}:{GROUP['id']}:{DORA['id']}"
    before = {u["id"]: len(rete.telegram.sent(u["id"])) for u in (CESARE, DORA)}
    await rete.send_together(*(f.callback_query(ALBA, data, dm.result) for _ in range(2)))
    await press(rete, ALBA, dm, data)  # and once more, later
    assert await table(rete, "SELECT count(*) FROM intros") == [(1,)]
    for user in (CESARE, DORA):
        assert len(rete.telegram.sent(user["id"])) == before[user["id"]] + 1


async def test_introduce_to_never_names_a_hidden_member_to_someone_else(rete, group):
    await ties_of_alba(rete, CESARE, DORA)
    await rete.db.members.set_hidden(DORA["id"], True)
    dm = await network(rete, ALBA)
    # Her own tie with Dora still shows to her.
    assert "Dora" in dm.result["text"]
    await press(rete, ALBA, dm, f"nw:i:{CESARE['id']}:{GROUP['id']}")
    assert edits(rete) == []  # Dora is not offered: nobody else to offer
    assert "no other tie in this group" in alerts(rete)[-1]
    await press(rete, ALBA, dm, f"nw:i:{DORA['id']}:{GROUP['id']}")
    assert "I can't introduce these two" in alerts(rete)[-1]
    before = len(rete.telegram.sent(CESARE["id"]))
    for data in (
        f"nw:j:{CESARE['id']}:{GROUP['id']}:{DORA['id']}",
        f"nw:j:{DORA['id']}:{GROUP['id']}:{CESARE['id']}",
    ):
        await press(rete, ALBA, dm, data)
    assert all("Dora" not in c.result["text"] for c in rete.telegram.sent(CESARE["id"])[before:])
    assert await table(rete, "SELECT count(*) FROM intros") == [(0,)]


async def test_introduce_to_someone_who_left_or_is_not_a_tie_changes_nothing(rete, group):
    await ties_of_alba(rete, CESARE, DORA)
    await said(rete, EVE, "hi")
    rete.telegram.set_member(GROUP["id"], DORA, "left")
    dm = await network(rete, ALBA)
    await press(rete, ALBA, dm, f"nw:j:{CESARE['id']}:{GROUP['id']}:{DORA['id']}")
    assert "no longer in the group" in alerts(rete)[-1]
    await press(rete, ALBA, dm, f"nw:j:{CESARE['id']}:{GROUP['id']}:{EVE['id']}")
    assert "not in your network" in alerts(rete)[-1]
    # Alba herself left: refused too.
    rete.telegram.set_member(GROUP["id"], DORA, "member")
    rete.telegram.set_member(GROUP["id"], ALBA, "left")
    await press(rete, ALBA, dm, f"nw:j:{CESARE['id']}:{GROUP['id']}:{DORA['id']}")
    assert "asked both" not in alerts(rete)[-1]
    assert await table(rete, "SELECT count(*) FROM intros") == [(0,)]
    assert len(rete.telegram.sent(DORA["id"])) == 1  # only /start's answer


# ---- DMs without consent, and one member's failure --------------------------------------------


def attempts(rete, user):
    """Every sendMessage Rete tried towards ``user``, delivered or refused."""
    return [
        c
        for c in rete.telegram.calls_to("sendMessage")
        if c.params.get("chat_id") in (user["id"], str(user["id"]))
    ]


async def test_a_member_who_blocked_rete_is_tried_once_then_left_alone(rete, group):
    await thank(rete, ALBA, CESARE)
    await remind(rete, ALBA, CESARE, GROUP)
    rete.telegram.blocked_users.add(ALBA["id"])
    before = len(attempts(rete, ALBA))
    await rete.tick(at_ten(rete.now() + timedelta(days=31)))
    assert len(attempts(rete, ALBA)) == before + 1  # the 403
    assert not (await rete.db.members.get(ALBA["id"])).dm_reachable
    for _ in range(2, 70):
        await rete.tick(at_ten(rete.now() + timedelta(days=1)))
    assert len(attempts(rete, ALBA)) == before + 1


async def test_after_stop_reminding_no_reminder_ever_comes(rete, group):
    await thank(rete, ALBA, CESARE)
    await remind(rete, ALBA, CESARE, GROUP)
    await rete.tick(at_ten(rete.now() + timedelta(days=31)))
    reminder = last_dm(rete, ALBA)
    await press(rete, ALBA, reminder, buttons(reminder)["🔕 Stop reminding"])
    before = len(rete.telegram.sent(ALBA["id"]))
    for _ in range(40):
        await rete.tick(at_ten(rete.now() + timedelta(days=5)))
    # Even a thanks (which would reset a reminder) brings nothing back.
    await thank(rete, CESARE, ALBA)
    await rete.tick(at_ten(rete.now() + timedelta(days=200)))
    assert len(reminder_dms(rete, ALBA, before)) == 0
    # The old DM's buttons: nothing to move, said so.
    await press(rete, ALBA, reminder, buttons(reminder)["⏰ Remind me later"])
    assert "no reminder" in alerts(rete)[-1]
    assert await table(rete, "SELECT * FROM tie_reminders") == []


async def test_one_members_failed_dm_does_not_lose_the_others_reminders(rete, group):
    await thank(rete, ALBA, CESARE)
    await thank(rete, DORA, CESARE)
    await remind(rete, ALBA, CESARE, GROUP)
    await remind(rete, DORA, CESARE, GROUP)
    # Telegram answers Alba's reminder with an error that is not a 403.
    rete.telegram.fail(
        "sendMessage",
        description="Bad Request: chat not found",
        when=lambda p: str(p.get("chat_id")) == str(ALBA["id"]),
    )
    before = len(rete.telegram.sent(DORA["id"]))
    await rete.tick(at_ten(rete.now() + timedelta(days=31)))
    assert len(reminder_dms(rete, DORA, before)) == 1


async def test_the_other_deleting_their_data_does_not_free_the_members_day(rete, group):
    """Alba's day is claimed by a reminder about Cesare; Cesare deleting his data that
    afternoon must not let a second group's later sweep remind her again that day."""
    await join_other_group(rete)
    await rete.send(f.command(OTHER_GROUP, ADMIN, "/settings timezone America/New_York"))
    await thank(rete, ALBA, CESARE)
    await thank(rete, ALBA, DORA, chat=OTHER_GROUP)
    await remind(rete, ALBA, CESARE, GROUP)
    await remind(rete, ALBA, DORA, OTHER_GROUP)
    before = len(rete.telegram.sent(ALBA["id"]))
    morning = at_ten(rete.now() + timedelta(days=31))
    await rete.tick(morning)  # 10:01 in Rome: Makers' sweep
    assert len(reminder_dms(rete, ALBA, before)) == 1
    assert await rete.db.members.delete(CESARE["id"])
    # 10:01 in New York, the same date there: Cyclists' sweep.
    await rete.tick(morning + timedelta(hours=6))
    assert len(reminder_dms(rete, ALBA, before)) == 1
    # Her export still says a reminder went out that day, naming nobody gone.
    export = await rete.db.members.export(ALBA["id"])
    assert [r["day"] for r in export["tie_reminder_days"]] == [morning.date().isoformat()]
    assert CESARE["id"] not in [r["other_id"] for r in export["tie_reminder_days"]]


# ---- time ------------------------------------------------------------------------------------


async def test_one_reminder_a_day_across_both_dst_changes_in_rome(rete, group):
    await thank(rete, ALBA, CESARE)
    await thank(rete, ALBA, DORA)
    await thank(rete, ALBA, EVE)
    await network(rete, ALBA)  # her private chat is open
    for change in (
        datetime(2027, 3, 28, 12, tzinfo=ROME),
        datetime(2027, 10, 31, 12, tzinfo=ROME),
    ):
        for other in (CESARE, DORA, EVE):
            due = change - timedelta(days=2)
            await rete.db.ties.set_reminder(ALBA["id"], other["id"], GROUP["id"], 180, due, due)
        before = len(rete.telegram.sent(ALBA["id"]))
        for days in (-1, 0, 1):
            day = change + timedelta(days=days)
            await rete.tick(at_ten(day))
            await rete.tick(at_ten(day) + timedelta(hours=1))  # the tick after the DST hour
            sent = reminder_dms(rete, ALBA, before)
            assert len(sent) == days + 2, (change, days)
            local = datetime.fromtimestamp(sent[-1].result["date"], ROME)
            assert (local.hour, local.date()) == (10, day.date())


async def test_the_monthly_note_counts_by_the_groups_month_end(rete, group):
    await said(rete, ALBA, "hello")
    dm = await network(rete, ALBA)
    await press(rete, ALBA, dm, "nw:n:1:0")
    # 23:30 in Rome on 31 January is 22:30 UTC: still January for the group.
    rete.clock.set(datetime(2027, 1, 31, 23, 30, tzinfo=ROME))
    await thank(rete, ALBA, DORA)
    rete.clock.set(datetime(2027, 2, 1, 0, 30, tzinfo=ROME))
    await thank(rete, ALBA, EVE)
    await rete.tick(datetime(2027, 2, 1, 9, 1, tzinfo=ROME))
    january = last_dm(rete, ALBA).result["text"]
    assert january.startswith("🗓 Your network in January 2027")
    assert "Helped you: Dora" in january
    assert "Eve" not in january
    await rete.tick(datetime(2027, 3, 1, 9, 1, tzinfo=ROME))
    february = last_dm(rete, ALBA).result["text"]
    assert february.startswith("🗓 Your network in February 2027")
    assert "Helped you: Eve" in february
    assert "Dora" not in february
    # Not on the 2nd, and never a second note for the same month.
    count = len(rete.telegram.sent(ALBA["id"]))
    await rete.tick(datetime(2027, 3, 2, 9, 1, tzinfo=ROME))
    await rete.restart()
    await rete.tick(datetime(2027, 3, 1, 9, 30, tzinfo=ROME))
    assert len(rete.telegram.sent(ALBA["id"])) == count


async def test_a_restart_between_the_claim_and_the_dm_never_sends_twice(rete, group):
    """The documented trade: a crash after the claim loses that reminder until it falls due
    again a period later; it is never sent twice."""
    await thank(rete, ALBA, CESARE)
    await remind(rete, ALBA, CESARE, GROUP)
    rete.telegram.fail(
        "sendMessage",
        error_code=502,
        description="Bad Gateway",
        when=lambda p: str(p.get("chat_id")) == str(ALBA["id"]),
    )
    before = len(rete.telegram.sent(ALBA["id"]))
    slot = at_ten(rete.now() + timedelta(days=31))
    await rete.tick(slot)
    await rete.restart()
    await rete.tick(slot + timedelta(minutes=10))
    await rete.tick(at_ten(slot + timedelta(days=1)))
    assert len(reminder_dms(rete, ALBA, before)) == 0
    await rete.tick(at_ten(slot + timedelta(days=30)))
    assert len(reminder_dms(rete, ALBA, before)) == 1


async def test_a_stranger_to_every_group_is_not_offered_a_note_that_crashes(rete, group, caplog):
    stranger = f.user(990, "Nobody", language_code="it")
    dm = await network(rete, stranger, "/contatti")
    assert "Non hai ancora legami" in dm.result["text"]
    assert not any(v.startswith("nw:n:") for v in buttons(dm).values())
    count = len(alerts(rete))
    await press(rete, stranger, dm, "nw:n:1:0")  # forged: the button is not there
    assert len(alerts(rete)) == count + 1
    assert "nessun gruppo" in alerts(rete)[-1]
    assert await table(rete, "SELECT * FROM network_notes") == []
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


# ---- hostile input -----------------------------------------------------------------------------


async def test_500_ties_and_the_worst_names_and_titles_fit_every_page(rete, group):
    """500 ties over 8 groups with 128-character titles, every name 2,000 characters of
    "<", RTL and zero-width marks, a connector's too, in Italian: every page fits."""
    from storage import ChatInfo, MemberInfo
    from storage.intro_records import NewIntro

    italian = f.user(5000, "Zoe", language_code="it")
    await said(rete, italian, "ciao")
    titles = ["&<" * 64 for _ in range(8)]
    chats = [ChatInfo(-3000 - n, "supergroup", title) for n, title in enumerate(titles)]
    for chat in chats:
        await rete.db.chats.seen(chat)
    nasty = "\u202e" + "<" * 2000 + "\u200b\u2067&"
    people = [MemberInfo(6000 + n, nasty, last_name="\u200f" * 50) for n in range(500)]
    for person in people:
        await rete.db.members.seen(person)
    now = rete.now()
    rows = []
    for n, person in enumerate(people):
        chat = chats[n % 8].id
        for k, (giver, receiver) in enumerate(
            ((italian["id"], person.id), (person.id, italian["id"]))
        ):
            rows.append(
                (
                    chat,
                    10_000 + 2 * n + k,
                    giver,
                    receiver,
                    now.date().isoformat(),
                    now.isoformat(),
                )
            )
    async with rete.db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO credits (chat_id, message_id, giver_id, receiver_id, by_command, "
            "counted, local_day, created_at) VALUES (?, ?, ?, ?, 1, 1, ?, ?)",
            rows,
        )
    store = rete.db.intros
    for n in range(8):  # a connector (nasty name too) on each group's first ties
        [intro] = await store.add_intros(
            chats[n].id,
            now,
            [NewIntro((italian["id"], people[n].id))],
            kind="manual",
            initiator_id=people[-1 - n].id,
        )
        for member in (italian["id"], people[n].id):
            assert await store.claim_dm(intro, member, now)
            await store.finish_dm(intro, member, "sent")
    dm = await network(rete, italian, "/contatti")
    assert "500 legami con 500 persone" in dm.result["text"]
    assert "Pagina 1 di 63" in dm.result["text"]
    pages = [dm]
    for page in (1, 31, 62):
        await press(rete, italian, dm, f"nw:p:{page}")
        pages.append(edits(rete)[-1])
    await press(rete, italian, dm, f"nw:t:{people[0].id}:{chats[0].id}:0")
    pages.append(edits(rete)[-1])
    await press(rete, italian, dm, f"nw:i:{people[0].id}:{chats[0].id}")
    pages.append(edits(rete)[-1])
    for view in pages:
        # The fake Bot API refuses a text over 4,096 characters or a button over 64 bytes.
        assert len(view.result["text"]) <= 4096
        assert view.error is None
    assert "Pagina 63 di 63" in pages[3].result["text"]


# ---- privacy between three -------------------------------------------------------------------


async def test_nothing_of_albas_choices_about_cesare_reaches_cesare_or_dora(rete, group):
    await thank(rete, ALBA, CESARE)
    await thank(rete, CESARE, DORA)
    dm = await network(rete, ALBA)
    for data in (
        f"nw:r:{CESARE['id']}:{GROUP['id']}:1",
        f"nw:w:{CESARE['id']}:{GROUP['id']}",
        f"nw:w:{CESARE['id']}:{GROUP['id']}",
    ):
        await press(rete, ALBA, dm, data)
    # Cesare's view of the same tie: the thanks only, no talk, no reminder.
    view = await network(rete, CESARE, "/contatti")
    await press(rete, CESARE, view, f"nw:t:{ALBA['id']}:{GROUP['id']}:0")
    card = edits(rete)[-1].result["text"]
    assert "sentiti" not in view.result["text"].split("\n", 2)[2]
    assert "Nessun promemoria" in card
    assert "vi siete sentiti" not in card
    # Dora, tied to Cesare only, sees nothing of Alba.
    view = await network(rete, DORA)
    assert "Alba" not in view.result["text"]
    export = await rete.db.members.export(CESARE["id"])
    assert export["tie_talks"] == []
    assert export["tie_reminders"] == []
    mine = await rete.db.members.export(ALBA["id"])
    assert len(mine["tie_talks"]) >= 1
    assert len(mine["tie_reminders"]) == 1
