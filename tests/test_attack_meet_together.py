"""Attack on /meet asking Telegram about the asker beside its search (handlers.common.together),
and on the byte-table affinities and the sorted-holders shortcut (bot.matching), from outside.

/meet now searches every group the asker opted into while getChatMember says which of them
they are in; choices from the others are dropped. These tests hold it to what /meet did
before: introduced only within a group the asker is in now, to someone Telegram confirms;
refused (and nothing written) when they are in none; a Telegram failure ends the command
without an introduction and without work of it left running.
"""

import asyncio
import logging
import random
import threading
from collections.abc import Awaitable, Callable
from datetime import timedelta

import numpy as np
import pytest

from bot import matching
from bot.matching import Candidate, Holders, best_partners, best_partners_among, tag_weights
from handlers.common import together
from storage import holders as holder_index
from tests import factories as f
from tests.conftest import ADMIN
from tests.fake_telegram import ApiError
from tests.test_e2e_intros import (
    ALBA,
    BRUNA,
    CESARE,
    DORA,
    EZIO,
    GROUP,
    buttons,
    intro_dms,
    last_dm,
    press,
    private,
)
from tests.test_matching import holder_rows

SECOND = f.group(-1008, "Kayak club")
CURRENT_ONLY = "only for current members"
NO_TAGS = "First tell me your tags"
NOBODY = "I found nobody to introduce you to"
TOO_SOON = "You had an introduction with /meet less than a week ago"


async def set_up(rete, group) -> None:
    rete.telegram.set_admins(group["id"], ADMIN)
    await rete.send(f.my_chat_member(group, ADMIN, rete.telegram.bot_user, "left", "member"))
    await rete.send(f.command(group, ADMIN, "/settings language en"))
    await rete.send(f.command(group, ADMIN, "/settings intros on"))
    await rete.send(f.command(group, ADMIN, "/settings introsday sunday"))


@pytest.fixture
async def groups(rete):
    await set_up(rete, GROUP)
    await set_up(rete, SECOND)
    return GROUP, SECOND


async def join(rete, group, user, tags: str | None = None) -> None:
    """The member writes in ``group``, opens its Join link, confirms, sets tags."""
    await rete.send(f.message_update(f.message(group, user, "ciao a tutti")))
    await rete.send(f.command(private(user), user, f"/start intros-j{-group['id']}"))
    confirm = last_dm(rete, user)
    assert f"in:j:{group['id']}" in buttons(confirm).values()
    await press(rete, user, confirm, f"in:j:{group['id']}")
    assert await rete.db.intros.optin(group["id"], user["id"]) is not None
    if tags:
        for line in tags.split("|"):
            await rete.send(f.command(private(user), user, f"/interests {line}"))


async def leaves(rete, group, user, *, banned: bool = False) -> None:
    if banned:
        await rete.send(f.chat_member(group, ADMIN, user, "member", "kicked"))
    else:
        await rete.send(f.left_member(group, user, user))
    await rete.db.flush()


async def snapshot(rete) -> dict[str, list[tuple]]:
    """What introductions keep, all of it (compared before and after a refusal)."""
    await rete.db.flush()
    tables = ("intros", "intro_members", "intro_optins", "member_tags", "intro_never")
    found = {}
    for table in tables:
        rows = await rete.db.fetchall(f"SELECT * FROM {table} ORDER BY 1")
        found[table] = [tuple(r) for r in rows]
    return found


async def partners(rete, user) -> set[int]:
    """Whom the member was introduced to by /meet, and in which group."""
    rows = await rete.db.fetchall(
        "SELECT i.chat_id, m.member_id FROM intros i JOIN intro_members m ON m.intro_id = i.id"
        " WHERE i.kind = 'meet'"
    )
    by_intro: dict[int, list[int]] = {}
    for chat_id, member_id in rows:
        by_intro.setdefault(chat_id, []).append(member_id)
    return {
        (chat_id, other)
        for chat_id, members in by_intro.items()
        if user["id"] in members
        for other in members
        if other != user["id"]
    }


def meet(user) -> dict:
    return f.command(private(user), user, "/meet")


def asked_about(user):
    return lambda p: p.get("user_id") == user["id"]


