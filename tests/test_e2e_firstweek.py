"""End to end: a newcomer's first week, in English and Italian, through the fake Bot API.

/start's private menu, the greeting behind a group's welcome button (and its refusals),
hints for free text in private, tags typed after "one more step", the batched welcome
newcomers get in the group (a wave of 200 joins, a restart mid-batch, Telegram refusing),
and the answer to "did you meet?" staying visible in the DM.
"""

import itertools
import json
from datetime import timedelta

import pytest

from bot import welcomes
from storage.intro_records import NewIntro
from tests import factories as f
from tests.conftest import ADMIN
from tests.engines import dump_tables
from tests.test_e2e_intros import buttons, last_dm, private

GROUP = f.group(-1008, "Makers <&>")
OTHER = f.group(-1009, "Yonder")
LINK = "/start welcome-j1008"
ALBA = f.user(401, "Alba", username="alba", language_code="en")
CESARE = f.user(403, "Cesare", username="cesare", language_code="it")
NASTY = f.user(405, "<b>Ezio</b> & co", last_name="</a>", language_code="en")
STRANGER = f.user(410, "Sam", language_code="en")
YARA = f.user(411, "Yara", language_code="it")
OTHER_BOT = f.user(999, "OtherBot", is_bot=True, username="other_bot")
LIMIT = 4096


def alerts(rete) -> list[str]:
    return [
        c.params.get("text", "")
        for c in rete.telegram.calls_to("answerCallbackQuery")
        if c.params.get("show_alert")
    ]


async def press(rete, user, call, data):
    await rete.send(f.callback_query(user, data, call.result))


async def tables(rete) -> dict[str, list[str]]:
    return await dump_tables(rete.db)


def without_own_contact(dump, member_id):
    """The dump without what a /start legitimately refreshes: the member's own row."""
    members = [row for row in dump["members"] if json.loads(row)["id"] != member_id]
    return {**dump, "members": members}


@pytest.fixture
async def group(rete):
    rete.telegram.set_admins(GROUP["id"], ADMIN)
    rete.telegram.set_admins(OTHER["id"], ADMIN)
    await rete.send(f.my_chat_member(GROUP, ADMIN, rete.telegram.bot_user, "left", "member"))
    await rete.send(f.my_chat_member(OTHER, ADMIN, rete.telegram.bot_user, "left", "member"))
    await rete.send(f.command(GROUP, ADMIN, "/settings language en"))
    await rete.send(f.command(GROUP, ADMIN, "/settings intros on"))
    rete.telegram.clear_calls()
    return GROUP


async def joined(rete, chat, *users):
    """Users join a group (a service message); the join is queued for a welcome."""
    await rete.send(f.new_members(chat, users[0], *users))


async def welcomed(rete, chat=GROUP) -> list:
    """The welcome posts in ``chat``."""
    return [
        c
        for c in rete.telegram.sent(chat["id"])
        if c.result["text"].startswith("👋 Welcome to")
        or c.result["text"].startswith("👋 Diamo il benvenuto")
    ]


# ---- /start in private: the menu ------------------------------------------------------------


async def test_start_greets_with_the_menu_and_each_button_opens_its_panel(rete, group):
    await rete.send(f.message_update(f.message(GROUP, ALBA, "hi")))
    await rete.send(f.command(private(ALBA), ALBA, "/start"))
    greeting = last_dm(rete, ALBA)
    assert greeting.result["text"].startswith("👋 Hi Alba, I'm Rete.")
    menu = buttons(greeting)
    assert menu == {
        "🏷 Your interests": "mn:interests",
        "🤝 Your introductions": "mn:intros",
        "🔒 Your privacy": "mn:privacy",
    }
    await press(rete, ALBA, greeting, menu["🏷 Your interests"])
    assert "Interests:" in last_dm(rete, ALBA).result["text"]
    await press(rete, ALBA, greeting, menu["🤝 Your introductions"])
    assert "introductions" in last_dm(rete, ALBA).result["text"].lower()
    await press(rete, ALBA, greeting, menu["🔒 Your privacy"])
    assert last_dm(rete, ALBA).result["text"].startswith("What Rete keeps about you")
    assert len(rete.telegram.sent(ALBA["id"], method="sendDocument")) == 1


