"""The weekly recap in the group: posted by the scheduler, /recap on demand, /recap preview."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from telegram import Update
from telegram.error import BadRequest, NetworkError, RetryAfter

from bot import dates
from bot.chat_settings import ChatPrefs
from bot.recap import (
    RecapWindow,
    WeekFacts,
    assemble,
    chart_labels,
    fits_caption,
    iso_week,
    on_demand_window,
    render,
    render_chart,
    scheduled_window,
    wants_chart,
)
from bot.schedule import Weekly
from bot.text import split_message
from handlers.common import chat_prefs, is_admin, user_language
from handlers.context import ReteContext
from handlers.delivery import dm, post, post_photo, reply, send_photo
from handlers.guards import group_command
from handlers.scheduling import ScheduledJob, notify_admins
from handlers.start import open_private_button
from storage.recap import gather_optional

log = logging.getLogger(__name__)

# A recap missed while the bot was down is still posted within a day, else skipped.
GRACE = timedelta(hours=24)
# /recap on demand: at most once an hour per group.
MANUAL_EVERY = timedelta(hours=1)
# Telegram unreachable, or flood control beyond the rate limiter's retries: try again later.
RETRY_LATER = timedelta(minutes=5)
PREVIEW_WORDS = ("preview", "anteprima")
# How Telegram says the bot may not post in a group (400 Bad Request).
NO_RIGHTS = ("not enough rights", "have no rights", "chat_write_forbidden")


class RightsLost(Exception):
    """The bot may no longer post in the group (removed, or its rights taken away)."""


def recap_schedule(prefs: ChatPrefs) -> Weekly | None:
    """Return the group's weekly recap slot; None when recaps are off there."""
    if not prefs.recap:
        return None
    return Weekly(frozenset({prefs.recap_day}), prefs.recap_at)


async def joined_at(context: ReteContext, chat_id: int) -> datetime:
    """Return when Rete joined the group (first saw it): no recap counts days before."""
    chat = await context.db.chats.get(chat_id)
    return chat.added_at if chat is not None else context.now()


async def week_facts(context: ReteContext, chat_id: int, window: RecapWindow) -> WeekFacts:
    """Gather the week's facts: this branch's aggregates plus the optional sections."""
    store = context.db
    span = window.span
    numbers = await store.recaps.week_numbers(chat_id, span)
    optional = await gather_optional(
        store, chat_id, span, [newcomer.member_id for newcomer in numbers.newcomers]
    )
    return assemble(window, numbers, optional, joined=await joined_at(context, chat_id))


async def _chart(context: ReteContext, facts: WeekFacts, language: str) -> bytes:
    labels = chart_labels(context.i18n, language)
    # matplotlib is CPU-bound: off the event loop, so updates keep flowing meanwhile.
    return await asyncio.to_thread(render_chart, facts, labels)


async def _title(context: ReteContext, chat_id: int) -> str:
    chat = await context.db.chats.get(chat_id)
    return (chat.title if chat else None) or str(chat_id)


async def publish(
    context: ReteContext,
    chat_id: int,
    prefs: ChatPrefs,
    window: RecapWindow,
    recap_id: int,
    sent: list[int],
) -> None:
    """Post the recap of ``window`` in the group, part by part, each part exactly once.

    A recap is its text (the chart's caption when it fits, else messages of their own)
    followed by its chart. Each part's message id is recorded (in ``sent`` and on the
    recap) as soon as it is out, and the recap is marked complete after the last: a retry
    after a failure part-way (a network error on the chart) sends only what is left.
    ``sent`` holds the ids of the parts already out, and gains the new ones even when this
    raises. Raises RightsLost when Telegram refuses the group (403, or not enough rights).
    """
    language = prefs.language
    title = await _title(context, chat_id)
    facts = await week_facts(context, chat_id, window)
    text = render(facts, context.i18n, language, title)
    drawn = prefs.recap_image and wants_chart(facts)
    # What goes out, in order: (the words, whether they go with the chart).
    parts: list[tuple[str, bool]]
    if drawn and fits_caption(text):
        parts = [(text, True)]
    else:
        parts = [(part, False) for part in split_message(text)]
        if drawn:
            parts.append((context.i18n.text(language, "recap-chart-caption", title=title), True))
    target = chat_id
    try:
        for words, with_chart in parts[len(sent) :]:
            if with_chart:
                image = await _chart(context, facts, language)
                message = await post_photo(context, target, image, caption=words)
            else:
                message = await post(context, target, words)
            if message is None:
                raise RightsLost
            target = message.chat_id  # a group that became a supergroup meanwhile
            sent.append(message.message_id)
            await context.db.recaps.set_messages(recap_id, sent, complete=False)
    except BadRequest as error:
        if any(words in error.message.lower() for words in NO_RIGHTS):
            raise RightsLost from error
        raise
    await context.db.recaps.set_messages(recap_id, sent, complete=True)


