"""Attacks on the searches' in-memory index (storage/holders.py): can a stale index show or
introduce someone who should not be shown?

Each test makes a write that takes a member out of /whoknows or /meet (hiding, pausing,
stopping, leaving, a ban, /privacy delete, a tag removed, a never-list), by the same bot
or by another instance on the same database, at the worst moment we could find, and
checks that the next search does not name or introduce them.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.settings import Settings
from storage import ChatInfo, MemberInfo, open_store
from storage import holders as holders_module
from tests import factories as f
from tests.conftest import ADMIN, Rete
from tests.fake_telegram import FakeTelegram

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


# ---- two instances flipping the same flag at once (PostgreSQL) -------------------------------


def _pause_after_update(
    store: Any,
    started: asyncio.Event,
    done: asyncio.Event,
    go: asyncio.Event,
    statement: str = "UPDATE members",
) -> None:
    """Hold the store's transaction after its first ``statement``, before it commits."""
    conn = store._conn
    execute = conn.execute
    paused = False

    async def held(sql: str, params: Any = ()) -> Any:
        nonlocal paused
        first = not paused and sql.lstrip().startswith(statement)
        if first:
            paused = True
            started.set()
        cursor = await execute(sql, params)
        if first:
            done.set()
            await go.wait()
        return cursor

    conn.execute = held


async def test_hide_and_show_at_once_on_two_instances_leave_no_stale_index(postgres_schemas):
    """Shown on instance A while instance B hides her: B read "already hidden" before A
    committed, so it wrote hidden = 1 over A's 0 without marking, and an index refreshed
    between the two commits kept showing her."""
    database = await postgres_schemas.new()
    a, b, reader = [await open_store(database) for _ in range(3)]
    try:
        await seed(a)
        member = PEOPLE[0].id
        await a.members.set_hidden(member, True)
        assert member not in ids(await reader.intros.listed_holders(GROUP.id, ["python"]))
        events = [asyncio.Event() for _ in range(6)]
        a_started, a_done, a_go, b_started, b_done, b_go = events
        _pause_after_update(a, a_started, a_done, a_go)
        _pause_after_update(b, b_started, b_done, b_go)
        showing = asyncio.create_task(a.members.set_hidden(member, False))
        await asyncio.wait_for(a_done.wait(), 5)  # A holds the row, uncommitted
        hiding = asyncio.create_task(b.members.set_hidden(member, True))
        await asyncio.wait_for(b_started.wait(), 5)
        await asyncio.sleep(0.3)  # B's UPDATE waits for A's row lock on the server
        a_go.set()
        await showing
        await asyncio.wait_for(b_done.wait(), 5)
        # Between the two commits: shown, as the database says right now.
        assert member in ids(await reader.intros.listed_holders(GROUP.id, ["python"]))
        b_go.set()
        await hiding
        row = await reader.fetchone("SELECT hidden FROM members WHERE id = ?", (member,))
        assert row[0] == 1, "B's hide was the last write"
        assert member not in ids(await reader.intros.listed_holders(GROUP.id, ["python"])), (
            "hidden, and still named: B's write was not marked"
        )
    finally:
        for store in (reader, b, a):
            await store.close()


OTHER = ChatInfo(-200, "supergroup", "Kayak club")


@pytest.mark.parametrize("write", ["remove_tags", "set_hidden", "delete"])
async def test_a_write_racing_an_opt_in_elsewhere_marks_that_group_too(postgres_schemas, write):
    """Instance A removes her tag (or hides her, or deletes her data) and has marked the
    groups she is opted in to, not yet committed, when instance B opts her in to another
    group and commits: an index of that group built then holds her as she was, and A's
    commit marked nothing there, so she stayed named under the removed tag (or hidden,
    or deleted) in that group."""
    database = await postgres_schemas.new()
    a, b, reader = [await open_store(database) for _ in range(3)]
    try:
        await seed(a)
        member = PEOPLE[0]
        await a.memberships.record_message(OTHER, member, 1, NOW, NOW.date())
        await a.memberships.record_message(OTHER, PEOPLE[1], 2, NOW, NOW.date())
        await a.intros.join(OTHER.id, PEOPLE[1], NOW)
        await a.flush()
        assert member.id not in ids(await reader.intros.listed_holders(OTHER.id, ["python"]))
        started, done, go = asyncio.Event(), asyncio.Event(), asyncio.Event()
        # Held once the marks are written: the changes (a delete: the reset of its groups).
        marked = "INSERT INTO holder_marks" if write == "delete" else "INSERT INTO holder_changes"
        _pause_after_update(a, started, done, go, marked)
        if write == "remove_tags":
            writing = asyncio.create_task(a.intros.remove_tags(member.id, ["python"]))
        elif write == "set_hidden":
            writing = asyncio.create_task(a.members.set_hidden(member.id, True))
        else:
            writing = asyncio.create_task(a.members.delete(member.id))
        await asyncio.wait_for(done.wait(), 5)  # marked, not committed
        joining = asyncio.create_task(b.intros.join(OTHER.id, member, NOW))
        await asyncio.wait([joining], timeout=1)  # done, or waiting for A (then fine)
        await reader.intros.listed_holders(OTHER.id, ["python"])
        go.set()
        await writing
        await joining
        found = await reader.intros.listed_holders(OTHER.id, ["python"])
        assert member.id not in ids(found), f"named in the other group after {write}"
        assert ids(found) == ids(await reader.intros.holders_by_sql(OTHER.id, ["python"]))
    finally:
        for store in (reader, b, a):
            await store.close()


