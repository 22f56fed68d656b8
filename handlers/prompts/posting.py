"""Posting prompts: the scheduled job and one post, pinned if asked."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from telegram import Message
from telegram.error import BadRequest, TelegramError

from bot.prompts import (
    BUSY_WINDOW,
    builtin_catalog_id,
    builtin_keys,
    builtin_number,
    custom_key,
    decide,
    next_prompt,
)
from bot.schedule import slot_key
from handlers import scheduling
from handlers.common import chat_prefs
from handlers.context import ReteContext
from handlers.delivery import send
from handlers.prompts.common import JOB_NAME, RETIRED, prompt_schedule

log = logging.getLogger(__name__)

# Telegram's answers when the bot may no longer write in a group (it is still a member).
_NO_RIGHTS = (
    "not enough rights",
    "have no rights",
    "chat_write_forbidden",
    "need administrator rights",
    "chat not found",
)


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
