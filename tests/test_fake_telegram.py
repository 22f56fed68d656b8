"""Tests of the fake Telegram server itself, with a real PTB Bot talking to it over HTTP."""

from __future__ import annotations

import asyncio
import datetime as dtm
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeChat,
    ChatFullInfo,
    ChatMemberAdministrator,
    ChatMemberBanned,
    ChatMemberLeft,
    ChatMemberMember,
    ChatMemberOwner,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MessageEntity,
    ReplyKeyboardMarkup,
    TelegramObject,
    Update,
)
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    RetryAfter,
)
from telegram.ext import Application, CommandHandler, ContextTypes

from tests import factories as f
from tests.fake_telegram import FakeTelegram, HtmlParseError, parse_html, utf16_len

ADA = f.user(101, "Ada", username="ada")
BOB = f.user(102, "Bob", last_name="Builder", language_code="it")
GROUP = f.group(-1001234, "Makers")
BASIC = f.group(-4321, "Old group", type="group")


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    async with Bot(fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url) as b:
        yield b


def unknown_fields(obj: Any, path: str = "") -> list[tuple[str, dict]]:
    """Every api_kwargs in a parsed object tree: fields PTB did not recognise."""
    found: list[tuple[str, dict]] = []
    if isinstance(obj, TelegramObject):
        if obj.api_kwargs:
            found.append((path or type(obj).__name__, dict(obj.api_kwargs)))
        for name, value in obj._get_attrs(remove_bot=True).items():
            found += unknown_fields(value, f"{path}.{name}")
    elif isinstance(obj, tuple | list):
        for index, value in enumerate(obj):
            found += unknown_fields(value, f"{path}[{index}]")
    return found


# ---- basics ----------------------------------------------------------------------------------


