"""End to end: who may join introductions, be introduced, be named and press their buttons.

Group ids, introduction ids and @usernames reach Rete as claims (a deep link, a button's
data, a command): each test forges or stretches one and checks that the answer is clear
and that nothing changed. Telegram's side (who is in the group) is the fake's, set by
the test or learned from the updates it delivers.
"""

import threading
from datetime import timedelta

import pytest

from handlers.intros import ondemand
from storage.intro_records import NewIntro
from tests import factories as f
from tests.conftest import ADMIN
from tests.test_e2e_intros import (
    ALBA,
    BRUNA,
    CESARE,
    DORA,
    EZIO,
    GROUP,
    JOIN,
    answers,
    buttons,
    fire_round,
    intro_dms,
    join,
    last_dm,
    press,
    private,
)

# Known to Rete (he started it in private) and knows the group's id, but is not in it.
STRANGER = f.user(450, "Stefano", username="stefano", language_code="en")
FABIO = f.user(406, "Fabio", username="fabio", language_code="it")
HIDDEN = f.user(407, "Segreta", last_name="Persona", username="hidden_one", language_code="en")
NOT_MEMBER = "not a member of that group"
CURRENT_ONLY = "only for current members"


@pytest.fixture
async def group(rete):
    rete.telegram.set_admins(GROUP["id"], ADMIN)
    await rete.send(f.my_chat_member(GROUP, ADMIN, rete.telegram.bot_user, "left", "member"))
    await rete.send(f.command(GROUP, ADMIN, "/settings language en"))
    await rete.send(f.command(GROUP, ADMIN, "/settings intros on"))
    # Rounds on a day the running bot's own tick never reaches (see test_e2e_intros).
    await rete.send(f.command(GROUP, ADMIN, "/settings introsday sunday"))
    return GROUP


async def leaves(rete, user, *, banned: bool = False):
    """The member leaves the group (or is banned), and Rete's buffer is written."""
    if banned:
        await rete.send(f.chat_member(GROUP, ADMIN, user, "member", "kicked"))
    else:
        await rete.send(f.left_member(GROUP, user, user))
    await rete.db.flush()


def mentions(text: str) -> list[dict]:
    found, start = [], 0
    for word in text.split():
        start = text.index(word, start)
        if word.startswith("@"):
            found.append({"type": "mention", "offset": start, "length": len(word)})
        start += len(word)
    return found


async def introduce(rete, text, *, reply_to=None, sender=ADMIN, extra=()):
    entities = [f.command_entity(text), *mentions(text), *extra]
    msg = f.message(GROUP, sender, text, reply_to=reply_to, entities=entities)
    await rete.send(f.message_update(msg))
    return rete.last_text(GROUP["id"])


async def count(rete, sql, *params) -> int:
    rows = await rete.db.fetchall(sql, params)
    return next(iter(rows))[0]


async def intro_records(rete, user) -> dict:
    """What introductions keep about a member (their export's introductions part)."""
    export = await rete.db.members.export(user["id"])
    return {k: v for k, v in export.items() if k.startswith(("intro", "member_tags"))}


def answer_to(rete, query_id: str) -> dict:
    [answer] = [a for a in answers(rete) if a.get("callback_query_id") == query_id]
    return answer


# ---- joining: only members of the group -----------------------------------------------------


async def test_a_stranger_cannot_join_a_groups_introductions(rete, group):
    await join(rete, ALBA, "python|offer mentoring")
    await rete.send(f.command(private(STRANGER), STRANGER, "/start"))
    await rete.send(f.command(private(STRANGER), STRANGER, JOIN))
    answer = last_dm(rete, STRANGER)
    assert NOT_MEMBER in answer.result["text"]
    assert "Makers" not in answer.result["text"], "nothing said about the group"
    assert buttons(answer) == {}
    # The Join button's data, forged: refused the same way, and nothing recorded.
    await rete.send(
        f.callback_query(STRANGER, f"in:j:{GROUP['id']}", answer.result, query_id="forged-join")
    )
    refusal = answer_to(rete, "forged-join")
    assert NOT_MEMBER in refusal["text"]
    assert refusal["show_alert"] is True
    assert await rete.db.intros.optin(GROUP["id"], STRANGER["id"]) is None
    await rete.send(f.command(private(STRANGER), STRANGER, "/interests python"))
    await rete.send(f.command(private(STRANGER), STRANGER, "/meet"))
    assert intro_dms(rete, STRANGER) == []
    assert intro_dms(rete, ALBA) == [], "Alba's name and tags never reach him"


