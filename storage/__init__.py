"""Persistence: schema, migrations and repositories, on SQLite or PostgreSQL (one query layer)."""

from storage.interface import Store
from storage.models import Chat, ChatInfo, Member, MemberInfo, Membership
from storage.sqlite import SqliteStore, SqlStore, StorageError, open_store

__all__ = [
    "Chat",
    "ChatInfo",
    "Member",
    "MemberInfo",
    "Membership",
    "SqlStore",
    "SqliteStore",
    "StorageError",
    "Store",
    "open_store",
]