async def test_get_me(fake: FakeTelegram, bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (fake.bot_id, "rete_test_bot", True)
    assert me.can_join_groups is True
    assert me.can_read_all_group_messages is False
    assert me.supports_inline_queries is False
    assert unknown_fields(me) == []
    fake.can_read_all_group_messages = True
    assert (await bot.get_me()).can_read_all_group_messages is True
    assert [c.method for c in fake.calls_to("getme")] == ["getMe"] * 3  # initialize + 2


async def test_wrong_token_and_unknown_method(fake: FakeTelegram, bot: Bot) -> None:
    other = Bot("999:WRONG", base_url=fake.base_url)
    with pytest.raises(InvalidToken, match="was rejected by the server"):
        await other.initialize()  # its getMe fails
    await other.shutdown()
    assert fake.calls[-1].error == {
        "ok": False,
        "error_code": 401,
        "description": "Unauthorized",
    }
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("noSuchMethod")
    assert fake.calls[-1].method == "noSuchMethod"
    assert fake.calls[-1].error["error_code"] == 404


async def test_request_decoding_raw_json_and_query(fake: FakeTelegram) -> None:
    fake.started_users.add(ADA["id"])
    url = f"{fake.base_url}{fake.token}/sendMessage"
    async with aiohttp.ClientSession() as session:
        # Form encoding as PTB does it: strings raw, the rest JSON.
        form = {"chat_id": "101", "text": "123", "reply_markup": json.dumps({"a": 1})}
        async with session.post(url, data=form) as response:
            assert (await response.json())["ok"] is True
        async with session.post(url, json={"chat_id": 101, "text": "true"}) as response:
            assert (await response.json())["result"]["text"] == "true"
        async with session.get(url, params={"chat_id": "101", "text": "null"}) as response:
            assert (await response.json())["result"]["text"] == "null"
    first, second, third = fake.calls_to("sendMessage")
    assert first.params == {"chat_id": 101, "text": "123", "reply_markup": {"a": 1}}
    assert second.params == {"chat_id": 101, "text": "true"}
    assert third.params == {"chat_id": 101, "text": "null"}


# ---- sendMessage -----------------------------------------------------------------------------


async def test_send_plain_message(fake: FakeTelegram, bot: Bot) -> None:
    fake.started_users.add(ADA["id"])
    fake.add_update(f.message_update(f.message(GROUP, ADA, "hi")))  # the fake learns names
    first = await bot.send_message(ADA["id"], "hello there")
    second = await bot.send_message(GROUP["id"], "hello group", message_thread_id=7)
    assert first.text == "hello there"
    assert first.from_user.id == fake.bot_id
    assert (first.chat.type, first.chat.first_name) == ("private", "Ada")
    assert (second.chat.type, second.chat.title, second.message_thread_id) == (
        "supergroup",
        "Makers",
        7,
    )
    again = await bot.send_message(ADA["id"], "again")
    assert again.message_id == first.message_id + 1
    assert [c.result["text"] for c in fake.sent(ADA["id"])] == ["hello there", "again"]
    assert len(fake.sent()) == 3
    assert unknown_fields(first) == unknown_fields(second) == []


async def test_send_html_entities_in_utf16(fake: FakeTelegram, bot: Bot) -> None:
    fake.started_users.add(ADA["id"])
    html = (
        '😀 <b>bold</b> 👍🏽 <i>it&amp;al</i> <a href="https://example.com/x?a=1&amp;b=2">'
        "link</a> <code>x&lt;y</code>"
    )
    msg = await bot.send_message(ADA["id"], html, parse_mode="HTML")
    assert msg.text == "😀 bold 👍🏽 it&al link x<y"
    assert fake.calls[-1].params["text"] == html  # raw HTML as received
    assert fake.calls[-1].result["text"] == msg.text
    assert [(e.type, e.offset, e.length) for e in msg.entities] == [
        ("bold", 3, 4),
        ("italic", 13, 5),
        ("text_link", 19, 4),
        ("code", 24, 3),
    ]
    parsed = msg.parse_entities()  # PTB cuts by UTF-16 offsets: they must line up
    assert sorted(parsed.values()) == sorted(["bold", "it&al", "link", "x<y"])
    link = next(e for e in msg.entities if e.type == MessageEntity.TEXT_LINK)
    assert link.url == "https://example.com/x?a=1&b=2"
    assert msg.text_html == (
        '😀 <b>bold</b> 👍🏽 <i>it&amp;al</i> <a href="https://example.com/x?a=1&b=2">link</a>'
        " <code>x&lt;y</code>"
    )


async def test_malformed_html_is_refused(fake: FakeTelegram, bot: Bot) -> None:
    fake.started_users.add(ADA["id"])
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities") as caught:
        await bot.send_message(ADA["id"], "1 <3 you", parse_mode="HTML")
    assert caught.value.message == (
        'Can\'t parse entities: unsupported start tag "3" at byte offset 2'
    )
    assert fake.calls[-1].error == {
        "ok": False,
        "error_code": 400,
        "description": 'Bad Request: can\'t parse entities: Unsupported start tag "3" at byte '
        "offset 2",
    }
    assert fake.sent() == []


async def test_message_length_counts_plain_utf16(fake: FakeTelegram, bot: Bot) -> None:
    fake.started_users.add(ADA["id"])
    await bot.send_message(ADA["id"], "x" * 4096)
    await bot.send_message(ADA["id"], f"<b>{'x' * 4096}</b>", parse_mode="HTML")
    await bot.send_message(ADA["id"], "😀" * 2048)
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(ADA["id"], "x" * 4097)
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(ADA["id"], "😀" * 2048 + "x")
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(ADA["id"], "<b> </b>", parse_mode="HTML")


async def test_private_chats_need_start_and_no_block(fake: FakeTelegram, bot: Bot) -> None:
    with pytest.raises(Forbidden, match="bot can't initiate conversation with a user"):
        await bot.send_message(ADA["id"], "hi")
    fake.started_users.add(ADA["id"])
    await bot.send_message(ADA["id"], "hi")
    fake.blocked_users.add(ADA["id"])
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(ADA["id"], "hi")
    assert len(fake.sent(ADA["id"])) == 1
    assert len(fake.calls_to("sendMessage")) == 3


async def test_groups_the_bot_left(fake: FakeTelegram, bot: Bot) -> None:
    fake.bot_status[GROUP["id"]] = "left"
    with pytest.raises(Forbidden, match="bot is not a member of the supergroup chat"):
        await bot.send_message(GROUP["id"], "hi")
    fake.bot_status[GROUP["id"]] = "kicked"
    with pytest.raises(Forbidden, match="bot was kicked from the supergroup chat"):
        await bot.send_message(GROUP["id"], "hi")
    fake.bot_status[BASIC["id"]] = "left"
    with pytest.raises(Forbidden, match="bot was kicked from the group chat"):
        await bot.send_message(BASIC["id"], "hi")
    await bot.leave_chat(-1009)
    assert fake.bot_status[-1009] == "left"


async def test_fail_429_gives_retry_after(
    fake: FakeTelegram, bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    fake.fail_429("sendMessage", retry_after=3)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(GROUP["id"], "hi")
    assert caught.value.retry_after == dtm.timedelta(seconds=3)
    assert fake.calls[-1].error == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 3",
        "parameters": {"retry_after": 3},
    }
    await bot.send_message(GROUP["id"], "hi")  # only once


async def test_scripted_failure_with_condition(fake: FakeTelegram, bot: Bot) -> None:
    fake.fail(
        "sendMessage",
        description="Bad Request: message thread not found",
        when=lambda params: params.get("message_thread_id") == 5,
        times=2,
    )
    await bot.send_message(GROUP["id"], "main chat")
    for _ in range(2):
        with pytest.raises(BadRequest, match="Message thread not found"):
            await bot.send_message(GROUP["id"], "topic", message_thread_id=5)
    await bot.send_message(GROUP["id"], "topic", message_thread_id=5)
    assert [c.ok for c in fake.calls_to("sendMessage")] == [True, False, False, True]


async def test_migrated_group(fake: FakeTelegram, bot: Bot) -> None:
    fake.migrate_chat(BASIC["id"], -1005555)
    with pytest.raises(ChatMigrated) as caught:
        await bot.send_message(BASIC["id"], "hi")
    assert caught.value.new_chat_id == -1005555
    assert fake.calls[-1].error["parameters"] == {"migrate_to_chat_id": -1005555}
    msg = await bot.send_message(caught.value.new_chat_id, "hi")
    assert msg.chat.type == "supergroup"
    fake.fail("sendMessage", migrate_to_chat_id=-1006666)
    with pytest.raises(ChatMigrated):
        await bot.send_message(GROUP["id"], "hi")


async def test_reply_markup_and_replies(fake: FakeTelegram, bot: Bot) -> None:
    original = f.message(GROUP, ADA, "question?")
    fake.add_update(f.message_update(original))
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Yes", callback_data="yes")]])
    msg = await bot.send_message(
        GROUP["id"], "answer", reply_markup=keyboard, reply_to_message_id=original["message_id"]
    )
    assert msg.reply_markup == keyboard
    assert msg.reply_to_message.text == "question?"
    assert msg.message_id > original["message_id"]
    plain = await bot.send_message(GROUP["id"], "x", reply_markup=ReplyKeyboardMarkup([["a"]]))
    assert plain.reply_markup is None
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("No", callback_data="n" * 65)]])
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(GROUP["id"], "x", reply_markup=too_long)


