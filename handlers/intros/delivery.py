"""The introduction DM: its text, sending it once, re-pairing after a bounce, its answers."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from telegram import CallbackQuery, InlineKeyboardMarkup, User
from telegram.error import TelegramError

from bot.chat_settings import ChatPrefs
from bot.i18n import Html
from bot.introductions import callback, candidate, match_reasons, opening, reason_from_record
from bot.matching import History, Reason, pair_round
from handlers.common import chat_prefs, member_info
from handlers.context import ReteContext
from handlers.delivery import dm
from handlers.intros.common import (
    _alert,
    _button,
    _drop_buttons,
    _language_of,
    _person,
    _plain_name,
    _t,
    _tag_list,
    _title,
)
from storage.intro_records import Intro, NewIntro

log = logging.getLogger(__name__)

# Rounds looked back beyond the repeat window: by then a past pairing weighs almost nothing.
HISTORY_EXTRA_ROUNDS = 8


def _why_lines(context: ReteContext, language: str, partner_name: str, why: Reason) -> list[str]:
    lines = []
    if why.shared:
        lines.append(_t(context, language, "intros-why-shared", tags=_tag_list(why.shared)))
    if why.seeks_from_other:
        lines.append(
            _t(
                context,
                language,
                "intros-why-offers",
                name=partner_name,
                tags=_tag_list(why.seeks_from_other),
            )
        )
    if why.offers_to_other:
        lines.append(
            _t(
                context,
                language,
                "intros-why-seeks",
                name=partner_name,
                tags=_tag_list(why.offers_to_other),
            )
        )
    if not lines:
        lines.append(_t(context, language, "intros-why-none", name=partner_name))
    return lines


async def _intro_text(
    context: ReteContext, intro: Intro, member_id: int, language: str
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The DM that tells ``member_id`` whom they are meeting, why, and how to start."""
    i18n_title = await _title(context, intro.chat_id)
    side = intro.member(member_id)
    assert side is not None
    if intro.status == "unmatched":
        key = {
            "alone": "intros-unmatched-alone",
            "partner-unreachable": "intros-unmatched-unreachable",
        }.get(intro.why or "", "intros-unmatched-none")
        return _t(context, language, key, title=i18n_title), None
    prefs = await chat_prefs(context, intro.chat_id)
    parts: list[str] = []
    if intro.round_id is not None:
        dropped = await context.db.intros.cancelled_for(intro.round_id, member_id)
        if dropped:
            gone = [m.member_id for d in dropped for m in d.members if m.dm_state == "failed"]
            names = [_plain_name(await context.db.members.get(g), g) for g in gone]
            parts.append(_t(context, language, "intros-change-of-plan", names=", ".join(names)))
    people: list[Html] = []
    details: list[str] = []
    first_reason: Reason | None = None
    for other_id in intro.others(member_id):
        other = await context.db.members.get(other_id)
        people.append(_person(other, other_id))
        why = reason_from_record(side.reasons.get(str(other_id)))
        if first_reason is None or (not first_reason and why):
            first_reason = why
        name = _plain_name(other, other_id)
        details.append(
            _t(
                context,
                language,
                "intros-dm-partner",
                person=_person(other, other_id),
                why=Html("\n".join(_why_lines(context, language, name, why))),
            )
        )
    parts.append(
        _t(
            context,
            language,
            "intros-dm-header",
            title=i18n_title,
            people=Html(_t(context, language, "intros-and").join(people)),
        )
    )
    if intro.kind == "manual" and intro.initiator_id is not None:
        admin = await context.db.members.get(intro.initiator_id)
        parts.append(
            _t(
                context,
                language,
                "intros-dm-by-admin",
                name=_plain_name(admin, intro.initiator_id),
                note=intro.note or "—",
            )
        )
    parts.extend(details)
    ask = opening(first_reason or Reason((), (), ()))
    question = _t(context, language, ask.key, tag=ask.tag, title=i18n_title)
    parts.append(_t(context, language, "intros-dm-question", question=question))
    parts.append(_t(context, language, "intros-dm-footer", days=prefs.intros_follow_up_days))
    markup = InlineKeyboardMarkup(
        [
            [
                _button(_t(context, language, "intros-button-write"), callback("w", intro.id)),
                _button(_t(context, language, "intros-button-skip"), callback("s", intro.id)),
            ],
            [_button(_t(context, language, "intros-button-never"), callback("n", intro.id))],
        ]
    )
    return "\n\n".join(parts), markup


