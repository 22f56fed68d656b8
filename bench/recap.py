"""How long the weekly recap takes to compute: the busiest group, and all of them.

Builds a database like a large Rete instance (1,000 groups of Zipf-skewed traffic, 50,000
members, 1,000,000 activity_daily rows and 1,000,000 credits over 120 days) with bulk
``executemany`` inserts, then times what a recap computes: every aggregate
(``store.recaps.week_numbers``), assembling the facts and rendering the text. The chart is
timed on its own (it is drawn off the event loop). With ``--without-indexes`` the indexes
of migration 7 are dropped first, to show what they are for.

With ``--database postgresql://…`` the same data set is built in SQLite (``--source``: once,
then reused), copied into a fresh schema of that server by the project's own ``rete
migrate-to`` path (``storage.port.copy_to_postgres``: COPY, row counts checked), analysed,
and the recaps are timed there; the schema is dropped afterwards.

    python -m bench.recap                         # build and time
    python -m bench.recap --without-indexes       # the same without migration 7's indexes
    python -m bench.recap --database postgresql://postgres@127.0.0.1/test --source /tmp/r.sqlite3
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.i18n import Catalog
from bot.recap import RecapWindow, assemble, chart_labels, render, render_chart, week_before
from storage import SqliteStore
from storage.location import is_postgres_url
from storage.recap import gather_optional
from storage.sqlite import SqlStore, open_store

ZONE = ZoneInfo("Europe/Rome")
RECAP_DAY = date(2026, 11, 23)  # a Monday: the recap covers 16–22 November
DAYS = 120
INDEXES = ("credits_chat_day", "memberships_chat_joined")


def _ts(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def build(path: Path, groups: int, members: int, activity: int, credits: int, seed: int) -> int:
    """Fill a migrated database at ``path``; return the busiest group's id."""
    rng = random.Random(seed)
    first_day = RECAP_DAY - timedelta(days=DAYS)
    days = [first_day + timedelta(days=n) for n in range(DAYS)]
    weights = [1 / (rank + 1) for rank in range(groups)]  # Zipf, exponent 1
    total = sum(weights)
    shares = [w / total for w in weights]
    chat_ids = [-1_000_000_000_000 - n for n in range(groups)]
    now = _ts(datetime(2026, 11, 23, tzinfo=UTC))
    # Every minute of every local day as stored (UTC ISO): formatting 2M datetimes is slow.
    stamps = [
        [
            _ts(datetime.combine(day, datetime.min.time(), tzinfo=ZONE) + timedelta(minutes=m))
            for m in range(0, 24 * 60, 7)
        ]
        for day in days
    ]

    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA foreign_keys = OFF")
    # Indexes are built after loading (one sort each), not maintained row by row.
    indexes = [
        (name, sql)
        for name, sql in conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        )
    ]
    for name, _ in indexes:
        conn.execute(f"DROP INDEX {name}")
    with conn:
        conn.executemany(
            "INSERT INTO chats (id, type, title, added_at, updated_at) VALUES (?, ?, ?, ?, ?)",
            [(cid, "supergroup", f"Group {n}", now, now) for n, cid in enumerate(chat_ids)],
        )
        conn.executemany(
            """
            INSERT INTO members (id, first_name, last_name, hidden, first_seen, updated_at)
            VALUES (?, ?, ?, ?, ?, ?)
            """,
            [
                (m, f"Member {m}", "Rossi" if m % 3 else None, int(m % 50 == 0), now, now)
                for m in range(1, members + 1)
            ],
        )
    message_id = 0
    for n, cid in enumerate(chat_ids):
        rows = max(1, round(activity * shares[n]))
        per_day = max(1, rows // DAYS)
        # Small groups are not active every day: their rows fall on some days only.
        active_days = days if rows >= DAYS else sorted(rng.sample(days, rows))
        pool = rng.sample(range(1, members + 1), min(members, max(30, per_day * 3)))
        memberships = []
        for member in pool:
            joined = rng.choice(stamps[rng.randrange(DAYS)])
            memberships.append((cid, member, "member", joined, now, joined))
        activity_rows = [
            (cid, member, day.isoformat(), rng.randint(1, 12))
            for day in active_days
            for member in rng.sample(pool, min(per_day, len(pool)))
        ]
        credit_rows = []
        for _ in range(max(1, round(credits * shares[n]))):
            giver, receiver = rng.sample(pool, 2)
            day_index = rng.randrange(DAYS)
            day = days[day_index]
            moment = rng.choice(stamps[day_index])
            message_id += 1
            credit_rows.append(
                (
                    cid,
                    message_id,
                    giver,
                    receiver,
                    int(rng.random() < 0.9),
                    "grazie per la dritta" if rng.random() < 0.2 else None,
                    day.isoformat(),
                    moment,
                    moment if rng.random() < 0.01 else None,
                )
            )
        with conn:
            conn.executemany(
                """
                INSERT INTO memberships (chat_id, member_id, status, first_seen, last_seen,
                                         joined_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
                memberships,
            )
            conn.executemany(
                "INSERT INTO activity_daily (chat_id, member_id, day, messages) "
                "VALUES (?, ?, ?, ?)",
                activity_rows,
            )
            conn.executemany(
                """
                INSERT INTO credits (chat_id, message_id, giver_id, receiver_id, by_command,
                                     counted, reason, local_day, created_at, voided_at)
                VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?)
                """,
                credit_rows,
            )
    with conn:
        for _, sql in indexes:
            conn.execute(sql)
    conn.execute("ANALYZE")
    conn.close()
    return chat_ids[0]


async def one_recap(store: SqlStore, catalog: Catalog, chat_id: int, window: RecapWindow) -> str:
    """Compute one recap as the scheduled job does, up to the text (no chart, no sending)."""
    span = window.span
    numbers = await store.recaps.week_numbers(chat_id, span)
    optional = await gather_optional(
        store, chat_id, span, [newcomer.member_id for newcomer in numbers.newcomers]
    )
    facts = assemble(window, numbers, optional)
    return render(facts, catalog, "it", f"Group {chat_id}")


async def measure(database: str | Path, busiest: int, repeats: int) -> dict[str, float]:
    """Time the busiest group's recap (median), all groups' recaps, and one chart."""
    store = await open_store(database)
    catalog = Catalog()
    window = week_before(RECAP_DAY, ZONE)
    try:
        await one_recap(store, catalog, busiest, window)  # warm the page cache
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            await one_recap(store, catalog, busiest, window)
            times.append(time.perf_counter() - start)
        chat_ids = [int(r[0]) for r in await store.query("SELECT id FROM chats ORDER BY id")]
        start = time.perf_counter()
        for chat_id in chat_ids:
            await one_recap(store, catalog, chat_id, window)
        all_groups = time.perf_counter() - start
        facts = assemble(window, await store.recaps.week_numbers(busiest, window.span))
        labels = chart_labels(catalog, "it")
        render_chart(facts, labels)  # first call pays matplotlib's import
        start = time.perf_counter()
        render_chart(facts, labels)
        chart = time.perf_counter() - start
        rows = {
            table: int(next(iter(await store.query(f"SELECT count(*) FROM {table}")))[0])
            for table in ("activity_daily", "credits", "memberships", "members")
        }
        busiest_rows = int(
            next(
                iter(
                    await store.query(
                        "SELECT count(*) FROM activity_daily WHERE chat_id = ?", (busiest,)
                    )
                )
            )[0]
        )
    finally:
        await store.close()
    return {
        "busiest_ms": statistics.median(times) * 1000,
        "busiest_best_ms": min(times) * 1000,
        "all_s": all_groups,
        "chart_ms": chart * 1000,
        "groups": len(chat_ids),
        "busiest_activity_rows": busiest_rows,
        **{f"rows_{k}": v for k, v in rows.items()},
    }


def main(argv: list[str] | None = None) -> int:
    """Build the database, time the recaps, print the results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--groups", type=int, default=1_000)
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--activity", type=int, default=1_000_000)
    parser.add_argument("--credits", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=21)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--without-indexes", action="store_true")
    parser.add_argument(
        "--database",
        help="an SQLite file (built once, reused on later runs), or postgresql://… "
        "(a fresh schema there, copied from the SQLite build)",
    )
    parser.add_argument(
        "--source",
        type=Path,
        help="with a PostgreSQL --database: the SQLite build to copy (built once, reused)",
    )
    args = parser.parse_args(argv)
    postgres = args.database if args.database and is_postgres_url(args.database) else None
    if postgres and args.without_indexes:
        parser.error("--without-indexes: SQLite only")
    load = os.getloadavg()
    with tempfile.TemporaryDirectory() as folder:
        if postgres:
            path = args.source or Path(folder) / "recap-bench.sqlite3"
        else:
            path = Path(args.database) if args.database else Path(folder) / "recap-bench.sqlite3"
        reuse = (args.source if postgres else args.database) is not None
        start = time.perf_counter()
        if reuse and path.exists():
            with sqlite3.connect(path) as conn:
                busiest = int(conn.execute("SELECT max(id) FROM chats").fetchone()[0])
        else:
            asyncio.run(_migrate(path))
            busiest = build(
                path, args.groups, args.members, args.activity, args.credits, args.seed
            )
        built = time.perf_counter() - start
        if args.without_indexes:
            # On a copy: a database kept with --database stays as migrations made it.
            copy = Path(folder) / "without-indexes.sqlite3"
            shutil.copyfile(path, copy)
            path = copy
            with sqlite3.connect(path) as conn:
                for index in INDEXES:
                    conn.execute(f"DROP INDEX {index}")
        if postgres:
            result = asyncio.run(measure_postgres(path, postgres, busiest, args.repeats))
        else:
            result = asyncio.run(measure(path, busiest, args.repeats))
    print(f"built in {built:.1f} s: {result}")
    print(f"load average {load[0]:.1f} before, {os.getloadavg()[0]:.1f} after (2 cores)")
    print(
        f"busiest group ({result['busiest_activity_rows']:,} activity rows): "
        f"{result['busiest_ms']:.1f} ms median of {args.repeats} "
        f"(best {result['busiest_best_ms']:.1f} ms); "
        f"all {result['groups']:,} groups: {result['all_s']:.2f} s; "
        f"chart: {result['chart_ms']:.0f} ms"
    )
    return 0


@contextlib.asynccontextmanager
async def fresh_schema(url: str) -> AsyncIterator[str]:
    """A new, empty schema on the server at ``url`` (dropped afterwards); yield its URL."""
    import asyncpg

    schema = f"bench_recap_{uuid.uuid4().hex[:12]}"
    conn = await asyncpg.connect(url)
    await conn.execute(f"CREATE SCHEMA {schema}")
    try:
        joiner = "&" if "?" in url else "?"
        yield f"{url}{joiner}search_path={schema}"
    finally:
        await conn.execute(f"DROP SCHEMA {schema} CASCADE")
        await conn.close()


async def measure_postgres(source: Path, url: str, busiest: int, repeats: int) -> dict[str, float]:
    """Copy the SQLite build into a fresh schema (rete migrate-to's path), then measure."""
    import asyncpg

    from storage.port import copy_to_postgres

    async with fresh_schema(url) as database:
        start = time.perf_counter()
        copied = await copy_to_postgres(source, database)
        conn = await asyncpg.connect(database)
        try:
            # What autovacuum would have done on a server that had these rows for a while.
            await conn.execute("VACUUM ANALYZE")
        finally:
            await conn.close()
        loaded = time.perf_counter() - start
        print(
            f"copied {sum(copied.values()):,} rows into PostgreSQL and analysed them "
            f"in {loaded:.1f} s"
        )
        return await measure(database, busiest, repeats)


async def _migrate(path: Path) -> None:
    store = await SqliteStore.open(path)
    await store.close()


if __name__ == "__main__":
    sys.exit(main())
