"""Engagement prompts in the group: the scheduled job, /prompts (/spunti), /suggest, replies.

The decisions (rotation, quiet hours, holding while busy) are pure functions in
``bot.prompts``; the slot maths and the exactly-once claim are the scheduler's
(``handlers.scheduling``). This module turns them into posts, pins and answers.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest, TelegramError

from bot.chat_settings import (
    PROMPT_TOPIC,
    ChatPrefs,
    SettingError,
    parse_clock,
    parse_prompt_schedule,
    parse_quiet_hours,
    parse_switch,
    parse_timezone,
)
from bot.i18n import Html, pick_language
from bot.prompts import (
    BUILTIN_COUNT,
    BUSY_WINDOW,
    MAX_PROMPT_CHARS,
    PAGE_SIZE,
    builtin_catalog_id,
    builtin_key,
    builtin_keys,
    builtin_number,
    custom_key,
    decide,
    next_prompt,
    page_count,
    preview,
    quiet_hours_from_setting,
)
from bot.schedule import Weekly, last_slot, slot_key
from handlers import scheduling
from handlers.common import (
    chat_admin_ids,
    chat_prefs,
    human_sender,
    is_group,
    language_for,
    member_info,
    user_language,
)
from handlers.context import ReteContext
from handlers.delivery import dm, reply, send
from handlers.guards import group_command
from handlers.ledger import real_reply
from handlers.trust import actor_of

log = logging.getLogger(__name__)

JOB_NAME = "prompts"
# Chat setting: built-in prompts the admins removed from this group's deck.
RETIRED = "promptretired"
CALLBACK_PREFIX = "psg:"
# Suggestions one member may have waiting in a group (each one is a DM to every admin).
MAX_PENDING_PER_MEMBER = 3
# Suggestions a group may receive per local day, whoever sends them: the per-member limit
# goes with a member's data when they delete it, this count (naming nobody) does not, so
# deleting and suggesting again cannot flood the admins.
MAX_SUGGESTIONS_PER_DAY = 10
WEEKDAY_IDS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

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
# Telegram's answers when the bot may no longer write in a group (it is still a member).
_NO_RIGHTS = (
    "not enough rights",
    "have no rights",
    "chat_write_forbidden",
    "need administrator rights",
    "chat not found",
)
# Settings that /settings can change too; their confirmation comes from here.
SETTING_NAMES = ("prompts", "promptschedule", "quiethours", "promptpin", "promptbusy")


def prompt_schedule(prefs: ChatPrefs) -> Weekly | None:
    """The group's prompt schedule, None while prompts are off."""
    return Weekly(prefs.prompt_days, prefs.prompt_time) if prefs.prompts else None


# ---- posting ------------------------------------------------------------------------------


async def run_slot(context: ReteContext, chat_id: int, slot: datetime) -> datetime | None:
    """The scheduled run: post the next prompt, hold while busy, skip in quiet hours."""
    moment = context.now()
    prefs = await chat_prefs(context, chat_id)
    key = slot_key(slot, prefs.zone)
    if not prefs.prompts:
        return None
    if await context.db.prompts.posted_since(chat_id, slot):
        # Already posted for this slot, or an admin used /prompts now meanwhile: one is enough.
        log.info("Prompt for slot %s in chat %s not needed: one was posted since", key, chat_id)
        return None
    recent = await context.db.prompts.recent_messages(
        chat_id, moment - BUSY_WINDOW, limit=prefs.prompt_busy + 1
    )
    decision = decide(
        slot,
        moment,
        prefs.zone,
        quiet=prefs.quiet_hours,
        recent_messages=recent,
        busy_threshold=prefs.prompt_busy,
    )
    if decision.action == "skip":
        log.info("Prompt for slot %s in chat %s skipped: %s", key, chat_id, decision.why)
        return None
    if decision.action == "hold":
        log.info("Prompt for slot %s in chat %s held until %s", key, chat_id, decision.retry_at)
        return decision.retry_at
    await post_prompt(context, chat_id, slot=key, at=moment)
    return None


JOB = scheduling.ScheduledJob(
    name=JOB_NAME, schedule=prompt_schedule, grace=timedelta(hours=1), run=run_slot
)


@dataclass(frozen=True)
class Posted:
    """What posting a prompt did: the message, or why there is none."""

    message: Message | None
    empty_deck: bool = False


def _rights_lost(error: BadRequest) -> bool:
    text = error.message.lower()
    return any(phrase in text for phrase in _NO_RIGHTS)


