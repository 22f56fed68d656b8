"""The narrow storage interface the rest of Rete uses.

SQLite implements it today (``storage.sqlite``); a PostgreSQL backend can implement the
same protocols later without touching ``bot`` or ``handlers``.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

from storage.models import Chat, ChatInfo, Member, MemberInfo, Membership


class ChatRepository(Protocol):
    """Groups the bot is in, and their settings."""

    async def get(self, chat_id: int) -> Chat | None:
        """Return the chat, or None if the bot never saw it."""

    async def seen(self, info: ChatInfo) -> Chat:
        """Create the chat if new, refresh its title/type; return it."""

    async def set_bot_status(self, chat_id: int, status: str, *, active: bool) -> None:
        """Record the bot's own status in the chat and whether it may post there."""

    async def set_active(self, chat_id: int, active: bool) -> None:
        """Mark the chat as one the bot may (or may no longer) post in."""

    async def mark_privacy_warned(self, chat_id: int) -> bool:
        """Record that the privacy-mode warning was posted; False if it already was."""

    async def set_setting(self, chat_id: int, key: str, value: Any) -> None:
        """Store one per-chat setting (None removes it, restoring the default)."""

    async def migrate(self, old_id: int, new_id: int) -> bool:
        """Move everything about ``old_id`` to ``new_id`` (group → supergroup)."""

    async def list_active(self) -> list[Chat]:
        """Return the chats the bot may post in."""


class MemberRepository(Protocol):
    """People the bot has seen."""

    async def get(self, member_id: int) -> Member | None:
        """Return the member, or None."""

    async def find_by_username(self, username: str) -> Member | None:
        """Return the member with this @username (case-insensitive), or None."""

    async def seen(self, info: MemberInfo) -> None:
        """Create the member if new, keep names, username and language current."""

    async def set_reachable(self, member_id: int, reachable: bool) -> None:
        """Record whether the bot can DM the member."""

    async def set_hidden(self, member_id: int, hidden: bool) -> None:
        """Hide (or show) the member on leaderboards and recaps."""

    async def export(self, member_id: int) -> dict[str, Any]:
        """Return everything stored about the member, as JSON-ready data."""

    async def delete(self, member_id: int) -> bool:
        """Delete everything stored about the member; False if there was nothing."""


class MembershipRepository(Protocol):
    """Who is in which chat, and how active they are (counts only)."""

    async def record_message(
        self, chat: ChatInfo, member: MemberInfo, message_id: int, at: datetime, day: date
    ) -> bool:
        """Count one message (buffered until the next flush); False if already counted."""

    async def record_join(self, chat: ChatInfo, member: MemberInfo, at: datetime) -> None:
        """Record that the member joined the chat (idempotent; buffered until the next flush)."""

    async def record_leave(
        self, chat: ChatInfo, member: MemberInfo, at: datetime, status: str = "left"
    ) -> None:
        """Record that the member left or was removed (idempotent; buffered like a join)."""

    async def author_of(self, chat_id: int, message_id: int) -> int | None:
        """Return who wrote a message counted in the last 30 days, or None."""

    async def author(self, chat_id: int, message_id: int) -> MemberInfo | None:
        """Return who wrote a message counted in the last 30 days, or None."""

    def buffered_author(self, chat_id: int, message_id: int) -> MemberInfo | None:
        """Return who wrote a message counted since the last flush (no database), or None."""

    async def prune_authors(self, now: datetime | None = None) -> int:
        """Forget message authors older than 30 days; return how many."""

    async def get(self, chat_id: int, member_id: int) -> Membership | None:
        """Return the member's presence in the chat, with their total message count."""

    async def for_member(self, member_id: int) -> list[Membership]:
        """Return every chat presence of the member."""


class Store(Protocol):
    """An open database with its repositories."""

    chats: ChatRepository
    members: MemberRepository
    memberships: MembershipRepository

    async def close(self) -> None:
        """Flush and close the database."""

    async def flush(self) -> int:
        """Write buffered activity counters and thanks; return how many messages were written."""

    async def backup(self, target: Path) -> None:
        """Write a consistent copy of the database to ``target``."""
