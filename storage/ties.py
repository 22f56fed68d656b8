"""Ties: the relationships Rete remembers, derived from what it already records.

A tie is a pair of members with a shared history in a group. Nothing copies it: every
read works it out from the records themselves (``TIE_SOURCES``), so a tie disappears the
moment either member's data is deleted (their introductions, credits and logs go with
them). Each source is one SELECT of *events* seen from one member's side, with the same
columns:

- ``member_id`` (whose view), ``other_id``, ``chat_id``;
- ``kind``: ``introduced`` / ``met`` (an introduction both received), ``gave`` /
  ``received`` (a counted, not voided thanks), ``asked`` (an ask's connection both
  accepted: asker and helper), ``talked`` (the member's own "We talked");
- ``at``: when; ``via``: the connector who made it happen (a hand introduction's
  initiator, a warm path's connector), else NULL.

This is the one definition of a tie: /network, the keep-in-touch reminders, Dunbar's
layers and the asks' warm paths (``TIED_TO``) all read the same union.

What the member chose about their ties (keep-in-touch reminders, "we talked", the monthly
note) is in migration 15's tables, which belong to the member and go with either member's
data (foreign keys on both ids).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from storage.times import dt as _dt
from storage.times import ts as _ts

if TYPE_CHECKING:
    from storage.sqlite import SqlStore


@dataclass(frozen=True)
class TieSource:
    """One kind of shared history: a SELECT of events, and which columns name the pair.

    ``sql`` ends its WHERE clause with ``{whose}``: ``tie_events`` fills in the filter on
    ``member`` (whose view) and ``other`` (the other member), so each part reads only the
    rows asked for, through its own index (neither engine pushes a filter on a union's
    columns into its parts when the filter is correlated or holds a subquery).
    """

    sql: str
    member: str
    other: str


TIE_SOURCES: dict[str, TieSource] = {
    # An introduction both members received (their DMs went out, it was not cancelled or
    # declined) and neither answered "never" to; met when either said so at the follow-up.
    # A hand introduction (/introduce, "Introduce to…") names its initiator as the connector.
    "intros": TieSource(
        """
        SELECT me.member_id AS member_id, o.member_id AS other_id, i.chat_id AS chat_id,
               CASE WHEN me.outcome = 'yes' OR o.outcome = 'yes' THEN 'met'
                    ELSE 'introduced' END AS kind,
               i.created_at AS at,
               CASE WHEN i.kind = 'manual' THEN i.initiator_id END AS via
        FROM intro_members me
        JOIN intro_members o ON o.intro_id = me.intro_id AND o.member_id != me.member_id
        JOIN intros i ON i.id = me.intro_id
        WHERE i.status = 'active' AND me.dm_state = 'sent' AND o.dm_state = 'sent'
          AND coalesce(me.answer, '') != 'never' AND coalesce(o.answer, '') != 'never'
          AND {whose}
        """,
        "me.member_id",
        "o.member_id",
    ),
    # Counted thanks, either way (read through migration 15's partial pair indexes).
    "gave": TieSource(
        """
        SELECT giver_id AS member_id, receiver_id AS other_id, chat_id, 'gave' AS kind,
               created_at AS at, CAST(NULL AS INTEGER) AS via
        FROM credits WHERE counted = 1 AND voided_at IS NULL AND {whose}
        """,
        "giver_id",
        "receiver_id",
    ),
    "received": TieSource(
        """
        SELECT receiver_id AS member_id, giver_id AS other_id, chat_id, 'received' AS kind,
               created_at AS at, CAST(NULL AS INTEGER) AS via
        FROM credits WHERE counted = 1 AND voided_at IS NULL AND {whose}
        """,
        "receiver_id",
        "giver_id",
    ),
    # An ask's connection both accepted (the asker pressed Connect after the helper's "I
    # can help"), seen from either side; a warm path names its connector. In the ask's group.
    "asked": TieSource(
        """
        SELECT asker_id AS member_id, helper_id AS other_id, chat_id, 'asked' AS kind,
               connected_at AS at, connector_id AS via
        FROM ask_connections WHERE {whose}
        """,
        "asker_id",
        "helper_id",
    ),
    "helped": TieSource(
        """
        SELECT helper_id AS member_id, asker_id AS other_id, chat_id, 'asked' AS kind,
               connected_at AS at, connector_id AS via
        FROM ask_connections WHERE {whose}
        """,
        "helper_id",
        "asker_id",
    ),
    # The member's own "We talked" (never the other's: each sees only their own logs).
    "talked": TieSource(
        """
        SELECT member_id, other_id, chat_id, 'talked' AS kind, talked_at AS at,
               CAST(NULL AS INTEGER) AS via
        FROM tie_talks WHERE {whose}
        """,
        "member_id",
        "other_id",
    ),
}

# Whose events a union reads: one member's (``:me``), or some pairs' (``:pairs``, a JSON
# array of [member, other]).
ONE_MEMBER = "one"
PAIRS = "pairs"
_PAIRS = (
    "SELECT CAST(json_extract(value, '$[0]') AS INTEGER), "
    "CAST(json_extract(value, '$[1]') AS INTEGER) FROM json_each(:pairs)"
)


def _whose(source: TieSource, which: str) -> str:
    if which == ONE_MEMBER:
        return f"{source.member} = :me"
    return f"({source.member}, {source.other}) IN ({_PAIRS})"


def tie_events(which: str = ONE_MEMBER) -> str:
    """Return the union of every source, for one member or some pairs, as a subquery."""
    parts = (
        f"SELECT * FROM ({source.sql.format(whose=_whose(source, which))}) AS {name}"
        for name, source in TIE_SOURCES.items()
    )
    return "\nUNION ALL\n".join(parts)


def _count(kinds: str) -> str:
    return f"sum(CASE WHEN kind IN ({kinds}) THEN 1 ELSE 0 END)"


# One row per (other, group) of a member's ties.
TIES_QUERY = f"""
    SELECT other_id, chat_id,
           {_count("'introduced', 'met'")} AS intros,
           {_count("'met'")} AS met,
           {_count("'gave'")} AS gave,
           {_count("'received'")} AS received,
           {_count("'talked'")} AS talked,
           {_count("'asked'")} AS asks,
           max(via) AS via,
           min(CASE WHEN kind IN ('introduced', 'met') THEN at END) AS introduced_at,
           max(at) AS last_at
    FROM ({tie_events()}) AS e
    WHERE :other IS NULL OR other_id = :other
    GROUP BY other_id, chat_id
