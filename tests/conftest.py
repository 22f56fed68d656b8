"""Fixtures: a fake Telegram per test, and the real Rete Application polling it over HTTP."""

from __future__ import annotations

import asyncio
import os
import socket
import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from telegram.request import HTTPXRequest

from bot.app import ALLOWED_UPDATES, ReteApplication, build_application
from bot.clock import ManualClock
from bot.i18n import Catalog
from bot.settings import Settings
from handlers import asks, intros, ledger, members, scheduling
from handlers.context import ReteContext
from handlers.routing import CommandRouter
from storage import SqliteStore, open_store
from storage.sqlite import SqlStore
from tests import factories as f
from tests.fake_telegram import FakeTelegram

ADMIN = f.user(100, "Anna", last_name="Admin", username="anna", language_code="it")
MEMBER = f.user(200, "Bruno", username="bruno", language_code="en")


class OfflineGuard:
    """Fails any test whose bot would talk to the real Telegram."""

    def __init__(self) -> None:
        self._original = HTTPXRequest.do_request

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        original = self._original

        async def guarded(self: HTTPXRequest, url: str, *args: Any, **kwargs: Any) -> Any:
            if not url.startswith("http://127.0.0.1:"):
                raise AssertionError(f"test tried to reach the network: {url.split('/bot')[0]}")
            return await original(self, url, *args, **kwargs)

        monkeypatch.setattr(HTTPXRequest, "do_request", guarded)


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    OfflineGuard().install(monkeypatch)


# The PostgreSQL server the tests use, e.g. postgresql://postgres@127.0.0.1/test: each test
# gets a schema of its own there, dropped afterwards. Unset, the PostgreSQL runs are skipped
# (.ci/run sets it and fails when no server answers).
POSTGRES_ENV = "RETE_TEST_POSTGRES"
# Set to "postgres" to run the end-to-end suite (every test whose bot the `settings` fixture
# configures) on PostgreSQL instead of SQLite; the other tests are deselected then.
E2E_BACKEND_ENV = "RETE_TEST_BACKEND"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With RETE_TEST_BACKEND=postgres, run only the tests whose bot runs on that backend."""
    if os.environ.get(E2E_BACKEND_ENV, "sqlite") != "postgres":
        return
    runs_bot = ["e2e_database" in getattr(item, "fixturenames", ()) for item in items]
    kept = [item for item, keep in zip(items, runs_bot, strict=True) if keep]
    deselected = [item for item, keep in zip(items, runs_bot, strict=True) if not keep]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


def postgres_base() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


class PostgresSchemas:
    """Fresh schemas on the test server, one per test, dropped at the end."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.made: list[str] = []

    async def new(self) -> str:
        import asyncpg

        name = f"t_{uuid.uuid4().hex[:16]}"
        conn = await asyncpg.connect(self.base)
        try:
            await conn.execute(f"CREATE SCHEMA {name}")
        finally:
            await conn.close()
        self.made.append(name)
        joiner = "&" if "?" in self.base else "?"
        return f"{self.base}{joiner}search_path={name}"

    async def drop(self) -> None:
        import asyncpg

        if not self.made:
            return
        conn = await asyncpg.connect(self.base)
        try:
            for name in self.made:
                await conn.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")
        finally:
            await conn.close()


def skip_without_postgres() -> str:
    base = postgres_base()
    if base is None:
        pytest.skip(f"no PostgreSQL server for tests ({POSTGRES_ENV} is not set)")
    return base


@pytest.fixture
async def postgres_schemas() -> AsyncIterator[PostgresSchemas]:
    """Fresh schemas on the test server (skips the test when none is configured)."""
    schemas = PostgresSchemas(skip_without_postgres())
    try:
        yield schemas
    finally:
        await schemas.drop()


@pytest.fixture
async def pg_schemas() -> AsyncIterator[PostgresSchemas | None]:
    base = postgres_base()
    schemas = PostgresSchemas(base) if base else None
    try:
        yield schemas
    finally:
        if schemas is not None:
            await schemas.drop()


@pytest.fixture(params=["sqlite", "postgres"])
async def database(
    request: pytest.FixtureRequest, tmp_path: Path, pg_schemas: PostgresSchemas | None
) -> str:
    """A fresh, empty database of each engine: an SQLite file, or a PostgreSQL schema."""
    if request.param == "sqlite":
        return str(tmp_path / "rete.sqlite3")
    skip_without_postgres()
    assert pg_schemas is not None
    return await pg_schemas.new()


@pytest.fixture
async def store(database: str) -> AsyncIterator[SqlStore]:
    """The store of a fresh database of each engine, closed after the test."""
    opened = await open_store(database)
    yield opened
    await opened.close()


@pytest.fixture
async def sqlite_store(tmp_path: Path) -> AsyncIterator[SqlStore]:
    """For what only SQLite has (PRAGMAs, a file to back up, its own read connections)."""
    opened = await open_store(tmp_path / "rete.sqlite3")
    yield opened
    await opened.close()


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    fake = FakeTelegram()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


@pytest.fixture
async def e2e_database(tmp_path: Path, pg_schemas: PostgresSchemas | None) -> str:
    """The end-to-end suite's database: SQLite, or PostgreSQL with RETE_TEST_BACKEND=postgres."""
    if os.environ.get(E2E_BACKEND_ENV, "sqlite") != "postgres":
        return str(tmp_path / "rete.sqlite3")
    skip_without_postgres()
    assert pg_schemas is not None
    return await pg_schemas.new()


