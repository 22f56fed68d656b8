"""End to end: asks and ties as one design, through the fake Bot API.

An ask's accepted connection is a tie (/network names it, "met through" its connector,
it counts in Dunbar's layers and resets a keep-in-touch reminder); a warm path's connector
is credited like a hand introduction's (/profile, the recap's one connectors line); the
monthly note suggests an open ask the reader could answer before anything else.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from storage.intro_records import NewIntro
from tests import factories as f
from tests import test_e2e_asks as asks_e2e
from tests.test_e2e_asks import last_dm, press, private, setup_group

ROME = ZoneInfo("Europe/Rome")
GROUP = f.group(-1015, "Makers <&>")
OTHER = f.group(-1016, "Far Club")
ALBA = f.user(1501, "Alba", username="alba", language_code="en")
BRUNA = f.user(1502, "Bruna", username="bruna", language_code="en")
CESARE = f.user(1503, "Cesare", username="cesare", language_code="it")
DORA = f.user(1504, "Dora", username="dora", language_code="en")
EVE = f.user(1505, "Eve", username="eve", language_code="en")
FABIO = f.user(1506, "Fabio", username="fabio", language_code="en")
HEDY = f.user(1507, "Hedy", username="hedy", language_code="en")


async def join(rete: Any, user: dict, *tag_lines: str, chat: dict = GROUP) -> None:
    await asks_e2e.join(rete, user, *tag_lines, chat=chat)


async def post(rete: Any, user: dict, text: str, chat: dict = GROUP) -> int:
    return await asks_e2e.post(rete, user, text, chat)


@pytest.fixture
async def group(rete: Any) -> dict[str, Any]:
    await setup_group(rete, GROUP)
    await rete.backdate(GROUP["id"])
    return GROUP


async def thank(rete: Any, giver: dict, receiver: dict, chat: dict = GROUP) -> None:
    helpful = f.message(chat, receiver, "try this")
    await rete.send(f.message_update(helpful))
    await rete.send(f.message_update(f.message(chat, giver, "/thanks", reply_to=helpful)))


async def network(rete: Any, user: dict, command: str = "/network") -> str:
    await rete.send(f.command(private(user), user, command))
    return str(last_dm(rete, user).result["text"])


async def recap_text(rete: Any, user: dict) -> str:
    rete.telegram.clear_calls()
    await rete.send(f.command(GROUP, user, "/recap"))
    sent = rete.telegram.sent(GROUP["id"]) + rete.telegram.sent(GROUP["id"], "sendPhoto")
    return "\n".join(c.result.get("text") or c.result.get("caption") or "" for c in sent)


async def connect(rete: Any, asker: dict, helper: dict, ask_id: int) -> None:
    """The helper says "I can help" (no note) and the asker presses Connect."""
    await press(rete, helper, last_dm(rete, helper), f"ak:h:{ask_id}")
    await press(rete, helper, last_dm(rete, helper), f"ak:k:{ask_id}")
    await press(rete, asker, last_dm(rete, asker), f"ak:y:{ask_id}:{helper['id']}")


async def warm_connection(rete: Any) -> int:
    """Alba's ask reaches Fabio (only in the other group) through Cesare, who knows both."""
    await setup_group(rete, OTHER)
    await join(rete, ALBA, chat=GROUP)
    await join(rete, CESARE, chat=GROUP)
    await join(rete, CESARE, chat=OTHER)
    await join(rete, FABIO, "offer tax", chat=OTHER)
    await thank(rete, ALBA, CESARE)
    await thank(rete, FABIO, CESARE, chat=OTHER)
    ask_id = await post(rete, ALBA, "I need help with my #tax return", GROUP)
    await press(rete, CESARE, last_dm(rete, CESARE), f"ak:w:{ask_id}:{FABIO['id']}:1")
    await connect(rete, ALBA, FABIO, ask_id)
    assert "@fabio" in rete.telegram.calls_to("editMessageText")[-1].params["text"]
    return ask_id


async def test_an_ask_connection_is_a_tie_and_its_connector_is_credited(rete, group):
    await warm_connection(rete)
    # Both sides see the tie in /network: through an ask, met through the connector.
    view = await network(rete, ALBA)
    assert "Fabio — connected through an ask · met through Cesare" in view
    assert "Active in the last 3 months: 2 people." in view  # Cesare (thanks) and Fabio
    view = await network(rete, FABIO, "/contatti")
    assert "Alba — connected through an ask · met through Cesare" in view
    # In Italian too.
    view = await network(rete, CESARE, "/contatti")
    assert "Alba" in view
    assert "Fabio" in view
    assert "in contatto grazie a una richiesta" not in view  # Cesare was not asker or helper
    # The connector's /profile counts the two people he brought together.
    await rete.send(f.command(GROUP, CESARE, "/profile"))
    assert "Connected 2 people (introductions and asks both sides accepted)" in rete.last_text(
        GROUP["id"]
    )
    await rete.send(f.command(GROUP, FABIO, "/profile"))
    assert "Connected" not in rete.last_text(GROUP["id"])


