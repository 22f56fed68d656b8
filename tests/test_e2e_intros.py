"""End to end: introductions as members and admins use them, through the fake Bot API."""

import asyncio
import json
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.chat_settings import effective
from bot.introductions import SEARCHES
from bot.schedule import next_slot
from handlers import intros
from storage.intro_records import NewIntro
from tests import factories as f
from tests.conftest import ADMIN

GROUP = f.group(-1007, "Makers <&>")
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
JOIN = "/start intros-j1007"
ALBA = f.user(401, "Alba", username="alba", language_code="en")
BRUNA = f.user(402, "Bruna", username="bruna", language_code="en")
CESARE = f.user(403, "Cesare", username="cesare", language_code="it")
DORA = f.user(404, "Dora", username="dora", language_code="en")
EZIO = f.user(405, "Ezio <b>", username="ezio", language_code="en")
OTHER_BOT = f.user(999, "OtherBot", is_bot=True, username="other_bot")


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


async def press(rete, user, call, data):
    await rete.send(f.callback_query(user, data, call.result))


def answers(rete):
    return [c.params for c in rete.telegram.calls_to("answerCallbackQuery")]


@pytest.fixture
async def group(rete):
    rete.telegram.set_admins(GROUP["id"], ADMIN)
    await rete.send(f.my_chat_member(GROUP, ADMIN, rete.telegram.bot_user, "left", "member"))
    await rete.send(f.command(GROUP, ADMIN, "/settings language en"))
    await rete.send(f.command(GROUP, ADMIN, "/settings intros on"))
    # Rounds on a weekday three days away: the minute tick of the running bot never finds a
    # slot of its own within the grace period, so only the rounds a test fires ever run.
    day = (rete.now().astimezone(ZoneInfo("Europe/Rome")).weekday() + 3) % 7
    await rete.send(f.command(GROUP, ADMIN, f"/settings introsday {DAYS[day]}"))
    return GROUP


async def join(rete, user, tags: str | None = None, *, say_hello: bool = True):
    """A member writes in the group, opens the Join link, confirms, and sets tags."""
    if say_hello:
        await rete.send(f.message_update(f.message(GROUP, user, "ciao a tutti")))
    await rete.send(f.command(private(user), user, JOIN))
    confirm = last_dm(rete, user)
    assert "Yes, introduce me" in str(buttons(confirm)) or "Sì, presentami" in str(
        buttons(confirm)
    )
    await press(rete, user, confirm, f"in:j:{GROUP['id']}")
    if tags:
        for line in tags.split("|"):
            await rete.send(f.command(private(user), user, f"/interests {line}"))


async def fire_round(rete, after=None):
    """Fire the group's next introductions slot directly, as the minute tick would."""
    prefs = effective((await rete.db.chats.get(GROUP["id"])).settings, rete.settings)
    slot = next_slot(intros.JOB.schedule(prefs), prefs.zone, after or rete.now())
    await rete.tick(slot + timedelta(minutes=1))
    return slot + timedelta(minutes=1)


def intro_dms(rete, user):
    return [
        c
        for c in rete.telegram.sent(user["id"])
        if "this time you're meeting" in c.result["text"]
        or "questa volta ti presento" in c.result["text"]
    ]


# ---- profiles ------------------------------------------------------------------------------


async def test_interests_typed_and_by_button_and_group_points_to_private(rete, group):
    await rete.send(f.command(GROUP, ALBA, "/interests"))
    in_group = rete.telegram.sent(GROUP["id"])[-1]
    assert "in private" in in_group.result["text"]
    assert buttons(in_group)["Open the private chat"].endswith("?start=interests")

    await rete.send(
        f.command(private(ALBA), ALBA, "/interests Python,  Machine   Learning, python")
    )
    panel = last_dm(rete, ALBA)
    assert "Added 2 tags to your interests" in panel.result["text"]
    assert "Interests: machine learning, python" in panel.result["text"]
    await rete.send(f.command(private(ALBA), ALBA, "/interests offer mentoring"))
    await rete.send(f.command(private(ALBA), ALBA, "/interests cerco un socio"))
    assert await rete.db.intros.tags(ALBA["id"]) == [
        ("interest", "machine learning"),
        ("interest", "python"),
        ("offer", "mentoring"),
        ("seek", "un socio"),
    ]
    # Typed after pressing a button.
    await press(rete, ALBA, last_dm(rete, ALBA), "tg:t:o")
    assert "separated by commas" in last_dm(rete, ALBA).result["text"]
    await rete.send(f.message_update(f.message(private(ALBA), ALBA, "design, Rust")))
    assert ("offer", "rust") in await rete.db.intros.tags(ALBA["id"])
    await rete.send(f.command(private(ALBA), ALBA, "/interests remove rust, design"))
    assert "Removed 2 tags" in last_dm(rete, ALBA).result["text"]
    # Suggestions: the tags most used in her groups (by three members at least).
    for user in (BRUNA, CESARE, DORA):
        await join(rete, user, "kayak, python")
    await rete.send(f.message_update(f.message(GROUP, ALBA, "hello")))
    await rete.send(f.command(private(ALBA), ALBA, "/interests"))
    panel = last_dm(rete, ALBA)
    assert buttons(panel)["+ kayak"] == "tg:a:i:kayak"
    await press(rete, ALBA, panel, "tg:a:i:kayak")
    assert ("interest", "kayak") in await rete.db.intros.tags(ALBA["id"])


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        ("<b>x</b>", "can't contain"),
        ("🎉🎉🎉", "no letters or digits"),
        ("x" * 500, "too long"),
        (", ".join(f"t{i}" for i in range(50)), "at most 20 tags"),
        ("remove", "found no tags"),
    ],
)
async def test_bad_tags_change_nothing(rete, group, typed, answer):
    await rete.send(f.command(private(ALBA), ALBA, "/interests python"))
    await rete.send(f.command(private(ALBA), ALBA, f"/interests {typed}"))
    text = last_dm(rete, ALBA).result["text"]
    assert answer in text
    assert await rete.db.intros.tags(ALBA["id"]) == [("interest", "python")]


