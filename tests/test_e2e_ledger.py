"""End to end: the help ledger as members and admins use it, through the fake Bot API."""

import asyncio
import copy
import csv
import io
import sqlite3
from datetime import timedelta

import pytest

from handlers import ledger
from handlers.context import ReteContext
from tests import factories as f
from tests.conftest import ADMIN, MEMBER
from tests.engines import raw_rows_now

GROUP = f.group(-1009, "Makers")
CARLA = f.user(300, "Carla", username="carla", language_code="it")
DARIO = f.user(301, "Dario", username="dario", language_code="it")
NASTY = f.user(302, "<b>&\"'</b>", username="nasty", language_code="en")
OTHER_BOT = f.user(999, "OtherBot", is_bot=True, username="other_bot")


@pytest.fixture
async def group(rete):
    rete.telegram.set_admins(GROUP["id"], ADMIN)
    await rete.send(f.my_chat_member(GROUP, ADMIN, rete.telegram.bot_user, "left", "member"))
    rete.telegram.clear_calls()
    return GROUP


async def said(rete, sender, text="I can help with that", chat=GROUP):
    """A member writes in the group; return the message as Telegram delivered it."""
    update = f.message_update(f.message(chat, sender, text))
    await rete.send(update)
    return update["message"]


async def thank(rete, giver, target, text="/thanks", chat=GROUP):
    update = f.message_update(f.message(chat, giver, text, reply_to=target))
    await rete.send(update)
    return update["message"]


async def acknowledge(rete):
    """Run the job that sends the 🤝 which waited for their minute; let them go out."""
    ledger.send_acknowledgements(ReteContext(rete.app))
    await asyncio.sleep(0.05)


async def credits(rete):
    return await rete.db.ledger.export(GROUP["id"])


async def test_thanks_command_credits_quietly_with_a_handshake(rete, group):
    helpful = await said(rete, MEMBER)
    thanking = await thank(rete, ADMIN, helpful, "/thanks " + "per la dritta! " * 150)
    rows = await credits(rete)
    assert [(r["giver_id"], r["receiver_id"], r["message_id"]) for r in rows] == [
        (ADMIN["id"], MEMBER["id"], helpful["message_id"])
    ]
    assert rows[0]["counted"] == 1
    assert len(rows[0]["reason"]) <= 200
    assert rows[0]["reason"].endswith("…")
    assert rows[0]["reason"].startswith("per la dritta!")
    await rete.telegram.wait_for(lambda: rete.telegram.calls_to("setMessageReaction"))
    reaction = rete.telegram.calls_to("setMessageReaction")[0].params
    assert reaction["message_id"] == thanking["message_id"]
    assert reaction["reaction"] == [{"type": "emoji", "emoji": "🤝"}]
    assert rete.telegram.sent(GROUP["id"]) == [], "no '+1 karma' noise in the group"


@pytest.mark.parametrize("command", ["/grazie", "/ty", "/thanks@rete_test_bot"])
async def test_thanks_aliases(rete, group, command):
    helpful = await said(rete, MEMBER)
    await thank(rete, ADMIN, helpful, command)
    assert len(await credits(rete)) == 1


async def test_words_in_a_reply_and_with_a_mention(rete, group):
    helpful = await said(rete, MEMBER)
    await thank(rete, CARLA, helpful, "Grazie mille, mi hai salvato la giornata!")
    await said(rete, DARIO, "ecco il link")
    text = "thanks @dario and @nobody_known"
    mentions = [
        {"type": "mention", "offset": text.index(name), "length": len(name)}
        for name in ("@dario", "@nobody_known")
    ]
    update = f.message_update(f.message(GROUP, CARLA, text, entities=mentions))
    await rete.send(update)
    words = update["message"]
    rows = await credits(rete)
    assert [(r["giver_id"], r["receiver_id"], r["by_words"]) for r in rows] == [
        (CARLA["id"], MEMBER["id"], 1),
        (CARLA["id"], DARIO["id"], 1),
    ]
    assert rows[1]["message_id"] == words["message_id"]


@pytest.mark.parametrize(
    "text", ["no thanks, I'm fine", "Happy thanksgiving!", "grazie in anticipo a chi risponde"]
)
async def test_words_that_are_not_thanks(rete, group, text):
    helpful = await said(rete, MEMBER)
    await thank(rete, CARLA, helpful, text)
    assert await credits(rete) == []


