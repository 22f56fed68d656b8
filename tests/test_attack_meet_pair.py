"""Attack on /meet's introduce_pair / _deliver_pair (one write between its two DMs): each
DM in flight while the partner or the asker leaves, deletes their data, blocks Rete, or
the network fails; a restart; both members of a pair asking at once."""

# ruff: noqa: F811  (pytest fixtures imported from the suites they belong to)

import asyncio
from datetime import timedelta

import pytest

from tests import factories as f
from tests.test_attack_meet_together import groups, join, meet, partners  # noqa: F401
from tests.test_e2e_intros import ALBA, BRUNA, CESARE, GROUP, intro_dms, last_dm, press, private
from tests.test_intro_rounds import _meet, world  # noqa: F401

INTRO = "this time you're meeting"


class Hold:
    """Holds the intro sendMessage to ``user`` until released (the DM is in flight)."""

    def __init__(self, rete, user):
        self.reached = asyncio.Event()
        self.release = asyncio.Event()
        fake = rete.telegram
        real = fake._methods["sendMessage"]

        async def held(call):
            if (
                int(call.params.get("chat_id")) == user["id"]
                and INTRO in str(call.params.get("text"))
                and not self.reached.is_set()
            ):
                self.reached.set()
                await asyncio.wait_for(self.release.wait(), 8)
            return real(call)

        fake._methods["sendMessage"] = held


async def until(predicate, seconds=5):
    async with asyncio.timeout(seconds):
        while not await predicate():  # noqa: ASYNC110
            await asyncio.sleep(0.02)


async def states(rete):
    rows = await rete.db.fetchall(
        "SELECT i.id, i.status, m.member_id, m.dm_state, m.follow_up_state FROM intros i"
        " JOIN intro_members m ON m.intro_id = i.id WHERE i.kind = 'meet' ORDER BY i.id, m.rowid"
    )
    return [tuple(r) for r in rows]


# ---- a member erases their data while the partner's DM is in flight -------------------------


@pytest.mark.parametrize("who", ["partner", "asker"])
async def test_deleting_data_mid_partner_dm_stops_the_introduction(rete, groups, who):
    # The partner (Bruna) or the asker (Alba) deletes their data (/privacy) while the
    # partner's DM is on its way: Alba is introduced to nobody.
    await join(rete, GROUP, ALBA, "python")
    await join(rete, GROUP, BRUNA, "python")
    erased = BRUNA if who == "partner" else ALBA
    await rete.send(f.command(private(erased), erased, "/privacy"))
    await press(rete, erased, last_dm(rete, erased), "privacy:delete")
    summary = last_dm(rete, erased)
    hold = Hold(rete, BRUNA)
    rete.telegram.add_update(meet(ALBA))
    await asyncio.wait_for(hold.reached.wait(), 5)
    rete.telegram.add_update(f.callback_query(erased, "privacy:confirm", summary.result))

    async def gone():
        return await rete.db.members.get(erased["id"]) is None

    await until(gone)
    hold.release.set()
    await rete.settle()
    assert [c.result["text"] for c in intro_dms(rete, ALBA)] == [], (
        f"Alba is introduced to Bruna though the {who} erased their data first"
    )


# ---- the partner leaves the group while /meet waits / while their DM is in flight ----------


@pytest.mark.parametrize("who", ["partner", "asker"])
async def test_leaving_mid_partner_dm_stops_the_introduction(rete, groups, who):
    # The partner (Bruna) or the asker (Alba) leaves the group while the partner's DM is
    # on its way: Alba is introduced to nobody.
    await join(rete, GROUP, ALBA, "python")
    await join(rete, GROUP, BRUNA, "python")
    leaving = BRUNA if who == "partner" else ALBA
    hold = Hold(rete, BRUNA)
    rete.telegram.add_update(meet(ALBA))
    await asyncio.wait_for(hold.reached.wait(), 5)
    rete.telegram.set_member(GROUP["id"], leaving, "left")
    uid = rete.telegram.add_update(f.left_member(GROUP, leaving, leaving))
    await rete.telegram.wait_delivered(uid)

    async def left():
        m = await rete.db.memberships.for_member(leaving["id"])
        return all(x.status != "member" for x in m if x.chat_id == GROUP["id"])

    await until(left)
    hold.release.set()
    await rete.settle()
    assert intro_dms(rete, ALBA) == [], f"Alba is introduced though the {who} left first"


# ---- failures on either DM, then the sweep ---------------------------------------------------


def to(user):
    return lambda p: int(p.get("chat_id")) == user["id"] and INTRO in str(p.get("text"))


@pytest.mark.parametrize("who", ["partner", "asker"])
@pytest.mark.parametrize("code", [502, 429])
async def test_failure_on_either_dm_then_sweep_sends_each_once(rete, groups, who, code):
    await join(rete, GROUP, ALBA, "python")
    await join(rete, GROUP, BRUNA, "python")
    user = BRUNA if who == "partner" else ALBA
    if code == 429:
        rete.telegram.fail_429("sendMessage", retry_after=1, when=to(user))
    else:
        rete.telegram.fail("sendMessage", error_code=502, description="Bad Gateway", when=to(user))
    await rete.send(meet(ALBA))
    for minutes in (5, 10, 60):
        await rete.sweep(rete.now() + timedelta(minutes=minutes))
    assert len(intro_dms(rete, ALBA)) == 1
    assert len(intro_dms(rete, BRUNA)) == 1
    # Partner first, always.
    first = [c for c in rete.telegram.sent() if INTRO in c.result["text"]]
    assert int(first[0].params["chat_id"]) == BRUNA["id"]
    # The follow-up reaches both.
    await rete.sweep(rete.now() + timedelta(days=10))
    assert all(s[4] == "sent" for s in await states(rete))


