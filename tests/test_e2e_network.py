"""End to end: ties, /network and keep-in-touch reminders, through the fake Bot API."""

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot import ties as logic
from handlers.network import reminders
from storage.intro_records import NewIntro
from tests import factories as f
from tests.conftest import ADMIN

ROME = ZoneInfo("Europe/Rome")
GROUP = f.group(-1013, "Makers <&>")
OTHER_GROUP = f.group(-1014, "Cyclists")
ALBA = f.user(501, "Alba", username="alba", language_code="en")
CESARE = f.user(503, "Cesare", username="cesare", language_code="it")
DORA = f.user(504, "Dora <b>", username="dora", language_code="en")
EVE = f.user(505, "Eve", username="eve", language_code="en")
MALLORY = f.user(506, "Mallory", username="mallory", language_code="en")


def private(user):
    return f.private_chat(user)


def buttons(call) -> dict[str, str]:
    markup = call.params.get("reply_markup") or {"inline_keyboard": []}
    if isinstance(markup, str):
        markup = json.loads(markup)
    return {
        b["text"]: b.get("callback_data") or b.get("url")
        for row in markup["inline_keyboard"]
        for b in row
    }


def last_dm(rete, user):
    sent = rete.telegram.sent(user["id"])
    assert sent, f"no DM to {user['first_name']}"
    return sent[-1]


def edits(rete):
    return rete.telegram.calls_to("editMessageText")


def alerts(rete):
    return [c.params.get("text") for c in rete.telegram.calls_to("answerCallbackQuery")]


async def press(rete, user, call, data):
    await rete.send(f.callback_query(user, data, call.result))


@pytest.fixture
async def group(rete):
    rete.telegram.set_admins(GROUP["id"], ADMIN)
    await rete.send(f.my_chat_member(GROUP, ADMIN, rete.telegram.bot_user, "left", "member"))
    await rete.send(f.command(GROUP, ADMIN, "/settings language en"))
    await rete.backdate(GROUP["id"])
    return GROUP


async def said(rete, sender, text="I can help with that", chat=GROUP):
    update = f.message_update(f.message(chat, sender, text))
    await rete.send(update)
    return update["message"]


async def thank(rete, giver, receiver, chat=GROUP):
    """``receiver`` helps in the group and ``giver`` thanks them with /thanks in reply."""
    helpful = await said(rete, receiver, chat=chat)
    await rete.send(f.message_update(f.message(chat, giver, "/thanks", reply_to=helpful)))


async def network(rete, user, command="/network"):
    await rete.send(f.command(private(user), user, command))
    return last_dm(rete, user)


async def table(rete, sql, params=()):
    return [tuple(row) for row in await rete.db.fetchall(sql, params)]


async def intro_pair(rete, a, b, *, met=False, initiator=None, chat=GROUP):
    """Record an introduction between two members that both received (as a round would)."""
    for member in (a, b, *([initiator] if initiator else [])):
        await said(rete, member, "hello", chat=chat)
    store = rete.db.intros
    [intro_id] = await store.add_intros(
        chat["id"],
        rete.now(),
        [NewIntro((a["id"], b["id"]))],
        kind="manual" if initiator else "round",
        initiator_id=initiator["id"] if initiator else None,
    )
    for member in (a, b):
        assert await store.claim_dm(intro_id, member["id"], rete.now())
        await store.finish_dm(intro_id, member["id"], "sent")
    if met:
        assert await store.set_outcome(intro_id, a["id"], "yes", rete.now())
    return intro_id


def at_ten(day: datetime) -> datetime:
    """10:01 in Rome on ``day``'s local date: just after the reminders' daily slot."""
    local = day.astimezone(ROME)
    return local.replace(hour=10, minute=1, second=0, microsecond=0).astimezone(ROME)


# ---- /network --------------------------------------------------------------------------------


