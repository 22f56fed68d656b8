"""Rete's Application under a stream of group updates: throughput, and latency amid the stream.

Throughput: both sides parse the same JSON into ``Update`` objects inside the timed loop
(as polling does) and call ``Application.process_update``. Rete's side records members,
memberships and per-day message counts in a real SQLite file; the bare side has one no-op
handler. The ratio of the two is the figure of merit.

Latency (same run, afterwards): Rete polls the fake Bot API (``bench/fake_server.py``, its
own process) as ``rete run`` does, while the server makes the stream available at a steady
rate. Members send commands at steady rates amid it: ``/helpers`` and ``/profile`` in the
stream's groups, ``/whoknows <tag>`` in a group of 50,000 opted-in members with tags
(seeded straight into the database), ``/meet`` in private by members of that group. Each
command's time runs from the moment the server makes it available to ``getUpdates`` to the
moment the server receives the ``sendMessage`` answering it. A timer inside the bot's
process measures how late the event loop runs it: the longest stall and how many went over
20 ms. Everything runs on 127.0.0.1, bounded in updates, commands and seconds.

    python -m bench.activity                       # the ledger stream, then latency
    python -m bench.activity --quick               # a smaller run, under a minute
    python -m bench.activity --no-latency --updates 20000 --thanks 0   # activity only
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application, TypeHandler

from bench.matching import make_members
from bot.app import ALLOWED_UPDATES, build_application, freeze_startup
from bot.clock import SystemClock
from bot.settings import Settings
from storage import SqliteStore
from tests import factories as f

# ---- the stream ------------------------------------------------------------------------------


class Stream:
    """Realistic group updates, one at a time; the same seed gives the same updates.

    Messages from 2,000 members in 50 groups of Pareto-skewed traffic, 5% edits, 2% joins;
    with ``thanks_share``, that share are thanks: /thanks replies, thank-you words in
    replies and 🙏 reactions, in equal parts, to recent messages by someone else.
    """

    def __init__(self, thanks_share: float = 0.0, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.thanks_share = thanks_share
        self.groups = [f.group(-1000000 - i, f"Group {i}") for i in range(50)]
        self.users = [f.user(10_000 + i, f"User {i}", language_code="it") for i in range(2_000)]
        self.recent: dict[int, list[dict[str, Any]]] = {g["id"]: [] for g in self.groups}

    def next(self) -> dict[str, Any]:
        """Return the next update (without its update_id)."""
        rng, groups, users, recent = self.rng, self.groups, self.users, self.recent
        thanks_share = self.thanks_share
        chat = groups[min(int(rng.paretovariate(1.2)) - 1, len(groups) - 1)]
        sender = users[rng.randrange(len(users))]
        roll = rng.random()
        others = [m for m in recent[chat["id"]][-20:] if m["from"]["id"] != sender["id"]]
        if roll < thanks_share and others:
            target = rng.choice(others)
            way = rng.randrange(3)
            if way == 0:
                return f.message_update(f.message(chat, sender, "/thanks", reply_to=target))
            if way == 1:
                text = rng.choice(["grazie mille!", "thanks a lot", "ti ringrazio 🙏"])
                return f.message_update(f.message(chat, sender, text, reply_to=target))
            return f.reaction(chat, sender, target["message_id"], new=["🙏"])
        if roll < thanks_share + 0.02:
            return f.new_members(chat, sender, sender)
        if roll < thanks_share + 0.07 and recent[chat["id"]]:
            return f.message_update(dict(recent[chat["id"]][-1], text="edited"), edited=True)
        message = f.message(chat, sender, "a message " * rng.randint(1, 30))
        recent[chat["id"]].append(message)
        return f.message_update(message)


def make_stream(count: int, thanks_share: float = 0.0, seed: int = 7) -> list[str]:
    """Return ``count`` realistic group updates as JSON (see ``Stream``)."""
    stream = Stream(thanks_share, seed)
    updates = []
    for update_id in range(1, count + 1):
        update = stream.next()
        update["update_id"] = update_id
        updates.append(json.dumps(update))
    return updates


# ---- the fake Bot API in its own process -----------------------------------------------------


@dataclass
class FakeServer:
    """The fake Bot API process (``bench/fake_server.py``) and how to talk to it."""

    process: asyncio.subprocess.Process
    base_url: str
    token: str

    async def play(self, schedule: Path, drain: float) -> dict[str, Any]:
        """Have the server play a schedule; return its report (commands and their answers)."""
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.write(f"play {schedule} {drain}\n".encode())
        await self.process.stdin.drain()
        line = await self.process.stdout.readline()
        if not line:
            raise RuntimeError("the fake Bot API server stopped before reporting")
        report: dict[str, Any] = json.loads(line)
        return report


@contextlib.asynccontextmanager
async def fake_telegram() -> AsyncIterator[FakeServer]:
    """Start the fake Bot API in another process (on 127.0.0.1) and stop it afterwards."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.fake_server",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        # The schedule's lines can be long; the report is one line of JSON.
        limit=64 * 1024 * 1024,
    )
    assert process.stdout is not None
    assert process.stdin is not None
    base_url, token = (await process.stdout.readline()).decode().split()
    try:
        yield FakeServer(process, base_url, token)
    finally:
        process.stdin.close()
        await process.wait()


