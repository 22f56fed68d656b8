"""Configuration: TOML file, RETE_* overrides, and messages a person can act on."""

from pathlib import Path

import pytest

from bot.settings import ConfigError, Settings, load_settings, mask_token

EXAMPLE = Path(__file__).parent.parent / "config.example.toml"
# Well-formed tokens (digits, a colon, 30 or more of [A-Za-z0-9_-]), as @BotFather makes them.
FILE_TOKEN = "1:AAH-token-from-the-file-abcdefghijkl"
ENV_TOKEN = "2:AAH-token-from-the-environment-abcde"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    for name in list(__import__("os").environ):
        if name.startswith("RETE_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_example_config_is_valid_and_documented():
    settings = load_settings(EXAMPLE)
    assert settings.default_language == "it"
    assert settings.default_timezone == "Europe/Rome"
    text = EXAMPLE.read_text(encoding="utf-8")
    for key in Settings.model_fields:
        assert f"{key} =" in text, f"config.example.toml does not document {key}"


def test_env_overrides_file(tmp_path, monkeypatch):
    path = write(tmp_path, f'bot_token = "{FILE_TOKEN}"\ndefault_language = "it"\n')
    monkeypatch.setenv("RETE_BOT_TOKEN", ENV_TOKEN)
    monkeypatch.setenv("RETE_DEFAULT_LANGUAGE", "en")
    monkeypatch.setenv("RETE_API_BASE_URL", "http://127.0.0.1:8081/bot")
    settings = load_settings(path)
    assert settings.token == ENV_TOKEN
    assert settings.default_language == "en"
    assert settings.api_base_url == "http://127.0.0.1:8081/bot"


def test_rete_config_env_names_the_file(tmp_path, monkeypatch):
    path = tmp_path / "elsewhere.toml"
    path.write_text('database = "x.db"\n', encoding="utf-8")
    monkeypatch.setenv("RETE_CONFIG", str(path))
    assert load_settings().database == "x.db"


def test_config_toml_in_working_directory_is_read(tmp_path):
    write(tmp_path, 'default_timezone = "UTC"\n')
    assert load_settings().default_timezone == "UTC"


def test_no_config_file_uses_defaults():
    settings = load_settings()
    assert settings.mode == "polling"
    assert settings.database == "rete.sqlite3"


def test_owner_ids_from_comma_separated_env(monkeypatch):
    monkeypatch.setenv("RETE_OWNER_IDS", "12, 34")
    assert load_settings().owner_ids == [12, 34]


def test_missing_token_says_which_variable_and_botfather():
    settings = load_settings()
    with pytest.raises(ConfigError) as error:
        settings.require_token()
    assert "RETE_BOT_TOKEN" in str(error.value)
    assert "BotFather" in str(error.value)


def test_unknown_timezone_names_value_line_and_form(tmp_path):
    path = write(
        tmp_path, f'# comment\nbot_token = "{FILE_TOKEN}"\ndefault_timezone = "Mars/Phobos"\n'
    )
    with pytest.raises(ConfigError) as error:
        load_settings(path)
    message = str(error.value)
    assert message == (
        f"{path}, line 3: default_timezone: unknown time zone 'Mars/Phobos': "
        "use an IANA name such as 'Europe/Rome' or 'UTC'"
    )


def test_unknown_language_names_value_and_allowed(monkeypatch):
    monkeypatch.setenv("RETE_DEFAULT_LANGUAGE", "xx")
    with pytest.raises(ConfigError) as error:
        load_settings()
    assert "'xx'" in str(error.value)
    assert "it, en" in str(error.value)
    assert "RETE_DEFAULT_LANGUAGE" in str(error.value)


def test_malformed_toml_names_file_and_line(tmp_path):
    path = write(tmp_path, 'bot_token = "1:x"\ndatabase = \n')
    with pytest.raises(ConfigError) as error:
        load_settings(path)
    assert str(path) in str(error.value)
    assert "line 2" in str(error.value)


def test_missing_config_file_is_named(tmp_path):
    with pytest.raises(ConfigError) as error:
        load_settings(tmp_path / "nope.toml")
    assert "nope.toml" in str(error.value)
    assert "not found" in str(error.value)


def test_unknown_key_is_reported(tmp_path):
    path = write(tmp_path, 'bot_tokn = "1:x"\n')
    with pytest.raises(ConfigError) as error:
        load_settings(path)
    assert "bot_tokn" in str(error.value)
    assert "line 1" in str(error.value)


def test_webhook_mode_needs_url(monkeypatch):
    monkeypatch.setenv("RETE_MODE", "webhook")
    with pytest.raises(ConfigError) as error:
        load_settings()
    assert "webhook_url" in str(error.value)


def test_webhook_mode_needs_a_secret_and_says_how_to_make_one(monkeypatch, tmp_path):
    path = write(tmp_path, 'mode = "webhook"\nwebhook_url = "https://bot.example.org/telegram"\n')
    with pytest.raises(ConfigError) as error:
        load_settings(path)
    message = str(error.value)
    assert "webhook_secret is not set" in message
    assert "RETE_WEBHOOK_SECRET" in message
    assert 'python3 -c "import secrets; print(secrets.token_urlsafe(32))"' in message
    assert "settings:" not in message, "a rule across settings names no single key"
    monkeypatch.setenv("RETE_WEBHOOK_SECRET", "Xy_-0123456789abcdefghijklmnopqrstuvwxyzABC")
    assert load_settings(path).webhook_secret is not None


def test_bad_webhook_secret_is_refused(monkeypatch):
    monkeypatch.setenv("RETE_WEBHOOK_SECRET", "has spaces!")
    with pytest.raises(ConfigError, match="webhook_secret"):
        load_settings()


def test_masked_never_shows_the_token():
    settings = load_settings(
        bot_token="123456:SECRET-PART-abcdefghijklmnopqrstu", webhook_secret="hush"
    )
    masked = settings.masked()
    assert masked["bot_token"] == "123456:***"
    assert masked["webhook_secret"] == "***"
    assert "SECRET-PART" not in repr(settings)
    assert "SECRET-PART" not in str(masked)


@pytest.mark.parametrize(
    ("token", "shown"), [("", "(not set)"), ("123:abc", "123:***"), ("garbage", "***")]
)
def test_mask_token(token, shown):
    assert mask_token(token) == shown


@pytest.mark.parametrize(
    "token",
    [
        "<token from @BotFather>",  # the README's placeholder, pasted as it is
        "123456789",
        "123456789:short-SECRET",
        "bot123:AAH-SECRET-abcdefghijklmnopqrstuvwxyz",
        "123456789:AAH SECRET abcdefghijklmnopqrstuvwxyz",
        "123456789:AAH-SECRET-abcdefghijklmnopqrstuvwxyz:extra",
    ],
)
def test_a_token_that_cannot_be_one_is_refused_with_the_expected_form(monkeypatch, token):
    monkeypatch.setenv("RETE_BOT_TOKEN", token)
    with pytest.raises(ConfigError) as error:
        load_settings()
    message = str(error.value)
    assert message.startswith("RETE_BOT_TOKEN: this is not a bot token")
    assert "123456789:AA…" in message
    assert "30 or more letters, digits, _ or -" in message
    assert "SECRET" not in message, "the value is never shown"
    assert "<token" not in message


def test_a_token_in_the_file_is_checked_too_and_pasted_whitespace_is_dropped(
    tmp_path, monkeypatch
):
    path = write(tmp_path, 'bot_token = "42:AAH-SECRET"\n')
    with pytest.raises(ConfigError) as error:
        load_settings(path)
    assert str(error.value).startswith(f"{path}, line 1: bot_token: this is not a bot token")
    assert "SECRET" not in str(error.value)
    monkeypatch.setenv("RETE_BOT_TOKEN", f"  {ENV_TOKEN}\n")
    assert load_settings(path).token == ENV_TOKEN, "the environment wins, trimmed"
    monkeypatch.setenv("RETE_BOT_TOKEN", "  ")
    assert not load_settings(path).has_token, "a blank variable still wins: no token"


def test_an_environment_variable_is_named_not_the_files_line(tmp_path, monkeypatch):
    path = write(tmp_path, 'default_timezone = "Europe/Rome"\nwebhook_port = 8443\n')
    monkeypatch.setenv("RETE_DEFAULT_TIMEZONE", "Mars/Phobos")
    monkeypatch.setenv("rete_webhook_port", "80000")  # any case, as the settings read it
    with pytest.raises(ConfigError) as error:
        load_settings(path)
    assert str(error.value).splitlines() == [
        "RETE_DEFAULT_TIMEZONE: unknown time zone 'Mars/Phobos': use an IANA name such as "
        "'Europe/Rome' or 'UTC'",
        "rete_webhook_port: '80000' is out of range: use a whole number from 1 to 65535",
    ]


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("RETE_WEBHOOK_PORT", "abc", "RETE_WEBHOOK_PORT: 'abc' is not a whole number"),
        ("RETE_MODE", "push", "RETE_MODE: 'push' is not one of polling, webhook"),
        (
            "RETE_LOG_LEVEL",
            "loud",
            "RETE_LOG_LEVEL: 'LOUD' is not one of DEBUG, INFO, WARNING, ERROR",
        ),
        (
            "RETE_ADMIN_CACHE_SECONDS",
            "-1",
            "RETE_ADMIN_CACHE_SECONDS: '-1' is out of range: use a whole number of at least 0",
        ),
        ("RETE_POLL_INTERVAL", "soon", "RETE_POLL_INTERVAL: 'soon' is not a number"),
        (
            "RETE_POLL_INTERVAL",
            "5",
            "RETE_POLL_INTERVAL: '5' is out of range: use a number from 0 to 1",
        ),
        (
            "RETE_LEADER_RETRY_SECONDS",
            "0",
            "RETE_LEADER_RETRY_SECONDS: '0' is out of range: use a number over 0 and at most 30",
        ),
        ("RETE_OWNER_IDS", "12,ada", "RETE_OWNER_IDS: 'ada' is not a whole number"),
        (
            "RETE_OWNER_IDS",
            "[12,",
            "RETE_OWNER_IDS: '[12,' is not a list of Telegram user ids: write them as 12,34 "
            "or [12, 34]",
        ),
        (
            "RETE_API_BASE_URL",
            "api.telegram.org",
            "RETE_API_BASE_URL: 'api.telegram.org' is not a URL",
        ),
        (
            "RETE_BOT_TOKN",
            "x",
            "RETE_BOT_TOKN: not a Rete setting (check the spelling against config.example.toml)",
        ),
    ],
)
def test_every_mistake_is_one_readable_line_naming_its_variable(
    monkeypatch, variable, value, expected
):
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as error:
        load_settings()
    message = str(error.value)
    assert len(message.splitlines()) == 1
    assert message.startswith(expected)
    for raw in ("Input should", "Value error", "pydantic", "validation error"):
        assert raw not in message


