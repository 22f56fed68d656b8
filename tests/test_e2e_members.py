"""End to end: members and activity are recorded from real updates, counts only."""

import copy
from datetime import timedelta
from pathlib import Path

from tests import factories as f
from tests.conftest import ADMIN, MEMBER

GROUP = f.group(-1005, "Makers")
CAROL = f.user(300, "<b>&\"'</b>", last_name="<i>", username="carol", language_code="it")


async def messages_of(rete, member_id: int, chat_id: int = GROUP["id"]) -> int:
    membership = await rete.db.memberships.get(chat_id, member_id)
    return membership.messages if membership else 0


async def test_each_message_counted_once_whatever_happens(rete):
    update = f.message_update(f.message(GROUP, MEMBER, "hello"))
    # The same message delivered twice (e.g. redelivered after a crash).
    await rete.send(copy.deepcopy(update), copy.deepcopy(update))
    assert await messages_of(rete, MEMBER["id"]) == 1

    original = update["message"]
    await rete.send(f.message_update(dict(original, text="hello, edited"), edited=True))
    assert await messages_of(rete, MEMBER["id"]) == 1

    await rete.send(f.message_update(f.message(GROUP, MEMBER, "second")))
    assert await messages_of(rete, MEMBER["id"]) == 2


async def test_count_survives_restart_and_redelivery(rete):
    update = f.message_update(f.message(GROUP, MEMBER, "hello"))
    await rete.send(copy.deepcopy(update))
    await rete.restart()
    await rete.send(copy.deepcopy(update))
    assert await messages_of(rete, MEMBER["id"]) == 1


async def test_bots_channels_and_anonymous_admins_are_not_members(rete):
    other_bot = f.user(999, "HelperBot", is_bot=True, username="helper_bot")
    channel = {"id": -1007777, "type": "channel", "title": "News"}
    await rete.send(
        f.message_update(f.message(GROUP, other_bot, "beep")),
        f.message_update(
            f.message(GROUP, f.user(136817688, "Channel"), "post", sender_chat=channel)
        ),
        f.message_update(f.message(GROUP, f.user(1087968824, "Group"), "anon", sender_chat=GROUP)),
    )
    for member_id in (999, 136817688, 1087968824):
        assert await rete.db.members.get(member_id) is None


async def test_members_are_kept_current_and_texts_never_stored(rete, settings):
    secret = "my-very-private-sentence-42"
    await rete.send(f.message_update(f.message(GROUP, CAROL, secret)))
    renamed = dict(CAROL, first_name="Carola", username="carola")
    await rete.send(f.message_update(f.message(GROUP, renamed, f"{secret} again")))
    member = await rete.db.members.get(CAROL["id"])
    assert (member.first_name, member.username, member.language_code) == (
        "Carola",
        "carola",
        "it",
    )
    chat = await rete.db.chats.get(GROUP["id"])
    assert chat.title == "Makers"
    await rete.stop()
    database = Path(settings.database)
    for path in database.parent.glob(database.name + "*"):
        assert secret.encode() not in path.read_bytes(), path


async def test_activity_days_follow_the_group_time_zone(rete):
    await rete.db.chats.seen(__import__("storage").ChatInfo(GROUP["id"], "supergroup", "Makers"))
    await rete.db.chats.set_setting(GROUP["id"], "timezone", "America/New_York")
    # 02:30 UTC on 1 March is still 28 February in New York.
    await rete.send(f.message_update(f.message(GROUP, MEMBER, "late", date=1772332200)))
    rows = await rete.db.fetchall(
        "SELECT day FROM activity_daily WHERE member_id = ?", (MEMBER["id"],)
    )
    assert [r["day"] for r in rows] == ["2026-02-28"]


