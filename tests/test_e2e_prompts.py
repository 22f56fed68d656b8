"""End to end: engagement prompts through the fake Bot API server and a real SQLite file."""

import logging
from datetime import UTC, datetime, timedelta

import pytest

from bot.i18n import Catalog
from bot.prompts import BUILTIN_COUNT, builtin_catalog_id
from handlers.prompts import JOB_NAME
from tests import factories as f
from tests.conftest import ADMIN, MEMBER

GROUP = f.group(-1011, "Makers")
CARLA = f.user(300, "Carla", username="carla", language_code="it")
DARIO = f.user(301, "Dario", username="dario", language_code="en")
# Monday 23 November 2026, 09:30 in Rome (the group's zone) is 08:30 UTC.
SLOT = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)
SLOT_KEY = "2026-11-23T09:30"
CATALOG = Catalog()
ITALIAN_DECK = {CATALOG.text("it", builtin_catalog_id(n)) for n in range(1, BUILTIN_COUNT + 1)}


@pytest.fixture
async def group(rete):
    rete.telegram.set_admins(GROUP["id"], ADMIN, DARIO)
    await rete.send(f.my_chat_member(GROUP, ADMIN, rete.telegram.bot_user, "left", "member"))
    await rete.backdate(GROUP["id"])  # the tests' slots are before today
    for admin in (ADMIN, DARIO):
        await rete.send(f.command(f.private_chat(admin), admin, "/start"))
    await say(rete, ADMIN, "/prompts on")
    await say(rete, ADMIN, "/prompts schedule mon,thu 09:30")
    # The weekly recap (on by default, Monday 09:00) would post at the same ticks.
    await say(rete, ADMIN, "/settings recap off")
    rete.telegram.clear_calls()
    return GROUP


async def say(rete, sender, text, *, chat=GROUP, **kw):
    update = f.message_update(f.message(chat, sender, text, **kw))
    await rete.send(update)
    return update["message"]


async def tick(rete, moment: datetime) -> None:
    """Fire the scheduler at ``moment``."""
    await rete.tick(moment)


def prompts_posted(rete) -> list[str]:
    return [text for text in rete.texts(GROUP["id"]) if text.startswith("💬 ")]


async def chatter(rete, count: int, at: datetime) -> None:
    """``count`` messages from members, sent at ``at`` (Telegram's date)."""
    for index in range(count):
        sender = (MEMBER, CARLA)[index % 2]
        await say(rete, sender, f"message {index}", date=int(at.timestamp()))


async def run_state(rete, slot_key: str = SLOT_KEY):
    return await rete.db.schedule.get(GROUP["id"], JOB_NAME, slot_key)


async def test_a_slot_posts_one_prompt_and_a_restart_does_not_post_it_again(rete, group):
    await tick(rete, SLOT - timedelta(minutes=1))
    assert prompts_posted(rete) == []
    await tick(rete, SLOT + timedelta(seconds=20))
    posted = prompts_posted(rete)
    assert len(posted) == 1
    assert posted[0].removeprefix("💬 ") in ITALIAN_DECK
    rows = await rete.db.fetchall("SELECT slot, prompt_key, cycle, text FROM prompt_posts")
    assert [(r["slot"], r["cycle"]) for r in rows] == [(SLOT_KEY, 0)]
    assert rows[0]["text"] == posted[0].removeprefix("💬 ")
    await rete.restart()
    await tick(rete, SLOT + timedelta(minutes=5))
    await tick(rete, SLOT + timedelta(minutes=50))
    assert len(prompts_posted(rete)) == 1, "never twice for the same slot"
    assert (await run_state(rete)).state == "done"
    # The next slot (Thursday) posts a different prompt; the rotation survived the restart.
    await tick(rete, SLOT + timedelta(days=3))
    second = prompts_posted(rete)
    assert len(second) == 2
    assert second[0] != second[1]


async def test_down_at_the_slot_posts_once_within_an_hour_and_skips_later(rete, group, caplog):
    await tick(rete, SLOT + timedelta(minutes=55))
    await tick(rete, SLOT + timedelta(minutes=56))
    assert len(prompts_posted(rete)) == 1
    caplog.set_level(logging.INFO, logger="handlers.scheduling")
    thursday = SLOT + timedelta(days=3)
    await tick(rete, thursday + timedelta(minutes=61))
    assert len(prompts_posted(rete)) == 1
    assert (await run_state(rete, "2026-11-26T09:30")).state == "skipped"
    assert "Skipped prompts" in caplog.text