"""

# Whom a member is tied to, in any group (the asks' warm paths read this).
TIED_TO = f"SELECT DISTINCT other_id FROM ({tie_events()}) AS e"

# The last interaction of each of some pairs, in any group.
LAST_INTERACTIONS = f"""
    SELECT member_id, other_id, max(at) AS last_at
    FROM ({tie_events(PAIRS)}) AS e
    GROUP BY member_id, other_id
"""


# Who connected whom: (connector, person) for each person a connector brought together with
# another. A hand introduction (/introduce, "Introduce to…") both accepted names its
# initiator and both members; an ask's connection made through a warm path names its
# connector, the asker and the helper. ``connected_pairs`` fills in each part's filter.
def connected_pairs(by_connector: bool) -> str:
    """The (connector, person) rows of one connector (``:me``, optionally in ``:chat`` and
    [``:start``, ``:end``)), or of one group's week (``:chat``, [``:start``, ``:end``))."""

    def where(connector: str, chat: str, at: str) -> str:
        if by_connector:
            return f"""{connector} = :me AND (:chat IS NULL OR {chat} = :chat)
              AND (:start IS NULL OR {at} >= :start) AND (:end IS NULL OR {at} < :end)"""
        return f"{connector} IS NOT NULL AND {chat} = :chat AND {at} >= :start AND {at} < :end"

    return f"""
        SELECT i.initiator_id AS connector, im.member_id AS person
        FROM intros i JOIN intro_members im ON im.intro_id = i.id
        WHERE i.kind = 'manual' AND i.status = 'active' AND im.dm_state = 'sent'
          AND {where("i.initiator_id", "i.chat_id", "i.created_at")}
        UNION ALL
        SELECT c.connector_id, c.asker_id FROM ask_connections c
        WHERE {where("c.connector_id", "c.chat_id", "c.connected_at")}
        UNION ALL
        SELECT c.connector_id, c.helper_id FROM ask_connections c
        WHERE {where("c.connector_id", "c.chat_id", "c.connected_at")}
    """


