"""Asks in the database, the part that reads across people: ties, warm paths, numbers.

``AskPaths`` is mixed into ``storage.asks.SqliteAsks`` (one repository, ``store.asks``).
Who is tied to whom is the ties module's one definition (``storage.ties.TIED_TO``: an
introduction both received, a counted thanks either way, an ask's connection, a "We
talked"), the same ties /network shows.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from storage.ties import TIED_TO
from storage.times import dt as _dt
from storage.times import ts as _ts

if TYPE_CHECKING:
    from storage.sqlite import SqlStore


@dataclass(frozen=True)
class AskStats:
    """A group's asks: made, answered, solved, waits for a first offer, warm paths used."""

    made: int
    answered: int
    solved: int
    warm: int
    waits: list[tuple[datetime, datetime]]


# A current member of :chat in Rete's record (seen there, not left, not removed).
_IN_CHAT = """
    EXISTS (SELECT 1 FROM memberships s WHERE s.chat_id = {chat} AND s.member_id = {who}
            AND s.status NOT IN ('left', 'kicked'))
"""


class AskPaths:
    """Ties, warm paths and the numbers of a group's asks."""

    _store: SqlStore

    # ---- ties and warm paths --------------------------------------------------------------------

    async def tied_to(self, member_id: int) -> set[int]:
        """Return who is tied to the member, in any group (``storage.ties``'s ties)."""
        rows = await self._store.fetchall(TIED_TO, {"me": member_id})
        return {int(row["other_id"]) for row in rows if int(row["other_id"]) != member_id}

    async def connectors(self, chat_id: int, asker_id: int, limit: int) -> list[int]:
        """Return members of the group tied to the asker who may be asked to connect.

        Current members (Rete's record), reachable in private, not hidden, and not one who
        said never to be a connector; by member id.
        """
        tied = sorted(await self.tied_to(asker_id))
        if not tied:
            return []
        rows = await self._store.fetchall(
            f"""
            SELECT m.id FROM members m
            WHERE m.id IN (SELECT CAST(value AS INTEGER) FROM json_each(:ids))
              AND m.dm_reachable = 1 AND m.hidden = 0
              AND {_IN_CHAT.format(chat=":chat", who="m.id")}
              AND NOT EXISTS (SELECT 1 FROM ask_prefs p WHERE p.member_id = m.id
                              AND p.no_connector = 1)
            ORDER BY m.id LIMIT :limit
            """,
            {"ids": json.dumps(tied), "chat": chat_id, "limit": limit},
        )
        return [int(row["id"]) for row in rows]

    async def offering(
        self, connector_id: int, candidates: Iterable[int], tags: Sequence[str]
    ) -> dict[int, list[str]]:
        """Return those of ``candidates`` who offer some of ``tags``, with those tags.

        Only people who share a group with the connector now (Rete's record), reachable
        in private, not hidden, and not one who said no more asks.
        """
        ids = sorted(set(candidates))
        if not ids or not tags:
            return {}
        rows = await self._store.fetchall(
            """
            SELECT t.member_id, t.tag FROM member_tags t JOIN members m ON m.id = t.member_id
            WHERE t.kind = 'offer' AND t.tag IN (SELECT value FROM json_each(:tags))
              AND t.member_id IN (SELECT CAST(value AS INTEGER) FROM json_each(:ids))
              AND m.dm_reachable = 1 AND m.hidden = 0
              AND NOT EXISTS (SELECT 1 FROM ask_prefs p WHERE p.member_id = m.id
                              AND p.no_asks = 1)
              AND EXISTS (
                  SELECT 1 FROM memberships a JOIN memberships b ON b.chat_id = a.chat_id
                  WHERE a.member_id = :connector AND b.member_id = t.member_id
                    AND a.status NOT IN ('left', 'kicked') AND b.status NOT IN ('left', 'kicked'))
            ORDER BY t.member_id, t.tag
            """,
            {"tags": json.dumps(list(tags)), "ids": json.dumps(ids), "connector": connector_id},
        )
        found: dict[int, list[str]] = {}
        for row in rows:
            found.setdefault(int(row["member_id"]), []).append(row["tag"])
        return found

    async def shared_group(self, a: int, b: int, prefer: int) -> int | None:
        """Return a group both are in now (``prefer`` if it is one), or None."""
        rows = await self._store.fetchall(
            """
            SELECT x.chat_id FROM memberships x JOIN memberships y ON y.chat_id = x.chat_id
            WHERE x.member_id = ? AND y.member_id = ?
              AND x.status NOT IN ('left', 'kicked') AND y.status NOT IN ('left', 'kicked')
            ORDER BY x.chat_id
            """,
            (a, b),
        )
        chats = [int(row["chat_id"]) for row in rows]
        if prefer in chats:
            return prefer
        return chats[0] if chats else None

    # ---- counted ----------------------------------------------------------------------------

    async def stats(self, chat_id: int) -> AskStats:
        """Return the group's asks made, answered, solved and warm, and first-offer waits."""
        row = await self._store.fetchone(
            """
            SELECT count(*) AS made,
                   sum(CASE WHEN EXISTS (SELECT 1 FROM ask_offers o WHERE o.ask_id = a.id
                                         AND o.state != 'noting') THEN 1 ELSE 0 END) AS answered,
                   sum(CASE WHEN a.status = 'solved' THEN 1 ELSE 0 END) AS solved,
                   sum(a.warm) AS warm
            FROM asks a WHERE a.chat_id = ? AND a.posted_at IS NOT NULL
            """,
            (chat_id,),
        )
        waits = await self._store.fetchall(
            """
            SELECT a.posted_at, min(o.created_at) AS first FROM asks a
            JOIN ask_offers o ON o.ask_id = a.id
            WHERE a.chat_id = ? AND a.posted_at IS NOT NULL
            GROUP BY a.id, a.posted_at
            """,
            (chat_id,),
        )
        pairs = []
        for wait in waits:
            posted, first = _dt(wait["posted_at"]), _dt(wait["first"])
            if posted is not None and first is not None:
                pairs.append((posted, first))
        return AskStats(
            made=int(row["made"] or 0) if row else 0,
            answered=int(row["answered"] or 0) if row else 0,
            solved=int(row["solved"] or 0) if row else 0,
            warm=int(row["warm"] or 0) if row else 0,
            waits=pairs,
        )

    async def week(self, chat_id: int, start: datetime, end: datetime) -> int:
        """Return how many of the group's asks were solved in [start, end).

        The week's connectors (warm paths included) are the ties module's
        (``storage.ties.SqlTies.connectors``): the recap has one connectors line.
        """
        row = await self._store.fetchone(
            """
            SELECT count(*) FROM asks WHERE chat_id = ? AND status = 'solved'
              AND closed_at >= ? AND closed_at < ?
            """,
            (chat_id, _ts(start), _ts(end)),
        )
        return int(row[0]) if row else 0

    async def unanswered(self, chat_id: int, before: datetime) -> int:
        """How many of the group's open asks, posted before ``before``, nobody offered help for."""
        row = await self._store.fetchone(
            """
            SELECT count(*) FROM asks a
            WHERE a.chat_id = ? AND a.status = 'open' AND a.posted_at < ?
              AND NOT EXISTS (SELECT 1 FROM ask_offers o WHERE o.ask_id = a.id)
            """,
            (chat_id, _ts(before)),
        )
        return int(row[0]) if row else 0


# What a member's export holds about asks (merged into storage.sqlite.MEMBER_EXPORTS).