async def test_empty_interests_list_is_refused(rete, group):
    await rete.send(f.command(private(ALBA), ALBA, "/interests offer , ,"))
    assert "found no tags" in last_dm(rete, ALBA).result["text"]
    assert await rete.db.intros.tags(ALBA["id"]) == []


# ---- opting in -----------------------------------------------------------------------------


async def test_settings_turn_on_posts_join_button_and_deep_link_confirms(rete, group):
    texts = rete.texts(GROUP["id"])
    assert any("Introductions: every two weeks on Monday at 10:00" in t for t in texts)
    [invitation] = [c for c in rete.telegram.sent(GROUP["id"]) if buttons(c)]
    assert buttons(invitation)["🤝 Join introductions"].endswith("?start=intros-j1007")
    await rete.send(f.command(GROUP, ALBA, "/intros"))
    assert buttons(rete.telegram.sent(GROUP["id"])[-1])["🤝 Join introductions"]

    await rete.send(f.message_update(f.message(GROUP, ALBA, "ciao")))
    await rete.send(f.command(private(ALBA), ALBA, JOIN))
    confirm = last_dm(rete, ALBA)
    assert "Join introductions in Makers <&>?" in confirm.result["text"]
    assert await rete.db.intros.optin(GROUP["id"], ALBA["id"]) is None, "not before confirming"
    await press(rete, ALBA, confirm, f"in:j:{GROUP['id']}")
    optin = await rete.db.intros.optin(GROUP["id"], ALBA["id"])
    assert optin.status == "active"
    # No tags yet: she is asked for them.
    assert "One more step" in last_dm(rete, ALBA).result["text"]


async def test_settings_for_intros_validate_and_show(rete, group):
    await rete.send(f.command(GROUP, ADMIN, "/settings introsevery 3"))
    assert "not a cadence" in rete.last_text(GROUP["id"])
    await rete.send(f.command(GROUP, ADMIN, "/settings introsday funday"))
    assert "not a day of the week" in rete.last_text(GROUP["id"])
    await rete.send(f.command(GROUP, ADMIN, "/settings introstime 25:00"))
    assert "not a time of day" in rete.last_text(GROUP["id"])
    settings = (await rete.db.chats.get(GROUP["id"])).settings
    assert set(settings) == {"language", "intros", "introsday"}
    await rete.send(f.command(GROUP, ADMIN, "/settings introsevery weekly"))
    await rete.send(f.command(GROUP, ADMIN, "/settings presentazionigiorno giovedì"))
    await rete.send(f.command(GROUP, ADMIN, "/settings introstime 18.30"))
    assert "every Thursday at 18:30" in rete.last_text(GROUP["id"])
    await rete.send(f.command(GROUP, ADMIN, "/settings"))
    assert "Introductions: on — every Thursday at 18:30" in rete.last_text(GROUP["id"])
    await rete.send(f.command(GROUP, ALBA, "/settings intros off"))
    assert (await rete.db.chats.get(GROUP["id"])).settings["intros"] is True


async def test_intros_off_answers_clearly(rete, group):
    await rete.send(f.command(GROUP, ADMIN, "/settings intros off"))
    await rete.send(f.command(GROUP, ALBA, "/intros"))
    assert "Introductions are off in this group" in rete.last_text(GROUP["id"])
    await rete.send(f.command(private(ALBA), ALBA, JOIN))
    assert "nothing to join" in last_dm(rete, ALBA).result["text"]


# ---- rounds --------------------------------------------------------------------------------


