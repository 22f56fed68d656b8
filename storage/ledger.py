"""The help ledger in SQLite: credits, their rules applied atomically, and the views on them.

Thanks are offered to the ledger and written in batches: one transaction (a handful of
hand-offs to the database thread) for every thanks of the last ~0.1 s, instead of six
hand-offs and a commit per thanks. The rules are judged inside that transaction, in the
order the thanks were offered, from the database itself; whoever offered a thanks learns
what it did only after the batch is committed, so nothing is acknowledged before it is
durable. Several instances on one PostgreSQL judge the same giver or pair one batch at a
time: the batch holds an advisory lock per giver and per pair until it commits
(``SqlStore.serialize``), so the second reads what the first scored, and a thanks past the
quota or the pair cap is recorded as not counted, whichever instance got it.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

import aiosqlite

from storage.members_sql import (
    UPSERT_MEMBERS_JSON,
    member_row,
    merged_member_rows,
    upsert_member,
)
from storage.models import MemberInfo, is_group_id
from storage.times import ts as _ts

if TYPE_CHECKING:
    from storage.sqlite import SqlStore

Kind = Literal["command", "words", "reaction"]
# Offered thanks kept in memory before an early write on the update's path: a safety valve
# for when the writes fall behind (the app writes every ~0.1 s; a busy benchmark offers
# ~400 thanks a second, and one slow commit held 500 back).
BATCH_AT = 5_000
# With other instances on the database, a reaction may come to this one while the message
# it reacts to is still in another instance's activity buffer (written within a second):
# a reaction whose author is not on record yet is offered again with the next batches (the
# store's flush runs the ledger's every second) for this long before it is given up, as on
# one instance. Counted in time, not batches: a busy group writes a batch every 0.1 s.
AUTHOR_WAIT = timedelta(seconds=5)


@dataclass(frozen=True)
class CreditRequest:
    """A thanks as observed: who thanked whom, for which message, and how.

    A reaction may leave ``receiver`` None: the author of ``message_id`` as the bot
    recorded it, looked up when the thanks is written (so the update never waits for the
    database). With no author on record, or the giver as author, nothing is recorded.
    """

    chat_id: int
    giver: MemberInfo
    receiver: MemberInfo | None
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
class CommittedCredit:
    """An offered thanks once written: what it did, and the note its offerer left with it."""

    request: CreditRequest
    outcome: CreditOutcome
    note: Any


@dataclass
class _Offer:
    request: CreditRequest
    judge: Callable[[int, int], str | None]
    note: Any = None
    # Set for give(), whose caller waits for its own outcome; else it goes to committed().
    waiter: asyncio.Future[CreditOutcome] | None = None
    # When a batch first found no author on record for it (a reaction; see AUTHOR_WAIT).
    unknown_since: datetime | None = None


@dataclass
class _NewCredit:
    """A credits row about to be inserted; later thanks in the batch may add ways to it."""

    request: CreditRequest
    receiver_id: int
    ways: dict[str, int] = field(default_factory=dict)
    why: str | None = None
    reason: str | None = None
    thanks_message_id: int | None = None

    def row(self) -> tuple[object, ...]:
        r = self.request
        return (
            r.chat_id,
            r.message_id,
            r.giver.id,
            self.receiver_id,
            self.ways.get("command", 0),
            self.ways.get("words", 0),
            self.ways.get("reaction", 0),
            int(self.why is None),
            self.why,
            self.reason,
            self.thanks_message_id,
            r.local_day,
            _ts(r.at),
        )


@dataclass(frozen=True)
class PairCount:
    """How many scored credits went from one member to another."""

    member_id: int
    name: str
    credits: int


# A chat seen only in the last second is still in the activity buffer: give it a row now;
# the next flush fills in its real type and title. Only groups (negative ids) ever get
# here: offer() and give() drop a thanks from a private chat.
# Every statement of a batch takes its rows as one JSON array and answers in one row: the
# database thread then needs the GIL once per statement, not once per row (while the event
# loop's thread parses updates, each of those waits up to the 5 ms switch interval).
_ENSURE_CHAT = """
    INSERT OR IGNORE INTO chats (id, type, added_at, updated_at)
    SELECT CAST(json_extract(value, '$[0]') AS INTEGER), 'supergroup', json_extract(value, '$[1]'),
           json_extract(value, '$[1]')
    FROM json_each(?)
