"""Copy an SQLite database into an empty PostgreSQL one (``rete migrate-to``).

The SQLite file is first brought to the latest schema (as ``rete run`` would), the target
gets the same schema, then every table is copied in foreign-key order inside one
PostgreSQL transaction with COPY, and the row counts of both are compared before it
commits: a copy is whole and checked, or nothing is written. Ids are kept, and the
generated ids continue after the highest copied one.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from storage.location import safe_url
from storage.migrations import MIGRATIONS
from storage.postgres import PostgresStore, connect
from storage.postgres_schema import BASELINE, BASELINE_VERSION, VERSION_TABLE
from storage.sqlite import SqliteStore, StorageError


def _tables_in_creation_order() -> tuple[str, ...]:
    """Return the tables the baseline and every later migration leave, in creation order.

    A table is created after those it refers to, so this is also foreign-key order.
    """
    later = [m.sql for m in MIGRATIONS if m.version > BASELINE_VERSION]
    tables: list[str] = []
    for script in (BASELINE, *later):
        for create, drop, old, new in re.findall(
            r"(?i)CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)|DROP\s+TABLE\s+"
            r"(?:IF\s+EXISTS\s+)?(\w+)|ALTER\s+TABLE\s+(\w+)\s+RENAME\s+TO\s+(\w+)",
            script,
        ):
            if create and create not in tables:
                tables.append(create)
            elif drop in tables:
                tables.remove(drop)
            elif old in tables:
                tables[tables.index(old)] = new
    return tuple(name for name in tables if name != VERSION_TABLE)


# Every table of the latest schema, each after the tables it refers to.
TABLES: tuple[str, ...] = _tables_in_creation_order()


async def copy_to_postgres(source: Path, url: str) -> dict[str, int]:
    """Copy the SQLite database ``source`` into the empty database at ``url``.

    Return the rows copied per table. Refused (StorageError, nothing written) when the
    target already has tables, or when any count differs after the copy.
    """
    if not await asyncio.to_thread(Path(source).is_file):
        raise StorageError(f"no database at {source}")
    conn = await connect(url)
    try:
        existing = await conn.fetch(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() ORDER BY table_name"
        )
    finally:
        await conn.close()
    if existing:
        names = ", ".join(row[0] for row in existing[:5])
        more = f" and {len(existing) - 5} more" if len(existing) > 5 else ""
        raise StorageError(
            f"{safe_url(url)} is not empty ({len(existing)} tables: {names}{more}): "
            "migrate-to copies only into an empty database"
        )
    lite = await SqliteStore.open(source)
    try:
        await lite.flush()
        target = await PostgresStore.open(url)
        try:
            return await _copy(lite, target)
        finally:
            await target.close()
    finally:
        await lite.close()


async def _copy(lite: SqliteStore, target: PostgresStore) -> dict[str, int]:
    lite_tables = {
        row[0]
        for row in await lite.query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    }
    unknown = lite_tables - set(TABLES)
    if unknown:
        raise StorageError(f"tables this Rete does not know: {', '.join(sorted(unknown))}")
    pg = target._pg
    copied: dict[str, int] = {}
    async with target._lock, pg.transaction():
        # The look at the start saw no tables, but another migrate-to or a `rete run` on the
        # same database may have made and filled them since: lock them against writers
        # until the copy commits, and look again.
        await pg.execute(f"LOCK TABLE {', '.join(TABLES)} IN EXCLUSIVE MODE")
        filled = [t for t in TABLES if await pg.fetchval(f"SELECT EXISTS (SELECT 1 FROM {t})")]
        if filled:
            raise StorageError(
                f"{target.path} is not empty (rows in {', '.join(filled[:5])}"
                f"{' and more' if len(filled) > 5 else ''}, written since migrate-to "
                "started): migrate-to copies only into an empty database"
            )
        for table in TABLES:
            types = {
                row[0]: row[1]
                for row in await pg.fetch(
                    "SELECT column_name, data_type FROM information_schema.columns "
                    "WHERE table_schema = current_schema() AND table_name = $1",
                    table,
                )
            }
            columns = [row[1] for row in await lite.query(f"PRAGMA table_info({table})")]
            if table == "intro_members":
                columns.append("rowid")  # the insertion order some queries sort by
            missing = set(columns) - set(types)
            if missing:
                raise StorageError(f"{table}: columns missing on PostgreSQL: {sorted(missing)}")
            rows = await lite.query(f"SELECT {', '.join(columns)} FROM {table}")
            records = [_record(row, columns, types) for row in rows]
            if records:
                await pg.copy_records_to_table(table, records=records, columns=columns)
            copied[table] = len(records)
            for column in ("id", "rowid"):
                if column in types and column in columns:
                    await pg.execute(
                        f"SELECT setval(pg_get_serial_sequence($1, $2), "
                        f"coalesce((SELECT max({column}) FROM {table}), 0) + 1, false)",
                        table,
                        column,
                    )
        counts = {
            table: int(await pg.fetchval(f"SELECT count(*) FROM {table}")) for table in TABLES
        }
        source = await _counts(lite, TABLES)
        if counts != source:
            differ = [f"{t}: {source[t]} → {counts[t]}" for t in TABLES if counts[t] != source[t]]
            raise StorageError(f"row counts differ after the copy ({'; '.join(differ)})")
    return copied


def _record(row: Any, columns: Sequence[str], types: dict[str, str]) -> tuple[Any, ...]:
    values = []
    for column, value in zip(columns, row, strict=True):
        kind = types[column]
        if value is not None and kind == "double precision":
            value = float(value)
        elif value is not None and kind in ("bigint", "integer"):
            value = int(value)
        elif value is not None and kind == "text" and not isinstance(value, str):
            value = str(value)
        values.append(value)
    return tuple(values)


async def _counts(store: SqliteStore, tables: Sequence[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for table in tables:
        rows = list(await store.query(f"SELECT count(*) FROM {table}"))
        counts[table] = int(rows[0][0])
    return counts
