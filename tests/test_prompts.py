"""Prompts, pure logic: rotation, quiet hours, holding while busy, settings, schedule in UTC."""

import itertools
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.chat_settings import (
    SettingError,
    effective,
    find_setting,
    parse_prompt_schedule,
    parse_quiet_hours,
)
from bot.i18n import Catalog
from bot.prompts import (
    BUILTIN_COUNT,
    DEFAULT_QUIET_HOURS,
    HOLD_LIMIT,
    QuietHours,
    builtin_catalog_id,
    builtin_keys,
    custom_key,
    decide,
    deck_order,
    next_prompt,
    next_retry,
    page_count,
    preview,
    quiet_hours_from_setting,
)
from bot.settings import Settings
from handlers import scheduling
from handlers.prompts import JOB

ROME = ZoneInfo("Europe/Rome")
NEW_YORK = ZoneInfo("America/New_York")
SETTINGS = Settings(
    bot_token="1:AAH-a-well-formed-token-for-tests-0",
    default_language="it",
    default_timezone="Europe/Rome",
)


# ---- quiet hours --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "quiet"),
    [
        (time(21, 59), False),
        (time(22, 0), True),
        (time(23, 30), True),
        (time(0, 0), True),
        (time(7, 59), True),
        (time(8, 0), False),
        (time(12, 0), False),
    ],
)
def test_default_quiet_hours_cross_midnight(moment, quiet):
    assert DEFAULT_QUIET_HOURS.contains(moment) is quiet


def test_quiet_hours_within_a_day_and_stored_form():
    lunch = QuietHours(time(13, 0), time(14, 30))
    assert lunch.contains(time(13, 0))
    assert lunch.contains(time(14, 29))
    assert not lunch.contains(time(14, 30))
    assert not lunch.contains(time(23, 0))
    assert quiet_hours_from_setting(lunch.to_setting()) == lunch
    assert quiet_hours_from_setting("off") is None
    assert str(DEFAULT_QUIET_HOURS) == "22:00–08:00"


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("22:00-08:00", "22:00-08:00"),
        ("22-8", "22:00-08:00"),
        ("23.30 – 7", "23:30-07:00"),
        ("13:00 14:30", "13:00-14:30"),
        ("off", "off"),
        ("No", "off"),
    ],
)
def test_parse_quiet_hours(raw, stored):
    assert parse_quiet_hours(raw) == stored


@pytest.mark.parametrize("raw", ["", "22:00", "25:00-08:00", "22:00-22:00", "night", "1-2-3"])
def test_parse_quiet_hours_refuses(raw):
    with pytest.raises(SettingError) as error:
        parse_quiet_hours(raw)
    assert error.value.key == "prompts-bad-quiet"


# ---- the schedule setting -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("mon,thu 09:30", {"days": [0, 3], "at": "09:30"}),
        ("lun gio 9.30", {"days": [0, 3], "at": "09:30"}),
        ("ogni giorno 18", {"days": [0, 1, 2, 3, 4, 5, 6], "at": "18:00"}),
        ("feriali 8:05", {"days": [0, 1, 2, 3, 4], "at": "08:05"}),
    ],
)
def test_parse_prompt_schedule(raw, stored):
    assert parse_prompt_schedule(raw) == stored


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("funday 25:00", "settings-bad-days"),
        ("mon 25:00", "settings-bad-time"),
        ("mon,thu,mon 09:30", "settings-days-twice"),
        ("09:30", "prompts-schedule-usage"),
        ("", "prompts-schedule-usage"),
    ],
)
def test_parse_prompt_schedule_refuses(raw, key):
    with pytest.raises(SettingError) as error:
        parse_prompt_schedule(raw)
    assert error.value.key == key


def test_prompt_settings_defaults_and_stored_values():
    prefs = effective({}, SETTINGS)
    assert prefs.prompts is False
    assert prefs.prompt_days == frozenset({0, 3})
    assert prefs.prompt_time == time(10, 0)
    assert prefs.quiet_hours == DEFAULT_QUIET_HOURS
    assert (prefs.prompt_pin, prefs.prompt_busy, prefs.prompt_topic_id) == (False, 10, None)
    assert JOB.schedule(prefs) is None, "off: nothing scheduled"
    stored = {
        "prompts": True,
        "promptschedule": {"days": [4], "at": "18:15"},
        "quiethours": "off",
        "promptpin": True,
        "promptbusy": 25,
        "prompttopic": 7,
    }
    prefs = effective(stored, SETTINGS)
    assert (prefs.prompt_days, prefs.prompt_time) == (frozenset({4}), time(18, 15))
    assert prefs.quiet_hours is None
    assert (prefs.prompt_pin, prefs.prompt_busy, prefs.prompt_topic_id) == (True, 25, 7)
    assert find_setting("spunti") is find_setting("prompts")
    assert find_setting("silenzio") is find_setting("quiethours")


# ---- the schedule in UTC, across daylight-saving changes -----------------------------------


def _prefs(timezone: str, days: list[int], at: str):
    stored = {"prompts": True, "timezone": timezone, "promptschedule": {"days": days, "at": at}}
    return effective(stored, SETTINGS)


