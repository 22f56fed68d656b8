"""Introductions in SQLite: profile tags, opt-ins, never-lists, rounds, intros, outcomes."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Collection, Iterable, Sequence
from datetime import datetime, timedelta
from itertools import combinations
from typing import TYPE_CHECKING, Any

from storage.holders import HolderIndex, lock_member, mark_member, mark_pairs
from storage.intro_records import (
    CandidateRow,
    Intro,
    IntroMember,
    IntroStats,
    NewIntro,
    OptIn,
    TagHolders,
)
from storage.members_sql import upsert_member
from storage.models import MemberInfo
from storage.times import dt as _dt
from storage.times import ts as _ts

if TYPE_CHECKING:
    from storage.sqlite import SqlStore

# Tags a holders search takes at once: one bit each in a 64-bit signed integer.
MASK_BITS = 62
# Members not seen in a group for this long are not offered introductions there.
SEEN_DAYS = 60

# Who can be introduced in a group (:chat) at :now: opted in and not stopped, not paused (a
# pause whose date passed has ended), reachable in private, and seen in the group (and not
# recorded as gone) since :seen.
_CANDIDATES = """
    SELECT o.member_id FROM intro_optins o
    JOIN members m ON m.id = o.member_id
    JOIN memberships s ON s.chat_id = o.chat_id AND s.member_id = o.member_id
    WHERE o.chat_id = :chat
      AND (o.status = 'active'
           OR (o.status = 'paused' AND o.paused_until IS NOT NULL AND o.paused_until <= :now))
      AND m.dm_reachable = 1
      AND s.status NOT IN ('left', 'kicked')
      AND s.last_seen >= :seen
"""
# A pool's members (:pool is one of the queries above) with their tags (only those in
# :only, a JSON array, unless it is NULL) and never-lists; with :only, only the members
# holding one of those tags.
_WITH_TAGS = """
    SELECT p.member_id,
           (SELECT json_group_array(json_array(t.kind, t.tag)) FROM member_tags t
            WHERE t.member_id = p.member_id
              AND (:only IS NULL OR t.tag IN (SELECT value FROM json_each(:only)))) AS tags,
           (SELECT json_group_array(n.other_id) FROM intro_never n
            WHERE n.member_id = p.member_id) AS never
    FROM ({pool}) p
    WHERE :only IS NULL OR p.member_id IN (
        SELECT k.member_id FROM member_tags k
        WHERE k.tag IN (SELECT value FROM json_each(:only)))
    ORDER BY p.member_id
"""
# Who /whoknows may name in a group (:chat): opted in and not stopped, not hidden from
# public lists, and not recorded as gone from the group.
_LISTED = """
    SELECT o.member_id FROM intro_optins o
    JOIN members m ON m.id = o.member_id
    JOIN memberships s ON s.chat_id = o.chat_id AND s.member_id = o.member_id
    WHERE o.chat_id = :chat AND o.status != 'stopped' AND m.hidden = 0
      AND s.status NOT IN ('left', 'kicked')
"""


def _search_tags(tags: Sequence[str]) -> tuple[str, ...]:
    """Return a search's tags once each, in order: one bit each of a mask."""
    unique = tuple(dict.fromkeys(tags))
    if len(unique) > MASK_BITS:
        raise ValueError(f"at most {MASK_BITS} tags, not {len(unique)}")
    return unique


