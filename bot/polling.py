"""The connection polling uses: getUpdates asked at most every ``poll_interval``.

With the Bot API a millisecond away (a self-hosted Bot API server, or the benchmark's),
each getUpdates answer held one or two updates of a busy stream, and the HTTP round trips
were most of the event loop's time (py-spy, bench/README.md). Waiting a moment after each
answer lets the next one hold a batch: one request for all that arrived meanwhile. A lone
update in a quiet group is not held back (the long poll is already waiting for it); one
that arrives during the wait waits at most ``poll_interval``.

PTB's own ``poll_interval`` (``run_polling``) does the same, but its retry wait after a
failed poll starts from it: 0.03 s, 0.045 s, ... instead of 1 s, 1.5 s, ... from 0, so
an unreachable Bot API would be asked again ten times as often. The wait here is on the
request, so PTB's retries keep their pace.
"""

from __future__ import annotations

import asyncio

from telegram._utils.types import ODVInput
from telegram.request import BaseRequest, HTTPXRequest, RequestData


class PacedUpdates(HTTPXRequest):
    """PTB's request for getUpdates (one connection, as PTB builds it), paced."""

    def __init__(self, interval: float) -> None:
        super().__init__(connection_pool_size=1)
        self.interval = interval
        # When the last answer came (the event loop's monotonic time), None before any.
        self._answered: float | None = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Wait until ``interval`` has passed since the last answer, then ask."""
        loop = asyncio.get_running_loop()
        if self._answered is not None:
            wait = self._answered + self.interval - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
        try:
            return await super().do_request(
                url,
                method,
                request_data,
                read_timeout=read_timeout,
                write_timeout=write_timeout,
                connect_timeout=connect_timeout,
                pool_timeout=pool_timeout,
            )
        finally:
            self._answered = loop.time()
