"""The one statement that creates or refreshes a member, shared by every write path."""

from __future__ import annotations

import aiosqlite

from storage.models import MemberInfo

# Keeps names and username current; a missing language_code keeps the known one. Rows
# that would not change are not rewritten.
_MEMBER_COLUMNS = """
    INSERT INTO members (id, first_name, last_name, username, language_code, first_seen,
                         updated_at)
"""
_ON_CONFLICT = """
    ON CONFLICT (id) DO UPDATE SET
        first_name = excluded.first_name, last_name = excluded.last_name,
        username = excluded.username,
        language_code = coalesce(excluded.language_code, language_code),
        updated_at = excluded.updated_at
    WHERE first_name IS NOT excluded.first_name OR last_name IS NOT excluded.last_name
       OR username IS NOT excluded.username
       OR (excluded.language_code IS NOT NULL AND language_code IS NOT excluded.language_code)
"""
UPSERT_MEMBER = _MEMBER_COLUMNS + "VALUES (?, ?, ?, ?, ?, ?, ?)" + _ON_CONFLICT
# The same for a JSON array of member_row()s, in one statement: a batch written this way
# needs the GIL once, where executemany needs it for every row (see storage.activity).
UPSERT_MEMBERS_JSON = (
    _MEMBER_COLUMNS
    + """
    SELECT CAST(json_extract(value, '$[0]') AS INTEGER), json_extract(value, '$[1]'),
           json_extract(value, '$[2]'), json_extract(value, '$[3]'),
           json_extract(value, '$[4]'), json_extract(value, '$[5]'),
           json_extract(value, '$[6]')
    FROM json_each(?) WHERE true
"""
    + _ON_CONFLICT
)


def member_row(member: MemberInfo, now: str) -> tuple[object, ...]:
    """Return UPSERT_MEMBER's parameters for ``member`` seen at ``now``."""
    return (
        member.id,
        member.first_name,
        member.last_name,
        member.username,
        member.language_code,
        now,
        now,
    )


def merged_member_rows(
    rows: list[tuple[object, ...]], *, ordered: bool = False
) -> list[tuple[object, ...]]:
    """Return member_row()s with one row per member, as applying them in order would leave it.

    One upsert statement may not touch a row twice on PostgreSQL (SQLite applies the rows
    one after the other): the first row of a member is kept (first_seen, and updated_at
    unless something changed), later ones bring their names, and their language if known.
    """
    merged: dict[object, tuple[object, ...]] = {}
    for row in rows:
        earlier = merged.get(row[0])
        if earlier is None:
            merged[row[0]] = row
            continue
        language = row[4] if row[4] is not None else earlier[4]
        if (row[1], row[2], row[3], language) != earlier[1:5]:
            merged[row[0]] = (row[0], row[1], row[2], row[3], language, earlier[5], row[6])
    if not ordered:
        return list(merged.values())
    # In id order (several instances): two of them upserting overlapping members lock the
    # rows in the same order, so neither waits for the other in a circle (a deadlock).
    return [merged[key] for key in sorted(merged)]  # type: ignore[type-var]


async def upsert_member(conn: aiosqlite.Connection, member: MemberInfo, now: str) -> None:
    """Create or refresh one member inside the caller's transaction."""
    await conn.execute(UPSERT_MEMBER, member_row(member, now))