async def post_prompt(
    context: ReteContext, chat_id: int, *, slot: str | None, at: datetime
) -> Posted:
    """Post the next prompt of the group's deck, record it, pin it if asked."""
    db = context.db
    chat = await db.chats.get(chat_id)
    prefs = await chat_prefs(context, chat_id)
    retired = chat.settings.get(RETIRED, []) if chat else []
    custom = await db.prompts.custom(chat_id)
    rotation = await db.prompts.rotation(chat_id)
    pick = next_prompt(
        [custom_key(p.id) for p in custom],
        builtin_keys(retired),
        used=rotation.used,
        cycle=rotation.cycle,
        last=rotation.last,
        seed=chat_id,
    )
    if pick is None:
        return Posted(None, empty_deck=True)
    number = builtin_number(pick.key)
    if number is not None:
        text = context.i18n.text(prefs.language, builtin_catalog_id(number))
    else:
        text = next(p.text for p in custom if custom_key(p.id) == pick.key)
    # The text is escaped by the catalog: HTML in a custom prompt is shown as typed.
    body = context.i18n.text(prefs.language, "prompts-post", text=text)
    title = (chat.title if chat else None) or str(chat_id)
    sent: Message | None = None
    if chat is None or chat.active:
        thread = prefs.prompt_topic_id if prefs.prompt_topic_id is not None else prefs.topic_id
        try:
            sent = await send(context, chat_id, body, thread_id=thread)
        except BadRequest as error:
            if not _rights_lost(error):
                raise
            log.info("Cannot post prompts in chat %s: %s", chat_id, error.message)
    if sent is None:
        await _switch_off_and_tell(context, chat_id, title)
        return Posted(None)
    post_id = await db.prompts.record_post(
        sent.chat_id,
        message_id=sent.message_id,
        key=pick.key,
        cycle=pick.cycle,
        text=text,
        slot=slot,
        at=at,
    )
    if prefs.prompt_pin:
        await _pin(context, sent.chat_id, post_id, sent.message_id)
    return Posted(sent)


async def _switch_off_and_tell(context: ReteContext, chat_id: int, title: str) -> None:
    """Rights lost or bot removed: prompts off in the group, admins told in DM."""
    await context.db.chats.set_setting(chat_id, "prompts", False)
    told = await scheduling.notify_admins(context, chat_id, "prompts-rights-lost", title=title)
    log.warning("Prompts switched off in chat %s (cannot post); %d admins told", chat_id, told)


async def _pin(context: ReteContext, chat_id: int, post_id: int, message_id: int) -> None:
    """Pin the new prompt and unpin the previous one; a failed pin never fails the post."""
    previous = await context.db.prompts.pinned_message(chat_id)
    try:
        if previous is not None:
            try:
                await context.bot.unpin_chat_message(chat_id, previous)
            except TelegramError as error:
                log.info("Could not unpin prompt %s in chat %s: %s", previous, chat_id, error)
        await context.bot.pin_chat_message(chat_id, message_id, disable_notification=True)
    except TelegramError as error:
        log.warning("Could not pin the prompt in chat %s: %s", chat_id, error)
        await context.db.prompts.set_pin(chat_id, post_id, pinned=False)
        return
    await context.db.prompts.set_pin(chat_id, post_id, pinned=True)


# ---- replies to prompts -------------------------------------------------------------------


def replies_to_bot(message: Message) -> bool:
    """True if the message replies to one of the bot's own (a prompt, maybe)."""
    target = message.reply_to_message
    author = target.from_user if target is not None else None
    return author is not None and author.id == message.get_bot().id


async def on_reply(update: Update, context: ReteContext) -> None:
    """Count a member's direct reply to a prompt (once per member and prompt)."""
    message = update.message
    if message is None or message.reply_to_message is None:
        return
    author = message.reply_to_message.from_user
    # Cheap test first: only replies to the bot's own messages can be replies to a prompt.
    if author is None or author.id != context.bot.id or real_reply(message) is None:
        return
    sender = human_sender(message)
    if sender is None:
        return
    await context.db.prompts.record_reply(
        message.chat_id, message.reply_to_message.message_id, member_info(sender)
    )


# ---- /prompts -----------------------------------------------------------------------------


def _argument_text(message: Message, words_before: int) -> str:
    """The text after the command and ``words_before`` words, newlines kept."""
    parts = (message.text or "").split(None, words_before + 1)
    return parts[words_before + 1].strip() if len(parts) > words_before + 1 else ""