# ---- throughput ------------------------------------------------------------------------------


async def run_through(app: Application[Any, Any, Any, Any, Any, Any], stream: list[str]) -> float:
    """Parse and process every update; return the elapsed seconds."""
    started = time.perf_counter()
    for raw in stream:
        await app.process_update(Update.de_json(json.loads(raw), app.bot))
    return time.perf_counter() - started


@contextlib.asynccontextmanager
async def fresh_database(directory: str, postgres: str | None) -> AsyncIterator[str]:
    """An empty database for one repeat: an SQLite file, or a new schema on ``postgres``."""
    if postgres is None:
        yield str(Path(directory) / "b.sqlite3")
        return
    import asyncpg

    schema = f"bench_{uuid.uuid4().hex[:12]}"
    conn = await asyncpg.connect(postgres)
    await conn.execute(f"CREATE SCHEMA {schema}")
    try:
        joiner = "&" if "?" in postgres else "?"
        yield f"{postgres}{joiner}search_path={schema}"
    finally:
        await conn.execute(f"DROP SCHEMA {schema} CASCADE")
        await conn.close()


async def measure(
    count: int, repeats: int, thanks_share: float = 0.0, postgres: str | None = None
) -> dict[str, float]:
    """Return updates/s for Rete and for the bare application, their ratio, and credits.

    With ``postgres`` (a server's URL), Rete runs on a fresh schema there for each repeat.
    """
    stream = make_stream(count, thanks_share)
    async with fake_telegram() as server:
        base_url, token = server.base_url, server.token
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
                async with fresh_database(directory, postgres) as database:
                    settings = Settings(bot_token=token, api_base_url=base_url, database=database)
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


# ---- the big group ---------------------------------------------------------------------------

BIG_GROUP_ID = -1_009_000_000_000
BIG_MEMBER_BASE = 1_000_000


def _ts(moment: datetime) -> str:
    """A time as storage writes it (UTC ISO, seconds)."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class BigGroup:
    """The seeded group: its chat, and each member's id with the tags /whoknows may ask for."""

    chat: dict[str, Any]
    member_ids: list[int]
    askable: dict[int, tuple[str, ...]]  # member id -> interests and offers, sorted

    def user(self, member_id: int) -> dict[str, Any]:
        """The Telegram user of a seeded member (as the database has them)."""
        return f.user(member_id, f"Member {member_id}", language_code="it")


