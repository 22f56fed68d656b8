"""What the asks handlers share: texts, names as shown, buttons, the group post."""

from __future__ import annotations

import html
import logging
from typing import Any

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import TelegramError

from bot.asks import callback
from bot.i18n import Html, pick_language, to_plain
from handlers.common import alert, chat_prefs
from handlers.context import ReteContext
from handlers.intros.common import person as intro_person
from storage import Member
from storage.asks import Ask

log = logging.getLogger(__name__)


def t(context: ReteContext, language: str, key: str, **args: Any) -> str:
    """A catalog text."""
    return context.i18n.text(language, key, **args)


async def stale(context: ReteContext, query: CallbackQuery, language: str, key: str) -> None:
    """Answer a button that can no longer act, with an alert; nothing changes."""
    try:
        await query.answer(alert(context, language, key), show_alert=True)
    except TelegramError as error:
        log.info("Could not answer an ask button: %s", error)


def button(context: ReteContext, language: str, key: str, action: str, *args: int) -> Any:
    """An inline button with a catalog label and ask callback data."""
    return InlineKeyboardButton(
        to_plain(t(context, language, key)), callback_data=callback(action, *args)
    )


def language_of(context: ReteContext, member: Member | None) -> str:
    """The language to write to a member in private."""
    return pick_language(
        member.language_code if member else None, context.settings.default_language
    )


def named(context: ReteContext, language: str, member: Member | None) -> str:
    """A member as someone who is not (yet) connected with them may see them.

    Hidden members are named as a member who keeps their name private: never by the name
    Rete has on record, nor by their @username (that is their contact, which only a
    connection shares).
    """
    if member is not None and not member.hidden:
        return member.full_name
    return t(context, language, "asks-hidden-member")


def contact(member: Member | None, member_id: int) -> Html:
    """A member as a connection shows them: name and @username (or a link to them), as an
    introduction does."""
    return intro_person(member, member_id)


def tag_list(tags: tuple[str, ...] | list[str]) -> Html:
    """Tags as a message lists them (each escaped)."""
    return Html(", ".join(f"#{html.escape(tag.replace(' ', '_'), quote=False)}" for tag in tags))


async def title(context: ReteContext, chat_id: int) -> str:
    """The group's title, as Rete last saw it."""
    chat = await context.db.chats.get(chat_id)
    return (chat.title if chat and chat.title else None) or str(chat_id)


async def edit(
    query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Replace the text of the message a button is on (nothing to fix if Telegram refuses)."""
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except TelegramError as error:
        log.debug("Could not edit an ask message: %s", error)


async def post_text(
    context: ReteContext, ask: Ask, *, anonymous: bool = False, without: int | None = None
) -> str:
    """The ask's group post as it stands now, in the group's language.

    ``without``: a helper about to delete their data, no longer named among the helpers.
    """
    prefs = await chat_prefs(context, ask.chat_id)
    language = prefs.language
    asker = None if anonymous else await context.db.members.get(ask.asker_id)
    who = (
        named(context, language, asker)
        if asker is not None
        else t(context, language, "asks-someone")
    )
    head = t(context, language, "asks-post", name=who, text=ask.text, tags=tag_list(ask.tags))
    if ask.status == "solved":
        offers = await context.db.asks.offers(ask.id)
        helpers = await context.db.members.get_many(
            [o.helper_id for o in offers if o.state == "connected" and o.helper_id != without]
        )
        shown = [m.full_name for m in helpers.values() if not m.hidden]
        key = "asks-post-solved-by" if shown else "asks-post-solved"
        return f"{head}\n\n{t(context, language, key, names=', '.join(shown))}"
    if ask.status == "expired":
        return f"{head}\n\n{t(context, language, 'asks-post-expired')}"
    return head


def post_markup(context: ReteContext, language: str, ask: Ask) -> InlineKeyboardMarkup | None:
    """The group post's button: I can help, while the ask is open."""
    if not ask.is_open:
        return None
    return InlineKeyboardMarkup([[button(context, language, "asks-button-help", "h", ask.id)]])


async def refresh_post(context: ReteContext, ask_id: int, *, anonymous: bool = False) -> None:
    """Edit the ask's group post to say how it stands (solved, expired, or its name gone)."""
    ask = await context.db.asks.get(ask_id)
    if ask is None or ask.post_id is None:
        return
    await edit_post(context, ask, anonymous=anonymous)


async def edit_post(
    context: ReteContext, ask: Ask, *, anonymous: bool = False, without: int | None = None
) -> None:
    """Edit a loaded ask's group post (see refresh_post and post_text)."""
    if ask.post_id is None:
        return
    prefs = await chat_prefs(context, ask.chat_id)
    text = await post_text(context, ask, anonymous=anonymous, without=without)
    try:
        await context.bot.edit_message_text(
            text,
            chat_id=ask.chat_id,
            message_id=ask.post_id,
            reply_markup=None if anonymous else post_markup(context, prefs.language, ask),
        )
    except TelegramError as error:
        log.info("Could not edit the post of ask %s: %s", ask.id, error)
