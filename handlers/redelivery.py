"""Each update handled once, however often it is delivered (storage.updates).

``HandledOnce`` runs before every other handler (its own group, the lowest): an update
whose id was claimed already, by this instance or another, stops there. Where the store
can decide in memory (SQLite, one writer) the claim is made in ``check_update`` and costs
no callback; otherwise the callback asks the database, except for an update that only
``observe`` acts on (an ordinary group message, counted; an edit): its claim is deferred to
the flush, which counts each message once whichever instance handled it
(``storage.updates``). Whether another handler would act is asked of the handlers
themselves (their ``check_update``), so a handler added later cannot be skipped by a
stale list.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from telegram import Update
from telegram.ext import ApplicationHandlerStop, BaseHandler

from handlers.context import DB, ReteContext
from storage import Store

log = logging.getLogger(__name__)


def _handled_already(update_id: int) -> ApplicationHandlerStop:
    log.info("Update %d was handled already: skipped", update_id)
    return ApplicationHandlerStop()


async def handle_once(update: Update, context: ReteContext) -> None:
    """Claim the update's id in the database; stop every handler if it was claimed before."""
    try:
        first = await context.db.updates.claim(update.update_id)
    except Exception as error:
        # The database cannot say: handle it rather than lose it (the recorded natural keys
        # still keep a copy from counting twice); the handlers meet the same database.
        log.warning(
            "Could not claim update %d (%s): handling it unclaimed",
            update.update_id,
            type(error).__name__,
        )
        return
    if not first:
        raise _handled_already(update.update_id)


class HandledOnce(BaseHandler[Update, ReteContext, None]):
    """Claim every update's id before the other handlers see it (see the module's doc).

    ``handlers`` returns the application's handlers by group (PTB rebuilds that mapping as
    groups are added, so it is asked each time); the groups in ``observed`` hold only
    ``observe``, whose effect on an ordinary message the flush writes once.
    """

    def __init__(
        self,
        bot_data: Mapping[str, Any],
        handlers: Callable[[], Mapping[int, Sequence[BaseHandler[Any, Any, Any]]]] | None = None,
        observed: frozenset[int] = frozenset(),
    ) -> None:
        super().__init__(handle_once)
        self._bot_data = bot_data
        self._handlers = handlers
        self._observed = observed

    def check_update(self, update: object) -> bool:
        """True when the database must decide (the callback claims); stop a known copy."""
        if not isinstance(update, Update):
            return False
        store: Store | None = self._bot_data.get(DB)
        if store is None:
            return False
        verdict = store.updates.claim_now(update.update_id)
        if verdict is None:
            if store.updates.shared and self._only_counted(update):
                store.updates.defer(update.update_id)
                return False
            return True
        if not verdict:
            raise _handled_already(update.update_id)
        return False

    def _only_counted(self, update: Update) -> bool:
        """True if no handler but ``observe`` acts on ``update``, and observe only counts it.

        Joins, leaves and migrations do more than count (welcomes, moved chats): claimed.
        """
        if self._handlers is None:
            return False
        message = update.message
        if message is not None and (
            message.new_chat_members
            or message.left_chat_member
            or message.migrate_to_chat_id
            or message.migrate_from_chat_id
        ):
            return False
        for group, handlers in self._handlers().items():
            if group in self._observed:
                continue
            for handler in handlers:
                if handler is self:
                    continue
                check = handler.check_update(update)
                if check is not None and check is not False:
                    return False
        return True
