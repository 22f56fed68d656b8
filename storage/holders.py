"""Each group's tag holders in memory, so that /whoknows and /meet need no 50,000-row SQL.

A search over a big group used to read every holder of the asker's tags from the database,
their kinds summed as bit masks (≈ 110 ms of SQLite for 50,000 members). Here each group's
opted-in members are loaded once, off the event loop, into numpy arrays: per member (a
"slot") the opt-in status, the pause's end, whether they are reachable in private, hidden,
gone from the group and when last seen; per tag the slots holding it, with the kind. A
search computes the same bit masks and the same pool from those in a few milliseconds, in
a worker thread (``HolderIndex.candidates`` and ``HolderIndex.listed`` give what
``SqliteIntros.holders_by_sql`` gives, row for row: tests compare them).

Freshness, with several instances writing the database: every write that changes what a
search sees marks the (group, member) pairs it touches, in the same transaction
(``mark_member``, ``mark_pairs``, ``reset_member``): ``holder_marks`` keeps a generation per
group, bumped by each such write (its row lock orders the writers of a group on
PostgreSQL, so a generation read is committed with every change up to it), and
``holder_changes`` the generation at which each member last changed. Before each search
the index reads its group's generation (one primary-key read); if it moved, it reloads
only the members changed since (or everything, after a deletion reset the group). Who
writes what a search reads:

- tags (``SqliteIntros.add_tags`` / ``remove_tags``), private reachability and hiding
  (``SqliteMembers.set_reachable`` / ``set_hidden``): ``mark_member``, every group the
  member opted in to;
- opt-ins, pauses, stops (``SqliteIntros.join`` / ``set_status``): ``mark_pairs``;
- leaves and bans (the activity flush's leave statements): ``mark_pairs``;
- ``/privacy`` delete and a group becoming a supergroup: ``reset_member`` and the merge,
  which make every instance rebuild the group (the deleted id is kept nowhere).

Two things change without a mark, because they change on every message: when a member was
last seen (only ever later: ``max`` in every write) and a member who left coming back by
posting (or joining again). Both only ever put someone *into* a pool, and only someone the
index holds as gone or as not seen for 60 days: those few are re-read by primary key before
each search (``_recheck``). Anything new that writes tags, opt-ins, memberships' status,
``hidden`` or ``dm_reachable`` must mark what it changes; one that marks every group of a
member (``mark_member``, ``reset_member``) locks the member's row first (``lock_member``,
or ``upsert_member``'s upsert), as opting in does, else on PostgreSQL an opt-in committed
by another instance in between is marked by neither.

Memory: ≈ 9 bytes per (member, tag) and ≈ 80 per member; for 50,000 members with 11.5 tags
each ≈ 9 MB. Groups beyond ``MAX_HOLDINGS`` in all are dropped, least recently searched
first, and built again when next searched.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from storage.intro_records import TagHolders

if TYPE_CHECKING:
    from storage.sqlite import SqlStore

_T = TypeVar("_T")

# (member, tag) rows kept in memory over every group (≈ 9 bytes each), before the least
# recently searched groups are dropped.
MAX_HOLDINGS = 4_000_000
# Groups with this many opted in are built at start-up (HolderIndex.warm), at most this
# many tags each counted against the bound.
WARM_AT = 1000
WARM_TAGS_EACH = 16
# Searches with at most this many tags compute on the event loop (≈ 5 ms at most over
# 50,000 members, see _compute); larger ones in a worker thread. 20, as many as one kind
# holds (bot.tags.MAX_TAGS_PER_KIND): in a thread, an asker's 13-20 tags took 5-11 ms of
# wall time amid the stream for 3-5 of CPU.
LOOP_TAGS = 20
# Members (and tags / 50) converted by one call while building: a few ms with the GIL.
CHUNK = 5000
# Rows added since the last sort, kept apart and merged when this share of the sorted ones.
TAIL_SHARE = 8
TAIL_MIN = 4096

# Kinds as the index codes them: _TAGS's columns, in this order.
KINDS = ("interest", "offer", "seek")
OPTIN_CODES = {"active": 0, "paused": 1, "stopped": 2}
GONE = ("left", "kicked")
# Timestamps are compared as the database compares them: as text (ISO, UTC, same form).
STAMP = "S40"

# ---- marks, written in the transaction of each change ----------------------------------------

# {pairs} is a query giving (c, m): group and member, opted in there.
_BUMP = """
    INSERT INTO holder_marks (chat_id, generation, reset)
    SELECT DISTINCT p.c, 1, {reset} FROM ({pairs}) p WHERE true ORDER BY p.c
    ON CONFLICT (chat_id) DO UPDATE SET generation = generation + 1{reset_update}
