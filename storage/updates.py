"""Updates handled once: a claim on each ``update_id`` before any handler runs (migration 12).

Telegram delivers an update again when it did not see it answered (a webhook that timed
out, a crash before polling confirmed a batch), a load balancer may replay a request, and
with several instances two of them can each get a copy. The first claim of an update id
wins; every later one is refused, so the update is handled once. The recorded natural keys
(a message counted by its id, a credit by giver, receiver and message) stay the second line.

How a claim is made depends on who else writes the database:

- **One process (SQLite).** Nobody else can claim, so the claims live in memory (a window
  of the most recent ids) and reach the table in batches, with the store's flush: a claim
  costs a set lookup, not a write. At start the window is filled from the table, and an id
  below what was loaded (rare: a copy of an old update) is looked up there.
- **Several processes (PostgreSQL).** Each claim is one ``INSERT ... ON CONFLICT DO
  NOTHING`` on its own, committed before the handlers run; the table's primary key is the
  arbiter, whichever instance asks first. Claims go over a connection of their own, whose
  commits do not wait for the server's disk (``synchronous_commit = off``): a commit is
  seen by every other session at once, so instances still never both win an id; only a
  crash of the server itself can forget the last fraction of a second of claims (then a
  copy of one of those updates may be handled again, the natural keys still holding). A
  claim waiting for the disk cost about 0.55 ms, an update's whole budget.
  Most updates are ordinary group messages whose only effect is to be counted (buffered,
  written with the flush): their claims are *deferred* (``defer``) and written with the
  flush, and the flush counts only the messages it recorded first in ``message_authors``
  (``storage.sqlite._write_shared``), so a copy handled by two instances is still counted
  once. Even with ``synchronous_commit = off`` a claim's round trip to a local server was
  0.2 ms of an update's 0.2–0.25 ms (bench/README.md); a deferred one costs a list append.

Rows are kept for ``KEPT``: Telegram keeps an undelivered update for 24 hours, so no copy
comes later (an hour more is the margin); a job prunes older ones.
"""

from __future__ import annotations

import asyncio
import json
from collections import deque
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from storage.times import ts as _ts

if TYPE_CHECKING:
    from storage.sqlite import SqlStore

# The claims connection's own setting (see the module's doc).
CLAIM_SETTINGS = {"synchronous_commit": "off"}

# A claim takes a millisecond; one that waits longer is on a connection gone silent
# (no reset, no answer), which would hold every update of the instance for the kernel's
# TCP timeout, minutes, behind the claims' lock.
CLAIM_SECONDS = 5.0

KEPT = timedelta(hours=25)
# Claims held in memory on SQLite: far more than Telegram ever has in flight for a bot.
WINDOW = 65_536

CLAIM = """
    INSERT OR IGNORE INTO handled_updates (update_id, seen_at) VALUES (?, ?)
    RETURNING update_id
"""
WRITE_BATCH = """
    INSERT OR IGNORE INTO handled_updates (update_id, seen_at)
    SELECT CAST(json_extract(value, '$[0]') AS INTEGER), json_extract(value, '$[1]')
    FROM json_each(?)
"""