async def test_scheduled_round_dms_both_with_reasons_and_runs_once(rete, group):
    await join(rete, ALBA, "python, kayak|seek mentoring")
    await join(rete, BRUNA, "python, kayak|offer mentoring")
    fired = await fire_round(rete)
    [alba_dm] = intro_dms(rete, ALBA)
    [bruna_dm] = intro_dms(rete, BRUNA)
    alba = alba_dm.result["text"]
    assert "Makers <&>: this time you're meeting Bruna (@bruna)." in alba
    # Named once, in the first line; the reasons follow without repeating the name.
    assert alba.count("Bruna") == 1
    assert "• you both care about kayak, python" in alba
    assert "• can help with what you're looking for: mentoring" in alba
    assert "“I'm looking for help with mentoring: how did you get started?”" in alba
    assert "• is looking for help where you can give it: mentoring" in bruna_dm.result["text"]
    assert set(buttons(alba_dm)) == {
        "✍️ I'll write to them",
        "⏭ Skip this time",
        "🚫 Never pair me with them",
    }
    # Only name, username and shared tags: never Alba's other tags.
    await rete.send(f.command(private(ALBA), ALBA, "/interests offer secret sauce"))
    # Firing the same slot again (restart, second tick) sends nothing more.
    await rete.tick(fired - timedelta(seconds=1))
    await rete.tick(fired)
    assert len(intro_dms(rete, ALBA)) == 1
    rounds = await rete.db.fetchall("SELECT count(*) FROM intro_rounds")
    assert next(iter(rounds))[0] == 1

    data = buttons(alba_dm)["✍️ I'll write to them"]
    await press(rete, ALBA, alba_dm, data)
    assert answers(rete)[-1]["text"].startswith("Great!")
    intro = await rete.db.intros.intro(int(data.split(":")[2]))
    assert intro.member(ALBA["id"]).answer == "write"


async def test_blocked_partner_is_replaced_within_the_round(rete, group):
    await join(rete, ALBA, "python, rust")
    await join(rete, BRUNA, "python, rust")
    await join(rete, CESARE, "python, go")
    await join(rete, DORA, "python, go")
    rete.telegram.blocked_users.update({BRUNA["id"], DORA["id"]})
    await fire_round(rete)
    alba = [c.result["text"] for c in intro_dms(rete, ALBA)]
    assert "meeting Cesare (@cesare)" in alba[-1]
    if len(alba) == 2:  # her first introduction went out before Bruna's bounced
        assert "meeting Bruna" in alba[0]
        assert "Change of plan: Bruna can't receive my messages" in alba[1]
    cesare = [c.result["text"] for c in intro_dms(rete, CESARE)]
    assert "ti presento Alba (@alba)" in cesare[-1]
    assert intro_dms(rete, BRUNA) == []
    assert not (await rete.db.members.get(BRUNA["id"])).dm_reachable
    assert not (await rete.db.members.get(DORA["id"])).dm_reachable
    # The cancelled introduction's buttons now answer with a note and change nothing.
    rows = await rete.db.fetchall(
        "SELECT i.id FROM intros i JOIN intro_members m ON m.intro_id = i.id "
        "WHERE i.status = 'cancelled' AND m.member_id = ?",
        (ALBA["id"],),
    )
    [cancelled] = [row[0] for row in rows]
    await press(rete, ALBA, intro_dms(rete, ALBA)[-1], f"in:w:{cancelled}")
    assert "no longer valid" in answers(rete)[-1]["text"]
    intro = await rete.db.intros.intro(cancelled)
    assert intro.status == "cancelled"
    assert intro.member(ALBA["id"]).answer is None


async def test_member_without_partner_gets_the_stranded_one(rete, group):
    # Alba and Bruna fit best; Cesare fits only Alba, and Bruna won't be paired with him,
    # so he is left without a partner...
    await join(rete, ALBA, "python, rust, go")
    await join(rete, BRUNA, "python, rust")
    await join(rete, CESARE, "go")
    await rete.send(f.command(private(BRUNA), BRUNA, "/intros never @cesare"))
    # ...until Bruna's DM bounces: then Alba meets Cesare, who never hears "nobody".
    rete.telegram.blocked_users.add(BRUNA["id"])
    await fire_round(rete)
    assert "meeting Cesare (@cesare)" in intro_dms(rete, ALBA)[-1].result["text"]
    cesare = rete.texts(CESARE["id"])
    assert "ti presento Alba (@alba)" in cesare[-1]
    assert not any("non ho trovato nessuno" in text for text in cesare)
    rows = await rete.db.fetchall(
        "SELECT i.status, i.why FROM intros i JOIN intro_members m ON m.intro_id = i.id "
        "WHERE m.member_id = ? ORDER BY i.id",
        (CESARE["id"],),
    )
    assert [tuple(row) for row in rows] == [("cancelled", "resettled"), ("active", None)]


async def test_blocked_partner_and_nobody_left_is_told(rete, group):
    await join(rete, ALBA, "python")
    await join(rete, BRUNA, "python")
    rete.telegram.blocked_users.add(BRUNA["id"])
    await fire_round(rete)
    # Whether or not her own introduction went out before Bruna's bounced, she is told.
    last = rete.texts(ALBA["id"])[-1]
    assert "they can no longer receive my messages and nobody else was free" in last
    assert not (await rete.db.members.get(BRUNA["id"])).dm_reachable


async def test_lonely_and_unmatched_members_are_told_why(rete, group):
    await join(rete, ALBA, "python")
    await fire_round(rete)
    assert "had nobody else taking part" in last_dm(rete, ALBA).result["text"]
    await join(rete, BRUNA, "cooking")
    await fire_round(rete, after=rete.now() + timedelta(days=14))
    assert (
        "I found nobody you haven't met recently who shares a tag"
        in last_dm(rete, ALBA).result["text"]
    )


