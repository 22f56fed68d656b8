"""Where the database is: an SQLite file (the default) or a PostgreSQL server's URL."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def is_postgres_url(database: str | Path) -> bool:
    """True if ``database`` names a PostgreSQL server (postgresql:// or postgres://)."""
    return str(database).startswith(POSTGRES_SCHEMES)


def sqlite_path(database: str | Path) -> Path:
    """Return the SQLite file ``database`` names: a path, or ``sqlite:<path>``."""
    text = str(database)
    if text.startswith("sqlite:"):
        text = text.removeprefix("sqlite:")
        # sqlite:///srv/rete.sqlite3 is the absolute path /srv/rete.sqlite3.
        text = text.removeprefix("//")
    return Path(text)


def safe_url(database: str | Path) -> str:
    """Return ``database`` as it may be printed and logged: a URL without its password."""
    text = str(database)
    if not is_postgres_url(text):
        return text
    parts = urlsplit(text)
    if parts.password is None:
        return text
    netloc = f"{parts.username}:***@{parts.hostname or ''}"
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit(parts._replace(netloc=netloc))


def server_of(url: str) -> str:
    """Return "host:port" of a PostgreSQL URL (the defaults libpq would use)."""
    parts = urlsplit(url)
    return f"{parts.hostname or 'localhost'}:{parts.port or 5432}"