async def test_the_recap_has_one_connectors_line_for_asks_and_hand_introductions(rete, group):
    await warm_connection(rete)
    # Dora introduces Bruna and Eve by hand, both accepting, the same week.
    for member in (DORA, BRUNA, EVE):
        await rete.send(f.message_update(f.message(GROUP, member, "hello")))
    store = rete.db.intros
    [intro_id] = await store.add_intros(
        GROUP["id"],
        rete.now(),
        [NewIntro((BRUNA["id"], EVE["id"]))],
        kind="manual",
        initiator_id=DORA["id"],
    )
    for member in (BRUNA, EVE):
        assert await store.claim_dm(intro_id, member["id"], rete.now())
        await store.finish_dm(intro_id, member["id"], "sent")
    text = await recap_text(rete, ALBA)
    assert text.count("Connectors this week") == 1
    assert "by introduction or through an ask): Cesare (2), Dora (2)" in text
    assert "Thanks to" not in text
    # The asks line is about asks: none solved, and no connectors on it.
    assert "Asks:" not in text or "Cesare" not in text.split("Asks:")[1].split("\n")[0]
    # A hidden connector is never named.
    await rete.db.members.set_hidden(CESARE["id"], True)
    rete.clock.set(rete.now() + timedelta(hours=1, minutes=1))
    text = await recap_text(rete, ALBA)
    assert text.count("Connectors this week") == 1
    assert "through an ask): Dora (2)" in text
    assert "Cesare" not in text


async def test_the_asks_line_counts_solved_asks_and_names_no_connector(rete, group):
    await join(rete, ALBA)  # a week of history before the recap's week
    await join(rete, BRUNA, "offer accounting")
    rete.clock.set(rete.now() + timedelta(days=8))
    solved = await post(rete, ALBA, "help with my #accounting")
    await connect(rete, ALBA, BRUNA, solved)
    await press(rete, ALBA, last_dm(rete, ALBA), f"ak:d:{solved}")
    await thank(rete, ALBA, BRUNA)  # not a quiet week
    await post(rete, ALBA, "who knows #gardening")  # nobody offers it: unanswered
    rete.clock.set(rete.now() + timedelta(days=2))
    text = await recap_text(rete, ALBA)
    assert "Asks: one solved this week\n" in text
    # The nudge points at the open ask, so the asks line does not repeat it.
    assert "One ask here has no answer yet" in text
    assert "still without an answer" not in text
    assert "Connectors this week" not in text  # a direct connection has no connector
    assert "Thanks to" not in text


async def test_an_ask_connection_resets_a_keep_in_touch_reminder(rete, group):
    await join(rete, ALBA)
    await join(rete, BRUNA, "offer accounting")
    await thank(rete, ALBA, BRUNA)
    await rete.send(f.command(private(ALBA), ALBA, "/network"))
    await press(rete, ALBA, last_dm(rete, ALBA), f"nw:r:{BRUNA['id']}:{GROUP['id']}:1")
    start = rete.now()
    rete.clock.set(start + timedelta(days=20))
    ask_id = await post(rete, ALBA, "help with my #accounting")
    await connect(rete, ALBA, BRUNA, ask_id)
    connected = rete.now()
    before = len(rete.telegram.sent(ALBA["id"]))
    local = (start + timedelta(days=31)).astimezone(ROME)
    await rete.tick(local.replace(hour=10, minute=1, second=0, microsecond=0))
    reminders = [
        c
        for c in rete.telegram.sent(ALBA["id"])[before:]
        if "It's been a while" in c.result["text"]
    ]
    assert reminders == []
    [(since, due)] = [
        tuple(r) for r in await rete.db.fetchall("SELECT since, due_at FROM tie_reminders")
    ]
    assert datetime.fromisoformat(since) == connected
    assert datetime.fromisoformat(due) == connected + timedelta(days=30)
    view = await network(rete, ALBA)
    assert "connected through an ask · helped you once" in view


async def test_the_monthly_note_suggests_an_open_ask_before_an_offer(rete, group):
    rete.clock.set(datetime(2026, 12, 24, 12, 0, tzinfo=ROME))
    await join(rete, ALBA)
    await join(rete, HEDY)
    await join(rete, BRUNA, "offer accounting", "seek python")
    await join(rete, CESARE, "offer accounting")
    await join(rete, EVE, "offer python", "public on")
    # Hedy's ask is the newest, but she hides: never suggested. Bruna's own ask neither.
    await post(rete, ALBA, "help with my #accounting")
    await post(rete, BRUNA, "my own #accounting question")
    await post(rete, HEDY, "also #accounting")
    await rete.db.members.set_hidden(HEDY["id"], True)
    for reader in (BRUNA, CESARE):
        await rete.send(f.command(private(reader), reader, "/network"))
        await press(rete, reader, last_dm(rete, reader), "nw:n:1:0")
    await rete.tick(datetime(2027, 1, 1, 9, 1, tzinfo=ROME))
    note = str(last_dm(rete, BRUNA).result["text"])
    assert note.startswith("🗓 Your network in December 2026")
    assert (
        "An ask you could answer, in Makers <&>: Alba is looking for help with #accounting."
        in note
    )
    assert "#accounting" in note
    assert "Hedy" not in note
    assert "Someone who offers" not in note  # one suggestion: the ask comes first
    note = str(last_dm(rete, CESARE).result["text"])
    assert "Una richiesta a cui potresti rispondere" in note
    assert "Hedy" not in note


async def test_without_an_open_ask_the_note_suggests_an_offer(rete, group):
    rete.clock.set(datetime(2026, 12, 24, 12, 0, tzinfo=ROME))
    await join(rete, ALBA)
    await join(rete, BRUNA, "offer accounting", "seek python")
    await join(rete, EVE, "offer python", "public on")
    ask_id = await post(rete, ALBA, "help with my #accounting")
    await press(rete, BRUNA, last_dm(rete, BRUNA), f"ak:n:{ask_id}")  # "Not me"
    await rete.send(f.command(private(BRUNA), BRUNA, "/network"))
    await press(rete, BRUNA, last_dm(rete, BRUNA), "nw:n:1:0")
    await rete.tick(datetime(2027, 1, 1, 9, 1, tzinfo=ROME))
    note = str(last_dm(rete, BRUNA).result["text"])
    assert "An ask you could answer" not in note
    assert "Someone who offers what you are looking for: Eve (python)" in note
