"""End to end: an update delivered twice is handled once (storage.updates).

Telegram sends a webhook update again when it did not see the answer in time, and a load
balancer may replay a request: the copy reaches the Application with the same update id.
These tests deliver an update through getUpdates, then put the copy on the Application's
update queue, which is what PTB's webhook server does with every request it accepts.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from telegram import Update

from tests import factories as f
from tests.conftest import ADMIN, MEMBER

GROUP = f.group(-1010, "Makers")


@pytest.fixture
async def group(rete):
    rete.telegram.set_admins(GROUP["id"], ADMIN)
    await rete.send(f.my_chat_member(GROUP, ADMIN, rete.telegram.bot_user, "left", "member"))
    rete.telegram.clear_calls()
    return GROUP


async def deliver_again(rete, update: dict[str, Any]) -> None:
    """Hand the Application a copy of an update it has had, as its webhook server would."""
    assert rete.app is not None
    await rete.app.update_queue.put(Update.de_json(update, rete.app.bot))
    await asyncio.wait_for(rete.app.update_queue.join(), timeout=10)


async def messages_counted(rete) -> int:
    row = await rete.db.fetchone(
        "SELECT coalesce(sum(messages), 0) FROM activity_daily WHERE chat_id = ?", (GROUP["id"],)
    )
    return int(row[0])


async def test_a_command_delivered_twice_is_answered_once(rete, group):
    update = f.command(GROUP, MEMBER, "/help")
    update["update_id"] = rete.telegram.add_update(update)
    await rete.telegram.wait_delivered(update["update_id"])
    await asyncio.wait_for(rete.app.update_queue.join(), timeout=10)
    assert len(rete.telegram.sent(GROUP["id"])) == 1
    await deliver_again(rete, update)
    await deliver_again(rete, update)
    assert len(rete.telegram.sent(GROUP["id"])) == 1, "a copy of /help answered again"
    # A new update with the same content (another id) is a new request: answered.
    await rete.send(f.command(GROUP, MEMBER, "/help"))
    assert len(rete.telegram.sent(GROUP["id"])) == 2


async def test_a_copy_after_a_restart_is_not_handled(rete, group):
    first = f.message_update(f.message(GROUP, MEMBER, "hello all"))
    first["update_id"] = rete.telegram.add_update(first)
    await rete.telegram.wait_delivered(first["update_id"])
    await asyncio.wait_for(rete.app.update_queue.join(), timeout=10)
    help_update = f.command(GROUP, MEMBER, "/help")
    help_update["update_id"] = rete.telegram.next_update_id
    await rete.send(help_update)
    assert len(rete.telegram.sent(GROUP["id"])) == 1
    counted = await messages_counted(rete)
    assert counted == 1
    await rete.restart()
    rete.telegram.clear_calls()
    for update in (first, help_update):
        await deliver_again(rete, update)
    assert rete.telegram.sent(GROUP["id"]) == []
    assert await messages_counted(rete) == counted