class SqliteIntros:
    """Everything introductions keep, per member and per group."""

    def __init__(self, store: SqlStore) -> None:
        self._store = store
        # Each group's tag holders in memory, for /whoknows and /meet (storage.holders).
        self.index = HolderIndex(store)

    # ---- tags --------------------------------------------------------------------------------

    async def tags(self, member_id: int) -> list[tuple[str, str]]:
        """Return the member's (kind, tag) pairs, ordered by kind and tag."""
        rows = await self._store.fetchall(
            "SELECT kind, tag FROM member_tags WHERE member_id = ? ORDER BY kind, tag",
            (member_id,),
        )
        return [(row["kind"], row["tag"]) for row in rows]

    async def add_tags(
        self, member: MemberInfo, kind: str, tags: Iterable[str], now: datetime
    ) -> int:
        """Add tags of one kind (existing ones are kept); return how many were new."""
        stamp = _ts(now)
        async with self._store.transaction() as conn:
            await upsert_member(conn, member, stamp)
            before = conn.total_changes
            await conn.executemany(
                "INSERT OR IGNORE INTO member_tags (member_id, kind, tag, added_at) "
                "VALUES (?, ?, ?, ?)",
                [(member.id, kind, tag, stamp) for tag in tags],
            )
            added = conn.total_changes - before
            if added:
                await mark_member(conn, member.id)
            return added

    async def remove_tags(self, member_id: int, tags: Iterable[str]) -> int:
        """Remove tags whatever their kind; return how many rows went."""
        async with self._store.transaction() as conn:
            # As add_tags does (upsert_member): an opt-in racing this waits (storage.holders).
            await lock_member(conn, member_id)
            before = conn.total_changes
            await conn.executemany(
                "DELETE FROM member_tags WHERE member_id = ? AND tag = ?",
                [(member_id, tag) for tag in tags],
            )
            removed = conn.total_changes - before
            if removed:
                await mark_member(conn, member_id)
            return removed

    async def set_offers_public(self, member: MemberInfo, public: bool, now: datetime) -> None:
        """Record whether the weekly recap may show the member's offers."""
        async with self._store.transaction() as conn:
            await upsert_member(conn, member, _ts(now))
            await conn.execute(
                "UPDATE members SET offers_public = ? WHERE id = ?", (int(public), member.id)
            )

    async def offers_public(self, member_id: int) -> bool:
        """True if the member lets the weekly recap show their offers."""
        row = await self._store.fetchone(
            "SELECT offers_public FROM members WHERE id = ?", (member_id,)
        )
        return bool(row and row[0])

    async def public_offers(self, member_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
        """Return the offers of those members who made them public (and are not hidden)."""
        if not member_ids:
            return {}
        marks = ",".join("?" * len(member_ids))
        rows = await self._store.fetchall(
            f"""
            SELECT t.member_id, t.tag FROM member_tags t JOIN members m ON m.id = t.member_id
            WHERE t.member_id IN ({marks}) AND t.kind = 'offer'
              AND m.offers_public = 1 AND m.hidden = 0
            ORDER BY t.member_id, t.added_at, t.tag
            """,
            tuple(member_ids),
        )
        offers: dict[int, tuple[str, ...]] = {}
        for row in rows:
            offers[row["member_id"]] = (*offers.get(row["member_id"], ()), row["tag"])
        return offers

    async def without_tags(self, member_ids: Sequence[int]) -> int:
        """Return how many of these members have no tag at all (a count, never names)."""
        if not member_ids:
            return 0
        marks = ",".join("?" * len(member_ids))
        row = await self._store.fetchone(
            f"SELECT count(DISTINCT member_id) FROM member_tags WHERE member_id IN ({marks})",
            tuple(member_ids),
        )
        return len(set(member_ids)) - (int(row[0]) if row else 0)

    async def popular_tags(
        self, member_id: int, limit: int = 8, *, at_least: int = 3
    ) -> list[tuple[str, str, int]]:
        """Return (kind, tag, people) most used in the member's groups, not yet theirs.

        Only interests and offers (what someone looks for is theirs to say), and only those
        at least ``at_least`` people hold: current members of a group the member is in now,
        not hidden. A suggestion never points at one person.
        """
        rows = await self._store.fetchall(
            """
            SELECT t.kind, t.tag, count(DISTINCT t.member_id) AS people
            FROM memberships mine
            JOIN memberships other ON other.chat_id = mine.chat_id
            JOIN members m ON m.id = other.member_id
            JOIN member_tags t ON t.member_id = other.member_id
            WHERE mine.member_id = :member AND mine.status NOT IN ('left', 'kicked')
              AND other.member_id != :member AND other.status NOT IN ('left', 'kicked')
              AND m.hidden = 0 AND t.kind IN ('interest', 'offer')
              AND NOT EXISTS (SELECT 1 FROM member_tags own WHERE own.member_id = :member
                              AND own.kind = t.kind AND own.tag = t.tag)
            GROUP BY t.kind, t.tag
            HAVING count(DISTINCT t.member_id) >= :least
            ORDER BY people DESC, t.tag
            LIMIT :limit
            """,
            {"member": member_id, "limit": limit, "least": at_least},
        )
        return [(row["kind"], row["tag"], row["people"]) for row in rows]

    # ---- opt-in ------------------------------------------------------------------------------

    async def join(self, chat_id: int, member: MemberInfo, now: datetime) -> None:
        """Opt the member in (or back in) for introductions in the group."""
        stamp = _ts(now)
        async with self._store.transaction() as conn:
            await upsert_member(conn, member, stamp)
            await conn.execute(
                """
                INSERT INTO intro_optins (chat_id, member_id, status, joined_at, updated_at)
                VALUES (?, ?, 'active', ?, ?)
                ON CONFLICT (chat_id, member_id) DO UPDATE SET
                    status = 'active', paused_until = NULL, pause_reason = NULL,
                    updated_at = excluded.updated_at
                """,
                (chat_id, member.id, stamp, stamp),
            )
            await mark_pairs(conn, [(chat_id, member.id)])

    async def optin(self, chat_id: int, member_id: int) -> OptIn | None:
        """Return the member's status in the group, or None if they never joined."""
        rows = await self.optins(member_id)
        return next((o for o in rows if o.chat_id == chat_id), None)

    async def optins(self, member_id: int) -> list[OptIn]:
        """Return the member's status in every group they joined introductions in."""
        rows = await self._store.fetchall(
            """
            SELECT o.*, c.title FROM intro_optins o JOIN chats c ON c.id = o.chat_id
            WHERE o.member_id = ? ORDER BY c.title, o.chat_id
            """,
            (member_id,),
        )
        return [
            OptIn(
                chat_id=row["chat_id"],
                member_id=row["member_id"],
                status=row["status"],
                paused_until=_dt(row["paused_until"]),
                pause_reason=row["pause_reason"],
                chat_title=row["title"],
            )
            for row in rows
        ]

    async def set_status(
        self,
        chat_id: int,
        member_id: int,
        status: str,
        now: datetime,
        *,
        until: datetime | None = None,
        reason: str | None = None,
    ) -> bool:
        """Change the member's status in the group; False if they never joined there."""
        async with self._store.transaction() as conn:
            cursor = await conn.execute(
                """
                UPDATE intro_optins SET status = ?, paused_until = ?, pause_reason = ?,
                    updated_at = ?
                WHERE chat_id = ? AND member_id = ?
                """,
                (status, _ts(until) if until else None, reason, _ts(now), chat_id, member_id),
            )
            if cursor.rowcount > 0:
                await mark_pairs(conn, [(chat_id, member_id)])
            return cursor.rowcount > 0

    async def opted_in(self, chat_id: int) -> list[int]:
        """Return the members opted in to introductions in the group (not stopped, not gone)."""
        rows = await self._store.fetchall(
            """
            SELECT o.member_id FROM intro_optins o
            WHERE o.chat_id = ? AND o.status != 'stopped'
              AND NOT EXISTS (SELECT 1 FROM memberships s WHERE s.chat_id = o.chat_id
                              AND s.member_id = o.member_id AND s.status IN ('left', 'kicked'))
            ORDER BY o.member_id
            """,
            (chat_id,),
        )
        return [row["member_id"] for row in rows]

    # ---- never-list --------------------------------------------------------------------------

    async def never(self, member_id: int) -> list[int]:
        """Return the ids on the member's never-list, oldest first."""
        rows = await self._store.fetchall(
            "SELECT other_id FROM intro_never WHERE member_id = ? ORDER BY added_at, other_id",
            (member_id,),
        )
        return [row["other_id"] for row in rows]

    async def add_never(self, member: MemberInfo, other_id: int, now: datetime) -> bool:
        """Add someone to the member's never-list; False if already there."""
        stamp = _ts(now)
        async with self._store.transaction() as conn:
            await upsert_member(conn, member, stamp)
            cursor = await conn.execute(
                "INSERT OR IGNORE INTO intro_never (member_id, other_id, added_at) "
                "VALUES (?, ?, ?)",
                (member.id, other_id, stamp),
            )
            return cursor.rowcount > 0

    async def remove_never(self, member_id: int, other_id: int) -> bool:
        """Remove someone from the member's never-list; False if they were not on it."""
        async with self._store.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM intro_never WHERE member_id = ? AND other_id = ?",
                (member_id, other_id),
            )
            return cursor.rowcount > 0

    async def blocked_between(self, a: int, b: int) -> bool:
        """True if either member has the other on their never-list."""
        row = await self._store.fetchone(
            """
            SELECT 1 FROM intro_never WHERE (member_id = ? AND other_id = ?)
                OR (member_id = ? AND other_id = ?)
            """,
            (a, b, b, a),
        )
        return row is not None

    # ---- candidates and history --------------------------------------------------------------

    async def candidates(
        self, chat_id: int, now: datetime, *, sharing: Iterable[str] | None = None
    ) -> list[CandidateRow]:
        """Return who can be introduced in the group now.

        Opted in, not stopped, not paused (a pause whose date passed has ended), reachable
        in private, and seen in the group (and not gone) in the last 60 days. With
        ``sharing`` (one member's tags), only those who hold one of them, each row with
        only those tags: all that scoring partners for that member reads.
        """
        rows = await self._store.fetchall(
            _WITH_TAGS.format(pool=_CANDIDATES),
            {**self._candidate_params(chat_id, now), "only": _only(sharing)},
        )
        # Decoding a big group's tags is CPU work: in a worker thread, off the event loop.
        return await asyncio.to_thread(_candidate_rows, rows)

    async def candidate_counts(
        self, chat_id: int, now: datetime, tags: Iterable[str], *, including: int | None = None
    ) -> tuple[int, dict[str, int]]:
        """Return how many can be introduced in the group now, and how many hold each tag.

        ``including`` counts one more member (the one asking) as a candidate: the numbers a
        tag's rarity is worked out from, without loading everyone's tags.
        """
        return await self._pool_counts(
            _CANDIDATES, self._candidate_params(chat_id, now), tags, including
        )

    @staticmethod
    def _candidate_params(chat_id: int, now: datetime) -> dict[str, Any]:
        return {"chat": chat_id, "now": _ts(now), "seen": _ts(now - timedelta(days=SEEN_DAYS))}

    async def listed(
        self, chat_id: int, tag: str | None = None, *, among: Iterable[str] | None = None
    ) -> list[CandidateRow]:
        """Return who may be named by /whoknows in the group, with their tags.

        Opted in and not stopped, still in the group, and not hidden from public lists;
        with ``tag``, only those who offer it or are interested in it. With ``among`` (the
        asker's tags), each row carries only those of its tags, and ``tag``: all a ranking
        for that asker reads, at a fraction of the cost in a big group.
        """
        pool = _LISTED
        if tag is not None:
            pool += """ AND o.member_id IN (SELECT k.member_id FROM member_tags k
                        WHERE k.tag = :tag AND k.kind IN ('offer', 'interest'))"""
        only = None if among is None else _only([*among, *([tag] if tag is not None else [])])
        rows = await self._store.fetchall(
            _WITH_TAGS.format(pool=pool), {"chat": chat_id, "tag": tag, "only": only}
        )
        return await asyncio.to_thread(_candidate_rows, rows)

    async def listed_counts(
        self, chat_id: int, tags: Iterable[str], *, including: int | None = None
    ) -> tuple[int, dict[str, int]]:
        """Return how many members /whoknows may name in the group, and how many hold each tag.

        ``including`` counts one more member (the asker) as if listed: the numbers a tag's
        rarity is worked out from, without loading everyone's tags.
        """
        return await self._pool_counts(_LISTED, {"chat": chat_id}, tags, including)

    async def _pool_counts(
        self, pool: str, params: dict[str, Any], tags: Iterable[str], including: int | None
    ) -> tuple[int, dict[str, int]]:
        # One pass over the pool: its size (the row with no tag), then each tag's holders.
        rows = await self._store.fetchall(
            f"""
            WITH pool AS ({pool} UNION SELECT :including WHERE :including IS NOT NULL)
            SELECT NULL AS tag, count(*) AS people FROM pool
            UNION ALL
            SELECT t.tag, count(DISTINCT t.member_id) FROM member_tags t
            JOIN pool ON pool.member_id = t.member_id
            WHERE t.tag IN (SELECT value FROM json_each(:tags))
            GROUP BY t.tag
            """,
            {**params, "including": including, "tags": _only(tags)},
        )
        counts = {row["tag"]: row["people"] for row in rows}
        return int(counts.pop(None, 0)), counts

    async def candidate_holders(
        self, chat_id: int, now: datetime, tags: Sequence[str]
    ) -> TagHolders:
        """Return how many can be introduced in the group now, and who of them holds ``tags``.

        From the group's in-memory index (storage.holders), checked fresh first: what
        ``holders_by_sql`` reads, without reading every holder.
        """
        tags = _search_tags(tags)
        if not tags:
            return TagHolders((), [])
        params = self._candidate_params(chat_id, now)
        return await self.index.candidates(chat_id, params["now"], params["seen"], tags)

    async def listed_holders(self, chat_id: int, tags: Sequence[str]) -> TagHolders:
        """Return how many /whoknows may name in the group, and who of them holds ``tags``."""
        tags = _search_tags(tags)
        if not tags:
            return TagHolders((), [])
        return await self.index.listed(chat_id, tags)

    async def holders_by_sql(
        self, chat_id: int, tags: Sequence[str], *, now: datetime | None = None
    ) -> TagHolders:
        """The same as ``candidate_holders`` (with ``now``) or ``listed_holders``, by one SQL
        search over the group: the reference the index is checked against (tests, bench)."""
        if now is not None:
            return await self._holders(_CANDIDATES, self._candidate_params(chat_id, now), tags)
        return await self._holders(_LISTED, {"chat": chat_id}, tags)

    async def _holders(self, pool: str, params: dict[str, Any], tags: Sequence[str]) -> TagHolders:
        # Each member's kinds of these tags summed as bits, in the database: a few integers a
        # member cross to Python, not their tags as text. Standard SQL (VALUES, CASE).
        tags = _search_tags(tags)
        if not tags:
            return TagHolders((), [])
        mine = ", ".join(f"(:tag{k}, CAST(:bit{k} AS BIGINT))" for k in range(len(tags)))
        bits = {f"bit{k}": 1 << k for k in range(len(tags))}
        named = {f"tag{k}": tag for k, tag in enumerate(tags)}
        rows = await self._store.search(
            f"""
            WITH pool AS ({pool}),
                 mine (tag, bit) AS (VALUES {mine}),
                 held AS (
                     SELECT t.member_id,
                            sum(CASE WHEN t.kind = 'interest' THEN m.bit ELSE 0 END) AS i,
                            sum(CASE WHEN t.kind = 'offer' THEN m.bit ELSE 0 END) AS o,
                            sum(CASE WHEN t.kind = 'seek' THEN m.bit ELSE 0 END) AS s
                     FROM member_tags t JOIN mine m ON m.tag = t.tag
                     GROUP BY t.member_id)
            -- The holders first, then those in the pool: four times faster in SQLite than
            -- looking up every member of the pool under each tag.
            SELECT h.member_id, h.i, h.o, h.s, (SELECT count(*) FROM pool) AS size
            FROM held h
            WHERE h.member_id IN (SELECT member_id FROM pool)
            """,
            {**params, **bits, **named},
        )
        return TagHolders(tags, list(rows))

    async def avoided_by(self, member_id: int) -> list[int]:
        """Return who has the member on their never-list."""
        rows = await self._store.fetchall(
            "SELECT member_id FROM intro_never WHERE other_id = ? ORDER BY member_id",
            (member_id,),
        )
        return [row["member_id"] for row in rows]

    async def rounds_since(
        self, chat_id: int, window: int, member_id: int | None = None
    ) -> dict[frozenset[int], int]:
        """Map each pair introduced in the group to how many rounds ago (1 = last round).

        Introductions outside rounds (/meet, /introduce) count as part of the round they
        followed. Only the last ``window`` rounds are looked at. With ``member_id`` only
        introductions they were part of (every pair of theirs, and their trios' other pair):
        what one member's /meet needs, not the group's whole history.
        """
        rounds = [
            _dt(row["created_at"])
            for row in await self._store.fetchall(
                "SELECT created_at FROM intro_rounds WHERE chat_id = ? "
                "ORDER BY created_at DESC, id DESC LIMIT ?",
                (chat_id, window),
            )
        ]
        since = rounds[-1] if len(rounds) >= window else None
        params: tuple[Any, ...] = (
            chat_id,
            _ts(since) if since else None,
            _ts(since) if since else None,
        )
        theirs = ""
        if member_id is not None:
            theirs = "AND i.id IN (SELECT intro_id FROM intro_members WHERE member_id = ?)"
            params += (member_id,)
        rows = await self._store.fetchall(
            f"""
            SELECT i.id, i.created_at, group_concat(im.member_id) AS members
            FROM intros i JOIN intro_members im ON im.intro_id = i.id
            WHERE i.chat_id = ? AND i.status IN ('active', 'pending')
              AND (? IS NULL OR i.created_at >= ?) {theirs}
            GROUP BY i.id
            """,
            params,
        )
        found: dict[frozenset[int], int] = {}
        for row in rows:
            created = _dt(row["created_at"])
            assert created is not None
            ago = 1 + sum(1 for started in rounds if started is not None and started > created)
            members = [int(part) for part in str(row["members"]).split(",")]
            for a, b in combinations(members, 2):
                pair = frozenset((a, b))
                found[pair] = min(found.get(pair, ago), ago)
        return found

    async def interacted(
        self, chat_id: int, member_id: int | None = None
    ) -> frozenset[frozenset[int]]:
        """Return the pairs with help between them in the group's ledger (any time); with
        ``member_id``, only theirs.

        A thanks of theirs still waiting in the ledger's batch is written first: a search
        (/meet) reads beside the writes without writing the offered thanks (``reading(
        thanks=False)``), and a thanks of a moment ago must not leave a tie looking new.
        """
        if self._store.ledger.holds(chat_id, member_id):
            await self._store.ledger.flush()
        sql = (
            "SELECT DISTINCT giver_id, receiver_id FROM credits "
            "WHERE chat_id = ? AND voided_at IS NULL"
        )
        params: tuple[int, ...] = (chat_id,)
        if member_id is not None:
            sql += " AND (giver_id = ? OR receiver_id = ?)"
            params += (member_id, member_id)
        rows = await self._store.fetchall(sql, params)
        return frozenset(frozenset((row["giver_id"], row["receiver_id"])) for row in rows)

    async def silent_members(
        self, chat_id: int, member_ids: Iterable[int], rounds: int
    ) -> list[int]:
        """Return members whose last ``rounds`` round introductions all went unanswered."""
        wanted = set(member_ids)
        rows = await self._store.fetchall(
            """
            SELECT member_id, answer, outcome FROM (
                SELECT im.member_id, im.answer, im.outcome,
                       row_number() OVER (PARTITION BY im.member_id
                                          ORDER BY i.created_at DESC, i.id DESC) AS recent
                FROM intro_members im JOIN intros i ON i.id = im.intro_id
                WHERE i.chat_id = ? AND i.kind = 'round' AND i.status = 'active'
                  AND im.dm_state = 'sent'
            ) AS latest WHERE recent <= ?
            """,
            (chat_id, rounds),
        )
        seen: dict[int, int] = {}
        answered: set[int] = set()
        for row in rows:
            member_id = row["member_id"]
            seen[member_id] = seen.get(member_id, 0) + 1
            if row["answer"] is not None or row["outcome"] is not None:
                answered.add(member_id)
        return sorted(
            member_id
            for member_id, count in seen.items()
            if count >= rounds and member_id not in answered and member_id in wanted
        )

    # ---- recording introductions -------------------------------------------------------------

    async def round_id(self, chat_id: int, slot: str) -> int | None:
        """Return the round recorded for the group's slot, or None."""
        row = await self._store.fetchone(
            "SELECT id FROM intro_rounds WHERE chat_id = ? AND slot = ?", (chat_id, slot)
        )
        return int(row["id"]) if row else None

    async def record_round(
        self,
        chat_id: int,
        slot: str,
        now: datetime,
        follow_up_at: datetime,
        matches: Sequence[NewIntro],
        unmatched: Sequence[tuple[int, str]],
        quiet: Collection[int] = (),
    ) -> tuple[int, bool]:
        """Record a round and all its introductions in one transaction, before any DM.

        Members in ``quiet`` are left out without a DM (dm_state 'quiet'): they were told
        so before and nothing changed for them. Return (round id, True) — or the existing
        round's id and False if this slot was recorded before (a resumed round records
        nothing twice).
        """
        stamp = _ts(now)
        async with self._store.transaction(changes_chats=[chat_id]) as conn:
            cursor = await conn.execute(
                "INSERT OR IGNORE INTO intro_rounds (chat_id, slot, created_at) VALUES (?, ?, ?)",
                (chat_id, slot, stamp),
            )
            if cursor.rowcount == 0:
                found = await (
                    await conn.execute(
                        "SELECT id FROM intro_rounds WHERE chat_id = ? AND slot = ?",
                        (chat_id, slot),
                    )
                ).fetchone()
                assert found is not None
                return int(found[0]), False
            round_id = cursor.lastrowid
            assert round_id is not None
            for match in matches:
                await _insert_intro(
                    conn,
                    chat_id,
                    match,
                    kind="round",
                    status="active",
                    now=stamp,
                    round_id=round_id,
                    follow_up_at=_ts(follow_up_at),
                )
            for member_id, why in unmatched:
                intro_id = await _insert_intro(
                    conn,
                    chat_id,
                    NewIntro((member_id,)),
                    kind="round",
                    status="unmatched",
                    now=stamp,
                    round_id=round_id,
                    why=why,
                )
                if member_id in quiet:
                    await conn.execute(
                        "UPDATE intro_members SET dm_state = 'quiet' WHERE intro_id = ?",
                        (intro_id,),
                    )
            return round_id, True

    async def last_told_left_out(self, chat_id: int, member_id: int) -> datetime | None:
        """Return when the member was last told a round had nobody for them, or None."""
        row = await self._store.fetchone(
            """
            SELECT max(i.created_at) FROM intros i
            JOIN intro_members im ON im.intro_id = i.id
            WHERE i.chat_id = ? AND im.member_id = ? AND i.kind = 'round'
              AND i.status = 'unmatched' AND i.why != 'partner-unreachable'
              AND im.dm_state = 'sent'
            """,
            (chat_id, member_id),
        )
        return _dt(row[0]) if row else None

    async def news_since(
        self, chat_id: int, member_id: int, since: datetime, now: datetime
    ) -> bool:
        """True if something changed for the member's introductions in the group since then.

        Someone taking part now opted in (or came back from a pause or a stop) since, a
        tag the member shares with someone taking part was added by either of them since,
        or the member was introduced since. "Since" includes its very second: when in
        doubt, the member is told.
        """
        row = await self._store.fetchone(
            """
            SELECT
                EXISTS (
                    SELECT 1 FROM intro_optins o
                    WHERE o.chat_id = :chat AND o.member_id != :member
                      AND (o.status = 'active'
                           OR (o.status = 'paused' AND o.paused_until <= :now))
                      AND (o.joined_at >= :since OR o.updated_at >= :since
                           OR o.paused_until >= :since)
                )
                OR EXISTS (
                    SELECT 1 FROM member_tags mine
                    JOIN member_tags theirs
                      ON theirs.tag = mine.tag AND theirs.member_id != mine.member_id
                    JOIN intro_optins o
                      ON o.member_id = theirs.member_id AND o.chat_id = :chat
                         AND (o.status = 'active'
                              OR (o.status = 'paused' AND o.paused_until <= :now))
                    WHERE mine.member_id = :member
                      AND (mine.added_at >= :since OR theirs.added_at >= :since)
                )
                OR EXISTS (
                    SELECT 1 FROM intros i JOIN intro_members im ON im.intro_id = i.id
                    WHERE i.chat_id = :chat AND im.member_id = :member
                      AND i.status != 'unmatched' AND i.created_at >= :since
                )
            """,
            {"chat": chat_id, "member": member_id, "since": _ts(since), "now": _ts(now)},
        )
        return bool(row and row[0])

    async def left_out(self, chat_id: int) -> tuple[datetime, dict[str, int]] | None:
        """Return when the group's last round ran and how many it left out, by why."""
        rows = await self._store.fetchall(
            """
            SELECT r.created_at, i.why, count(i.id) AS people
            FROM (SELECT id, created_at FROM intro_rounds WHERE chat_id = ?
                  ORDER BY created_at DESC, id DESC LIMIT 1) r
            LEFT JOIN intros i ON i.round_id = r.id AND i.status = 'unmatched'
            GROUP BY r.created_at, i.why
            """,
            (chat_id,),
        )
        if not rows:
            return None
        counts = {row["why"]: int(row["people"]) for row in rows if row["why"] is not None}
        at = _dt(rows[0]["created_at"])
        assert at is not None
        return at, counts

    async def add_intros(
        self,
        chat_id: int,
        now: datetime,
        matches: Sequence[NewIntro],
        *,
        kind: str,
        status: str = "active",
        round_id: int | None = None,
        follow_up_at: datetime | None = None,
        initiator_id: int | None = None,
        note: str | None = None,
        unmatched: Sequence[tuple[int, str]] = (),
        settle: Iterable[int] = (),
        withdraw: Iterable[int] = (),
        claimed: Iterable[int] = (),
    ) -> list[int]:
        """Record introductions (and members left unmatched) in one transaction.

        ``settle`` lists cancelled introductions whose stranded members this re-pairing
        takes care of, so that they are not re-paired twice; ``withdraw`` lists "nobody for
        you" entries not yet sent that a re-pairing found someone for after all.
        ``claimed``: members whose DMs of these introductions are claimed at once, as
        ``claim_dm`` would (being sent: never sent twice).
        """
        stamp = _ts(now)
        ids: list[int] = []
        async with self._store.transaction(changes_chats=[]) as conn:
            for match in matches:
                ids.append(
                    await _insert_intro(
                        conn,
                        chat_id,
                        match,
                        kind=kind,
                        status=status,
                        now=stamp,
                        round_id=round_id,
                        follow_up_at=_ts(follow_up_at) if follow_up_at else None,
                        initiator_id=initiator_id,
                        note=note,
                    )
                )
            for member_id, why in unmatched:
                ids.append(
                    await _insert_intro(
                        conn,
                        chat_id,
                        NewIntro((member_id,)),
                        kind=kind,
                        status="unmatched",
                        now=stamp,
                        round_id=round_id,
                        why=why,
                    )
                )
            await conn.executemany(
                "UPDATE intros SET why = 'resettled' WHERE id = ? AND status = 'cancelled'",
                [(intro_id,) for intro_id in settle],
            )
            await conn.executemany(
                "UPDATE intros SET status = 'cancelled', why = 'resettled', closed_at = ? "
                "WHERE id = ? AND status = 'unmatched'",
                [(stamp, intro_id) for intro_id in withdraw],
            )
            claims = sorted(set(claimed))
            await conn.executemany(
                "UPDATE intro_members SET dm_state = 'sending', dm_at = ? "
                "WHERE intro_id = ? AND member_id = ? AND dm_state = 'pending'",
                [(stamp, intro_id, member_id) for intro_id in ids for member_id in claims],
            )
        return ids

    async def intro(self, intro_id: int) -> Intro | None:
        """Return one introduction with its members, or None."""
        found = await self._intros("i.id = ?", (intro_id,))
        return found[0] if found else None

    async def _intros(self, where: str, params: Sequence[Any]) -> list[Intro]:
        rows = await self._store.fetchall(
            f"""
            SELECT i.*, im.member_id, im.reasons, im.dm_state, im.accepted, im.answer,
                   im.follow_up_state, im.outcome
            FROM intros i JOIN intro_members im ON im.intro_id = i.id
            WHERE {where} ORDER BY i.id, im.rowid
            """,
            params,
        )
        by_id: dict[int, tuple[Any, list[IntroMember]]] = {}
        for row in rows:
            entry = by_id.setdefault(row["id"], (row, []))
            accepted = row["accepted"]
            entry[1].append(
                IntroMember(
                    member_id=row["member_id"],
                    reasons=json.loads(row["reasons"]),
                    dm_state=row["dm_state"],
                    accepted=None if accepted is None else bool(accepted),
                    answer=row["answer"],
                    follow_up_state=row["follow_up_state"],
                    outcome=row["outcome"],
                )
            )
        result = []
        for row, members in by_id.values():
            created = _dt(row["created_at"])
            assert created is not None
            result.append(
                Intro(
                    id=row["id"],
                    chat_id=row["chat_id"],
                    round_id=row["round_id"],
                    kind=row["kind"],
                    status=row["status"],
                    why=row["why"],
                    initiator_id=row["initiator_id"],
                    note=row["note"],
                    created_at=created,
                    follow_up_at=_dt(row["follow_up_at"]),
                    members=tuple(members),
                )
            )
        return result

    async def round_intros(self, round_id: int) -> list[Intro]:
        """Return every introduction of a round (any status)."""
        return await self._intros("i.round_id = ?", (round_id,))

    # ---- DMs ---------------------------------------------------------------------------------

    async def pending_dms(
        self,
        *,
        round_id: int | None = None,
        since: datetime | None = None,
        unmatched: bool = True,
    ) -> list[tuple[int, int]]:
        """Return (intro, member) whose introduction DM is still to send, oldest first.

        ``since`` leaves out introductions made before it: too stale to send any more.
        ``unmatched=False`` leaves out the "nobody for you this round" DMs.
        """
        rows = await self._store.fetchall(
            """
            SELECT im.intro_id, im.member_id FROM intro_members im
            JOIN intros i ON i.id = im.intro_id
            WHERE im.dm_state = 'pending'
              AND (i.status = 'active' OR (:unmatched = 1 AND i.status = 'unmatched'))
              AND (:round IS NULL OR i.round_id = :round)
              AND (:since IS NULL OR i.created_at >= :since)
            ORDER BY i.id, im.rowid
            """,
            {
                "round": round_id,
                "since": _ts(since) if since else None,
                "unmatched": int(unmatched),
            },
        )
        return [(row["intro_id"], row["member_id"]) for row in rows]

    async def claim_dm(self, intro_id: int, member_id: int, now: datetime) -> bool:
        """Mark a DM as being sent; False if it was already claimed (never send twice)."""
        async with self._store.transaction(changes_chats=[]) as conn:
            cursor = await conn.execute(
                "UPDATE intro_members SET dm_state = 'sending', dm_at = ? "
                "WHERE intro_id = ? AND member_id = ? AND dm_state = 'pending'",
                (_ts(now), intro_id, member_id),
            )
            return cursor.rowcount > 0

    async def finish_dm(self, intro_id: int, member_id: int, state: str) -> None:
        """Record how a claimed DM went: sent, failed, or pending (to try again later)."""
        async with self._store.transaction(changes_chats=[]) as conn:
            await conn.execute(
                "UPDATE intro_members SET dm_state = ? WHERE intro_id = ? AND member_id = ?",
                (state, intro_id, member_id),
            )

    async def pass_dm(self, intro_id: int, sent_id: int, next_id: int, now: datetime) -> bool:
        """Record ``sent_id``'s claimed DM as sent and claim ``next_id``'s (``claim_dm``), in
        one write; False if that one was already claimed or the introduction is off."""
        async with self._store.transaction(changes_chats=[]) as conn:
            await conn.execute(
                "UPDATE intro_members SET dm_state = 'sent' WHERE intro_id = ? AND member_id = ?",
                (intro_id, sent_id),
            )
            # Only while the introduction is on (a /privacy delete may have erased it).
            cursor = await conn.execute(
                "UPDATE intro_members SET dm_state = 'sending', dm_at = ? "
                "WHERE intro_id = ? AND member_id = ? AND dm_state = 'pending' "
                "AND EXISTS (SELECT 1 FROM intros WHERE id = ? AND status = 'active')",
                (_ts(now), intro_id, next_id, intro_id),
            )
            return cursor.rowcount > 0

    async def drop_unreachable(self, intro_id: int, member_id: int, now: datetime) -> list[int]:
        """A member's DM bounced: if fewer than two remain, cancel; return who is stranded."""
        async with self._store.transaction(changes_chats=[]) as conn:
            await conn.execute(
                "UPDATE intro_members SET dm_state = 'failed' "
                "WHERE intro_id = ? AND member_id = ?",
                (intro_id, member_id),
            )
            rows = list(
                await conn.execute_fetchall(
                    "SELECT member_id FROM intro_members WHERE intro_id = ? "
                    "AND dm_state != 'failed' ORDER BY rowid",
                    (intro_id,),
                )
            )
            if len(rows) >= 2:
                return []
            await conn.execute(
                "UPDATE intros SET status = 'cancelled', why = 'unreachable', closed_at = ? "
                "WHERE id = ? AND status IN ('active', 'pending')",
                (_ts(now), intro_id),
            )
            return [row[0] for row in rows]

    async def stranded(self, round_id: int) -> list[tuple[int, int]]:
        """Return (cancelled intro, member) of the round still waiting to be re-paired."""
        rows = await self._store.fetchall(
            """
            SELECT im.intro_id, im.member_id FROM intro_members im
            JOIN intros i ON i.id = im.intro_id
            WHERE i.round_id = ? AND i.status = 'cancelled' AND i.why = 'unreachable'
              AND im.dm_state != 'failed'
            ORDER BY i.id, im.rowid
            """,
            (round_id,),
        )
        return [(row["intro_id"], row["member_id"]) for row in rows]

    async def waiting_unmatched(self, round_id: int) -> list[tuple[int, int]]:
        """Return (intro, member) of the round left without a partner and not yet told."""
        rows = await self._store.fetchall(
            """
            SELECT im.intro_id, im.member_id FROM intro_members im
            JOIN intros i ON i.id = im.intro_id
            WHERE i.round_id = ? AND i.status = 'unmatched'
              AND i.why = 'no-acceptable-partner' AND im.dm_state IN ('pending', 'quiet')
            ORDER BY i.id
            """,
            (round_id,),
        )
        return [(row["intro_id"], row["member_id"]) for row in rows]

    async def cancelled_for(self, round_id: int, member_id: int) -> list[Intro]:
        """Return the round's cancelled introductions the member had already been told of."""
        found = await self._intros(
            # One cancelled because the partner deleted their data is not a change of plan
            # to announce: they are gone without a word (see forget_member).
            "i.round_id = ? AND i.status = 'cancelled' AND i.why IS NOT 'erased' AND i.id IN "
            "(SELECT intro_id FROM intro_members WHERE member_id = ? AND dm_state = 'sent')",
            (round_id, member_id),
        )
        return found

    # ---- answers, acceptance, follow-ups -----------------------------------------------------

    async def answer(self, intro_id: int, member_id: int, answer: str, now: datetime) -> bool:
        """Record the member's answer to an active introduction; False if it is not active."""
        async with self._store.transaction() as conn:
            cursor = await conn.execute(
                """
                UPDATE intro_members SET answer = ?, answered_at = ?
                WHERE intro_id = ? AND member_id = ?
                  AND EXISTS (SELECT 1 FROM intros WHERE id = ? AND status = 'active')
                """,
                (answer, _ts(now), intro_id, member_id, intro_id),
            )
            return cursor.rowcount > 0

    async def set_outcome(
        self,
        intro_id: int,
        member_id: int,
        outcome: str,
        now: datetime,
        *,
        ask_again_at: datetime | None = None,
    ) -> bool:
        """Record the follow-up's answer (yes, notyet, no); False if the intro is not active.

        With ``ask_again_at`` (for "not yet") the question comes once more at that time,
        unless it was already asked twice.
        """
        async with self._store.transaction() as conn:
            cursor = await conn.execute(
                """
                UPDATE intro_members SET outcome = :outcome, outcome_at = :now,
                    follow_up_state = CASE WHEN :again IS NOT NULL AND follow_ups < 2
                                           THEN NULL ELSE follow_up_state END,
                    follow_up_again = CASE WHEN :again IS NOT NULL AND follow_ups < 2
                                           THEN :again ELSE follow_up_again END
                WHERE intro_id = :intro AND member_id = :member
                  AND EXISTS (SELECT 1 FROM intros WHERE id = :intro AND status = 'active')
                """,
                {
                    "outcome": outcome,
                    "now": _ts(now),
                    "again": _ts(ask_again_at) if ask_again_at else None,
                    "intro": intro_id,
                    "member": member_id,
                },
            )
            return cursor.rowcount > 0

    async def accept(
        self, intro_id: int, member_id: int, accepted: bool, now: datetime, follow_up_at: datetime
    ) -> str | None:
        """Record a member's answer to a proposed introduction; return its status after.

        When everyone accepted it becomes active (its DMs are then pending); one refusal
        declines it. None if the introduction is not waiting for this member.
        """
        async with self._store.transaction() as conn:
            cursor = await conn.execute(
                """
                UPDATE intro_members SET accepted = ?
                WHERE intro_id = ? AND member_id = ? AND accepted IS NULL
                  AND EXISTS (SELECT 1 FROM intros WHERE id = ? AND status = 'pending')
                """,
                (int(accepted), intro_id, member_id, intro_id),
            )
            if cursor.rowcount == 0:
                return None
            if not accepted:
                await conn.execute(
                    "UPDATE intros SET status = 'declined', closed_at = ? WHERE id = ?",
                    (_ts(now), intro_id),
                )
                return "declined"
            row = await (
                await conn.execute(
                    "SELECT count(*) FROM intro_members WHERE intro_id = ? "
                    "AND (accepted IS NULL OR accepted = 0)",
                    (intro_id,),
                )
            ).fetchone()
            if row is not None and row[0] == 0:
                await conn.execute(
                    "UPDATE intros SET status = 'active', created_at = ?, follow_up_at = ? "
                    "WHERE id = ?",
                    (_ts(now), _ts(follow_up_at), intro_id),
                )
                return "active"
            return "pending"

    async def due_follow_ups(self, now: datetime) -> list[tuple[int, int]]:
        """Return (intro, member) whose "did you meet?" is due and not yet asked."""
        rows = await self._store.fetchall(
            """
            SELECT im.intro_id, im.member_id FROM intros i
            JOIN intro_members im ON im.intro_id = i.id
            WHERE i.status = 'active' AND coalesce(im.follow_up_again, i.follow_up_at) <= ?
              AND im.dm_state = 'sent' AND im.follow_up_state IS NULL
            ORDER BY i.follow_up_at, i.id, im.rowid
            """,
            (_ts(now),),
        )
        return [(row["intro_id"], row["member_id"]) for row in rows]

    async def claim_follow_up(self, intro_id: int, member_id: int) -> bool:
        """Mark a follow-up as being sent; False if it already was."""
        async with self._store.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE intro_members "
                "SET follow_up_state = 'sending', follow_ups = follow_ups + 1 "
                "WHERE intro_id = ? AND member_id = ? AND follow_up_state IS NULL",
                (intro_id, member_id),
            )
            return cursor.rowcount > 0

    async def finish_follow_up(self, intro_id: int, member_id: int, state: str | None) -> None:
        """Record how a follow-up went: sent, failed, or None to try again later."""
        async with self._store.transaction() as conn:
            await conn.execute(
                "UPDATE intro_members SET follow_up_state = ? "
                "WHERE intro_id = ? AND member_id = ?",
                (state, intro_id, member_id),
            )

    # ---- on demand ---------------------------------------------------------------------------

    async def hand_intros_since(self, chat_id: int, since: datetime) -> int:
        """Return how many introductions the group's admins made by hand since ``since``."""
        row = await self._store.fetchone(
            "SELECT count(*) FROM intros WHERE chat_id = ? AND kind = 'manual' "
            "AND created_at >= ?",
            (chat_id, _ts(since)),
        )
        return int(row[0]) if row else 0

    async def paired_since(self, chat_id: int, a: int, b: int, since: datetime) -> bool:
        """Return whether ``a`` and ``b`` are in an active introduction of the group made
        since ``since``."""
        row = await self._store.fetchone(
            "SELECT 1 FROM intros i "
            "JOIN intro_members ma ON ma.intro_id = i.id AND ma.member_id = ? "
            "JOIN intro_members mb ON mb.intro_id = i.id AND mb.member_id = ? "
            "WHERE i.chat_id = ? AND i.status = 'active' AND i.created_at >= ? LIMIT 1",
            (a, b, chat_id, _ts(since)),
        )
        return row is not None

    async def last_meet(self, member_id: int) -> datetime | None:
        """Return when the member last got an introduction with /meet, or None."""
        row = await self._store.fetchone(
            "SELECT max(created_at) FROM intros WHERE kind = 'meet' AND initiator_id = ? "
            "AND status = 'active'",
            (member_id,),
        )
        return _dt(row[0]) if row and row[0] else None

    # ---- numbers -----------------------------------------------------------------------------

    async def stats(
        self, chat_id: int, start: datetime | None = None, end: datetime | None = None
    ) -> IntroStats:
        """Return the group's numbers: introductions made (DMed), people, answers, met."""
        row = await self._store.fetchone(
            """
            WITH made AS (
                SELECT i.id FROM intros i
                WHERE i.chat_id = :chat AND i.status = 'active'
                  AND (:start IS NULL OR i.created_at >= :start)
                  AND (:end IS NULL OR i.created_at < :end)
                  AND EXISTS (SELECT 1 FROM intro_members im WHERE im.intro_id = i.id
                              AND im.dm_state = 'sent')
            )
            SELECT
                (SELECT count(*) FROM made) AS made,
                (SELECT count(DISTINCT member_id) FROM intro_members
                 WHERE intro_id IN (SELECT id FROM made) AND dm_state = 'sent') AS people,
                (SELECT count(DISTINCT member_id) FROM intro_members
                 WHERE intro_id IN (SELECT id FROM made)
                   AND (answer IS NOT NULL OR outcome IS NOT NULL)) AS answered,
                (SELECT count(DISTINCT member_id) FROM intro_members
                 WHERE intro_id IN (SELECT id FROM made) AND outcome = 'yes') AS met
            """,
            {
                "chat": chat_id,
                "start": _ts(start) if start else None,
                "end": _ts(end) if end else None,
            },
        )
        assert row is not None
        return IntroStats(row["made"], row["people"], row["answered"], row["met"])

    async def week_numbers(self, chat_id: int, start: datetime, end: datetime) -> tuple[int, int]:
        """Return (introductions made, people who said they met) for those made in [start, end)."""
        numbers = await self.stats(chat_id, start, end)
        return numbers.made, numbers.met