# ---- end to end: the real bot, a write, and the very next /whoknows and /meet ----------------

E2E_GROUP = f.group(-1007, "Makers <&>")
JOIN = "/start intros-j1007"
ALBA = f.user(401, "Alba", username="alba", language_code="en")
BRUNA = f.user(402, "Bruna", username="bruna", language_code="en")
DORA = f.user(404, "Dora", username="dora", language_code="en")
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def private(user: dict) -> dict:
    return f.private_chat(user)


def _last_dm(rete: Any, user: dict) -> Any:
    sent = rete.telegram.sent(user["id"])
    assert sent, f"no DM to {user['first_name']}"
    return sent[-1]


async def _press(rete: Any, user: dict, call: Any, data: str) -> None:
    await rete.send(f.callback_query(user, data, call.result))


async def _set_up_group(rete: Any) -> None:
    rete.telegram.set_admins(E2E_GROUP["id"], ADMIN)
    await rete.send(
        f.my_chat_member(E2E_GROUP, ADMIN, rete.telegram.bot_user, "left", "member"),
        f.command(E2E_GROUP, ADMIN, "/settings language en"),
        f.command(E2E_GROUP, ADMIN, "/settings intros on"),
    )
    day = (rete.now().astimezone(ZoneInfo("Europe/Rome")).weekday() + 3) % 7
    await rete.send(f.command(E2E_GROUP, ADMIN, f"/settings introsday {DAYS[day]}"))


async def _join(rete: Any, user: dict, *tags: str) -> None:
    await rete.send(f.message_update(f.message(E2E_GROUP, user, "ciao a tutti")))
    await rete.send(f.command(private(user), user, JOIN))
    await _press(rete, user, _last_dm(rete, user), f"in:j:{E2E_GROUP['id']}")
    for line in tags:
        await rete.send(f.command(private(user), user, f"/interests {line}"))


async def _whoknows(rete: Any, asker: dict = DORA, tag: str = "python") -> str:
    await rete.send(f.command(E2E_GROUP, asker, f"/whoknows {tag}"))
    return rete.last_text(E2E_GROUP["id"])


async def _introduced(rete: Any, asker: dict) -> set[int]:
    rows = await rete.db.fetchall(
        "SELECT m.member_id FROM intro_members m JOIN intros i ON i.id = m.intro_id "
        "WHERE i.kind = 'meet' AND i.status IN ('active', 'pending') AND m.member_id != ?",
        (asker["id"],),
    )
    return {int(row[0]) for row in rows}


async def _hide(rete: Any) -> None:
    await rete.send(f.command(private(ALBA), ALBA, "/privacy"))
    await _press(rete, ALBA, _last_dm(rete, ALBA), "privacy:hide")


async def _delete(rete: Any) -> None:
    await rete.send(f.command(private(ALBA), ALBA, "/privacy"))
    await _press(rete, ALBA, _last_dm(rete, ALBA), "privacy:delete")
    await _press(rete, ALBA, _last_dm(rete, ALBA), "privacy:confirm")
    assert await rete.db.members.get(ALBA["id"]) is None


async def _say(rete: Any, *texts: str) -> None:
    for text in texts:
        await rete.send(f.command(private(ALBA), ALBA, text))


