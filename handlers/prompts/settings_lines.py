"""The prompts settings: what /prompts and /settings say after a change."""

from __future__ import annotations

from bot import dates
from bot.chat_settings import ChatPrefs
from handlers import scheduling
from handlers.context import ReteContext
from handlers.prompts.common import format_when, schedule_days
from handlers.prompts.posting import JOB


def _next_text(context: ReteContext, prefs: ChatPrefs) -> str:
    upcoming = scheduling.upcoming(JOB, prefs, context.now())
    if upcoming is None:
        return context.i18n.text(prefs.language, "prompts-next-none")
    return format_when(context, prefs.language, upcoming, prefs.zone)


def confirmation(context: ReteContext, prefs: ChatPrefs, name: str) -> str:
    """Say what a prompts setting is now (after /prompts or /settings changed it)."""
    i18n, language = context.i18n, prefs.language
    if name == "prompts":
        state = "on" if prefs.prompts else "off"
        return i18n.text(
            language, "prompts-switched", state=state, next=_next_text(context, prefs)
        )
    if name == "promptschedule":
        key = "prompts-schedule-set" if prefs.prompts else "prompts-schedule-set-off"
        said = i18n.text(
            language,
            key,
            days=schedule_days(context, language, prefs.prompt_days),
            time=dates.clock(prefs.prompt_time, language),
            timezone=prefs.timezone,
            next=_next_text(context, prefs),
        )
        return _with_clash_warning(context, prefs, said)
    if name == "quiethours":
        if prefs.quiet_hours is None:
            return i18n.text(language, "prompts-quiet-off")
        said = i18n.text(language, "prompts-quiet-set", quiet=str(prefs.quiet_hours))
        return _with_clash_warning(context, prefs, said)
    if name == "promptpin":
        return i18n.text(language, "prompts-pin-set", state="on" if prefs.prompt_pin else "off")
    return i18n.text(language, "prompts-busy-set", value=prefs.prompt_busy)


def _with_clash_warning(context: ReteContext, prefs: ChatPrefs, said: str) -> str:
    """Add a warning when the prompts' time falls in the quiet hours (set via /settings).

    /prompts refuses such a change; /settings stores what it is told, so it says so.
    """
    quiet = prefs.quiet_hours
    if quiet is None or not quiet.contains(prefs.prompt_time):
        return said
    warning = context.i18n.text(
        prefs.language,
        "prompts-quiet-warning",
        time=dates.clock(prefs.prompt_time, prefs.language),
        quiet=str(quiet),
    )
    return f"{said}\n{warning}"


def settings_line(context: ReteContext, prefs: ChatPrefs) -> str:
    """The prompts line of the /settings overview."""
    language = prefs.language
    quiet = prefs.quiet_hours
    return context.i18n.text(
        language,
        "prompts-settings-line",
        state="on" if prefs.prompts else "off",
        days=schedule_days(context, language, prefs.prompt_days),
        time=dates.clock(prefs.prompt_time, language),
        quiet=str(quiet) if quiet else context.i18n.text(language, "prompts-quiet-none"),
    )