async def test_network_in_a_group_points_to_private_and_empty_explains_ties(rete, group):
    await rete.send(f.command(GROUP, ALBA, "/network"))
    answer = rete.telegram.sent(GROUP["id"])[-1]
    assert "I show it in private" in answer.result["text"]
    assert buttons(answer)["Open my network"].endswith("?start=network")
    dm = await network(rete, ALBA)
    assert "You have no ties yet" in dm.result["text"]
    assert "/intros" in dm.result["text"]
    assert "/thanks" in dm.result["text"]
    dm = await network(rete, CESARE, "/contatti")
    assert "Non hai ancora legami" in dm.result["text"]
    # The deep link of the group's button opens the same view.
    await rete.send(f.command(private(ALBA), ALBA, "/start network"))
    assert "You have no ties yet" in last_dm(rete, ALBA).result["text"]


async def test_ties_from_thanks_and_introductions_grouped_strongest_first(rete, group):
    await thank(rete, CESARE, ALBA)  # Alba helped Cesare
    await thank(rete, ALBA, DORA)  # Dora helped Alba
    await intro_pair(rete, ALBA, EVE, met=True, initiator=ADMIN)
    rete.telegram.set_admins(OTHER_GROUP["id"], ADMIN)
    await rete.send(f.my_chat_member(OTHER_GROUP, ADMIN, rete.telegram.bot_user, "left", "member"))
    await thank(rete, ALBA, CESARE, chat=OTHER_GROUP)
    dm = await network(rete, ALBA)
    text = dm.result["text"]
    assert text.startswith("Your network: 4 ties with 3 people")
    assert "Active in the last 3 months: 3 people." in text
    assert "within the 5 layer" in text
    # Grouped by group: Makers first (its strongest tie, Eve, met), then Cyclists.
    assert text.index("Makers <&>") < text.index("Cyclists")
    lines = text.splitlines()
    makers = lines[lines.index("Makers <&>") + 1 :]
    assert makers[0].startswith("1. Eve — met on 2 December 2026 · met through Anna Admin")
    assert "last in touch 2 December 2026" in makers[0]
    assert "2. Cesare — you helped them once" in text or "2. Dora <b> — helped you once" in text
    assert "Dora <b> — helped you once" in text
    assert "Cesare — you helped them once" in text
    assert "Cesare — helped you once" in text  # in Cyclists: Cesare helped her there
    assert "Page 1 of 1" in text
    labels = buttons(dm)
    assert labels["1. Eve"] == f"nw:t:{EVE['id']}:{GROUP['id']}:0"
    # Cesare sees the same tie from his side, in Italian.
    dm = await network(rete, CESARE, "/contatti")
    text = dm.result["text"]
    assert text.startswith("La tua rete: 2 legami con una persona")
    assert "Alba — ti ha aiutato una volta" in text
    assert "Alba — l'hai aiutato una volta" in text
    assert "Eve" not in text
    assert "Dora" not in text


async def test_pages_with_buttons_and_a_page_out_of_range(rete, group):
    people = [f.user(600 + n, f"Person{n:02}", language_code="en") for n in range(10)]
    for person in people:
        await thank(rete, person, ALBA)
    dm = await network(rete, ALBA)
    assert "Page 1 of 2" in dm.result["text"]
    assert "9. " not in dm.result["text"]
    assert buttons(dm)["Next ▶"] == "nw:p:1"
    await press(rete, ALBA, dm, "nw:p:1")
    page = edits(rete)[-1]
    assert "Page 2 of 2" in page.result["text"]
    assert "9. Person" in page.result["text"]
    assert "◀ Previous" in buttons(page)
    # A page that does not exist: said so, and the closest one is shown.
    await press(rete, ALBA, dm, "nw:p:7")
    assert "That page no longer exists" in alerts(rete)[-1]
    assert "Page 2 of 2" in edits(rete)[-1].result["text"]


async def test_a_hidden_members_tie_shows_to_their_tie_only(rete, group):
    await thank(rete, ALBA, DORA)
    await rete.db.members.set_hidden(DORA["id"], True)
    dm = await network(rete, ALBA)
    assert "Dora <b> — helped you once" in dm.result["text"]
    # Eve has no tie with Dora: nothing of Dora reaches her.
    dm = await network(rete, EVE)
    assert "Dora" not in dm.result["text"]


