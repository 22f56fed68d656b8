"""Introductions: profiles (/interests), opt-in (/intros), rounds, follow-ups, on demand.

Rete introduces members who share interests, or where one can help with what the other
looks for, in private and only with consent: nobody is paired without having confirmed in
private. The matching is ``bot.matching``; this module loads its inputs, records its
results before any DM goes out, and talks to people.
"""

from __future__ import annotations

import asyncio
import html
import logging
import zlib
from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta
from typing import Any

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    MessageEntity,
    Update,
    User,
)
from telegram.error import TelegramError

from bot.chat_settings import ChatPrefs, SettingError, parse_switch
from bot.deeplinks import start_link
from bot.i18n import Html, pick_language
from bot.introductions import CALLBACK_PREFIX as CALLBACK_PREFIX
from bot.introductions import (
    MAX_PAUSE_DAYS,
    MEET_EVERY,
    PAUSE_CHOICES_DAYS,
    SILENT_ROUNDS,
    TAG_CALLBACK_PREFIX,
    callback,
    candidate,
    chat_argument,
    chat_from_argument,
    cut_note,
    fits_callback,
    intro_argument,
    intro_from_argument,
    match_reasons,
    opening,
    parse_callback,
    parse_until,
    reason_from_record,
    reason_record,
    schedule_of,
)
from bot.matching import Candidate, History, Reason, best_partners, pair_round, reason, who_knows
from bot.schedule import slot_key
from bot.tags import (
    KIND_LETTERS,
    KIND_NAMED,
    KINDS,
    LETTER_KINDS,
    Kind,
    TagError,
    merge,
    normalize_tag,
    parse_kind,
    parse_tags,
    profile_from,
)
from handlers.common import chat_prefs, is_admin, is_group, member_info, user_language
from handlers.context import ReteContext
from handlers.delivery import dm, post, reply
from handlers.guards import group_command
from handlers.scheduling import ScheduledJob, upcoming
from handlers.start import deep_link
from storage import Member
from storage.intro_records import Intro, NewIntro

log = logging.getLogger(__name__)

SWEEP_SECONDS = 300
SWEEP_JOB_NAME = "intros-sweep"
# Rounds looked back beyond the repeat window: by then a past pairing weighs almost nothing.
HISTORY_EXTRA_ROUNDS = 8
# An introduction a crash or an outage kept from going out is still sent this long after.
PENDING_KEPT = timedelta(days=2)
AWAITING = "intros_awaiting"
_LOCK = "intros_lock"
REMOVE_WORDS = ("remove", "delete", "togli", "rimuovi", "elimina")
# /interests public on|off: the weekly recap may show a newcomer's offers.
PUBLIC_WORDS = ("public", "pubblico", "pubbliche", "pubblica")
STATS_WORDS = ("stats", "statistiche", "numeri")
NEVER_WORDS = ("never", "mai")
PAUSE_WORDS = ("pause", "pausa")
STOP_WORDS = ("stop", "basta")
RESTART_WORDS = ("restart", "start", "riprendi", "riattiva")
SUGGESTIONS = 8


def _lock(context: ReteContext) -> asyncio.Lock:
    lock = context.bot_data.get(_LOCK)
    if lock is None:
        lock = context.bot_data[_LOCK] = asyncio.Lock()
    return lock


def _t(context: ReteContext, language: str, key: str, **args: Any) -> str:
    return context.i18n.text(language, key, **args)


def _alert(context: ReteContext, language: str, key: str, **args: Any) -> str:
    """A catalog text for a place Telegram shows as plain text (callback alerts)."""
    return html.unescape(_t(context, language, key, **args))


def _button(text: str, data: str) -> InlineKeyboardButton:
    # Button labels are plain text: undo the catalog's escaping of names and tags.
    return InlineKeyboardButton(html.unescape(text), callback_data=data)


def _language_of(context: ReteContext, member: Member | None) -> str:
    code = member.language_code if member else None
    return pick_language(code, context.settings.default_language)


def _person(member: Member | None, member_id: int) -> Html:
    """The partner as an introduction shows them: name and @username (a link)."""
    if member is None:
        return Html(html.escape(str(member_id), quote=False))
    name = html.escape(member.full_name, quote=False)
    if member.username:
        return Html(f"<b>{name}</b> (@{html.escape(member.username, quote=False)})")
    return Html(f'<a href="tg://user?id={member.id}">{name}</a>')


def _plain_name(member: Member | None, member_id: int) -> str:
    return member.full_name if member else str(member_id)


def _tag_list(tags: Sequence[str]) -> Html:
    return Html(", ".join(f"<i>{html.escape(tag, quote=False)}</i>" for tag in tags))


async def _title(context: ReteContext, chat_id: int) -> str:
    chat = await context.db.chats.get(chat_id)
    return (chat.title if chat and chat.title else None) or str(chat_id)


# ---- settings ------------------------------------------------------------------------------


def _schedule(prefs: ChatPrefs) -> Any:
    return schedule_of(prefs.intros, prefs.intros_day, prefs.intros_at, prefs.intros_every_weeks)


def _when(context: ReteContext, language: str, prefs: ChatPrefs) -> str:
    return _t(
        context,
        language,
        "intros-when",
        every=prefs.intros_every_weeks,
        day=_t(context, language, f"intros-day-{prefs.intros_day}"),
        time=prefs.intros_at.strftime("%H:%M"),
    )


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


async def after_setting(context: ReteContext, chat_id: int, name: str, value: object) -> None:
    """When an admin turns introductions on, invite the group to join."""
    if name == "intros" and value is True:
        await _post_invitation(context, chat_id)


# ---- /interests ----------------------------------------------------------------------------


def _kind_name(context: ReteContext, language: str, kind: str) -> str:
    return _t(context, language, f"intros-kind-{kind}")


