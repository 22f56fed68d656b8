"""Weekly slots in local time: DST in Rome, other zones, every N weeks, and the parsers."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.chat_settings import SettingError, parse_clock, parse_days, parse_weekday
from bot.schedule import (
    Weekly,
    in_window,
    last_slot,
    local_slot,
    local_week,
    next_slot,
    run_period,
    slot_key,
)

ROME = ZoneInfo("Europe/Rome")
NEW_YORK = ZoneInfo("America/New_York")
SYDNEY = ZoneInfo("Australia/Sydney")
KOLKATA = ZoneInfo("Asia/Kolkata")
MON, THU, SUN = 0, 3, 6


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("day", "at", "zone", "expected"),
    [
        (date(2026, 3, 23), time(9, 30), ROME, utc(2026, 3, 23, 8, 30)),  # winter: +01:00
        (date(2026, 3, 30), time(9, 30), ROME, utc(2026, 3, 30, 7, 30)),  # summer: +02:00
        # 02:30 does not exist on 29 March 2026 in Rome: moved forward by the gap (03:30 CEST).
        (date(2026, 3, 29), time(2, 30), ROME, utc(2026, 3, 29, 1, 30)),
        # 02:30 happens twice on 25 October 2026 in Rome: the first one (still CEST).
        (date(2026, 10, 25), time(2, 30), ROME, utc(2026, 10, 25, 0, 30)),
        (date(2026, 10, 25), time(9, 0), ROME, utc(2026, 10, 25, 8, 0)),
        (date(2026, 3, 8), time(2, 30), NEW_YORK, utc(2026, 3, 8, 7, 30)),  # gap: 03:30 EDT
        (date(2026, 4, 5), time(2, 30), SYDNEY, utc(2026, 4, 4, 15, 30)),  # first 02:30 AEDT
        (date(2026, 7, 1), time(9, 0), KOLKATA, utc(2026, 7, 1, 3, 30)),
    ],
)
def test_local_slot_is_the_wall_clock_time_in_the_zone(day, at, zone, expected):
    assert local_slot(day, at, zone) == expected


def test_weekly_slots_keep_local_time_across_both_rome_changes():
    monday_nine = Weekly(frozenset({MON}), time(9, 0))
    slots = []
    now = utc(2026, 3, 16, 12, 0)
    for _ in range(3):
        now = next_slot(monday_nine, ROME, now)
        slots.append(now)
    assert slots == [utc(2026, 3, 23, 8, 0), utc(2026, 3, 30, 7, 0), utc(2026, 4, 6, 7, 0)]
    assert [slot_key(s, ROME) for s in slots] == [
        "2026-03-23T09:00",
        "2026-03-30T09:00",
        "2026-04-06T09:00",
    ]
    # A week spanning the October change is 169 hours long, and the slot is still 09:00.
    first = next_slot(monday_nine, ROME, utc(2026, 10, 13))
    second = next_slot(monday_nine, ROME, first)
    assert second - first == timedelta(hours=169)
    assert slot_key(second, ROME) == "2026-10-26T09:00"


def test_a_slot_on_the_night_of_the_change_happens_once():
    sunday_half_past_two = Weekly(frozenset({SUN}), time(2, 30))
    slot = next_slot(sunday_half_past_two, ROME, utc(2026, 10, 24, 12, 0))
    assert slot == utc(2026, 10, 25, 0, 30)
    # The repeated 02:30 (01:30 UTC) is not a second slot.
    assert next_slot(sunday_half_past_two, ROME, slot) == utc(2026, 11, 1, 1, 30)
    spring = next_slot(sunday_half_past_two, ROME, utc(2026, 3, 28, 12, 0))
    assert spring == utc(2026, 3, 29, 1, 30)
    assert slot_key(spring, ROME) == "2026-03-29T03:30"


def test_last_slot_is_at_or_before_now():
    schedule = Weekly(frozenset({MON, THU}), time(9, 30))
    assert last_slot(schedule, ROME, utc(2026, 11, 23, 8, 30)) == utc(2026, 11, 23, 8, 30)
    assert last_slot(schedule, ROME, utc(2026, 11, 23, 8, 29)) == utc(2026, 11, 19, 8, 30)
    assert next_slot(schedule, ROME, utc(2026, 11, 23, 8, 30)) == utc(2026, 11, 26, 8, 30)


def test_same_schedule_in_different_zones_gives_different_instants():
    schedule = Weekly(frozenset({MON}), time(9, 0))
    now = utc(2026, 11, 22, 12, 0)
    assert next_slot(schedule, ROME, now) == utc(2026, 11, 23, 8, 0)
    assert next_slot(schedule, NEW_YORK, now) == utc(2026, 11, 23, 14, 0)
    assert next_slot(schedule, SYDNEY, now) == utc(2026, 11, 22, 22, 0)  # Mon 23, AEDT
    assert next_slot(schedule, KOLKATA, now) == utc(2026, 11, 23, 3, 30)


def test_every_two_weeks_is_anchored_not_relative_to_now():
    fortnightly = Weekly(frozenset({MON}), time(10, 0), every_weeks=2)
    a = next_slot(fortnightly, ROME, utc(2026, 11, 17))
    b = next_slot(fortnightly, ROME, utc(2026, 11, 24))
    assert a == b, "asking a day later must not shift the cycle"
    assert next_slot(fortnightly, ROME, a) - a == timedelta(weeks=2)
    assert last_slot(fortnightly, ROME, a + timedelta(days=10)) == a
    four = Weekly(frozenset({MON}), time(10, 0), every_weeks=4)
    first = next_slot(four, ROME, utc(2026, 1, 1))
    assert next_slot(four, ROME, first) - first == timedelta(weeks=4)


@pytest.mark.parametrize(
    "bad",
    [
        {"days": frozenset(), "at": time(9)},
        {"days": frozenset({7}), "at": time(9)},
        {"days": frozenset({0}), "at": time(9), "every_weeks": 0},
        {"days": frozenset({0}), "at": time(9, tzinfo=UTC)},
    ],
)
def test_invalid_schedules_are_refused(bad):
    with pytest.raises(ValueError, match=r"\w"):
        Weekly(**bad)


def test_quiet_hours_window_crosses_midnight():
    quiet = (time(22, 0), time(8, 0))
    assert in_window(utc(2026, 7, 1, 21, 30), ROME, *quiet)  # 23:30 CEST
    assert in_window(utc(2026, 7, 1, 5, 59), ROME, *quiet)  # 07:59 CEST
    assert not in_window(utc(2026, 7, 1, 6, 0), ROME, *quiet)  # 08:00 CEST
    assert not in_window(utc(2026, 7, 1, 12, 0), ROME, time(9, 0), time(9, 0))
    assert in_window(utc(2026, 7, 1, 12, 0), ROME, time(13, 0), time(15, 0))


def test_local_week():
    assert local_week(date(2026, 11, 25)) == (date(2026, 11, 23), date(2026, 11, 29))
    assert local_week(date(2026, 11, 23)) == (date(2026, 11, 23), date(2026, 11, 29))


@pytest.mark.parametrize(
    ("raw", "days"),
    [
        ("mon,thu", {0, 3}),
        ("lun, gio", {0, 3}),
        ("Lunedì Giovedì", {0, 3}),
        ("martedi", {1}),
        ("daily", set(range(7))),
        ("ogni  giorno", set(range(7))),
        ("feriali", set(range(5))),
        ("weekend", {5, 6}),
        ("SAT,sun", {5, 6}),
    ],
)
def test_parse_days(raw, days):
    assert parse_days(raw) == frozenset(days)


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("funday", "settings-bad-days"),
        ("", "settings-bad-days"),
        ("mon,,xyz", "settings-bad-days"),
        ("mon,lun", "settings-days-twice"),
        ("thu thu", "settings-days-twice"),
    ],
)
def test_parse_days_refuses(raw, key):
    with pytest.raises(SettingError) as error:
        parse_days(raw)
    assert error.value.key == key


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("09:30", time(9, 30)), ("9.30", time(9, 30)), ("9h30", time(9, 30)), ("18", time(18))],
)
def test_parse_clock(raw, expected):
    assert parse_clock(raw) == expected


@pytest.mark.parametrize("raw", ["25:00", "9:60", "nine", "9:5", "-1", ""])
def test_parse_clock_refuses(raw):
    with pytest.raises(SettingError) as error:
        parse_clock(raw)
    assert error.value.key == "settings-bad-time"


def test_parse_weekday():
    assert parse_weekday("Monday") == 0
    assert parse_weekday("domenica") == 6
    with pytest.raises(SettingError):
        parse_weekday("funday")


def test_run_period_is_the_local_day_or_iso_week_of_the_slot():
    rome = ZoneInfo("Europe/Rome")
    # Sunday 23:30 in Rome is already Sunday 22:30 UTC: the local day decides.
    slot = datetime(2026, 11, 29, 22, 30, tzinfo=UTC)
    assert run_period(slot, rome, "day") == (date(2026, 11, 29), date(2026, 11, 29))
    assert run_period(slot, rome, "week") == (date(2026, 11, 23), date(2026, 11, 29))
    assert run_period(slot, ZoneInfo("Asia/Tokyo"), "week") == (
        date(2026, 11, 30),
        date(2026, 12, 6),
    )
    with pytest.raises(ValueError, match="once per day or per week"):
        run_period(slot, rome, "month")