async def test_edit_message_text(fake: FakeTelegram, bot: Bot) -> None:
    sent = await bot.send_message(GROUP["id"], "<b>v1</b>", parse_mode="HTML")
    edited = await bot.edit_message_text(
        "<i>v2</i>", chat_id=GROUP["id"], message_id=sent.message_id, parse_mode="HTML"
    )
    assert (edited.text, edited.entities[0].type, edited.message_id) == (
        "v2",
        "italic",
        sent.message_id,
    )
    assert edited.edit_date is not None
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text(
            "<i>v2</i>", chat_id=GROUP["id"], message_id=sent.message_id, parse_mode="HTML"
        )
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.edit_message_text(
            "<i>v3", chat_id=GROUP["id"], message_id=sent.message_id, parse_mode="HTML"
        )


# ---- files -----------------------------------------------------------------------------------


async def test_send_document_receives_bytes(fake: FakeTelegram, bot: Bot) -> None:
    fake.started_users.add(ADA["id"])
    msg = await bot.send_document(
        ADA["id"],
        document=b"id,name\n1,Ada\n",
        filename="export.csv",
        caption="<b>Your data</b>",
        parse_mode="HTML",
    )
    call = fake.calls[-1]
    assert call.method == "sendDocument"
    assert call.files["document"].filename == "export.csv"
    assert call.files["document"].content == b"id,name\n1,Ada\n"
    assert (msg.caption, msg.caption_entities[0].type) == ("Your data", "bold")
    assert msg.document.file_name == "export.csv"
    assert unknown_fields(msg) == []
    file = await bot.get_file(msg.document.file_id)
    assert bytes(await file.download_as_bytearray()) == b"id,name\n1,Ada\n"
    again = await bot.send_document(ADA["id"], document=msg.document.file_id)
    assert again.document.file_id == msg.document.file_id
    with pytest.raises(BadRequest, match="Message caption is too long"):
        await bot.send_document(ADA["id"], document=b"x", filename="x", caption="c" * 1025)


