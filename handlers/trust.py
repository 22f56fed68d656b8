"""The trust policy's Telegram side: who is acting in an update, and a refusal's answer.

``bot.policy`` decides; this module only feeds it (Telegram's answers, Rete's records)
(``handlers.guards.answer_refusal`` turns its refusals into a localized answer). Handlers
ask ``context.policy`` and never re-derive who may act.
"""

from __future__ import annotations

import logging

from telegram import Bot, ChatMemberRestricted, Update
from telegram.constants import ChatMemberStatus
from telegram.error import BadRequest, Forbidden

from bot.policy import Actor, MembershipRecord
from storage import MemberInfo, Store

log = logging.getLogger(__name__)


class BotTelegram:
    """Telegram's answers for the policy, through the running bot."""

    def __init__(self, bot: Bot, store: Store) -> None:
        self._bot = bot
        self._store = store

    async def member_status(self, chat_id: int, user_id: int) -> str | None:
        """Return "member", "administrator", "creator", "left", "kicked", or None."""
        try:
            member = await self._bot.get_chat_member(chat_id, user_id)
        except (BadRequest, Forbidden):  # no such person there, chat gone, bot removed
            return None
        if isinstance(member, ChatMemberRestricted):
            return "member" if member.is_member else "left"
        status = str(member.status)
        return {ChatMemberStatus.OWNER: "creator", ChatMemberStatus.BANNED: "kicked"}.get(
            status, status
        )

    async def admin_ids(self, chat_id: int) -> set[int]:
        """Return the chat's administrators' ids, and remember the people among them."""
        admins = await self._bot.get_chat_administrators(chat_id)
        # Remembered so the admins can still be told in DM after the bot loses the group.
        people = [
            MemberInfo(
                m.user.id,
                m.user.first_name,
                m.user.last_name,
                m.user.username,
                m.user.language_code,
            )
            for m in admins
            if not m.user.is_bot
        ]
        await self._store.admins.remember(chat_id, people)
        return {m.user.id for m in admins}


class StoreRecords:
    """Rete's own records, as the policy reads them."""

    def __init__(self, store: Store) -> None:
        self._store = store

    async def membership(self, chat_id: int, member_id: int) -> MembershipRecord | None:
        """Return the stored membership, None if the person was never seen there."""
        return await self._store.memberships.get(chat_id, member_id)

    async def dm_reachable(self, member_id: int) -> bool:
        """True if the member opened the private chat with Rete and did not block it."""
        member = await self._store.members.get(member_id)
        return member is not None and member.dm_reachable


def actor_of(update: Update) -> Actor:
    """Return who is acting in ``update`` (a person, an anonymous admin, a channel)."""
    chat = update.effective_chat
    message = update.effective_message
    user = update.effective_user
    chat_id = chat.id if chat is not None else None
    if message is not None and message.sender_chat is not None:
        # "As the group": only that group's admins can; "as a channel": nobody's person.
        return Actor(None, chat_id, anonymous_admin=message.sender_chat.id == chat_id)
    if user is None:
        return Actor(None, chat_id)
    return Actor(user.id, chat_id, is_bot=user.is_bot)
