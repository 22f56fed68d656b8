"""End to end: asks as members use them, through the fake Bot API (English and Italian).

An ask is drafted with its tags, posted in the group's topic, routed in private to the
members who offer it, answered with a double opt-in, closed by Solved, a thanks or its
expiry; a warm path goes through a member who knows both sides, across two groups. Every
refusal changes nothing (the tables are compared before and after).
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from bot.introductions import chat_argument
from handlers import asks
from handlers.context import ReteContext
from storage import MemberInfo
from tests import factories as f
from tests.conftest import ADMIN
from tests.engines import dump_tables

GROUP = f.group(-1012, "Makers <&>")
OTHER = f.group(-1013, "Far Club")
FORUM = f.group(-1014, "Forum <i>", is_forum=True)
ALBA = f.user(1201, "Alba", username="alba", language_code="en")
BRUNA = f.user(1202, "Bruna", username="bruna", language_code="en")
CESARE = f.user(1203, "Cesare", username="cesare", language_code="it")
DORA = f.user(1204, "Dora", username="dora", language_code="en")
EZIO = f.user(1205, "Ezio <b>&", username="ezio", language_code="en")
FABIO = f.user(1206, "Fabio", username="fabio", language_code="en")
STRANGER = f.user(1299, "Stranger", username="stranger", language_code="en")


def private(user: dict[str, Any]) -> dict[str, Any]:
    return f.private_chat(user)


def buttons(call: Any) -> dict[str, str]:
    markup = call.params.get("reply_markup") or {"inline_keyboard": []}
    if isinstance(markup, str):
        markup = json.loads(markup)
    return {
        b["text"]: b.get("callback_data") or b.get("url")
        for row in markup["inline_keyboard"]
        for b in row
    }


def dms(rete: Any, user: dict[str, Any]) -> list[Any]:
    return rete.telegram.sent(user["id"])


def last_dm(rete: Any, user: dict[str, Any]) -> Any:
    sent = dms(rete, user)
    assert sent, f"no DM to {user['first_name']}"
    return sent[-1]


async def press(rete: Any, user: dict[str, Any], call: Any, data: str) -> None:
    await rete.send(f.callback_query(user, data, call.result))


def alerts(rete: Any) -> list[str]:
    return [c.params.get("text", "") for c in rete.telegram.calls_to("answerCallbackQuery")]


def edits(rete: Any, chat_id: int) -> list[str]:
    return [
        c.params["text"]
        for c in rete.telegram.calls_to("editMessageText")
        if int(c.params.get("chat_id", 0) or 0) == chat_id
    ]


def f_member(user: dict[str, Any]) -> MemberInfo:
    """The member as the storage layer takes them."""
    return MemberInfo(
        user["id"], user["first_name"], None, user.get("username"), user.get("language_code")
    )


async def setup_group(rete: Any, group: dict[str, Any], language: str = "en") -> None:
    rete.telegram.set_admins(group["id"], ADMIN)
    await rete.send(f.my_chat_member(group, ADMIN, rete.telegram.bot_user, "left", "member"))
    await rete.send(f.command(group, ADMIN, f"/settings language {language}"))
    await rete.send(f.command(group, ADMIN, "/settings intros on"))
    await rete.send(f.command(group, ADMIN, "/settings asks on"))


@pytest.fixture
async def group(rete: Any) -> dict[str, Any]:
    await setup_group(rete, GROUP)
    return GROUP


async def join(
    rete: Any, user: dict[str, Any], *tag_lines: str, chat: dict[str, Any] = GROUP
) -> None:
    """A member writes in the group, joins introductions there and sets tags."""
    await rete.send(f.message_update(f.message(chat, user, "ciao a tutti")))
    await rete.send(f.command(private(user), user, f"/start intros-{chat_argument(chat['id'])}"))
    await press(rete, user, last_dm(rete, user), f"in:j:{chat['id']}")
    for line in tag_lines:
        await rete.send(f.command(private(user), user, f"/interests {line}"))


async def ask(rete: Any, user: dict[str, Any], text: str, chat: dict[str, Any] = GROUP) -> Any:
    """/ask in the group; return the bot's answer (the draft, or a refusal)."""
    await rete.send(f.command(chat, user, f"/ask {text}"))
    return rete.telegram.sent(chat["id"])[-1]


