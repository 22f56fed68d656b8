"""Ties, as a member sees them: strength, order, pages, keep-in-touch dates, Dunbar's layers.

Pure functions over the rows ``storage.ties`` derives (no Telegram, no storage): which
ties come first in /network, when a reminder is due, which due reminders a daily sweep
sends (one per member and day) and which it only moves later because the two were in
touch since, and where a member's count of active ties sits among Dunbar's layers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.ties import DueReminder, TieRow

CALLBACK_PREFIX = "nw:"
# Ties shown on one page of /network (each has a button: keep the keyboard short).
PAGE_SIZE = 8
# "Remind me to get in touch" offers these, in months; a month is 30 days here.
REMIND_MONTHS = (1, 3, 6)
DAYS_PER_MONTH = 30
# "Remind me later" under a reminder DM.
LATER = timedelta(days=14)
# A tie is active when the two interacted this recently (what Dunbar's layers count).
ACTIVE = timedelta(days=90)
# Dunbar's layers: a hint about how many relationships people keep, not a rule.
LAYERS = (5, 15, 50, 150)
# Weights of each kind of shared history in a tie's strength.
WEIGHTS = {
    "met": 5,
    "introduced": 2,
    "asked": 2,
    "gave": 1,
    "received": 1,
    "talked": 1,
    "via": 1,
}
# Credits count up to this many each way: a tie is not ten times stronger for ten thanks.
CREDIT_CAP = 5


def callback(action: str, *args: object) -> str:
    """Return button data ``nw:<action>:<arg>:…`` (within Telegram's 64 bytes)."""
    data = ":".join([CALLBACK_PREFIX + action, *(str(a) for a in args)])
    if len(data.encode()) > 64:
        raise ValueError(f"callback data too long: {data}")
    return data


def strength(tie: TieRow) -> int:
    """Return how strong a tie is: meeting counts most, then an introduction or an ask's
    connection, then help."""
    return (
        (WEIGHTS["met"] if tie.met else WEIGHTS["introduced"] if tie.intros else 0)
        + WEIGHTS["asked"] * min(tie.asks, CREDIT_CAP)
        + WEIGHTS["gave"] * min(tie.gave, CREDIT_CAP)
        + WEIGHTS["received"] * min(tie.received, CREDIT_CAP)
        + WEIGHTS["talked"] * min(tie.talked, CREDIT_CAP)
        + (WEIGHTS["via"] if tie.via is not None else 0)
    )


def _key(tie: TieRow) -> tuple[int, float, int]:
    return (-strength(tie), -tie.last_at.timestamp(), tie.other_id)


@dataclass(frozen=True)
class GroupTies:
    """A member's ties in one group, strongest and most recent first."""

    chat_id: int
    ties: tuple[TieRow, ...]


def ordered(ties: Iterable[TieRow]) -> list[GroupTies]:
    """Group ties by group; each group's strongest and most recent first, groups by their best."""
    by_group: dict[int, list[TieRow]] = {}
    for tie in ties:
        by_group.setdefault(tie.chat_id, []).append(tie)
    groups = [GroupTies(chat, tuple(sorted(rows, key=_key))) for chat, rows in by_group.items()]
    return sorted(groups, key=lambda g: (_key(g.ties[0]), g.chat_id))


def flattened(groups: Sequence[GroupTies]) -> list[TieRow]:
    """The ties in the order /network shows them, group after group."""
    return [tie for group in groups for tie in group.ties]


def pages(count: int) -> int:
    """Return how many pages ``count`` ties take (at least one)."""
    return max(1, -(-count // PAGE_SIZE))


def page_of(ties: Sequence[TieRow], page: int) -> list[TieRow] | None:
    """Return the ties on ``page`` (0-based); None when the page does not exist."""
    if page < 0 or page >= pages(len(ties)):
        return None
    return list(ties[page * PAGE_SIZE : (page + 1) * PAGE_SIZE])


def active_count(ties: Iterable[TieRow], now: datetime) -> int:
    """Return how many people the member interacted with in the last ``ACTIVE``."""
    return len({tie.other_id for tie in ties if tie.last_at >= now - ACTIVE})


def layer(active: int) -> int | None:
    """Return the smallest Dunbar layer that holds ``active`` ties; None beyond the last."""
    return next((size for size in LAYERS if active <= size), None)


def every_days(months: int) -> int:
    """Return a reminder's period in days for an offer of ``months``."""
    if months not in REMIND_MONTHS:
        raise ValueError(f"not an offered period: {months}")
    return months * DAYS_PER_MONTH


def due_after(since: datetime, days: int) -> datetime:
    """Return when a reminder every ``days`` falls due after the interaction at ``since``."""
    return since + timedelta(days=days)


@dataclass(frozen=True)
class SweepPlan:
    """What a sweep does with a chunk of due reminders."""

    # (member, other, since, due): the two were in touch since; the reminder moves later.
    resets: tuple[tuple[int, int, datetime, datetime], ...]
    # The reminders to send now: at most one per member, the longest overdue.
    sends: tuple[DueReminder, ...]


def plan(due: Iterable[DueReminder], now: datetime, reminded: Iterable[int] = ()) -> SweepPlan:
    """Decide, for due reminders, which to move (a newer interaction) and which to send.

    A reminder whose two members interacted after its ``since`` is not due after all: it
    moves to that interaction plus its period (Dex's reset), and is sent only if that is
    still past. Of the rest, each member gets one, the longest overdue; members in
    ``reminded`` (already reminded in this sweep) get none.
    """
    resets: list[tuple[int, int, datetime, datetime]] = []
    sends: dict[int, DueReminder] = {}
    skip = set(reminded)
    for item in due:
        r = item.reminder
        if item.last_at is not None and item.last_at > r.since:
            due_at = due_after(item.last_at, r.every_days)
            resets.append((r.member_id, r.other_id, item.last_at, due_at))
            if due_at > now:
                continue
        if r.member_id in skip:
            continue
        best = sends.get(r.member_id)
        if best is None or (r.due_at, r.other_id) < (best.reminder.due_at, best.reminder.other_id):
            sends[r.member_id] = item
    return SweepPlan(tuple(resets), tuple(sends.values()))