async def _interests_panel(
    context: ReteContext, user: User, language: str, note: str | None = None
) -> tuple[str, InlineKeyboardMarkup]:
    rows = await context.db.intros.tags(user.id)
    profile = profile_from(rows)
    none = _t(context, language, "intros-none")

    def shown(tags: frozenset[str]) -> Html | str:
        return _tag_list(sorted(tags)) if tags else none

    text = _t(
        context,
        language,
        "intros-interests",
        interests=shown(profile.interests),
        offers=shown(profile.offers),
        seeks=shown(profile.seeks),
    )
    public = await context.db.intros.offers_public(user.id)
    visibility = "intros-public-state-on" if public else "intros-public-state-off"
    text = f"{text}\n\n{_t(context, language, visibility)}"
    if note:
        text = f"{note}\n\n{text}"
    keyboard: list[list[InlineKeyboardButton]] = []
    suggestions = [
        (kind, tag)
        for kind, tag, _people in await context.db.intros.popular_tags(user.id, SUGGESTIONS * 2)
        if fits_callback("a", KIND_LETTERS[kind], tag, prefix=TAG_CALLBACK_PREFIX)
    ][:SUGGESTIONS]
    row: list[InlineKeyboardButton] = []
    for kind, tag in suggestions:
        label = _t(context, language, f"intros-suggest-{kind}", tag=tag)
        letter = KIND_LETTERS[kind]
        row.append(_button(label, callback("a", letter, tag, prefix=TAG_CALLBACK_PREFIX)))
        if len(row) == 2:
            keyboard.append(row)
            row = []
    if row:
        keyboard.append(row)
    keyboard.append(
        [
            _button(
                _t(context, language, f"intros-button-add-{kind}"),
                callback("t", KIND_LETTERS[kind], prefix=TAG_CALLBACK_PREFIX),
            )
            for kind in KINDS
        ]
    )
    if not profile.empty:
        keyboard.append(
            [
                _button(
                    _t(context, language, "intros-button-remove"),
                    callback("t", "r", prefix=TAG_CALLBACK_PREFIX),
                )
            ]
        )
    return text, InlineKeyboardMarkup(keyboard)


async def interests_command(update: Update, context: ReteContext) -> None:
    """/interests: in private, show and change your tags; in a group, point to private."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or user.is_bot:
        return
    if is_group(message.chat):
        language = (await chat_prefs(context, message.chat_id)).language
        markup = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        _t(context, language, "intros-open-private"),
                        url=start_link(context.bot.username, "interests"),
                    )
                ]
            ]
        )
        await reply(
            context,
            message,
            _t(context, language, "intros-interests-in-group"),
            reply_markup=markup,
        )
        return
    language = user_language(context, user)
    if context.user_data is not None:
        context.user_data.pop(AWAITING, None)
    args = context.args or []
    if not args:
        text, markup = await _interests_panel(context, user, language)
        await reply(context, message, text, reply_markup=markup)
        return
    first = args[0].casefold()
    if first in PUBLIC_WORDS:
        await _offers_visibility(context, message, user, language, " ".join(args[1:]))
        return
    if first in REMOVE_WORDS:
        await _change_tags(context, message, user, language, "remove", " ".join(args[1:]))
        return
    kind = parse_kind(first)
    raw = " ".join(args[1:]) if kind is not None else " ".join(args)
    await _change_tags(context, message, user, language, kind or "interest", raw)


async def _offers_visibility(
    context: ReteContext, message: Message, user: User, language: str, raw: str
) -> None:
    """/interests public on|off: may the weekly recap that welcomes you show your offers?"""
    try:
        public = parse_switch(raw)
    except SettingError:
        await reply(context, message, _t(context, language, "intros-public-usage"))
        return
    await context.db.intros.set_offers_public(member_info(user), public, context.now())
    note = _t(context, language, "intros-public-on" if public else "intros-public-off")
    text, markup = await _interests_panel(context, user, language, note)
    await reply(context, message, text, reply_markup=markup)


async def _change_tags(
    context: ReteContext, message: Message, user: User, language: str, mode: str, raw: str
) -> None:
    """Add tags of a kind (mode = the kind) or remove tags (mode = "remove"); reply."""
    store = context.db.intros
    try:
        tags = parse_tags(raw)
        if mode == "remove":
            removed = await store.remove_tags(user.id, tags)
            note = _t(context, language, "intros-tags-removed", count=removed)
        else:
            profile = profile_from(await store.tags(user.id))
            new = merge(profile, KIND_NAMED[mode], tags)
            await store.add_tags(member_info(user), mode, new, context.now())
            note = _t(
                context,
                language,
                "intros-tags-added",
                count=len(new),
                kind=_kind_name(context, language, mode),
            )
    except TagError as error:
        args = dict(error.args_)
        if "kind" in args:
            args["kind"] = _kind_name(context, language, str(args["kind"]))
        await reply(context, message, _t(context, language, error.key, **args))
        return
    text, markup = await _interests_panel(context, user, language, note)
    await reply(context, message, text, reply_markup=markup)


async def interests_text(update: Update, context: ReteContext) -> None:
    """A plain message in private after pressing an "add"/"remove" button: the tags."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or message.text is None:
        return
    user_data = context.user_data
    mode = user_data.pop(AWAITING, None) if user_data is not None else None
    if mode is None:
        return
    await _change_tags(context, message, user, user_language(context, user), mode, message.text)


