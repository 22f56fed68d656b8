"""Follow-ups: "did you meet?" a week after an introduction, and its answers."""

from __future__ import annotations

from datetime import datetime, timedelta

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update, User

from bot.i18n import Html
from bot.introductions import callback
from handlers.common import chat_prefs
from handlers.context import ReteContext
from handlers.delivery import dm
from handlers.intros.common import (
    _alert,
    _button,
    _edit,
    _language_of,
    _own_intro,
    _plain_name,
    _t,
    _title,
)
from storage.intro_records import Intro

# The answers to "did you meet?" as their buttons carry them.
FOLLOW_UP_ANSWERS = {"y": "yes", "l": "notyet", "n": "no"}


# The button label of each answer, repeated in the message once it is given.
ANSWER_LABELS = {
    "yes": "intros-button-met-yes",
    "notyet": "intros-button-met-notyet",
    "no": "intros-button-met-no",
}


async def _question(context: ReteContext, intro: Intro, member_id: int, language: str) -> str:
    """The "did you meet?" text for one member of ``intro``."""
    names = [_plain_name(await context.db.members.get(o), o) for o in intro.others(member_id)]
    days = max(1, (context.now() - intro.created_at).days)
    return _t(
        context,
        language,
        "intros-follow-up",
        names=_t(context, language, "intros-and").join(names),
        title=await _title(context, intro.chat_id),
        days=days,
    )


async def _send_follow_up(context: ReteContext, intro: Intro, member_id: int) -> bool:
    """DM a member "did you meet?" with the three answers; False if they cannot be reached."""
    intro_id = intro.id
    member = await context.db.members.get(member_id)
    language = _language_of(context, member)
    text = await _question(context, intro, member_id, language)
    markup = InlineKeyboardMarkup(
        [
            [
                _button(
                    _t(context, language, "intros-button-met-yes"), callback("f", intro_id, "y")
                ),
                _button(
                    _t(context, language, "intros-button-met-notyet"), callback("f", intro_id, "l")
                ),
                _button(
                    _t(context, language, "intros-button-met-no"), callback("f", intro_id, "n")
                ),
            ]
        ]
    )
    return await dm(context, member_id, text, reply_markup=markup) is not None


async def _follow_up_button(
    context: ReteContext,
    update: Update,
    query: CallbackQuery,
    user: User,
    language: str,
    intro_id: int,
    value: str,
) -> None:
    outcome = FOLLOW_UP_ANSWERS[value]
    store = context.db.intros
    intro = await _own_intro(context, update, query, language, intro_id)
    if intro is None:
        return
    if not await store.set_outcome(
        intro_id,
        user.id,
        outcome,
        context.now(),
        ask_again_at=await _again(context, intro, outcome),
    ):
        await query.answer(_alert(context, language, "intros-button-stale"), show_alert=True)
        return
    await query.answer()
    # The question stays, with the answer given under it: a trace that outlasts the buttons.
    shown = query.message
    if isinstance(shown, Message) and shown.text:
        question = shown.text_html
    else:
        question = await _question(context, intro, user.id, language)
    answer = _t(
        context,
        language,
        "intros-follow-up-answer",
        answer=Html(_t(context, language, ANSWER_LABELS[outcome])),
    )
    thanks = _t(context, language, f"intros-outcome-{outcome}")
    await _edit(query, f"{question}\n\n{answer}\n{thanks}")


async def _again(
    context: ReteContext, intro: Intro | None, outcome: str | None
) -> datetime | None:
    """When to ask "did you meet?" once more after a "not yet" (None: not again)."""
    if intro is None or outcome != "notyet":
        return None
    prefs = await chat_prefs(context, intro.chat_id)
    return context.now() + timedelta(days=prefs.intros_follow_up_days)