# What can be exported about a member from these tables: their own rows only (a reminder
# someone set about them is that person's private choice).
TIE_EXPORTS: dict[str, str] = {
    "tie_reminders": """
        SELECT other_id, chat_id, every_days, since, due_at, created_at FROM tie_reminders
        WHERE member_id = :member ORDER BY created_at, other_id
    """,
    "tie_talks": """
        SELECT other_id, chat_id, talked_at FROM tie_talks
        WHERE member_id = :member ORDER BY talked_at, other_id
    """,
    "tie_reminder_days": """
        SELECT day, other_id, sent_at FROM tie_reminder_days
        WHERE member_id = :member ORDER BY day
    """,
    "network_notes": "SELECT chosen_at FROM network_notes WHERE member_id = :member",
    "network_note_months": """
        SELECT month, sent_at FROM network_note_months WHERE member_id = :member ORDER BY month
    """,
}

# How these tables move when a group becomes a supergroup.
TIE_MERGES: dict[str, str] = {
    "tie_reminders": "UPDATE tie_reminders SET chat_id = :new WHERE chat_id = :old",
    "tie_talks": """
        UPDATE tie_talks SET chat_id = :new
        WHERE chat_id = :old AND NOT EXISTS (
            SELECT 1 FROM tie_talks o WHERE o.chat_id = :new
              AND o.member_id = tie_talks.member_id AND o.other_id = tie_talks.other_id
              AND o.talked_at = tie_talks.talked_at)
    """,
}


async def keep_days_of(conn: Any, member_id: int) -> None:
    """Before a member's data goes (caller's transaction): others' reminder days stay theirs.

    A day someone was reminded about this member names them in ``other_id``, whose foreign
    key would delete the row with them, and so free that person's day for a second
    reminder. The row is kept, naming its own member instead: the day stays claimed, and
    nothing names the member who left.
    """
    await conn.execute(
        "UPDATE tie_reminder_days SET other_id = member_id WHERE other_id = ?", (member_id,)
    )


@dataclass(frozen=True)
class TieRow:
    """A member's shared history with one other member in one group (counts and times)."""

    other_id: int
    chat_id: int
    intros: int
    met: bool
    gave: int
    received: int
    talked: int
    via: int | None
    introduced_at: datetime | None
    last_at: datetime
    # Connections through an ask (either was the asker, the other the helper).
    asks: int = 0


@dataclass(frozen=True)
class Reminder:
    """A keep-in-touch reminder a member set for one tie."""

    member_id: int
    other_id: int
    chat_id: int
    every_days: int
    since: datetime
    due_at: datetime


@dataclass(frozen=True)
class DueReminder:
    """A reminder whose due time passed, with the last interaction between the two."""

    reminder: Reminder
    last_at: datetime | None


async def _move(conn: Any, moves: Iterable[tuple[int, int, datetime, datetime]]) -> None:
    """Set (member, other, since, due) on reminders that still exist (caller's transaction).

    One UPDATE per pair, in one call: a reminder stopped meanwhile stays stopped, and the
    last move of a pair wins.
    """
    by_pair = {(m, o): (since, due) for m, o, since, due in moves}
    if by_pair:
        await conn.executemany(
            "UPDATE tie_reminders SET since = ?, due_at = ? WHERE member_id = ? AND other_id = ?",
            [(_ts(since), _ts(due), m, o) for (m, o), (since, due) in by_pair.items()],
        )


def _tie(row: Any) -> TieRow:
    last_at = _dt(row["last_at"])
    assert last_at is not None
    return TieRow(
        other_id=int(row["other_id"]),
        chat_id=int(row["chat_id"]),
        intros=int(row["intros"]),
        met=int(row["met"]) > 0,
        gave=int(row["gave"]),
        received=int(row["received"]),
        talked=int(row["talked"]),
        asks=int(row["asks"]),
        via=int(row["via"]) if row["via"] is not None else None,
        introduced_at=_dt(row["introduced_at"]),
        last_at=last_at,
    )


def _reminder(row: Any) -> Reminder:
    since, due_at = _dt(row["since"]), _dt(row["due_at"])
    assert since is not None
    assert due_at is not None
    return Reminder(
        member_id=int(row["member_id"]),
        other_id=int(row["other_id"]),
        chat_id=int(row["chat_id"]),
        every_days=int(row["every_days"]),
        since=since,
        due_at=due_at,
    )


