"""Sending messages the way Telegram demands: split, in the right topic, handling 403/migration.

Every post to a group and every DM goes through here, so the rules live in one place:
nothing is posted to a chat the bot has left, a group that became a supergroup is
followed to its new id, a DM that bounces marks the member unreachable.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import InlineKeyboardMarkup, Message, ReplyParameters
from telegram.error import BadRequest, ChatMigrated, Forbidden

from bot.text import split_message
from handlers.common import chat_prefs
from handlers.context import ReteContext

log = logging.getLogger(__name__)


async def send(
    context: ReteContext,
    chat_id: int,
    text: str,
    *,
    reply_to: Message | None = None,
    thread_id: int | None = None,
    reply_markup: InlineKeyboardMarkup | None = None,
    **kwargs: Any,
) -> Message | None:
    """Send ``text`` (split if long) to a chat; return the last message, None if undeliverable.

    The keyboard goes on the last part. A 429 is waited out by the rate limiter.
    """
    parts = split_message(text)
    sent: Message | None = None
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        options: dict[str, Any] = dict(kwargs)
        if reply_to is not None and index == 0:
            options["reply_parameters"] = ReplyParameters(
                message_id=reply_to.message_id, allow_sending_without_reply=True
            )
        if thread_id is not None:
            options["message_thread_id"] = thread_id
        if last and reply_markup is not None:
            options["reply_markup"] = reply_markup
        sent = await _send_one(context, chat_id, part, options)
        if sent is None:
            return None
        chat_id = sent.chat_id
    return sent


# One Bot API send: (chat id, options) -> the message Telegram made.
SendCall = Callable[[int, dict[str, Any]], Awaitable[Message]]


async def _deliver(
    context: ReteContext, chat_id: int, options: dict[str, Any], call: SendCall
) -> Message | None:
    """Make one send, handling Telegram's refusals the same way for every kind of message."""
    try:
        return await call(chat_id, options)
    except ChatMigrated as migrated:
        await context.db.chats.migrate(chat_id, migrated.new_chat_id)
        return await _deliver(context, migrated.new_chat_id, options, call)
    except Forbidden as refused:
        await _undeliverable(context, chat_id, refused)
        return None
    except BadRequest as error:
        # The configured topic was deleted or closed: fall back to the main chat.
        if "thread" in error.message.lower() and "message_thread_id" in options:
            log.warning("Topic %s in chat %s is gone", options["message_thread_id"], chat_id)
            options = {k: v for k, v in options.items() if k != "message_thread_id"}
            return await _deliver(context, chat_id, options, call)
        raise


async def _send_one(
    context: ReteContext, chat_id: int, text: str, options: dict[str, Any]
) -> Message | None:
    async def call(target: int, chosen: dict[str, Any]) -> Message:
        return await context.bot.send_message(target, text, **chosen)

    return await _deliver(context, chat_id, options, call)


async def send_document(
    context: ReteContext, chat_id: int, content: bytes, filename: str, caption: str
) -> Message | None:
    """Send a file; None (and the chat or member marked unreachable) if Telegram refuses."""

    async def call(target: int, chosen: dict[str, Any]) -> Message:
        return await context.bot.send_document(target, content, **chosen)

    return await _deliver(context, chat_id, {"filename": filename, "caption": caption}, call)


async def send_photo(
    context: ReteContext,
    chat_id: int,
    photo: bytes,
    *,
    caption: str | None = None,
    thread_id: int | None = None,
    filename: str = "chart.png",
) -> Message | None:
    """Send a picture (PNG bytes); None (and the chat marked unreachable) if Telegram refuses.

    Like ``send``: a migrated group is followed, a dead topic falls back to the main chat,
    a 429 is waited out by the rate limiter.
    """
    options: dict[str, Any] = {"filename": filename}
    if caption is not None:
        options["caption"] = caption
    if thread_id is not None:
        options["message_thread_id"] = thread_id

    async def call(target: int, chosen: dict[str, Any]) -> Message:
        return await context.bot.send_photo(target, photo, **chosen)

    return await _deliver(context, chat_id, options, call)


async def _undeliverable(context: ReteContext, chat_id: int, error: Forbidden) -> None:
    if chat_id > 0:
        log.info("Member %s cannot receive DMs: %s", chat_id, error.message)
        await context.db.members.set_reachable(chat_id, False)
    else:
        log.info("Cannot post in chat %s any more: %s", chat_id, error.message)
        await context.db.chats.set_bot_status(chat_id, "left", active=False)


async def post(
    context: ReteContext,
    chat_id: int,
    text: str,
    *,
    reply_markup: InlineKeyboardMarkup | None = None,
) -> Message | None:
    """Post to a group in its configured topic; never to a chat the bot has left."""
    chat = await context.db.chats.get(chat_id)
    if chat is not None and not chat.active:
        log.info("Not posting in inactive chat %s", chat_id)
        return None
    prefs = await chat_prefs(context, chat_id)
    return await send(context, chat_id, text, thread_id=prefs.topic_id, reply_markup=reply_markup)


async def post_photo(
    context: ReteContext, chat_id: int, photo: bytes, *, caption: str | None = None
) -> Message | None:
    """Post a picture to a group in its configured topic; never to a chat the bot has left."""
    chat = await context.db.chats.get(chat_id)
    if chat is not None and not chat.active:
        log.info("Not posting in inactive chat %s", chat_id)
        return None
    prefs = await chat_prefs(context, chat_id)
    return await send_photo(context, chat_id, photo, caption=caption, thread_id=prefs.topic_id)


async def reply(
    context: ReteContext,
    message: Message,
    text: str,
    *,
    reply_markup: InlineKeyboardMarkup | None = None,
) -> Message | None:
    """Answer ``message`` in its own chat and topic."""
    thread_id = message.message_thread_id if message.is_topic_message else None
    return await send(
        context,
        message.chat_id,
        text,
        reply_to=message,
        thread_id=thread_id,
        reply_markup=reply_markup,
    )


async def dm(
    context: ReteContext,
    member_id: int,
    text: str,
    *,
    reply_markup: InlineKeyboardMarkup | None = None,
) -> Message | None:
    """Send a private message; a 403 marks the member unreachable and returns None."""
    return await send(context, member_id, text, reply_markup=reply_markup)