async def test_partner_network_error_then_blocks_asker_never_told_of_them(rete, groups):
    await join(rete, GROUP, ALBA, "python")
    await join(rete, GROUP, BRUNA, "python")
    rete.telegram.fail("sendMessage", error_code=502, description="Bad Gateway", when=to(BRUNA))
    await rete.send(meet(ALBA))
    rete.telegram.blocked_users.add(BRUNA["id"])
    await rete.sweep(rete.now() + timedelta(minutes=5))
    assert intro_dms(rete, ALBA) == []
    assert "Bruna" in last_dm(rete, ALBA).result["text"]


@pytest.mark.parametrize("who", ["partner", "asker"])
async def test_blocked_member_on_meet(rete, groups, who):
    await join(rete, GROUP, ALBA, "python")
    await join(rete, GROUP, BRUNA, "python")
    rete.telegram.blocked_users.add((BRUNA if who == "partner" else ALBA)["id"])
    await rete.send(meet(ALBA))
    await rete.sweep(rete.now() + timedelta(minutes=5))
    await rete.sweep(rete.now() + timedelta(days=10))
    st = await states(rete)
    assert all(s[1] == "cancelled" for s in st)
    if who == "partner":
        assert intro_dms(rete, ALBA) == []
    assert all(s[4] is None for s in st), "no follow-up for a cancelled intro"


# ---- restart right after either DM -----------------------------------------------------------


@pytest.mark.parametrize("who", ["partner", "asker"])
async def test_restart_mid_dm(rete, groups, who):
    await join(rete, GROUP, ALBA, "python")
    await join(rete, GROUP, BRUNA, "python")
    hold = Hold(rete, BRUNA if who == "partner" else ALBA)
    rete.telegram.add_update(meet(ALBA))
    await asyncio.wait_for(hold.reached.wait(), 5)
    hold.release.set()  # it goes out, then the process stops
    await asyncio.sleep(0)
    stop = asyncio.create_task(rete.stop())
    await asyncio.wait_for(stop, 15)
    await rete.start()
    for minutes in (5, 10, 60):
        await rete.sweep(rete.now() + timedelta(minutes=minutes))
    assert len(intro_dms(rete, BRUNA)) == 1
    assert len(intro_dms(rete, ALBA)) <= 1


# ---- two /meet at once by the two members of one pair ---------------------------------------


async def test_two_meets_at_once_by_the_pair(rete, groups):
    await join(rete, GROUP, ALBA, "python")
    await join(rete, GROUP, BRUNA, "python")
    await rete.send_together(meet(ALBA), meet(BRUNA))
    assert len({row[0] for row in await states(rete) if row[1] == "active"}) == 1
    assert len(intro_dms(rete, ALBA)) == 1, "Alba introduced to Bruna twice"
    assert len(intro_dms(rete, BRUNA)) == 1


async def test_reasons_and_states_stored(rete, groups):
    await join(rete, GROUP, ALBA, "python, rust")
    await join(rete, GROUP, BRUNA, "python|offer rust")
    await join(rete, GROUP, CESARE, "cooking")
    await rete.send(meet(ALBA))
    rows = await rete.db.fetchall(
        "SELECT i.status, i.initiator_id, m.member_id, m.dm_state, m.reasons FROM intros i"
        " JOIN intro_members m ON m.intro_id = i.id ORDER BY m.rowid"
    )
    rows = [tuple(r) for r in rows]
    assert [r[2] for r in rows] == [BRUNA["id"], ALBA["id"]]
    assert all(r[0] == "active" and r[1] == ALBA["id"] and r[3] == "sent" for r in rows)
    assert all(r[4] and r[4] != "{}" for r in rows)


async def test_partner_leaving_while_meet_waits_for_the_lock_is_not_introduced(
    rete, groups, monkeypatch
):
    from contextlib import asynccontextmanager

    from handlers.intros import ondemand

    await join(rete, GROUP, ALBA, "python")
    await join(rete, GROUP, BRUNA, "python")
    reached, release = asyncio.Event(), asyncio.Event()
    real = ondemand._lock

    @asynccontextmanager
    async def slow_lock(context, chat_id):
        reached.set()
        await asyncio.wait_for(release.wait(), 8)  # e.g. a round holds the group's lock
        async with real(context, chat_id):
            yield

    monkeypatch.setattr(ondemand, "_lock", slow_lock)
    rete.telegram.add_update(meet(ALBA))
    await asyncio.wait_for(reached.wait(), 5)
    rete.telegram.set_member(GROUP["id"], BRUNA, "left")
    uid = rete.telegram.add_update(f.left_member(GROUP, BRUNA, BRUNA))
    await rete.telegram.wait_delivered(uid)

    async def left():
        m = await rete.db.memberships.for_member(BRUNA["id"])
        return all(x.status != "member" for x in m)

    await until(left)
    release.set()
    await rete.settle()
    assert intro_dms(rete, BRUNA) == [], "Bruna, gone from the group, is introduced"
    assert intro_dms(rete, ALBA) == []


# ---- unit level (both backends with RETE_TEST_POSTGRES) --------------------------------------


async def test_unit_partner_erased_mid_first_dm(world):
    real = world.messenger.send_intro

    async def send_intro(intro, member_id):
        sent = await real(intro, member_id)
        if member_id == 1:
            await world.store.members.delete(1)  # /privacy delete while the DM is in flight
        return sent

    world.messenger.send_intro = send_intro
    await _meet(world)
    assert [s.member_id for s in world.messenger.intros_of(2)] == [], (
        "the asker is introduced to an erased, cancelled partner"
    )
