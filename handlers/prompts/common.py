"""What the prompts handlers share: names, the schedule, dates as the group reads them."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import Message

from bot import dates
from bot.chat_settings import ChatPrefs
from bot.schedule import Weekly
from handlers.context import ReteContext

JOB_NAME = "prompts"
CALLBACK_PREFIX = "psg:"
# Suggestions one member may have waiting in a group (each one is a DM to every admin).
MAX_PENDING_PER_MEMBER = 3
# Suggestions a group may receive per local day, whoever sends them: the per-member limit
# goes with a member's data when they delete it, this count (naming nobody) does not, so
# deleting and suggesting again cannot flood the admins.
MAX_SUGGESTIONS_PER_DAY = 10
WEEKDAY_IDS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Settings that /settings can change too; their confirmation comes from here.
SETTING_NAMES = ("prompts", "promptschedule", "quiethours", "promptpin", "promptbusy")


def prompt_schedule(prefs: ChatPrefs) -> Weekly | None:
    """The group's prompt schedule, None while prompts are off."""
    return Weekly(prefs.prompt_days, prefs.prompt_time) if prefs.prompts else None


def _argument_text(message: Message, words_before: int) -> str:
    """The text after the command and ``words_before`` words, newlines kept."""
    parts = (message.text or "").split(None, words_before + 1)
    return parts[words_before + 1].strip() if len(parts) > words_before + 1 else ""


def format_when(context: ReteContext, language: str, moment: datetime, zone: ZoneInfo) -> str:
    """A slot in the group's local time, e.g. "Thursday 26 March at 09:30"."""
    return dates.day_at(context.i18n, language, moment, zone)


def format_days(context: ReteContext, language: str, days: frozenset[int]) -> str:
    """The weekdays of a schedule, short, for a button ("lun, gio" / "Mon, Thu")."""
    return ", ".join(dates.short_weekday(day, language) for day in sorted(days))


def schedule_days(context: ReteContext, language: str, days: frozenset[int]) -> str:
    """The weekdays of a schedule in a sentence: "ogni lunedì e giovedì", "every day"."""
    return dates.weekdays(context.i18n, language, days)