async def test_start_menu_in_italian(rete, group):
    await rete.send(f.command(private(CESARE), CESARE, "/start"))
    greeting = last_dm(rete, CESARE)
    assert greeting.result["text"].startswith("👋 Ciao Cesare, sono Rete.")
    menu = buttons(greeting)
    assert set(menu) == {"🏷 I tuoi interessi", "🤝 Le tue presentazioni", "🔒 La tua privacy"}
    await press(rete, CESARE, greeting, menu["🏷 I tuoi interessi"])
    assert "Interessi:" in last_dm(rete, CESARE).result["text"]


FORGED_MENU = {
    "en": "That button is not one of mine, or no longer works: send /start for a fresh menu.",
    "it": "Questo pulsante non è mio, o non funziona più: scrivi /start per un menu nuovo.",
}


@pytest.mark.parametrize(
    ("user", "data"),
    [
        (ALBA, "mn:"),
        (ALBA, "mn:zz"),
        (ALBA, "mn:interests:200"),
        (CESARE, "mn:privacy "),
        (CESARE, "mn:../privacy"),
    ],
)
async def test_a_forged_menu_button_is_refused_and_changes_nothing(rete, group, user, data):
    await rete.send(f.command(private(user), user, "/start"))
    greeting = last_dm(rete, user)
    before = await tables(rete)
    rete.telegram.clear_calls()
    await press(rete, user, greeting, data)
    assert alerts(rete) == [FORGED_MENU[user["language_code"]]]
    assert rete.telegram.sent() == []
    assert await tables(rete) == before


async def test_a_menu_button_under_a_group_message_runs_nothing(rete, group):
    await rete.send(f.command(GROUP, ALBA, "/help"))
    in_group = rete.telegram.sent(GROUP["id"])[-1]
    rete.telegram.clear_calls()
    await press(rete, ALBA, in_group, "mn:privacy")
    assert alerts(rete)
    assert "no longer works" in alerts(rete)[0]
    assert rete.telegram.sent() == []
    assert rete.telegram.sent(method="sendDocument") == []


# ---- the greeting behind a group's welcome button ------------------------------------------


async def test_welcome_link_greets_a_member_and_offers_to_join_introductions(rete, group):
    await joined(rete, GROUP, ALBA)
    await rete.send(f.command(private(ALBA), ALBA, LINK))
    greeting = last_dm(rete, ALBA)
    text = greeting.result["text"]
    assert text.startswith("👋 Hi Alba, welcome to Makers <&>!")
    assert "introduce you to members of Makers <&>" in text
    menu = buttons(greeting)
    assert menu["🤝 Join introductions in Makers <&>"] == "in:j:-1008"
    assert "🏷 Your interests" in menu
    # It continues where she came from: the Join button of introductions itself.
    await press(rete, ALBA, greeting, menu["🤝 Join introductions in Makers <&>"])
    assert await rete.db.intros.optin(GROUP["id"], ALBA["id"]) is not None
    # Once she has joined, the greeting no longer offers it.
    await rete.send(f.command(private(ALBA), ALBA, LINK))
    assert not any("Join" in label for label in buttons(last_dm(rete, ALBA)))


async def test_welcome_link_in_italian_without_introductions(rete, group):
    await rete.send(f.command(OTHER, ADMIN, "/settings intros off"))
    await joined(rete, OTHER, CESARE)
    await rete.send(f.command(private(CESARE), CESARE, "/start welcome-j1009"))
    greeting = last_dm(rete, CESARE)
    assert greeting.result["text"].startswith("👋 Ciao Cesare, ti do il benvenuto in Yonder!")
    assert "così in Yonder chi ha bisogno di te ti trova" in greeting.result["text"]
    assert set(buttons(greeting)) == {
        "🏷 I tuoi interessi",
        "🤝 Le tue presentazioni",
        "🔒 La tua privacy",
    }


@pytest.mark.parametrize(
    ("who", "answer"),
    [
        (STRANGER, "I can't find you in that group yet: join it first"),
        (YARA, "Non ti trovo ancora in quel gruppo: entra prima nel gruppo"),
    ],
)
async def test_welcome_link_for_a_group_the_member_is_not_in_is_refused(rete, group, who, answer):
    # Yara is in the other group only; the stranger in none. Neither learns about Makers.
    await rete.send(f.message_update(f.message(OTHER, YARA, "ciao")))
    before = await tables(rete)
    await rete.send(f.command(private(who), who, LINK))
    text = last_dm(rete, who).result["text"]
    assert text.startswith(answer)
    assert "Makers" not in text
    assert buttons(last_dm(rete, who)) == {}
    after = await tables(rete)
    assert without_own_contact(after, who["id"]) == without_own_contact(before, who["id"])


