"""What the /network views, its buttons and the reminder DMs share: names, how, whose."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from telegram import CallbackQuery, InlineKeyboardButton, Update
from telegram.constants import ChatType

from bot import dates
from bot.i18n import Html, pick_language
from bot.introductions import cut_name
from handlers.common import chat_prefs
from handlers.context import ReteContext
from handlers.trust import actor_of
from storage import Member
from storage.ties import TieRow


def t(context: ReteContext, language: str, key: str, **args: Any) -> str:
    """A catalog text (HTML; arguments escaped)."""
    return context.i18n.text(language, key, **args)


def button(context: ReteContext, language: str, key: str, data: str, **args: Any) -> Any:
    """A button whose label is a catalog text (plain: labels show no HTML)."""
    return InlineKeyboardButton(context.i18n.plain(language, key, **args), callback_data=data)


def label(text: str) -> str:
    """A member's name as a button label shows it (labels are plain text: cut, not escaped)."""
    return cut_name(text)


def language_of(context: ReteContext, member: Member | None, fallback: str | None = None) -> str:
    """The member's language; the group's (``fallback``) when theirs is not one Rete speaks."""
    default = fallback or context.settings.default_language
    code = member.language_code if member else None
    if code is None:
        return default
    return pick_language(code, default)


def name_of(member: Member | None, member_id: int) -> str:
    """The other member of a tie as the tie's owner sees them: their name (cut to fit)."""
    return cut_name(member.full_name) if member else str(member_id)


async def title_of(context: ReteContext, chat_id: int) -> str:
    """The group's title (or its id when Rete has none)."""
    chat = await context.db.chats.get(chat_id)
    return (chat.title if chat and chat.title else None) or str(chat_id)


async def day_in(context: ReteContext, moment: datetime, chat_id: int, language: str) -> str:
    """A date as the group's members read it: "1 December 2026", in the group's zone."""
    zone = (await chat_prefs(context, chat_id)).zone
    return dates.full_date(moment.astimezone(zone).date(), language)


async def how(
    context: ReteContext,
    language: str,
    tie: TieRow,
    people: dict[int, Member],
) -> Html:
    """How the two are tied, in one line: met on …, connected through an ask, met through …,
    helped you 3 times"""
    parts: list[str] = []
    if tie.intros and tie.introduced_at is not None:
        on = await day_in(context, tie.introduced_at, tie.chat_id, language)
        key = "network-how-met" if tie.met else "network-how-introduced"
        parts.append(t(context, language, key, date=on))
    if tie.asks:
        parts.append(t(context, language, "network-how-ask", count=tie.asks))
    if tie.via is not None:
        connector = people.get(tie.via)
        parts.append(t(context, language, "network-how-via", name=name_of(connector, tie.via)))
    # A thanks the member gave is help they received, and the other way round.
    if tie.gave:
        parts.append(t(context, language, "network-how-helped-you", count=tie.gave))
    if tie.received:
        parts.append(t(context, language, "network-how-you-helped", count=tie.received))
    if tie.talked:
        parts.append(t(context, language, "network-how-talked", count=tie.talked))
    return Html(" · ".join(parts))


def people_in(ties: Sequence[TieRow]) -> list[int]:
    """Every member a view of ``ties`` names: the others and their connectors."""
    ids = {tie.other_id for tie in ties}
    ids |= {tie.via for tie in ties if tie.via is not None}
    return sorted(ids)


def owner_of_view(context: ReteContext, update: Update, query: CallbackQuery) -> int:
    """Return the presser if the view is theirs (their own private chat); else raise Refused.

    A /network view and a reminder DM live in their owner's private chat: a button pressed
    anywhere else (a forwarded copy, forged data) is someone else's.
    """
    actor = actor_of(update)
    message = query.message
    private = message is not None and message.chat.type == ChatType.PRIVATE
    owner = message.chat.id if message is not None and private else None
    context.policy.ensure_owner(owner, actor)
    assert actor.person is not None
    return actor.person


class TieGone(Exception):
    """A button names a tie the presser does not have (forged, or the other left Rete)."""


async def own_tie(context: ReteContext, member_id: int, other_id: int, chat_id: int) -> TieRow:
    """Return the member's tie with ``other_id`` in ``chat_id``; raise TieGone if none.

    A tie id in button data is a claim: a pair the presser is not in, or one that no longer
    exists (the other deleted their data), is refused and changes nothing.
    """
    for tie in await context.db.ties.between(member_id, other_id):
        if tie.chat_id == chat_id:
            return tie
    raise TieGone(f"{member_id} has no tie with {other_id} in {chat_id}")