async def test_a_member_who_left_cannot_join_again_from_an_old_link(rete, group):
    await rete.send(f.message_update(f.message(GROUP, BRUNA, "ciao")))
    await leaves(rete, BRUNA)
    await rete.send(f.command(private(BRUNA), BRUNA, JOIN))
    assert NOT_MEMBER in last_dm(rete, BRUNA).result["text"]
    await press(rete, BRUNA, last_dm(rete, BRUNA), f"in:j:{GROUP['id']}")
    assert NOT_MEMBER in answers(rete)[-1]["text"]
    assert await rete.db.intros.optin(GROUP["id"], BRUNA["id"]) is None


# ---- nobody is offered someone whose membership ended ---------------------------------------


async def test_meet_only_where_one_is_a_member_and_never_with_someone_gone(rete, group):
    await join(rete, ALBA, "python, chess")
    await join(rete, BRUNA, "chess")
    await join(rete, CESARE, "python")
    await join(rete, DORA, "python, chess")
    # Dora leaves: Rete sees it. Bruna is banned where Rete could not see it: only Telegram
    # knows (once the policy's cached answer from her join has expired).
    await leaves(rete, DORA)
    rete.telegram.set_member(GROUP["id"], BRUNA, "kicked")
    rete.clock.set(rete.now() + timedelta(minutes=10))
    await rete.send(f.command(private(ALBA), ALBA, "/meet"))
    [alba] = intro_dms(rete, ALBA)
    assert "meeting Cesare (@cesare)" in alba.result["text"]
    assert intro_dms(rete, BRUNA) == []
    assert intro_dms(rete, DORA) == []
    # Dora, gone, asks for someone herself: refused, nobody is told about her.
    await rete.send(f.command(private(DORA), DORA, "/meet"))
    assert CURRENT_ONLY in last_dm(rete, DORA).result["text"]
    assert await count(rete, "SELECT count(*) FROM intros") == 1


async def test_rounds_whoknows_and_stats_leave_out_members_who_left(rete, group):
    for user in (ALBA, BRUNA, CESARE):
        await join(rete, user, "python")
    await leaves(rete, CESARE, banned=True)
    await rete.send(f.command(GROUP, ADMIN, "/intros stats"))
    assert "Members who joined: 2" in rete.last_text(GROUP["id"])
    await rete.send(f.command(GROUP, DORA, "/whoknows python"))
    assert "Cesare" not in rete.last_text(GROUP["id"])
    await fire_round(rete)
    assert intro_dms(rete, CESARE) == []
    assert "meeting Bruna" in intro_dms(rete, ALBA)[-1].result["text"]


async def test_a_pending_introduction_is_not_sent_to_someone_who_left_since(rete, group):
    await join(rete, ALBA, "python")
    await join(rete, BRUNA, "python")
    # The round stops at a server error before either DM goes out...
    rete.telegram.fail(
        "sendMessage",
        error_code=500,
        description="Internal Server Error",
        when=lambda p: "this time you're meeting" in str(p.get("text")),
    )
    await fire_round(rete)
    assert intro_dms(rete, ALBA) == intro_dms(rete, BRUNA) == []
    # ...Bruna leaves, then the sweep sends what is pending.
    await leaves(rete, BRUNA)
    await rete.sweep(rete.now() + timedelta(minutes=5))
    assert intro_dms(rete, ALBA) == []
    assert intro_dms(rete, BRUNA) == []
    assert "nobody else was free" in last_dm(rete, ALBA).result["text"]
    assert "Bruna" not in last_dm(rete, ALBA).result["text"]


async def test_accepting_a_hand_introduction_needs_to_still_be_in_the_group(rete, group):
    await join(rete, ALBA, "python")
    await join(rete, BRUNA, "python")
    await introduce(rete, "/introduce @alba @bruna you both code")
    ask_alba, ask_bruna = last_dm(rete, ALBA), last_dm(rete, BRUNA)
    await press(rete, ALBA, ask_alba, buttons(ask_alba)["✅ Accept"])
    await leaves(rete, BRUNA)
    await press(rete, BRUNA, ask_bruna, buttons(ask_bruna)["✅ Accept"])
    assert CURRENT_ONLY in answers(rete)[-1]["text"]
    [(status,)] = await rete.db.fetchall("SELECT status FROM intros")
    assert status == "pending"
    assert intro_dms(rete, ALBA) == intro_dms(rete, BRUNA) == []