async def tags_button(update: Update, context: ReteContext) -> None:
    """Buttons under /interests: add a suggested tag, or ask for tags to type."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    user = query.from_user
    language = user_language(context, user)
    parsed = parse_callback(query.data, TAG_CALLBACK_PREFIX)
    if parsed is None:
        return
    action, args = parsed
    if action == "t" and args and (args[0] in LETTER_KINDS or args[0] == "r"):
        mode = "remove" if args[0] == "r" else LETTER_KINDS[args[0]]
        if context.user_data is not None:
            context.user_data[AWAITING] = mode
        await query.answer()
        key = "intros-type-remove" if mode == "remove" else "intros-type-tags"
        await dm(
            context, user.id, _t(context, language, key, kind=_kind_name(context, language, mode))
        )
        return
    if action == "a" and len(args) >= 2 and args[0] in LETTER_KINDS:
        kind: Kind = LETTER_KINDS[args[0]]
        tag = normalize_tag(":".join(args[1:]))
        try:
            tags = parse_tags(tag)
            new = merge(profile_from(await context.db.intros.tags(user.id)), kind, tags)
        except TagError as error:
            await query.answer(
                _alert(context, language, error.key, **_kind_args(context, language, error)),
                show_alert=True,
            )
            return
        await context.db.intros.add_tags(member_info(user), kind, new, context.now())
        await query.answer(
            _alert(
                context,
                language,
                "intros-tags-added",
                count=len(new),
                kind=_kind_name(context, language, kind),
            )
        )
        text, markup = await _interests_panel(context, user, language)
        await _edit(query, text, markup)
        return
    await query.answer(_alert(context, language, "intros-button-stale"), show_alert=True)


def _kind_args(context: ReteContext, language: str, error: TagError) -> dict[str, Any]:
    args = dict(error.args_)
    if "kind" in args:
        args["kind"] = _kind_name(context, language, str(args["kind"]))
    return args


async def _edit(
    query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except TelegramError as error:
        # "message is not modified" and messages too old to edit: nothing to fix.
        log.debug("Could not edit introductions message: %s", error)


async def _drop_buttons(query: CallbackQuery) -> None:
    try:
        await query.edit_message_reply_markup(None)
    except TelegramError as error:
        log.debug("Could not remove buttons: %s", error)


@deep_link("interests")
async def _interests_link(update: Update, context: ReteContext, argument: str) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    text, markup = await _interests_panel(context, user, user_language(context, user))
    await reply(context, message, text, reply_markup=markup)


# ---- opting in -----------------------------------------------------------------------------


async def _post_invitation(context: ReteContext, chat_id: int) -> None:
    prefs = await chat_prefs(context, chat_id)
    language = prefs.language
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    _t(context, language, "intros-button-join"),
                    url=start_link(context.bot.username, "intros", chat_argument(chat_id)),
                )
            ]
        ]
    )
    text = _t(context, language, "intros-invitation", when=_when(context, language, prefs))
    await post(context, chat_id, text, reply_markup=markup)


async def intros_command(update: Update, context: ReteContext) -> None:
    """/intros: in a group, the Join button (or stats for admins); in private, your status."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    if not is_group(message.chat):
        await _private_intros(update, context, message, user)
        return
    checked = await group_command(update, context)
    if checked is None:
        return
    message, language = checked
    args = [a.casefold() for a in context.args or []]
    if args and args[0] in STATS_WORDS:
        if not await is_admin(context, update):
            await reply(context, message, _t(context, language, "intros-not-admin"))
            return
        await reply(context, message, await _stats_text(context, message.chat_id, language))
        return
    prefs = await chat_prefs(context, message.chat_id)
    if not prefs.intros:
        await reply(context, message, _t(context, language, "intros-off-here"))
        return
    await _post_invitation(context, message.chat_id)


async def _stats_text(context: ReteContext, chat_id: int, language: str) -> str:
    store = context.db.intros
    total = await store.stats(chat_id)
    recent = await store.stats(chat_id, context.now() - timedelta(days=28))
    joined = len(await store.opted_in(chat_id))
    return _t(
        context,
        language,
        "intros-stats",
        joined=joined,
        made=total.made,
        people=total.people,
        answered=total.answered,
        met=total.met,
        recentmade=recent.made,
        recentmet=recent.met,
    )


@deep_link("intros")
async def _intros_link(update: Update, context: ReteContext, argument: str) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    language = user_language(context, user)
    intro_id = intro_from_argument(argument)
    if intro_id is not None:
        await _ask_acceptance(context, intro_id, user.id, reply_to=message)
        return
    chat_id = chat_from_argument(argument)
    chat = await context.db.chats.get(chat_id) if chat_id is not None else None
    if chat is None or chat_id is None:
        await reply(context, message, _t(context, language, "intros-join-unknown"))
        return
    prefs = await chat_prefs(context, chat_id)
    if not prefs.intros:
        await reply(
            context, message, _t(context, language, "intros-join-off", title=chat.title or "")
        )
        return
    markup = InlineKeyboardMarkup(
        [[_button(_t(context, language, "intros-button-confirm"), callback("j", chat_id))]]
    )
    text = _t(
        context,
        language,
        "intros-join-confirm",
        title=chat.title or str(chat_id),
        when=_when(context, language, prefs),
    )
    await reply(context, message, text, reply_markup=markup)


async def _confirm_join(
    context: ReteContext, query: CallbackQuery, user: User, language: str, chat_id: int
) -> None:
    prefs = await chat_prefs(context, chat_id)
    chat = await context.db.chats.get(chat_id)
    if chat is None or not prefs.intros:
        await query.answer(_alert(context, language, "intros-button-stale"), show_alert=True)
        return
    await query.answer()
    await context.db.members.set_reachable(user.id, True)
    await context.db.intros.join(chat_id, member_info(user), context.now())
    done = _t(
        context,
        language,
        "intros-joined",
        title=chat.title or str(chat_id),
        next=_next_round(context, prefs),
    )
    await _edit(query, done)
    if not await context.db.intros.tags(user.id):
        text, markup = await _interests_panel(
            context, user, language, _t(context, language, "intros-joined-need-tags")
        )
        await dm(context, user.id, text, reply_markup=markup)


# ---- /intros in private: status, pause, stop, restart, never-list --------------------------