async def post(rete: Any, user: dict[str, Any], text: str, chat: dict[str, Any] = GROUP) -> int:
    """Ask and post with the suggested tags; return the ask's id."""
    draft = await ask(rete, user, text, chat)
    data = buttons(draft)["✅ Post it"]
    await press(rete, user, draft, data)
    return int(data.split(":")[2])


async def rows(rete: Any, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in await rete.db.fetchall(sql, params)]


async def sweep(rete: Any, moment: Any = None) -> None:
    if moment is not None:
        rete.clock.set(moment)
    await asks.sweep(ReteContext(rete.app))


# ---- 1. the ask ------------------------------------------------------------------------------


async def test_an_ask_is_drafted_with_its_tags_and_posted_in_the_topic(rete):
    await setup_group(rete, FORUM)
    await rete.send(
        f.command(FORUM, ADMIN, "/settings topic", thread_id=77, is_topic_message=True)
    )
    await join(rete, ALBA, chat=FORUM)
    await join(rete, BRUNA, "offer accounting", chat=FORUM)
    draft = await ask(rete, ALBA, "I need someone who knows accounting for startups #tax", FORUM)
    assert "Your ask" in draft.result["text"]
    assert "#tax, #accounting" in draft.result["text"]
    [ask_id] = [r[0] for r in await rows(rete, "SELECT id FROM asks WHERE status = 'draft'")]
    # Leaving a tag out and bringing it back, by its button.
    toggle = buttons(draft)["✓ #tax"]
    await press(rete, ALBA, draft, toggle)
    assert (await rete.db.asks.get(ask_id)).tags == ("accounting",)
    await press(rete, ALBA, draft, toggle)
    assert (await rete.db.asks.get(ask_id)).tags == ("tax", "accounting")
    await press(rete, ALBA, draft, buttons(draft)["✅ Post it"])
    posted = rete.telegram.sent(FORUM["id"])[-1]
    assert posted.params.get("message_thread_id") in (77, "77")
    assert "Alba is asking" in posted.result["text"]
    assert buttons(posted) == {"🙋 I can help": f"ak:h:{ask_id}"}
    ask_row = await rete.db.asks.get(ask_id)
    assert ask_row.status == "open"
    assert ask_row.post_id == posted.result["message_id"]
    assert ask_row.expires_at - ask_row.posted_at == timedelta(days=14)
    assert "I told one member who offers it" in edits(rete, FORUM["id"])[-1]
    # A redelivered Post changes nothing: one post, one private message.
    await press(rete, ALBA, draft, buttons(draft)["✅ Post it"])
    assert (
        len([c for c in rete.telegram.sent(FORUM["id"]) if "is asking" in c.result["text"]]) == 1
    )
    assert len([c for c in dms(rete, BRUNA) if "is asking" in c.result["text"]]) == 1


async def test_bad_asks_get_a_clear_answer_and_change_nothing(rete, group):
    await join(rete, ALBA)
    await join(rete, BRUNA, "offer accounting")
    before = await dump_tables(rete.db)
    assert "Tell me what you need" in (await ask(rete, ALBA, "")).result["text"]
    assert "not only hashtags" in (await ask(rete, ALBA, "#accounting")).result["text"]
    assert "too long" in (await ask(rete, ALBA, "<" * 2000)).result["text"]
    assert "no tag" in (await ask(rete, ALBA, "I need some help please")).result["text"]
    assert await dump_tables(rete.db) == before
    await rete.send(f.command(GROUP, ADMIN, "/settings asks off"))
    before = await dump_tables(rete.db)
    assert "Asks are off" in (await ask(rete, ALBA, "help with #accounting")).result["text"]
    assert await dump_tables(rete.db) == before


async def test_an_asker_without_a_private_chat_is_asked_to_open_one(rete, group):
    await rete.send(f.message_update(f.message(GROUP, DORA, "hello")))
    answer = await ask(rete, DORA, "help with #accounting")
    assert "open a private chat with me first" in answer.result["text"]
    assert await rows(rete, "SELECT id FROM asks") == []


async def test_open_asks_per_member_are_limited(rete, group):
    await rete.send(f.command(GROUP, ADMIN, "/settings askslimit 1"))
    await join(rete, ALBA)
    await post(rete, ALBA, "help with #accounting")
    answer = await ask(rete, ALBA, "and with #taxes")
    assert "You already have an open ask here" in answer.result["text"]
    assert len(await rows(rete, "SELECT id FROM asks")) == 1


