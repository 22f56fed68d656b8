"""Bad input for several instances on PostgreSQL, as an operator meets it: `rete run` in a
subprocess, a fake Telegram, a real server. Each gets a clear line and changes nothing."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import aiohttp
import asyncpg

from storage import open_store
from storage.leadership import leadership_for
from storage.postgres_schema import VERSION_TABLE
from tests.conftest import free_port
from tests.test_cli import env, start_rete, stop_rete, webhook_env

RIGHT, WRONG = "the-right-secret", "another-secret"


async def stderr_lines(process: asyncio.subprocess.Process, count: int, word: str) -> list[str]:
    """Read stderr until ``count`` lines contain ``word``; return every line read."""
    assert process.stderr is not None
    lines: list[str] = []
    async with asyncio.timeout(30):
        while sum(word in line for line in lines) < count:
            line = await process.stderr.readline()
            if not line:
                break
            lines.append(line.decode())
    return lines


async def test_rete_run_waits_for_an_unreachable_postgresql_one_line_at_a_time(tmp_path, telegram):
    closed = free_port()  # nothing listens there: connection refused
    url = f"postgresql://rete:pw-not-shown@127.0.0.1:{closed}/rete"
    process = await start_rete(tmp_path, telegram, RETE_DATABASE=url)
    try:
        lines = await stderr_lines(process, 2, "Cannot reach PostgreSQL")
    finally:
        process.kill()
        await process.communicate()
    retries = [line for line in lines if "Cannot reach PostgreSQL" in line]
    assert len(retries) == 2, lines
    assert f"Cannot reach PostgreSQL at 127.0.0.1:{closed} (" in retries[0]
    assert retries[0].rstrip().endswith("trying again in 1 s")
    assert retries[1].rstrip().endswith("trying again in 2 s")
    printed = "".join(lines)
    assert "Traceback" not in printed
    assert "pw-not-shown" not in printed, "the password leaked into the log"
    assert telegram.calls_to("setWebhook") == []


async def test_rete_run_refuses_a_database_migrated_by_a_newer_rete(
    tmp_path, telegram, postgres_schemas
):
    url = await postgres_schemas.new()
    store = await open_store(url)
    await store.close()
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(f"UPDATE {VERSION_TABLE} SET version = 99")
    finally:
        await conn.close()
    process = await start_rete(tmp_path, telegram, RETE_DATABASE=url)
    _, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 2
    last = err.decode().strip().splitlines()[-1]
    assert last.startswith("rete: ")
    assert "schema version 99, newer than this Rete knows" in last
    assert "Traceback" not in err.decode()
    conn = await asyncpg.connect(url)
    try:
        assert await conn.fetchval(f"SELECT version FROM {VERSION_TABLE}") == 99, "untouched"
    finally:
        await conn.close()


async def test_migrate_to_a_non_empty_postgresql_is_refused(tmp_path, postgres_schemas):
    url = await postgres_schemas.new()
    target = await open_store(url)  # a Rete database already: not empty
    await target.close()
    source = await open_store(tmp_path / "rete.sqlite3")
    await source.close()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "migrate-to",
        url,
        env=env(tmp_path),
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 2
    assert "is not empty" in err.decode()
    assert "migrate-to copies only into an empty database" in err.decode()
    assert "Copied" not in out.decode()


async def serving(port: int) -> None:
    """Wait until the instance's webhook answers (a copy without the secret: refused)."""
    async with aiohttp.ClientSession() as session, asyncio.timeout(30):
        while True:
            try:
                async with session.post(f"http://127.0.0.1:{port}/telegram", json={}) as response:
                    assert response.status == 403
                    return
            except aiohttp.ClientConnectionError:
                await asyncio.sleep(0.1)


async def lead_with(url: str, secret: str):
    """An instance that leads with ``secret``: its store and leadership (lock held)."""
    store = await open_store(url)
    leadership = leadership_for(store, secret)
    assert await leadership.lead()
    return store, leadership


async def test_an_instance_with_another_webhook_secret_refuses_and_sets_no_webhook(
    tmp_path: Path, telegram, postgres_schemas
):
    url = await postgres_schemas.new()
    store, leadership = await lead_with(url, RIGHT)
    try:
        process = await start_rete(
            tmp_path,
            telegram,
            RETE_DATABASE=url,
            **webhook_env(free_port(), RETE_WEBHOOK_SECRET=WRONG),
        )
        out, err = await asyncio.wait_for(process.communicate(), timeout=60)
        printed = out.decode() + err.decode()
        assert process.returncode == 2, printed[-2000:]
        last = err.decode().strip().splitlines()[-1]
        assert last.startswith("rete: this instance's webhook_secret differs from the one ")
        assert "give every instance the same RETE_WEBHOOK_SECRET" in last
        assert telegram.calls_to("setWebhook") == [], "Telegram was given another secret"
        assert "Traceback" not in printed
        assert WRONG not in printed
        assert RIGHT not in printed
        assert await leadership.lead(), "the leader keeps the lead"

        # The same instance with the leader's secret joins (and sets the same webhook).
        port = free_port()
        process = await start_rete(
            tmp_path, telegram, RETE_DATABASE=url, **webhook_env(port, RETE_WEBHOOK_SECRET=RIGHT)
        )
        try:
            await telegram.wait_for(timeout=30, predicate=lambda: telegram.calls_to("setWebhook"))
            assert telegram.calls_to("setWebhook")[0].params["secret_token"] == RIGHT
            await serving(port)
        finally:
            log = await stop_rete(process)
        assert "leads scheduled work" not in log, "the live leader keeps the lead"
    finally:
        await leadership.close()
        await store.close()