async def test_busy_group_is_not_interrupted_then_gets_the_prompt(rete, group):
    await chatter(rete, 11, SLOT - timedelta(minutes=10))
    await tick(rete, SLOT)
    assert prompts_posted(rete) == []
    held = await run_state(rete)
    assert (held.state, held.retry_at) == ("held", SLOT + timedelta(minutes=15))
    # Still 11 messages in the last 30 minutes at 09:45: hold again.
    await tick(rete, SLOT + timedelta(minutes=15))
    assert prompts_posted(rete) == []
    assert (await run_state(rete)).retry_at == SLOT + timedelta(minutes=30)
    # A restart keeps the held run; at 10:00 the chatter is over 30 minutes old.
    await rete.restart()
    await tick(rete, SLOT + timedelta(minutes=30))
    assert len(prompts_posted(rete)) == 1
    assert (await run_state(rete)).state == "done"


async def test_an_admin_posting_during_a_hold_replaces_the_held_prompt(rete, group):
    await chatter(rete, 11, SLOT - timedelta(minutes=5))
    await tick(rete, SLOT)
    assert (await run_state(rete)).state == "held"
    rete.clock.set(SLOT + timedelta(minutes=20))
    await say(rete, ADMIN, "/prompts now")
    assert len(prompts_posted(rete)) == 1
    await tick(rete, SLOT + timedelta(minutes=45))
    assert len(prompts_posted(rete)) == 1, "the held prompt is not posted on top"
    assert (await run_state(rete)).state == "done"


async def test_busy_for_two_hours_posts_anyway(rete, group):
    for quarter in range(9):
        moment = SLOT + quarter * timedelta(minutes=15)
        await chatter(rete, 11, moment - timedelta(minutes=1))
        await tick(rete, moment)
        if quarter < 8:
            assert prompts_posted(rete) == [], f"held at +{quarter * 15} min"
    assert len(prompts_posted(rete)) == 1, "posted at the two-hour limit"


async def test_a_prompt_held_into_quiet_hours_is_skipped(rete, group):
    await say(rete, ADMIN, "/prompts schedule mon 21:30")
    evening = datetime(2026, 11, 23, 20, 30, tzinfo=UTC)  # 21:30 in Rome
    key = "2026-11-23T21:30"
    await chatter(rete, 12, evening - timedelta(minutes=5))
    await tick(rete, evening)
    await chatter(rete, 12, evening + timedelta(minutes=14))
    await tick(rete, evening + timedelta(minutes=15))
    assert (await run_state(rete, key)).retry_at == evening + timedelta(minutes=30)
    await tick(rete, evening + timedelta(minutes=30))  # 22:00: quiet hours begin
    assert prompts_posted(rete) == []
    assert (await run_state(rete, key)).state == "done"
    await tick(rete, evening + timedelta(minutes=45))
    assert prompts_posted(rete) == []


async def test_schedule_inside_quiet_hours_is_refused(rete, group):
    await say(rete, ADMIN, "/prompts schedule mon 23:00")
    assert "ore di silenzio (22:00–08:00)" in rete.last_text(GROUP["id"])
    await say(rete, ADMIN, "/prompts quiet 09:00-10:00")
    assert "Sposta prima gli spunti" in rete.last_text(GROUP["id"])
    chat = await rete.db.chats.get(GROUP["id"])
    assert chat.settings["promptschedule"] == {"days": [0, 3], "at": "09:30"}
    assert "quiethours" not in chat.settings
    await say(rete, ADMIN, "/spunti silenzio off")
    assert rete.last_text(GROUP["id"]).startswith("✅ Niente ore di silenzio")
    await say(rete, ADMIN, "/spunti orario ogni giorno 23:00")
    said = rete.last_text(GROUP["id"])
    assert said.startswith("✅ Pubblicherò uno spunto ogni giorno alle 23:00")