def test_file_mistakes_say_what_to_write(tmp_path):
    path = write(tmp_path, 'default_timezone = 3\nowner_ids = 12\nwebhook_port = "x"\n')
    with pytest.raises(ConfigError) as error:
        load_settings(path)
    assert str(error.value).splitlines() == [
        f"{path}, line 1: default_timezone: write it as text, in quotes",
        f"{path}, line 3: webhook_port: 'x' is not a whole number",
        f"{path}, line 2: owner_ids: write a list such as [12, 34]",
    ]


def test_a_missing_token_is_one_of_the_mistakes_when_it_is_needed(monkeypatch):
    monkeypatch.setenv("RETE_DEFAULT_LANGUAGE", "fr")
    with pytest.raises(ConfigError) as error:
        load_settings(token_needed=True)
    first, second = str(error.value).splitlines()
    assert first.startswith("RETE_DEFAULT_LANGUAGE: unknown language 'fr'")
    assert second.startswith(
        "No bot token configured. Set the environment variable RETE_BOT_TOKEN"
    )
    with pytest.raises(ConfigError) as error:
        load_settings()
    assert "RETE_BOT_TOKEN" not in str(error.value), "only asked for when needed"
    monkeypatch.delenv("RETE_DEFAULT_LANGUAGE")
    assert not load_settings(token_needed=True).has_token, "alone, the caller reports it"


def test_a_rule_across_settings_is_where_the_mode_was_chosen(tmp_path, monkeypatch):
    monkeypatch.setenv("RETE_MODE", "webhook")
    with pytest.raises(ConfigError) as error:
        load_settings()
    assert str(error.value).startswith("RETE_MODE: mode is 'webhook' but webhook_url is not set")
    path = write(tmp_path, 'log_level = "INFO"\nmode = "webhook"\n')
    monkeypatch.delenv("RETE_MODE")
    with pytest.raises(ConfigError) as error:
        load_settings(path)
    assert str(error.value).startswith(f"{path}, line 2: mode is 'webhook' but webhook_url")
