"""The scheduler behind prompts, introductions and recaps: each slot runs once per group.

One repeating JobQueue job (``tick``, every minute) looks at every active group and every
scheduled feature, works out the feature's latest slot in the group's time zone
(``bot.schedule``, DST-correct) and claims it in the database *before* running it. The
state lives in SQLite, not in the JobQueue, so nothing has to be rescheduled when a group
changes its settings, moves to a supergroup (``CHAT_MERGES``) or the bot restarts:

- a slot is claimed once (``schedule_runs``), so it never runs twice, even across restarts;
- a feature runs at most once per local day (or ISO week, ``once_per``) in a group: an
  admin who moves today's time to later, after today's slot ran, gets no second run;
- a slot missed while the bot was down runs on return if it is at most ``grace`` old,
  otherwise it is recorded as skipped and logged;
- a run may ask to be called again later for the same slot (prompts wait while a group is
  busy); the retry time is stored, so a restart does not lose it;
- a run interrupted by a crash is resumed once on start-up if its job is ``resumable``
  (its ``run`` must then be idempotent, like an introductions round whose DMs are marked
  sent), else it is recorded as failed and not repeated.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from telegram.error import TelegramError

from bot.chat_settings import ChatPrefs, effective
from bot.i18n import pick_language
from bot.schedule import Weekly, last_slot, next_slot, run_period, slot_key
from handlers.common import GROUP_TYPES, chat_admin_ids
from handlers.context import LEADERSHIP, ReteContext
from handlers.delivery import dm
from storage.leadership import Leadership

JobCallback = Callable[[ReteContext], Awaitable[None]]

log = logging.getLogger(__name__)

TICK_SECONDS = 60
TICK_JOB_NAME = "schedule-tick"
# bot_data: the names of the jobs an instance that takes the lead runs at once.
TAKEOVER_KEY = "takeover_jobs"
# Keys in application.bot_data.
JOBS_KEY = "scheduled_jobs"
CLAIMED_KEY = "scheduled_claimed"
RESUMED_KEY = "scheduled_resumed"

RunSlot = Callable[[ReteContext, int, datetime], Awaitable[datetime | None]]


@dataclass(frozen=True)
class ScheduledJob:
    """A feature that runs at weekly slots in each group's local time."""

    name: str
    # The group's schedule for this feature; None when it is switched off there.
    schedule: Callable[[ChatPrefs], Weekly | None]
    # How late a slot missed while the bot was down may still run.
    grace: timedelta
    # run(context, chat_id, slot): None when finished, or when to call it again for the slot.
    run: RunSlot
    # Re-run a slot that a crash interrupted (run must be idempotent), instead of dropping it.
    resumable: bool = False
    # At most one run per local "day" or ISO "week" in a group, whatever the settings do
    # meanwhile: a slot moved later the same day (or week) after it ran is not run again.
    once_per: Literal["day", "week"] = "day"


def install(application: Any, jobs: Sequence[ScheduledJob]) -> None:
    """Register the scheduled features and the minute tick that runs them."""
    application.bot_data[JOBS_KEY] = list(jobs)
    job_queue = application.job_queue
    assert job_queue is not None, "python-telegram-bot[job-queue] is required"
    job_queue.run_repeating(
        _tick_job,
        interval=TICK_SECONDS,
        first=1,
        name=TICK_JOB_NAME,
        # A tick still busy posting (rate limits) makes the next one wait, not pile up.
        job_kwargs={"max_instances": 1, "coalesce": True, "misfire_grace_time": None},
    )


async def _tick_job(context: ReteContext) -> None:
    if leads(context):
        await tick(context.application)


def leads(context: ReteContext) -> bool:
    """True if this instance runs scheduled work (always on SQLite; see storage.leadership)."""
    leadership: Leadership | None = context.bot_data.get(LEADERSHIP)
    return leadership is not None and leadership.is_leader


def leader_only(callback: JobCallback) -> JobCallback:
    """Run a job's callback only on the instance that leads scheduled work."""

    @functools.wraps(callback)
    async def on_the_leader(context: ReteContext) -> None:
        if leads(context):
            await callback(context)

    return on_the_leader


async def lead_job(context: ReteContext) -> None:
    """Take the lead if it is free, keep it if held (a job, every few seconds).

    An instance that has just taken over runs the leader's jobs at once (the minute tick,
    the welcomes, the sweep) rather than at their next turn, up to a minute later: the slot
    the old leader missed, and the DMs it left pending, go out within seconds. Each runs once
    all the same: slots and DMs are claimed in the database.
    """
    leadership: Leadership | None = context.bot_data.get(LEADERSHIP)
    if leadership is None:
        return
    led = leadership.is_leader
    if not await leadership.lead() or led or context.job_queue is None:
        return
    now = datetime.now(UTC)
    for name in context.bot_data.get(TAKEOVER_KEY, ()):
        for job in context.job_queue.get_jobs_by_name(name):
            # A job switched off (paused: tests drive some jobs themselves) stays off.
            if job.job.next_run_time is not None:
                job.job.modify(next_run_time=now)


