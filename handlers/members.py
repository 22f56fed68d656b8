"""Who is in the group and how active they are (counts only, never message texts), and
the short welcome newcomers get, batched so that a wave of joins makes one post."""

from __future__ import annotations

import html
import logging
from collections.abc import Sequence
from datetime import UTC, datetime

from telegram import ChatMember, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatMemberStatus
from telegram.error import TelegramError, TimedOut

from bot import welcomes
from bot.chat_settings import ChatPrefs
from bot.deeplinks import start_link
from bot.i18n import Html
from bot.introductions import chat_argument
from bot.text import shorten, without_bidi_controls
from handlers.common import chat_info, chat_prefs, forget_admins, human_sender, is_group
from handlers.common import member_info as info_of
from handlers.context import ReteContext
from handlers.delivery import post
from handlers.routing import is_command
from storage.welcomes import Newcomer

log = logging.getLogger(__name__)

WELCOME_JOB_NAME = "welcome-newcomers"
WELCOME_SECONDS = 5.0
# Groups whose last welcome Telegram refused: not before this time (in bot_data).
WELCOME_RETRY = "welcome_retry"
# A name in a welcome, cut here (Telegram allows 64 characters for first and last name each).
NAME_CHARS = 40


def is_present(member: ChatMember) -> bool:
    """True if the chat member status means 'in the chat'."""
    if member.status in (
        ChatMemberStatus.OWNER,
        ChatMemberStatus.ADMINISTRATOR,
        ChatMemberStatus.MEMBER,
    ):
        return True
    return member.status == ChatMemberStatus.RESTRICTED and bool(getattr(member, "is_member", 0))


async def observe(update: Update, context: ReteContext) -> None:
    """Record group life from every new message: activity, joins, leaves and migrations.

    Runs before every other handler (group -1). Edits are never counted: an edit is not
    new activity, and redelivered messages are recognised by their message id.
    """
    message = update.message
    if message is None or not is_group(message.chat):
        return
    if message.migrate_to_chat_id:
        await context.db.chats.migrate(message.chat_id, message.migrate_to_chat_id)
        return
    if message.migrate_from_chat_id:
        await context.db.chats.migrate(message.migrate_from_chat_id, message.chat_id)
        return
    chat = chat_info(message.chat)
    at = message.date.astimezone(UTC) if message.date else context.now()
    if message.new_chat_members:
        welcome = (await chat_prefs(context, chat.id)).welcome
        for user in message.new_chat_members:
            if not user.is_bot:
                context.policy.forget_member(chat.id, user.id)
                await context.db.memberships.record_join(chat, info_of(user), at, welcome=welcome)
        return
    if message.left_chat_member:
        user = message.left_chat_member
        if not user.is_bot:
            context.policy.forget_member(chat.id, user.id)
            await context.db.memberships.record_leave(chat, info_of(user), at)
        return
    # Service messages (pins, title changes, topics...) carry no content: not activity.
    # Checked by hand: PTB's merged StatusUpdate.ALL filter costs ~0.1 ms per message.
    if message.text is None and message.caption is None and message.effective_attachment is None:
        return
    sender = human_sender(message)
    if sender is None:
        return
    # A command to a bot is not conversation: it counts neither as activity, nor in the
    # recap, nor towards "the group is busy" (an admin configuring Rete is not a chat);
    # it still shows the sender is in the group.
    if is_command(message):
        await context.db.memberships.record_seen(chat, info_of(sender), at)
        return
    prefs = await chat_prefs(context, message.chat_id)
    local_day = at.astimezone(prefs.zone).date()
    await context.db.memberships.record_message(
        chat, info_of(sender), message.message_id, at, local_day
    )


async def on_chat_member(update: Update, context: ReteContext) -> None:
    """Track joins, leaves and removals reported by ``chat_member`` updates (bot is admin)."""
    change = update.chat_member
    if change is None or not is_group(change.chat):
        return
    user = change.new_chat_member.user
    if user.is_bot:
        return
    chat = chat_info(change.chat)
    context.policy.forget_member(chat.id, user.id)
    was, now = is_present(change.old_chat_member), is_present(change.new_chat_member)
    if ChatMemberStatus.ADMINISTRATOR in (
        change.old_chat_member.status,
        change.new_chat_member.status,
    ):
        forget_admins(context, change.chat.id)
    at = change.date.astimezone(UTC)
    if now and not was:
        welcome = (await chat_prefs(context, chat.id)).welcome
        await context.db.memberships.record_join(chat, info_of(user), at, welcome=welcome)
    elif was and not now:
        status = "kicked" if change.new_chat_member.status == ChatMemberStatus.BANNED else "left"
        await context.db.memberships.record_leave(chat, info_of(user), at, status)


