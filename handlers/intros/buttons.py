"""Every introductions button (``in:`` callback data) goes to the handler of its action."""

from __future__ import annotations

from telegram import Update

from bot.introductions import parse_callback
from bot.numbers import parse_number
from handlers.common import user_language
from handlers.context import ReteContext
from handlers.intros.common import _alert
from handlers.intros.delivery import _answer_button
from handlers.intros.followups import _follow_up_button
from handlers.intros.ondemand import _accept_button
from handlers.intros.optin import _confirm_join, _status_button


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
    numbers = [n for a in args if (n := parse_number(a, signed=True)) is not None]
    if action == "j" and numbers:
        await _confirm_join(context, query, user, language, numbers[0])
    elif action in ("p", "x", "r") and numbers:
        await _status_button(context, query, user, language, action, numbers)
    elif action in ("w", "s", "n") and numbers:
        await _answer_button(context, query, user, language, action, numbers[0])
    elif action == "f" and len(args) == 2 and numbers:
        await _follow_up_button(context, query, user, language, numbers[0], args[1])
    elif action == "a" and len(args) == 2 and numbers:
        await _accept_button(context, query, user, language, numbers[0], args[1] == "y")
    else:
        await query.answer(_alert(context, language, "intros-button-stale"), show_alert=True)