class SqlTies:
    """Ties (derived), and what members chose about them: reminders, talks, the note."""

    def __init__(self, store: SqlStore) -> None:
        self._store = store

    # ---- ties -------------------------------------------------------------------------------

    async def of(self, member_id: int) -> list[TieRow]:
        """Return every tie of the member, one row per other member and group."""
        rows = await self._store.fetchall(TIES_QUERY, {"me": member_id, "other": None})
        return [_tie(row) for row in rows if int(row["other_id"]) != member_id]

    async def tied_to(self, member_id: int) -> set[int]:
        """Return everyone the member is tied to, in any group (the ids only)."""
        rows = await self._store.fetchall(TIED_TO, {"me": member_id})
        return {int(row["other_id"]) for row in rows if int(row["other_id"]) != member_id}

    async def between(self, member_id: int, other_id: int) -> list[TieRow]:
        """Return the member's tie with one other member, one row per group they share it in."""
        if member_id == other_id:
            return []
        rows = await self._store.fetchall(TIES_QUERY, {"me": member_id, "other": other_id})
        return [_tie(row) for row in rows]

    async def connected(
        self,
        member_id: int,
        chat_id: int | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
    ) -> int:
        """Return how many people the member connected (in one group, and in [start, end),
        when given): introduced by hand with both accepting, or brought together as the
        connector of an ask's warm path (asker and helper, once the asker pressed Connect)."""
        row = await self._store.fetchone(
            f"""
            SELECT count(DISTINCT person) AS people FROM ({connected_pairs(True)}) AS p
            WHERE person != :me
            """,
            {
                "me": member_id,
                "chat": chat_id,
                "start": _ts(start) if start else None,
                "end": _ts(end) if end else None,
            },
        )
        return int(row["people"]) if row else 0

    async def connectors(
        self, chat_id: int, start: datetime, end: datetime, limit: int = 3
    ) -> list[tuple[int, int]]:
        """Return (connector, people connected) of the group's week, busiest first: hand
        introductions both accepted and asks' warm paths. Hidden members are left out."""
        rows = await self._store.fetchall(
            f"""
            SELECT p.connector, count(DISTINCT p.person) AS people
            FROM ({connected_pairs(False)}) AS p
            JOIN members m ON m.id = p.connector
            WHERE p.person != p.connector AND m.hidden = 0
            GROUP BY p.connector ORDER BY people DESC, p.connector LIMIT :limit
            """,
            {"chat": chat_id, "start": _ts(start), "end": _ts(end), "limit": limit},
        )
        return [(int(r["connector"]), int(r["people"])) for r in rows]

    # ---- we talked --------------------------------------------------------------------------

    async def talked(self, member_id: int, other_id: int, chat_id: int, at: datetime) -> bool:
        """Log that the member was in touch with the other; reset their reminder from now."""
        async with self._store.transaction() as conn:
            cursor = await conn.execute(
                "INSERT OR IGNORE INTO tie_talks (member_id, other_id, chat_id, talked_at) "
                "VALUES (?, ?, ?, ?)",
                (member_id, other_id, chat_id, _ts(at)),
            )
            return cursor.rowcount > 0

    # ---- reminders ----------------------------------------------------------------------------

    async def reminder(self, member_id: int, other_id: int) -> Reminder | None:
        """Return the member's reminder for one tie, or None."""
        row = await self._store.fetchone(
            "SELECT * FROM tie_reminders WHERE member_id = ? AND other_id = ?",
            (member_id, other_id),
        )
        return _reminder(row) if row else None

    async def reminders(self, member_id: int) -> dict[int, Reminder]:
        """Return the member's reminders, by the other member's id."""
        rows = await self._store.fetchall(
            "SELECT * FROM tie_reminders WHERE member_id = ?", (member_id,)
        )
        return {int(row["other_id"]): _reminder(row) for row in rows}

    async def set_reminder(
        self,
        member_id: int,
        other_id: int,
        chat_id: int,
        every_days: int,
        since: datetime,
        due_at: datetime,
    ) -> None:
        """Set (or replace) the member's reminder for one tie."""
        now = self._store.now()
        async with self._store.transaction() as conn:
            await conn.execute(
                """
                INSERT INTO tie_reminders (member_id, other_id, chat_id, every_days, since,
                                           due_at, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (member_id, other_id) DO UPDATE SET
                    chat_id = excluded.chat_id, every_days = excluded.every_days,
                    since = excluded.since, due_at = excluded.due_at
                """,
                (member_id, other_id, chat_id, every_days, _ts(since), _ts(due_at), now),
            )

    async def move_reminder(
        self, member_id: int, other_id: int, *, due_at: datetime, since: datetime | None = None
    ) -> bool:
        """Move a reminder's due time (and its last interaction); False if there is none."""
        async with self._store.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE tie_reminders SET due_at = ?, since = coalesce(?, since) "
                "WHERE member_id = ? AND other_id = ?",
                (_ts(due_at), _ts(since) if since else None, member_id, other_id),
            )
            return cursor.rowcount > 0

    async def stop_reminder(self, member_id: int, other_id: int) -> bool:
        """Remove the member's reminder for one tie; False if there was none."""
        async with self._store.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM tie_reminders WHERE member_id = ? AND other_id = ?",
                (member_id, other_id),
            )
            return cursor.rowcount > 0

    async def due(
        self,
        chat_id: int,
        now: datetime,
        *,
        after: tuple[str, int, int] | None = None,
        limit: int = 500,
    ) -> list[DueReminder]:
        """Return up to ``limit`` of the group's reminders due at ``now``, after ``after``.

        Ordered by (due time, member, other): ``after`` is the last row of the chunk before
        (keyset paging), so a sweep reads each due reminder once however many it defers.
        Each comes with the last interaction between its two members, in any group.
        """
        due_at, member, other = after if after else ("", 0, 0)
        rows = await self._store.fetchall(
            """
            SELECT r.member_id, r.other_id, r.chat_id, r.every_days, r.since, r.due_at
            FROM tie_reminders r
            WHERE r.chat_id = :chat AND r.due_at <= :now
              AND (r.due_at > :due OR (r.due_at = :due AND (r.member_id > :member
                   OR (r.member_id = :member AND r.other_id > :other))))
            ORDER BY r.due_at, r.member_id, r.other_id
            LIMIT :limit
            """,
            {
                "chat": chat_id,
                "now": _ts(now),
                "due": due_at,
                "member": member,
                "other": other,
                "limit": limit,
            },
        )
        reminders = [_reminder(row) for row in rows]
        if not reminders:
            return []
        pairs = json.dumps([[r.member_id, r.other_id] for r in reminders])
        rows = await self._store.query(LAST_INTERACTIONS, {"pairs": pairs})
        last = {(int(row[0]), int(row[1])): str(row[2]) for row in rows}
        return [DueReminder(r, _dt(last.get((r.member_id, r.other_id)))) for r in reminders]

    async def reset(self, moves: Iterable[tuple[int, int, datetime, datetime]]) -> None:
        """Apply (member, other, since, due) to many reminders in one transaction."""
        async with self._store.transaction() as conn:
            await _move(conn, moves)

    async def settle(
        self,
        moves: Sequence[tuple[int, int, datetime, datetime]],
        sends: Sequence[Reminder],
        day: str,
        at: datetime,
    ) -> set[int]:
        """Record what a sweep decided for a chunk, in one transaction; return who is claimed.

        ``moves`` (member, other, since, due) are reminders the two members' contact moved;
        ``sends`` the ones to send now, one per member. A member already reminded on ``day``
        is not claimed again (at most one a day); a claimed reminder falls due again a
        period after ``at``. The claim is made before the DM goes out, so a crash never
        sends it twice.
        """
        async with self._store.transaction() as conn:
            won: set[int] = set()
            if sends:
                # The insert itself decides who is claimed (RETURNING the rows it wrote): a
                # look first and a write after would let two instances settling the same
                # member's day at once both believe they won it.
                rows = await conn.execute_fetchall(
                    """
                    INSERT OR IGNORE INTO tie_reminder_days (member_id, day, other_id, sent_at)
                    SELECT CAST(json_extract(value, '$[0]') AS INTEGER),
                           json_extract(value, '$[1]'),
                           CAST(json_extract(value, '$[2]') AS INTEGER), ?
                    FROM json_each(?)
                    RETURNING member_id
                    """,
                    (_ts(at), json.dumps([[r.member_id, day, r.other_id] for r in sends])),
                )
                won = {int(row[0]) for row in rows}
            claimed = [r for r in sends if r.member_id in won]
            again = [
                (r.member_id, r.other_id, r.since, at + timedelta(days=r.every_days))
                for r in claimed
            ]
            await _move(conn, [*moves, *again])
        return {r.member_id for r in claimed}

    async def claim_days(self, claims: Sequence[tuple[int, str, int]], at: datetime) -> set[int]:
        """Claim (member, local day, other) reminder DMs; return the members who got theirs."""
        found = [await self.reminder(m, o) for m, _, o in claims]
        sends = [r for r in found if r is not None]
        days = {(m, o): day for m, day, o in claims}
        claimed: set[int] = set()
        for day in sorted(set(days.values())):
            chunk = [r for r in sends if days[(r.member_id, r.other_id)] == day]
            claimed |= await self.settle([], chunk, day, at)
        return claimed

    # ---- the monthly note -------------------------------------------------------------------

    async def note_chosen(self, member_id: int) -> bool:
        """True if the member chose the monthly note."""
        row = await self._store.fetchone(
            "SELECT 1 FROM network_notes WHERE member_id = ?", (member_id,)
        )
        return row is not None

    async def choose_note(self, member_id: int, on: bool) -> None:
        """Turn the member's monthly note on or off."""
        async with self._store.transaction() as conn:
            if on:
                await conn.execute(
                    "INSERT OR IGNORE INTO network_notes (member_id, chosen_at) VALUES (?, ?)",
                    (member_id, self._store.now()),
                )
            else:
                await conn.execute("DELETE FROM network_notes WHERE member_id = ?", (member_id,))

    async def note_readers(self, chat_id: int) -> list[int]:
        """Return the group's members (still in it) who chose the monthly note."""
        rows = await self._store.fetchall(
            """
            SELECT n.member_id FROM network_notes n
            JOIN memberships ms ON ms.member_id = n.member_id AND ms.chat_id = ?
            JOIN members m ON m.id = n.member_id
            WHERE ms.status NOT IN ('left', 'kicked') AND m.dm_reachable = 1
            ORDER BY n.member_id
            """,
            (chat_id,),
        )
        return [int(row[0]) for row in rows]

    async def claim_note(self, member_id: int, month: str, at: datetime) -> bool:
        """Claim the member's note for ``month`` (YYYY-MM); False if it was already sent."""
        async with self._store.transaction() as conn:
            cursor = await conn.execute(
                "INSERT OR IGNORE INTO network_note_months (member_id, month, sent_at) "
                "VALUES (?, ?, ?)",
                (member_id, month, _ts(at)),
            )
            return cursor.rowcount > 0

    async def month_credits(
        self, member_id: int, start: datetime, end: datetime
    ) -> list[tuple[int, int, int]]:
        """Return (other, thanks given, thanks received) of the member's counted thanks in
        [start, end), busiest first."""
        rows = await self._store.fetchall(
            """
            SELECT other_id, sum(gave) AS gave, sum(received) AS received FROM (
                SELECT receiver_id AS other_id, 1 AS gave, 0 AS received FROM credits
                WHERE giver_id = :me AND counted = 1 AND voided_at IS NULL
                  AND created_at >= :start AND created_at < :end
                UNION ALL
                SELECT giver_id AS other_id, 0 AS gave, 1 AS received FROM credits
                WHERE receiver_id = :me AND counted = 1 AND voided_at IS NULL
                  AND created_at >= :start AND created_at < :end
            ) AS c
            GROUP BY other_id ORDER BY sum(gave) + sum(received) DESC, other_id
            """,
            {"me": member_id, "start": _ts(start), "end": _ts(end)},
        )
        return [(int(r["other_id"]), int(r["gave"]), int(r["received"])) for r in rows]

    async def answerable(
        self, member_id: int, chat_id: int, now: datetime
    ) -> tuple[int, int, int, list[str]] | None:
        """Return (ask, group, asker, tags it shares with the member's offers) of an open ask
        the member could answer, or None.

        Posted in a group the member is in now, still open, by someone else who is not
        hidden; tagged with something the member offers; not one they already offered help
        for or said "Not me" to, and none at all for a member who chose no more asks.
        The group ``chat_id`` first, then the newest.
        """
        row = await self._store.fetchone(
            """
            SELECT a.id, a.chat_id, a.asker_id, a.tags FROM asks a
            JOIN members m ON m.id = a.asker_id
            JOIN memberships ms ON ms.chat_id = a.chat_id AND ms.member_id = :me
            WHERE a.status = 'open' AND a.asker_id != :me AND m.hidden = 0
              AND ms.status NOT IN ('left', 'kicked')
              AND (a.expires_at IS NULL OR a.expires_at > :now)
              AND EXISTS (SELECT 1 FROM member_tags t
                          WHERE t.member_id = :me AND t.kind = 'offer'
                            AND t.tag IN (SELECT value FROM json_each(a.tags)))
              AND NOT EXISTS (SELECT 1 FROM ask_offers o
                              WHERE o.ask_id = a.id AND o.helper_id = :me)
              AND NOT EXISTS (SELECT 1 FROM ask_routes r
                              WHERE r.ask_id = a.id AND r.member_id = :me
                                AND r.answer IS NOT NULL)
              AND NOT EXISTS (SELECT 1 FROM ask_prefs p
                              WHERE p.member_id = :me AND p.no_asks = 1)
            ORDER BY CASE WHEN a.chat_id = :chat THEN 0 ELSE 1 END, a.posted_at DESC, a.id
            LIMIT 1
            """,
            {"me": member_id, "chat": chat_id, "now": _ts(now)},
        )
        if row is None:
            return None
        offers = await self._store.fetchall(
            "SELECT tag FROM member_tags WHERE member_id = ? AND kind = 'offer'", (member_id,)
        )
        mine = {str(r["tag"]) for r in offers}
        tags = [tag for tag in json.loads(row["tags"]) if tag in mine]
        return int(row["id"]), int(row["chat_id"]), int(row["asker_id"]), tags

    async def offering(
        self, chat_id: int, tags: Sequence[str], exclude: Iterable[int]
    ) -> tuple[int, str] | None:
        """Return (member, tag) of a member of the group who offers one of ``tags`` in public.

        Only a member who chose to show their offers (``/interests public on``), is not
        hidden and is still in the group; never one of ``exclude``.
        """
        if not tags:
            return None
        row = await self._store.fetchone(
            """
            SELECT t.member_id, t.tag FROM member_tags t
            JOIN members m ON m.id = t.member_id
            JOIN memberships ms ON ms.member_id = t.member_id AND ms.chat_id = :chat
            WHERE t.kind = 'offer' AND t.tag IN (SELECT value FROM json_each(:tags))
              AND m.offers_public = 1 AND m.hidden = 0
              AND ms.status NOT IN ('left', 'kicked')
              AND t.member_id NOT IN (SELECT CAST(value AS INTEGER) FROM json_each(:exclude))
            ORDER BY t.tag, t.member_id LIMIT 1
            """,
            {
                "chat": chat_id,
                "tags": json.dumps(sorted(tags), ensure_ascii=False),
                "exclude": json.dumps(sorted(set(exclude))),
            },
        )
        return (int(row["member_id"]), str(row["tag"])) if row else None

    # ---- "Introduce to…" proposals ------------------------------------------------------------

    async def proposals_since(self, member_id: int, since: datetime) -> int:
        """Return how many introductions the member proposed by hand since ``since``.

        Counted in the database, not in memory: a restart or another instance does not
        give a member a fresh day of introductions that DM two people each.
        """
        row = await self._store.fetchone(
            "SELECT count(*) FROM intros WHERE kind = 'manual' AND initiator_id = ? "
            "AND created_at >= ?",
            (member_id, _ts(since)),
        )
        return int(row[0]) if row else 0

    async def proposed_before(self, member_id: int, a: int, b: int) -> bool:
        """True if the two are being asked or were introduced, or the member proposed them.

        A second "Introduce to…" for the same two would only ask them again (a double
        press, or a member who does not take the first answer).
        """
        row = await self._store.fetchone(
            """
            SELECT 1 FROM intros i
            JOIN intro_members x ON x.intro_id = i.id AND x.member_id = :a
            JOIN intro_members y ON y.intro_id = i.id AND y.member_id = :b
            WHERE i.status IN ('pending', 'active')
               OR (i.kind = 'manual' AND i.initiator_id = :me)
            LIMIT 1
            """,
            {"a": a, "b": b, "me": member_id},
        )
        return row is not None
