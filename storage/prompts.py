"""Engagement prompts in SQLite: each group's own deck, suggestions, posts and replies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal

import aiosqlite

from storage.members_sql import upsert_member
from storage.models import MemberInfo
from storage.times import ts as _ts

if TYPE_CHECKING:
    from storage.sqlite import SqlStore

SuggestionStatus = Literal["pending", "approved", "rejected"]


@dataclass(frozen=True)
class CustomPrompt:
    """A prompt a group's admins added (or approved from a suggestion)."""

    id: int
    text: str
    suggested: bool
    created_at: datetime


@dataclass(frozen=True)
class Rotation:
    """Where a group is in its deck: the current cycle, what it posted in it, the last post."""

    cycle: int
    used: frozenset[str]
    last: str | None


@dataclass(frozen=True)
class TrackRecord:
    """How often a prompt was posted and how many people replied (summed over its posts)."""

    posts: int
    replies: int


@dataclass(frozen=True)
class Suggestion:
    """A member's suggested prompt."""

    id: int
    chat_id: int
    member_id: int
    text: str
    status: str
    decided_by: int | None


@dataclass(frozen=True)
class Decided:
    """The outcome of pressing Approve or Reject (``changed`` False if decided before)."""

    suggestion: Suggestion
    changed: bool
    prompt_id: int | None = None


# A chat seen only in the last second may still be in the activity buffer: give it a row.
# Never to a private chat (positive id): the insert that follows then fails, loudly.
_ENSURE_CHAT = """
    INSERT OR IGNORE INTO chats (id, type, added_at, updated_at)
    SELECT ?1, 'supergroup', ?2, ?3 WHERE ?1 < 0
"""


def _suggestion(row: object) -> Suggestion:
    get = row.__getitem__  # type: ignore[attr-defined]
    return Suggestion(
        id=int(get("id")),
        chat_id=int(get("chat_id")),
        member_id=int(get("member_id")),
        text=str(get("text")),
        status=str(get("status")),
        decided_by=get("decided_by"),
    )


