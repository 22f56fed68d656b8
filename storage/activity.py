"""Activity counters kept in memory and written in one transaction per flush.

Counting a message is the hottest path of the bot. Writing each one in its own
transaction costs about 0.6 ms here (six hand-offs to the database thread); buffering
them and flushing once a second, one statement per table, costs a few milliseconds per
second whatever the traffic. Joins and leaves ride along (a transaction of their own would make
the update wait for several hand-offs), applied in the order they happened. The price,
stated in the README: a crash loses at most the counters, joins and leaves of the last
flush interval. Settings are written at once; credits have their own batch
(``storage.ledger``), acknowledged only once written.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from storage.members_sql import UPSERT_MEMBERS_JSON, member_row
from storage.models import ChatInfo, MemberInfo

# Upserts applied at flush time, in foreign-key order. Each takes its rows as one JSON
# array: SQLite unpacks it in one step, without the GIL. With executemany, the database
# thread needs the GIL back for every row, and while the event loop's thread is busy
# parsing updates each of those waits up to the switch interval (5 ms): a flush of a busy
# second took up to a second that way, and held the database all along.
FLUSH_CHATS = """
    INSERT INTO chats (id, type, title, username, is_forum, last_message_id, added_at,
                       updated_at)
    SELECT CAST(json_extract(value, '$[0]') AS INTEGER), json_extract(value, '$[1]'),
           json_extract(value, '$[2]'), json_extract(value, '$[3]'),
           CAST(json_extract(value, '$[4]') AS INTEGER),
           CAST(json_extract(value, '$[5]') AS INTEGER),
           json_extract(value, '$[6]'), json_extract(value, '$[7]')
    FROM json_each(?) WHERE true
    ON CONFLICT (id) DO UPDATE SET
        type = excluded.type, title = excluded.title, username = excluded.username,
        is_forum = excluded.is_forum,
        last_message_id = coalesce(max(last_message_id, excluded.last_message_id),
                                   last_message_id, excluded.last_message_id),
        updated_at = excluded.updated_at
"""
FLUSH_MEMBERS = UPSERT_MEMBERS_JSON
FLUSH_MEMBERSHIPS = """
    INSERT INTO memberships (chat_id, member_id, status, first_seen, last_seen)
    SELECT CAST(json_extract(value, '$[0]') AS INTEGER),
           CAST(json_extract(value, '$[1]') AS INTEGER), 'member',
           json_extract(value, '$[2]'), json_extract(value, '$[3]')
    FROM json_each(?) WHERE true
    ON CONFLICT (chat_id, member_id) DO UPDATE SET
        first_seen = min(first_seen, excluded.first_seen),
        last_seen = max(last_seen, excluded.last_seen),
        status = CASE WHEN status IN ('left', 'kicked') AND excluded.last_seen > left_at
                      THEN 'member' ELSE status END
"""
# Newcomers to welcome, queued with their join (storage.welcomes; a repeat adds nothing).
FLUSH_WELCOMES = """
    INSERT INTO welcomes (chat_id, member_id, joined_at, state)
    SELECT CAST(json_extract(value, '$[0]') AS INTEGER),
           CAST(json_extract(value, '$[1]') AS INTEGER), json_extract(value, '$[2]'), 'pending'
    FROM json_each(?) WHERE true
    ON CONFLICT (chat_id, member_id) DO NOTHING
"""
FLUSH_ACTIVITY = """
    INSERT INTO activity_daily (chat_id, member_id, day, messages)
    SELECT CAST(json_extract(value, '$[0]') AS INTEGER),
           CAST(json_extract(value, '$[1]') AS INTEGER),
           json_extract(value, '$[2]'), CAST(json_extract(value, '$[3]') AS INTEGER)
    FROM json_each(?) WHERE true
    ON CONFLICT (chat_id, day, member_id) DO UPDATE SET messages = messages + excluded.messages
"""
FLUSH_AUTHORS = """
    INSERT OR IGNORE INTO message_authors (chat_id, message_id, member_id, sent_at)
    SELECT CAST(json_extract(value, '$[0]') AS INTEGER),
           CAST(json_extract(value, '$[1]') AS INTEGER),
           CAST(json_extract(value, '$[2]') AS INTEGER), json_extract(value, '$[3]')
    FROM json_each(?)
