"""Update factories: plain Bot API JSON dicts, ready to queue on the fake Telegram server.

Modelled on PTB's ``tests/auxil/build_messages.py``, but producing the JSON Telegram sends
(not PTB objects), so the same dicts can go through ``FakeTelegram.add_update`` and be parsed
by the real ``Application``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from bot.clock import Clock, ManualClock

# Where every test's clock starts: a Wednesday mid-morning in Rome, far from any default
# slot (prompts Mon/Thu 10:00, recaps Mon 09:00). Tests move the clock themselves.
START = datetime(2026, 12, 2, 9, 15, tzinfo=UTC)

# Telegram's own service accounts, as they appear in ``from`` of some messages.
GROUP_ANONYMOUS_BOT: dict[str, Any] = {
    "id": 1087968824,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}
CHANNEL_BOT: dict[str, Any] = {
    "id": 136817688,
    "is_bot": True,
    "first_name": "Channel",
    "username": "Channel_Bot",
}

BOT_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_@])")

_last_message_ids: dict[int, int] = {}
_query_ids = itertools.count(1)


_clock: Clock = ManualClock(START)


def use_clock(clock: Clock) -> None:
    """Date the updates built from now on by ``clock`` (the application's, in e2e tests)."""
    global _clock
    _clock = clock


def now() -> int:
    """Return the clock's current time as Telegram dates are: int epoch seconds."""
    return int(_clock.now().timestamp())


def next_message_id(chat_id: int) -> int:
    """Allocate the next message id in a chat (shared with the fake server's own messages)."""
    _last_message_ids[chat_id] = _last_message_ids.get(chat_id, 0) + 1
    return _last_message_ids[chat_id]


def seen_message_id(chat_id: int, message_id: int) -> None:
    """Note a message id used in a chat, so later automatic ids do not collide with it."""
    _last_message_ids[chat_id] = max(_last_message_ids.get(chat_id, 0), message_id)


def user(
    user_id: int,
    first_name: str = "Ada",
    *,
    last_name: str | None = None,
    username: str | None = None,
    language_code: str | None = "en",
    is_bot: bool = False,
) -> dict[str, Any]:
    """Build a User."""
    result: dict[str, Any] = {"id": user_id, "is_bot": is_bot, "first_name": first_name}
    if last_name is not None:
        result["last_name"] = last_name
    if username is not None:
        result["username"] = username
    if language_code is not None and not is_bot:
        result["language_code"] = language_code
    return result


def group(
    chat_id: int = -1001,
    title: str = "Makers",
    *,
    type: str = "supergroup",
    is_forum: bool = False,
) -> dict[str, Any]:
    """Build a group, supergroup or channel Chat."""
    result: dict[str, Any] = {"id": chat_id, "title": title, "type": type}
    if is_forum:
        result["is_forum"] = True
    return result


def private_chat(u: dict[str, Any]) -> dict[str, Any]:
    """Build the private Chat between the bot and user ``u``."""
    result: dict[str, Any] = {"id": u["id"], "type": "private", "first_name": u["first_name"]}
    for key in ("last_name", "username"):
        if key in u:
            result[key] = u[key]
    return result


def command_entity(text: str) -> dict[str, Any] | None:
    """Return the bot_command entity Telegram adds to a text starting with a command."""
    match = BOT_COMMAND.match(text)
    if match is None:
        return None
    return {"offset": 0, "length": utf16_len(match.group(0)), "type": "bot_command"}


def utf16_len(text: str) -> int:
    """Return the length of ``text`` in UTF-16 code units, as Telegram measures."""
    return len(text.encode("utf-16-le")) // 2


def _strip_reply(msg: dict[str, Any]) -> dict[str, Any]:
    # Telegram never nests replies: a replied-to message carries no reply_to_message.
    return {key: value for key, value in msg.items() if key != "reply_to_message"}


def message(
    chat: dict[str, Any],
    sender: dict[str, Any] | None,
    text: str | None = None,
    *,
    message_id: int | None = None,
    reply_to: dict[str, Any] | None = None,
    thread_id: int | None = None,
    is_topic_message: bool = False,
    sender_chat: dict[str, Any] | None = None,
    date: int | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """Build a Message; a text starting with a command gets its bot_command entity."""
    # Without ``sender`` but with ``sender_chat``, ``from`` is what Telegram puts there:
    # GroupAnonymousBot for an anonymous admin (sender_chat is the chat itself), Channel_Bot
    # for a message sent on behalf of a channel.
    if message_id is None:
        message_id = next_message_id(chat["id"])
    else:
        seen_message_id(chat["id"], message_id)
    msg: dict[str, Any] = {"message_id": message_id}
    if sender is None and sender_chat is not None and chat["type"] != "channel":
        sender = GROUP_ANONYMOUS_BOT if sender_chat["id"] == chat["id"] else CHANNEL_BOT
    if sender is not None:
        msg["from"] = sender
    if sender_chat is not None:
        msg["sender_chat"] = sender_chat
    msg["chat"] = chat
    msg["date"] = now() if date is None else date
    if thread_id is not None:
        msg["message_thread_id"] = thread_id
    if is_topic_message:
        msg["is_topic_message"] = True
    if reply_to is not None:
        msg["reply_to_message"] = _strip_reply(reply_to)
    if text is not None:
        msg["text"] = text
        entity = command_entity(text)
        if entity is not None and "entities" not in extra:
            msg["entities"] = [entity]
    msg.update(extra)
    return msg


def message_update(msg: dict[str, Any], *, edited: bool = False) -> dict[str, Any]:
    """Wrap a Message into an update: ``message``, or ``edited_message`` with an edit_date."""
    if edited:
        return {"edited_message": {**msg, "edit_date": msg.get("edit_date", now())}}
    return {"message": msg}


def command(chat: dict[str, Any], sender: dict[str, Any], text: str, **kw: Any) -> dict[str, Any]:
    """Build the update of a command message such as ``/help`` or ``/start@bot payload``."""
    return message_update(message(chat, sender, text, **kw))


def new_members(
    chat: dict[str, Any], by: dict[str, Any], *members: dict[str, Any]
) -> dict[str, Any]:
    """Build the service message update for members joining (``by`` is who added them)."""
    return message_update(message(chat, by, new_chat_members=list(members)))


def left_member(
    chat: dict[str, Any], by: dict[str, Any], member: dict[str, Any]
) -> dict[str, Any]:
    """Build the service message update for a member leaving (or removed by ``by``)."""
    return message_update(message(chat, by, left_chat_member=member))


def migrate(
    old_chat: dict[str, Any], new_chat_id: int, *, by: dict[str, Any] | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Build the two updates of a group upgraded to a supergroup: (in old group, in new)."""
    # Old group: a message from the admin who upgraded it (``by``) with migrate_to_chat_id.
    # New supergroup: from GroupAnonymousBot, sender_chat the supergroup, migrate_from_chat_id.
    by = by if by is not None else user(1, "Owner")
    old = {**old_chat, "type": "group"}
    new = {
        key: value for key, value in old_chat.items() if key != "all_members_are_administrators"
    }
    new.update(id=new_chat_id, type="supergroup")
    first = message_update(message(old, by, migrate_to_chat_id=new_chat_id))
    second = message_update(
        message(new, None, sender_chat=new, migrate_from_chat_id=old_chat["id"])
    )
    return first, second


def member_status(u: dict[str, Any], status: str, **fields: Any) -> dict[str, Any]:
    """Build a ChatMember (creator/administrator/member/restricted/left/kicked) PTB accepts."""
    result: dict[str, Any] = {"status": status, "user": u}
    if status == "creator":
        result["is_anonymous"] = False
    elif status == "administrator":
        result.update(
            can_be_edited=False,
            is_anonymous=False,
            can_manage_chat=True,
            can_delete_messages=True,
            can_manage_video_chats=True,
            can_restrict_members=True,
            can_promote_members=False,
            can_change_info=True,
            can_invite_users=True,
            can_post_stories=False,
            can_edit_stories=False,
            can_delete_stories=False,
            can_pin_messages=True,
            can_manage_topics=False,
        )
    elif status == "restricted":
        result.update(
            is_member=True,
            can_send_messages=False,
            can_send_audios=False,
            can_send_documents=False,
            can_send_photos=False,
            can_send_videos=False,
            can_send_video_notes=False,
            can_send_voice_notes=False,
            can_send_polls=False,
            can_send_other_messages=False,
            can_add_web_page_previews=False,
            can_change_info=False,
            can_invite_users=False,
            can_pin_messages=False,
            can_manage_topics=False,
            can_edit_tag=False,
            can_react_to_messages=False,
            until_date=0,
        )
    elif status == "kicked":
        result["until_date"] = 0
    elif status not in ("member", "left"):
        raise ValueError(f"unknown chat member status {status!r}")
    result.update(fields)
    return result


def _member_updated(
    chat: dict[str, Any], by: dict[str, Any], member: dict[str, Any], old: str, new: str
) -> dict[str, Any]:
    return {
        "chat": chat,
        "from": by,
        "date": now(),
        "old_chat_member": member_status(member, old),
        "new_chat_member": member_status(member, new),
    }


def my_chat_member(
    chat: dict[str, Any],
    by: dict[str, Any],
    bot_user: dict[str, Any],
    old_status: str,
    new_status: str,
) -> dict[str, Any]:
    """Build a my_chat_member update: the bot added, removed, promoted, blocked (private)."""
    return {"my_chat_member": _member_updated(chat, by, bot_user, old_status, new_status)}


def chat_member(
    chat: dict[str, Any],
    by: dict[str, Any],
    member: dict[str, Any],
    old_status: str,
    new_status: str,
) -> dict[str, Any]:
    """Build a chat_member update (needs "chat_member" in allowed_updates and an admin bot)."""
    return {"chat_member": _member_updated(chat, by, member, old_status, new_status)}


def callback_query(
    sender: dict[str, Any],
    data: str,
    message: dict[str, Any] | None = None,
    *,
    query_id: str | None = None,
) -> dict[str, Any]:
    """Build a callback_query update for an inline button pressed under ``message``."""
    chat_id = message["chat"]["id"] if message is not None else sender["id"]
    query: dict[str, Any] = {
        "id": query_id if query_id is not None else str(4_000_000_000 + next(_query_ids)),
        "from": sender,
        "chat_instance": str(abs(chat_id) * 7919 % 10**18),
        "data": data,
    }
    if message is not None:
        query["message"] = _strip_reply(message)
    return {"callback_query": query}


def reaction(
    chat: dict[str, Any],
    sender: dict[str, Any],
    message_id: int,
    *,
    old: Sequence[str] = (),
    new: Sequence[str] = (),
) -> dict[str, Any]:
    """Build a message_reaction update with emoji reactions (needs the bot to be an admin)."""
    return {
        "message_reaction": {
            "chat": chat,
            "message_id": message_id,
            "user": sender,
            "date": now(),
            "old_reaction": [{"type": "emoji", "emoji": emoji} for emoji in old],
            "new_reaction": [{"type": "emoji", "emoji": emoji} for emoji in new],
        }
    }
