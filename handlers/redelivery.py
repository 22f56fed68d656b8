"""Each update handled once, however often it is delivered (storage.updates).

``HandledOnce`` runs before every other handler (its own group, the lowest): an update
whose id was claimed already, by this instance or another, stops there. Where the store
can decide in memory (SQLite, one writer) the claim is made in ``check_update`` and costs
no callback; otherwise the callback asks the database.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
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
    """Claim every update's id before the other handlers see it (see the module's doc)."""

    def __init__(self, bot_data: Mapping[str, Any]) -> None:
        super().__init__(handle_once)
        self._bot_data = bot_data

    def check_update(self, update: object) -> bool:
        """True when the database must decide (the callback claims); stop a known copy."""
        if not isinstance(update, Update):
            return False
        store: Store | None = self._bot_data.get(DB)
        if store is None:
            return False
        verdict = store.updates.claim_now(update.update_id)
        if verdict is None:
            return True
        if not verdict:
            raise _handled_already(update.update_id)
        return False
