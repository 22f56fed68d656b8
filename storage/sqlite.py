"""The store: its repositories (written once, for both engines) and the SQLite engine.

``SqlStore`` holds the repositories and the transaction and read helpers they use;
``SqliteStore`` is the SQLite engine (one file, WAL, foreign keys, every call off the
event loop through aiosqlite), ``storage.postgres.PostgresStore`` the PostgreSQL one.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import sqlite3
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Collection,
    Coroutine,
    Iterable,
    Sequence,
)
from contextvars import ContextVar
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from storage.activity import FLUSH_ACTIVITY, FLUSH_NEW_AUTHORS, PendingActivity
from storage.asks import ASK_CHAT_MERGES, ASK_EXPORTS, SqliteAsks
from storage.dialect import sqlite_key_path
from storage.holders import (
    MERGE_CHANGES,
    MERGE_MARKS,
    lock_member,
    mark_member,
    mark_pairs,
    reset_member,
)
from storage.intros import SqliteIntros, forget_member
from storage.ledger import SqliteLedger
from storage.location import is_postgres_url, safe_url, sqlite_path
from storage.locks import WorkLocks
from storage.members_sql import upsert_member
from storage.migrations import LATEST_VERSION, MIGRATIONS, Migration
from storage.models import Chat, ChatInfo, Member, MemberInfo, Membership, Now
from storage.prompts import SqlitePrompts
from storage.recap import SqliteRecaps
from storage.schedule import SqliteAdmins, SqliteSchedule
from storage.ties import TIE_EXPORTS, TIE_MERGES, SqlTies, keep_days_of
from storage.times import dt as _dt
from storage.times import ts as _ts
from storage.updates import UpdateClaims
from storage.welcomes import SqliteWelcomes

log = logging.getLogger(__name__)

_T = TypeVar("_T")

# Set inside SqlStore.flushed(): the current task's reads and writes do not flush again.
_FLUSHED: ContextVar[bool] = ContextVar("rete_store_flushed", default=False)
# Set inside SqlStore.reading(): the current task reads what is on record without writing
# the activity buffer first (its writes still do); the repositories flush where a read
# would miss something buffered (see SqliteMemberships).
_BESIDE: ContextVar[bool] = ContextVar("rete_store_beside", default=False)
# The groups a reading(chats=...) block wrote the buffered rows of, at its start.
_CHATS: ContextVar[frozenset[int]] = ContextVar("rete_store_chats", default=frozenset())
# Set once a reading() block wrote the offered thanks (a block with thanks=False does not).
_THANKS: ContextVar[bool] = ContextVar("rete_store_thanks", default=False)

BUSY_TIMEOUT_MS = 5000
# Commits between two checkpoints of SQLite's write-ahead log, run in the background on a
# connection of their own (SqliteStore._checkpoint). SQLite's own checkpoint runs inside
# the COMMIT that takes the log past 1,000 pages: amid a busy stream that COMMIT took 10-36
# ms instead of under 1, and every command reading behind it waited as long.
CHECKPOINT_EVERY = 32
# Pages in the log past which a checkpoint copies what the commits beside it added with the
# writes held, so that the next commit starts the log over: a PASSIVE checkpoint that commits
# overlap leaves the log never wholly copied when the next one begins, and it then only grew
# (18 MB over 2,000 commits back to back). SQLite's own checkpoint runs at 1,000 pages. Amid
# a stream of 500 updates/s (≈ 1,350 pages a second) that pass took ≈ 10 ms with every write
# waiting (traced inside /meet): at 4,000 pages it runs every 3 s or so instead of every
# checkpoint, and the log stays under ≈ 6,000 pages (24 MB of 4 KB pages).
RESTART_AT = 4000
# Counted messages kept in memory before an early flush (the app also flushes every second).
# Well above what one second brings at full speed (≈ 9,000 here), so that only a burst
# makes the update path wait for a flush; 20,000 buffered messages take a few MB.
FLUSH_AT = 20_000
# Counted messages between two turns of the event loop given to the background writers.
YIELD_EVERY = 32
# Message authors are kept this long (for reactions to, and replies to, older messages).
AUTHORS_KEPT_DAYS = 30

# How each table that belongs to a chat moves when a group becomes a supergroup. Every
# table with a chat_id column must appear here (a test checks it): a missing one would
# lose that table's rows when the old chat row is deleted.
CHAT_MERGES: dict[str, str] = {
    # Settings the admins made in the old group win.
    "chat_settings": """
        INSERT INTO chat_settings (chat_id, key, value)
        SELECT :new, key, value FROM chat_settings WHERE chat_id = :old
        ON CONFLICT (chat_id, key) DO UPDATE SET value = excluded.value
    """,
    "memberships": """
        INSERT INTO memberships (chat_id, member_id, status, first_seen, last_seen,
                                 joined_at, left_at)
        SELECT :new, member_id, status, first_seen, last_seen, joined_at, left_at
        FROM memberships WHERE chat_id = :old
        ON CONFLICT (chat_id, member_id) DO UPDATE SET
            first_seen = min(first_seen, excluded.first_seen),
            last_seen = max(last_seen, excluded.last_seen),
            joined_at = coalesce(min(joined_at, excluded.joined_at), joined_at,
                                 excluded.joined_at)
    """,
    "activity_daily": """
        INSERT INTO activity_daily (chat_id, member_id, day, messages)
        SELECT :new, member_id, day, messages FROM activity_daily WHERE chat_id = :old
        ON CONFLICT (chat_id, day, member_id) DO UPDATE
        SET messages = messages + excluded.messages
    """,
    # Message ids start again from 1 in the supergroup, so the old group's ids name nothing
    # there: who wrote them is forgotten (kept, a reaction to the supergroup's message 5
    # would credit the author of the old group's message 5, and a new message would look
    # like one counted already).
    "message_authors": "DELETE FROM message_authors WHERE chat_id = :old",
    # Credits move as an older generation of the chat's message ids (see migration 9): a
    # thanks for a new message never meets the credit of an old one with the same id.
    # (A row whose key the new chat already holds stays behind and goes with the old chat:
    # each UPDATE skips it with a NOT EXISTS guard, SQLite's UPDATE OR IGNORE written
    # portably.)
    "credits": """
        UPDATE credits SET chat_id = :new, generation = generation + 1
        WHERE chat_id = :old AND NOT EXISTS (
            SELECT 1 FROM credits o WHERE o.chat_id = :new AND o.giver_id = credits.giver_id
              AND o.receiver_id = credits.receiver_id AND o.message_id = credits.message_id
              AND o.generation = credits.generation + 1)
    """,
    "quota_notices": """
        UPDATE quota_notices SET chat_id = :new
        WHERE chat_id = :old AND NOT EXISTS (
            SELECT 1 FROM quota_notices o WHERE o.chat_id = :new
              AND o.member_id = quota_notices.member_id AND o.day = quota_notices.day)
    """,
    # Slots already run in the old group stay run in the supergroup.
    "schedule_runs": """
        UPDATE schedule_runs SET chat_id = :new
        WHERE chat_id = :old AND NOT EXISTS (
            SELECT 1 FROM schedule_runs o WHERE o.chat_id = :new
              AND o.job = schedule_runs.job AND o.slot = schedule_runs.slot)
    """,
    "chat_admins": """
        UPDATE chat_admins SET chat_id = :new
        WHERE chat_id = :old AND NOT EXISTS (
            SELECT 1 FROM chat_admins o WHERE o.chat_id = :new
              AND o.member_id = chat_admins.member_id)
    """,
    # The deck, suggestions and post history move; message ids start afresh in the
    # supergroup, so old posts forget theirs (nobody can reply to them any more).
    "prompts": "UPDATE prompts SET chat_id = :new WHERE chat_id = :old",
    "prompt_suggestions": "UPDATE prompt_suggestions SET chat_id = :new WHERE chat_id = :old",
    # The day's suggestions made in the old group count in the supergroup.
    "suggestion_days": """
        INSERT INTO suggestion_days (chat_id, day, used)
        SELECT :new, day, used FROM suggestion_days WHERE chat_id = :old
        ON CONFLICT (chat_id, day) DO UPDATE SET used = used + excluded.used
    """,
    "prompt_posts": """
        UPDATE prompt_posts SET chat_id = :new, message_id = NULL, pinned = 0
        WHERE chat_id = :old
    """,
    # A recap posted in the old group counts as posted in the supergroup.
    "recaps": """
        UPDATE recaps SET chat_id = :new
        WHERE chat_id = :old AND NOT (kind = 'scheduled' AND EXISTS (
            SELECT 1 FROM recaps o WHERE o.chat_id = :new AND o.kind = 'scheduled'
              AND o.week = recaps.week))
    """,
    # Introductions: the member's choice made in the old group wins over none.
    "intro_optins": """
        INSERT OR IGNORE INTO intro_optins (chat_id, member_id, status, paused_until,
                                            pause_reason, joined_at, updated_at)
        SELECT :new, member_id, status, paused_until, pause_reason, joined_at, updated_at
        FROM intro_optins WHERE chat_id = :old
    """,
    "intro_rounds": """
        UPDATE intro_rounds SET chat_id = :new
        WHERE chat_id = :old AND NOT EXISTS (
            SELECT 1 FROM intro_rounds o WHERE o.chat_id = :new AND o.slot = intro_rounds.slot)
    """,
    "intros": "UPDATE intros SET chat_id = :new WHERE chat_id = :old",
    # Who was welcomed in the old group was welcomed in the supergroup.
    # The searches' index of the supergroup is built again; the old group's goes with it.
    "holder_marks": MERGE_MARKS,
    "holder_changes": MERGE_CHANGES,
    "welcomes": """
        UPDATE welcomes SET chat_id = :new
        WHERE chat_id = :old AND NOT EXISTS (
            SELECT 1 FROM welcomes o WHERE o.chat_id = :new AND o.member_id = welcomes.member_id)
    """,
    # Asks and the connections they made (storage/asks.py).
    **ASK_CHAT_MERGES,
    # Ties: reminders and "we talked" logs (storage/ties.py).
    **TIE_MERGES,
}

# What a member can export: every table that names a member (a test checks it is complete).
MEMBER_EXPORTS: dict[str, str] = {
    "memberships": """
        SELECT m.chat_id, c.title AS chat_title, m.status, m.first_seen, m.last_seen,
               m.joined_at, m.left_at
        FROM memberships m JOIN chats c ON c.id = m.chat_id
        WHERE m.member_id = :member ORDER BY m.first_seen
    """,
    "activity_daily": """
        SELECT chat_id, day, messages FROM activity_daily
        WHERE member_id = :member ORDER BY chat_id, day
    """,
    "message_authors": """
        SELECT chat_id, message_id, sent_at FROM message_authors
        WHERE member_id = :member ORDER BY chat_id, message_id
    """,
    # Thanks given and received (and voided, for an admin).
    "credits": """
        SELECT chat_id, created_at, giver_id, receiver_id, message_id, by_command, by_words,
               by_reaction, counted, not_counted_why, reason, voided_at, voided_by
        FROM credits
        WHERE giver_id = :member OR receiver_id = :member OR voided_by = :member
        ORDER BY created_at, id
    """,
    "quota_notices": """
        SELECT chat_id, day FROM quota_notices WHERE member_id = :member ORDER BY day
    """,
    "chat_admins": """
        SELECT chat_id, seen_at FROM chat_admins WHERE member_id = :member ORDER BY chat_id
    """,
    "prompts": """
        SELECT chat_id, text, created_at, CAST(added_by = :member AS INTEGER) AS added,
               CAST(suggested_by = :member AS INTEGER) AS suggested
        FROM prompts WHERE added_by = :member OR suggested_by = :member ORDER BY id
    """,
    "prompt_suggestions": """
        SELECT chat_id, text, status, created_at, decided_at,
               CAST(decided_by = :member AS INTEGER) AS decided
        FROM prompt_suggestions WHERE member_id = :member OR decided_by = :member ORDER BY id
    """,
    "prompt_replies": """
        SELECT p.chat_id, p.posted_at FROM prompt_replies r
        JOIN prompt_posts p ON p.id = r.post_id
        WHERE r.member_id = :member ORDER BY p.posted_at
    """,
    # Introductions: profile tags, opt-ins, the private never-list, every introduction
    # (with why, the answers and the follow-up's outcome) and the ones they arranged.
    "member_tags": """
        SELECT kind, tag, added_at FROM member_tags WHERE member_id = :member
        ORDER BY kind, tag
    """,
    "intro_optins": """
        SELECT chat_id, status, paused_until, pause_reason, joined_at, updated_at
        FROM intro_optins WHERE member_id = :member ORDER BY chat_id
    """,
    # When the member last changed what the searches see, per group (storage.holders).
    "holder_changes": """
        SELECT chat_id, generation FROM holder_changes WHERE member_id = :member
        ORDER BY chat_id
    """,
    "intro_never": """
        SELECT other_id, added_at FROM intro_never WHERE member_id = :member ORDER BY added_at
    """,
    "intro_members": """
        SELECT i.id AS intro_id, i.chat_id, i.kind, i.status, i.created_at,
               (SELECT json_group_array(o.member_id) FROM intro_members o
                WHERE o.intro_id = i.id AND o.member_id != :member) AS partners,
               im.reasons,
               -- why each partner was introduced to them: partners' reasons name the member
               (SELECT json_group_object(o.member_id, json(json_extract(o.reasons, :path)))
                FROM intro_members o
                WHERE o.intro_id = i.id AND o.member_id != :member
                  AND json_extract(o.reasons, :path) IS NOT NULL) AS partner_reasons,
               im.dm_state, im.accepted, im.answer, im.answered_at, im.outcome, im.outcome_at
        FROM intro_members im JOIN intros i ON i.id = im.intro_id
        WHERE im.member_id = :member ORDER BY i.created_at, i.id
    """,
    "intros": """
        SELECT id AS intro_id, chat_id, kind, status, note, created_at FROM intros
        WHERE initiator_id = :member ORDER BY created_at, id
    """,
    # When they joined each group and whether Rete welcomed them there.
    "welcomes": """
        SELECT chat_id, joined_at, state, sent_at FROM welcomes
        WHERE member_id = :member ORDER BY joined_at, chat_id
    """,
    # Asks: their texts, the private messages they sent, offers, connections, choices.
    **ASK_EXPORTS,
    # Ties: their reminders, "we talked" logs and the monthly note (storage/ties.py).
    **TIE_EXPORTS,
}


Params = Sequence[Any] | dict[str, Any]


class StorageError(Exception):
    """The database cannot be used as it is; the message says why."""


def _system_now() -> datetime:
    return datetime.now(UTC)


def split_statements(script: str) -> list[str]:
    """Split an SQL script into complete statements (so they can run in one transaction)."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        raise StorageError(f"incomplete SQL statement in migration: {buffer.strip()[:80]}")
    return statements