async def _rights_lost(context: ReteContext, chat_id: int) -> None:
    """Switch recaps off in a group the bot cannot post in, and tell its admins in DM."""
    if await context.db.chats.get(chat_id) is None:
        return
    log.info("Cannot post the recap in chat %s: recaps switched off there", chat_id)
    await context.db.chats.set_setting(chat_id, "recap", False)
    await notify_admins(
        context, chat_id, "recap-rights-lost", title=await _title(context, chat_id)
    )


async def run_scheduled(context: ReteContext, chat_id: int, slot: datetime) -> datetime | None:
    """Post the week's recap (the scheduler claimed the slot); once per ISO week."""
    prefs = await chat_prefs(context, chat_id)
    posting_day = slot.astimezone(prefs.zone).date()
    week = iso_week(posting_day)
    recaps = context.db.recaps
    sent: list[int] = []
    recap_id = await recaps.claim_scheduled(chat_id, week, context.now())
    if recap_id is None:
        # Already posted; or posted in part, the rest held back by a network error.
        unfinished = await recaps.unfinished(chat_id, week)
        if unfinished is None:
            log.info("Recap of %s already posted in chat %s", week, chat_id)
            return None
        recap_id, sent = unfinished.id, list(unfinished.message_ids)
    window = scheduled_window(posting_day, prefs.zone, await joined_at(context, chat_id))
    try:
        await publish(context, chat_id, prefs, window, recap_id, sent)
    except RightsLost:
        await recaps.set_messages(recap_id, sent, complete=True)
        await _rights_lost(context, chat_id)
        return None
    except (RetryAfter, NetworkError) as error:
        # Never drop a recap for a network problem: the scheduler calls again (the retry
        # time is stored, so a restart keeps it) while the slot is within its grace. What
        # already went out stays recorded, and is not sent again.
        if not sent:
            await recaps.release(recap_id)
        now = context.now()
        if now - slot > GRACE:
            log.warning("Gave up the recap of %s in chat %s: %s", week, chat_id, error)
            if sent:
                await recaps.set_messages(recap_id, sent, complete=True)
            return None
        log.info("Recap in chat %s postponed: %s", chat_id, error)
        return now + RETRY_LATER
    return None


JOB = ScheduledJob(name="recap", schedule=recap_schedule, grace=GRACE, run=run_scheduled)


async def recap_command(update: Update, context: ReteContext) -> None:
    """/recap: the last seven days, posted in the group (once an hour); /recap preview."""
    checked = await group_command(update, context, elsewhere="recap-private")
    if checked is None:
        return
    message, language = checked
    i18n = context.i18n
    args = [arg.lower() for arg in context.args or []]
    if len(args) == 1 and args[0] in PREVIEW_WORDS:
        await _preview(update, context, language)
        return
    if args:
        await reply(context, message, i18n.text(language, "recap-usage"))
        return
    chat_id = message.chat_id
    prefs = await chat_prefs(context, chat_id)
    now = context.now()
    today = now.astimezone(prefs.zone).date()
    recap_id, allowed = await context.db.recaps.claim_manual(
        chat_id, iso_week(today), now, MANUAL_EVERY
    )
    if recap_id is None:
        when = dates.clock((allowed or now).astimezone(prefs.zone), language)
        await reply(context, message, i18n.text(language, "recap-too-soon", time=when))
        return
    sent: list[int] = []
    try:
        window = on_demand_window(today, prefs.zone, await joined_at(context, chat_id))
        await publish(context, chat_id, prefs, window, recap_id, sent)
    except RightsLost:
        await context.db.recaps.release(recap_id)
        await _rights_lost(context, chat_id)
        return
    except Exception:
        # Nothing out: it may be asked for again. Part of it out: that part is the recap
        # (asking again would post it twice).
        if sent:
            await context.db.recaps.set_messages(recap_id, sent, complete=True)
        else:
            await context.db.recaps.release(recap_id)
        raise


async def _preview(update: Update, context: ReteContext, language: str) -> None:
    """Send the admin, in private, the recap as it would be posted now."""
    message, user = update.effective_message, update.effective_user
    assert message is not None
    i18n = context.i18n
    if user is None or not await is_admin(context, update, fresh=True):
        await reply(context, message, i18n.text(language, "recap-preview-not-admin"))
        return
    chat_id = message.chat_id
    prefs = await chat_prefs(context, chat_id)
    title = message.chat.title or str(chat_id)
    today = context.now().astimezone(prefs.zone).date()
    window = on_demand_window(today, prefs.zone, await joined_at(context, chat_id))
    facts = await week_facts(context, chat_id, window)
    header = i18n.text(user_language(context, user), "recap-preview-header", title=title)
    text = render(facts, i18n, prefs.language, title)
    sent = await dm(context, user.id, f"{header}\n\n{text}")
    if sent is None:
        button = open_private_button(context, i18n.plain(language, "privacy-open-button"), "help")
        text = i18n.text(language, "recap-preview-open-private")
        await reply(context, message, text, reply_markup=button)
        return
    if prefs.recap_image and wants_chart(facts):
        image = await _chart(context, facts, prefs.language)
        caption = i18n.text(prefs.language, "recap-chart-caption", title=title)
        await send_photo(context, user.id, image, caption=caption)
    await reply(context, message, i18n.text(language, "recap-preview-sent"))
