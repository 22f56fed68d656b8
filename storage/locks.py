"""Work that must not run twice at once, in this process or in another instance.

``WorkLocks.hold(key)`` holds a lock named by a string (``intros:<chat>``: who sends a
group's introductions) for the block. In the process, one asyncio lock per key, kept only
while held or awaited. Across processes: nothing more with one writer (SQLite: one process
owns the file, so the process's lock is the database's); on PostgreSQL a session-level
advisory lock on the store's connection, named like the ledger's transaction locks (the key
hashed with the schema's name).

The advisory lock is *tried* (``pg_try_advisory_lock``), every ``POLL`` seconds at first and
then less often, never waited for on the server: the process has one connection, and a
statement that waits on the server would hold up every other handler of the process. The
server frees the lock when the holder's connection ends (its instance died), so a lock is
never left behind. If the connection is lost while held, the lock is gone with it: the
work it guards is idempotent (a DM is claimed in the database before it is sent), the lock
only keeps two instances from doing the same work at the same time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storage.sqlite import SqlStore

log = logging.getLogger(__name__)

POLL = 0.02
LONGEST_POLL = 0.5


class WorkLocks:
    """Named locks held by one task at a time, across instances (see the module's doc)."""

    def __init__(self, store: SqlStore) -> None:
        self._store = store
        self._local: dict[str, tuple[asyncio.Lock, int]] = {}

    def __len__(self) -> int:
        """How many keys are held or awaited in this process."""
        return len(self._local)

    @contextlib.asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        """Hold ``key`` for the block, after whoever holds or awaits it (any instance)."""
        lock, users = self._local.get(key, (None, 0))
        if lock is None:
            lock = asyncio.Lock()
        self._local[key] = (lock, users + 1)
        try:
            async with lock:
                if self._store.one_writer:
                    yield
                    return
                await self._take(key)
                try:
                    yield
                finally:
                    await self._let_go(key)
        finally:
            lock, users = self._local[key]
            if users == 1:
                del self._local[key]
            else:
                self._local[key] = (lock, users - 1)

    async def _take(self, key: str) -> None:
        delay = POLL
        waited = 0.0
        while not await self._store.try_advisory_lock(key):
            if waited == 0.0:
                log.debug("Waiting for %s, held by another instance", key)
            await asyncio.sleep(delay)
            waited += delay
            delay = min(delay * 2, LONGEST_POLL)

    async def _let_go(self, key: str) -> None:
        try:
            await self._store.advisory_unlock(key)
        except Exception as error:
            # The connection broke: the server freed the lock with it.
            log.warning("Could not release %s (%s): freed with its connection", key, error)