async def test_not_opted_in_or_not_seen_are_never_paired(rete, group):
    await join(rete, ALBA, "python")
    # Bruna has tags and wrote in the group, but never confirmed in private.
    await rete.send(f.message_update(f.message(GROUP, BRUNA, "hi")))
    rete.telegram.started_users.add(BRUNA["id"])
    await rete.send(f.command(private(BRUNA), BRUNA, "/interests python"))
    # Cesare joined but was last seen in the group long ago.
    await join(rete, CESARE, "python")
    async with rete.db.transaction() as conn:
        await conn.execute(
            "UPDATE memberships SET last_seen = '2020-01-01T00:00:00+00:00' WHERE member_id = ?",
            (CESARE["id"],),
        )
    await fire_round(rete)
    assert intro_dms(rete, BRUNA) == []
    assert intro_dms(rete, CESARE) == []
    assert "had nobody else taking part" in last_dm(rete, ALBA).result["text"]


@pytest.mark.parametrize("recovery", ["sweep", "resumed-slot"])
async def test_restart_during_a_round_resumes_without_sending_twice(rete, group, recovery):
    for user in (ALBA, BRUNA, CESARE, DORA):
        await join(rete, user, "python")
    # Telegram fails with a server error when the round reaches Cesare.
    rete.telegram.fail(
        "sendMessage",
        error_code=500,
        description="Internal Server Error",
        when=lambda p: p.get("chat_id") == CESARE["id"],
    )
    await fire_round(rete)
    sent_before = {u["id"]: len(intro_dms(rete, u)) for u in (ALBA, BRUNA, CESARE, DORA)}
    assert sum(sent_before.values()) < 4, "the round stopped part-way"
    if recovery == "resumed-slot":
        # As if the process had died mid-run: the scheduler finds the slot still running.
        async with rete.db.transaction() as conn:
            await conn.execute("UPDATE schedule_runs SET state = 'running' WHERE job = 'intros'")
    await rete.restart()
    if recovery == "sweep":
        await rete.sweep()
    else:
        await rete.tick()
    # (The bot's own minute tick may have resumed the slot first: wait for its DMs.)
    everyone = (ALBA, BRUNA, CESARE, DORA)
    await rete.telegram.wait_for(lambda: all(intro_dms(rete, u) for u in everyone))
    after = {u["id"]: len(intro_dms(rete, u)) for u in (ALBA, BRUNA, CESARE, DORA)}
    assert after == dict.fromkeys(after, 1), "everyone got exactly one introduction"
    rows = await rete.db.fetchall("SELECT dm_state FROM intro_members")
    assert {row[0] for row in rows} == {"sent"}


# ---- follow-up, pause, stop, never ---------------------------------------------------------


async def test_follow_up_asks_did_you_meet_and_records_answers(rete, group):
    await join(rete, ALBA, "python")
    await join(rete, BRUNA, "python")
    start = await fire_round(rete)  # follow-ups count from the round
    await rete.sweep(start + timedelta(days=6))
    assert not any("Did you meet?" in t for t in rete.texts(ALBA["id"]))
    await rete.sweep(start + timedelta(days=8))
    follow_up = last_dm(rete, ALBA)
    assert "I introduced you to Bruna (Makers <&>). Did you meet?" in follow_up.result["text"]
    assert set(buttons(follow_up)) == {"✅ Yes", "⏳ Not yet", "❌ No"}
    await rete.sweep(start + timedelta(days=9))
    assert sum("Did you meet?" in t for t in rete.texts(ALBA["id"])) == 1, "asked once"
    await press(rete, ALBA, follow_up, buttons(follow_up)["✅ Yes"])
    bruna_follow_up = last_dm(rete, BRUNA)
    await press(rete, BRUNA, bruna_follow_up, buttons(bruna_follow_up)["⏳ Not yet"])
    intro_id = int(buttons(follow_up)["✅ Yes"].split(":")[2])
    intro = await rete.db.intros.intro(intro_id)
    assert (intro.member(ALBA["id"]).outcome, intro.member(BRUNA["id"]).outcome) == (
        "yes",
        "notyet",
    )
    assert "Wonderful" in rete.telegram.calls_to("editMessageText")[-2].result["text"]
    # "Not yet" is asked once more a follow-up period later; "yes" is not.
    await rete.sweep(start + timedelta(days=16))
    assert sum("Did you meet?" in t for t in rete.texts(BRUNA["id"])) == 2
    assert sum("Did you meet?" in t for t in rete.texts(ALBA["id"])) == 1
    again = last_dm(rete, BRUNA)
    await press(rete, BRUNA, again, buttons(again)["⏳ Not yet"])
    await rete.sweep(start + timedelta(days=40))
    assert sum("Did you meet?" in t for t in rete.texts(BRUNA["id"])) == 2, "twice at most"
    # Numbers for admins (and for the recap).
    await rete.send(f.command(GROUP, ALBA, "/intros stats"))
    assert "only the group's admins" in rete.last_text(GROUP["id"])
    await rete.send(f.command(GROUP, ADMIN, "/intros stats"))
    stats = rete.last_text(GROUP["id"])
    assert "Introductions made: 1 (2 people)" in stats
    assert "People who said they met: 1" in stats
    day = start - timedelta(days=1)
    assert await rete.db.intros.week_numbers(GROUP["id"], day, day + timedelta(days=7)) == (1, 1)