async def test_hostile_names_are_escaped_and_fit(rete, group):
    nasty = f.user(700, "<" * 2000, last_name="&</b>", language_code="en")
    await thank(rete, ALBA, nasty)
    dm = await network(rete, ALBA)
    assert "<<<" in dm.result["text"]
    assert len(dm.result["text"]) < 1000
    [label] = [b for b in buttons(dm) if b.startswith("1. ")]
    assert len(label.encode()) < 200


# ---- a tie's card: remind, we talked ----------------------------------------------------------


async def test_remind_me_then_the_reminder_dm_and_its_buttons(rete, group):
    await thank(rete, ALBA, CESARE)
    dm = await network(rete, ALBA)
    await press(rete, ALBA, dm, f"nw:t:{CESARE['id']}:{GROUP['id']}:0")
    card = edits(rete)[-1]
    assert card.result["text"].startswith("Cesare in Makers <&>")
    assert "No reminder to get in touch." in card.result["text"]
    offered = {"⏰ In 1 month", "⏰ In 3 months", "⏰ In 6 months", "💬 We talked"}
    assert set(buttons(card)) >= offered
    await press(rete, ALBA, card, buttons(card)["⏰ In 1 month"])
    assert "I'll remind you in a month" in alerts(rete)[-1]
    [row] = await table(rete, "SELECT member_id, other_id, chat_id, every_days FROM tie_reminders")
    assert row == (ALBA["id"], CESARE["id"], GROUP["id"], 30)
    assert "I'll remind you to get in touch on" in edits(rete)[-1].result["text"]

    before = len(rete.telegram.sent(ALBA["id"]))
    await rete.tick(at_ten(rete.now() + timedelta(days=29)))
    assert len(rete.telegram.sent(ALBA["id"])) == before
    await rete.tick(at_ten(rete.now() + timedelta(days=2)))
    reminder = last_dm(rete, ALBA)
    assert (
        "It's been a while since you were in touch with Cesare (Makers <&>)"
        in (reminder.result["text"])
    )
    assert "helped you once" in reminder.result["text"]
    assert set(buttons(reminder)) == {"💬 We talked", "⏰ Remind me later", "🔕 Stop reminding"}
    # The same day's tick again (a restart): no second DM.
    count = len(rete.telegram.sent(ALBA["id"]))
    await rete.restart()
    await rete.tick(rete.now() + timedelta(minutes=5))
    assert len(rete.telegram.sent(ALBA["id"])) == count
    # Remind me later: two weeks on.
    await press(rete, ALBA, reminder, buttons(reminder)["⏰ Remind me later"])
    assert "again in two weeks" in alerts(rete)[-1]
    [(due,)] = await table(rete, "SELECT due_at FROM tie_reminders")
    assert datetime.fromisoformat(due) == rete.now() + logic.LATER
    # We talked: logged, the reminder starts again from today.
    await press(rete, ALBA, reminder, buttons(reminder)["💬 We talked"])
    assert "Noted" in alerts(rete)[-1]
    [(talked,)] = await table(rete, "SELECT talked_at FROM tie_talks")
    assert datetime.fromisoformat(talked) == rete.now()
    [(due,)] = await table(rete, "SELECT due_at FROM tie_reminders")
    assert datetime.fromisoformat(due) == rete.now() + timedelta(days=30)
    # Stop reminding.
    await press(rete, ALBA, reminder, buttons(reminder)["🔕 Stop reminding"])
    assert "no more reminders" in alerts(rete)[-1]
    assert await table(rete, "SELECT * FROM tie_reminders") == []


async def test_a_thanks_resets_the_reminder_and_no_dm_goes_out(rete, group):
    await thank(rete, ALBA, CESARE)
    dm = await network(rete, ALBA, "/contatti")
    await press(rete, ALBA, dm, f"nw:r:{CESARE['id']}:{GROUP['id']}:1")
    start = rete.now()
    rete.clock.set(start + timedelta(days=20))
    await thank(rete, CESARE, ALBA)  # a new interaction, the other way round
    before = len(rete.telegram.sent(ALBA["id"]))
    await rete.tick(at_ten(start + timedelta(days=31)))
    assert len(rete.telegram.sent(ALBA["id"])) == before
    [(since, due)] = await table(rete, "SELECT since, due_at FROM tie_reminders")
    assert datetime.fromisoformat(since) == start + timedelta(days=20)
    assert datetime.fromisoformat(due) == start + timedelta(days=50)
    await rete.tick(at_ten(start + timedelta(days=51)))
    assert "Cesare" in last_dm(rete, ALBA).result["text"]


