"""Every ask button (``ak:`` callback data) goes to the handler of its action.

Callback data is a claim anyone can forge: it is parsed strictly (``bot.asks``), and
each action checks with the trust policy that the presser is the one the button is for
(the asker, the member it was sent to, the connector) and, where it reaches others, a
current member of the group. A refusal is answered and changes nothing.
"""

from __future__ import annotations

from telegram import CallbackQuery, Update, User

from bot.asks import WEEK, parse_callback
from bot.policy import Actor, Reason, Refused
from handlers.asks.closing import expired_button, solved_button
from handlers.asks.command import choices, choose_group, draft_markup, draft_text
from handlers.asks.common import edit, stale, t
from handlers.asks.offers import decide_button, help_button, skip_note
from handlers.asks.routing import go_out, send_route
from handlers.common import chat_prefs, member_info, user_language
from handlers.context import ReteContext
from handlers.guards import answer_refusal
from storage.asks import Ask

_REFUSALS: dict[Reason, str] = {"not-owner": "asks-not-yours", "not-member": "asks-not-member"}


def _actor(user: User) -> Actor:
    return Actor(user.id, None, is_bot=user.is_bot)


async def asks_button(update: Update, context: ReteContext) -> None:
    """Every ask button: draft, post, help, not me, no more, note, connect, solved, expiry."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    user = query.from_user
    language = user_language(context, user)
    tap = parse_callback(query.data)
    if tap is None:
        await stale(context, query, language, "asks-button-stale")
        return
    try:
        if tap.action in ("o", "q"):
            await _choice_button(context, query, user, language, tap.action, tap.extra[0])
            return
        ask = await context.db.asks.get(tap.ask_id)
        if ask is None:
            await stale(context, query, language, "asks-button-stale")
            return
        if tap.action == "g":
            context.policy.ensure_owner(ask.asker_id, _actor(user))
            await choose_group(context, query, user, language, ask, -tap.extra[0])
        elif tap.action in ("t", "p", "c"):
            await _draft_button(context, query, user, ask, tap.action, tap.extra)
        elif tap.action == "e" and tap.extra[0] in (0, 1):
            await expired_button(context, query, user, language, ask, tap.extra[0] == 1)
        elif tap.action in ("s", "v"):
            # The member's own choice about all asks holds whatever became of this one.
            await _route_answer(context, query, user, language, ask, tap.action)
        elif not ask.is_open:
            await stale(context, query, language, "asks-closed")
        elif tap.action == "h":
            await help_button(context, update, query, user, language, ask)
        elif tap.action == "n":
            await _route_answer(context, query, user, language, ask, tap.action)
        elif tap.action == "k":
            await skip_note(context, query, user, language, ask)
        elif tap.action in ("y", "x"):
            await decide_button(
                context, query, user, language, ask, tap.extra[0], tap.action == "y"
            )
        elif tap.action == "d":
            await solved_button(context, query, user, language, ask)
        elif tap.action == "w" and tap.extra[1] in (0, 1):
            await _connector_button(
                context, query, user, language, ask, tap.extra[0], tap.extra[1] == 1
            )
        else:
            await stale(context, query, language, "asks-button-stale")
    except Refused as refused:
        await answer_refusal(context, update, refused, language, keys=_REFUSALS)


async def _draft_button(
    context: ReteContext,
    query: CallbackQuery,
    user: User,
    ask: Ask,
    action: str,
    extra: tuple[int, ...],
) -> None:
    """The draft's buttons, for its author only: toggle a tag, post it, cancel it."""
    prefs = await chat_prefs(context, ask.chat_id)
    # A draft made in private reads in its author's language; in a group, in the group's.
    private = query.message is not None and query.message.chat.type == "private"
    language = user_language(context, user) if private else prefs.language
    context.policy.ensure_owner(ask.asker_id, _actor(user))
    store = context.db.asks
    if ask.status != "draft":
        await stale(context, query, language, "asks-button-stale")
        return
    if action == "c":
        await store.cancel(ask.id, context.now())
        await query.answer()
        await edit(query, t(context, language, "asks-cancelled"))
        return
    if action == "t":
        if extra[0] >= len(ask.suggested):
            await stale(context, query, language, "asks-button-stale")
            return
        tag = ask.suggested[extra[0]]
        chosen = [s for s in ask.suggested if (s in ask.tags) != (s == tag)]
        await store.set_tags(ask.id, chosen)
        await query.answer()
        changed = await store.get(ask.id)
        if changed is not None:
            await edit(
                query,
                draft_text(context, language, changed),
                draft_markup(context, language, changed),
            )
        return
    # Post: reaches the group and the members it is routed to.
    await context.policy.ensure_member(ask.chat_id, user.id, verify=True)
    if not prefs.asks:
        await stale(context, query, language, "asks-off")
        return
    if not ask.tags:
        await stale(context, query, language, "asks-choose-a-tag")
        return
    if await store.open_count(ask.chat_id, ask.asker_id) >= prefs.asks_open:
        await stale(context, query, language, "asks-limit-alert")
        return
    now = context.now()
    if not await store.publish(ask.id, now, now + prefs.asks_expiry_days * (WEEK / 7)):
        await stale(context, query, language, "asks-button-stale")
        return
    await query.answer()
    opened = await store.get(ask.id)
    assert opened is not None
    told, warm = await go_out(context, opened, prefs)
    key = "asks-posted-warm" if warm else "asks-posted"
    days = t(context, language, "asks-open-for", days=prefs.asks_expiry_days)
    await edit(query, f"{t(context, language, key, count=told)} {days}")


