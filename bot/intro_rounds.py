"""Introduction rounds: record a round, deliver it, re-pair after a bounce, sweep what is due.

The order is what keeps a round honest across crashes: the round and all its pairs are
recorded before any DM, and each DM is claimed before it is sent, so a resumed round
never sends twice. Nothing here knows Telegram: people are reached through a
:class:`Messenger` (the handlers implement it with PTB, tests with a fake), the time is
``now()``, a group's settings come from ``prefs(chat_id)``.
"""

from __future__ import annotations

import asyncio
import logging
import zlib
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from bot.chat_settings import ChatPrefs
from bot.introductions import (
    SILENT_ROUNDS,
    TOLD_ONCE,
    candidate,
    left_out_reasons,
    match_reasons,
)
from bot.matching import Candidate, History, RoundResult, pair_round
from bot.schedule import slot_key
from storage.interface import IntroRepository
from storage.intro_records import Intro, NewIntro

log = logging.getLogger(__name__)

# Rounds looked back beyond the repeat window: by then a past pairing weighs almost nothing.
HISTORY_EXTRA_ROUNDS = 8
# An introduction a crash or an outage kept from going out is still sent this long after.
PENDING_KEPT = timedelta(days=2)


class Messenger(Protocol):
    """How introductions reach people, in their own language.

    Each method returns False when the member cannot be written to (they blocked the bot,
    or never opened a private chat with it). Any other failure raises: what was claimed
    for the message is then released, to be tried again by the sweep.
    """

    async def send_intro(self, intro: Intro, member_id: int) -> bool:
        """DM ``member_id`` their introduction, or why nobody was found for them."""
        ...

    async def send_follow_up(self, intro: Intro, member_id: int) -> bool:
        """Ask ``member_id`` whether they met the others of ``intro``."""
        ...

    async def tell_paused(self, chat_id: int, member_id: int) -> bool:
        """Tell a member their introductions in a group are paused: rounds went unanswered."""
        ...

    async def tell_partner_unreachable(self, member_id: int, partner_id: int) -> bool:
        """Tell a member that ``partner_id`` cannot be reached, so their introduction is off."""
        ...


async def history(
    intros: IntroRepository, chat_id: int, prefs: ChatPrefs, member_id: int | None = None
) -> History:
    """Return what matching must know of a group's past: recent pairs and who interacted.

    With ``member_id``, only what matching one member needs (/meet): the pairs they are in.
    """
    window = prefs.intros_repeat_window
    return History(
        # Older pairings still weigh a little (matching halves the penalty each round).
        rounds_since=await intros.rounds_since(chat_id, window + HISTORY_EXTRA_ROUNDS, member_id),
        interacted=await intros.interacted(chat_id, member_id),
        repeat_window=window,
    )


def _pair(pool: list[Candidate], past: History, seed: int) -> tuple[RoundResult, dict[int, str]]:
    """Pair a round and say why each member left out was (CPU work: run in a thread)."""
    result = pair_round(pool, past, seed=seed)
    return result, left_out_reasons(result.unmatched, pool, past)