async def welcome_newcomers(context: ReteContext) -> None:
    """Welcome each group's waiting newcomers once their wave is over (a job, every 5 s)."""
    now = context.now()
    store = context.db.welcomes
    waiting = await store.waiting()  # a read: most ticks find nothing and write nothing
    if any(now - group.first_join > welcomes.STALE for group in waiting):
        await store.skip_waiting_since(now - welcomes.STALE, now)
        waiting = await store.waiting()
    retry: dict[int, datetime] = context.bot_data.setdefault(WELCOME_RETRY, {})
    for group in waiting:
        if retry.get(group.chat_id, now) > now:
            continue
        if welcomes.due(group.first_join, group.last_join, group.last_post, now):
            await _welcome(context, group.chat_id, now)


async def _welcome(context: ReteContext, chat_id: int, now: datetime) -> None:
    store = context.db.welcomes
    newcomers = await store.claim(chat_id, now)
    if not newcomers:
        return
    chat = await context.db.chats.get(chat_id)
    prefs = await chat_prefs(context, chat_id)
    if chat is None or not chat.active or not prefs.welcome:
        await store.skip(chat_id, now, now)
        return
    text, markup = _welcome_post(context, chat_id, chat.title or "", prefs, newcomers)
    try:
        sent = await post(context, chat_id, text, reply_markup=markup)
    except TimedOut:
        # It may have gone out: left claimed, never posted twice (README, crash section).
        log.warning("Welcome in chat %s timed out; not sent again", chat_id)
        return
    except TelegramError as error:
        # Refused (after the rate limiter's retries): nothing went out, try again later.
        log.warning("Welcome in chat %s refused: %s", chat_id, error)
        await store.release(chat_id, now)
        context.bot_data.setdefault(WELCOME_RETRY, {})[chat_id] = welcomes.next_try(now)
        return
    if sent is None:  # the bot is no longer in the group
        await store.skip(chat_id, now, now)
        return
    # A group that became a supergroup on the way: its welcomes moved with it.
    await store.sent(sent.chat_id, now, now)


def _welcome_post(
    context: ReteContext, chat_id: int, title: str, prefs: ChatPrefs, newcomers: list[Newcomer]
) -> tuple[str, InlineKeyboardMarkup]:
    """The welcome's text (names that fit, the others counted) and its buttons."""
    i18n, language = context.i18n, prefs.language
    # Who keeps their name off public lists is welcomed too, counted, not named.
    shown = [
        f'<a href="tg://user?id={n.member_id}">'
        f"{html.escape(shorten(without_bidi_controls(n.name), NAME_CHARS), quote=False)}</a>"
        for n in newcomers
        if not n.hidden
    ]
    hidden = len(newcomers) - len(shown)

    def names(named: Sequence[str], others: int = 0) -> str:
        if not named:
            return i18n.text(language, "welcome-names-counted", count=others)
        if others:
            listed = Html(", ".join(named))
            return i18n.text(language, "welcome-names-others", names=listed, count=others)
        if len(named) == 1:
            return named[0]
        listed = Html(", ".join(named[:-1]))
        return i18n.text(language, "welcome-names-and", names=listed, last=Html(named[-1]))

    fitted = welcomes.fit_names(shown, lambda named: names(named, len(shown) - len(named)))
    text = i18n.text(
        language,
        "welcome-newcomers",
        names=Html(names(fitted.names, fitted.others + hidden)),
        title=without_bidi_controls(title),
        intros="on" if prefs.intros else "off",
    )
    argument = chat_argument(chat_id)
    bot = context.bot.username
    row = [
        InlineKeyboardButton(
            i18n.plain(language, "welcome-button-start"),
            url=start_link(bot, "welcome", argument),
        )
    ]
    if prefs.intros:
        row.insert(
            0,
            InlineKeyboardButton(
                i18n.plain(language, "welcome-button-intros"),
                url=start_link(bot, "intros", argument),
            ),
        )
    return text, InlineKeyboardMarkup([row])


async def flush_activity(context: ReteContext) -> None:
    """Write the buffered activity counters (a job, every second)."""
    await context.db.flush()


async def prune_message_authors(context: ReteContext) -> None:
    """Forget who wrote which message after 30 days (a daily job)."""
    removed = await context.db.memberships.prune_authors()
    log.info("Pruned %d message authors older than 30 days", removed)


async def prune_updates(context: ReteContext) -> None:
    """Forget the update ids claimed more than a day ago (an hourly job)."""
    removed = await context.db.updates.prune(context.now())
    log.debug("Pruned %d handled update ids", removed)