def format_when(context: ReteContext, language: str, moment: datetime, zone: ZoneInfo) -> str:
    """A slot in the group's local time, e.g. "Thursday 2026-03-26 at 09:30"."""
    local = moment.astimezone(zone)
    return context.i18n.text(
        language,
        "prompts-when",
        weekday=WEEKDAY_IDS[local.weekday()],
        date=local.date().isoformat(),
        time=local.strftime("%H:%M"),
    )


def format_days(context: ReteContext, language: str, days: frozenset[int]) -> str:
    """The weekdays of a schedule, short and localized ("mon, thu" / "lun, gio")."""
    return ", ".join(
        context.i18n.text(language, "prompts-day", day=WEEKDAY_IDS[day]) for day in sorted(days)
    )


def _next_text(context: ReteContext, prefs: ChatPrefs) -> str:
    upcoming = scheduling.upcoming(JOB, prefs, context.now())
    if upcoming is None:
        return context.i18n.text(prefs.language, "prompts-next-none")
    return format_when(context, prefs.language, upcoming, prefs.zone)


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
            days=format_days(context, language, prefs.prompt_days),
            time=f"{prefs.prompt_time:%H:%M}",
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
        time=f"{prefs.prompt_time:%H:%M}",
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
        days=format_days(context, language, prefs.prompt_days),
        time=f"{prefs.prompt_time:%H:%M}",
        quiet=str(quiet) if quiet else context.i18n.text(language, "prompts-quiet-none"),
    )


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
            language, "prompts-quiet-clash", time=f"{prefs.prompt_time:%H:%M}", quiet=str(quiet)
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
    if len(args) != 1 or not args[0].isdigit() or not 1 <= int(args[0]) <= 500:
        await reply(context, message, context.i18n.text(language, "prompts-busy-usage"))
        return
    await _set_and_confirm(context, message, "promptbusy", int(args[0]))


async def _add(context: ReteContext, message: Message, language: str) -> None:
    i18n = context.i18n
    text = _argument_text(message, 1)
    if not text:
        await reply(context, message, i18n.text(language, "prompts-add-usage"))
        return
    if len(text) > MAX_PROMPT_CHARS:
        await reply(
            context,
            message,
            i18n.text(language, "prompts-too-long", length=len(text), limit=MAX_PROMPT_CHARS),
        )
        return
    sender = human_sender(message)
    added = await context.db.prompts.add(
        message.chat_id,
        text,
        added_by=member_info(sender) if sender else None,
        at=context.now(),
    )
    if added is None:
        await reply(context, message, i18n.text(language, "prompts-add-duplicate"))
        return
    custom = await context.db.prompts.custom(message.chat_id)
    number = next(i for i, p in enumerate(custom, start=1) if p.id == added)
    await reply(context, message, i18n.text(language, "prompts-added", number=number))


@dataclass(frozen=True)
class DeckEntry:
    """One line of /prompts list: its rotation key and text."""

    key: str
    text: str
    own: bool


async def _deck(context: ReteContext, chat_id: int, language: str) -> list[DeckEntry]:
    """The group's deck as /prompts list numbers it: own prompts first, then built-ins."""
    chat = await context.db.chats.get(chat_id)
    retired = set(chat.settings.get(RETIRED, [])) if chat else set()
    entries = [
        DeckEntry(custom_key(p.id), p.text, True) for p in await context.db.prompts.custom(chat_id)
    ]
    entries += [
        DeckEntry(builtin_key(n), context.i18n.text(language, builtin_catalog_id(n)), False)
        for n in range(1, BUILTIN_COUNT + 1)
        if n not in retired
    ]
    return entries