async def test_reaction_credits_the_author_and_removal_withdraws(rete, group):
    helpful = await said(rete, MEMBER)
    await rete.send(f.reaction(GROUP, CARLA, helpful["message_id"], new=["😂"]))
    assert await credits(rete) == []
    await rete.send(f.reaction(GROUP, CARLA, helpful["message_id"], old=["😂"], new=["❤️"]))
    rows = await credits(rete)
    assert [(r["giver_id"], r["receiver_id"], r["by_reaction"]) for r in rows] == [
        (CARLA["id"], MEMBER["id"], 1)
    ]
    await rete.send(f.reaction(GROUP, CARLA, helpful["message_id"], old=["❤️"], new=["👍"]))
    assert len(await credits(rete)) == 1, "still one of the set: no change"
    await rete.send(f.reaction(GROUP, CARLA, helpful["message_id"], old=["👍"], new=[]))
    assert await credits(rete) == []


async def test_one_credit_whatever_mix_redelivery_or_edit(rete, group):
    helpful = await said(rete, MEMBER)
    update = f.message_update(f.message(GROUP, CARLA, "/thanks", reply_to=helpful))
    await rete.send(copy.deepcopy(update), copy.deepcopy(update))
    await thank(rete, CARLA, helpful, "grazie!!")
    await rete.send(f.reaction(GROUP, CARLA, helpful["message_id"], new=["🙏"]))
    edited = dict(update["message"], text="/thanks edited")
    await rete.send(f.message_update(edited, edited=True))
    rows = await credits(rete)
    assert len(rows) == 1
    assert (rows[0]["by_command"], rows[0]["by_words"], rows[0]["by_reaction"]) == (1, 1, 1)
    # Removing the reaction keeps the credit the command and the words gave.
    await rete.send(f.reaction(GROUP, CARLA, helpful["message_id"], old=["🙏"]))
    assert len(await credits(rete)) == 1


async def test_forum_topic_fake_reply_is_not_a_reply(rete):
    forum = f.group(-1010, "Forum", is_forum=True)
    await rete.send(f.my_chat_member(forum, ADMIN, rete.telegram.bot_user, "left", "member"))
    topic_start = f.message(
        forum, ADMIN, None, forum_topic_created={"name": "Jobs", "icon_color": 1}
    )
    topic_start["message_thread_id"] = topic_start["message_id"]
    in_topic = {"thread_id": topic_start["message_id"], "is_topic_message": True}
    await rete.send(f.message_update(f.message(forum, MEMBER, "I posted a job", **in_topic)))
    await rete.send(
        f.message_update(f.message(forum, CARLA, "thanks!", reply_to=topic_start, **in_topic))
    )
    await rete.send(
        f.message_update(f.message(forum, CARLA, "/thanks", reply_to=topic_start, **in_topic))
    )
    assert await rete.db.ledger.export(forum["id"]) == []
    assert rete.last_text(forum["id"]).startswith("Rispondi al messaggio della persona")
    assert (
        rete.telegram.sent(forum["id"])[-1].params["message_thread_id"]
        == topic_start["message_id"]
    )


async def test_quota_survives_a_restart_and_is_told_once(rete, group):
    await rete.send(f.command(GROUP, ADMIN, "/settings quota 2"))
    helpers = [f.user(400 + i, f"Helper{i}") for i in range(4)]
    messages = [await said(rete, helper) for helper in helpers]
    rete.telegram.started_users.add(CARLA["id"])
    await rete.send(f.command(f.private_chat(CARLA), CARLA, "/start"))
    for message in messages[:2]:
        await thank(rete, CARLA, message)
    await rete.restart()
    await thank(rete, CARLA, messages[2])
    await thank(rete, CARLA, messages[3])
    rows = await credits(rete)
    await rete.telegram.wait_for(lambda: len(rete.texts(CARLA["id"])) >= 2)
    assert [r["counted"] for r in rows] == [1, 1, 0, 0]
    assert [r["not_counted_why"] for r in rows] == [None, None, "quota", "quota"]
    notices = [t for t in rete.texts(CARLA["id"]) if "grazie" in t and "A domani" in t]
    assert len(notices) == 1
    assert notices[0].startswith(
        "Oggi in Makers hai già detto grazie 2 volte: continua pure, registro tutto, "
        "ma in classifica contano solo i primi 2."
    )


