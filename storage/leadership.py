"""One leader for scheduled work among the instances that share a database (migration 13).

On SQLite one process is the only one: it always leads (``SoleLeader``). On PostgreSQL the
leader is the instance holding a session-level advisory lock on a connection of its own
(``PostgresLeadership``); the others try again every ``RETRY_SECONDS``. The server frees
the lock when that connection ends, so a leader that dies (its process, or its connection:
the server notices a silent peer within ``KEEPALIVE`` seconds) is replaced at the next try
of another, well within a minute. Slots still run once through the schedule's own claims,
which also cover the few seconds in which a leader that lost its connection has not
noticed yet.

The leader records a hash of its ``webhook_secret`` (never the secret) in ``leaders`` and
renews it at every try. An instance with another secret that gets the lock while that
record is fresh (renewed within ``STALE``) refuses to lead, says so in the log and lets the
lock go: it was started with the wrong configuration. A record nobody renewed for
``STALE`` no longer speaks for anyone (every instance was restarted with a new secret).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import socket
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from storage.sqlite import StorageError
from storage.times import ts as _ts

if TYPE_CHECKING:
    from storage.postgres import PostgresStore
    from storage.sqlite import SqlStore

log = logging.getLogger(__name__)

RETRY_SECONDS = 5.0
# How long a try may wait for the server. A lead's connection that went silent (no reset,
# no answer) would otherwise hold the try for the kernel's TCP timeout, many minutes, with
# is_leader still True while the server, dropping the silent session after about 25 s
# (KEEPALIVE), gives the lock to another instance: two leaders. Past this, the lead is lost.
ANSWER_SECONDS = 5.0
STALE = timedelta(seconds=60)
# The advisory lock's first key ("LEAD"); the second is the schema's, so that databases
# kept side by side in schemas of one server (tests do) each elect their own leader.
LEADER_LOCK = 0x4C454144
ROLE = "scheduler"
# The server drops a leader's connection whose peer went silent after about 10 + 3 × 5 s.
KEEPALIVE = {
    "tcp_keepalives_idle": "10",
    "tcp_keepalives_interval": "5",
    "tcp_keepalives_count": "3",
}
TAKE = "SELECT pg_try_advisory_lock($1, hashtext(current_schema()))"
LET_GO = "SELECT pg_advisory_unlock($1, hashtext(current_schema()))"
RECORD = "SELECT secret_hash, instance, renewed_at FROM leaders WHERE role = ?"
WRITE = """
    INSERT INTO leaders (role, secret_hash, instance, renewed_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (role) DO UPDATE SET secret_hash = excluded.secret_hash,
        instance = excluded.instance, renewed_at = excluded.renewed_at
"""
RENEW = "UPDATE leaders SET renewed_at = ? WHERE role = ? AND instance = ?"


def secret_hash(secret: str | None) -> str:
    """Return what the record keeps of a webhook secret: a hash, never the secret."""
    return hashlib.sha256(b"rete-webhook-secret\x00" + (secret or "").encode()).hexdigest()


def instance_name() -> str:
    """Name this process in the log and the record: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


class SecretMismatch(StorageError):
    """This instance's webhook_secret is not the one the current leader records."""


class Leadership(Protocol):
    """Whether this instance runs the scheduled work."""

    is_leader: bool

    async def lead(self) -> bool:
        """Take (or keep) the lead if possible; return whether this instance leads."""

    async def check_secret(self) -> None:
        """Raise SecretMismatch if a live leader records another webhook_secret."""

    async def close(self) -> None:
        """Give the lead up (its connection closes)."""


class SoleLeader:
    """The only process on its database (SQLite): it always leads."""

    is_leader = True

    async def lead(self) -> bool:
        """Lead: nobody else can."""
        return True

    async def check_secret(self) -> None:
        """Nobody else to disagree with."""

    async def close(self) -> None:
        """Nothing to give up."""


class PostgresLeadership:
    """The lead among instances on one PostgreSQL database (see the module's doc)."""

    def __init__(self, store: PostgresStore, secret: str | None, instance: str) -> None:
        self._store = store
        self._hash = secret_hash(secret)
        self.instance = instance
        self.is_leader = False
        self._conn: Any = None
        self._sql: Any = None
        # Said once per refusal streak, not at every try.
        self._refused = False

    @property
    def server_pid(self) -> int | None:
        """The server process of the lead's connection (None when not connected)."""
        return self._conn.get_server_pid() if self._conn is not None else None

    async def check_secret(self) -> None:
        """Raise SecretMismatch if the leader's record is fresh and names another secret.

        ``rete run`` asks this in webhook mode before it sets the webhook: an instance with
        another secret would tell Telegram to send that secret, and every other instance
        would then refuse Telegram's updates. The record is read whether or not the lock
        is free: a leader that is alive holds it.
        """
        row = await self._store.fetchone(RECORD, (ROLE,))
        if row is None or row["secret_hash"] == self._hash:
            return
        if self._store.clock() - datetime.fromisoformat(row["renewed_at"]) >= STALE:
            return
        raise SecretMismatch(
            f"this instance's webhook_secret differs from the one {row['instance']} leads "
            f"with (renewed {row['renewed_at']}): not leading and not setting the webhook; "
            "give every instance the same RETE_WEBHOOK_SECRET"
        )

    async def lead(self) -> bool:
        """Take the lock if it is free, or renew the record if held; return the lead."""
        from storage.postgres import DatabaseError

        try:
            async with asyncio.timeout(ANSWER_SECONDS):
                if self.is_leader:
                    await self._renew()
                else:
                    await self._try_take()
        except (StorageError, DatabaseError, OSError) as error:
            # OSError includes TimeoutError: no answer within ANSWER_SECONDS.
            self._lost(error)
        except Exception as error:
            if not _is_lost_connection(error):
                raise
            self._lost(error)
        return self.is_leader

    def _lost(self, error: BaseException) -> None:
        if self.is_leader:
            log.warning(
                "Lost the lead for scheduled work (%s): another instance takes over",
                type(error).__name__,
            )
        self.is_leader = False
        conn, self._conn, self._sql = self._conn, None, None
        if conn is not None:
            conn.terminate()

    async def _connect(self) -> None:
        if self._conn is not None and not self._conn.is_closed():
            return
        from storage.postgres import PgConnection, connect

        self._conn = await connect(self._store.url, server_settings=KEEPALIVE)
        self._sql = PgConnection(self._conn, self._store.dialect)

    async def _try_take(self) -> None:
        await self._connect()
        if not await self._conn.fetchval(TAKE, LEADER_LOCK):
            return
        now = self._store.clock()
        row = await (await self._sql.execute(RECORD, (ROLE,))).fetchone()
        if row is not None and row["secret_hash"] != self._hash:
            renewed = datetime.fromisoformat(row["renewed_at"])
            if now - renewed < STALE:
                await self._conn.fetchval(LET_GO, LEADER_LOCK)
                if not self._refused:
                    log.error(
                        "Refusing to lead scheduled work: this instance's webhook_secret "
                        "differs from the one %s leads with (renewed %s); give every "
                        "instance the same RETE_WEBHOOK_SECRET",
                        row["instance"],
                        row["renewed_at"],
                    )
                self._refused = True
                return
        await self._sql.execute(WRITE, (ROLE, self._hash, self.instance, _ts(now)))
        self._refused = False
        self.is_leader = True
        log.info("This instance (%s) leads scheduled work", self.instance)

    async def _renew(self) -> None:
        cursor = await self._sql.execute(RENEW, (_ts(self._store.clock()), ROLE, self.instance))
        if cursor.rowcount == 0:
            # The record names someone else: the lock is ours, so rewrite it.
            await self._sql.execute(
                WRITE, (ROLE, self._hash, self.instance, _ts(self._store.clock()))
            )

    async def close(self) -> None:
        """Close the lead's connection: the server frees the lock at once."""
        conn, self._conn, self._sql = self._conn, None, None
        self.is_leader = False
        if conn is not None and not conn.is_closed():
            await conn.close()


def _is_lost_connection(error: BaseException) -> bool:
    import asyncpg

    return isinstance(
        error,
        asyncpg.InterfaceError | asyncpg.InternalClientError | asyncpg.PostgresConnectionError,
    )


def leadership_for(store: SqlStore, secret: str | None) -> Leadership:
    """Return the leadership this store's engine needs (not yet taken: call ``lead``)."""
    if store.one_writer:
        return SoleLeader()
    from storage.postgres import PostgresStore

    if not isinstance(store, PostgresStore):
        raise TypeError(f"no leader election for {type(store).__name__}")
    return PostgresLeadership(store, secret, instance_name())