async def test_welcome_link_for_someone_who_left_is_refused(rete, group):
    await joined(rete, GROUP, ALBA)
    await rete.send(f.left_member(GROUP, ALBA, ALBA))
    await rete.send(f.command(private(ALBA), ALBA, LINK))
    assert last_dm(rete, ALBA).result["text"].startswith("I can't find you in that group yet")


@pytest.mark.parametrize(
    "payload", ["welcome", "welcome-j", "welcome-jabc", "welcome-j0", "welcome-p5", "welcome-j-1"]
)
async def test_a_forged_welcome_link_is_refused(rete, group, payload):
    await rete.send(f.command(private(ALBA), ALBA, f"/start {payload}"))
    assert last_dm(rete, ALBA).result["text"] == (
        "I don't know that group. Open the link again from the group's welcome message."
    )


# ---- free text in private ------------------------------------------------------------------


async def test_free_text_gets_one_hint_with_the_menu_then_quiet(rete, group):
    await rete.send(f.message_update(f.message(private(ALBA), ALBA, "hello? my secret plan")))
    hint = last_dm(rete, ALBA)
    assert hint.result["text"] == (
        "I don't read messages written here, but this is what I can do for you (or send /help):"
    )
    assert set(buttons(hint)) == {"🏷 Your interests", "🤝 Your introductions", "🔒 Your privacy"}
    for text in ("are you there?", "hello??", "ok"):
        await rete.send(f.message_update(f.message(private(ALBA), ALBA, text)))
    assert len(rete.telegram.sent(ALBA["id"])) == 1, "one hint, not one per message"
    # An edit is no new message.
    edited = f.message(private(ALBA), ALBA, "edited")
    await rete.send(f.message_update(edited, edited=True))
    assert len(rete.telegram.sent(ALBA["id"])) == 1
    rete.clock.advance(welcomes.GAP + timedelta(minutes=30))
    await rete.send(f.message_update(f.message(private(ALBA), ALBA, "hi again")))
    assert len(rete.telegram.sent(ALBA["id"])) == 2
    # What she wrote is kept nowhere.
    dump = json.dumps(await tables(rete))
    assert "secret plan" not in dump
    assert "hi again" not in dump


async def test_free_text_hint_in_italian(rete, group):
    await rete.send(f.message_update(f.message(private(CESARE), CESARE, "ciao!")))
    hint = last_dm(rete, CESARE)
    assert hint.result["text"].startswith("Non leggo i messaggi scritti qui")
    assert "/aiuto" in hint.result["text"]
    assert "🔒 La tua privacy" in buttons(hint)


@pytest.mark.parametrize(
    ("user", "typed", "stored"),
    [(ALBA, "Python, kayak", "kayak"), (CESARE, "montagna, python", "montagna")],
)
async def test_tags_typed_after_one_more_step_are_taken_as_tags(rete, group, user, typed, stored):
    await joined(rete, GROUP, user)
    await rete.send(f.command(private(user), user, "/start intros-j1008"))
    await press(rete, user, last_dm(rete, user), "in:j:-1008")
    step = last_dm(rete, user).result["text"]
    assert step.startswith(("One more step", "Ancora un passo"))
    assert "separated by commas" in step or "separati da una virgola" in step
    await rete.send(f.message_update(f.message(private(user), user, typed)))
    assert ("interest", stored) in await rete.db.intros.tags(user["id"])
    panel = last_dm(rete, user).result["text"]
    assert panel.startswith(("✅ Added 2 tags", "✅ Fatto: 2 tag"))
    assert not any("Non leggo" in t or "I don't read" in t for t in rete.texts(user["id"]))
    # Only what follows the prompt: the next message is free text again.
    await rete.send(f.message_update(f.message(private(user), user, "grazie!")))
    assert ("interest", "grazie!") not in await rete.db.intros.tags(user["id"])


# ---- newcomers' welcome in the group -------------------------------------------------------


