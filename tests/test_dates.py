"""The named date formats of bot/dates.py, as an Italian and an English reader see them."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot import dates
from bot.i18n import Catalog

CATALOG = Catalog()
ROME = ZoneInfo("Europe/Rome")
LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [
        ("it", date(2026, 12, 14), "lunedì 14 dicembre"),
        ("it", date(2026, 12, 1), "martedì 1° dicembre"),
        ("it", date(2027, 1, 8), "venerdì 8 gennaio"),
        ("en", date(2026, 12, 14), "Monday 14 December"),
        ("en", date(2026, 12, 1), "Tuesday 1 December"),
    ],
)
def test_day(language, value, expected):
    assert dates.day(value, language) == expected


@pytest.mark.parametrize(
    ("language", "value", "year", "expected"),
    [
        ("it", date(2026, 12, 1), True, "1° dicembre 2026"),
        ("it", date(2026, 12, 11), True, "11 dicembre 2026"),
        ("it", date(2026, 12, 31), False, "31 dicembre"),
        ("en", date(2026, 12, 1), True, "1 December 2026"),
        ("en", date(2026, 12, 31), False, "31 December"),
    ],
)
def test_full_date(language, value, year, expected):
    assert dates.full_date(value, language, year=year) == expected


@pytest.mark.parametrize(
    ("language", "moment", "expected"),
    [
        ("it", datetime(2026, 12, 14, 9, 0, tzinfo=UTC), "lunedì 14 dicembre alle 10:00"),
        ("en", datetime(2026, 12, 14, 9, 0, tzinfo=UTC), "Monday 14 December at 10:00"),
        # One in the morning takes the apostrophe: "all'01:00", as "all'una".
        ("it", datetime(2026, 12, 14, 0, 0, tzinfo=UTC), "lunedì 14 dicembre all'01:00"),
        ("en", datetime(2026, 12, 14, 0, 0, tzinfo=UTC), "Monday 14 December at 01:00"),
        # 23:30 UTC is already the next day in Rome.
        ("it", datetime(2026, 11, 30, 23, 30, tzinfo=UTC), "martedì 1° dicembre alle 00:30"),
    ],
)
def test_day_at_in_the_groups_zone(language, moment, expected):
    assert dates.day_at(CATALOG, language, moment, ROME) == expected


@pytest.mark.parametrize(
    ("moment", "it", "en"),
    [
        # Sunday 29 March 2026: Rome goes from 02:00 CET to 03:00 CEST.
        (
            datetime(2026, 3, 28, 23, 30, tzinfo=UTC),
            "domenica 29 marzo alle 00:30",
            "Sunday 29 March at 00:30",
        ),
        (
            datetime(2026, 3, 29, 0, 59, tzinfo=UTC),
            "domenica 29 marzo all'01:59",
            "Sunday 29 March at 01:59",
        ),
        (
            datetime(2026, 3, 29, 1, 0, tzinfo=UTC),
            "domenica 29 marzo alle 03:00",
            "Sunday 29 March at 03:00",
        ),
        # Sunday 25 October 2026: 03:00 CEST goes back to 02:00 CET; 02:30 happens twice.
        (
            datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
            "domenica 25 ottobre alle 02:30",
            "Sunday 25 October at 02:30",
        ),
        (
            datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
            "domenica 25 ottobre alle 02:30",
            "Sunday 25 October at 02:30",
        ),
        (
            datetime(2026, 10, 25, 22, 59, tzinfo=UTC),
            "domenica 25 ottobre alle 23:59",
            "Sunday 25 October at 23:59",
        ),
        (
            datetime(2026, 10, 25, 23, 0, tzinfo=UTC),
            "lunedì 26 ottobre alle 00:00",
            "Monday 26 October at 00:00",
        ),
    ],
)
def test_day_at_on_rome_dst_change_days(moment, it, en):
    assert dates.day_at(CATALOG, "it", moment, ROME) == it
    assert dates.day_at(CATALOG, "en", moment, ROME) == en


def test_the_same_moment_in_two_zones():
    moment = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # London changes an hour after Rome
    assert dates.day_at(CATALOG, "en", moment, ROME) == "Sunday 29 March at 01:30"
    assert dates.day_at(CATALOG, "en", moment, LONDON) == "Sunday 29 March at 00:30"


def test_a_naive_moment_is_refused():
    with pytest.raises(ValueError, match="time-zone aware"):
        dates.day_at(CATALOG, "it", datetime(2026, 12, 14, 10, 0), ROME)


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [
        ("it", date(2026, 12, 1), "dal 1° dicembre 2026"),
        ("it", date(2026, 12, 2), "dal 2 dicembre 2026"),
        ("it", date(2026, 12, 8), "dall'8 dicembre 2026"),
        ("it", date(2026, 12, 11), "dall'11 dicembre 2026"),
        ("it", date(2026, 12, 18), "dal 18 dicembre 2026"),
        ("en", date(2026, 12, 1), "since 1 December 2026"),
        ("en", date(2026, 12, 8), "since 8 December 2026"),
    ],
)
def test_since(language, value, expected):
    assert dates.since(CATALOG, language, value) == expected


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [
        ("it", date(2026, 12, 31), "fino al 31 dicembre"),
        ("it", date(2026, 12, 8), "fino all'8 dicembre"),
        ("it", date(2027, 1, 1), "fino al 1° gennaio 2027"),
        ("en", date(2026, 12, 31), "until 31 December"),
        ("en", date(2027, 1, 11), "until 11 January 2027"),
    ],
)
def test_until_says_the_year_only_when_it_is_not_this_one(language, value, expected):
    assert dates.until(CATALOG, language, value, today=date(2026, 12, 2)) == expected


def test_from_day():
    today = date(2026, 12, 2)
    assert dates.from_day(CATALOG, "it", date(2026, 12, 9), today) == "dal 9 dicembre"
    assert dates.from_day(CATALOG, "it", date(2026, 12, 11), today) == "dall'11 dicembre"
    assert dates.from_day(CATALOG, "en", date(2026, 12, 9), today) == "from 9 December"


@pytest.mark.parametrize(
    ("days", "it", "en"),
    [
        ({1}, "ogni martedì", "every Tuesday"),
        ({0, 3}, "ogni lunedì e giovedì", "every Monday and Thursday"),
        ({0, 2, 4}, "ogni lunedì, mercoledì e venerdì", "every Monday, Wednesday and Friday"),
        (set(range(7)), "ogni giorno", "every day"),
        (set(range(5)), "dal lunedì al venerdì", "every weekday"),
        ({5, 6}, "ogni sabato e domenica", "every Saturday and Sunday"),
    ],
)
def test_weekdays_of_a_schedule(days, it, en):
    assert dates.weekdays(CATALOG, "it", frozenset(days)) == it
    assert dates.weekdays(CATALOG, "en", frozenset(days)) == en


def test_pieces():
    assert [dates.weekday(n, "it") for n in (0, 6)] == ["lunedì", "domenica"]
    assert [dates.short_weekday(n, "en") for n in (0, 6)] == ["Mon", "Sun"]
    assert dates.short_date(date(2026, 12, 1), "it") == "1° dic"
    assert dates.short_date(date(2026, 11, 16), "en") == "16 Nov"
    assert dates.clock(time(9, 5), "it") == dates.clock(time(9, 5), "en") == "09:05"