async def test_send_photo(fake: FakeTelegram, bot: Bot) -> None:
    msg = await bot.send_photo(GROUP["id"], photo=b"\x89PNG fake", filename="a.png")
    assert fake.calls[-1].files["photo"].content == b"\x89PNG fake"
    assert msg.photo[-1].width == 800
    assert unknown_fields(msg) == []


# ---- chats and commands ----------------------------------------------------------------------


async def test_admins_members_and_chat(fake: FakeTelegram, bot: Bot) -> None:
    fake.set_admins(GROUP["id"], BOB, creator=ADA)
    admins = await bot.get_chat_administrators(GROUP["id"])
    assert [type(a) for a in admins] == [ChatMemberOwner, ChatMemberAdministrator]
    assert [a.user.id for a in admins] == [ADA["id"], BOB["id"]]
    fake.bot_status[GROUP["id"]] = "administrator"
    admins = await bot.get_chat_administrators(GROUP["id"])
    assert admins[-1].user.id == fake.bot_id
    assert unknown_fields(admins) == []

    me = await bot.get_chat_member(GROUP["id"], fake.bot_id)
    assert isinstance(me, ChatMemberAdministrator)
    assert isinstance(await bot.get_chat_member(GROUP["id"], BOB["id"]), ChatMemberAdministrator)
    # Who is in the group: someone never seen there is not; a message or a join makes one a
    # member, a leave or set_member changes it.
    assert isinstance(await bot.get_chat_member(GROUP["id"], 555), ChatMemberLeft)
    fake.add_update(f.message_update(f.message(GROUP, ADA, "hi")))
    assert isinstance(await bot.get_chat_member(GROUP["id"], ADA["id"]), ChatMemberOwner)
    carol = f.user(103, "Carol")
    fake.add_update(f.message_update(f.message(GROUP, carol, "hello")))
    assert isinstance(await bot.get_chat_member(GROUP["id"], carol["id"]), ChatMemberMember)
    fake.add_update(f.left_member(GROUP, carol, carol))
    assert isinstance(await bot.get_chat_member(GROUP["id"], carol["id"]), ChatMemberLeft)
    fake.add_update(f.new_members(GROUP, ADA, carol))
    assert isinstance(await bot.get_chat_member(GROUP["id"], carol["id"]), ChatMemberMember)
    fake.set_member(GROUP["id"], carol, "kicked")
    assert isinstance(await bot.get_chat_member(GROUP["id"], carol["id"]), ChatMemberBanned)
    fake.add_update(f.chat_member(GROUP, ADA, carol, "kicked", "member"))
    assert isinstance(await bot.get_chat_member(GROUP["id"], carol["id"]), ChatMemberMember)
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.get_chat_member(-100999, carol["id"])
    for status in ("member", "left", "kicked", "restricted"):
        fake.bot_status[GROUP["id"]] = status
        member = await bot.get_chat_member(GROUP["id"], fake.bot_id)
        assert member.status == status
        assert unknown_fields(member) == []

    chat = await bot.get_chat(GROUP["id"])
    assert isinstance(chat, ChatFullInfo)
    assert (chat.id, chat.type, chat.title) == (GROUP["id"], "supergroup", "Makers")
    assert unknown_fields(chat) == []


