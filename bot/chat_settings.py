"""Per-chat settings, declared in one place: name, aliases, how a value is parsed, default.

Later features add their settings to ``SETTINGS``; /settings, storage and migration pick
them up without further changes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo, available_timezones

from bot.i18n import LANGUAGES
from bot.ledger import DEFAULT_REACTIONS, LedgerRules, normalize_emoji
from bot.numbers import parse_number
from bot.prompts import DEFAULT_QUIET_HOURS, QuietHours, quiet_hours_from_setting
from bot.settings import Settings, check_timezone


class SettingError(Exception):
    """A value an admin typed is not valid; ``key`` and ``args`` name a catalog message."""

    def __init__(self, key: str, **args: Any) -> None:
        super().__init__(key)
        self.key = key
        self.args_ = args


# What an IANA time zone name can look like: "UTC", "Europe/Rome", "America/Argentina/Salta".
_ZONE_NAME = re.compile(r"[A-Za-z0-9_+-]{1,30}(?:/[A-Za-z0-9_+-]{1,30}){0,3}")


def fold(raw: str) -> str:
    """Return a typed word as compared: trimmed, any case, accents dropped (``Sì`` → ``si``).

    Canonical decomposition only (NFD, not NFKD): "²" stays "²", it never becomes a "2".
    A trailing apostrophe is how many Italians type an accent (``lunedi'``).
    """
    decomposed = unicodedata.normalize("NFD", " ".join(raw.split()).casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return plain.rstrip("'’")


# Language names as admins type them, in both languages ("lingua italiano", "language English").
LANGUAGE_WORDS: dict[str, str] = {
    **dict.fromkeys(("it", "ita", "italiano", "italian", "italiana"), "it"),
    **dict.fromkeys(("en", "eng", "english", "inglese"), "en"),
}


def parse_language(raw: str) -> str:
    """Return ``it`` or ``en`` for a code or a language's name; anything else is a SettingError."""
    value = LANGUAGE_WORDS.get(fold(raw))
    if value not in LANGUAGES:
        raise SettingError("settings-bad-language", value=raw, allowed=", ".join(LANGUAGES))
    return value


def parse_timezone(raw: str) -> str:
    """Return a valid IANA time zone name, matching case-insensitively (``europe/rome``)."""
    value = raw.strip()
    if not _ZONE_NAME.fullmatch(value):
        # zoneinfo opens a file named after the value: a long one raises OSError.
        raise SettingError("settings-bad-timezone", value=raw)
    try:
        return check_timezone(value)
    except ValueError:
        pass
    by_lower = {name.lower(): name for name in available_timezones()}
    if value.lower() in by_lower:
        return by_lower[value.lower()]
    raise SettingError("settings-bad-timezone", value=raw)


# Compared after fold(): "Sì", "SI" and "sì" are all "si".
ON_WORDS = (
    "on",
    "si",
    "yes",
    "y",
    "true",
    "1",
    "attivo",
    "attiva",
    "attivato",
    "attivata",
    "acceso",
    "accesa",
)
OFF_WORDS = (
    "off",
    "no",
    "n",
    "false",
    "0",
    "spento",
    "spenta",
    "disattivo",
    "disattiva",
    "disattivato",
    "disattivata",
)


def parse_switch(raw: str) -> bool:
    """Return True for on/sì/yes/acceso, False for off/no/spento; else a SettingError."""
    value = fold(raw)
    if value in ON_WORDS:
        return True
    if value in OFF_WORDS:
        return False
    raise SettingError("settings-bad-switch", value=raw)


def int_parser(low: int, high: int) -> Callable[[str], int]:
    """Return a parser for a whole number between ``low`` and ``high``."""

    def parse(raw: str) -> int:
        value = parse_number(raw.strip(), signed=True)
        if value is None or not low <= value <= high:
            raise SettingError("settings-bad-number", value=raw, low=low, high=high)
        return value

    return parse


def parse_reactions(raw: str) -> list[str]:
    """Return the reaction emoji that give credit: up to 10, emoji only, no duplicates."""
    if fold(raw) in OFF_WORDS:
        return []
    found: list[str] = []
    for part in raw.replace(",", " ").split():
        emoji = normalize_emoji(part)
        if not emoji or any(ch.isalnum() for ch in emoji) or len(emoji) > 8:
            raise SettingError("settings-bad-reactions", value=raw)
        if emoji not in found:
            found.append(emoji)
    if not found or len(found) > 10:
        raise SettingError("settings-bad-reactions", value=raw)
    return found


# Weekday names as admins type them, in English and Italian, compared after fold() (so
# "Lunedì", "lunedi" and "LUN" are all Monday).
WEEKDAY_NAMES: dict[str, int] = {
    name: index
    for index, names in enumerate(
        (
            ("mon", "monday", "lun", "lunedi"),
            ("tue", "tues", "tuesday", "mar", "martedi"),
            ("wed", "wednesday", "mer", "mercoledi"),
            ("thu", "thur", "thurs", "thursday", "gio", "giovedi"),
            ("fri", "friday", "ven", "venerdi"),
            ("sat", "saturday", "sab", "sabato"),
            ("sun", "sunday", "dom", "domenica"),
        )
    )
    for name in names
}
DAY_GROUPS: dict[str, frozenset[int]] = {
    **dict.fromkeys(
        ("daily", "everyday", "every day", "ogni giorno", "tutti", "tutti i giorni"),
        frozenset(range(7)),
    ),
    **dict.fromkeys(
        ("weekdays", "feriali", "giorni feriali", "lavorativi", "giorni lavorativi"),
        frozenset(range(5)),
    ),
    **dict.fromkeys(("weekend", "fine settimana", "nel weekend"), frozenset({5, 6})),
}
# ASCII digits only, as bot.numbers reads numbers ("٠٩:٣٠" is no time here).
_CLOCK = re.compile(r"^(?P<hour>[0-9]{1,2})(?:[:.h](?P<minute>[0-9]{2}))?\Z")


def parse_weekday(raw: str) -> int:
    """Return 0 (Monday) … 6 (Sunday) for a day name in English or Italian."""
    value = fold(raw)
    if value not in WEEKDAY_NAMES:
        raise SettingError("settings-bad-weekday", value=raw)
    return WEEKDAY_NAMES[value]


def parse_days(raw: str) -> frozenset[int]:
    """Return the weekdays in ``mon,thu`` / ``lun gio`` / ``daily`` / ``feriali``."""
    value = fold(raw)
    if value in DAY_GROUPS:
        return DAY_GROUPS[value]
    parts = [fold(part) for part in re.split(r"[,\s]+", value) if part]
    if not parts:
        raise SettingError("settings-bad-days", value=raw)
    days: list[int] = []
    for part in parts:
        if part not in WEEKDAY_NAMES:
            raise SettingError("settings-bad-days", value=raw)
        day = WEEKDAY_NAMES[part]
        if day in days:
            raise SettingError("settings-days-twice", value=raw, day=part)
        days.append(day)
    return frozenset(days)


def parse_clock(raw: str) -> time:
    """Return the wall-clock time in ``09:30``, ``9.30``, ``9h30`` or ``9``."""
    match = _CLOCK.match(raw.strip().lower())
    if match is None:
        raise SettingError("settings-bad-time", value=raw)
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    if hour > 23 or minute > 59:
        raise SettingError("settings-bad-time", value=raw)
    return time(hour, minute)


def parse_quiet_hours(raw: str) -> str:
    """Return quiet hours as stored (``22:00-08:00``), or ``off``; ``22-8`` works too."""
    value = raw.strip().lower()
    if fold(value) in OFF_WORDS:
        return "off"
    parts = [part for part in re.split(r"\s*[-–—]\s*|\s+", value) if part]
    try:
        if len(parts) != 2:
            raise SettingError("prompts-bad-quiet", value=raw)
        start, end = parse_clock(parts[0]), parse_clock(parts[1])
    except SettingError:
        raise SettingError("prompts-bad-quiet", value=raw) from None
    if start == end:
        raise SettingError("prompts-bad-quiet", value=raw)
    return QuietHours(start, end).to_setting()


def parse_prompt_schedule(raw: str) -> dict[str, Any]:
    """Return the prompts' schedule as stored from ``mon,thu 09:30`` (days, then the time)."""
    parts = raw.split()
    if len(parts) < 2:
        raise SettingError("prompts-schedule-usage")
    days = parse_days(" ".join(parts[:-1]))
    at = parse_clock(parts[-1])
    return {"days": sorted(days), "at": f"{at:%H:%M}"}


DEFAULT_PROMPT_SCHEDULE: dict[str, Any] = {"days": [0, 3], "at": "10:00"}


# How often introductions run, as admins type it: weeks between rounds (1, 2 or 4).
CADENCE_WORDS: dict[str, int] = {
    **dict.fromkeys(("weekly", "every week", "settimanale", "ogni settimana"), 1),
    **dict.fromkeys(
        (
            "biweekly",
            "fortnightly",
            "every two weeks",
            "quindicinale",
            "ogni due settimane",
            "ogni quindici giorni",
        ),
        2,
    ),
    **dict.fromkeys(
        ("monthly", "every four weeks", "mensile", "ogni mese", "ogni quattro settimane"), 4
    ),
}
_CADENCE = re.compile(r"^(?:every |ogni )?(?P<weeks>[124]) ?(?:w|weeks?|settimane?)?$")


def parse_cadence(raw: str) -> int:
    """Return the weeks between introduction rounds: 1, 2 or 4 (``weekly``, ``ogni 2``)."""
    value = fold(raw)
    if value in CADENCE_WORDS:
        return CADENCE_WORDS[value]
    match = _CADENCE.match(value)
    if match is None:
        raise SettingError("settings-bad-cadence", value=raw)
    return int(match["weeks"])


def parse_clock_text(raw: str) -> str:
    """Return a wall-clock time as stored: ``HH:MM`` (see parse_clock)."""
    return parse_clock(raw).strftime("%H:%M")


@dataclass(frozen=True)
class ChatSetting:
    """One setting admins can change with ``/settings <name> <value>``.

    ``name`` is its English name; the first of ``aliases`` is its Italian one (what
    messages to an Italian group show); every alias works for everyone.
    """

    name: str
    aliases: tuple[str, ...]
    parse: Callable[[str], Any]
    default: Callable[[Settings], Any]

    def name_in(self, language: str) -> str:
        """The name messages in ``language`` show."""
        return self.aliases[0] if language == "it" and self.aliases else self.name


SETTINGS: dict[str, ChatSetting] = {
    "language": ChatSetting(
        "language", ("lingua", "lang"), parse_language, lambda s: s.default_language
    ),
    "timezone": ChatSetting(
        "timezone", ("fuso", "fusoorario", "tz"), parse_timezone, lambda s: s.default_timezone
    ),
    "ledger": ChatSetting("ledger", ("registro", "grazie"), parse_switch, lambda s: True),
    "reactions": ChatSetting(
        "reactions", ("reazioni",), parse_reactions, lambda s: list(DEFAULT_REACTIONS)
    ),
    "quota": ChatSetting("quota", ("limite",), int_parser(1, 50), lambda s: 5),
    "paircap": ChatSetting("paircap", ("coppia", "pair"), int_parser(1, 20), lambda s: 3),
    # Engagement prompts (handlers/prompts.py; /prompts sets the same values).
    "prompts": ChatSetting("prompts", ("spunti",), parse_switch, lambda s: False),
    "promptschedule": ChatSetting(
        "promptschedule",
        ("orariospunti",),
        parse_prompt_schedule,
        lambda s: dict(DEFAULT_PROMPT_SCHEDULE),
    ),
    "quiethours": ChatSetting(
        "quiethours",
        ("silenzio", "quiet"),
        parse_quiet_hours,
        lambda s: DEFAULT_QUIET_HOURS.to_setting(),
    ),
    "promptpin": ChatSetting("promptpin", ("fissaspunti",), parse_switch, lambda s: False),
    "promptbusy": ChatSetting("promptbusy", ("sogliaspunti",), int_parser(1, 500), lambda s: 10),
    # Weekly recap: on/off, the local weekday and time it is posted, with or without chart.
    "recap": ChatSetting("recap", ("riepilogo",), parse_switch, lambda s: True),
    "recapday": ChatSetting("recapday", ("giornoriepilogo",), parse_weekday, lambda s: 0),
    "recaptime": ChatSetting(
        "recaptime",
        ("orariepilogo",),
        lambda raw: parse_clock(raw).strftime("%H:%M"),
        lambda s: "09:00",
    ),
    "recapimage": ChatSetting(
        "recapimage", ("immagineriepilogo", "recapchart"), parse_switch, lambda s: True
    ),
    # Introductions: on/off, every 1, 2 or 4 weeks, on which day and at what local time;
    # how many rounds before the same two may meet again, and days until "did you meet?".
    "intros": ChatSetting("intros", ("presentazioni",), parse_switch, lambda s: False),
    "introsevery": ChatSetting("introsevery", ("presentazioniogni",), parse_cadence, lambda s: 2),
    "introsday": ChatSetting("introsday", ("presentazionigiorno",), parse_weekday, lambda s: 0),
    "introstime": ChatSetting(
        "introstime", ("presentazioniora",), parse_clock_text, lambda s: "10:00"
    ),
    "introsrepeat": ChatSetting(
        "introsrepeat", ("presentazioniripeti",), int_parser(1, 52), lambda s: 6
    ),
    "introsfollowup": ChatSetting(
        "introsfollowup", ("presentazioniverifica",), int_parser(1, 30), lambda s: 7
    ),
    # A short welcome for newcomers, batched when many join at once (handlers/members.py).
    "welcome": ChatSetting("welcome", ("benvenuto",), parse_switch, lambda s: True),
    # Asks (handlers/asks): their own switch, open asks per member, how many members an
    # ask reaches in private, at most how many asks a member gets a week, days it stays open.
    "asks": ChatSetting("asks", ("richieste",), parse_switch, lambda s: False),
    "askslimit": ChatSetting("askslimit", ("richiestelimite",), int_parser(1, 10), lambda s: 3),
    "asksrouted": ChatSetting("asksrouted", ("richiesteinvio",), int_parser(1, 20), lambda s: 5),
    "asksweekly": ChatSetting(
        "asksweekly", ("richiestesettimana",), int_parser(1, 20), lambda s: 3
    ),
    "asksexpiry": ChatSetting(
        "asksexpiry", ("richiestescadenza",), int_parser(1, 60), lambda s: 14
    ),
}

# "topic" is set from where the command is sent, not from a typed value (English, Italian).
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
    ledger: bool = True
    reactions: tuple[str, ...] = DEFAULT_REACTIONS
    daily_quota: int = 5
    pair_cap: int = 3
    prompts: bool = False
    prompt_days: frozenset[int] = frozenset({0, 3})
    prompt_time: time = time(10, 0)
    quiet_hours: QuietHours | None = DEFAULT_QUIET_HOURS
    prompt_pin: bool = False
    prompt_busy: int = 10
    prompt_topic_id: int | None = None
    recap: bool = True
    recap_day: int = 0
    recap_at: time = time(9, 0)
    recap_image: bool = True
    intros: bool = False
    intros_every_weeks: int = 2
    intros_day: int = 0
    intros_at: time = time(10, 0)
    intros_repeat_window: int = 6
    intros_follow_up_days: int = 7
    welcome: bool = True
    asks: bool = False
    asks_open: int = 3
    asks_routed: int = 5
    asks_weekly: int = 3
    asks_expiry_days: int = 14

    @property
    def zone(self) -> ZoneInfo:
        """The chat's time zone."""
        return ZoneInfo(self.timezone)

    @property
    def rules(self) -> LedgerRules:
        """The help ledger's limits in this chat."""
        return LedgerRules(daily_quota=self.daily_quota, pair_cap=self.pair_cap)


def effective(stored: Mapping[str, Any], defaults: Settings) -> ChatPrefs:
    """Return the chat's preferences from its stored settings and the configured defaults."""
    values = stored_values(stored, defaults)
    topic = stored.get("topic")
    return ChatPrefs(
        language=values["language"],
        timezone=values["timezone"],
        topic_id=int(topic) if topic is not None else None,
        ledger=bool(values["ledger"]),
        reactions=tuple(values["reactions"]),
        daily_quota=int(values["quota"]),
        pair_cap=int(values["paircap"]),
        **_prompt_prefs(values, stored),
        recap=bool(values["recap"]),
        recap_day=int(values["recapday"]),
        recap_at=time.fromisoformat(str(values["recaptime"])),
        recap_image=bool(values["recapimage"]),
        intros=bool(values["intros"]),
        intros_every_weeks=int(values["introsevery"]),
        intros_day=int(values["introsday"]),
        intros_at=time.fromisoformat(str(values["introstime"])),
        intros_repeat_window=int(values["introsrepeat"]),
        intros_follow_up_days=int(values["introsfollowup"]),
        welcome=bool(values["welcome"]),
        asks=bool(values["asks"]),
        asks_open=int(values["askslimit"]),
        asks_routed=int(values["asksrouted"]),
        asks_weekly=int(values["asksweekly"]),
        asks_expiry_days=int(values["asksexpiry"]),
    )


# Where prompts go when not in the /settings topic; set from inside a topic, like "topic".
PROMPT_TOPIC = "prompttopic"


def _prompt_prefs(values: Mapping[str, Any], stored: Mapping[str, Any]) -> dict[str, Any]:
    schedule = values["promptschedule"]
    topic = stored.get(PROMPT_TOPIC)
    return {
        "prompts": bool(values["prompts"]),
        "prompt_days": frozenset(int(day) for day in schedule["days"]),
        "prompt_time": time.fromisoformat(schedule["at"]),
        "quiet_hours": quiet_hours_from_setting(values["quiethours"]),
        "prompt_pin": bool(values["promptpin"]),
        "prompt_busy": int(values["promptbusy"]),
        "prompt_topic_id": int(topic) if topic is not None else None,
    }


def stored_values(stored: Mapping[str, Any], defaults: Settings) -> dict[str, Any]:
    """Return every setting's value as stored, the configured default where none is."""
    return {
        name: stored.get(name, setting.default(defaults)) for name, setting in SETTINGS.items()
    }


# ---- the /settings panel -------------------------------------------------------------------
#
# An admin's /settings is answered with a panel: one page per feature, each setting a row of
# buttons. A button carries what it sets (``st:<chat>:s:<knob>:<choice>``); the handler
# checks it against this declaration, then stores it through the setting's own parser, as
# if the admin had typed ``/settings <setting> <value>``. Nothing about a panel is kept in
# memory: it keeps working across restarts, for PANEL_LIFETIME after it was sent.

PANEL_PREFIX = "st:"
PANEL_LIFETIME = timedelta(hours=24)
# Telegram's limit for a button's data.
CALLBACK_LIMIT = 64
WEEKDAY_IDS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Knob:
    """One row of buttons on a panel page: a setting and the values it offers."""

    name: str
    setting: str
    choices: tuple[str, ...]
    # What an admin would type for a choice, given the chat's preferences (a choice can set
    # half of a setting: the prompts' days keep their time, and the other way round).
    typed: Callable[[str, ChatPrefs], str] = lambda choice, prefs: choice


def _days_text(days: frozenset[int]) -> str:
    return ",".join(WEEKDAY_IDS[day] for day in sorted(days))


SWITCH = ("on", "off")
KNOBS: dict[str, Knob] = {
    knob.name: knob
    for knob in (
        Knob("language", "language", LANGUAGES),
        Knob("welcome", "welcome", SWITCH),
        Knob("ledger", "ledger", SWITCH),
        Knob("quota", "quota", ("1", "3", "5", "10")),
        Knob("paircap", "paircap", ("1", "2", "3", "5")),
        Knob("prompts", "prompts", SWITCH),
        Knob(
            "promptdays",
            "promptschedule",
            ("mon,thu", "tue,fri", "mon,wed,fri", "weekdays", "daily"),
            lambda choice, prefs: f"{choice} {prefs.prompt_time:%H:%M}",
        ),
        Knob(
            "prompttime",
            "promptschedule",
            ("09:00", "10:00", "12:30", "18:00", "21:00"),
            lambda choice, prefs: f"{_days_text(prefs.prompt_days)} {choice}",
        ),
        Knob("quiethours", "quiethours", ("22:00-08:00", "off")),
        Knob("promptpin", "promptpin", SWITCH),
        Knob("promptbusy", "promptbusy", ("5", "10", "20", "50")),
        Knob("recap", "recap", SWITCH),
        Knob("recapday", "recapday", WEEKDAY_IDS),
        Knob("recaptime", "recaptime", ("08:00", "09:00", "12:00", "18:00", "20:00")),
        Knob("recapimage", "recapimage", SWITCH),
        Knob("intros", "intros", SWITCH),
        Knob("introsevery", "introsevery", ("1", "2", "4")),
        Knob("introsday", "introsday", WEEKDAY_IDS),
        Knob("introstime", "introstime", ("09:00", "10:00", "12:00", "18:00")),
        Knob("introsrepeat", "introsrepeat", ("3", "6", "12")),
        Knob("introsfollowup", "introsfollowup", ("3", "7", "14")),
        Knob("asks", "asks", SWITCH),
        Knob("askslimit", "askslimit", ("1", "3", "5")),
        Knob("asksrouted", "asksrouted", ("3", "5", "10")),
        Knob("asksweekly", "asksweekly", ("1", "3", "5")),
        Knob("asksexpiry", "asksexpiry", ("7", "14", "30")),
    )
}
# The panel's pages, in the order its first page lists them, and the rows each shows.
FEATURES: dict[str, tuple[str, ...]] = {
    "group": ("language", "welcome"),
    "ledger": ("ledger", "quota", "paircap"),
    "prompts": ("prompts", "promptdays", "prompttime", "quiethours", "promptpin", "promptbusy"),
    "recap": ("recap", "recapday", "recaptime", "recapimage"),
    "intros": (
        "intros",
        "introsevery",
        "introsday",
        "introstime",
        "introsrepeat",
        "introsfollowup",
    ),
    "asks": ("asks", "askslimit", "asksrouted", "asksweekly", "asksexpiry"),
}
FEATURE_OF = {knob: feature for feature, knobs in FEATURES.items() for knob in knobs}

PanelAction = Literal["home", "page", "set", "main-chat", "close"]
_ACTIONS: dict[str, PanelAction] = {
    "h": "home",
    "p": "page",
    "s": "set",
    "t": "main-chat",
    "x": "close",
}
_ACTION_CODES = {action: code for code, action in _ACTIONS.items()}


@dataclass(frozen=True)
class PanelTap:
    """A panel button, as its data claims: which group, what to do, on which page."""

    chat_id: int
    action: PanelAction
    page: str = ""
    knob: Knob | None = None
    choice: str = ""


def panel_data(chat_id: int, action: PanelAction, *parts: str) -> str:
    """Return a panel button's data (``st:<chat>:<action>[:<page or knob>[:<choice>]]``)."""
    data = ":".join((PANEL_PREFIX + str(chat_id), _ACTION_CODES[action], *parts))
    assert len(data.encode()) <= CALLBACK_LIMIT, data
    return data


def parse_panel_data(data: str) -> PanelTap | None:
    """Return the tap a panel button's data describes, or None for data no panel sends.

    Only what the panel offers is accepted: a known page, a known row and one of its
    choices, spelled exactly (no other digits, no case games, nothing after them).
    """
    if len(data.encode()) > CALLBACK_LIMIT or not data.startswith(PANEL_PREFIX):
        return None
    raw_chat, _, rest = data.removeprefix(PANEL_PREFIX).partition(":")
    code, _, argument = rest.partition(":")
    chat_id = parse_number(raw_chat, signed=True)
    action = _ACTIONS.get(code)
    if chat_id is None or chat_id >= 0 or action is None:
        return None
    if action in ("home", "main-chat", "close"):
        return PanelTap(chat_id, action) if rest == code else None
    if action == "page":
        return PanelTap(chat_id, action, argument) if argument in FEATURES else None
    name, _, choice = argument.partition(":")
    knob = KNOBS.get(name)
    if knob is None or choice not in knob.choices:
        return None
    return PanelTap(chat_id, action, FEATURE_OF[name], knob, choice)


def panel_expired(sent_at: datetime, now: datetime) -> bool:
    """True once a panel sent at ``sent_at`` is too old to act (or its date is unknown)."""
    return sent_at.timestamp() <= 0 or now - sent_at > PANEL_LIFETIME
