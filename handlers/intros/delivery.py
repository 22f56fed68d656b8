"""The introduction DM: its text, how rounds reach people (the Messenger), its answers."""

from __future__ import annotations

import functools

from telegram import CallbackQuery, InlineKeyboardMarkup, Update, User

from bot.i18n import Html
from bot.intro_rounds import IntroRounds
from bot.introductions import callback, opening, reason_from_record
from bot.matching import Reason
from handlers.common import chat_prefs, member_info
from handlers.context import ReteContext
from handlers.delivery import dm
from handlers.intros.common import (
    _alert,
    _button,
    _drop_buttons,
    _language_of,
    _lock,
    _named,
    _own_intro,
    _plain_name,
    _t,
    _tag_list,
    _title,
    person,
)
from handlers.intros.followups import _send_follow_up
from storage.intro_records import Intro


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
    partners = intro.partners(member_id)
    for other_id in partners:
        other = await context.db.members.get(other_id)
        people.append(person(other, other_id))
        why = reason_from_record(side.reasons.get(str(other_id)))
        if first_reason is None or (not first_reason and why):
            first_reason = why
        why_text = "\n".join(_why_lines(context, language, _plain_name(other, other_id), why))
        if len(partners) == 1:
            # The header has just named them: their reasons follow without naming them again.
            details.append(why_text)
            continue
        details.append(
            _t(
                context,
                language,
                "intros-dm-partner",
                person=person(other, other_id),
                why=Html(why_text),
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


class TelegramMessenger:
    """How introduction rounds reach people here: catalog texts in their language, by DM."""

    def __init__(self, context: ReteContext) -> None:
        self.context = context

    async def send_intro(self, intro: Intro, member_id: int) -> bool:
        """DM ``member_id`` their introduction; False if they cannot receive DMs."""
        context = self.context
        member = await context.db.members.get(member_id)
        language = _language_of(context, member)
        text, markup = await _intro_text(context, intro, member_id, language)
        return await dm(context, member_id, text, reply_markup=markup) is not None

    async def send_follow_up(self, intro: Intro, member_id: int) -> bool:
        """Ask ``member_id`` "did you meet?"; False if they cannot receive DMs."""
        return await _send_follow_up(self.context, intro, member_id)

    async def tell_paused(self, chat_id: int, member_id: int) -> bool:
        """Tell a member their introductions in the group are paused after silent rounds."""
        context = self.context
        title = await _title(context, chat_id)
        member = await context.db.members.get(member_id)
        text = _t(context, _language_of(context, member), "intros-silent-paused", title=title)
        return await dm(context, member_id, text) is not None

    async def tell_partner_unreachable(self, member_id: int, partner_id: int) -> bool:
        """Tell a member that Rete cannot write to ``partner_id``, so the introduction is off."""
        context = self.context
        other = await context.db.members.get(member_id)
        partner = await context.db.members.get(partner_id)
        language = _language_of(context, other)
        # They may not have been told of the partner yet (/meet tells the partner first).
        text = _t(
            context,
            language,
            "intros-partner-unreachable",
            name=_named(context, language, partner),
        )
        return await dm(context, member_id, text) is not None


def _rounds(context: ReteContext) -> IntroRounds:
    """The core's rounds over this application's database, clock and DMs."""
    return IntroRounds(
        intros=context.db.intros,
        messenger=TelegramMessenger(context),
        prefs=functools.partial(chat_prefs, context),
        now=context.now,
        lock=functools.partial(_lock, context),
        # Being introduced reaches the partner: Telegram confirms each member before their
        # introduction goes out (one getChatMember per member, cached), so someone who left
        # without Rete seeing it is neither introduced nor named.
        is_member=functools.partial(context.policy.is_member, verify=True),
    )


async def _answer_button(
    context: ReteContext,
    update: Update,
    query: CallbackQuery,
    user: User,
    language: str,
    action: str,
    intro_id: int,
) -> None:
    store = context.db.intros
    intro = await _own_intro(context, update, query, language, intro_id)
    if intro is None:
        return
    if intro.status != "active":
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