def _slots(prefs, start: datetime, count: int) -> list[datetime]:
    found, moment = [], start
    for _ in range(count):
        slot = scheduling.upcoming(JOB, prefs, moment)
        assert slot is not None
        found.append(slot)
        moment = slot
    return found


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_rome_schedule_keeps_local_time_across_the_march_change():
    prefs = _prefs("Europe/Rome", [0, 3], "09:30")
    # Thursday 26 March is still winter time (UTC+1), Monday 30 March summer time (UTC+2).
    assert _slots(prefs, utc(2026, 3, 24), 3) == [
        utc(2026, 3, 26, 8, 30),
        utc(2026, 3, 30, 7, 30),
        utc(2026, 4, 2, 7, 30),
    ]


def test_rome_schedule_keeps_local_time_across_the_october_change():
    prefs = _prefs("Europe/Rome", [0, 3], "09:30")
    assert _slots(prefs, utc(2026, 10, 20), 3) == [
        utc(2026, 10, 22, 7, 30),
        utc(2026, 10, 26, 8, 30),
        utc(2026, 10, 29, 8, 30),
    ]


def test_rome_sunday_slot_inside_the_changes_themselves():
    prefs = effective(
        {
            "prompts": True,
            "quiethours": "off",
            "promptschedule": {"days": [6], "at": "02:30"},
        },
        SETTINGS,
    )
    # 02:30 does not exist on 29 March (moves to 03:30 summer time); on 25 October it
    # happens twice and the first one counts: each Sunday gets exactly one slot.
    assert _slots(prefs, utc(2026, 3, 28), 1) == [utc(2026, 3, 29, 1, 30)]
    assert _slots(prefs, utc(2026, 10, 24), 2) == [
        utc(2026, 10, 25, 0, 30),
        utc(2026, 11, 1, 1, 30),
    ]


def test_new_york_changes_on_other_dates_than_rome():
    # The US moves its clocks on 8 March and 1 November 2026: a group there keeps 09:30
    # local while the UTC instant moves, on weeks where Rome's does not.
    prefs = _prefs("America/New_York", [0, 3], "09:30")
    assert _slots(prefs, utc(2026, 3, 4), 3) == [
        utc(2026, 3, 5, 14, 30),
        utc(2026, 3, 9, 13, 30),
        utc(2026, 3, 12, 13, 30),
    ]
    assert _slots(prefs, utc(2026, 10, 28), 3) == [
        utc(2026, 10, 29, 13, 30),
        utc(2026, 11, 2, 14, 30),
        utc(2026, 11, 5, 14, 30),
    ]
    rome = _prefs("Europe/Rome", [0, 3], "09:30")
    assert _slots(rome, utc(2026, 3, 4), 1) == [utc(2026, 3, 5, 8, 30)]


def test_tokyo_has_no_daylight_saving():
    prefs = _prefs("Asia/Tokyo", [2], "09:30")
    assert _slots(prefs, utc(2026, 3, 20), 2) == [utc(2026, 3, 25, 0, 30), utc(2026, 4, 1, 0, 30)]


# ---- rotation -----------------------------------------------------------------------------


def play(custom, builtin, posts: int, seed: int = -100):
    """Post ``posts`` prompts one after the other; return the keys in order."""
    used: set[str] = set()
    cycle, last = 0, None
    keys = []
    for _ in range(posts):
        pick = next_prompt(custom, builtin, used=used, cycle=cycle, last=last, seed=seed)
        assert pick is not None
        if pick.cycle != cycle:
            used, cycle = set(), pick.cycle
        used.add(pick.key)
        last = pick.key
        keys.append(pick.key)
    return keys


def test_custom_prompts_first_then_no_repeat_until_the_deck_is_used():
    custom = [custom_key(7), custom_key(9)]
    builtin = builtin_keys()
    keys = play(custom, builtin, 2 + BUILTIN_COUNT)
    assert keys[:2] == custom
    assert sorted(keys[2:]) == sorted(builtin)
    assert len(set(keys)) == len(keys), "nothing repeats within a cycle"


def test_a_new_cycle_starts_again_with_custom_prompts_and_never_repeats_back_to_back():
    custom = [custom_key(1)]
    builtin = builtin_keys(count=3)
    keys = play(custom, builtin, 12)
    for start in range(0, 12, 4):
        cycle = keys[start : start + 4]
        assert cycle[0] == "c1"
        assert sorted(cycle) == sorted([*custom, *builtin])
    assert all(a != b for a, b in itertools.pairwise(keys))


def test_next_cycle_skips_the_last_prompt_when_it_would_come_first():
    builtin = ["b1", "b2"]
    order = deck_order([], builtin, seed=5, cycle=1)
    last = order[0]
    pick = next_prompt([], builtin, used={"b1", "b2"}, cycle=0, last=last, seed=5)
    assert pick is not None
    assert pick.cycle == 1
    assert pick.key != last


def test_a_prompt_added_mid_cycle_goes_next():
    builtin = builtin_keys(count=5)
    pick = next_prompt(["c3"], builtin, used={"b1", "b2"}, cycle=4, last="b2", seed=1)
    assert pick is not None
    assert (pick.key, pick.cycle) == ("c3", 4)


