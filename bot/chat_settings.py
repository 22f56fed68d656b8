"""Per-chat settings, declared in one place: name, aliases, how a value is parsed, default.

Later features add their settings to ``SETTINGS``; /settings, storage and migration pick
them up without further changes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from bot.i18n import LANGUAGES
from bot.settings import Settings, check_timezone


class SettingError(Exception):
    """A value an admin typed is not valid; ``key`` and ``args`` name a catalog message."""

    def __init__(self, key: str, **args: Any) -> None:
        super().__init__(key)
        self.key = key
        self.args_ = args


def parse_language(raw: str) -> str:
    """Return ``it`` or ``en``; anything else is a SettingError."""
    value = raw.strip().lower()
    if value not in LANGUAGES:
        raise SettingError("settings-bad-language", value=raw, allowed=", ".join(LANGUAGES))
    return value


def parse_timezone(raw: str) -> str:
    """Return a valid IANA time zone name, matching case-insensitively (``europe/rome``)."""
    value = raw.strip()
    try:
        return check_timezone(value)
    except ValueError:
        pass
    from zoneinfo import available_timezones

    by_lower = {name.lower(): name for name in available_timezones()}
    if value.lower() in by_lower:
        return by_lower[value.lower()]
    raise SettingError("settings-bad-timezone", value=raw)


@dataclass(frozen=True)
class ChatSetting:
    """One setting admins can change with ``/settings <name> <value>``."""

    name: str
    aliases: tuple[str, ...]
    parse: Callable[[str], Any]
    default: Callable[[Settings], Any]


SETTINGS: dict[str, ChatSetting] = {
    "language": ChatSetting(
        "language", ("lingua", "lang"), parse_language, lambda s: s.default_language
    ),
    "timezone": ChatSetting(
        "timezone", ("fuso", "fusoorario", "tz"), parse_timezone, lambda s: s.default_timezone
    ),
}

# "topic" is set from where the command is sent, not from a typed value.
TOPIC_NAMES = ("topic", "argomento")


def find_setting(name: str) -> ChatSetting | None:
    """Return the setting called ``name`` or one of its aliases (any case)."""
    lowered = name.lower()
    for setting in SETTINGS.values():
        if lowered == setting.name or lowered in setting.aliases:
            return setting
    return None


@dataclass(frozen=True)
class ChatPrefs:
    """A chat's effective settings: stored values over the configured defaults."""

    language: str
    timezone: str
    topic_id: int | None

    @property
    def zone(self) -> ZoneInfo:
        """The chat's time zone."""
        return ZoneInfo(self.timezone)


def effective(stored: Mapping[str, Any], defaults: Settings) -> ChatPrefs:
    """Return the chat's preferences from its stored settings and the configured defaults."""
    values = {
        name: stored.get(name, setting.default(defaults)) for name, setting in SETTINGS.items()
    }
    topic = stored.get("topic")
    return ChatPrefs(
        language=values["language"],
        timezone=values["timezone"],
        topic_id=int(topic) if topic is not None else None,
    )
