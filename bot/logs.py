"""Logging that never shows the bot token, nor what members write."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

# Libraries that log what members write (or the token) below these levels: they never log
# below them, whatever Rete's own level. Read in python-telegram-bot 22.8, aiosqlite 0.22,
# httpx 0.28.
LIBRARY_FLOORS: dict[str, int] = {
    # DEBUG: every Bot API call with its parameters and its answer (getUpdates: every
    # message in full), every update processed or dropped, every webhook body.
    "telegram": logging.INFO,
    # DEBUG: every query with its parameters: names, thanks reasons, tags, prompts.
    "aiosqlite": logging.INFO,
    # Logs no query in 0.31; floored like aiosqlite should that change. (Its errors' DETAIL,
    # which repeats the failing row, is dropped by storage.postgres.DatabaseError.)
    "asyncpg": logging.INFO,
    # INFO: every request URL, and Bot API URLs contain the token.
    "httpx": logging.WARNING,
    "httpcore": logging.WARNING,
    # PTB's webhook server. INFO: a line per update; WARNING keeps the 403s.
    "tornado": logging.WARNING,
    # INFO: a line per job run, every second.
    "apscheduler": logging.WARNING,
}

# PTB also puts whole payloads in a few records above DEBUG: an update it cannot parse
# (CRITICAL, polling and webhook), an answer that is not JSON (ERROR), an update whose
# context cannot be built (CRITICAL). Their arguments are withheld when the record is
# made, so no handler (journald, a test's, a future one) ever sees them.
PAYLOAD_LOGGERS = "telegram"
WITHHELD = "<withheld>"


def _harmless(value: object) -> bool:
    """Whether a log argument can be shown: numbers and errors yes, data from Telegram no."""
    if value is None or isinstance(value, int | float | BaseException):
        return True
    if isinstance(value, str):
        # A raw body: JSON from Telegram, or a webhook request.
        return not value.lstrip().startswith(("{", "["))
    return False


def withhold_payloads(record: logging.LogRecord) -> None:
    """Replace, in place, every argument of ``record`` that may carry what members wrote."""
    args = record.args
    if not args:
        return
    if isinstance(args, tuple):
        record.args = tuple(a if _harmless(a) else f"{WITHHELD} {type(a).__name__}" for a in args)
    elif "%(" in str(record.msg):
        record.args = {k: v if _harmless(v) else WITHHELD for k, v in args.items()}
    else:
        # logging turns a lone mapping argument into ``args`` itself: "%r" % {...}.
        record.args = (f"{WITHHELD} {type(args).__name__}",)


class _WithholdingFactory:
    """A log record factory that withholds payloads in the records of PTB's loggers."""

    def __init__(self, previous: Any) -> None:
        self.previous = previous

    def __call__(self, *args: Any, **kwargs: Any) -> logging.LogRecord:
        record: logging.LogRecord = self.previous(*args, **kwargs)
        if record.args and record.name.startswith(PAYLOAD_LOGGERS):
            withhold_payloads(record)
        return record


class RedactSecrets(logging.Filter):
    """Replace every secret in a log record's final text by ``***``."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact in place; never drops a record."""
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        for secret in self._secrets:
            message = message.replace(secret, "***")
            if record.exc_text:
                record.exc_text = record.exc_text.replace(secret, "***")
        record.msg, record.args = message, None
        return True


def configure_logging(level: str, secrets: Iterable[str] = ()) -> None:
    """Log to stderr at ``level``: secrets redacted, and no text members wrote, ever."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name, floor in LIBRARY_FLOORS.items():
        logging.getLogger(name).setLevel(max(floor, root.level))
    if not isinstance(logging.getLogRecordFactory(), _WithholdingFactory):
        logging.setLogRecordFactory(_WithholdingFactory(logging.getLogRecordFactory()))
