"""When a group's newcomers are welcomed, and how many a welcome names.

Plain rules, no Telegram: a wave of joins becomes one post. A group's welcome waits until
nobody has joined for ``QUIET`` (the wave is over), or until the first newcomer has waited
``MAX_WAIT``; and a group gets at most one welcome every ``GAP``, so a steady stream of
joins makes a few posts, never one per person. A welcome names the first newcomers that
fit and counts the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

QUIET = timedelta(seconds=20)
MAX_WAIT = timedelta(minutes=2)
GAP = timedelta(minutes=5)
# A welcome waiting longer than this (the bot was down, or removed) greets nobody.
STALE = timedelta(hours=6)
# How many newcomers one welcome names at most; the others are counted.
MAX_NAMED = 25
# How much room (characters of HTML) the names may take, well within Telegram's 4,096.
NAMES_BUDGET = 2500


def due(
    first_join: datetime, last_join: datetime, last_post: datetime | None, now: datetime
) -> bool:
    """True if a group's waiting newcomers should be welcomed now."""
    if last_post is not None and now - last_post < GAP:
        return False
    return now - last_join >= QUIET or now - first_join >= MAX_WAIT


def next_try(now: datetime) -> datetime:
    """When to try again after Telegram refused a group's welcome."""
    return now + GAP


@dataclass(frozen=True)
class Named:
    """Whom a welcome names (as HTML pieces) and how many more it counts."""

    names: tuple[str, ...]
    others: int


def fit_names(
    people: Sequence[str], render: Callable[[Sequence[str]], str], budget: int = NAMES_BUDGET
) -> Named:
    """Name as many of ``people`` (HTML pieces, in order) as fit; count the rest.

    ``render`` turns the named ones into the HTML the welcome shows, so the budget is
    measured on what is really sent.
    """
    named: list[str] = []
    for piece in people[:MAX_NAMED]:
        if named and len(render([*named, piece])) > budget:
            break
        named.append(piece)
    return Named(tuple(named), len(people) - len(named))
