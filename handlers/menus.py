"""Localized command menus (setMyCommands) per language and per kind of chat."""

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


async def set_command_menus(bot: Bot, i18n: Catalog, default_language: str) -> None:
    """Register the menus for every scope, in each language and as the default."""
    targets: list[tuple[str | None, str]] = [(None, default_language)]
    targets += [(language, language) for language in i18n.languages]
    for scope, place, admin in SCOPES:
        for language_code, language in targets:
            commands = [
                BotCommand(command.name, i18n.plain(language, command.description_key))
                for command in commands_for(place, admin=admin)
            ]
            try:
                await bot.set_my_commands(commands, scope=scope, language_code=language_code)
            except TelegramError as error:
                # A missing menu is a nuisance, not a reason to stay offline.
                log.warning("setMyCommands failed for %s/%s: %s", place, language_code, error)