async def test_next_in_local_time_across_the_march_change_and_another_zone(rete, group):
    # Thursday 26 March 2026, 10:00 in Rome: the next slot is Monday, after the change.
    rete.clock.set(datetime(2026, 3, 26, 9, 0, tzinfo=UTC))
    await say(rete, ADMIN, "/prompts next")
    assert rete.last_text(GROUP["id"]) == (
        "Il prossimo spunto: lunedì 30 marzo alle 09:30 (Europe/Rome)."
    )
    await say(rete, ADMIN, "/prompts schedule mon,thu 09:30 america/new_york")
    chat = await rete.db.chats.get(GROUP["id"])
    assert chat.settings["timezone"] == "America/New_York"
    await say(rete, ADMIN, "/spunti prossimo")
    # 09:00 UTC is 05:00 in New York (summer time there since 8 March): today at 09:30.
    assert rete.last_text(GROUP["id"]) == (
        "Il prossimo spunto: giovedì 26 marzo alle 09:30 (America/New_York)."
    )
    # New York's 09:30 is 13:30 UTC that day: Rome's 09:30 does not fire it.
    await tick(rete, datetime(2026, 3, 26, 8, 30, tzinfo=UTC))
    assert prompts_posted(rete) == []
    await tick(rete, datetime(2026, 3, 26, 13, 30, tzinfo=UTC))
    assert len(prompts_posted(rete)) == 1


async def test_now_posts_custom_prompts_first_with_html_shown_literally(rete, group):
    nasty = "<b>Chi</b> & cosa? </a> <script>"
    await say(rete, ADMIN, f"/prompts add {nasty}")
    assert rete.last_text(GROUP["id"]).startswith("✅ Aggiunto come numero 1.")
    await say(rete, ADMIN, "/prompts now")
    assert prompts_posted(rete) == [f"💬 {nasty}"]
    await say(rete, ADMIN, "/spunti ora")
    posted = prompts_posted(rete)
    assert len(posted) == 2
    assert posted[1].removeprefix("💬 ") in ITALIAN_DECK
    await say(rete, ADMIN, "/prompts list")
    listing = rete.last_text(GROUP["id"])
    assert "1. ✍️ <b>Chi</b> & cosa? </a> <script> — uscito una volta" in listing
    assert "pagina 1 di 4, 33 spunti" in listing


async def test_a_prompt_full_of_html_signs_is_posted_whole_or_refused_when_added(rete, group):
    # Escaped, each "<" takes four characters: 600 of them still fit, 1,000 do not.
    await say(rete, ADMIN, "/prompts add " + "<" * 600)
    assert rete.last_text(GROUP["id"]).startswith("✅ Aggiunto come numero 1.")
    await say(rete, ADMIN, "/prompts add " + "<" * 1000)
    assert rete.last_text(GROUP["id"]).startswith("Contiene troppi segni <, > e &")
    await say(rete, ADMIN, "/suggest " + "&" * 1000)
    assert rete.last_text(GROUP["id"]).startswith("Contiene troppi segni <, > e &")
    assert rete.telegram.sent(DARIO["id"]) == [], "the admins are not asked"
    assert [p.text for p in await rete.db.prompts.custom(GROUP["id"])] == ["<" * 600]
    assert await rete.db.prompts.pending(GROUP["id"]) == []
    await say(rete, ADMIN, "/prompts now")
    assert prompts_posted(rete) == ["💬 " + "<" * 600]


async def test_replies_from_distinct_members_are_the_track_record(rete, group):
    await say(rete, ADMIN, "/prompts next")
    other = rete.telegram.sent(GROUP["id"])[-1].result  # the bot's, but not a prompt
    await say(rete, ADMIN, "/prompts now")
    prompt = rete.telegram.sent(GROUP["id"])[-1].result
    await say(rete, MEMBER, "Io!", reply_to=prompt)
    await say(rete, MEMBER, "E ancora io", reply_to=prompt)
    await say(rete, CARLA, "Anch'io", reply_to=prompt)
    await say(rete, DARIO, "/thanks", reply_to=prompt)
    await say(rete, CARLA, "not a reply to a prompt", reply_to=other)
    edited = f.message(GROUP, DARIO, "edit", reply_to=prompt)
    await rete.send(f.message_update(edited, edited=True))
    assert await rete.db.prompts.replies(GROUP["id"], prompt["message_id"]) == 2
    top = await rete.db.prompts.top_post(
        GROUP["id"], rete.now() - timedelta(days=7), rete.now() + timedelta(days=1)
    )
    assert top == (prompt["text"].removeprefix("💬 "), 2)
    await say(rete, ADMIN, "/prompts list")
    assert "uscito una volta, hanno risposto 2 persone" in rete.last_text(GROUP["id"])