async def _status_panel(
    context: ReteContext, user_id: int, language: str, note: str | None = None
) -> tuple[str, InlineKeyboardMarkup | None]:
    store = context.db.intros
    now = context.now()
    optins = await store.optins(user_id)
    lines: list[str] = []
    keyboard: list[list[InlineKeyboardButton]] = []
    for optin in optins:
        title = optin.chat_title or str(optin.chat_id)
        prefs = await chat_prefs(context, optin.chat_id)
        if optin.status == "stopped":
            state = _t(context, language, "intros-state-stopped")
        elif optin.status == "paused" and not optin.active_at(now):
            until = optin.paused_until
            state = (
                _t(
                    context,
                    language,
                    "intros-state-paused-until",
                    date=until.astimezone(prefs.zone).date().isoformat(),
                )
                if until
                else _t(context, language, "intros-state-paused")
            )
        elif not prefs.intros:
            state = _t(context, language, "intros-state-group-off")
        else:
            state = _t(context, language, "intros-state-active", next=_next_round(context, prefs))
        lines.append(_t(context, language, "intros-status-line", title=title, state=state))
        row: list[InlineKeyboardButton] = []
        if optin.status == "active" or optin.active_at(now):
            for days in PAUSE_CHOICES_DAYS:
                row.append(
                    _button(
                        _t(context, language, "intros-button-pause", days=days, title=title),
                        callback("p", optin.chat_id, days),
                    )
                )
            row.append(
                _button(
                    _t(context, language, "intros-button-stop", title=title),
                    callback("x", optin.chat_id),
                )
            )
        else:
            row.append(
                _button(
                    _t(context, language, "intros-button-restart", title=title),
                    callback("r", optin.chat_id),
                )
            )
        keyboard.append(row)
    never = []
    for other_id in await store.never(user_id):
        other = await context.db.members.get(other_id)
        never.append(
            _plain_name(other, other_id)
            + (f" (@{other.username})" if other and other.username else "")
        )
    text = _t(
        context,
        language,
        "intros-status",
        groups=Html("\n".join(lines)) if lines else _t(context, language, "intros-status-none"),
        never=", ".join(never) if never else _t(context, language, "intros-none"),
    )
    if note:
        text = f"{note}\n\n{text}"
    return text, InlineKeyboardMarkup(keyboard) if keyboard else None


async def _private_intros(
    update: Update, context: ReteContext, message: Message, user: User
) -> None:
    language = user_language(context, user)
    args = context.args or []
    words = [a.casefold() for a in args]
    store = context.db.intros
    now = context.now()
    note: str | None = None
    if not words:
        pass
    elif words[0] in STATS_WORDS:
        await reply(context, message, _t(context, language, "intros-stats-in-group"))
        return
    elif words[0] in NEVER_WORDS:
        await _never_command(context, message, user, language, args[1:])
        return
    elif words[0] in PAUSE_WORDS:
        until = parse_until(args[1], now.date()) if len(args) == 2 else None
        if (
            until is None
            or until <= now.date()
            or until > now.date() + timedelta(days=MAX_PAUSE_DAYS)
        ):
            await reply(context, message, _t(context, language, "intros-pause-usage"))
            return
        optins = [o for o in await store.optins(user.id) if o.status != "stopped"]
        if not optins:
            await reply(context, message, _t(context, language, "intros-status-none"))
            return
        for optin in optins:
            zone = (await chat_prefs(context, optin.chat_id)).zone
            ends = datetime.combine(until, time(0, 0), zone).astimezone(UTC)
            await store.set_status(
                optin.chat_id, user.id, "paused", now, until=ends, reason="member"
            )
        note = _t(context, language, "intros-paused-all", date=until.isoformat())
    elif words[0] in STOP_WORDS or words[0] in RESTART_WORDS:
        stop = words[0] in STOP_WORDS
        optins = await store.optins(user.id)
        if not optins:
            await reply(context, message, _t(context, language, "intros-status-none"))
            return
        for optin in optins:
            await store.set_status(optin.chat_id, user.id, "stopped" if stop else "active", now)
        note = _t(context, language, "intros-stopped-all" if stop else "intros-restarted-all")
    else:
        await reply(context, message, _t(context, language, "intros-private-usage"))
        return
    text, markup = await _status_panel(context, user.id, language, note)
    await reply(context, message, text, reply_markup=markup)


async def _never_command(
    context: ReteContext, message: Message, user: User, language: str, args: list[str]
) -> None:
    store = context.db.intros
    remove = bool(args) and args[0].casefold() in REMOVE_WORDS
    names = args[1:] if remove else args
    if len(names) != 1 or not names[0].startswith("@"):
        await reply(context, message, _t(context, language, "intros-never-usage"))
        return
    other = await context.db.members.find_by_username(names[0])
    if other is None:
        await reply(
            context, message, _t(context, language, "intros-unknown-username", name=names[0])
        )
        return
    if other.id == user.id:
        await reply(context, message, _t(context, language, "intros-never-self"))
        return
    if remove:
        done = await store.remove_never(user.id, other.id)
        key = "intros-never-removed" if done else "intros-never-not-there"
    else:
        done = await store.add_never(member_info(user), other.id, context.now())
        key = "intros-never-added" if done else "intros-never-already"
    note = _t(context, language, key, name=other.full_name)
    text, markup = await _status_panel(context, user.id, language, note)
    await reply(context, message, text, reply_markup=markup)


# ---- the buttons ---------------------------------------------------------------------------


