"""The application's clock: every "what time is it" in Rete asks one of these.

Production uses :class:`SystemClock`. Tests hand the application a :class:`ManualClock`
and move it themselves (as Twisted's ``task.Clock``), so no test depends on the day or
hour it runs at. PTB's JobQueue still decides *when* a job fires (real seconds); what the
job then sees as "now" comes from the clock.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """A source of the current time."""

    def now(self) -> datetime:
        """Return the current time, time-zone aware, in UTC."""
        ...


class SystemClock:
    """The real time."""

    def now(self) -> datetime:
        """Return the system's current time in UTC."""
        return datetime.now(UTC)


class ManualClock:
    """A clock that stands still until it is set or advanced (for tests and tools)."""

    def __init__(self, start: datetime) -> None:
        self._now = _aware(start)

    def now(self) -> datetime:
        """Return the time the clock was last set to."""
        return self._now

    def set(self, moment: datetime) -> None:
        """Move the clock to ``moment`` (forwards or backwards)."""
        self._now = _aware(moment)

    def advance(self, delta: timedelta) -> datetime:
        """Move the clock on by ``delta`` and return the new time."""
        self._now += delta
        return self._now


class ShiftedClock:
    """The real time, moved so that it read ``start`` when the clock was made.

    For tests only (``test_clock``, ``RETE_TEST_CLOCK``): a test that runs ``rete run`` in a
    subprocess starts it at a set moment (just before a scheduled slot) and lets it run on
    at the real pace. Never set it in production: every date Rete records would be wrong.
    """

    def __init__(self, start: datetime) -> None:
        self._offset = _aware(start) - datetime.now(UTC)

    def now(self) -> datetime:
        """Return the real time moved by the clock's offset."""
        return datetime.now(UTC) + self._offset


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("the clock keeps aware datetimes: pass one with a tzinfo")
    return moment.astimezone(UTC)