# ---- 2. routing ------------------------------------------------------------------------------


async def test_routed_to_the_best_offerers_with_every_exclusion(rete, group):
    await rete.send(f.command(GROUP, ADMIN, "/settings asksrouted 2"))
    await join(rete, ALBA, "offer accounting")  # the asker is never told of her own ask
    await join(rete, BRUNA, "offer accounting, tax")  # offers both: first
    await join(rete, CESARE, "accounting")  # only interested: after those who offer
    await join(rete, DORA, "offer accounting")
    await join(rete, EZIO, "offer accounting")
    await join(rete, FABIO, "offer accounting")
    # Dora hides from others; Ezio said no more asks; Fabio left the group.
    await rete.send(f.command(private(DORA), DORA, "/privacy"))
    await press(rete, DORA, last_dm(rete, DORA), "privacy:hide")
    await rete.db.asks.set_prefs(f_member(EZIO), rete.now(), no_asks=True)
    await rete.send(f.left_member(GROUP, FABIO, FABIO))
    rete.telegram.clear_calls()
    ask_id = await post(rete, ALBA, "who can help with #accounting and #tax")
    told = {
        r[0] for r in await rows(rete, "SELECT member_id FROM ask_routes WHERE ask_id = ?", ask_id)
    }
    assert told == {BRUNA["id"], CESARE["id"]}
    routed = last_dm(rete, BRUNA)
    assert "Alba" in routed.result["text"]
    assert "Makers &lt;&amp;&gt;" not in routed.result["text"]
    assert set(buttons(routed)) == {"🙋 I can help", "Not me", "No more asks"}
    for user in (ALBA, DORA, EZIO, FABIO):
        assert not any("is asking" in c.result["text"] for c in dms(rete, user)), user


async def test_no_member_gets_more_than_k_asks_a_week(rete, group):
    await rete.send(f.command(GROUP, ADMIN, "/settings asksweekly 1"))
    await rete.send(f.command(GROUP, ADMIN, "/settings askslimit 5"))
    await join(rete, ALBA)
    await join(rete, BRUNA, "offer accounting")
    await post(rete, ALBA, "help with #accounting")
    await post(rete, ALBA, "more help with #accounting")
    assert len(await rows(rete, "SELECT 1 FROM ask_routes WHERE member_id = ?", BRUNA["id"])) == 1
    rete.clock.set(rete.now() + timedelta(days=8))
    await post(rete, ALBA, "even more help with #accounting")
    assert len(await rows(rete, "SELECT 1 FROM ask_routes WHERE member_id = ?", BRUNA["id"])) == 2


async def test_not_me_and_no_more_asks(rete, group):
    await rete.send(f.command(GROUP, ADMIN, "/settings askslimit 5"))
    await join(rete, ALBA)
    await join(rete, BRUNA, "offer accounting")
    ask_id = await post(rete, ALBA, "help with #accounting")
    routed = last_dm(rete, BRUNA)
    await press(rete, BRUNA, routed, f"ak:n:{ask_id}")
    assert await rows(rete, "SELECT answer FROM ask_routes WHERE ask_id = ?", ask_id) == [("no",)]
    second = await post(rete, ALBA, "other help with #accounting")
    await press(rete, BRUNA, last_dm(rete, BRUNA), f"ak:s:{second}")
    assert (await rete.db.asks.prefs(BRUNA["id"]))[0] is True
    await post(rete, ALBA, "third help with #accounting")
    assert len(await rows(rete, "SELECT 1 FROM ask_routes WHERE member_id = ?", BRUNA["id"])) == 2
    # /asks in private shows the choice and turns asks back on.
    await rete.send(f.command(private(BRUNA), BRUNA, "/asks"))
    choices = last_dm(rete, BRUNA)
    await press(rete, BRUNA, choices, buttons(choices)["Send me asks again"])
    assert (await rete.db.asks.prefs(BRUNA["id"]))[0] is False


# ---- 3. double opt-in ---------------------------------------------------------------------------


