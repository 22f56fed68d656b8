"""/start (with deep-link routing and the private menu), /help, and hints for free text.

In private Rete shows what a member can do there as buttons (their interests, their
introductions, their privacy): under the /start greeting, under the greeting a group's
welcome link opens, and under the one-line hint that answers a message Rete cannot use.
The buttons run the same commands a member could type; the composition root says which
(``MENU``), so this module needs no feature's internals.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType

from bot.commands import Place, commands_for
from bot.deeplinks import parse_payload, start_link
from bot.i18n import Html
from bot.introductions import callback
from bot.policy import Reason
from handlers.common import (
    alert,
    chat_prefs,
    is_admin,
    is_group,
    language_for,
    member_info,
    user_language,
)
from handlers.context import ReteContext
from handlers.delivery import reply
from handlers.guards import linked_group

DeepLinkRoute = Callable[[Update, ReteContext, str], Awaitable[None]]
MenuRoute = Callable[[Update, ReteContext], Awaitable[None]]

# feature name -> what to do when a member opens the private chat through its link.
DEEP_LINKS: dict[str, DeepLinkRoute] = {}

# The private menu's buttons: ``mn:<entry>``. bot_data[MENU] maps each entry to the command
# it runs (bot/app.py fills it); the labels are ``start-button-<entry>`` in the catalog.
CALLBACK_PREFIX = "mn:"
MENU = "start_menu"
MENU_ENTRIES = ("interests", "intros", "privacy")
# A member chatting away in private gets the hint once in this long, not once a message.
HINT_EVERY = timedelta(minutes=30)
# A welcome link for a group the member is not in: say which group to join first.
GROUP_REFUSALS: Mapping[Reason, str] = {"not-member": "start-group-not-member"}


def deep_link(feature: str) -> Callable[[DeepLinkRoute], DeepLinkRoute]:
    """Register the handler for ``/start <feature>[-<argument>]`` payloads."""

    def register(route: DeepLinkRoute) -> DeepLinkRoute:
        DEEP_LINKS[feature] = route
        return route

    return register


def open_private_button(context: ReteContext, label: str, feature: str) -> InlineKeyboardMarkup:
    """A one-button keyboard that opens the private chat with a deep link."""
    url = start_link(context.bot.username, feature)
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, url=url)]])


def menu_keyboard(
    context: ReteContext, language: str, *, first: list[InlineKeyboardButton] | None = None
) -> InlineKeyboardMarkup:
    """The private menu: interests, introductions, privacy (after ``first``, if given)."""
    rows = [first] if first else []
    labels = [context.i18n.plain(language, f"start-button-{entry}") for entry in MENU_ENTRIES]
    rows.append(
        [
            InlineKeyboardButton(label, callback_data=CALLBACK_PREFIX + entry)
            for label, entry in zip(labels[:2], MENU_ENTRIES[:2], strict=True)
        ]
    )
    rows.append([InlineKeyboardButton(labels[2], callback_data=CALLBACK_PREFIX + MENU_ENTRIES[2])])
    return InlineKeyboardMarkup(rows)


async def start(update: Update, context: ReteContext) -> None:
    """Welcome a member in private, note that DMs now reach them, follow a deep link."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or user.is_bot:
        return
    await context.db.members.seen(member_info(user))
    await context.db.members.set_reachable(user.id, True)
    link = parse_payload(context.args[0] if context.args and len(context.args) == 1 else None)
    route = DEEP_LINKS.get(link.feature) if link else None
    if link is not None and route is not None:
        await route(update, context, link.argument)
        return
    language = user_language(context, user)
    await reply(
        context,
        message,
        context.i18n.text(language, "start-welcome", name=user.first_name),
        reply_markup=menu_keyboard(context, language),
    )


@deep_link("welcome")
async def _welcome_link(update: Update, context: ReteContext, argument: str) -> None:
    """The button under a group's welcome: greet the newcomer and say what they can do."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    language = user_language(context, user)
    chat = await linked_group(
        context, update, argument, language, unknown="start-group-refused", refusals=GROUP_REFUSALS
    )
    if chat is None:
        return
    chat_id = chat.id
    title = chat.title or str(chat_id)
    first: list[InlineKeyboardButton] = []
    prefs = await chat_prefs(context, chat_id)
    optin = await context.db.intros.optin(chat_id, user.id)
    if prefs.intros and optin is None:
        # The Join button of introductions itself: it checks membership again when pressed.
        label = context.i18n.plain(language, "start-button-join", title=title)
        first.append(InlineKeyboardButton(label, callback_data=callback("j", chat_id)))
    text = context.i18n.text(
        language,
        "start-from-group",
        name=user.first_name,
        title=title,
        intros="on" if prefs.intros else "off",
    )
    await reply(context, message, text, reply_markup=menu_keyboard(context, language, first=first))


async def menu_button(update: Update, context: ReteContext) -> None:
    """A private menu button: run the command it names, for the presser, in private."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    language = user_language(context, query.from_user)
    routes: Mapping[str, MenuRoute] = context.bot_data.get(MENU, {})
    entry = query.data.removeprefix(CALLBACK_PREFIX)
    route = routes.get(entry) if entry in MENU_ENTRIES else None
    private = query.message is not None and query.message.chat.type == ChatType.PRIVATE
    if route is None or not private or query.from_user.is_bot:
        # Forged data, or a menu button under a message in a group: nothing to run.
        await query.answer(alert(context, language, "start-button-refused"), show_alert=True)
        return
    await query.answer()
    await route(update, context)


async def private_text(update: Update, context: ReteContext) -> None:
    """Text in private that nothing took (tags the member was asked for are taken first).

    Answered with a one-line hint and the menu, at most once in ``HINT_EVERY``; the text
    itself is neither read nor kept.
    """
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or user.is_bot:
        return
    if not context.policy.allow("private-hint", user.id, limit=1, per=HINT_EVERY):
        return
    language = user_language(context, user)
    await reply(
        context,
        message,
        context.i18n.text(language, "start-hint"),
        reply_markup=menu_keyboard(context, language),
    )


async def help_command(update: Update, context: ReteContext) -> None:
    """List the commands the caller can use here, named and described in the chat's language."""
    message = update.effective_message
    if message is None:
        return
    language = await language_for(context, update)
    in_group = is_group(update.effective_chat)
    place: Place = "group" if in_group else "private"
    admin = in_group and await is_admin(context, update)
    i18n = context.i18n
    lines = [i18n.text(language, f"help-header-{place}")]
    for command in commands_for(place, admin=admin):
        description = Html(i18n.text(language, command.description_key))
        name = command.name_in(language)
        lines.append(i18n.text(language, "help-line", command=name, description=description))
    lines += ["", i18n.text(language, f"help-footer-{place}")]
    await reply(context, message, "\n".join(lines))


@deep_link("help")
async def _help_link(update: Update, context: ReteContext, argument: str) -> None:
    await help_command(update, context)