async def test_pause_stop_restart_and_never_list_in_private(rete, group):
    await join(rete, ALBA, "python, chess")
    await join(rete, BRUNA, "python, chess")
    await join(rete, CESARE, "python")
    await rete.send(f.command(private(ALBA), ALBA, "/intros"))
    panel = last_dm(rete, ALBA)
    assert "• Makers <&>: active, next round" in panel.result["text"]
    assert buttons(panel)["⏸ Makers <&>: 14 days"] == f"in:p:{GROUP['id']}:14"
    await press(rete, ALBA, panel, f"in:p:{GROUP['id']}:28")
    optin = await rete.db.intros.optin(GROUP["id"], ALBA["id"])
    assert optin.status == "paused"
    assert optin.paused_until > rete.now() + timedelta(days=27)
    await rete.send(f.command(private(BRUNA), BRUNA, "/intros stop"))
    assert (await rete.db.intros.optin(GROUP["id"], BRUNA["id"])).status == "stopped"
    await fire_round(rete)
    assert intro_dms(rete, ALBA) == []
    assert intro_dms(rete, BRUNA) == []
    assert "non c'era nessun altro" in last_dm(rete, CESARE).result["text"]

    # The pause ends by itself: a round after it includes her again.
    await rete.send(f.command(private(BRUNA), BRUNA, "/intros restart"))
    await rete.send(f.command(private(CESARE), CESARE, "/intros never @bruna"))
    assert "Non ti abbinerò mai con @bruna" in last_dm(rete, CESARE).result["text"]
    await fire_round(rete, after=rete.now() + timedelta(days=29))
    assert "meeting Alba" in intro_dms(rete, BRUNA)[-1].result["text"]
    assert intro_dms(rete, CESARE) == [], "never paired with Bruna, and Alba was taken"

    await rete.send(f.command(private(ALBA), ALBA, "/intros pause 30/02"))
    assert "Tell me until when" in last_dm(rete, ALBA).result["text"]
    await rete.send(f.command(private(ALBA), ALBA, "/intros never @nobody_here"))
    assert "I don't know @nobody_here yet" in last_dm(rete, ALBA).result["text"]
    assert await rete.db.intros.never(ALBA["id"]) == []


async def test_privacy_export_and_delete_cover_introductions(rete, group):
    await join(rete, ALBA, "python|offer mentoring")
    await join(rete, BRUNA, "python")
    await rete.send(f.command(private(ALBA), ALBA, "/intros never @bruna"))
    await rete.send(f.command(private(ALBA), ALBA, "/intros never remove @bruna"))
    await rete.send(f.message_update(f.message(GROUP, CESARE, "ciao")))
    await rete.send(f.command(private(ALBA), ALBA, "/intros never @cesare"))
    await fire_round(rete)
    export = await rete.db.members.export(ALBA["id"])
    assert {(r["kind"], r["tag"]) for r in export["member_tags"]} == {
        ("interest", "python"),
        ("offer", "mentoring"),
    }
    assert export["intro_optins"][0]["status"] == "active"
    assert [r["other_id"] for r in export["intro_never"]] == [CESARE["id"]]
    assert json.loads(export["intro_members"][0]["partners"]) == [BRUNA["id"]]
    assert await rete.db.members.delete(ALBA["id"])
    for table in ("member_tags", "intro_optins", "intro_never", "intro_members"):
        rows = await rete.db.fetchall(
            f"SELECT count(*) FROM {table} WHERE member_id = ?", (ALBA["id"],)
        )
        assert next(iter(rows))[0] == 0, table


# ---- on demand -----------------------------------------------------------------------------


async def test_whoknows_lists_only_opted_in_best_first(rete, group):
    await join(rete, ALBA, "python")
    await join(rete, BRUNA, "offer Python")
    await join(rete, EZIO, "python")
    await rete.send(f.message_update(f.message(GROUP, CESARE, "hi")))
    rete.telegram.started_users.add(CESARE["id"])
    await rete.send(f.command(private(CESARE), CESARE, "/interests offer python"))
    await rete.send(f.command(GROUP, DORA, "/whoknows PYTHON"))
    text = rete.last_text(GROUP["id"])
    assert text.splitlines()[:4] == [
        "Who knows about python",
        "• Bruna — can help with it",
        "• Alba — interested in it",
        "• Ezio <b> — interested in it",
    ]
    assert "Cesare" not in text, "not opted in: never listed"
    await rete.send(f.command(GROUP, DORA, "/whoknows"))
    assert "Tell me the topic" in rete.last_text(GROUP["id"])
    await rete.send(f.command(GROUP, DORA, "/whoknows knitting"))
    assert "nobody" in rete.last_text(GROUP["id"]).lower()


async def test_a_search_held_up_holds_up_no_other_update(rete, group, monkeypatch):
    await join(rete, ALBA, "python")
    store = rete.db.intros
    searching, release = asyncio.Event(), asyncio.Event()
    listed_holders = store.listed_holders

    async def held(*args: object, **kwargs: object) -> object:
        searching.set()
        await release.wait()
        return await listed_holders(*args, **kwargs)

    monkeypatch.setattr(store, "listed_holders", held)
    rete.telegram.clear_calls()
    rete.telegram.add_update(f.command(GROUP, DORA, "/whoknows python"))
    await asyncio.wait_for(searching.wait(), timeout=5)
    # While the search waits, a command after it is answered.
    rete.telegram.add_update(f.command(private(BRUNA), BRUNA, "/help"))
    await rete.telegram.wait_sent(BRUNA["id"])
    assert not rete.telegram.sent(GROUP["id"])
    release.set()
    await rete.settle()
    assert "• Alba — interested in it" in rete.last_text(GROUP["id"])


