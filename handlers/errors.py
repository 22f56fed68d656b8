"""The last line of defence: log any failure with its chat, keep the bot running."""

from __future__ import annotations

import logging

from telegram import Update

from handlers.context import ReteContext

log = logging.getLogger("rete.errors")


async def on_error(update: object, context: ReteContext) -> None:
    """Log the exception with the update's id and chat; the next update is handled normally."""
    chat_id = user_id = update_id = None
    if isinstance(update, Update):
        update_id = update.update_id
        chat_id = update.effective_chat.id if update.effective_chat else None
        user_id = update.effective_user.id if update.effective_user else None
    log.error(
        "Error handling update %s in chat %s (user %s): %r",
        update_id,
        chat_id,
        user_id,
        context.error,
        exc_info=context.error,
    )