async def test_remove_custom_and_built_in_prompts(rete, group):
    await say(rete, ADMIN, "/prompts add Prima domanda")
    await say(rete, ADMIN, "/prompts remove 1")
    assert rete.last_text(GROUP["id"]) == "✅ Tolto: Prima domanda"
    assert await rete.db.prompts.custom(GROUP["id"]) == []
    await say(rete, ADMIN, "/spunti rimuovi 32")
    chat = await rete.db.chats.get(GROUP["id"])
    assert chat.settings["promptretired"] == [32]
    await say(rete, ADMIN, "/prompts list 5")
    assert rete.last_text(GROUP["id"]).startswith("Le pagine sono 4")
    await say(rete, ADMIN, "/prompts list 4")
    last_page = rete.last_text(GROUP["id"])
    assert "(pagina 4 di 4, 31 spunti, prima i vostri)\n31. " in last_page
    assert "Continua" not in last_page


@pytest.mark.parametrize(
    ("sender", "text", "expected"),
    [
        (ADMIN, "/prompts schedule funday 25:00", "“funday” non è un elenco di giorni"),
        (ADMIN, "/prompts schedule lun,mar,lun 09:30", "“lun” compare due volte"),
        (ADMIN, "/prompts schedule mon 25:00", "“25:00” non è un orario"),
        (
            ADMIN,
            "/prompts schedule mon 09:30 Mars/Phobos",
            "Non conosco il fuso orario “Mars/Phobos”",
        ),
        (ADMIN, "/prompts add", "Scrivi la domanda dopo il comando"),
        # Digits other than 0-9 pass str.isdigit(): "²" crashed int(), "３" and "٣" were 3.
        (ADMIN, "/prompts busy ²", "Indica un numero da 1 a 500"),
        (ADMIN, "/prompts busy ３", "Indica un numero da 1 a 500"),
        (ADMIN, "/prompts busy 99999999999999999999999", "Indica un numero da 1 a 500"),
        (ADMIN, "/prompts list ²", "Le pagine sono 4"),
        (ADMIN, "/prompts remove ²", "“²” non è un numero che so leggere"),
        (ADMIN, "/spunti rimuovi ٣", "“٣” non è un numero che so leggere"),
        (ADMIN, "/settings quota ٣", "“٣” non è un numero intero da 1 a"),
        (ADMIN, "/prompts quiet ٢٢:٠٠-٠٨:٠٠", "non è una fascia oraria"),
        (
            ADMIN,
            "/prompts add " + "x" * 2000,
            "Sono 2.000 caratteri: uno spunto può averne al massimo 1.000",
        ),
        (ADMIN, "/prompts remove 999", "Non c'è uno spunto numero 999"),
        (ADMIN, "/prompts remove tre", "“tre” non è un numero che so leggere"),
        (ADMIN, "/prompts quiet sempre", "“sempre” non è una fascia oraria"),
        (ADMIN, "/prompts busy molti", "Indica un numero da 1 a 500"),
        (ADMIN, "/prompts pin forse", "Scrivi /spunti fissa on"),
        (ADMIN, "/prompts boh", "Non conosco “boh”"),
        (ADMIN, "/prompts list 9", "Le pagine sono 4"),
        (MEMBER, "/prompts off", "Mi spiace, gli spunti li gestiscono gli admin"),
        (MEMBER, "/prompts add Ciao", "Mi spiace, gli spunti li gestiscono gli admin"),
        (MEMBER, "/spunti ora", "Mi spiace, gli spunti li gestiscono gli admin"),
        (CARLA, "/suggest", "Scrivi la tua domanda dopo il comando"),
        (CARLA, "/suggerisci " + "y" * 1001, "Sono 1.001 caratteri"),
    ],
)
async def test_bad_input_gets_a_clear_answer_and_changes_nothing(
    rete, group, sender, text, expected
):
    before = (await rete.db.chats.get(GROUP["id"])).settings
    await say(rete, sender, text)
    assert expected in rete.last_text(GROUP["id"])
    assert (await rete.db.chats.get(GROUP["id"])).settings == before
    assert await rete.db.prompts.custom(GROUP["id"]) == []
    assert await rete.db.prompts.pending(GROUP["id"]) == []
    assert prompts_posted(rete) == []


