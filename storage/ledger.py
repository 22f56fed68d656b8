"""The help ledger in SQLite: credits, their rules applied atomically, and the views on them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

from storage.members_sql import UPSERT_MEMBER, member_row, upsert_member
from storage.models import MemberInfo

if TYPE_CHECKING:
    from storage.sqlite import SqliteStore

Kind = Literal["command", "words", "reaction"]
KIND_COLUMNS: dict[str, str] = {
    "command": "by_command",
    "words": "by_words",
    "reaction": "by_reaction",
}


@dataclass(frozen=True)
class CreditRequest:
    """A thanks as observed: who thanked whom, for which message, and how."""

    chat_id: int
    giver: MemberInfo
    receiver: MemberInfo
    message_id: int
    kind: Kind
    at: datetime
    local_day: str
    reason: str | None = None
    thanks_message_id: int | None = None


@dataclass(frozen=True)
class CreditOutcome:
    """What recording a thanks did."""

    new: bool
    counted: bool
    not_counted_why: str | None


@dataclass(frozen=True)
class PairCount:
    """How many scored credits went from one member to another."""

    member_id: int
    name: str
    credits: int


def _ts(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


# A chat seen only in the last second is still in the activity buffer: give it a row now;
# the next flush fills in its real type and title.
_ENSURE_CHAT = """
    INSERT OR IGNORE INTO chats (id, type, added_at, updated_at) VALUES (?, 'supergroup', ?, ?)
"""
# The existing credit for this (giver, receiver, message) if any, the giver's scored
# credits today, and the pair's scored credits this week (both directions): one round trip.
_LOOKUP = """
    SELECT
        (SELECT id FROM credits WHERE chat_id = :chat AND giver_id = :giver
             AND receiver_id = :receiver AND message_id = :message),
        (SELECT counted FROM credits WHERE chat_id = :chat AND giver_id = :giver
             AND receiver_id = :receiver AND message_id = :message),
        (SELECT not_counted_why FROM credits WHERE chat_id = :chat AND giver_id = :giver
             AND receiver_id = :receiver AND message_id = :message),
        (SELECT count(*) FROM credits WHERE giver_id = :giver AND chat_id = :chat
             AND local_day = :day AND counted = 1 AND voided_at IS NULL),
        (SELECT count(*) FROM credits WHERE chat_id = :chat AND counted = 1
             AND voided_at IS NULL AND created_at >= :week
             AND ((giver_id = :giver AND receiver_id = :receiver)
                  OR (giver_id = :receiver AND receiver_id = :giver)))
