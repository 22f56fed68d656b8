"""Asks at scale: routing in a 50,000-member group, and a warm path over 1,000,000 ties.

A real SQLite file is seeded (rows written directly, in batches) with 1,000 groups and
100,000 members: one big group whose 50,000 members all joined introductions (reachable,
seen lately, three Zipf-distributed tags each, of every kind), the others spread over the
999 small groups (three memberships each); and a tie graph of 1,000,000 counted thanks
between members who share a group. Then, each ``--repeats`` times:

- **routing**: ``handlers.asks.routing.recipients`` for an ask with three tags in the big
  group (the holders' read, the ranking in a worker thread, the exclusions), taking the
  first five; Telegram's membership check answers yes at once;
- **warm path**: ``handlers.asks.routing.warm_path`` for an asker of the big group whose
  tag nobody there offers, over the tie graph (connectors tied to the asker, the people
  each is tied to who offer it and share a group with them).

For each it reports the wall time, the process's CPU time (the event loop's thread and
the database's worker threads together: what the work costs) and the longest the event
loop was blocked meanwhile (a ticker that sleeps 1 ms measures how late it wakes).
Nothing here fails on a timing.

    .venv/bin/python -m bench.asks                 # the sizes of issue #12 (≈ 2 min to seed)
    .venv/bin/python -m bench.asks --quick         # a tenth of them
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.chat_settings import effective
from bot.settings import Settings
from handlers.asks.routing import Ranking, recipients, warm_path
from storage import SqlStore, open_store
from storage.asks import Ask

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
BIG = -1_000_000_000_000
KINDS = ("interest", "offer", "seek")
BATCH = 20_000


def zipf_tags(rng: random.Random, vocabulary: int, count: int) -> list[str]:
    """Draw ``count`` distinct tags, rank r with probability ∝ 1/r."""
    weights = [1.0 / rank for rank in range(1, vocabulary + 1)]
    chosen: set[int] = set()
    while len(chosen) < count:
        chosen.add(rng.choices(range(vocabulary), weights)[0])
    return [f"tag{rank}" for rank in sorted(chosen)]


async def _insert(store: SqlStore, sql: str, rows: list[tuple[Any, ...]]) -> None:
    for start in range(0, len(rows), BATCH):
        async with store.transaction(changes_chats=[]) as conn:
            await conn.executemany(sql, rows[start : start + BATCH])


async def seed(
    store: SqlStore, *, members: int, groups: int, big: int, edges: int, vocabulary: int
) -> dict[str, int]:
    """Write the groups, members, memberships, tags, opt-ins and ties; return the sizes."""
    rng = random.Random(12)
    stamp = NOW.isoformat(timespec="seconds")
    seen = (NOW - timedelta(days=1)).isoformat(timespec="seconds")
    chats = [BIG, *(-(1_000_000_000_001 + g) for g in range(groups - 1))]
    await _insert(
        store,
        "INSERT INTO chats (id, type, title, added_at, updated_at) "
        "VALUES (?, 'supergroup', ?, ?, ?)",
        [(chat, f"Group {i}", stamp, stamp) for i, chat in enumerate(chats)],
    )
    await _insert(
        store,
        "INSERT INTO members (id, first_name, dm_reachable, first_seen, updated_at) "
        "VALUES (?, ?, 1, ?, ?)",
        [(m, f"M{m}", stamp, stamp) for m in range(1, members + 1)],
    )
    # Each member's groups: the big one for the first `big`, and small ones for everyone.
    groups_of: dict[int, list[int]] = {}
    for m in range(1, members + 1):
        small = rng.sample(chats[1:], 3 if m > big else 2)
        groups_of[m] = ([BIG] if m <= big else []) + small
    await _insert(
        store,
        "INSERT INTO memberships (chat_id, member_id, status, first_seen, last_seen) "
        "VALUES (?, ?, 'member', ?, ?)",
        [(chat, m, stamp, seen) for m, chats_of in groups_of.items() for chat in chats_of],
    )
    await _insert(
        store,
        "INSERT INTO intro_optins (chat_id, member_id, status, joined_at, updated_at) "
        "VALUES (?, ?, 'active', ?, ?)",
        [(BIG, m, stamp, stamp) for m in range(1, big + 1)],
    )
    tags: list[tuple[Any, ...]] = []
    for m in range(1, members + 1):
        for tag in zipf_tags(rng, vocabulary, 3):
            tags.append((m, rng.choice(KINDS), tag, stamp))
    await _insert(
        store,
        "INSERT OR IGNORE INTO member_tags (member_id, kind, tag, added_at) VALUES (?, ?, ?, ?)",
        tags,
    )
    # Ties: counted thanks between two members of the same group.
    in_group: dict[int, list[int]] = {}
    for m, chats_of in groups_of.items():
        for chat in chats_of:
            in_group.setdefault(chat, []).append(m)
    credits: list[tuple[Any, ...]] = []
    for k in range(edges):
        chat = rng.choice(chats[1:]) if k % 10 else BIG
        giver, receiver = rng.sample(in_group[chat], 2)
        credits.append((chat, k + 1, giver, receiver, stamp))
    await _insert(
        store,
        "INSERT INTO credits (chat_id, message_id, giver_id, receiver_id, by_command, counted, "
        "local_day, created_at) VALUES (?, ?, ?, ?, 1, 1, '2026-11-30', ?)",
        credits,
    )
    # The warm path's helpers: members of small groups only who offer a tag nobody in the
    # big group offers.
    helpers = set(range(big + 1, members + 1, 97))
    rare = [(m, "offer", "rarest", stamp) for m in sorted(helpers)]
    await _insert(
        store, "INSERT INTO member_tags (member_id, kind, tag, added_at) VALUES (?, ?, ?, ?)", rare
    )
    async with store.transaction(changes_chats=[]) as conn:
        await conn.execute("ANALYZE")
    # An asker of the big group with a warm path: tied to a member of the big group who is
    # tied to one of those helpers (the search does not know it; it finds its own best).
    ties: dict[int, set[int]] = {}
    for _, _, giver, receiver, _ in credits:
        ties.setdefault(giver, set()).add(receiver)
        ties.setdefault(receiver, set()).add(giver)
    asker = next(
        a
        for a in range(1, big + 1)
        if any(c <= big and ties.get(c, set()) & helpers for c in ties.get(a, ()))
    )
    # And the member of the big group with the most ties: the widest search.
    hub = max(range(1, big + 1), key=lambda m: (len(ties.get(m, ())), -m))
    return {
        "members": members,
        "groups": groups,
        "big": big,
        "edges": edges,
        "asker": asker,
        "hub": hub,
        "hub_ties": len(ties[hub]),
    }


def ask(asker: int, tags: Sequence[str]) -> Ask:
    """An open ask in the big group (not stored: the reads do not need its row)."""
    return Ask(
        id=1,
        chat_id=BIG,
        asker_id=asker,
        text="help",
        suggested=tuple(tags),
        tags=tuple(tags),
        status="open",
        post_id=None,
        warm=False,
        created_at=NOW,
        posted_at=NOW,
        expires_at=NOW + timedelta(days=14),
        closed_at=None,
        solved_how=None,
    )


async def always_in(chat_id: int, member_id: int) -> bool:
    return True


async def timed(work: Callable[[], Awaitable[Any]]) -> tuple[float, float, float, Any]:
    """Run ``work``; return (wall s, CPU s, longest event-loop block s, result)."""
    longest = 0.0
    running = True

    async def ticker() -> None:
        nonlocal longest
        while running:
            before = time.perf_counter()
            await asyncio.sleep(0.001)
            longest = max(longest, time.perf_counter() - before - 0.001)

    tick = asyncio.create_task(ticker())
    await asyncio.sleep(0.01)
    started, started_cpu = time.perf_counter(), time.process_time()
    result = await work()
    wall, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    running = False
    await tick
    return wall, cpu, longest, result


async def main_async(args: argparse.Namespace) -> None:
    scale = 10 if args.quick else 1
    with tempfile.TemporaryDirectory() as folder:
        store = await open_store(Path(folder) / "asks.sqlite3", clock=lambda: NOW)
        started = time.perf_counter()
        sizes = await seed(
            store,
            members=100_000 // scale,
            groups=1_000 // scale,
            big=50_000 // scale,
            edges=1_000_000 // scale,
            vocabulary=2_000,
        )
        print(f"seeded {sizes} in {time.perf_counter() - started:.0f} s")
        prefs = effective(
            {"asks": True},
            Settings(
                bot_token="123456:AAH-BENCH-TOKEN-abcdefghijklmnopqrstuvw", database=":memory:"
            ),
        )
        routing = ask(1, ["tag3", "tag40", "tag700"])
        hub = f"warm path, widest ({sizes['hub_ties']} ties)"
        rows: dict[str, list[tuple[float, float, float]]] = {
            "routing": [],
            "warm path": [],
            hub: [],
        }
        for _ in range(args.repeats):

            async def route() -> list[int]:
                found: list[int] = []
                async for member_id in recipients(
                    store, routing, prefs, NOW, always_in, Ranking()
                ):
                    found.append(member_id)
                    if len(found) >= prefs.asks_routed:
                        break
                return found

            wall, cpu, block, found = await timed(route)
            assert len(found) == prefs.asks_routed, found
            rows["routing"].append((wall, cpu, block))

            # An asker of the big group with ties; "rarest" is offered only outside it.
            async def warm() -> Any:
                asking = ask(sizes["asker"], ["rarest"])
                return await warm_path(store, asking, set(), NOW, always_in)

            wall, cpu, block, path = await timed(warm)
            rows["warm path"].append((wall, cpu, block))

            async def widest() -> Any:
                asking = ask(sizes["hub"], ["rarest"])
                return await warm_path(store, asking, set(), NOW, always_in)

            rows[hub].append((await timed(widest))[:3])
        print(f"warm path for asker {sizes['asker']}: {path}")
        print("| what | wall ms | CPU ms | longest event-loop block ms |")
        print("|---|---|---|---|")
        for name, runs in rows.items():
            wall = statistics.median(r[0] for r in runs) * 1000
            cpu = statistics.median(r[1] for r in runs) * 1000
            block = max(r[2] for r in runs) * 1000
            print(f"| {name} | {wall:.0f} | {cpu:.0f} | {block:.1f} |")
        await store.close()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the sizes")
    parser.add_argument("--repeats", type=int, default=3)
    asyncio.run(main_async(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