"""
_CHANGED = """
    INSERT INTO holder_changes (chat_id, member_id, generation)
    SELECT DISTINCT p.c, p.m, k.generation FROM ({pairs}) p
    JOIN holder_marks k ON k.chat_id = p.c WHERE true
    ON CONFLICT (chat_id, member_id) DO UPDATE SET generation = excluded.generation
"""
_MEMBER_PAIRS = "SELECT chat_id AS c, member_id AS m FROM intro_optins WHERE member_id = :member"
_JSON_PAIRS = """
    SELECT o.chat_id AS c, o.member_id AS m
    FROM (SELECT CAST(json_extract(value, '$[0]') AS INTEGER) AS c,
                 CAST(json_extract(value, '$[1]') AS INTEGER) AS m FROM json_each(:pairs)) j
    JOIN intro_optins o ON o.chat_id = j.c AND o.member_id = j.m
"""


async def lock_member(conn: Any, member_id: int) -> None:
    """Take the member's row lock first in a write whose marks follow their opt-ins.

    On PostgreSQL ``mark_member`` (and ``reset_member``) see the opt-ins committed when
    they run: an opt-in another instance commits after that and before this write commits
    would be built into its group's index as the member was, and never marked. An opt-in
    locks the member's row too (``upsert_member``), so one waits for the other. (SQLite has
    one writer: this changes nothing there.)
    """
    await conn.execute(
        "UPDATE members SET updated_at = updated_at WHERE id = :member", {"member": member_id}
    )


async def mark_member(conn: Any, member_id: int) -> None:
    """Mark the member changed in every group they opted in to (tags, hidden, reachable)."""
    params = {"member": member_id}
    await conn.execute(_BUMP.format(pairs=_MEMBER_PAIRS, reset=0, reset_update=""), params)
    await conn.execute(_CHANGED.format(pairs=_MEMBER_PAIRS), params)


async def mark_pairs(conn: Any, pairs: Iterable[tuple[int, int]]) -> None:
    """Mark (group, member) pairs changed (opt-in, pause, leave); those not opted in, not."""
    unique = sorted(set(pairs))
    if not unique:
        return
    params = {"pairs": json.dumps(unique)}
    await conn.execute(_BUMP.format(pairs=_JSON_PAIRS, reset=0, reset_update=""), params)
    await conn.execute(_CHANGED.format(pairs=_JSON_PAIRS), params)


async def reset_member(conn: Any, member_id: int) -> None:
    """Make every group the member opted in to rebuild its index (before deleting them).

    Their ``holder_changes`` rows go with the member (foreign key): no id is left behind.
    """
    await conn.execute(
        _BUMP.format(
            pairs=_MEMBER_PAIRS, reset=1, reset_update=", reset = holder_marks.generation + 1"
        ),
        {"member": member_id},
    )


# The merge of a group into its supergroup (storage.sqlite.CHAT_MERGES): the supergroup's
# index is built again; the old group's marks go with its chat row.
MERGE_MARKS = """
    INSERT INTO holder_marks (chat_id, generation, reset)
    SELECT id, 1, 1 FROM chats WHERE id = :new
    ON CONFLICT (chat_id) DO UPDATE SET generation = generation + 1,
        reset = holder_marks.generation + 1
