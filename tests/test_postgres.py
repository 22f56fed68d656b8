"""PostgreSQL as an engine: its schema is SQLite's, its errors are one clear line, and a
migration written once runs on both engines. Runs against the server in RETE_TEST_POSTGRES."""

import asyncio
import contextlib
import logging
import re
import sqlite3
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

from bot.settings import Settings
from storage import ChatInfo, MemberInfo, StorageError, open_store
from storage import postgres as pg
from storage.dialect import DialectError, PostgresDialect, translate_ddl
from storage.migrations import LATEST_VERSION, MIGRATIONS, Migration
from storage.postgres import PostgresStore
from storage.postgres_schema import BASELINE_VERSION, VERSION_TABLE
from storage.sqlite import SqliteStore, backup_database
from tests.conftest import skip_without_postgres
from tests.test_cli import start_rete, stop_rete

GROUP = ChatInfo(-1001234567890, "supergroup", "Makers")
ADA = MemberInfo(1, "Ada", None, "ada", "it")


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}", query=""))


# A column as both engines describe it: its name, its kind in SQLite's words, and NOT NULL.
Column = tuple[str, str, bool]
Schema = tuple[dict[str, list[Column]], set[str]]

# PostgreSQL's types for SQLite's: ids are BIGINT, other integers INTEGER (see the baseline).
KINDS = {"bigint": "INTEGER", "integer": "INTEGER", "text": "TEXT", "double precision": "REAL"}


def sqlite_schema(path) -> Schema:
    with sqlite3.connect(path) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        # PRAGMA table_info: (cid, name, type, notnull, default, pk). A key column is NOT
        # NULL in PostgreSQL whatever it says (SQLite lets a rowid table's key hold NULL).
        columns = {
            t: sorted(
                (r[1], r[2].upper(), bool(r[3] or r[5]))
                for r in conn.execute(f"PRAGMA table_info({t})")
            )
            for t in tables
        }
        indexes = {
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            )
        }
    return columns, indexes


async def postgres_schema(url: str) -> tuple[Schema, list[tuple[str, str, str]]]:
    """Return the schema in SQLite's words, and the columns that hold ids but are not BIGINT."""
    conn = await asyncpg.connect(url)
    try:
        columns: dict[str, list[Column]] = {}
        narrow_ids: list[tuple[str, str, str]] = []
        for table, column, kind, nullable in await conn.fetch(
            "SELECT table_name, column_name, data_type, is_nullable "
            "FROM information_schema.columns "
            "WHERE table_schema = current_schema() ORDER BY table_name, column_name"
        ):
            columns.setdefault(table, []).append((column, KINDS.get(kind, kind), nullable == "NO"))
            if re.fullmatch(r"id|\w+_id|\w+_by", column) and kind != "bigint":
                narrow_ids.append((table, column, kind))
        # Indexes made by CREATE INDEX (constraints' own indexes are SQLite's autoindexes).
        indexes = {
            row[0]
            for row in await conn.fetch(
                "SELECT i.indexname FROM pg_indexes i WHERE i.schemaname = current_schema() "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)"
            )
        }
    finally:
        await conn.close()
    return (columns, indexes), narrow_ids


@pytest.mark.parametrize(
    # Every version a database can be at (the numbers need not be consecutive on a branch).
    "version",
    [BASELINE_VERSION, *(m.version for m in MIGRATIONS if m.version > BASELINE_VERSION)],
)
async def test_after_every_migration_the_schema_is_sqlites(version, tmp_path, postgres_schemas):
    """Same tables, columns (kind, NOT NULL) and indexes at the baseline and after every
    later migration (plus the version table and SQLite's rowid); ids BIGINT, text in "C"."""
    steps = tuple(m for m in MIGRATIONS if m.version <= version)
    lite = await SqliteStore.open(tmp_path / "rete.sqlite3", migrations=steps)
    await lite.close()
    url = await postgres_schemas.new()
    store = await PostgresStore.open(url, migrations=steps)
    try:
        assert await store.schema_version() == version
    finally:
        await store.close()
    lite_columns, lite_indexes = sqlite_schema(tmp_path / "rete.sqlite3")
    (pg_columns, pg_indexes), narrow_ids = await postgres_schema(url)
    assert pg_columns.pop(VERSION_TABLE) == [("version", "INTEGER", True)]
    pg_columns["intro_members"].remove(("rowid", "INTEGER", True))
    assert pg_columns == lite_columns
    assert pg_indexes == lite_indexes
    assert narrow_ids == [], "Telegram ids need 64 bits"
    conn = await asyncpg.connect(url)
    try:
        collations = await conn.fetch(
            "SELECT table_name, column_name, collation_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND data_type = 'text'"
        )
    finally:
        await conn.close()
    assert collations
    assert [tuple(r) for r in collations if r[2] != "C"] == [], "text sorts as in SQLite"


