"""Plain records that cross the storage boundary (no SQL, no Telegram types)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# The application's clock as storage sees it: a call that returns the current aware time.
Now = Callable[[], datetime]

# The only chats Rete keeps rows for. A private chat (a reaction, a command in DM) is no
# group: nothing about it may create a chats row, or it would get recaps and prompts.
GROUP_TYPES = frozenset({"group", "supergroup"})


def is_group_id(chat_id: int) -> bool:
    """True for a group's or supergroup's id (negative; private chats are positive)."""
    return chat_id < 0


@dataclass(frozen=True)
class ChatInfo:
    """What Telegram tells us about a chat; used to create or refresh a chat row."""

    id: int
    type: str
    title: str | None = None
    username: str | None = None
    is_forum: bool = False

    @property
    def is_group(self) -> bool:
        """True for a group or supergroup: the only chats Rete records."""
        return self.type in GROUP_TYPES and self.id < 0


@dataclass(frozen=True)
class Chat:
    """A group the bot is (or was) in, with its settings."""

    id: int
    type: str
    title: str | None
    username: str | None
    is_forum: bool
    active: bool
    bot_status: str | None
    privacy_warned: bool
    added_at: datetime
    settings: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class MemberInfo:
    """What Telegram tells us about a person; used to create or refresh a member row."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None


@dataclass(frozen=True)
class Member:
    """A person the bot has seen."""

    id: int
    first_name: str
    last_name: str | None
    username: str | None
    language_code: str | None
    dm_reachable: bool
    hidden: bool
    first_seen: datetime

    @property
    def full_name(self) -> str:
        """First and last name, as Telegram shows them."""
        return f"{self.first_name} {self.last_name}" if self.last_name else self.first_name


@dataclass(frozen=True)
class Membership:
    """A member's presence in one chat."""

    chat_id: int
    member_id: int
    status: str
    first_seen: datetime
    last_seen: datetime
    joined_at: datetime | None
    left_at: datetime | None
    messages: int = 0
