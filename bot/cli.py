"""The ``rete`` command: run the bot, check the configuration, back up the database."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from telegram.error import InvalidToken, NetworkError, RetryAfter

from bot.settings import TOKEN_HELP, ConfigError, Settings, config_path, load_settings
from storage.location import safe_url
from storage.sqlite import StorageError

if TYPE_CHECKING:
    from bot.app import ReteApplication

log = logging.getLogger("rete")

# Waits between attempts to reach the Bot API at start: 1, 2, 4 … seconds, then every minute.
FIRST_RETRY_SECONDS = 1.0
LONGEST_RETRY_SECONDS = 60.0


class TokenRefused(Exception):
    """The Bot API refused the token, or the URL is no Bot API server: retrying cannot help."""


async def reach_telegram(application: ReteApplication, settings: Settings) -> None:
    """Initialize the application (getMe), waiting for the Bot API as long as it takes.

    An unreachable server (connection refused, DNS, timeout, 5xx, flood control) is logged
    in one line and tried again after 1, 2, 4 … up to 60 seconds; a refused token raises
    TokenRefused.
    """
    delay = FIRST_RETRY_SECONDS
    while True:
        try:
            await application.initialize()
            return
        except InvalidToken as error:
            raise TokenRefused(_refusal(error, settings)) from None
        except (NetworkError, RetryAfter) as error:  # TimedOut is a NetworkError
            # One line, no traceback: the operator needs what and when, not where.
            log.warning(
                "Cannot reach the Bot API at %s (%s): trying again in %d s",
                settings.api_base_url,
                error.message,
                delay,
            )
        await asyncio.sleep(delay)
        delay = min(delay * 2, LONGEST_RETRY_SECONDS)


def _refusal(error: InvalidToken, settings: Settings) -> str:
    # PTB turns 401 (a token Telegram does not know) and 404 (a URL that is not a Bot API
    # server, or a malformed token) into InvalidToken; the server's words say which.
    answer = str(error.__cause__ or error)
    if "not found" in answer.lower():
        return (
            f"the server at {settings.api_base_url} answered 'Not Found' to getMe: "
            "api_base_url (RETE_API_BASE_URL) must be a Bot API server's URL up to and "
            "including /bot, such as https://api.telegram.org/bot"
        )
    return (
        "Telegram refused the bot token (401 Unauthorized): copy it again from @BotFather "
        "(/mybots → your bot → API Token) into RETE_BOT_TOKEN"
    )


def _run(settings: Settings, args: argparse.Namespace) -> int:
    from bot.app import ALLOWED_UPDATES, build_application, freeze_startup
    from bot.logs import configure_logging

    settings.require_token()
    secrets = [settings.token]
    if settings.webhook_secret:
        secrets.append(settings.webhook_secret.get_secret_value())
    configure_logging(settings.log_level, secrets)
    clock = None
    if settings.test_clock is not None:
        from bot.clock import ShiftedClock

        clock = ShiftedClock(settings.test_clock)
        log.warning("Test clock: this process's time starts at %s", settings.test_clock)
    application = build_application(settings, clock=clock)
    log.info("Starting Rete (%s mode, database %s)", settings.mode, safe_url(settings.database))
    # The loop run_polling/run_webhook go on with: they find the application initialized.
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(reach_telegram(application, settings))
    except TokenRefused as refusal:
        print(f"rete: {refusal}", file=sys.stderr)
        loop.run_until_complete(application.bot.shutdown())
        loop.close()
        return 2
    except KeyboardInterrupt:
        log.info("Stopped before reaching the Bot API")
        loop.run_until_complete(application.bot.shutdown())
        loop.close()
        return 0
    log.info("Connected to the Bot API as @%s", application.bot.username)
    freeze_startup()
    try:
        if settings.mode == "webhook":
            # The settings refuse webhook mode without a secret: no forged update gets in.
            assert settings.webhook_secret is not None
            application.run_webhook(
                listen=settings.webhook_listen,
                port=settings.webhook_port,
                url_path=settings.webhook_path,
                webhook_url=settings.webhook_url,
                secret_token=settings.webhook_secret.get_secret_value(),
                allowed_updates=ALLOWED_UPDATES,
            )
        else:
            # Paced by poll_interval on its own connection (bot.polling.PacedUpdates).
            application.run_polling(allowed_updates=ALLOWED_UPDATES)
    except NetworkError as error:
        print(
            f"rete: lost the Bot API at {settings.api_base_url} while starting: {error.message}",
            file=sys.stderr,
        )
        return 1
    except StorageError as error:
        # The database cannot be used as it is (refused credentials, no such database, a
        # schema from a newer Rete): one line, and no restart can fix it.
        print(f"rete: {error}", file=sys.stderr)
        return 2
    return 0


def _check_config(settings: Settings, args: argparse.Namespace) -> int:
    source = config_path(args.config) or "none, environment only"
    if settings.has_token:
        print(f"Configuration OK (file: {source})")
    else:
        print(f"Configuration OK apart from the bot token (file: {source})")
    for key, value in settings.masked().items():
        print(f"  {key} = {value}")
    if not settings.has_token:
        print(f"rete: {TOKEN_HELP}", file=sys.stderr)
        return 2
    return 0


def _backup(settings: Settings, args: argparse.Namespace) -> int:
    from storage.sqlite import backup_database

    target = Path(args.path)
    if target.exists() and not args.force:
        print(f"rete: {target} already exists (use --force to overwrite)", file=sys.stderr)
        return 2
    try:
        asyncio.run(backup_database(settings.database, target))
    except StorageError as error:
        print(f"rete: {error}", file=sys.stderr)
        return 2
    print(f"Backed up {safe_url(settings.database)} to {target}")
    return 0


def _migrate_to(settings: Settings, args: argparse.Namespace) -> int:
    from storage.location import is_postgres_url, sqlite_path
    from storage.port import copy_to_postgres

    if is_postgres_url(settings.database):
        print(
            f"rete: the database is already on PostgreSQL ({safe_url(settings.database)}): "
            "migrate-to copies the SQLite file named by database (RETE_DATABASE)",
            file=sys.stderr,
        )
        return 2
    if not is_postgres_url(args.url):
        print(f"rete: {args.url!r} is not a postgresql:// URL", file=sys.stderr)
        return 2
    source = sqlite_path(settings.database)
    try:
        counts = asyncio.run(copy_to_postgres(source, args.url))
    except StorageError as error:
        print(f"rete: {error}", file=sys.stderr)
        return 2
    for table, count in counts.items():
        print(f"  {table}: {count} rows")
    print(
        f"Copied {source} to {safe_url(args.url)} ({sum(counts.values())} rows, every "
        f"table's count checked). Set database = {safe_url(args.url)!r} to use it."
    )
    return 0


COMMANDS: dict[str, Callable[[Settings, argparse.Namespace], int]] = {
    "run": _run,
    "check-config": _check_config,
    "backup": _backup,
    "migrate-to": _migrate_to,
}


def parser() -> argparse.ArgumentParser:
    """Return the command-line parser."""
    main_parser = argparse.ArgumentParser(
        prog="rete", description="Rete: a Telegram bot that turns a community chat into a network."
    )
    main_parser.add_argument(
        "--config",
        metavar="FILE",
        help="configuration file (default: $RETE_CONFIG, else ./config.toml when present)",
    )
    commands = main_parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("run", help="start the bot (polling or webhook, as configured)")
    commands.add_parser(
        "check-config", help="validate the configuration and print it, token masked"
    )
    backup = commands.add_parser("backup", help="copy the database safely while the bot runs")
    backup.add_argument("path", help="where to write the copy")
    backup.add_argument("--force", action="store_true", help="overwrite an existing file")
    migrate_to = commands.add_parser(
        "migrate-to", help="copy the SQLite database into an empty PostgreSQL database"
    )
    migrate_to.add_argument("url", help="the PostgreSQL database, postgresql://user@host/db")
    return main_parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``rete`` and ``python -m bot``."""
    args = parser().parse_args(argv)
    try:
        # Running and checking need a token; a backup or a copy does not.
        needed = args.command not in ("backup", "migrate-to")
        settings = load_settings(args.config, token_needed=needed)
        return COMMANDS[args.command](settings, args)
    except ConfigError as error:
        # One line per mistake, each naming where it is.
        for line in str(error).splitlines():
            print(f"rete: {line}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