"""
# With other writers on the database (several instances on PostgreSQL), a message may have
# been counted by another instance that got a copy of its update: the authors go first and
# say which messages this flush recorded first, and only those are counted.
FLUSH_NEW_AUTHORS = FLUSH_AUTHORS.rstrip() + "\n    RETURNING chat_id, message_id\n"


@dataclass
class PendingActivity:
    """What was counted since the last flush."""

    chats: dict[int, ChatInfo] = field(default_factory=dict)
    marks: dict[int, int] = field(default_factory=dict)
    members: dict[int, MemberInfo] = field(default_factory=dict)
    seen: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict)
    activity: dict[tuple[int, int, str], int] = field(default_factory=dict)
    # (chat, message) -> (author, when sent, local day): each message counted.
    authors: dict[tuple[int, int], tuple[int, str, str]] = field(default_factory=dict)
    # Joins and leaves in the order they happened: (statement, parameters).
    presence: list[tuple[str, tuple[object, ...]]] = field(default_factory=list)
    # Joins to welcome: (chat, member) -> when they joined (the first report).
    welcomes: dict[tuple[int, int], str] = field(default_factory=dict)
    # Holds rows of a write that failed, which may have committed all the same (a task
    # cancelled while its COMMIT ran): written again, they must count no message twice.
    rewritten: bool = False

    def __len__(self) -> int:
        return len(self.authors)

    def is_empty(self) -> bool:
        """True if there is nothing to write."""
        return not self.authors and not self.presence and not self.seen and not self.welcomes

    def _remember(self, chat: ChatInfo, member: MemberInfo) -> MemberInfo:
        self.chats[chat.id] = chat
        previous = self.members.get(member.id)
        if previous is member:
            return member
        if previous is not None and member.language_code is None:
            # Telegram leaves language_code out at times: keep the one we know.
            member = replace(member, language_code=previous.language_code)
        self.members[member.id] = member
        return member

    def add(
        self, chat: ChatInfo, member: MemberInfo, message_id: int, seen: str, day: str
    ) -> None:
        """Count one message."""
        member = self._remember(chat, member)
        self.marks[chat.id] = max(message_id, self.marks.get(chat.id, 0))
        key = (chat.id, member.id)
        first, last = self.seen.get(key, (seen, seen))
        self.seen[key] = (min(first, seen), max(last, seen))
        day_key = (chat.id, member.id, day)
        self.activity[day_key] = self.activity.get(day_key, 0) + 1
        self.authors[(chat.id, message_id)] = (member.id, seen, day)

    def see(self, chat: ChatInfo, member: MemberInfo, seen: str) -> None:
        """Note that ``member`` was in ``chat`` (a command to Rete): seen, not a message."""
        member = self._remember(chat, member)
        key = (chat.id, member.id)
        first, last = self.seen.get(key, (seen, seen))
        self.seen[key] = (min(first, seen), max(last, seen))

    def change(
        self, chat: ChatInfo, member: MemberInfo, statement: str, params: tuple[object, ...]
    ) -> None:
        """Note a join or leave, written by ``statement`` with ``params`` at the next flush."""
        self._remember(chat, member)
        self.presence.append((statement, params))

    def welcome(self, chat: ChatInfo, member: MemberInfo, joined: str) -> None:
        """Queue the welcome of a member who joined (written with the join)."""
        self._remember(chat, member)
        self.welcomes.setdefault((chat.id, member.id), joined)

    def absorb(self, older: PendingActivity) -> None:
        """Take back counters a failed flush could not write (they are older than ours)."""
        self.rewritten = True
        for chat_id, chat in older.chats.items():
            self.chats.setdefault(chat_id, chat)
        for chat_id, mark in older.marks.items():
            self.marks[chat_id] = max(mark, self.marks.get(chat_id, 0))
        for member_id, member in older.members.items():
            self.members.setdefault(member_id, member)
        for key, (first, last) in older.seen.items():
            mine = self.seen.get(key)
            self.seen[key] = (min(first, mine[0]), max(last, mine[1])) if mine else (first, last)
        for day_key, count in older.activity.items():
            self.activity[day_key] = self.activity.get(day_key, 0) + count
        for author_key, author in older.authors.items():
            self.authors.setdefault(author_key, author)
        self.presence[:0] = older.presence
        for key, joined in older.welcomes.items():
            self.welcomes[key] = min(joined, self.welcomes.get(key, joined))

    def take(self, chat_ids: Collection[int]) -> PendingActivity:
        """Move the rows of these chats out into a buffer of their own, and return it.

        Every row belongs to one chat, but a member to all the chats they were seen in:
        the members are copied, not moved (written twice, they are the same).
        """
        part = PendingActivity(rewritten=self.rewritten)
        wanted = set(chat_ids)
        for chat_id in wanted:
            if chat_id in self.chats:
                part.chats[chat_id] = self.chats.pop(chat_id)
            if chat_id in self.marks:
                part.marks[chat_id] = self.marks.pop(chat_id)
        part.seen = _move(self.seen, wanted)
        part.activity = _move(self.activity, wanted)
        part.authors = _move(self.authors, wanted)
        part.welcomes = _move(self.welcomes, wanted)
        kept: list[tuple[str, tuple[object, ...]]] = []
        for change in self.presence:
            (part.presence if change[1][0] in wanted else kept).append(change)
        self.presence = kept
        members = {key[1] for key in part.seen} | {a[0] for a in part.authors.values()}
        members |= {key[1] for key in part.welcomes}
        members |= {int(str(params[1])) for _, params in part.presence}
        part.members = {m: self.members[m] for m in members if m in self.members}
        return part

    def _presence_runs(self) -> list[tuple[str, list[tuple[object, ...]]]]:
        """Group consecutive joins (or leaves) into one statement each, keeping the order.

        A member's second join (or leave) in a run changes nothing after the first (see
        _JOIN and _LEAVE), so only the first goes in: one statement never writes a row
        twice (PostgreSQL refuses that).
        """
        runs: list[tuple[str, list[tuple[object, ...]]]] = []
        keys: set[tuple[object, object]] = set()
        for statement, params in self.presence:
            if runs and runs[-1][0] == statement:
                if (params[0], params[1]) in keys:
                    continue
                runs[-1][1].append(params)
            else:
                runs.append((statement, [params]))
                keys = set()
            keys.add((params[0], params[1]))
        return [(statement, _as_json(rows)) for statement, rows in runs]

    def rows(
        self, now: str, *, ordered: bool = False
    ) -> list[tuple[str, list[tuple[object, ...]]]]:
        """Return (statement, rows) pairs to apply in one transaction, in foreign-key order.

        ``ordered`` (several instances, PostgreSQL): rows go in key order, so two instances
        flushing overlapping rows lock them in the same order and neither waits for the
        other in a circle (a deadlock). One writer (SQLite) skips the sorting (a few
        hundred microseconds per thousand rows, on the event loop).
        """
        return [
            *self.rows_before_counts(now, ordered=ordered),
            (FLUSH_ACTIVITY, self.activity_rows(ordered=ordered)),
            (FLUSH_AUTHORS, self.author_rows(ordered=ordered)),
        ]

    def rows_before_counts(
        self, now: str, *, ordered: bool = False
    ) -> list[tuple[str, list[tuple[object, ...]]]]:
        """The (statement, rows) pairs that come before the counters: chats, members,
        joins and leaves, welcomes, memberships (all of them the same whoever writes them
        first, and however often)."""
        return [
            (
                FLUSH_CHATS,
                _as_json(
                    [
                        (
                            c.id,
                            c.type,
                            c.title,
                            c.username,
                            int(c.is_forum),
                            self.marks.get(c.id),
                            now,
                            now,
                        )
                        for _, c in _items(self.chats, ordered)
                    ]
                ),
            ),
            (
                FLUSH_MEMBERS,
                _as_json([member_row(m, now) for _, m in _items(self.members, ordered)]),
            ),
            # Joins and leaves before the counters: FLUSH_MEMBERSHIPS then compares times
            # (a message after a leave means the member is back), as it did when joins and
            # leaves were written at once.
            *self._presence_runs(),
            (
                FLUSH_WELCOMES,
                _as_json([(c, m, j) for (c, m), j in _items(self.welcomes, ordered)]),
            ),
            (
                FLUSH_MEMBERSHIPS,
                _as_json([(c, m, f, la) for (c, m), (f, la) in _items(self.seen, ordered)]),
            ),
        ]

    def author_rows(self, *, ordered: bool = False) -> list[tuple[object, ...]]:
        """The parameters of FLUSH_AUTHORS (or FLUSH_NEW_AUTHORS): every message counted."""
        return _as_json([(c, i, m, t) for (c, i), (m, t, _) in _items(self.authors, ordered)])

    def activity_rows(
        self, new: set[tuple[int, int]] | None = None, *, ordered: bool = False
    ) -> list[tuple[object, ...]]:
        """The parameters of FLUSH_ACTIVITY: every counter, or only the messages in ``new``
        (those this flush recorded first, see FLUSH_NEW_AUTHORS)."""
        if new is None or len(new) == len(self.authors):
            counts = self.activity
        else:
            counts = {}
            for (chat_id, message_id), (member_id, _, day) in self.authors.items():
                if (chat_id, message_id) in new:
                    key = (chat_id, member_id, day)
                    counts[key] = counts.get(key, 0) + 1
        return _as_json([(c, m, d, n) for (c, m, d), n in _items(counts, ordered)])


_K = TypeVar("_K", bound=tuple[Any, ...])
_V = TypeVar("_V")


def _move(rows: dict[_K, _V], chat_ids: set[int]) -> dict[_K, _V]:
    """Take out of ``rows`` (keyed by chat first) those of ``chat_ids``; return them."""
    moved = {key: value for key, value in rows.items() if key[0] in chat_ids}
    for key in moved:
        del rows[key]
    return moved


def _items(rows: dict[Any, Any], ordered: bool) -> Iterable[tuple[Any, Any]]:
    """A buffer's rows, in key order when several instances write (see ``rows``)."""
    return sorted(rows.items()) if ordered else rows.items()


def _as_json(rows: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    """Return the parameters that pass ``rows`` to a json_each statement in one go."""
    return [(json.dumps(rows),)] if rows else []