class SqlStore:
    """An open Rete database with its repositories, whichever engine holds it.

    The repositories are written once, against this class: they run statements on the
    connection ``transaction()`` and ``raw_transaction()`` yield (aiosqlite's, or the
    PostgreSQL adapter with the same surface in ``storage.postgres``) and read through
    ``query()``. An engine supplies those, its migrations and its backup.
    """

    # Where a member's key sits in JSON objects keyed by member id, as this engine spells it.
    key_path = staticmethod(sqlite_key_path)
    # True when this process is the only one writing the database (SQLite): what only it
    # can claim may then be claimed in memory (storage.updates). An engine shared by
    # several instances leaves it False.
    one_writer = False

    def __init__(self, clock: Now | None = None) -> None:
        # Every timestamp the store writes by itself (added_at, updated_at, ...) comes from
        # the application's clock; a store opened without one (tools) uses the real time.
        self.clock: Now = clock or _system_now
        # One connection serves handlers and jobs; the lock keeps one coroutine's
        # transaction from interleaving with another's statements.
        self._lock = asyncio.Lock()
        self.chats = SqliteChats(self)
        self.members = SqliteMembers(self)
        self.memberships = SqliteMemberships(self)
        self.ledger = SqliteLedger(self)
        self.schedule = SqliteSchedule(self)
        self.admins = SqliteAdmins(self)
        self.prompts = SqlitePrompts(self)
        self.recaps = SqliteRecaps(self)
        self.intros = SqliteIntros(self)
        self.welcomes = SqliteWelcomes(self)
        self.asks = SqliteAsks(self)
        self.updates = UpdateClaims(self, one_writer=self.one_writer)
        self.locks = WorkLocks(self)
        self.ties = SqlTies(self)

    def now(self) -> str:
        """Return the clock's current time as the database stores it."""
        return _ts(self.clock())

    async def close(self) -> None:
        """Write what is still buffered, then close the database."""
        await self.flush()
        await self.updates.close()
        async with self._lock:
            await self._close()

    async def _close(self) -> None:
        raise NotImplementedError

    async def flush(self) -> int:
        """Write buffered activity counters, offered thanks and update claims.

        Return how many messages were written.
        """
        written = await self.flush_for_reads()
        await self.updates.flush()
        return written

    async def flush_for_reads(self) -> int:
        """Write what a read or a transaction may refer to: the buffered counters, chats,
        members and joins, and the offered thanks; return how many messages were written.

        Not the update claims: no read needs them (the claims themselves are in memory on
        SQLite, committed one by one on PostgreSQL except the deferred ones, which only the
        activity flush uses), and writing them before a command's reads was one more write
        transaction in its way. The periodic flush and ``close`` write them.
        """
        written = await self.memberships.flush()
        await self.ledger.flush()
        return written

    async def schema_version(self) -> int:
        """Return the schema version recorded in the database."""
        raise NotImplementedError

    async def migrate(self, migrations: Sequence[Migration] | None = None) -> list[int]:
        """Apply pending migrations in order, each in its own transaction; return those applied."""
        raise NotImplementedError

    def raw_transaction(self) -> contextlib.AbstractAsyncContextManager[Any]:
        """A write transaction that does not flush first (for the flush itself)."""
        raise NotImplementedError

    async def query(self, sql: str, params: Params = ()) -> Iterable[Any]:
        """Run a read query as the database stands (no flush first)."""
        raise NotImplementedError

    async def try_advisory_lock(self, key: str) -> bool:
        """Take the lock named ``key`` for this instance if free (see storage.locks)."""
        raise NotImplementedError

    async def advisory_unlock(self, key: str) -> None:
        """Let the lock named ``key`` go."""
        raise NotImplementedError

    async def serialize(self, conn: Any, keys: Iterable[str]) -> None:
        """Make transactions of other instances that name one of ``keys`` wait for this one.

        Called first thing inside a transaction (``conn``), for a rule judged from what the
        database holds (the ledger's daily quota and pair cap): a second instance judging
        the same giver waits until this transaction commits, then sees what it wrote. With
        one writer (SQLite) the store's own lock already orders transactions: nothing to do.
        """

    async def search(self, sql: str, params: Params = ()) -> Iterable[Any]:
        """Run a long read query (/whoknows, /meet over a big group) after flushing buffered
        counters. SQLite reads it on a connection of its own; a server engine, whose
        readers never wait for its writers, on the usual one."""
        if not (_FLUSHED.get() or _BESIDE.get()):
            await self.flush_for_reads()
        return await self.query(sql, params)

    async def backup(self, target: Path) -> None:
        """Write a consistent online copy to ``target``."""
        raise NotImplementedError

    @contextlib.asynccontextmanager
    async def transaction(
        self, *, changes_chats: Iterable[int] | None = None
    ) -> AsyncIterator[Any]:
        """Run the block as one write transaction: all of it or none of it.

        Buffered counters are written first, so the block sees (and can refer to) every
        chat and member counted so far; inside ``flushed()``, those counted when that block
        began; inside ``reading(chats=...)``, those of its groups and the members on record.
        Cached chats are forgotten afterwards: those in ``changes_chats`` when the caller
        knows which, else all of them.
        """
        if not (_FLUSHED.get() or _CHATS.get()):
            await self.flush_for_reads()
        try:
            async with self.raw_transaction() as conn:
                yield conn
        finally:
            if changes_chats is None:
                self.chats.forget()
            else:
                # None of them (``changes_chats=[]``) forgets none: forget() alone is all.
                changed = tuple(changes_chats)
                if changed:
                    self.chats.forget(*changed)

    async def fetchone(self, sql: str, params: Params = ()) -> Any:
        """Run a read query (after flushing buffered counters) and return its first row."""
        rows = await self.fetchall(sql, params)
        return next(iter(rows), None)

    async def fetchall(self, sql: str, params: Params = ()) -> Iterable[Any]:
        """Run a read query after flushing buffered counters, so it sees everything."""
        if not (_FLUSHED.get() or _BESIDE.get()):
            await self.flush_for_reads()
        return await self.query(sql, params)

    @staticmethod
    def beside_buffer() -> bool:
        """True inside ``reading()``: a read here does not see the activity buffer."""
        return _BESIDE.get() and not _FLUSHED.get()

    async def flush_if(self, buffered: bool) -> None:
        """Inside ``reading()``, write the activity buffer if ``buffered`` says a read needs
        something in it (from then on every read of the block sees it)."""
        if buffered and self.beside_buffer():
            await self.flush_for_reads()
            _FLUSHED.set(True)

    @contextlib.asynccontextmanager
    async def flushed(self) -> AsyncIterator[None]:
        """Flush once; this task's reads and transactions in the block skip their own flush.

        For a command that reads several times in a row (/profile), or reads and then writes
        (/meet): each would write the activity buffer first, one more write transaction per
        call amid a busy stream. They see what was buffered when the block began; a block
        inside another one (the holder index's, inside /whoknows) flushes no more.
        """
        if _FLUSHED.get():
            yield
            return
        await self.flush_for_reads()
        token = _FLUSHED.set(True)
        try:
            yield
        finally:
            _FLUSHED.reset(token)

    @contextlib.asynccontextmanager
    async def reading(
        self, *, chats: Iterable[int] = (), thanks: bool = True
    ) -> AsyncIterator[None]:
        """For a command that reads (/helpers, /profile, the searches): read what is on
        record, beside the writes, without writing the whole activity buffer first.

        The offered thanks are written first (credits are what these commands show),
        unless ``thanks`` is False: a block that reads no credits (the holder index,
        /whoknows) does not wait for that write; a block inside it that does read them
        writes them. The activity buffer is not: amid a busy stream it is a second of
        everyone's counters, and writing it was most of such a command's time. What it
        holds that a read would miss, the repositories look for in it and write first
        when they find it (a join or a leave, a member or a membership not on record yet,
        a username that changed hands: SqliteMemberships, SqliteMembers); a counter or a
        new name is shown as on record, at most one flush interval old. On SQLite the
        reads go to a connection of their own, which never waits for a write in progress
        (WAL).

        ``chats``: groups the block reads as a whole (a search over one: who is in it,
        who was seen lately). Their buffered rows are written first, and only theirs. The
        block's writes then refer to those groups and to members on record, and do not
        write the rest of the buffer either; without ``chats`` they do, as always.
        """
        if _FLUSHED.get():
            yield
            return
        written = _CHATS.get()
        needed = frozenset(chats) - written
        credits = thanks and not _THANKS.get()
        if _BESIDE.get() and not needed and not credits:
            yield
            return
        if credits:
            await self.ledger.flush()
        if needed:
            await self.memberships.flush_chats(needed)
        beside = _BESIDE.set(True)
        groups = _CHATS.set(written | needed)
        thanked = _THANKS.set(_THANKS.get() or credits)
        # flush_if may mark the block flushed: that ends with the block, too.
        flushed = _FLUSHED.set(False)
        try:
            yield
        finally:
            _FLUSHED.reset(flushed)
            _THANKS.reset(thanked)
            _CHATS.reset(groups)
            _BESIDE.reset(beside)


