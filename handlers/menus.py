"""What Telegram shows about Rete before anyone writes: command menus and descriptions.

Each is registered per language (Telegram picks by the app's language) and as the
default, in ``default_language``, for everyone else.
"""

from __future__ import annotations

import logging

from telegram import (
    Bot,
    BotCommand,
    BotCommandScope,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
)
from telegram.error import TelegramError

from bot.commands import Place, commands_for
from bot.i18n import Catalog

log = logging.getLogger(__name__)

SCOPES: tuple[tuple[BotCommandScope, Place, bool], ...] = (
    (BotCommandScopeAllPrivateChats(), "private", False),
    (BotCommandScopeAllGroupChats(), "group", False),
    (BotCommandScopeAllChatAdministrators(), "group", True),
)


def _targets(i18n: Catalog, default_language: str) -> list[tuple[str | None, str]]:
    """(Telegram language_code, catalog language): the default first, then each language."""
    return [(None, default_language), *((language, language) for language in i18n.languages)]


def menu(i18n: Catalog, language: str, place: Place, *, admin: bool) -> list[BotCommand]:
    """The menu of ``place`` in ``language``: that language's names and descriptions."""
    return [
        BotCommand(command.name_in(language), i18n.plain(language, command.description_key))
        for command in commands_for(place, admin=admin)
    ]


async def set_command_menus(bot: Bot, i18n: Catalog, default_language: str) -> None:
    """Register the menus for every scope, in each language and as the default."""
    for scope, place, admin in SCOPES:
        for language_code, language in _targets(i18n, default_language):
            commands = menu(i18n, language, place, admin=admin)
            try:
                await bot.set_my_commands(commands, scope=scope, language_code=language_code)
            except TelegramError as error:
                # A missing menu is a nuisance, not a reason to stay offline.
                log.warning("setMyCommands failed for %s/%s: %s", place, language_code, error)


async def set_descriptions(bot: Bot, i18n: Catalog, default_language: str) -> None:
    """Register "What can this bot do?" and the profile's short text, in each language."""
    for language_code, language in _targets(i18n, default_language):
        try:
            await bot.set_my_description(
                i18n.plain(language, "bot-description"), language_code=language_code
            )
            await bot.set_my_short_description(
                i18n.plain(language, "bot-short-description"), language_code=language_code
            )
        except TelegramError as error:
            log.warning("setMyDescription failed for %s: %s", language_code, error)