async def _list(context: ReteContext, message: Message, language: str, args: list[str]) -> None:
    i18n = context.i18n
    deck = await _deck(context, message.chat_id, language)
    pages = page_count(len(deck))
    page = int(args[0]) if len(args) == 1 and args[0].isdigit() else (1 if not args else 0)
    if not 1 <= page <= pages:
        await reply(context, message, i18n.text(language, "prompts-list-bad-page", pages=pages))
        return
    records = await context.db.prompts.track_records(message.chat_id)
    first = (page - 1) * PAGE_SIZE
    lines = [i18n.text(language, "prompts-list-header", page=page, pages=pages, total=len(deck))]
    for number, entry in enumerate(deck[first : first + PAGE_SIZE], start=first + 1):
        record = records.get(entry.key)
        said = (
            i18n.text(language, "prompts-list-record", posts=record.posts, replies=record.replies)
            if record
            else i18n.text(language, "prompts-list-never")
        )
        shown = preview(entry.text)
        if entry.own:
            shown = f"{i18n.text(language, 'prompts-list-own')} {shown}"
        lines.append(
            i18n.text(language, "prompts-list-line", number=number, text=shown, record=said)
        )
    lines.append("")
    if page < pages:
        lines.append(i18n.text(language, "prompts-list-more", next=page + 1))
    lines.append(i18n.text(language, "prompts-list-footer"))
    await reply(context, message, "\n".join(lines))


async def _remove(context: ReteContext, message: Message, language: str, args: list[str]) -> None:
    i18n = context.i18n
    if len(args) != 1:
        await reply(context, message, i18n.text(language, "prompts-remove-usage"))
        return
    deck = await _deck(context, message.chat_id, language)
    raw = args[0]
    if not raw.isdigit() or not 1 <= int(raw) <= len(deck):
        text = i18n.text(language, "prompts-remove-missing", value=raw, total=len(deck))
        await reply(context, message, text)
        return
    entry = deck[int(raw) - 1]
    number = builtin_number(entry.key)
    if number is None:
        await context.db.prompts.remove(message.chat_id, int(entry.key[1:]))
    else:
        chat = await context.db.chats.get(message.chat_id)
        retired = set(chat.settings.get(RETIRED, [])) if chat else set()
        await context.db.chats.set_setting(message.chat_id, RETIRED, sorted(retired | {number}))
    await reply(context, message, i18n.text(language, "prompts-removed", text=preview(entry.text)))


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
            retry = run.retry_at.astimezone(prefs.zone).strftime("%H:%M")
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
            days=format_days(context, language, prefs.prompt_days),
            time=f"{prefs.prompt_time:%H:%M}",
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


# ---- suggestions --------------------------------------------------------------------------


def _buttons(context: ReteContext, language: str, suggestion_id: int) -> InlineKeyboardMarkup:
    i18n = context.i18n
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    i18n.text(language, "prompts-suggest-approve"),
                    callback_data=f"{CALLBACK_PREFIX}a:{suggestion_id}",
                ),
                InlineKeyboardButton(
                    i18n.text(language, "prompts-suggest-reject"),
                    callback_data=f"{CALLBACK_PREFIX}r:{suggestion_id}",
                ),
            ]
        ]
    )


async def _admins(context: ReteContext, chat_id: int) -> set[int]:
    """The group's admins (people only), from Telegram or, failing that, as remembered."""
    try:
        ids = set(await chat_admin_ids(context, chat_id))
    except TelegramError:
        ids = set(await context.db.admins.of(chat_id))
    ids.discard(context.bot.id)
    return ids


async def _suggestion_text(
    context: ReteContext, language: str, chat_id: int, member_id: int, text: str
) -> str:
    member = await context.db.members.get(member_id)
    chat = await context.db.chats.get(chat_id)
    return context.i18n.text(
        language,
        "prompts-suggest-dm",
        name=member.full_name if member else str(member_id),
        title=(chat.title if chat else None) or str(chat_id),
        text=text,
    )


async def suggest_command(update: Update, context: ReteContext) -> None:
    """/suggest <text> (/suggerisci) in a group: a prompt idea for the admins to decide on."""
    message = update.effective_message
    if message is None:
        return
    i18n = context.i18n
    language = await language_for(context, update)
    if not is_group(message.chat):
        await reply(context, message, i18n.text(language, "prompts-suggest-private"))
        return
    sender = human_sender(message)
    text = _argument_text(message, 0)
    if sender is None or not text:
        await reply(context, message, i18n.text(language, "prompts-suggest-usage"))
        return
    if len(text) > MAX_PROMPT_CHARS:
        await reply(
            context,
            message,
            i18n.text(
                language, "prompts-suggest-too-long", length=len(text), limit=MAX_PROMPT_CHARS
            ),
        )
        return
    waiting = [
        s for s in await context.db.prompts.pending(message.chat_id) if s.member_id == sender.id
    ]
    if len(waiting) >= MAX_PENDING_PER_MEMBER:
        text = i18n.text(language, "prompts-suggest-enough", count=len(waiting))
        await reply(context, message, text)
        return
    prefs = await chat_prefs(context, message.chat_id)
    now = context.now()
    suggestion_id = await context.db.prompts.suggest(
        message.chat_id,
        member_info(sender),
        text,
        now,
        day=now.astimezone(prefs.zone).date().isoformat(),
        daily_limit=MAX_SUGGESTIONS_PER_DAY,
    )
    if suggestion_id is None:
        await reply(context, message, i18n.text(language, "prompts-suggest-day-full"))
        return
    told = 0
    for admin_id in sorted(await _admins(context, message.chat_id)):
        admin = await context.db.members.get(admin_id)
        if admin is None or not admin.dm_reachable:
            continue
        admin_language = pick_language(admin.language_code, context.settings.default_language)
        body = await _suggestion_text(context, admin_language, message.chat_id, sender.id, text)
        sent = await dm(
            context, admin_id, body, reply_markup=_buttons(context, admin_language, suggestion_id)
        )
        told += sent is not None
    key = "prompts-suggest-thanks" if told else "prompts-suggest-thanks-later"
    await reply(context, message, i18n.text(language, key, name=sender.first_name))


