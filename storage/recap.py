"""The weekly recap in SQLite: the week's numbers as SQL aggregates, and what was posted.

Every number is an aggregate over an indexed range (activity_daily's primary key
(chat_id, day, member_id), credits_chat_day and memberships_chat_joined from migration 7):
nothing loads a week's rows into Python. activity_daily.day and credits.local_day are
already local days, so most aggregates are over days; only joins are UTC instants.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

from storage.times import ts as _ts

if TYPE_CHECKING:
    from storage.sqlite import SqlStore

RecapKind = Literal["scheduled", "manual"]


@dataclass(frozen=True)
class WeekSpan:
    """Local days [first_day, last_day] (seven, or fewer since Rete joined), their UTC bounds,
    and the start of the seven days before the week ending ``last_day``."""

    first_day: date
    last_day: date
    start: datetime
    end: datetime
    previous_start: datetime

    @property
    def previous_first_day(self) -> date:
        """The first local day of the seven before."""
        return self.last_day - timedelta(days=13)

    @property
    def previous_last_day(self) -> date:
        """The last local day of the seven before."""
        return self.last_day - timedelta(days=7)


@dataclass(frozen=True)
class HelperRow:
    """A member thanked in the week (never a hidden one)."""

    member_id: int
    name: str
    people: int
    credits: int
    reason: str | None


@dataclass(frozen=True)
class NewcomerRow:
    """A member who joined in the week and is still there (never a hidden one)."""

    member_id: int
    name: str


@dataclass(frozen=True)
class WeekNumbers:
    """The aggregates of one week of one group, and of the week before."""

    # Local day → (messages, thanks), for the fourteen days of both weeks (days with
    # nothing are absent).
    days: dict[date, tuple[int, int]]
    active_members: int
    previous_active_members: int
    new_members: int
    previous_new_members: int
    # New members this week who may be named (not hidden); ``newcomers`` lists the first.
    visible_new_members: int
    helpers: tuple[HelperRow, ...]
    newcomers: tuple[NewcomerRow, ...]
    # Anything recorded before the week (False: the group is new to Rete).
    has_history: bool


@dataclass(frozen=True)
class OptionalNumbers:
    """What other features know about the week; None/empty where they are not installed."""

    # (text as posted, distinct repliers) of the week's best prompt.
    prompt_of_week: tuple[str, int] | None = None
    # (introductions made, people who said they met).
    introductions: tuple[int, int] | None = None
    # Newcomer id → the offers they made public.
    offers: dict[int, tuple[str, ...]] = field(default_factory=dict)
    # How many of the week's newcomers have no interests yet (None: unknown).
    newcomers_without_interests: int | None = None
    # (asks solved this week, open asks nobody answered for a day or more) where asks are on.
    asks: tuple[int, int] | None = None
    # (connector's name, people they connected) for the week's introductions made by hand
    # and through asks' warm paths.
    connectors: tuple[tuple[str, int], ...] = ()


async def gather_optional(
    store: Any, chat_id: int, span: WeekSpan, newcomer_ids: Sequence[int]
) -> OptionalNumbers:
    """Return what prompts and introductions know about the week: the recap's plug-in point.

    Prompts give the week's prompt with the most distinct repliers. Introductions give
    their numbers (made, met) and how many newcomers have no tags yet. Tags are private;
    a newcomer's offers are shown only if they chose so (``/interests public on``).
    """
    prompt = await store.prompts.top_post(chat_id, span.start, span.end)
    made, met = await store.intros.week_numbers(chat_id, span.start, span.end)
    chat = await store.chats.get(chat_id)
    # Tags only serve introductions: no nudge towards /interests where they are off.
    intros_on = bool(chat is not None and chat.settings.get("intros", False))
    asks = None
    if chat is not None and chat.settings.get("asks", False):
        solved = await store.asks.week(chat_id, span.start, span.end)
        asks = (solved, await store.asks.unanswered(chat_id, span.end - timedelta(days=1)))
    # Connectors: who made introductions happen this week, by hand or through an ask's
    # warm path (one line for both; hidden members left out).
    found = await store.ties.connectors(chat_id, span.start, span.end)
    people = await store.members.get_many([member_id for member_id, _ in found])
    connectors = tuple(
        (people[member_id].full_name, count) for member_id, count in found if member_id in people
    )
    return OptionalNumbers(
        asks=asks,
        connectors=connectors,
        prompt_of_week=prompt,
        offers=await store.intros.public_offers(newcomer_ids),
        introductions=(made, met),
        newcomers_without_interests=(
            await store.intros.without_tags(newcomer_ids) if intros_on else None
        ),
    )


@dataclass(frozen=True)
class PostedRecap:
    """One recap posted in a group."""

    id: int
    chat_id: int
    week: str
    kind: str
    posted_at: datetime
    message_ids: tuple[int, ...]
    # False while parts of it are still to go out (see publish in handlers/recap.py).
    complete: bool = True


def _name(first: str, last: str | None) -> str:
    return f"{first} {last}" if last else first


# Messages and thanks per local day over both weeks (thanks: every credit not voided,
# scored or not: a thanks is a thanks).
_DAYS = """
    SELECT 'm', day, sum(messages) FROM activity_daily
    WHERE chat_id = :chat AND day BETWEEN :pfirst AND :last GROUP BY day
    UNION ALL
    SELECT 't', local_day, count(*) FROM credits
    WHERE chat_id = :chat AND local_day BETWEEN :pfirst AND :last AND voided_at IS NULL
    GROUP BY local_day
