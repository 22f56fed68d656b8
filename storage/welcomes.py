"""Newcomers' welcomes in SQLite: one row per person and group, ever (migration 11).

A join queues a row (``pending``), written with the join itself (``record_join(...,
welcome=True)``, in the activity flush: see storage.activity), so an orderly restart
loses no welcome and a crash loses it only with the join. The welcome job claims a
group's pending rows (``sending``) before it posts, and marks them ``sent`` once Telegram
took the message: a row is never claimed twice, so nobody is welcomed twice (a crash in
the middle of that one request leaves the row ``sending``, never posted again: see
README, "What a crash can lose"). A person who left before their welcome, or whose
welcome waited too long, is ``skipped``. Every statement here is plain SQL that
PostgreSQL runs as well.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from storage.times import ts as _ts

if TYPE_CHECKING:
    from storage.sqlite import SqliteStore


@dataclass(frozen=True)
class WaitingGroup:
    """A group with newcomers waiting for their welcome."""

    chat_id: int
    first_join: datetime
    last_join: datetime
    last_post: datetime | None


@dataclass(frozen=True)
class Newcomer:
    """A person a welcome names (or counts, when they keep their name private)."""

    member_id: int
    name: str
    hidden: bool


class SqliteWelcomes:
    """Who was (or is about to be) welcomed in which group."""

    def __init__(self, store: SqliteStore) -> None:
        self._store = store

    async def waiting(self) -> list[WaitingGroup]:
        """Return the groups with pending welcomes, and when their last welcome went out."""
        rows = await self._store.fetchall(
            """
            SELECT w.chat_id, min(w.joined_at) AS first_join, max(w.joined_at) AS last_join,
                   (SELECT max(s.sent_at) FROM welcomes s
                    WHERE s.chat_id = w.chat_id AND s.state = 'sent') AS last_post
            FROM welcomes w WHERE w.state = 'pending'
            GROUP BY w.chat_id ORDER BY min(w.joined_at)
            """
        )
        return [
            WaitingGroup(
                chat_id=row["chat_id"],
                first_join=datetime.fromisoformat(row["first_join"]),
                last_join=datetime.fromisoformat(row["last_join"]),
                last_post=datetime.fromisoformat(row["last_post"]) if row["last_post"] else None,
            )
            for row in rows
        ]

    async def claim(self, chat_id: int, at: datetime) -> list[Newcomer]:
        """Claim the group's pending welcomes for one post; return who is still there.

        Those who left (or were removed) meanwhile are skipped, never welcomed later.
        """
        claimed = _ts(at)
        async with self._store.transaction(changes_chats=[]) as conn:
            await conn.execute(
                """
                UPDATE welcomes SET state = 'skipped', sent_at = ?
                WHERE chat_id = ? AND state = 'pending' AND EXISTS (
                    SELECT 1 FROM memberships m
                    WHERE m.chat_id = welcomes.chat_id AND m.member_id = welcomes.member_id
                      AND m.status IN ('left', 'kicked'))
                """,
                (claimed, chat_id),
            )
            await conn.execute(
                """
                UPDATE welcomes SET state = 'sending', claimed_at = ?
                WHERE chat_id = ? AND state = 'pending'
                """,
                (claimed, chat_id),
            )
            cursor = await conn.execute(
                """
                SELECT w.member_id, m.first_name, m.last_name, m.hidden
                FROM welcomes w JOIN members m ON m.id = w.member_id
                WHERE w.chat_id = ? AND w.state = 'sending' AND w.claimed_at = ?
                ORDER BY w.joined_at, w.member_id
                """,
                (chat_id, claimed),
            )
            rows = await cursor.fetchall()
        return [
            Newcomer(
                member_id=row["member_id"],
                name=f"{row['first_name']} {row['last_name']}"
                if row["last_name"]
                else row["first_name"],
                hidden=bool(row["hidden"]),
            )
            for row in rows
        ]

    async def sent(self, chat_id: int, claimed_at: datetime, at: datetime) -> None:
        """Record that the welcome of the claimed newcomers went out."""
        await self._finish(chat_id, claimed_at, "sent", at)

    async def skip(self, chat_id: int, claimed_at: datetime, at: datetime) -> None:
        """Record that the claimed newcomers will not be welcomed (the group is gone)."""
        await self._finish(chat_id, claimed_at, "skipped", at)

    async def release(self, chat_id: int, claimed_at: datetime) -> None:
        """Put claimed welcomes back in the queue: Telegram refused the post, none went out."""
        async with self._store.transaction(changes_chats=[]) as conn:
            await conn.execute(
                """
                UPDATE welcomes SET state = 'pending', claimed_at = NULL
                WHERE chat_id = ? AND state = 'sending' AND claimed_at = ?
                """,
                (chat_id, _ts(claimed_at)),
            )

    async def skip_waiting_since(self, before: datetime, at: datetime) -> int:
        """Skip welcomes still pending since before ``before`` (too late to greet anyone)."""
        async with self._store.transaction(changes_chats=[]) as conn:
            cursor = await conn.execute(
                """
                UPDATE welcomes SET state = 'skipped', sent_at = ?
                WHERE state = 'pending' AND joined_at < ?
                """,
                (_ts(at), _ts(before)),
            )
            return max(cursor.rowcount, 0)

    async def state(self, chat_id: int, member_id: int) -> str | None:
        """Return where one person's welcome in one group stands (None: never queued)."""
        row = await self._store.fetchone(
            "SELECT state FROM welcomes WHERE chat_id = ? AND member_id = ?",
            (chat_id, member_id),
        )
        return str(row["state"]) if row else None

    async def _finish(self, chat_id: int, claimed_at: datetime, state: str, at: datetime) -> None:
        async with self._store.transaction(changes_chats=[]) as conn:
            await conn.execute(
                """
                UPDATE welcomes SET state = ?, sent_at = ?
                WHERE chat_id = ? AND state = 'sending' AND claimed_at = ?
                """,
                (state, _ts(at), chat_id, _ts(claimed_at)),
            )
