"""The `rete` command as an operator uses it: real subprocesses, a fake Telegram."""

import asyncio
import contextlib
import os
import signal
import sqlite3
import sys
from pathlib import Path

import aiohttp
import pytest

from tests import factories as f
from tests.conftest import MEMBER, free_port

ROOT = Path(__file__).parent.parent
TOKEN_SECRET_PART = "AAH-secret-part-of-the-token-1234"
# A token of the right form (digits, colon, 30+ of [A-Za-z0-9_-]) that no server knows.
UNKNOWN_TOKEN = f"987654:{TOKEN_SECRET_PART}"


def env(tmp_path: Path, **extra: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("RETE_")}
    clean.update({"RETE_DATABASE": str(tmp_path / "rete.sqlite3"), **extra})
    return clean


async def rete_cli(*args: str, env: dict[str, str], cwd: Path) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        env=env,
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    return process.returncode, out.decode(), err.decode()


async def test_run_without_token_says_how_to_get_one(tmp_path):
    code, _, err = await rete_cli("run", env=env(tmp_path), cwd=tmp_path)
    assert code == 2
    assert "RETE_BOT_TOKEN" in err
    assert "@BotFather" in err


async def test_check_config_prints_settings_with_token_masked(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('default_language = "en"\ndefault_timezone = "UTC"\n', encoding="utf-8")
    code, out, _ = await rete_cli(
        "check-config", env=env(tmp_path, RETE_BOT_TOKEN=f"42:{TOKEN_SECRET_PART}"), cwd=tmp_path
    )
    assert code == 0
    assert "Configuration OK (file: config.toml)" in out
    assert "bot_token = 42:***" in out
    assert "default_timezone = UTC" in out
    assert TOKEN_SECRET_PART not in out


async def test_check_config_with_broken_file_names_file_and_line(tmp_path):
    config = tmp_path / "broken.toml"
    config.write_text(
        f'bot_token = "{UNKNOWN_TOKEN}"\ndefault_timezone = "Mars/Phobos"\n', encoding="utf-8"
    )
    code, _, err = await rete_cli(
        "--config", str(config), "check-config", env=env(tmp_path), cwd=tmp_path
    )
    assert code == 2
    assert f"{config}, line 2" in err
    assert "Mars/Phobos" in err


async def test_check_config_without_token_checks_everything_else(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('default_language = "en"\n', encoding="utf-8")
    code, out, err = await rete_cli("check-config", env=env(tmp_path), cwd=tmp_path)
    assert code == 2
    assert "Configuration OK apart from the bot token (file: config.toml)" in out
    assert "bot_token = (not set)" in out
    assert "default_language = en" in out
    assert err.startswith("rete: No bot token configured. Set the environment variable RETE_BOT")

    config.write_text('default_language = "en"\ndefault_timezone = "Mars"\n', encoding="utf-8")
    code, out, err = await rete_cli(
        "check-config", env=env(tmp_path, RETE_WEBHOOK_PORT="http"), cwd=tmp_path
    )
    assert code == 2
    assert "Configuration OK" not in out
    lines = err.splitlines()
    assert lines[0].startswith("rete: config.toml, line 2: default_timezone: unknown time zone")
    assert lines[1] == "rete: RETE_WEBHOOK_PORT: 'http' is not a whole number"
    assert lines[2].startswith("rete: No bot token configured."), "the token is missing too"
    assert len(lines) == 3, "one line per mistake"


async def test_check_config_refuses_a_token_that_cannot_be_one(tmp_path):
    code, out, err = await rete_cli(
        "check-config", env=env(tmp_path, RETE_BOT_TOKEN="<token from @BotFather>"), cwd=tmp_path
    )
    assert code == 2
    assert err.startswith("rete: RETE_BOT_TOKEN: this is not a bot token: a token looks like")
    assert "123456789:AA…" in err
    assert "<token" not in out + err, "the token is never printed"


async def test_backup_copies_a_live_database(tmp_path, telegram):
    from storage import ChatInfo, MemberInfo, open_store

    store = await open_store(tmp_path / "rete.sqlite3")
    from datetime import UTC, datetime

    now = datetime(2026, 12, 2, 9, 15, tzinfo=UTC)
    await store.memberships.record_message(
        ChatInfo(-1, "group", "G"), MemberInfo(1, "Ada"), 1, now, now.date()
    )
    await store.flush()  # the running bot flushes every second
    try:
        target = tmp_path / "copy.sqlite3"
        code, out, err = await rete_cli("backup", str(target), env=env(tmp_path), cwd=tmp_path)
        assert code == 0, err
        assert "Backed up" in out
        with sqlite3.connect(target) as copy:
            assert copy.execute("SELECT first_name FROM members").fetchall() == [("Ada",)]
        code, _, err = await rete_cli("backup", str(target), env=env(tmp_path), cwd=tmp_path)
        assert code == 2
        assert "--force" in err
        code, _, _ = await rete_cli(
            "backup", str(target), "--force", env=env(tmp_path), cwd=tmp_path
        )
        assert code == 0
    finally:
        await store.close()


async def start_rete(tmp_path: Path, telegram, **extra_env: str) -> asyncio.subprocess.Process:
    """Start `python -m bot run` against the fake Telegram, as an operator would."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        env=env(
            tmp_path,
            **{
                "RETE_BOT_TOKEN": telegram.token,
                "RETE_API_BASE_URL": telegram.base_url,
                **extra_env,
            },
        ),
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def stop_rete(process: asyncio.subprocess.Process) -> str:
    """Stop it with Ctrl-C; it must exit cleanly. Return everything it printed."""
    process.send_signal(signal.SIGINT)
    out, err = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 0, err.decode()[-2000:]
    return out.decode() + err.decode()


async def test_rete_run_polls_answers_and_stops_cleanly(tmp_path, telegram):
    process = await start_rete(tmp_path, telegram, RETE_LOG_LEVEL="DEBUG")
    try:
        await telegram.wait_for(timeout=30, predicate=lambda: telegram.calls_to("getUpdates"))
        telegram.started_users.add(MEMBER["id"])
        telegram.add_update(f.command(f.private_chat(MEMBER), MEMBER, "/start"))
        await telegram.wait_for(timeout=30, predicate=lambda: telegram.sent(MEMBER["id"]))
        assert telegram.sent(MEMBER["id"])[0].result["text"].startswith("👋 Hi Bruno")
    finally:
        log = await stop_rete(process)
    assert "Starting Rete (polling mode" in log
    assert telegram.token.split(":")[1] not in log, "the token leaked into the log"
    assert (tmp_path / "rete.sqlite3").exists()


async def test_rete_run_takes_what_arrives_while_it_waits_between_polls_in_one_request(
    tmp_path, telegram
):
    # poll_interval: after each answer Rete waits before asking again, so updates that
    # arrive meanwhile come in one getUpdates (a busy stream: one request per batch).
    process = await start_rete(tmp_path, telegram, RETE_POLL_INTERVAL="1")
    try:
        await telegram.wait_for(timeout=30, predicate=lambda: telegram.calls_to("getUpdates"))
        telegram.started_users.add(MEMBER["id"])
        chat = f.private_chat(MEMBER)
        telegram.add_update(f.command(chat, MEMBER, "/start"))
        # A lone update is not held back: it is answered (its getUpdates returned at once).
        await telegram.wait_for(timeout=30, predicate=lambda: telegram.sent(MEMBER["id"]))
        second = telegram.add_update(f.command(chat, MEMBER, "/help"))
        await asyncio.sleep(0.1)  # with no interval, the second would be fetched alone
        third = telegram.add_update(f.command(chat, MEMBER, "/help"))
        await telegram.wait_for(
            timeout=30, predicate=lambda: len(telegram.sent(MEMBER["id"])) == 3
        )
        batches = [
            [u["update_id"] for u in call.result]
            for call in telegram.calls_to("getUpdates")
            if call.ok and call.result
        ]
    finally:
        await stop_rete(process)
    assert [second, third] in batches, batches


WEBHOOK_SECRET = "s3cret-token"


def webhook_env(port: int, **extra: str) -> dict[str, str]:
    return {
        "RETE_MODE": "webhook",
        "RETE_WEBHOOK_LISTEN": "127.0.0.1",
        "RETE_WEBHOOK_PORT": str(port),
        "RETE_WEBHOOK_URL": "https://bot.example.org/telegram",
        **extra,
    }


def members_in(database: Path) -> list[int]:
    """The member ids the running bot has written to its database (read beside it, WAL)."""
    with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        return [row[0] for row in db.execute("SELECT id FROM members ORDER BY id")]


async def test_rete_run_webhook_mode(tmp_path, telegram):
    port = free_port()
    process = await start_rete(
        tmp_path, telegram, **webhook_env(port, RETE_WEBHOOK_SECRET=WEBHOOK_SECRET)
    )
    try:
        await telegram.wait_for(timeout=30, predicate=lambda: telegram.calls_to("setWebhook"))
        webhook = telegram.calls_to("setWebhook")[0].params
        assert webhook["url"] == "https://bot.example.org/telegram"
        assert webhook["secret_token"] == WEBHOOK_SECRET
        assert "message_reaction" in webhook["allowed_updates"]

        telegram.started_users.add(MEMBER["id"])
        url = f"http://127.0.0.1:{port}/telegram"
        update_ids = iter(range(1, 100))
        async with aiohttp.ClientSession() as session:

            async def post(update: dict, secret: str | None = WEBHOOK_SECRET) -> int:
                headers = {} if secret is None else {"X-Telegram-Bot-Api-Secret-Token": secret}
                update = dict(update, update_id=next(update_ids))
                async with session.post(url, json=update, headers=headers) as response:
                    return response.status

            help_ = f.command(f.private_chat(MEMBER), MEMBER, "/help")
            async with asyncio.timeout(20):
                while True:
                    try:
                        assert await post(help_, secret="wrong") == 403
                        break
                    except aiohttp.ClientConnectionError:
                        await asyncio.sleep(0.1)
            assert await post(help_, secret=None) == 403
            assert telegram.sent(MEMBER["id"]) == []
            assert await post(help_) == 200
            await telegram.wait_for(timeout=30, predicate=lambda: telegram.sent(MEMBER["id"]))
            assert "What you can do here" in telegram.sent(MEMBER["id"])[0].result["text"]

            # The member is known, and opens /privacy: its message has the delete buttons.
            group = f.group(-1001, "Makers")
            assert await post(f.message_update(f.message(group, MEMBER, "hello"))) == 200
            database = tmp_path / "rete.sqlite3"
            await telegram.wait_for(timeout=30, predicate=lambda: members_in(database))
            assert await post(f.command(f.private_chat(MEMBER), MEMBER, "/privacy")) == 200
            await telegram.wait_for(
                timeout=30, predicate=lambda: len(telegram.sent(MEMBER["id"])) > 1
            )
            summary = telegram.sent(MEMBER["id"])[-1].result

            # Anyone who finds the URL could claim to be the member pressing "delete".
            forged = f.callback_query(MEMBER, "privacy:confirm", summary)
            assert await post(forged, secret=None) == 403
            assert await post(forged, secret="wrong") == 403
            assert await post(forged, secret=WEBHOOK_SECRET + "x") == 403
            # A 403 is answered before anything is queued: nothing can be pending.
            assert members_in(database) == [MEMBER["id"]], "a forged update changed the data"
            assert telegram.calls_to("answerCallbackQuery") == []

            # Telegram itself, with the secret: handled.
            assert await post(forged) == 200
            await telegram.wait_for(timeout=30, predicate=lambda: not members_in(database))
    finally:
        log = await stop_rete(process)
    assert WEBHOOK_SECRET not in log


async def test_rete_run_refuses_webhook_mode_without_a_secret(tmp_path, telegram):
    port = free_port()
    process = await start_rete(tmp_path, telegram, **webhook_env(port))
    try:
        _, err = await asyncio.wait_for(process.communicate(), timeout=30)
    except TimeoutError:
        process.kill()
        await process.communicate()
        pytest.fail("rete run started a webhook server that takes updates from anyone")
    assert process.returncode == 2
    message = err.decode()
    assert "webhook_secret is not set" in message
    assert "secrets.token_urlsafe(32)" in message
    assert "RETE_WEBHOOK_SECRET" in message
    assert telegram.calls_to("setWebhook") == []
    assert not (tmp_path / "rete.sqlite3").exists()


async def test_check_config_reports_a_missing_webhook_secret(tmp_path):
    code, out, err = await rete_cli(
        "check-config",
        env=env(tmp_path, RETE_BOT_TOKEN=UNKNOWN_TOKEN, **webhook_env(8443)),
        cwd=tmp_path,
    )
    assert code == 2
    assert "Configuration OK" not in out
    assert "webhook_secret is not set" in err
    assert "secrets.token_urlsafe(32)" in err
    code, out, _ = await rete_cli(
        "check-config",
        env=env(
            tmp_path,
            RETE_BOT_TOKEN=UNKNOWN_TOKEN,
            **webhook_env(8443, RETE_WEBHOOK_SECRET=WEBHOOK_SECRET),
        ),
        cwd=tmp_path,
    )
    assert code == 0
    assert "webhook_secret = ***" in out
    assert WEBHOOK_SECRET not in out


@pytest.mark.parametrize("module", [["-m", "bot"]])
async def test_help_lists_commands(tmp_path, module):
    process = await asyncio.create_subprocess_exec(
        sys.executable, *module, "--help", stdout=asyncio.subprocess.PIPE, cwd=tmp_path
    )
    out, _ = await process.communicate()
    for command in ("run", "check-config", "backup"):
        assert command in out.decode()


async def test_installed_rete_script_is_the_same_cli(tmp_path):
    script = Path(sys.executable).with_name("rete")
    if not script.exists():
        pytest.skip("the rete console script is not installed in this environment")
    process = await asyncio.create_subprocess_exec(
        str(script), "run", env=env(tmp_path), cwd=tmp_path, stderr=asyncio.subprocess.PIPE
    )
    _, err = await process.communicate()
    assert process.returncode == 2
    assert "RETE_BOT_TOKEN" in err.decode()


async def lines_until(stream: asyncio.StreamReader, predicate) -> list[str]:
    """Read lines from ``stream`` until ``predicate(lines)`` holds."""
    lines: list[str] = []
    while not predicate(lines):
        line = await stream.readline()
        if not line:
            pytest.fail(f"the process ended first: {lines}")
        lines.append(line.decode())
    return lines


async def test_rete_run_waits_for_an_unreachable_bot_api_one_line_at_a_time(tmp_path):
    closed = free_port()  # nothing listens there: connection refused
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        env=env(
            tmp_path,
            RETE_BOT_TOKEN=UNKNOWN_TOKEN,
            RETE_API_BASE_URL=f"http://127.0.0.1:{closed}/bot",
        ),
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stderr is not None
        async with asyncio.timeout(30):  # 1 s between the first two attempts
            lines = await lines_until(
                process.stderr, lambda lines: sum("Cannot reach" in line for line in lines) == 2
            )
    finally:
        process.kill()
        await process.communicate()
    retries = [line for line in lines if "Cannot reach" in line]
    assert f"Cannot reach the Bot API at http://127.0.0.1:{closed}/bot (" in retries[0]
    assert retries[0].rstrip().endswith("trying again in 1 s")
    assert retries[1].rstrip().endswith("trying again in 2 s")
    assert "Starting Rete" in lines[0]
    assert len(lines) == 3, f"one line per attempt, no traceback: {lines}"
    assert TOKEN_SECRET_PART not in "".join(lines)
    assert not (tmp_path / "rete.sqlite3").exists(), "nothing opened before Telegram answers"


async def test_rete_run_with_a_token_telegram_refuses_exits_at_once(tmp_path, telegram):
    process = await start_rete(tmp_path, telegram, RETE_BOT_TOKEN=UNKNOWN_TOKEN)
    try:
        out, err = await asyncio.wait_for(process.communicate(), timeout=30)
    except TimeoutError:
        process.kill()
        await process.communicate()
        pytest.fail("rete run kept trying a token Telegram refused")
    assert process.returncode == 2
    printed = out.decode() + err.decode()
    assert (
        "rete: Telegram refused the bot token (401 Unauthorized): copy it again from"
        in err.decode()
    )
    assert "Traceback" not in printed
    assert TOKEN_SECRET_PART not in printed
    assert len(telegram.calls_to("getMe")) == 1, "a refused token is not tried again"
