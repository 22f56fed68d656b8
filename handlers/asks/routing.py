"""Routing an ask: to the members whose offers match it best, or through a connector.

Every private message is recorded (``ask_routes``) before it goes out, so a member is
told about an ask once; one that cannot be delivered is forgotten again and does not
count against the member's weekly limit.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from telegram import InlineKeyboardMarkup

from bot.asks import MAX_CONNECTORS, ROUTE_BATCH, WEEK, WarmPath, best_path, rank_helpers
from bot.chat_settings import ChatPrefs
from bot.matching import Holders
from handlers.asks.common import (
    button,
    language_of,
    named,
    post_markup,
    post_text,
    t,
    tag_list,
    title,
)
from handlers.context import ReteContext
from handlers.delivery import dm, post
from storage import Store
from storage.asks import Ask

log = logging.getLogger(__name__)


def route_markup(context: ReteContext, language: str, ask_id: int) -> InlineKeyboardMarkup:
    """The buttons of an ask sent in private: I can help, Not me, No more asks."""
    return InlineKeyboardMarkup(
        [
            [
                button(context, language, "asks-button-help", "h", ask_id),
                button(context, language, "asks-button-not-me", "n", ask_id),
            ],
            [button(context, language, "asks-button-no-more", "s", ask_id)],
        ]
    )


# Telegram's answer to "is this person in this group now?" (the policy's, verified).
StillIn = Callable[[int, int], Awaitable[bool]]


async def go_out(context: ReteContext, ask: Ask, prefs: ChatPrefs) -> tuple[int, bool]:
    """Post an opened ask in its group (unless it is there already) and route it.

    Once both are done the ask is marked routed; if Telegram fails or the process stops
    in between, the sweep calls this again (``resume``): the post is made once its id is
    recorded, and a member already told is never told twice (``add_route``).
    """
    store = context.db.asks
    if ask.post_id is None:
        sent = await post(
            context,
            ask.chat_id,
            await post_text(context, ask),
            reply_markup=post_markup(context, prefs.language, ask),
        )
        await store.set_post(ask.id, sent.message_id if sent is not None else None)
    told, warm = await route(context, ask, prefs)
    await store.set_routed(ask.id, context.now())
    return told, warm


async def route(context: ReteContext, ask: Ask, prefs: ChatPrefs) -> tuple[int, bool]:
    """Tell the best-matching members about the ask; return (how many told, warm path).

    Only members who can be introduced in the group now (opted in, not paused or stopped,
    reachable, seen lately), not hidden, not the asker, nobody on either's never-list,
    nobody who said no more asks or got ``asks_weekly`` asks this week, and only those
    Telegram confirms are still in the group. When nobody there offers the ask's tags,
    a warm path is looked for.
    """
    now = context.now()

    async def still_in(chat_id: int, member_id: int) -> bool:
        return await context.policy.is_member(chat_id, member_id, verify=True)

    told = 0
    ranking = Ranking()
    async for member_id in recipients(context.db, ask, prefs, now, still_in, ranking):
        if await send_route(context, ask, member_id, "routed", now):
            told += 1
        if told >= prefs.asks_routed:
            return told, False
    if ranking.offered:
        return told, False
    path = await warm_path(context.db, ask, ranking.never, now, still_in, prefs.asks_weekly)
    if path is None:
        return told, False
    await context.db.asks.set_warm(ask.id)
    sent = await send_connector(context, ask, path, now)
    return told, sent


@dataclass
class Ranking:
    """What a routing learned on the way: whether anyone offers a tag, the never-lists."""

    offered: bool = False
    never: set[int] = field(default_factory=set)


async def recipients(
    store: Store, ask: Ask, prefs: ChatPrefs, now: datetime, still_in: StillIn, ranking: Ranking
) -> AsyncIterator[int]:
    """Yield the members an ask may go to in private, best match first.

    The ranking runs in a worker thread (numpy over the holders of the ask's tags); the
    exclusions are read in batches of ROUTE_BATCH, and Telegram is asked only about those
    who pass them, one at a time, as the caller takes them.
    """
    found = await store.intros.candidate_holders(ask.chat_id, now, list(ask.tags))
    holders = Holders.of(found.tags, found.rows)
    ranking.never = {
        *await store.intros.never(ask.asker_id),
        *await store.intros.avoided_by(ask.asker_id),
    }
    ranked = await asyncio.to_thread(
        rank_helpers, ask.tags, holders, {ask.asker_id, *ranking.never}
    )
    ranking.offered = any(r.offers for r in ranked)
    for start in range(0, len(ranked), ROUTE_BATCH):
        batch = ranked[start : start + ROUTE_BATCH]
        blocked = await store.asks.unroutable(
            [r.member_id for r in batch], now - WEEK, prefs.asks_weekly
        )
        for ranked_member in batch:
            if ranked_member.member_id in blocked:
                continue
            if await still_in(ask.chat_id, ranked_member.member_id):
                yield ranked_member.member_id


async def send_route(
    context: ReteContext,
    ask: Ask,
    member_id: int,
    role: str,
    now: datetime,
    via_id: int | None = None,
) -> bool:
    """Record and send the ask to one member; False if it went to them before or failed."""
    store = context.db
    if not await store.asks.add_route(ask.id, member_id, role, now, via_id):
        return False
    member = await store.members.get(member_id)
    language = language_of(context, member)
    asker = await store.members.get(ask.asker_id)
    args = {
        "name": named(context, language, asker),
        "title": await title(context, ask.chat_id),
        "text": ask.text,
        "tags": tag_list(ask.tags),
    }
    if via_id is not None:
        connector = await store.members.get(via_id)
        text = t(
            context,
            language,
            "asks-introduced",
            connector=named(context, language, connector),
            **args,
        )
    else:
        text = t(context, language, "asks-routed", **args)
    return await _deliver(context, ask, member_id, text, route_markup(context, language, ask.id))


async def _deliver(
    context: ReteContext, ask: Ask, member_id: int, text: str, markup: InlineKeyboardMarkup
) -> bool:
    """Send a recorded route's message; if it does not go out, the record goes too.

    Telegram's refusal (403) and its failure alike (a 5xx, the network): a member who was
    not told is told when the routing is finished again (the sweep), and not counted.
    """
    try:
        sent = await dm(context, member_id, text, reply_markup=markup)
    except Exception:
        await context.db.asks.drop_route(ask.id, member_id)
        raise
    if sent is None:
        await context.db.asks.drop_route(ask.id, member_id)
        return False
    return True


async def warm_path(
    store: Store,
    ask: Ask,
    never: set[int],
    now: datetime,
    still_in: StillIn,
    weekly: int = 10**6,
) -> WarmPath | None:
    """Find a connector in the group tied to the asker and to someone offering a tag.

    At most two hops from the asker: asker — connector — helper. The connector must be in
    the group now (Telegram says); both must be open to asks and under the ``weekly``
    limit of ask DMs (each will get one), the helper reachable and not hidden.
    """
    asks = store.asks
    found = [
        c
        for c in await asks.connectors(ask.chat_id, ask.asker_id, MAX_CONNECTORS)
        if c not in never and c != ask.asker_id
    ]
    away = await asks.unroutable(found, now - WEEK, weekly)
    connectors = [c for c in found if c not in away]
    offers: dict[int, dict[int, list[str]]] = {}
    for connector in connectors:
        tied = (await asks.tied_to(connector)) - {ask.asker_id} - never
        offering = await asks.offering(connector, tied, ask.tags)
        if offering:
            offers[connector] = offering
    while offers:
        path = best_path(connectors, offers, {ask.asker_id})
        if path is None:
            return None
        blocked = await asks.unroutable([path.helper_id], now - WEEK, weekly)
        if not blocked and await still_in(ask.chat_id, path.connector_id):
            return path
        offers[path.connector_id].pop(path.helper_id, None)
        if not offers[path.connector_id]:
            offers.pop(path.connector_id)
    return None


async def send_connector(context: ReteContext, ask: Ask, path: WarmPath, now: datetime) -> bool:
    """Ask the connector privately whether they will introduce the helper to the asker."""
    store = context.db
    if not await store.asks.add_route(ask.id, path.connector_id, "connector", now, path.helper_id):
        return False
    connector = await store.members.get(path.connector_id)
    language = language_of(context, connector)
    asker = await store.members.get(ask.asker_id)
    helper = await store.members.get(path.helper_id)
    text = t(
        context,
        language,
        "asks-connector",
        name=named(context, language, asker),
        helper=named(context, language, helper),
        title=await title(context, ask.chat_id),
        text=ask.text,
        tags=tag_list(list(path.tags)),
    )
    markup = InlineKeyboardMarkup(
        [
            [
                button(context, language, "asks-button-introduce", "w", ask.id, path.helper_id, 1),
                button(context, language, "asks-button-not-now", "w", ask.id, path.helper_id, 0),
            ],
            [button(context, language, "asks-button-never-connector", "v", ask.id)],
        ]
    )
    return await _deliver(context, ask, path.connector_id, text, markup)
