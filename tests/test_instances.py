"""Two real `rete run` instances behind one webhook address, one PostgreSQL, one fake Telegram.

The test plays Telegram and the load balancer: a stream of updates that interleaves the same
groups across both instances' webhook ports, some updates delivered to both (Telegram retries
a webhook, a balancer replays), thanks that race for the same giver's quota and the same
pair's cap on the two instances at the same moment. Mid-stream the leader is killed
(SIGKILL); what was meant for it goes to the survivor (nginx's ``proxy_next_upstream``),
which takes the lead and runs the slot that came due meanwhile.

Then, read from the database and the fake Telegram: every message counted once, no credit
past the quota or the pair cap, each scheduled slot posted once, no DM sent twice, and the
survivor led within a few of its lead tries.

Both processes run on the test clock (``RETE_TEST_CLOCK``): each starts on Monday
2026-11-23 at 09:00:45 UTC, so the weekly recaps (Monday 09:00) are due at once and a
third group's recap, set to 09:01, comes due while the stream runs. Runs only with a
PostgreSQL server (``RETE_TEST_POSTGRES``, which .ci/run sets); about 30-40 s.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import signal
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp

from bot.clock import ManualClock, ShiftedClock
from storage import ChatInfo, open_store
from tests import factories as f
from tests.conftest import free_port
from tests.fake_telegram import FakeTelegram

ROOT = Path(__file__).parent.parent
SECRET = "one-secret-for-every-instance"
START = datetime(2026, 11, 23, 9, 0, 45, tzinfo=UTC)  # a Monday
DAY = "2026-11-23"
RETRY_SECONDS = 1.0
QUOTA, PAIR_CAP = 5, 3
# Streamed groups (recap Monday 09:00) and a quiet one whose recap is at 09:01.
G1, G2, QUIET = f.group(-1001, "Makers"), f.group(-1002, "Riders"), f.group(-1003, "Quiet")
PEOPLE = [f.user(101 + i, f"P{i}", username=f"p{i}") for i in range(8)]
# Activity left in the killed leader's buffer is lost (at most FLUSH_SECONDS of it, see the
# README); the stream pauses this long before the kill, so that "counted once" is exact.
QUIET_BEFORE_KILL = 2.5


@dataclass
class Instance:
    """One `rete run` process in webhook mode."""

    name: str
    port: int
    log: Path
    process: asyncio.subprocess.Process | None = None
    started: float = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/telegram"

    async def start(self, telegram: FakeTelegram, database: str, tmp_path: Path) -> None:
        environment = {k: v for k, v in os.environ.items() if not k.startswith("RETE_")}
        environment.update(
            RETE_BOT_TOKEN=telegram.token,
            RETE_API_BASE_URL=telegram.base_url,
            RETE_DATABASE=database,
            RETE_MODE="webhook",
            RETE_WEBHOOK_LISTEN="127.0.0.1",
            RETE_WEBHOOK_PORT=str(self.port),
            RETE_WEBHOOK_URL="https://bot.example.org/telegram",
            RETE_WEBHOOK_SECRET=SECRET,
            RETE_DEFAULT_LANGUAGE="en",
            RETE_DEFAULT_TIMEZONE="UTC",
            RETE_LEADER_RETRY_SECONDS=str(RETRY_SECONDS),
            RETE_TEST_CLOCK=START.isoformat(),
        )
        self.started = time.monotonic()
        with self.log.open("wb") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "run",
                env=environment,
                cwd=tmp_path,
                stdout=log,
                stderr=asyncio.subprocess.STDOUT,
            )

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    async def serving(self, session: aiohttp.ClientSession) -> None:
        """Wait until the webhook answers (a request without the secret: 403)."""
        async with asyncio.timeout(60):
            while True:
                assert self.process is not None
                assert self.process.returncode is None, self.text()[-3000:]
                with contextlib.suppress(aiohttp.ClientConnectionError):
                    async with session.post(self.url, json={}) as response:
                        assert response.status == 403
                        return
                await asyncio.sleep(0.1)

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)

    async def stop(self) -> None:
        """Ctrl-C, as an operator stops it: what it buffered is written first."""
        if self.process is None or self.process.returncode is not None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            await asyncio.wait_for(self.process.wait(), timeout=30)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()


@dataclass
class Balancer:
    """Telegram and nginx: each update to one instance, the next one if it is down."""

    session: aiohttp.ClientSession
    telegram: FakeTelegram
    instances: list[Instance]
    ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    # Group messages delivered (each once, however many copies): (chat, member) -> count.
    messages: Counter = field(default_factory=Counter)
    starts: Counter = field(default_factory=Counter)

    async def post(self, instance: Instance, update: dict[str, Any]) -> bool:
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        try:
            async with self.session.post(instance.url, json=update, headers=headers) as answer:
                assert answer.status == 200, await answer.text()
                return True
        except aiohttp.ClientConnectionError:
            return False

    async def deliver(self, update: dict[str, Any], to: int, *, copy: bool = False) -> None:
        """Deliver ``update`` to instance ``to`` (or the other if it is down); with ``copy``,
        deliver it to both, at the same moment."""
        update = {"update_id": next(self.ids), **update}
        self.telegram._observe(update)
        message = update.get("message")
        if message is not None and message["chat"]["type"] != "private":
            self.messages[(message["chat"]["id"], message["from"]["id"])] += 1
        elif message is not None and message.get("text") == "/start":
            self.starts[message["from"]["id"]] += 1
        first, other = self.instances[to % 2], self.instances[(to + 1) % 2]
        if copy:
            delivered = await asyncio.gather(self.post(first, update), self.post(other, update))
            assert any(delivered), "no instance took the update"
            return
        if not await self.post(first, update):
            assert await self.post(other, update), "no instance took the update"


def say(chat: dict[str, Any], person: dict[str, Any], text: str, **kw: Any) -> dict[str, Any]:
    return f.message_update(f.message(chat, person, text, **kw))


async def chatter(balancer: Balancer, chats: list[dict[str, Any]], rounds: int) -> list[Any]:
    """Everyone says something in every chat, the chats interleaved across both instances;
    every fifth message is delivered to both. Return the messages, to thank them later."""
    said: list[Any] = []
    for step in range(rounds):
        sends = []
        for index, (chat, person) in enumerate(itertools.product(chats, PEOPLE)):
            update = say(chat, person, f"message {step}")
            said.append(update["message"])
            sends.append(balancer.deliver(update, index + step, copy=index % 5 == 0))
        await asyncio.gather(*sends)
    return said


def written_by(said: list[Any], chat: dict[str, Any], person: dict[str, Any]) -> list[Any]:
    return [m for m in said if m["chat"]["id"] == chat["id"] and m["from"]["id"] == person["id"]]


async def thank_at_once(
    balancer: Balancer, chat: dict[str, Any], pairs: list[tuple[dict[str, Any], Any]]
) -> None:
    """Each (giver, message) thanks that message's author, all sent at the same moment and
    spread over both instances (every third also delivered twice)."""
    sends = [
        balancer.deliver(say(chat, giver, "thanks!", reply_to=target), i, copy=i % 3 == 0)
        for i, (giver, target) in enumerate(pairs)
    ]
    await asyncio.gather(*sends)


async def prepare(database: str) -> None:
    """The groups as they were before the test's Monday: Rete was added a week earlier."""
    store = await open_store(database, clock=ManualClock(START - timedelta(days=7)).now)
    try:
        for chat in (G1, G2, QUIET):
            await store.chats.seen(ChatInfo(chat["id"], "supergroup", chat["title"]))
            await store.chats.set_setting(chat["id"], "recapimage", False)
            await store.chats.set_setting(chat["id"], "quota", QUOTA)
            await store.chats.set_setting(chat["id"], "paircap", PAIR_CAP)
        await store.chats.set_setting(QUIET["id"], "recaptime", "09:01")
    finally:
        await store.close()