async def intros_button(update: Update, context: ReteContext) -> None:
    """Every introductions button: join, pause/stop/restart, answers, follow-ups, accept."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    user = query.from_user
    language = user_language(context, user)
    parsed = parse_callback(query.data)
    if parsed is None:
        return
    action, args = parsed
    numbers = [int(a) for a in args if a.lstrip("-").isdigit()]
    if action == "j" and numbers:
        await _confirm_join(context, query, user, language, numbers[0])
    elif action in ("p", "x", "r") and numbers:
        await _status_button(context, query, user, language, action, numbers)
    elif action in ("w", "s", "n") and numbers:
        await _answer_button(context, query, user, language, action, numbers[0])
    elif action == "f" and len(args) == 2 and numbers:
        await _follow_up_button(context, query, user, language, numbers[0], args[1])
    elif action == "a" and len(args) == 2 and numbers:
        await _accept_button(context, query, user, language, numbers[0], args[1] == "y")
    else:
        await query.answer(_alert(context, language, "intros-button-stale"), show_alert=True)


async def _status_button(
    context: ReteContext,
    query: CallbackQuery,
    user: User,
    language: str,
    action: str,
    numbers: list[int],
) -> None:
    chat_id = numbers[0]
    now = context.now()
    store = context.db.intros
    optin = await store.optin(chat_id, user.id)
    if optin is None:
        await query.answer(_alert(context, language, "intros-button-stale"), show_alert=True)
        return
    title = optin.chat_title or str(chat_id)
    if action == "p" and len(numbers) == 2 and numbers[1] in PAUSE_CHOICES_DAYS:
        until = now + timedelta(days=numbers[1])
        await store.set_status(chat_id, user.id, "paused", now, until=until, reason="member")
        zone = (await chat_prefs(context, chat_id)).zone
        note = _t(
            context,
            language,
            "intros-paused",
            title=title,
            date=until.astimezone(zone).date().isoformat(),
        )
    elif action == "x":
        await store.set_status(chat_id, user.id, "stopped", now)
        note = _t(context, language, "intros-stopped", title=title)
    elif action == "r":
        await store.set_status(chat_id, user.id, "active", now)
        note = _t(context, language, "intros-restarted", title=title)
    else:
        await query.answer(_alert(context, language, "intros-button-stale"), show_alert=True)
        return
    await query.answer()
    text, markup = await _status_panel(context, user.id, language, note)
    await _edit(query, text, markup)


async def _answer_button(
    context: ReteContext,
    query: CallbackQuery,
    user: User,
    language: str,
    action: str,
    intro_id: int,
) -> None:
    store = context.db.intros
    intro = await store.intro(intro_id)
    if intro is None or intro.status != "active" or intro.member(user.id) is None:
        await query.answer(_alert(context, language, "intros-button-stale"), show_alert=True)
        return
    now = context.now()
    if action == "n":
        for other_id in intro.others(user.id):
            await store.add_never(member_info(user), other_id, now)
        await store.answer(intro_id, user.id, "never", now)
        await query.answer(_alert(context, language, "intros-answer-never"), show_alert=True)
        await _drop_buttons(query)
        return
    answer = "write" if action == "w" else "skip"
    await store.answer(intro_id, user.id, answer, now)
    await query.answer(_alert(context, language, f"intros-answer-{answer}"), show_alert=True)
    await _drop_buttons(query)


async def _follow_up_button(
    context: ReteContext,
    query: CallbackQuery,
    user: User,
    language: str,
    intro_id: int,
    value: str,
) -> None:
    outcomes = {"y": "yes", "l": "notyet", "n": "no"}
    outcome = outcomes.get(value)
    store = context.db.intros
    intro = await store.intro(intro_id)
    if (
        outcome is None
        or intro is None
        or intro.member(user.id) is None
        or not await store.set_outcome(
            intro_id,
            user.id,
            outcome,
            context.now(),
            ask_again_at=await _again(context, intro, outcome),
        )
    ):
        await query.answer(_alert(context, language, "intros-button-stale"), show_alert=True)
        return
    await query.answer()
    await _edit(query, _t(context, language, f"intros-outcome-{outcome}"))


async def _again(
    context: ReteContext, intro: Intro | None, outcome: str | None
) -> datetime | None:
    """When to ask "did you meet?" once more after a "not yet" (None: not again)."""
    if intro is None or outcome != "notyet":
        return None
    prefs = await chat_prefs(context, intro.chat_id)
    return context.now() + timedelta(days=prefs.intros_follow_up_days)


# ---- DMs -----------------------------------------------------------------------------------


def _why_lines(context: ReteContext, language: str, partner_name: str, why: Reason) -> list[str]:
    lines = []
    if why.shared:
        lines.append(_t(context, language, "intros-why-shared", tags=_tag_list(why.shared)))
    if why.seeks_from_other:
        lines.append(
            _t(
                context,
                language,
                "intros-why-offers",
                name=partner_name,
                tags=_tag_list(why.seeks_from_other),
            )
        )
    if why.offers_to_other:
        lines.append(
            _t(
                context,
                language,
                "intros-why-seeks",
                name=partner_name,
                tags=_tag_list(why.offers_to_other),
            )
        )
    if not lines:
        lines.append(_t(context, language, "intros-why-none", name=partner_name))
    return lines


async def _intro_text(
    context: ReteContext, intro: Intro, member_id: int, language: str
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The DM that tells ``member_id`` whom they are meeting, why, and how to start."""
    i18n_title = await _title(context, intro.chat_id)
    side = intro.member(member_id)
    assert side is not None
    if intro.status == "unmatched":
        key = {
            "alone": "intros-unmatched-alone",
            "partner-unreachable": "intros-unmatched-unreachable",
        }.get(intro.why or "", "intros-unmatched-none")
        return _t(context, language, key, title=i18n_title), None
    prefs = await chat_prefs(context, intro.chat_id)
    parts: list[str] = []
    if intro.round_id is not None:
        dropped = await context.db.intros.cancelled_for(intro.round_id, member_id)
        if dropped:
            gone = [m.member_id for d in dropped for m in d.members if m.dm_state == "failed"]
            names = [_plain_name(await context.db.members.get(g), g) for g in gone]
            parts.append(_t(context, language, "intros-change-of-plan", names=", ".join(names)))
    people: list[Html] = []
    details: list[str] = []
    first_reason: Reason | None = None
    for other_id in intro.others(member_id):
        other = await context.db.members.get(other_id)
        people.append(_person(other, other_id))
        why = reason_from_record(side.reasons.get(str(other_id)))
        if first_reason is None or (not first_reason and why):
            first_reason = why
        name = _plain_name(other, other_id)
        details.append(
            _t(
                context,
                language,
                "intros-dm-partner",
                person=_person(other, other_id),
                why=Html("\n".join(_why_lines(context, language, name, why))),
            )
        )
    parts.append(
        _t(
            context,
            language,
            "intros-dm-header",
            title=i18n_title,
            people=Html(_t(context, language, "intros-and").join(people)),
        )
    )
    if intro.kind == "manual" and intro.initiator_id is not None:
        admin = await context.db.members.get(intro.initiator_id)
        parts.append(
            _t(
                context,
                language,
                "intros-dm-by-admin",
                name=_plain_name(admin, intro.initiator_id),
                note=intro.note or "—",
            )
        )
    parts.extend(details)
    ask = opening(first_reason or Reason((), (), ()))
    question = _t(context, language, ask.key, tag=ask.tag, title=i18n_title)
    parts.append(_t(context, language, "intros-dm-question", question=question))
    parts.append(_t(context, language, "intros-dm-footer", days=prefs.intros_follow_up_days))
    markup = InlineKeyboardMarkup(
        [
            [
                _button(_t(context, language, "intros-button-write"), callback("w", intro.id)),
                _button(_t(context, language, "intros-button-skip"), callback("s", intro.id)),
            ],
            [_button(_t(context, language, "intros-button-never"), callback("n", intro.id))],
        ]
    )
    return "\n\n".join(parts), markup


