"""Configuration: a TOML file plus ``RETE_*`` environment variables (which win)."""

from __future__ import annotations

import contextvars
import json
import os
import re
import tomllib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_core import ErrorDetails
from pydantic_settings import (
    BaseSettings,
    InitSettingsSource,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)
from pydantic_settings.exceptions import SettingsError

from storage.location import is_postgres_url, safe_url

LANGUAGES: tuple[str, ...] = ("it", "en")
DEFAULT_CONFIG_FILE = Path("config.toml")
TELEGRAM_BASE_URL = "https://api.telegram.org/bot"
TOKEN_HELP = (
    "No bot token configured. Set the environment variable RETE_BOT_TOKEN "
    "(or bot_token in the config file). Telegram's @BotFather issues the token: "
    "open a chat with @BotFather, send /newbot and copy the token it gives you."
)
# What @BotFather hands out: the bot's numeric id, a colon, then a secret (35 characters
# today; 30 or more is accepted, in case Telegram changes it).
TOKEN_FORM = re.compile(r"[0-9]+:[A-Za-z0-9_-]{30,}")
TOKEN_FORM_HELP = (
    "this is not a bot token: a token looks like 123456789:AA… (digits, a colon, then 30 or "
    "more letters, digits, _ or -); copy it again from @BotFather (/mybots → your bot → "
    "API Token)"
)
# Environment variables that are Rete's but no setting.
OTHER_VARIABLES = frozenset({"RETE_CONFIG"})
# Values never shown in an error message, whatever is wrong with them.
SECRET_KEYS = frozenset({"bot_token", "webhook_secret"})
SECRET_HELP = (
    "mode is 'webhook' but webhook_secret is not set, so anyone who finds the URL could post "
    "forged updates: make one with "
    'python3 -c "import secrets; print(secrets.token_urlsafe(32))" '
    "and set RETE_WEBHOOK_SECRET to it (the same on every instance)"
)

# The TOML data of the file being loaded; a context variable because pydantic-settings
# builds its sources in a classmethod that receives no instance.
_toml_data: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "rete_toml_data", default=None
)


class ConfigError(Exception):
    """The configuration cannot be used; the message says what to fix."""


def check_timezone(name: str) -> str:
    """Return ``name`` if it is an IANA time zone, else raise ValueError naming the form."""
    if name in available_timezones():
        return name
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {name!r}: use an IANA name such as 'Europe/Rome' or 'UTC'"
        ) from None
    return name


