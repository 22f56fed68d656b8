"""Asks attacked from outside: contacts before both said yes, choices ignored, forged data.

Each test drives the real bot through the fake Bot API, as tests/test_e2e_asks.py does
(its helpers are reused), and asserts what a person would notice: a message, a name in
it, a row that did or did not change.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests import factories as f
from tests.conftest import ADMIN
from tests.engines import dump_tables
from tests.test_e2e_asks import (
    ALBA,
    BRUNA,
    CESARE,
    FABIO,
    GROUP,
    OTHER,
    STRANGER,
    alerts,
    ask,
    buttons,
    dms,
    edits,
    f_member,
    join,
    last_dm,
    post,
    press,
    private,
    rows,
    setup_group,
    sweep,
    warm_setup,
)


@pytest.fixture
async def makers(rete: Any) -> dict[str, Any]:
    await setup_group(rete, GROUP)
    return GROUP


async def hide(rete: Any, user: dict[str, Any]) -> None:
    await rete.send(f.command(private(user), user, "/privacy"))
    await press(rete, user, last_dm(rete, user), "privacy:hide")


async def delete_data(rete: Any, user: dict[str, Any]) -> None:
    await rete.send(f.command(private(user), user, "/privacy"))
    await press(rete, user, last_dm(rete, user), "privacy:delete")
    await press(rete, user, last_dm(rete, user), "privacy:confirm")


def group_post(rete: Any) -> Any:
    return [c for c in rete.telegram.sent(GROUP["id"]) if "is asking" in c.result["text"]][-1]


def texts(rete: Any, user: dict[str, Any]) -> str:
    return "\n".join(c.result["text"] for c in dms(rete, user))


def connector_asks(rete: Any, user: dict[str, Any]) -> list[Any]:
    return [c for c in dms(rete, user) if "ak:w:" in str(c.params.get("reply_markup"))]


# ---- contacts before both said yes ------------------------------------------------------------


async def test_a_hidden_helper_is_not_named_by_username_before_connect(rete, makers):
    await join(rete, ALBA)
    await join(rete, BRUNA, "offer accounting")
    await hide(rete, BRUNA)  # hidden: not routed, but she may still answer the group post
    ask_id = await post(rete, ALBA, "help with #accounting")
    await press(rete, BRUNA, group_post(rete), f"ak:h:{ask_id}")
    await press(rete, BRUNA, last_dm(rete, BRUNA), f"ak:k:{ask_id}")
    offer = last_dm(rete, ALBA)
    assert "Connect" in str(offer.params.get("reply_markup"))
    assert "@bruna" not in offer.result["text"]
    assert "Bruna" not in offer.result["text"]
    # On Connect both get the contact.
    await press(rete, ALBA, offer, f"ak:y:{ask_id}:{BRUNA['id']}")
    assert "@bruna" in edits(rete, ALBA["id"])[-1]


async def test_a_hidden_askers_username_is_not_sent_to_the_members_routed(rete, makers):
    await join(rete, ALBA)
    await join(rete, BRUNA, "offer accounting")
    await hide(rete, ALBA)
    ask_id = await post(rete, ALBA, "help with #accounting")
    routed = last_dm(rete, BRUNA)
    assert f"ak:h:{ask_id}" in str(routed.params.get("reply_markup"))
    assert "@alba" not in routed.result["text"]
    assert "Alba" not in routed.result["text"]
    # Nor in the note's request once she offers help, nor in /asks.
    await press(rete, BRUNA, routed, f"ak:h:{ask_id}")
    assert "@alba" not in last_dm(rete, BRUNA).result["text"]
    await rete.send(f.command(GROUP, BRUNA, "/asks"))
    listing = rete.telegram.sent(GROUP["id"])[-1].result["text"]
    assert "@alba" not in listing
    assert "Alba" not in listing


# ---- choices ---------------------------------------------------------------------------------


async def test_a_connector_who_said_no_more_asks_is_not_asked_to_connect(rete, makers):
    await warm_setup(rete)
    await rete.db.asks.set_prefs(f_member(CESARE), rete.now(), no_asks=True)
    await post(rete, ALBA, "I need help with my #tax return")
    assert connector_asks(rete, CESARE) == []


async def test_a_warm_path_helper_over_the_weekly_limit_is_not_introduced(rete, makers):
    await warm_setup(rete)
    await rete.send(f.command(GROUP, ADMIN, "/settings asksweekly 1"))
    # Fabio got an ask this week already (Cesare's, in the other group).
    await post(rete, CESARE, "who does my #tax", chat=OTHER)
    assert len(await rows(rete, "SELECT 1 FROM ask_routes WHERE member_id = ?", FABIO["id"])) == 1
    await post(rete, ALBA, "I need help with my #tax return")
    assert connector_asks(rete, CESARE) == []
    assert len(await rows(rete, "SELECT 1 FROM ask_routes WHERE member_id = ?", FABIO["id"])) == 1


async def test_a_connector_who_said_never_is_not_asked(rete, makers):
    await warm_setup(rete)
    await rete.db.asks.set_prefs(f_member(CESARE), rete.now(), no_connector=True)
    await post(rete, ALBA, "I need help with my #tax return")
    assert connector_asks(rete, CESARE) == []


async def test_the_warm_path_names_nobody_to_the_asker_before_the_helper_offers(rete, makers):
    await warm_setup(rete)
    ask_id = await post(rete, ALBA, "I need help with my #tax return")
    [asked] = connector_asks(rete, CESARE)
    await press(rete, CESARE, asked, f"ak:w:{ask_id}:{FABIO['id']}:1")
    seen = (
        texts(rete, ALBA)
        + "\n".join(edits(rete, ALBA["id"]))
        + "\n".join(edits(rete, GROUP["id"]))
    )
    for secret in ("Fabio", "@fabio", "Far Club"):
        assert secret not in seen
    # A forged answer for a helper the connector was not asked about changes nothing.
    before = await dump_tables(rete.db)
    await press(rete, CESARE, asked, f"ak:w:{ask_id}:{BRUNA['id']}:1")
    await press(rete, STRANGER, asked, f"ak:w:{ask_id}:{FABIO['id']}:1")
    assert await dump_tables(rete.db) == before


# ---- privacy ---------------------------------------------------------------------------------


async def test_a_connectors_export_holds_nothing_the_helper_wrote(rete, makers):
    await warm_setup(rete)
    ask_id = await post(rete, ALBA, "I need help with my #tax return")
    await press(rete, CESARE, connector_asks(rete, CESARE)[-1], f"ak:w:{ask_id}:{FABIO['id']}:1")
    await press(rete, FABIO, last_dm(rete, FABIO), f"ak:h:{ask_id}")
    await rete.send(f.command(private(FABIO), FABIO, "my secret line for Alba"))
    assert (await rete.db.members.export(FABIO["id"]))["ask_offers"][0]["note"] == (
        "my secret line for Alba"
    )
    exported = await rete.db.members.export(CESARE["id"])
    assert "my secret line" not in repr(exported)


async def test_a_helper_who_deletes_their_data_leaves_the_solved_post(rete, makers):
    await join(rete, ALBA)
    await join(rete, BRUNA, "offer accounting")
    ask_id = await post(rete, ALBA, "help with #accounting")
    await press(rete, BRUNA, last_dm(rete, BRUNA), f"ak:h:{ask_id}")
    await press(rete, BRUNA, last_dm(rete, BRUNA), f"ak:k:{ask_id}")
    await press(rete, ALBA, last_dm(rete, ALBA), f"ak:y:{ask_id}:{BRUNA['id']}")
    await press(rete, ALBA, last_dm(rete, ALBA), f"ak:d:{ask_id}")
    assert "Solved, with help from Bruna" in edits(rete, GROUP["id"])[-1]
    await delete_data(rete, BRUNA)
    assert "Bruna" not in edits(rete, GROUP["id"])[-1]
    assert "Solved" in edits(rete, GROUP["id"])[-1]


# ---- forged and repeated buttons (probes that hold) ------------------------------------------


async def test_forged_ask_buttons_change_nothing(rete, makers):
    await join(rete, ALBA)
    await join(rete, BRUNA, "offer accounting")
    draft = await ask(rete, ALBA, "help with #accounting and #tax")
    ask_id = int(buttons(draft)["✅ Post it"].split(":")[2])
    before = await dump_tables(rete.db)
    for forged in (
        f"ak:t:{ask_id}:-1",
        f"ak:t:{ask_id}:99",
        f"ak:t:{ask_id}:²",
        f"ak:t:{ask_id}",
        f"ak:p:{ask_id}:",
        "ak:h:" + "9" * 18,
        "ak:h:" + "9" * 30,
        f"ak:y:{ask_id}",
        f"ak:y:{ask_id}:" + "9" * 18,
        f"ak:w:{ask_id}:{BRUNA['id']}:2",
        f"ak:e:{ask_id}:5",
        f"ak:g:{ask_id}:0",
        f"ak:g:{ask_id}:-{GROUP['id']}",
        "ak:o:0:2",
        "ak:q:0:-1",
        "ak:",
        "ak:h",
    ):
        await press(rete, ALBA, draft, forged)
    assert await dump_tables(rete.db) == before
    # The draft's own buttons, pressed by someone else, refuse.
    for data in buttons(draft).values():
        await press(rete, BRUNA, draft, data)
    assert "not for you" in alerts(rete)[-1]
    assert await dump_tables(rete.db) == before


async def test_private_buttons_forwarded_to_someone_else_change_nothing(rete, makers):
    await join(rete, ALBA)
    await join(rete, BRUNA, "offer accounting")
    await join(rete, FABIO)
    ask_id = await post(rete, ALBA, "help with #accounting")
    routed = last_dm(rete, BRUNA)
    await press(rete, BRUNA, routed, f"ak:h:{ask_id}")
    await press(rete, BRUNA, last_dm(rete, BRUNA), f"ak:k:{ask_id}")
    offer = last_dm(rete, ALBA)
    before = await dump_tables(rete.db)
    for data in (
        f"ak:n:{ask_id}",
        f"ak:s:{ask_id}",
        f"ak:v:{ask_id}",
        f"ak:k:{ask_id}",
        f"ak:y:{ask_id}:{BRUNA['id']}",
        f"ak:x:{ask_id}:{BRUNA['id']}",
        f"ak:d:{ask_id}",
        f"ak:e:{ask_id}:1",
    ):
        await press(rete, FABIO, offer, data)
    assert await dump_tables(rete.db) == before
    assert not any("@bruna" in c.result["text"] for c in dms(rete, FABIO))


async def test_post_pressed_twice_at_once_posts_and_routes_once(rete, makers):
    await join(rete, ALBA)
    await join(rete, BRUNA, "offer accounting")
    draft = await ask(rete, ALBA, "help with #accounting")
    data = buttons(draft)["✅ Post it"]
    await rete.send_together(
        f.callback_query(ALBA, data, draft.result), f.callback_query(ALBA, data, draft.result)
    )
    posts = [c for c in rete.telegram.sent(GROUP["id"]) if "is asking" in c.result["text"]]
    assert len(posts) == 1
    assert len([c for c in dms(rete, BRUNA) if "is asking" in c.result["text"]]) == 1


async def test_the_same_ask_update_twice_makes_one_draft(rete, makers):
    await join(rete, ALBA)
    await join(rete, BRUNA, "offer accounting")
    update = f.command(GROUP, ALBA, "/ask help with #accounting")
    update["update_id"] = rete.telegram.add_update(update)
    await rete.telegram.wait_delivered(update["update_id"])
    await rete.settle()
    await rete.restart()
    rete.telegram.add_update(update)
    await rete.telegram.wait_delivered(update["update_id"])
    await rete.settle()
    assert len(await rows(rete, "SELECT id FROM asks")) == 1


async def test_anonymous_admins_and_channels_cannot_ask(rete, makers):
    await join(rete, ALBA)
    await join(rete, BRUNA, "offer accounting")
    channel = f.group(-100777, "Chan", type="channel")
    for sender_chat in (GROUP, channel):
        await rete.send(
            f.message_update(
                f.message(GROUP, None, "/ask help with #accounting", sender_chat=sender_chat)
            )
        )
    await rete.send(f.command(GROUP, f.GROUP_ANONYMOUS_BOT, "/ask help with #accounting"))
    assert await rows(rete, "SELECT id FROM asks") == []


async def test_hostile_texts_and_notes(rete, makers):
    await join(rete, ALBA)
    await join(rete, BRUNA, "offer accounting")
    await rete.send(f.command(private(ALBA), ALBA, "/ask " + "<" * 2000))
    assert "too long" in last_dm(rete, ALBA).result["text"]
    for text in ("\u200b\u200f\u200b", "#a #b #c", " ".join(f"#t{k}" for k in range(100))):
        assert "Your ask" not in (await ask(rete, ALBA, text)).result["text"]
    assert await rows(rete, "SELECT id FROM asks") == []
    # Many hashtags with words: at most eight tags, every button's data within 64 bytes.
    draft = await ask(rete, ALBA, "help, " + " ".join(f"#tag{k}" for k in range(100)))
    assert "Your ask" in draft.result["text"]
    assert len(buttons(draft)) == 8 + 2
    # RTL text is posted as written; a note of 5,000 characters is cut to one line.
    ask_id = await post(rete, ALBA, "\u202eמישהו #accounting \u200b")
    await press(rete, BRUNA, last_dm(rete, BRUNA), f"ak:h:{ask_id}")
    await rete.send(f.command(private(BRUNA), BRUNA, "/start"))  # a command is not a note
    assert (await rete.db.asks.get_offer(ask_id, BRUNA["id"])).state == "noting"
    await rete.send(f.command(private(BRUNA), BRUNA, "x" * 5000))
    offer = await rete.db.asks.get_offer(ask_id, BRUNA["id"])
    assert offer.state == "offered"
    assert len(offer.note) == 200


# ---- cut short between opening and routing ---------------------------------------------------


def group_posts(rete: Any) -> list[Any]:
    return [c for c in rete.telegram.sent(GROUP["id"]) if "is asking" in c.result["text"]]


def to_group(params: dict[str, Any]) -> bool:
    return str(params.get("chat_id")) == str(GROUP["id"])


async def test_an_ask_whose_post_failed_is_posted_and_routed_by_the_sweep(rete, makers):
    await join(rete, ALBA)
    await join(rete, BRUNA, "offer accounting")
    draft = await ask(rete, ALBA, "help with #accounting")
    data = buttons(draft)["✅ Post it"]
    ask_id = int(data.split(":")[2])
    rete.telegram.fail("sendMessage", error_code=502, description="Bad Gateway", when=to_group)
    await press(rete, ALBA, draft, data)
    assert (await rete.db.asks.get(ask_id)).status == "open"
    assert not any("is asking" in c.result["text"] for c in rete.telegram.sent(GROUP["id"]))
    assert not any("is asking" in c.result["text"] for c in dms(rete, BRUNA))
    await press(rete, ALBA, draft, data)  # pressed again: already open, nothing twice
    await sweep(rete, rete.now() + timedelta(minutes=1))  # the handler may still be at it
    assert not any("is asking" in c.result["text"] for c in dms(rete, BRUNA))
    await sweep(rete, rete.now() + timedelta(minutes=10))
    await sweep(rete, rete.now() + timedelta(minutes=1))
    posts = [c for c in rete.telegram.sent(GROUP["id"]) if "is asking" in c.result["text"]]
    assert len(posts) == 1
    assert (await rete.db.asks.get(ask_id)).post_id == posts[0].result["message_id"]
    assert len([c for c in dms(rete, BRUNA) if "is asking" in c.result["text"]]) == 1


async def test_an_ask_cut_short_while_routing_is_routed_once_by_the_sweep(rete, makers):
    await join(rete, ALBA)
    await join(rete, BRUNA, "offer accounting")
    await join(rete, CESARE, "offer accounting")
    draft = await ask(rete, ALBA, "help with #accounting")
    data = buttons(draft)["✅ Post it"]
    # Telegram fails on the second member's message: Bruna was told, Cesare not yet.
    rete.telegram.fail(
        "sendMessage",
        error_code=502,
        description="Bad Gateway",
        when=lambda p: str(p.get("chat_id")) == str(CESARE["id"]),
    )
    await press(rete, ALBA, draft, data)
    assert len([c for c in dms(rete, BRUNA) if "is asking" in c.result["text"]]) == 1
    assert not any("ak:h:" in str(c.params.get("reply_markup")) for c in dms(rete, CESARE))
    await sweep(rete, rete.now() + timedelta(minutes=10))
    await sweep(rete, rete.now() + timedelta(minutes=10))
    assert len(group_posts(rete)) == 1
    assert len([c for c in dms(rete, BRUNA) if "is asking" in c.result["text"]]) == 1
    assert len([c for c in dms(rete, CESARE) if "ak:h:" in str(c.params.get("reply_markup"))]) == 1


# ---- members who left, were banned, were demoted, paused, blocked -----------------------------


async def test_banned_paused_and_blocked_members(rete, makers):
    await join(rete, ALBA)
    await join(rete, BRUNA, "offer accounting")
    await join(rete, CESARE, "offer accounting")
    await join(rete, FABIO, "offer accounting")
    # Cesare paused introductions here: never routed.
    await rete.send(f.command(private(CESARE), CESARE, "/intros"))
    await press(rete, CESARE, last_dm(rete, CESARE), f"in:p:{GROUP['id']}:28")
    ask_id = await post(rete, ALBA, "help with #accounting")
    told = {r[0] for r in await rows(rete, "SELECT member_id FROM ask_routes")}
    assert told == {BRUNA["id"], FABIO["id"]}
    # Bruna is banned after being told: her I can help is refused, nothing is recorded.
    rete.telegram.set_member(GROUP["id"], BRUNA, "kicked")
    await rete.send(f.chat_member(GROUP, ADMIN, BRUNA, "member", "kicked"))
    before = await dump_tables(rete.db)
    await press(rete, BRUNA, last_dm(rete, BRUNA), f"ak:h:{ask_id}")
    assert "Only current members" in alerts(rete)[-1]
    assert await dump_tables(rete.db) == before
    # Fabio blocked Rete: his I can help from the group post leaves no offer behind.
    rete.telegram.blocked_users.add(FABIO["id"])
    await press(rete, FABIO, group_post(rete), f"ak:h:{ask_id}")
    assert await rete.db.asks.get_offer(ask_id, FABIO["id"]) is None
    assert not any("Fabio" in c.result["text"] for c in dms(rete, ALBA))


async def test_a_demoted_admin_gets_no_stats(rete, makers):
    await rete.send(f.command(GROUP, ADMIN, "/asks stats"))
    assert "Asked: 0" in rete.telegram.sent(GROUP["id"])[-1].result["text"]
    rete.telegram.set_admins(GROUP["id"])
    await rete.send(f.command(GROUP, ADMIN, "/asks stats"))
    assert "Only admins" in rete.telegram.sent(GROUP["id"])[-1].result["text"]


async def test_no_more_asks_works_on_a_closed_asks_message(rete, makers):
    await join(rete, ALBA)
    await join(rete, BRUNA, "offer accounting")
    ask_id = await post(rete, ALBA, "help with #accounting")
    routed = last_dm(rete, BRUNA)
    await press(rete, ALBA, last_dm(rete, ALBA), f"ak:d:{ask_id}")
    assert (await rete.db.asks.get(ask_id)).status == "solved"
    await press(rete, BRUNA, routed, f"ak:s:{ask_id}")
    assert (await rete.db.asks.prefs(BRUNA["id"]))[0] is True


async def test_buttons_after_cancel_and_after_the_askers_deletion(rete, makers):
    await join(rete, ALBA)
    await join(rete, BRUNA, "offer accounting")
    draft = await ask(rete, ALBA, "help with #accounting")
    await press(rete, ALBA, draft, buttons(draft)["Cancel"])
    before = await dump_tables(rete.db)
    await press(rete, ALBA, draft, buttons(draft)["✅ Post it"])
    assert await dump_tables(rete.db) == before
    assert group_posts(rete) == []
    ask_id = await post(rete, ALBA, "help with #accounting")
    routed = last_dm(rete, BRUNA)
    await delete_data(rete, ALBA)
    before = await dump_tables(rete.db)
    await press(rete, BRUNA, routed, f"ak:h:{ask_id}")
    await press(rete, BRUNA, group_post(rete), f"ak:h:{ask_id}")
    assert await dump_tables(rete.db) == before
    assert "Alba" not in edits(rete, GROUP["id"])[-1]


async def test_an_open_ask_survives_the_group_becoming_a_supergroup(rete, makers):
    await join(rete, ALBA)
    await join(rete, BRUNA, "offer accounting")
    ask_id = await post(rete, ALBA, "help with #accounting")
    new_id = -1009012
    rete.telegram.migrate_chat(GROUP["id"], new_id)
    await rete.send(*f.migrate(GROUP, new_id, by=ADMIN))
    assert (await rete.db.asks.get(ask_id)).chat_id == new_id
    await press(rete, BRUNA, last_dm(rete, BRUNA), f"ak:h:{ask_id}")
    await press(rete, BRUNA, last_dm(rete, BRUNA), f"ak:k:{ask_id}")
    await press(rete, ALBA, last_dm(rete, ALBA), f"ak:y:{ask_id}:{BRUNA['id']}")
    assert "@bruna" in edits(rete, ALBA["id"])[-1]
    await press(rete, ALBA, last_dm(rete, ALBA), f"ak:d:{ask_id}")
    assert (await rete.db.asks.get(ask_id)).status == "solved"


async def test_a_connector_who_hid_is_not_named_in_the_recap(rete, makers):
    await warm_setup(rete)
    ask_id = await post(rete, ALBA, "I need help with my #tax return")
    await press(rete, CESARE, connector_asks(rete, CESARE)[-1], f"ak:w:{ask_id}:{FABIO['id']}:1")
    await press(rete, FABIO, last_dm(rete, FABIO), f"ak:h:{ask_id}")
    await press(rete, FABIO, last_dm(rete, FABIO), f"ak:k:{ask_id}")
    await press(rete, ALBA, last_dm(rete, ALBA), f"ak:y:{ask_id}:{FABIO['id']}")
    await press(rete, ALBA, last_dm(rete, ALBA), f"ak:d:{ask_id}")
    await hide(rete, CESARE)
    await rete.send(f.command(GROUP, ALBA, "/recap"))
    sent = rete.telegram.sent(GROUP["id"]) + rete.telegram.sent(GROUP["id"], "sendPhoto")
    recap = "\n".join(c.result.get("text") or c.result.get("caption") or "" for c in sent)
    assert "Asks: one solved this week" in recap
    assert "Cesare" not in recap


EZIO = f.user(1205, "Ezio <b>&", username="ezio", language_code="en")
NEWCOMER = f.user(1210, "Nina", username="nina", language_code="en")


async def test_no_dm_without_consent_and_html_names_escaped(rete, makers):
    await join(rete, EZIO)
    await join(rete, BRUNA, "offer accounting")
    ask_id = await post(rete, EZIO, "help with #accounting")
    assert "Ezio <b>& is asking" in group_posts(rete)[-1].result["text"]
    # Nina never started Rete: her I can help gets an alert, and no DM goes to her.
    await rete.send(f.message_update(f.message(GROUP, NEWCOMER, "hi")))
    await press(rete, NEWCOMER, group_posts(rete)[-1], f"ak:h:{ask_id}")
    assert "write to you in private" in alerts(rete)[-1]
    assert dms(rete, NEWCOMER) == []
    assert await rete.db.asks.get_offer(ask_id, NEWCOMER["id"]) is None


async def test_an_introduced_helper_who_said_no_more_asks_meanwhile_is_not_asked(rete, makers):
    await warm_setup(rete)
    ask_id = await post(rete, ALBA, "I need help with my #tax return")
    await rete.db.asks.set_prefs(f_member(FABIO), rete.now(), no_asks=True)
    await press(rete, CESARE, connector_asks(rete, CESARE)[-1], f"ak:w:{ask_id}:{FABIO['id']}:1")
    assert not any("ak:h:" in str(c.params.get("reply_markup")) for c in dms(rete, FABIO))


async def test_someone_on_the_askers_never_list_cannot_offer_from_the_group_post(rete, makers):
    await join(rete, ALBA)
    await join(rete, BRUNA, "offer accounting")
    await rete.send(f.command(private(ALBA), ALBA, "/intros never @bruna"))
    ask_id = await post(rete, ALBA, "help with #accounting")
    assert not any("is asking" in c.result["text"] for c in dms(rete, BRUNA))  # not routed
    await press(rete, BRUNA, group_post(rete), f"ak:h:{ask_id}")
    await press(rete, BRUNA, last_dm(rete, BRUNA), f"ak:k:{ask_id}")
    assert await rete.db.asks.get_offer(ask_id, BRUNA["id"]) is None
    assert not any("ak:y:" in str(c.params.get("reply_markup")) for c in dms(rete, ALBA))


async def test_a_note_typed_after_the_ask_closed_is_not_said_to_be_sent(rete, makers):
    await join(rete, ALBA)
    await join(rete, BRUNA, "offer accounting")
    ask_id = await post(rete, ALBA, "help with #accounting")
    await press(rete, BRUNA, last_dm(rete, BRUNA), f"ak:h:{ask_id}")
    await press(rete, ALBA, last_dm(rete, ALBA), f"ak:d:{ask_id}")
    await rete.send(f.command(private(BRUNA), BRUNA, "I can do it"))
    assert "Sent:" not in last_dm(rete, BRUNA).result["text"]
    assert "This ask is closed" in last_dm(rete, BRUNA).result["text"]
    assert (await rete.db.asks.get_offer(ask_id, BRUNA["id"])).note is None
    assert not any("ak:y:" in str(c.params.get("reply_markup")) for c in dms(rete, ALBA))
