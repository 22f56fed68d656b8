"""The CPU of one member's search in a big group: /meet's and /whoknows' array work.

Seeds the latency run's group (``bench/activity.py``: 50,000 opted-in members, 3 to 20
Zipf-distributed tags each) into a fresh SQLite file, builds the group's holder index,
then times, for each of ``--askers`` members, the index's search for their tags
(``candidate_holders``, ``listed_holders``) and the ranking on it (``meet_choices``,
``rank_knowers``): the median and the slowest, in milliseconds of the process's CPU (the
index's work runs in a worker thread for askers with many tags; its small freshness read
is counted too, the rest of a command is not: see ``bench/activity.py``).

    python -m bench.search                 # 50,000 members, 40 askers
    python -m bench.search --members 5000
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.activity import BIG_GROUP_ID, seed_big_group
from bot.introductions import candidate, meet_choices, rank_knowers
from bot.matching import History
from storage.sqlite import SqliteStore


async def measure(members: int, askers: int) -> dict[str, list[float]]:
    """Return each step's CPU seconds per asker."""
    times: dict[str, list[float]] = {
        "candidate_holders": [],
        "meet_choices": [],
        "listed_holders": [],
        "rank_knowers": [],
    }
    with tempfile.TemporaryDirectory() as directory:
        database = Path(directory) / "search.sqlite3"
        store = await SqliteStore.open(database)  # migrated, then seeded directly
        await store.close()
        now = datetime.now(UTC)
        big = seed_big_group(database, members, now)
        store = await SqliteStore.open(database)
        try:
            intros = store.intros
            people = [
                candidate(m, await intros.tags(m), await intros.never(m))
                for m in big.member_ids[:askers]
            ]
            # The index is built once (bot.app warms it at start-up): not timed.
            await intros.candidate_holders(BIG_GROUP_ID, now, sorted(people[0].tags))
            for me in people:
                tags = sorted(me.tags)
                started = time.process_time()
                holders = await intros.candidate_holders(BIG_GROUP_ID, now, tags)
                times["candidate_holders"].append(time.process_time() - started)
                started = time.process_time()
                meet_choices(me, holders, History(), [], limit=5)
                times["meet_choices"].append(time.process_time() - started)
                tag = big.askable[me.member_id][0]
                started = time.process_time()
                listed = await intros.listed_holders(BIG_GROUP_ID, sorted({tag, *tags}))
                times["listed_holders"].append(time.process_time() - started)
                started = time.process_time()
                rank_knowers(tag, listed, me, [], limit=10)
                times["rank_knowers"].append(time.process_time() - started)
        finally:
            await store.close()
    return times


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a Markdown table."""
    parser = argparse.ArgumentParser(prog="python -m bench.search", description=__doc__)
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--askers", type=int, default=40)
    args = parser.parse_args(argv)
    times = asyncio.run(measure(args.members, args.askers))
    print(f"| step ({args.members:,} members, {args.askers} askers) | median CPU | slowest |")
    print("|---|---|---|")
    for step, values in times.items():
        print(
            f"| `{step}` | {statistics.median(values) * 1000:.2f} ms "
            f"| {max(values) * 1000:.2f} ms |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
