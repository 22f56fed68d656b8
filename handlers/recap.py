"""The weekly recap in the group: posted by the scheduler, /recap on demand, /recap preview."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from telegram import Update
from telegram.error import BadRequest, NetworkError, RetryAfter

from bot.chat_settings import ChatPrefs
from bot.recap import (
    RecapWindow,
    WeekFacts,
    assemble,
    chart_labels,
    fits_caption,
    iso_week,
    render,
    render_chart,
    wants_chart,
    week_before,
    week_ending,
)
from bot.schedule import Weekly
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


async def week_facts(context: ReteContext, chat_id: int, window: RecapWindow) -> WeekFacts:
    """Gather the week's facts: this branch's aggregates plus the optional sections."""
    store = context.db
    span = window.span
    numbers = await store.recaps.week_numbers(chat_id, span)
    optional = await gather_optional(
        store, chat_id, span, [newcomer.member_id for newcomer in numbers.newcomers]
    )
    return assemble(window, numbers, optional)


async def _chart(context: ReteContext, facts: WeekFacts, language: str) -> bytes:
    labels = chart_labels(context.i18n, language)
    # matplotlib is CPU-bound: off the event loop, so updates keep flowing meanwhile.
    return await asyncio.to_thread(render_chart, facts, labels)


async def _title(context: ReteContext, chat_id: int) -> str:
    chat = await context.db.chats.get(chat_id)
    return (chat.title if chat else None) or str(chat_id)


async def publish(
    context: ReteContext, chat_id: int, prefs: ChatPrefs, window: RecapWindow
) -> list[int]:
    """Post the recap of ``window`` in the group; return the ids of the messages it took.

    Raises RightsLost when Telegram refuses the group (403, or not enough rights).
    """
    language = prefs.language
    title = await _title(context, chat_id)
    facts = await week_facts(context, chat_id, window)
    text = render(facts, context.i18n, language, title)
    drawn = prefs.recap_image and wants_chart(facts)
    image = await _chart(context, facts, language) if drawn else None
    try:
        if image is not None and fits_caption(text):
            photo = await post_photo(context, chat_id, image, caption=text)
            if photo is None:
                raise RightsLost
            return [photo.message_id]
        sent = await post(context, chat_id, text)
        if sent is None:
            raise RightsLost
        ids = [sent.message_id]
        if image is not None:
            caption = context.i18n.text(language, "recap-chart-caption", title=title)
            photo = await post_photo(context, sent.chat_id, image, caption=caption)
            if photo is None:
                raise RightsLost
            ids.append(photo.message_id)
        return ids
    except BadRequest as error:
        if any(words in error.message.lower() for words in NO_RIGHTS):
            raise RightsLost from error
        raise


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
    recap_id = await context.db.recaps.claim_scheduled(chat_id, week, context.now())
    if recap_id is None:
        log.info("Recap of %s already posted in chat %s", week, chat_id)
        return None
    try:
        ids = await publish(context, chat_id, prefs, week_before(posting_day, prefs.zone))
    except RightsLost:
        await _rights_lost(context, chat_id)
        return None
    except (RetryAfter, NetworkError) as error:
        # Never drop a recap for a network problem: the scheduler calls again (the retry
        # time is stored, so a restart keeps it) while the slot is within its grace.
        await context.db.recaps.release(recap_id)
        now = context.now()
        if now - slot > GRACE:
            log.warning("Gave up the recap of %s in chat %s: %s", week, chat_id, error)
            return None
        log.info("Recap in chat %s postponed: %s", chat_id, error)
        return now + RETRY_LATER
    await context.db.recaps.set_messages(recap_id, ids)
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
        when = (allowed or now).astimezone(prefs.zone).strftime("%H:%M")
        await reply(context, message, i18n.text(language, "recap-too-soon", time=when))
        return
    try:
        ids = await publish(context, chat_id, prefs, week_ending(today, prefs.zone))
    except RightsLost:
        await context.db.recaps.release(recap_id)
        await _rights_lost(context, chat_id)
        return
    except Exception:
        await context.db.recaps.release(recap_id)
        raise
    await context.db.recaps.set_messages(recap_id, ids)


async def _preview(update: Update, context: ReteContext, language: str) -> None:
    """Send the admin, in private, the recap as it would be posted now."""
    message, user = update.effective_message, update.effective_user
    assert message is not None
    i18n = context.i18n
    if user is None or not await is_admin(context, update):
        await reply(context, message, i18n.text(language, "recap-preview-not-admin"))
        return
    chat_id = message.chat_id
    prefs = await chat_prefs(context, chat_id)
    title = message.chat.title or str(chat_id)
    today = context.now().astimezone(prefs.zone).date()
    facts = await week_facts(context, chat_id, week_ending(today, prefs.zone))
    header = i18n.text(user_language(context, user), "recap-preview-header", title=title)
    text = render(facts, i18n, prefs.language, title)
    sent = await dm(context, user.id, f"{header}\n\n{text}")
    if sent is None:
        button = open_private_button(context, i18n.text(language, "privacy-open-button"), "help")
        text = i18n.text(language, "recap-preview-open-private")
        await reply(context, message, text, reply_markup=button)
        return
    if prefs.recap_image and wants_chart(facts):
        image = await _chart(context, facts, prefs.language)
        caption = i18n.text(prefs.language, "recap-chart-caption", title=title)
        await send_photo(context, user.id, image, caption=caption)
    await reply(context, message, i18n.text(language, "recap-preview-sent"))