async def test_a_newcomer_is_welcomed_once_after_the_wave_with_the_introductions_button(
    rete, group
):
    await joined(rete, GROUP, NASTY)
    start = rete.now()
    await rete.welcome(start + timedelta(seconds=5))
    assert await welcomed(rete) == [], "waits until the wave is over"
    await rete.welcome(start + welcomes.QUIET)
    [post] = await welcomed(rete)
    assert post.result["text"].startswith("👋 Welcome to Makers <&>, <b>Ezio</b> & co </a>!")
    assert "introduced, in private" in post.result["text"]
    links = buttons(post)
    assert links["🤝 Introduce me"].endswith("?start=intros-j1008")
    assert links["👋 First steps"].endswith("?start=welcome-j1008")
    assert post.params["parse_mode"] == "HTML"
    # Redelivered, reported again by chat_member, or back after leaving: never again.
    await joined(rete, GROUP, NASTY)
    await rete.send(f.chat_member(GROUP, ADMIN, NASTY, "left", "member"))
    await rete.send(f.left_member(GROUP, NASTY, NASTY))
    await rete.send(f.chat_member(GROUP, ADMIN, NASTY, "left", "member"))
    await rete.welcome(start + timedelta(hours=1))
    assert len(await welcomed(rete)) == 1
    assert await rete.db.welcomes.state(GROUP["id"], NASTY["id"]) == "sent"


async def test_a_join_seen_only_as_a_chat_member_update_is_welcomed(rete, group):
    await rete.send(f.chat_member(GROUP, ADMIN, ALBA, "left", "member"))
    await rete.send(f.chat_member(GROUP, ADMIN, OTHER_BOT, "left", "member"))
    await rete.welcome(rete.now() + welcomes.QUIET)
    [post] = await welcomed(rete)
    assert post.result["text"].startswith("👋 Welcome to Makers <&>, Alba!")


async def test_italian_group_welcome_without_introductions(rete, group):
    await rete.send(f.command(OTHER, ADMIN, "/settings intros off"))
    await rete.send(f.new_members(OTHER, CESARE, CESARE, YARA))
    await rete.welcome(rete.now() + welcomes.QUIET)
    [post] = await welcomed(rete, OTHER)
    assert post.result["text"].startswith("👋 Diamo il benvenuto in Yonder a Cesare e Yara!")
    assert "Qui ci si aiuta a vicenda" in post.result["text"]
    assert "vi presento" not in post.result["text"]
    assert set(buttons(post)) == {"👋 Primi passi"}


async def test_bots_are_not_welcomed_and_welcome_can_be_switched_off(rete, group):
    await joined(rete, GROUP, OTHER_BOT)
    await rete.welcome(rete.now() + timedelta(minutes=10))
    assert await welcomed(rete) == []
    # The admins switch it off (in Italian, as benvenuto): nobody is welcomed.
    await rete.send(f.command(GROUP, ADMIN, "/impostazioni benvenuto off"))
    assert rete.last_text(GROUP["id"]) == "✅ I won't welcome newcomers in this group any more."
    await joined(rete, GROUP, ALBA)
    await rete.welcome(rete.now() + timedelta(minutes=10))
    assert await welcomed(rete) == []
    await rete.send(f.command(GROUP, ADMIN, "/settings welcome on"))
    assert "I'll welcome newcomers again" in rete.last_text(GROUP["id"])
    await rete.send(f.command(GROUP, ADMIN, "/settings welcome maybe"))
    assert "neither on nor off" in rete.last_text(GROUP["id"])
    assert (await rete.db.chats.get(GROUP["id"])).settings["welcome"] is True


async def test_settings_welcome_is_for_admins_only(rete, group):
    await rete.send(f.command(GROUP, ALBA, "/settings welcome off"))
    assert "only the group's admins" in rete.last_text(GROUP["id"])
    assert "welcome" not in (await rete.db.chats.get(GROUP["id"])).settings


async def test_who_left_before_the_welcome_is_not_named(rete, group):
    await rete.send(f.new_members(GROUP, ALBA, ALBA, CESARE))
    await rete.send(f.left_member(GROUP, CESARE, CESARE))
    await rete.welcome(rete.now() + welcomes.QUIET)
    [post] = await welcomed(rete)
    assert post.result["text"].startswith("👋 Welcome to Makers <&>, Alba!")
    assert "Cesare" not in post.result["text"]


async def _wave(rete, count, seconds, name="Nuovo{n} <&>", first_id=10_000):
    """``count`` people join over ``seconds``; the welcome job runs every 5 s meanwhile."""
    chat = GROUP
    start = rete.now()
    people = [
        f.user(first_id + n, name.format(n=n), last_name="&" * 64 if "&" * 3 in name else None)
        for n in range(count)
    ]
    step = seconds / count
    tick, last = 0.0, 0
    for n, person in enumerate(people):
        rete.clock.set(start + timedelta(seconds=n * step))
        last = rete.telegram.add_update(f.new_members(chat, person, person))
        if n * step >= tick:
            await _drain(rete, last)
            await rete.welcome()
            tick += 5
    await _drain(rete, last)
    moment = rete.now()
    for _ in range(120):  # ten more minutes of the job, every 5 s
        moment += timedelta(seconds=5)
        await rete.welcome(moment)
    return people


