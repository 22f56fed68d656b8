"""Weekly schedules in a group's local time: slots, correct through daylight-saving changes.

A schedule says "these weekdays at this wall-clock time, every N weeks" in the group's time
zone. A *slot* is one such moment as a UTC instant. Two rules make slots well defined on the
days clocks change (zoneinfo, ``fold=0``):

- a wall time that does not exist (skipped by spring-forward, 02:30 in Rome on the last
  Sunday of March) moves forward by the gap (03:30 summer time);
- a wall time that happens twice (fall-back, 02:30 on the last Sunday of October) is the
  first of the two.

Pure functions: no Telegram, no storage.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# Weeks are counted from this Monday, so "every two weeks" falls on the same weeks whatever
# day the bot was (re)started on.
ANCHOR = date(2024, 1, 1)
WEEKDAYS = 7


@dataclass(frozen=True)
class Weekly:
    """Some weekdays at a local wall-clock time, every ``every_weeks`` weeks."""

    days: frozenset[int]  # 0 = Monday … 6 = Sunday
    at: time  # local wall-clock time, naive
    every_weeks: int = 1  # 1, 2 or 4 in practice; weeks counted from ANCHOR

    def __post_init__(self) -> None:
        if not self.days or not all(0 <= day < WEEKDAYS for day in self.days):
            raise ValueError(f"weekdays must be a non-empty subset of 0..6, not {self.days}")
        if self.every_weeks < 1:
            raise ValueError(f"every_weeks must be at least 1, not {self.every_weeks}")
        if self.at.tzinfo is not None:
            raise ValueError("the time of a weekly schedule is a local wall-clock time")

    def falls_on(self, day: date) -> bool:
        """True if the schedule has a slot on local date ``day``."""
        if day.weekday() not in self.days:
            return False
        return ((day - ANCHOR).days // WEEKDAYS) % self.every_weeks == 0


def local_slot(day: date, at: time, zone: ZoneInfo) -> datetime:
    """Return the UTC instant of wall-clock ``at`` on local ``day`` in ``zone``."""
    # fold=0: a skipped time is read with the offset before the change (so it lands after
    # the gap, moved forward by it); a repeated time is its first occurrence.
    return datetime.combine(day, at, tzinfo=zone).replace(fold=0).astimezone(UTC)


def _days_around(now: datetime, zone: ZoneInfo, back: int, ahead: int) -> list[date]:
    today = now.astimezone(zone).date()
    return [today + timedelta(days=offset) for offset in range(-back, ahead + 1)]


def last_slot(schedule: Weekly, zone: ZoneInfo, now: datetime) -> datetime | None:
    """Return the latest slot at or before ``now`` (None only if none in the lookback)."""
    span = WEEKDAYS * schedule.every_weeks + 1
    for day in reversed(_days_around(now, zone, span, 1)):
        if schedule.falls_on(day):
            slot = local_slot(day, schedule.at, zone)
            if slot <= now:
                return slot
    return None


def next_slot(schedule: Weekly, zone: ZoneInfo, now: datetime) -> datetime:
    """Return the earliest slot strictly after ``now``."""
    span = WEEKDAYS * schedule.every_weeks + 1
    for day in _days_around(now, zone, 1, span):
        if schedule.falls_on(day):
            slot = local_slot(day, schedule.at, zone)
            if slot > now:
                return slot
    raise AssertionError("a weekly schedule always has a slot within its period")


def slot_key(slot: datetime, zone: ZoneInfo) -> str:
    """Return the slot's local ``YYYY-MM-DDTHH:MM``: the key that makes a slot run once."""
    return slot.astimezone(zone).strftime("%Y-%m-%dT%H:%M")


def run_period(slot: datetime, zone: ZoneInfo, once_per: str) -> tuple[date, date]:
    """Return the first and last local day of the period in which ``slot`` may be the one run.

    ``once_per`` is ``"day"`` (the slot's local day) or ``"week"`` (its ISO week, Monday to
    Sunday). A feature runs at most once per period, whatever its settings do meanwhile: a
    slot moved to later the same day is not a second slot.
    """
    day = slot.astimezone(zone).date()
    if once_per == "week":
        return local_week(day)
    if once_per == "day":
        return day, day
    raise ValueError(f"a feature runs once per day or per week, not per {once_per!r}")


def in_window(moment: datetime, zone: ZoneInfo, start: time, end: time) -> bool:
    """True if ``moment``'s local time is in [start, end), a window that may cross midnight."""
    local = moment.astimezone(zone).time().replace(tzinfo=None)
    if start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end


def local_week(day: date) -> tuple[date, date]:
    """Return the Monday and Sunday of the ISO week that holds ``day``."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=WEEKDAYS - 1)