def seed_big_group(path: Path, count: int, now: datetime, seed: int = 1) -> BigGroup:
    """Fill a migrated database with one group of ``count`` opted-in, reachable members.

    Tags as in ``bench/matching.py``: 3 to 20 each from a Zipf vocabulary of 2,000 (60%
    interests, 20% offers, 20% seeks). Introductions are on in the group; its ``added_at``
    is now, so no missed round is caught up during the run. Each member was last seen in
    the group within the last 30 days.
    """
    rng = random.Random(seed)
    candidates = make_members(count, seed=seed)
    stamp = _ts(now)
    seen = [_ts(now - timedelta(days=d, minutes=rng.randrange(1440))) for d in range(30)]
    ids = [BIG_MEMBER_BASE + c.member_id for c in candidates]
    tag_rows = []
    askable: dict[int, tuple[str, ...]] = {}
    for member_id, c in zip(ids, candidates, strict=True):
        for kind, tags in (("interest", c.interests), ("offer", c.offers), ("seek", c.seeks)):
            # In primary-key order: the WITHOUT ROWID table is appended to, not split.
            tag_rows.extend((member_id, kind, tag, stamp) for tag in sorted(tags))
        askable[member_id] = tuple(sorted(c.interests | c.offers))
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA synchronous = OFF")  # a scratch database, loaded once
        # The secondary indexes are built after loading (one sort each), as bench/recap.py.
        indexes = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "AND tbl_name IN ('members', 'memberships', 'intro_optins', 'member_tags')"
        ).fetchall()
        for name, _ in indexes:
            conn.execute(f"DROP INDEX {name}")
        with conn:
            conn.execute(
                "INSERT INTO chats (id, type, title, added_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                (BIG_GROUP_ID, "supergroup", "Big group", stamp, stamp),
            )
            conn.execute(
                "INSERT INTO chat_settings (chat_id, key, value) VALUES (?, 'intros', 'true')",
                (BIG_GROUP_ID,),
            )
            conn.executemany(
                """
                INSERT INTO members (id, first_name, language_code, dm_reachable,
                                     dm_started_at, first_seen, updated_at)
                VALUES (?, ?, 'it', 1, ?, ?, ?)
                """,
                [(m, f"Member {m}", stamp, stamp, stamp) for m in ids],
            )
            conn.executemany(
                """
                INSERT INTO memberships (chat_id, member_id, status, first_seen, last_seen,
                                         joined_at)
                VALUES (?, ?, 'member', ?, ?, ?)
                """,
                [(BIG_GROUP_ID, m, stamp, seen[m % 30], stamp) for m in ids],
            )
            conn.executemany(
                """
                INSERT INTO intro_optins (chat_id, member_id, status, joined_at, updated_at)
                VALUES (?, ?, 'active', ?, ?)
                """,
                [(BIG_GROUP_ID, m, stamp, stamp) for m in ids],
            )
            conn.executemany(
                "INSERT INTO member_tags (member_id, kind, tag, added_at) VALUES (?, ?, ?, ?)",
                tag_rows,
            )
        with conn:
            for _, sql in indexes:
                conn.execute(sql)
    finally:
        conn.close()
    chat = f.group(BIG_GROUP_ID, "Big group")
    return BigGroup(chat, ids, askable)


# ---- the schedule: the stream at a steady rate, commands amid it -----------------------------

KINDS = ("helpers", "profile", "whoknows", "meet")
WHERE = {
    "helpers": "the stream's 50 groups, in turn",
    "profile": "the stream's 50 groups, in turn",
    "whoknows": "the {members:,}-member group",
    "meet": "private, members of that group",
}
# Per minute. A group gets at most 20 bot messages a minute (AIORateLimiter, as Telegram):
# /whoknows all goes to one group, so more than ~18 a minute would time the flood limiter.
# Ten searches of each kind a minute: a run's p99 for them is then the slowest of ten (it was
# of three while each cost seconds and more kept the bot behind).
DEFAULT_COMMANDS = "helpers=60,profile=60,whoknows=10,meet=10"
QUICK_COMMANDS = "helpers=60,profile=60,whoknows=6,meet=6"
COMMANDS_START = 1.0  # seconds: the stream's groups are in the database by then


