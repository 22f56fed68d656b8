"""Dates and times as a person reads them, in Italian or English, through Babel (CLDR).

A few named formats, used wherever a message shows a date:

- ``day``: "lunedì 14 dicembre" / "Monday 14 December"
- ``day_at``: "lunedì 14 dicembre alle 10:00" / "Monday 14 December at 10:00"
- ``since``: "dal 1° dicembre 2026" / "since 1 December 2026"
- ``from_day`` and ``until``: "dall'8 dicembre", "fino al 31 dicembre" / "from 8 December",
  "until 31 December" (the year only when it is not this year's)
- ``weekdays``: a weekly schedule's days, "ogni lunedì e giovedì" / "every Monday and
  Thursday", "ogni giorno", "dal lunedì al venerdì"
- ``short_date``, ``weekday``, ``short_weekday``, ``clock``: the pieces.

Babel gives the words and the order (CLDR's patterns); what goes around them ("alle",
"dal" or "dall'") is in the catalog (``dates.ftl``), where a native speaker can change it.
Italian writes the first of the month as "1°": that is the one change made to CLDR's
patterns here. Nothing in this module reads the clock: callers pass the moment and the
group's zone.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, tzinfo
from functools import cache
from typing import Any, Protocol

from babel import Locale
from babel.dates import format_date, format_time, get_day_names, match_skeleton
from babel.lists import format_list

# The CLDR locale each language is written in. English is British English: "Monday
# 14 December", day before month, a 24-hour clock, as the communities Rete serves write it.
LOCALES: dict[str, str] = {"it": "it_IT", "en": "en_GB"}
FALLBACK = "en"

# A field of a CLDR pattern: a run of one letter (text in quotes is literal).
_FIELD = re.compile(r"'[^']*'|([A-Za-z])\1*")


class Texts(Protocol):
    """What the phrases need from the message catalog (bot.i18n.Catalog has it)."""

    def text(self, language: str, key: str, /, **args: Any) -> str: ...


@cache
def _locale(language: str) -> Locale:
    return Locale.parse(LOCALES.get(language, LOCALES[FALLBACK]))


@cache
def _pattern(skeleton: str, language: str) -> str:
    """Return the locale's pattern for ``skeleton``, widened to the widths it asks for.

    CLDR stores "E d MMMM" for a skeleton asking for the full weekday; as the CLDR spec
    says, the best match's fields take the widths of the requested skeleton.
    """
    locale = _locale(language)
    found = match_skeleton(skeleton, locale.datetime_skeletons)
    if found is None:
        raise ValueError(f"no {language} pattern for skeleton {skeleton!r}")
    pattern = locale.datetime_skeletons[found].pattern
    widths = {match[0][0]: len(match[0]) for match in re.finditer(r"([A-Za-z])\1*", skeleton)}

    def widen(field: re.Match[str]) -> str:
        if field[1] is None:  # quoted literal
            return field[0]
        letter = field[1]
        wanted = widths.get(letter)
        if wanted is None and letter in "ELc":  # weekday spelled as E, c or L
            wanted = widths.get("E")
        return letter * wanted if wanted else field[0]

    return _FIELD.sub(widen, pattern)


def _format(value: date, skeleton: str, language: str) -> str:
    pattern = _pattern(skeleton, language)
    if language == "it" and value.day == 1:
        # "1° dicembre", never "1 dicembre": the first of the month is an ordinal in Italian.
        pattern = re.sub(r"(?<![A-Za-z'])d(?![A-Za-z])", "d'°'", pattern, count=1)
    return format_date(value, pattern, locale=_locale(language))


def _local(moment: datetime, zone: tzinfo) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("a moment shown to a person must be time-zone aware")
    return moment.astimezone(zone)


def weekday(day: int, language: str) -> str:
    """Return weekday ``day`` (0 = Monday) in full: "lunedì", "Monday"."""
    return get_day_names("wide", "format", _locale(language))[day]


def short_weekday(day: int, language: str) -> str:
    """Return weekday ``day`` (0 = Monday) abbreviated: "lun", "Mon"."""
    return get_day_names("abbreviated", "format", _locale(language))[day]


WORKING_WEEK = frozenset(range(5))
WEEKEND = frozenset({5, 6})
EVERY_DAY = frozenset(range(7))


def weekdays(texts: Texts, language: str, days: frozenset[int]) -> str:
    """Return a weekly schedule's days: "ogni lunedì e giovedì", "every Monday and Thursday"."""
    if days == EVERY_DAY:
        return texts.text(language, "dates-every-day")
    if days == WORKING_WEEK:
        return texts.text(language, "dates-working-week")
    if days == WEEKEND:
        return texts.text(language, "dates-weekend")
    names = [weekday(day, language) for day in sorted(days)]
    listed = format_list(names, locale=_locale(language))
    return texts.text(language, "dates-every", days=listed)


def clock(value: time | datetime, language: str) -> str:
    """Return a time of day: "10:00" (a 24-hour clock in both languages)."""
    return format_time(value, "short", locale=_locale(language))


def day(value: date, language: str) -> str:
    """Return a day with its weekday: "lunedì 14 dicembre", "Monday 14 December"."""
    return _format(value, "MMMMEEEEd", language)


def full_date(value: date, language: str, *, year: bool = True) -> str:
    """Return a date: "1° dicembre 2026", "1 December 2026" (or without the year)."""
    return _format(value, "yMMMMd" if year else "MMMMd", language)


def short_date(value: date, language: str) -> str:
    """Return a day and short month: "14 dic", "14 Dec"."""
    return _format(value, "MMMd", language)


def day_at(texts: Texts, language: str, moment: datetime, zone: tzinfo) -> str:
    """Return a moment in ``zone``: "lunedì 14 dicembre alle 10:00"."""
    local = _local(moment, zone)
    return texts.text(
        language,
        "dates-day-at",
        day=day(local.date(), language),
        time=clock(local, language),
        hour=local.hour,
    )


def since(texts: Texts, language: str, value: date) -> str:
    """Return "dal 1° dicembre 2026", "since 1 December 2026"."""
    return texts.text(
        language, "dates-since", date=full_date(value, language), dayofmonth=value.day
    )


def from_day(texts: Texts, language: str, value: date, today: date) -> str:
    """Return "dall'8 dicembre", "from 8 December" (with the year if not ``today``'s)."""
    shown = full_date(value, language, year=value.year != today.year)
    return texts.text(language, "dates-from", date=shown, dayofmonth=value.day)


def until(texts: Texts, language: str, value: date, today: date) -> str:
    """Return "fino al 31 dicembre", "until 31 December" (with the year if not ``today``'s)."""
    shown = full_date(value, language, year=value.year != today.year)
    return texts.text(language, "dates-until", date=shown, dayofmonth=value.day)


def month(value: date, language: str) -> str:
    """Return a month of a year: "novembre 2026", "November 2026"."""
    return _format(value.replace(day=2), "yMMMM", language)