@pytest.fixture
def settings(telegram: FakeTelegram, e2e_database: str) -> Settings:
    return Settings(
        bot_token=telegram.token,
        api_base_url=telegram.base_url,
        database=e2e_database,
        default_language="en",
        default_timezone="Europe/Rome",
        admin_cache_seconds=300,
    )


# JobQueue jobs that act on "what time is it": the test moves the clock and runs them
# itself (rete.tick(), rete.sweep()), so they never fire at an arbitrary point of a test.
TIME_DRIVEN_JOBS = (
    "schedule-tick",
    intros.SWEEP_JOB_NAME,
    ledger.ACK_JOB_NAME,
    members.WELCOME_JOB_NAME,
    "prune-updates",
    asks.SWEEP_JOB_NAME,
)


class Rete:
    """The real Application, started as `rete run` starts it, polling the fake server.

    Its clock is a ManualClock that starts at ``factories.START`` and moves only when the
    test moves it; updates built by the factories are dated by the same clock.
    """

    def __init__(self, telegram: FakeTelegram, settings: Settings) -> None:
        self.telegram = telegram
        self.settings = settings
        self.clock = ManualClock(f.START)
        self.app: ReteApplication | None = None

    async def start(self) -> None:
        # The same steps, in the same order, as Application.run_polling.
        f.use_clock(self.clock)
        # A strict catalog: a variable the code forgot to pass fails the test.
        app = build_application(self.settings, Catalog(strict=True), clock=self.clock)
        await app.initialize()
        if app.post_init:
            await app.post_init(app)
        assert app.updater is not None
        await app.updater.start_polling(allowed_updates=ALLOWED_UPDATES, timeout=1)
        await app.start()
        assert app.job_queue is not None
        for name in TIME_DRIVEN_JOBS:
            for job in app.job_queue.get_jobs_by_name(name):
                job.enabled = False
        self.app = app

    def now(self) -> datetime:
        """The application's current time."""
        return self.clock.now()

    async def tick(self, moment: datetime | None = None) -> None:
        """Move the clock to ``moment`` (if given) and run the scheduler's minute tick."""
        if moment is not None:
            self.clock.set(moment)
        assert self.app is not None
        await scheduling.tick(self.app)

    async def sweep(self, moment: datetime | None = None) -> None:
        """Move the clock to ``moment`` (if given) and run the introductions sweep."""
        if moment is not None:
            self.clock.set(moment)
        assert self.app is not None
        await intros.sweep(ReteContext(self.app))

    async def welcome(self, moment: datetime | None = None) -> None:
        """Move the clock to ``moment`` (if given) and run the newcomers' welcome job."""
        if moment is not None:
            self.clock.set(moment)
        assert self.app is not None
        await members.welcome_newcomers(ReteContext(self.app))

    async def stop(self) -> None:
        app, self.app = self.app, None
        if app is None:
            return
        assert app.updater is not None
        if app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()
        if app.post_shutdown:
            await app.post_shutdown(app)

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    @property
    def db(self) -> SqliteStore:
        assert self.app is not None
        return self.app.bot_data["db"]

    async def send(self, *updates: dict) -> None:
        """Deliver updates through getUpdates, one by one, each handled before the next."""
        assert self.app is not None
        for update in updates:
            update_id = self.telegram.add_update(update)
            await self.telegram.wait_delivered(update_id)
            await self.settle()

    async def send_together(self, *updates: dict, within: float = 10) -> None:
        """Make updates available at once (the bot may fetch them in one batch), then settle."""
        last = 0
        for update in updates:
            last = self.telegram.add_update(update)
        await self.telegram.wait_delivered(last, timeout=within)
        await self.settle(within)

    async def settle(self, within: float = 10) -> None:
        """Wait until every fetched update is handled, non-blocking commands included."""
        assert self.app is not None
        [router] = [h for h in self.app.handlers[0] if isinstance(h, CommandRouter)]
        async with asyncio.timeout(within):
            while True:
                await self.app.update_queue.join()
                if not router.pending:
                    break
                await asyncio.wait(router.pending)

    async def backdate(self, chat_id: int, to: str = "2025-01-01T00:00:00+00:00") -> None:
        """Pretend Rete joined the group long ago, so slots in a test's past are due there."""
        async with self.db.transaction(changes_chats=[chat_id]) as conn:
            await conn.execute("UPDATE chats SET added_at = ? WHERE id = ?", (to, chat_id))

    def texts(self, chat_id: int) -> list[str]:
        """The plain texts of the messages the bot sent to a chat, as members saw them."""
        return [call.result["text"] for call in self.telegram.sent(chat_id)]

    def last_text(self, chat_id: int) -> str:
        texts = self.texts(chat_id)
        assert texts, f"the bot sent nothing to {chat_id}"
        return texts[-1]


@pytest.fixture
async def rete(telegram: FakeTelegram, settings: Settings) -> AsyncIterator[Rete]:
    harness = Rete(telegram, settings)
    await harness.start()
    try:
        yield harness
    finally:
        await harness.stop()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
