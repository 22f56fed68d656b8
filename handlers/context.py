"""The typed context handlers receive: ``context.db``, ``context.settings``, ``context.i18n``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.clock import Clock
from bot.i18n import Catalog
from bot.policy import Policy
from bot.settings import Settings
from storage import Store

# Keys in ``application.bot_data``; the composition root fills them.
DB = "db"
SETTINGS = "settings"
I18N = "i18n"
CLOCK = "clock"
POLICY = "policy"
LEADERSHIP = "leadership"


class ReteContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[str, Any]]):
    """PTB's CallbackContext with typed access to Rete's shared resources."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)

    @property
    def db(self) -> Store:
        """The open database (opened in post_init, closed in post_shutdown)."""
        return self.bot_data[DB]

    @property
    def settings(self) -> Settings:
        """The validated configuration."""
        return self.bot_data[SETTINGS]

    @property
    def policy(self) -> Policy:
        """Who may act on what: every entry point asks it (built in post_init)."""
        return self.bot_data[POLICY]

    @property
    def clock(self) -> Clock:
        """The application's clock: the one source of "now" (tests set it)."""
        return self.bot_data[CLOCK]

    def now(self) -> datetime:
        """Return the current time from the application's clock (aware, UTC)."""
        clock: Clock = self.bot_data[CLOCK]
        return clock.now()

    @property
    def i18n(self) -> Catalog:
        """The message catalog."""
        return self.bot_data[I18N]
