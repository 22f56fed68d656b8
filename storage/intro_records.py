"""Plain records of introductions that cross the storage boundary (no SQL, no Telegram)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class OptIn:
    """A member's introductions status in one group."""

    chat_id: int
    member_id: int
    status: str  # active | paused | stopped
    paused_until: datetime | None
    pause_reason: str | None
    chat_title: str | None = None

    def active_at(self, now: datetime) -> bool:
        """True if the member can be introduced at ``now`` (a pause ends by itself)."""
        if self.status == "active":
            return True
        return (
            self.status == "paused" and self.paused_until is not None and self.paused_until <= now
        )


@dataclass(frozen=True)
class CandidateRow:
    """An opted-in member who can be introduced now: tags and never-list."""

    member_id: int
    tags: tuple[tuple[str, str], ...]
    never: frozenset[int]


@dataclass(frozen=True)
class TagHolders:
    """The members of a pool who hold some of a list of tags, each kind as a bit mask.

    Bit ``k`` of a mask stands for ``tags[k]``. Each row also carries the size of the
    whole pool, holders or not. A few integers per member: all a search for one member's
    partners reads, in the rows as the database gives them (no Python object per row).
    """

    tags: tuple[str, ...]
    rows: Sequence[Sequence[int]]  # (member id, interests, offers, seeks, pool size)

    @property
    def size(self) -> int:
        """Return how many members the pool has (0 when nobody holds any of the tags)."""
        return int(self.rows[0][4]) if len(self.rows) else 0


@dataclass(frozen=True)
class NewIntro:
    """An introduction to record: its members, score, and per member why each partner."""

    members: tuple[int, ...]
    score: float | None = None
    # member -> partner -> {"shared": [...], "offers_to_other": [...], "seeks_from_other": [...]}
    reasons: Mapping[int, Mapping[int, Mapping[str, Sequence[str]]]] = field(default_factory=dict)


@dataclass(frozen=True)
class IntroMember:
    """One member's side of an introduction."""

    member_id: int
    reasons: dict[str, dict[str, list[str]]]
    dm_state: str
    accepted: bool | None
    answer: str | None
    follow_up_state: str | None
    outcome: str | None


@dataclass(frozen=True)
class Intro:
    """An introduction with all its members."""

    id: int
    chat_id: int
    round_id: int | None
    kind: str
    status: str
    why: str | None
    initiator_id: int | None
    note: str | None
    created_at: datetime
    follow_up_at: datetime | None
    members: tuple[IntroMember, ...]

    def member(self, member_id: int) -> IntroMember | None:
        """Return one member's side, or None if they are not in this introduction."""
        return next((m for m in self.members if m.member_id == member_id), None)

    def others(self, member_id: int) -> list[int]:
        """The other members of the introduction."""
        return [m.member_id for m in self.members if m.member_id != member_id]

    def partners(self, member_id: int) -> list[int]:
        """The others still in it: not whoever was dropped (left the group, or bounced)."""
        return [
            m.member_id
            for m in self.members
            if m.member_id != member_id and m.dm_state != "failed"
        ]


@dataclass(frozen=True)
class IntroStats:
    """A group's introduction numbers over a period."""

    made: int
    people: int
    answered: int
    met: int