async def test_double_opt_in_contacts_only_after_both_said_yes(rete, group):
    await join(rete, ALBA)
    await join(rete, BRUNA, "offer accounting")
    ask_id = await post(rete, ALBA, "help with #accounting")
    await press(rete, BRUNA, last_dm(rete, BRUNA), f"ak:h:{ask_id}")
    assert "Send me one line" in last_dm(rete, BRUNA).result["text"]
    await rete.send(f.command(private(BRUNA), BRUNA, "/asks"))  # a command is not the note
    assert (await rete.db.asks.get_offer(ask_id, BRUNA["id"])).state == "noting"
    await rete.send(
        f.command(private(BRUNA), BRUNA, "I did the books for <three> startups\nsecond line")
    )
    offer = last_dm(rete, ALBA)
    assert "Bruna" in offer.result["text"]
    assert "Their note: I did the books for <three> startups second line" in offer.result["text"]
    assert "@bruna" not in offer.result["text"]
    assert not any("@alba" in c.result["text"] for c in dms(rete, BRUNA))
    await press(rete, ALBA, offer, f"ak:y:{ask_id}:{BRUNA['id']}")
    assert "@bruna" in edits(rete, ALBA["id"])[-1]
    assert "@alba" in last_dm(rete, BRUNA).result["text"]
    assert await rows(
        rete, "SELECT asker_id, helper_id, connector_id, chat_id FROM ask_connections"
    ) == [(ALBA["id"], BRUNA["id"], None, GROUP["id"])]


async def test_i_can_help_from_the_group_post_and_no_thanks(rete, group):
    await join(rete, ALBA)
    await join(rete, CESARE, "offer accounting")
    ask_id = await post(rete, ALBA, "help with #accounting")
    posted = [c for c in rete.telegram.sent(GROUP["id"]) if "is asking" in c.result["text"]][-1]
    await press(rete, CESARE, posted, f"ak:h:{ask_id}")
    assert "Mandami una riga" in last_dm(rete, CESARE).result["text"]
    await press(rete, CESARE, last_dm(rete, CESARE), f"ak:k:{ask_id}")
    offer = last_dm(rete, ALBA)
    await press(rete, ALBA, offer, f"ak:x:{ask_id}:{CESARE['id']}")
    assert "ha trovato un'altra strada" in last_dm(rete, CESARE).result["text"]
    assert await rows(rete, "SELECT * FROM ask_connections") == []


# ---- 5. closing the loop --------------------------------------------------------------------


async def test_solved_button_edits_the_group_post(rete, group):
    await join(rete, ALBA)
    await join(rete, BRUNA, "offer accounting")
    ask_id = await post(rete, ALBA, "help with #accounting")
    await press(rete, BRUNA, last_dm(rete, BRUNA), f"ak:h:{ask_id}")
    await press(rete, BRUNA, last_dm(rete, BRUNA), f"ak:k:{ask_id}")
    await press(rete, ALBA, last_dm(rete, ALBA), f"ak:y:{ask_id}:{BRUNA['id']}")
    await press(rete, ALBA, last_dm(rete, ALBA), f"ak:d:{ask_id}")
    assert (await rete.db.asks.get(ask_id)).status == "solved"
    assert "Solved, with help from Bruna" in edits(rete, GROUP["id"])[-1]


async def test_a_thanks_to_a_connected_helper_solves_the_ask(rete, group):
    await join(rete, ALBA)
    await join(rete, BRUNA, "offer accounting")
    ask_id = await post(rete, ALBA, "help with #accounting")
    await press(rete, BRUNA, last_dm(rete, BRUNA), f"ak:h:{ask_id}")
    await press(rete, BRUNA, last_dm(rete, BRUNA), f"ak:k:{ask_id}")
    await sweep(rete)
    assert (await rete.db.asks.get(ask_id)).status == "open"  # not connected yet
    await press(rete, ALBA, last_dm(rete, ALBA), f"ak:y:{ask_id}:{BRUNA['id']}")
    rete.clock.set(rete.now() + timedelta(hours=1))
    helpful = f.message(GROUP, BRUNA, "here is how")
    await rete.send(f.message_update(helpful))
    await rete.send(f.message_update(f.message(GROUP, ALBA, "/thanks", reply_to=helpful)))
    await sweep(rete)
    ask_row = await rete.db.asks.get(ask_id)
    assert (ask_row.status, ask_row.solved_how) == ("solved", "thanks")
    assert "I marked it as solved" in last_dm(rete, ALBA).result["text"]
    assert "Solved, with help from Bruna" in edits(rete, GROUP["id"])[-1]


