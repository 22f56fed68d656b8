"""Handlers that cost little on the hot path: every update is checked against each of them.

PTB tries every handler of a group in turn until one accepts the update. With thirty
commands that is thirty ``CommandHandler`` checks for each ordinary message, and PTB's
merged filters (``A & B & ~C``) cost a few microseconds per message more than plain
attribute checks. Measured in ``bench/activity.py``; see bench/README.md.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Collection, Coroutine, Sequence
from typing import Any

from telegram import Message, MessageEntity, Update
from telegram.ext import BaseHandler, CommandHandler

from handlers.common import GROUP_TYPES
from handlers.context import ReteContext

Callback = Callable[[Update, ReteContext], Coroutine[Any, Any, None]]


def is_command(message: Message) -> bool:
    """True if the message starts with a /command (as Telegram marks it)."""
    entities = message.entities
    return (
        bool(entities) and entities[0].type == MessageEntity.BOT_COMMAND and not entities[0].offset
    )


async def _never_called(update: Update, context: ReteContext) -> None:
    raise AssertionError("CommandRouter hands each update to the matching CommandHandler")


class CommandRouter(BaseHandler[Update, ReteContext, None]):
    """All command handlers behind one check: a message that is no command costs one look.

    A command is handed to the handlers registered for its name, in registration order,
    exactly as if they had been added one by one (their own filters and ``/cmd@bot``
    checks apply). A handler built with ``block=False`` runs as a task of its own, as PTB
    runs such handlers (``Application.create_task``, errors to the error handlers), so a
    long search does not hold up every update behind it; ``pending`` are those running.
    """

    def __init__(self, handlers: Sequence[CommandHandler[Any, Any]]) -> None:
        super().__init__(_never_called)
        self._by_name: dict[str, list[CommandHandler[Any, Any]]] = {}
        for handler in handlers:
            for name in handler.commands:
                self._by_name.setdefault(name, []).append(handler)
        self._pending: set[asyncio.Task[Any]] = set()

    @property
    def pending(self) -> frozenset[asyncio.Task[Any]]:
        """The non-blocking commands still running."""
        return frozenset(self._pending)

    @property
    def commands(self) -> frozenset[str]:
        """Every command name routed."""
        return frozenset(self._by_name)

    def check_update(self, update: object) -> tuple[CommandHandler[Any, Any], object] | None:
        """Return the handler that takes this command and its own check result, else None."""
        if not isinstance(update, Update):
            return None
        message = update.effective_message
        if message is None or not message.text or not is_command(message):
            return None
        length = message.entities[0].length
        name = message.text[1:length].split("@", 1)[0].lower()
        for handler in self._by_name.get(name, ()):
            result = handler.check_update(update)
            if result is not None and result is not False:
                return handler, result
        return None

    async def handle_update(
        self,
        update: Update,
        application: Any,
        check_result: tuple[CommandHandler[Any, Any], object],
        context: ReteContext,
    ) -> Any:
        """Let the matching CommandHandler handle the update (it fills ``context.args``)."""
        handler, result = check_result
        handling = handler.handle_update(update, application, result, context)
        if handler.block is not False:
            return await handling
        task = application.create_task(
            handling, update=update, name=f"CommandRouter:non_blocking:{handler.callback.__name__}"
        )
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)
        return None


class NewMessages(BaseHandler[Update, ReteContext, None]):
    """New (not edited) messages in some kinds of chat that pass a plain predicate.

    Commands never pass: they belong to the CommandRouter.
    """

    def __init__(
        self,
        callback: Callback,
        accept: Callable[[Message], bool],
        *,
        chats: Collection[str] = GROUP_TYPES,
    ) -> None:
        super().__init__(callback)
        self._accept = accept
        self._chats = frozenset(chats)

    def check_update(self, update: object) -> bool:
        """True for a new message, not a command, in one of ``chats``, that ``accept`` takes."""
        if not isinstance(update, Update):
            return False
        message = update.message
        return (
            message is not None
            and message.chat.type in self._chats
            and not is_command(message)
            and self._accept(message)
        )


def has_text(message: Message) -> bool:
    """True for a message with text (not a caption)."""
    return bool(message.text)