"""
_SCALARS = """
    SELECT
        (SELECT count(*) FROM (SELECT DISTINCT member_id FROM activity_daily
             WHERE chat_id = :chat AND day BETWEEN :first AND :last) AS active),
        (SELECT count(*) FROM (SELECT DISTINCT member_id FROM activity_daily
             WHERE chat_id = :chat AND day BETWEEN :pfirst AND :plast) AS previous),
        (SELECT count(*) FROM memberships WHERE chat_id = :chat
             AND joined_at >= :start AND joined_at < :end AND status NOT IN ('left', 'kicked')),
        (SELECT count(*) FROM memberships WHERE chat_id = :chat
             AND joined_at >= :pstart AND joined_at < :start
             AND status NOT IN ('left', 'kicked')),
        (SELECT count(*) FROM memberships ms JOIN members m ON m.id = ms.member_id
         WHERE ms.chat_id = :chat AND ms.joined_at >= :start AND ms.joined_at < :end
           AND ms.status NOT IN ('left', 'kicked') AND m.hidden = 0),
        EXISTS (SELECT 1 FROM activity_daily WHERE chat_id = :chat AND day < :first)
        OR EXISTS (SELECT 1 FROM credits WHERE chat_id = :chat AND local_day < :first)
"""
# Top helpers by distinct people helped (scored credits), then credits; hidden members
# are never named. Grouped first; hidden receivers are left out through members_hidden
# (migration 17: a partial index of the few hidden members), and only the five helpers
# kept are joined to members for their names. (Joined before the limit, PostgreSQL hashed
# all 50,000 members for every recap: 13 ms of the busiest group's 22.) The latest short
# reason given with /thanks comes along, found through credits_receiver (the unary + keeps
# SQLite from scanning the whole week per helper).
_HELPERS = """
    SELECT x.receiver_id, m.first_name, m.last_name, x.people, x.credits,
        (SELECT c.reason FROM credits c
         WHERE c.receiver_id = x.receiver_id AND c.chat_id = :chat
           AND +c.local_day BETWEEN :first AND :last AND c.voided_at IS NULL
           AND c.reason IS NOT NULL AND length(c.reason) <= :reason_limit
         ORDER BY c.created_at DESC, c.id DESC LIMIT 1)
    FROM (
        SELECT t.receiver_id, t.people, t.credits
        FROM (
            SELECT c.receiver_id, count(DISTINCT c.giver_id) AS people, count(*) AS credits
            FROM credits c
            WHERE c.chat_id = :chat AND c.local_day BETWEEN :first AND :last
              AND c.counted = 1 AND c.voided_at IS NULL
            GROUP BY c.receiver_id
        ) t
        WHERE NOT EXISTS (SELECT 1 FROM members h WHERE h.id = t.receiver_id AND h.hidden = 1)
        ORDER BY t.people DESC, t.credits DESC, t.receiver_id
        LIMIT :top
    ) x JOIN members m ON m.id = x.receiver_id
    ORDER BY x.people DESC, x.credits DESC, x.receiver_id
"""
_NEWCOMERS = """
    SELECT m.id, m.first_name, m.last_name FROM memberships ms
    JOIN members m ON m.id = ms.member_id
    WHERE ms.chat_id = :chat AND ms.joined_at >= :start AND ms.joined_at < :end
      AND ms.status NOT IN ('left', 'kicked') AND m.hidden = 0
    ORDER BY ms.joined_at, m.id
    LIMIT :newcomers
