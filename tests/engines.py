"""Looking at a database from outside the store, on either engine (for storage tests)."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
from typing import Any

import asyncpg

from storage import SqlStore
from storage.postgres import PostgresStore

# Foreign keys to a table, in the store's own schema.
_PG_REFERENCING = """
    SELECT cl.relname, a.attname FROM pg_constraint c
    JOIN pg_class cl ON cl.oid = c.conrelid
    JOIN pg_class r ON r.oid = c.confrelid
    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
    WHERE c.contype = 'f' AND r.relname = $1
      AND cl.relnamespace = current_schema()::regnamespace
"""


def is_postgres(store: SqlStore) -> bool:
    return isinstance(store, PostgresStore)


async def raw_rows(store: SqlStore, sql: str, params: tuple[Any, ...] = ()) -> list[tuple]:
    """Run a query on a connection of its own: what is on disk, not in the store's buffers."""
    if isinstance(store, PostgresStore):
        text, args, _ = store.dialect.bind(sql, params)
        conn = await asyncpg.connect(store.url)
        try:
            return [tuple(row) for row in await conn.fetch(text, *args)]
        finally:
            await conn.close()
    with sqlite3.connect(store.path) as conn:
        return conn.execute(sql, params).fetchall()


def raw_rows_now(store: SqlStore, sql: str, params: tuple[Any, ...] = ()) -> list[tuple]:
    """raw_rows() from synchronous code running inside the event loop (a fake server's hook)."""
    result: list[list[tuple]] = []

    def look() -> None:
        result.append(asyncio.run(raw_rows(store, sql, params)))

    thread = threading.Thread(target=look)
    thread.start()
    thread.join(timeout=30)
    return result[0]


async def tables_referencing(store: SqlStore, table: str) -> dict[str, set[str]]:
    """Map each table with a foreign key to ``table`` to the referencing columns."""
    found: dict[str, set[str]] = {}
    if isinstance(store, PostgresStore):
        conn = await asyncpg.connect(store.url)
        try:
            for name, column in await conn.fetch(_PG_REFERENCING, table):
                found.setdefault(name, set()).add(column)
        finally:
            await conn.close()
        return found
    with sqlite3.connect(store.path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for name in tables:
            for fk in conn.execute(f"PRAGMA foreign_key_list({name})"):
                if fk[2] == table:
                    found.setdefault(name, set()).add(fk[3])
    return found


async def table_names(store: SqlStore) -> list[str]:
    """Every table of the store's schema (the version table on PostgreSQL included)."""
    if isinstance(store, PostgresStore):
        rows = await store.query(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' "
            "ORDER BY table_name"
        )
        return [row[0] for row in rows]
    rows = await store.query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    )
    return [row[0] for row in rows]


async def dump_tables(store: SqlStore) -> dict[str, list[str]]:
    """Every row of every table, after a flush, in an order-free form (before/after checks)."""
    await store.flush()
    dump = {}
    for name in await table_names(store):
        if name == "handled_updates":
            continue  # every update's id is claimed, a refused one's too: delivery, not state
        rows = await store.fetchall(f'SELECT * FROM "{name}"')
        dump[name] = sorted(json.dumps(dict(row), sort_keys=True) for row in rows)
    return dump


async def crash(store: SqlStore) -> None:
    """Close the store's connection as a dying process would: no flush, no orderly close."""
    if isinstance(store, PostgresStore):
        await store._pg.close()
    else:
        await store._conn.close()  # type: ignore[attr-defined]