def parse_commands(text: str) -> dict[str, float]:
    """Parse ``helpers=60,whoknows=15``: commands per minute of each kind."""
    rates: dict[str, float] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        kind, _, rate = item.partition("=")
        if kind not in KINDS:
            raise argparse.ArgumentTypeError(f"unknown command {kind!r} (one of {KINDS})")
        rates[kind] = float(rate)
    return rates


def _columns(update: dict[str, Any]) -> tuple[int, int, int]:
    """(chat id, message id, sender id) of an update with a message, else zeros."""
    message = update.get("message") or update.get("edited_message")
    if message is None:
        return 0, 0, 0
    return message["chat"]["id"], message["message_id"], message["from"]["id"]


def make_schedule(
    path: Path,
    *,
    rate: float,
    seconds: float,
    commands: dict[str, float],
    thanks_share: float,
    big: BigGroup,
    seed: int = 7,
) -> dict[str, int]:
    """Write the schedule ``bench/fake_server.py`` plays; return the commands per kind.

    The stream's updates come every ``1 / rate`` seconds; each kind of command at its own
    steady rate from ``COMMANDS_START`` on, the kinds staggered. Update ids follow the
    order of the schedule, and message ids grow with time in every chat (Rete ignores a
    message id lower than one it has counted, as a redelivery).
    """
    rng = random.Random(seed + 1)
    plan: list[tuple[float, int, str | None]] = [
        (n / rate, 0, None) for n in range(int(rate * seconds))
    ]
    active = [kind for kind in KINDS if commands.get(kind, 0) > 0]
    for position, kind in enumerate(active):
        interval = 60 / commands[kind]
        at = COMMANDS_START + interval * position / len(active)
        while at < seconds:
            plan.append((at, 1, kind))
            at += interval
    plan.sort(key=lambda item: (item[0], item[1]))
    stream = Stream(thanks_share, seed)
    askers = list(big.member_ids)
    rng.shuffle(askers)
    meeting = iter(askers)  # /meet once per member (it is once a week)
    turn = {"helpers": 0, "profile": 25}
    counts = dict.fromkeys(active, 0)
    with path.open("w") as out:
        for update_id, (at, _, kind) in enumerate(plan, start=1):
            if kind is None:
                update = stream.next()
            elif kind in ("helpers", "profile"):
                # Spread over the groups: each group's flood budget (20 a minute) is shared
                # with the 🤝 of its thanks.
                chat = stream.groups[(turn[kind] * 7) % len(stream.groups)]
                turn[kind] += 1
                sender = stream.users[rng.randrange(len(stream.users))]
                update = f.command(chat, sender, f"/{kind}")
            elif kind == "whoknows":
                member_id = big.member_ids[rng.randrange(len(big.member_ids))]
                tags = big.askable[member_id]
                tag = tags[rng.randrange(len(tags))] if tags else "python"
                update = f.command(big.chat, big.user(member_id), f"/whoknows {tag}")
            else:
                user = big.user(next(meeting))
                update = f.command(f.private_chat(user), user, "/meet")
            if kind is not None:
                counts[kind] += 1
            update["update_id"] = update_id
            chat_id, message_id, user_id = _columns(update)
            out.write(
                f"{at:.6f}\t{kind or '-'}\t{chat_id}\t{message_id}\t{user_id}\t"
                f"{json.dumps(update)}\n"
            )
    return counts


# ---- the event loop's stalls -----------------------------------------------------------------