async def test_my_descriptions_per_language(fake: FakeTelegram, bot: Bot) -> None:
    await bot.set_my_description("What I do")
    await bot.set_my_description("Cosa faccio", language_code="it")
    await bot.set_my_short_description("Short", language_code="en")
    assert fake.descriptions == {"": "What I do", "it": "Cosa faccio"}
    assert fake.short_descriptions == {"en": "Short"}
    assert (await bot.get_my_description(language_code="it")).description == "Cosa faccio"
    assert (await bot.get_my_short_description("en")).short_description == "Short"
    with pytest.raises(BadRequest, match="too long"):
        await bot.set_my_short_description("x" * 121)
    with pytest.raises(BadRequest, match="too long"):
        await bot.set_my_description("x" * 513, language_code="it")
    await bot.set_my_description("", language_code="it")
    assert fake.descriptions == {"": "What I do"}


async def test_my_commands_per_scope_and_language(fake: FakeTelegram, bot: Bot) -> None:
    private = [BotCommand("start", "Start"), BotCommand("help", "Help")]
    groups = [BotCommand("settings", "Settings")]
    await bot.set_my_commands(private)
    await bot.set_my_commands(groups, scope=BotCommandScopeAllGroupChats(), language_code="it")
    assert await bot.get_my_commands() == tuple(private)
    assert await bot.get_my_commands(scope=BotCommandScopeAllGroupChats()) == ()
    assert await bot.get_my_commands(
        scope=BotCommandScopeAllGroupChats(), language_code="it"
    ) == tuple(groups)
    assert fake.commands_for({"type": "all_group_chats"}, "it") == [
        {"command": "settings", "description": "Settings"}
    ]
    await bot.set_my_commands(groups, scope=BotCommandScopeChat(GROUP["id"]))
    assert await bot.get_my_commands(scope=BotCommandScopeChat(GROUP["id"])) == tuple(groups)
    await bot.delete_my_commands()
    assert await bot.get_my_commands() == ()
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([BotCommand("Bad-Name", "x")])
    for method in ("deleteWebhook", "answerCallbackQuery", "setMessageReaction", "sendChatAction"):
        assert fake.calls_to(method) == []
    await bot.answer_callback_query("42")
    await bot.set_message_reaction(GROUP["id"], 1, "👍")
    await bot.send_chat_action(GROUP["id"], "typing")
    assert [c.ok for c in fake.calls[-3:]] == [True, True, True]
    # A button's answer is plain text of at most 200 characters (UTF-16, as ever).
    await bot.answer_callback_query("43", text="🤝" * 100, show_alert=True)
    with pytest.raises(BadRequest, match="Message_too_long"):
        await bot.answer_callback_query("44", text="🤝" * 100 + "!", show_alert=True)


# ---- updates ---------------------------------------------------------------------------------


