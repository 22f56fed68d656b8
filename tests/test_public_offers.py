"""A newcomer's offers in the weekly recap: only when they chose so in private."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from storage import MemberInfo, open_store
from tests import factories as f
from tests.conftest import ADMIN

GROUP = f.group(-1012, "Makers")
ROME = ZoneInfo("Europe/Rome")
DARIO = f.user(301, "Dario", language_code="it")
CARLA = f.user(300, "Carla", language_code="it")
# Monday 23 November 2026, 09:00 in Rome: the recap of 16–22 November.
SLOT = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def at(day: int) -> int:
    return int(datetime(2026, 11, day, 12, 0, tzinfo=ROME).timestamp())


@pytest.fixture
async def group(rete):
    rete.telegram.set_admins(GROUP["id"], ADMIN)
    await rete.send(f.my_chat_member(GROUP, ADMIN, rete.telegram.bot_user, "left", "member"))
    await rete.backdate(GROUP["id"])  # the slot below is before today
    rete.telegram.clear_calls()
    return GROUP


async def in_private(rete, user, text):
    await rete.send(f.command(f.private_chat(user), user, text))
    return rete.last_text(user["id"])


async def test_the_recap_shows_offers_only_of_newcomers_who_made_them_public(rete, group):
    for day, user in ((17, DARIO), (18, CARLA)):
        await rete.send(
            f.message_update(f.message(GROUP, user, date=at(day), new_chat_members=[user]))
        )
        await rete.send(f.message_update(f.message(GROUP, user, "ciao a tutti", date=at(day))))
    await in_private(rete, DARIO, "/start")
    await in_private(rete, DARIO, "/interests offro mentoring, design")
    answer = await in_private(rete, DARIO, "/interessi pubblico sì")
    assert answer.startswith("Fatto: quando il riepilogo settimanale ti darà il benvenuto")
    assert "📣" in answer
    await in_private(rete, CARLA, "/start")
    await in_private(rete, CARLA, "/interests offro python")
    refused = await in_private(rete, CARLA, "/interests pubblico forse")
    assert refused == "Scrivi /interessi pubblico sì oppure /interessi pubblico no."
    assert not await rete.db.intros.offers_public(CARLA["id"])

    await rete.tick(SLOT)
    recap = rete.telegram.sent(GROUP["id"], "sendPhoto")[0].result["caption"].split("\n")
    assert "👋 Dario — può dare una mano con design, mentoring" in recap
    assert "👋 Carla" in recap, "Carla is welcomed, her offers stay private"
    assert not any("python" in line for line in recap)


async def test_public_offers_skip_hidden_and_private_members(database):
    store = await open_store(database)
    try:
        now = datetime(2026, 11, 20, tzinfo=UTC)
        for member, public in ((MemberInfo(1, "Ada"), True), (MemberInfo(2, "Bea"), False)):
            await store.intros.add_tags(member, "offer", ["design"], now)
            await store.intros.set_offers_public(member, public, now)
        hidden = MemberInfo(3, "Cleo")
        await store.intros.add_tags(hidden, "offer", ["legal"], now)
        await store.intros.set_offers_public(hidden, True, now)
        await store.members.set_hidden(3, True)
        assert await store.intros.public_offers([1, 2, 3, 4]) == {1: ("design",)}
        exported = await store.members.export(1)
        assert exported["member"]["offers_public"] == 1
    finally:
        await store.close()
