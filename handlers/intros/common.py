"""What the introductions handlers share: catalog texts, names as shown, buttons, a lock.

Underscored names here are private to the ``handlers.intros`` package.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError

from bot import dates
from bot.chat_settings import ChatPrefs
from bot.i18n import Html, pick_language, to_plain
from bot.introductions import schedule_of
from handlers.common import alert
from handlers.context import ReteContext
from handlers.trust import actor_of
from storage import Member
from storage.intro_records import Intro, IntroMember

log = logging.getLogger(__name__)

AWAITING = "intros_awaiting"
REMOVE_WORDS = ("remove", "delete", "togli", "rimuovi", "elimina")


def _lock(context: ReteContext, chat_id: int) -> AbstractAsyncContextManager[None]:
    """Hold the group's introductions lock: one sender at a time, in any instance."""
    return context.db.locks.hold(f"intros:{chat_id}")


def _t(context: ReteContext, language: str, key: str, **args: Any) -> str:
    return context.i18n.text(language, key, **args)


def _alert(context: ReteContext, language: str, key: str, **args: Any) -> str:
    """A catalog text for a place Telegram shows as plain text (callback alerts)."""
    return alert(context, language, key, **args)


def _button(text: str, data: str) -> InlineKeyboardButton:
    # Button labels are plain text: the catalog's HTML read as Telegram would show it.
    return InlineKeyboardButton(to_plain(text), callback_data=data)


def _language_of(context: ReteContext, member: Member | None) -> str:
    code = member.language_code if member else None
    return pick_language(code, context.settings.default_language)


def person(member: Member | None, member_id: int) -> Html:
    """The partner as an introduction shows them: name and @username (a link)."""
    if member is None:
        return Html(html.escape(str(member_id), quote=False))
    name = html.escape(member.full_name, quote=False)
    if member.username:
        return Html(f"<b>{name}</b> (@{html.escape(member.username, quote=False)})")
    return Html(f'<a href="tg://user?id={member.id}">{name}</a>')


def _plain_name(member: Member | None, member_id: int) -> str:
    return member.full_name if member else str(member_id)


def _named(context: ReteContext, language: str, member: Member | None) -> str:
    """A member as someone who is not (yet) their partner may see them.

    A member who hides from public lists is named by their @username, never by the name
    Rete has on record; without a username, as "a member who keeps their name private".
    """
    if member is not None and not member.hidden:
        return member.full_name
    if member is not None and member.username:
        return f"@{member.username}"
    return _t(context, language, "intros-hidden-member")


def _proposed(context: ReteContext, language: str, member: Member | None, member_id: int) -> Html:
    """Whom an admin proposes to introduce: like an introduction, unless they are hidden."""
    if member is not None and not member.hidden:
        return person(member, member_id)
    return Html(html.escape(_named(context, language, member), quote=False))


def _own_side(context: ReteContext, update: Update, intro: Intro) -> IntroMember:
    """Return the acting person's side of ``intro``; raise Refused unless it is theirs."""
    actor = actor_of(update)
    side = intro.member(actor.person) if actor.person is not None else None
    context.policy.ensure_owner(side.member_id if side is not None else None, actor)
    assert side is not None
    return side


async def _own_intro(
    context: ReteContext, update: Update, query: CallbackQuery, language: str, intro_id: int
) -> Intro | None:
    """Return the introduction a button names if the presser is in it; None once answered.

    A vanished introduction is answered as stale; someone else's raises Refused.
    """
    intro = await context.db.intros.intro(intro_id)
    if intro is None:
        await query.answer(_alert(context, language, "intros-button-stale"), show_alert=True)
        return None
    _own_side(context, update, intro)  # only its members answer
    return intro


def _tag_list(tags: Sequence[str]) -> Html:
    return Html(", ".join(f"<i>{html.escape(tag, quote=False)}</i>" for tag in tags))


async def _title(context: ReteContext, chat_id: int) -> str:
    chat = await context.db.chats.get(chat_id)
    return (chat.title if chat and chat.title else None) or str(chat_id)


def _schedule(prefs: ChatPrefs) -> Any:
    return schedule_of(prefs.intros, prefs.intros_day, prefs.intros_at, prefs.intros_every_weeks)


def _when(context: ReteContext, language: str, prefs: ChatPrefs) -> str:
    return _t(
        context,
        language,
        "intros-when",
        every=prefs.intros_every_weeks,
        day=dates.weekday(prefs.intros_day, language),
        time=dates.clock(prefs.intros_at, language),
    )


async def _edit(
    query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except TelegramError as error:
        # "message is not modified" and messages too old to edit: nothing to fix.
        log.debug("Could not edit introductions message: %s", error)


async def _drop_buttons(query: CallbackQuery) -> None:
    try:
        await query.edit_message_reply_markup(None)
    except TelegramError as error:
        log.debug("Could not remove buttons: %s", error)