def upcoming(job: ScheduledJob, prefs: ChatPrefs, now: datetime) -> datetime | None:
    """Return the next slot of ``job`` in a group with ``prefs``, None if it is off there."""
    schedule = job.schedule(prefs)
    return next_slot(schedule, prefs.zone, now) if schedule is not None else None


async def tick(application: Any) -> None:
    """Claim and run every slot that is due at the application clock's "now"."""
    jobs: list[ScheduledJob] = application.bot_data.get(JOBS_KEY, [])
    if not jobs:
        return
    context = ReteContext(application)
    now = context.now()
    store = context.db
    by_name = {job.name: job for job in jobs}
    runs: list[tuple[int, ScheduledJob, str, datetime]] = []

    if not application.bot_data.get(RESUMED_KEY):
        # Anything still 'running' was left by a process that stopped mid-run.
        application.bot_data[RESUMED_KEY] = True
        for run in await store.schedule.take_interrupted():
            job = by_name.get(run.job)
            if job is not None and job.resumable:
                log.info("Resuming %s in chat %s for slot %s", run.job, run.chat_id, run.slot)
                await store.schedule.finish(run.chat_id, run.job, run.slot, "running")
                runs.append((run.chat_id, job, run.slot, run.slot_at))
            else:
                log.warning(
                    "%s in chat %s, slot %s, was interrupted", run.job, run.chat_id, run.slot
                )

    # Last slot claimed per (chat, job) in this process: spares a write per tick.
    claimed: dict[tuple[int, str], str] = application.bot_data.setdefault(CLAIMED_KEY, {})
    for chat in await store.chats.list_active():
        if chat.type not in GROUP_TYPES:
            continue
        prefs = effective(chat.settings, context.settings)
        for job in jobs:
            schedule = job.schedule(prefs)
            if schedule is None:
                continue
            slot = last_slot(schedule, prefs.zone, now)
            if slot is None:
                continue
            key = slot_key(slot, prefs.zone)
            if claimed.get((chat.id, job.name)) == key:
                continue
            if slot < chat.added_at:
                # Not a missed slot: Rete was not in the group yet. A group that adds
                # Rete on a Monday at noon gets no recap of the week before it came.
                claimed[(chat.id, job.name)] = key
                continue
            late = now - slot > job.grace
            taken = await store.schedule.claim(
                chat.id,
                job.name,
                key,
                slot,
                "skipped" if late else "running",
                period=run_period(slot, prefs.zone, job.once_per),
            )
            claimed[(chat.id, job.name)] = key
            if not taken:
                continue
            if late:
                log.info(
                    "Skipped %s in chat %s: slot %s passed while offline", job.name, chat.id, key
                )
            else:
                runs.append((chat.id, job, key, slot))

    for run in await store.schedule.take_due(now):
        job = by_name.get(run.job)
        if job is None:
            await store.schedule.finish(run.chat_id, run.job, run.slot, "failed")
            continue
        runs.append((run.chat_id, job, run.slot, run.slot_at))

    await asyncio.gather(*(_run(context, *run) for run in runs))


async def _run(
    context: ReteContext, chat_id: int, job: ScheduledJob, key: str, slot: datetime
) -> None:
    store = context.db
    try:
        retry = await job.run(context, chat_id, slot)
    except Exception:
        log.exception("%s failed in chat %s for slot %s", job.name, chat_id, key)
        await store.schedule.finish(chat_id, job.name, key, "failed")
        return
    if retry is None:
        await store.schedule.finish(chat_id, job.name, key, "done")
    else:
        await store.schedule.finish(chat_id, job.name, key, "held", retry_at=retry)


async def notify_admins(context: ReteContext, chat_id: int, key: str, **args: Any) -> int:
    """DM every admin of the group who can receive DMs, each in their language; return how many.

    Admins come from Telegram when it still answers, else from the list remembered the
    last time it did (the bot may have been removed from the group).
    """
    try:
        admin_ids = set(await chat_admin_ids(context, chat_id))
    except TelegramError:  # removed, rights lost: fall back to what we remember
        admin_ids = set()
    admin_ids |= set(await context.db.admins.of(chat_id))
    told = 0
    for admin_id in sorted(admin_ids):
        member = await context.db.members.get(admin_id)
        if member is None or not context.policy.consents(member):
            continue
        language = pick_language(member.language_code, context.settings.default_language)
        if await dm(context, admin_id, context.i18n.text(language, key, **args)) is not None:
            told += 1
    return told
