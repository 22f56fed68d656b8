"""Checks that group commands share: right kind of chat, right person, a clear refusal."""

from __future__ import annotations

from telegram import Message, Update

from handlers.common import is_admin, is_group, language_for
from handlers.context import ReteContext
from handlers.delivery import reply


async def group_command(
    update: Update,
    context: ReteContext,
    *,
    elsewhere: str = "ledger-group-only",
    not_admin: str | None = None,
) -> tuple[Message, str] | None:
    """Return the command's message and reply language, or answer the refusal and None.

    ``elsewhere`` is said when the command is used outside a group; ``not_admin``, when
    given, restricts the command to the group's admins.
    """
    message = update.effective_message
    if message is None:
        return None
    language = await language_for(context, update)
    if not is_group(message.chat):
        await reply(context, message, context.i18n.text(language, elsewhere))
        return None
    if not_admin is not None and not await is_admin(context, update):
        await reply(context, message, context.i18n.text(language, not_admin))
        return None
    return message, language
