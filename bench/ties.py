"""Ties: /network for a member with 500 ties, and the daily reminder sweep over a big instance.

Builds an SQLite database like a large Rete instance: 50 groups, 50,000 members and
1,000,000 ties (1,000,000 counted credits between distinct pairs of members of a group,
over 120 days), plus one member with 500 ties (credits both ways, 50 introductions, a few
"we talked") and 100,000 keep-in-touch reminders (two per member; about half due on the
sweep's day, and a third of those with a newer interaction, so the sweep moves them
instead of sending). Then it times:

- ``/network``: ``handlers.network.view.page_view`` for the member with 500 ties (the
  derivation, ordering, names, dates and the keyboard), best and median of 20;
- the sweep: ``handlers.network.reminders.sweep_group`` for every group, as the daily
  slots run it, with a sender that records instead of DMing: the process's CPU time, the
  wall time, and the longest the event loop was held (a 1 ms ticker runs beside it).

    python -m bench.ties                  # build and time (a few minutes to build)
    python -m bench.ties --quick          # 5,000 members, 100,000 ties, 5 groups
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import sqlite3
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.app import freeze_startup
from bot.chat_settings import effective
from bot.i18n import Catalog
from bot.settings import Settings
from handlers.network.reminders import sweep_group
from handlers.network.view import page_view
from storage import SqliteStore
from storage.ties import DueReminder

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
DAYS = 120
HEAVY = 1  # the member with 500 ties


def _ts(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def build(path: Path, groups: int, members: int, ties: int, seed: int) -> list[int]:
    """Fill a migrated database at ``path``; return the group ids."""
    rng = random.Random(seed)
    chat_ids = [-1_000_000_000_000 - n for n in range(groups)]
    stamps = [_ts(NOW - timedelta(minutes=7 * n)) for n in range(DAYS * 24 * 60 // 7)]
    now = _ts(NOW)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA foreign_keys = OFF")
    indexes = list(
        conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        )
    )
    for name, _ in indexes:
        conn.execute(f"DROP INDEX {name}")
    group_of = {m: chat_ids[m % groups] for m in range(1, members + 1)}
    by_group: dict[int, list[int]] = {}
    for m, chat in group_of.items():
        by_group.setdefault(chat, []).append(m)
    with conn:
        conn.executemany(
            "INSERT INTO chats (id, type, title, added_at, updated_at) VALUES (?, ?, ?, ?, ?)",
            [(cid, "supergroup", f"Group {n}", now, now) for n, cid in enumerate(chat_ids)],
        )
        conn.executemany(
            "INSERT INTO members (id, first_name, language_code, dm_reachable, first_seen, "
            "updated_at) VALUES (?, ?, ?, 1, ?, ?)",
            [(m, f"Member {m}", "it" if m % 2 else "en", now, now) for m in group_of],
        )
        conn.executemany(
            "INSERT INTO memberships (chat_id, member_id, first_seen, last_seen) "
            "VALUES (?, ?, ?, ?)",
            [(chat, m, now, now) for m, chat in group_of.items()],
        )
        heavy_group = group_of[HEAVY]
        heavy_others = rng.sample([m for m in by_group[heavy_group] if m != HEAVY], 500)
        pairs: set[tuple[int, int]] = set()
        rows = []
        for other in heavy_others:
            giver, receiver = (HEAVY, other) if rng.random() < 0.5 else (other, HEAVY)
            pairs.add((min(giver, receiver), max(giver, receiver)))
            rows.append((heavy_group, giver, receiver, rng.choice(stamps)))
        group_members = [by_group[chat] for chat in chat_ids]
        while len(pairs) < ties:
            pool = rng.choice(group_members)
            a, b = rng.sample(pool, 2)
            key = (min(a, b), max(a, b))
            if key in pairs:
                continue
            pairs.add(key)
            rows.append((group_of[a], a, b, rng.choice(stamps)))
        conn.executemany(
            "INSERT INTO credits (chat_id, message_id, giver_id, receiver_id, counted, "
            "local_day, created_at) VALUES (?, ?, ?, ?, 1, ?, ?)",
            [(c, n, g, r, at[:10], at) for n, (c, g, r, at) in enumerate(rows, 1)],
        )
        # The heavy member's introductions (met for some) and "we talked".
        for n, other in enumerate(heavy_others[:50]):
            at = rng.choice(stamps)
            intro = conn.execute(
                "INSERT INTO intros (chat_id, kind, status, created_at) "
                "VALUES (?, 'round', 'active', ?)",
                (heavy_group, at),
            ).lastrowid
            outcome = "yes" if n % 3 == 0 else None
            conn.executemany(
                "INSERT INTO intro_members (intro_id, member_id, dm_state, outcome) "
                "VALUES (?, ?, 'sent', ?)",
                [(intro, HEAVY, outcome), (intro, other, None)],
            )
        conn.executemany(
            "INSERT INTO tie_talks (member_id, other_id, chat_id, talked_at) VALUES (?, ?, ?, ?)",
            [(HEAVY, other, heavy_group, rng.choice(stamps)) for other in heavy_others[:20]],
        )
        # Two reminders per member, on ties of theirs; about half due now.
        partners: dict[int, list[int]] = {}
        for a, b in pairs:
            if len(partners.setdefault(a, [])) < 2:
                partners[a].append(b)
            if len(partners.setdefault(b, [])) < 2:
                partners[b].append(a)
        reminders = []
        for member, others in partners.items():
            for other in others:
                since = NOW - timedelta(days=rng.randint(1, 60), minutes=rng.randint(0, 1440))
                reminders.append(
                    (member, other, group_of[member], 30, _ts(since), _ts(since + timedelta(30)))
                )
        conn.executemany(
            "INSERT INTO tie_reminders (member_id, other_id, chat_id, every_days, since, "
            "due_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(*r, r[4]) for r in reminders],
        )
    for _, sql in indexes:
        conn.execute(sql)
    conn.execute("ANALYZE")
    conn.commit()
    conn.close()
    return chat_ids


@dataclass
class BenchContext:
    """What the /network view reads from a handler's context, without a bot."""

    db: Any
    i18n: Catalog
    settings: Settings
    bot_data: dict[str, Any] = field(default_factory=dict)

    def now(self) -> datetime:
        return NOW


