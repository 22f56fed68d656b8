"""Pure logic: deep links, message splitting, chat settings, commands, the catalog."""

import re

import pytest

from bot.chat_settings import SettingError, effective, find_setting, parse_language, parse_timezone
from bot.commands import COMMANDS, commands_for
from bot.deeplinks import DeepLink, build_payload, parse_payload, start_link
from bot.i18n import Catalog, Html, catalog_source, pick_language
from bot.numbers import parse_number
from bot.settings import Settings
from bot.text import split_message, utf16_len


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ("privacy", DeepLink("privacy")),
        ("intro-abc_123", DeepLink("intro", "abc_123")),
        (None, None),
        ("", None),
        ("x" * 500, None),
        ("\x00\x01\xff", None),
        ("privacy<script>", None),
        ("Privacy", None),
        ("privacy-", None),
        ("a" * 21, None),
    ],
)
def test_parse_payload(payload, expected):
    assert parse_payload(payload) == expected


def test_build_payload_round_trips_and_refuses_bad():
    assert parse_payload(build_payload("intro", "42")) == DeepLink("intro", "42")
    assert start_link("rete_bot", "privacy") == "https://t.me/rete_bot?start=privacy"
    with pytest.raises(ValueError, match="payload"):
        build_payload("intro", "a b")


def test_split_message_keeps_short_text_whole():
    assert split_message("hello\nworld") == ["hello\nworld"]


def test_split_message_on_line_boundaries_within_limit():
    lines = [f"<b>line {i}</b> " + "x" * 50 for i in range(200)]
    parts = split_message("\n".join(lines), limit=1000)
    assert len(parts) > 1
    assert all(utf16_len(part) <= 1000 for part in parts)
    assert "\n".join(parts).split("\n") == lines
    for part in parts:
        assert part.count("<b>") == part.count("</b>")


def test_split_message_counts_utf16_and_cuts_long_lines():
    emoji_line = "🤝" * 3000  # 6000 UTF-16 units, no spaces
    parts = split_message(emoji_line)
    assert all(utf16_len(part) <= 4096 for part in parts)
    assert "".join(parts) == emoji_line
    words = "parola " * 1000
    parts = split_message(words.strip(), limit=100)
    assert all(utf16_len(part) <= 100 for part in parts)
    assert " ".join(parts).split() == words.split()


@pytest.mark.parametrize(
    ("code", "expected"),
    [("it", "it"), ("it-IT", "it"), ("en-GB", "en"), ("EN", "en"), ("de", "it"), (None, "it")],
)
def test_pick_language(code, expected):
    assert pick_language(code, "it") == expected


def test_settings_parsers():
    assert parse_language(" IT ") == "it"
    assert parse_timezone("europe/rome") == "Europe/Rome"
    assert parse_timezone("UTC") == "UTC"
    with pytest.raises(SettingError) as error:
        parse_timezone("Mars/Phobos")
    assert error.value.key == "settings-bad-timezone"
    with pytest.raises(SettingError) as error:
        parse_language("xx")
    assert error.value.args_["value"] == "xx"
    assert find_setting("lingua") is find_setting("language")
    assert find_setting("fuso") is find_setting("timezone")
    assert find_setting("colour") is None


def test_effective_prefs_fall_back_to_defaults():
    defaults = Settings(default_language="en", default_timezone="UTC")
    prefs = effective({}, defaults)
    assert (prefs.language, prefs.timezone, prefs.topic_id) == ("en", "UTC", None)
    prefs = effective({"language": "it", "timezone": "Europe/Rome", "topic": 7}, defaults)
    assert (prefs.language, prefs.timezone, prefs.topic_id) == ("it", "Europe/Rome", 7)


def test_commands_for_places_and_admins():
    assert [c.name for c in commands_for("private")][:3] == ["start", "help", "privacy"]
    assert "thanks" not in [c.name for c in commands_for("private")]
    assert "settings" not in [c.name for c in commands_for("group")]
    assert "settings" in [c.name for c in commands_for("group", admin=True)]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog()


def test_catalogs_define_the_same_messages(catalog):
    assert catalog.ids("it") == catalog.ids("en")
    for command in COMMANDS:
        for language in catalog.languages:
            description = catalog.text(language, command.description_key)
            # Telegram: command descriptions are 1-256 characters.
            assert 1 <= len(description) <= 256


def _variables(language: str, key: str) -> set[str]:
    source = catalog_source(language)
    block = re.search(rf"^{re.escape(key)} =(.*?)(?=^\S|\Z)", source, re.S | re.M)
    assert block is not None
    return set(re.findall(r"\{ *\$(\w+)", block.group(1)))


def test_catalogs_use_the_same_variables(catalog):
    for key in catalog.ids("en"):
        assert _variables("en", key) == _variables("it", key), key


def test_catalog_escapes_arguments_but_not_html(catalog):
    text = catalog.text("en", "start-welcome", name="<b>&\"'</b>")
    assert "&lt;b&gt;&amp;\"'&lt;/b&gt;" in text
    line = catalog.text("en", "help-line", command="x", description=Html("<i>ok</i>"))
    assert line == "/x — <i>ok</i>"


def test_catalog_plurals_in_both_languages(catalog):
    one = catalog.text("it", "privacy-group-line", title="G", since="oggi", messages=1)
    many = catalog.text("it", "privacy-group-line", title="G", since="oggi", messages=1500)
    assert "un messaggio contato" in one
    assert "1.500 messaggi contati" in many
    assert "one message counted" in catalog.text(
        "en", "privacy-group-line", title="G", since="today", messages=1
    )


def test_catalog_missing_key_is_an_error(catalog):
    with pytest.raises(KeyError):
        catalog.text("en", "no-such-message")


@pytest.mark.parametrize(
    ("raw", "signed", "expected"),
    [
        ("42", False, 42),
        ("007", False, 7),
        ("-1001234", True, -1001234),
        ("-5", False, None),
        ("²", False, None),  # str.isdigit() says yes, int() fails
        ("٣", False, None),  # int() reads Arabic-Indic digits as 3
        ("３", False, None),  # and full-width ones
        ("1_000", False, None),
        ("+5", True, None),
        (" 5", False, None),
        ("", False, None),
        ("-", True, None),
        ("9" * 18, False, 10**18 - 1),
        ("9" * 19, False, None),
    ],
)
def test_parse_number_takes_ascii_digits_only(raw, signed, expected):
    assert parse_number(raw, signed=signed) == expected


@pytest.mark.parametrize(
    "raw", ["<" * 2000, "Europe/" + "x" * 300, "../../etc/passwd", "a\x00b", "٣"]
)
def test_a_time_zone_that_cannot_be_one_is_refused(raw):
    with pytest.raises(SettingError) as error:
        parse_timezone(raw)
    assert error.value.key == "settings-bad-timezone"