class Settings(BaseSettings):
    """Everything Rete needs to run, validated."""

    model_config = SettingsConfigDict(
        env_prefix="RETE_", extra="forbid", case_sensitive=False, validate_default=True
    )

    bot_token: SecretStr | None = None
    api_base_url: str = TELEGRAM_BASE_URL
    # An SQLite file (a path, or sqlite:<path>) or a PostgreSQL URL (postgresql://...).
    database: str = "rete.sqlite3"
    default_language: str = "it"
    default_timezone: str = "Europe/Rome"
    mode: Literal["polling", "webhook"] = "polling"
    # Polling mode: how long to wait after each getUpdates answer before asking again. A
    # busy stream then arrives in batches (one HTTP round trip per batch, not per update or
    # two); a lone update is never held back, and one that arrives meanwhile at most this
    # (bot.polling).
    poll_interval: float = Field(default=0.01, ge=0, le=1)
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    webhook_url: str | None = None
    webhook_path: str = "telegram"
    webhook_secret: SecretStr | None = None
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    owner_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    admin_cache_seconds: int = Field(default=300, ge=0)
    # Several instances on PostgreSQL: how often one that does not lead tries to take the
    # lead (and the leader renews it). Under the leader record's 60 s freshness.
    leader_retry_seconds: float = Field(default=5.0, gt=0, le=30)
    # For tests only: the application's clock reads this moment when `rete run` starts,
    # and runs on at the real pace from there (bot.clock.ShiftedClock).
    test_clock: datetime | None = None

    @field_validator("database", mode="before")
    @classmethod
    def _database(cls, value: Any) -> Any:
        if isinstance(value, os.PathLike):
            return os.fspath(value)
        if isinstance(value, str):
            value = value.strip()
            if not value:
                raise ValueError("empty: give an SQLite file name or a postgresql:// URL")
            scheme, sep, _ = value.partition("://")
            if sep and not is_postgres_url(value) and scheme != "sqlite":
                raise ValueError(
                    f"unknown database URL scheme {scheme!r}: use a file name (SQLite), "
                    "sqlite:<path>, or postgresql://user@host/database"
                )
        return value

    @field_validator("test_clock")
    @classmethod
    def _test_clock(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("give the moment with its offset, e.g. 2026-11-23T09:00:00+00:00")
        return value

    @field_validator("default_language")
    @classmethod
    def _language(cls, value: str) -> str:
        value = value.strip().lower()
        if value not in LANGUAGES:
            raise ValueError(f"unknown language {value!r}: use one of {', '.join(LANGUAGES)}")
        return value

    @field_validator("default_timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        return check_timezone(value.strip())

    @field_validator("log_level", mode="before")
    @classmethod
    def _log_level(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    @field_validator("owner_ids", mode="before")
    @classmethod
    def _owner_ids(cls, value: Any) -> Any:
        # RETE_OWNER_IDS="1,2" is friendlier than a JSON list in an environment variable.
        if isinstance(value, str):
            if value.strip().startswith("["):
                try:
                    return json.loads(value)
                except json.JSONDecodeError:
                    raise ValueError(
                        f"{value!r} is not a list of Telegram user ids: write them as 12,34 "
                        "or [12, 34]"
                    ) from None
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("bot_token")
    @classmethod
    def _token_form(cls, value: SecretStr | None) -> SecretStr | None:
        # A pasted token often brings a newline or spaces along; an empty one is no token.
        token = value.get_secret_value().strip() if value is not None else ""
        if not token:
            return None
        if not TOKEN_FORM.fullmatch(token):
            raise ValueError(TOKEN_FORM_HELP)
        return SecretStr(token)

    @field_validator("api_base_url")
    @classmethod
    def _base_url(cls, value: str) -> str:
        if not re.match(r"^https?://", value):
            raise ValueError(
                f"{value!r} is not a URL: use the form 'https://host/bot' "
                "(up to and including '/bot'; Rete appends the token)"
            )
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not re.fullmatch(
            r"[A-Za-z0-9_-]{1,256}", value.get_secret_value()
        ):
            raise ValueError("webhook_secret must be 1-256 characters from A-Z, a-z, 0-9, _ and -")
        return value

    @model_validator(mode="after")
    def _webhook(self) -> Settings:
        if self.mode == "webhook" and not self.webhook_url:
            raise ValueError(
                "mode is 'webhook' but webhook_url is not set: give the public HTTPS URL "
                "Telegram should call (RETE_WEBHOOK_URL)"
            )
        # Without a secret the webhook server takes any POST as an update from Telegram:
        # a forged one can act as any member (delete their data, thank, vote).
        if self.mode == "webhook" and not self.webhook_secret:
            raise ValueError(SECRET_HELP)
        return self

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Read explicit values first, then the environment, then the TOML file."""
        toml_source = InitSettingsSource(settings_cls, init_kwargs=_toml_data.get() or {})
        return (init_settings, env_settings, toml_source)

    @property
    def token(self) -> str:
        """The bot token; only call once the configuration has been checked."""
        if self.bot_token is None:
            raise ConfigError(TOKEN_HELP)
        return self.bot_token.get_secret_value()

    @property
    def has_token(self) -> bool:
        """Whether a bot token is configured (its form was checked when loading)."""
        return self.bot_token is not None

    def require_token(self) -> None:
        """Raise ConfigError with instructions when no token is configured."""
        _ = self.token

    def masked(self) -> dict[str, Any]:
        """Return the effective settings with secrets masked, for printing."""
        data = self.model_dump(mode="json")
        data["bot_token"] = mask_token(self.bot_token.get_secret_value() if self.bot_token else "")
        data["webhook_secret"] = "***" if self.webhook_secret else None
        data["database"] = safe_url(self.database)
        return data


def mask_token(token: str) -> str:
    """Show only the bot id part of a token (public anyway): ``123456:***``."""
    if not token:
        return "(not set)"
    bot_id, _, _ = token.partition(":")
    return f"{bot_id}:***" if bot_id.isdigit() else "***"


def config_path(explicit: str | Path | None = None) -> Path | None:
    """Return the config file: explicit, else $RETE_CONFIG, else ./config.toml if present."""
    if explicit:
        return Path(explicit)
    from_env = os.environ.get("RETE_CONFIG")
    if from_env:
        return Path(from_env)
    return DEFAULT_CONFIG_FILE if DEFAULT_CONFIG_FILE.is_file() else None


def _read_toml(path: Path) -> tuple[dict[str, Any], str]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found (set RETE_CONFIG to its path)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config file: {exc}") from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        # tomllib's message already ends with "(at line N, column M)".
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None


def _line_of(key: str, text: str) -> int | None:
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=", re.IGNORECASE)
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.match(line):
            return number
    return None


def environment_variable(key: str) -> str | None:
    """The name of the environment variable that sets ``key``, if one is set (any case)."""
    wanted = f"RETE_{key}".upper()
    return next((name for name in os.environ if name.upper() == wanted), None)


def _unknown_variables() -> list[str]:
    known = {f"RETE_{key}".upper() for key in Settings.model_fields} | OTHER_VARIABLES
    return sorted(
        name
        for name in os.environ
        if name.upper().startswith("RETE_") and name.upper() not in known
    )


@dataclass(frozen=True)
class _Sources:
    """Where the values being validated came from, to name the one a mistake is in."""

    path: Path | None
    data: dict[str, Any]
    text: str
    overrides: dict[str, Any]

    def origin(self, key: str, *, name_key: bool = True) -> str:
        """``RETE_X`` when the environment set ``key``, else the file and line, else ``key``.

        The same order as the settings' own (explicit values, environment, file). In the
        file, the key follows its line (``config.toml, line 3: default_timezone``) unless
        ``name_key`` is false.
        """
        if key in self.overrides:
            return key
        variable = environment_variable(key)
        if variable is not None:
            return variable
        if self.path is None:
            return key
        where = str(self.path)
        if key in self.data:
            line = _line_of(key, self.text)
            where = f"{where}, line {line}" if line else where
        return f"{where}: {key}" if name_key else where

    def gives_token(self) -> bool:
        """Whether any source sets a non-empty bot token (valid or not)."""
        variable = environment_variable("bot_token")
        for value in (
            self.overrides.get("bot_token"),
            os.environ.get(variable) if variable else None,
            self.data.get("bot_token"),
        ):
            if value is not None:
                text = value.get_secret_value() if isinstance(value, SecretStr) else str(value)
                return bool(text.strip())
        return False


def load_settings(
    config_file: str | Path | None = None, *, token_needed: bool = False, **overrides: Any
) -> Settings:
    """Load and validate settings; raise ConfigError with a message a person can act on.

    Every mistake is reported at once, one line each, naming the environment variable or
    the file and line it is in. With ``token_needed``, a missing token is one of them
    (when nothing else is wrong the caller says so itself, after checking the rest).
    """
    path = config_path(config_file)
    data: dict[str, Any] = {}
    text = ""
    if path is not None:
        data, text = _read_toml(path)
    sources = _Sources(path, data, text, overrides)
    problems = [
        f"{name}: not a Rete setting (check the spelling against config.example.toml)"
        for name in _unknown_variables()
    ]
    token = _toml_data.set(data)
    try:
        settings = Settings(**overrides)
    except ValidationError as exc:
        problems += [_explain(error, sources) for error in exc.errors()]
        if token_needed and not sources.gives_token():
            problems.append(TOKEN_HELP)
        raise ConfigError("\n".join(problems)) from None
    except (SettingsError, ValueError) as exc:
        raise ConfigError("\n".join([*problems, f"invalid configuration: {exc}"])) from None
    finally:
        _toml_data.reset(token)
    if problems:
        raise ConfigError("\n".join(problems))
    return settings


def _explain(error: ErrorDetails, sources: _Sources) -> str:
    """One line for one validation error: where it is, and what to write instead."""
    if not error["loc"]:
        # A rule across several settings (webhook mode needs a URL and a secret): it is
        # wherever the mode was chosen.
        return f"{sources.origin('mode', name_key=False)}: {_reason(error, None)}"
    key = str(error["loc"][0])
    return f"{sources.origin(key)}: {_reason(error, key)}"


def _reason(error: ErrorDetails, key: str | None) -> str:
    """What is wrong, in words (pydantic's own messages name types, not settings)."""
    kind = error["type"]
    shown = "" if key in SECRET_KEYS else f"{error.get('input')!r} "
    if kind in ("value_error", "assertion_error"):
        return error["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if kind == "extra_forbidden":
        return "unknown setting (check the spelling against config.example.toml)"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{shown}is not a whole number".strip()
    if kind in ("float_parsing", "float_type"):
        return f"{shown}is not a number".strip()
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"{shown}is out of range: {_bounds(key)}"
    if kind == "literal_error" and key is not None:
        options = get_args(Settings.model_fields[key].annotation)
        return f"{shown}is not one of {', '.join(map(str, options))}"
    if kind in ("string_type", "path_type"):
        return "write it as text, in quotes"
    if kind == "list_type":
        return "write a list such as [12, 34]"
    return error["msg"].replace("Input should be", "it should be")


def _bounds(key: str | None) -> str:
    """``use a whole number from 1 to 65535`` (or ``a number`` for one with a fraction)."""
    low = high = None
    above = False  # a lower bound the value must exceed (gt), not just reach (ge)
    kind = "a whole number"
    if key is not None:
        field = Settings.model_fields[key]
        if field.annotation is float:
            kind = "a number"
        for rule in field.metadata:
            low = getattr(rule, "ge", low)
            if getattr(rule, "gt", None) is not None:
                low, above = rule.gt, True
            high = getattr(rule, "le", high)
    if low is not None and high is not None:
        if above:
            return f"use {kind} over {low} and at most {high}"
        return f"use {kind} from {low} to {high}"
    if low is not None:
        return f"use {kind} over {low}" if above else f"use {kind} of at least {low}"
    return f"use {kind} of at most {high}"
