"""Keep in touch: the daily sweep that sends due reminders, one DM per member and day.

The sweep is a scheduled job (``handlers.scheduling``): once a day in each group, at
``REMIND_AT`` in the group's time zone, claimed in ``schedule_runs`` before it runs, on the
leader only, with the application's clock. It reads the group's due reminders in chunks
(keyset pages of ``CHUNK``), each with the two members' last interaction:

- two members in touch since the reminder was set (a thanks either way, "We talked", an
  introduction) move the reminder to that moment plus its period, and nothing is sent;
- of the rest, each member gets one reminder DM a day at most, claimed in
  ``tie_reminder_days`` before it goes out (a restart never sends it twice);
- a sent reminder falls due again one period later, unless the member answers.

Between chunks the loop gets a turn, so a sweep over a big group never holds it long.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, time, timedelta

from telegram import InlineKeyboardMarkup
from telegram.error import TelegramError

from bot import ties as logic
from bot.chat_settings import ChatPrefs
from bot.schedule import Weekly
from bot.ties import callback
from handlers.common import chat_prefs
from handlers.context import ReteContext
from handlers.delivery import dm
from handlers.network.common import (
    button,
    day_in,
    how,
    language_of,
    name_of,
    people_in,
    t,
    title_of,
)
from handlers.scheduling import ScheduledJob
from storage import Store
from storage.ties import DueReminder

log = logging.getLogger(__name__)

# When reminders go out, in each group's time zone.
REMIND_AT = time(10, 0)
EVERY_DAY = frozenset(range(7))
# A sweep missed while the bot was down still runs the same day.
GRACE = timedelta(hours=12)
# Due reminders read (and decided) per turn of the event loop.
CHUNK = 250

Send = Callable[[DueReminder], Awaitable[bool]]


def reminder_schedule(prefs: ChatPrefs) -> Weekly | None:
    """Every day at ``REMIND_AT``, in every group (a member without reminders gets nothing)."""
    return Weekly(EVERY_DAY, REMIND_AT)


async def sweep_group(
    store: Store, chat_id: int, now: datetime, day: str, send: Send, *, chunk: int = CHUNK
) -> tuple[int, int]:
    """Sweep one group's due reminders; return (sent, moved because the two were in touch).

    ``day`` is the group's local date: the one-a-day claim is made on it.
    """
    after: tuple[str, int, int] | None = None
    reminded: set[int] = set()
    sent = moved = 0
    while True:
        due = await store.ties.due(chat_id, now, after=after, limit=chunk)
        if not due:
            break
        last = due[-1].reminder
        after = (last.due_at.isoformat(), last.member_id, last.other_id)
        plan = logic.plan(due, now, reminded)
        moved += len(plan.resets)
        sends = [d.reminder for d in plan.sends]
        claimed = await store.ties.settle(plan.resets, sends, day, now)
        reminded |= {r.member_id for r in sends}
        for item in plan.sends:
            # Claimed and due again a period from now before the DM goes out: a crash or
            # a bounce loses this one reminder, never sends it twice.
            if item.reminder.member_id not in claimed:
                continue
            try:
                delivered = await send(item)
            except TelegramError as error:
                # One member's refusal (not a 403: those return False) must not stop the
                # others, already claimed: the sweep would lose all of theirs.
                log.warning(
                    "Keep-in-touch reminder to %s not sent: %s", item.reminder.member_id, error
                )
                delivered = False
            if delivered:
                sent += 1
        if len(due) < chunk:
            break
        await asyncio.sleep(0)
    return sent, moved


async def send_reminder(context: ReteContext, item: DueReminder) -> bool:
    """DM one keep-in-touch reminder, with the tie's context and its three buttons."""
    r = item.reminder
    store = context.db
    member = await store.members.get(r.member_id)
    if member is None or not context.policy.consents(member):
        return False
    prefs = await chat_prefs(context, r.chat_id)
    language = language_of(context, member, prefs.language)
    ties = await store.ties.between(r.member_id, r.other_id)
    tie = next((x for x in ties if x.chat_id == r.chat_id), ties[0] if ties else None)
    if tie is None:  # the tie is gone (a thanks voided): nothing to remind of
        return False
    people = await store.members.get_many(people_in([tie]))
    text = t(
        context,
        language,
        "network-reminder-dm",
        name=name_of(people.get(r.other_id), r.other_id),
        title=await title_of(context, tie.chat_id),
        how=await how(context, language, tie, people),
        last=await day_in(context, tie.last_at, tie.chat_id, language),
    )
    markup = InlineKeyboardMarkup(
        [
            [
                button(
                    context,
                    language,
                    "network-button-talked",
                    callback("w", r.other_id, tie.chat_id),
                )
            ],
            [
                button(context, language, "network-button-later", callback("l", r.other_id)),
                button(context, language, "network-button-stop", callback("s", r.other_id)),
            ],
        ]
    )
    return await dm(context, r.member_id, text, reply_markup=markup) is not None


async def run_reminders(context: ReteContext, chat_id: int, slot: datetime) -> datetime | None:
    """The scheduled run: sweep the group's due reminders at its daily slot."""
    prefs = await chat_prefs(context, chat_id)
    day = slot.astimezone(prefs.zone).date().isoformat()

    async def send(item: DueReminder) -> bool:
        return await send_reminder(context, item)

    await sweep_group(context.db, chat_id, context.now(), day, send)
    return None


JOB = ScheduledJob("ties-reminders", reminder_schedule, GRACE, run_reminders)
