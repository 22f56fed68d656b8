"""/start (with deep-link routing) and /help."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.commands import Place, commands_for
from bot.deeplinks import parse_payload, start_link
from bot.i18n import Html
from handlers.common import is_admin, is_group, language_for, member_info, user_language
from handlers.context import ReteContext
from handlers.delivery import reply

DeepLinkRoute = Callable[[Update, ReteContext, str], Awaitable[None]]

# feature name -> what to do when a member opens the private chat through its link.
DEEP_LINKS: dict[str, DeepLinkRoute] = {}


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
        context, message, context.i18n.text(language, "start-welcome", name=user.first_name)
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