async def test_text_sorts_and_folds_as_in_sqlite(database):
    """Bytewise order and ASCII-only lower(), whatever the server's locale."""
    store = await open_store(database)
    try:
        for i, name in enumerate(["bob", "Bob", "Émile", "emile", "Zoe"], start=1):
            await store.members.seen(MemberInfo(i, name))
        rows = await store.fetchall("SELECT first_name, lower(first_name) FROM members ORDER BY 1")
        assert [tuple(r) for r in rows] == [
            ("Bob", "bob"),
            ("Zoe", "zoe"),
            ("bob", "bob"),
            ("emile", "emile"),
            ("Émile", "Émile"),
        ]
    finally:
        await store.close()


async def test_a_database_migrated_by_a_newer_rete_is_refused(postgres_schemas):
    url = await postgres_schemas.new()
    store = await open_store(url)
    await store.close()
    conn = await asyncpg.connect(url)
    await conn.execute(f"UPDATE {VERSION_TABLE} SET version = 99")
    await conn.close()
    with pytest.raises(StorageError, match="schema version 99, newer than this Rete knows"):
        await open_store(url)


async def test_reopening_migrates_nothing_and_keeps_the_data(postgres_schemas):
    url = await postgres_schemas.new()
    store = await open_store(url)
    await store.memberships.record_message(GROUP, ADA, 1, pg_now(), pg_now().date())
    assert await store.migrate() == []
    await store.close()
    store = await open_store(url)
    try:
        assert (await store.memberships.get(GROUP.id, ADA.id)).messages == 1
    finally:
        await store.close()


def pg_now():
    from datetime import UTC, datetime

    return datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


# A migration after the latest: written once, in portable SQL.
NEXT = Migration(
    LATEST_VERSION + 1,
    "a portable test migration",
    """
    ALTER TABLE members ADD COLUMN nickname TEXT;
    -- A new table, with SQLite's row id and an id column.
    CREATE TABLE shoutouts (
        id        INTEGER PRIMARY KEY,
        chat_id   INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
        member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
        score     REAL,
        said_at   TEXT    NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX shoutouts_chat ON shoutouts (chat_id, said_at);
    INSERT INTO shoutouts (chat_id, member_id, said_at)
    SELECT chat_id, member_id, first_seen FROM memberships;
    UPDATE members SET nickname = lower(first_name);
    """,
)


@pytest.mark.parametrize("engine", ["sqlite", "postgres"])
async def test_a_migration_is_written_once_and_runs_on_both(engine, tmp_path, pg_schemas):
    if engine == "sqlite":
        database = str(tmp_path / "rete.sqlite3")
    else:
        skip_without_postgres()
        database = await pg_schemas.new()
    # A SQLite table WITHOUT ROWID needs a declared key: keep the SQL portable by dropping
    # that clause where an INTEGER PRIMARY KEY already is one (SQLite refuses neither).
    migration = Migration(NEXT.version, NEXT.name, NEXT.sql.replace(" WITHOUT ROWID", ""))
    store = await open_store(database)
    await store.memberships.record_message(GROUP, ADA, 1, pg_now(), pg_now().date())
    await store.close()
    store = await type(store).open(
        database if engine == "postgres" else tmp_path / "rete.sqlite3",
        migrations=(*MIGRATIONS, migration),
    )
    try:
        assert await store.schema_version() == NEXT.version
        rows = list(await store.fetchall("SELECT chat_id, member_id FROM shoutouts"))
        assert [tuple(r) for r in rows] == [(GROUP.id, ADA.id)]
        assert (await store.fetchone("SELECT nickname FROM members"))[0] == "ada"
        async with store.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO shoutouts (chat_id, member_id, said_at) VALUES (?, ?, ?)",
                (GROUP.id, ADA.id, "2026-12-02T10:00:00+00:00"),
            )
            assert cursor.lastrowid == 2
    finally:
        await store.close()