class SqliteStore(SqlStore):
    """The SQLite engine: one file, WAL, foreign keys, every call off the event loop."""

    # One `rete run` per SQLite file: nobody else writes it.
    one_writer = True

    def __init__(self, conn: aiosqlite.Connection, path: Path, clock: Now | None = None) -> None:
        super().__init__(clock)
        self._conn = conn
        self.path = path
        # Searches over a big group (see search) read on a connection of their own, and
        # the reads of reading() blocks on another one (they must not wait for a search).
        self._reader: aiosqlite.Connection | None = None
        self._reader_lock = asyncio.Lock()
        self._beside: aiosqlite.Connection | None = None
        self._beside_lock = asyncio.Lock()
        # The log's checkpoints run beside the writes, on a connection of their own.
        self._commits = 0
        self._checkpointer: aiosqlite.Connection | None = None
        self._checkpointing: asyncio.Task[None] | None = None
        self._closing = False

    @classmethod
    async def open(
        cls,
        path: str | Path,
        migrations: Sequence[Migration] | None = None,
        clock: Now | None = None,
    ) -> SqliteStore:
        """Open (creating if needed) the database at ``path`` and bring its schema up to date."""
        path = Path(path)
        if path.parent and not path.parent.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
        conn = await aiosqlite.connect(path, isolation_level=None)
        conn.row_factory = aiosqlite.Row
        try:
            await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            mode = await (await conn.execute("PRAGMA journal_mode = WAL")).fetchone()
            if mode is None or str(mode[0]).lower() != "wal":
                log.warning("SQLite did not switch %s to WAL mode", path)
            # NORMAL is durable against a crash of the process (WAL); only a power loss
            # can drop the last transactions.
            await conn.execute("PRAGMA synchronous = NORMAL")
            await conn.execute("PRAGMA foreign_keys = ON")
            # No checkpoint inside a COMMIT: the store runs them beside the writes.
            await conn.execute("PRAGMA wal_autocheckpoint = 0")
            store = cls(conn, path, clock)
            await store.migrate(migrations)
        except BaseException:
            await conn.close()
            raise
        return store

    async def close(self) -> None:
        # No checkpoint starts, nor waits for the store's lock, once closing has begun
        # (_close holds that lock while it waits for the one running).
        self._closing = True
        await super().close()

    async def _close(self) -> None:
        if self._checkpointing is not None:
            await asyncio.gather(self._checkpointing, return_exceptions=True)
            self._checkpointing = None
        if self._checkpointer is not None:
            await self._checkpointer.close()
            self._checkpointer = None
        async with self._reader_lock:
            if self._reader is not None:
                await self._reader.close()
                self._reader = None
        async with self._beside_lock:
            if self._beside is not None:
                await self._beside.close()
                self._beside = None
        # Closing the last connection checkpoints the whole log into the file.
        await self._conn.close()

    async def _side_connection(self, *, reader: bool = False) -> aiosqlite.Connection:
        """A second connection to the file (searches, reads beside the writes, checkpoints),
        on a thread of its own; ``reader``: one that only reads, rows by name."""
        conn = await aiosqlite.connect(self.path, isolation_level=None)
        await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if reader:
            conn.row_factory = aiosqlite.Row
            await conn.execute("PRAGMA query_only = ON")
        return conn

    def _committed(self) -> None:
        """Count a commit; every CHECKPOINT_EVERY, checkpoint the log in the background."""
        self._commits += 1
        if self._commits < CHECKPOINT_EVERY or self._checkpointing is not None or self._closing:
            return
        self._commits = 0
        self._checkpointing = asyncio.get_running_loop().create_task(
            self._checkpoint(), name="sqlite-checkpoint"
        )

    async def _checkpoint(self) -> None:
        """Copy the log's committed pages into the database file beside the writes.

        PASSIVE: it copies what no reader still needs and leaves the rest for the next one;
        the writer goes on meanwhile (a write-ahead log's writers and its checkpoint do not
        wait for each other). The log restarts from its beginning only once all of it was
        copied, which commits beside the copy prevent: past RESTART_AT pages a second pass
        copies what they added with the store's lock held (writes wait for that moment).
        """
        try:
            if self._checkpointer is None:
                self._checkpointer = await self._side_connection()
            checkpointer = self._checkpointer
            rows = await checkpointer.execute_fetchall("PRAGMA wal_checkpoint(PASSIVE)")
            log_pages = next(iter(rows))[1]
            if log_pages >= RESTART_AT and not self._closing:
                # Only the pages committed while the first pass ran are left: quick.
                async with self._lock:
                    await checkpointer.execute("PRAGMA wal_checkpoint(PASSIVE)")
        except sqlite3.Error as error:
            # The next one tries again; meanwhile the log only grows.
            log.warning("SQLite checkpoint of %s failed: %s", self.path.name, error)
        finally:
            self._checkpointing = None

    async def schema_version(self) -> int:
        """Return ``PRAGMA user_version``."""
        rows = await self.query("PRAGMA user_version")
        row = next(iter(rows), None)
        return int(row[0]) if row else 0

    async def migrate(self, migrations: Sequence[Migration] | None = None) -> list[int]:
        """Apply pending migrations in order, each in its own transaction; return those applied."""
        steps = list(migrations) if migrations is not None else list(MIGRATIONS)
        latest = steps[-1].version if steps else 0
        current = await self.schema_version()
        if current > latest:
            raise StorageError(
                f"{self.path} has schema version {current}, newer than this Rete knows "
                f"({latest}): upgrade Rete, or restore a backup made by this version"
            )
        applied: list[int] = []
        for step in steps:
            if step.version <= current:
                continue
            async with self.transaction() as conn:
                # Re-read inside the write lock: another process may have migrated meanwhile.
                row = await (await conn.execute("PRAGMA user_version")).fetchone()
                if row is not None and int(row[0]) >= step.version:
                    continue
                for statement in split_statements(step.sql):
                    await conn.execute(statement)
                await conn.execute(f"PRAGMA user_version = {int(step.version)}")
            log.info("Database migrated to version %d (%s)", step.version, step.name)
            applied.append(step.version)
        return applied

    @contextlib.asynccontextmanager
    async def raw_transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """A write transaction that does not flush first (for the flush itself)."""
        async with self._lock:
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                await self._conn.execute("ROLLBACK")
                raise
            else:
                await self._conn.execute("COMMIT")
                self._committed()

    async def query(self, sql: str, params: Params = ()) -> Iterable[aiosqlite.Row]:
        """Run a read query as the database stands (one hop to the database thread).

        Inside ``reading()``, on a connection of its own: it reads what is committed and
        does not wait for a write in progress on the store's connection.
        """
        if _BESIDE.get() and not self._closing:
            async with self._beside_lock:
                if self._beside is None:
                    self._beside = await self._side_connection(reader=True)
                return await self._beside.execute_fetchall(sql, params)
        async with self._lock:
            return await self._conn.execute_fetchall(sql, params)

    async def search(self, sql: str, params: Params = ()) -> Iterable[aiosqlite.Row]:
        """Run a long read query (after flushing buffered counters) on a connection of its own.

        A search over a 50,000-member group (/whoknows, /meet) keeps SQLite busy for a
        tenth of a second: on the one connection every write (the activity flush, credits)
        and every other read would queue behind it. In WAL mode a second connection reads
        what is committed while the first one writes.
        """
        if not (_FLUSHED.get() or _BESIDE.get()):
            await self.flush_for_reads()
        async with self._reader_lock:
            if self._reader is None:
                self._reader = await self._side_connection(reader=True)
            return await self._reader.execute_fetchall(sql, params)

    async def backup(self, target: Path) -> None:
        """Write a consistent online copy to ``target`` with SQLite's backup API."""
        async with self._lock:
            await _backup(self._conn, Path(target))


