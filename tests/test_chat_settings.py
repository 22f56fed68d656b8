"""Per-chat settings as admins type them (both languages) and as the panel's buttons carry them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.chat_settings import (
    CALLBACK_LIMIT,
    FEATURES,
    KNOBS,
    SETTINGS,
    SettingError,
    effective,
    fold,
    panel_data,
    panel_expired,
    parse_cadence,
    parse_days,
    parse_language,
    parse_panel_data,
    parse_switch,
    parse_weekday,
)
from bot.settings import Settings

DEFAULTS = Settings(default_language="it", default_timezone="Europe/Rome")


@pytest.mark.parametrize(
    ("typed", "on"),
    [
        ("on", True),
        ("ON", True),
        ("sì", True),
        ("Sì", True),
        ("SÌ", True),
        ("si", True),
        ("yes", True),
        ("acceso", True),
        ("Accesa", True),
        ("attivo", True),
        ("  attiva ", True),
        ("off", False),
        ("Off", False),
        ("no", False),
        ("NO", False),
        ("spento", False),
        ("spenta", False),
        ("disattivato", False),
    ],
)
def test_switch_words_in_both_languages(typed, on):
    assert parse_switch(typed) is on


@pytest.mark.parametrize("typed", ["", "forse", "maybe", "¹", "sìì", "o n", "acces", "2"])
def test_switch_refuses_other_words(typed):
    with pytest.raises(SettingError) as error:
        parse_switch(typed)
    assert error.value.key == "settings-bad-switch"


@pytest.mark.parametrize(
    ("typed", "language"),
    [
        ("it", "it"),
        ("IT", "it"),
        ("italiano", "it"),
        ("Italiano", "it"),
        ("italian", "it"),
        ("en", "en"),
        ("English", "en"),
        ("inglese", "en"),
        ("INGLESE", "en"),
    ],
)
def test_language_codes_and_names(typed, language):
    assert parse_language(typed) == language


@pytest.mark.parametrize("typed", ["xx", "de", "deutsch", "francese", "", "<b>", "itt"])
def test_other_languages_are_refused(typed):
    with pytest.raises(SettingError) as error:
        parse_language(typed)
    assert error.value.key == "settings-bad-language"


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("lunedì", 0),
        ("lunedi", 0),
        ("Lunedì", 0),
        ("LUNEDÌ", 0),
        ("lunedi'", 0),
        ("lun", 0),
        ("Mon", 0),
        ("martedì", 1),
        ("mar", 1),
        ("mercoledì", 2),
        ("MER", 2),
        ("giovedì", 3),
        ("gio", 3),
        ("thurs", 3),
        ("venerdì", 4),
        ("Ven", 4),
        ("sabato", 5),
        ("sab", 5),
        ("domenica", 6),
        ("Dom", 6),
        ("Sunday", 6),
    ],
)
def test_weekdays_in_both_languages(typed, day):
    assert parse_weekday(typed) == day


@pytest.mark.parametrize("typed", ["", "lu", "lunedìì", "funday", "7", "٣", "dimanche", "l u n"])
def test_other_weekdays_are_refused(typed):
    with pytest.raises(SettingError) as error:
        parse_weekday(typed)
    assert error.value.key == "settings-bad-weekday"


@pytest.mark.parametrize(
    ("typed", "days"),
    [
        ("lun,gio", {0, 3}),
        ("Lunedì, Giovedì", {0, 3}),
        ("lunedi' giovedi'", {0, 3}),
        ("MAR VEN", {1, 4}),
        ("Feriali", set(range(5))),
        ("giorni feriali", set(range(5))),
        ("Tutti i giorni", set(range(7))),
        ("fine  settimana", {5, 6}),
    ],
)
def test_days_in_both_languages(typed, days):
    assert parse_days(typed) == frozenset(days)


@pytest.mark.parametrize(("typed", "weeks"), [("Settimanale", 1), ("OGNI 2", 2), ("Mensile", 4)])
def test_cadence_any_case(typed, weeks):
    assert parse_cadence(typed) == weeks


def test_fold_drops_accents_but_never_makes_digits():
    assert fold("  PerChÉ  Sì ") == "perche si"
    assert fold("²") == "²"
    assert fold("５") == "５"


# ---- the panel's buttons -------------------------------------------------------------------


def test_every_choice_of_every_page_is_a_value_its_setting_accepts():
    prefs = effective({}, DEFAULTS)
    for page, knobs in FEATURES.items():
        for name in knobs:
            knob = KNOBS[name]
            for choice in knob.choices:
                SETTINGS[knob.setting].parse(knob.typed(choice, prefs))
                data = panel_data(-1001234567890, "set", name, choice)
                assert len(data.encode()) <= CALLBACK_LIMIT
                tap = parse_panel_data(data)
                assert tap is not None, data
                assert (tap.page, tap.knob, tap.choice) == (page, knob, choice)


def test_every_panel_row_is_on_one_page():
    rows = [name for knobs in FEATURES.values() for name in knobs]
    assert sorted(rows) == sorted(KNOBS)


@pytest.mark.parametrize(
    "data",
    [
        "st:-1001:h",
        "st:-1001:x",
        "st:-1001:t",
        "st:-1001:p:recap",
        "st:-1001:s:recaptime:18:00",
        "st:-1001:s:promptdays:mon,thu",
    ],
)
def test_panel_data_the_panel_sends(data):
    tap = parse_panel_data(data)
    assert tap is not None
    assert tap.chat_id == -1001


@pytest.mark.parametrize(
    "data",
    [
        "st:1001:h",  # a private chat
        "st:0:h",
        "st:+1001:h",
        "st:-١٠٠١:h",
        "st:-1001²:h",
        "st:-1001",
        "st:-1001:",
        "st:-1001:h:",
        "st:-1001:h:1",
        "st:-1001:H",
        "st:-1001:p:",
        "st:-1001:p:Recap",
        "st:-1001:s:quota:50",
        "st:-1001:s:quota:05",
        "st:-1001:s:quota: 5",
        "st:-1001:s:recapday:lun",
        "st:-1001:s:recaptime:18.00",
        "st:-1001:s:timezone:UTC",
        "st:-1001:s:language:fr",
        "st:-1001:s:language",
        "st:-1001:s:language:en:x",
        "xx:-1001:h",
        "st:-1001:s:recaptime:" + "1" * 60,
        "st:-" + "9" * 19 + ":h",
    ],
)
def test_panel_data_no_panel_sends(data):
    assert parse_panel_data(data) is None


def test_a_panel_lasts_a_day():
    sent = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    assert not panel_expired(sent, sent + timedelta(hours=23, minutes=59))
    assert panel_expired(sent, sent + timedelta(hours=24, seconds=1))
    # Telegram dates an inaccessible message 0: no panel of unknown age acts.
    assert panel_expired(datetime(1970, 1, 1, tzinfo=UTC), sent)