async def _pause(rete: Any) -> None:
    until = (rete.now() + timedelta(days=20)).date().isoformat()
    await _say(rete, f"/intros pause {until}")
    assert (await rete.db.intros.optin(E2E_GROUP["id"], ALBA["id"])).status == "paused"


async def _leave(rete: Any) -> None:
    await rete.send(f.chat_member(E2E_GROUP, ALBA, ALBA, "member", "left"))


async def _left_message(rete: Any) -> None:
    await rete.send(f.left_member(E2E_GROUP, ALBA, ALBA))


async def _ban(rete: Any) -> None:
    await rete.send(f.chat_member(E2E_GROUP, ADMIN, ALBA, "member", "kicked"))


async def _block(rete: Any) -> None:
    await rete.send(
        f.my_chat_member(private(ALBA), ALBA, rete.telegram.bot_user, "member", "kicked")
    )


# (name, the write, whether /whoknows must stop naming her, whether /meet must stop
# introducing her), as the SQL pools say: hidden from lists, she is still introduced;
# paused, or unreachable in private, she is still listed, never introduced.
EXITS = [
    ("hides", _hide, True, False),
    ("pauses", _pause, False, True),
    ("stops", lambda rete: _say(rete, "/intros stop"), True, True),
    ("leaves", _leave, True, True),
    ("leaves-by-service-message", _left_message, True, True),
    ("is-banned", _ban, True, True),
    ("deletes-her-data", _delete, True, True),
    ("removes-the-tags", lambda rete: _say(rete, "/interests remove python, chess"), True, True),
    (
        "turns-offers-into-seeks",
        lambda rete: _say(rete, "/interests remove python, chess", "/interests seek python"),
        True,
        False,  # seeking what Dora seeks still makes a match (a shared seek)
    ),
    ("never-the-asker", lambda rete: _say(rete, "/intros never @dora"), True, True),
    ("blocks-the-bot", _block, False, True),
]


@pytest.mark.parametrize(
    ("write", "unlisted", "unintroduced"), [e[1:] for e in EXITS], ids=[e[0] for e in EXITS]
)
async def test_right_after_she_goes_no_search_names_or_introduces_her(
    rete, write, unlisted, unintroduced
):
    await _set_up_group(rete)
    await _join(rete, ALBA, "offer python, chess")
    await _join(rete, BRUNA, "python")
    await _join(rete, DORA, "python, chess", "seek python")
    # A search runs once before: the group's index is built and fresh.
    text = await _whoknows(rete)
    assert "• Alba — can help with it" in text
    assert "Bruna" in text
    await write(rete)
    text = await _whoknows(rete)
    assert "Bruna" in text, "the search ran"
    assert ("Alba" not in text) == unlisted, text
    await rete.send(f.command(private(DORA), DORA, "/meet"))
    introduced = await _introduced(rete, DORA)
    assert len(introduced) == 1, "introduced to somebody"
    if unintroduced:
        assert introduced == {BRUNA["id"]}, "introduced to Bruna, not Alba"


# ---- other groups, a supergroup, coming back --------------------------------------------------

OTHER_GROUP = f.group(-1008, "Kayak club")
CARLO = f.user(403, "Carlo", username="carlo", language_code="en")


async def test_a_member_of_another_group_is_never_named_here(rete):
    await _set_up_group(rete)
    await _join(rete, DORA, "python")
    await _join(rete, BRUNA, "python")
    # Carlo writes only in the kayak club and offers python there.
    rete.telegram.set_admins(OTHER_GROUP["id"], ADMIN)
    await rete.send(
        f.my_chat_member(OTHER_GROUP, ADMIN, rete.telegram.bot_user, "left", "member"),
        f.command(OTHER_GROUP, ADMIN, "/settings language en"),
        f.command(OTHER_GROUP, ADMIN, "/settings intros on"),
        f.message_update(f.message(OTHER_GROUP, CARLO, "ciao")),
        f.command(private(CARLO), CARLO, "/start intros-j1008"),
    )
    await _press(rete, CARLO, _last_dm(rete, CARLO), f"in:j:{OTHER_GROUP['id']}")
    await rete.send(f.command(private(CARLO), CARLO, "/interests offer python"))
    # He opens this group's join link: not a member here, refused; never listed here.
    await rete.send(f.command(private(CARLO), CARLO, JOIN))
    await _press(rete, CARLO, _last_dm(rete, CARLO), f"in:j:{E2E_GROUP['id']}")
    assert await rete.db.intros.optin(E2E_GROUP["id"], CARLO["id"]) is None
    assert "Carlo" not in await _whoknows(rete)
    await rete.send(f.command(OTHER_GROUP, ADMIN, "/whoknows python"))
    assert "• Carlo — can help with it" in rete.last_text(OTHER_GROUP["id"])
    await rete.send(f.command(private(DORA), DORA, "/meet"))
    assert await _introduced(rete, DORA) == {BRUNA["id"]}


