"""Run the fake Bot API server in its own process, so benchmarks don't pay for its CPU.

Prints its base URL and token on one line, then serves until standard input closes.
"""

from __future__ import annotations

import asyncio
import sys

from tests.fake_telegram import FakeTelegram


async def serve() -> None:
    """Serve until stdin is closed."""
    async with FakeTelegram() as telegram:
        telegram.can_read_all_group_messages = True
        print(telegram.base_url, telegram.token, flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)


if __name__ == "__main__":
    asyncio.run(serve())