async def _deliver_one(context: ReteContext, intro_id: int, member_id: int) -> None:
    """Send one introduction DM at most once; a bounce drops the member from the intro."""
    store = context.db.intros
    intro = await store.intro(intro_id)
    if intro is None or intro.status not in ("active", "unmatched"):
        return
    member = await context.db.members.get(member_id)
    language = _language_of(context, member)
    text, markup = await _intro_text(context, intro, member_id, language)
    if not await store.claim_dm(intro_id, member_id, context.now()):
        return
    try:
        sent = await dm(context, member_id, text, reply_markup=markup)
    except TelegramError:
        # Not a refusal (network, server): leave it pending for the next sweep.
        await store.finish_dm(intro_id, member_id, "pending")
        raise
    if sent is not None:
        await store.finish_dm(intro_id, member_id, "sent")
        return
    log.info("Introduction %s: member %s cannot receive DMs", intro_id, member_id)
    stranded = await store.drop_unreachable(intro_id, member_id, context.now())
    if intro.kind != "round":
        # /meet and /introduce are not re-paired: the others are told.
        for other_id in stranded:
            other = await context.db.members.get(other_id)
            await dm(
                context,
                other_id,
                _t(
                    context,
                    _language_of(context, other),
                    "intros-partner-unreachable",
                    name=_plain_name(member, member_id),
                ),
            )


async def _deliver_round(context: ReteContext, chat_id: int, round_id: int) -> None:
    """Send the round's pending DMs; re-pair members whose partner could not be reached.

    Introductions go first; the "nobody for you this round" DMs last, since a bounce may
    still free a partner for them.
    """
    store = context.db.intros
    while True:
        for intro_id, member_id in await store.pending_dms(round_id=round_id, unmatched=False):
            await _deliver_one(context, intro_id, member_id)
        stranded = await store.stranded(round_id)
        if stranded:
            await _resettle(context, chat_id, round_id, stranded)
            continue
        waiting = await store.pending_dms(round_id=round_id)
        if not waiting:
            return
        for intro_id, member_id in waiting:
            await _deliver_one(context, intro_id, member_id)