async def test_quota_notice_in_group_is_deleted_after_a_minute(rete, group):
    await rete.send(f.command(GROUP, ADMIN, "/settings quota 1"))
    first, second = await said(rete, MEMBER), await said(rete, DARIO)
    await thank(rete, CARLA, first)
    await thank(rete, CARLA, second)
    # The notice is sent as a task, so that the rate limiter never holds up updates.
    await rete.telegram.wait_for(lambda: "Oggi in Makers" in rete.last_text(GROUP["id"]))
    notice = rete.telegram.sent(GROUP["id"])[-1]
    assert notice.result["text"].startswith(
        "Oggi in Makers hai già ringraziato qualcuno: continua pure, registro tutto, "
        "ma in classifica conta solo il primo grazie del giorno."
    )
    key = (GROUP["id"], notice.result["message_id"])
    # The deletion job is scheduled right after the send returns.
    for _ in range(500):
        jobs = [j for j in rete.app.job_queue.jobs() if j.data == key]
        if jobs:
            break
        await asyncio.sleep(0.01)
    job = jobs[0]
    await job.run(rete.app)
    deleted = rete.telegram.calls_to("deleteMessage")[-1].params
    assert deleted["message_id"] == notice.result["message_id"]


async def test_pair_cap_limits_back_and_forth(rete, group):
    await rete.send(f.command(GROUP, ADMIN, "/settings paircap 2"))
    for giver, receiver in [(CARLA, DARIO), (DARIO, CARLA), (CARLA, DARIO)]:
        message = await said(rete, receiver)
        await thank(rete, giver, message)
    assert [r["counted"] for r in await credits(rete)] == [1, 1, 0]


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("self", "Ringraziarsi da soli non vale"),
        ("bot", "I bot non hanno bisogno di grazie"),
        ("channel", "Quel messaggio l'ha mandato un canale"),
        (None, "Rispondi al messaggio della persona che vuoi ringraziare"),
    ],
)
async def test_thanks_refusals_change_nothing(rete, group, target, expected):
    messages = {
        "self": f.message(GROUP, CARLA, "my own tip"),
        "bot": f.message(GROUP, OTHER_BOT, "beep"),
        "channel": f.message(
            GROUP,
            f.user(136817688, "Channel"),
            "news",
            sender_chat={"id": -100777, "type": "channel", "title": "News"},
        ),
        None: None,
    }
    await rete.send(
        f.message_update(f.message(GROUP, CARLA, "/thanks", reply_to=messages[target]))
    )
    assert rete.last_text(GROUP["id"]).startswith(expected)
    assert await credits(rete) == []


async def test_thanks_in_private_and_ledger_off(rete, group):
    rete.telegram.started_users.add(CARLA["id"])
    await rete.send(f.command(f.private_chat(CARLA), CARLA, "/thanks"))
    assert rete.last_text(CARLA["id"]) == "Questo funziona in un gruppo: usalo lì."
    await rete.send(f.command(GROUP, ADMIN, "/settings registro off"))
    helpful = await said(rete, MEMBER)
    await thank(rete, CARLA, helpful, "grazie mille!")
    await thank(rete, CARLA, helpful, "/grazie")
    assert await credits(rete) == []
    assert rete.last_text(GROUP["id"]).startswith("In questo gruppo il registro")


async def test_helpers_ranks_breadth_hides_hidden_and_escapes_names(rete, group):
    nasty_message = await said(rete, NASTY)
    for giver in (CARLA, DARIO, ADMIN):
        await thank(rete, giver, nasty_message)
    for i in range(3):
        await thank(rete, CARLA, await said(rete, MEMBER), f"/thanks #{i}")
    await rete.send(f.command(GROUP, DARIO, "/helpers"))
    text = rete.last_text(GROUP["id"])
    assert text.split("\n") == [
        "Chi ha aiutato di più negli ultimi 30 giorni",
        "1. <b>&\"'</b> — ha aiutato 3 persone (3 grazie)",
        "2. Bruno — ha aiutato una persona (3 grazie)",
    ]
    await rete.db.members.set_hidden(NASTY["id"], True)
    await rete.send(f.command(GROUP, DARIO, "/helpers all"))
    assert rete.last_text(GROUP["id"]).split("\n")[1:] == [
        "1. Bruno — ha aiutato una persona (3 grazie)"
    ]
    await rete.send(f.command(GROUP, DARIO, "/helpers 12x"))
    assert rete.last_text(GROUP["id"]) == (
        "“12x” non è un periodo che conosco: usa 7d, 30d o all."
    )


