"""Privacy scan: after /privacy delete, no table and no JSON column still names the member.

A member builds a rich history through the real bot — messages, thanks given and received
with reasons, reactions, tags of every kind, an introduction (with its reasons JSON on both
sides), a manual introduction with a note, /suggest, prompt replies, group admin rights,
follow-up answers — then deletes everything with the /privacy buttons. Every column of
every table (enumerated from the database's catalog) is then scanned for the member's id (as a
number and as text, e.g. a key inside JSON), names, username and the tags only they had.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.chat_settings import effective
from bot.introductions import chat_argument
from bot.schedule import next_slot
from handlers import intros
from tests import factories as f
from tests.conftest import ADMIN
from tests.engines import table_names

GROUP = f.group(-1_004_242, "Quokka Club")
ZEPH_ID = 734_221_905
ZEPH = f.user(
    ZEPH_ID, "Zephyrine", last_name="Quillfeather", username="zeph_unique", language_code="en"
)
ORLANDO = f.user(501, "Orlando", username="orlando", language_code="en")
CARLA = f.user(502, "Carla", username="carla", language_code="it")
# Tags only Zephyrine has (she also shares "kayak" with Orlando, offers him "xylography" and
# seeks the "mentoring" he offers: those are his tags too).
UNIQUE_TAGS = ("quokkaology", "vexillology", "zymurgy")
NEEDLES = ("zephyrine", "quillfeather", "zeph_unique", *UNIQUE_TAGS)
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


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


async def say(rete: Any, sender: dict[str, Any], text: str, **kw: Any) -> dict[str, Any]:
    update = f.message_update(f.message(GROUP, sender, text, **kw))
    await rete.send(update)
    return update["message"]


async def press(rete: Any, user: dict[str, Any], call: Any, data: str) -> None:
    await rete.send(f.callback_query(user, data, call.result))


def last_dm(rete: Any, user: dict[str, Any]) -> Any:
    return rete.telegram.sent(user["id"])[-1]


async def join_intros(rete: Any, user: dict[str, Any], *tag_lines: str) -> None:
    await rete.send(f.command(private(user), user, f"/start intros-{chat_argument(GROUP['id'])}"))
    await press(rete, user, last_dm(rete, user), f"in:j:{GROUP['id']}")
    for line in tag_lines:
        await rete.send(f.command(private(user), user, f"/interests {line}"))


def mentions(text: str) -> list[dict[str, Any]]:
    found, start = [], 0
    for word in text.split():
        start = text.index(word, start)
        if word.startswith("@"):
            found.append({"type": "mention", "offset": start, "length": len(word)})
        start += len(word)
    return found


async def command_with_mentions(rete: Any, sender: dict[str, Any], text: str) -> None:
    entities = [f.command_entity(text), *mentions(text)]
    await rete.send(f.message_update(f.message(GROUP, sender, text, entities=entities)))


def names_her(value: object) -> bool:
    """True if a stored value is Zephyrine's id (number or text) or contains her names or tags."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if isinstance(value, int):
        return value == ZEPH_ID
    if isinstance(value, str):
        return str(ZEPH_ID) in value or any(needle in value.casefold() for needle in NEEDLES)
    return False


async def scan(rete: Any) -> list[tuple[str, str, object]]:
    """Return (table, column, value) of every stored value that names Zephyrine."""
    await rete.db.flush()
    found = []
    for table in await table_names(rete.db):
        for row in await rete.db.fetchall(f"SELECT * FROM {table}"):
            found += [(table, column, v) for column, v in dict(row).items() if names_her(v)]
    return found