"""


class SqliteRecaps:
    """The week's numbers for a recap, and the recaps posted in each group."""

    def __init__(self, store: SqlStore) -> None:
        self._store = store

    async def week_numbers(
        self,
        chat_id: int,
        span: WeekSpan,
        *,
        top: int = 5,
        reason_limit: int = 80,
        newcomers: int = 20,
    ) -> WeekNumbers:
        """Return the week's aggregates and the week before's, for the recap.

        ``top`` helpers and the first ``newcomers`` newcomers are named; a /thanks reason of
        at most ``reason_limit`` characters is quoted.
        """
        await self._store.flush()
        query = self._store.query
        params: dict[str, Any] = {
            "chat": chat_id,
            "first": span.first_day.isoformat(),
            "last": span.last_day.isoformat(),
            "pfirst": span.previous_first_day.isoformat(),
            "plast": span.previous_last_day.isoformat(),
            "start": _ts(span.start),
            "end": _ts(span.end),
            "pstart": _ts(span.previous_start),
            "top": top,
            "reason_limit": reason_limit,
            "newcomers": newcomers,
        }
        days: dict[date, tuple[int, int]] = {}
        for kind, day, count in await query(_DAYS, params):
            messages, thanks = days.get(date.fromisoformat(day), (0, 0))
            if kind == "m":
                messages = int(count)
            else:
                thanks = int(count)
            days[date.fromisoformat(day)] = (messages, thanks)
        scalars = next(iter(await query(_SCALARS, params)))
        helpers = tuple(
            HelperRow(int(r[0]), _name(r[1], r[2]), int(r[3]), int(r[4]), r[5])
            for r in await query(_HELPERS, params)
        )
        newcomer_rows = tuple(
            NewcomerRow(int(r[0]), _name(r[1], r[2])) for r in await query(_NEWCOMERS, params)
        )
        return WeekNumbers(
            days=days,
            active_members=int(scalars[0]),
            previous_active_members=int(scalars[1]),
            new_members=int(scalars[2]),
            previous_new_members=int(scalars[3]),
            helpers=helpers,
            newcomers=newcomer_rows,
            visible_new_members=int(scalars[4]),
            has_history=bool(scalars[5]),
        )

    async def claim_scheduled(self, chat_id: int, week: str, at: datetime) -> int | None:
        """Record the week's scheduled recap as being posted; None if it already was."""
        async with self._store.raw_transaction() as conn:
            cursor = await conn.execute(
                """
                INSERT OR IGNORE INTO recaps (chat_id, week, kind, posted_at, complete)
                SELECT ?, ?, 'scheduled', ?, 0 WHERE EXISTS (SELECT 1 FROM chats WHERE id = ?)
                """,
                (chat_id, week, _ts(at), chat_id),
            )
            return cursor.lastrowid if cursor.rowcount > 0 else None

    async def claim_manual(
        self, chat_id: int, week: str, at: datetime, every: timedelta
    ) -> tuple[int | None, datetime | None]:
        """Record an on-demand recap unless one was posted within ``every``.

        Return (recap id, None) when it may be posted, else (None, when the next may be).
        """
        # transaction(), not raw_transaction(): a group seen only in the last second is
        # still in the activity buffer, and its row must exist first.
        async with self._store.transaction(changes_chats=[]) as conn:
            cursor = await conn.execute(
                "SELECT max(posted_at) FROM recaps WHERE chat_id = ? AND kind = 'manual'",
                (chat_id,),
            )
            row = await cursor.fetchone()
            if row is not None and row[0]:
                allowed = datetime.fromisoformat(row[0]) + every
                if at < allowed:
                    return None, allowed
            cursor = await conn.execute(
                """
                INSERT INTO recaps (chat_id, week, kind, posted_at, complete)
                SELECT ?, ?, 'manual', ?, 0 WHERE EXISTS (SELECT 1 FROM chats WHERE id = ?)
                """,
                (chat_id, week, _ts(at), chat_id),
            )
            return (cursor.lastrowid if cursor.rowcount > 0 else None), None

    async def set_messages(
        self, recap_id: int, message_ids: Sequence[int], *, complete: bool = True
    ) -> None:
        """Record the messages a recap went out as so far, and whether that is all of it."""
        async with self._store.raw_transaction() as conn:
            await conn.execute(
                "UPDATE recaps SET message_ids = ?, complete = ? WHERE id = ?",
                (json.dumps(list(message_ids)), int(complete), recap_id),
            )

    async def unfinished(self, chat_id: int, week: str) -> PostedRecap | None:
        """Return the week's scheduled recap if parts of it are still to go out, else None."""
        rows = await self._store.query(
            """
            SELECT * FROM recaps
            WHERE chat_id = ? AND week = ? AND kind = 'scheduled' AND complete = 0
            """,
            (chat_id, week),
        )
        return next((_posted(r) for r in rows), None)

    async def release(self, recap_id: int) -> None:
        """Forget a recap that could not be posted (it may be posted again)."""
        async with self._store.raw_transaction() as conn:
            await conn.execute("DELETE FROM recaps WHERE id = ?", (recap_id,))

    async def posted(self, chat_id: int) -> list[PostedRecap]:
        """Return the recaps posted in a group, oldest first."""
        rows = await self._store.query(
            "SELECT * FROM recaps WHERE chat_id = ? ORDER BY posted_at, id", (chat_id,)
        )
        return [_posted(r) for r in rows]


def _posted(row: Any) -> PostedRecap:
    return PostedRecap(
        id=int(row["id"]),
        chat_id=int(row["chat_id"]),
        week=row["week"],
        kind=row["kind"],
        posted_at=datetime.fromisoformat(row["posted_at"]),
        message_ids=tuple(json.loads(row["message_ids"])),
        complete=bool(row["complete"]),
    )