async def test_a_failed_migration_leaves_the_database_as_it_was(postgres_schemas):
    url = await postgres_schemas.new()
    broken = Migration(
        LATEST_VERSION + 1, "broken", "CREATE TABLE half_done (x INTEGER); SELECT nonsense;"
    )
    with pytest.raises(pg.DatabaseError, match="UndefinedColumnError"):
        await PostgresStore.open(url, migrations=(*MIGRATIONS, broken))
    store = await open_store(url)
    try:
        assert await store.schema_version() == LATEST_VERSION
        assert await store.fetchone("SELECT to_regclass('half_done')") == (None,)
    finally:
        await store.close()


async def test_an_unreachable_server_is_one_line_naming_host_and_port():
    with pytest.raises(StorageError) as caught:
        await open_store("postgresql://postgres@127.0.0.1:1/rete")
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("cannot reach PostgreSQL at 127.0.0.1:1 (")


async def test_at_start_an_unreachable_server_is_waited_for_with_backoff(monkeypatch, caplog):
    monkeypatch.setattr(pg, "FIRST_WAIT", 0.01)
    caplog.set_level(logging.WARNING, logger="storage.postgres")
    task = asyncio.ensure_future(open_store("postgresql://postgres@127.0.0.1:1/rete", wait=True))
    for _ in range(200):
        await asyncio.sleep(0.02)
        if len(caplog.records) >= 3:
            break
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) >= 3, lines
    assert all(line.startswith("Cannot reach PostgreSQL at 127.0.0.1:1 (") for line in lines)
    assert [line.rsplit("again in ", 1)[1] for line in lines[:3]] == ["0.01 s", "0.02 s", "0.04 s"]


async def test_wrong_credentials_are_one_clear_line():
    base = skip_without_postgres()
    parts = urlsplit(base)
    url = urlunsplit(
        parts._replace(netloc=f"no_such_rete_user@{parts.hostname}:{parts.port or 5432}")
    )
    with pytest.raises(StorageError) as caught:
        await open_store(url)
    message = str(caught.value)
    assert "\n" not in message
    assert "refused user 'no_such_rete_user'" in message
    assert "check the user and password" in message


async def test_a_missing_database_is_one_clear_line():
    url = with_database(skip_without_postgres(), "no_such_rete_database")
    with pytest.raises(StorageError, match="has no database 'no_such_rete_database'"):
        await open_store(url)


async def test_backup_points_at_pg_dump(tmp_path):
    with pytest.raises(StorageError, match="pg_dump"):
        await backup_database("postgresql://postgres@127.0.0.1/rete", tmp_path / "copy")


def test_the_settings_choose_the_engine_and_never_print_a_password():
    settings = Settings(database="postgresql://rete:s3cret@db.example.org:5433/rete")
    assert settings.masked()["database"] == "postgresql://rete:***@db.example.org:5433/rete"
    assert Settings(database="sqlite:///srv/rete.sqlite3").database == "sqlite:///srv/rete.sqlite3"
    with pytest.raises(ValueError, match="unknown database URL scheme 'mysql'"):
        Settings(database="mysql://rete@db/rete")


async def test_sqlite_urls_open_the_file(tmp_path):
    store = await open_store(f"sqlite://{tmp_path}/rete.sqlite3")
    await store.close()
    assert (tmp_path / "rete.sqlite3").is_file()


def test_the_dialect_translates_what_differs_and_refuses_what_it_cannot():
    dialect = PostgresDialect()
    text, args, rows = dialect.bind(
        "SELECT max(a, ?), min(b), x IS NOT 'y' FROM t WHERE u = ? COLLATE NOCASE AND +c > ?",
        (1, "Ada", None),
    )
    assert text == (
        "SELECT GREATEST(a, $1::bigint), min(b), x IS DISTINCT FROM 'y' FROM t "
        "WHERE lower(u) = lower($2::text) AND c > NULL"
    )
    assert (args, rows) == ([1, "Ada"], True)
    text, args, rows = dialect.bind(
        "INSERT OR IGNORE INTO q (a) VALUES (:a) -- a comment with a ? in it", {"a": 5}
    )
    assert text.split() == [
        "INSERT",
        "INTO",
        "q",
        "(a)",
        "VALUES",
        "($1::bigint)",
        "ON",
        "CONFLICT",
        "DO",
        "NOTHING",
    ]
    assert not rows
    text, _, _ = dialect.bind("SELECT 1 -- the partners' reasons\nFROM t WHERE a = ?", (2,))
    assert text.split() == ["SELECT", "1", "FROM", "t", "WHERE", "a", "=", "$1::bigint"]
    with pytest.raises(DialectError, match="UPDATE OR IGNORE"):
        dialect.bind("UPDATE OR IGNORE t SET a = 1")
    with pytest.raises(DialectError):
        dialect.bind("PRAGMA user_version")