async def _deliver_one(context: ReteContext, intro_id: int, member_id: int) -> None:
    """Send one introduction DM at most once; a bounce drops the member from the intro."""
    store = context.db.intros
    intro = await store.intro(intro_id)
    if intro is None or intro.status not in ("active", "unmatched"):
        return
    member = await context.db.members.get(member_id)
    language = _language_of(context, member)
    text, markup = await _intro_text(context, intro, member_id, language)
    if not await store.claim_dm(intro_id, member_id, context.now()):
        return
    try:
        sent = await dm(context, member_id, text, reply_markup=markup)
    except TelegramError:
        # Not a refusal (network, server): leave it pending for the next sweep.
        await store.finish_dm(intro_id, member_id, "pending")
        raise
    if sent is not None:
        await store.finish_dm(intro_id, member_id, "sent")
        return
    log.info("Introduction %s: member %s cannot receive DMs", intro_id, member_id)
    stranded = await store.drop_unreachable(intro_id, member_id, context.now())
    if intro.kind != "round":
        # /meet and /introduce are not re-paired: the others are told.
        for other_id in stranded:
            other = await context.db.members.get(other_id)
            await dm(
                context,
                other_id,
                _t(
                    context,
                    _language_of(context, other),
                    "intros-partner-unreachable",
                    name=_plain_name(member, member_id),
                ),
            )


async def _deliver_round(context: ReteContext, chat_id: int, round_id: int) -> None:
    """Send the round's pending DMs; re-pair members whose partner could not be reached.

    Introductions go first; the "nobody for you this round" DMs last, since a bounce may
    still free a partner for them.
    """
    store = context.db.intros
    while True:
        for intro_id, member_id in await store.pending_dms(round_id=round_id, unmatched=False):
            await _deliver_one(context, intro_id, member_id)
        stranded = await store.stranded(round_id)
        if stranded:
            await _resettle(context, chat_id, round_id, stranded)
            continue
        waiting = await store.pending_dms(round_id=round_id)
        if not waiting:
            return
        for intro_id, member_id in waiting:
            await _deliver_one(context, intro_id, member_id)


async def _resettle(
    context: ReteContext, chat_id: int, round_id: int, stranded: list[tuple[int, int]]
) -> None:
    """Re-pair members left alone by a bounce (with each other, or with members of the
    round who had no partner yet); tell those still without one."""
    store = context.db.intros
    prefs = await chat_prefs(context, chat_id)
    now = context.now()
    members = sorted({member_id for _intro, member_id in stranded})
    waiting = dict(
        (member_id, intro_id) for intro_id, member_id in await store.waiting_unmatched(round_id)
    )
    pool = [
        candidate(m, await store.tags(m), await store.never(m))
        for m in [*members, *sorted(set(waiting) - set(members))]
    ]
    history = await _history(context, chat_id, prefs)
    result = (
        await asyncio.to_thread(pair_round, pool, history, seed=round_id)
        if len(pool) >= 2
        else None
    )
    matches = [m for m in (result.matches if result else []) if set(m.members) & set(members)]
    paired = {m for match in matches for m in match.members}
    await store.add_intros(
        chat_id,
        now,
        [NewIntro(m.members, m.score, match_reasons(m)) for m in matches],
        kind="round",
        round_id=round_id,
        follow_up_at=now + timedelta(days=prefs.intros_follow_up_days),
        unmatched=[(m, "partner-unreachable") for m in members if m not in paired],
        settle={intro_id for intro_id, _member in stranded},
        withdraw=[intro_id for member_id, intro_id in waiting.items() if member_id in paired],
    )


async def _history(context: ReteContext, chat_id: int, prefs: ChatPrefs) -> History:
    store = context.db.intros
    window = prefs.intros_repeat_window
    return History(
        # Older pairings still weigh a little (matching halves the penalty each round).
        rounds_since=await store.rounds_since(chat_id, window + HISTORY_EXTRA_ROUNDS),
        interacted=await store.interacted(chat_id),
        repeat_window=window,
    )


async def _answer_button(
    context: ReteContext,
    query: CallbackQuery,
    user: User,
    language: str,
    action: str,
    intro_id: int,
) -> None:
    store = context.db.intros
    intro = await store.intro(intro_id)
    if intro is None or intro.status != "active" or intro.member(user.id) is None:
        await query.answer(_alert(context, language, "intros-button-stale"), show_alert=True)
        return
    now = context.now()
    if action == "n":
        for other_id in intro.others(user.id):
            await store.add_never(member_info(user), other_id, now)
        await store.answer(intro_id, user.id, "never", now)
        await query.answer(_alert(context, language, "intros-answer-never"), show_alert=True)
        await _drop_buttons(query)
        return
    answer = "write" if action == "w" else "skip"
    await store.answer(intro_id, user.id, answer, now)
    await query.answer(_alert(context, language, f"intros-answer-{answer}"), show_alert=True)
    await _drop_buttons(query)