async def test_an_ask_expires_and_the_asker_is_asked_privately(rete, group):
    await join(rete, ALBA)
    await join(rete, BRUNA, "offer accounting")
    ask_id = await post(rete, ALBA, "help with #accounting")
    routed = last_dm(rete, BRUNA)
    await sweep(rete, rete.now() + timedelta(days=13))
    assert (await rete.db.asks.get(ask_id)).status == "open"
    await sweep(rete, rete.now() + timedelta(days=2))
    await sweep(rete)  # once only
    assert (await rete.db.asks.get(ask_id)).status == "expired"
    questions = [c for c in dms(rete, ALBA) if "Was it solved?" in c.result["text"]]
    assert len(questions) == 1
    assert "This ask is closed" in edits(rete, GROUP["id"])[-1]
    # The expired ask's buttons change nothing.
    before = await dump_tables(rete.db)
    await press(rete, BRUNA, routed, f"ak:h:{ask_id}")
    assert "This ask is closed" in alerts(rete)[-1]
    assert await dump_tables(rete.db) == before
    await press(rete, ALBA, questions[0], f"ak:e:{ask_id}:1")
    assert (await rete.db.asks.get(ask_id)).status == "solved"


# ---- refusals --------------------------------------------------------------------------------


async def test_buttons_refuse_whoever_they_are_not_for(rete, group):
    await setup_group(rete, OTHER)
    await join(rete, ALBA)
    await join(rete, BRUNA, "offer accounting")
    await join(rete, FABIO, chat=OTHER)
    draft = await ask(rete, ALBA, "help with #accounting")
    post_data = buttons(draft)["✅ Post it"]
    ask_id = int(post_data.split(":")[2])
    before = await dump_tables(rete.db)
    await press(rete, BRUNA, draft, post_data)  # someone else's draft
    assert "not for you" in alerts(rete)[-1]
    await press(rete, ALBA, draft, post_data)
    posted = rete.telegram.sent(GROUP["id"])[-1]
    before = await dump_tables(rete.db)
    await press(rete, ALBA, posted, f"ak:h:{ask_id}")  # her own ask
    assert "your own ask" in alerts(rete)[-1]
    await press(rete, FABIO, posted, f"ak:h:{ask_id}")  # a member of another group
    assert "Only current members" in alerts(rete)[-1]
    rete.telegram.set_member(GROUP["id"], STRANGER, "left")
    await press(rete, STRANGER, posted, f"ak:h:{ask_id}")  # a stranger
    assert "Only current members" in alerts(rete)[-1]
    for forged in (
        f"ak:y:{ask_id}:{BRUNA['id']}",  # Connect, not the asker and nothing offered
        f"ak:d:{ask_id}",  # Solved, not the asker
        f"ak:n:{ask_id}",  # Not me, never sent to Fabio
        f"ak:w:{ask_id}:{BRUNA['id']}:1",  # a connector's answer, no connector
        "ak:h:999999",
        "ak:h:-5",
        "ak:h:١٢",
        "ak:zz:1",
        f"ak:h:{ask_id}:7",
        "ak:" + "9" * 70,
    ):
        await press(rete, FABIO, posted, forged)
    assert await dump_tables(rete.db) == before
    assert len(alerts(rete)) >= 13


async def test_i_can_help_twice_and_a_left_helper(rete, group):
    await join(rete, ALBA)
    await join(rete, BRUNA, "offer accounting")
    ask_id = await post(rete, ALBA, "help with #accounting")
    routed = last_dm(rete, BRUNA)
    await press(rete, BRUNA, routed, f"ak:h:{ask_id}")
    before = await dump_tables(rete.db)
    await press(rete, BRUNA, routed, f"ak:h:{ask_id}")
    assert "already offered" in alerts(rete)[-1]
    assert await dump_tables(rete.db) == before


async def test_connect_after_the_helper_deleted_their_data(rete, group):
    await join(rete, ALBA)
    await join(rete, BRUNA, "offer accounting")
    ask_id = await post(rete, ALBA, "help with #accounting")
    await press(rete, BRUNA, last_dm(rete, BRUNA), f"ak:h:{ask_id}")
    await press(rete, BRUNA, last_dm(rete, BRUNA), f"ak:k:{ask_id}")
    offer = last_dm(rete, ALBA)
    await rete.send(f.command(private(BRUNA), BRUNA, "/privacy"))
    await press(rete, BRUNA, last_dm(rete, BRUNA), "privacy:delete")
    await press(rete, BRUNA, last_dm(rete, BRUNA), "privacy:confirm")
    before = await dump_tables(rete.db)
    await press(rete, ALBA, offer, f"ak:y:{ask_id}:{BRUNA['id']}")
    assert "deleted their data" in alerts(rete)[-1]
    assert await dump_tables(rete.db) == before
    assert not any("@bruna" in c.result["text"] for c in dms(rete, ALBA))