async def leader_of(database: str) -> str | None:
    store = await open_store(database)
    try:
        row = await store.fetchone("SELECT instance FROM leaders")
        return None if row is None else str(row[0])
    finally:
        await store.close()


async def wait_until(predicate, timeout: float, what: str) -> None:  # noqa: ASYNC109
    deadline = time.monotonic() + timeout
    while not await predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.2)


async def test_two_instances_behave_as_one_bot(tmp_path, postgres_schemas):
    database = await postgres_schemas.new()
    await prepare(database)
    # The updates are dated by the instances' clock.
    f.use_clock(ShiftedClock(START))
    try:
        await play(tmp_path, database)
    finally:
        f.use_clock(ManualClock(f.START))


async def play(tmp_path: Path, database: str) -> None:
    a = Instance("a", free_port(), tmp_path / "a.log")
    b = Instance("b", free_port(), tmp_path / "b.log")
    async with (
        FakeTelegram(can_read_all_group_messages=True) as telegram,
        aiohttp.ClientSession() as session,
    ):
        try:
            # The first to start leads (the advisory lock is free), the second follows.
            await a.start(telegram, database, tmp_path)
            await a.serving(session)
            assert f":{a.process.pid}" in (await leader_of(database) or "")
            await b.start(telegram, database, tmp_path)
            await b.serving(session)
            balancer = Balancer(session, telegram, [a, b])

            # Everyone opens a private chat with Rete; three /start arrive twice.
            await asyncio.gather(
                *(
                    balancer.deliver(f.command(f.private_chat(p), p, "/start"), i, copy=i < 3)
                    for i, p in enumerate(PEOPLE)
                )
            )
            said = await chatter(balancer, [G1, G2], rounds=3)
            # Racing for one giver's quota: P0 thanks seven people at once, on both.
            p0 = PEOPLE[0]
            await thank_at_once(
                balancer, G1, [(p0, written_by(said, G1, p)[0]) for p in PEOPLE[1:]]
            )
            # Racing for one pair's cap: P1 thanks P2 three times while P2 thanks P1 twice.
            p1, p2 = PEOPLE[1], PEOPLE[2]
            await thank_at_once(
                balancer,
                G2,
                [(p1, m) for m in written_by(said, G2, p2)]
                + [(p2, m) for m in written_by(said, G2, p1)[:2]],
            )
            said += await chatter(balancer, [G1, G2], rounds=2)

            # Kill the leader, once the quiet group's 09:01 recap is due on both clocks and
            # before the leader's next minute tick would post it.
            await asyncio.sleep(max(QUIET_BEFORE_KILL, 18 - (time.monotonic() - b.started)))
            a.kill()
            killed_at = time.monotonic()
            await a.process.wait()

            # The stream goes on; what was meant for the dead instance reaches the other.
            said += await chatter(balancer, [G1, G2], rounds=2)
            p3 = PEOPLE[3]
            await thank_at_once(
                balancer, G2, [(p3, written_by(said, G2, p)[1]) for p in PEOPLE if p != p3]
            )
            # The 🤝 and quota notices the survivor owes.
            await thank_at_once(balancer, G1, [(PEOPLE[4], written_by(said, G1, p0)[2])])

            async def b_leads() -> bool:
                return f":{b.process.pid}" in (await leader_of(database) or "")

            await wait_until(b_leads, 30, "the survivor to take the lead")
            takeover = time.monotonic() - killed_at

            async def quiet_recap() -> bool:
                return bool(telegram.sent(QUIET["id"]))

            await wait_until(quiet_recap, 30, "the quiet group's recap")
            await asyncio.sleep(2)  # the last flush, 🤝 and DMs
        finally:
            await b.stop()
            if a.process is not None and a.process.returncode is None:
                a.kill()
                await a.process.wait()
        log_a, log_b = a.text(), b.text()
        assert "Traceback" not in log_b, log_b[-3000:]
        assert SECRET not in log_a + log_b
        assert telegram.token.split(":")[1] not in log_a + log_b

        store = await open_store(database)
        try:
            await check_counts(store, balancer)
            await check_credits(store, telegram)
            await check_slots(store, telegram)
        finally:
            await store.close()
        check_dms(telegram, balancer)
        # Within a few tries of the survivor's (each RETRY_SECONDS apart).
        assert takeover < 10 * RETRY_SECONDS, f"took {takeover:.1f} s to take over"
        assert "leads scheduled work" in log_b