async def test_profile_self_reply_and_username(rete, group):
    helpful = await said(rete, MEMBER)
    await thank(rete, CARLA, helpful)
    await thank(rete, DARIO, helpful)
    await rete.send(f.command(GROUP, MEMBER, "/profile"))
    own = rete.last_text(GROUP["id"])
    # The test clock starts on Wednesday 2 December 2026.
    assert own.startswith("Bruno, nel gruppo dal 2 dicembre 2026\n")
    assert "Persone aiutate: 2 negli ultimi 7 giorni, 2 negli ultimi 30, 2 in tutto\n" in own
    assert "Ringraziamenti ricevuti: 2 in 7 giorni, 2 in 30, 2 in tutto\n" in own
    assert "Ha ricevuto più grazie da: Carla (1), Dario (1)" in own
    await rete.send(f.message_update(f.message(GROUP, CARLA, "/profile", reply_to=helpful)))
    assert rete.last_text(GROUP["id"]).startswith("Bruno, nel gruppo dal")
    await rete.send(f.command(GROUP, DARIO, "/profile @carla"))
    carla = rete.last_text(GROUP["id"])
    assert carla.startswith("Carla, nel gruppo dal")
    assert "Ha detto più grazie a: Bruno (1)" in carla
    await rete.send(f.command(GROUP, DARIO, "/profile @nobody"))
    assert rete.last_text(GROUP["id"]) == "Non conosco ancora @nobody in questo gruppo."


@pytest.mark.parametrize(
    ("command", "read", "answer"),
    [
        ("/helpers", "pairs", "1. Bruno — ha aiutato una persona (un grazie)"),
        ("/profile", "received_since_each", "Dario, nel gruppo dal"),
    ],
)
async def test_a_board_held_up_holds_up_no_other_update(
    rete, group, monkeypatch, command, read, answer
):
    await thank(rete, CARLA, await said(rete, MEMBER))
    reading, release = asyncio.Event(), asyncio.Event()
    original = getattr(rete.db.ledger, read)

    async def held(*args: object, **kwargs: object) -> object:
        reading.set()
        await release.wait()
        return await original(*args, **kwargs)

    monkeypatch.setattr(rete.db.ledger, read, held)
    rete.telegram.clear_calls()
    rete.telegram.add_update(f.command(GROUP, DARIO, command))
    await asyncio.wait_for(reading.wait(), timeout=5)
    # While the board waits for the database, a member's command after it is answered.
    rete.telegram.add_update(f.command(f.private_chat(CARLA), CARLA, "/help"))
    try:
        await rete.telegram.wait_sent(CARLA["id"], timeout=2)
        assert not rete.telegram.sent(GROUP["id"])
    finally:
        release.set()
    await rete.settle()
    assert answer in rete.last_text(GROUP["id"])


async def test_ledger_export_and_unthank_for_admins_only(rete, group):
    helpful = await said(rete, MEMBER)
    thanking = await thank(rete, CARLA, helpful, "/thanks per il codice")
    await rete.send(f.command(GROUP, CARLA, "/ledger export"))
    assert rete.last_text(GROUP["id"]) == "Solo gli admin del gruppo possono farlo."
    await rete.send(f.message_update(f.message(GROUP, CARLA, "/unthank", reply_to=thanking)))
    assert rete.last_text(GROUP["id"]) == "Solo gli admin del gruppo possono farlo."

    await rete.send(f.message_update(f.message(GROUP, ADMIN, "/unthank", reply_to=thanking)))
    assert rete.last_text(GROUP["id"]).startswith("✅ Ho annullato un grazie.")
    await rete.send(f.message_update(f.message(GROUP, ADMIN, "/unthank", reply_to=thanking)))
    assert rete.last_text(GROUP["id"]) == "In quel messaggio non c'è nessun grazie da annullare."

    await rete.send(f.command(GROUP, ADMIN, "/ledger export"))
    assert rete.last_text(GROUP["id"]).startswith("Non posso ancora scriverti in privato")
    rete.telegram.started_users.add(ADMIN["id"])
    await rete.send(f.command(GROUP, ADMIN, "/ledger export"))
    assert (
        rete.last_text(GROUP["id"])
        == "📄 Ti ho mandato il registro dei ringraziamenti in privato."
    )
    document = rete.telegram.sent(ADMIN["id"], method="sendDocument")[-1]
    upload = next(iter(document.files.values()))
    rows = list(csv.DictReader(io.StringIO(upload.content.decode("utf-8-sig"))))
    assert [(r["giver"], r["receiver"], r["ways"], r["counted"]) for r in rows] == [
        ("Carla", "Bruno", "command", "yes")
    ]
    assert rows[0]["reason"] == "per il codice"
    assert rows[0]["voided_by"] == str(ADMIN["id"])
    await rete.send(f.command(GROUP, ADMIN, "/ledger"))
    assert rete.last_text(GROUP["id"]).startswith("Usa /registro esporta")
    # What the answer says works as said: the Italian name, the Italian subcommand.
    await rete.send(f.command(GROUP, ADMIN, "/registro esporta"))
    assert rete.last_text(GROUP["id"]).startswith("📄 Ti ho mandato il registro")


