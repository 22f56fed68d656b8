"""Configuration: a TOML file plus ``RETE_*`` environment variables (which win)."""

from __future__ import annotations

import contextvars
import json
import os
import re
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    InitSettingsSource,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)
from pydantic_settings.exceptions import SettingsError

LANGUAGES: tuple[str, ...] = ("it", "en")
DEFAULT_CONFIG_FILE = Path("config.toml")
TELEGRAM_BASE_URL = "https://api.telegram.org/bot"
TOKEN_HELP = (
    "No bot token configured. Set the environment variable RETE_BOT_TOKEN "
    "(or bot_token in the config file). Telegram's @BotFather issues the token: "
    "open a chat with @BotFather, send /newbot and copy the token it gives you."
)
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
    database: Path = Path("rete.sqlite3")
    default_language: str = "it"
    default_timezone: str = "Europe/Rome"
    mode: Literal["polling", "webhook"] = "polling"
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    webhook_url: str | None = None
    webhook_path: str = "telegram"
    webhook_secret: SecretStr | None = None
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    owner_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    admin_cache_seconds: int = Field(default=300, ge=0)

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
                return json.loads(value)
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

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
        if self.bot_token is None or not self.bot_token.get_secret_value().strip():
            raise ConfigError(TOKEN_HELP)
        return self.bot_token.get_secret_value().strip()

    def require_token(self) -> None:
        """Raise ConfigError with instructions when no token is configured."""
        _ = self.token

    def masked(self) -> dict[str, Any]:
        """Return the effective settings with secrets masked, for printing."""
        data = self.model_dump(mode="json")
        data["bot_token"] = mask_token(self.bot_token.get_secret_value() if self.bot_token else "")
        data["webhook_secret"] = "***" if self.webhook_secret else None
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


def load_settings(config_file: str | Path | None = None, **overrides: Any) -> Settings:
    """Load and validate settings; raise ConfigError with a message a person can act on."""
    path = config_path(config_file)
    data: dict[str, Any] = {}
    text = ""
    if path is not None:
        data, text = _read_toml(path)
    token = _toml_data.set(data)
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise ConfigError(_explain(exc, path, data, text)) from None
    except (SettingsError, ValueError) as exc:
        raise ConfigError(f"Invalid configuration: {exc}") from None
    finally:
        _toml_data.reset(token)


def _explain(exc: ValidationError, path: Path | None, data: dict[str, Any], text: str) -> str:
    lines = []
    for error in exc.errors():
        message = error["msg"].removeprefix("Value error, ")
        if not error["loc"]:
            # A rule across several settings (webhook mode needs a URL and a secret).
            lines.append(f"{path}: {message}" if path is not None else message)
            continue
        key = ".".join(str(part) for part in error["loc"])
        if error["type"] == "extra_forbidden":
            message = "unknown setting (check the spelling against config.example.toml)"
        where = f"RETE_{key.upper()}"
        if path is not None and key in data:
            line = _line_of(key, text)
            where = f"{path}, line {line}" if line else str(path)
        elif os.environ.get(f"RETE_{key.upper()}") is None and path is not None:
            where = str(path)
        lines.append(f"{where}: {key}: {message}")
    return "Invalid configuration:\n  " + "\n  ".join(lines)