async def check_counts(store, balancer: Balancer) -> None:
    """Every group message counted once, duplicates and the kill notwithstanding."""
    rows = await store.fetchall(
        "SELECT chat_id, member_id, sum(messages) FROM activity_daily GROUP BY chat_id, member_id"
    )
    counted = {(int(r[0]), int(r[1])): int(r[2]) for r in rows}
    assert counted == dict(balancer.messages)


async def check_credits(store, telegram: FakeTelegram) -> None:
    """No credit past the quota or the pair cap; one credit per message; 🤝 only for those
    that count, never twice."""
    rows = await store.fetchall(
        "SELECT chat_id, giver_id, receiver_id, message_id, counted, not_counted_why, "
        "thanks_message_id, local_day FROM credits"
    )
    credits = [tuple(r) for r in rows]
    keys = [(c[0], c[1], c[2], c[3]) for c in credits]
    assert len(keys) == len(set(keys)), "a message credited twice"
    per_day = Counter((c[0], c[1], c[7]) for c in credits if c[4])
    assert max(per_day.values()) <= QUOTA
    # P0's seven thanks, raced on both instances: five count, two are over the quota.
    p0 = [c for c in credits if c[0] == G1["id"] and c[1] == PEOPLE[0]["id"]]
    assert sorted(bool(c[4]) for c in p0) == [False] * 2 + [True] * 5
    assert {c[5] for c in p0 if not c[4]} == {"quota"}
    # P3's seven thanks after the kill, on the survivor alone.
    p3 = [c for c in credits if c[0] == G2["id"] and c[1] == PEOPLE[3]["id"]]
    assert sum(bool(c[4]) for c in p3) == QUOTA
    pairs = Counter(
        (c[0], min(c[1], c[2]), max(c[1], c[2])) for c in credits if c[4] and c[7] == DAY
    )
    assert max(pairs.values()) <= PAIR_CAP
    pair = [
        c
        for c in credits
        if c[0] == G2["id"] and {c[1], c[2]} == {PEOPLE[1]["id"], PEOPLE[2]["id"]}
    ]
    assert len(pair) == 5
    assert sum(bool(c[4]) for c in pair) == PAIR_CAP
    assert {c[5] for c in pair if not c[4]} == {"pair_cap"}
    reactions = Counter(
        (call.params["chat_id"], call.params["message_id"])
        for call in telegram.calls_to("setMessageReaction")
    )
    assert max(reactions.values(), default=1) == 1, "a 🤝 sent twice"
    scored = {(c[0], c[6]) for c in credits if c[4]}
    assert set(reactions) <= scored, "a 🤝 for a thanks that did not count"
    # The survivor's own: every thanks it scored after the kill got its 🤝.
    after = {(c[0], c[6]) for c in p3 if c[4]}
    assert after <= set(reactions)


