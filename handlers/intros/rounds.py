"""The scheduled round and the sweep (pending DMs, follow-ups due), and their settings lines."""

from __future__ import annotations

import asyncio
import logging
import zlib
from datetime import datetime, timedelta

from telegram.error import TelegramError

from bot.chat_settings import ChatPrefs
from bot.introductions import SILENT_ROUNDS, candidate, match_reasons
from bot.matching import pair_round
from bot.schedule import slot_key
from handlers.common import chat_prefs
from handlers.context import ReteContext
from handlers.delivery import dm
from handlers.intros.common import _language_of, _lock, _schedule, _t, _title, _when
from handlers.intros.delivery import _deliver_one, _deliver_round, _history
from handlers.intros.followups import _send_follow_up
from handlers.scheduling import ScheduledJob, upcoming
from storage.intro_records import NewIntro

log = logging.getLogger(__name__)

SWEEP_SECONDS = 300
SWEEP_JOB_NAME = "intros-sweep"
# An introduction a crash or an outage kept from going out is still sent this long after.
PENDING_KEPT = timedelta(days=2)


def _next_round(context: ReteContext, prefs: ChatPrefs) -> str:
    slot = upcoming(JOB, prefs, context.now())
    if slot is None:
        return "—"
    return slot.astimezone(prefs.zone).strftime("%Y-%m-%d %H:%M")


def settings_line(context: ReteContext, prefs: ChatPrefs) -> str:
    """The introductions line of the /settings overview."""
    language = prefs.language
    return _t(
        context,
        language,
        "intros-settings-line",
        state="on" if prefs.intros else "off",
        when=_when(context, language, prefs),
        next=_next_round(context, prefs),
        repeat=prefs.intros_repeat_window,
        followup=prefs.intros_follow_up_days,
    )


def confirmation(context: ReteContext, prefs: ChatPrefs, name: str) -> str:
    """Say what an introductions setting is now, in the group's language."""
    language = prefs.language
    if name == "intros" and not prefs.intros:
        return _t(context, language, "intros-settings-off")
    return _t(
        context,
        language,
        "intros-settings-set",
        when=_when(context, language, prefs),
        next=_next_round(context, prefs) if prefs.intros else "—",
        repeat=prefs.intros_repeat_window,
        followup=prefs.intros_follow_up_days,
        state="on" if prefs.intros else "off",
    )


async def run_round(context: ReteContext, chat_id: int, slot: datetime) -> datetime | None:
    """Run the group's matching round for ``slot``: record it all, then send the DMs.

    Idempotent: a resumed round finds its record and only sends what was not sent.
    """
    prefs = await chat_prefs(context, chat_id)
    if not prefs.intros:
        return None
    key = slot_key(slot, prefs.zone)
    store = context.db.intros
    async with _lock(context):
        round_id = await store.round_id(chat_id, key)
        if round_id is None:
            # Who takes part is judged at the slot (a pause ending then has ended).
            round_id = await _record_round(context, chat_id, key, prefs, max(slot, context.now()))
        if round_id is None:
            log.info("No introductions round in chat %s at %s: nobody to introduce", chat_id, key)
            return None
        await _deliver_round(context, chat_id, round_id)
    return None


async def _record_round(
    context: ReteContext, chat_id: int, key: str, prefs: ChatPrefs, at: datetime
) -> int | None:
    """Pair the round's candidates and record it all; None (nothing recorded) if nobody."""
    store = context.db.intros
    now = context.now()
    rows = await store.candidates(chat_id, at)
    silent = set(await store.silent_members(chat_id, [r.member_id for r in rows], SILENT_ROUNDS))
    for member_id in sorted(silent):
        await store.set_status(chat_id, member_id, "paused", now, reason="silent")
    pool = [candidate(r.member_id, r.tags, r.never) for r in rows if r.member_id not in silent]
    round_id: int | None = None
    if pool:  # an empty round would only shorten everyone's repeat window
        history = await _history(context, chat_id, prefs)
        # Pairing a big group takes a while: off the event loop, so the bot keeps answering.
        seed = zlib.crc32(f"{chat_id}:{key}".encode())
        result = await asyncio.to_thread(pair_round, pool, history, seed=seed)
        round_id, _new = await store.record_round(
            chat_id,
            key,
            now,
            now + timedelta(days=prefs.intros_follow_up_days),
            [NewIntro(m.members, m.score, match_reasons(m)) for m in result.matches],
            [(u.member_id, u.why) for u in result.unmatched],
        )
        log.info(
            "Introductions round %s in chat %s: %d matches, %d unmatched",
            key,
            chat_id,
            len(result.matches),
            len(result.unmatched),
        )
    # Told only once the round is recorded: no DM of a round goes out before that.
    title = await _title(context, chat_id)
    for member_id in sorted(silent):
        member = await context.db.members.get(member_id)
        text = _t(context, _language_of(context, member), "intros-silent-paused", title=title)
        await dm(context, member_id, text)
    return round_id


JOB = ScheduledJob(
    name="intros",
    schedule=_schedule,
    grace=timedelta(hours=24),
    run=run_round,
    resumable=True,
)


async def sweep(context: ReteContext) -> None:
    """Send what is due: DMs a crash or network error left pending, and follow-ups."""
    now = context.now()
    store = context.db.intros
    async with _lock(context):
        rounds: dict[int, int] = {}
        for intro_id, member_id in await store.pending_dms(since=now - PENDING_KEPT):
            intro = await store.intro(intro_id)
            if intro is None:
                continue
            if intro.round_id is not None:
                rounds[intro.round_id] = intro.chat_id
            else:
                await _deliver_one(context, intro_id, member_id)
        for round_id, chat_id in rounds.items():
            await _deliver_round(context, chat_id, round_id)
    for intro_id, member_id in await store.due_follow_ups(now):
        await _send_follow_up(context, intro_id, member_id)


async def sweep_job(context: ReteContext) -> None:
    """The repeating JobQueue job around sweep()."""
    try:
        await sweep(context)
    except TelegramError as error:
        log.warning("Introductions sweep stopped early: %s", error)
