"""End to end: the bot joins, leaves and follows groups; menus; errors; flood control."""

import logging

from telegram.error import TelegramError

from tests import factories as f
from tests.conftest import ADMIN, MEMBER, Rete

GROUP = f.group(-1001234, "Makers <Milano> & co")


MENUS = {
    "en": {
        "all_private_chats": [
            "start",
            "help",
            "privacy",
            "interests",
            "intros",
            "meet",
            "asks",
            "network",
        ],
        "all_group_chats": [
            *("help", "thanks", "helpers", "profile", "recap", "privacy"),
            *("suggest", "interests", "intros", "whoknows", "ask", "asks"),
        ],
        "all_chat_administrators": [
            *("help", "thanks", "helpers", "profile", "recap", "privacy"),
            *("settings", "ledger", "unthank", "suggest", "prompts"),
            *("interests", "intros", "whoknows", "introduce", "ask", "asks"),
        ],
    },
    "it": {
        "all_private_chats": [
            *("start", "aiuto", "privacy", "interessi", "presentazioni", "incontra"),
            "richieste",
            "contatti",
        ],
        "all_group_chats": [
            *("aiuto", "grazie", "classifica", "profilo", "riepilogo", "privacy"),
            *("suggerisci", "interessi", "presentazioni", "chisa", "chiedo", "richieste"),
        ],
        "all_chat_administrators": [
            *("aiuto", "grazie", "classifica", "profilo", "riepilogo", "privacy"),
            *("impostazioni", "registro", "annullagrazie", "suggerisci", "spunti"),
            *("interessi", "presentazioni", "chisa", "presenta", "chiedo", "richieste"),
        ],
    },
}


async def test_startup_registers_menus_and_polls_every_needed_update(rete):
    calls = rete.telegram.calls_to("setMyCommands")
    menus = {
        (call.params["scope"]["type"], call.params.get("language_code")): [
            c["command"] for c in call.params["commands"]
        ]
        for call in calls
    }
    # Each language's menus show its own names; the default is the configured language.
    for language_code, language in ((None, "en"), ("en", "en"), ("it", "it")):
        for scope, commands in MENUS[language].items():
            assert menus[(scope, language_code)] == commands, (scope, language_code)
    assert "settings" not in menus[("all_group_chats", None)]
    italian = next(
        c
        for c in calls
        if c.params.get("language_code") == "it"
        and c.params["scope"]["type"] == "all_private_chats"
    )
    assert italian.params["commands"][0]["description"] == "Avvia Rete e scopri cosa fa"
    await rete.telegram.wait_for(lambda: rete.telegram.last_allowed_updates is not None)
    assert set(rete.telegram.last_allowed_updates) == {
        "message",
        "edited_message",
        "callback_query",
        "chat_member",
        "my_chat_member",
        "message_reaction",
    }


async def test_startup_registers_what_the_bot_does_in_each_language(rete):
    # "What can this bot do?" in an empty chat, and the short text on the bot's profile.
    telegram = rete.telegram
    assert set(telegram.descriptions) == {"", "it", "en"}
    assert telegram.descriptions["it"].startswith("Rete aiuta il gruppo di una community")
    assert telegram.descriptions["en"].startswith("Rete helps a community group")
    assert telegram.descriptions[""] == telegram.descriptions["en"], "the configured default"
    assert telegram.short_descriptions["it"].startswith("Trasforma il gruppo")
    assert telegram.short_descriptions["en"].startswith("Turns your community group")
    assert telegram.short_descriptions[""] == telegram.short_descriptions["en"]


async def test_the_default_menu_and_description_follow_default_language(telegram, settings):
    harness = Rete(telegram, settings.model_copy(update={"default_language": "it"}))
    await harness.start()
    try:
        default_private = telegram.commands_for({"type": "all_private_chats"})
        assert [c["command"] for c in default_private] == MENUS["it"]["all_private_chats"]
        assert telegram.descriptions[""] == telegram.descriptions["it"]
    finally:
        await harness.stop()


async def test_added_to_group_welcomes_in_adders_language_and_warns_once(rete):
    await rete.send(f.my_chat_member(GROUP, ADMIN, rete.telegram.bot_user, "left", "member"))
    welcome, warning = rete.texts(GROUP["id"])
    assert welcome.startswith("👋 Ciao a tutti, sono Rete!")
    assert "/setprivacy" in welcome
    assert "/impostazioni per scegliere lingua" in welcome
    assert "Per ora vedo solo i comandi" in warning
    chat = await rete.db.chats.get(GROUP["id"])
    assert chat.active
    assert chat.title == "Makers <Milano> & co"
    assert chat.settings["language"] == "it"

    # Redelivered: no second welcome, no second warning.
    await rete.send(f.my_chat_member(GROUP, ADMIN, rete.telegram.bot_user, "left", "member"))
    # Promoted and demoted again: the warning was already given once.
    await rete.send(
        f.my_chat_member(GROUP, ADMIN, rete.telegram.bot_user, "member", "administrator")
    )
    await rete.send(
        f.my_chat_member(GROUP, ADMIN, rete.telegram.bot_user, "administrator", "member")
    )
    assert len(rete.texts(GROUP["id"])) == 2