"""
MERGE_CHANGES = "DELETE FROM holder_changes WHERE chat_id = :old"

# ---- reads ---------------------------------------------------------------------------------

# The groups worth building at start-up: the most opted in first.
_WARM = """
    SELECT chat_id, count(*) AS members FROM intro_optins WHERE status != 'stopped'
    GROUP BY chat_id HAVING count(*) >= :least ORDER BY members DESC, chat_id
"""
_GENERATION = "SELECT generation, reset FROM holder_marks WHERE chat_id = :chat"
# Everyone changed since the index's generation, also after the one just read: a member
# changed at or below it and again since (their row now says the later one) is reloaded
# now, not skipped until the next search.
_CHANGED_SINCE = """
    SELECT member_id FROM holder_changes WHERE chat_id = :chat AND generation > :since
"""
_ONLY = "AND o.member_id IN (SELECT CAST(value AS INTEGER) FROM json_each(:ids))"
_MEMBERS = """
    SELECT o.member_id, o.status, o.paused_until, m.dm_reachable, m.hidden,
           s.status AS presence, s.last_seen
    FROM intro_optins o
    JOIN members m ON m.id = o.member_id
    LEFT JOIN memberships s ON s.chat_id = o.chat_id AND s.member_id = o.member_id
    WHERE o.chat_id = :chat {only}
"""
# Each tag's holders, one string of ids per kind: a row per tag, not per member. Grouped by
# tag alone, SQLite walks the tag index (which covers the query) without sorting.
_TAGS = """
    SELECT t.tag,
           group_concat(CASE WHEN t.kind = 'interest' THEN t.member_id END) AS interests,
           group_concat(CASE WHEN t.kind = 'offer' THEN t.member_id END) AS offers,
           group_concat(CASE WHEN t.kind = 'seek' THEN t.member_id END) AS seeks
    FROM member_tags t
    WHERE t.member_id IN (
        SELECT o.member_id FROM intro_optins o WHERE o.chat_id = :chat {only})
    GROUP BY t.tag
"""
_RECHECK = """
    SELECT member_id, status, last_seen FROM memberships
    WHERE chat_id = :chat AND member_id IN (SELECT CAST(value AS INTEGER) FROM json_each(:ids))
      AND status NOT IN ('left', 'kicked') {seen}