@dataclass
class StallMonitor:
    """How late the event loop runs a timer that is due: its stalls, measured from inside.

    One plain callback re-arms itself with ``call_at`` every ``period`` seconds and notes
    how late it ran (no task, no coroutine: a timer handle and a heap push, 5–10 µs, so
    under 1% of a busy loop at 1 ms; an idle loop wakes up for it). Its lateness is how
    long anything that became ready then (an update, a reply from the database, a job)
    waited for the loop, measured within ``period`` (plus epoll's 1 ms rounding when the
    loop is idle). asyncio's debug mode (``slow_callback_duration``) would name the slow
    callback but slows every callback down; this costs the same whatever the load.

    Each stall also records how much CPU the loop's thread used during it
    (``time.thread_time``): close to the stall, the loop was computing; much less, the
    thread was waiting (for the GIL held by another thread, or for a core the machine's
    other processes had).
    """

    period: float = 0.001
    threshold: float = 0.020
    ticks: int = 0
    longest: float = 0.0
    # (when it was due, how late it ran, the loop thread's CPU seconds meanwhile)
    stalls: list[tuple[float, float, float]] = field(default_factory=list)
    _loop: asyncio.AbstractEventLoop | None = None
    _due: float = 0.0
    _cpu: float = 0.0
    _handle: asyncio.TimerHandle | None = None

    def start(self) -> None:
        """Start ticking on the running loop."""
        self._loop = asyncio.get_running_loop()
        self._due = self._loop.time() + self.period
        self._cpu = time.thread_time()
        self._handle = self._loop.call_at(self._due, self._tick)

    def stop(self) -> None:
        """Stop ticking."""
        if self._handle is not None:
            self._handle.cancel()

    def _tick(self) -> None:
        assert self._loop is not None
        now, cpu = self._loop.time(), time.thread_time()
        late = now - self._due
        self.ticks += 1
        if late > self.longest:
            self.longest = late
        if late > self.threshold:
            self.stalls.append((self._due, late, cpu - self._cpu))
        self._due, self._cpu = now + self.period, cpu
        self._handle = self._loop.call_at(self._due, self._tick)


# ---- latency amid the stream -----------------------------------------------------------------


@dataclass(frozen=True)
class LatencyOptions:
    """What the latency phase runs."""

    rate: float = 500
    seconds: float = 120
    commands: dict[str, float] = field(default_factory=lambda: parse_commands(DEFAULT_COMMANDS))
    thanks_share: float = 0.05
    members: int = 50_000
    drain: float = 60
    period: float = 0.001
    threshold: float = 0.020
    seed: int = 7


@dataclass
class LatencyResult:
    """Per-kind answer times (None: no answer within the drain), stalls, and the context."""

    options: LatencyOptions
    latencies: dict[str, list[float | None]]
    monitor: StallMonitor
    report: dict[str, Any]
    seeded_seconds: float
    window: float
    cpu_seconds: float
    dropped: int
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]


def _drop_pending(app: Application[Any, Any, Any, Any, Any, Any]) -> int:
    """Drop the updates the bot fetched but has not processed; return how many."""
    dropped = 0
    while not app.update_queue.empty():
        app.update_queue.get_nowait()
        app.update_queue.task_done()
        dropped += 1
    return dropped


