"""Reads are not charged to a group's flood budget; what Rete sends still is."""

from __future__ import annotations

from typing import Any

from bot.ratelimit import ReteRateLimiter

GROUP = -1001234


async def _answer(*_args: Any, **_kwargs: Any) -> bool:
    return True


async def _request(limiter: ReteRateLimiter, endpoint: str) -> None:
    await limiter.process_request(_answer, (), {}, endpoint, {"chat_id": GROUP}, None)


async def test_reads_leave_the_groups_budget_alone() -> None:
    limiter = ReteRateLimiter()
    await limiter.initialize()
    # More membership checks than the group's 20 a minute: none of them touches its limiter
    # (PTB keeps one per group it charged).
    for _ in range(25):
        await _request(limiter, "getChatMember")
    await _request(limiter, "getChatAdministrators")
    assert GROUP not in limiter._group_limiters


async def test_sends_are_charged_to_the_group() -> None:
    limiter = ReteRateLimiter()
    await limiter.initialize()
    await _request(limiter, "sendMessage")
    await _request(limiter, "setMessageReaction")
    assert GROUP in limiter._group_limiters