async def _route_answer(
    context: ReteContext, query: CallbackQuery, user: User, language: str, ask: Ask, action: str
) -> None:
    """Not me, No more asks, Never a connector: only the member the ask was sent to."""
    store = context.db.asks
    sent = await store.route(ask.id, user.id)
    context.policy.ensure_owner(sent.member_id if sent is not None else None, _actor(user))
    now = context.now()
    answer = {"n": "no", "s": "stop", "v": "never"}[action]
    if not await store.answer_route(ask.id, user.id, answer, now) and action == "n":
        await stale(context, query, language, "asks-button-stale")
        return
    if action == "s":
        await store.set_prefs(member_info(user), now, no_asks=True)
    if action == "v":
        await store.set_prefs(member_info(user), now, no_connector=True)
    await query.answer()
    await edit(
        query,
        t(
            context,
            language,
            {"n": "asks-not-me-done", "s": "asks-stopped", "v": "asks-never-connector"}[action],
        ),
    )


async def _connector_button(
    context: ReteContext,
    query: CallbackQuery,
    user: User,
    language: str,
    ask: Ask,
    helper_id: int,
    agree: bool,
) -> None:
    """The connector's answer: only if they agree is the one they know asked."""
    store = context.db.asks
    sent = await store.route(ask.id, user.id)
    owner = (
        sent.member_id
        if sent is not None and sent.role == "connector" and sent.via_id == helper_id
        else None
    )
    context.policy.ensure_owner(owner, _actor(user))
    # The connector vouches in this group's name: they must still be in it (Telegram says).
    await context.policy.ensure_member(ask.chat_id, user.id, verify=True)
    now = context.now()
    if not await store.answer_route(ask.id, user.id, "yes" if agree else "no", now):
        await stale(context, query, language, "asks-button-stale")
        return
    await query.answer()
    if not agree:
        await edit(query, t(context, language, "asks-connector-declined"))
        return
    # What the helper chose since the path was found holds (no more asks, the week's limit).
    weekly = (await chat_prefs(context, ask.chat_id)).asks_weekly
    if await store.unroutable([helper_id], now - WEEK, weekly):
        delivered = False
    else:
        delivered = await send_route(context, ask, helper_id, "introduced", now, via_id=user.id)
    await edit(
        query,
        t(
            context,
            language,
            "asks-connector-agreed" if delivered else "asks-connector-unreachable",
        ),
    )


async def _choice_button(
    context: ReteContext, query: CallbackQuery, user: User, language: str, action: str, value: int
) -> None:
    """The member's own choices (no asks, never a connector), from /asks in private."""
    if value not in (0, 1):
        await stale(context, query, language, "asks-button-stale")
        return
    if action == "o":
        await context.db.asks.set_prefs(member_info(user), context.now(), no_asks=bool(value))
    else:
        await context.db.asks.set_prefs(member_info(user), context.now(), no_connector=bool(value))
    await query.answer()
    text, markup = await choices(context, user.id, language)
    await edit(query, text, markup)