# ---- a member gone from one group, still in another -----------------------------------------


@pytest.mark.parametrize("how", ["left", "banned", "banned-unseen"])
async def test_gone_from_one_group_is_introduced_only_in_the_other(rete, groups, how):
    # Bruna (first group) is by far Alba's best match; Cesare (second group) a poorer one.
    await join(rete, GROUP, ALBA, "python, rust|seek design")
    await join(rete, SECOND, ALBA)
    await join(rete, GROUP, BRUNA, "python, rust|offer design")
    await join(rete, SECOND, CESARE, "python")
    if how == "banned-unseen":
        # Only Telegram knows (once the policy's cached answer has expired).
        rete.telegram.set_member(GROUP["id"], ALBA, "kicked")
        rete.clock.set(rete.now() + timedelta(minutes=10))
    else:
        await leaves(rete, GROUP, ALBA, banned=how == "banned")
    await rete.send(meet(ALBA))
    assert await partners(rete, ALBA) == {(SECOND["id"], CESARE["id"])}
    assert intro_dms(rete, BRUNA) == [], "Bruna is never told about Alba"
    [alba] = intro_dms(rete, ALBA)
    assert "Cesare" in alba.result["text"]
    assert "Bruna" not in alba.result["text"]


async def test_gone_from_the_only_group_with_a_match_meets_nobody(rete, groups):
    await join(rete, GROUP, ALBA, "python")
    await join(rete, SECOND, ALBA)
    await join(rete, GROUP, BRUNA, "python")
    await join(rete, SECOND, CESARE, "cooking")
    await leaves(rete, GROUP, ALBA)
    before = await snapshot(rete)
    await rete.send(meet(ALBA))
    assert last_dm(rete, ALBA).result["text"].startswith(NOBODY)
    assert intro_dms(rete, BRUNA) == []
    assert await snapshot(rete) == before


@pytest.mark.parametrize("tags", [None, "python"])
async def test_gone_from_every_group_is_refused_and_nothing_changes(rete, groups, tags):
    await join(rete, GROUP, ALBA, tags)
    await join(rete, SECOND, ALBA)
    await join(rete, GROUP, BRUNA, "python")
    await join(rete, SECOND, CESARE, "python")
    await leaves(rete, GROUP, ALBA)
    rete.telegram.set_member(SECOND["id"], ALBA, "kicked")  # only Telegram knows
    rete.clock.set(rete.now() + timedelta(minutes=10))
    before = await snapshot(rete)
    await rete.send(meet(ALBA))
    assert CURRENT_ONLY in last_dm(rete, ALBA).result["text"]
    assert intro_dms(rete, BRUNA) == intro_dms(rete, CESARE) == []
    assert await snapshot(rete) == before
    assert await rete.db.intros.last_meet(ALBA["id"]) is None, "her week is not used"


async def test_no_tags_in_one_group_is_asked_for_tags(rete, groups):
    await join(rete, GROUP, ALBA)
    await join(rete, SECOND, ALBA)
    await leaves(rete, GROUP, ALBA)
    await rete.send(meet(ALBA))
    text = last_dm(rete, ALBA).result["text"]
    assert CURRENT_ONLY not in text
    assert NO_TAGS in text


# ---- Telegram failing for the asker in the middle of the search -----------------------------


class Gate:
    """Holds getChatMember about one member until the search reached a point, then fails."""

    def __init__(self, rete, user, *, code: int = 502, description: str = "Bad Gateway"):
        self.reached = asyncio.Event()
        self.answered = asyncio.Event()
        self.failed = 0
        fake = rete.telegram
        real = fake._methods["getChatMember"]

        async def held(call):
            if call.params.get("user_id") != user["id"] or self.failed:
                return real(call)
            await asyncio.wait_for(self.reached.wait(), 5)
            self.answered.set()
            self.failed += 1
            raise ApiError(code, description)

        fake._methods["getChatMember"] = held