"""
# For every thanks of a batch (a JSON array of [chat, giver, receiver, message, day, week
# start]): the existing credit for its (giver, receiver, message) if any, the giver's scored
# credits that day, and the pair's scored credits that week (both directions, each
# direction through the unique index: the unary + keeps SQLite off the (chat, time) index,
# which would scan the whole week of a busy chat). One round trip for the whole batch.
_LOOKUP = """
    WITH batch (i, chat, giver, receiver, message, day, week) AS (
        SELECT key, CAST(json_extract(value, '$[0]') AS INTEGER),
               CAST(json_extract(value, '$[1]') AS INTEGER),
               CAST(json_extract(value, '$[2]') AS INTEGER),
               CAST(json_extract(value, '$[3]') AS INTEGER),
               json_extract(value, '$[4]'), json_extract(value, '$[5]')
        FROM json_each(?)
    )
    SELECT json_group_array(json_array(b.i, c.id, c.counted, c.not_counted_why,
        (SELECT count(*) FROM credits WHERE giver_id = b.giver AND chat_id = b.chat
             AND local_day = b.day AND counted = 1 AND voided_at IS NULL),
        (SELECT count(*) FROM credits WHERE chat_id = b.chat AND giver_id = b.giver
             AND receiver_id = b.receiver AND counted = 1 AND voided_at IS NULL
             AND +created_at >= b.week)
        + (SELECT count(*) FROM credits WHERE chat_id = b.chat AND giver_id = b.receiver
             AND receiver_id = b.giver AND counted = 1 AND voided_at IS NULL
             AND +created_at >= b.week)))
    FROM batch b
    LEFT JOIN credits c ON c.chat_id = b.chat AND c.giver_id = b.giver
        AND c.receiver_id = b.receiver AND c.message_id = b.message AND c.generation = 0
"""
# Who wrote each message of a JSON array of [chat, message] (None: not on record).
_AUTHORS = """
    SELECT json_group_array(json_array(b.key, (SELECT a.member_id FROM message_authors a
                   WHERE a.chat_id = CAST(json_extract(b.value, '$[0]') AS INTEGER)
                     AND a.message_id = CAST(json_extract(b.value, '$[1]') AS INTEGER))))
    FROM json_each(?) b
"""
_INSERT = """
    INSERT INTO credits (chat_id, message_id, giver_id, receiver_id, by_command, by_words,
                         by_reaction, counted, not_counted_why, reason, thanks_message_id,
                         local_day, created_at)
    SELECT CAST(json_extract(value, '$[0]') AS INTEGER),
           CAST(json_extract(value, '$[1]') AS INTEGER),
           CAST(json_extract(value, '$[2]') AS INTEGER),
           CAST(json_extract(value, '$[3]') AS INTEGER),
           CAST(json_extract(value, '$[4]') AS INTEGER),
           CAST(json_extract(value, '$[5]') AS INTEGER),
           CAST(json_extract(value, '$[6]') AS INTEGER),
           CAST(json_extract(value, '$[7]') AS INTEGER),
           json_extract(value, '$[8]'), json_extract(value, '$[9]'),
           CAST(json_extract(value, '$[10]') AS INTEGER), json_extract(value, '$[11]'),
           json_extract(value, '$[12]')
    FROM json_each(?)
"""
# A second way of thanking for the same message is remembered and adds nothing. Rows:
# [command, words, reaction, reason, thanks message, credit id], one per credit.
_ADD_WAY = """
    UPDATE credits SET by_command = max(credits.by_command, w.command),
        by_words = max(credits.by_words, w.words),
        by_reaction = max(credits.by_reaction, w.reaction),
        reason = coalesce(credits.reason, w.reason),
        thanks_message_id = coalesce(credits.thanks_message_id, w.thanks_message_id)
    FROM (SELECT CAST(json_extract(value, '$[0]') AS INTEGER) AS command,
                 CAST(json_extract(value, '$[1]') AS INTEGER) AS words,
                 CAST(json_extract(value, '$[2]') AS INTEGER) AS reaction,
                 json_extract(value, '$[3]') AS reason,
                 CAST(json_extract(value, '$[4]') AS INTEGER) AS thanks_message_id,
                 CAST(json_extract(value, '$[5]') AS INTEGER) AS id
          FROM json_each(?)) AS w
    WHERE credits.id = w.id
