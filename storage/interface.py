"""The narrow storage interface the rest of Rete uses.

SQLite implements it today (``storage.sqlite``); a PostgreSQL backend can implement the
same protocols later without touching ``bot`` or ``handlers``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

from storage.models import Chat, ChatInfo, Member, MemberInfo, Membership
from storage.prompts import CustomPrompt, Decided, Rotation, Suggestion, TrackRecord


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


class ScheduleRepository(Protocol):
    """Which slot of which scheduled job ran in which chat (claimed once)."""

    async def claim(
        self, chat_id: int, job: str, slot: str, slot_at: datetime, state: str = "running"
    ) -> bool:
        """Record the slot as taken; False if it already was."""

    async def finish(
        self, chat_id: int, job: str, slot: str, state: str, retry_at: datetime | None = None
    ) -> None:
        """Record how a run ended (done, failed, skipped, or held until ``retry_at``)."""

    async def take_due(self, now: datetime) -> list[Any]:
        """Return held runs whose retry time has come, marking them running."""

    async def take_interrupted(self) -> list[Any]:
        """Return runs a stopped process left running, marking them failed."""


class AdminRepository(Protocol):
    """The admins of each group as Telegram last reported them."""

    async def remember(self, chat_id: int, admins: Iterable[MemberInfo]) -> None:
        """Replace the chat's remembered admins."""

    async def of(self, chat_id: int) -> list[int]:
        """Return the remembered admin ids of a chat."""


class PromptRepository(Protocol):
    """Engagement prompts: each group's own deck, suggestions, posts and who replied."""

    async def custom(self, chat_id: int) -> list[CustomPrompt]:
        """Return the group's own prompts, oldest first."""

    async def add(
        self,
        chat_id: int,
        text: str,
        *,
        added_by: MemberInfo | None,
        at: datetime,
        suggested_by: int | None = None,
    ) -> int | None:
        """Add a prompt to the group's deck; None if the same text is already there."""

    async def remove(self, chat_id: int, prompt_id: int) -> bool:
        """Remove one of the group's prompts."""

    async def recent_messages(self, chat_id: int, since: datetime, limit: int) -> int:
        """Count the group's messages since ``since``, stopping at ``limit``."""

    async def rotation(self, chat_id: int) -> Rotation:
        """Return the current cycle, the prompts posted in it and the last one."""

    async def record_post(
        self,
        chat_id: int,
        *,
        message_id: int,
        key: str,
        cycle: int,
        text: str,
        slot: str | None,
        at: datetime,
    ) -> int:
        """Record a posted prompt; return the post's id."""

    async def posted_since(self, chat_id: int, since: datetime) -> bool:
        """True if a prompt was posted in the group at or after ``since``."""

    async def pinned_message(self, chat_id: int) -> int | None:
        """Return the message id of the prompt the bot pinned last, if still pinned."""

    async def set_pin(self, chat_id: int, post_id: int, *, pinned: bool) -> None:
        """Record whether pinning a post worked."""

    async def last_pin_failed(self, chat_id: int) -> bool:
        """True if the latest pinning attempt failed."""

    async def record_reply(self, chat_id: int, message_id: int, member: MemberInfo) -> bool:
        """Count a member's reply to a prompt once; False if not a prompt or counted."""

    async def replies(self, chat_id: int, message_id: int) -> int:
        """Return how many distinct members replied to a prompt."""

    async def track_records(self, chat_id: int) -> dict[str, TrackRecord]:
        """Return each prompt key's posts and replies."""

    async def top_post(
        self, chat_id: int, start: datetime, end: datetime
    ) -> tuple[str, int] | None:
        """Return (text as posted, distinct repliers) of the period's most-replied prompt."""

    async def suggest(self, chat_id: int, member: MemberInfo, text: str, at: datetime) -> int:
        """Record a member's suggestion, pending; return its id."""

    async def suggestion(self, suggestion_id: int) -> Suggestion | None:
        """Return a suggestion, or None."""

    async def pending(self, chat_id: int) -> list[Suggestion]:
        """Return the group's suggestions waiting for an admin."""

    async def decide(
        self, suggestion_id: int, *, approve: bool, admin: MemberInfo, at: datetime
    ) -> Decided | None:
        """Approve (into the deck) or reject a pending suggestion, once."""


class RecapRepository(Protocol):
    """The weekly recap's aggregates, and the recaps posted in each group."""

    async def week_numbers(self, chat_id: int, span: Any) -> Any:
        """Return a week's aggregates and the week before's (storage.recap.WeekNumbers)."""

    async def claim_scheduled(self, chat_id: int, week: str, at: datetime) -> int | None:
        """Record the week's scheduled recap as being posted; None if it already was."""

    async def claim_manual(
        self, chat_id: int, week: str, at: datetime, every: Any
    ) -> tuple[int | None, datetime | None]:
        """Record an on-demand recap unless one was posted within ``every``."""

    async def set_messages(self, recap_id: int, message_ids: Any) -> None:
        """Record the messages a recap was posted as."""

    async def release(self, recap_id: int) -> None:
        """Forget a recap that could not be posted."""


class Store(Protocol):
    """An open database with its repositories."""

    chats: ChatRepository
    members: MemberRepository
    memberships: MembershipRepository
    schedule: ScheduleRepository
    admins: AdminRepository
    prompts: PromptRepository
    recaps: RecapRepository

    async def close(self) -> None:
        """Flush and close the database."""

    async def flush(self) -> int:
        """Write buffered activity counters and thanks; return how many messages were written."""

    async def backup(self, target: Path) -> None:
        """Write a consistent copy of the database to ``target``."""