async def test_settings_show_ledger_and_reaction_note(rete, group):
    await rete.send(f.command(GROUP, ADMIN, "/settings reazioni 🔥 👏"))
    assert rete.last_text(GROUP["id"]) == "✅ Ora danno credito queste reazioni: 🔥 👏"
    await rete.send(f.command(GROUP, ADMIN, "/settings quota abc"))
    assert rete.last_text(GROUP["id"]) == "“abc” non è un numero intero da 1 a 50."
    await rete.send(f.command(GROUP, ADMIN, "/settings"))
    text = rete.last_text(GROUP["id"])
    assert "reazioni che contano: 🔥 👏" in text
    assert "Le reazioni contano solo finché sono amministratore qui." in text


async def test_privacy_export_lists_credits(rete, group):
    helpful = await said(rete, MEMBER)
    await thank(rete, CARLA, helpful)
    exported = await rete.db.members.export(MEMBER["id"])
    assert [(c["giver_id"], c["receiver_id"]) for c in exported["credits"]] == [
        (CARLA["id"], MEMBER["id"])
    ]


async def test_acknowledgements_never_crowd_out_the_group(rete, group):
    helpers = [f.user(500 + i, f"H{i}") for i in range(12)]
    messages = [await said(rete, helper) for helper in helpers]
    givers = [f.user(600 + i, f"G{i}") for i in range(12)]
    thanked = [
        await thank(rete, giver, message) for giver, message in zip(givers, messages, strict=True)
    ]
    assert len(await credits(rete)) == 12
    await rete.telegram.wait_for(lambda: len(rete.telegram.calls_to("setMessageReaction")) >= 8)
    await acknowledge(rete)  # within the same minute: the other four still wait
    assert len(rete.telegram.calls_to("setMessageReaction")) == 8
    rete.clock.set(rete.now() + timedelta(seconds=59))
    await acknowledge(rete)
    assert len(rete.telegram.calls_to("setMessageReaction")) == 8

    # Once the minute has passed, the four waiting get their 🤝, in order, once each.
    rete.clock.set(rete.now() + timedelta(seconds=1))
    await acknowledge(rete)
    await rete.telegram.wait_for(lambda: len(rete.telegram.calls_to("setMessageReaction")) >= 12)
    await acknowledge(rete)
    reacted = [c.params["message_id"] for c in rete.telegram.calls_to("setMessageReaction")]
    assert sorted(reacted) == sorted(thanks["message_id"] for thanks in thanked)
    assert reacted[8:] == [thanks["message_id"] for thanks in thanked[8:]]


async def test_a_handshake_waiting_at_a_restart_is_lost_never_doubled(rete, group):
    helpers = [f.user(500 + i, f"H{i}") for i in range(10)]
    messages = [await said(rete, helper) for helper in helpers]
    givers = [f.user(600 + i, f"G{i}") for i in range(10)]
    updates = [
        f.message_update(f.message(GROUP, giver, "/thanks", reply_to=message))
        for giver, message in zip(givers, messages, strict=True)
    ]
    await rete.send(*updates)
    await rete.telegram.wait_for(lambda: len(rete.telegram.calls_to("setMessageReaction")) >= 8)
    await rete.restart()
    # Telegram delivers the thanks again after the restart: already written, nothing owed.
    await rete.send(*(copy.deepcopy(update) for update in updates))
    rete.clock.set(rete.now() + timedelta(minutes=2))
    await acknowledge(rete)
    await asyncio.sleep(0.2)
    assert len(await credits(rete)) == 10
    reacted = [c.params["message_id"] for c in rete.telegram.calls_to("setMessageReaction")]
    assert len(reacted) == len(set(reacted)) == 8, "the two waiting were lost, none doubled"


