"""Attacks on the searches' in-memory index (storage/holders.py): can a stale index show or
introduce someone who should not be shown?

Each test makes a write that takes a member out of /whoknows or /meet (hiding, pausing,
stopping, leaving, a ban, /privacy delete, a tag removed, a never-list), by the same bot
or by another instance on the same database, at the worst moment we could find, and
checks that the next search does not name or introduce them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from storage import ChatInfo, MemberInfo, open_store
from storage import holders as holders_module

GROUP = ChatInfo(-100, "supergroup", "Makers")
PEOPLE = [MemberInfo(i, f"M{i}", None, f"m{i}", "en") for i in range(1, 7)]
NOW = datetime(2026, 12, 2, 9, 15, tzinfo=UTC)


def ids(found: Any) -> set[int]:
    return {int(row[0]) for row in found.rows}


async def seed(store: Any) -> None:
    for person in PEOPLE:
        await store.memberships.record_message(GROUP, person, person.id, NOW, NOW.date())
        await store.members.set_reachable(person.id, True)
        await store.intros.join(GROUP.id, person, NOW)
        await store.intros.add_tags(person, "interest", ["python", "rust"], NOW)


# ---- a write between the refresh's reads ----------------------------------------------------


async def test_a_change_committed_between_the_generation_and_the_changes_is_not_lost(database):
    """Hidden at generation G, then another change to the same member commits while the
    search refreshes (after it read G, before it read who changed): the member's row in
    holder_changes now says G+1, and a refresh that reads only "changed up to G" skipped
    them, so that search named a member who had hidden."""
    reader = await open_store(database)
    writer = await open_store(database)
    try:
        await seed(writer)
        hidden = PEOPLE[0]
        assert hidden.id in ids(await reader.intros.listed_holders(GROUP.id, ["python"]))
        await writer.members.set_hidden(hidden.id, True)

        search = reader.search
        injected = False

        async def interleaved(sql: str, params: Any = ()) -> Any:
            nonlocal injected
            rows = await search(sql, params)
            if sql == holders_module._GENERATION and not injected:
                injected = True
                # Another write of the same member lands right after the generation read.
                await writer.intros.remove_tags(hidden.id, ["rust"])
            return rows

        reader.search = interleaved  # type: ignore[method-assign]
        found = await reader.intros.listed_holders(GROUP.id, ["python"])
        assert injected
        assert hidden.id not in ids(found), "hid, and was named by the next search"
        reader.search = search  # type: ignore[method-assign]
        assert hidden.id not in ids(await reader.intros.listed_holders(GROUP.id, ["python"]))
    finally:
        await writer.close()
        await reader.close()
