"""The PostgreSQL engine: the same repositories and SQL as SQLite, over asyncpg.

The repositories talk to a connection with aiosqlite's surface (``execute`` returning a
cursor with ``rowcount``, ``lastrowid`` and ``fetchone``; ``executemany``;
``execute_fetchall``; ``total_changes``). ``PgConnection`` gives them that over one
asyncpg connection, rendering each statement for PostgreSQL through
``storage.dialect.PostgresDialect`` (once per statement). Nothing above this module knows
which engine it runs on.

One connection and one lock per process, as with SQLite: transactions of one process never
interleave, so every rule judged inside one (the ledger's quota, the schedule's claims)
reads what the process's earlier transactions wrote. Several instances on one database
(leader election, update dedup) build on this with PostgreSQL's own locks.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import AsyncIterator, Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import asyncpg

from storage.dialect import Catalog, PostgresDialect, postgres_key_path, translate_ddl, verb
from storage.location import safe_url, server_of
from storage.migrations import MIGRATIONS, Migration
from storage.models import Now
from storage.postgres_schema import BASELINE, BASELINE_VERSION, VERSION_TABLE
from storage.sqlite import Params, SqlStore, StorageError, split_statements

log = logging.getLogger(__name__)

# Waiting for a server that is not up yet: 1, 2, 4 ... seconds, then every minute.
FIRST_WAIT = 1.0
LONGEST_WAIT = 60.0
CONNECT_TIMEOUT = 10.0
# Statements (and their shapes) asyncpg keeps prepared: the repositories have ~250.
STATEMENT_CACHE = 1024
# Every connection's session settings. Rete's queries are short range scans of one group
# or one member; a parallel plan's two extra worker processes cost more to start than the
# scan they share (the recap's messages per day: 14-29 ms parallel, 7 ms not, on the
# bench's 2 cores; bench/README.md).
SESSION_SETTINGS = {"max_parallel_workers_per_gather": "0"}
# Taken by every migration transaction: two instances starting together migrate one by one.
MIGRATION_LOCK = 0x52455445  # "RETE"

# The keys of one transaction, hashed with the schema's name, locked in ascending order.
ADVISORY_XACT_LOCKS = """
    SELECT pg_advisory_xact_lock(k) FROM (
        SELECT DISTINCT hashtextextended(current_schema() || ':' || key, 0) AS k
        FROM unnest($1::text[]) AS key ORDER BY k
    ) AS keys