async def build_history(rete: Any) -> None:
    """Zephyrine takes part in everything Rete records."""
    telegram = rete.telegram
    telegram.set_admins(GROUP["id"], ADMIN, ZEPH)
    await rete.send(f.my_chat_member(GROUP, ADMIN, telegram.bot_user, "left", "administrator"))
    await rete.backdate(GROUP["id"])
    for person in (ADMIN, ZEPH, ORLANDO, CARLA):
        await rete.send(f.command(private(person), person, "/start"))
    await say(rete, ADMIN, "/settings language en")
    await say(rete, ADMIN, "/settings quota 1")
    await say(rete, ADMIN, "/settings intros on")
    await say(rete, ADMIN, "/settings introsevery weekly")
    day = (rete.now().astimezone(ZoneInfo("Europe/Rome")).weekday() + 3) % 7
    await say(rete, ADMIN, f"/settings introsday {DAYS[day]}")
    await say(rete, ADMIN, "/prompts on")

    # Messages, thanks both ways (with reasons naming her), reactions, a quota notice.
    zeph_tip = await say(rete, ZEPH, "Here is how I sort my quokka photos")
    orlando_tip = await say(rete, ORLANDO, "Use a kayak dry bag")
    carla_tip = await say(rete, CARLA, "Try the market on Sunday")
    await say(rete, CARLA, "/thanks Zephyrine, the quokkaology tips were gold", reply_to=zeph_tip)
    await say(rete, ZEPH, "/thanks great zymurgy advice from zeph_unique", reply_to=orlando_tip)
    await say(rete, ZEPH, "grazie mille!", reply_to=carla_tip)  # over her quota of 1
    await rete.send(f.reaction(GROUP, ORLANDO, zeph_tip["message_id"], new=["🙏"]))
    await rete.send(f.reaction(GROUP, ZEPH, carla_tip["message_id"], new=["🔥"]))
    # As an admin she voids a thanks between two others.
    orlando_thanks = await say(rete, ORLANDO, "/thanks", reply_to=carla_tip)
    await say(rete, ZEPH, "/unthank", reply_to=orlando_thanks)

    # Tags of every kind, public offers, introductions opt-in.
    await join_intros(
        rete,
        ZEPH,
        "quokkaology, kayak",
        "offer xylography, vexillology",
        "seek mentoring, zymurgy",
    )
    await rete.send(f.command(private(ZEPH), ZEPH, "/interests public on"))
    await join_intros(rete, ORLANDO, "kayak", "offer mentoring", "seek xylography")
    await join_intros(rete, CARLA, "gardening")

    # A manual introduction that names her in its note, and one she arranges as an admin.
    await command_with_mentions(
        rete, ADMIN, "/introduce @zeph_unique @carla Zephyrine loves quokkaology"
    )
    await command_with_mentions(
        rete, ZEPH, "/introduce @orlando @carla ask zeph_unique about xylography"
    )

    # A round: she and Orlando are introduced (reasons JSON on both sides).
    prefs = effective((await rete.db.chats.get(GROUP["id"])).settings, rete.settings)
    slot = next_slot(intros.JOB.schedule(prefs), prefs.zone, rete.now())
    await rete.tick(slot + timedelta(minutes=1))
    [intro_dm] = [
        c for c in telegram.sent(ZEPH_ID) if "this time you're meeting" in c.result["text"]
    ]
    await press(rete, ZEPH, intro_dm, buttons(intro_dm)["✍️ I'll write to them"])
    # Carla never wants to be paired with her (Carla's own list: kept, see below).
    await rete.send(f.command(private(CARLA), CARLA, "/intros never @zeph_unique"))

    # Prompts: her suggestion, her own prompt, one she approves, her reply to a prompt.
    await say(rete, ZEPH, "/suggest What is the best thing you learned this month?")
    await say(rete, CARLA, "/suggest Which book would you lend to a friend?")
    carla_suggestion = last_dm(rete, ZEPH)
    await press(rete, ZEPH, carla_suggestion, buttons(carla_suggestion)["✅ Approve"])
    await say(rete, ZEPH, "/prompts add Who would you like to thank today?")
    await say(rete, ADMIN, "/prompts now")
    prompt = telegram.sent(GROUP["id"])[-1].result
    await say(rete, ZEPH, "Me! I do", reply_to=prompt)

    # Asks: hers, routed to Orlando who offers help with a note naming her; and
    # Orlando's, routed to her, where she offers help and gets connected (issue #12).
    await say(rete, ADMIN, "/settings asks on")
    await say(rete, ZEPH, "/ask I need mentoring for my quokkaology blog")
    draft = telegram.sent(GROUP["id"])[-1]
    await press(rete, ZEPH, draft, buttons(draft)["✅ Post it"])
    [zeph_ask] = [tuple(r) for r in await rete.db.fetchall("SELECT id FROM asks")]
    await press(rete, ORLANDO, last_dm(rete, ORLANDO), f"ak:h:{zeph_ask[0]}")
    await rete.send(f.command(private(ORLANDO), ORLANDO, "happy to help zeph_unique"))
    await say(rete, ORLANDO, "/ask anyone into #xylography")
    draft = telegram.sent(GROUP["id"])[-1]
    await press(rete, ORLANDO, draft, buttons(draft)["✅ Post it"])
    other_ask = max(r[0] for r in await rete.db.fetchall("SELECT id FROM asks"))
    await press(rete, ZEPH, last_dm(rete, ZEPH), f"ak:h:{other_ask}")
    await rete.send(f.command(private(ZEPH), ZEPH, "Zephyrine here, I carve"))
    await press(rete, ORLANDO, last_dm(rete, ORLANDO), f"ak:y:{other_ask}:{ZEPH_ID}")

    # A week later: "did you meet?", and her answer.
    await rete.sweep(slot + timedelta(days=8))
    follow_up = next(
        c for c in telegram.sent(ZEPH_ID)[::-1] if "Did you meet?" in c.result["text"]
    )
    await press(rete, ZEPH, follow_up, buttons(follow_up)["✅ Yes"])
    # Her network: a reminder about Orlando, a "we talked", the monthly note; and his
    # reminder about her (someone else's row that names her).
    await rete.send(f.command(private(ZEPH), ZEPH, "/network"))
    view = last_dm(rete, ZEPH)
    for data in (
        f"nw:r:{ORLANDO['id']}:{GROUP['id']}:1",
        f"nw:w:{ORLANDO['id']}:{GROUP['id']}",
        "nw:n:1:0",
    ):
        await press(rete, ZEPH, view, data)
    await rete.send(f.command(private(ORLANDO), ORLANDO, "/network"))
    await press(rete, ORLANDO, last_dm(rete, ORLANDO), f"nw:r:{ZEPH_ID}:{GROUP['id']}:3")
    await rete.db.ties.claim_days([(ORLANDO["id"], "2026-12-02", ZEPH_ID)], rete.now())
    await rete.db.flush()