# ---- /introduce: current members, known ones, a few a day -----------------------------------


async def test_introduce_names_only_current_members_of_this_group(rete, group):
    await join(rete, ALBA, "python")
    await rete.send(f.command(private(STRANGER), STRANGER, "/start"))
    dms = len(rete.telegram.sent(STRANGER["id"]))
    answer = await introduce(rete, "/introduce @alba @stefano Stefano has a great offer")
    assert answer == (
        "@stefano isn't a member of this group right now: I only introduce people who are"
        " here. Nothing changed."
    )
    assert await count(rete, "SELECT count(*) FROM intros") == 0
    assert len(rete.telegram.sent(STRANGER["id"])) == dms, "no DM in Rete's name"
    assert "Stefano" not in last_dm(rete, ALBA).result["text"]


async def test_introduce_never_records_someone_on_an_admins_word(rete, group):
    await join(rete, ALBA, "python")
    await rete.send(f.message_update(f.message(GROUP, CESARE, "I build boats")))
    boat = rete.telegram.message(GROUP["id"], f.next_message_id(GROUP["id"]) - 1)
    await rete.db.flush()
    assert await rete.db.members.delete(CESARE["id"]), "Cesare deleted his data"
    answer = await introduce(rete, "/introduce @alba", reply_to=boat)
    assert "I don't know @cesare yet" in answer
    # A text mention of someone Rete never saw: unknown too, and not recorded.
    ghost = f.user(480, "Ghost", language_code="en")
    text = "/introduce @alba Ghost"
    mention = {"type": "text_mention", "offset": text.index("Ghost"), "length": 5, "user": ghost}
    assert "I don't know Ghost yet" in await introduce(rete, text, extra=[mention])
    await rete.db.flush()
    assert await rete.db.members.get(CESARE["id"]) is None
    assert await rete.db.members.get(ghost["id"]) is None
    assert await count(rete, "SELECT count(*) FROM intros") == 0


async def test_hand_introductions_are_limited_per_group_and_day_across_restarts(rete, group):
    await join(rete, ALBA, "python")
    await join(rete, BRUNA, "python")
    await rete.db.flush()
    earlier = rete.now() - timedelta(hours=23)
    for _ in range(10):
        await rete.db.intros.add_intros(
            GROUP["id"],
            earlier,
            [NewIntro((ALBA["id"], BRUNA["id"]))],
            kind="manual",
            status="declined",
            initiator_id=ADMIN["id"],
        )
    await rete.restart()
    answer = await introduce(rete, "/introduce @alba @bruna once more")
    assert "already made 10 introductions by hand in the last 24 hours" in answer
    assert await count(rete, "SELECT count(*) FROM intros") == 10
    rete.clock.set(rete.now() + timedelta(hours=1, minutes=1))
    assert "I asked both in private" in await introduce(rete, "/introduce @alba @bruna now")
    assert await count(rete, "SELECT count(*) FROM intros") == 11


async def test_an_admins_note_is_escaped_and_capped(rete, group):
    await join(rete, ALBA, "python")
    await join(rete, BRUNA, "python")
    note = "<b>Click</b> t.me/phish & win " * 100
    await introduce(rete, f"/introduce @alba @bruna {note}")
    ask = last_dm(rete, ALBA).result["text"]
    shown = ask.split("Note: ", 1)[1].split("\n", 1)[0]
    assert shown.startswith("<b>Click</b> t.me/phish & win <b>Click</b>"), "literal, not HTML"
    assert len(shown) == 200
    assert shown.endswith("…")


# ---- searches: not too often, off the event loop --------------------------------------------


async def test_the_sixth_quick_whoknows_is_refused(rete, group):
    await join(rete, ALBA, "offer python")
    for _ in range(5):
        await rete.send(f.command(GROUP, DORA, "/whoknows python"))
        assert "Alba — can help with it" in rete.last_text(GROUP["id"])
    await rete.send(f.command(GROUP, DORA, "/whoknows python"))
    assert rete.last_text(GROUP["id"]) == (
        "You've asked that a lot in a short time: try again in a few minutes."
    )
    await rete.send(f.command(GROUP, EZIO, "/whoknows python"))
    assert "Alba — can help with it" in rete.last_text(GROUP["id"]), "per member"
    rete.clock.set(rete.now() + timedelta(minutes=10))
    await rete.send(f.command(GROUP, DORA, "/whoknows python"))
    assert "Alba — can help with it" in rete.last_text(GROUP["id"])