"""
# storage.locks: one lock named by a key, held by the session until let go.
TRY_ADVISORY_LOCK = (
    "SELECT pg_try_advisory_lock(hashtextextended(current_schema() || ':' || $1::text, 0))"
)
ADVISORY_UNLOCK = (
    "SELECT pg_advisory_unlock(hashtextextended(current_schema() || ':' || $1::text, 0))"
)
_STATUS_COUNT = re.compile(r"(\d+)$")
# What a connection the server dropped raises (asyncpg's own, and the socket's).
_LOST = (
    asyncpg.InterfaceError,
    asyncpg.InternalClientError,
    asyncpg.PostgresConnectionError,
    OSError,
)


class DatabaseError(Exception):
    """A statement failed on PostgreSQL: the server's message, without its DETAIL.

    PostgreSQL's DETAIL repeats the row that failed ("Failing row contains (1, Ada, …)"),
    and an error's text ends up in the log, which never holds what members wrote or their
    names. ``sqlstate`` says which error it was.
    """

    def __init__(self, error: asyncpg.PostgresError) -> None:
        self.sqlstate: str | None = getattr(error, "sqlstate", None)
        message = getattr(error, "message", None) or type(error).__name__
        super().__init__(f"{type(error).__name__} ({self.sqlstate}): {message}")


class PgCursor:
    """What one statement did: its rows, how many rows it changed, the id it inserted."""

    def __init__(self, rows: list[Any], rowcount: int, lastrowid: int | None) -> None:
        self._rows = rows
        self.rowcount = rowcount
        self.lastrowid = lastrowid

    async def fetchone(self) -> Any:
        """Return the first row, or None."""
        return self._rows[0] if self._rows else None

    async def fetchall(self) -> list[Any]:
        """Return every row."""
        return list(self._rows)


class PgConnection:
    """aiosqlite's connection surface over an asyncpg connection (see the module's doc)."""

    def __init__(self, conn: asyncpg.Connection, dialect: PostgresDialect) -> None:
        self._conn = conn
        self._dialect = dialect
        self.total_changes = 0

    async def execute(self, sql: str, params: Params = ()) -> PgCursor:
        """Run one statement; return its cursor."""
        text, args, returns_rows = self._dialect.bind(sql, params)
        changes = self._dialect.rendered(sql).changes
        try:
            if returns_rows:
                rows = await self._conn.fetch(text, *args)
            else:
                status = await self._conn.execute(text, *args)
        except asyncpg.PostgresError as error:
            raise DatabaseError(error) from None
        if returns_rows:
            if not changes:
                return PgCursor(rows, -1, None)
            self.total_changes += len(rows)
            last = rows[-1].get("id") if rows else None
            return PgCursor(rows, len(rows), last)
        found = _STATUS_COUNT.search(status or "")
        count = int(found.group(1)) if found and changes else -1
        if count > 0:
            self.total_changes += count
        return PgCursor([], count, None)

    async def advisory_xact_locks(self, keys: Iterable[str]) -> None:
        """Take a transaction-level advisory lock for each key (see ``serialize``).

        Keys are hashed with the schema's name (databases kept side by side in schemas of
        one server lock apart) and taken in ascending order, so that two transactions
        wanting overlapping keys never wait for each other in a circle. Two keys with the
        same hash only make their transactions wait for each other.
        """
        texts = sorted(set(keys))
        if not texts:
            return
        try:
            await self._conn.execute(ADVISORY_XACT_LOCKS, texts)
        except asyncpg.PostgresError as error:
            raise DatabaseError(error) from None

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        """Run one statement for each parameter row."""
        for params in rows:
            await self.execute(sql, params)

    async def execute_fetchall(self, sql: str, params: Params = ()) -> list[Any]:
        """Run one statement; return all its rows."""
        return await (await self.execute(sql, params)).fetchall()


class PostgresStore(SqlStore):
    """A Rete database on a PostgreSQL server."""

    key_path = staticmethod(postgres_key_path)

    def __init__(self, conn: asyncpg.Connection, url: str, clock: Now | None = None) -> None:
        super().__init__(clock)
        self._pg = conn
        self.url = url
        self.path = safe_url(url)
        self.dialect = PostgresDialect()
        self._conn = PgConnection(conn, self.dialect)

    @classmethod
    async def open(
        cls,
        url: str,
        migrations: Sequence[Migration] | None = None,
        clock: Now | None = None,
        *,
        wait: bool = False,
    ) -> PostgresStore:
        """Connect to the server at ``url`` and bring the schema up to date.

        With ``wait`` (``rete run`` at start), a server that cannot be reached is tried
        again after 1, 2, 4 ... seconds, then every minute, one log line per attempt.
        Refused credentials and a missing database are not tried again.
        """
        conn = await connect(url, wait=wait)
        try:
            store = cls(conn, url, clock)
            await store.migrate(migrations)
        except BaseException:
            await conn.close()
            raise
        return store

    async def _close(self) -> None:
        await self._pg.close()

    async def schema_version(self) -> int:
        """Return the version in rete_schema_version (0: not a Rete database yet)."""
        return await _version(self._pg)

    async def migrate(self, migrations: Sequence[Migration] | None = None) -> list[int]:
        """Create the baseline on an empty database, then apply later migrations in order.

        Each step runs in one transaction with the version bump, under an advisory lock, so
        instances starting together migrate once.
        """
        steps = list(migrations) if migrations is not None else list(MIGRATIONS)
        latest = max([BASELINE_VERSION, *(step.version for step in steps)])
        current = await self.schema_version()
        if current > latest:
            raise StorageError(
                f"{self.path} has schema version {current}, newer than this Rete knows "
                f"({latest}): upgrade Rete, or restore a backup made by this version"
            )
        applied: list[int] = []
        if current < BASELINE_VERSION:
            async with self._lock, self._pg.transaction():
                await self._pg.execute("SELECT pg_advisory_xact_lock($1)", MIGRATION_LOCK)
                if await _version(self._pg) < BASELINE_VERSION:
                    await self._pg.execute(BASELINE)
                    await self._pg.execute(
                        f"INSERT INTO {VERSION_TABLE} (version) VALUES ($1)", BASELINE_VERSION
                    )
                    log.info("Database created at version %d (baseline)", BASELINE_VERSION)
                    applied.append(BASELINE_VERSION)
        await self._load_catalog()
        for step in steps:
            if step.version <= max(current, BASELINE_VERSION):
                continue
            async with self._lock, self._pg.transaction():
                await self._pg.execute("SELECT pg_advisory_xact_lock($1)", MIGRATION_LOCK)
                if await _version(self._pg) >= step.version:
                    continue
                for statement in split_statements(step.postgres or step.sql):
                    await self._run_migration_statement(statement)
                await self._pg.execute(f"UPDATE {VERSION_TABLE} SET version = $1", step.version)
            await self._load_catalog()
            log.info("Database migrated to version %d (%s)", step.version, step.name)
            applied.append(step.version)
        return applied

    async def _run_migration_statement(self, statement: str) -> None:
        if verb(statement) in ("create", "alter", "drop"):
            try:
                await self._pg.execute(translate_ddl(statement))
            except asyncpg.PostgresError as error:
                raise DatabaseError(error) from None
            # Later statements of the step may write to what this one made: know its columns.
            await self._load_catalog()
        else:
            await self._conn.execute(statement)

    async def _load_catalog(self) -> None:
        rows = await self._pg.fetch(
            """
            SELECT table_name, column_name, is_identity FROM information_schema.columns
            WHERE table_schema = current_schema()
            """
        )
        columns: dict[str, set[str]] = {}
        generated: set[str] = set()
        for row in rows:
            columns.setdefault(row["table_name"], set()).add(row["column_name"])
            if row["column_name"] == "id" and row["is_identity"] == "YES":
                generated.add(row["table_name"])
        self.dialect.set_catalog(
            Catalog(
                columns={table: frozenset(names) for table, names in columns.items()},
                generated_ids=frozenset(generated),
            )
        )

    async def _connected(self) -> asyncpg.Connection:
        """Return the connection, connecting again if it was lost (a server restart).

        The statement that met the loss failed (its transaction with it; buffered counters
        and thanks are kept for the next flush); the next one gets a new connection, or a
        StorageError while the server is still out of reach. Called under the lock.
        """
        if self._pg.is_closed():
            log.warning("Lost the connection to PostgreSQL at %s: connecting again", self.path)
            self._pg = await connect(self.url)
            self._conn = PgConnection(self._pg, self.dialect)
        return self._pg

    @contextlib.asynccontextmanager
    async def raw_transaction(self) -> AsyncIterator[PgConnection]:
        """A write transaction that does not flush first (for the flush itself)."""
        async with self._lock:
            connection = await self._connected()
            try:
                async with connection.transaction():
                    yield self._conn
            except _LOST as error:
                # The connection broke (even the rollback failed): drop it, so that the
                # next statement connects again.
                connection.terminate()
                raise StorageError(
                    f"lost the connection to PostgreSQL at {server_of(self.url)} "
                    f"({type(error).__name__})"
                ) from None

    async def try_advisory_lock(self, key: str) -> bool:
        """Take the session-level advisory lock named ``key`` if free (storage.locks)."""
        async with self._lock:
            connection = await self._connected()
            return bool(await connection.fetchval(TRY_ADVISORY_LOCK, key))

    async def advisory_unlock(self, key: str) -> None:
        """Let the session-level advisory lock named ``key`` go."""
        async with self._lock:
            if not self._pg.is_closed():
                await self._pg.fetchval(ADVISORY_UNLOCK, key)

    async def serialize(self, conn: Any, keys: Iterable[str]) -> None:
        """Hold an advisory lock per key until the transaction of ``conn`` ends."""
        await conn.advisory_xact_locks(keys)

    async def query(self, sql: str, params: Params = ()) -> Iterable[Any]:
        """Run a read query as the database stands (no flush first)."""
        async with self._lock:
            await self._connected()
            return await self._conn.execute_fetchall(sql, params)

    async def backup(self, target: Path) -> None:
        """Refuse: a PostgreSQL database is backed up with pg_dump (see the README)."""
        raise StorageError(BACKUP_HELP)


BACKUP_HELP = (
    "the database is on PostgreSQL: back it up with pg_dump, e.g. "
    "pg_dump --format=custom --file rete.dump 'postgresql://user@host/db' "
    "(restore with pg_restore)"
)


async def _version(conn: asyncpg.Connection) -> int:
    exists = await conn.fetchval("SELECT to_regclass($1) IS NOT NULL", VERSION_TABLE)
    if not exists:
        return 0
    value = await conn.fetchval(f"SELECT version FROM {VERSION_TABLE}")
    return int(value or 0)


def _refusal(url: str, error: Exception) -> StorageError | None:
    """Return the one-line answer to an error no retry can fix, else None."""
    where = f"PostgreSQL at {server_of(url)}"
    user = urlsplit(url).username or "(default user)"
    if isinstance(
        error,
        asyncpg.InvalidPasswordError | asyncpg.InvalidAuthorizationSpecificationError,
    ):
        return StorageError(
            f"{where} refused user {user!r} ({_first_line(error)}): check the user and "
            "password in database (RETE_DATABASE)"
        )
    if isinstance(error, asyncpg.InvalidCatalogNameError):
        name = urlsplit(url).path.lstrip("/") or user
        return StorageError(
            f"{where} has no database {name!r}: create it (createdb) or fix database "
            "(RETE_DATABASE)"
        )
    if isinstance(error, asyncpg.PostgresError | asyncpg.InterfaceError | ValueError):
        return StorageError(f"{where}: {_first_line(error)}")
    return None


def _first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]


async def connect(
    url: str, *, wait: bool = False, server_settings: dict[str, str] | None = None
) -> asyncpg.Connection:
    """Connect to ``url``; with ``wait``, try again (with backoff) while it is out of reach.

    ``server_settings`` are session settings of the new connection (on top of the URL's
    and ``SESSION_SETTINGS``).
    """
    delay = FIRST_WAIT
    while True:
        try:
            conn: asyncpg.Connection = await asyncpg.connect(
                url,
                timeout=CONNECT_TIMEOUT,
                statement_cache_size=STATEMENT_CACHE,
                server_settings={**SESSION_SETTINGS, **(server_settings or {})},
            )
            return conn
        except (OSError, TimeoutError, asyncpg.CannotConnectNowError) as error:
            reason = f"{type(error).__name__}: {_first_line(error)}"
            if not wait:
                raise StorageError(
                    f"cannot reach PostgreSQL at {server_of(url)} ({reason})"
                ) from None
            log.warning(
                "Cannot reach PostgreSQL at %s (%s): trying again in %g s",
                server_of(url),
                reason,
                delay,
            )
            await asyncio.sleep(delay)
            delay = min(delay * 2, LONGEST_WAIT)
        except Exception as error:
            refusal = _refusal(url, error)
            if refusal is None:
                raise
            raise refusal from None


__all__ = [
    "BACKUP_HELP",
    "DatabaseError",
    "PgConnection",
    "PostgresStore",
    "connect",
]