# ---- 4. the warm path --------------------------------------------------------------------------


async def warm_setup(rete: Any) -> None:
    """Alba (Makers) is tied to Cesare (both groups), tied to Fabio (Far Club, offers tax)."""
    await setup_group(rete, OTHER)
    await join(rete, ALBA)
    await join(rete, CESARE)
    await join(rete, CESARE, chat=OTHER)
    await join(rete, FABIO, "offer tax", chat=OTHER)
    helpful = f.message(GROUP, CESARE, "try this")
    await rete.send(f.message_update(helpful))
    await rete.send(f.message_update(f.message(GROUP, ALBA, "/thanks", reply_to=helpful)))
    there = f.message(OTHER, CESARE, "look here")
    await rete.send(f.message_update(there))
    await rete.send(f.message_update(f.message(OTHER, FABIO, "/thanks", reply_to=there)))


async def test_a_warm_path_across_two_groups(rete, group):
    await warm_setup(rete)
    ask_id = await post(rete, ALBA, "I need help with my #tax return")
    assert "someone you know" in edits(rete, GROUP["id"])[-1]
    asked = last_dm(rete, CESARE)
    assert "Fabio" in asked.result["text"]
    assert "Alba" in asked.result["text"]
    assert not any("Fabio" in c.result["text"] for c in dms(rete, ALBA))
    assert not any(
        "is asking" in c.result["text"] or "pensa che" in c.result["text"]
        for c in dms(rete, FABIO)
    )
    await press(rete, CESARE, asked, f"ak:w:{ask_id}:{FABIO['id']}:1")
    introduced = last_dm(rete, FABIO)
    assert "Cesare" in introduced.result["text"]
    assert "Alba" in introduced.result["text"]
    await press(rete, FABIO, introduced, f"ak:h:{ask_id}")
    await press(rete, FABIO, last_dm(rete, FABIO), f"ak:k:{ask_id}")
    offer = last_dm(rete, ALBA)
    assert "introduced by" in offer.result["text"]
    assert "Cesare" in offer.result["text"]
    await press(rete, ALBA, offer, f"ak:y:{ask_id}:{FABIO['id']}")
    assert "@fabio" in edits(rete, ALBA["id"])[-1]
    assert "Grazie a te" in last_dm(rete, CESARE).result["text"]
    assert await rows(rete, "SELECT asker_id, helper_id, connector_id FROM ask_connections") == [
        (ALBA["id"], FABIO["id"], CESARE["id"])
    ]
    assert (await rete.db.asks.get(ask_id)).warm
    # Solved, and the weekly recap counts it and names the connector on its one line.
    await press(rete, ALBA, last_dm(rete, ALBA), f"ak:d:{ask_id}")
    await rete.send(f.command(GROUP, ALBA, "/recap"))
    sent = rete.telegram.sent(GROUP["id"]) + rete.telegram.sent(GROUP["id"], "sendPhoto")
    recap = "\n".join(c.result.get("text") or c.result.get("caption") or "" for c in sent)
    assert "Asks: one solved this week" in recap
    assert "Connectors this week" in recap
    assert "through an ask): Cesare (2)" in recap


async def test_a_connector_who_left_the_group_is_refused(rete, group):
    await warm_setup(rete)
    ask_id = await post(rete, ALBA, "I need help with my #tax return")
    asked = last_dm(rete, CESARE)
    rete.telegram.set_member(GROUP["id"], CESARE, "left")
    rete.app.bot_data["policy"].forget_member(GROUP["id"], CESARE["id"])
    before = await dump_tables(rete.db)
    await press(rete, CESARE, asked, f"ak:w:{ask_id}:{FABIO['id']}:1")
    assert await dump_tables(rete.db) == before
    assert not any(
        "pensa che" in c.result["text"] or "thinks you can help" in c.result["text"]
        for c in dms(rete, FABIO)
    )


# ---- /asks and privacy -------------------------------------------------------------------------