class SqlitePrompts:
    """The prompts feature's tables."""

    def __init__(self, store: SqlStore) -> None:
        self._store = store

    # ---- the deck ---------------------------------------------------------------------------

    async def custom(self, chat_id: int) -> list[CustomPrompt]:
        """Return the group's own prompts, oldest first (the order they are posted in)."""
        rows = await self._store.query(
            """
            SELECT id, text, suggested_by IS NOT NULL AS suggested, created_at
            FROM prompts WHERE chat_id = ? ORDER BY id
            """,
            (chat_id,),
        )
        return [
            CustomPrompt(
                int(r["id"]),
                r["text"],
                bool(r["suggested"]),
                datetime.fromisoformat(r["created_at"]),
            )
            for r in rows
        ]

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
        now = _ts(at)
        async with self._store.raw_transaction() as conn:
            return await _add(conn, chat_id, text, added_by, suggested_by, now)

    async def remove(self, chat_id: int, prompt_id: int) -> bool:
        """Remove one of the group's prompts; False if it was not there."""
        async with self._store.raw_transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM prompts WHERE chat_id = ? AND id = ?", (chat_id, prompt_id)
            )
            return cursor.rowcount > 0

    # ---- posts ------------------------------------------------------------------------------

    async def recent_messages(self, chat_id: int, since: datetime, limit: int) -> int:
        """Count the group's messages since ``since``, stopping at ``limit``.

        Reads message_authors (every counted message, flushed from the activity buffer
        first) newest first along its primary key: message ids grow with time within a
        chat, so at most ``limit`` rows are read however busy the group is.
        """
        row = await self._store.fetchone(
            """
            SELECT count(*) FROM (
                SELECT sent_at FROM message_authors WHERE chat_id = ?
                ORDER BY message_id DESC LIMIT ?
            ) AS latest WHERE sent_at >= ?
            """,
            (chat_id, limit, _ts(since)),
        )
        return int(row[0]) if row else 0

    async def rotation(self, chat_id: int) -> Rotation:
        """Return the current cycle, the prompts posted in it and the last one posted."""
        rows = list(
            await self._store.query(
                """
                SELECT cycle, prompt_key FROM prompt_posts
                WHERE chat_id = ? AND cycle = (SELECT max(cycle) FROM prompt_posts
                                               WHERE chat_id = ?)
                ORDER BY id
                """,
                (chat_id, chat_id),
            )
        )
        if not rows:
            return Rotation(cycle=0, used=frozenset(), last=None)
        return Rotation(
            cycle=int(rows[0]["cycle"]),
            used=frozenset(r["prompt_key"] for r in rows),
            last=rows[-1]["prompt_key"],
        )

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
        now = _ts(at)
        async with self._store.raw_transaction() as conn:
            await conn.execute(_ENSURE_CHAT, (chat_id, now, now))
            cursor = await conn.execute(
                """
                INSERT INTO prompt_posts (chat_id, message_id, prompt_key, cycle, text, slot,
                                          posted_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
                (chat_id, message_id, key, cycle, text, slot, now),
            )
            assert cursor.lastrowid is not None
            return cursor.lastrowid

    async def posted_since(self, chat_id: int, since: datetime) -> bool:
        """True if a prompt was posted in the group at or after ``since``."""
        rows = await self._store.query(
            "SELECT 1 FROM prompt_posts WHERE chat_id = ? AND posted_at >= ? LIMIT 1",
            (chat_id, _ts(since)),
        )
        return bool(list(rows))

    async def pinned_message(self, chat_id: int) -> int | None:
        """Return the message id of the prompt currently pinned by the bot, if any."""
        rows = await self._store.query(
            """
            SELECT message_id FROM prompt_posts
            WHERE chat_id = ? AND pinned = 1 AND message_id IS NOT NULL
            ORDER BY id DESC LIMIT 1
            """,
            (chat_id,),
        )
        row = next(iter(rows), None)
        return int(row[0]) if row else None

    async def set_pin(self, chat_id: int, post_id: int, *, pinned: bool) -> None:
        """Record the outcome of pinning a post (the previous pin is no longer the bot's)."""
        async with self._store.raw_transaction() as conn:
            if pinned:
                await conn.execute(
                    "UPDATE prompt_posts SET pinned = 0 WHERE chat_id = ? AND pinned = 1",
                    (chat_id,),
                )
            await conn.execute(
                "UPDATE prompt_posts SET pinned = ?, pin_failed = ? WHERE id = ?",
                (int(pinned), int(not pinned), post_id),
            )

    async def last_pin_failed(self, chat_id: int) -> bool:
        """True if the latest pinning attempt failed (the bot lacks the right to pin)."""
        rows = await self._store.query(
            """
            SELECT pin_failed FROM prompt_posts
            WHERE chat_id = ? AND (pinned = 1 OR pin_failed = 1)
            ORDER BY id DESC LIMIT 1
            """,
            (chat_id,),
        )
        row = next(iter(rows), None)
        return bool(row[0]) if row else False

    async def record_reply(self, chat_id: int, message_id: int, member: MemberInfo) -> bool:
        """Count ``member`` as having replied to the prompt posted as ``message_id``.

        False if that message is not a prompt or the member had already replied to it.
        """
        rows = await self._store.query(
            "SELECT id FROM prompt_posts WHERE chat_id = ? AND message_id = ?",
            (chat_id, message_id),
        )
        row = next(iter(rows), None)
        if row is None:
            return False
        now = self._store.now()
        async with self._store.raw_transaction() as conn:
            await upsert_member(conn, member, now)
            cursor = await conn.execute(
                "INSERT OR IGNORE INTO prompt_replies (post_id, member_id) VALUES (?, ?)",
                (int(row[0]), member.id),
            )
            return cursor.rowcount > 0

    async def replies(self, chat_id: int, message_id: int) -> int:
        """Return how many distinct members replied to the prompt posted as ``message_id``."""
        rows = await self._store.query(
            """
            SELECT count(r.member_id) FROM prompt_posts p
            LEFT JOIN prompt_replies r ON r.post_id = p.id
            WHERE p.chat_id = ? AND p.message_id = ?
            """,
            (chat_id, message_id),
        )
        row = next(iter(rows), None)
        return int(row[0]) if row else 0

    async def track_records(self, chat_id: int) -> dict[str, TrackRecord]:
        """Return each prompt key's posts and replies (distinct members per post, summed)."""
        rows = await self._store.query(
            """
            SELECT p.prompt_key, count(DISTINCT p.id), count(r.member_id)
            FROM prompt_posts p LEFT JOIN prompt_replies r ON r.post_id = p.id
            WHERE p.chat_id = ? GROUP BY p.prompt_key
            """,
            (chat_id,),
        )
        return {r[0]: TrackRecord(int(r[1]), int(r[2])) for r in rows}

    async def top_post(
        self, chat_id: int, start: datetime, end: datetime
    ) -> tuple[str, int] | None:
        """Return the prompt posted in [start, end) with the most distinct repliers.

        The text is the prompt as the bot posted it, as plain text (escape it for HTML);
        ties go to the earlier post. None if no prompt was posted in the period.
        """
        rows = await self._store.query(
            """
            SELECT p.text, count(r.member_id) AS n FROM prompt_posts p
            LEFT JOIN prompt_replies r ON r.post_id = p.id
            WHERE p.chat_id = ? AND p.posted_at >= ? AND p.posted_at < ?
            GROUP BY p.id ORDER BY n DESC, p.posted_at, p.id LIMIT 1
            """,
            (chat_id, _ts(start), _ts(end)),
        )
        row = next(iter(rows), None)
        return (str(row[0]), int(row[1])) if row else None

    # ---- suggestions ------------------------------------------------------------------------

    async def suggest(
        self,
        chat_id: int,
        member: MemberInfo,
        text: str,
        at: datetime,
        *,
        day: str | None = None,
        daily_limit: int | None = None,
    ) -> int | None:
        """Record a member's suggestion, pending an admin's decision; return its id.

        None, recording nothing, if the group already had ``daily_limit`` suggestions on
        its local ``day`` (default: the UTC date of ``at``). The count is per group, naming
        nobody: a member who deletes their data does not reset it.
        """
        now = _ts(at)
        day = day or at.astimezone(UTC).date().isoformat()
        async with self._store.raw_transaction() as conn:
            await conn.execute(_ENSURE_CHAT, (chat_id, now, now))
            # Yesterday's count is kept for a group whose day begins behind the caller's.
            await conn.execute(
                "DELETE FROM suggestion_days WHERE chat_id = ? AND day < date(?, '-1 day')",
                (chat_id, day),
            )
            cursor = await conn.execute(
                """
                INSERT INTO suggestion_days (chat_id, day, used) VALUES (?, ?, 1)
                ON CONFLICT (chat_id, day) DO UPDATE SET used = used + 1
                WHERE ? IS NULL OR used < ?
                """,
                (chat_id, day, daily_limit, daily_limit),
            )
            if cursor.rowcount == 0:
                return None
            await upsert_member(conn, member, now)
            cursor = await conn.execute(
                """
                INSERT INTO prompt_suggestions (chat_id, member_id, text, created_at)
                VALUES (?, ?, ?, ?)
                """,
                (chat_id, member.id, text, now),
            )
            assert cursor.lastrowid is not None
            return cursor.lastrowid

    async def suggestion(self, suggestion_id: int) -> Suggestion | None:
        """Return a suggestion, or None if it no longer exists."""
        rows = await self._store.query(
            "SELECT * FROM prompt_suggestions WHERE id = ?", (suggestion_id,)
        )
        row = next(iter(rows), None)
        return _suggestion(row) if row else None

    async def pending(self, chat_id: int) -> list[Suggestion]:
        """Return the group's suggestions still waiting for an admin, oldest first."""
        rows = await self._store.query(
            "SELECT * FROM prompt_suggestions WHERE chat_id = ? AND status = 'pending' "
            "ORDER BY id",
            (chat_id,),
        )
        return [_suggestion(row) for row in rows]

    async def decide(
        self, suggestion_id: int, *, approve: bool, admin: MemberInfo, at: datetime
    ) -> Decided | None:
        """Approve (adding it to the deck) or reject a pending suggestion, atomically.

        None if the suggestion no longer exists; ``changed`` False if it was decided before.
        """
        now = _ts(at)
        async with self._store.raw_transaction() as conn:
            rows = list(
                await conn.execute_fetchall(
                    "SELECT * FROM prompt_suggestions WHERE id = ?", (suggestion_id,)
                )
            )
            if not rows:
                return None
            found = _suggestion(rows[0])
            if found.status != "pending":
                return Decided(found, changed=False)
            await upsert_member(conn, admin, now)
            prompt_id = None
            if approve:
                prompt_id = await _add(
                    conn, found.chat_id, found.text, admin, found.member_id, now
                )
            status: SuggestionStatus = "approved" if approve else "rejected"
            await conn.execute(
                """
                UPDATE prompt_suggestions
                SET status = ?, decided_by = ?, decided_at = ?, prompt_id = ?
                WHERE id = ?
                """,
                (status, admin.id, now, prompt_id, suggestion_id),
            )
            decided = Suggestion(
                found.id, found.chat_id, found.member_id, found.text, status, admin.id
            )
            return Decided(decided, changed=True, prompt_id=prompt_id)


async def _add(
    conn: aiosqlite.Connection,
    chat_id: int,
    text: str,
    added_by: MemberInfo | None,
    suggested_by: int | None,
    now: str,
) -> int | None:
    execute = conn.execute
    await execute(_ENSURE_CHAT, (chat_id, now, now))
    if added_by is not None:
        await upsert_member(conn, added_by, now)
    cursor = await execute(
        "SELECT 1 FROM prompts WHERE chat_id = ? AND lower(trim(text)) = lower(trim(?))",
        (chat_id, text),
    )
    if await cursor.fetchone() is not None:
        return None
    cursor = await execute(
        """
        INSERT INTO prompts (chat_id, text, added_by, suggested_by, created_at)
        VALUES (?, ?, ?, ?, ?)
        """,
        (chat_id, text, added_by.id if added_by else None, suggested_by, now),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid
