"""End to end: commands to Rete are not conversation, for the prompts' "busy" check."""

from datetime import UTC, datetime, timedelta

from tests import factories as f
from tests.conftest import ADMIN, MEMBER

GROUP = f.group(-1012, "Makers")
CARLA = f.user(300, "Carla", username="carla", language_code="it")
# Monday 23 November 2026, 09:30 in Rome.
SLOT = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)


async def say(rete, sender, text: str, at: datetime) -> None:
    await rete.send(f.message_update(f.message(GROUP, sender, text, date=int(at.timestamp()))))


async def test_commands_do_not_make_the_group_busy_but_messages_do(rete):
    rete.telegram.set_admins(GROUP["id"], ADMIN)
    await rete.send(f.my_chat_member(GROUP, ADMIN, rete.telegram.bot_user, "left", "member"))
    await rete.backdate(GROUP["id"])
    for command in ("/prompts on", "/prompts schedule mon,thu 09:30", "/settings recap off"):
        await say(rete, ADMIN, command, SLOT - timedelta(days=1))
    # Fifteen commands (and five words) in the half hour before the slot: not a busy chat.
    # Mostly for another bot, which Rete does not answer (the group's flood budget is small).
    await say(rete, MEMBER, "/help", SLOT - timedelta(minutes=11))
    for n in range(14):
        await say(rete, (MEMBER, CARLA)[n % 2], "/meteo@AltroBot", SLOT - timedelta(minutes=10))
    for _ in range(5):
        await say(rete, CARLA, "ciao", SLOT - timedelta(minutes=5))
    rete.telegram.clear_calls()
    await rete.tick(SLOT)
    assert [t for t in rete.texts(GROUP["id"]) if t.startswith("💬 ")], "the prompt went out"

    # Eleven real messages before Thursday's slot: the group is busy, the prompt waits.
    thursday = SLOT + timedelta(days=3)
    for n in range(11):
        await say(rete, (MEMBER, CARLA)[n % 2], "ciao", thursday - timedelta(minutes=5))
    rete.telegram.clear_calls()
    await rete.tick(thursday)
    assert not [t for t in rete.texts(GROUP["id"]) if t.startswith("💬 ")]