async def measure_latency(options: LatencyOptions) -> LatencyResult:
    """Seed the big group, run the bot against the paced stream, return the answer times."""
    with tempfile.TemporaryDirectory() as directory:
        database = Path(directory) / "latency.sqlite3"
        schedule = Path(directory) / "schedule.tsv"
        started = time.perf_counter()
        store = await SqliteStore.open(database)  # migrated, then seeded directly
        await store.close()
        big = seed_big_group(database, options.members, datetime.now(UTC), seed=options.seed)
        f.use_clock(SystemClock())  # messages dated now, as Telegram would
        make_schedule(
            schedule,
            rate=options.rate,
            seconds=options.seconds,
            commands=options.commands,
            thanks_share=options.thanks_share,
            big=big,
            seed=options.seed,
        )
        seeded = time.perf_counter() - started
        async with fake_telegram() as server:
            settings = Settings(
                bot_token=server.token, api_base_url=server.base_url, database=database
            )
            app = build_application(settings)
            await app.initialize()
            freeze_startup()  # as `rete run` does once it reached the Bot API
            assert app.post_init is not None
            await app.post_init(app)
            # As run_polling does: poll, then start the application.
            assert app.updater is not None
            await app.updater.start_polling(allowed_updates=ALLOWED_UPDATES)
            await app.start()
            monitor = StallMonitor(options.period, options.threshold)
            load_before = os.getloadavg()
            cpu = time.process_time()
            window = time.monotonic()
            monitor.start()
            report = await server.play(schedule, options.drain)
            monitor.stop()
            window = time.monotonic() - window
            cpu = time.process_time() - cpu
            load_after = os.getloadavg()
            # Commands still unanswered after the drain are dropped, not waited for.
            dropped = _drop_pending(app)
            await app.updater.stop()
            dropped += _drop_pending(app)
            await app.stop()
            await app.shutdown()
            assert app.post_shutdown is not None
            await app.post_shutdown(app)
    latencies: dict[str, list[float | None]] = {kind: [] for kind in options.commands}
    for command in report["commands"]:
        answered = command["answered"]
        latencies[command["kind"]].append(
            None if answered is None else answered - command["available"]
        )
    return LatencyResult(
        options,
        latencies,
        monitor,
        report,
        seeded,
        window,
        cpu,
        dropped,
        load_before,
        load_after,
    )


# ---- reporting -------------------------------------------------------------------------------


def percentile(values: Sequence[float | None], share: float) -> float:
    """Nearest-rank percentile; an unanswered command (None) counts as infinitely late."""
    ranked = sorted(math.inf if v is None else v for v in values)
    if not ranked:
        return math.nan
    return ranked[max(0, math.ceil(share * len(ranked)) - 1)]


def ms(seconds: float) -> str:
    """Milliseconds for a table: 3.2 ms, 41 ms, 1,234 ms, or 'none' for infinity."""
    if math.isnan(seconds):
        return "–"
    if math.isinf(seconds):
        return "no answer"
    value = seconds * 1000
    return f"{value:.1f} ms" if value < 10 else f"{value:,.0f} ms"


def in_flight(report: dict[str, Any], start: float, end: float) -> str:
    """Which commands were waiting for an answer during [start, end]."""
    waiting: dict[str, int] = {}
    for command in report["commands"]:
        answered = command["answered"] if command["answered"] is not None else math.inf
        if command["available"] < end and answered > start:
            waiting[command["kind"]] = waiting.get(command["kind"], 0) + 1
    return ", ".join(f"/{kind} ×{n}" for kind, n in sorted(waiting.items())) or "none"