async def test_she_leaves_comes_back_and_leaves_again(rete):
    await _set_up_group(rete)
    await _join(rete, ALBA, "offer python")
    await _join(rete, DORA, "python")
    assert "Alba" in await _whoknows(rete)
    await _leave(rete)
    assert "Alba" not in await _whoknows(rete)
    # Back (no mark: the searches' recheck finds her), then gone again (marked).
    await rete.send(f.chat_member(E2E_GROUP, ALBA, ALBA, "left", "member"))
    assert "• Alba — can help with it" in await _whoknows(rete)
    await _ban(rete)
    assert "Alba" not in await _whoknows(rete)
    rete.telegram.chat_members.setdefault(E2E_GROUP["id"], {})[ALBA["id"]] = "kicked"
    await rete.send(f.command(private(DORA), DORA, "/meet"))
    assert await _introduced(rete, DORA) == set()


async def test_after_the_upgrade_to_a_supergroup_the_searches_follow_it(rete):
    old = f.group(-4001, "Old group", type="group")
    old_join = "/start intros-j4001"
    rete.telegram.set_admins(old["id"], ADMIN)
    await rete.send(
        f.my_chat_member(old, ADMIN, rete.telegram.bot_user, "left", "member"),
        f.command(old, ADMIN, "/settings language en"),
        f.command(old, ADMIN, "/settings intros on"),
    )
    for user, tags in ((ALBA, "offer python"), (BRUNA, "python"), (DORA, "python")):
        await rete.send(f.message_update(f.message(old, user, "ciao")))
        await rete.send(f.command(private(user), user, old_join))
        await _press(rete, user, _last_dm(rete, user), f"in:j:{old['id']}")
        await rete.send(f.command(private(user), user, f"/interests {tags}"))
    await rete.send(f.command(old, DORA, "/whoknows python"))
    assert "Alba" in rete.last_text(old["id"])
    # Bruna leaves just before the upgrade; Alba hides just after.
    await rete.send(f.chat_member(old, BRUNA, BRUNA, "member", "left"))
    new_id = -1004001
    await rete.send(*f.migrate(old, new_id, by=ADMIN))
    new = {**old, "id": new_id, "type": "supergroup"}
    await rete.send(f.command(new, DORA, "/whoknows python"))
    text = rete.last_text(new_id)
    assert "• Alba — can help with it" in text
    assert "Bruna" not in text
    await _hide(rete)
    await rete.send(f.command(new, DORA, "/whoknows python"))
    assert "Alba" not in rete.last_text(new_id)
    assert "Bruna" not in rete.last_text(new_id)


# ---- concurrency, restarts, the start-up build ------------------------------------------------


async def test_writes_and_searches_in_one_batch_leave_the_next_search_right(rete):
    await _set_up_group(rete)
    await _join(rete, ALBA, "offer python")
    await _join(rete, BRUNA, "python")
    await _join(rete, CARLO, "python")
    await _join(rete, DORA, "python")
    assert "Carlo" in await _whoknows(rete)
    ask = f.command(E2E_GROUP, DORA, "/whoknows python")
    await rete.send_together(
        dict(ask),
        f.command(private(ALBA), ALBA, "/intros stop"),
        dict(ask),
        f.command(private(CARLO), CARLO, "/interests remove python"),
        f.chat_member(E2E_GROUP, BRUNA, BRUNA, "member", "left"),
        f.command(private(DORA), DORA, "/meet"),
        dict(ask),
    )
    text = await _whoknows(rete, tag="python")
    assert "nobody" in text.lower(), text
    # Whatever /meet found while the writes landed, it introduced nobody who was gone then:
    # Dora is introduced at most once, and only to someone still a candidate at that time.
    assert len(await _introduced(rete, DORA)) <= 1