class UpdateClaims:
    """Which update ids were handled; ``claim`` says whether this one is still to handle."""

    def __init__(self, store: SqlStore, *, one_writer: bool) -> None:
        self._store = store
        # True when this process is the database's only writer (SQLite): claims in memory.
        self._one_writer = one_writer
        self._seen: set[int] = set()
        self._order: deque[int] = deque()
        # Claimed in memory, not yet in the table: (update_id, seen_at).
        self._unwritten: list[tuple[int, str]] = []
        # The window was filled from the table (once, at the first claim).
        self._loaded = False
        # Ids below this were in the table but not loaded: look them up (None: all loaded).
        self._below: int | None = None
        self._loading = asyncio.Lock()
        # PostgreSQL: the claims' own connection (opened at the first claim) and its lock.
        self._side: Any = None
        self._side_lock = asyncio.Lock()

    def claim_now(self, update_id: int) -> bool | None:
        """Claim ``update_id`` without waiting if memory can decide; None if only ``claim`` can.

        True: claimed now; False: claimed before. On the hot path of a one-writer store this
        is a set lookup; a shared store always answers None (the database decides).
        """
        if not self._one_writer or not self._loaded:
            return None
        if update_id in self._seen:
            return False
        if self._below is not None and update_id < self._below:
            return None
        self._remember(update_id)
        self._unwritten.append((update_id, self._store.now()))
        return True

    @property
    def shared(self) -> bool:
        """True when other processes may claim too (PostgreSQL): ``defer`` is for these."""
        return not self._one_writer

    def defer(self, update_id: int) -> None:
        """Claim ``update_id`` with the next flush: for an update only counted (see the
        module's doc), whose effects the flush itself writes once whoever handles it."""
        self._unwritten.append((update_id, self._store.now()))

    async def claim(self, update_id: int) -> bool:
        """Claim ``update_id`` for this process; False if it was claimed before, anywhere."""
        if not self._one_writer:
            return await self._claim_shared(update_id)
        if not self._loaded:
            await self._load()
        if update_id in self._seen:
            return False
        if self._below is not None and update_id < self._below:
            # Reserve it first: a copy arriving during the lookup is then refused. Claims
            # still held in memory are written first, so that the table has them all.
            self._remember(update_id)
            await self.flush()
            rows = await self._store.query(
                "SELECT 1 FROM handled_updates WHERE update_id = ?", (update_id,)
            )
            if rows:
                return False
        else:
            self._remember(update_id)
        self._unwritten.append((update_id, self._store.now()))
        return True

    async def _claim_shared(self, update_id: int) -> bool:
        async with self._side_lock:
            try:
                async with asyncio.timeout(CLAIM_SECONDS):
                    if self._side is None or self._side[0].is_closed():
                        self._side = await self._connect_side()
                    rows = await self._side[1].execute_fetchall(
                        CLAIM, (update_id, self._store.now())
                    )
            except TimeoutError:
                from storage.sqlite import StorageError

                # The connection went silent: drop it, so that the next claim connects
                # again, and say so (the caller handles this update unclaimed).
                side, self._side = self._side, None
                if side is not None:
                    side[0].terminate()
                raise StorageError(
                    f"no answer to update {update_id}'s claim within {CLAIM_SECONDS:g} s"
                ) from None
        return bool(rows)

    async def _connect_side(self) -> tuple[Any, Any]:
        """Open the claims' connection to the store's server (PostgreSQL only)."""
        from storage.postgres import PgConnection, PostgresStore, connect

        store = self._store
        if not isinstance(store, PostgresStore):
            raise TypeError(f"a shared {type(store).__name__} has no claims connection")
        conn = await connect(store.url, server_settings=CLAIM_SETTINGS)
        return conn, PgConnection(conn, store.dialect)

    async def close(self) -> None:
        """Close the claims' own connection, if one was opened."""
        side, self._side = self._side, None
        if side is not None:
            await side[0].close()

    def _remember(self, update_id: int) -> None:
        self._seen.add(update_id)
        self._order.append(update_id)
        if len(self._order) > WINDOW:
            # The oldest claim leaves memory: an id up to it must be looked up from now on
            # (ids grow, so a new update stays above it and costs nothing).
            evicted = self._order.popleft()
            self._seen.discard(evicted)
            if self._below is None or evicted >= self._below:
                self._below = evicted + 1

    async def _load(self) -> None:
        async with self._loading:
            if self._loaded:
                return
            rows = list(
                await self._store.query(
                    "SELECT update_id FROM handled_updates ORDER BY update_id DESC LIMIT ?",
                    (WINDOW,),
                )
            )
            for (update_id,) in reversed(rows):
                self._remember(update_id)
            # Ids below the lowest loaded may be in the table and not in memory.
            if len(rows) >= WINDOW:
                self._below = max(self._below or 0, rows[-1][0])
            self._loaded = True

    async def flush(self) -> int:
        """Write the claims held in memory (SQLite) or deferred (PostgreSQL) in one
        statement; return how many."""
        if not self._unwritten:
            return 0
        batch, self._unwritten = self._unwritten, []
        try:
            async with self._store.raw_transaction() as conn:
                await conn.execute(WRITE_BATCH, (json.dumps(batch),))
        except BaseException:
            self._unwritten[:0] = batch
            raise
        return len(batch)

    async def prune(self, now: datetime | None = None) -> int:
        """Forget claims older than ``KEPT``; return how many."""
        moment = now or self._store.clock()
        async with self._store.raw_transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM handled_updates WHERE seen_at < ?", (_ts(moment - KEPT),)
            )
        return max(cursor.rowcount, 0)