async def test_meet_now_once_a_week(rete, group):
    await join(rete, ALBA, "python, chess")
    await join(rete, BRUNA, "chess")
    await join(rete, CESARE, "cooking")
    await rete.send(f.command(private(ALBA), ALBA, "/meet"))
    assert "meeting Bruna" in intro_dms(rete, ALBA)[-1].result["text"]
    assert "meeting Alba" in intro_dms(rete, BRUNA)[-1].result["text"]
    await rete.send(f.command(private(ALBA), ALBA, "/meet"))
    assert "less than a week ago" in last_dm(rete, ALBA).result["text"]
    assert len(intro_dms(rete, ALBA)) == 1
    # Its follow-up comes like a round's.
    await rete.sweep(rete.now() + timedelta(days=8))
    assert "Did you meet?" in last_dm(rete, BRUNA).result["text"]
    await rete.send(f.command(private(CESARE), CESARE, "/meet"))
    assert "non ho trovato nessuno" in last_dm(rete, CESARE).result["text"]


async def test_two_meets_at_once_make_one_introduction(rete, group):
    # /meet runs beside other updates: both may be fetched in one batch and run together.
    await join(rete, ALBA, "python, chess")
    await join(rete, BRUNA, "chess")
    await join(rete, CESARE, "python")
    rete.telegram.clear_calls()
    meet = f.command(private(ALBA), ALBA, "/meet")
    await rete.send_together(meet, dict(meet))
    assert len(intro_dms(rete, ALBA)) == 1, "once a week holds when both run at once"
    texts = rete.texts(ALBA["id"])
    assert len(texts) == 2
    assert "less than a week ago" in texts[-1]
    row = await rete.db.fetchone("SELECT count(*) FROM intros WHERE kind = 'meet'")
    assert tuple(row) == (1,)


async def test_meets_at_once_count_against_the_search_limit(rete, group):
    await join(rete, ALBA, "python, chess")
    await join(rete, BRUNA, "chess")
    rete.telegram.clear_calls()
    meet = f.command(private(ALBA), ALBA, "/meet")
    await rete.send_together(*(dict(meet) for _ in range(SEARCHES + 1)))
    texts = rete.texts(ALBA["id"])
    assert len(texts) == SEARCHES + 1
    assert sum("meeting Bruna" in t for t in texts) == 1
    assert sum("a lot in a short time" in t for t in texts) == 1


async def test_introduce_needs_both_to_accept(rete, group):
    await join(rete, ALBA, "python")
    await rete.send(f.message_update(f.message(GROUP, BRUNA, "I build boats")))
    boat = rete.telegram.message(GROUP["id"], f.next_message_id(GROUP["id"]) - 1)
    text = "/introduce @alba you both sail"
    entities = [{"type": "mention", "offset": text.index("@alba"), "length": 5}]
    update = f.message_update(
        f.message(GROUP, ADMIN, text, reply_to=boat, entities=[f.command_entity(text), *entities])
    )
    await rete.send(update)
    # Bruna never opened the private chat: the group gets a link for her.
    group_reply = rete.telegram.sent(GROUP["id"])[-1]
    assert "@bruna: someone would like to introduce you" in group_reply.result["text"]
    link = buttons(group_reply)["Open the private chat"]
    ask_alba = last_dm(rete, ALBA)
    assert (
        "Anna Admin from Makers <&> would like to introduce you to Bruna"
        in ask_alba.result["text"]
    )
    assert "Note: you both sail" in ask_alba.result["text"]
    accept = buttons(ask_alba)["✅ Accept"]
    await press(rete, ALBA, ask_alba, accept)
    assert intro_dms(rete, ALBA) == [], "not before both accept"
    await rete.send(f.command(private(BRUNA), BRUNA, "/start " + link.split("start=")[1]))
    ask_bruna = last_dm(rete, BRUNA)
    await press(rete, BRUNA, ask_bruna, buttons(ask_bruna)["✅ Accept"])
    alba = intro_dms(rete, ALBA)[-1].result["text"]
    assert "meeting Bruna (@bruna)" in alba
    assert "Anna Admin thought you two should meet: “you both sail”" in alba
    assert "meeting Alba (@alba)" in intro_dms(rete, BRUNA)[-1].result["text"]
    # Pressing Accept again is an old button: a note, no change.
    await press(rete, ALBA, ask_alba, accept)
    assert "no longer valid" in answers(rete)[-1]["text"]
    assert len(intro_dms(rete, ALBA)) == 1


