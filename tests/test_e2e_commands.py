"""End to end: /start, /help and /settings, including the bad input they must refuse."""

import pytest

from tests import factories as f
from tests.conftest import ADMIN, MEMBER

GROUP = f.group(-1006, "Makers")
FORUM = f.group(-1007, "Forum", is_forum=True)
NASTY = f.user(400, "<b>&\"'</b>", last_name="</a>", language_code="en")


@pytest.fixture
async def group(rete):
    rete.telegram.set_admins(GROUP["id"], ADMIN)
    rete.telegram.set_admins(FORUM["id"], ADMIN)
    await rete.send(f.my_chat_member(GROUP, ADMIN, rete.telegram.bot_user, "left", "member"))
    await rete.send(f.my_chat_member(FORUM, ADMIN, rete.telegram.bot_user, "left", "member"))
    rete.telegram.clear_calls()
    return GROUP


def dm_to(rete, user):
    rete.telegram.started_users.add(user["id"])
    return f.private_chat(user)


async def test_start_welcomes_marks_reachable_in_member_language(rete):
    italian = f.user(501, "Giulia", language_code="it-IT")
    await rete.send(f.command(dm_to(rete, italian), italian, "/start"))
    assert rete.last_text(501).startswith("👋 Ciao Giulia, sono Rete.")
    member = await rete.db.members.get(501)
    assert member.dm_reachable
    german = f.user(502, "Hans", language_code="de")
    await rete.send(f.command(dm_to(rete, german), german, "/start"))
    assert rete.last_text(502).startswith("👋 Hi Hans, I'm Rete.")


async def test_name_full_of_html_is_shown_literally(rete):
    await rete.send(f.command(dm_to(rete, NASTY), NASTY, "/start"))
    assert rete.last_text(NASTY["id"]).startswith("👋 Hi <b>&\"'</b>, I'm Rete.")


@pytest.mark.parametrize(
    "payload", ["x" * 500, "\x00\x01\x02\xff\xfe", "privacy<b>", "nosuchfeature", "a b c"]
)
async def test_start_with_bad_payload_gets_normal_welcome(rete, payload):
    await rete.send(f.command(dm_to(rete, MEMBER), MEMBER, f"/start {payload}"))
    sent = rete.telegram.sent(MEMBER["id"])
    assert len(sent) == 1
    assert sent[0].result["text"].startswith("👋 Hi Bruno, I'm Rete.")
    assert rete.telegram.calls_to("sendDocument") == []


async def test_start_deep_link_routes_to_its_feature(rete):
    await rete.send(f.message_update(f.message(GROUP, MEMBER, "hi")))
    await rete.send(f.command(dm_to(rete, MEMBER), MEMBER, "/start privacy"))
    assert rete.last_text(MEMBER["id"]).startswith("What Rete keeps about you")
    assert len(rete.telegram.sent(MEMBER["id"], method="sendDocument")) == 1


async def test_help_private_lists_private_commands(rete):
    await rete.send(f.command(dm_to(rete, MEMBER), MEMBER, "/help"))
    text = rete.last_text(MEMBER["id"])
    assert "/start — Start Rete" in text
    assert "/privacy —" in text
    assert "/settings" not in text


async def test_help_in_group_shows_settings_to_admins_only(rete, group):
    await rete.send(f.command(GROUP, MEMBER, "/help"))
    member_help = rete.last_text(GROUP["id"])
    await rete.send(f.command(GROUP, ADMIN, "/help@rete_test_bot"))
    admin_help = rete.last_text(GROUP["id"])
    assert "/impostazioni" not in member_help.split("\n\n")[0]
    assert "/impostazioni — Impostazioni del gruppo" in admin_help
    assert admin_help.startswith("Rete in questo gruppo")


async def test_help_names_commands_in_the_readers_language(rete, group):
    # The group speaks Italian (its admin does): Italian names, and no English one.
    await rete.send(f.command(GROUP, ADMIN, "/help"))
    commands = [line.split(" — ")[0] for line in rete.last_text(GROUP["id"]).splitlines()[1:]]
    assert commands[:3] == ["/aiuto", "/grazie", "/classifica"]
    for italian in ("/riepilogo", "/spunti", "/interessi", "/presentazioni", "/chisa"):
        assert italian in commands
    assert not {"/help", "/thanks", "/interests", "/prompts"} & set(commands)
    italian = f.user(503, "Giulia", language_code="it")
    await rete.send(f.command(dm_to(rete, italian), italian, "/aiuto"))
    text = rete.last_text(italian["id"])
    assert "/incontra — Una presentazione subito" in text
    assert "/interessi —" in text
    # Everyone can use either name: the English one answers in Italian too.
    await rete.send(f.command(dm_to(rete, italian), italian, "/help"))
    assert rete.last_text(italian["id"]) == text
    await rete.send(f.command(dm_to(rete, MEMBER), MEMBER, "/aiuto"))
    assert "/meet — An introduction now" in rete.last_text(MEMBER["id"])


async def test_settings_overview_for_admin(rete, group):
    await rete.send(f.command(GROUP, ADMIN, "/settings"))
    text = rete.last_text(GROUP["id"])
    assert "Impostazioni di Rete per Makers" in text
    assert "Fuso orario: Europe/Rome" in text
    assert "Sono amministratore qui: no" in text
    assert "solo i comandi" in text