async def test_prompts_and_suggest_in_private(rete, group):
    await rete.send(f.command(f.private_chat(CARLA), CARLA, "/suggest Una bella domanda"))
    assert rete.last_text(CARLA["id"]).startswith("Manda /suggerisci nel gruppo")
    await rete.send(f.command(f.private_chat(ADMIN), ADMIN, "/prompts on"))
    assert rete.last_text(ADMIN["id"]).startswith("/spunti funziona dentro un gruppo")
    assert await rete.db.prompts.pending(GROUP["id"]) == []


async def test_suggestion_approved_by_one_admin_once(rete, group):
    await rete.send(f.command(f.private_chat(CARLA), CARLA, "/start"))
    await say(rete, CARLA, "/suggest Qual è il <b>libro</b> dell'anno?")
    assert rete.last_text(GROUP["id"]) == "🙏 Grazie Carla! Ho girato la tua proposta agli admin."
    to_anna = rete.telegram.sent(ADMIN["id"])[-1]
    to_dario = rete.telegram.sent(DARIO["id"])[-1]
    assert to_anna.result["text"].endswith("Qual è il <b>libro</b> dell'anno?")
    assert "Carla propone uno spunto per Makers" in to_anna.result["text"]
    assert "Carla suggests a prompt for Makers" in to_dario.result["text"], (
        "each in their language"
    )
    buttons = to_anna.params["reply_markup"]["inline_keyboard"][0]
    approve, reject = (b["callback_data"] for b in buttons)
    assert all(len(data.encode()) <= 64 for data in (approve, reject))
    # A member who is not an admin cannot decide, even with the button's data.
    await rete.send(f.callback_query(MEMBER, approve, to_anna.result))
    assert await rete.db.prompts.custom(GROUP["id"]) == []
    await rete.send(f.callback_query(ADMIN, approve, to_anna.result))
    deck = await rete.db.prompts.custom(GROUP["id"])
    assert [p.text for p in deck] == ["Qual è il <b>libro</b> dell'anno?"]
    edit = rete.telegram.calls_to("editMessageText")[-1]
    assert "Approvata da Anna Admin" in edit.result["text"]
    assert rete.last_text(CARLA["id"]).startswith("🎉 La tua proposta di spunto per Makers")
    # Pressed twice, or by another admin afterwards: a polite answer, nothing changes.
    await rete.send(f.callback_query(ADMIN, approve, to_anna.result))
    await rete.send(f.callback_query(DARIO, reject, to_dario.result))
    answers = [c.params.get("text") for c in rete.telegram.calls_to("answerCallbackQuery")]
    assert answers[0] == "Only the group's admins can decide on suggestions."
    assert answers[1] == "Approvata ✅"
    assert answers[2] == "Questa proposta è già stata approvata."
    assert answers[3] == "This suggestion was already approved."
    assert len(await rete.db.prompts.custom(GROUP["id"])) == 1
    suggestion = (await rete.db.fetchall("SELECT status, decided_by FROM prompt_suggestions"))[0]
    assert (suggestion["status"], suggestion["decided_by"]) == ("approved", ADMIN["id"])
    # Approved suggestions join the custom deck: they go out first.
    await say(rete, ADMIN, "/prompts now")
    assert prompts_posted(rete) == ["💬 Qual è il <b>libro</b> dell'anno?"]


@pytest.mark.parametrize("data", ["psg:a:²", "psg:r:٣", "psg:a:99999999999999999999", "psg:"])
async def test_a_forged_suggestion_button_is_answered_and_changes_nothing(rete, group, data):
    await say(rete, CARLA, "/suggest Una domanda")
    to_anna = rete.telegram.sent(ADMIN["id"])[-1]
    await rete.send(f.callback_query(ADMIN, data, to_anna.result))
    [answer] = rete.telegram.calls_to("answerCallbackQuery")
    assert answer.params["text"] == "Questa proposta non esiste più."
    assert len(await rete.db.prompts.pending(GROUP["id"])) == 1
    assert await rete.db.prompts.custom(GROUP["id"]) == []