def every_factory_update() -> list[tuple[str, dict]]:
    bot_user = {"id": 123456, "is_bot": True, "first_name": "Rete", "username": "rete_test_bot"}
    forum = f.group(-1009, "Forum", is_forum=True)
    question = f.message(GROUP, ADA, "question")
    bot_message = f.message(GROUP, bot_user, "pick one", reply_markup={"inline_keyboard": []})
    channel = f.group(-1007, "News", type="channel")
    old, new = f.migrate(BASIC, -1004321)
    messages = [
        f.message(GROUP, ADA, "hello"),
        f.message(f.private_chat(BOB), BOB, "ciao"),
        f.message(GROUP, BOB, "yes", reply_to=question),
        f.message(forum, ADA, "topic", thread_id=3, is_topic_message=True),
        f.message(GROUP, None, "anonymous admin", sender_chat=GROUP),
        f.message(GROUP, None, "on behalf of a channel", sender_chat=channel),
    ]
    cases = [("message", f.message_update(m)) for m in messages]
    cases += [
        ("edited_message", f.message_update(f.message(GROUP, ADA, "fixed"), edited=True)),
        ("message", f.command(GROUP, ADA, "/help@rete_test_bot now")),
        ("message", f.command(f.private_chat(ADA), ADA, "/start payload")),
        ("message", f.new_members(GROUP, ADA, BOB, bot_user)),
        ("message", f.left_member(GROUP, BOB, BOB)),
        ("message", old),
        ("message", new),
        ("callback_query", f.callback_query(ADA, "vote:1", bot_message)),
        ("callback_query", f.callback_query(ADA, "vote:2", query_id="abc")),
        ("message_reaction", f.reaction(GROUP, ADA, 5, old=["👍"], new=["🔥", "❤"])),
        ("chat_member", f.chat_member(GROUP, ADA, BOB, "member", "administrator")),
        ("chat_member", f.chat_member(GROUP, ADA, BOB, "administrator", "creator")),
    ]
    statuses = ["member", "administrator", "left", "kicked", "restricted"]
    for old_status, new_status in zip(statuses, statuses[1:] + statuses[:1], strict=True):
        update = f.my_chat_member(GROUP, ADA, bot_user, old_status, new_status)
        cases.append(("my_chat_member", update))
    blocked = f.my_chat_member(f.private_chat(ADA), ADA, bot_user, "member", "kicked")
    cases.append(("my_chat_member", blocked))
    return cases


async def test_every_factory_update_parses_in_ptb(fake: FakeTelegram, bot: Bot) -> None:
    cases = every_factory_update()
    for _, update in cases:
        fake.add_update(update)
    updates = await bot.get_updates(allowed_updates=Update.ALL_TYPES)
    assert len(updates) == len(cases)
    assert [u.update_id for u in updates] == list(range(1, len(cases) + 1))
    for update, (kind, _) in zip(updates, cases, strict=True):
        assert getattr(update, kind) is not None, kind
        assert unknown_fields(update) == [], kind
    assert fake.last_allowed_updates == list(Update.ALL_TYPES)

    command = updates[7].message
    assert command.entities[0].type == "bot_command"
    assert command.parse_entity(command.entities[0]) == "/help@rete_test_bot"
    anon = updates[4].message
    assert (anon.from_user.username, anon.sender_chat.id) == ("GroupAnonymousBot", GROUP["id"])
    assert updates[11].message.migrate_to_chat_id == -1004321
    assert updates[12].message.migrate_from_chat_id == BASIC["id"]
    assert updates[12].message.chat.type == "supergroup"

    # The world followed the updates.
    assert BASIC["id"] in fake.migrated
    assert {ADA["id"], BOB["id"]} <= fake.started_users
    assert ADA["id"] in fake.blocked_users
    assert fake.bot_status[GROUP["id"]] == "member"  # the last transition

    # Acknowledged updates are not delivered again.
    assert await bot.get_updates(offset=updates[-1].update_id + 1) == ()


async def test_default_allowed_updates_drop_chat_member(fake: FakeTelegram, bot: Bot) -> None:
    dropped = fake.add_update(f.chat_member(GROUP, ADA, BOB, "member", "administrator"))
    kept = fake.add_update(f.message_update(f.message(GROUP, ADA, "hi")))
    updates = await bot.get_updates()
    assert [u.update_id for u in updates] == [kept]
    assert fake.last_allowed_updates is None
    with pytest.raises(AssertionError, match="allowed_updates"):
        await fake.wait_delivered(dropped, timeout=0.5)


async def test_webhook_and_dropped_updates(fake: FakeTelegram, bot: Bot) -> None:
    update_id = fake.add_update(f.message_update(f.message(GROUP, ADA, "old news")))
    await bot.set_webhook("https://example.com/hook")
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()
    assert (await bot.get_webhook_info()).pending_update_count == 1
    await bot.delete_webhook(drop_pending_updates=True)
    assert await bot.get_updates() == ()
    with pytest.raises(AssertionError, match="dropped by drop_pending_updates"):
        await fake.wait_delivered(update_id)


