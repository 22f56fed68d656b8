"""Posting prompts driven without Telegram: a real database, the catalog, a fake board."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.chat_settings import ChatPrefs
from bot.clock import ManualClock
from bot.i18n import Catalog
from bot.prompt_posting import PostedMessage, PromptPoster
from storage import ChatInfo, SqlStore, open_store

GROUP = ChatInfo(-100, "supergroup", "Makers")
# Thursday 10 December 2026, 10:00 in Rome: a default prompts slot, outside quiet hours.
SLOT = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)
PREFS = ChatPrefs(language="en", timezone="Europe/Rome", topic_id=None, prompts=True)


@dataclass
class FakeBoard:
    """Records posts and pins; ``closed`` groups refuse posts, ``pins`` says if pins work."""

    posts: list[tuple[int, str, int | None]] = field(default_factory=list)
    pins: list[tuple[int, int, int | None]] = field(default_factory=list)
    told: list[tuple[int, str]] = field(default_factory=list)
    closed: bool = False
    can_pin: bool = True

    async def post(self, chat_id: int, text: str, thread_id: int | None) -> PostedMessage | None:
        if self.closed:
            return None
        self.posts.append((chat_id, text, thread_id))
        return PostedMessage(chat_id, 1000 + len(self.posts))

    async def pin(self, chat_id: int, message_id: int, previous: int | None) -> bool:
        self.pins.append((chat_id, message_id, previous))
        return self.can_pin

    async def tell_admins_rights_lost(self, chat_id: int, title: str) -> int:
        self.told.append((chat_id, title))
        return 1


@dataclass
class World:
    store: SqlStore
    clock: ManualClock
    board: FakeBoard
    poster: PromptPoster
    prefs: dict[int, ChatPrefs]


@pytest.fixture
async def world(database):
    clock = ManualClock(SLOT - timedelta(days=1))
    store = await open_store(database, clock=clock.now)
    await store.chats.seen(GROUP)
    clock.set(SLOT)
    prefs = {GROUP.id: PREFS}

    async def lookup(chat_id: int) -> ChatPrefs:
        return prefs[chat_id]

    board = FakeBoard()
    poster = PromptPoster(store.chats, store.prompts, Catalog(), board, lookup, clock.now)
    yield World(store, clock, board, poster, prefs)
    await store.close()


async def test_a_slot_posts_the_next_prompt_once_and_records_it(world):
    assert await world.poster.run_slot(GROUP.id, SLOT) is None
    [(chat_id, text, thread)] = world.board.posts
    assert (chat_id, thread) == (GROUP.id, None)
    assert text.startswith("💬")
    assert await world.store.prompts.posted_since(GROUP.id, SLOT)
    world.clock.advance(timedelta(minutes=1))
    await world.poster.run_slot(GROUP.id, SLOT)
    assert len(world.board.posts) == 1, "one prompt per slot"
    assert world.board.pins == [], "pinning is off by default"


async def test_pins_replace_the_previous_pin_and_a_refused_pin_is_remembered(world):
    world.prefs[GROUP.id] = replace(PREFS, prompt_pin=True)
    await world.poster.post_prompt(GROUP.id, slot=None, at=SLOT)
    await world.poster.post_prompt(GROUP.id, slot=None, at=SLOT)
    assert world.board.pins == [(GROUP.id, 1001, None), (GROUP.id, 1002, 1001)]
    assert not await world.store.prompts.last_pin_failed(GROUP.id)
    world.board.can_pin = False
    await world.poster.post_prompt(GROUP.id, slot=None, at=SLOT)
    assert await world.store.prompts.last_pin_failed(GROUP.id)


async def test_a_group_that_refuses_posts_gets_prompts_off_and_admins_told(world):
    world.board.closed = True
    posted = await world.poster.post_prompt(GROUP.id, slot=None, at=SLOT)
    assert posted.message is None
    assert not posted.empty_deck
    assert world.board.told == [(GROUP.id, "Makers")]
    assert (await world.store.chats.get(GROUP.id)).settings["prompts"] is False
