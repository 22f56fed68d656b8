"""Posting prompts, as Telegram sees it: the scheduled job, and the Board the core posts on.

What a slot does (hold, skip, post, record, pin, switch off) is ``bot.prompt_posting``;
this module hands it the application and turns its posts and pins into Bot API calls.
"""

from __future__ import annotations

import functools
import logging
from datetime import datetime, timedelta

from telegram.error import BadRequest, TelegramError

from bot.prompt_posting import Posted, PostedMessage, PromptPoster
from handlers import scheduling
from handlers.common import chat_prefs
from handlers.context import ReteContext
from handlers.delivery import send
from handlers.prompts.common import JOB_NAME, prompt_schedule

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
    return await _poster(context).run_slot(chat_id, slot)


JOB = scheduling.ScheduledJob(
    name=JOB_NAME, schedule=prompt_schedule, grace=timedelta(hours=1), run=run_slot
)


async def post_prompt(
    context: ReteContext, chat_id: int, *, slot: str | None, at: datetime
) -> Posted:
    """Post the next prompt of the group's deck, record it, pin it if asked."""
    return await _poster(context).post_prompt(chat_id, slot=slot, at=at)


def _rights_lost(error: BadRequest) -> bool:
    text = error.message.lower()
    return any(phrase in text for phrase in _NO_RIGHTS)


class TelegramBoard:
    """How prompts reach a group here: posts in its topic, pins, the admins' DMs."""

    def __init__(self, context: ReteContext) -> None:
        self.context = context

    async def post(self, chat_id: int, text: str, thread_id: int | None) -> PostedMessage | None:
        """Post ``text`` in the group; None if Rete was removed or may no longer write."""
        try:
            sent = await send(self.context, chat_id, text, thread_id=thread_id)
        except BadRequest as error:
            if not _rights_lost(error):
                raise
            log.info("Cannot post prompts in chat %s: %s", chat_id, error.message)
            return None
        return PostedMessage(sent.chat_id, sent.message_id) if sent is not None else None

    async def pin(self, chat_id: int, message_id: int, previous: int | None) -> bool:
        """Unpin ``previous`` (if it fails, go on) and pin the message; False if refused."""
        bot = self.context.bot
        try:
            if previous is not None:
                try:
                    await bot.unpin_chat_message(chat_id, previous)
                except TelegramError as error:
                    log.info("Could not unpin prompt %s in chat %s: %s", previous, chat_id, error)
            await bot.pin_chat_message(chat_id, message_id, disable_notification=True)
        except TelegramError as error:
            log.warning("Could not pin the prompt in chat %s: %s", chat_id, error)
            return False
        return True

    async def tell_admins_rights_lost(self, chat_id: int, title: str) -> int:
        """DM the group's admins that prompts are off there; return how many were told."""
        return await scheduling.notify_admins(
            self.context, chat_id, "prompts-rights-lost", title=title
        )


def _poster(context: ReteContext) -> PromptPoster:
    """The core's prompt poster over this application's database, catalog, clock and bot."""
    return PromptPoster(
        chats=context.db.chats,
        prompts=context.db.prompts,
        i18n=context.i18n,
        board=TelegramBoard(context),
        prefs=functools.partial(chat_prefs, context),
        now=context.now,
    )
