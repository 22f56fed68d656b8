"""Replies to prompts: counted once per member and prompt (ids only, never the text)."""

from __future__ import annotations

from telegram import Message, Update

from handlers.common import human_sender, member_info
from handlers.context import ReteContext
from handlers.ledger import real_reply


def replies_to_bot(message: Message) -> bool:
    """True if the message replies to one of the bot's own (a prompt, maybe)."""
    target = message.reply_to_message
    author = target.from_user if target is not None else None
    return author is not None and author.id == message.get_bot().id


async def on_reply(update: Update, context: ReteContext) -> None:
    """Count a member's direct reply to a prompt (once per member and prompt)."""
    message = update.message
    if message is None or message.reply_to_message is None:
        return
    author = message.reply_to_message.from_user
    # Cheap test first: only replies to the bot's own messages can be replies to a prompt.
    if author is None or author.id != context.bot.id or real_reply(message) is None:
        return
    sender = human_sender(message)
    if sender is None:
        return
    await context.db.prompts.record_reply(
        message.chat_id, message.reply_to_message.message_id, member_info(sender)
    )