async def delete_through_buttons(rete: Any) -> dict[str, Any]:
    """/privacy in private, Delete, Confirm; return the export sent just before."""
    await rete.send(f.command(private(ZEPH), ZEPH, "/privacy"))
    summary = next(
        c for c in rete.telegram.sent(ZEPH_ID)[::-1] if "What Rete keeps" in c.result["text"]
    )
    document = rete.telegram.sent(ZEPH_ID, method="sendDocument")[-1]
    export = json.loads(next(iter(document.files.values())).content)
    await press(rete, ZEPH, summary, "privacy:delete")
    await press(rete, ZEPH, summary, "privacy:confirm")
    edit = rete.telegram.calls_to("editMessageText")[-1]
    assert edit.result["text"].startswith("Done: I deleted everything")
    return export


async def test_deletion_leaves_nothing_that_names_the_member(rete):
    await build_history(rete)
    before = await scan(rete)
    assert {table for table, _, _ in before} >= {
        "members",
        "memberships",
        "activity_daily",
        "message_authors",
        "credits",
        "quota_notices",
        "chat_admins",
        "member_tags",
        "intro_optins",
        "intro_members",
        "intro_never",
        "intros",
        "prompts",
        "prompt_suggestions",
        "prompt_replies",
        "asks",
        "ask_routes",
        "ask_offers",
        "ask_connections",
        "tie_reminders",
        "tie_talks",
        "tie_reminder_days",
        "network_notes",
    }, "the history is rich enough for the scan to mean something"

    export = await delete_through_buttons(rete)
    # The export has what others' rows say about her too: why Orlando was introduced to her.
    [round_intro] = [r for r in export["intro_members"] if r["kind"] == "round"]
    assert json.loads(round_intro["partner_reasons"]) == {
        str(ORLANDO["id"]): {
            "shared": ["kayak"],
            "offers_to_other": ["mentoring"],
            "seeks_from_other": ["xylography"],
        }
    }

    # Telegram still lists her as an admin: asking it again must not record her again.
    rete.clock.set(rete.now() + timedelta(seconds=rete.settings.admin_cache_seconds + 1))
    await say(rete, ADMIN, "/settings")
    await rete.db.flush()

    left = await scan(rete)
    # The one thing kept on purpose: Carla's own never-list still blocks a pairing with her
    # id (README, privacy): it is Carla's data, and deleting must not undo someone's block.
    kept = [(t, c, v) for t, c, v in left if (t, c) == ("intro_never", "other_id")]
    assert len(kept) == 1
    assert [(t, c, v) for t, c, v in left if (t, c, v) not in kept] == []


async def test_partner_of_a_deleted_member_is_not_asked_about_nobody(rete):
    telegram = rete.telegram
    telegram.set_admins(GROUP["id"], ADMIN)
    await rete.send(f.my_chat_member(GROUP, ADMIN, telegram.bot_user, "left", "member"))
    await say(rete, ADMIN, "/settings language en")
    await say(rete, ADMIN, "/settings intros on")
    day = (rete.now().astimezone(ZoneInfo("Europe/Rome")).weekday() + 3) % 7
    await say(rete, ADMIN, f"/settings introsday {DAYS[day]}")
    for person in (ZEPH, ORLANDO):
        await say(rete, person, "ciao")
        await join_intros(rete, person, "kayak")
    prefs = effective((await rete.db.chats.get(GROUP["id"])).settings, rete.settings)
    slot = next_slot(intros.JOB.schedule(prefs), prefs.zone, rete.now())
    await rete.tick(slot + timedelta(minutes=1))
    assert any("meeting Zephyrine" in text for text in rete.texts(ORLANDO["id"]))

    await delete_through_buttons(rete)
    await rete.sweep(slot + timedelta(days=8))
    assert not any("Did you meet?" in text for text in rete.texts(ORLANDO["id"]))
    rows = await rete.db.fetchall("SELECT status, why FROM intros")
    assert [tuple(row) for row in rows] == [("cancelled", "erased")]
