"""The scheduled round and the sweep, as the scheduler and JobQueue call them; settings lines.

What a round does is ``bot.intro_rounds``; this module hands it the application.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from telegram.error import TelegramError

from bot import dates
from bot.chat_settings import ChatPrefs
from handlers.context import ReteContext
from handlers.intros.common import _schedule, _t, _when
from handlers.intros.delivery import _rounds
from handlers.scheduling import ScheduledJob, upcoming

log = logging.getLogger(__name__)

SWEEP_SECONDS = 300
SWEEP_JOB_NAME = "intros-sweep"


def _next_round(context: ReteContext, prefs: ChatPrefs, language: str | None = None) -> str:
    """The group's next round in its own time zone, in ``language`` (the group's if None)."""
    slot = upcoming(JOB, prefs, context.now())
    if slot is None:
        return "—"
    return dates.day_at(context.i18n, language or prefs.language, slot, prefs.zone)


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
    """Run the group's matching round for ``slot`` (the scheduler's entry point)."""
    await _rounds(context).run_round(chat_id, slot)
    return None


JOB = ScheduledJob(
    name="intros",
    schedule=_schedule,
    grace=timedelta(hours=24),
    run=run_round,
    resumable=True,
    once_per="week",
)


async def sweep(context: ReteContext) -> None:
    """Send what is due: DMs a crash or network error left pending, and follow-ups."""
    await _rounds(context).sweep()


async def sweep_job(context: ReteContext) -> None:
    """The repeating JobQueue job around sweep()."""
    try:
        await sweep(context)
    except TelegramError as error:
        log.warning("Introductions sweep stopped early: %s", error)