async def test_handshake_only_for_a_credit_already_on_disk(rete, group):
    """What the 🤝 acknowledges would survive a crash at that very moment."""
    on_disk_at_handshake: list[int] = []

    def committed(params: dict) -> bool:
        rows = raw_rows_now(
            rete.db,
            "SELECT count(*) FROM credits WHERE thanks_message_id = ?",
            (params["message_id"],),
        )
        on_disk_at_handshake.append(rows[0][0])
        return False  # only look, never fail the call

    rete.telegram.fail("setMessageReaction", when=committed)
    helpful = await said(rete, MEMBER)
    thanking = await thank(rete, CARLA, helpful)
    await rete.telegram.wait_for(lambda: rete.telegram.calls_to("setMessageReaction"))
    assert (
        rete.telegram.calls_to("setMessageReaction")[0].params["message_id"]
        == (thanking["message_id"])
    )
    assert on_disk_at_handshake == [1]


async def test_no_handshake_while_the_credit_cannot_be_written(rete, group, monkeypatch):
    helpful = await said(rete, MEMBER)
    ledger = rete.db.ledger
    original = ledger._write

    async def disk_full(offers):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(ledger, "_write", disk_full)
    await thank(rete, CARLA, helpful)
    await asyncio.sleep(0.3)  # several batch windows
    assert rete.telegram.calls_to("setMessageReaction") == []
    monkeypatch.setattr(ledger, "_write", original)
    await thank(rete, DARIO, helpful)  # opens the next batch, which retries the first
    await rete.telegram.wait_for(lambda: len(rete.telegram.calls_to("setMessageReaction")) == 2)
    assert [r["giver_id"] for r in await credits(rete)] == [CARLA["id"], DARIO["id"]]


async def test_ledger_export_shows_hostile_names_and_reasons_as_text(rete, group):
    """Names and reasons are members' text: in the admin's spreadsheet they never run."""
    evil = f.user(303, '=HYPERLINK("https://evil.example","x")', username="evil")
    plus = f.user(304, "@SUM(1+1)*cmd|' /C calc'!A0", username="plus")
    helpful = await said(rete, plus)
    await thank(rete, evil, helpful, "/thanks -2+3+cmd|' /C calc'!A0")
    rete.telegram.started_users.add(ADMIN["id"])
    await rete.send(f.command(GROUP, ADMIN, "/ledger export"))
    document = rete.telegram.sent(ADMIN["id"], method="sendDocument")[-1]
    upload = next(iter(document.files.values()))
    [row] = csv.DictReader(io.StringIO(upload.content.decode("utf-8-sig")))
    assert row["giver"] == "'" + evil["first_name"]
    assert row["receiver"] == "'" + plus["first_name"]
    assert row["reason"] == "'-2+3+cmd|' /C calc'!A0"
    assert (row["giver_id"], row["receiver_id"]) == (str(evil["id"]), str(plus["id"]))
    assert row["message_id"] == str(helpful["message_id"])


async def test_praise_in_a_reply_thanks_and_returned_politeness_does_not(rete, group):
    helpful = await said(rete, MEMBER, "ecco lo schema del circuito")
    await thank(rete, CARLA, helpful, "Mitico!")
    await thank(rete, DARIO, helpful, "ti devo un caffè")
    assert [(r["giver_id"], r["receiver_id"]) for r in await credits(rete)] == [
        (CARLA["id"], MEMBER["id"]),
        (DARIO["id"], MEMBER["id"]),
    ]
    # Said to the group with a mention, praise is not a thanks.
    text = "mitico @bruno"
    mention = {"type": "mention", "offset": text.index("@bruno"), "length": len("@bruno")}
    await rete.send(f.message_update(f.message(GROUP, ADMIN, text, entities=[mention])))
    # In a reply to Carla, "mitico" thanks Carla, not the member it mentions.
    carla = await said(rete, CARLA, "ecco il saldatore")
    await rete.send(
        f.message_update(
            f.message(
                GROUP,
                ADMIN,
                "mitico @dario",
                reply_to=carla,
                entities=[{"type": "mention", "offset": 7, "length": 6}],
            )
        )
    )
    # A thanks answered with another is politeness, not help received.
    thanks = await thank(rete, ADMIN, helpful, "grazie mille!")
    await thank(rete, MEMBER, thanks, "Grazie a te!")
    await thank(rete, MEMBER, thanks, "no thanks, all good")
    assert [(r["giver_id"], r["receiver_id"]) for r in await credits(rete)] == [
        (CARLA["id"], MEMBER["id"]),
        (DARIO["id"], MEMBER["id"]),
        (ADMIN["id"], CARLA["id"]),
        (ADMIN["id"], MEMBER["id"]),
    ]
