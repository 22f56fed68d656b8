"""Throughput of group activity recording: Rete's Application vs a bare PTB Application.

Both sides parse the same JSON into ``Update`` objects inside the timed loop (as polling
does) and call ``Application.process_update``. Rete's side records members, memberships and
per-day message counts in a real SQLite file; the bare side has one no-op handler.

    python -m bench.activity [--updates 20000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application, TypeHandler

from bot.app import build_application
from bot.settings import Settings
from tests import factories as f
from tests.fake_telegram import FakeTelegram


def make_stream(count: int, seed: int = 7) -> list[str]:
    """Return ``count`` realistic group updates as JSON: messages, some edits, some joins."""
    rng = random.Random(seed)
    groups = [f.group(-1000000 - i, f"Group {i}") for i in range(50)]
    users = [f.user(10_000 + i, f"User {i}", language_code="it") for i in range(2_000)]
    stream = []
    for update_id in range(1, count + 1):
        chat = groups[min(int(rng.paretovariate(1.2)) - 1, len(groups) - 1)]
        sender = users[rng.randrange(len(users))]
        roll = rng.random()
        if roll < 0.02:
            update = f.new_members(chat, sender, sender)
        elif roll < 0.07:
            update = f.message_update(f.message(chat, sender, "edited text"), edited=True)
        else:
            update = f.message_update(f.message(chat, sender, "a message " * rng.randint(1, 30)))
        update["update_id"] = update_id
        stream.append(json.dumps(update))
    return stream


async def run_through(app: Application[Any, Any, Any, Any, Any, Any], stream: list[str]) -> float:
    """Parse and process every update; return the elapsed seconds."""
    started = time.perf_counter()
    for raw in stream:
        await app.process_update(Update.de_json(json.loads(raw), app.bot))
    return time.perf_counter() - started


async def measure(count: int, repeats: int) -> dict[str, float]:
    """Return updates/s for Rete and for the bare application, and their ratio."""
    stream = make_stream(count)
    async with FakeTelegram() as telegram:
        bare: Application[Any, Any, Any, Any, Any, Any] = (
            Application.builder().token(telegram.token).base_url(telegram.base_url).build()
        )

        async def nothing(update: object, context: object) -> None:
            return None

        bare.add_handler(TypeHandler(Update, nothing))
        await bare.initialize()
        ours_times, bare_times = [], []
        for _ in range(repeats):
            with tempfile.TemporaryDirectory() as directory:
                settings = Settings(
                    bot_token=telegram.token,
                    api_base_url=telegram.base_url,
                    database=Path(directory) / "bench.sqlite3",
                )
                app = build_application(settings)
                await app.initialize()
                assert app.post_init is not None
                await app.post_init(app)
                ours_times.append(await run_through(app, stream))
                bare_times.append(await run_through(bare, stream))
                await app.shutdown()
                assert app.post_shutdown is not None
                await app.post_shutdown(app)
        await bare.shutdown()
    ours = count / statistics.median(ours_times)
    base = count / statistics.median(bare_times)
    return {"ours": ours, "bare": base, "ratio": ours / base}


def main() -> None:
    """Run the benchmark and print a Markdown table row."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--updates", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    result = asyncio.run(measure(args.updates, args.repeats))
    print("| updates | Rete updates/s | bare PTB updates/s | ratio |")
    print("|---|---|---|---|")
    print(
        f"| {args.updates:,} | {result['ours']:,.0f} | {result['bare']:,.0f} "
        f"| {result['ratio']:.2f} |"
    )


if __name__ == "__main__":
    main()