async def _backup(source: aiosqlite.Connection, target: Path) -> None:
    # Copy into a side file and rename it, so a failed backup never leaves a half file.
    partial = target.with_name(target.name + ".partial")
    await asyncio.to_thread(partial.unlink, missing_ok=True)
    # The copy runs on aiosqlite's worker thread, hence check_same_thread=False.
    destination = await asyncio.to_thread(sqlite3.connect, partial, check_same_thread=False)
    try:
        await source.backup(destination)
    finally:
        await asyncio.to_thread(destination.close)
    await asyncio.to_thread(partial.replace, target)


def _readonly_uri(source: Path) -> str:
    if not source.is_file():
        raise StorageError(f"no database at {source}")
    return f"{source.resolve().as_uri()}?mode=ro"


async def backup_database(source: str | Path, target: Path) -> None:
    """Copy the database file ``source`` to ``target`` while the bot may be running.

    A PostgreSQL database is refused: pg_dump is the tool for it (the message says how).
    """
    if is_postgres_url(source):
        from storage.postgres import BACKUP_HELP

        raise StorageError(BACKUP_HELP)
    uri = await asyncio.to_thread(_readonly_uri, sqlite_path(source))
    # Read-only: a backup must never migrate or otherwise change the live database.
    conn = await aiosqlite.connect(uri, uri=True)
    try:
        await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        await _backup(conn, Path(target))
    finally:
        await conn.close()