"""


class SqliteLedger:
    """Credits given and received in each group."""

    def __init__(self, store: SqliteStore) -> None:
        self._store = store

    async def give(
        self, request: CreditRequest, judge: Callable[[int, int], str | None]
    ) -> CreditOutcome:
        """Record a thanks, once per (giver, receiver, message), applying ``judge`` atomically.

        ``judge(scored_today_by_giver, scored_this_week_between_the_two)`` returns why the
        credit does not score, or None. A second way of thanking for the same message (a
        reaction after a /thanks) is remembered on the same credit and adds nothing.
        """
        r = request
        column = KIND_COLUMNS[r.kind]
        now = _ts(r.at)
        # No flush of the activity buffer first (a credit is on the hot path, and the quota
        # only counts credits); the chat and both members are made sure of here instead.
        async with self._store.raw_transaction() as conn:
            await conn.execute(_ENSURE_CHAT, (r.chat_id, now, now))
            await conn.executemany(
                UPSERT_MEMBER, [member_row(m, now) for m in (r.giver, r.receiver)]
            )
            found = list(
                await conn.execute_fetchall(
                    _LOOKUP,
                    {
                        "chat": r.chat_id,
                        "giver": r.giver.id,
                        "receiver": r.receiver.id,
                        "message": r.message_id,
                        "day": r.local_day,
                        "week": _ts(r.at - timedelta(days=7)),
                    },
                )
            )
            credit_id, counted, why, today, week = found[0]
            if credit_id is not None:
                await conn.execute(
                    f"""
                    UPDATE credits SET {column} = 1,
                        reason = coalesce(reason, ?),
                        thanks_message_id = coalesce(thanks_message_id, ?)
                    WHERE id = ?
                    """,
                    (r.reason, r.thanks_message_id, credit_id),
                )
                return CreditOutcome(new=False, counted=bool(counted), not_counted_why=why)
            why = judge(int(today or 0), int(week or 0))
            await conn.execute(
                f"""
                INSERT INTO credits (chat_id, message_id, giver_id, receiver_id, {column},
                                     counted, not_counted_why, reason, thanks_message_id,
                                     local_day, created_at)
                VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?)
                """,
                (
                    r.chat_id,
                    r.message_id,
                    r.giver.id,
                    r.receiver.id,
                    int(why is None),
                    why,
                    r.reason,
                    r.thanks_message_id,
                    r.local_day,
                    now,
                ),
            )
        return CreditOutcome(new=True, counted=why is None, not_counted_why=why)

    async def withdraw_reaction(self, chat_id: int, giver_id: int, message_id: int) -> int:
        """Undo a reaction's part in credits for a message; drop credits left with no source."""
        async with self._store.raw_transaction() as conn:
            await conn.execute(
                """
                UPDATE credits SET by_reaction = 0
                WHERE chat_id = ? AND giver_id = ? AND message_id = ? AND by_reaction = 1
                """,
                (chat_id, giver_id, message_id),
            )
            cursor = await conn.execute(
                """
                DELETE FROM credits
                WHERE chat_id = ? AND giver_id = ? AND message_id = ? AND voided_at IS NULL
                  AND by_command = 0 AND by_words = 0 AND by_reaction = 0
                """,
                (chat_id, giver_id, message_id),
            )
            return cursor.rowcount

    async def void(
        self, chat_id: int, thanks_message_id: int, admin: MemberInfo, at: datetime
    ) -> int:
        """Void the credits a thanking message gave (kept, marked voided); return how many."""
        async with self._store.transaction() as conn:
            await upsert_member(conn, admin, _ts(at))
            cursor = await conn.execute(
                """
                UPDATE credits SET voided_at = ?, voided_by = ?
                WHERE chat_id = ? AND thanks_message_id = ? AND voided_at IS NULL
                """,
                (_ts(at), admin.id, chat_id, thanks_message_id),
            )
            return cursor.rowcount

    async def first_quota_notice(self, chat_id: int, member_id: int, day: str) -> bool:
        """Record that the member was told about the quota today; False if already told."""
        async with self._store.raw_transaction() as conn:
            cursor = await conn.execute(
                "INSERT OR IGNORE INTO quota_notices (chat_id, member_id, day) VALUES (?, ?, ?)",
                (chat_id, member_id, day),
            )
            return cursor.rowcount > 0

    async def pairs(self, chat_id: int, since: datetime | None) -> list[tuple[int, int, int]]:
        """Return (receiver, giver, scored credits) for the group since a time (None: ever).

        Hidden receivers are left out; hidden givers still count for the people they thank.
        """
        rows = await self._store.fetchall(
            """
            SELECT c.receiver_id, c.giver_id, count(*) FROM credits c
            JOIN members r ON r.id = c.receiver_id
            WHERE c.chat_id = ? AND c.counted = 1 AND c.voided_at IS NULL
              AND c.created_at >= ? AND r.hidden = 0
            GROUP BY c.receiver_id, c.giver_id
            """,
            (chat_id, _ts(since) if since else ""),
        )
        return [(int(r[0]), int(r[1]), int(r[2])) for r in rows]

    async def received(
        self, chat_id: int, member_id: int, since: datetime | None
    ) -> tuple[int, int]:
        """Return (distinct people, credits) that thanked the member since a time."""
        row = await self._store.fetchone(
            """
            SELECT count(DISTINCT giver_id), count(*) FROM credits
            WHERE chat_id = ? AND receiver_id = ? AND counted = 1 AND voided_at IS NULL
              AND created_at >= ?
            """,
            (chat_id, member_id, _ts(since) if since else ""),
        )
        return (int(row[0]), int(row[1])) if row else (0, 0)

    async def top_partners(
        self, chat_id: int, member_id: int, *, thanked_by: bool, limit: int = 3
    ) -> list[PairCount]:
        """Return who thanked the member most (``thanked_by``) or whom the member thanked most.

        Members who chose to be hidden are never named.
        """
        mine, theirs = ("receiver_id", "giver_id") if thanked_by else ("giver_id", "receiver_id")
        rows = await self._store.fetchall(
            f"""
            SELECT m.id, m.first_name, m.last_name, count(*) AS n FROM credits c
            JOIN members m ON m.id = c.{theirs}
            WHERE c.chat_id = ? AND c.{mine} = ? AND c.counted = 1 AND c.voided_at IS NULL
              AND m.hidden = 0
            GROUP BY m.id ORDER BY n DESC, m.first_name LIMIT ?
            """,
            (chat_id, member_id, limit),
        )
        return [
            PairCount(int(r[0]), f"{r[1]} {r[2]}" if r[2] else str(r[1]), int(r[3])) for r in rows
        ]

    async def export(self, chat_id: int) -> list[dict[str, Any]]:
        """Return every credit of the group, oldest first, for the admins' audit."""
        rows = await self._store.fetchall(
            """
            SELECT c.created_at, c.giver_id, g.first_name AS giver, g.username AS giver_username,
                   c.receiver_id, r.first_name AS receiver, r.username AS receiver_username,
                   c.by_command, c.by_words, c.by_reaction, c.counted, c.not_counted_why,
                   c.reason, c.message_id, c.thanks_message_id, c.voided_at, c.voided_by
            FROM credits c
            JOIN members g ON g.id = c.giver_id
            JOIN members r ON r.id = c.receiver_id
            WHERE c.chat_id = ? ORDER BY c.created_at, c.id
            """,
            (chat_id,),
        )
        return [dict(row) for row in rows]