@pytest.mark.parametrize(("code", "description"), [(502, "Bad Gateway"), (500, "Internal")])
async def test_telegram_failing_for_the_asker_mid_search_ends_meet_cleanly(
    rete, groups, monkeypatch, caplog, code, description
):
    await join(rete, GROUP, ALBA, "python")
    await join(rete, GROUP, BRUNA, "python")
    rete.clock.set(rete.now() + timedelta(minutes=10))  # the cached answers expired
    gate = Gate(rete, ALBA, code=code, description=description)
    real = holder_index.HolderIndex.candidates

    async def searching(self, *args, **kwargs):
        gate.reached.set()  # Telegram answers (fails) while the search is under way
        await gate.answered.wait()
        return await real(self, *args, **kwargs)

    monkeypatch.setattr(holder_index.HolderIndex, "candidates", searching)
    before = await snapshot(rete)
    dms = len(rete.telegram.sent(ALBA["id"]))
    with caplog.at_level(logging.ERROR, logger="rete.errors"):
        await rete.send(meet(ALBA))
    assert gate.answered.is_set()
    # Nobody introduced, nothing written; the error logged as is (not as a group).
    assert await snapshot(rete) == before
    assert intro_dms(rete, BRUNA) == []
    [record] = [r for r in caplog.records if r.name == "rete.errors"]
    assert "NetworkError" in record.getMessage()
    assert "ExceptionGroup" not in record.getMessage()
    # What the member sees: nothing at all (as before the change: no "try again").
    assert len(rete.telegram.sent(ALBA["id"])) == dms
    # No task of the command left (the search was cancelled).
    left = [t for t in asyncio.all_tasks() if "_choices" in repr(t.get_coro())]
    assert left == []
    # The lock is free and the rate limit counted one: the next /meet works.
    await rete.send(meet(ALBA))
    assert await partners(rete, ALBA) == {(GROUP["id"], BRUNA["id"])}


async def test_flood_control_on_the_asker_check_is_waited_out(rete, groups):
    await join(rete, GROUP, ALBA, "python")
    await join(rete, GROUP, BRUNA, "python")
    rete.clock.set(rete.now() + timedelta(minutes=10))  # the cached answers expired
    rete.telegram.fail_429("getChatMember", retry_after=1, when=asked_about(ALBA))
    await rete.send(meet(ALBA))
    assert await partners(rete, ALBA) == {(GROUP["id"], BRUNA["id"])}
    assert len(intro_dms(rete, ALBA)) == len(intro_dms(rete, BRUNA)) == 1


async def test_the_partner_check_failing_introduces_nobody(rete, groups, caplog):
    await join(rete, GROUP, ALBA, "python")
    await join(rete, GROUP, BRUNA, "python")
    rete.clock.set(rete.now() + timedelta(minutes=10))
    rete.telegram.fail(
        "getChatMember", error_code=502, description="Bad Gateway", when=asked_about(BRUNA)
    )
    before = await snapshot(rete)
    with caplog.at_level(logging.ERROR, logger="rete.errors"):
        await rete.send(meet(ALBA))
    assert await snapshot(rete) == before
    assert intro_dms(rete, ALBA) == intro_dms(rete, BRUNA) == []
    assert any(r.name == "rete.errors" for r in caplog.records)
    await rete.send(meet(ALBA))
    assert await partners(rete, ALBA) == {(GROUP["id"], BRUNA["id"])}


async def test_a_partner_gone_from_telegrams_view_is_skipped_for_the_next(rete, groups):
    await join(rete, GROUP, ALBA, "python, rust")
    await join(rete, GROUP, BRUNA, "python, rust")
    await join(rete, SECOND, ALBA)
    await join(rete, SECOND, CESARE, "python")
    rete.telegram.set_member(GROUP["id"], BRUNA, "kicked")
    rete.clock.set(rete.now() + timedelta(minutes=10))
    await rete.send(meet(ALBA))
    assert await partners(rete, ALBA) == {(SECOND["id"], CESARE["id"])}


# ---- the same member, again and again -------------------------------------------------------


async def test_two_meets_at_once_make_one_introduction(rete, groups):
    await join(rete, GROUP, ALBA, "python")
    await join(rete, GROUP, BRUNA, "python")
    await join(rete, GROUP, CESARE, "python")
    await rete.send_together(meet(ALBA), meet(ALBA), meet(ALBA))
    [(count,)] = await rete.db.fetchall("SELECT count(*) FROM intros")
    assert count == 1
    assert len(intro_dms(rete, ALBA)) == 1
    texts = [c.result["text"] for c in rete.telegram.sent(ALBA["id"])]
    assert sum(t.startswith(TOO_SOON) for t in texts) == 2


