"""The group's deck: /prompts add, list and remove."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Message

from bot.numbers import parse_number
from bot.prompt_posting import RETIRED
from bot.prompts import (
    BUILTIN_COUNT,
    MAX_PROMPT_CHARS,
    PAGE_SIZE,
    builtin_catalog_id,
    builtin_key,
    builtin_number,
    custom_key,
    page_count,
    preview,
    shown_whole,
)
from handlers.common import human_sender, member_info
from handlers.context import ReteContext
from handlers.delivery import reply
from handlers.prompts.common import _argument_text


async def _add(context: ReteContext, message: Message, language: str) -> None:
    i18n = context.i18n
    text = _argument_text(message, 1)
    if not text:
        await reply(context, message, i18n.text(language, "prompts-add-usage"))
        return
    if len(text) > MAX_PROMPT_CHARS:
        await reply(
            context,
            message,
            i18n.text(language, "prompts-too-long", length=len(text), limit=MAX_PROMPT_CHARS),
        )
        return
    if not shown_whole(text):
        await reply(context, message, i18n.text(language, "prompts-too-long-marks"))
        return
    sender = human_sender(message)
    added = await context.db.prompts.add(
        message.chat_id,
        text,
        added_by=member_info(sender) if sender else None,
        at=context.now(),
    )
    if added is None:
        await reply(context, message, i18n.text(language, "prompts-add-duplicate"))
        return
    custom = await context.db.prompts.custom(message.chat_id)
    number = next(i for i, p in enumerate(custom, start=1) if p.id == added)
    await reply(context, message, i18n.text(language, "prompts-added", number=number))


@dataclass(frozen=True)
class DeckEntry:
    """One line of /prompts list: its rotation key and text."""

    key: str
    text: str
    own: bool


async def _deck(context: ReteContext, chat_id: int, language: str) -> list[DeckEntry]:
    """The group's deck as /prompts list numbers it: own prompts first, then built-ins."""
    chat = await context.db.chats.get(chat_id)
    retired = set(chat.settings.get(RETIRED, [])) if chat else set()
    entries = [
        DeckEntry(custom_key(p.id), p.text, True) for p in await context.db.prompts.custom(chat_id)
    ]
    entries += [
        DeckEntry(builtin_key(n), context.i18n.text(language, builtin_catalog_id(n)), False)
        for n in range(1, BUILTIN_COUNT + 1)
        if n not in retired
    ]
    return entries


async def _list(context: ReteContext, message: Message, language: str, args: list[str]) -> None:
    i18n = context.i18n
    deck = await _deck(context, message.chat_id, language)
    pages = page_count(len(deck))
    page = parse_number(args[0]) if len(args) == 1 else (1 if not args else None)
    if page is None or not 1 <= page <= pages:
        await reply(context, message, i18n.text(language, "prompts-list-bad-page", pages=pages))
        return
    records = await context.db.prompts.track_records(message.chat_id)
    first = (page - 1) * PAGE_SIZE
    lines = [i18n.text(language, "prompts-list-header", page=page, pages=pages, total=len(deck))]
    for number, entry in enumerate(deck[first : first + PAGE_SIZE], start=first + 1):
        record = records.get(entry.key)
        said = (
            i18n.text(language, "prompts-list-record", posts=record.posts, replies=record.replies)
            if record
            else i18n.text(language, "prompts-list-never")
        )
        shown = preview(entry.text)
        if entry.own:
            shown = f"{i18n.text(language, 'prompts-list-own')} {shown}"
        lines.append(
            i18n.text(language, "prompts-list-line", number=number, text=shown, record=said)
        )
    lines.append("")
    if page < pages:
        lines.append(i18n.text(language, "prompts-list-more", next=page + 1))
    lines.append(i18n.text(language, "prompts-list-footer"))
    await reply(context, message, "\n".join(lines))


async def _remove(context: ReteContext, message: Message, language: str, args: list[str]) -> None:
    i18n = context.i18n
    if len(args) != 1:
        await reply(context, message, i18n.text(language, "prompts-remove-usage"))
        return
    deck = await _deck(context, message.chat_id, language)
    raw = args[0]
    position = parse_number(raw)
    if position is None:
        await reply(context, message, i18n.text(language, "prompts-remove-not-number", value=raw))
        return
    if not 1 <= position <= len(deck):
        text = i18n.text(language, "prompts-remove-missing", value=raw, total=len(deck))
        await reply(context, message, text)
        return
    entry = deck[position - 1]
    number = builtin_number(entry.key)
    if number is None:
        await context.db.prompts.remove(message.chat_id, int(entry.key[1:]))
    else:
        chat = await context.db.chats.get(message.chat_id)
        retired = set(chat.settings.get(RETIRED, [])) if chat else set()
        await context.db.chats.set_setting(message.chat_id, RETIRED, sorted(retired | {number}))
    await reply(context, message, i18n.text(language, "prompts-removed", text=preview(entry.text)))