async def _upsert_chat(conn: aiosqlite.Connection, info: ChatInfo, now: str) -> None:
    await conn.execute(
        """
        INSERT INTO chats (id, type, title, username, is_forum, added_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET
            type = excluded.type, title = excluded.title, username = excluded.username,
            is_forum = excluded.is_forum, updated_at = excluded.updated_at
        WHERE type IS NOT excluded.type OR title IS NOT excluded.title
           OR username IS NOT excluded.username OR is_forum IS NOT excluded.is_forum
        """,
        (info.id, info.type, info.title, info.username, int(info.is_forum), now, now),
    )


# Several instances (PostgreSQL): another one may change a chat's settings (an admin's
# button, a command) or create it, which this one's cache would not see; a cached chat, or
# a chat found missing, is read again once it is this old. One writer (SQLite) sees every
# write it makes: no expiry.
CHAT_CACHE_FOR = timedelta(seconds=10)


class SqliteChats:
    """Chats and their settings, in SQLite, cached: every message needs its chat's settings."""

    def __init__(self, store: SqlStore) -> None:
        self._store = store
        self._cache: dict[int, Chat] = {}
        # When each cached chat was read (the store's clock), for CHAT_CACHE_FOR.
        self._read_at: dict[int, datetime] = {}
        # Chats found missing since the last write that can create them, and when: a
        # group first seen in the last second is only in the activity buffer, and every
        # one of its messages would look it up again.
        self._missing: dict[int, datetime] = {}
        # Moved on by every forget: a read that began before one may have read the row as
        # it was before the write, and is not kept (reading() blocks read on a connection
        # of their own, beside the writes).
        self._forgets = 0
        self._chat_forgets: dict[int, int] = {}
        self._missing_forgets = 0

    def forget(self, *chat_ids: int) -> None:
        """Drop cached chats (all of them when no id is given) after a write."""
        if not chat_ids:
            self._cache.clear()
            self._read_at.clear()
            self._forgets += 1
            self.forget_missing()
        for chat_id in chat_ids:
            self._cache.pop(chat_id, None)
            self._read_at.pop(chat_id, None)
            self._missing.pop(chat_id, None)
            self._chat_forgets[chat_id] = self._chat_forgets.get(chat_id, 0) + 1

    def forget_missing(self) -> None:
        """Look chats found missing up again (a batch that may have created them was written)."""
        self._missing.clear()
        self._missing_forgets += 1

    def forget_changed(self, infos: Iterable[ChatInfo]) -> None:
        """Drop cached chats whose title, type or username Telegram now reports differently."""
        for info in infos:
            cached = self._cache.get(info.id)
            if cached is not None and (
                cached.title,
                cached.type,
                cached.username,
                cached.is_forum,
            ) != (info.title, info.type, info.username, info.is_forum):
                self.forget(info.id)

    def _fresh(self, read_at: datetime, now: datetime) -> bool:
        """True if what was read at ``read_at`` may still be used (see CHAT_CACHE_FOR).

        A clock that went back (the system's, stepped) makes nothing fresher than it was.
        """
        return self._store.one_writer or timedelta(0) <= now - read_at < CHAT_CACHE_FOR

    async def get(self, chat_id: int) -> Chat | None:
        """Return the chat with its settings, or None."""
        now = self._store.clock()
        cached = self._cache.get(chat_id)
        if cached is not None and self._fresh(self._read_at[chat_id], now):
            return cached
        missing_at = self._missing.get(chat_id)
        if missing_at is not None and self._fresh(missing_at, now):
            return None
        before = (self._forgets, self._chat_forgets.get(chat_id, 0))
        missing_before = self._missing_forgets
        chat = await self._load(chat_id)
        if before != (self._forgets, self._chat_forgets.get(chat_id, 0)):
            return chat  # forgotten meanwhile: possibly read before that write; not kept
        if chat is not None:
            if chat == cached:
                chat = cached  # unchanged: the same object (callers cache what they derive)
            self._cache[chat_id] = chat
            self._read_at[chat_id] = now
        elif missing_before == self._missing_forgets:
            self._missing[chat_id] = now
        return chat

    async def _load(self, chat_id: int) -> Chat | None:
        rows = await self._store.query(
            """
            SELECT c.*, (SELECT json_group_object(key, json(value)) FROM chat_settings s
                         WHERE s.chat_id = c.id) AS settings_json
            FROM chats c WHERE c.id = ?
            """,
            (chat_id,),
        )
        row = next(iter(rows), None)
        if row is None:
            return None
        return Chat(
            id=row["id"],
            type=row["type"],
            title=row["title"],
            username=row["username"],
            is_forum=bool(row["is_forum"]),
            active=bool(row["active"]),
            bot_status=row["bot_status"],
            privacy_warned=bool(row["privacy_warned"]),
            added_at=datetime.fromisoformat(row["added_at"]),
            settings=json.loads(row["settings_json"] or "{}"),
        )

    async def seen(self, info: ChatInfo) -> Chat:
        """Create or refresh the group; return it. A private chat or a channel is refused."""
        if not info.is_group:
            raise ValueError(f"chat {info.id} is a {info.type}, not a group: not recorded")
        async with self._store.transaction() as conn:
            await _upsert_chat(conn, info, self._store.now())
        chat = await self.get(info.id)
        assert chat is not None
        return chat

    async def set_bot_status(self, chat_id: int, status: str, *, active: bool) -> None:
        """Record the bot's status in the chat and whether it may post there.

        Back in a group it had been removed from, Rete counts as joined now (``added_at``):
        it saw nothing while away, so recaps neither cover nor compare with those weeks.
        """
        now = self._store.now()
        async with self._store.transaction() as conn:
            await conn.execute(
                """
                UPDATE chats SET bot_status = ?,
                    added_at = CASE WHEN active = 0 AND ? = 1 THEN ? ELSE added_at END,
                    active = ?, updated_at = ?
                WHERE id = ?
                """,
                (status, int(active), now, int(active), now, chat_id),
            )

    async def set_active(self, chat_id: int, active: bool) -> None:
        """Mark whether the bot may post in the chat."""
        async with self._store.transaction() as conn:
            await conn.execute(
                "UPDATE chats SET active = ?, updated_at = ? WHERE id = ?",
                (int(active), self._store.now(), chat_id),
            )

    async def mark_privacy_warned(self, chat_id: int) -> bool:
        """Record the privacy warning; False if it had been posted before."""
        async with self._store.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE chats SET privacy_warned = 1 WHERE id = ? AND privacy_warned = 0",
                (chat_id,),
            )
            return cursor.rowcount > 0

    async def set_setting(self, chat_id: int, key: str, value: Any) -> None:
        """Store one setting as JSON; None restores the default."""
        async with self._store.transaction() as conn:
            if value is None:
                await conn.execute(
                    "DELETE FROM chat_settings WHERE chat_id = ? AND key = ?", (chat_id, key)
                )
            else:
                await conn.execute(
                    """
                    INSERT INTO chat_settings (chat_id, key, value) VALUES (?, ?, ?)
                    ON CONFLICT (chat_id, key) DO UPDATE SET value = excluded.value
                    """,
                    (chat_id, key, json.dumps(value)),
                )

    async def migrate(self, old_id: int, new_id: int) -> bool:
        """Move the chat and everything that belongs to it to its new id, in one transaction."""
        if old_id == new_id:
            return False
        await self._store.flush()
        self._store.memberships.forget_marks(old_id, new_id)
        params = {"old": old_id, "new": new_id, "now": self._store.now()}
        async with self._store.transaction() as conn:
            cursor = await conn.execute("SELECT 1 FROM chats WHERE id = :old", params)
            if await cursor.fetchone() is None:
                return False
            await conn.execute(
                """
                INSERT INTO chats (id, type, title, username, is_forum, active, bot_status,
                                   privacy_warned, last_message_id, added_at, updated_at)
                SELECT :new, 'supergroup', title, username, is_forum, active, bot_status,
                       privacy_warned, NULL, added_at, :now
                FROM chats WHERE id = :old
                ON CONFLICT (id) DO UPDATE SET
                    privacy_warned = max(privacy_warned, excluded.privacy_warned),
                    added_at = min(added_at, excluded.added_at),
                    updated_at = excluded.updated_at
                """,
                params,
            )
            for statement in CHAT_MERGES.values():
                await conn.execute(statement, params)
            await conn.execute("DELETE FROM chats WHERE id = :old", params)
        log.info("Chat %s migrated to %s", old_id, new_id)
        return True

    async def list_active(self) -> list[Chat]:
        """Return the chats the bot may post in."""
        rows = await self._store.fetchall("SELECT id FROM chats WHERE active = 1 ORDER BY id")
        chats = [await self.get(row["id"]) for row in rows]
        return [chat for chat in chats if chat is not None]