@dataclass
class IntroRounds:
    """Runs rounds and sends introductions: the record in ``intros``, people via ``messenger``."""

    intros: IntroRepository
    messenger: Messenger
    prefs: Callable[[int], Awaitable[ChatPrefs]]
    now: Callable[[], datetime]
    # One sender at a time per group (round, sweep, /meet, /introduce), in any instance:
    # ``lock(chat_id)`` holds the group's lock (storage.locks), so no DM is claimed twice
    # at once and a round is never paired by two instances.
    lock: Callable[[int], AbstractAsyncContextManager[None]]
    # The trust policy's "is this person in the group now?" (Policy.is_member): nobody is
    # introduced to, or told about, someone whose membership ended since they were paired.
    is_member: Callable[[int, int], Awaitable[bool]]

    async def run_round(self, chat_id: int, slot: datetime) -> int | None:
        """Run the group's matching round for ``slot``: record it all, then send the DMs.

        Idempotent: a resumed round finds its record and only sends what was not sent.
        Return the round's id, None if there was no round (off, or nobody to introduce).
        """
        prefs = await self.prefs(chat_id)
        if not prefs.intros:
            return None
        key = slot_key(slot, prefs.zone)
        store = self.intros
        async with self.lock(chat_id):
            round_id = await store.round_id(chat_id, key)
            if round_id is None:
                # Who takes part is judged at the slot (a pause ending then has ended).
                round_id = await self.record_round(chat_id, key, prefs, max(slot, self.now()))
            if round_id is None:
                log.info(
                    "No introductions round in chat %s at %s: nobody to introduce", chat_id, key
                )
                return None
            await self.deliver_round(chat_id, round_id)
        return round_id

    async def record_round(
        self, chat_id: int, key: str, prefs: ChatPrefs, at: datetime
    ) -> int | None:
        """Pair the round's candidates and record it all; None (nothing recorded) if nobody."""
        store = self.intros
        now = self.now()
        rows = await store.candidates(chat_id, at)
        silent = set(
            await store.silent_members(chat_id, [r.member_id for r in rows], SILENT_ROUNDS)
        )
        for member_id in sorted(silent):
            await store.set_status(chat_id, member_id, "paused", now, reason="silent")
        pool = [candidate(r.member_id, r.tags, r.never) for r in rows if r.member_id not in silent]
        round_id: int | None = None
        if pool:  # an empty round would only shorten everyone's repeat window
            past = await history(store, chat_id, prefs)
            # Pairing a big group takes a while: off the event loop, so the bot keeps answering.
            seed = zlib.crc32(f"{chat_id}:{key}".encode())
            result, whys = await asyncio.to_thread(_pair, pool, past, seed)
            quiet = [
                m for m, why in whys.items() if not await self._worth_telling(chat_id, m, why)
            ]
            round_id, _new = await store.record_round(
                chat_id,
                key,
                now,
                now + timedelta(days=prefs.intros_follow_up_days),
                [NewIntro(m.members, m.score, match_reasons(m)) for m in result.matches],
                [(u.member_id, whys[u.member_id]) for u in result.unmatched],
                quiet=frozenset(quiet),
            )
            log.info(
                "Introductions round %s in chat %s: %d matches, %d unmatched (%d not told again)",
                key,
                chat_id,
                len(result.matches),
                len(result.unmatched),
                len(quiet),
            )
        # Told only once the round is recorded: no DM of a round goes out before that.
        for member_id in sorted(silent):
            await self.messenger.tell_paused(chat_id, member_id)
        return round_id

    async def _worth_telling(self, chat_id: int, member_id: int, why: str) -> bool:
        """True if a member left out of a round should hear it: never told, or news since."""
        if why not in TOLD_ONCE:
            return True
        told = await self.intros.last_told_left_out(chat_id, member_id)
        return told is None or await self.intros.news_since(chat_id, member_id, told, self.now())

    async def deliver_round(self, chat_id: int, round_id: int) -> None:
        """Send the round's pending DMs; re-pair members whose partner could not be reached.

        Introductions go first; the "nobody for you this round" DMs last, since a bounce may
        still free a partner for them. The caller holds the group's ``lock``.
        """
        store = self.intros
        while True:
            for intro_id, member_id in await store.pending_dms(round_id=round_id, unmatched=False):
                await self.deliver_one(intro_id, member_id)
            stranded = await store.stranded(round_id)
            if stranded:
                await self.resettle(chat_id, round_id, stranded)
                continue
            waiting = await store.pending_dms(round_id=round_id)
            if not waiting:
                return
            for intro_id, member_id in waiting:
                await self.deliver_one(intro_id, member_id)

    async def deliver_one(self, intro_id: int, member_id: int) -> None:
        """Send one introduction DM at most once; a bounce drops the member from the intro.

        The caller holds the group's ``lock``.
        """
        store = self.intros
        intro = await store.intro(intro_id)
        if intro is None or intro.status not in ("active", "unmatched"):
            return
        side = intro.member(member_id)
        if side is None or side.dm_state != "pending":
            return
        current = await self._without_departed(intro)
        if current is None or current.member(member_id) is None:
            return
        # The DM names the others as they are now: never someone who just left.
        intro = current
        if not await store.claim_dm(intro_id, member_id, self.now()):
            return
        if not await self._send_claimed(intro, member_id):
            await self._bounced(intro, member_id)
            return
        await store.finish_dm(intro_id, member_id, "sent")

    async def introduce_pair(
        self,
        chat_id: int,
        match: NewIntro,
        *,
        first: int,
        kind: str,
        follow_up_at: datetime,
        initiator_id: int,
    ) -> int:
        """Record a two-person introduction made now (/meet) and send its DMs: ``first``'s,
        then the other's; a bounce drops the member from the intro. Return its id.

        ``first``'s DM is claimed with the record, and the other's with the write that
        records the first sent: one write between the two DMs, where ``deliver_one`` takes
        two. Before each DM the introduction is read again, as ``deliver_one`` does: it
        must still be active (no /privacy delete meanwhile) and both members still in the
        group; the other is told only once ``first``'s DM went out (if it bounced, they are
        told that instead). A crash loses at most the DM in flight (never sent twice); a
        DM not yet claimed is left to the sweep. The caller holds the group's ``lock``.
        """
        [second] = [member_id for member_id in match.members if member_id != first]
        [intro_id] = await self.intros.add_intros(
            chat_id,
            self.now(),
            [match],
            kind=kind,
            follow_up_at=follow_up_at,
            initiator_id=initiator_id,
            claimed=[first],
        )
        await self._deliver_pair(intro_id, first, second)
        return intro_id

    async def _deliver_pair(self, intro_id: int, first: int, second: int) -> None:
        """Send the DMs of a pair recorded a moment ago, ``first``'s claimed (introduce_pair)."""
        store = self.intros
        intro = await self._current(intro_id, first, second)
        if intro is None:
            return
        if not await self._send_claimed(intro, first):
            await self._bounced(intro, first)
            return
        # The asker's DM names the partner as things are now: not after the partner left
        # or deleted their data while their own DM was on its way.
        intro = await self._current(intro_id, first, second)
        if intro is None:
            await store.finish_dm(intro_id, first, "sent")
            return
        if not await store.pass_dm(intro_id, first, second, self.now()):
            return
        if not await self._send_claimed(intro, second):
            await self._bounced(intro, second)
            return
        await store.finish_dm(intro_id, second, "sent")

    async def _current(self, intro_id: int, *members: int) -> Intro | None:
        """The introduction as it is now if it is active with all of ``members`` still in
        the group; otherwise None (whoever left is dropped and the others told)."""
        intro = await self.intros.intro(intro_id)
        if intro is None or intro.status != "active":
            return None
        current = await self._without_departed(intro)
        if current is None or any(current.member(member_id) is None for member_id in members):
            return None
        return current

    async def _send_claimed(self, intro: Intro, member_id: int) -> bool:
        """Send a claimed introduction DM; False if it bounced. Not a refusal (network,
        server): it is left pending for the next sweep, and the error raised."""
        try:
            return await self.messenger.send_intro(intro, member_id)
        except Exception:
            await self.intros.finish_dm(intro.id, member_id, "pending")
            raise

    async def _bounced(self, intro: Intro, member_id: int) -> None:
        """``member_id`` cannot receive DMs: drop them from ``intro``."""
        log.info("Introduction %s: member %s cannot receive DMs", intro.id, member_id)
        await self._drop(intro, member_id)

    async def _without_departed(self, intro: Intro) -> Intro | None:
        """Take out of ``intro`` whoever left the group since; return it as it is now.

        None if it is off for good. Its other members are then re-paired (a round) or told
        (/meet, /introduce) as after a bounce, without saying that the person left.
        """
        dropped = False
        for side in intro.members:
            if side.dm_state == "failed" or await self.is_member(intro.chat_id, side.member_id):
                continue
            log.info("Introduction %s: member %s left the group", intro.id, side.member_id)
            if await self._drop(intro, side.member_id):
                return None
            dropped = True
        if not dropped:
            return intro
        current = await self.intros.intro(intro.id)
        if current is None or current.status not in ("active", "unmatched"):
            return None
        return current

    async def _drop(self, intro: Intro, member_id: int) -> bool:
        """Take ``member_id`` out of ``intro``; True if it was cancelled (or theirs alone)."""
        stranded = await self.intros.drop_unreachable(intro.id, member_id, self.now())
        if intro.kind != "round":
            # /meet and /introduce are not re-paired: the others are told.
            for other_id in stranded:
                await self.messenger.tell_partner_unreachable(other_id, member_id)
        return bool(stranded) or len(intro.members) < 2

    async def resettle(self, chat_id: int, round_id: int, stranded: list[tuple[int, int]]) -> None:
        """Re-pair members left alone by a bounce (with each other, or with members of the
        round who had no partner yet); tell those still without one."""
        store = self.intros
        prefs = await self.prefs(chat_id)
        now = self.now()
        members = sorted({member_id for _intro, member_id in stranded})
        waiting = dict(
            (member_id, intro_id)
            for intro_id, member_id in await store.waiting_unmatched(round_id)
        )
        pool = [
            candidate(m, await store.tags(m), await store.never(m))
            for m in [*members, *sorted(set(waiting) - set(members))]
        ]
        past = await history(store, chat_id, prefs)
        result = (
            await asyncio.to_thread(pair_round, pool, past, seed=round_id)
            if len(pool) >= 2
            else None
        )
        matches = [m for m in (result.matches if result else []) if set(m.members) & set(members)]
        paired = {m for match in matches for m in match.members}
        await store.add_intros(
            chat_id,
            now,
            [NewIntro(m.members, m.score, match_reasons(m)) for m in matches],
            kind="round",
            round_id=round_id,
            follow_up_at=now + timedelta(days=prefs.intros_follow_up_days),
            unmatched=[(m, "partner-unreachable") for m in members if m not in paired],
            settle={intro_id for intro_id, _member in stranded},
            withdraw=[intro_id for member_id, intro_id in waiting.items() if member_id in paired],
        )

    async def sweep(self) -> None:
        """Send what is due: DMs a crash or network error left pending, and follow-ups."""
        now = self.now()
        store = self.intros
        rounds: dict[int, int] = {}
        for intro_id, member_id in await store.pending_dms(since=now - PENDING_KEPT):
            intro = await store.intro(intro_id)
            if intro is None:
                continue
            if intro.round_id is not None:
                rounds[intro.round_id] = intro.chat_id
            else:
                async with self.lock(intro.chat_id):
                    await self.deliver_one(intro_id, member_id)
        for round_id, chat_id in rounds.items():
            async with self.lock(chat_id):
                await self.deliver_round(chat_id, round_id)
        for intro_id, member_id in await store.due_follow_ups(now):
            await self.send_follow_up(intro_id, member_id)

    async def send_follow_up(self, intro_id: int, member_id: int) -> None:
        """Ask one member "did you meet?" at most once for this introduction."""
        store = self.intros
        intro = await store.intro(intro_id)
        if intro is None or intro.status != "active":
            return
        if not await store.claim_follow_up(intro_id, member_id):
            return
        try:
            sent = await self.messenger.send_follow_up(intro, member_id)
        except Exception:
            await store.finish_follow_up(intro_id, member_id, None)
            raise
        await store.finish_follow_up(intro_id, member_id, "sent" if sent else "failed")
