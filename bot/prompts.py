"""Engagement prompts: the deck, its rotation, quiet hours, and when not to interrupt.

Pure functions and dataclasses: no Telegram, no database. The handler asks these what to
do and does it.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from bot.i18n import PLACEABLE_LIMIT, escaped_length
from bot.numbers import parse_number

# A custom prompt may be at most this long (a Telegram message allows 4,096).
MAX_PROMPT_CHARS = 1000
# Built-in prompts are catalog messages prompts-deck-01 … prompts-deck-<BUILTIN_COUNT>
# in each language (written for each language, not translated word for word).
BUILTIN_COUNT = 32
# "Busy" means more than the threshold messages in this window before the slot.
BUSY_WINDOW = timedelta(minutes=30)
DEFAULT_BUSY_THRESHOLD = 10
# While busy, try again every HOLD_STEP after the slot; at HOLD_LIMIT post anyway.
HOLD_STEP = timedelta(minutes=15)
HOLD_LIMIT = timedelta(hours=2)
# A held prompt whose retry comes this late (the bot was down meanwhile) is dropped, like a
# slot missed by more than the scheduler's one-hour grace.
TOO_LATE = HOLD_LIMIT + timedelta(hours=1)
# A page of /prompts list, and how much of each prompt it shows.
PAGE_SIZE = 10
LIST_PREVIEW_CHARS = 160

CUSTOM_PREFIX = "c"
BUILTIN_PREFIX = "b"


@dataclass(frozen=True)
class QuietHours:
    """A daily stretch of local time in which nothing is posted (may cross midnight)."""

    start: time
    end: time

    def contains(self, moment: time) -> bool:
        """True if the local wall-clock ``moment`` is inside the quiet hours."""
        moment = moment.replace(second=0, microsecond=0, tzinfo=None)
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end

    def __str__(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"

    def to_setting(self) -> str:
        """The form stored in the chat's settings ("22:00-08:00")."""
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


DEFAULT_QUIET_HOURS = QuietHours(time(22, 0), time(8, 0))


def quiet_hours_from_setting(value: str | None) -> QuietHours | None:
    """Read quiet hours as stored ("22:00-08:00"); "off" or None means none."""
    if not value or value == "off":
        return None
    start, _, end = value.partition("-")
    return QuietHours(time.fromisoformat(start), time.fromisoformat(end))


def in_quiet_hours(quiet: QuietHours | None, moment: datetime, zone: ZoneInfo) -> bool:
    """True if the UTC instant ``moment`` falls in the chat's quiet hours."""
    return quiet is not None and quiet.contains(moment.astimezone(zone).time())


# ---- the deck ---------------------------------------------------------------------------


def custom_key(prompt_id: int) -> str:
    """The rotation key of a custom prompt."""
    return f"{CUSTOM_PREFIX}{prompt_id}"


def builtin_key(number: int) -> str:
    """The rotation key of built-in prompt ``number`` (1-based)."""
    return f"{BUILTIN_PREFIX}{number}"


def builtin_number(key: str) -> int | None:
    """The number of a built-in prompt key, or None for a custom one."""
    if key.startswith(BUILTIN_PREFIX):
        return parse_number(key[1:])
    return None


def builtin_catalog_id(number: int) -> str:
    """The catalog id of built-in prompt ``number``."""
    return f"prompts-deck-{number:02d}"


def builtin_keys(retired: Collection[int] = (), count: int = BUILTIN_COUNT) -> list[str]:
    """The built-in prompts still in a chat's deck (admins may retire some)."""
    return [builtin_key(n) for n in range(1, count + 1) if n not in retired]


def deck_order(custom: Sequence[str], builtin: Sequence[str], seed: int, cycle: int) -> list[str]:
    """Return one cycle's order: custom prompts first (oldest first), then the built-ins.

    Built-ins are shuffled with a seed made of the chat and the cycle number, so every
    group gets its own order and a restart reproduces the same one.
    """
    shuffled = list(builtin)
    random.Random(f"{seed}:{cycle}").shuffle(shuffled)
    return [*custom, *shuffled]


@dataclass(frozen=True)
class Pick:
    """The prompt to post next and the rotation cycle it belongs to."""

    key: str
    cycle: int


def next_prompt(
    custom: Sequence[str],
    builtin: Sequence[str],
    *,
    used: Collection[str],
    cycle: int,
    last: str | None,
    seed: int,
) -> Pick | None:
    """Return the next prompt: the first of this cycle's order not posted in this cycle.

    When every prompt of the deck was posted, a new cycle starts; its first prompt is
    never the one posted last, so nothing repeats back to back. None for an empty deck.
    """
    order = deck_order(custom, builtin, seed, cycle)
    for key in order:
        if key not in used:
            return Pick(key, cycle)
    if not order:
        return None
    cycle += 1
    order = deck_order(custom, builtin, seed, cycle)
    if len(order) > 1 and order[0] == last:
        return Pick(order[1], cycle)
    return Pick(order[0], cycle)


def preview(text: str, limit: int = LIST_PREVIEW_CHARS) -> str:
    """Shorten a prompt for a list, on one line."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def shown_whole(text: str) -> bool:
    """True if a prompt is posted (and suggested to the admins) whole, never cut.

    The catalog cuts any value longer than PLACEABLE_LIMIT once HTML-escaped, and
    ``<``, ``>`` and ``&`` take four or five characters each: a prompt of 1,000 of them
    is within MAX_PROMPT_CHARS as its author sees it, but not within that limit.
    """
    return escaped_length(text) <= PLACEABLE_LIMIT


def page_count(items: int, size: int = PAGE_SIZE) -> int:
    """How many pages ``items`` entries fill (at least one)."""
    return max(1, -(-items // size))


# ---- posting well -----------------------------------------------------------------------

Action = Literal["post", "hold", "skip"]


@dataclass(frozen=True)
class Decision:
    """What to do at (or after) a slot: post now, hold until ``retry_at``, or skip."""

    action: Action
    retry_at: datetime | None = None
    why: str = ""


def next_retry(slot: datetime, now: datetime) -> datetime:
    """Return the next HOLD_STEP after ``slot`` that is later than ``now`` (at most the limit)."""
    steps = max(0, (now - slot) // HOLD_STEP) + 1
    return min(slot + steps * HOLD_STEP, slot + HOLD_LIMIT)


def decide(
    slot: datetime,
    now: datetime,
    zone: ZoneInfo,
    *,
    quiet: QuietHours | None,
    recent_messages: int,
    busy_threshold: int,
) -> Decision:
    """Decide whether to post a scheduled prompt now.

    Never in quiet hours (a slot held into them is skipped). While the group is busy (more
    than ``busy_threshold`` messages in the last BUSY_WINDOW) hold, retrying every
    HOLD_STEP; once HOLD_LIMIT has passed since the slot, post anyway. A quiet group is
    never held: that is when a prompt helps most. A retry that comes after TOO_LATE (the
    bot was down) is skipped.
    """
    if now - slot > TOO_LATE:
        return Decision("skip", why="too late")
    if in_quiet_hours(quiet, now, zone):
        return Decision("skip", why="quiet hours")
    if recent_messages > busy_threshold and now - slot < HOLD_LIMIT:
        return Decision("hold", retry_at=next_retry(slot, now), why="busy")
    return Decision("post")