async def test_a_failed_meet_counts_against_the_rate_limit(rete, groups):
    await join(rete, GROUP, ALBA, "python")
    await join(rete, GROUP, BRUNA, "python")
    rete.clock.set(rete.now() + timedelta(minutes=10))
    rete.telegram.fail("getChatMember", error_code=502, times=5, when=asked_about(ALBA))
    for _ in range(5):
        await rete.send(meet(ALBA))
    await rete.send(meet(ALBA))
    assert last_dm(rete, ALBA).result["text"].startswith("You've asked that a lot")
    assert await partners(rete, ALBA) == set()
    rete.clock.set(rete.now() + timedelta(minutes=11))
    await rete.send(meet(ALBA))
    assert await partners(rete, ALBA) == {(GROUP["id"], BRUNA["id"])}


async def test_a_hidden_asker_and_a_hidden_partner_still_meet(rete, groups):
    await join(rete, GROUP, ALBA, "python")
    await join(rete, GROUP, EZIO, "python")
    await rete.db.members.set_hidden(ALBA["id"], True)
    await rete.db.members.set_hidden(EZIO["id"], True)
    await rete.send(meet(ALBA))
    assert await partners(rete, ALBA) == {(GROUP["id"], EZIO["id"])}


# ---- many tags: bits past a byte, past 32, up to the 60 a member can hold ---------------------


async def test_a_member_with_sixty_tags_meets_the_one_holding_the_last(rete, groups):
    # 20 of each kind (bot.tags.MAX_TAGS_PER_KIND): 60 bits, the highest ones in the last
    # byte table. Bruna holds only the tag sorted last, Cesare the one sorted first but
    # as an interest where Alba seeks it... both share exactly one tag with Alba.
    interests = ", ".join(f"i{k:02d}" for k in range(20))
    offers = ", ".join(f"o{k:02d}" for k in range(20))
    seeks = ", ".join(f"s{k:02d}" for k in range(20))
    await join(rete, GROUP, ALBA, f"{interests}|offer {offers}|seek {seeks}")
    assert len(await rete.db.intros.tags(ALBA["id"])) == 60
    await join(rete, GROUP, BRUNA, "offer s19")  # Alba seeks it: the highest bit
    await join(rete, GROUP, CESARE, "i00")
    await rete.send(meet(ALBA))
    assert await partners(rete, ALBA) == {(GROUP["id"], BRUNA["id"])}


@pytest.mark.parametrize("tag_count", [60, 61, 62])
def test_byte_tables_rank_as_the_reference_up_to_62_bits(tag_count):
    rng = random.Random(tag_count)
    vocabulary = [f"t{k:02d}" for k in range(tag_count)]
    third = tag_count // 3
    asker = Candidate(
        1000,
        interests=frozenset(vocabulary[:third]),
        offers=frozenset(vocabulary[third : 2 * third]),
        seeks=frozenset(vocabulary[2 * third :]),
    )
    for _ in range(10):
        people = []
        for member_id in range(1, 120):
            # Mostly the high tags: bits 48 and up.
            held = rng.sample(vocabulary[-14:], rng.randint(1, 5))
            if rng.random() < 0.3:
                held += rng.sample(vocabulary[:-14], 2)
            kinds = {"i": [], "o": [], "s": []}
            for tag in held:
                kinds[rng.choice("ios")].append(tag)
            people.append(
                Candidate(
                    member_id,
                    interests=frozenset(kinds["i"]),
                    offers=frozenset(kinds["o"]),
                    seeks=frozenset(kinds["s"]),
                )
            )
        weights = tag_weights([asker, *people])
        weights = {t: weights[t] for t in asker.tags if t in weights}
        tags, rows = holder_rows(asker, people, rng)
        found = Holders.of(tags, rows)
        expected = best_partners(asker, people, limit=7, weights=weights)
        got = best_partners_among(asker, found, limit=7, weights=weights)
        assert [(o.member_id, s) for o, s, _ in got] == [(m, s) for m, s, _ in expected]
        # The approximate sums agree with the exact ones to a few ulps, every holder.
        w = [weights.get(t, 0.0) for t in found.tags]
        terms = matching._terms(asker, found)
        approx = matching._approximate(w, *terms)
        exact = matching._exact(w, *terms)
        assert np.allclose(approx, exact, rtol=1e-12, atol=0)