async def _suggestions(context: ReteContext, message: Message, language: str) -> None:
    """/prompts suggestions: the pending ones, each with its buttons, in the group."""
    pending = await context.db.prompts.pending(message.chat_id)
    if not pending:
        await reply(context, message, context.i18n.text(language, "prompts-suggestions-empty"))
        return
    await reply(context, message, context.i18n.text(language, "prompts-suggestions-header"))
    for suggestion in pending[:PAGE_SIZE]:
        body = await _suggestion_text(
            context, language, suggestion.chat_id, suggestion.member_id, suggestion.text
        )
        await reply(
            context, message, body, reply_markup=_buttons(context, language, suggestion.id)
        )


async def suggestion_button(update: Update, context: ReteContext) -> None:
    """Approve or Reject pressed: decide once; later presses are answered and change nothing."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    user = query.from_user
    # Pressed under a DM: the admin's language; under /prompts suggestions: the group's.
    pressed_in = query.message.chat if query.message is not None else None
    if pressed_in is not None and is_group(pressed_in):
        language = (await chat_prefs(context, pressed_in.id)).language
    else:
        language = user_language(context, user)
    i18n = context.i18n
    action, _, raw_id = query.data.removeprefix(CALLBACK_PREFIX).partition(":")
    found = await context.db.prompts.suggestion(int(raw_id)) if raw_id.isdigit() else None
    if found is None or action not in ("a", "r"):
        await query.answer(i18n.text(language, "prompts-suggest-gone"), show_alert=True)
        return
    # Approving reaches the whole group: Telegram's current admin list decides, never a
    # remembered one (a demoted admin still has the DM with the buttons).
    if not await context.policy.is_admin(found.chat_id, actor_of(update), fresh=True):
        await query.answer(i18n.text(language, "prompts-suggest-not-admin"), show_alert=True)
        return
    decided = await context.db.prompts.decide(
        found.id, approve=action == "a", admin=member_info(user), at=context.now()
    )
    if decided is None:
        await query.answer(i18n.text(language, "prompts-suggest-gone"), show_alert=True)
        return
    if not decided.changed:
        status = decided.suggestion.status
        await query.answer(
            i18n.text(language, "prompts-suggest-already", status=status), show_alert=True
        )
        return
    approved = decided.suggestion.status == "approved"
    await query.answer(
        i18n.text(
            language,
            "prompts-suggest-done-approved" if approved else "prompts-suggest-done-rejected",
        )
    )
    chat = await context.db.chats.get(found.chat_id)
    title = (chat.title if chat else None) or str(found.chat_id)
    body = await _suggestion_text(context, language, found.chat_id, found.member_id, found.text)
    outcome = i18n.text(
        language,
        "prompts-suggest-approved" if approved else "prompts-suggest-rejected",
        admin=user.full_name,
        title=title,
    )
    try:
        await query.edit_message_text(Html(f"{body}\n\n{outcome}"), reply_markup=None)
    except TelegramError as error:
        log.debug("Could not edit the suggestion message: %s", error)
    if approved:
        author = await context.db.members.get(found.member_id)
        if author is not None and author.dm_reachable:
            author_language = pick_language(
                author.language_code, context.settings.default_language
            )
            await dm(
                context,
                author.id,
                i18n.text(author_language, "prompts-suggest-approved-author", title=title),
            )
