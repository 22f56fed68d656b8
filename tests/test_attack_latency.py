"""Attacks on the latency change: checkpoints beside the commits, one flush per command,
/helpers and /profile beside the update stream."""

import asyncio
import os

import storage.sqlite as sqlite_module
from storage import open_store
from tests import factories as f
from tests.conftest import MEMBER
from tests.test_e2e_ledger import CARLA, DARIO, GROUP, group, said, thank

__all__ = ["group"]  # the fixture, imported for the tests below


def _wal_size(path) -> int | None:
    """The size of the database's write-ahead log (None: there is none)."""
    wal = f"{path}-wal"
    return os.path.getsize(wal) if os.path.exists(wal) else None


async def _hold_after(monkeypatch, owner, name):
    """Make ``owner.name`` read as usual, then wait: return (reading, release)."""
    reading, release = asyncio.Event(), asyncio.Event()
    original = getattr(owner, name)

    async def held(*args: object, **kwargs: object) -> object:
        result = await original(*args, **kwargs)
        reading.set()
        await release.wait()
        return result

    monkeypatch.setattr(owner, name, held)
    return reading, release


async def _hide_while_held(rete, summary):
    """MEMBER presses 🙈 in their /privacy summary (the stream goes on beside the held read)."""
    update_id = rete.telegram.add_update(f.callback_query(MEMBER, "privacy:hide", summary.result))
    await rete.telegram.wait_delivered(update_id)
    # The summary is edited once the 🙈 is on record.
    await rete.telegram.wait_for(lambda: rete.telegram.calls_to("editMessageText"))
    assert (await rete.db.members.get(MEMBER["id"])).hidden


async def _thanked_and_privacy_open(rete):
    await thank(rete, CARLA, await said(rete, MEMBER))
    rete.telegram.started_users.add(MEMBER["id"])
    await rete.send(f.command(f.private_chat(MEMBER), MEMBER, "/privacy"))
    return rete.telegram.sent(MEMBER["id"], method="sendMessage")[-1]


async def _answer_to_held(rete, monkeypatch, command, read, meanwhile):
    """Send ``command``; while its ledger ``read`` waits, run ``meanwhile``; return the answer."""
    reading, release = await _hold_after(monkeypatch, rete.db.ledger, read)
    rete.telegram.clear_calls()
    rete.telegram.add_update(f.command(GROUP, DARIO, command))
    await asyncio.wait_for(reading.wait(), timeout=3)
    try:
        await meanwhile()
    finally:
        release.set()
    await rete.settle()
    return rete.last_text(GROUP["id"])


async def test_helpers_never_names_a_member_who_hid_while_it_read(rete, group, monkeypatch):
    """/helpers runs beside the stream now: a 🙈 pressed between its board and its names
    must not be named (the board left hidden members out when it was read)."""
    summary = await _thanked_and_privacy_open(rete)
    text = await _answer_to_held(
        rete, monkeypatch, "/helpers", "pairs", lambda: _hide_while_held(rete, summary)
    )
    assert "Bruno" not in text


async def test_helpers_never_shows_a_member_deleted_while_it_read(rete, group, monkeypatch):
    """A member who deleted everything is not listed, not even by their number."""
    await _thanked_and_privacy_open(rete)
    text = await _answer_to_held(
        rete, monkeypatch, "/helpers", "pairs", lambda: rete.db.members.delete(MEMBER["id"])
    )
    assert str(MEMBER["id"]) not in text
    assert "Bruno" not in text


async def test_profile_never_names_a_member_who_hid_while_it_read(rete, group, monkeypatch):
    """/profile @bruno checked that Bruno was not hidden, then read on: a 🙈 pressed
    meanwhile (answered before the profile) must not be followed by Bruno's profile."""
    summary = await _thanked_and_privacy_open(rete)
    text = await _answer_to_held(
        rete,
        monkeypatch,
        "/profile @bruno",
        "received_since_each",
        lambda: _hide_while_held(rete, summary),
    )
    assert text == "@bruno preferisce non comparire nelle classifiche."


async def test_the_log_stays_bounded_over_back_to_back_commits(tmp_path, monkeypatch):
    """2,000 commits one after another (a busy stream): the background PASSIVE checkpoint
    overlaps the next commits, so the log never restarts from its beginning unless the
    store makes it; SQLite's own checkpoint kept it near 1,000 pages (4 MB). The store's
    bound (RESTART_AT) is set to those 1,000 pages here: 2,000 small commits stay under
    the real one, where a log that never restarts could not be told from one that does."""
    monkeypatch.setattr(sqlite_module, "RESTART_AT", 1000)
    path = tmp_path / "rete.sqlite3"
    store = await open_store(path)
    try:
        largest = 0
        for member_id in range(1000, 3000):
            async with store.transaction() as conn:
                await conn.execute(
                    "INSERT INTO members (id, first_name, first_seen, updated_at)"
                    " VALUES (?, 'M', ?, ?)",
                    (member_id, store.now(), store.now()),
                )
            largest = max(largest, _wal_size(path) or 0)
        assert largest < 8 * 1024 * 1024, f"the log grew to {largest:,} bytes"
    finally:
        await store.close()
    store = await open_store(path)
    try:
        assert (await store.fetchone("SELECT count(*) FROM members"))[0] == 2000
    finally:
        await store.close()


async def test_closing_while_a_checkpoint_runs_loses_nothing_and_does_not_hang(tmp_path):
    """A restart right as a checkpoint of a big log starts: close waits for it, no lock
    is left waiting, and every row is there when the store is opened again."""
    path = tmp_path / "rete.sqlite3"
    for round_ in range(3):
        store = await open_store(path)
        try:
            for member_id in range(round_ * 1500, round_ * 1500 + 1500):
                async with store.transaction() as conn:
                    await conn.execute(
                        "INSERT INTO members (id, first_name, first_seen, updated_at)"
                        " VALUES (?, 'M', ?, ?)",
                        (member_id, store.now(), store.now()),
                    )
        finally:
            await asyncio.wait_for(store.close(), timeout=5)
        assert _wal_size(path) is None, "closing checkpoints the whole log"
    store = await open_store(path)
    try:
        assert (await store.fetchone("SELECT count(*) FROM members"))[0] == 4500
    finally:
        await store.close()


async def test_hostile_profile_and_helpers_arguments_get_a_clear_answer(rete, group):
    await thank(rete, CARLA, await said(rete, MEMBER))
    for text in (
        "/profile @" + "<" * 2000,
        "/profile @\u200b\u202ebruno",
        "/helpers " + "<" * 2000,
    ):
        rete.telegram.clear_calls()
        await rete.send(f.command(GROUP, DARIO, text))
        [answer] = rete.texts(GROUP["id"])
        assert answer.startswith(("Non conosco ancora", "“")), answer[:80]
        assert len(answer) < 4096