def test_byte_tables_with_the_sign_bit_set_match_the_bitwise_sum():
    # No search builds such a mask (storage.intros.MASK_BITS is 62), but the shifts are
    # arithmetic: a negative int64 must still give its low 64 bits' weights.
    w = [float(k + 1) for k in range(64)]
    masks = np.array([-1, np.iinfo(np.int64).min, 1 << 62, (1 << 63) - 1], dtype=np.int64)
    zero = np.zeros(len(masks), np.int64)
    got = matching._approximate(w, masks, zero, zero)
    want = [sum(w[k] for k in range(64) if (int(m) >> k) & 1) for m in masks.tolist()]
    assert got.tolist() == want


def test_holders_of_unsorted_ids_with_duplicates_sort_stably_as_before():
    rows = [(5, 1, 0, 0, 9), (3, 2, 0, 0, 9), (5, 4, 0, 0, 9), (1, 8, 0, 0, 9), (3, 16, 0, 0, 9)]
    found = Holders.of(("a",), rows)
    assert found.member_ids.tolist() == [1, 3, 3, 5, 5]
    assert found.interests.tolist() == [8, 2, 16, 1, 4]
    # Already ascending (duplicates included): kept as given, not reordered.
    same = Holders.of(("a",), sorted(rows, key=lambda r: r[0]))
    assert same.interests.tolist() == [8, 2, 16, 1, 4]
    # An index's table (numpy) descending: sorted too; one row and none.
    table = np.array(list(reversed(rows)), dtype=np.int64)
    assert Holders.of(("a",), table).member_ids.tolist() == [1, 3, 3, 5, 5]
    assert Holders.of(("a",), rows[:1]).member_ids.tolist() == [5]
    assert Holders.of(("a",), []).size == 0


async def test_together_raises_the_first_error_and_cancels_the_other():
    order: list[str] = []

    async def fails():
        await asyncio.sleep(0)
        order.append("fails")
        raise ConnectionError("reset")

    async def slow():
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            order.append("cancelled")
            raise

    with pytest.raises(ConnectionError):
        await together(slow(), fails())
    assert order == ["fails", "cancelled"]


# ---- the search cancelled while its index refresh is in a worker thread ---------------------


class HeldApply:
    """GroupIndex.apply, the first refresh of it held in its worker thread until released."""

    def __init__(self, monkeypatch):
        self.started = threading.Event()
        self.release = threading.Event()
        self.idle = threading.Event()
        self.idle.set()
        self.running = 0
        self.most = 0
        self.calls = 0
        self._lock = threading.Lock()
        real = holder_index.GroupIndex.apply
        gate = self

        def apply(group, loaded, dropped):
            dropped = list(dropped)
            with gate._lock:
                gate.calls += 1
                first = gate.calls == 1 and dropped
                gate.running += 1
                gate.idle.clear()
                gate.most = max(gate.most, gate.running)
            try:
                if first:
                    gate.started.set()
                    assert gate.release.wait(10)
                return real(group, loaded, dropped)
            finally:
                with gate._lock:
                    gate.running -= 1
                    if not gate.running:
                        gate.idle.set()

        self.arm = lambda: monkeypatch.setattr(holder_index.GroupIndex, "apply", apply)

    async def done(self) -> None:
        """Wait until no apply runs any more."""
        assert await asyncio.to_thread(self.idle.wait, 10)


async def _whoknows(rete) -> str:
    await rete.send(f.command(GROUP, DORA, "/whoknows python"))
    return rete.last_text(GROUP["id"])


async def _search_cancelled(within: float = 5) -> None:
    """Wait until /meet's search task (``_choices``) is being cancelled."""
    # No event tells it: a task's cancellation is only seen by asking it.
    async with asyncio.timeout(within):
        while not any(  # noqa: ASYNC110
            task.cancelling() and task.get_coro().__qualname__ == "_choices"
            for task in asyncio.all_tasks()
        ):
            await asyncio.sleep(0.01)


