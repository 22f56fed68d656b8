"""/suggest (/suggerisci) and the admins' Approve / Reject buttons."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError

from bot.i18n import Html, pick_language
from bot.numbers import parse_number
from bot.prompts import MAX_PROMPT_CHARS, PAGE_SIZE, shown_whole
from handlers.common import (
    alert,
    chat_admin_ids,
    chat_prefs,
    human_sender,
    is_group,
    language_for,
    member_info,
    user_language,
)
from handlers.context import ReteContext
from handlers.delivery import dm, reply
from handlers.prompts.common import (
    CALLBACK_PREFIX,
    MAX_PENDING_PER_MEMBER,
    MAX_SUGGESTIONS_PER_DAY,
    _argument_text,
)
from handlers.trust import actor_of

log = logging.getLogger(__name__)


def _buttons(context: ReteContext, language: str, suggestion_id: int) -> InlineKeyboardMarkup:
    i18n = context.i18n
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    i18n.plain(language, "prompts-suggest-approve"),
                    callback_data=f"{CALLBACK_PREFIX}a:{suggestion_id}",
                ),
                InlineKeyboardButton(
                    i18n.plain(language, "prompts-suggest-reject"),
                    callback_data=f"{CALLBACK_PREFIX}r:{suggestion_id}",
                ),
            ]
        ]
    )


async def _admins(context: ReteContext, chat_id: int) -> set[int]:
    """The group's admins (people only), from Telegram or, failing that, as remembered."""
    try:
        ids = set(await chat_admin_ids(context, chat_id))
    except TelegramError:
        ids = set(await context.db.admins.of(chat_id))
    ids.discard(context.bot.id)
    return ids


async def _suggestion_text(
    context: ReteContext, language: str, chat_id: int, member_id: int, text: str
) -> str:
    member = await context.db.members.get(member_id)
    chat = await context.db.chats.get(chat_id)
    return context.i18n.text(
        language,
        "prompts-suggest-dm",
        name=member.full_name if member else str(member_id),
        title=(chat.title if chat else None) or str(chat_id),
        text=text,
    )


async def suggest_command(update: Update, context: ReteContext) -> None:
    """/suggest <text> (/suggerisci) in a group: a prompt idea for the admins to decide on."""
    message = update.effective_message
    if message is None:
        return
    i18n = context.i18n
    language = await language_for(context, update)
    if not is_group(message.chat):
        await reply(context, message, i18n.text(language, "prompts-suggest-private"))
        return
    sender = human_sender(message)
    text = _argument_text(message, 0)
    if sender is None or not text:
        await reply(context, message, i18n.text(language, "prompts-suggest-usage"))
        return
    if len(text) > MAX_PROMPT_CHARS:
        await reply(
            context,
            message,
            i18n.text(
                language, "prompts-suggest-too-long", length=len(text), limit=MAX_PROMPT_CHARS
            ),
        )
        return
    if not shown_whole(text):
        await reply(context, message, i18n.text(language, "prompts-suggest-too-long-marks"))
        return
    waiting = [
        s for s in await context.db.prompts.pending(message.chat_id) if s.member_id == sender.id
    ]
    if len(waiting) >= MAX_PENDING_PER_MEMBER:
        text = i18n.text(language, "prompts-suggest-enough", count=len(waiting))
        await reply(context, message, text)
        return
    prefs = await chat_prefs(context, message.chat_id)
    now = context.now()
    suggestion_id = await context.db.prompts.suggest(
        message.chat_id,
        member_info(sender),
        text,
        now,
        day=now.astimezone(prefs.zone).date().isoformat(),
        daily_limit=MAX_SUGGESTIONS_PER_DAY,
    )
    if suggestion_id is None:
        await reply(context, message, i18n.text(language, "prompts-suggest-day-full"))
        return
    told = 0
    for admin_id in sorted(await _admins(context, message.chat_id)):
        admin = await context.db.members.get(admin_id)
        if admin is None or not context.policy.consents(admin):
            continue
        admin_language = pick_language(admin.language_code, context.settings.default_language)
        body = await _suggestion_text(context, admin_language, message.chat_id, sender.id, text)
        sent = await dm(
            context, admin_id, body, reply_markup=_buttons(context, admin_language, suggestion_id)
        )
        told += sent is not None
    key = "prompts-suggest-thanks" if told else "prompts-suggest-thanks-later"
    await reply(context, message, i18n.text(language, key, name=sender.first_name))


