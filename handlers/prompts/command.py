"""/prompts (/spunti): the overview and the subcommands that change settings or post."""

from __future__ import annotations

from datetime import datetime

from telegram import Message, Update

from bot import dates
from bot.chat_settings import (
    PROMPT_TOPIC,
    SettingError,
    parse_clock,
    parse_prompt_schedule,
    parse_quiet_hours,
    parse_switch,
    parse_timezone,
)
from bot.numbers import parse_number
from bot.prompts import quiet_hours_from_setting
from bot.schedule import last_slot, slot_key
from handlers import scheduling
from handlers.common import chat_prefs
from handlers.context import ReteContext
from handlers.delivery import reply
from handlers.guards import group_command
from handlers.prompts.common import JOB_NAME, format_when, prompt_schedule, schedule_days
from handlers.prompts.deck import _add, _deck, _list, _remove
from handlers.prompts.posting import JOB, post_prompt
from handlers.prompts.settings_lines import _next_text, confirmation
from handlers.prompts.suggestions import _suggestions

# Subcommands and their Italian (and other natural) spellings.
SUBCOMMANDS: dict[str, tuple[str, ...]] = {
    "on": ("on", "attiva", "accendi"),
    "off": ("off", "spegni", "disattiva"),
    "schedule": ("schedule", "orario", "quando"),
    "quiet": ("quiet", "silenzio"),
    "topic": ("topic", "argomento"),
    "pin": ("pin", "fissa"),
    "busy": ("busy", "soglia"),
    "add": ("add", "aggiungi"),
    "list": ("list", "elenco", "lista"),
    "remove": ("remove", "rimuovi", "togli"),
    "now": ("now", "ora", "adesso"),
    "next": ("next", "prossimo"),
    "suggestions": ("suggestions", "proposte"),
}
_SUBCOMMAND_OF = {alias: name for name, aliases in SUBCOMMANDS.items() for alias in aliases}


async def prompts_command(update: Update, context: ReteContext) -> None:
    """/prompts (/spunti) and its subcommands; group admins only."""
    checked = await group_command(
        update, context, elsewhere="prompts-group-only", not_admin="prompts-not-admin"
    )
    if checked is None:
        return
    message, language = checked
    args = context.args or []
    if not args:
        await reply(context, message, await _overview(context, message))
        return
    name = _SUBCOMMAND_OF.get(args[0].lower())
    if name is None:
        await reply(context, message, context.i18n.text(language, "prompts-unknown", name=args[0]))
        return
    rest = args[1:]
    if name in ("on", "off"):
        await _switch(context, message, name == "on")
    elif name == "schedule":
        await _schedule(context, message, language, rest)
    elif name == "quiet":
        await _quiet(context, message, language, rest)
    elif name == "topic":
        await _topic(context, message, language, rest)
    elif name == "pin":
        await _pin_setting(context, message, language, rest)
    elif name == "busy":
        await _busy(context, message, language, rest)
    elif name == "add":
        await _add(context, message, language)
    elif name == "list":
        await _list(context, message, language, rest)
    elif name == "remove":
        await _remove(context, message, language, rest)
    elif name == "now":
        await _now(context, message, language)
    elif name == "next":
        await _next(context, message, language)
    else:
        await _suggestions(context, message, language)


async def _set_and_confirm(
    context: ReteContext, message: Message, name: str, value: object
) -> None:
    await context.db.chats.set_setting(message.chat_id, name, value)
    prefs = await chat_prefs(context, message.chat_id)
    await reply(context, message, confirmation(context, prefs, name))


async def _refuse(
    context: ReteContext, message: Message, language: str, error: SettingError
) -> None:
    await reply(context, message, context.i18n.text(language, error.key, **error.args_))


async def _switch(context: ReteContext, message: Message, on: bool) -> None:
    await _set_and_confirm(context, message, "prompts", on)


async def _schedule(
    context: ReteContext, message: Message, language: str, args: list[str]
) -> None:
    i18n = context.i18n
    prefs = await chat_prefs(context, message.chat_id)
    timezone: str | None = None
    try:
        if len(args) >= 3 and not _is_clock(args[-1]):
            # "mon,thu 09:30 Europe/London": the group's time zone comes last.
            timezone = parse_timezone(args[-1])
            args = args[:-1]
        value = parse_prompt_schedule(" ".join(args))
    except SettingError as error:
        await _refuse(context, message, language, error)
        return
    at = datetime.strptime(value["at"], "%H:%M").time()
    if prefs.quiet_hours is not None and prefs.quiet_hours.contains(at):
        text = i18n.text(
            language, "prompts-schedule-in-quiet", time=value["at"], quiet=str(prefs.quiet_hours)
        )
        await reply(context, message, text)
        return
    if timezone is not None:
        await context.db.chats.set_setting(message.chat_id, "timezone", timezone)
    await _set_and_confirm(context, message, "promptschedule", value)


def _is_clock(word: str) -> bool:
    try:
        parse_clock(word)
    except SettingError:
        return False
    return True