async def test_a_failing_statement_never_repeats_the_row_in_its_error(database):
    """PostgreSQL's DETAIL names the row ("Failing row contains ..."): the log must not."""
    store = await open_store(database)
    try:
        with pytest.raises(Exception) as caught:  # noqa: PT011 - each engine has its own
            async with store.transaction() as conn:
                await conn.execute(
                    "INSERT INTO members (id, first_name, first_seen, updated_at) "
                    "VALUES (?, ?, NULL, NULL)",
                    (7, "Secretname"),
                )
        assert "Secretname" not in str(caught.value)
        assert "first_seen" in str(caught.value) or "NOT NULL" in str(caught.value)
    finally:
        await store.close()


async def test_rete_run_refuses_wrong_credentials_in_one_line(tmp_path, telegram):
    base = skip_without_postgres()
    parts = urlsplit(base)
    url = urlunsplit(
        parts._replace(netloc=f"no_such_rete_user@{parts.hostname}:{parts.port or 5432}")
    )
    process = await start_rete(tmp_path, telegram, RETE_DATABASE=url)
    _, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 2
    last = err.decode().strip().splitlines()[-1]
    assert last.startswith("rete: PostgreSQL at ")
    assert "refused user 'no_such_rete_user'" in last


async def test_rete_run_on_postgresql_polls_and_stops_cleanly(
    tmp_path, telegram, postgres_schemas
):
    url = await postgres_schemas.new()
    process = await start_rete(tmp_path, telegram, RETE_DATABASE=url)
    await telegram.wait_for(lambda: telegram.calls_to("getUpdates"), timeout=30)
    output = await stop_rete(process)
    assert "Database created at version 10 (baseline)" in output


def test_migration_ddl_is_translated_for_postgresql():
    ddl = translate_ddl(
        "CREATE TABLE asks (id INTEGER PRIMARY KEY, chat_id INTEGER NOT NULL, "
        "solved_by INTEGER, tries INTEGER NOT NULL DEFAULT 0, weight REAL, "
        "note TEXT -- what they asked, in their words\n) WITHOUT ROWID"
    )
    assert " ".join(ddl.split()) == (
        "CREATE TABLE asks (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
        "chat_id BIGINT NOT NULL, solved_by BIGINT, tries INTEGER NOT NULL DEFAULT 0, "
        'weight DOUBLE PRECISION, note TEXT COLLATE "C" )'
    )


async def test_a_lost_connection_is_made_again_and_nothing_buffered_is_lost(postgres_schemas):
    url = await postgres_schemas.new()
    store = await open_store(url)
    try:
        await store.memberships.record_message(GROUP, ADA, 1, pg_now(), pg_now().date())
        await store.flush()
        pid = store._pg.get_server_pid()
        await store.memberships.record_message(GROUP, ADA, 2, pg_now(), pg_now().date())
        # The server drops the connection in the middle of a transaction (as a restart does).
        with pytest.raises(StorageError, match="lost the connection to PostgreSQL at"):
            async with store.raw_transaction() as conn:
                await conn.execute("SELECT pg_terminate_backend(pg_backend_pid())")
        # The next use connects again; the buffered message is written then, once.
        assert (await store.memberships.get(GROUP.id, ADA.id)).messages == 2
        assert store._pg.get_server_pid() != pid
        admin = await asyncpg.connect(url)
        await admin.execute("SELECT pg_terminate_backend($1)", store._pg.get_server_pid())
        await admin.close()
        await store.memberships.record_message(GROUP, ADA, 3, pg_now(), pg_now().date())
        # The loss may be seen by this flush (which then fails) or before it.
        with contextlib.suppress(StorageError):
            await store.flush()
        assert (await store.memberships.get(GROUP.id, ADA.id)).messages == 3
    finally:
        await store.close()