async def _suggestions(context: ReteContext, message: Message, language: str) -> None:
    """/prompts suggestions: the pending ones, each with its buttons, in the group."""
    pending = await context.db.prompts.pending(message.chat_id)
    if not pending:
        await reply(context, message, context.i18n.text(language, "prompts-suggestions-empty"))
        return
    await reply(context, message, context.i18n.text(language, "prompts-suggestions-header"))
    for suggestion in pending[:PAGE_SIZE]:
        body = await _suggestion_text(
            context, language, suggestion.chat_id, suggestion.member_id, suggestion.text
        )
        await reply(
            context, message, body, reply_markup=_buttons(context, language, suggestion.id)
        )


async def suggestion_button(update: Update, context: ReteContext) -> None:
    """Approve or Reject pressed: decide once; later presses are answered and change nothing."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    user = query.from_user
    # Pressed under a DM: the admin's language; under /prompts suggestions: the group's.
    pressed_in = query.message.chat if query.message is not None else None
    if pressed_in is not None and is_group(pressed_in):
        language = (await chat_prefs(context, pressed_in.id)).language
    else:
        language = user_language(context, user)
    i18n = context.i18n
    action, _, raw_id = query.data.removeprefix(CALLBACK_PREFIX).partition(":")
    suggestion_id = parse_number(raw_id)
    found = (
        await context.db.prompts.suggestion(suggestion_id) if suggestion_id is not None else None
    )
    if found is None or action not in ("a", "r"):
        await query.answer(alert(context, language, "prompts-suggest-gone"), show_alert=True)
        return
    # Approving reaches the whole group: Telegram's current admin list decides, never a
    # remembered one (a demoted admin still has the DM with the buttons).
    if not await context.policy.is_admin(found.chat_id, actor_of(update), fresh=True):
        await query.answer(alert(context, language, "prompts-suggest-not-admin"), show_alert=True)
        return
    decided = await context.db.prompts.decide(
        found.id, approve=action == "a", admin=member_info(user), at=context.now()
    )
    if decided is None:
        await query.answer(alert(context, language, "prompts-suggest-gone"), show_alert=True)
        return
    if not decided.changed:
        status = decided.suggestion.status
        await query.answer(
            alert(context, language, "prompts-suggest-already", status=status), show_alert=True
        )
        return
    approved = decided.suggestion.status == "approved"
    await query.answer(
        alert(
            context,
            language,
            "prompts-suggest-done-approved" if approved else "prompts-suggest-done-rejected",
        )
    )
    chat = await context.db.chats.get(found.chat_id)
    title = (chat.title if chat else None) or str(found.chat_id)
    body = await _suggestion_text(context, language, found.chat_id, found.member_id, found.text)
    outcome = i18n.text(
        language,
        "prompts-suggest-approved" if approved else "prompts-suggest-rejected",
        admin=user.full_name,
        title=title,
    )
    try:
        await query.edit_message_text(Html(f"{body}\n\n{outcome}"), reply_markup=None)
    except TelegramError as error:
        log.debug("Could not edit the suggestion message: %s", error)
    if approved:
        author = await context.db.members.get(found.member_id)
        if author is not None and context.policy.consents(author):
            author_language = pick_language(
                author.language_code, context.settings.default_language
            )
            await dm(
                context,
                author.id,
                i18n.text(author_language, "prompts-suggest-approved-author", title=title),
            )
