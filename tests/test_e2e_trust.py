"""End to end: what Telegram hands the bot that is not what it seems (the trust boundaries).

Private chats that send reactions, message ids that restart in a supergroup, usernames that
change owner, updates that arrive out of order, anonymous admins, hidden members and a
chart that fails after its recap's text went out.
"""

import copy
from datetime import UTC, datetime, timedelta

import pytest

from tests import factories as f
from tests.conftest import ADMIN, MEMBER

GROUP = f.group(-1031, "Makers")
CARLA = f.user(300, "Carla", username="carla", language_code="it")
DARIO = f.user(301, "Dario", username="dario", language_code="it")
# Monday 7 December 2026, 09:00 in Rome: the first recap and prompt slots after f.START.
MONDAY = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


@pytest.fixture
async def group(rete):
    rete.telegram.set_admins(GROUP["id"], ADMIN)
    await rete.send(f.my_chat_member(GROUP, ADMIN, rete.telegram.bot_user, "left", "member"))
    rete.telegram.clear_calls()
    return GROUP


async def said(rete, sender, text="I can help with that", chat=GROUP, **kw):
    update = f.message_update(f.message(chat, sender, text, **kw))
    await rete.send(update)
    return update["message"]


async def thank(rete, giver, target, text="/thanks", chat=GROUP):
    update = f.message_update(f.message(chat, giver, text, reply_to=target))
    await rete.send(update)
    return update["message"]


def mention(text: str, *names: str) -> list[dict]:
    return [{"type": "mention", "offset": text.index(n), "length": len(n)} for n in names]


async def messages_of(rete, member_id: int, chat_id: int = GROUP["id"]) -> int:
    membership = await rete.db.memberships.get(chat_id, member_id)
    return membership.messages if membership else 0


# ---- private chats -------------------------------------------------------------------------


async def test_a_reaction_in_a_private_chat_makes_no_group(rete, group):
    private = f.private_chat(MEMBER)
    rete.telegram.started_users.add(MEMBER["id"])
    await rete.send(f.command(private, MEMBER, "/start"))
    welcome = rete.telegram.sent(MEMBER["id"])[-1].result["message_id"]
    await rete.send(f.reaction(private, MEMBER, welcome, new=["❤️"]))
    await rete.db.flush()
    assert await rete.db.chats.get(MEMBER["id"]) is None
    assert [chat.id for chat in await rete.db.chats.list_active()] == [GROUP["id"]]
    rete.telegram.clear_calls()
    await rete.tick(MONDAY)
    assert rete.telegram.sent(MEMBER["id"]) == [], "no recap, no prompt in a private chat"
    assert rete.telegram.sent(MEMBER["id"], "sendPhoto") == []


# ---- message ids restart in the supergroup -------------------------------------------------


async def test_message_ids_restart_when_the_group_becomes_a_supergroup(rete):
    old = f.group(-2031, "Makers", type="group")
    new_id = -1002031
    rete.telegram.set_admins(old["id"], ADMIN)
    await rete.send(f.my_chat_member(old, ADMIN, rete.telegram.bot_user, "left", "member"))
    tip = await said(rete, MEMBER, chat=old, message_id=5)
    await said(rete, ADMIN, "another tip", chat=old, message_id=6)
    old_thanks = await thank(rete, CARLA, tip, chat=old)
    await rete.send(*f.migrate(old, new_id, by=ADMIN))
    rete.telegram.migrate_chat(old["id"], new_id)
    supergroup = f.group(new_id, "Makers")

    # In the supergroup ids start again: the new 5 and 6 are other messages.
    new_tip = await said(rete, MEMBER, "a new tip", chat=supergroup, message_id=5)
    await said(rete, DARIO, "a new answer", chat=supergroup, message_id=6)
    await rete.db.flush()  # the authors are on disk, not only in the buffer
    new_thanks = await thank(rete, CARLA, new_tip, chat=supergroup, text="/thanks di nuovo")
    assert new_thanks["message_id"] == old_thanks["message_id"], "the same id, twice"
    await rete.send(f.reaction(supergroup, CARLA, 6, new=["❤️"]))
    rows = await rete.db.ledger.export(new_id)
    assert sorted(
        (r["receiver_id"], r["message_id"], r["by_command"], r["by_reaction"], r["counted"])
        for r in rows
    ) == [
        (MEMBER["id"], 5, 1, 0, 1),  # the old group's thanks
        (MEMBER["id"], 5, 1, 0, 1),  # the supergroup's: a thanks of its own, counted
        (DARIO["id"], 6, 0, 1, 1),  # the reaction credits who wrote the new 6
    ]
    # Voiding the new thanking message leaves the old one with the same id alone.
    await rete.send(
        f.message_update(f.message(supergroup, ADMIN, "/unthank", reply_to=new_thanks))
    )
    assert rete.last_text(new_id).startswith("✅ Ho annullato un grazie.")
    voided = [r["reason"] for r in await rete.db.ledger.export(new_id) if r["voided_at"]]
    assert voided == ["di nuovo"]


# ---- usernames change owner ----------------------------------------------------------------