async def _quiet(context: ReteContext, message: Message, language: str, args: list[str]) -> None:
    prefs = await chat_prefs(context, message.chat_id)
    try:
        if not args:
            raise SettingError("prompts-bad-quiet", value="")
        value = parse_quiet_hours(" ".join(args))
    except SettingError as error:
        await _refuse(context, message, language, error)
        return
    quiet = quiet_hours_from_setting(value)
    if quiet is not None and quiet.contains(prefs.prompt_time):
        text = context.i18n.text(
            language,
            "prompts-quiet-clash",
            time=dates.clock(prefs.prompt_time, language),
            quiet=str(quiet),
        )
        await reply(context, message, text)
        return
    await _set_and_confirm(context, message, "quiethours", value)


async def _topic(context: ReteContext, message: Message, language: str, args: list[str]) -> None:
    i18n = context.i18n
    if not message.chat.is_forum:
        await reply(context, message, i18n.text(language, "prompts-topic-not-forum"))
        return
    if args and args[0].lower() in ("off", "no", "principale", "main"):
        await context.db.chats.set_setting(message.chat_id, PROMPT_TOPIC, None)
        await reply(context, message, i18n.text(language, "prompts-topic-cleared"))
        return
    if args or not message.is_topic_message or message.message_thread_id is None:
        await reply(context, message, i18n.text(language, "prompts-topic-outside"))
        return
    await context.db.chats.set_setting(message.chat_id, PROMPT_TOPIC, message.message_thread_id)
    await reply(context, message, i18n.text(language, "prompts-topic-set"))


async def _pin_setting(
    context: ReteContext, message: Message, language: str, args: list[str]
) -> None:
    try:
        value = parse_switch(args[0]) if len(args) == 1 else None
    except SettingError:
        value = None
    if value is None:
        await reply(context, message, context.i18n.text(language, "prompts-pin-usage"))
        return
    await _set_and_confirm(context, message, "promptpin", value)


async def _busy(context: ReteContext, message: Message, language: str, args: list[str]) -> None:
    value = parse_number(args[0]) if len(args) == 1 else None
    if value is None or not 1 <= value <= 500:
        await reply(context, message, context.i18n.text(language, "prompts-busy-usage"))
        return
    await _set_and_confirm(context, message, "promptbusy", value)


async def _now(context: ReteContext, message: Message, language: str) -> None:
    posted = await post_prompt(context, message.chat_id, slot=None, at=context.now())
    if posted.empty_deck:
        await reply(context, message, context.i18n.text(language, "prompts-now-empty"))


async def _next(context: ReteContext, message: Message, language: str) -> None:
    i18n = context.i18n
    prefs = await chat_prefs(context, message.chat_id)
    moment = context.now()
    upcoming = scheduling.upcoming(JOB, prefs, moment)
    if upcoming is None:
        await reply(context, message, i18n.text(language, "prompts-next-off"))
        return
    when = format_when(context, language, upcoming, prefs.zone)
    lines = [i18n.text(language, "prompts-next", when=when, timezone=prefs.timezone)]
    schedule = prompt_schedule(prefs)
    latest = last_slot(schedule, prefs.zone, moment) if schedule else None
    if latest is not None:
        run = await context.db.schedule.get(
            message.chat_id, JOB_NAME, slot_key(latest, prefs.zone)
        )
        if run is not None and run.state == "held" and run.retry_at is not None:
            retry = dates.clock(run.retry_at.astimezone(prefs.zone), language)
            lines.append(i18n.text(language, "prompts-next-held", time=retry))
    await reply(context, message, "\n".join(lines))


async def _overview(context: ReteContext, message: Message) -> str:
    i18n = context.i18n
    prefs = await chat_prefs(context, message.chat_id)
    language = prefs.language
    if prefs.prompt_topic_id is not None:
        topic = i18n.text(language, "prompts-topic-own", id=prefs.prompt_topic_id)
    elif prefs.topic_id is not None:
        topic = i18n.text(language, "prompts-topic-default", topic=f"#{prefs.topic_id}")
    else:
        topic = i18n.text(language, "prompts-topic-main")
    deck = await _deck(context, message.chat_id, language)
    own = sum(1 for entry in deck if entry.own)
    lines = [
        i18n.text(
            language,
            "prompts-overview",
            title=message.chat.title or str(message.chat_id),
            state="on" if prefs.prompts else "off",
            days=schedule_days(context, language, prefs.prompt_days),
            time=dates.clock(prefs.prompt_time, language),
            timezone=prefs.timezone,
            next=_next_text(context, prefs),
            quiet=str(prefs.quiet_hours)
            if prefs.quiet_hours
            else i18n.text(language, "prompts-quiet-none"),
            topic=topic,
            pin="on" if prefs.prompt_pin else "off",
            busy=prefs.prompt_busy,
            custom=own,
            builtin=len(deck) - own,
        )
    ]
    if prefs.prompt_pin and await context.db.prompts.last_pin_failed(message.chat_id):
        lines.append(i18n.text(language, "prompts-overview-pin-failed"))
    pending = await context.db.prompts.pending(message.chat_id)
    if pending:
        lines.append(i18n.text(language, "prompts-overview-pending", count=len(pending)))
    lines += ["", i18n.text(language, "prompts-overview-usage")]
    return "\n".join(lines)