async def test_asks_lists_open_ones_and_stats_for_admins(rete, group):
    await join(rete, EZIO)
    await join(rete, BRUNA, "offer accounting")
    await post(rete, EZIO, "help with #accounting")
    await rete.send(f.command(GROUP, BRUNA, "/asks"))
    listing = rete.telegram.sent(GROUP["id"])[-1].result["text"]
    assert "One open ask" in listing
    assert "Ezio <b>&" in listing
    await rete.send(f.command(GROUP, BRUNA, "/asks stats"))
    assert "Only admins" in rete.telegram.sent(GROUP["id"])[-1].result["text"]
    await rete.send(f.command(GROUP, ADMIN, "/asks stats"))
    assert "Asked: 1" in rete.telegram.sent(GROUP["id"])[-1].result["text"]


async def test_italian_group_reads_its_ask_in_italian(rete):
    await setup_group(rete, GROUP, "it")
    await join(rete, CESARE)
    await join(rete, BRUNA, "offer contabilità")
    await rete.send(f.command(GROUP, CESARE, "/chiedo mi serve aiuto con la #contabilità"))
    draft = rete.telegram.sent(GROUP["id"])[-1]
    assert "La tua richiesta" in draft.result["text"]
    await press(rete, CESARE, draft, buttons(draft)["✅ Pubblica"])
    posted = [c for c in rete.telegram.sent(GROUP["id"]) if "chiede" in c.result["text"]][-1]
    assert buttons(posted) == {
        "🙋 Posso aiutare": posted.params and buttons(posted)["🙋 Posso aiutare"]
    }
    await rete.send(f.command(GROUP, CESARE, "/richieste"))
    assert "Una richiesta aperta" in rete.telegram.sent(GROUP["id"])[-1].result["text"]


async def test_export_and_delete_take_the_asks_with_them(rete, group):
    await join(rete, ALBA)
    await join(rete, BRUNA, "offer accounting")
    ask_id = await post(rete, ALBA, "help with #accounting")
    await press(rete, BRUNA, last_dm(rete, BRUNA), f"ak:h:{ask_id}")
    await rete.send(f.command(private(BRUNA), BRUNA, "one line from me"))
    exported = await rete.db.members.export(ALBA["id"])
    assert exported["asks"][0]["text"] == "help with #accounting"
    assert (await rete.db.members.export(BRUNA["id"]))["ask_offers"][0][
        "note"
    ] == "one line from me"
    await rete.send(f.command(private(ALBA), ALBA, "/privacy"))
    await press(rete, ALBA, last_dm(rete, ALBA), "privacy:delete")
    await press(rete, ALBA, last_dm(rete, ALBA), "privacy:confirm")
    assert await rows(rete, "SELECT id FROM asks") == []
    assert await rows(rete, "SELECT ask_id FROM ask_offers") == []
    edited = edits(rete, GROUP["id"])[-1]
    assert "Alba" not in edited
    assert "A member is asking" in edited


async def test_an_ask_made_in_private_chooses_its_group_with_a_button(rete, group):
    await setup_group(rete, OTHER)
    await join(rete, ALBA)
    await join(rete, BRUNA, "offer accounting")
    await rete.send(f.command(private(ALBA), ALBA, "/ask who knows accounting for startups?"))
    choice = last_dm(rete, ALBA)
    assert "Which group is it for?" in choice.result["text"]
    assert set(buttons(choice)) == {"Makers <&>", "Cancel"}  # not a group she is not in
    [ask_id] = [r[0] for r in await rows(rete, "SELECT id FROM asks")]
    # Another group's id, forged: Telegram says she is not there; nothing changes.
    before = await dump_tables(rete.db)
    rete.telegram.set_member(OTHER["id"], ALBA, "left")
    await press(rete, ALBA, choice, f"ak:g:{ask_id}:{-OTHER['id']}")
    assert "Only current members" in alerts(rete)[-1]
    await press(rete, BRUNA, choice, buttons(choice)["Makers <&>"])  # not her draft
    assert "not for you" in alerts(rete)[-1]
    assert await dump_tables(rete.db) == before
    await press(rete, ALBA, choice, buttons(choice)["Makers <&>"])
    draft = edits(rete, ALBA["id"])[-1]
    assert "Your ask" in draft
    assert "#accounting" in draft
    await press(rete, ALBA, choice, f"ak:p:{ask_id}")
    assert any("Alba is asking" in c.result["text"] for c in rete.telegram.sent(GROUP["id"]))
    assert any("is asking" in c.result["text"] for c in dms(rete, BRUNA))


