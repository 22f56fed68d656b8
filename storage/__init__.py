"""Persistence: schema, migrations and repositories (SQLite today, behind a narrow interface)."""

from storage.interface import Store
from storage.models import Chat, ChatInfo, Member, MemberInfo, Membership
from storage.sqlite import SqliteStore, StorageError, open_store

__all__ = [
    "Chat",
    "ChatInfo",
    "Member",
    "MemberInfo",
    "Membership",
    "SqliteStore",
    "StorageError",
    "Store",
    "open_store",
]
