"""Two real ``rete run`` processes in webhook mode on one PostgreSQL: throughput and duplicates.

Both instances run against one fresh schema of a PostgreSQL server and one fake Bot API
(``bench/fake_server.py``, its own process). The stream of ``bench/activity.py`` (50
groups, 2,000 members, 5% edits, 2% joins, 5% thanks) is POSTed to the two webhook ports
as Telegram would, with the secret header: each update goes to one instance picked at
random, and a share of them (``--both``, 10% by default) to both, as a retried webhook
behind a load balancer would. First the same stream goes through one instance alone (no
copies), which gives the single-instance rate and the counts the pair must match.

Each run is timed from the first POST to the moment every update's claim is in
``handled_updates`` (an ordinary message's claim is written with the flush, so this is up
to a second late: ``FLUSH_SECONDS``); then the counts are read once both instances are
idle: messages counted (``sum(activity_daily.messages)``) against distinct messages
recorded (``message_authors``) and against the messages the stream holds, credits, and
the 🤝 and replies the fake server received twice for one message.

The sender (this process, aiohttp) shares the two cores with both bots and the server, so
the rates are those of the whole machine; compare one instance and two in the same run.

    python -m bench.instances --database postgresql://postgres@127.0.0.1/test
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import socket
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg

from bench.activity import FakeServer, fake_telegram, fresh_database, make_stream
from storage import open_store

SECRET = "bench-secret_0123456789"


def free_port() -> int:
    """A TCP port nobody listens on now (127.0.0.1)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def messages_in(stream: list[str]) -> int:
    """How many updates of the stream Rete counts as a message (as ``observe`` judges)."""
    counted: set[tuple[int, int]] = set()
    for raw in stream:
        message = json.loads(raw).get("message")
        if message is None or message["chat"]["type"] not in ("group", "supergroup"):
            continue
        if message.get("new_chat_members") or message.get("left_chat_member"):
            continue
        if message.get("text") is None and message.get("caption") is None:
            continue
        entities = message.get("entities") or []
        if entities and entities[0]["type"] == "bot_command" and entities[0]["offset"] == 0:
            continue
        counted.add((message["chat"]["id"], message["message_id"]))
    return len(counted)


@dataclass
class Instance:
    """One ``rete run`` process and its webhook."""

    process: asyncio.subprocess.Process
    port: int
    log: Path

    @property
    def url(self) -> str:
        """Where its webhook takes updates."""
        return f"http://127.0.0.1:{self.port}/telegram"


@contextlib.asynccontextmanager
async def instances(
    count: int, server: FakeServer, database: str, folder: Path
) -> AsyncIterator[list[Instance]]:
    """Start ``count`` webhook-mode ``rete run`` processes; stop them (SIGTERM) afterwards."""
    started: list[Instance] = []
    try:
        for n in range(count):
            port = free_port()
            env = {
                **{k: v for k, v in os.environ.items() if not k.startswith("RETE_")},
                "RETE_BOT_TOKEN": server.token,
                "RETE_API_BASE_URL": server.base_url,
                "RETE_DATABASE": database,
                "RETE_MODE": "webhook",
                "RETE_WEBHOOK_LISTEN": "127.0.0.1",
                "RETE_WEBHOOK_PORT": str(port),
                "RETE_WEBHOOK_URL": f"https://rete.example/telegram-{n}",
                "RETE_WEBHOOK_SECRET": SECRET,
                "RETE_LOG_LEVEL": "WARNING",
            }
            log = folder / f"instance-{n}.log"
            with log.open("wb") as out:
                process = await asyncio.create_subprocess_exec(
                    sys.executable,
                    "-m",
                    "bot",
                    "run",
                    env=env,
                    cwd=folder,
                    stdout=out,
                    stderr=asyncio.subprocess.STDOUT,
                )
            started.append(Instance(process, port, log))
        for instance in started:
            await _listening(instance)
        yield started
    finally:
        for instance in started:
            if instance.process.returncode is None:
                instance.process.terminate()
        for instance in started:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(instance.process.wait(), 30)
            if instance.process.returncode is None:
                instance.process.kill()
                await instance.process.wait()


async def _listening(instance: Instance, within: float = 60) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if instance.process.returncode is not None:
            raise RuntimeError(
                f"rete run exited ({instance.process.returncode}): "
                f"{instance.log.read_text()[-2000:]}"
            )
        with contextlib.suppress(OSError):
            _, writer = await asyncio.open_connection("127.0.0.1", instance.port)
            writer.close()
            await writer.wait_closed()
            return
        await asyncio.sleep(0.2)
    raise RuntimeError(f"rete run did not listen on {instance.port} within {within:g} s")


async def send(stream: list[str], targets: list[list[str]], concurrency: int) -> tuple[float, int]:
    """POST each update to its targets, ``concurrency`` requests at a time; return when the
    first was sent (monotonic) and how many requests went."""
    queue: asyncio.Queue[tuple[str, str] | None] = asyncio.Queue()
    for raw, urls in zip(stream, targets, strict=True):
        for url in urls:
            queue.put_nowait((url, raw))
    total = queue.qsize()
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector, headers=headers) as session:

        async def worker() -> None:
            while True:
                item = queue.get_nowait() if not queue.empty() else None
                if item is None:
                    return
                url, raw = item
                async with session.post(url, data=raw.encode()) as response:
                    if response.status != 200:
                        raise RuntimeError(f"webhook answered {response.status}")
                    await response.read()

        first = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return first, total


