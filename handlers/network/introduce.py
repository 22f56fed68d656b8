""" "Introduce to…": a member introduces two of their ties to each other, both accepting first.

The warm path run by the member: the two get the same double opt-in a hand introduction
gets (an Accept / No, thanks DM each; the introduction goes out only when both accepted),
and the member who proposed it is its connector once it happens.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import CallbackQuery, InlineKeyboardMarkup, Update
from telegram.error import TelegramError

from bot import ties as logic
from bot.introductions import candidate, reason_record
from bot.matching import reason
from bot.policy import Refused
from bot.ties import callback
from handlers.common import alert
from handlers.context import ReteContext
from handlers.intros.ondemand import _ask_acceptance
from handlers.network.common import button, label, name_of, t
from storage import Member
from storage.intro_records import NewIntro
from storage.ties import TieRow

log = logging.getLogger(__name__)

# A member proposes at most this many introductions in 24 hours (each DMs two people),
# counted in the database.
PER_DAY = 3
# Ties offered as partners, strongest first.
CHOICES = logic.PAGE_SIZE


async def introduce_pick(
    context: ReteContext, query: CallbackQuery, me: int, language: str, tie: TieRow
) -> None:
    """Offer the member's other ties in the same group as whom to introduce ``tie`` to.

    A hidden member is the member's own tie but is never named to anyone else: they are
    neither introduced nor offered as someone to introduce to.
    """
    people = await context.db.members.get_many([tie.other_id])
    if _hidden(people.get(tie.other_id)):
        await query.answer(alert(context, language, "network-introduce-cannot"), show_alert=True)
        return
    ties = [
        other
        for group in logic.ordered(await context.db.ties.of(me))
        if group.chat_id == tie.chat_id
        for other in group.ties
        if other.other_id != tie.other_id
    ]
    partners = await context.db.members.get_many([o.other_id for o in ties])
    ties = [o for o in ties if not _hidden(partners.get(o.other_id))][:CHOICES]
    if not ties:
        await query.answer(alert(context, language, "network-introduce-none"), show_alert=True)
        return
    await query.answer()
    people = await context.db.members.get_many([tie.other_id, *(o.other_id for o in ties)])
    rows = [
        [
            button(
                context,
                language,
                "network-button-introduce-to",
                callback("j", tie.other_id, tie.chat_id, other.other_id),
                name=label(name_of(people.get(other.other_id), other.other_id)),
            )
        ]
        for other in ties
    ]
    rows.append(
        [
            button(
                context,
                language,
                "network-button-back",
                callback("t", tie.other_id, tie.chat_id, 0),
            )
        ]
    )
    text = t(
        context,
        language,
        "network-introduce-pick",
        name=name_of(people.get(tie.other_id), tie.other_id),
    )
    try:
        await query.edit_message_text(text, reply_markup=InlineKeyboardMarkup(rows))
    except TelegramError as error:  # a message too old to edit: nothing more to do
        log.debug("Could not show the introduction choices: %s", error)


def _hidden(member: Member | None) -> bool:
    return member is None or member.hidden


async def introduce_to(
    context: ReteContext,
    update: Update,
    query: CallbackQuery,
    me: int,
    language: str,
    first: TieRow,
    second: TieRow,
) -> None:
    """Propose an introduction between two of the member's ties; both are asked first."""
    if first.other_id == second.other_id:
        raise Refused("not-owner")
    chat_id = first.chat_id
    policy = context.policy
    # It reaches two people: Telegram confirms all three are still in the group.
    await policy.ensure_member(chat_id, me, verify=True)
    for other in (first.other_id, second.other_id):
        if not await policy.is_member(chat_id, other, verify=True):
            await query.answer(
                alert(context, language, "network-introduce-not-member"), show_alert=True
            )
            return
    intros = context.db.intros
    a_id, b_id = first.other_id, second.other_id
    people = await context.db.members.get_many([a_id, b_id])
    if any(_hidden(people.get(i)) for i in (a_id, b_id)) or await intros.blocked_between(
        a_id, b_id
    ):
        await query.answer(alert(context, language, "network-introduce-cannot"), show_alert=True)
        return
    now = context.now()
    # Checked and written under one lock (any instance): a double press asks them once.
    async with context.db.locks.hold(f"network-introduce:{me}"):
        if await context.db.ties.proposed_before(me, a_id, b_id):
            await query.answer(
                alert(context, language, "network-introduce-already"), show_alert=True
            )
            return
        if await context.db.ties.proposals_since(me, now - timedelta(days=1)) >= PER_DAY:
            await query.answer(
                alert(context, language, "network-introduce-limit", count=PER_DAY),
                show_alert=True,
            )
            return
        a = candidate(a_id, await intros.tags(a_id), ())
        b = candidate(b_id, await intros.tags(b_id), ())
        reasons = {
            a_id: {b_id: reason_record(reason(a, b))},
            b_id: {a_id: reason_record(reason(b, a))},
        }
        [intro_id] = await intros.add_intros(
            chat_id,
            now,
            [NewIntro((a_id, b_id), None, reasons)],
            kind="manual",
            status="pending",
            initiator_id=me,
        )
    asked = [await _ask_acceptance(context, intro_id, member) for member in (a_id, b_id)]
    key = "network-introduce-asked" if all(asked) else "network-introduce-waiting"
    await query.answer(alert(context, language, key), show_alert=True)