async def _resettle(
    context: ReteContext, chat_id: int, round_id: int, stranded: list[tuple[int, int]]
) -> None:
    """Re-pair members left alone by a bounce (with each other, or with members of the
    round who had no partner yet); tell those still without one."""
    store = context.db.intros
    prefs = await chat_prefs(context, chat_id)
    now = context.now()
    members = sorted({member_id for _intro, member_id in stranded})
    waiting = dict(
        (member_id, intro_id) for intro_id, member_id in await store.waiting_unmatched(round_id)
    )
    pool = [
        candidate(m, await store.tags(m), await store.never(m))
        for m in [*members, *sorted(set(waiting) - set(members))]
    ]
    history = await _history(context, chat_id, prefs)
    result = (
        await asyncio.to_thread(pair_round, pool, history, seed=round_id)
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


async def _history(context: ReteContext, chat_id: int, prefs: ChatPrefs) -> History:
    store = context.db.intros
    window = prefs.intros_repeat_window
    return History(
        # Older pairings still weigh a little (matching halves the penalty each round).
        rounds_since=await store.rounds_since(chat_id, window + HISTORY_EXTRA_ROUNDS),
        interacted=await store.interacted(chat_id),
        repeat_window=window,
    )


# ---- the scheduled round -------------------------------------------------------------------


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


# ---- the sweep: DMs left pending, follow-ups due -------------------------------------------


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


async def _send_follow_up(context: ReteContext, intro_id: int, member_id: int) -> None:
    store = context.db.intros
    intro = await store.intro(intro_id)
    if intro is None or intro.status != "active":
        return
    if not await store.claim_follow_up(intro_id, member_id):
        return
    member = await context.db.members.get(member_id)
    language = _language_of(context, member)
    names = [_plain_name(await context.db.members.get(o), o) for o in intro.others(member_id)]
    days = max(1, (context.now() - intro.created_at).days)
    text = _t(
        context,
        language,
        "intros-follow-up",
        names=_t(context, language, "intros-and").join(names),
        title=await _title(context, intro.chat_id),
        days=days,
    )
    markup = InlineKeyboardMarkup(
        [
            [
                _button(
                    _t(context, language, "intros-button-met-yes"), callback("f", intro_id, "y")
                ),
                _button(
                    _t(context, language, "intros-button-met-notyet"), callback("f", intro_id, "l")
                ),
                _button(
                    _t(context, language, "intros-button-met-no"), callback("f", intro_id, "n")
                ),
            ]
        ]
    )
    try:
        sent = await dm(context, member_id, text, reply_markup=markup)
    except TelegramError:
        await store.finish_follow_up(intro_id, member_id, None)
        raise
    await store.finish_follow_up(intro_id, member_id, "sent" if sent else "failed")


# ---- /whoknows -----------------------------------------------------------------------------


async def whoknows_command(update: Update, context: ReteContext) -> None:
    """/whoknows <tag>: opted-in members who offer or care about it, best matches first."""
    checked = await group_command(update, context)
    if checked is None:
        return
    message, language = checked
    raw = " ".join(context.args or [])
    try:
        tags = parse_tags(raw)
    except TagError as error:
        key = "intros-whoknows-usage" if error.key == "intros-tags-empty" else error.key
        await reply(context, message, _t(context, language, key, **error.args_))
        return
    if len(tags) != 1:
        await reply(context, message, _t(context, language, "intros-whoknows-usage"))
        return
    tag = tags[0]
    rows = await context.db.intros.listed(message.chat_id)
    pool = [candidate(r.member_id, r.tags, r.never) for r in rows]
    user = update.effective_user
    asker: Candidate | None = None
    if user is not None:
        mine = next((c for c in pool if c.member_id == user.id), None)
        if mine is None:
            asker = candidate(
                user.id,
                await context.db.intros.tags(user.id),
                await context.db.intros.never(user.id),
            )
        else:
            asker = mine
    found = who_knows(tag, pool, asker=asker, limit=10)
    if not found:
        await reply(context, message, _t(context, language, "intros-whoknows-none", tag=tag))
        return
    by_id = {c.member_id: c for c in pool}
    lines = [_t(context, language, "intros-whoknows-header", tag=tag)]
    for member_id in found:
        member = await context.db.members.get(member_id)
        how = "offer" if tag in by_id[member_id].offers else "interest"
        lines.append(
            _t(context, language, f"intros-whoknows-{how}", name=_plain_name(member, member_id))
        )
    lines.append(_t(context, language, "intros-whoknows-footer"))
    await reply(context, message, "\n".join(lines))


# ---- /meet ---------------------------------------------------------------------------------


async def meet_command(update: Update, context: ReteContext) -> None:
    """/meet in private: an introduction now, to the best available match (once a week)."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or user.is_bot:
        return
    language = user_language(context, user)
    if is_group(message.chat):
        await reply(context, message, _t(context, language, "intros-meet-private"))
        return
    store = context.db.intros
    now = context.now()
    last = await store.last_meet(user.id)
    if last is not None and now - last < MEET_EVERY:
        await reply(
            context,
            message,
            _t(
                context,
                language,
                "intros-meet-too-soon",
                date=(last + MEET_EVERY).date().isoformat(),
            ),
        )
        return
    groups = []
    for optin in await store.optins(user.id):
        prefs = await chat_prefs(context, optin.chat_id)
        if optin.active_at(now) and prefs.intros:
            groups.append((optin.chat_id, prefs))
    if not groups:
        await reply(context, message, _t(context, language, "intros-meet-not-joined"))
        return
    me = candidate(user.id, await store.tags(user.id), await store.never(user.id))
    if not (me.interests or me.offers or me.seeks):
        await reply(context, message, _t(context, language, "intros-meet-no-tags"))
        return
    best: tuple[float, int, int, Reason, ChatPrefs] | None = None
    for chat_id, prefs in groups:
        others = [
            candidate(r.member_id, r.tags, r.never)
            for r in await store.candidates(chat_id, now)
            if r.member_id != user.id
        ]
        history = await _history(context, chat_id, prefs)
        found = await asyncio.to_thread(best_partners, me, others, history, limit=1)
        if found and (best is None or found[0][1] > best[0]):
            other_id, score, why = found[0]
            best = (score, chat_id, other_id, why, prefs)
    if best is None:
        await reply(context, message, _t(context, language, "intros-meet-nobody"))
        return
    score, chat_id, other_id, why, prefs = best
    rows = {r.member_id: r for r in await store.candidates(chat_id, now)}
    other = candidate(other_id, rows[other_id].tags, rows[other_id].never)
    reasons = {
        user.id: {other_id: reason_record(why)},
        other_id: {user.id: reason_record(reason(other, me))},
    }
    async with _lock(context):
        [intro_id] = await store.add_intros(
            chat_id,
            now,
            [NewIntro((other_id, user.id), score, reasons)],
            kind="meet",
            follow_up_at=now + timedelta(days=prefs.intros_follow_up_days),
            initiator_id=user.id,
        )
        for member_id in (other_id, user.id):
            await _deliver_one(context, intro_id, member_id)


# ---- /introduce ----------------------------------------------------------------------------


async def _mentioned(context: ReteContext, message: Message) -> tuple[list[Any], str]:
    """Return the people a message names (users, or '@name' not known) and the rest: the note."""
    found: list[Any] = []
    text = message.text or ""
    pieces: list[tuple[int, int]] = []
    entities = message.parse_entities([MessageEntity.MENTION, MessageEntity.TEXT_MENTION])
    for entity, value in entities.items():
        pieces.append((entity.offset, entity.offset + entity.length))
        if entity.type == MessageEntity.TEXT_MENTION and entity.user is not None:
            found.append(entity.user)
        else:
            member = await context.db.members.find_by_username(value)
            found.append(member if member is not None else value)
    # The note is what remains once the command and the mentions are taken out.
    utf16 = text.encode("utf-16-le")
    keep = bytearray()
    cuts = sorted(pieces)
    position = 0
    for start, end in cuts:
        keep += utf16[position * 2 : start * 2]
        position = end
    keep += utf16[position * 2 :]
    rest = keep.decode("utf-16-le").split(maxsplit=1)
    note = rest[1] if len(rest) > 1 and rest[0].startswith("/") else ""
    return found, note


async def introduce_command(update: Update, context: ReteContext) -> None:
    """/introduce (admins): reply to one member and mention another, or mention both."""
    admin = update.effective_user
    checked = await group_command(update, context, not_admin="intros-not-admin")
    if checked is None or admin is None:
        return
    message, language = checked
    if message.sender_chat is not None:  # an anonymous admin: nobody to name as introducer
        await reply(context, message, _t(context, language, "intros-introduce-anonymous"))
        return
    people: list[Any] = []
    target = message.reply_to_message
    if (
        target is not None
        and target.forum_topic_created is None
        and not (message.is_topic_message and target.message_id == message.message_thread_id)
    ):
        if target.sender_chat is not None or target.from_user is None:
            await reply(context, message, _t(context, language, "intros-introduce-not-person"))
            return
        people.append(target.from_user)
    mentioned, note = await _mentioned(context, message)
    people += mentioned
    for person in people:
        if isinstance(person, str):
            await reply(
                context, message, _t(context, language, "intros-unknown-username", name=person)
            )
            return
        if getattr(person, "is_bot", False):
            await reply(context, message, _t(context, language, "intros-introduce-bot"))
            return
    ids = [p.id for p in people]
    if len(ids) == 2 and ids[0] == ids[1]:
        await reply(context, message, _t(context, language, "intros-introduce-same"))
        return
    if len(ids) != 2:
        await reply(context, message, _t(context, language, "intros-introduce-usage"))
        return
    store = context.db.intros
    for person in people:
        if isinstance(person, User):
            await context.db.members.seen(member_info(person))
    if await store.blocked_between(ids[0], ids[1]):
        await reply(context, message, _t(context, language, "intros-introduce-cannot"))
        return
    a = candidate(ids[0], await store.tags(ids[0]), ())
    b = candidate(ids[1], await store.tags(ids[1]), ())
    reasons = {
        ids[0]: {ids[1]: reason_record(reason(a, b))},
        ids[1]: {ids[0]: reason_record(reason(b, a))},
    }
    now = context.now()
    [intro_id] = await store.add_intros(
        message.chat_id,
        now,
        [NewIntro((ids[0], ids[1]), None, reasons)],
        kind="manual",
        status="pending",
        initiator_id=admin.id,
        note=cut_note(note),
    )
    waiting: list[Member] = []
    for member_id in ids:
        if not await _ask_acceptance(context, intro_id, member_id):
            member = await context.db.members.get(member_id)
            if member is not None:
                waiting.append(member)
    if not waiting:
        await reply(context, message, _t(context, language, "intros-introduce-asked"))
        return
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    _t(context, language, "intros-open-private"),
                    url=start_link(context.bot.username, "intros", intro_argument(intro_id)),
                )
            ]
        ]
    )
    names = ", ".join(f"@{m.username}" if m.username else m.full_name for m in waiting)
    await reply(
        context,
        message,
        _t(context, language, "intros-introduce-open-private", names=names),
        reply_markup=markup,
    )


async def _ask_acceptance(
    context: ReteContext, intro_id: int, member_id: int, *, reply_to: Message | None = None
) -> bool:
    """DM a member the proposed introduction with Accept / Decline; False if not delivered."""
    store = context.db.intros
    intro = await store.intro(intro_id)
    member = await context.db.members.get(member_id)
    language = _language_of(context, member)
    side = intro.member(member_id) if intro else None
    if intro is None or side is None or intro.status != "pending" or side.accepted is not None:
        if reply_to is not None:
            await reply(context, reply_to, _t(context, language, "intros-button-stale"))
        return reply_to is not None
    if member is None or (not member.dm_reachable and reply_to is None):
        return False
    [other_id] = intro.others(member_id)
    other = await context.db.members.get(other_id)
    admin = await context.db.members.get(intro.initiator_id) if intro.initiator_id else None
    text = _t(
        context,
        language,
        "intros-accept-ask",
        admin=_plain_name(admin, intro.initiator_id or 0),
        person=_person(other, other_id),
        title=await _title(context, intro.chat_id),
        note=intro.note or "—",
    )
    markup = InlineKeyboardMarkup(
        [
            [
                _button(
                    _t(context, language, "intros-button-accept"), callback("a", intro_id, "y")
                ),
                _button(
                    _t(context, language, "intros-button-decline"), callback("a", intro_id, "n")
                ),
            ]
        ]
    )
    sent = await dm(context, member_id, text, reply_markup=markup)
    return sent is not None


async def _accept_button(
    context: ReteContext, query: CallbackQuery, user: User, language: str, intro_id: int, yes: bool
) -> None:
    store = context.db.intros
    intro = await store.intro(intro_id)
    prefs = await chat_prefs(context, intro.chat_id) if intro else None
    now = context.now()
    status = (
        await store.accept(
            intro_id, user.id, yes, now, now + timedelta(days=prefs.intros_follow_up_days)
        )
        if intro is not None and prefs is not None
        else None
    )
    if status is None or intro is None:
        await query.answer(_alert(context, language, "intros-button-stale"), show_alert=True)
        return
    await query.answer()
    if status == "declined":
        await _edit(query, _t(context, language, "intros-declined"))
        for side in intro.members:
            if side.member_id != user.id and side.accepted:
                other = await context.db.members.get(side.member_id)
                await dm(
                    context,
                    side.member_id,
                    _t(context, _language_of(context, other), "intros-declined-other"),
                )
        return
    if status == "pending":
        await _edit(query, _t(context, language, "intros-accepted-waiting"))
        return
    await _edit(query, _t(context, language, "intros-accepted-both"))
    async with _lock(context):
        for member_id in [m.member_id for m in intro.members]:
            await _deliver_one(context, intro_id, member_id)
