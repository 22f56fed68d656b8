"""Double opt-in: "I can help", the helper's note, the asker's Connect / No thanks.

Nobody's contact goes out before both said yes: the asker sees the helper's name (as a
stranger may see it) and note; only on Connect do both get each other's name and
@username, as with /introduce.
"""

from __future__ import annotations

from telegram import CallbackQuery, InlineKeyboardMarkup, Update, User

from bot.policy import Actor, Refused
from handlers.asks.common import button, contact, edit, language_of, named, stale, t
from handlers.common import alert, member_info
from handlers.context import ReteContext
from handlers.delivery import dm
from storage.asks import Ask


async def help_button(
    context: ReteContext, update: Update, query: CallbackQuery, user: User, language: str, ask: Ask
) -> None:
    """I can help (on the group post or in private): record it, then ask for a note."""
    store = context.db
    if user.id == ask.asker_id:
        await stale(context, query, language, "asks-own-ask")
        return
    route = await store.asks.route(ask.id, user.id)
    connector_id = route.via_id if route is not None and route.role == "introduced" else None
    if connector_id is None:
        # Offering help reaches the asker: Telegram confirms the helper is in the group.
        await context.policy.ensure_member(ask.chat_id, user.id, verify=True)
    elif not await context.policy.is_member(
        await store.asks.shared_group(user.id, connector_id, ask.chat_id) or ask.chat_id,
        user.id,
        verify=True,
    ):
        raise Refused("not-member")
    if route is not None and route.role == "connector":
        await stale(context, query, language, "asks-button-stale")
        return
    # Either one's never-list holds here as in routing: the offer would reach the asker.
    if user.id in await store.intros.never(ask.asker_id) or user.id in (
        await store.intros.avoided_by(ask.asker_id)
    ):
        await stale(context, query, language, "asks-button-stale")
        return
    member = await store.members.get(user.id)
    if member is None or not member.dm_reachable:
        await stale(context, query, language, "asks-start-first-help")
        return
    if not await store.asks.offer(ask.id, member_info(user), context.now(), connector_id):
        await stale(context, query, language, "asks-already-offered")
        return
    if route is not None:
        await store.asks.answer_route(ask.id, user.id, "help", context.now())
    asker = await store.members.get(ask.asker_id)
    dm_language = language_of(context, member)
    markup = InlineKeyboardMarkup(
        [[button(context, dm_language, "asks-button-skip-note", "k", ask.id)]]
    )
    sent = await dm(
        context,
        user.id,
        t(
            context,
            dm_language,
            "asks-note-ask",
            name=named(context, dm_language, asker),
            text=ask.text,
        ),
        reply_markup=markup,
    )
    await query.answer(
        alert(context, language, "asks-offer-noted" if sent else "asks-start-first-help")
    )
    if sent is None:
        # No private chat after all (blocked): the offer cannot be completed, so it goes.
        await store.asks.withdraw(ask.id, user.id)
    elif route is not None and query.message is not None and query.message.chat.type == "private":
        await edit(query, t(context, dm_language, "asks-helping"))


async def skip_note(
    context: ReteContext, query: CallbackQuery, user: User, language: str, ask: Ask
) -> None:
    """Skip the note: the offer goes to the asker as it is."""
    offer = await context.db.asks.get_offer(ask.id, user.id)
    context.policy.ensure_owner(offer.helper_id if offer is not None else None, _actor(user))
    if not await context.db.asks.set_note(ask.id, user.id, None):
        await stale(context, query, language, "asks-button-stale")
        return
    await query.answer()
    await edit(query, t(context, language, "asks-note-sent"))
    await pass_on(context, ask.id, user.id)


def _actor(user: User) -> Actor:
    return Actor(user.id, None, is_bot=user.is_bot)


async def pass_on(context: ReteContext, ask_id: int, helper_id: int) -> bool:
    """Send the asker the helper's offer with Connect / No thanks; False if not delivered."""
    store = context.db
    ask = await store.asks.get(ask_id)
    offer = await store.asks.get_offer(ask_id, helper_id)
    if ask is None or offer is None or offer.state != "offered" or not ask.is_open:
        return False
    asker = await store.members.get(ask.asker_id)
    helper = await store.members.get(helper_id)
    language = language_of(context, asker)
    key = "asks-offer-via" if offer.connector_id is not None else "asks-offer"
    connector = await store.members.get(offer.connector_id) if offer.connector_id else None
    text = t(
        context,
        language,
        key,
        helper=named(context, language, helper),
        connector=named(context, language, connector),
        text=ask.text,
        note=offer.note or "—",
    )
    markup = InlineKeyboardMarkup(
        [
            [
                button(context, language, "asks-button-connect", "y", ask.id, helper_id),
                button(context, language, "asks-button-no-thanks", "x", ask.id, helper_id),
            ],
            [button(context, language, "asks-button-solved", "d", ask.id)],
        ]
    )
    return await dm(context, ask.asker_id, text, reply_markup=markup) is not None


async def decide_button(
    context: ReteContext,
    query: CallbackQuery,
    user: User,
    language: str,
    ask: Ask,
    helper_id: int,
    connect: bool,
) -> None:
    """Connect / No thanks, pressed by the asker: on Connect both get each other's contact."""
    store = context.db
    context.policy.ensure_owner(ask.asker_id, _actor(user))
    offer = await store.asks.get_offer(ask.id, helper_id)
    helper = await store.members.get(helper_id)
    if offer is None or helper is None:
        await stale(context, query, language, "asks-helper-gone")
        return
    if connect:
        await context.policy.ensure_member(ask.chat_id, user.id, verify=True)
        # A helper reached in the group must still be in it (one introduced by a connector
        # was checked against the group they share).
        if offer.connector_id is None and not await context.policy.is_member(
            ask.chat_id, helper_id, verify=True
        ):
            await stale(context, query, language, "asks-helper-left")
            return
    decided = await store.asks.decide(ask, helper_id, connect, context.now())
    if decided is None:
        await stale(context, query, language, "asks-button-stale")
        return
    await query.answer()
    asker = await store.members.get(ask.asker_id)
    helper_language = language_of(context, helper)
    if not connect:
        await edit(query, t(context, language, "asks-declined"))
        await dm(
            context, helper_id, t(context, helper_language, "asks-declined-helper", text=ask.text)
        )
        return
    connector = await store.members.get(decided.connector_id) if decided.connector_id else None
    via = {"connector": named(context, language, connector)} if connector else {}
    key = "asks-connected-via" if connector else "asks-connected"
    await edit(
        query,
        t(
            context,
            language,
            key,
            person=contact(helper, helper_id),
            text=ask.text,
            note=decided.note or "—",
            connector=via.get("connector", ""),
        ),
        InlineKeyboardMarkup([[button(context, language, "asks-button-solved", "d", ask.id)]]),
    )
    await dm(
        context,
        helper_id,
        t(
            context,
            helper_language,
            "asks-connected-helper-via" if connector else "asks-connected-helper",
            person=contact(asker, ask.asker_id),
            text=ask.text,
            connector=named(context, helper_language, connector) if connector else "",
        ),
    )
    if connector is not None:
        connector_language = language_of(context, connector)
        await dm(
            context,
            connector.id,
            t(
                context,
                connector_language,
                "asks-connected-connector",
                asker=named(context, connector_language, asker),
                helper=named(context, connector_language, helper),
            ),
        )