async def _drain(rete, last):
    """Wait until the bot handled every update up to ``last``."""
    await rete.telegram.wait_delivered(last, timeout=20)
    await rete.settle(within=20)


async def test_two_hundred_joins_in_a_minute_make_one_welcome(rete, group):
    people = await _wave(rete, 200, 60)
    posts = await welcomed(rete)
    assert len(posts) == 1, [p.result["text"][:80] for p in posts]
    text = posts[0].result["text"]
    assert len(text) <= LIMIT
    assert text.startswith("👋 Welcome to Makers <&>, Nuovo0 <&>, Nuovo1 <&>")
    named = sum(f"{p['first_name']}," in text or f"{p['first_name']} and" in text for p in people)
    assert named == welcomes.MAX_NAMED
    assert f"and {200 - welcomes.MAX_NAMED} more people!" in text
    # Every one of them is recorded as welcomed, once.
    rows = await rete.db.fetchall(
        "SELECT state, count(*) FROM welcomes WHERE chat_id = ? GROUP BY state", (GROUP["id"],)
    )
    assert {row[0]: row[1] for row in rows} == {"sent": 200}


async def test_two_hundred_long_names_full_of_html_still_fit_one_message(rete, group):
    await _wave(rete, 200, 60, name="<b>&&&&{n}</b>" + "&" * 50)
    [post] = await welcomed(rete)
    text = post.result["text"]
    assert len(text) <= LIMIT
    assert "<b>&&&&0</b>&&&" in text, "names are shown literally, never as formatting"
    assert post.result.get("entities"), "each named newcomer is a mention"
    assert text.endswith(
        "best way to start. The button below gets you introduced, in "
        "private, to members who share your interests."
    )


async def test_hidden_members_are_welcomed_without_their_name(rete, group):
    await rete.send(f.command(private(ALBA), ALBA, "/start"))
    await rete.db.members.set_hidden(ALBA["id"], True)
    await rete.send(f.new_members(GROUP, ALBA, ALBA, CESARE))
    await rete.welcome(rete.now() + welcomes.QUIET)
    [post] = await welcomed(rete)
    assert post.result["text"].startswith("👋 Welcome to Makers <&>, Cesare and one more person!")
    assert "Alba" not in post.result["text"]
    # Alone, a hidden newcomer is welcomed without a name.
    await rete.db.members.set_hidden(CESARE["id"], True)
    dora = f.user(420, "Dora", language_code="en")
    await rete.send(f.command(private(dora), dora, "/start"))
    await rete.db.members.set_hidden(dora["id"], True)
    await rete.send(f.new_members(GROUP, dora, dora))
    await rete.welcome(rete.now() + welcomes.GAP + welcomes.QUIET)
    assert (
        (await welcomed(rete))[-1]
        .result["text"]
        .startswith("👋 Welcome to Makers <&>, our newest member!")
    )


async def test_a_long_stream_of_joins_makes_few_welcomes_spaced_out(rete, group):
    await rete.send(f.command(GROUP, ADMIN, "/settings language it"))
    await _wave(rete, 120, 360)
    posts = await welcomed(rete)
    assert 2 <= len(posts) <= 3
    assert all(len(p.result["text"]) <= LIMIT for p in posts)
    assert all(p.result["text"].startswith("👋 Diamo il benvenuto in Makers <&>") for p in posts)
    assert "Con il pulsante qui sotto vi presento, in privato" in posts[0].result["text"]
    assert set(buttons(posts[0])) == {"🤝 Presentami", "👋 Primi passi"}
    dates = [p.result["date"] for p in posts]
    assert all(b - a >= welcomes.GAP.total_seconds() for a, b in itertools.pairwise(dates))
    rows = await rete.db.fetchall(
        "SELECT count(*) FROM welcomes WHERE chat_id = ? AND state = 'sent'", (GROUP["id"],)
    )
    assert next(iter(rows))[0] == 120