async def test_introduce_bad_input(rete, group):
    await join(rete, ALBA, "python")
    await join(rete, BRUNA, "python")

    async def introduce(text, sender=ADMIN, reply_to=None):
        mentions, start = [], 0
        for word in text.split():
            start = text.index(word, start)
            if word.startswith("@"):
                mentions.append({"type": "mention", "offset": start, "length": len(word)})
            start += len(word)
        msg = f.message(
            GROUP, sender, text, reply_to=reply_to, entities=[f.command_entity(text), *mentions]
        )
        await rete.send(f.message_update(msg))
        return rete.last_text(GROUP["id"])

    assert "only the group's admins" in await introduce("/introduce @alba @bruna", sender=ALBA)
    assert "same person twice" in await introduce("/introduce @alba @alba")
    assert "I don't know @ghost" in await introduce("/introduce @alba @ghost")
    assert "Reply to one member's message" in await introduce("/introduce @alba")
    bot_message = f.message(GROUP, OTHER_BOT, "beep")
    await rete.send(f.message_update(bot_message))
    assert "Bots can't be introduced" in await introduce("/introduce @alba", reply_to=bot_message)
    rows = await rete.db.fetchall("SELECT count(*) FROM intros")
    assert next(iter(rows))[0] == 0


async def test_three_silent_rounds_pause_with_a_message(rete, group):
    await join(rete, ALBA, "python")
    await join(rete, BRUNA, "python")
    await join(rete, CESARE, "python")
    store = rete.db.intros
    past = rete.now() - timedelta(days=60)
    for week in range(3):
        # Three earlier rounds: Alba and Bruna never answered; Cesare answered once.
        round_id, _ = await store.record_round(
            GROUP["id"],
            f"old{week}",
            past + timedelta(days=14 * week),
            past,
            [NewIntro((ALBA["id"], CESARE["id"] if week == 1 else BRUNA["id"]))],
            [],
        )
        [intro] = await store.round_intros(round_id)
        for side in intro.members:
            await store.claim_dm(intro.id, side.member_id, past)
            await store.finish_dm(intro.id, side.member_id, "sent")
        if week == 1:
            await store.answer(intro.id, CESARE["id"], "write", past)
    await fire_round(rete)
    assert (
        "You haven't answered your last three introductions" in last_dm(rete, ALBA).result["text"]
    )
    assert (await store.optin(GROUP["id"], ALBA["id"])).status == "paused"
    assert (await store.optin(GROUP["id"], CESARE["id"])).status == "active"
    await rete.send(f.command(private(ALBA), ALBA, "/intros"))
    assert "paused (send /intros restart" in last_dm(rete, ALBA).result["text"]
    await rete.send(f.command(private(ALBA), ALBA, "/intros restart"))
    assert (await store.optin(GROUP["id"], ALBA["id"])).status == "active"


async def test_never_button_and_pause_until_a_date(rete, group):
    await join(rete, ALBA, "python")
    await join(rete, BRUNA, "python")
    await fire_round(rete)
    [dm] = intro_dms(rete, BRUNA)
    await press(rete, BRUNA, dm, buttons(dm)["🚫 Never pair me with them"])
    assert await rete.db.intros.never(BRUNA["id"]) == [ALBA["id"]]
    assert "never pair you with them again" in answers(rete)[-1]["text"]
    until = (rete.now() + timedelta(days=30)).date()
    await rete.send(f.command(private(ALBA), ALBA, f"/intros pausa {until.isoformat()}"))
    assert until == date(2027, 1, 4), "the round ran on the test clock"
    # Another year than today's: the year is said.
    assert "paused everywhere until 4 January 2027;" in last_dm(rete, ALBA).result["text"]
    optin = await rete.db.intros.optin(GROUP["id"], ALBA["id"])
    assert optin.status == "paused"
    assert optin.paused_until.date() in (until, until - timedelta(days=1))


async def test_whoknows_never_names_hidden_members(rete, group):
    await join(rete, ALBA, "offer python")
    await join(rete, BRUNA, "python")
    await rete.db.members.set_hidden(ALBA["id"], True)
    await rete.send(f.command(GROUP, DORA, "/whoknows python"))
    text = rete.last_text(GROUP["id"])
    assert "Bruna" in text
    assert "Alba" not in text


async def test_odd_member_joins_a_trio(rete, group):
    await join(rete, ALBA, "python, rust")
    await join(rete, BRUNA, "python, rust")
    await join(rete, DORA, "python")
    await fire_round(rete)
    for user in (ALBA, BRUNA, DORA):
        [dm] = intro_dms(rete, user)
        assert " and " in dm.result["text"].splitlines()[0]
    dora = intro_dms(rete, DORA)[0].result["text"]
    assert "Alba (@alba)" in dora.splitlines()[0]
    assert "Bruna (@bruna)" in dora.splitlines()[0]


@pytest.mark.parametrize(
    "data", ["in:j:²", "in:p:٣:14", "in:x:-99999999999999999999", "in:w:３", "in:f:²:y", "in:"]
)
async def test_a_forged_introductions_button_is_answered_and_changes_nothing(rete, group, data):
    await join(rete, ALBA, "python")
    before = await rete.db.intros.optins(ALBA["id"])
    panel = last_dm(rete, ALBA)
    await press(rete, ALBA, panel, data)
    assert answers(rete)[-1]["text"].startswith("This button is no longer valid")
    assert await rete.db.intros.optins(ALBA["id"]) == before


@pytest.mark.parametrize("payload", ["intros-j99999999999999999999", "intros-a99999999999999999"])
async def test_a_deep_link_to_a_group_too_big_to_exist_is_refused(rete, group, payload):
    await rete.send(f.command(private(ALBA), ALBA, f"/start {payload}"))
    assert "I don't know that group" in last_dm(rete, ALBA).result["text"] or (
        "no longer valid" in last_dm(rete, ALBA).result["text"]
    )