async def test_settings_change_language_and_timezone(rete, group):
    await rete.send(f.command(GROUP, ADMIN, "/settings language en"))
    assert rete.last_text(GROUP["id"]) == "✅ From now on I'll speak English in this group."
    await rete.send(f.command(GROUP, ADMIN, "/settings fuso america/new_york"))
    assert rete.last_text(GROUP["id"]).startswith("✅ Time zone set to America/New_York")
    chat = await rete.db.chats.get(GROUP["id"])
    assert chat.settings["language"] == "en"
    assert chat.settings["timezone"] == "America/New_York"


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("/settings timezone Mars/Phobos", "Non conosco il fuso orario “Mars/Phobos”"),
        ("/settings language xx", "Non parlo la lingua “xx”. Puoi scegliere tra: it, en."),
        ("/settings colour blue", "Non conosco l'impostazione “colour”"),
        ("/settings timezone", "Manca il valore, per esempio: /impostazioni fuso Europe/Rome"),
        ("/settings recapday", "Manca il valore, per esempio: /impostazioni giornoriepilogo gio"),
        ("/settings language <b>", "Non parlo la lingua “<b>”"),
    ],
)
async def test_settings_bad_input_is_explained_and_changes_nothing(rete, group, command, expected):
    before = (await rete.db.chats.get(GROUP["id"])).settings
    await rete.send(f.command(GROUP, ADMIN, command))
    assert expected in rete.last_text(GROUP["id"])
    assert (await rete.db.chats.get(GROUP["id"])).settings == before


async def test_settings_refused_to_non_admins_and_in_private(rete, group):
    before = (await rete.db.chats.get(GROUP["id"])).settings
    await rete.send(f.command(GROUP, MEMBER, "/settings language en"))
    assert rete.last_text(GROUP["id"]).startswith("Mi dispiace, solo gli admin")
    assert (await rete.db.chats.get(GROUP["id"])).settings == before
    await rete.send(f.command(dm_to(rete, ADMIN), ADMIN, "/settings language en"))
    assert rete.last_text(ADMIN["id"]).startswith("/impostazioni funziona dentro un gruppo")


async def test_anonymous_admin_may_change_settings(rete, group):
    anonymous = f.user(1087968824, "Group", is_bot=True, username="GroupAnonymousBot")
    await rete.send(
        f.message_update(f.message(GROUP, anonymous, "/settings language en", sender_chat=GROUP))
    )
    assert (await rete.db.chats.get(GROUP["id"])).settings["language"] == "en"


async def test_edited_settings_command_does_not_act_again(rete, group):
    update = f.command(GROUP, ADMIN, "/settings language en")
    await rete.send(update)
    await rete.send(f.command(GROUP, ADMIN, "/settings language it"))
    edited = dict(update["message"], text="/settings language en")
    await rete.send(f.message_update(edited, edited=True))
    assert (await rete.db.chats.get(GROUP["id"])).settings["language"] == "it"


async def test_admin_list_is_cached_and_an_admin_command_confirms_it(rete, group):
    await rete.send(f.command(GROUP, ADMIN, "/settings"), f.command(GROUP, MEMBER, "/settings"))
    assert len(rete.telegram.calls_to("getChatAdministrators")) == 1
    await rete.send(f.command(GROUP, MEMBER, "/settings"))
    assert len(rete.telegram.calls_to("getChatAdministrators")) == 1, "a refusal costs no call"
    # A demoted admin is refused at once, not after the cache expires.
    rete.telegram.set_admins(GROUP["id"], [])
    await rete.send(f.command(GROUP, ADMIN, "/settings language en"))
    assert len(rete.telegram.calls_to("getChatAdministrators")) == 2
    assert "Mi dispiace, solo gli admin" in rete.last_text(GROUP["id"])
    assert (await rete.db.chats.get(GROUP["id"])).settings.get("language") != "en"


async def test_settings_topic_in_forum(rete, group):
    in_topic = f.message(FORUM, ADMIN, "/settings topic", thread_id=77, is_topic_message=True)
    await rete.send(f.message_update(in_topic))
    assert rete.last_text(FORUM["id"]) == "✅ D'ora in poi pubblico in questo argomento."
    assert rete.telegram.sent(FORUM["id"])[-1].params["message_thread_id"] == 77
    assert (await rete.db.chats.get(FORUM["id"])).settings["topic"] == 77

    from handlers.context import ReteContext
    from handlers.delivery import post

    await post(ReteContext(rete.app), FORUM["id"], "a post")
    assert rete.telegram.sent(FORUM["id"])[-1].params["message_thread_id"] == 77

    await rete.send(f.command(FORUM, ADMIN, "/settings topic"))
    assert "dall'interno dell'argomento" in rete.last_text(FORUM["id"])
    await rete.send(f.command(FORUM, ADMIN, "/settings topic off"))
    assert "topic" not in (await rete.db.chats.get(FORUM["id"])).settings
    await rete.send(f.command(GROUP, ADMIN, "/settings topic"))
    assert (
        rete.last_text(GROUP["id"])
        == "Questo gruppo non ha argomenti: pubblico nella chat principale."
    )