async def test_rejected_suggestion_and_admins_without_private_chat(rete, group):
    rete.telegram.blocked_users.update({ADMIN["id"], DARIO["id"]})
    await rete.db.members.set_reachable(ADMIN["id"], False)
    await rete.db.members.set_reachable(DARIO["id"], False)
    await say(rete, CARLA, "/suggerisci Che musica ascoltate mentre lavorate?")
    assert "/spunti proposte" in rete.last_text(GROUP["id"])
    await say(rete, ADMIN, "/prompts")
    assert "Proposte in attesa: 1" in rete.last_text(GROUP["id"])
    await say(rete, ADMIN, "/spunti proposte")
    listed = rete.telegram.sent(GROUP["id"])[-1]
    reject = listed.params["reply_markup"]["inline_keyboard"][0][1]["callback_data"]
    await rete.send(f.callback_query(DARIO, reject, listed.result))
    assert await rete.db.prompts.custom(GROUP["id"]) == []
    assert await rete.db.prompts.pending(GROUP["id"]) == []
    assert "Scartata da Dario" in rete.telegram.calls_to("editMessageText")[-1].result["text"]


@pytest.mark.parametrize(
    ("code", "description"),
    [
        (400, "Bad Request: not enough rights to send text messages to the chat"),
        (403, "Forbidden: bot was kicked from the supergroup chat"),
    ],
)
async def test_rights_lost_switches_prompts_off_and_tells_the_admins(
    rete, group, code, description
):
    rete.telegram.fail(
        "sendMessage",
        error_code=code,
        description=description,
        when=lambda params: params.get("chat_id") == GROUP["id"],
    )
    await tick(rete, SLOT)
    assert prompts_posted(rete) == []
    chat = await rete.db.chats.get(GROUP["id"])
    assert chat.settings["prompts"] is False
    for admin in (ADMIN, DARIO):
        assert "Makers" in rete.last_text(admin["id"])
    assert rete.last_text(ADMIN["id"]).startswith("⚠️ Non posso più scrivere in Makers")
    assert rete.last_text(DARIO["id"]).startswith("⚠️ I can no longer post in Makers")
    assert await rete.db.fetchall("SELECT * FROM prompt_posts") == []
    await tick(rete, SLOT + timedelta(days=3))
    assert rete.telegram.calls_to("sendMessage")[-1].params["chat_id"] != GROUP["id"]


async def test_pin_latest_prompt_and_a_failed_pin_never_fails_the_post(rete, group):
    await say(rete, ADMIN, "/prompts pin on")
    await say(rete, ADMIN, "/prompts now")
    first = prompts_posted(rete)
    first_id = rete.telegram.sent(GROUP["id"])[-1].result["message_id"]
    pins = rete.telegram.calls_to("pinChatMessage")
    assert [p.params["message_id"] for p in pins] == [first_id]
    await say(rete, ADMIN, "/prompts now")
    second_id = rete.telegram.sent(GROUP["id"])[-1].result["message_id"]
    assert rete.telegram.calls_to("unpinChatMessage")[-1].params["message_id"] == first_id
    assert rete.telegram.calls_to("pinChatMessage")[-1].params["message_id"] == second_id
    rete.telegram.fail(
        "pinChatMessage",
        description="Bad Request: not enough rights to manage pinned messages in the chat",
    )
    await say(rete, ADMIN, "/prompts now")
    assert len(prompts_posted(rete)) == len(first) + 2
    assert (await rete.db.chats.get(GROUP["id"])).settings["prompts"] is True
    await say(rete, ADMIN, "/prompts")
    assert "Non sono riuscito a fissare l'ultimo spunto" in rete.last_text(GROUP["id"])


async def test_overview_settings_and_topic(rete):
    forum = f.group(-1012, "Forum", is_forum=True)
    rete.telegram.set_admins(forum["id"], ADMIN)
    await rete.send(f.my_chat_member(forum, ADMIN, rete.telegram.bot_user, "left", "member"))
    await say(rete, ADMIN, "/settings language en", chat=forum)
    await say(rete, ADMIN, "/prompts", chat=forum)
    overview = rete.last_text(forum["id"])
    assert "Conversation prompts in Forum" in overview
    assert "State: off" in overview
    assert "When: every Monday and Thursday at 10:00 (Europe/Rome)" in overview
    assert "Quiet hours: 22:00–08:00" in overview
    assert "Deck: 32 built-in prompts and none of your own" in overview
    topic = {"thread_id": 77, "is_topic_message": True}
    await say(rete, ADMIN, "/prompts topic", chat=forum, **topic)
    assert rete.last_text(forum["id"]) == "✅ I'll post prompts in this topic."
    await say(rete, ADMIN, "/settings prompts on", chat=forum)
    assert rete.last_text(forum["id"]).startswith("✅ Prompts are on. Next one:")
    await say(rete, ADMIN, "/settings quiethours 23-7", chat=forum)
    assert rete.last_text(forum["id"]) == (
        "✅ Quiet hours: 23:00–07:00. I won't post anything in that time."
    )
    await say(rete, ADMIN, "/settings", chat=forum)
    line = "Prompts: on — every Monday and Thursday at 10:00, quiet hours 23:00–07:00"
    assert line in rete.last_text(forum["id"])
    await say(rete, ADMIN, "/prompts now", chat=forum)
    posted = rete.telegram.sent(forum["id"])[-1]
    assert posted.params["message_thread_id"] == 77
    assert posted.result["text"].startswith("💬 ")
    english = {CATALOG.text("en", builtin_catalog_id(n)) for n in range(1, BUILTIN_COUNT + 1)}
    assert posted.result["text"].removeprefix("💬 ") in english


