"""Small pieces every handler needs: who is speaking, in which language, with which rights."""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import AsyncIterator, Coroutine, Hashable
from typing import Any, TypeVar

from telegram import Chat as TgChat
from telegram import Message, Update, User
from telegram.constants import ChatMemberStatus, ChatType

from bot.chat_settings import ChatPrefs, effective
from bot.i18n import pick_language
from bot.text import shorten
from handlers.context import ReteContext
from handlers.trust import actor_of
from storage import Chat, ChatInfo, MemberInfo

GROUP_TYPES = (ChatType.GROUP, ChatType.SUPERGROUP)
PREFS_CACHE = "chat_prefs"
DEFAULT_PREFS = "default_chat_prefs"
ADMIN_STATUSES = (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)
# Telegram shows at most this much of a button's answer (plain text, not HTML).
ALERT_LIMIT = 200

_A = TypeVar("_A")
_B = TypeVar("_B")


def chat_info(chat: TgChat) -> ChatInfo:
    """Return what storage needs to know about a Telegram chat."""
    return _chat_info(chat.id, chat.type, chat.title, chat.username, bool(chat.is_forum))


def member_info(user: User) -> MemberInfo:
    """Return what storage keeps about a Telegram user (never message texts)."""
    return _member_info(
        user.id, user.first_name, user.last_name, user.username, user.language_code
    )


# Every message needs both, mostly for the same few chats and people: the (immutable)
# records are shared instead of built again (a frozen dataclass costs ~1 µs to build).
@functools.lru_cache(maxsize=1024)
def _chat_info(
    chat_id: int, type_: str, title: str | None, username: str | None, is_forum: bool
) -> ChatInfo:
    return ChatInfo(chat_id, type_, title, username, is_forum)


@functools.lru_cache(maxsize=16384)
def _member_info(
    member_id: int,
    first_name: str,
    last_name: str | None,
    username: str | None,
    language_code: str | None,
) -> MemberInfo:
    return MemberInfo(member_id, first_name, last_name, username, language_code)


def human_sender(message: Message) -> User | None:
    """Return the person who sent ``message``; None for bots, channels and anonymous admins."""
    user = message.from_user
    if user is None or user.is_bot or message.sender_chat is not None:
        return None
    if message.is_automatic_forward:
        return None
    return user


def alert(context: ReteContext, language: str, key: str, **args: Any) -> str:
    """Return a catalog text for a button's answer: plain text, within ALERT_LIMIT."""
    return shorten(context.i18n.plain(language, key, **args), ALERT_LIMIT)


def is_group(chat: TgChat | None) -> bool:
    """True for groups and supergroups."""
    return chat is not None and chat.type in GROUP_TYPES


async def chat_prefs(context: ReteContext, chat_id: int) -> ChatPrefs:
    """Return the chat's effective language, time zone and topic."""
    chat = await context.db.chats.get(chat_id)
    if chat is None:
        # A group not written yet (its first second): the defaults, worked out once.
        defaults: ChatPrefs | None = context.bot_data.get(DEFAULT_PREFS)
        if defaults is None:
            defaults = context.bot_data[DEFAULT_PREFS] = effective({}, context.settings)
        return defaults
    # Every update asks: work the preferences out once per cached chat (a changed chat
    # comes back from the store as a new object).
    known: dict[int, tuple[Chat, ChatPrefs]] = context.bot_data.setdefault(PREFS_CACHE, {})
    cached = known.get(chat_id)
    if cached is not None and cached[0] is chat:
        return cached[1]
    prefs = effective(chat.settings, context.settings)
    known[chat_id] = (chat, prefs)
    return prefs


def user_language(context: ReteContext, user: User | None) -> str:
    """Return the language for a DM: the member's Telegram language if it/en, else the default."""
    return pick_language(user.language_code if user else None, context.settings.default_language)


async def language_for(context: ReteContext, update: Update) -> str:
    """Return the language to answer ``update`` in: the group's, or the member's in private."""
    chat = update.effective_chat
    if is_group(chat):
        assert chat is not None
        return (await chat_prefs(context, chat.id)).language
    return user_language(context, update.effective_user)


async def chat_admin_ids(context: ReteContext, chat_id: int) -> set[int]:
    """Return the ids of the chat's administrators, as the trust policy knows them."""
    return set(await context.policy.admin_ids(chat_id))


def forget_admins(context: ReteContext, chat_id: int) -> None:
    """Drop the cached administrator list of a chat (its admins changed)."""
    context.policy.forget_admins(chat_id)


async def is_admin(context: ReteContext, update: Update, *, fresh: bool = False) -> bool:
    """True if the sender of ``update`` administers the group it came from (the policy's rule).

    ``fresh`` asks Telegram again instead of trusting the cached list: for admin actions
    whose effect reaches other people.
    """
    chat = update.effective_chat
    if not is_group(chat) or chat is None:
        return False
    return await context.policy.is_admin(chat.id, actor_of(update), fresh=fresh)


async def together(
    first: Coroutine[Any, Any, _A], second: Coroutine[Any, Any, _B]
) -> tuple[_A, _B]:
    """Run both at once; if one fails, the other is cancelled and the error raised as is."""
    try:
        async with asyncio.TaskGroup() as tasks:
            one, two = tasks.create_task(first), tasks.create_task(second)
    except BaseExceptionGroup as failed:
        raise failed.exceptions[0] from None
    return one.result(), two.result()


class KeyedLocks:
    """One asyncio lock per key (a member, a chat), kept only while held or awaited."""

    def __init__(self) -> None:
        self._locks: dict[Hashable, tuple[asyncio.Lock, int]] = {}

    def __len__(self) -> int:
        return len(self._locks)

    @contextlib.asynccontextmanager
    async def hold(self, key: Hashable) -> AsyncIterator[None]:
        """Hold ``key``'s lock for the block, after whoever holds or awaits it already."""
        lock, users = self._locks.get(key, (None, 0))
        if lock is None:
            lock = asyncio.Lock()
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)