async def test_one_reminder_dm_a_day_in_the_members_language(rete, group):
    await thank(rete, CESARE, ALBA)
    await thank(rete, CESARE, DORA)
    for other in (ALBA, DORA):
        await rete.db.ties.set_reminder(
            CESARE["id"], other["id"], GROUP["id"], 30, rete.now(), rete.now()
        )
    await rete.send(f.command(private(CESARE), CESARE, "/start"))
    before = len(rete.telegram.sent(CESARE["id"]))
    await rete.tick(at_ten(rete.now() + timedelta(days=1)))
    sent = rete.telegram.sent(CESARE["id"])[before:]
    assert len(sent) == 1
    assert "È da un po' che non ti senti con" in sent[0].result["text"]
    await rete.tick(at_ten(rete.now() + timedelta(days=1)))
    assert len(rete.telegram.sent(CESARE["id"])) == before + 2
    assert await table(rete, "SELECT count(*) FROM tie_reminder_days") == [(2,)]


# ---- trust: forged buttons, someone else's tie, deletion ------------------------------------


async def test_forged_and_foreign_buttons_are_refused_and_change_nothing(rete, group):
    await thank(rete, ALBA, CESARE)
    await thank(rete, MALLORY, EVE)
    dm = await network(rete, ALBA)
    await network(rete, MALLORY)
    before = await rete.db.members.export(ALBA["id"])
    # Mallory presses a button under Alba's view (a forwarded copy, or forged data).
    await press(rete, MALLORY, dm, f"nw:r:{CESARE['id']}:{GROUP['id']}:1")
    assert "someone else's network" in alerts(rete)[-1]
    # In her own chat, Mallory names a pair she is not in, or a period not offered.
    mine = last_dm(rete, MALLORY)
    for data in (
        f"nw:r:{CESARE['id']}:{GROUP['id']}:1",
        f"nw:w:{ALBA['id']}:{GROUP['id']}",
        f"nw:r:{EVE['id']}:{GROUP['id']}:2",
        f"nw:t:{EVE['id']}:{OTHER_GROUP['id']}:0",
        f"nw:j:{EVE['id']}:{GROUP['id']}:{ALBA['id']}",
        "nw:r:x:y:z",
        "nw:p",
        "nw:n:5:0",
        "nw:" + "9" * 60,
    ):
        await press(rete, MALLORY, mine, data)
        refusal = alerts(rete)[-1]
        assert "someone else's network" in refusal or "not in your network" in refusal, data
    assert await table(rete, "SELECT * FROM tie_reminders") == []
    assert await table(rete, "SELECT * FROM tie_talks") == []
    assert await table(rete, "SELECT * FROM network_notes") == []
    assert await rete.db.members.export(ALBA["id"]) == before