def test_order_is_reproducible_per_group_and_cycle_and_differs_between_groups():
    builtin = builtin_keys()
    assert deck_order([], builtin, 1, 0) == deck_order([], builtin, 1, 0)
    assert deck_order([], builtin, 1, 0) != deck_order([], builtin, 2, 0)
    assert deck_order([], builtin, 1, 0) != deck_order([], builtin, 1, 1)


def test_retired_built_ins_and_empty_deck():
    assert "b3" not in builtin_keys(retired={3})
    assert len(builtin_keys(retired={3})) == BUILTIN_COUNT - 1
    assert next_prompt([], [], used=set(), cycle=0, last=None, seed=1) is None


def test_built_in_decks_exist_in_both_languages_and_differ():
    catalog = Catalog()
    italian = [catalog.text("it", builtin_catalog_id(n)) for n in range(1, BUILTIN_COUNT + 1)]
    english = [catalog.text("en", builtin_catalog_id(n)) for n in range(1, BUILTIN_COUNT + 1)]
    assert BUILTIN_COUNT >= 30
    assert len(set(italian)) == len(set(english)) == BUILTIN_COUNT
    assert not set(italian) & set(english)
    for text in italian + english:
        assert not set(text) & set("<>&"), "built-ins are plain text, stored as posted"
    assert any("/interests" in text for text in english)
    assert any("/suggerisci" in text for text in italian)


def test_preview_and_pages():
    assert preview("  a\n b  ") == "a b"
    assert preview("x" * 500, limit=10) == "x" * 9 + "…"
    assert (page_count(0), page_count(10), page_count(11)) == (1, 1, 2)


# ---- posting well -------------------------------------------------------------------------

SLOT = utc(2026, 11, 23, 8, 30)  # Monday 09:30 in Rome


def test_a_quiet_group_gets_its_prompt_at_the_slot():
    decision = decide(
        SLOT, SLOT, ROME, quiet=DEFAULT_QUIET_HOURS, recent_messages=0, busy_threshold=10
    )
    assert decision.action == "post"
    at_threshold = decide(
        SLOT, SLOT, ROME, quiet=DEFAULT_QUIET_HOURS, recent_messages=10, busy_threshold=10
    )
    assert at_threshold.action == "post", "busy means more than the threshold"


@pytest.mark.parametrize(
    ("late", "retry"),
    [
        (timedelta(0), timedelta(minutes=15)),
        (timedelta(minutes=1), timedelta(minutes=15)),
        (timedelta(minutes=15), timedelta(minutes=30)),
        (timedelta(minutes=44), timedelta(minutes=45)),
        (timedelta(minutes=110), timedelta(hours=2)),
    ],
)
def test_busy_group_holds_in_quarter_hour_steps(late, retry):
    decision = decide(
        SLOT, SLOT + late, ROME, quiet=DEFAULT_QUIET_HOURS, recent_messages=11, busy_threshold=10
    )
    assert decision.action == "hold"
    assert decision.retry_at == SLOT + retry
    assert next_retry(SLOT, SLOT + late) == SLOT + retry


def test_after_two_hours_busy_it_posts_anyway():
    decision = decide(
        SLOT,
        SLOT + HOLD_LIMIT,
        ROME,
        quiet=DEFAULT_QUIET_HOURS,
        recent_messages=500,
        busy_threshold=10,
    )
    assert decision.action == "post"


def test_a_retry_long_after_the_slot_is_dropped():
    # The bot was down from the first retry until the afternoon: that slot is gone.
    decision = decide(
        SLOT,
        SLOT + timedelta(hours=5),
        ROME,
        quiet=DEFAULT_QUIET_HOURS,
        recent_messages=0,
        busy_threshold=10,
    )
    assert decision.action == "skip"


def test_quiet_hours_skip_even_a_held_prompt():
    evening = utc(2026, 11, 23, 20, 30)  # 21:30 in Rome
    held = decide(
        evening, evening, ROME, quiet=DEFAULT_QUIET_HOURS, recent_messages=30, busy_threshold=10
    )
    assert held.action == "hold"
    assert held.retry_at == evening + timedelta(minutes=15)
    at_ten = decide(
        evening,
        evening + timedelta(minutes=30),
        ROME,
        quiet=DEFAULT_QUIET_HOURS,
        recent_messages=30,
        busy_threshold=10,
    )
    assert at_ten.action == "skip"
    no_quiet = decide(
        evening,
        evening + timedelta(minutes=30),
        ROME,
        quiet=None,
        recent_messages=0,
        busy_threshold=10,
    )
    assert no_quiet.action == "post"


def test_quiet_hours_are_local_to_the_group():
    # 21:30 UTC is 22:30 in Rome (quiet) but 16:30 in New York (not quiet).
    moment = utc(2026, 11, 23, 21, 30)
    for zone, action in ((ROME, "skip"), (NEW_YORK, "post")):
        decision = decide(
            moment, moment, zone, quiet=DEFAULT_QUIET_HOURS, recent_messages=0, busy_threshold=10
        )
        assert decision.action == action