def _only(tags: Iterable[str] | None) -> str | None:
    """Return tags as the JSON array the queries filter on (None: no filter)."""
    return None if tags is None else json.dumps(sorted(set(tags)), ensure_ascii=False)


def _candidate_rows(rows: Iterable[Any]) -> list[CandidateRow]:
    """Decode the tags and never-lists of candidate rows (JSON arrays from SQLite)."""
    return [
        CandidateRow(
            member_id=row["member_id"],
            tags=tuple((kind, tag) for kind, tag in json.loads(row["tags"])),
            never=frozenset(json.loads(row["never"])),
        )
        for row in rows
    ]


async def forget_member(conn: Any, member_id: int, now: str, path: str) -> None:
    """Take a member who deletes their data out of every introduction (caller's transaction).

    Their own side goes, and with it what the others' sides say about them: the entry for
    them in each partner's ``reasons`` JSON, and the notes of introductions that involved
    them or that they arranged (words about them, or their own). An introduction left with
    fewer than two people is cancelled (``why = 'erased'``): its DMs and its "did you meet?"
    are not sent, silently — the partner is never asked about nobody. One left with nobody
    at all is removed.
    """
    rows = await conn.execute_fetchall(
        "SELECT intro_id FROM intro_members WHERE member_id = ?", (member_id,)
    )
    params = {
        "member": member_id,
        "path": path,
        "now": now,
        "ids": json.dumps([row[0] for row in rows]),
    }
    theirs = "SELECT CAST(value AS INTEGER) FROM json_each(:ids)"
    await conn.execute("UPDATE intros SET note = NULL WHERE initiator_id = :member", params)
    await conn.execute("DELETE FROM intro_members WHERE member_id = :member", params)
    await conn.execute(
        f"""
        UPDATE intro_members SET reasons = json_remove(reasons, :path)
        WHERE intro_id IN ({theirs}) AND json_extract(reasons, :path) IS NOT NULL
        """,
        params,
    )
    await conn.execute(f"UPDATE intros SET note = NULL WHERE id IN ({theirs})", params)
    await conn.execute(
        f"""
        UPDATE intros SET status = 'cancelled', why = 'erased', closed_at = :now
        WHERE id IN ({theirs}) AND status IN ('active', 'pending')
          AND (SELECT count(*) FROM intro_members m WHERE m.intro_id = intros.id) < 2
        """,
        params,
    )
    await conn.execute(
        f"""
        DELETE FROM intros WHERE id IN ({theirs})
          AND NOT EXISTS (SELECT 1 FROM intro_members m WHERE m.intro_id = intros.id)
        """,
        params,
    )


async def _insert_intro(
    conn: Any,
    chat_id: int,
    match: NewIntro,
    *,
    kind: str,
    status: str,
    now: str,
    round_id: int | None = None,
    follow_up_at: str | None = None,
    why: str | None = None,
    initiator_id: int | None = None,
    note: str | None = None,
) -> int:
    cursor = await conn.execute(
        """
        INSERT INTO intros (chat_id, round_id, kind, status, why, score, initiator_id, note,
                            created_at, follow_up_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        (chat_id, round_id, kind, status, why, match.score, initiator_id, note, now, follow_up_at),
    )
    intro_id = cursor.lastrowid
    assert intro_id is not None
    await conn.executemany(
        "INSERT INTO intro_members (intro_id, member_id, reasons) VALUES (?, ?, ?)",
        [
            (
                intro_id,
                member_id,
                json.dumps(
                    {
                        str(other): {key: list(value) for key, value in reason.items()}
                        for other, reason in match.reasons.get(member_id, {}).items()
                    },
                    ensure_ascii=False,
                ),
            )
            for member_id in match.members
        ],
    )
    return int(intro_id)