def _member(row: aiosqlite.Row) -> Member:
    return Member(
        id=row["id"],
        first_name=row["first_name"],
        last_name=row["last_name"],
        username=row["username"],
        language_code=row["language_code"],
        dm_reachable=bool(row["dm_reachable"]),
        hidden=bool(row["hidden"]),
        first_seen=datetime.fromisoformat(row["first_seen"]),
    )


class SqliteMembers:
    """Members, in SQLite."""

    def __init__(self, store: SqlStore) -> None:
        self._store = store

    async def get(self, member_id: int) -> Member | None:
        """Return the member, or None.

        Inside ``reading()``, a member found only in the activity buffer is written first;
        one on record is returned as recorded (a new name shows after the next flush).
        """
        store = self._store
        query = "SELECT * FROM members WHERE id = ?"
        row = await store.memberships.settled(lambda: store.fetchone(query, (member_id,)))
        if row is None and store.beside_buffer() and store.memberships.member_buffered(member_id):
            await store.flush_if(True)
            row = await store.fetchone(query, (member_id,))
        return _member(row) if row else None

    async def get_many(self, member_ids: Sequence[int]) -> dict[int, Member]:
        """Return the members Rete knows among these ids, by id (one query for all)."""
        ids = list(dict.fromkeys(member_ids))
        if not ids:
            return {}
        marks = ", ".join("?" for _ in ids)
        rows = await self._store.fetchall(f"SELECT * FROM members WHERE id IN ({marks})", ids)
        return {row["id"]: _member(row) for row in rows}

    async def find_by_username(self, username: str) -> Member | None:
        """Return the member who holds this username now (no @, any case), or None.

        Usernames change owner: whoever is seen with one takes it from the members Rete
        had recorded with it (a trigger, migration 9), so at most one holds it; should two,
        the one seen with it last wins.
        """
        store = self._store
        query = """
            SELECT * FROM members WHERE username = ? COLLATE NOCASE
            ORDER BY updated_at DESC, id DESC LIMIT 1
        """
        name = username.lstrip("@")
        memberships = store.memberships
        row = await memberships.settled(lambda: store.fetchone(query, (name,)))
        # Inside reading(): someone seen with it since the last flush may have taken it,
        # or its holder given it up.
        if store.beside_buffer() and memberships.username_moved(name, row["id"] if row else None):
            await store.flush_if(True)
            row = await store.fetchone(query, (name,))
        return _member(row) if row else None

    async def seen(self, info: MemberInfo) -> None:
        """Create or refresh the member."""
        async with self._store.transaction() as conn:
            await upsert_member(conn, info, self._store.now())

    async def set_reachable(self, member_id: int, reachable: bool) -> None:
        """Record whether DMs to the member can be delivered."""
        async with self._store.transaction() as conn:
            changed = await _differs(conn, "dm_reachable", member_id, reachable)
            await conn.execute(
                """
                UPDATE members SET dm_reachable = ?,
                    dm_started_at = CASE WHEN ? = 1 THEN ? ELSE dm_started_at END,
                    updated_at = ?
                WHERE id = ?
                """,
                (int(reachable), int(reachable), self._store.now(), self._store.now(), member_id),
            )
            if changed:  # every private update says "reachable": most change nothing
                await mark_member(conn, member_id)

    async def set_hidden(self, member_id: int, hidden: bool) -> None:
        """Hide or show the member on leaderboards and recaps."""
        async with self._store.transaction() as conn:
            changed = await _differs(conn, "hidden", member_id, hidden)
            await conn.execute(
                "UPDATE members SET hidden = ?, updated_at = ? WHERE id = ?",
                (int(hidden), self._store.now(), member_id),
            )
            if changed:
                await mark_member(conn, member_id)

    async def export(self, member_id: int) -> dict[str, Any]:
        """Return every row that names the member, grouped by table."""
        row = await self._store.fetchone("SELECT * FROM members WHERE id = ?", (member_id,))
        data: dict[str, Any] = {"member": dict(row) if row else None}
        # :path is the member's key inside JSON objects keyed by member id.
        params = {"member": member_id, "path": self._store.key_path(member_id)}
        for table, query in MEMBER_EXPORTS.items():
            rows = await self._store.fetchall(query, params)
            data[table] = [dict(r) for r in rows]
        return data

    async def delete(self, member_id: int) -> bool:
        """Delete the member and everything that names them, JSON inside others' rows included.

        Foreign keys remove the rows keyed on them (or clear the column, where the row is
        someone else's); introductions also hold them inside their partners' rows, which
        ``forget_member`` cleans. Only others' never-lists keep their id (README, privacy).
        """
        await self._store.flush()
        async with self._store.transaction() as conn:
            # Every group they opted in to builds its search index again (storage.holders);
            # an opt-in elsewhere at the same moment waits for this, or is reset with them.
            await lock_member(conn, member_id)
            await reset_member(conn, member_id)
            await forget_member(
                conn, member_id, self._store.now(), self._store.key_path(member_id)
            )
            await keep_days_of(conn, member_id)
            cursor = await conn.execute("DELETE FROM members WHERE id = ?", (member_id,))
            return cursor.rowcount > 0


def _membership(row: aiosqlite.Row) -> Membership:
    first_seen = _dt(row["first_seen"])
    last_seen = _dt(row["last_seen"])
    assert first_seen is not None
    assert last_seen is not None
    return Membership(
        chat_id=row["chat_id"],
        member_id=row["member_id"],
        status=row["status"],
        first_seen=first_seen,
        last_seen=last_seen,
        joined_at=_dt(row["joined_at"]),
        left_at=_dt(row["left_at"]),
        messages=row["messages"] or 0,
    )


_MEMBERSHIP_QUERY = """
    SELECT m.*, (SELECT sum(a.messages) FROM activity_daily a
                 WHERE a.chat_id = m.chat_id AND a.member_id = m.member_id) AS messages
    FROM memberships m
"""


# Joins and leaves, written at flush time from a JSON array of [chat, member, status,
# first_seen, last_seen, event time] rows, in order.
# Each is idempotent: a join reported twice (service message and chat_member update) or a
# redelivered leave leaves the row as the first report made it.
_JOIN = """
    INSERT INTO memberships (chat_id, member_id, status, first_seen, last_seen, joined_at)
    SELECT CAST(json_extract(value, '$[0]') AS INTEGER),
           CAST(json_extract(value, '$[1]') AS INTEGER),
           json_extract(value, '$[2]'), json_extract(value, '$[3]'),
           json_extract(value, '$[4]'), json_extract(value, '$[5]')
    FROM json_each(?) WHERE true
    ON CONFLICT (chat_id, member_id) DO UPDATE SET
        status = excluded.status, joined_at = excluded.joined_at, left_at = NULL,
        last_seen = max(last_seen, excluded.last_seen)
    WHERE status IN ('left', 'kicked') OR joined_at IS NULL
"""
_LEAVE = """
    INSERT INTO memberships (chat_id, member_id, status, first_seen, last_seen, left_at)
    SELECT CAST(json_extract(value, '$[0]') AS INTEGER),
           CAST(json_extract(value, '$[1]') AS INTEGER),
           json_extract(value, '$[2]'), json_extract(value, '$[3]'),
           json_extract(value, '$[4]'), json_extract(value, '$[5]')
    FROM json_each(?) WHERE true
    ON CONFLICT (chat_id, member_id) DO UPDATE SET
        status = excluded.status, left_at = excluded.left_at
    WHERE status NOT IN ('left', 'kicked')
"""