async def test_deletion_on_either_side_removes_the_tie_and_its_reminder(rete, group):
    await thank(rete, ALBA, CESARE)
    await thank(rete, ALBA, DORA)
    dm = await network(rete, ALBA)
    await press(rete, ALBA, dm, f"nw:r:{CESARE['id']}:{GROUP['id']}:3")
    await press(rete, ALBA, dm, f"nw:w:{CESARE['id']}:{GROUP['id']}")
    await press(rete, ALBA, dm, f"nw:r:{DORA['id']}:{GROUP['id']}:6")
    await press(rete, ALBA, dm, "nw:n:1:0")
    # The export holds all of it.
    export = await rete.db.members.export(ALBA["id"])
    assert {r["other_id"] for r in export["tie_reminders"]} == {CESARE["id"], DORA["id"]}
    assert [r["other_id"] for r in export["tie_talks"]] == [CESARE["id"]]
    assert len(export["network_notes"]) == 1
    # Cesare deletes his data: the tie, the reminder and the log about him go.
    assert await rete.db.members.delete(CESARE["id"])
    view = await network(rete, ALBA)
    assert "Cesare" not in view.result["text"]
    assert "Dora" in view.result["text"]
    assert await table(rete, "SELECT other_id FROM tie_reminders") == [(DORA["id"],)]
    assert await table(rete, "SELECT * FROM tie_talks") == []
    # "Remind me" for the tie whose other member is gone: refused, nothing stored.
    await press(rete, ALBA, dm, f"nw:r:{CESARE['id']}:{GROUP['id']}:1")
    assert "That tie is not in your network (any more): nothing changed." in alerts(rete)[-1]
    assert await table(rete, "SELECT other_id FROM tie_reminders") == [(DORA["id"],)]
    # Alba deletes hers: Dora's view loses the tie, and nothing of Alba's choices stays.
    assert await rete.db.members.delete(ALBA["id"])
    view = await network(rete, DORA)
    assert "You have no ties yet" in view.result["text"]
    for name in ("tie_reminders", "tie_talks", "network_notes", "tie_reminder_days"):
        assert await table(rete, f"SELECT * FROM {name}") == [], name


# ---- introduce to… and connectors --------------------------------------------------------------


async def test_introduce_two_ties_both_accept_and_the_connector_is_credited(rete, group):
    await thank(rete, ALBA, CESARE)
    await thank(rete, ALBA, DORA)
    for user in (CESARE, DORA):
        await rete.send(f.command(private(user), user, "/start"))
    dm = await network(rete, ALBA)
    await press(rete, ALBA, dm, f"nw:i:{CESARE['id']}:{GROUP['id']}")
    pick = edits(rete)[-1]
    assert "Whom would you like to introduce Cesare to?" in pick.result["text"]
    assert buttons(pick)["Dora <b>"] == f"nw:j:{CESARE['id']}:{GROUP['id']}:{DORA['id']}"
    await press(rete, ALBA, pick, buttons(pick)["Dora <b>"])
    assert "I asked both" in alerts(rete)[-1]
    for user in (CESARE, DORA):
        ask = last_dm(rete, user)
        assert "Alba" in ask.result["text"]
        accept = next(v for k, v in buttons(ask).items() if k.startswith("✅"))
        await press(rete, user, ask, accept)
    assert await rete.db.ties.connected(ALBA["id"], GROUP["id"]) == 2
    view = await network(rete, CESARE, "/contatti")
    assert "conosciuti tramite Alba" in view.result["text"]
    # Reminders run from the connection too.
    dm = await network(rete, DORA)
    assert "met through Alba" in dm.result["text"]


async def test_sweep_in_chunks_decides_each_due_reminder_once(rete, group):
    people = [f.user(800 + n, f"P{n}", language_code="en") for n in range(7)]
    for person in people:
        await thank(rete, ALBA, person)
        await rete.db.ties.set_reminder(
            person["id"], ALBA["id"], GROUP["id"], 30, rete.now(), rete.now()
        )
        rete.telegram.started_users.add(person["id"])
        await rete.db.members.set_reachable(person["id"], True)
    sent: list[int] = []

    async def send(item):
        sent.append(item.reminder.member_id)
        return True

    now = rete.now() + timedelta(minutes=1)
    result = await reminders.sweep_group(rete.db, GROUP["id"], now, "2026-12-02", send, chunk=3)
    assert result == (7, 0)
    assert sorted(sent) == [p["id"] for p in people]
    again = await reminders.sweep_group(rete.db, GROUP["id"], now, "2026-12-02", send, chunk=3)
    assert again == (0, 0)


