"""Asks in the database (migration 14): the asks, whom they reached, offers, connections.

Written once for both engines (plain SQL that ``storage.dialect`` renders for
PostgreSQL). Every change that must happen once (an ask posted, an offer made, a
connection, an ask closed) is a guarded UPDATE or an INSERT OR IGNORE whose row count
says whether this call made it: a redelivered button or two instances never do it twice.
The reads across people (ties, warm paths, a group's numbers) are in
``storage.ask_paths``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from storage.ask_paths import _IN_CHAT, AskPaths
from storage.members_sql import upsert_member
from storage.models import MemberInfo
from storage.times import dt as _dt
from storage.times import ts as _ts

if TYPE_CHECKING:
    from storage.sqlite import SqlStore


@dataclass(frozen=True)
class Ask:
    """One ask: who asked what in which group, its tags, and where it stands."""

    id: int
    chat_id: int
    asker_id: int
    text: str
    suggested: tuple[str, ...]
    tags: tuple[str, ...]
    status: str
    post_id: int | None
    warm: bool
    created_at: datetime
    posted_at: datetime | None
    expires_at: datetime | None
    closed_at: datetime | None
    solved_how: str | None

    @property
    def is_open(self) -> bool:
        """True while the ask can be answered."""
        return self.status == "open"


@dataclass(frozen=True)
class Route:
    """A private message an ask sent to a member, and their answer."""

    ask_id: int
    member_id: int
    role: str
    via_id: int | None
    answer: str | None


@dataclass(frozen=True)
class Offer:
    """Someone's "I can help" for an ask, their note, and the asker's answer."""

    ask_id: int
    helper_id: int
    connector_id: int | None
    note: str | None
    state: str
    created_at: datetime


def _ask(row: Any) -> Ask:
    created = _dt(row["created_at"])
    assert created is not None
    return Ask(
        id=int(row["id"]),
        chat_id=int(row["chat_id"]),
        asker_id=int(row["asker_id"]),
        text=str(row["text"]),
        suggested=tuple(json.loads(row["suggested"])),
        tags=tuple(json.loads(row["tags"])),
        status=str(row["status"]),
        post_id=row["post_id"],
        warm=bool(row["warm"]),
        created_at=created,
        posted_at=_dt(row["posted_at"]),
        expires_at=_dt(row["expires_at"]),
        closed_at=_dt(row["closed_at"]),
        solved_how=row["solved_how"],
    )


def _offer(row: Any) -> Offer:
    created = _dt(row["created_at"])
    assert created is not None
    return Offer(
        ask_id=int(row["ask_id"]),
        helper_id=int(row["helper_id"]),
        connector_id=row["connector_id"],
        note=row["note"],
        state=str(row["state"]),
        created_at=created,
    )


# Who is tied to :member (either direction): introduced by Rete (a delivered introduction
# neither declined nor refused), a counted thanks either way, or connected by an ask.
class SqliteAsks(AskPaths):
    """The asks feature's tables (ties, paths and numbers: ``storage.ask_paths``)."""

    def __init__(self, store: SqlStore) -> None:
        self._store = store

    # ---- an ask -----------------------------------------------------------------------------

    async def vocabulary(self, chat_id: int, grams: Sequence[str]) -> list[str]:
        """Return those of ``grams`` that a current member of the group holds as a tag."""
        if not grams:
            return []
        rows = await self._store.fetchall(
            f"""
            SELECT DISTINCT t.tag FROM member_tags t
            WHERE t.tag IN (SELECT value FROM json_each(:grams))
              AND {_IN_CHAT.format(chat=":chat", who="t.member_id")}
            """,
            {"chat": chat_id, "grams": json.dumps(list(grams))},
        )
        return [row["tag"] for row in rows]

    async def create(
        self, chat_id: int, asker: MemberInfo, text: str, tags: Sequence[str], now: datetime
    ) -> int:
        """Record a draft ask with its suggested tags (all chosen); return its id."""
        stamp = _ts(now)
        encoded = json.dumps(list(tags), ensure_ascii=False)
        async with self._store.transaction(changes_chats=[]) as conn:
            await upsert_member(conn, asker, stamp)
            cursor = await conn.execute(
                """
                INSERT INTO asks (chat_id, asker_id, text, suggested, tags, created_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
                (chat_id, asker.id, text, encoded, encoded, stamp),
            )
            ask_id = cursor.lastrowid
        assert ask_id is not None
        return int(ask_id)

    async def get(self, ask_id: int) -> Ask | None:
        """Return the ask, or None (never made, or deleted with its author's data)."""
        row = await self._store.fetchone("SELECT * FROM asks WHERE id = ?", (ask_id,))
        return _ask(row) if row is not None else None

    async def set_tags(self, ask_id: int, tags: Sequence[str]) -> bool:
        """Choose a draft's tags; False once it is no longer a draft."""
        async with self._store.transaction(changes_chats=[]) as conn:
            cursor = await conn.execute(
                "UPDATE asks SET tags = ? WHERE id = ? AND status = 'draft'",
                (json.dumps(list(tags), ensure_ascii=False), ask_id),
            )
            return cursor.rowcount > 0

    async def move_draft(self, ask_id: int, chat_id: int, tags: Sequence[str]) -> bool:
        """Put a private draft in the group its author chose, with that group's tags."""
        encoded = json.dumps(list(tags), ensure_ascii=False)
        async with self._store.transaction(changes_chats=[]) as conn:
            cursor = await conn.execute(
                """
                UPDATE asks SET chat_id = ?, suggested = ?, tags = ?
                WHERE id = ? AND status = 'draft' AND tags = '[]'
                """,
                (chat_id, encoded, encoded, ask_id),
            )
            return cursor.rowcount > 0

    async def drop_drafts(self, before: datetime, now: datetime) -> int:
        """Cancel drafts nobody posted since ``before``; return how many."""
        async with self._store.transaction(changes_chats=[]) as conn:
            cursor = await conn.execute(
                "UPDATE asks SET status = 'cancelled', closed_at = ? "
                "WHERE status = 'draft' AND created_at < ?",
                (_ts(now), _ts(before)),
            )
            return cursor.rowcount

    async def open_count(self, chat_id: int, asker_id: int) -> int:
        """How many open asks the member has in the group."""
        row = await self._store.fetchone(
            "SELECT count(*) FROM asks WHERE chat_id = ? AND asker_id = ? AND status = 'open'",
            (chat_id, asker_id),
        )
        return int(row[0]) if row else 0

    async def publish(self, ask_id: int, now: datetime, expires_at: datetime) -> bool:
        """Open a draft (it is posted and routed now); False if it was not a draft."""
        async with self._store.transaction(changes_chats=[]) as conn:
            cursor = await conn.execute(
                """
                UPDATE asks SET status = 'open', posted_at = ?, expires_at = ?
                WHERE id = ? AND status = 'draft'
                """,
                (_ts(now), _ts(expires_at), ask_id),
            )
            return cursor.rowcount > 0

    async def set_post(self, ask_id: int, post_id: int | None) -> None:
        """Remember the group message that shows the ask."""
        async with self._store.transaction(changes_chats=[]) as conn:
            await conn.execute("UPDATE asks SET post_id = ? WHERE id = ?", (post_id, ask_id))

    async def set_routed(self, ask_id: int, now: datetime) -> None:
        """Note that the open ask was posted and routed (nothing is left to finish)."""
        async with self._store.transaction(changes_chats=[]) as conn:
            await conn.execute(
                "UPDATE asks SET routed_at = ? WHERE id = ? AND routed_at IS NULL",
                (_ts(now), ask_id),
            )

    async def unrouted(self, before: datetime) -> list[Ask]:
        """Return open asks opened before ``before`` whose posting and routing was cut short."""
        rows = await self._store.fetchall(
            "SELECT * FROM asks WHERE status = 'open' AND routed_at IS NULL AND posted_at < ? "
            "ORDER BY posted_at, id",
            (_ts(before),),
        )
        return [_ask(row) for row in rows]

    async def set_warm(self, ask_id: int) -> None:
        """Note that the ask went out through a warm path."""
        async with self._store.transaction(changes_chats=[]) as conn:
            await conn.execute("UPDATE asks SET warm = 1 WHERE id = ?", (ask_id,))

    async def cancel(self, ask_id: int, now: datetime) -> bool:
        """Drop a draft; False if it was not one."""
        async with self._store.transaction(changes_chats=[]) as conn:
            cursor = await conn.execute(
                "UPDATE asks SET status = 'cancelled', closed_at = ? "
                "WHERE id = ? AND status = 'draft'",
                (_ts(now), ask_id),
            )
            return cursor.rowcount > 0

    async def close(self, ask_id: int, status: str, how: str | None, now: datetime) -> bool:
        """Close an open ask as 'solved' or 'expired'; False if it was not open.

        An expired ask the asker then says was solved moves on to 'solved'.
        """
        async with self._store.transaction(changes_chats=[]) as conn:
            cursor = await conn.execute(
                """
                UPDATE asks SET status = ?, solved_how = ?, closed_at = ?
                WHERE id = ? AND (status = 'open' OR (status = 'expired' AND ? = 'solved'))
                """,
                (status, how, _ts(now), ask_id, status),
            )
            return cursor.rowcount > 0

    async def open_asks(self, chat_id: int, limit: int) -> list[Ask]:
        """Return the group's open asks, oldest first."""
        rows = await self._store.fetchall(
            "SELECT * FROM asks WHERE chat_id = ? AND status = 'open' "
            "ORDER BY posted_at, id LIMIT ?",
            (chat_id, limit),
        )
        return [_ask(row) for row in rows]

    async def posted_by(self, member_id: int) -> list[Ask]:
        """Return the member's asks that have a group post (to edit before deletion)."""
        rows = await self._store.fetchall(
            "SELECT * FROM asks WHERE asker_id = ? AND post_id IS NOT NULL ORDER BY id",
            (member_id,),
        )
        return [_ask(row) for row in rows]

    async def helped_by(self, member_id: int) -> list[Ask]:
        """Return the solved asks whose group post names the member as a connected helper."""
        rows = await self._store.fetchall(
            """
            SELECT a.* FROM asks a JOIN ask_offers o ON o.ask_id = a.id
            WHERE o.helper_id = ? AND o.state = 'connected' AND a.status = 'solved'
              AND a.post_id IS NOT NULL
            ORDER BY a.id
            """,
            (member_id,),
        )
        return [_ask(row) for row in rows]

    async def due(self, now: datetime) -> list[Ask]:
        """Return the open asks whose life ended by ``now``."""
        rows = await self._store.fetchall(
            "SELECT * FROM asks WHERE status = 'open' AND expires_at <= ? ORDER BY id",
            (_ts(now),),
        )
        return [_ask(row) for row in rows]

    async def thanked(self) -> list[int]:
        """Return open asks whose author thanked a helper they were connected with since.

        Any counted, not voided thanks in any group, once the connection was made.
        """
        rows = await self._store.fetchall(
            """
            SELECT DISTINCT a.id FROM asks a
            JOIN ask_connections c ON c.ask_id = a.id
            JOIN credits k ON k.giver_id = a.asker_id AND k.receiver_id = c.helper_id
            WHERE a.status = 'open' AND k.counted = 1 AND k.voided_at IS NULL
              AND k.created_at >= c.connected_at AND k.created_at <= a.expires_at
            ORDER BY a.id
            """
        )
        return [int(row["id"]) for row in rows]

    # ---- routing ----------------------------------------------------------------------------

    async def unroutable(self, member_ids: Sequence[int], since: datetime, limit: int) -> set[int]:
        """Return those of ``member_ids`` an ask may not reach now.

        Hidden from others, said "no more asks", or already sent ``limit`` asks since
        ``since`` (a week ago).
        """
        if not member_ids:
            return set()
        rows = await self._store.fetchall(
            """
            SELECT m.id FROM members m
            WHERE m.id IN (SELECT CAST(value AS INTEGER) FROM json_each(:ids))
              AND (m.hidden = 1
                   OR EXISTS (SELECT 1 FROM ask_prefs p WHERE p.member_id = m.id
                              AND p.no_asks = 1)
                   OR (SELECT count(*) FROM ask_routes r
                       WHERE r.member_id = m.id AND r.sent_at >= :since) >= :limit)
            """,
            {"ids": json.dumps(list(member_ids)), "since": _ts(since), "limit": limit},
        )
        return {int(row["id"]) for row in rows}

    async def add_route(
        self, ask_id: int, member_id: int, role: str, now: datetime, via_id: int | None = None
    ) -> bool:
        """Record that the ask goes to the member in private; False if it already did."""
        async with self._store.transaction(changes_chats=[]) as conn:
            cursor = await conn.execute(
                """
                INSERT OR IGNORE INTO ask_routes (ask_id, member_id, role, via_id, sent_at)
                VALUES (?, ?, ?, ?, ?)
                """,
                (ask_id, member_id, role, via_id, _ts(now)),
            )
            return cursor.rowcount > 0

    async def drop_route(self, ask_id: int, member_id: int) -> None:
        """Forget a route whose message could not be delivered (it does not count)."""
        async with self._store.transaction(changes_chats=[]) as conn:
            await conn.execute(
                "DELETE FROM ask_routes WHERE ask_id = ? AND member_id = ? AND answer IS NULL",
                (ask_id, member_id),
            )

    async def route(self, ask_id: int, member_id: int) -> Route | None:
        """Return the private message the ask sent the member, or None."""
        row = await self._store.fetchone(
            "SELECT * FROM ask_routes WHERE ask_id = ? AND member_id = ?", (ask_id, member_id)
        )
        if row is None:
            return None
        return Route(row["ask_id"], row["member_id"], row["role"], row["via_id"], row["answer"])

    async def routed(self, ask_id: int) -> list[Route]:
        """Return every private message the ask sent."""
        rows = await self._store.fetchall(
            "SELECT * FROM ask_routes WHERE ask_id = ? ORDER BY sent_at, member_id", (ask_id,)
        )
        return [
            Route(r["ask_id"], r["member_id"], r["role"], r["via_id"], r["answer"]) for r in rows
        ]

    async def answer_route(self, ask_id: int, member_id: int, answer: str, now: datetime) -> bool:
        """Record the member's answer to the ask's message; False if they answered already."""
        async with self._store.transaction(changes_chats=[]) as conn:
            cursor = await conn.execute(
                """
                UPDATE ask_routes SET answer = ?, answered_at = ?
                WHERE ask_id = ? AND member_id = ? AND answer IS NULL
                """,
                (answer, _ts(now), ask_id, member_id),
            )
            return cursor.rowcount > 0

    # ---- a member's own choices ---------------------------------------------------------------

    async def set_prefs(
        self,
        member: MemberInfo,
        now: datetime,
        *,
        no_asks: bool | None = None,
        no_connector: bool | None = None,
    ) -> None:
        """Record the member's choice: no asks in private, never a connector (None: as is)."""
        stamp = _ts(now)
        async with self._store.transaction(changes_chats=[]) as conn:
            await upsert_member(conn, member, stamp)
            await conn.execute(
                """
                INSERT INTO ask_prefs (member_id, no_asks, no_connector, updated_at)
                VALUES (?, ?, ?, ?)
                ON CONFLICT (member_id) DO UPDATE SET
                    no_asks = coalesce(?, no_asks),
                    no_connector = coalesce(?, no_connector),
                    updated_at = excluded.updated_at
                """,
                (
                    member.id,
                    int(bool(no_asks)),
                    int(bool(no_connector)),
                    stamp,
                    None if no_asks is None else int(no_asks),
                    None if no_connector is None else int(no_connector),
                ),
            )

    async def prefs(self, member_id: int) -> tuple[bool, bool]:
        """Return the member's (no asks, never a connector) choices."""
        row = await self._store.fetchone(
            "SELECT no_asks, no_connector FROM ask_prefs WHERE member_id = ?", (member_id,)
        )
        return (bool(row["no_asks"]), bool(row["no_connector"])) if row else (False, False)

    # ---- offers and connections -----------------------------------------------------------------

    async def offer(
        self, ask_id: int, helper: MemberInfo, now: datetime, connector_id: int | None = None
    ) -> bool:
        """Record the member's "I can help" (waiting for a note); False if they did already."""
        stamp = _ts(now)
        async with self._store.transaction(changes_chats=[]) as conn:
            await upsert_member(conn, helper, stamp)
            cursor = await conn.execute(
                """
                INSERT OR IGNORE INTO ask_offers (ask_id, helper_id, connector_id, created_at)
                VALUES (?, ?, ?, ?)
                """,
                (ask_id, helper.id, connector_id, stamp),
            )
            return cursor.rowcount > 0

    async def get_offer(self, ask_id: int, helper_id: int) -> Offer | None:
        """Return the member's offer for the ask, or None."""
        row = await self._store.fetchone(
            "SELECT * FROM ask_offers WHERE ask_id = ? AND helper_id = ?", (ask_id, helper_id)
        )
        return _offer(row) if row is not None else None

    async def noting(self, helper_id: int, since: datetime) -> Offer | None:
        """Return the member's latest offer still waiting for its note (made since ``since``)."""
        row = await self._store.fetchone(
            """
            SELECT * FROM ask_offers WHERE helper_id = ? AND state = 'noting' AND created_at >= ?
            ORDER BY created_at DESC, ask_id DESC LIMIT 1
            """,
            (helper_id, _ts(since)),
        )
        return _offer(row) if row is not None else None

    async def withdraw(self, ask_id: int, helper_id: int) -> None:
        """Forget an offer that never got past its note (the helper cannot be reached)."""
        async with self._store.transaction(changes_chats=[]) as conn:
            await conn.execute(
                "DELETE FROM ask_offers WHERE ask_id = ? AND helper_id = ? AND state = 'noting'",
                (ask_id, helper_id),
            )

    async def stale_notes(self, before: datetime) -> list[Offer]:
        """Return offers whose note was waited for since before ``before``."""
        rows = await self._store.fetchall(
            "SELECT * FROM ask_offers WHERE state = 'noting' AND created_at < ? ORDER BY ask_id",
            (_ts(before),),
        )
        return [_offer(row) for row in rows]

    async def set_note(self, ask_id: int, helper_id: int, note: str | None) -> bool:
        """Attach the helper's note (or none) and pass the offer on; False if done already."""
        async with self._store.transaction(changes_chats=[]) as conn:
            cursor = await conn.execute(
                """
                UPDATE ask_offers SET note = ?, state = 'offered'
                WHERE ask_id = ? AND helper_id = ? AND state = 'noting'
                """,
                (note, ask_id, helper_id),
            )
            return cursor.rowcount > 0

    async def decide(self, ask: Ask, helper_id: int, connect: bool, now: datetime) -> Offer | None:
        """Record the asker's Connect / No thanks; the offer as it was, None if not offered.

        A connection is also recorded on its own (asker, helper, connector, group, time).
        """
        stamp = _ts(now)
        async with self._store.transaction(changes_chats=[]) as conn:
            cursor = await conn.execute(
                """
                UPDATE ask_offers SET state = ?, decided_at = ?
                WHERE ask_id = ? AND helper_id = ? AND state = 'offered'
                """,
                ("connected" if connect else "declined", stamp, ask.id, helper_id),
            )
            if cursor.rowcount == 0:
                return None
            cursor = await conn.execute(
                "SELECT * FROM ask_offers WHERE ask_id = ? AND helper_id = ?", (ask.id, helper_id)
            )
            offer = _offer(await cursor.fetchone())
            if connect:
                await conn.execute(
                    """
                    INSERT OR IGNORE INTO ask_connections (chat_id, ask_id, asker_id, helper_id,
                                                           connector_id, connected_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                    (ask.chat_id, ask.id, ask.asker_id, helper_id, offer.connector_id, stamp),
                )
            return offer

    async def offers(self, ask_id: int) -> list[Offer]:
        """Return the ask's offers, first first."""
        rows = await self._store.fetchall(
            "SELECT * FROM ask_offers WHERE ask_id = ? ORDER BY created_at, helper_id", (ask_id,)
        )
        return [_offer(row) for row in rows]


ASK_EXPORTS: dict[str, str] = {
    "asks": """
        SELECT id AS ask_id, chat_id, text, tags, status, created_at, posted_at, expires_at,
               closed_at, solved_how
        FROM asks WHERE asker_id = :member ORDER BY id
    """,
    # Where she connected someone else's route, their answer is theirs, not hers.
    "ask_routes": """
        SELECT ask_id, role, CAST(via_id = :member AS INTEGER) AS via_them, sent_at,
               CASE WHEN member_id = :member THEN answer END AS answer,
               CASE WHEN member_id = :member THEN answered_at END AS answered_at
        FROM ask_routes WHERE member_id = :member OR via_id = :member ORDER BY sent_at, ask_id
    """,
    # The note is the helper's own words: in their export, not in the connector's.
    "ask_offers": """
        SELECT ask_id, CAST(helper_id = :member AS INTEGER) AS offered,
               CAST(connector_id = :member AS INTEGER) AS connected_them,
               CASE WHEN helper_id = :member THEN note END AS note, state,
               created_at, decided_at
        FROM ask_offers WHERE helper_id = :member OR connector_id = :member
        ORDER BY created_at, ask_id
    """,
    "ask_connections": """
        SELECT chat_id, ask_id, CAST(asker_id = :member AS INTEGER) AS asked,
               CAST(helper_id = :member AS INTEGER) AS helped,
               CAST(connector_id = :member AS INTEGER) AS connected, connected_at
        FROM ask_connections
        WHERE asker_id = :member OR helper_id = :member OR connector_id = :member
        ORDER BY connected_at, id
    """,
    "ask_prefs": """
        SELECT no_asks, no_connector, updated_at FROM ask_prefs WHERE member_id = :member
    """,
}

# How the asks move when a group becomes a supergroup (merged into CHAT_MERGES).
ASK_CHAT_MERGES: dict[str, str] = {
    # Message ids start afresh in the supergroup: the old post cannot be edited there.
    "asks": "UPDATE asks SET chat_id = :new, post_id = NULL WHERE chat_id = :old",
    "ask_connections": "UPDATE ask_connections SET chat_id = :new WHERE chat_id = :old",
}