async def test_the_sixth_quick_meet_is_refused(rete, group):
    await join(rete, CESARE, "cooking")
    for _ in range(5):
        await rete.send(f.command(private(CESARE), CESARE, "/meet"))
        assert "non ho trovato nessuno" in last_dm(rete, CESARE).result["text"]
    await rete.send(f.command(private(CESARE), CESARE, "/meet"))
    assert last_dm(rete, CESARE).result["text"].startswith("L'hai chiesto molte volte")


@pytest.mark.parametrize(("bound", "in_thread"), [(0, True), (ondemand.LOOP_HOLDERS, False)])
async def test_searches_rank_in_a_worker_thread_beyond_a_bound(
    rete, group, monkeypatch, bound, in_thread
):
    """Rankings over more holders than LOOP_HOLDERS run in a worker thread; fewer (a few
    milliseconds of CPU at most) on the loop, where no handoff of the GIL delays them."""
    threads: list[tuple[str, bool]] = []

    def recording(name, function):
        def run(*args, **kwargs):
            threads.append((name, threading.current_thread() is not threading.main_thread()))
            return function(*args, **kwargs)

        return run

    monkeypatch.setattr(ondemand, "LOOP_HOLDERS", bound)
    monkeypatch.setattr(ondemand, "rank_knowers", recording("whoknows", ondemand.rank_knowers))
    monkeypatch.setattr(ondemand, "meet_choices", recording("meet", ondemand.meet_choices))
    await join(rete, ALBA, "python")
    await join(rete, BRUNA, "offer python")
    await rete.send(f.command(GROUP, DORA, "/whoknows python"))
    assert "Bruna — can help with it" in rete.last_text(GROUP["id"])
    await rete.send(f.command(private(ALBA), ALBA, "/meet"))
    assert "meeting Bruna" in intro_dms(rete, ALBA)[-1].result["text"]
    assert threads == [("whoknows", in_thread), ("meet", in_thread)]


# ---- tag suggestions ------------------------------------------------------------------------


async def test_tag_suggestions_are_what_several_visible_members_share(rete, group):
    await join(rete, ALBA, "python")
    for user in (BRUNA, CESARE, DORA):
        await join(rete, user, "kayak|seek a cofounder")
    for user in (BRUNA, CESARE):
        await rete.send(f.command(private(user), user, "/interests chess, rust"))
        await rete.send(f.command(private(user), user, "/interests offer design"))
    await join(rete, EZIO, "chess")
    await rete.db.members.set_hidden(EZIO["id"], True)
    await join(rete, FABIO, "rust")
    await leaves(rete, FABIO)
    await rete.send(f.command(private(ALBA), ALBA, "/interests"))
    suggested = {label for label in buttons(last_dm(rete, ALBA)) if label.startswith("+ ")}
    # kayak: three members. Never a seek; not design (two), chess (one of three hidden),
    # rust (one of three left).
    assert suggested == {"+ kayak"}


# ---- hidden members are named as the asker named them ---------------------------------------


async def test_a_hidden_member_is_named_only_as_typed(rete, group):
    await join(rete, ALBA, "python")
    await join(rete, HIDDEN, "python")
    await rete.db.members.set_hidden(HIDDEN["id"], True)
    await rete.send(f.command(private(ALBA), ALBA, "/intros never @Hidden_One"))
    text = last_dm(rete, ALBA).result["text"]
    assert "I will never pair you with @Hidden_One" in text
    assert "Segreta" not in text
    assert "Persona" not in text
    await rete.send(f.command(private(ALBA), ALBA, "/intros never remove @hidden_one"))
    # Proposed by an admin, before she accepted: named as the admin named her.
    await introduce(rete, "/introduce @alba @hidden_one")
    ask = last_dm(rete, ALBA).result["text"]
    assert "would like to introduce you to @hidden_one" in ask
    assert "Segreta" not in ask


# ---- forged buttons and links ---------------------------------------------------------------


@pytest.fixture
async def introduced(rete, group):
    """Alba and Bruna introduced by a round; Dora joined too, in no introduction."""
    for user in (ALBA, BRUNA):
        await join(rete, user, "python, rust")
    await join(rete, DORA, "cooking")
    await fire_round(rete)
    [alba_dm] = intro_dms(rete, ALBA)
    return int(buttons(alba_dm)["✍️ I'll write to them"].split(":")[2])