async def _until_claimed(conn: asyncpg.Connection, updates: int) -> None:
    """Return once ``updates`` claims are in handled_updates (polled every 50 ms)."""
    while await _scalar(conn, "SELECT count(*) FROM handled_updates") < updates:  # noqa: ASYNC110
        await asyncio.sleep(0.05)


async def _scalar(conn: asyncpg.Connection, sql: str) -> int:
    return int(await conn.fetchval(sql) or 0)


async def run_once(
    server: FakeServer,
    postgres: str,
    stream: list[str],
    count: int,
    both: float,
    concurrency: int,
    seed: int,
) -> dict[str, Any]:
    """One run: ``count`` instances on a fresh schema; return the rate and the counts."""
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as directory:
        async with fresh_database(directory, postgres) as database:
            store = await open_store(database)  # migrated once, before the instances start
            await store.close()
            async with instances(count, server, database, Path(directory)) as running:
                urls = [instance.url for instance in running]
                targets = []
                for _ in stream:
                    if len(urls) > 1 and rng.random() < both:
                        targets.append(list(urls))
                    else:
                        targets.append([urls[rng.randrange(len(urls))]])
                load_before = os.getloadavg()
                conn = await asyncpg.connect(database)
                try:
                    first, requests = await send(stream, targets, concurrency)
                    sent = time.monotonic()
                    # Every update claimed: handled (its claim, if deferred, flushed).
                    await _until_claimed(conn, len(stream))
                    done = time.monotonic()
                    load_after = os.getloadavg()
                    # Then idle: the copies refused, the last flush and credit batch written.
                    counts: dict[str, int] = {}
                    while True:
                        await asyncio.sleep(2.5)
                        now = {
                            "messages": await _scalar(
                                conn, "SELECT sum(messages) FROM activity_daily"
                            ),
                            "authors": await _scalar(conn, "SELECT count(*) FROM message_authors"),
                            "credits": await _scalar(conn, "SELECT count(*) FROM credits"),
                            "scored": await _scalar(
                                conn, "SELECT count(*) FROM credits WHERE counted = 1"
                            ),
                            "by_reaction": await _scalar(
                                conn, "SELECT count(*) FROM credits WHERE by_reaction = 1"
                            ),
                            "claims": await _scalar(conn, "SELECT count(*) FROM handled_updates"),
                        }
                        if now == counts:
                            break
                        counts = now
                finally:
                    await conn.close()
    return {
        "instances": count,
        "updates": len(stream),
        "requests": requests,
        "copies": requests - len(stream),
        "seconds": done - first,
        "send_seconds": sent - first,
        "rate": len(stream) / (done - first),
        "load_before": load_before[0],
        "load_after": load_after[0],
        **counts,
    }


async def measure(
    postgres: str, updates: int, thanks: float, both: float, concurrency: int, seed: int
) -> list[dict[str, Any]]:
    """One instance, then two, on fresh schemas of ``postgres``, with the same stream."""
    stream = make_stream(updates, thanks)
    results = []
    async with fake_telegram() as server:
        for count in (1, 2):
            first = (await _stats(server))["calls"]
            result = await run_once(server, postgres, stream, count, both, concurrency, seed)
            stats = await _stats(server, first)
            for method in ("setMessageReaction", "sendMessage"):
                result[f"{method}_calls"] = stats["methods"].get(method, 0)
                result[f"{method}_twice"] = stats["twice"][method]
            results.append(result)
    expected = messages_in(stream)
    for result in results:
        result["expected_messages"] = expected
    return results


async def _stats(server: FakeServer, first: int = 0) -> dict[str, Any]:
    assert server.process.stdin is not None
    assert server.process.stdout is not None
    server.process.stdin.write(f"stats {first}\n".encode())
    await server.process.stdin.drain()
    stats: dict[str, Any] = json.loads(await server.process.stdout.readline())
    return stats


def main(argv: list[str] | None = None) -> int:
    """Run one instance, then two, and print a Markdown table."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.instances",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
    )
    parser.add_argument("--database", metavar="URL", required=True, help="postgresql://...")
    parser.add_argument("--updates", type=int, default=20_000)
    parser.add_argument("--thanks", type=float, default=0.05, help="share of thanks")
    parser.add_argument("--both", type=float, default=0.10, help="share sent to both")
    parser.add_argument("--concurrency", type=int, default=16, help="requests in flight")
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args(argv)
    results = asyncio.run(
        measure(args.database, args.updates, args.thanks, args.both, args.concurrency, args.seed)
    )
    print(
        "| instances | updates (+ copies) | updates/s | messages in the stream | counted "
        "| distinct recorded | duplicates | lost | credits (scored) | 🤝 sent (twice) "
        "| replies twice | load |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['instances']} | {r['updates']:,} (+{r['copies']:,}) | {r['rate']:,.0f} "
            f"| {r['expected_messages']:,} | {r['messages']:,} | {r['authors']:,} "
            f"| {r['messages'] - r['authors']:,} | {r['expected_messages'] - r['authors']:,} "
            f"| {r['credits']:,} ({r['scored']:,}) | {r['setMessageReaction_calls']} "
            f"({r['setMessageReaction_twice']}) | {r['sendMessage_twice']} "
            f"| {r['load_before']:.1f} → {r['load_after']:.1f} |"
        )
    print(json.dumps(results, indent=1), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
