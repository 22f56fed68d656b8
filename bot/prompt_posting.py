"""Posting engagement prompts: what a slot does, and what one post records.

A slot holds while the group is busy, is skipped in quiet hours or once a prompt went out
since, else posts the next prompt of the deck (``bot.prompts`` decides all of that); a
post is recorded with its message id and pinned if the group asked. A group where Rete
may no longer write gets prompts switched off and its admins told. Nothing here knows
Telegram: the group is reached through a :class:`Board` (the handlers implement it with
PTB, tests with a fake), the time is ``now()``, settings come from ``prefs(chat_id)``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.chat_settings import ChatPrefs
from bot.i18n import Catalog
from bot.prompts import (
    BUSY_WINDOW,
    builtin_catalog_id,
    builtin_keys,
    builtin_number,
    custom_key,
    decide,
    next_prompt,
)
from bot.schedule import slot_key
from storage.interface import ChatRepository, PromptRepository

log = logging.getLogger(__name__)

# Chat setting: built-in prompts the admins removed from this group's deck.
RETIRED = "promptretired"


@dataclass(frozen=True)
class PostedMessage:
    """A message Rete posted: where it ended up (a migrated group has a new id) and its id."""

    chat_id: int
    message_id: int


@dataclass(frozen=True)
class Posted:
    """What posting a prompt did: the message, or why there is none."""

    message: PostedMessage | None
    empty_deck: bool = False


class Board(Protocol):
    """How prompts reach a group."""

    async def post(self, chat_id: int, text: str, thread_id: int | None) -> PostedMessage | None:
        """Post ``text``; None if Rete may no longer write there (removed, rights taken)."""
        ...

    async def pin(self, chat_id: int, message_id: int, previous: int | None) -> bool:
        """Pin the message (unpinning ``previous``); False if Telegram refused the pin."""
        ...

    async def tell_admins_rights_lost(self, chat_id: int, title: str) -> int:
        """Tell the group's admins in private that prompts stopped; return how many were told."""
        ...


@dataclass
class PromptPoster:
    """Posts a group's prompts: the deck and the record in the store, the group via ``board``."""

    chats: ChatRepository
    prompts: PromptRepository
    i18n: Catalog
    board: Board
    prefs: Callable[[int], Awaitable[ChatPrefs]]
    now: Callable[[], datetime]

    async def run_slot(self, chat_id: int, slot: datetime) -> datetime | None:
        """The scheduled run: post the next prompt, hold while busy, skip in quiet hours."""
        moment = self.now()
        prefs = await self.prefs(chat_id)
        key = slot_key(slot, prefs.zone)
        if not prefs.prompts:
            return None
        if await self.prompts.posted_since(chat_id, slot):
            # Already posted for this slot, or an admin used /prompts now meanwhile: one is enough.
            log.info(
                "Prompt for slot %s in chat %s not needed: one was posted since", key, chat_id
            )
            return None
        recent = await self.prompts.recent_messages(
            chat_id, moment - BUSY_WINDOW, limit=prefs.prompt_busy + 1
        )
        decision = decide(
            slot,
            moment,
            prefs.zone,
            quiet=prefs.quiet_hours,
            recent_messages=recent,
            busy_threshold=prefs.prompt_busy,
        )
        if decision.action == "skip":
            log.info("Prompt for slot %s in chat %s skipped: %s", key, chat_id, decision.why)
            return None
        if decision.action == "hold":
            log.info(
                "Prompt for slot %s in chat %s held until %s", key, chat_id, decision.retry_at
            )
            return decision.retry_at
        await self.post_prompt(chat_id, slot=key, at=moment)
        return None

    async def post_prompt(self, chat_id: int, *, slot: str | None, at: datetime) -> Posted:
        """Post the next prompt of the group's deck, record it, pin it if asked."""
        chat = await self.chats.get(chat_id)
        prefs = await self.prefs(chat_id)
        retired = chat.settings.get(RETIRED, []) if chat else []
        custom = await self.prompts.custom(chat_id)
        rotation = await self.prompts.rotation(chat_id)
        pick = next_prompt(
            [custom_key(p.id) for p in custom],
            builtin_keys(retired),
            used=rotation.used,
            cycle=rotation.cycle,
            last=rotation.last,
            seed=chat_id,
        )
        if pick is None:
            return Posted(None, empty_deck=True)
        number = builtin_number(pick.key)
        if number is not None:
            text = self.i18n.text(prefs.language, builtin_catalog_id(number))
        else:
            text = next(p.text for p in custom if custom_key(p.id) == pick.key)
        # The text is escaped by the catalog: HTML in a custom prompt is shown as typed.
        body = self.i18n.text(prefs.language, "prompts-post", text=text)
        title = (chat.title if chat else None) or str(chat_id)
        sent: PostedMessage | None = None
        if chat is None or chat.active:
            thread = prefs.prompt_topic_id if prefs.prompt_topic_id is not None else prefs.topic_id
            sent = await self.board.post(chat_id, body, thread)
        if sent is None:
            await self.switch_off_and_tell(chat_id, title)
            return Posted(None)
        post_id = await self.prompts.record_post(
            sent.chat_id,
            message_id=sent.message_id,
            key=pick.key,
            cycle=pick.cycle,
            text=text,
            slot=slot,
            at=at,
        )
        if prefs.prompt_pin:
            await self.pin(sent.chat_id, post_id, sent.message_id)
        return Posted(sent)

    async def switch_off_and_tell(self, chat_id: int, title: str) -> None:
        """Rights lost or bot removed: prompts off in the group, admins told in DM."""
        await self.chats.set_setting(chat_id, "prompts", False)
        told = await self.board.tell_admins_rights_lost(chat_id, title)
        log.warning("Prompts switched off in chat %s (cannot post); %d admins told", chat_id, told)

    async def pin(self, chat_id: int, post_id: int, message_id: int) -> None:
        """Pin the new prompt and unpin the previous one; a failed pin never fails the post."""
        previous = await self.prompts.pinned_message(chat_id)
        pinned = await self.board.pin(chat_id, message_id, previous)
        await self.prompts.set_pin(chat_id, post_id, pinned=pinned)