async def test_a_username_resolves_to_whoever_holds_it_now(rete, group):
    olga = f.user(410, "Olga", username="maker", language_code="it")
    nina = f.user(411, "Nina", username="maker", language_code="it")
    await said(rete, olga, "hi")
    # Olga gave @maker up (Rete has not seen her since); Nina took it.
    await said(rete, nina, "hello")
    # Olga's record changes for another reason after that (she blocks the bot).
    rete.clock.advance(timedelta(minutes=1))
    await rete.send(
        f.my_chat_member(f.private_chat(olga), olga, rete.telegram.bot_user, "member", "kicked")
    )
    text = "thanks @maker"
    await rete.send(
        f.message_update(f.message(GROUP, CARLA, text, entities=mention(text, "@maker")))
    )
    rows = await rete.db.ledger.export(GROUP["id"])
    assert [(r["giver_id"], r["receiver_id"]) for r in rows] == [(CARLA["id"], nina["id"])]
    await rete.send(f.command(GROUP, DARIO, "/profile @maker"))
    assert rete.last_text(GROUP["id"]).startswith("Nina, nel gruppo dal")
    rete.telegram.started_users.add(CARLA["id"])
    await rete.send(f.command(f.private_chat(CARLA), CARLA, "/intros never @maker"))
    assert await rete.db.intros.never(CARLA["id"]) == [nina["id"]]


# ---- updates out of order ------------------------------------------------------------------


async def test_a_late_message_counts_and_a_redelivered_one_does_not(rete, group):
    eleven = f.message_update(f.message(GROUP, MEMBER, "second", message_id=11))
    ten = f.message_update(f.message(GROUP, MEMBER, "first", message_id=10))
    await rete.send(copy.deepcopy(eleven), copy.deepcopy(ten))
    assert await messages_of(rete, MEMBER["id"]) == 2
    await rete.send(copy.deepcopy(ten), copy.deepcopy(eleven))
    assert await messages_of(rete, MEMBER["id"]) == 2
    await rete.restart()
    await rete.send(copy.deepcopy(ten))
    assert await messages_of(rete, MEMBER["id"]) == 2


# ---- anonymous admins ----------------------------------------------------------------------


ANONYMOUS = f.GROUP_ANONYMOUS_BOT["id"]


async def test_an_anonymous_admin_voids_without_becoming_a_member(rete, group):
    helpful = await said(rete, MEMBER)
    thanking = await thank(rete, CARLA, helpful)
    await rete.send(
        f.message_update(f.message(GROUP, None, "/unthank", sender_chat=GROUP, reply_to=thanking))
    )
    assert rete.last_text(GROUP["id"]).startswith("✅ Ho annullato un grazie.")
    [row] = await rete.db.ledger.export(GROUP["id"])
    assert row["voided_at"] is not None
    assert row["voided_by"] is None
    assert await rete.db.members.get(ANONYMOUS) is None


async def test_an_anonymous_admin_introducing_gets_a_clear_answer(rete, group):
    await said(rete, MEMBER)
    await said(rete, CARLA)
    text = "/introduce @bruno @carla"
    entities = [f.command_entity(text), *mention(text, "@bruno", "@carla")]
    await rete.send(
        f.message_update(f.message(GROUP, None, text, sender_chat=GROUP, entities=entities))
    )
    assert rete.last_text(GROUP["id"]).startswith("Stai scrivendo in forma anonima")
    assert await rete.db.members.get(ANONYMOUS) is None


# ---- hidden members ------------------------------------------------------------------------


async def test_profile_of_a_hidden_member_never_shows_their_name(rete, group):
    secret = f.user(420, "Segreta", last_name="Persona", username="hidden_one")
    theirs = await said(rete, secret)
    await rete.db.members.set_hidden(secret["id"], True)
    await rete.send(f.command(GROUP, DARIO, "/profile @hidden_one"))
    answer = rete.last_text(GROUP["id"])
    assert "Segreta" not in answer
    assert "Persona" not in answer
    assert answer == "@hidden_one preferisce non comparire nelle classifiche."
    await rete.send(f.message_update(f.message(GROUP, DARIO, "/profile", reply_to=theirs)))
    assert "nel gruppo dal" not in rete.last_text(GROUP["id"])
    await rete.send(f.command(GROUP, secret, "/profile"))
    assert rete.last_text(GROUP["id"]).startswith("Segreta Persona, nel gruppo dal")


# ---- the recap goes out once, even when only its chart fails --------------------------------


async def test_a_failed_chart_is_sent_later_alone_and_the_text_once(rete, group):
    await rete.backdate(GROUP["id"])
    week = int(datetime(2026, 11, 25, 12, 0, tzinfo=UTC).timestamp())
    fox = "🦊" * 64
    newcomers = [f.user(500 + n, fox, last_name=fox, language_code="it") for n in range(22)]
    for user in newcomers:
        await said(rete, user, None, date=week, new_chat_members=[user])
    carla = await said(rete, CARLA, date=week)
    await rete.send(
        f.message_update(f.message(GROUP, ADMIN, "/thanks", reply_to=carla, date=week + 60))
    )
    rete.telegram.clear_calls()
    slot = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    rete.telegram.fail("sendPhoto", error_code=502, description="Bad Gateway")
    await rete.tick(slot)
    texts = rete.texts(GROUP["id"])
    assert len(texts) == 2, "the long text went out, in two parts"
    assert rete.telegram.sent(GROUP["id"], "sendPhoto") == []
    run = await rete.db.schedule.get(GROUP["id"], "recap", "2026-11-30T09:00")
    assert run.state == "held"

    await rete.restart()
    await rete.tick(run.retry_at)
    assert rete.texts(GROUP["id"]) == texts, "the text is not posted a second time"
    [photo] = rete.telegram.sent(GROUP["id"], "sendPhoto")
    assert photo.result["caption"].startswith("📊 Makers")
    [posted] = await rete.db.recaps.posted(GROUP["id"])
    assert posted.complete
    assert posted.message_ids == (
        *(call.result["message_id"] for call in rete.telegram.sent(GROUP["id"])),
        photo.result["message_id"],
    )
    await rete.tick(run.retry_at + timedelta(minutes=10))
    assert len(rete.telegram.sent(GROUP["id"], "sendPhoto")) == 1
    assert rete.texts(GROUP["id"]) == texts
