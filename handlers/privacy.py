"""/privacy: members see, export and delete what Rete keeps, and hide from leaderboards."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update, User

from bot import dates
from bot.i18n import Html
from bot.text import utf16_len
from handlers import asks
from handlers.common import chat_prefs, is_group, language_for, user_language
from handlers.context import ReteContext
from handlers.delivery import reply, send_document
from handlers.start import deep_link, open_private_button

CALLBACK_PREFIX = "privacy:"
HIDE, SHOW, DELETE, CONFIRM, CANCEL = "hide", "show", "delete", "confirm", "cancel"
# The buttons edit the summary in place, so it must fit one message: groups beyond this
# much text are counted, not listed (the export lists them all).
GROUP_LINES_LIMIT = 2000


def _keyboard(context: ReteContext, language: str, hidden: bool) -> InlineKeyboardMarkup:
    i18n = context.i18n
    toggle = (SHOW, "privacy-button-show") if hidden else (HIDE, "privacy-button-hide")
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    i18n.plain(language, toggle[1]), callback_data=CALLBACK_PREFIX + toggle[0]
                )
            ],
            [
                InlineKeyboardButton(
                    i18n.plain(language, "privacy-button-delete"),
                    callback_data=CALLBACK_PREFIX + DELETE,
                )
            ],
        ]
    )


async def _summary(context: ReteContext, user: User, language: str) -> tuple[str, bool] | None:
    member = await context.db.members.get(user.id)
    if member is None:
        return None
    i18n = context.i18n
    memberships = await context.db.memberships.for_member(user.id)
    lines: list[str] = []
    size = 0
    for membership in memberships:
        chat = await context.db.chats.get(membership.chat_id)
        line = i18n.text(
            language,
            "privacy-group-line",
            title=(chat.title if chat and chat.title else str(membership.chat_id)),
            since=dates.since(
                i18n,
                language,
                membership.first_seen.astimezone(
                    (await chat_prefs(context, membership.chat_id)).zone
                ).date(),
            ),
            messages=membership.messages,
        )
        size += utf16_len(line) + 1
        if size > GROUP_LINES_LIMIT:
            break
        lines.append(line)
    if len(lines) < len(memberships):
        more = len(memberships) - len(lines)
        lines.append(i18n.text(language, "privacy-groups-more", count=more))
    yes, no = i18n.text(language, "privacy-yes"), i18n.text(language, "privacy-no")
    text = i18n.text(
        language,
        "privacy-summary",
        name=member.full_name,
        username=f"@{member.username}"
        if member.username
        else i18n.text(language, "privacy-no-username"),
        language=member.language_code or "—",
        reachable=yes if member.dm_reachable else no,
        shown=no if member.hidden else yes,
        groups=len(memberships),
        group_lines=Html("\n".join(lines)),
    )
    return text, member.hidden


async def privacy_command(update: Update, context: ReteContext) -> None:
    """In private: show the summary, the buttons and the JSON export. In a group: point to DM."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    language = await language_for(context, update)
    i18n = context.i18n
    if is_group(update.effective_chat):
        markup = open_private_button(
            context, i18n.plain(language, "privacy-open-button"), "privacy"
        )
        await reply(context, message, i18n.text(language, "privacy-in-group"), reply_markup=markup)
        return
    await _show_privacy(update, context)


@deep_link("privacy")
async def _privacy_link(update: Update, context: ReteContext, argument: str) -> None:
    await _show_privacy(update, context)


async def _show_privacy(update: Update, context: ReteContext) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    language = user_language(context, user)
    summary = await _summary(context, user, language)
    if summary is None:
        await reply(context, message, context.i18n.text(language, "privacy-nothing"))
        return
    text, hidden = summary
    await reply(context, message, text, reply_markup=_keyboard(context, language, hidden))
    export = await context.db.members.export(user.id)
    await send_document(
        context,
        message.chat_id,
        _export_file(user.id, export, context.now()),
        filename=f"rete-data-{user.id}.json",
        caption=context.i18n.text(language, "privacy-export-caption"),
    )


def _export_file(member_id: int, export: dict[str, Any], at: datetime) -> bytes:
    payload = {
        "about": "Everything Rete keeps about this member. Message texts are never stored.",
        "member_id": member_id,
        "exported_at": at.isoformat(timespec="seconds"),
        **export,
    }
    return json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8")


async def privacy_button(update: Update, context: ReteContext) -> None:
    """Handle the buttons under the /privacy summary; each acts on the presser's own data."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    user = query.from_user
    language = user_language(context, user)
    i18n = context.i18n
    action = query.data.removeprefix(CALLBACK_PREFIX)
    await query.answer()
    if action in (HIDE, SHOW):
        if await context.db.members.get(user.id) is None:
            await query.edit_message_text(i18n.text(language, "privacy-nothing"))
            return
        await context.db.members.set_hidden(user.id, action == HIDE)
        summary = await _summary(context, user, language)
        assert summary is not None
        note = i18n.text(language, "privacy-hidden-now" if action == HIDE else "privacy-shown-now")
        await query.edit_message_text(
            f"{summary[0]}\n\n{note}", reply_markup=_keyboard(context, language, summary[1])
        )
    elif action == DELETE:
        confirm = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        i18n.plain(language, "privacy-button-confirm"),
                        callback_data=CALLBACK_PREFIX + CONFIRM,
                    )
                ],
                [
                    InlineKeyboardButton(
                        i18n.plain(language, "privacy-button-cancel"),
                        callback_data=CALLBACK_PREFIX + CANCEL,
                    )
                ],
            ]
        )
        await query.edit_message_text(
            i18n.text(language, "privacy-confirm-delete"), reply_markup=confirm
        )
    elif action == CONFIRM:
        # An ask's group post stays, without its author's name (handlers/asks).
        await asks.before_delete(context, user.id)
        await context.db.members.delete(user.id)
        await query.edit_message_text(i18n.text(language, "privacy-deleted"))
    elif action == CANCEL:
        await query.edit_message_text(i18n.text(language, "privacy-cancelled"))