async def test_added_as_admin_gets_no_privacy_warning(rete):
    await rete.send(
        f.my_chat_member(GROUP, MEMBER, rete.telegram.bot_user, "left", "administrator")
    )
    texts = rete.texts(GROUP["id"])
    assert len(texts) == 1
    assert texts[0].startswith("👋 Hi everyone, I'm Rete!")


async def test_no_warning_when_privacy_mode_is_off(telegram, settings):
    telegram.can_read_all_group_messages = True
    rete = Rete(telegram, settings)
    await rete.start()
    try:
        await rete.send(f.my_chat_member(GROUP, MEMBER, telegram.bot_user, "left", "member"))
        assert len(rete.texts(GROUP["id"])) == 1
    finally:
        await rete.stop()


async def test_removed_marks_inactive_and_nothing_is_posted_again(rete):
    await rete.send(f.my_chat_member(GROUP, MEMBER, rete.telegram.bot_user, "left", "member"))
    rete.telegram.clear_calls()
    rete.telegram.bot_status[GROUP["id"]] = "kicked"
    await rete.send(f.my_chat_member(GROUP, ADMIN, rete.telegram.bot_user, "member", "kicked"))
    chat = await rete.db.chats.get(GROUP["id"])
    assert not chat.active
    assert chat.bot_status == "kicked"

    from handlers.delivery import post

    assert await post(_context(rete), GROUP["id"], "hello?") is None
    assert rete.telegram.sent(GROUP["id"]) == []
    assert rete.telegram.calls_to("sendMessage") == []

    rete.telegram.bot_status[GROUP["id"]] = "member"
    await rete.send(f.my_chat_member(GROUP, ADMIN, rete.telegram.bot_user, "kicked", "member"))
    assert (await rete.db.chats.get(GROUP["id"])).active
    assert rete.last_text(GROUP["id"]).startswith("👋")


async def test_welcome_survives_a_429(rete):
    rete.telegram.fail_429("sendMessage", retry_after=1)
    await rete.send(
        f.my_chat_member(GROUP, MEMBER, rete.telegram.bot_user, "left", "administrator")
    )
    attempts = rete.telegram.calls_to("sendMessage")
    assert attempts[0].error["error_code"] == 429
    assert attempts[1].ok
    assert rete.texts(GROUP["id"])[0].startswith("👋 Hi everyone")


async def test_group_upgrade_keeps_data_settings_and_members(rete):
    old = f.group(-4001, "Old group", type="group")
    await rete.send(f.my_chat_member(old, ADMIN, rete.telegram.bot_user, "left", "member"))
    await rete.send(f.message_update(f.message(old, MEMBER, "ciao")))
    await rete.db.chats.set_setting(old["id"], "timezone", "UTC")

    new_id = -1004001
    to_message, from_message = f.migrate(old, new_id)
    await rete.send(to_message, from_message)
    assert await rete.db.chats.get(old["id"]) is None
    chat = await rete.db.chats.get(new_id)
    assert chat.type == "supergroup"
    assert chat.privacy_warned
    assert chat.settings == {"language": "it", "timezone": "UTC"}
    assert (await rete.db.memberships.get(new_id, MEMBER["id"])).messages == 1


async def test_posting_to_a_migrated_group_follows_it(rete):
    old = f.group(-4002, "Old", type="group")
    await rete.send(f.my_chat_member(old, ADMIN, rete.telegram.bot_user, "left", "member"))
    rete.telegram.migrate_chat(old["id"], -1004002)

    from handlers.delivery import post

    sent = await post(_context(rete), old["id"], "after the upgrade")
    assert sent is not None
    assert sent.chat_id == -1004002
    assert rete.texts(-1004002) == ["after the upgrade"]
    assert (await rete.db.chats.get(-1004002)).settings == {"language": "it"}


async def test_error_is_logged_with_chat_and_bot_keeps_running(rete, caplog):
    private = f.private_chat(MEMBER)
    rete.telegram.started_users.add(MEMBER["id"])
    rete.telegram.fail("sendMessage", error_code=500, description="Internal Server Error")
    with caplog.at_level(logging.ERROR, logger="rete.errors"):
        await rete.send(f.command(private, MEMBER, "/help"))
    record = next(r for r in caplog.records if r.name == "rete.errors")
    assert f"in chat {MEMBER['id']}" in record.getMessage()
    assert isinstance(record.exc_info[1], TelegramError)

    await rete.send(f.command(private, MEMBER, "/help"))
    assert "What you can do here" in rete.last_text(MEMBER["id"])


def _context(rete):
    from handlers.context import ReteContext

    return ReteContext(rete.app)


async def test_long_posts_are_split_on_line_boundaries(rete):
    await rete.send(f.my_chat_member(GROUP, ADMIN, rete.telegram.bot_user, "left", "member"))
    rete.telegram.clear_calls()
    words = " ".join(["parola"] * 20)
    lines = [f"<b>{i}.</b> {words}" for i in range(200)]
    from handlers.delivery import post

    await post(_context(rete), GROUP["id"], "\n".join(lines))
    calls = rete.telegram.calls_to("sendMessage")
    assert len(calls) > 1
    assert all(call.ok for call in calls)
    shown = "\n".join(call.result["text"] for call in calls)
    assert shown.split("\n") == [f"{i}. {words}" for i in range(200)]