class Ticker:
    """Wakes every millisecond and records how long the event loop was held in between.

    Two measures: how late it woke (wall time: includes the OS giving the core to another
    process on a loaded machine), and how much CPU the loop's thread used between two of
    its wakes (what the loop spent on other callbacks: load does not inflate it).
    """

    def __init__(self) -> None:
        self.late = 0.0
        self.held = 0.0
        self._stop = False

    async def run(self) -> None:
        while not self._stop:
            before, cpu = time.perf_counter(), time.thread_time()
            await asyncio.sleep(0.001)
            self.late = max(self.late, time.perf_counter() - before - 0.001)
            self.held = max(self.held, time.thread_time() - cpu)

    def stop(self) -> None:
        self._stop = True


async def measure(path: Path, chat_ids: list[int], repeats: int) -> None:
    store = await SqliteStore.open(path, clock=lambda: NOW)
    settings = Settings(
        bot_token="123456:AAH-BENCH-TOKEN-abcdefghijklmnopqrstuvw", database=str(path)
    )
    context = BenchContext(store, Catalog(strict=True), settings)
    assert effective({}, settings).language
    try:
        ties = await store.ties.of(HEAVY)
        print(f"member {HEAVY}: {len(ties)} ties")
        timings = []
        for _ in range(repeats):
            start = time.perf_counter()
            view = await page_view(context, HEAVY, "en", 0)  # type: ignore[arg-type]
            timings.append(time.perf_counter() - start)
        assert view is not None
        print(
            f"/network page: best {min(timings) * 1000:.1f} ms, "
            f"median {statistics.median(timings) * 1000:.1f} ms ({len(view[0])} characters)"
        )
        start = time.perf_counter()
        raw = await store.ties.of(HEAVY)
        derived = (time.perf_counter() - start) * 1000
        print(f"  of which the derivation (store.ties.of): {derived:.1f} ms")
        assert len(raw) == len(ties)

        due_now = await store.query(
            "SELECT count(*) FROM tie_reminders WHERE due_at <= ?", (_ts(NOW),)
        )
        print(f"reminders due: {next(iter(due_now))[0]:,}")
        sent: list[int] = []

        async def send(item: DueReminder) -> bool:
            sent.append(item.reminder.member_id)
            return True

        # As `rete run` does before serving (bot.app.freeze_startup): start-up's objects
        # are left out of the cyclic GC's scans.
        freeze_startup()
        ticker = Ticker()
        ticking = asyncio.ensure_future(ticker.run())
        await asyncio.sleep(0.01)
        cpu, wall = time.process_time(), time.perf_counter()
        moved = 0
        for chat_id in chat_ids:
            _, resets = await sweep_group(store, chat_id, NOW, NOW.date().isoformat(), send)
            moved += resets
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        ticker.stop()
        await ticking
        print(
            f"sweep over {len(chat_ids)} groups: {len(sent):,} sent, {moved:,} moved; "
            f"CPU {cpu:.2f} s, wall {wall:.2f} s; the loop held at most "
            f"{ticker.held * 1000:.1f} ms of CPU between two ticks (woke at most "
            f"{ticker.late * 1000:.1f} ms late)"
        )
        assert len(sent) == len(set(sent)), "one reminder per member and day"
    finally:
        await store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--ties", type=int, default=1_000_000)
    parser.add_argument("--groups", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--quick", action="store_true", help="5,000 members, 100,000 ties")
    parser.add_argument(
        "--database", type=Path, help="keep the built database here, and reuse it if there"
    )
    args = parser.parse_args()
    if args.quick:
        args.members, args.ties, args.groups = 5_000, 100_000, 5
    directory = Path(tempfile.mkdtemp(prefix="rete-bench-ties-"))
    path = directory / "rete.sqlite3"
    chat_ids = [-1_000_000_000_000 - n for n in range(args.groups)]
    try:
        if args.database is None or not args.database.exists():
            asyncio.run(_migrate(path))
            start = time.perf_counter()
            chat_ids = build(path, args.groups, args.members, args.ties, args.seed)
            print(
                f"built {args.members:,} members, {args.ties:,} ties in {args.groups} groups "
                f"in {time.perf_counter() - start:.0f} s"
            )
            if args.database is not None:
                shutil.copy(path, args.database)
        else:
            # The sweep changes the database: measure a copy, keep the original as built.
            shutil.copy(args.database, path)
        asyncio.run(measure(path, chat_ids, args.repeats))
    finally:
        shutil.rmtree(directory, ignore_errors=True)


async def _migrate(path: Path) -> None:
    store = await SqliteStore.open(path)
    await store.close()


if __name__ == "__main__":
    main()