async def test_settings_warns_when_the_prompts_fall_in_quiet_hours(rete, group):
    await say(rete, ADMIN, "/settings promptschedule lun 23:30")
    said = rete.last_text(GROUP["id"])
    assert said.startswith("✅ Pubblicherò uno spunto ogni lunedì alle 23:30 (Europe/Rome).")
    assert "⚠️ Le 23:30 cadono nelle ore di silenzio (22:00–08:00)" in said
    await say(rete, ADMIN, "/settings silenzio off")
    assert "⚠️" not in rete.last_text(GROUP["id"])


async def test_a_member_cannot_flood_the_admins_with_suggestions(rete, group):
    for number in range(4):
        await say(rete, CARLA, f"/suggest Domanda numero {number}")
    assert rete.last_text(GROUP["id"]).startswith("Hai già 3 proposte in attesa")
    assert len(await rete.db.prompts.pending(GROUP["id"])) == 3
    assert len(rete.telegram.sent(ADMIN["id"])) == 3


async def test_deleting_ones_data_does_not_reset_the_suggestion_limit(rete, group):
    suggested = 0
    for _ in range(4):
        for _ in range(3):
            suggested += 1
            await say(rete, CARLA, f"/suggest Domanda numero {suggested}")
        # Her waiting suggestions go with her data; the group's count for the day stays.
        assert await rete.db.members.delete(CARLA["id"])
    assert rete.last_text(GROUP["id"]).startswith("Oggi gli admin hanno già ricevuto parecchie")
    assert len(rete.telegram.sent(ADMIN["id"])) == 10, "at most 10 suggestions a day reach them"
    rows = await rete.db.fetchall("SELECT * FROM suggestion_days")
    assert [tuple(row) for row in rows] == [(GROUP["id"], "2026-12-02", 10)], "a count, no names"
    # The next local day (Rome) the group can suggest again.
    rete.clock.set(datetime(2026, 12, 2, 23, 5, tzinfo=UTC))
    await say(rete, CARLA, "/suggest Una domanda nuova")
    assert rete.last_text(GROUP["id"]).startswith("🙏 Grazie Carla!")


async def test_in_a_forum_topic_only_real_replies_to_the_prompt_count(rete):
    forum = f.group(-1013, "Forum", is_forum=True)
    rete.telegram.set_admins(forum["id"], ADMIN)
    await rete.send(f.my_chat_member(forum, ADMIN, rete.telegram.bot_user, "left", "member"))
    topic_start = f.message(
        forum, ADMIN, None, forum_topic_created={"name": "Chiacchiere", "icon_color": 1}
    )
    topic_start["message_thread_id"] = topic_start["message_id"]
    in_topic = {"thread_id": topic_start["message_id"], "is_topic_message": True}
    await say(rete, ADMIN, "/prompts topic", chat=forum, **in_topic)
    await say(rete, ADMIN, "/prompts now", chat=forum, **in_topic)
    prompt = rete.telegram.sent(forum["id"])[-1].result
    assert prompt["message_thread_id"] == topic_start["message_id"]
    await say(rete, MEMBER, "just chatting", chat=forum, reply_to=topic_start, **in_topic)
    await say(rete, CARLA, "my answer", chat=forum, reply_to=prompt, **in_topic)
    assert await rete.db.prompts.replies(forum["id"], prompt["message_id"]) == 1