async def test_a_pause_date_in_other_digits_is_refused(rete, group):
    await join(rete, ALBA, "python")
    await rete.send(f.command(private(ALBA), ALBA, "/intros pause ٣١/١٢"))
    assert last_dm(rete, ALBA).result["text"].startswith("Tell me until when")
    assert all(o.status == "active" for o in await rete.db.intros.optins(ALBA["id"]))


def nobody_dms(rete, user) -> int:
    """How many "nobody for you this round" DMs ``user`` got."""
    return sum(
        "I found nobody you haven't met recently who shares a tag" in text
        or "non ho trovato nessuno con un tag in comune" in text
        for text in rete.texts(user["id"])
    )


async def test_a_small_group_hears_nobody_once_and_admins_see_why(rete, group):
    # Five people: two share a tag, three share none with anyone.
    await join(rete, ALBA, "python")
    await join(rete, BRUNA, "python")
    await join(rete, CESARE, "knitting")
    await join(rete, DORA, "chess")
    await join(rete, EZIO, "opera")
    first = await fire_round(rete)
    assert len(intro_dms(rete, ALBA)) == len(intro_dms(rete, BRUNA)) == 1
    assert [nobody_dms(rete, u) for u in (CESARE, DORA, EZIO)] == [1, 1, 1]
    assert "I'll write again when something changes" in last_dm(rete, DORA).result["text"]
    assert "ti riscrivo quando cambia qualcosa" in last_dm(rete, CESARE).result["text"]

    # The next round: nothing changed for the three, and they hear nothing. Alba and Bruna
    # met last round, so they are left out too, and told so once.
    second = await fire_round(rete, after=first + timedelta(days=1))
    assert [nobody_dms(rete, u) for u in (CESARE, DORA, EZIO)] == [1, 1, 1]
    assert [nobody_dms(rete, u) for u in (ALBA, BRUNA)] == [1, 1]
    await rete.send(f.command(GROUP, ADMIN, "/intros stats"))
    stats = rete.last_text(GROUP["id"]).splitlines()
    day = second.astimezone(ZoneInfo("Europe/Rome"))
    assert f"Left out of the last round ({day.day} {day:%b}): 5" in stats
    assert "• 3: no one with shared tags" in stats
    assert "• 2: they recently met everyone they share tags with" in stats


async def test_someone_new_who_shares_a_tag_is_news_for_those_left_out(rete, group):
    await join(rete, DORA, "chess")
    await join(rete, EZIO, "opera")
    first = await fire_round(rete)
    second = await fire_round(rete, after=first + timedelta(days=1))
    assert [nobody_dms(rete, u) for u in (DORA, EZIO)] == [1, 1], "told once in two rounds"
    # Someone new who plays chess: Dora is introduced; Ezio hears the news once (a new
    # member may be the one for him next time).
    franco = f.user(406, "Franco", username="franco", language_code="en")
    await join(rete, franco, "chess")
    await fire_round(rete, after=second + timedelta(days=1))
    [dora] = intro_dms(rete, DORA)
    assert "Franco (@franco)" in dora.result["text"]
    assert [nobody_dms(rete, u) for u in (DORA, EZIO)] == [1, 2]
    rows = await rete.db.fetchall(
        "SELECT member_id, im.dm_state FROM intros i JOIN intro_members im ON im.intro_id = i.id"
        " WHERE i.status = 'unmatched' ORDER BY i.id"
    )
    assert [(r["member_id"], r["dm_state"]) for r in rows] == [
        (DORA["id"], "sent"),
        (EZIO["id"], "sent"),
        (DORA["id"], "quiet"),
        (EZIO["id"], "quiet"),
        (EZIO["id"], "sent"),
    ]


async def test_italian_member_reads_dates_and_the_introduction_in_italian(rete, group):
    # The test clock starts on Wednesday 2 December 2026; the group fixture puts rounds on
    # Saturdays, every two weeks, at 10:00 Rome time.
    await join(rete, CESARE, "python, fotografia|cerco mentoring")
    await join(rete, ALBA, "python, fotografia|offer mentoring")
    await rete.send(f.command(private(CESARE), CESARE, "/intros"))
    status = last_dm(rete, CESARE).result["text"]
    assert "• Makers <&>: attive, prossimo giro sabato 5 dicembre alle 10:00\n" in status
    await fire_round(rete)
    [dm] = intro_dms(rete, CESARE)
    assert dm.result["text"] == (
        "👋 Makers <&>: questa volta ti presento Alba (@alba).\n\n"
        "• interessi in comune: fotografia, python\n"
        "• può darti una mano con quello che cerchi: mentoring\n\n"
        "💬 Per rompere il ghiaccio: “Sto cercando una mano per «mentoring»: "
        "tu da dove hai cominciato?”\n\n"
        "Scrivi quando ti va: basta un saluto. Tra 7 giorni ti chiedo com'è andata."
    )
    await rete.send(f.command(private(CESARE), CESARE, "/intros"))
    status = last_dm(rete, CESARE).result["text"]
    assert "• Makers <&>: attive, prossimo giro sabato 19 dicembre alle 10:00\n" in status