async def test_a_restart_between_a_write_and_the_search_rebuilds_from_the_database(rete):
    await _set_up_group(rete)
    await _join(rete, ALBA, "offer python")
    await _join(rete, BRUNA, "python")
    await _join(rete, DORA, "python")
    assert "Alba" in await _whoknows(rete)
    await _say(rete, "/intros stop")
    await rete.restart()
    text = await _whoknows(rete)
    assert "Bruna" in text
    assert "Alba" not in text
    await rete.send(f.command(private(DORA), DORA, "/meet"))
    assert await _introduced(rete, DORA) == {BRUNA["id"]}


async def test_a_search_while_the_start_up_build_is_under_way(rete, monkeypatch):
    await _set_up_group(rete)
    await _join(rete, ALBA, "offer python")
    await _join(rete, BRUNA, "python")
    await _join(rete, DORA, "python")
    await rete.stop()
    building, release = asyncio.Event(), asyncio.Event()
    warm, load = holders_module.HolderIndex.warm, holders_module.HolderIndex._load

    async def warm_small(self: Any, least: int = 1) -> list[int]:
        return await warm(self, 1)  # this group is small: build it at start-up all the same

    async def held_load(self: Any, chat_id: int, member_ids: Any) -> Any:
        if not building.is_set():
            building.set()  # the start-up build: held after reading the generation
            await release.wait()
        return await load(self, chat_id, member_ids)

    monkeypatch.setattr(holders_module.HolderIndex, "warm", warm_small)
    monkeypatch.setattr(holders_module.HolderIndex, "_load", held_load)
    await rete.start()
    await asyncio.wait_for(building.wait(), 5)
    await _say(rete, "/intros stop")  # written while the build waits
    rete.telegram.add_update(f.command(E2E_GROUP, DORA, "/whoknows python"))
    await asyncio.sleep(0.3)
    release.set()
    await rete.settle()
    text = rete.last_text(E2E_GROUP["id"])
    assert "Bruna" in text
    assert "Alba" not in text
    assert rete.db.intros.index.builds == 1, "the search waited for the start-up build"


# ---- hostile names and tags, many tags --------------------------------------------------------


async def test_hostile_names_and_tags_are_listed_escaped_or_refused(rete):
    await _set_up_group(rete)
    loud = f.user(406, "<" * 2000, last_name="\u202e\u200b" * 50, language_code="en")
    await _join(rete, loud, "offer שלום, python")
    await _join(rete, DORA, "שלום")
    await rete.send(f.command(E2E_GROUP, DORA, "/whoknows " + "<" * 2000))
    refusal = rete.last_text(E2E_GROUP["id"])
    assert "can't contain < or >" in refusal
    assert refusal.count("<") <= 61, "the typed tag is echoed cut, escaped (shown as typed)"
    await rete.send(f.command(E2E_GROUP, DORA, "/whoknows py\u200bthon"))
    assert "Who knows" not in rete.last_text(E2E_GROUP["id"]), "a zero-width tag is refused"
    text = await _whoknows(rete, tag="שלום")
    assert len(text) <= 4096
    assert "can help with it" in text
    holders = await rete.db.intros.listed_holders(E2E_GROUP["id"], ["שלום", "python"])
    by_sql = await rete.db.intros.holders_by_sql(E2E_GROUP["id"], ["שלום", "python"])
    assert sorted(map(tuple, holders.rows.tolist())) == sorted(map(tuple, by_sql.rows))
    await rete.send(f.command(private(loud), loud, "/interests remove שלום"))
    assert "can help" not in await _whoknows(rete, tag="שלום")


async def test_an_asker_with_many_tags_searches_in_a_thread_and_stays_right(rete):
    await _set_up_group(rete)
    many = [f"t{k}" for k in range(20)]
    await _join(rete, ALBA, "offer " + ", ".join(many[:10]))
    await _join(rete, BRUNA, "seek " + ", ".join(many[10:]))
    await _join(rete, DORA, ", ".join(many), "offer " + ", ".join(many), "seek python")
    assert "• Alba — can help with it" in await _whoknows(rete, tag="t3")
    await _say(rete, "/intros stop")
    text = await _whoknows(rete, tag="t3")
    assert "Alba" not in text
    await rete.send(f.command(private(DORA), DORA, "/meet"))
    assert await _introduced(rete, DORA) == {BRUNA["id"]}


# ---- two bots on one PostgreSQL database: the other instance makes the write ------------------