"""


@dataclass
class _Loaded:
    """What the database gave for some members of a group: their rows and their tags."""

    members: list[Sequence[Any]]
    tags: list[Sequence[Any]]


@dataclass
class GroupIndex:
    """One group's opted-in members (slots) and who holds which tag, as numpy arrays."""

    generation: int = 0
    member_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    alive: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    optin: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int8))
    paused_until: np.ndarray = field(default_factory=lambda: np.zeros(0, STAMP))
    has_until: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    reachable: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    hidden: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    gone: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    last_seen: np.ndarray = field(default_factory=lambda: np.zeros(0, STAMP))
    # Holdings: (tag id, slot, kind), sorted by tag id, then a tail added since.
    vocabulary: dict[str, int] = field(default_factory=dict)
    tag_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    slots: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    kinds: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int8))
    tail_tag_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    tail_slots: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    tail_kinds: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int8))

    @property
    def holdings(self) -> int:
        """Return how many (member, tag) rows the index holds, dropped slots' included."""
        return len(self.slots) + len(self.tail_slots)

    def live_slots(self, member_ids: Iterable[int]) -> np.ndarray:
        """Return the slots of those members that are alive."""
        wanted = np.fromiter(member_ids, dtype=np.int64)
        return np.flatnonzero(self.alive & np.isin(self.member_ids, wanted))

    def apply(self, loaded: _Loaded, dropped: Iterable[int]) -> None:
        """Drop the ``dropped`` members' slots, then add ``loaded`` members as new slots.

        A changed member gets a new slot (the old one is dead): no tag list is rewritten.
        """
        dead = self.live_slots(dropped)
        self.alive[dead] = False
        start = len(self.member_ids)
        rows = loaded.members
        count = len(rows)
        # Columns, transposed in C: no Python work per member and column. In chunks, so
        # that no one call holds the GIL (and the event loop) for long.
        columns: list[list[Any]] = [[] for _ in range(7)]
        for at in range(0, count, CHUNK):
            for column, values in zip(
                columns, zip(*rows[at : at + CHUNK], strict=True), strict=True
            ):
                column.extend(values)
        ids = np.array(columns[0], dtype=np.int64)
        optin = np.array(columns[1], dtype=object)
        status = np.full(count, 3, np.int8)
        for name, code in OPTIN_CODES.items():
            status[optin == name] = code
        until = np.array(columns[2], dtype=object)
        has_until = until != None  # noqa: E711 (elementwise)
        until[~has_until] = ""
        reachable = np.array(columns[3], dtype=bool)
        hidden = np.array(columns[4], dtype=bool)
        # Opted in but never seen in the group (no membership yet): in no pool, held as
        # gone, so that the search's recheck finds them once they are seen.
        presence = np.array(columns[5], dtype=object)
        gone = np.isin(presence, GONE) | (presence == None)  # noqa: E711 (elementwise)
        seen = np.array(columns[6], dtype=object)
        seen[presence == None] = ""  # noqa: E711
        seen = seen.astype(STAMP)
        until = until.astype(STAMP)
        self.member_ids = np.concatenate([self.member_ids, ids])
        self.alive = np.concatenate([self.alive, np.ones(count, bool)])
        self.optin = np.concatenate([self.optin, status])
        self.paused_until = np.concatenate([self.paused_until, until])
        self.has_until = np.concatenate([self.has_until, has_until.astype(bool)])
        self.reachable = np.concatenate([self.reachable, reachable])
        self.hidden = np.concatenate([self.hidden, hidden])
        self.gone = np.concatenate([self.gone, gone])
        self.last_seen = np.concatenate([self.last_seen, seen])
        # Members' new slots, by member id, to place their tags.
        order = np.argsort(ids, kind="stable")
        sorted_ids = ids[order]
        # Every tag's holders in one string, parsed in one pass in C.
        texts: list[str] = []
        tag_ids: list[int] = []
        kinds: list[int] = []
        for tag, *by_kind in loaded.tags:
            for kind, text in enumerate(by_kind):
                if text:
                    texts.append(str(text))
                    tag_ids.append(self.vocabulary.setdefault(tag, len(self.vocabulary)))
                    kinds.append(kind)
        if texts and count:
            holders = np.concatenate(
                [
                    np.fromstring(",".join(texts[at : at + CHUNK // 50]), dtype=np.int64, sep=",")
                    for at in range(0, len(texts), CHUNK // 50)
                ]
            )
            lengths = np.array([text.count(",") + 1 for text in texts], dtype=np.int64)
            at = np.minimum(np.searchsorted(sorted_ids, holders), count - 1)
            known = sorted_ids[at] == holders
            self.tail_tag_ids = np.concatenate(
                [self.tail_tag_ids, np.repeat(np.array(tag_ids, np.int32), lengths)[known]]
            )
            self.tail_slots = np.concatenate(
                [self.tail_slots, (start + order[at[known]]).astype(np.int32)]
            )
            self.tail_kinds = np.concatenate(
                [self.tail_kinds, np.repeat(np.array(kinds, np.int8), lengths)[known]]
            )
        if len(self.tail_slots) > max(TAIL_MIN, len(self.slots) // TAIL_SHARE):
            self._merge_tail()

    def _merge_tail(self) -> None:
        keep = self.alive[self.slots]
        tail_keep = self.alive[self.tail_slots]
        tag_ids = np.concatenate([self.tag_ids[keep], self.tail_tag_ids[tail_keep]])
        slots = np.concatenate([self.slots[keep], self.tail_slots[tail_keep]])
        kinds = np.concatenate([self.kinds[keep], self.tail_kinds[tail_keep]])
        order = np.argsort(tag_ids, kind="stable")
        self.tag_ids, self.slots, self.kinds = tag_ids[order], slots[order], kinds[order]
        self.tail_tag_ids = np.zeros(0, np.int32)
        self.tail_slots = np.zeros(0, np.int32)
        self.tail_kinds = np.zeros(0, np.int8)

    def wants_compacting(self) -> bool:
        """True when most slots are dead (members changed many times): build afresh."""
        return len(self.alive) > 1024 and int(np.count_nonzero(self.alive)) * 2 < len(self.alive)

    # ---- pools -----------------------------------------------------------------------------

    def _candidate_base(self, now: bytes) -> np.ndarray:
        # Opted in and not stopped, not paused (unless the pause's end passed), reachable.
        return (
            self.alive
            & (
                (self.optin == 0)
                | ((self.optin == 1) & self.has_until & (self.paused_until <= now))
            )
            & self.reachable
        )

    def candidate_doubts(self, now: bytes, seen: bytes) -> str | None:
        """Return members who would be candidates if they came back or were seen lately
        (a JSON array), or None."""
        return _ids(self._candidate_base(now) & (self.gone | (self.last_seen < seen)), self)

    def listed_doubts(self) -> str | None:
        """Return members who would be listed if they came back (a JSON array), or None."""
        return _ids(self.alive & (self.optin != 2) & ~self.hidden & self.gone, self)

    def back(self, rows: Sequence[Sequence[Any]]) -> None:
        """Record members found in the group again, with when they were last seen."""
        if not rows:
            return
        slots = self.live_slots(int(row[0]) for row in rows)
        seen = {int(row[0]): str(row[2]).encode() for row in rows}
        for slot in slots:
            self.gone[slot] = False
            self.last_seen[slot] = max(self.last_seen[slot], seen[int(self.member_ids[slot])])

    def candidate_pool(self, now: bytes, seen: bytes) -> np.ndarray:
        """The slots that can be introduced now (as ``_CANDIDATES`` in storage.intros)."""
        return self._candidate_base(now) & ~self.gone & (self.last_seen >= seen)

    def listed_pool(self) -> np.ndarray:
        """The slots /whoknows may name (as ``_LISTED`` in storage.intros)."""
        return self.alive & (self.optin != 2) & ~self.hidden & ~self.gone

    def holders(self, pool: np.ndarray, tags: Sequence[str]) -> TagHolders:
        """Return the pool's holders of ``tags`` as bit masks, as the SQL search gives them."""
        n = len(self.member_ids)
        masks = np.zeros((3, n), np.int64)
        held = np.zeros(n, bool)
        for k, tag in enumerate(tags):
            tag_id = self.vocabulary.get(tag)
            if tag_id is None:
                continue
            # Bounds of the array's own type: numpy would otherwise convert the whole
            # array (hundreds of thousands of holdings) for each tag.
            bounds = np.array([tag_id, tag_id + 1], self.tag_ids.dtype)
            lo, hi = np.searchsorted(self.tag_ids, bounds)
            in_tail = self.tail_tag_ids == tag_id
            slots = np.concatenate([self.slots[lo:hi], self.tail_slots[in_tail]])
            kinds = np.concatenate([self.kinds[lo:hi], self.tail_kinds[in_tail]])
            bit = np.int64(1 << k)
            for kind in range(3):
                # A member holds a tag once per kind (primary key): no slot repeats here.
                masks[kind, slots[kinds == kind]] |= bit
            held[slots] = True
        found = np.flatnonzero(held & pool)
        if not len(found):
            return TagHolders(tuple(tags), [])
        size = int(np.count_nonzero(pool))
        found = found[np.argsort(self.member_ids[found], kind="stable")]
        table = np.column_stack(
            [
                self.member_ids[found],
                masks[0, found],
                masks[1, found],
                masks[2, found],
                np.full(len(found), size, np.int64),
            ]
        )
        return TagHolders(tuple(tags), table)


async def _compute(tags: int, work: Callable[..., _T], *args: Any) -> _T:
    """Run a search's array work on the event loop when it is small, else in a thread.

    Over 50,000 members it takes ≈ 0.5 ms plus ≈ 0.2 ms per tag: a thread would cost more
    than that amid a busy stream (each of numpy's releases of the GIL waits up to the
    switch interval to get it back from the loop: 100–250 ms in all, measured).
    """
    if tags <= LOOP_TAGS:
        return work(*args)
    return await asyncio.to_thread(work, *args)


def _ids(slots: np.ndarray, group: GroupIndex) -> str | None:
    ids = group.member_ids[slots]
    return json.dumps(ids.tolist()) if len(ids) else None


class HolderIndex:
    """The groups' indexes of one store: built when first searched, refreshed when stale."""

    def __init__(self, store: SqlStore, *, max_holdings: int = MAX_HOLDINGS) -> None:
        self._store = store
        self._groups: OrderedDict[int, GroupIndex] = OrderedDict()
        self._locks: dict[int, asyncio.Lock] = {}
        self._max_holdings = max_holdings
        # How many times a group was built whole, and refreshed (tests and the bench read it).
        self.builds = 0
        self.refreshes = 0

    async def warm(self, least: int = WARM_AT) -> list[int]:
        """Build the indexes of the groups with at least ``least`` opted in, biggest first.

        Run once in the background after start-up (bot.app), so that the first search in a
        big group does not wait ≈ 1 s for its build; smaller groups build in milliseconds
        when first searched. Stops before the memory bound. Return the groups built.
        """
        rows = await self._store.search(_WARM, {"least": least})
        built: list[int] = []
        for row in rows:
            chat_id, members = int(row[0]), int(row[1])
            if self._holdings() + members * WARM_TAGS_EACH > self._max_holdings:
                break
            async with self._store.flushed(), self._lock(chat_id):
                await self._fresh(chat_id)
            built.append(chat_id)
        return built

    def _holdings(self) -> int:
        return sum(group.holdings for group in self._groups.values())

    def forget(self) -> None:
        """Drop every group's index (they are built again when next searched)."""
        self._groups.clear()

    async def candidates(
        self, chat_id: int, now: str, seen: str, tags: Sequence[str]
    ) -> TagHolders:
        """Return who can be introduced in the group at ``now`` and holds ``tags``.

        ``now`` and ``seen`` (60 days before) are stamps as the database stores them.
        """
        async with self._current(chat_id):
            group = await self._fresh(chat_id)
            stamp, since = now.encode(), seen.encode()
            doubts = await _compute(len(tags), group.candidate_doubts, stamp, since)
            if doubts is not None:
                rows = await self._store.search(
                    _RECHECK.format(seen="AND last_seen >= :seen"),
                    {"chat": chat_id, "ids": doubts, "seen": seen},
                )
                group.back(list(rows))
            return await _compute(
                len(tags), lambda: group.holders(group.candidate_pool(stamp, since), tags)
            )

    async def listed(self, chat_id: int, tags: Sequence[str]) -> TagHolders:
        """Return who /whoknows may name in the group and holds ``tags``."""
        async with self._current(chat_id):
            group = await self._fresh(chat_id)
            doubts = await _compute(len(tags), group.listed_doubts)
            if doubts is not None:
                rows = await self._store.search(
                    _RECHECK.format(seen=""), {"chat": chat_id, "ids": doubts}
                )
                group.back(list(rows))
            return await _compute(len(tags), lambda: group.holders(group.listed_pool(), tags))

    @contextlib.asynccontextmanager
    async def _current(self, chat_id: int) -> AsyncIterator[None]:
        """The group's lock, with what the activity buffer holds of the group on record.

        The index reads the group's memberships (who joined, left, was seen lately),
        which wait in the buffer: the group's rows are written first, not every group's
        (storage: ``reading(chats=...)``). The rest it reads is written at once.
        """
        # It reads no credits: the offered thanks need not be written first.
        async with self._store.reading(chats=[chat_id], thanks=False), self._lock(chat_id):
            yield

    def _lock(self, chat_id: int) -> asyncio.Lock:
        lock = self._locks.get(chat_id)
        if lock is None:
            lock = self._locks[chat_id] = asyncio.Lock()
        return lock

    async def _fresh(self, chat_id: int) -> GroupIndex:
        """Return the group's index, built or refreshed as the database now stands."""
        # The generation first: everything read after it is at least that recent.
        row = next(iter(await self._store.search(_GENERATION, {"chat": chat_id})), None)
        generation, reset = (int(row[0]), int(row[1])) if row else (0, 0)
        group = self._groups.get(chat_id)
        # Rebuilt after a reset, and when the counter went back: the chat's row was deleted
        # (a supergroup upgrade) and made again (a late update), its marks from nothing.
        if group is not None and (
            reset > group.generation or generation < group.generation or group.wants_compacting()
        ):
            group = None
        if group is None:
            group = GroupIndex()
            loaded = await self._load(chat_id, None)
            await self._applied(chat_id, group, loaded, (), generation)
            self.builds += 1
        elif generation != group.generation:
            changed = [
                int(r[0])
                for r in await self._store.search(
                    _CHANGED_SINCE, {"chat": chat_id, "since": group.generation}
                )
            ]
            loaded = await self._load(chat_id, changed)
            await self._applied(chat_id, group, loaded, changed, generation)
            self.refreshes += 1
        self._groups[chat_id] = group
        self._groups.move_to_end(chat_id)
        self._bound()
        return group

    async def _applied(
        self,
        chat_id: int,
        group: GroupIndex,
        loaded: _Loaded,
        changed: Sequence[int],
        generation: int,
    ) -> None:
        """Apply ``loaded`` to ``group`` in a worker thread, then record ``generation``.

        A thread cannot be stopped. If the search is cancelled meanwhile (a /meet whose
        check with Telegram failed, a stop), this still waits for the thread, with the
        group's lock held, and records the generation: otherwise a second refresh could
        run on the group at the same time, and the first one's older rows land after the
        second's (a member who just hid or left shown again). If the work fails, the
        group's index is dropped and built afresh by the next search.
        """
        work = asyncio.ensure_future(asyncio.to_thread(group.apply, loaded, changed))
        cancelled = False
        while not work.done():
            try:
                await asyncio.wait([work])  # a cancelled wait leaves the work running
            except asyncio.CancelledError:
                cancelled = True
        if work.cancelled() or work.exception() is not None:
            self._groups.pop(chat_id, None)
        work.result()  # its failure, if it failed
        group.generation = generation
        if cancelled:
            raise asyncio.CancelledError

    async def _load(self, chat_id: int, member_ids: list[int] | None) -> _Loaded:
        if member_ids is not None and not member_ids:
            return _Loaded([], [])
        only = "" if member_ids is None else _ONLY
        params: dict[str, Any] = {"chat": chat_id}
        if member_ids is not None:
            params["ids"] = json.dumps(member_ids)
        members = await self._store.search(_MEMBERS.format(only=only), params)
        tags = await self._store.search(_TAGS.format(only=only), params)
        return _Loaded(list(members), list(tags))

    def _bound(self) -> None:
        total = self._holdings()
        while len(self._groups) > 1 and total > self._max_holdings:
            _, dropped = self._groups.popitem(last=False)
            total -= dropped.holdings
