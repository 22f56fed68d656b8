"""Throughput of Rete's Application (activity and help ledger) vs a bare PTB Application.

Both sides parse the same JSON into ``Update`` objects inside the timed loop (as polling
does) and call ``Application.process_update``. Rete's side records members, memberships and
per-day message counts in a real SQLite file; the bare side has one no-op handler.

    python -m bench.activity --updates 20000              # activity only
    python -m bench.activity --updates 100000 --thanks 0.05  # the help-ledger benchmark
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application, TypeHandler

from bot.app import build_application
from bot.settings import Settings
from tests import factories as f


def make_stream(count: int, thanks_share: float = 0.0, seed: int = 7) -> list[str]:
    """Return ``count`` realistic group updates as JSON.

    Messages from 2,000 members in 50 groups of Pareto-skewed traffic, 5% edits, 2% joins;
    with ``thanks_share``, that share are thanks: /thanks replies, thank-you words in
    replies and 🙏 reactions, in equal parts, to recent messages by someone else.
    """
    rng = random.Random(seed)
    groups = [f.group(-1000000 - i, f"Group {i}") for i in range(50)]
    users = [f.user(10_000 + i, f"User {i}", language_code="it") for i in range(2_000)]
    recent: dict[int, list[dict[str, Any]]] = {g["id"]: [] for g in groups}
    stream = []
    for update_id in range(1, count + 1):
        chat = groups[min(int(rng.paretovariate(1.2)) - 1, len(groups) - 1)]
        sender = users[rng.randrange(len(users))]
        roll = rng.random()
        others = [m for m in recent[chat["id"]][-20:] if m["from"]["id"] != sender["id"]]
        if roll < thanks_share and others:
            target = rng.choice(others)
            way = rng.randrange(3)
            if way == 0:
                update = f.message_update(f.message(chat, sender, "/thanks", reply_to=target))
            elif way == 1:
                text = rng.choice(["grazie mille!", "thanks a lot", "ti ringrazio 🙏"])
                update = f.message_update(f.message(chat, sender, text, reply_to=target))
            else:
                update = f.reaction(chat, sender, target["message_id"], new=["🙏"])
        elif roll < thanks_share + 0.02:
            update = f.new_members(chat, sender, sender)
        elif roll < thanks_share + 0.07 and recent[chat["id"]]:
            update = f.message_update(dict(recent[chat["id"]][-1], text="edited"), edited=True)
        else:
            message = f.message(chat, sender, "a message " * rng.randint(1, 30))
            recent[chat["id"]].append(message)
            update = f.message_update(message)
        update["update_id"] = update_id
        stream.append(json.dumps(update))
    return stream


async def run_through(app: Application[Any, Any, Any, Any, Any, Any], stream: list[str]) -> float:
    """Parse and process every update; return the elapsed seconds."""
    started = time.perf_counter()
    for raw in stream:
        await app.process_update(Update.de_json(json.loads(raw), app.bot))
    return time.perf_counter() - started


@contextlib.asynccontextmanager
async def fake_telegram() -> AsyncIterator[tuple[str, str]]:
    """Start the fake Bot API in another process; yield its base URL and token."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.fake_server",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    assert process.stdin is not None
    base_url, token = (await process.stdout.readline()).decode().split()
    try:
        yield base_url, token
    finally:
        process.stdin.close()
        await process.wait()


async def measure(count: int, repeats: int, thanks_share: float = 0.0) -> dict[str, float]:
    """Return updates/s for Rete and for the bare application, their ratio, and credits."""
    stream = make_stream(count, thanks_share)
    async with fake_telegram() as (base_url, token):
        bare: Application[Any, Any, Any, Any, Any, Any] = (
            Application.builder().token(token).base_url(base_url).build()
        )

        async def nothing(update: object, context: object) -> None:
            return None

        bare.add_handler(TypeHandler(Update, nothing))
        await bare.initialize()
        ours_times, bare_times, credits = [], [], 0
        for _ in range(repeats):
            with tempfile.TemporaryDirectory() as directory:
                settings = Settings(
                    bot_token=token, api_base_url=base_url, database=Path(directory) / "b.sqlite3"
                )
                app = build_application(settings)
                await app.initialize()
                assert app.post_init is not None
                await app.post_init(app)
                await app.start()  # as in production: jobs run, acknowledgements are sent
                ours_times.append(await run_through(app, stream))
                bare_times.append(await run_through(bare, stream))
                rows = await app.bot_data["db"].fetchall("SELECT count(*) FROM credits")
                credits = next(iter(rows))[0]
                await app.stop()
                await app.shutdown()
                assert app.post_shutdown is not None
                await app.post_shutdown(app)
        await bare.shutdown()
    ours = count / statistics.median(ours_times)
    base = count / statistics.median(bare_times)
    return {"ours": ours, "bare": base, "ratio": ours / base, "credits": credits}


def main() -> None:
    """Run the benchmark and print a Markdown table row."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--updates", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--thanks", type=float, default=0.0, help="share of thanks, e.g. 0.05")
    args = parser.parse_args()
    result = asyncio.run(measure(args.updates, args.repeats, args.thanks))
    print("| updates | thanks share | credits | Rete updates/s | bare PTB updates/s | ratio |")
    print("|---|---|---|---|---|---|")
    print(
        f"| {args.updates:,} | {args.thanks:.0%} | {result['credits']:,} | {result['ours']:,.0f} "
        f"| {result['bare']:,.0f} | {result['ratio']:.2f} |"
    )


if __name__ == "__main__":
    main()