async def test_joins_and_leaves_from_service_messages_and_chat_member(rete):
    await rete.send(f.new_members(GROUP, ADMIN, MEMBER, f.user(998, "Bot", is_bot=True)))
    membership = await rete.db.memberships.get(GROUP["id"], MEMBER["id"])
    assert membership.status == "member"
    assert membership.joined_at is not None
    assert await rete.db.members.get(998) is None
    assert membership.messages == 0, "a join is not a message"

    # The same join also reported by a chat_member update: no change.
    await rete.send(f.chat_member(GROUP, MEMBER, MEMBER, "left", "member"))
    assert await rete.db.memberships.get(GROUP["id"], MEMBER["id"]) == membership

    await rete.send(f.left_member(GROUP, MEMBER, MEMBER))
    await rete.send(f.chat_member(GROUP, MEMBER, MEMBER, "member", "left"))
    membership = await rete.db.memberships.get(GROUP["id"], MEMBER["id"])
    assert membership.status == "left"
    assert membership.left_at is not None

    await rete.send(f.chat_member(GROUP, ADMIN, CAROL, "member", "kicked"))
    assert (await rete.db.memberships.get(GROUP["id"], CAROL["id"])).status == "kicked"


async def test_blocking_the_bot_marks_member_unreachable(rete):
    private = f.private_chat(MEMBER)
    rete.telegram.started_users.add(MEMBER["id"])
    await rete.send(f.command(private, MEMBER, "/start"))
    assert (await rete.db.members.get(MEMBER["id"])).dm_reachable
    await rete.send(f.my_chat_member(private, MEMBER, rete.telegram.bot_user, "member", "kicked"))
    assert not (await rete.db.members.get(MEMBER["id"])).dm_reachable


async def test_dm_to_member_who_never_started_marks_unreachable(rete):
    from handlers.context import ReteContext
    from handlers.delivery import dm

    await rete.send(f.message_update(f.message(GROUP, MEMBER, "hi")))
    await rete.db.members.set_reachable(MEMBER["id"], True)
    assert await dm(ReteContext(rete.app), MEMBER["id"], "hello") is None
    assert rete.telegram.calls_to("sendMessage")[-1].error["error_code"] == 403
    assert not (await rete.db.members.get(MEMBER["id"])).dm_reachable


async def test_media_counts_service_messages_do_not(rete):
    sticker = {
        "file_id": "s1",
        "file_unique_id": "u1",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
    }
    await rete.send(f.message_update(f.message(GROUP, MEMBER, None, sticker=sticker)))
    pinned = f.message(GROUP, MEMBER, "pinned text")
    await rete.send(f.message_update(f.message(GROUP, MEMBER, None, pinned_message=pinned)))
    await rete.send(f.message_update(f.message(GROUP, MEMBER, None, new_chat_title="Renamed")))
    assert await messages_of(rete, MEMBER["id"]) == 1


async def test_commands_to_rete_are_not_community_messages(rete):
    # One test group had 2 real messages and a recap saying 24: the admin's own
    # configuration commands were counted, and made the group "busy" for prompts.
    for text in ("/settings", "/settings language en", "/helpers", "/impostazioni", "/recap"):
        await rete.send(f.command(GROUP, ADMIN, text))
    await rete.send(f.command(GROUP, MEMBER, "/profile"))
    await rete.send(f.message_update(f.message(GROUP, MEMBER, "ciao a tutti")))
    await rete.send(f.message_update(f.message(GROUP, ADMIN, "benvenuti")))
    await rete.db.flush()
    assert await messages_of(rete, ADMIN["id"]) == 1
    assert await messages_of(rete, MEMBER["id"]) == 1
    since = rete.now() - timedelta(hours=1)
    assert await rete.db.prompts.recent_messages(GROUP["id"], since, limit=100) == 2
    # Someone who only ever used commands has written nothing to count, but is in the group.
    await rete.send(f.command(GROUP, CAROL, "/helpers"))
    await rete.db.flush()
    membership = await rete.db.memberships.get(GROUP["id"], CAROL["id"])
    assert membership is not None
    assert (membership.status, membership.messages) == ("member", 0)
