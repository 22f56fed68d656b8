"""One router for every command: same answers as separate handlers, less work per message."""

import asyncio
import copy

import pytest

from bot.app import build_application
from bot.commands import COMMANDS
from handlers.common import KeyedLocks, together
from handlers.routing import CommandRouter
from tests import factories as f
from tests.conftest import ADMIN, MEMBER

GROUP = f.group(-1008, "Makers")


async def test_every_menu_command_is_routed(settings):
    app = build_application(settings)
    routers = [h for h in app.handlers[0] if isinstance(h, CommandRouter)]
    assert len(routers) == 1
    assert {name for c in COMMANDS for name in c.all_names} <= routers[0].commands
    assert {"grazie", "riepilogo", "spunti", "suggerisci", "impostazioni"} <= routers[0].commands
    assert {"aiuto", "classifica", "profilo", "registro", "annullagrazie"} <= routers[0].commands


async def test_commands_addressed_to_this_bot_or_none_are_answered(rete):
    private = f.private_chat(MEMBER)
    rete.telegram.started_users.add(MEMBER["id"])
    await rete.send(f.command(private, MEMBER, "/help"))
    await rete.send(f.command(private, MEMBER, f"/HELP@{rete.telegram.bot_username}"))
    assert len(rete.texts(MEMBER["id"])) == 2
    await rete.send(f.command(private, MEMBER, "/help@some_other_bot"))
    await rete.send(f.command(private, MEMBER, "/nosuchcommand"))
    assert len(rete.texts(MEMBER["id"])) == 2, "another bot's or an unknown command: silence"


async def test_start_in_private_goes_to_start_then_help_elsewhere(rete):
    rete.telegram.set_admins(GROUP["id"], ADMIN)
    await rete.send(f.my_chat_member(GROUP, ADMIN, rete.telegram.bot_user, "left", "member"))
    rete.telegram.clear_calls()
    await rete.send(f.command(f.private_chat(MEMBER), MEMBER, "/start"))
    assert "Bruno" in rete.last_text(MEMBER["id"])
    await rete.send(f.command(GROUP, MEMBER, "/start"))
    assert "/grazie" in rete.last_text(GROUP["id"]), "in a group /start is /help"


async def test_an_edited_command_does_not_act_again(rete):
    rete.telegram.started_users.add(MEMBER["id"])
    update = f.command(f.private_chat(MEMBER), MEMBER, "/help")
    await rete.send(update)
    edited = copy.deepcopy(update)
    edited["edited_message"] = edited.pop("message")
    edited.pop("update_id", None)
    await rete.send(edited)
    assert len(rete.texts(MEMBER["id"])) == 1


async def test_keyed_locks_serialise_one_key_and_forget_it_after():
    locks = KeyedLocks()
    order: list[str] = []
    first_in, release = asyncio.Event(), asyncio.Event()

    async def first() -> None:
        async with locks.hold(7):
            order.append("first in")
            first_in.set()
            await release.wait()
            order.append("first out")

    async def second() -> None:
        async with locks.hold(7):
            order.append("second in")

    async def other_key() -> None:
        async with locks.hold(8):
            order.append("other key")

    one = asyncio.create_task(first())
    await first_in.wait()
    two, other = asyncio.create_task(second()), asyncio.create_task(other_key())
    await other
    assert order == ["first in", "other key"], "another key does not wait"
    assert len(locks) == 1, "8 forgotten once released; 7 held and awaited"
    release.set()
    await asyncio.gather(one, two)
    assert order == ["first in", "other key", "first out", "second in"]
    assert len(locks) == 0, "no lock kept for nobody"


async def test_together_runs_both_at_once_and_a_failure_cancels_the_other():
    started: list[str] = []
    both_in = asyncio.Event()

    async def step(name: str) -> str:
        started.append(name)
        if len(started) == 2:
            both_in.set()
        await both_in.wait()  # neither finishes before the other began
        return name

    assert await together(step("a"), step("b")) == ("a", "b")

    cancelled = asyncio.Event()

    async def slow() -> None:
        try:
            await asyncio.sleep(30)
        finally:
            cancelled.set()

    async def fails() -> None:
        await asyncio.sleep(0)
        raise LookupError("Telegram did not answer")

    # The error as it was raised (not an exception group), and nothing left running.
    with pytest.raises(LookupError, match="did not answer"):
        await together(slow(), fails())
    assert cancelled.is_set()