@pytest.mark.parametrize(
    ("data", "says"),
    [
        ("in:w:{intro}", "belongs to someone else"),
        ("in:s:{intro}", "belongs to someone else"),
        ("in:n:{intro}", "belongs to someone else"),
        ("in:f:{intro}:y", "belongs to someone else"),
        ("in:a:{intro}:y", "belongs to someone else"),
        ("in:w:99999999999999999999999", "no longer valid"),
        ("in:w:-5", "no longer valid"),
        ("in:w:²", "no longer valid"),
        ("in:w:١٢", "no longer valid"),
        ("in:w:{intro}:extra", "no longer valid"),
        ("in:f:{intro}:maybe", "no longer valid"),
        ("in:j:--1007", "no longer valid"),
        ("in:j:1007", "no longer valid"),
        ("in:j:-１００７", "no longer valid"),
        ("in:j:-99999999999999999999", "no longer valid"),
        ("in:p:-1007:13", "no longer valid"),
        ("in:p:-1007:14:0", "no longer valid"),
        ("in:r:-1099", "no longer valid"),
        ("in:zz:1", "no longer valid"),
    ],
)
async def test_a_forged_button_is_refused_clearly_and_changes_nothing(
    rete, introduced, data, says
):
    data = data.format(intro=introduced)
    before = await intro_records(rete, DORA)
    before_intro = await rete.db.intros.intro(introduced)
    await rete.send(f.callback_query(DORA, data, last_dm(rete, DORA).result, query_id="forged"))
    answer = answer_to(rete, "forged")
    assert says in answer["text"]
    assert answer["show_alert"] is True
    assert await rete.db.intros.intro(introduced) == before_intro
    assert await intro_records(rete, DORA) == before


async def test_another_members_answer_buttons_are_theirs_alone(rete, introduced):
    # Bruna's own intro: Dora cannot answer it, she can.
    [bruna_dm] = intro_dms(rete, BRUNA)
    await press(rete, DORA, bruna_dm, f"in:n:{introduced}")
    assert await rete.db.intros.never(DORA["id"]) == []
    await press(rete, BRUNA, bruna_dm, f"in:s:{introduced}")
    assert (await rete.db.intros.intro(introduced)).member(BRUNA["id"]).answer == "skip"


async def test_an_unknown_accept_answer_does_not_decline(rete, group):
    await join(rete, ALBA, "python")
    await join(rete, BRUNA, "python")
    await introduce(rete, "/introduce @alba @bruna")
    [(intro_id,)] = await rete.db.fetchall("SELECT id FROM intros")
    await press(rete, ALBA, last_dm(rete, ALBA), f"in:a:{intro_id}:zzz")
    assert "no longer valid" in answers(rete)[-1]["text"]
    intro = await rete.db.intros.intro(intro_id)
    assert intro.status == "pending"
    assert intro.member(ALBA["id"]).accepted is None


@pytest.mark.parametrize(
    ("payload", "says"),
    [
        ("intros-j99999999999999999999", "I don't know that group"),
        ("intros-j1099", NOT_MEMBER),
        ("intros-p200", "I don't know that group"),
        ("intros-a{intro}", "belongs to someone else"),
        ("intros-a99999999999999999999", "I don't know that group"),
        ("intros-a0", "no longer valid"),
    ],
)
async def test_a_forged_deep_link_is_answered_and_changes_nothing(rete, introduced, payload, says):
    before = await intro_records(rete, DORA)
    intros = await count(rete, "SELECT count(*) FROM intros")
    await rete.send(f.command(private(DORA), DORA, "/start " + payload.format(intro=introduced)))
    assert says in last_dm(rete, DORA).result["text"]
    assert await intro_records(rete, DORA) == before
    assert await count(rete, "SELECT count(*) FROM intros") == intros


async def test_a_long_typed_name_is_repeated_back_cut(rete, group):
    # Fluent refuses a placeable over 2,500 characters: what someone typed is cut first.
    await join(rete, ALBA, "python")
    await rete.send(f.command(private(ALBA), ALBA, "/intros never @" + "&" * 3000))
    answer = last_dm(rete, ALBA).result["text"]
    assert answer.startswith("I don't know @&&&")
    assert len(answer) < 200
    ghost = f.user(481, "Ghost", language_code="en")
    linked = "&" * 3000
    text = f"/introduce @alba {linked}"
    mention = {"type": "text_mention", "offset": text.index(linked), "length": 3000, "user": ghost}
    answer = await introduce(rete, text, extra=[mention])
    assert answer.startswith("I don't know &&&")
    assert len(answer) < 200