@pytest.fixture
async def other_rete(rete, settings):
    """A second Rete on the same database, polling a Telegram of its own."""
    if not settings.database.startswith("postgresql"):
        pytest.skip("two instances share a PostgreSQL database (RETE_TEST_BACKEND=postgres)")
    fake = FakeTelegram()
    await fake.start()
    # One bot's updates, split between two instances: one sequence of update ids (the
    # instances share which ones were handled, in the database).
    fake.number_updates_from(1_000_000)
    other = Rete(
        fake,
        Settings(
            bot_token=fake.token,
            api_base_url=fake.base_url,
            database=settings.database,
            default_language="en",
            default_timezone="Europe/Rome",
            admin_cache_seconds=300,
        ),
    )
    await other.start()
    try:
        yield other
    finally:
        await other.stop()
        await fake.stop()


async def _other_hide(other: Any) -> None:
    await other.send(f.command(private(ALBA), ALBA, "/privacy"))
    await _press(other, ALBA, _last_dm(other, ALBA), "privacy:hide")


async def _other_delete(other: Any) -> None:
    await other.send(f.command(private(ALBA), ALBA, "/privacy"))
    await _press(other, ALBA, _last_dm(other, ALBA), "privacy:delete")
    await _press(other, ALBA, _last_dm(other, ALBA), "privacy:confirm")


async def _other_leave(other: Any) -> None:
    await other.send(f.chat_member(E2E_GROUP, ALBA, ALBA, "member", "left"))
    await other.db.flush()  # its activity buffer, written within FLUSH_SECONDS anyway


OTHER_EXITS = [
    ("hides", _other_hide, True, False),
    ("stops", lambda o: o.send(f.command(private(ALBA), ALBA, "/intros stop")), True, True),
    (
        "removes-the-tags",
        lambda o: o.send(f.command(private(ALBA), ALBA, "/interests remove python, chess")),
        True,
        True,
    ),
    ("leaves", _other_leave, True, True),
    ("deletes-her-data", _other_delete, True, True),
]


@pytest.mark.parametrize(
    ("write", "unlisted", "unintroduced"),
    [e[1:] for e in OTHER_EXITS],
    ids=[e[0] for e in OTHER_EXITS],
)
async def test_a_write_through_the_other_instance_is_seen_by_the_next_search(
    rete, other_rete, write, unlisted, unintroduced
):
    await _set_up_group(rete)
    await _join(rete, ALBA, "offer python, chess")
    await _join(rete, BRUNA, "python")
    await _join(rete, DORA, "python, chess", "seek python")
    assert "• Alba — can help with it" in await _whoknows(rete)
    await write(other_rete)
    text = await _whoknows(rete)
    assert "Bruna" in text
    assert ("Alba" not in text) == unlisted, text
    await rete.send(f.command(private(DORA), DORA, "/meet"))
    introduced = await _introduced(rete, DORA)
    assert len(introduced) == 1
    if unintroduced:
        assert introduced == {BRUNA["id"]}


# ---- a group's counter starting again ------------------------------------------------------


async def test_a_group_made_again_after_its_upgrade_is_not_served_from_the_old_index(database):
    """Upgraded to a supergroup, the old group's row goes (its marks with it). A late
    update from the old group makes the row again, its counter from nothing: an index of
    the old group still cached at a higher generation must not serve its old members (they
    moved, and may have hidden since) as if nothing had changed."""
    store = await open_store(database)
    try:
        await seed(store)
        for _ in range(3):  # the old group's generation climbs past what it starts again at
            await store.members.set_hidden(PEOPLE[5].id, True)
            await store.members.set_hidden(PEOPLE[5].id, False)
        assert len(ids(await store.intros.listed_holders(GROUP.id, ["python"]))) == len(PEOPLE)
        supergroup = ChatInfo(-1009, "supergroup", "Makers")
        await store.memberships.record_message(supergroup, PEOPLE[0], 1, NOW, NOW.date())
        await store.chats.migrate(GROUP.id, supergroup.id)
        await store.members.set_hidden(PEOPLE[0].id, True)  # marks the supergroup only
        # A late message from the old group, and someone opting in there again.
        await store.memberships.record_message(GROUP, PEOPLE[1], 99, NOW, NOW.date())
        await store.intros.join(GROUP.id, PEOPLE[1], NOW)
        found = await store.intros.listed_holders(GROUP.id, ["python"])
        assert ids(found) == ids(await store.intros.holders_by_sql(GROUP.id, ["python"]))
        assert PEOPLE[0].id not in ids(found), "hid after the upgrade, named in the old group"
    finally:
        await store.close()
