"""Every introductions button (``in:`` callback data) goes to the handler of its action.

Callback data is a claim anyone can forge (another group's id, another member's
introduction, a huge number, "١٢"): it is parsed strictly here, and each handler asks the
trust policy before acting; a refusal is answered and changes nothing.
"""

from __future__ import annotations

from telegram import Update

from bot.introductions import parse_callback
from bot.numbers import parse_number
from bot.policy import Reason, Refused
from handlers.common import user_language
from handlers.context import ReteContext
from handlers.guards import answer_refusal
from handlers.intros.common import _alert
from handlers.intros.delivery import _answer_button
from handlers.intros.followups import FOLLOW_UP_ANSWERS, _follow_up_button
from handlers.intros.ondemand import _accept_button
from handlers.intros.optin import JOIN_REFUSALS, _confirm_join, _status_button

# What each action's refusals say beyond the generic answers.
_REFUSALS: dict[str, dict[Reason, str]] = {"j": JOIN_REFUSALS}


async def intros_button(update: Update, context: ReteContext) -> None:
    """Every introductions button: join, pause/stop/restart, answers, follow-ups, accept."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    user = query.from_user
    language = user_language(context, user)
    parsed = parse_callback(query.data)
    if parsed is None:
        return
    action, args = parsed
    # Ids: ASCII digits, bounded (bot.numbers); each action takes exactly its arguments.
    first = parse_number(args[0], signed=True) if args else None
    second = args[1] if len(args) == 2 else None
    number = parse_number(second) if second is not None else None
    try:
        if first is None or len(args) > 2:
            await query.answer(_alert(context, language, "intros-button-stale"), show_alert=True)
        elif action == "j" and second is None:
            await _confirm_join(context, update, query, user, language, first)
        elif action == "p" and number is not None:
            await _status_button(context, query, user, language, action, first, number)
        elif action in ("x", "r") and second is None:
            await _status_button(context, query, user, language, action, first, None)
        elif action in ("w", "s", "n") and second is None:
            await _answer_button(context, update, query, user, language, action, first)
        elif action == "f" and second is not None and second in FOLLOW_UP_ANSWERS:
            await _follow_up_button(context, update, query, user, language, first, second)
        elif action == "a" and second is not None and second in ("y", "n"):
            await _accept_button(context, update, query, user, language, first, second == "y")
        else:
            await query.answer(_alert(context, language, "intros-button-stale"), show_alert=True)
    except Refused as refused:
        await answer_refusal(context, update, refused, language, keys=_REFUSALS.get(action))
