"""Checks that group commands share: right kind of chat, right person, a clear refusal."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from telegram import Message, Update
from telegram.error import TelegramError

from bot.introductions import chat_from_argument
from bot.policy import Reason, Refused
from handlers.common import alert, is_admin, is_group, language_for
from handlers.context import ReteContext
from handlers.delivery import reply
from handlers.trust import actor_of
from storage import Chat

log = logging.getLogger(__name__)

# Catalog keys of the answers to each of the trust policy's refusals.
REFUSAL_KEYS = {
    "not-member": "trust-not-member",
    "not-admin": "trust-not-admin",
    "not-owner": "trust-not-owner",
    "no-consent": "trust-no-consent",
    "not-a-person": "trust-not-a-person",
    "too-often": "trust-too-often",
}


async def group_command(
    update: Update,
    context: ReteContext,
    *,
    elsewhere: str = "ledger-group-only",
    not_admin: str | None = None,
) -> tuple[Message, str] | None:
    """Return the command's message and reply language, or answer the refusal and None.

    ``elsewhere`` is said when the command is used outside a group; ``not_admin``, when
    given, restricts the command to the group's admins, checked against Telegram's current
    list (not the cache): an admin command changes what the whole group gets.
    """
    message = update.effective_message
    if message is None:
        return None
    language = await language_for(context, update)
    if not is_group(message.chat):
        await reply(context, message, context.i18n.text(language, elsewhere))
        return None
    if not_admin is not None and not await is_admin(context, update, fresh=True):
        await reply(context, message, context.i18n.text(language, not_admin))
        return None
    return message, language


async def answer_refusal(
    context: ReteContext,
    update: Update,
    refused: Refused,
    language: str,
    *,
    keys: Mapping[Reason, str] | None = None,
) -> None:
    """Tell the person, in their language, that the policy refused; change nothing.

    ``keys`` lets a feature say more than the generic answer for some reasons (which
    group to join first, say); the others keep theirs.
    """
    key = (keys or {}).get(refused.reason) or REFUSAL_KEYS[refused.reason]
    query = update.callback_query
    if query is not None:
        try:
            await query.answer(alert(context, language, key), show_alert=True)
        except TelegramError as error:
            log.info("Could not answer a refused button (%s): %s", refused.reason, error)
        return
    message = update.effective_message
    if message is not None:
        await reply(context, message, context.i18n.text(language, key))


async def linked_group(
    context: ReteContext,
    update: Update,
    argument: str,
    language: str,
    *,
    unknown: str,
    refusals: Mapping[Reason, str],
) -> Chat | None:
    """The group a deep link's ``argument`` names, once Telegram says the person is in it.

    Before anything about the group is said (its title, its settings), membership is
    verified; a malformed argument and a group Rete does not know get the same ``unknown``
    answer. Returns None once the person has been answered.
    """
    message = update.effective_message
    if message is None:
        return None
    chat_id = chat_from_argument(argument)
    if chat_id is None or chat_id >= 0:  # groups have negative ids
        await reply(context, message, context.i18n.text(language, unknown))
        return None
    try:
        await context.policy.ensure_member(chat_id, actor_of(update).person, verify=True)
    except Refused as refused:
        await answer_refusal(context, update, refused, language, keys=refusals)
        return None
    chat = await context.db.chats.get(chat_id)
    if chat is None:
        await reply(context, message, context.i18n.text(language, unknown))
    return chat