async def _differs(conn: Any, column: str, member_id: int, value: bool) -> bool:
    """True if the member's flag ``column`` is not ``value`` yet (what a search sees moves).

    The row is locked first (``lock_member``), then read: on PostgreSQL a plain read does
    not wait for another instance's uncommitted change of the row, so it could say "already
    so" just before that instance's commit made it otherwise, and this write would then
    change the flag unmarked (a search's index stale). After the lock, the read sees every
    commit before it.
    """
    await lock_member(conn, member_id)
    cursor = await conn.execute(f"SELECT {column} FROM members WHERE id = ?", (member_id,))
    row = await cursor.fetchone()
    return row is not None and bool(row[0]) != value


def _leaves(pending: PendingActivity) -> list[tuple[int, int]]:
    """Return the (group, member) pairs of the leaves and bans in a flush."""
    return [
        (int(str(params[0])), int(str(params[1])))
        for statement, params in pending.presence
        if statement is _LEAVE
    ]


async def _to_the_end(work: Coroutine[Any, Any, _T]) -> _T:
    """Run a write of the buffer to its end even if the caller is cancelled (a command's
    task, at a restart): aiosqlite runs a COMMIT once it is sent, whatever happens to the
    task that sent it, so rows put back into the buffer after it would count twice."""
    task = asyncio.ensure_future(work)
    # Its failure is the caller's to see; if the caller is gone, it is only logged here.
    task.add_done_callback(_retrieved)
    return await asyncio.shield(task)