async def test_a_restart_mid_batch_neither_loses_nor_doubles_the_welcome(rete, group):
    await rete.send(f.new_members(GROUP, ALBA, ALBA))
    await rete.send(f.new_members(GROUP, CESARE, CESARE))
    await rete.restart()
    await rete.welcome(rete.now() + welcomes.QUIET)
    [post] = await welcomed(rete)
    assert "Alba and Cesare" in post.result["text"]
    await rete.restart()
    # Telegram delivers the joins again after the restart: nobody is welcomed twice.
    await rete.send(f.new_members(GROUP, ALBA, ALBA))
    await rete.welcome(rete.now() + timedelta(hours=1))
    assert len(await welcomed(rete)) == 1


async def test_a_refused_welcome_is_kept_and_posted_once_later(rete, group):
    await joined(rete, GROUP, ALBA)
    rete.telegram.fail(
        "sendMessage",
        description="Bad Request: something went wrong",
        when=lambda params: params.get("chat_id") == GROUP["id"],
    )
    start = rete.now()
    await rete.welcome(start + welcomes.QUIET)
    assert await welcomed(rete) == []
    assert await rete.db.welcomes.state(GROUP["id"], ALBA["id"]) == "pending"
    await rete.welcome(start + welcomes.QUIET + timedelta(minutes=1))
    assert await welcomed(rete) == [], "not retried at once"
    await rete.welcome(start + welcomes.QUIET + welcomes.GAP)
    assert len(await welcomed(rete)) == 1
    await rete.welcome(start + timedelta(hours=2))
    assert len(await welcomed(rete)) == 1


async def test_a_welcome_waiting_too_long_greets_nobody(rete, group):
    await joined(rete, GROUP, ALBA)
    await rete.welcome(rete.now() + welcomes.STALE + timedelta(minutes=1))
    assert await welcomed(rete) == []
    assert await rete.db.welcomes.state(GROUP["id"], ALBA["id"]) == "skipped"


# ---- "did you meet?": the answer stays in the message --------------------------------------


async def _follow_up(rete, user, partner):
    for person in (user, partner):
        await joined(rete, GROUP, person)
        await rete.send(f.command(private(person), person, "/start"))
    now = rete.now()
    await rete.db.intros.add_intros(
        GROUP["id"],
        now,
        [NewIntro((user["id"], partner["id"]), 1.0, {})],
        kind="meet",
        follow_up_at=now + timedelta(days=7),
        initiator_id=user["id"],
    )
    await rete.sweep(now)  # the introduction's DMs go out
    await rete.sweep(now + timedelta(days=8))
    [question] = [
        c
        for c in rete.telegram.sent(user["id"])
        if "Did you meet?" in c.result["text"]
        or "Avete avuto modo di sentirvi?" in c.result["text"]
    ]
    return question


@pytest.mark.parametrize(
    ("user", "label", "answer", "thanks"),
    [
        (ALBA, "✅ Yes", "Your answer: ✅ Yes", "Wonderful"),
        (ALBA, "⏳ Not yet", "Your answer: ⏳ Not yet", "No rush"),
        (CESARE, "❌ No", "Hai risposto: ❌ No", "Al prossimo giro ti presento qualcun altro"),
    ],
)
async def test_the_follow_up_answer_stays_visible_in_the_dm(
    rete, group, user, label, answer, thanks
):
    partner = f.user(420, "Dora <&>", username="dora", language_code="en")
    question = await _follow_up(rete, user, partner)
    await press(rete, user, question, buttons(question)[label])
    edited = rete.telegram.calls_to("editMessageText")[-1]
    text = edited.result["text"]
    assert text.startswith(question.result["text"]), "the question is still there"
    assert answer in text
    assert thanks in text
    assert "Dora <&>" in text
    assert buttons(edited) == {}
    # The message as Telegram now shows it, to anyone scrolling back.
    shown = rete.telegram.message(user["id"], question.result["message_id"])
    assert answer in shown["text"]


@pytest.mark.parametrize(
    ("intruder", "refusal"),
    [
        (STRANGER, "Sorry, that belongs to someone else."),
        (YARA, "Mi dispiace, non è tuo: appartiene a un'altra persona."),
    ],
)
async def test_someone_elses_follow_up_is_refused_and_changes_nothing(
    rete, group, intruder, refusal
):
    partner = f.user(420, "Dora", username="dora", language_code="en")
    question = await _follow_up(rete, ALBA, partner)
    data = buttons(question)["✅ Yes"]
    before = await tables(rete)
    rete.telegram.clear_calls()
    await rete.send(f.callback_query(intruder, data, question.result))
    assert alerts(rete) == [refusal]
    assert rete.telegram.calls_to("editMessageText") == []
    assert await tables(rete) == before
