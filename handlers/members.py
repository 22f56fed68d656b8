"""Who is in the group and how active they are: counts only, never message texts."""

from __future__ import annotations

import logging
from datetime import UTC

from telegram import ChatMember, Update
from telegram.constants import ChatMemberStatus

from handlers.common import chat_info, chat_prefs, forget_admins, human_sender, is_group
from handlers.common import member_info as info_of
from handlers.context import ReteContext
from handlers.routing import is_command

log = logging.getLogger(__name__)


def is_present(member: ChatMember) -> bool:
    """True if the chat member status means 'in the chat'."""
    if member.status in (
        ChatMemberStatus.OWNER,
        ChatMemberStatus.ADMINISTRATOR,
        ChatMemberStatus.MEMBER,
    ):
        return True
    return member.status == ChatMemberStatus.RESTRICTED and bool(getattr(member, "is_member", 0))


async def observe(update: Update, context: ReteContext) -> None:
    """Record group life from every new message: activity, joins, leaves and migrations.

    Runs before every other handler (group -1). Edits are never counted: an edit is not
    new activity, and redelivered messages are recognised by their message id.
    """
    message = update.message
    if message is None or not is_group(message.chat):
        return
    if message.migrate_to_chat_id:
        await context.db.chats.migrate(message.chat_id, message.migrate_to_chat_id)
        return
    if message.migrate_from_chat_id:
        await context.db.chats.migrate(message.migrate_from_chat_id, message.chat_id)
        return
    chat = chat_info(message.chat)
    at = message.date.astimezone(UTC) if message.date else context.now()
    if message.new_chat_members:
        for user in message.new_chat_members:
            if not user.is_bot:
                context.policy.forget_member(chat.id, user.id)
                await context.db.memberships.record_join(chat, info_of(user), at)
        return
    if message.left_chat_member:
        user = message.left_chat_member
        if not user.is_bot:
            context.policy.forget_member(chat.id, user.id)
            await context.db.memberships.record_leave(chat, info_of(user), at)
        return
    # Service messages (pins, title changes, topics...) carry no content: not activity.
    # Checked by hand: PTB's merged StatusUpdate.ALL filter costs ~0.1 ms per message.
    if message.text is None and message.caption is None and message.effective_attachment is None:
        return
    sender = human_sender(message)
    if sender is None:
        return
    # A command to a bot is not conversation: it counts neither as activity, nor in the
    # recap, nor towards "the group is busy" (an admin configuring Rete is not a chat);
    # it still shows the sender is in the group.
    if is_command(message):
        await context.db.memberships.record_seen(chat, info_of(sender), at)
        return
    prefs = await chat_prefs(context, message.chat_id)
    local_day = at.astimezone(prefs.zone).date()
    await context.db.memberships.record_message(
        chat, info_of(sender), message.message_id, at, local_day
    )


async def on_chat_member(update: Update, context: ReteContext) -> None:
    """Track joins, leaves and removals reported by ``chat_member`` updates (bot is admin)."""
    change = update.chat_member
    if change is None or not is_group(change.chat):
        return
    user = change.new_chat_member.user
    if user.is_bot:
        return
    chat = chat_info(change.chat)
    context.policy.forget_member(chat.id, user.id)
    was, now = is_present(change.old_chat_member), is_present(change.new_chat_member)
    if ChatMemberStatus.ADMINISTRATOR in (
        change.old_chat_member.status,
        change.new_chat_member.status,
    ):
        forget_admins(context, change.chat.id)
    at = change.date.astimezone(UTC)
    if now and not was:
        await context.db.memberships.record_join(chat, info_of(user), at)
    elif was and not now:
        status = "kicked" if change.new_chat_member.status == ChatMemberStatus.BANNED else "left"
        await context.db.memberships.record_leave(chat, info_of(user), at, status)


async def flush_activity(context: ReteContext) -> None:
    """Write the buffered activity counters (a job, every second)."""
    await context.db.flush()


async def prune_message_authors(context: ReteContext) -> None:
    """Forget who wrote which message after 30 days (a daily job)."""
    removed = await context.db.memberships.prune_authors()
    log.info("Pruned %d message authors older than 30 days", removed)