def _retrieved(task: asyncio.Future[Any]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.debug("A write of the activity buffer failed: %s", type(task.exception()).__name__)


async def _write_shared(conn: Any, pending: PendingActivity, now: str) -> None:
    """Write a flush on a database other instances write too: count each message once.

    Another instance may have counted a message already (it got a copy of the update, whose
    claim was left to the flush: storage.updates), so the authors go first and only the
    messages this flush recorded first are added to the counters.
    """
    for statement, rows in pending.rows_before_counts(now, ordered=True):
        if rows:
            await conn.executemany(statement, rows)
    authors = pending.author_rows(ordered=True)
    if not authors:
        return
    new = {
        (int(row[0]), int(row[1]))
        for row in await conn.execute_fetchall(FLUSH_NEW_AUTHORS, authors[0])
    }
    counts = pending.activity_rows(new, ordered=True)
    if counts:
        await conn.executemany(FLUSH_ACTIVITY, counts)


class SqliteMemberships:
    """Memberships and activity counters, in SQLite (counters buffered, see storage.activity)."""

    def __init__(self, store: SqlStore) -> None:
        self._store = store
        self._pending = PendingActivity()
        # The batch a flush is writing (empty between flushes): counted, not yet on disk.
        self._writing = PendingActivity()
        # (chat, message) ids at or below their chat's mark being looked up right now.
        self._checking: set[tuple[int, int]] = set()
        # Highest message id counted per chat (None: none yet), loaded once per chat.
        self._marks: dict[int, int | None] = {}
        self._flushing = asyncio.Lock()
        # How many writes of the buffer have committed (see settled).
        self._written = 0
        # The last message time and its stored form: messages come in bursts within a second.
        self._last_at: tuple[datetime, str] | None = None

    async def record_message(
        self, chat: ChatInfo, member: MemberInfo, message_id: int, at: datetime, day: date
    ) -> bool:
        """Count one message of ``member`` in ``chat`` on local ``day``; False if seen before.

        Only groups are counted: a private chat is refused (it must never become a chat row).
        """
        if chat.id not in self._marks:
            if not chat.is_group:
                return False
            rows = await self._store.query(
                "SELECT last_message_id FROM chats WHERE id = ?", (chat.id,)
            )
            row = next(iter(rows), None)
            self._marks.setdefault(chat.id, row[0] if row else None)
        mark = self._marks[chat.id]
        # Message ids grow within a chat: one above the high-water mark is new, at no cost.
        # One at or below it is either a redelivered update (or a replay after a restart),
        # or a message that came late: a webhook delivers updates concurrently, so message
        # 11 can arrive before 10. Only the record of counted messages tells them apart.
        if mark is None or message_id > mark:
            self._marks[chat.id] = message_id
        elif not await self._not_counted_yet(chat.id, message_id):
            return False
        if self._last_at is None or self._last_at[0] != at:
            self._last_at = (at, _ts(at))
        self._pending.add(chat, member, message_id, self._last_at[1], day.isoformat())
        if len(self._pending) >= FLUSH_AT:
            await self.flush()
        elif len(self._pending) % YIELD_EVERY == 0:
            # Counting never suspends, so updates arriving back to back would starve the
            # writers running beside them (this buffer's flush, the ledger's batch, the
            # 🤝) of the event loop, each of whose hand-offs needs a turn of it. (A turn
            # per message while a writer holds the database cost more than it saved.)
            await asyncio.sleep(0)
        return True

    async def _not_counted_yet(self, chat_id: int, message_id: int) -> bool:
        """True if a message at or below its chat's mark was never counted (it came late).

        Counted messages are the message authors: buffered, being written, or on disk (30
        days, far longer than Telegram keeps an update for redelivery).
        """
        key = (chat_id, message_id)
        if key in self._pending.authors or key in self._writing.authors or key in self._checking:
            return False
        # A copy of the same update arriving while this one is looked up is a redelivery.
        self._checking.add(key)
        try:
            rows = await self._store.query(
                "SELECT 1 FROM message_authors WHERE chat_id = ? AND message_id = ?", key
            )
        finally:
            self._checking.discard(key)
        return not rows

    async def flush(self) -> int:
        """Write the buffered counters in one transaction; return how many messages."""
        return await _to_the_end(self._write())

    async def flush_chats(self, chat_ids: Collection[int]) -> int:
        """Write the buffered rows of these chats only (their members' too); the others
        wait for the next flush. Return how many messages.

        For a read of one group amid a busy stream (a search in it): a second of every
        group's counters is several times the rows, and the time, it needs.
        """
        return await _to_the_end(self._write(chat_ids))

    async def _write(self, chat_ids: Collection[int] | None = None) -> int:
        """Take the buffer's rows (those of ``chat_ids`` only, if given) and write them in
        one transaction; on a failure they go back into it."""
        async with self._flushing:
            if chat_ids is None:
                pending, self._pending = self._pending, PendingActivity()
            else:
                pending = self._pending.take(chat_ids)
            return await self._write_taken(pending)

    async def _write_taken(self, pending: PendingActivity) -> int:
        if pending.is_empty():
            return 0
        self._writing = pending
        try:
            async with self._store.raw_transaction() as conn:
                # Rows written again after a failure count only the messages not on
                # record yet, as several writers' do (_write_shared): that failure may
                # have been a cancellation while its COMMIT went through.
                if self._store.one_writer and not pending.rewritten:
                    for statement, rows in pending.rows(self._store.now()):
                        if rows:
                            await conn.executemany(statement, rows)
                else:
                    await _write_shared(conn, pending, self._store.now())
                # A leave or ban takes the member out of the searches (storage.holders).
                await mark_pairs(conn, _leaves(pending))
            self._written += 1
            self._store.chats.forget_changed(pending.chats.values())
            self._store.chats.forget_missing()
        except BaseException:
            # Keep the counters for the next attempt rather than lose them.
            self._pending.absorb(pending)
            raise
        finally:
            self._writing = PendingActivity()
        return len(pending)

    def forget_marks(self, *chat_ids: int) -> None:
        """Drop cached high-water marks (the chat moved); they are reloaded when needed."""
        for chat_id in chat_ids:
            self._marks.pop(chat_id, None)

    async def author_of(self, chat_id: int, message_id: int) -> int | None:
        """Return who wrote a message the bot counted in the last 30 days, or None."""
        pending = self._pending.authors.get((chat_id, message_id))
        if pending is not None:
            return pending[0]
        rows = await self._store.query(
            "SELECT member_id FROM message_authors WHERE chat_id = ? AND message_id = ?",
            (chat_id, message_id),
        )
        row = next(iter(rows), None)
        return int(row[0]) if row else None

    def buffered_author(self, chat_id: int, message_id: int) -> MemberInfo | None:
        """Return who wrote a message counted since the last flush (no database), or None."""
        pending = self._pending.authors.get((chat_id, message_id))
        return self._pending.members[pending[0]] if pending is not None else None

    async def author(self, chat_id: int, message_id: int) -> MemberInfo | None:
        """Return who wrote a message the bot counted in the last 30 days, or None."""
        buffered = self.buffered_author(chat_id, message_id)
        if buffered is not None:
            return buffered
        # Not buffered, so written already (or being written: the lock waits for that).
        rows = await self._store.query(
            """
            SELECT m.id, m.first_name, m.last_name, m.username, m.language_code
            FROM message_authors a JOIN members m ON m.id = a.member_id
            WHERE a.chat_id = ? AND a.message_id = ?
            """,
            (chat_id, message_id),
        )
        row = next(iter(rows), None)
        return MemberInfo(*row) if row else None

    async def prune_authors(self, now: datetime | None = None) -> int:
        """Forget message authors older than AUTHORS_KEPT_DAYS; return how many."""
        cutoff = _ts((now or self._store.clock()) - timedelta(days=AUTHORS_KEPT_DAYS))
        async with self._store.transaction() as conn:
            cursor = await conn.execute("DELETE FROM message_authors WHERE sent_at < ?", (cutoff,))
            return cursor.rowcount

    async def record_seen(self, chat: ChatInfo, member: MemberInfo, at: datetime) -> None:
        """Note that ``member`` is in ``chat`` without counting a message (buffered)."""
        if chat.is_group:
            self._pending.see(chat, member, _ts(at))

    async def record_join(
        self, chat: ChatInfo, member: MemberInfo, at: datetime, *, welcome: bool = False
    ) -> None:
        """Record a join (buffered until the next flush); a second report changes nothing.

        ``welcome`` queues the newcomer's welcome in the same write (storage.welcomes): the
        join and the welcome to come are on disk together, or neither is.
        """
        await self._presence_change(chat, member, _JOIN, "member", _ts(at))
        if welcome and chat.is_group:
            self._pending.welcome(chat, member, _ts(at))

    async def record_leave(
        self, chat: ChatInfo, member: MemberInfo, at: datetime, status: str = "left"
    ) -> None:
        """Record a leave or removal (buffered until the next flush); a repeat changes nothing."""
        await self._presence_change(chat, member, _LEAVE, status, _ts(at))

    async def _presence_change(
        self, chat: ChatInfo, member: MemberInfo, statement: str, status: str, seen: str
    ) -> None:
        if not chat.is_group:
            return  # a private chat is never recorded
        # Buffered with the counters (written within FLUSH_SECONDS, before any read).
        self._pending.change(
            chat, member, statement, (chat.id, member.id, status, seen, seen, seen)
        )

    def _buffers(self) -> tuple[PendingActivity, PendingActivity]:
        """What is counted and not on record yet: being written, then buffered (newer)."""
        return self._writing, self._pending

    async def settled(self, read: Callable[[], Awaitable[_T]]) -> _T:
        """Run ``read`` (inside ``reading()``) and return what it found, read again if a
        write of the buffer committed meanwhile.

        A read beside the writes can start before a flush commits and end after it: the
        flush's rows are then neither in what it read nor in the buffer any more, and a
        look in the buffer after the read would miss them. Read again, the rows are there.
        """
        for _ in range(3):
            written = self._written
            found = await read()
            if written == self._written or not self._store.beside_buffer():
                return found
        # Flushes back to back all the while (once a second: not seen): one more, in order.
        await self._store.flush_if(True)
        return await read()

    def presence_buffered(self, chat_id: int, member_id: int) -> bool:
        """True if a join or leave of the member in the chat is not on record yet."""
        return any(
            params[0] == chat_id and params[1] == member_id
            for buffer in self._buffers()
            for _, params in buffer.presence
        )

    def member_buffered(self, member_id: int) -> bool:
        """True if the member was seen (anywhere) since the last flush."""
        return any(member_id in buffer.members for buffer in self._buffers())

    def username_moved(self, username: str, holder: int | None) -> bool:
        """True if what the buffer holds could give ``username`` (no @, any case) to
        someone other than ``holder``, its holder on record (None: nobody): another member
        seen with it, or the holder seen without it, since the last flush."""
        wanted = username.lstrip("@").casefold()
        for buffer in self._buffers():
            for member in buffer.members.values():
                has_it = member.username is not None and member.username.casefold() == wanted
                if has_it != (member.id == holder):
                    return True
        return False

    def _buffered_membership(self, chat_id: int, member_id: int) -> Membership | None:
        """The membership the next flush will create for a member only seen since the last
        one (no join or leave buffered), read off the buffer; None if not seen."""
        key = (chat_id, member_id)
        spans = [buffer.seen[key] for buffer in self._buffers() if key in buffer.seen]
        if not spans:
            return None
        first_seen = _dt(min(first for first, _ in spans))
        last_seen = _dt(max(last for _, last in spans))
        assert first_seen is not None
        assert last_seen is not None
        messages = sum(
            count
            for buffer in self._buffers()
            for (chat, member, _), count in buffer.activity.items()
            if chat == chat_id and member == member_id
        )
        return Membership(
            chat_id, member_id, "member", first_seen, last_seen, None, None, messages
        )

    async def get(self, chat_id: int, member_id: int) -> Membership | None:
        """Return one membership with its message count.

        Inside ``reading()``: a join or leave not on record yet is written first; a
        membership not on record, only seen since the last flush, is read off the buffer
        as the flush will write it; one on record has the counts on record.
        """
        store = self._store
        await store.flush_if(self.presence_buffered(chat_id, member_id))
        query = _MEMBERSHIP_QUERY + " WHERE m.chat_id = ? AND m.member_id = ?"
        row = await self.settled(lambda: store.fetchone(query, (chat_id, member_id)))
        if row is None and store.beside_buffer():
            return self._buffered_membership(chat_id, member_id)
        return _membership(row) if row else None

    async def for_member(self, member_id: int) -> list[Membership]:
        """Return all memberships of a member."""
        rows = await self._store.fetchall(
            _MEMBERSHIP_QUERY + " WHERE m.member_id = ? ORDER BY m.first_seen", (member_id,)
        )
        return [_membership(row) for row in rows]


async def open_store(
    database: str | Path, clock: Now | None = None, *, wait: bool = False
) -> SqlStore:
    """Open the database ``database`` names, migrated to the latest schema.

    A ``postgresql://`` URL opens PostgreSQL (``wait``: keep trying while the server is
    out of reach, as ``rete run`` does at start); a path, or ``sqlite:<path>``, SQLite.
    """
    store: SqlStore
    if is_postgres_url(database):
        from storage.postgres import PostgresStore

        store = await PostgresStore.open(str(database), clock=clock, wait=wait)
    else:
        store = await SqliteStore.open(sqlite_path(database), clock=clock)
    version = await store.schema_version()
    if version != LATEST_VERSION:
        await store.close()
        raise StorageError(
            f"{safe_url(database)}: schema at version {version}, expected {LATEST_VERSION}"
        )
    return store


__all__ = [
    "CHAT_MERGES",
    "MEMBER_EXPORTS",
    "SqlStore",
    "SqliteStore",
    "StorageError",
    "backup_database",
    "open_store",
]
