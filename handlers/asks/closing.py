"""Closing the loop: Solved, a thanks to a connected helper, expiry with a private question.

The sweep runs on the leader only, with the application's clock: asks whose life ended
are closed (each once: a guarded UPDATE) and their author is asked whether they were
solved; asks whose author thanked a connected helper are solved; notes waited for too
long go on without one.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import CallbackQuery, InlineKeyboardMarkup, User

from bot.asks import NOTE_WAIT
from bot.policy import Actor
from handlers.asks.common import button, edit, edit_post, language_of, refresh_post, stale, t
from handlers.asks.offers import pass_on
from handlers.asks.routing import go_out
from handlers.common import chat_prefs
from handlers.context import ReteContext
from handlers.delivery import dm
from storage.asks import Ask

log = logging.getLogger(__name__)

SWEEP_SECONDS = 60
SWEEP_JOB_NAME = "asks-sweep"
DRAFT_LIFE = timedelta(days=1)
# How long an opened ask may take to be posted and routed before the sweep finishes it.
RESUME_AFTER = timedelta(minutes=5)


async def solved_button(
    context: ReteContext, query: CallbackQuery, user: User, language: str, ask: Ask
) -> None:
    """Solved, pressed by the asker: close the ask and edit its group post."""
    context.policy.ensure_owner(ask.asker_id, Actor(user.id, None, is_bot=user.is_bot))
    if not await context.db.asks.close(ask.id, "solved", "button", context.now()):
        await stale(context, query, language, "asks-button-stale")
        return
    await query.answer()
    await edit(query, t(context, language, "asks-solved-thanks", text=ask.text))
    await refresh_post(context, ask.id)


async def expired_button(
    context: ReteContext, query: CallbackQuery, user: User, language: str, ask: Ask, solved: bool
) -> None:
    """The asker's answer to "was it solved?" once the ask expired."""
    context.policy.ensure_owner(ask.asker_id, Actor(user.id, None, is_bot=user.is_bot))
    if ask.status != "expired":
        await stale(context, query, language, "asks-button-stale")
        return
    await query.answer()
    if not solved:
        await edit(query, t(context, language, "asks-expired-unsolved"))
        return
    if await context.db.asks.close(ask.id, "solved", "after-expiry", context.now()):
        await refresh_post(context, ask.id)
    await edit(query, t(context, language, "asks-solved-thanks", text=ask.text))


async def sweep(context: ReteContext) -> None:
    """Expire asks, solve the thanked ones, pass on offers whose note never came."""
    store = context.db.asks
    now = context.now()
    for ask in await store.due(now):
        if not await store.close(ask.id, "expired", None, now):
            continue  # another sweep closed it
        closed = await store.get(ask.id)
        if closed is not None:
            await edit_post(context, closed)
        asker = await context.db.members.get(ask.asker_id)
        language = language_of(context, asker)
        markup = InlineKeyboardMarkup(
            [
                [
                    button(context, language, "asks-button-was-solved", "e", ask.id, 1),
                    button(context, language, "asks-button-not-solved", "e", ask.id, 0),
                ]
            ]
        )
        await dm(
            context,
            ask.asker_id,
            t(context, language, "asks-expired-question", text=ask.text),
            reply_markup=markup,
        )
    for ask_id in await store.thanked():
        if not await store.close(ask_id, "solved", "thanks", now):
            continue
        await refresh_post(context, ask_id)
        ask = await store.get(ask_id)
        if ask is not None:
            asker = await context.db.members.get(ask.asker_id)
            language = language_of(context, asker)
            await dm(
                context, ask.asker_id, t(context, language, "asks-solved-by-thanks", text=ask.text)
            )
    # Asks cut short between opening and routing (Telegram failed, the process stopped).
    for ask in await store.unrouted(now - RESUME_AFTER):
        await go_out(context, ask, await chat_prefs(context, ask.chat_id))
    # Drafts nobody posted within a day are dropped (they were never shown to anyone).
    await store.drop_drafts(now - DRAFT_LIFE, now)
    for offer in await store.stale_notes(now - NOTE_WAIT):
        if await store.set_note(offer.ask_id, offer.helper_id, None):
            await pass_on(context, offer.ask_id, offer.helper_id)


async def sweep_job(context: ReteContext) -> None:
    """The JobQueue's entry point for the sweep."""
    await sweep(context)


async def before_delete(context: ReteContext, member_id: int) -> None:
    """Before a member's data goes: no group post of an ask names them any more.

    Their own asks' posts lose the name and the button; the posts of asks they helped
    solve no longer thank them by name.
    """
    for ask in await context.db.asks.posted_by(member_id):
        await edit_post(context, ask, anonymous=True)
    for ask in await context.db.asks.helped_by(member_id):
        if ask.asker_id != member_id:
            await edit_post(context, ask, without=member_id)
