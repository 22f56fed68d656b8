"""Opting in: the Join button and link, /intros in a group and in private (pause, stop, never)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
    User,
)

from bot import dates
from bot.deeplinks import start_link
from bot.i18n import Html
from bot.introductions import (
    LEFT_OUT_REASONS,
    MAX_PAUSE_DAYS,
    PAUSE_CHOICES_DAYS,
    callback,
    chat_argument,
    cut_name,
    intro_from_argument,
    parse_until,
)
from bot.policy import Reason, Refused
from bot.recap import short_date
from handlers.common import chat_prefs, is_admin, is_group, member_info, user_language
from handlers.context import ReteContext
from handlers.delivery import dm, post, reply
from handlers.guards import answer_refusal, group_command, linked_group
from handlers.intros.common import (
    AWAITING,
    REMOVE_WORDS,
    _alert,
    _button,
    _edit,
    _named,
    _own_side,
    _plain_name,
    _t,
    _when,
)
from handlers.intros.ondemand import _ask_acceptance
from handlers.intros.profiles import _interests_panel
from handlers.intros.rounds import _next_round
from handlers.start import deep_link
from handlers.trust import actor_of

STATS_WORDS = ("stats", "statistiche", "numeri")
NEVER_WORDS = ("never", "mai")
PAUSE_WORDS = ("pause", "pausa")
STOP_WORDS = ("stop", "basta")
RESTART_WORDS = ("restart", "start", "riprendi", "riattiva")
# Joining a group one is not in: say which group to join first, not just "no".
JOIN_REFUSALS: dict[Reason, str] = {"not-member": "intros-join-not-member"}


async def after_setting(context: ReteContext, chat_id: int, name: str, value: object) -> None:
    """When an admin turns introductions on, invite the group to join."""
    if name == "intros" and value is True:
        await _post_invitation(context, chat_id)


async def _post_invitation(context: ReteContext, chat_id: int) -> None:
    prefs = await chat_prefs(context, chat_id)
    language = prefs.language
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    context.i18n.plain(language, "intros-button-join"),
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
        if not await is_admin(context, update, fresh=True):
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
    text = _t(
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
    last = await store.left_out(chat_id)
    if last is None:
        return text
    at, left_out = last
    zone = (await chat_prefs(context, chat_id)).zone
    day = short_date(context.i18n, language, at.astimezone(zone).date())
    lines = [
        text,
        _t(context, language, "intros-stats-last-round", day=day, count=sum(left_out.values())),
    ]
    # Why they were left out, in a fixed order; a reason no round records any more last.
    order = {why: n for n, why in enumerate(LEFT_OUT_REASONS)}
    for why, count in sorted(left_out.items(), key=lambda item: order.get(item[0], len(order))):
        lines.append(_t(context, language, "intros-stats-left-out", count=count, why=why))
    return "\n".join(lines)


@deep_link("intros")
async def _intros_link(update: Update, context: ReteContext, argument: str) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    language = user_language(context, user)
    intro_id = intro_from_argument(argument)
    if intro_id is not None:
        intro = await context.db.intros.intro(intro_id)
        if intro is None:
            await reply(context, message, _t(context, language, "intros-button-stale"))
            return
        try:
            _own_side(context, update, intro)  # someone else's introduction: refused
        except Refused as refused:
            await answer_refusal(context, update, refused, language)
            return
        await _ask_acceptance(context, intro_id, user.id, reply_to=message)
        return
    chat = await linked_group(
        context, update, argument, language, unknown="intros-join-unknown", refusals=JOIN_REFUSALS
    )
    if chat is None:
        return
    chat_id = chat.id
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
    context: ReteContext,
    update: Update,
    query: CallbackQuery,
    user: User,
    language: str,
    chat_id: int,
) -> None:
    """The Join button: only a current member of the group (Telegram confirms) joins."""
    if chat_id >= 0:  # not a group
        await query.answer(_alert(context, language, "intros-button-stale"), show_alert=True)
        return
    # Joining means being introduced to the group's members (name, @username, tags): a
    # stranger who only knows the group's id is refused (raises Refused, answered).
    await context.policy.ensure_member(chat_id, actor_of(update).person, verify=True)
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
        next=_next_round(context, prefs, language),
    )
    await _edit(query, done)
    if not await context.db.intros.tags(user.id):
        note = "\n".join(
            _t(context, language, key)
            for key in ("intros-joined-need-tags", "intros-joined-type-tags")
        )
        text, markup = await _interests_panel(context, user, language, note)
        if await dm(context, user.id, text, reply_markup=markup) is not None and (
            context.user_data is not None
        ):
            # "One more step": what they write next are their interests (as after the
            # panel's "add interests" button), not a message Rete cannot use.
            context.user_data[AWAITING] = "interest"


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
                    until=dates.until(
                        context.i18n,
                        language,
                        until.astimezone(prefs.zone).date(),
                        now.astimezone(prefs.zone).date(),
                    ),
                )
                if until
                else _t(context, language, "intros-state-paused")
            )
        elif not prefs.intros:
            state = _t(context, language, "intros-state-group-off")
        else:
            state = _t(
                context,
                language,
                "intros-state-active",
                next=_next_round(context, prefs, language),
            )
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
        if other is not None and not other.hidden and other.username:
            never.append(f"{other.full_name} (@{other.username})")
        elif other is None:
            never.append(_plain_name(other, other_id))
        else:  # a hidden member: by @username only, never by the name on record
            never.append(_named(context, language, other))
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
        note = _t(
            context,
            language,
            "intros-paused-all",
            until=dates.until(context.i18n, language, until, now.date()),
        )
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
    typed = cut_name(names[0])  # repeated back: a long argument must not break the reply
    other = await context.db.members.find_by_username(names[0])
    if other is None:
        await reply(context, message, _t(context, language, "intros-unknown-username", name=typed))
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
    # As they typed it: the name on record may be one its owner keeps private.
    note = _t(context, language, key, name=typed)
    text, markup = await _status_panel(context, user.id, language, note)
    await reply(context, message, text, reply_markup=markup)


async def _status_button(
    context: ReteContext,
    query: CallbackQuery,
    user: User,
    language: str,
    action: str,
    chat_id: int,
    days: int | None,
) -> None:
    """Pause, stop or restart in one group: the presser's own opt-in, nobody else's."""
    now = context.now()
    store = context.db.intros
    optin = await store.optin(chat_id, user.id)
    if optin is None:
        await query.answer(_alert(context, language, "intros-button-stale"), show_alert=True)
        return
    title = optin.chat_title or str(chat_id)
    if action == "p" and days in PAUSE_CHOICES_DAYS:
        until = now + timedelta(days=days)
        await store.set_status(chat_id, user.id, "paused", now, until=until, reason="member")
        zone = (await chat_prefs(context, chat_id)).zone
        note = _t(
            context,
            language,
            "intros-paused",
            title=title,
            until=dates.until(
                context.i18n, language, until.astimezone(zone).date(), now.astimezone(zone).date()
            ),
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
