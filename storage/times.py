"""How storage writes a moment: UTC, ISO 8601 text, to the second.

Text sorts in time order on both engines and compares equal whichever instance wrote it;
every repository writes and reads moments through these two functions.
"""

from __future__ import annotations

from datetime import UTC, datetime


def ts(moment: datetime) -> str:
    """Return ``moment`` as stored: UTC ISO 8601, to the second."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def dt(value: str | None) -> datetime | None:
    """Return a stored moment (``None`` stays ``None``)."""
    return datetime.fromisoformat(value) if value else None
