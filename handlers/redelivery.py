"""Each update handled once, however often it is delivered (storage.updates).

Runs before every other handler (its own group, the lowest): an update whose id was
claimed already, by this instance or another, stops there.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from handlers.context import ReteContext

log = logging.getLogger(__name__)


async def handle_once(update: Update, context: ReteContext) -> None:
    """Claim the update's id; stop every handler if it was claimed before."""
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
        log.info("Update %d was handled already: skipped", update.update_id)
        raise ApplicationHandlerStop