def print_latency(result: LatencyResult) -> None:
    """Print the latency phase: per command, the stalls, and the context."""
    options, report, monitor = result.options, result.report, result.monitor
    total = sum(len(v) for v in result.latencies.values())
    print()
    print(
        f"Latency amid the stream: {report['updates'] - total:,} updates at "
        f"{options.rate:,.0f}/s for {options.seconds:g} s ({options.thanks_share:.0%} thanks) "
        f"and {total} commands; a group of {options.members:,} opted-in members "
        f"(seeded in {result.seeded_seconds:.1f} s)"
    )
    print()
    print("| command | where | sent | answered | p50 | p99 | max |")
    print("|---|---|---|---|---|---|---|")
    for kind, values in result.latencies.items():
        answered = sum(v is not None for v in values)
        print(
            f"| /{kind} | {WHERE[kind].format(members=options.members)} | {len(values)} "
            f"| {answered} "
            f"| {ms(percentile(values, 0.5))} | {ms(percentile(values, 0.99))} "
            f"| {ms(percentile(values, 1.0))} |"
        )
    over = monitor.stalls
    print()
    print(
        f"Event loop: longest stall {ms(monitor.longest)}; {len(over)} stalls over "
        f"{monitor.threshold * 1000:g} ms ({sum(late for _, late, _ in over):.1f} s in all) in "
        f"{result.window:.1f} s ({monitor.ticks:,} ticks of {monitor.period * 1000:g} ms)"
    )
    if over:
        busiest = max(over, key=lambda s: s[2])
        print(
            f"  most CPU the loop thread used within one stall: {busiest[2] * 1000:,.0f} ms "
            f"(in {busiest[1] * 1000:,.0f} ms); the five longest:"
        )
    for due, late, cpu in sorted(over, key=lambda s: -s[1])[:5]:
        print(
            f"  {late * 1000:,.0f} ms at {due - report['started']:.1f} s, the loop thread on "
            f"CPU for {cpu * 1000:,.0f} ms of it; waiting then: "
            f"{in_flight(report, due, due + late)}"
        )
    drained = report["reported"] - report["ended"]
    print(
        f"Stream played in {report['ended'] - report['started']:.1f} s, answers waited for "
        f"{drained:.1f} s more; most updates waiting at the server {report['max_backlog']:,} "
        f"({report['backlog_at_end']:,} at the end, {result.dropped:,} fetched and dropped "
        f"unprocessed); {report['polls']:,} getUpdates"
    )
    print(
        f"Bot process CPU {result.cpu_seconds:.1f} s in {result.window:.1f} s; load average "
        f"{result.load_before[0]:.1f} before, {result.load_after[0]:.1f} after (2 cores)"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print Markdown tables."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.activity",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
    )
    parser.add_argument("--updates", type=int, default=100_000, help="throughput stream")
    parser.add_argument("--repeats", type=int, default=3, help="throughput: median of these")
    parser.add_argument("--thanks", type=float, default=0.05, help="share of thanks, e.g. 0.05")
    parser.add_argument("--no-throughput", action="store_true", help="skip the throughput part")
    parser.add_argument(
        "--database",
        metavar="URL",
        help="throughput on PostgreSQL: a server (postgresql://...), a fresh schema per repeat",
    )
    parser.add_argument("--no-latency", action="store_true", help="skip the latency part")
    parser.add_argument("--rate", type=float, default=500, help="latency: updates/s")
    parser.add_argument("--seconds", type=float, default=120, help="latency: stream length")
    parser.add_argument(
        "--commands",
        type=parse_commands,
        default=None,
        help=f"latency: commands per minute of each kind, others not sent ({DEFAULT_COMMANDS})",
    )
    parser.add_argument("--members", type=int, default=50_000, help="latency: the big group")
    parser.add_argument(
        "--drain", type=float, default=60, help="latency: most seconds to wait for answers"
    )
    parser.add_argument(
        "--stall", type=float, default=20, help="latency: a stall is longer than this (ms)"
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"20,000 updates once; 12 s of stream, {QUICK_COMMANDS}, 10 s of drain",
    )
    args = parser.parse_args(argv)
    if args.database is not None and not args.no_latency:
        parser.error("--database: the latency part seeds SQLite directly; add --no-latency")
    if args.quick:
        args.updates, args.repeats, args.seconds, args.drain = 20_000, 1, 12, 10
        if args.commands is None:
            args.commands = parse_commands(QUICK_COMMANDS)
    if args.commands is None:
        args.commands = parse_commands(DEFAULT_COMMANDS)
    if not args.no_throughput:
        result = asyncio.run(measure(args.updates, args.repeats, args.thanks, args.database))
        print("| updates | thanks share | credits | Rete updates/s | bare PTB updates/s | ratio |")
        print("|---|---|---|---|---|---|")
        print(
            f"| {args.updates:,} | {args.thanks:.0%} | {result['credits']:,} "
            f"| {result['ours']:,.0f} | {result['bare']:,.0f} | {result['ratio']:.2f} |"
        )
    if not args.no_latency:
        options = LatencyOptions(
            rate=args.rate,
            seconds=args.seconds,
            commands=args.commands,
            thanks_share=args.thanks,
            members=args.members,
            drain=args.drain,
            threshold=args.stall / 1000,
        )
        print_latency(asyncio.run(measure_latency(options)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