"""


class SqliteLedger:
    """Credits given and received in each group."""

    def __init__(self, store: SqlStore) -> None:
        self._store = store
        self._offers: list[_Offer] = []
        self._committed: list[CommittedCredit] = []
        self._writing = asyncio.Lock()

    async def offer(
        self, request: CreditRequest, judge: Callable[[int, int], str | None], note: Any = None
    ) -> bool:
        """Queue a thanks for the next batch; True if it opened the batch (schedule a flush).

        Once the batch is written, ``committed()`` returns it with its outcome and ``note``.
        A thanks outside a group (a reaction in a private chat) is dropped: credits belong
        to groups, and writing one would create a chat row for a private chat.
        """
        if not is_group_id(request.chat_id):
            return False
        # give()'s own thanks are written by give() itself, and thanks offered again wait
        # for the store's flush (AUTHOR_WAIT): neither has a batch scheduled for it.
        opened = all(o.waiter is not None or o.unknown_since for o in self._offers)
        self._offers.append(_Offer(request, judge, note))
        if len(self._offers) >= BATCH_AT:
            await self.flush()
        return opened

    def holds(self, chat_id: int, member_id: int | None = None) -> bool:
        """True if a thanks in ``chat_id`` waits in the batch that may be ``member_id``'s
        (given or received; a reaction's author is only known once it is written); with
        no member, any of the group's."""
        return any(
            o.request.chat_id == chat_id
            and (
                member_id is None
                or o.request.giver.id == member_id
                or o.request.receiver is None
                or o.request.receiver.id == member_id
            )
            for o in self._offers
        )

    def committed(self) -> list[CommittedCredit]:
        """Return the offered thanks written since the last call, in order, and forget them."""
        done, self._committed = self._committed, []
        return done

    async def give(
        self, request: CreditRequest, judge: Callable[[int, int], str | None]
    ) -> CreditOutcome:
        """Record a thanks now, once per (giver, receiver, message), applying ``judge`` atomically.

        ``judge(scored_today_by_giver, scored_this_week_between_the_two)`` returns why the
        credit does not score, or None. A second way of thanking for the same message (a
        reaction after a /thanks) is remembered on the same credit and adds nothing.
        Outside a group nothing is recorded.
        """
        if not is_group_id(request.chat_id):
            return NOTHING
        waiter: asyncio.Future[CreditOutcome] = asyncio.get_running_loop().create_future()
        self._offers.append(_Offer(request, judge, waiter=waiter))
        await self.flush()
        return await waiter

    async def flush(self) -> int:
        """Write the offered thanks in one transaction, judged in order; return how many."""
        async with self._writing:
            offers, self._offers = self._offers, []
            if not offers:
                return 0
            try:
                outcomes, unknown = await self._write(offers)
            except BaseException as error:
                for offer in offers:
                    if offer.waiter is not None and not offer.waiter.done():
                        offer.waiter.set_exception(error)
                # Keep the others for the next attempt: they were never acknowledged.
                self._offers[:0] = [o for o in offers if o.waiter is None]
                raise
            again: list[_Offer] = []
            now = self._store.clock()
            for index, (offer, outcome) in enumerate(zip(offers, outcomes, strict=True)):
                if offer.waiter is not None:
                    offer.waiter.set_result(outcome)
                elif (
                    index in unknown
                    and not self._store.one_writer
                    and now - (offer.unknown_since or now) < AUTHOR_WAIT
                ):
                    again.append(replace(offer, unknown_since=offer.unknown_since or now))
                else:
                    self._committed.append(CommittedCredit(offer.request, outcome, offer.note))
            # Older than what was offered meanwhile: first in the next batch.
            self._offers[:0] = again
            return len(offers) - len(again)

    async def _write(self, offers: list[_Offer]) -> tuple[list[CreditOutcome], set[int]]:
        """Write a batch; return the outcomes, and which thanks found no author on record."""
        requests = [o.request for o in offers]
        # No flush of the activity buffer first (the quota only counts credits); the chats
        # and members are made sure of here instead.
        async with self._store.raw_transaction() as conn:
            receivers, unknown = await _receivers(conn, requests)
            # Another instance judging the same giver (quota) or pair (cap) waits until
            # this batch commits, and then counts what it scored (nothing on SQLite). First,
            # before any row is written: rows are then locked by one instance at a time.
            await self._store.serialize(conn, _rule_keys(requests, receivers))
            chats = {r.chat_id: (r.chat_id, _ts(r.at)) for r in requests}
            ensured = await conn.execute(_ENSURE_CHAT, (json.dumps(list(chats.values())),))
            members = [
                member_row(m, _ts(r.at))
                for r in requests
                for m in (r.giver, r.receiver)
                if m is not None
            ]
            ordered = not self._store.one_writer
            merged = merged_member_rows(members, ordered=ordered)
            await conn.execute(UPSERT_MEMBERS_JSON, (json.dumps(merged),))
            keys = [
                [
                    r.chat_id,
                    r.giver.id,
                    receiver or 0,
                    r.message_id,
                    r.local_day,
                    _ts(r.at - timedelta(days=7)),
                ]
                for r, receiver in zip(requests, receivers, strict=True)
            ]
            found = {int(row[0]): tuple(row) for row in await _one_json(conn, _LOOKUP, keys)}
            outcomes, inserts, updates = _judge(offers, receivers, found)
            if inserts:
                rows = [credit.row() for credit in inserts]
                await conn.execute(_INSERT, (json.dumps(rows),))
            if updates:
                await conn.execute(_ADD_WAY, (json.dumps(updates),))
        if ensured.rowcount:
            self._store.chats.forget_missing()  # chats found missing may exist now
        return outcomes, unknown

    async def withdraw_reaction(self, chat_id: int, giver_id: int, message_id: int) -> int:
        """Undo a reaction's part in credits for a message; drop credits left with no source."""
        await self.flush()  # a reaction offered a moment ago is withdrawn too
        async with self._store.raw_transaction() as conn:
            await conn.execute(
                """
                UPDATE credits SET by_reaction = 0
                WHERE chat_id = ? AND giver_id = ? AND message_id = ? AND generation = 0
                  AND by_reaction = 1
                """,
                (chat_id, giver_id, message_id),
            )
            cursor = await conn.execute(
                """
                DELETE FROM credits
                WHERE chat_id = ? AND giver_id = ? AND message_id = ? AND generation = 0
                  AND voided_at IS NULL AND by_command = 0 AND by_words = 0 AND by_reaction = 0
                """,
                (chat_id, giver_id, message_id),
            )
            return cursor.rowcount

    async def void(
        self, chat_id: int, thanks_message_id: int, admin: MemberInfo | None, at: datetime
    ) -> int:
        """Void the credits a thanking message gave (kept, marked voided); return how many.

        ``admin`` is None for an anonymous admin (writing as the group): not a person to
        record, so the credits say only that they were voided.
        """
        async with self._store.transaction() as conn:
            if admin is not None:
                await upsert_member(conn, admin, _ts(at))
            cursor = await conn.execute(
                """
                UPDATE credits SET voided_at = ?, voided_by = ?
                WHERE chat_id = ? AND thanks_message_id = ? AND generation = 0
                  AND voided_at IS NULL
                """,
                (_ts(at), admin.id if admin else None, chat_id, thanks_message_id),
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

    async def received_since_each(
        self, chat_id: int, member_id: int, sinces: Sequence[datetime | None]
    ) -> list[tuple[int, int]]:
        """Return :meth:`received` for each time of ``sinces`` (None: ever), in one read."""
        # A credit counts towards a window when it is as recent as its start; "" starts
        # before every timestamp, as in received().
        starts = [_ts(since) if since else "" for since in sinces]
        columns = ", ".join(
            "count(DISTINCT CASE WHEN created_at >= ? THEN giver_id END), "
            "count(CASE WHEN created_at >= ? THEN 1 END)"
            for _ in starts
        )
        row = await self._store.fetchone(
            f"""
            SELECT {columns} FROM credits
            WHERE chat_id = ? AND receiver_id = ? AND counted = 1 AND voided_at IS NULL
            """,
            (*(start for start in starts for _ in range(2)), chat_id, member_id),
        )
        if row is None:
            return [(0, 0)] * len(starts)
        return [(int(row[2 * i] or 0), int(row[2 * i + 1] or 0)) for i in range(len(starts))]

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


async def _receivers(
    conn: aiosqlite.Connection, requests: list[CreditRequest]
) -> tuple[list[int | None], set[int]]:
    """Return each thanks' receiver id, looking up message authors where it was left open,
    and the indexes of the thanks whose message has no author on record."""
    open_ = [[r.chat_id, r.message_id] for r in requests if r.receiver is None]
    authors: list[int | None] = []
    if open_:
        rows = await _one_json(conn, _AUTHORS, open_)
        authors = [row[1] for row in sorted(rows, key=lambda row: int(row[0]))]
    looked_up = iter(authors)
    receivers: list[int | None] = []
    unknown: set[int] = set()
    for index, r in enumerate(requests):
        if r.receiver is not None:
            receivers.append(r.receiver.id)
            continue
        author = next(looked_up)
        if author is None:
            unknown.add(index)
        # Nobody on record, or thanking one's own message: nothing to record.
        receivers.append(None if author is None or author == r.giver.id else int(author))
    return receivers, unknown


def _rule_keys(requests: list[CreditRequest], receivers: list[int | None]) -> set[str]:
    """Name what the rules count for a batch: each giver's day in a chat, each pair's week."""
    keys: set[str] = set()
    for r, receiver in zip(requests, receivers, strict=True):
        if receiver is None:
            continue
        low, high = sorted((r.giver.id, receiver))
        keys.add(f"credits-giver:{r.chat_id}:{r.giver.id}")
        keys.add(f"credits-pair:{r.chat_id}:{low}:{high}")
    return keys


async def _one_json(conn: aiosqlite.Connection, sql: str, rows: list[Any]) -> list[list[Any]]:
    """Run a query that takes a JSON array and answers one JSON array; return it."""
    answer = await conn.execute_fetchall(sql, (json.dumps(rows),))
    return json.loads(next(iter(answer))[0])


# What a thanks that finds nobody to credit did.
NOTHING = CreditOutcome(new=False, counted=False, not_counted_why=None)


def _judge(
    offers: list[_Offer], receivers: list[int | None], found: dict[int, tuple[Any, ...]]
) -> tuple[list[CreditOutcome], list[_NewCredit], list[list[Any]]]:
    """Apply the rules to a batch in order: outcomes, rows to insert, ways to add.

    ``found`` holds, per offer, what the database had before the batch; the credits the
    batch itself scores are added to the counts as it goes, so judging a batch gives what
    judging the same thanks one by one would.
    """
    outcomes: list[CreditOutcome] = []
    new: dict[tuple[int, int, int, int], _NewCredit] = {}
    # One row per existing credit: _ADD_WAY's UPDATE ... FROM takes only one per credit.
    updates: dict[int, list[Any]] = {}
    scored_days: dict[tuple[int, int, str], int] = {}
    scored_pairs: dict[tuple[int, int, int], list[str]] = {}
    for index, (offer, receiver) in enumerate(zip(offers, receivers, strict=True)):
        r = offer.request
        if receiver is None:
            outcomes.append(NOTHING)
            continue
        ways = {"command": 0, "words": 0, "reaction": 0, r.kind: 1}
        key = (r.chat_id, r.giver.id, receiver, r.message_id)
        earlier = new.get(key)
        if earlier is not None:
            for kind, way in ways.items():
                earlier.ways[kind] = max(earlier.ways.get(kind, 0), way)
            earlier.reason = earlier.reason or r.reason
            earlier.thanks_message_id = earlier.thanks_message_id or r.thanks_message_id
            outcomes.append(CreditOutcome(False, earlier.why is None, earlier.why))
            continue
        _, credit_id, counted, why, today, week = found[index]
        if credit_id is not None:
            update = updates.setdefault(credit_id, [0, 0, 0, None, None, credit_id])
            update[0] = max(update[0], ways["command"])
            update[1] = max(update[1], ways["words"])
            update[2] = max(update[2], ways["reaction"])
            update[3] = update[3] or r.reason
            update[4] = update[4] or r.thanks_message_id
            outcomes.append(CreditOutcome(False, bool(counted), why))
            continue
        day_key = (r.chat_id, r.giver.id, r.local_day)
        pair_key = (r.chat_id, *sorted((r.giver.id, receiver)))
        # Compared as stored (ISO seconds), as the lookup compares created_at.
        since = _ts(r.at - timedelta(days=7))
        pair_scored = [at for at in scored_pairs.get(pair_key, []) if at >= since]
        why = offer.judge(
            int(today or 0) + scored_days.get(day_key, 0), int(week or 0) + len(pair_scored)
        )
        new[key] = _NewCredit(r, receiver, ways, why, r.reason, r.thanks_message_id)
        if why is None:
            scored_days[day_key] = scored_days.get(day_key, 0) + 1
            scored_pairs.setdefault(pair_key, []).append(_ts(r.at))
        outcomes.append(CreditOutcome(True, why is None, why))
    return outcomes, list(new.values()), list(updates.values())