async def _meet_fails_during_refresh(
    rete, monkeypatch, meanwhile: Callable[[], Awaitable[None]] | None = None
) -> HeldApply:
    """Alba's /meet fails at Telegram while the group's index refresh is in its thread.

    The failure cancels the search. The cancelled search still waits for its thread, with
    the group's lock held (storage.holders.HolderIndex._applied): ``meanwhile`` runs then,
    and the thread is let go after it. /meet ends only once the thread has.
    """
    held = HeldApply(monkeypatch)
    rete.clock.set(rete.now() + timedelta(minutes=10))  # the cached answers expired
    gate = Gate(rete, ALBA)

    async def watch():
        assert await asyncio.to_thread(held.started.wait, 10)
        gate.reached.set()
        await gate.answered.wait()
        await _search_cancelled()
        assert held.running == 1, "the cancelled search's thread is still held"
        try:
            if meanwhile is not None:
                await meanwhile()
        finally:
            held.release.set()

    watcher = asyncio.create_task(watch())
    held.arm()
    await rete.send(meet(ALBA))
    await watcher
    assert gate.answered.is_set()
    assert await partners(rete, ALBA) == set()
    return held


async def test_a_failed_meet_leaves_no_index_work_running(rete, groups, monkeypatch):
    await join(rete, GROUP, ALBA, "python")
    await join(rete, GROUP, BRUNA, "offer python")
    assert "Bruna" in await _whoknows(rete)  # the index is built
    await join(rete, GROUP, EZIO, "python")  # a change: the next search refreshes
    held = await _meet_fails_during_refresh(rete, monkeypatch)
    assert held.running == 0, "/meet ended while its refresh still ran in its thread"
    assert held.calls == 1
    # The refresh the cancelled search finished counts: Ezio is found, no rebuild needed.
    assert "Ezio" in await _whoknows(rete)


async def test_two_refreshes_of_one_group_never_run_at_once(rete, groups, monkeypatch):
    await join(rete, GROUP, ALBA, "python")
    await join(rete, GROUP, BRUNA, "offer python")
    assert "Bruna" in await _whoknows(rete)
    await join(rete, GROUP, EZIO, "python")
    searching: list[asyncio.Task] = []

    async def whoknows_beside():
        # Dora's /whoknows while the cancelled search's thread is held: its refresh waits
        # for the group's lock (it cannot be detected waiting: give it time to get there).
        searching.append(asyncio.create_task(_whoknows(rete)))
        await asyncio.sleep(0.5)
        assert not searching[0].done(), "/whoknows answered while the group was refreshed"

    held = await _meet_fails_during_refresh(rete, monkeypatch, whoknows_beside)
    assert "Ezio" in await searching[0]
    assert held.most == 1, "two GroupIndex.apply of one group at once"


@pytest.mark.parametrize("change", ["hidden", "left"])
async def test_a_failed_meet_does_not_make_whoknows_name_a_hidden_or_gone_member(
    rete, groups, monkeypatch, change
):
    await join(rete, GROUP, ALBA, "python")
    await join(rete, GROUP, BRUNA, "offer python")
    assert "Bruna" in await _whoknows(rete)  # the index is built
    await join(rete, GROUP, EZIO, "offer python")  # a change: the next search refreshes

    async def ezio_goes():
        # Ezio hides (or leaves) while the thread holds what was read before.
        if change == "hidden":
            await rete.db.members.set_hidden(EZIO["id"], True)
        else:
            update = rete.telegram.add_update(f.left_member(GROUP, EZIO, EZIO))
            await rete.telegram.wait_delivered(update)
            await rete.app.update_queue.join()  # handled (the /meet still waits)
            await rete.db.flush()

    await _meet_fails_during_refresh(rete, monkeypatch, ezio_goes)
    # The held thread applied what it had read before Ezio hid (left); the next search
    # refreshes again. A hidden member would be named by @username, one who left by name.
    assert "ezio" not in (await _whoknows(rete)).lower()
