"""Telegram's flood limits as Rete applies them: per chat for what the bot sends, not for reads."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram._utils.types import JSONDict
from telegram.ext import AIORateLimiter


class ReteRateLimiter(AIORateLimiter):
    """PTB's limiter, with reads (``getChatMember``, ``getChatAdministrators``…) kept out of
    each chat's budget.

    ``AIORateLimiter`` charges every request that names a chat to that chat's limiter (20 a
    minute in a group), reads included. Telegram's per-chat limits are about messages, and the
    policy asks ``getChatMember`` before each introduction DM and on admin taps: charged to
    the group, a round's membership checks alone would hold its prompts and recaps for
    minutes. Reads still go through the overall limit and the 429 retries.
    """

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        if endpoint.startswith("get"):
            data = {}
        return await super().process_request(
            callback, args, kwargs, endpoint, data, rate_limit_args
        )
