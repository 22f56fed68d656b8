"""The bot's own presence: added to a group, promoted, removed; blocked in private."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType

from bot.i18n import pick_language
from handlers.common import chat_info, chat_prefs, forget_admins, is_group
from handlers.context import ReteContext
from handlers.delivery import post
from handlers.members import is_present

log = logging.getLogger(__name__)


async def on_my_chat_member(update: Update, context: ReteContext) -> None:
    """React to changes of the bot's own membership in a chat."""
    change = update.my_chat_member
    if change is None:
        return
    chat = change.chat
    new = change.new_chat_member
    if chat.type == ChatType.PRIVATE:
        # In a private chat "kicked" means the user blocked the bot.
        reachable = new.status == ChatMemberStatus.MEMBER
        await context.db.members.set_reachable(chat.id, reachable)
        return
    if not is_group(chat):
        return
    forget_admins(context, chat.id)
    stored = await context.db.chats.get(chat.id)
    present = is_present(new)
    if not present:
        await context.db.chats.seen(chat_info(chat))
        await context.db.chats.set_bot_status(chat.id, new.status, active=False)
        log.info("Removed from chat %s (%s)", chat.id, new.status)
        return

    await context.db.chats.seen(chat_info(chat))
    if stored is None:
        # A new group starts in the language of the admin who added the bot.
        adder = change.from_user
        if adder and not adder.is_bot and adder.language_code:
            language = pick_language(adder.language_code, context.settings.default_language)
            await context.db.chats.set_setting(chat.id, "language", language)
    await context.db.chats.set_bot_status(chat.id, new.status, active=True)

    # A redelivered "added" update finds the chat already active with the same status.
    already_here = stored is not None and stored.active and is_present(change.old_chat_member)
    duplicate = stored is not None and stored.active and stored.bot_status == new.status
    prefs = await chat_prefs(context, chat.id)
    bot_name = context.bot.username
    if not already_here and not duplicate:
        await post(
            context, chat.id, context.i18n.text(prefs.language, "group-welcome", bot=bot_name)
        )
    blind = new.status != ChatMemberStatus.ADMINISTRATOR
    blind = blind and not context.bot.can_read_all_group_messages
    if blind and await context.db.chats.mark_privacy_warned(chat.id):
        text = context.i18n.text(prefs.language, "group-privacy-warning", bot=bot_name)
        await post(context, chat.id, text)
