"""Configuration: TOML file, RETE_* overrides, and messages a person can act on."""

from pathlib import Path

import pytest

from bot.settings import ConfigError, Settings, load_settings, mask_token

EXAMPLE = Path(__file__).parent.parent / "config.example.toml"


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
    path = write(tmp_path, 'bot_token = "1:file"\ndefault_language = "it"\n')
    monkeypatch.setenv("RETE_BOT_TOKEN", "2:env")
    monkeypatch.setenv("RETE_DEFAULT_LANGUAGE", "en")
    monkeypatch.setenv("RETE_API_BASE_URL", "http://127.0.0.1:8081/bot")
    settings = load_settings(path)
    assert settings.token == "2:env"
    assert settings.default_language == "en"
    assert settings.api_base_url == "http://127.0.0.1:8081/bot"


def test_rete_config_env_names_the_file(tmp_path, monkeypatch):
    path = tmp_path / "elsewhere.toml"
    path.write_text('database = "x.db"\n', encoding="utf-8")
    monkeypatch.setenv("RETE_CONFIG", str(path))
    assert load_settings().database == Path("x.db")


def test_config_toml_in_working_directory_is_read(tmp_path):
    write(tmp_path, 'default_timezone = "UTC"\n')
    assert load_settings().default_timezone == "UTC"


def test_no_config_file_uses_defaults():
    settings = load_settings()
    assert settings.mode == "polling"
    assert settings.database == Path("rete.sqlite3")


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
    path = write(tmp_path, '# comment\nbot_token = "1:x"\ndefault_timezone = "Mars/Phobos"\n')
    with pytest.raises(ConfigError) as error:
        load_settings(path)
    message = str(error.value)
    assert "Mars/Phobos" in message
    assert "line 3" in message
    assert "Europe/Rome" in message


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
    settings = load_settings(bot_token="123456:SECRET-PART", webhook_secret="hush")
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
