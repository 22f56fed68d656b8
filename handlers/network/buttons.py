"""Every ``nw:`` button: pages, a tie's card, remind, we talked, later, stop, the note.

Each press is checked in the same order before it changes anything: the view must be the
presser's own (their private chat), the data must parse, and a tie it names must be one
the presser is in (derived now: a tie whose other member deleted their data is gone).
"""

from __future__ import annotations

import logging

from telegram import CallbackQuery, Update
from telegram.error import TelegramError

from bot import ties as logic
from bot.numbers import parse_number
from bot.policy import Refused
from handlers.common import alert, user_language
from handlers.context import ReteContext
from handlers.guards import answer_refusal
from handlers.network.common import TieGone, own_tie, owner_of_view
from handlers.network.introduce import introduce_pick, introduce_to
from handlers.network.view import page_view, tie_view

log = logging.getLogger(__name__)

# What each action takes after its name: how many numbers (ids may be negative: groups).
ARITY = {"p": 1, "t": 3, "r": 3, "w": 2, "l": 1, "s": 1, "n": 2, "i": 2, "j": 3}


def parse(data: str) -> tuple[str, list[int]] | None:
    """Return (action, numbers) from ``nw:<action>:<n>:…``; None for anything else."""
    if not data.startswith(logic.CALLBACK_PREFIX):
        return None
    action, *raw = data.removeprefix(logic.CALLBACK_PREFIX).split(":")
    if ARITY.get(action) != len(raw):
        return None
    numbers = [parse_number(part, signed=True) for part in raw]
    if any(n is None for n in numbers):
        return None
    return action, [n for n in numbers if n is not None]


async def _edit(query: CallbackQuery, view: tuple[str, object] | None) -> None:
    if view is None:
        return
    text, markup = view
    try:
        await query.edit_message_text(text, reply_markup=markup)  # type: ignore[arg-type]
    except TelegramError as error:
        log.debug("Could not edit a /network view: %s", error)


async def network_button(update: Update, context: ReteContext) -> None:
    """Answer a ``nw:`` button for the owner of the view it is under; refuse anyone else."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    language = user_language(context, query.from_user)
    parsed = parse(query.data)
    try:
        me = owner_of_view(context, update, query)
        if parsed is None:
            raise Refused("not-owner")
        await _act(context, update, query, me, language, *parsed)
    except Refused as refused:
        keys = {"not-owner": "network-button-refused"}
        await answer_refusal(context, update, refused, language, keys=keys)
    except TieGone:
        # Said the same way whether forged or gone: nothing about the pair is revealed.
        await query.answer(alert(context, language, "network-tie-gone"), show_alert=True)


async def _act(
    context: ReteContext,
    update: Update,
    query: CallbackQuery,
    me: int,
    language: str,
    action: str,
    args: list[int],
) -> None:
    store = context.db.ties
    now = context.now()
    if action == "p":
        view = await page_view(context, me, language, args[0])
        if view is None:
            await query.answer(alert(context, language, "network-page-gone"), show_alert=True)
            view = await page_view(context, me, language, args[0], clamp=True)
        else:
            await query.answer()
        await _edit(query, view)
    elif action == "n":
        on, page = args
        if on not in (0, 1):
            raise Refused("not-owner")
        if on and await context.db.members.get(me) is None:
            # Known from no group: no member row to hang the choice on, no ties to note.
            await query.answer(alert(context, language, "network-note-unknown"), show_alert=True)
            return
        await store.choose_note(me, bool(on))
        key = "network-note-chosen" if on else "network-note-stopped"
        await query.answer(alert(context, language, key), show_alert=True)
        await _edit(query, await page_view(context, me, language, page, clamp=True))
    elif action == "t":
        other, chat, page = args
        tie = await own_tie(context, me, other, chat)
        await query.answer()
        await _edit(query, await tie_view(context, me, language, tie, page))
    elif action == "r":
        other, chat, months = args
        if months not in logic.REMIND_MONTHS:
            raise Refused("not-owner")
        tie = await own_tie(context, me, other, chat)
        days = logic.every_days(months)
        await store.set_reminder(me, other, chat, days, now, logic.due_after(now, days))
        await query.answer(
            alert(context, language, "network-remind-set", months=months), show_alert=True
        )
        await _edit(query, await tie_view(context, me, language, tie, 0))
    elif action == "w":
        other, chat = args
        tie = await own_tie(context, me, other, chat)
        await store.talked(me, other, chat, now)
        reminder = await store.reminder(me, other)
        if reminder is not None:
            due = logic.due_after(now, reminder.every_days)
            await store.move_reminder(me, other, due_at=due, since=now)
        await query.answer(alert(context, language, "network-talked-noted"), show_alert=True)
        tie = await own_tie(context, me, other, chat)
        await _edit(query, await tie_view(context, me, language, tie, 0))
    elif action in ("l", "s"):
        [other] = args
        reminder = await store.reminder(me, other)
        if reminder is None:
            await query.answer(alert(context, language, "network-reminder-gone"), show_alert=True)
            return
        await own_tie(context, me, other, reminder.chat_id)
        if action == "l":
            await store.move_reminder(me, other, due_at=now + logic.LATER)
            key = "network-later-set"
        else:
            await store.stop_reminder(me, other)
            key = "network-stopped"
        await query.answer(alert(context, language, key), show_alert=True)
        try:
            await query.edit_message_reply_markup(None)
        except TelegramError as error:
            log.debug("Could not remove a reminder's buttons: %s", error)
    elif action == "i":
        other, chat = args
        tie = await own_tie(context, me, other, chat)
        await introduce_pick(context, query, me, language, tie)
    elif action == "j":
        other, chat, target = args
        first = await own_tie(context, me, other, chat)
        second = await own_tie(context, me, target, chat)
        await introduce_to(context, update, query, me, language, first, second)