async def test_profile_shows_the_connector(rete, group):
    await intro_pair(rete, CESARE, DORA, initiator=ALBA)
    await intro_pair(rete, EVE, DORA, initiator=ALBA)
    await rete.send(f.command(GROUP, ALBA, "/profile"))
    assert "Connected 3 people (introductions and asks both sides accepted)" in rete.last_text(
        GROUP["id"]
    )
    await rete.send(f.command(GROUP, ADMIN, "/settings language it"))
    await rete.send(f.command(GROUP, ALBA, "/profilo"))
    assert "Ha messo in contatto 3 persone" in rete.last_text(GROUP["id"])
    await rete.send(f.command(GROUP, EVE, "/profile"))
    assert "contatto" not in rete.last_text(GROUP["id"])


# ---- the monthly note ------------------------------------------------------------------------

HEDY = f.user(507, "Hedy", username="hedy", language_code="en")


async def test_monthly_note_for_those_who_chose_it_never_naming_a_hidden_stranger(rete, group):
    await thank(rete, CESARE, ALBA)  # Alba helped Cesare
    await thank(rete, ALBA, DORA)  # Dora helped Alba
    await rete.send(f.command(private(ALBA), ALBA, "/interests seek python"))
    for offerer in (HEDY, EVE):
        await said(rete, offerer, "hi")
        await rete.send(f.command(private(offerer), offerer, "/interests offer python"))
        await rete.send(f.command(private(offerer), offerer, "/interests public on"))
    await rete.db.members.set_hidden(HEDY["id"], True)
    dm = await network(rete, ALBA)
    assert buttons(dm)["🗓 Send me a monthly note"] == "nw:n:1:0"
    await press(rete, ALBA, dm, "nw:n:1:0")
    assert "once a month" in alerts(rete)[-1]
    assert await table(rete, "SELECT member_id FROM network_notes") == [(ALBA["id"],)]
    await network(rete, CESARE)  # Cesare did not choose it
    before = {u["id"]: len(rete.telegram.sent(u["id"])) for u in (ALBA, CESARE)}
    first = datetime(2027, 1, 1, 9, 1, tzinfo=ROME)
    await rete.tick(first)
    note = last_dm(rete, ALBA).result["text"]
    assert note.startswith("🗓 Your network in December 2026")
    assert "You helped: Cesare" in note
    assert "Helped you: Dora <b>" in note
    assert "Someone who offers what you are looking for: Eve (python)" in note
    assert "Hedy" not in note
    assert len(rete.telegram.sent(CESARE["id"])) == before[CESARE["id"]]
    # Exactly once: a restart and another tick the same day, or the next day, send nothing.
    count = len(rete.telegram.sent(ALBA["id"]))
    await rete.restart()
    await rete.tick(first + timedelta(minutes=30))
    await rete.tick(first + timedelta(days=1))
    assert len(rete.telegram.sent(ALBA["id"])) == count
    assert await table(rete, "SELECT month FROM network_note_months") == [("2026-12",)]
    # In Italian for an Italian member, and it stops from the same button.
    await press(rete, ALBA, dm, "nw:n:0:0")
    assert await table(rete, "SELECT * FROM network_notes") == []
    dm = await network(rete, CESARE, "/contatti")
    await press(rete, CESARE, dm, "nw:n:1:0")
    await rete.tick(datetime(2027, 2, 1, 9, 1, tzinfo=ROME))
    note = last_dm(rete, CESARE).result["text"]
    assert note.startswith("🗓 La tua rete a gennaio 2027")
    assert "Un mese tranquillo" in note
    assert len(rete.telegram.sent(ALBA["id"])) == count


async def test_recap_names_the_weeks_connectors_but_not_a_hidden_one(rete, group):
    await intro_pair(rete, CESARE, DORA, initiator=ALBA)
    await intro_pair(rete, CESARE, EVE, initiator=MALLORY)
    await rete.db.members.set_hidden(MALLORY["id"], True)
    rete.telegram.clear_calls()
    await rete.send(f.command(GROUP, ADMIN, "/recap"))
    sent = rete.telegram.sent(GROUP["id"]) + rete.telegram.sent(GROUP["id"], method="sendPhoto")
    text = "\n".join(c.result.get("text") or c.result.get("caption") or "" for c in sent)
    assert "(people they brought together, by introduction or through an ask): Alba (2)" in text
    assert text.count("Connectors this week") == 1
    assert "Mallory" not in text