async def test_ask_in_private_without_a_group_with_asks(rete):
    await rete.send(f.command(private(ALBA), ALBA, "/start"))
    await rete.send(f.command(private(ALBA), ALBA, "/chiedo aiuto con le #tasse"))
    assert "None of your groups has asks on" in last_dm(rete, ALBA).result["text"]
    assert await rows(rete, "SELECT id FROM asks") == []


GIULIA = f.user(1207, "Giulia", username="giulia", language_code="it")
MARCO = f.user(1208, "Marco", username="marco", language_code="it")


async def test_in_italian_routed_connected_and_expired(rete):
    await setup_group(rete, GROUP, "it")
    await join(rete, GIULIA)
    await join(rete, MARCO, "offer contabilità")
    await rete.send(f.command(GROUP, GIULIA, "/chiedo mi serve aiuto con la #contabilità"))
    draft = rete.telegram.sent(GROUP["id"])[-1]
    await press(rete, GIULIA, draft, buttons(draft)["✅ Pubblica"])
    assert "l'ho detto in privato a un membro che la offre" in edits(rete, GROUP["id"])[-1]
    assert "Resta aperta 14 giorni" in edits(rete, GROUP["id"])[-1]
    routed = last_dm(rete, MARCO)
    assert "chiede qualcosa che tu offri" in routed.result["text"]
    assert set(buttons(routed)) == {"🙋 Posso aiutare", "Non io", "Basta richieste"}
    ask_id = int(buttons(routed)["🙋 Posso aiutare"].split(":")[2])
    await press(rete, MARCO, routed, f"ak:h:{ask_id}")
    await rete.send(f.command(private(MARCO), MARCO, "faccio il commercialista da dieci anni"))
    offer = last_dm(rete, GIULIA)
    assert "può aiutarti con la tua richiesta" in offer.result["text"]
    assert "@marco" not in offer.result["text"]
    await press(rete, GIULIA, offer, buttons(offer)["🤝 Mettici in contatto"])
    assert "Sei in contatto con <b>Marco</b> (@marco)" in edits(rete, GIULIA["id"])[-1]
    assert "@giulia" in last_dm(rete, MARCO).result["text"]
    await sweep(rete, rete.now() + timedelta(days=15))
    question = last_dm(rete, GIULIA)
    assert "È stata risolta?" in question.result["text"]
    assert "Questa richiesta è chiusa" in edits(rete, GROUP["id"])[-1]
    await press(rete, GIULIA, question, buttons(question)["No"])
    assert (await rete.db.asks.get(ask_id)).status == "expired"


async def test_connect_with_a_helper_who_left_the_group_shares_nothing(rete, group):
    await join(rete, ALBA)
    await join(rete, BRUNA, "offer accounting")
    ask_id = await post(rete, ALBA, "help with #accounting")
    await press(rete, BRUNA, last_dm(rete, BRUNA), f"ak:h:{ask_id}")
    await press(rete, BRUNA, last_dm(rete, BRUNA), f"ak:k:{ask_id}")
    offer = last_dm(rete, ALBA)
    await rete.send(f.left_member(GROUP, BRUNA, BRUNA))
    before = await dump_tables(rete.db)
    await press(rete, ALBA, offer, f"ak:y:{ask_id}:{BRUNA['id']}")
    assert "no longer in the group" in alerts(rete)[-1]
    assert await dump_tables(rete.db) == before
    assert not any("@bruna" in c.result["text"] for c in dms(rete, ALBA))


async def test_the_recap_nudges_towards_asks_nobody_answered(rete, group):
    await rete.backdate(GROUP["id"])
    await join(rete, ALBA)  # a week of history before the recap's week
    rete.clock.set(rete.now() + timedelta(days=8))
    await post(rete, ALBA, "who can help with #woodturning")  # nobody offers it
    rete.clock.set(rete.now() + timedelta(days=2))
    await rete.send(f.message_update(f.message(GROUP, ALBA, "anyone?")))
    await rete.send(f.command(GROUP, ALBA, "/recap"))
    sent = rete.telegram.sent(GROUP["id"]) + rete.telegram.sent(GROUP["id"], "sendPhoto")
    recap = "\n".join(c.result.get("text") or c.result.get("caption") or "" for c in sent)
    assert "One ask here has no answer yet: /asks shows them" in recap