async def check_slots(store, telegram: FakeTelegram) -> None:
    """Each group's recap slot run once, whichever instance led; posted once."""
    rows = await store.fetchall("SELECT chat_id, job, slot, state FROM schedule_runs")
    runs = Counter((int(r[0]), r[1], r[2]) for r in rows)
    assert max(runs.values()) == 1
    states = {(int(r[0]), r[1], r[2]): r[3] for r in rows}
    assert states[(G1["id"], "recap", "2026-11-23T09:00")] == "done"
    assert states[(G2["id"], "recap", "2026-11-23T09:00")] == "done"
    assert states[(QUIET["id"], "recap", "2026-11-23T09:01")] == "done"
    for chat in (G1, G2, QUIET):
        # The only messages Rete posts in these groups are their recaps (a first one here).
        posted = [call.result.get("text", "") for call in telegram.sent(chat["id"])]
        assert len(posted) == 1, f"{chat['title']}: {posted}"
        assert "recap" in posted[0].lower()


def check_dms(telegram: FakeTelegram, balancer: Balancer) -> None:
    """No DM twice: one answer per /start, one quota notice per giver and day."""
    for person in PEOPLE:
        texts = [call.result["text"] for call in telegram.sent(person["id"])]
        assert len(texts) == len(set(texts)), f"{person['first_name']} got a DM twice"
        assert len([t for t in texts if t.startswith("👋")]) == balancer.starts[person["id"]]
    for giver, chat in ((PEOPLE[0], G1), (PEOPLE[3], G2)):
        texts = [call.result["text"] for call in telegram.sent(giver["id"])]
        told = [t for t in texts if "today in" in t and chat["title"] in t]
        assert len(told) == 1, f"{giver['first_name']} told {len(told)} times about the quota"
