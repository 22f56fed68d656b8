"""Run the fake Bot API server in its own process, so benchmarks don't pay for its CPU.

Prints its base URL and token on one line, then serves until standard input closes.

For the latency benchmark it also plays a paced stream of updates through ``getUpdates``
and times the bot's answers. Standard input takes one command::

    play <schedule file> <drain seconds>

The schedule has one update per line, in order: tab-separated, the seconds after the start
at which it becomes available, the command's kind (``-`` for none), the chat id and message
id (``0`` for an update without a message), the sender's id, and the update's JSON (its
update_id is its line number). Each update is made available to ``getUpdates`` at its time;
for a command, the moment it became available is noted, and the first ``sendMessage`` that
answers it (a reply to it in its group, or the next message to its sender's private chat)
stops its clock. When the stream has been played and every command is answered, or
``drain`` seconds after the end of the stream, the server prints one JSON line: every
command with its two times (``time.monotonic()``: CLOCK_MONOTONIC, which the bot's process
shares on Linux), and how far behind the bot fell.

``stats <first>`` prints one JSON line about the calls the bots made from the ``first``-th
on (``bench/instances.py``): how many in all, how many of each method, and for
``setMessageReaction`` and ``sendMessage`` how many went to a (chat, message) that had one
already among them (sent twice).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import sys
import time
from collections import deque
from pathlib import Path
from typing import Any

from aiohttp import web

from tests.factories import seen_message_id
from tests.fake_telegram import ApiCall, FakeTelegram


class BenchTelegram(FakeTelegram):
    """The fake Bot API with a lean ``getUpdates`` for a paced stream, answers timed.

    The tests' ``getUpdates`` copies every update twice and scans the whole queue on every
    poll, which is right for a handful of updates and too slow for thousands a second on a
    machine the bot shares. Here the updates stay the JSON bytes the benchmark wrote.
    Everyone may receive DMs (the benchmark's members all opened a private chat with Rete).
    """

    def __init__(self) -> None:
        super().__init__(can_read_all_group_messages=True)
        self._available: deque[tuple[int, bytes]] = deque()
        self._arrived = asyncio.Event()
        self.timed: list[dict[str, Any]] = []
        # Unanswered commands: group ones by (chat id, message id), private ones by user.
        self._in_groups: dict[tuple[int, int], dict[str, Any]] = {}
        self._in_private: dict[int, deque[dict[str, Any]]] = {}
        self.unanswered = 0
        self.answered = asyncio.Event()
        self.answered.set()  # nothing to wait for yet
        self.max_backlog = 0
        self.polls = 0

    def _get_chat_member(self, call: ApiCall) -> dict[str, Any]:
        """Everyone is a member of the benchmark's groups.

        The tests' fake learns who is in a group from the updates it is given; the paced
        stream skips that bookkeeping, and the seeded group's members never write at all.
        """
        chat_id = self._chat_id(call.params)
        user_id = call.params.get("user_id")
        if chat_id < 0 and isinstance(user_id, int):
            self.bot_status.setdefault(chat_id, "member")
            self.chat_members.setdefault(chat_id, {}).setdefault(user_id, "member")
        return super()._get_chat_member(call)

    async def stop(self) -> None:
        """Wake the pending long poll, then stop."""
        self._closing = True
        self._arrived.set()
        await super().stop()

    # ---- the stream --------------------------------------------------------------------------

    async def play(self, schedule: Path, drain: float) -> dict[str, Any]:
        """Make each update available at its time; return the commands and their answers."""
        entries = []
        with schedule.open("rb") as lines:
            for update_id, line in enumerate(lines, start=1):
                at, kind, chat, message, user, raw = line.rstrip(b"\n").split(b"\t", 5)
                entries.append(
                    (float(at), kind.decode(), int(chat), int(message), int(user), update_id, raw)
                )
        started = time.monotonic()
        for at, kind, chat_id, message_id, user_id, update_id, raw in entries:
            delay = started + at - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            if message_id:
                # The server's own messages get ids after the members' ones.
                seen_message_id(chat_id, message_id)
            if kind != "-":
                self._expect(kind, update_id, chat_id, message_id, user_id)
            self._available.append((update_id, raw))
            self.max_backlog = max(self.max_backlog, len(self._available))
            self._arrived.set()
        ended = time.monotonic()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.answered.wait(), drain)
        return {
            "started": started,
            "ended": ended,
            "reported": time.monotonic(),
            "updates": len(entries),
            "polls": self.polls,
            "max_backlog": self.max_backlog,
            "backlog_at_end": len(self._available),
            "commands": self.timed,
        }

    def _expect(
        self, kind: str, update_id: int, chat_id: int, message_id: int, user_id: int
    ) -> None:
        command = {
            "kind": kind,
            "update_id": update_id,
            "chat_id": chat_id,
            "user_id": user_id,
            "available": time.monotonic(),
            "answered": None,
        }
        self.timed.append(command)
        self.unanswered += 1
        self.answered.clear()
        if chat_id > 0:  # a private chat's id is its user's
            self._in_private.setdefault(chat_id, deque()).append(command)
        else:
            self._in_groups[(chat_id, message_id)] = command

    def _answer(self, at: float, chat_id: int, reply_to: Any) -> None:
        command = None
        if isinstance(reply_to, str):
            with contextlib.suppress(ValueError):
                reply_to = json.loads(reply_to)
        if isinstance(reply_to, dict):
            command = self._in_groups.pop((chat_id, reply_to.get("message_id")), None)
        if command is None and chat_id > 0:
            waiting = self._in_private.get(chat_id)
            if waiting:
                command = waiting.popleft()
        if command is None:
            return
        command["answered"] = at
        self.unanswered -= 1
        if self.unanswered == 0:
            self.answered.set()

    # ---- the Bot API methods that differ ---------------------------------------------------

    async def _handle_api(self, request: web.Request) -> web.Response:
        if request.match_info["method"].lower() != "getupdates":
            return await super()._handle_api(request)
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        params, _ = await self._decode(request)
        self.polls += 1
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        while self._available and self._available[0][0] < offset:
            self._available.popleft()
        if not self._available and timeout > 0 and not self._closing:
            self._arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), timeout)
        batch = [raw for _, raw in itertools.islice(self._available, limit)]
        body = b'{"ok":true,"result":[' + b",".join(batch) + b"]}"
        return web.Response(body=body, content_type="application/json")

    def _send_message(self, call: ApiCall) -> dict[str, Any]:
        at = time.monotonic()
        result = super()._send_message(call)
        self._answer(at, result["chat"]["id"], call.params.get("reply_parameters"))
        return result

    def stats(self, first: int = 0) -> dict[str, Any]:
        """Calls per method from the ``first``-th, and the reactions and replies among them
        that went out twice."""
        methods: dict[str, int] = {}
        seen: dict[str, set[tuple[Any, ...]]] = {"setMessageReaction": set(), "sendMessage": set()}
        twice = dict.fromkeys(seen, 0)
        for call in self.calls[first:]:
            methods[call.method] = methods.get(call.method, 0) + 1
            if call.method not in seen:
                continue
            if call.method == "setMessageReaction":
                key: tuple[Any, ...] = (
                    str(call.params.get("chat_id")),
                    str(call.params.get("message_id")),
                )
            else:
                reply = call.params.get("reply_parameters")
                if isinstance(reply, str):
                    with contextlib.suppress(ValueError):
                        reply = json.loads(reply)
                if not isinstance(reply, dict):
                    continue  # not an answer to one message: nothing to compare
                key = (str(call.params.get("chat_id")), str(reply.get("message_id")))
            if key in seen[call.method]:
                twice[call.method] += 1
            seen[call.method].add(key)
        return {"calls": len(self.calls), "methods": methods, "twice": twice}

    def _check_can_send(self, chat_id: int) -> None:
        self._check_member(chat_id)


async def serve() -> None:
    """Serve until stdin is closed; play a stream when asked."""
    loop = asyncio.get_running_loop()
    async with BenchTelegram() as telegram:
        print(telegram.base_url, telegram.token, flush=True)
        while True:
            line = await loop.run_in_executor(None, sys.stdin.readline)
            if not line:
                break
            words = line.split()
            if words[:1] == ["play"]:
                report = await telegram.play(Path(words[1]), float(words[2]))
                print(json.dumps(report), flush=True)
            elif words[:1] == ["stats"]:
                first = int(words[1]) if len(words) > 1 else 0
                print(json.dumps(telegram.stats(first)), flush=True)


if __name__ == "__main__":
    asyncio.run(serve())