async def test_a_newer_poll_terminates_an_older_one(fake: FakeTelegram, bot: Bot) -> None:
    older = asyncio.create_task(bot.get_updates(timeout=10))
    await fake.wait_for(lambda: bool(fake.calls_to("getUpdates")))
    async with Bot(fake.token, base_url=fake.base_url) as second_instance:
        assert await second_instance.get_updates(timeout=0) == ()
    with pytest.raises(Conflict, match="terminated by other getUpdates request"):
        await asyncio.wait_for(older, 2)


async def test_long_poll_returns_when_an_update_arrives(fake: FakeTelegram, bot: Bot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=10))
    await fake.wait_for(lambda: bool(fake.calls_to("getUpdates")))
    await asyncio.sleep(0.05)
    assert not poll.done()
    started = time.monotonic()
    update_id = fake.add_update(f.message_update(f.message(GROUP, ADA, "hi")))
    updates = await asyncio.wait_for(poll, 2)
    assert time.monotonic() - started < 1
    assert [u.update_id for u in updates] == [update_id]

    with pytest.raises(TimeoutError):
        await fake.wait_delivered(update_id, timeout=0.1)
    await bot.get_updates(offset=update_id + 1, timeout=0)
    await fake.wait_delivered(update_id, timeout=0.1)


async def test_long_poll_with_nothing_times_out_empty(bot: Bot) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=0) == ()
    assert await bot.get_updates(timeout=1) == ()
    assert 0.9 < time.monotonic() - started < 2


async def test_stop_does_not_wait_for_long_polls() -> None:
    fake = FakeTelegram()
    await fake.start()
    async with Bot(fake.token, base_url=fake.base_url) as bot:
        poll = asyncio.create_task(bot.get_updates(timeout=30))
        await fake.wait_for(lambda: bool(fake.calls_to("getUpdates")))
        started = time.monotonic()
        await fake.stop()
        assert time.monotonic() - started < 2
        assert await asyncio.wait_for(poll, 2) == ()


