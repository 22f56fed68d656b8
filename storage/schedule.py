"""Scheduled runs (each slot claimed once) and the admins to tell when a group is lost."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Literal

from storage.models import MemberInfo
from storage.times import ts as _ts

if TYPE_CHECKING:
    from storage.sqlite import SqlStore

RunState = Literal["running", "held", "done", "skipped", "failed"]


@dataclass(frozen=True)
class ScheduledRun:
    """One claimed slot of a job in a chat."""

    chat_id: int
    job: str
    slot: str
    slot_at: datetime
    state: str
    retry_at: datetime | None


def _run(row: object) -> ScheduledRun:
    get = row.__getitem__  # type: ignore[attr-defined]
    retry = get("retry_at")
    return ScheduledRun(
        chat_id=get("chat_id"),
        job=get("job"),
        slot=get("slot"),
        slot_at=datetime.fromisoformat(get("slot_at")),
        state=get("state"),
        retry_at=datetime.fromisoformat(retry) if retry else None,
    )


class SqliteSchedule:
    """Which slot of which job ran in which chat, in SQLite."""

    def __init__(self, store: SqlStore) -> None:
        self._store = store

    async def claim(
        self,
        chat_id: int,
        job: str,
        slot: str,
        slot_at: datetime,
        state: RunState = "running",
        *,
        period: tuple[date, date] | None = None,
    ) -> bool:
        """Record the slot as taken; False if it already was (now or before a restart).

        With ``period`` (first and last local day), also False if another slot of the job
        in those days was taken and not skipped: the feature already ran in that period.
        """
        since, until = (None, None)
        if period is not None:
            # Slot keys are local "YYYY-MM-DDTHH:MM": a day's keys sort between its date and
            # the next day's.
            since, until = period[0].isoformat(), (period[1] + timedelta(days=1)).isoformat()
        async with self._store.raw_transaction() as conn:
            cursor = await conn.execute(
                """
                INSERT OR IGNORE INTO schedule_runs
                    (chat_id, job, slot, slot_at, state, updated_at)
                SELECT :chat, :job, :slot, :slot_at, :state, :now
                WHERE EXISTS (SELECT 1 FROM chats WHERE id = :chat)
                  AND NOT EXISTS (
                      SELECT 1 FROM schedule_runs
                      WHERE chat_id = :chat AND job = :job AND slot >= :since
                        AND slot < :until AND state != 'skipped'
                  )
                """,
                {
                    "chat": chat_id,
                    "job": job,
                    "slot": slot,
                    "slot_at": _ts(slot_at),
                    "state": state,
                    "now": self._store.now(),
                    "since": since,
                    "until": until,
                },
            )
            return cursor.rowcount > 0

    async def finish(
        self,
        chat_id: int,
        job: str,
        slot: str,
        state: RunState,
        retry_at: datetime | None = None,
    ) -> None:
        """Record how a run ended: done, failed, skipped, or held until ``retry_at``."""
        async with self._store.raw_transaction() as conn:
            await conn.execute(
                """
                UPDATE schedule_runs SET state = ?, retry_at = ?, updated_at = ?
                WHERE chat_id = ? AND job = ? AND slot = ?
                """,
                (
                    state,
                    _ts(retry_at) if retry_at else None,
                    self._store.now(),
                    chat_id,
                    job,
                    slot,
                ),
            )

    async def take_due(self, now: datetime) -> list[ScheduledRun]:
        """Return held runs whose retry time has come, marking them running (taken once)."""
        async with self._store.raw_transaction() as conn:
            cursor = await conn.execute(
                """
                UPDATE schedule_runs SET state = 'running', updated_at = :now
                WHERE state = 'held' AND retry_at <= :now
                RETURNING chat_id, job, slot, slot_at, state, retry_at
                """,
                {"now": _ts(now)},
            )
            rows = await cursor.fetchall()
        return sorted((_run(row) for row in rows), key=lambda run: (run.slot_at, run.chat_id))

    async def take_interrupted(self) -> list[ScheduledRun]:
        """Return runs left 'running' by a process that stopped, marking them failed."""
        async with self._store.raw_transaction() as conn:
            cursor = await conn.execute(
                """
                UPDATE schedule_runs SET state = 'failed', updated_at = ?
                WHERE state = 'running'
                RETURNING chat_id, job, slot, slot_at, state, retry_at
                """,
                (self._store.now(),),
            )
            rows = await cursor.fetchall()
        return [_run(row) for row in rows]

    async def get(self, chat_id: int, job: str, slot: str) -> ScheduledRun | None:
        """Return one run, or None if that slot was never claimed."""
        rows = await self._store.query(
            "SELECT * FROM schedule_runs WHERE chat_id = ? AND job = ? AND slot = ?",
            (chat_id, job, slot),
        )
        row = next(iter(rows), None)
        return _run(row) if row else None

    async def history(self, chat_id: int, job: str) -> list[ScheduledRun]:
        """Return the job's runs in the chat, oldest slot first."""
        rows = await self._store.query(
            "SELECT * FROM schedule_runs WHERE chat_id = ? AND job = ? ORDER BY slot_at",
            (chat_id, job),
        )
        return [_run(row) for row in rows]


class SqliteAdmins:
    """The admins of each group as last reported by Telegram, in SQLite."""

    def __init__(self, store: SqlStore) -> None:
        self._store = store

    async def remember(self, chat_id: int, admins: Iterable[MemberInfo]) -> None:
        """Replace the chat's remembered admins with those of ``admins`` Rete already knows.

        Telegram's admin list is no action of the people on it: an admin is remembered only
        once they are a member (seen writing, using a command, pressing a button), so one who
        deleted their data is not recorded again until they act themselves. Admins Rete does
        not know could not be told in private anyway (they never opened a chat with it).
        """
        now = self._store.now()
        ids = json.dumps(sorted({admin.id for admin in admins}))
        async with self._store.transaction(changes_chats=[]) as conn:
            cursor = await conn.execute("SELECT 1 FROM chats WHERE id = ?", (chat_id,))
            if await cursor.fetchone() is None:
                return
            await conn.execute("DELETE FROM chat_admins WHERE chat_id = ?", (chat_id,))
            await conn.execute(
                """
                INSERT INTO chat_admins (chat_id, member_id, seen_at)
                SELECT ?, id, ? FROM members
                WHERE id IN (SELECT CAST(value AS INTEGER) FROM json_each(?))
                """,
                (chat_id, now, ids),
            )

    async def of(self, chat_id: int) -> list[int]:
        """Return the remembered admin ids of a chat."""
        rows = await self._store.query(
            "SELECT member_id FROM chat_admins WHERE chat_id = ? ORDER BY member_id", (chat_id,)
        )
        return [int(row[0]) for row in rows]