async def test_application_polls_and_replies(fake: FakeTelegram) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_html(f"<b>Hi</b> {context.args}")

    app = (
        Application.builder()
        .token(fake.token)
        .base_url(fake.base_url)
        .base_file_url(fake.base_file_url)
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    async with app:
        assert app.updater is not None
        await app.updater.start_polling(timeout=1, allowed_updates=["message"])
        await app.start()
        update_id = fake.add_update(f.command(f.private_chat(ADA), ADA, "/start abc"))
        await fake.wait_delivered(update_id)
        [reply] = await fake.wait_sent(ADA["id"])
        await app.updater.stop()
        await app.stop()
    assert reply.result["text"] == "Hi ['abc']"
    assert reply.params["text"] == "<b>Hi</b> ['abc']"
    assert fake.calls_to("deleteWebhook")
    assert fake.last_allowed_updates == ["message"]


# ---- HTML parser -----------------------------------------------------------------------------


def ent(kind: str, offset: int, length: int, **extra: Any) -> dict:
    return {"offset": offset, "length": length, "type": kind, **extra}


@pytest.mark.parametrize(
    ("html", "text", "entities"),
    [
        ("plain text", "plain text", []),
        ("<b>bold</b>", "bold", [ent("bold", 0, 4)]),
        ("<B>up</B>", "up", [ent("bold", 0, 2)]),
        ("<b>x</>", "x", [ent("bold", 0, 1)]),
        ("a &lt;b&gt; &amp; &quot;c&quot;", 'a <b> & "c"', []),
        ("AT&T &copy; &nbsp &#65;&#x42;&#0;", "AT&T &copy; &nbsp AB&#0;", []),
        ("&lt&gt", "<>", []),
        ("😀<b>x</b>", "😀x", [ent("bold", 2, 1)]),
        ("é<i>ü</i>", "éü", [ent("italic", 1, 1)]),
        ("<b><i>x</i></b>", "x", [ent("bold", 0, 1), ent("italic", 0, 1)]),
        ("<b>a<i>b</i></b>", "ab", [ent("bold", 0, 2), ent("italic", 1, 1)]),
        ("<b></b>x", "x", []),
        ("a\n<u>b</u>\n", "a\nb\n", [ent("underline", 2, 1)]),
        (
            "<u>1</u><ins>2</ins><s>3</s><del>4</del><strike>5</strike><em>6</em><strong>7</strong>",
            "1234567",
            [
                ent("underline", 0, 1),
                ent("underline", 1, 1),
                ent("strikethrough", 2, 1),
                ent("strikethrough", 3, 1),
                ent("strikethrough", 4, 1),
                ent("italic", 5, 1),
                ent("bold", 6, 1),
            ],
        ),
        (
            '<span class="tg-spoiler">s</span><tg-spoiler>t</tg-spoiler>',
            "st",
            [ent("spoiler", 0, 1), ent("spoiler", 1, 1)],
        ),
        (
            '<a href="https://example.com/a?b=1&amp;c=2">l</a>',
            "l",
            [ent("text_link", 0, 1, url="https://example.com/a?b=1&c=2")],
        ),
        ("<a href='example.com'>l</a>", "l", [ent("text_link", 0, 1, url="http://example.com/")]),
        (
            "<a>https://t.me/x</a>",
            "https://t.me/x",
            [ent("text_link", 0, 14, url="https://t.me/x")],
        ),
        ('<a href="not a url">x</a>', "x", []),
        (
            '<a href="tg://user?id=42">Ann</a>',
            "Ann",
            [ent("text_mention", 0, 3, user={"id": 42, "is_bot": False, "first_name": ""})],
        ),
        ("<code><b>x</b></code>", "x", [ent("code", 0, 1)]),
        ("<pre>x</pre>", "x", [ent("pre", 0, 1)]),
        ("<pre><code>x</code></pre>", "x", [ent("pre", 0, 1)]),
        (
            '<pre><code class="language-python">x = 1</code></pre>',
            "x = 1",
            [ent("pre", 0, 5, language="python")],
        ),
        ("<blockquote>q</blockquote>", "q", [ent("blockquote", 0, 1)]),
        ("<blockquote expandable>q</blockquote>", "q", [ent("expandable_blockquote", 0, 1)]),
        (
            '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>',
            "👍",
            [ent("custom_emoji", 0, 2, custom_emoji_id="5368324170671202286")],
        ),
        ('<b class="x" data-y=z>k</b>', "k", [ent("bold", 0, 1)]),
    ],
)
def test_parse_html(html: str, text: str, entities: list[dict]) -> None:
    assert parse_html(html) == (text, entities)


@pytest.mark.parametrize(
    ("html", "detail"),
    [
        ("<foo>x</foo>", 'Unsupported start tag "foo" at byte offset 0'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("1 <3 you", 'Unsupported start tag "3" at byte offset 2'),
        ("é<br>", 'Unsupported start tag "br" at byte offset 2'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</i>", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b", "Unclosed start tag at byte offset 0"),
        ('x <a href="y>z', "Unclosed start tag at byte offset 2"),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<b>x</b", "Unclosed end tag at byte offset 4"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("<a href=https://x>y</a>", "Unexpected end of name token at byte offset 8"),
        ("<b =1>x</b>", 'Empty attribute name in the tag "b" at byte offset 0'),
        ('<tg-emoji emoji-id="abc">x</tg-emoji>', "Invalid custom emoji identifier specified"),
    ],
)
def test_parse_html_errors(html: str, detail: str) -> None:
    with pytest.raises(HtmlParseError) as caught:
        parse_html(html)
    assert caught.value.detail == detail


def test_utf16_len() -> None:
    assert [utf16_len(s) for s in ("", "abc", "é", "😀", "👍🏽", "日本")] == [0, 3, 1, 2, 4, 2]
