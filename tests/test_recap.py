"""The weekly recap's pure logic: week windows (DST), wording, sections, nudges, chart."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import Catalog
from bot.recap import (
    DayCount,
    Headline,
    IntroNumbers,
    Newcomer,
    PromptOfWeek,
    TopHelper,
    WeekFacts,
    assemble,
    change,
    chart_labels,
    comparable,
    fits_caption,
    iso_week,
    nudge,
    on_demand_window,
    render,
    render_chart,
    scheduled_window,
    short_reason,
    wants_chart,
    week_before,
    week_ending,
)
from storage.recap import HelperRow, NewcomerRow, OptionalNumbers, WeekNumbers
from tests.fake_telegram import parse_html

catalog = Catalog()
ROME = ZoneInfo("Europe/Rome")
NASTY = "<b>&\"'</b> </a>"


@pytest.mark.parametrize(
    ("zone", "monday", "hours", "start_utc"),
    [
        # An ordinary week in Rome (UTC+1 all week).
        ("Europe/Rome", date(2026, 11, 23), 168, datetime(2026, 11, 15, 23, 0, tzinfo=UTC)),
        # Rome falls back on Sunday 25 October 2026: the week has 169 hours.
        ("Europe/Rome", date(2026, 10, 26), 169, datetime(2026, 10, 18, 22, 0, tzinfo=UTC)),
        # Rome springs forward on Sunday 29 March 2026: 167 hours.
        ("Europe/Rome", date(2026, 3, 30), 167, datetime(2026, 3, 22, 23, 0, tzinfo=UTC)),
        # New York falls back on Sunday 1 November 2026.
        ("America/New_York", date(2026, 11, 2), 169, datetime(2026, 10, 26, 4, 0, tzinfo=UTC)),
        # Auckland springs forward on Sunday 27 September 2026 (southern hemisphere).
        ("Pacific/Auckland", date(2026, 9, 28), 167, datetime(2026, 9, 20, 12, 0, tzinfo=UTC)),
        # Kolkata has no daylight saving, and a half-hour offset.
        ("Asia/Kolkata", date(2026, 11, 23), 168, datetime(2026, 11, 15, 18, 30, tzinfo=UTC)),
    ],
)
def test_the_week_before_is_seven_local_days_whatever_the_clocks_do(
    zone, monday, hours, start_utc
):
    window = week_before(monday, ZoneInfo(zone))
    assert window.first_day == monday - timedelta(days=7)
    assert window.last_day == monday - timedelta(days=1)
    assert window.days == [monday - timedelta(days=7 - n) for n in range(7)]
    assert window.start == start_utc
    assert window.end - window.start == timedelta(hours=hours)
    assert window.end.astimezone(ZoneInfo(zone)).date() == monday
    previous = window.previous
    assert (previous.first_day, previous.last_day) == (
        monday - timedelta(days=14),
        monday - timedelta(days=8),
    )
    assert previous.end == window.start


def rome(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=ROME)


@pytest.mark.parametrize(
    ("joined", "first", "last", "compared"),
    [
        # Rete there long before: the seven days, compared with the seven before.
        (rome(1), 16, 22, True),
        # Joined at the very start of the week before: that week is whole, compared.
        (datetime(2026, 11, 9, 0, 0, tzinfo=ROME), 16, 22, True),
        # Joined during the week before: no comparison.
        (rome(10), 16, 22, False),
        # Joined mid-week: only the days since, no comparison.
        (rome(18), 18, 22, False),
        # Joined on the Sunday: that day alone.
        (rome(22, 23), 22, 22, False),
        # Joined on the Monday of the recap, before 09:00: that day so far, as /recap.
        (rome(23, 7), 23, 23, False),
    ],
)
def test_a_scheduled_recap_covers_only_days_since_rete_joined(joined, first, last, compared):
    window = scheduled_window(date(2026, 11, 23), ROME, joined)
    assert (window.first_day, window.last_day) == (date(2026, 11, first), date(2026, 11, last))
    assert len(window.days) == last - first + 1
    assert comparable(window, joined) is compared


def test_an_on_demand_recap_starts_no_earlier_than_rete():
    window = on_demand_window(date(2026, 11, 25), ROME, rome(24, 18))
    assert (window.first_day, window.last_day) == (date(2026, 11, 24), date(2026, 11, 25))
    assert not comparable(window, rome(24, 18))
    # Its comparison week is the seven days before the seven ending today.
    assert window.previous.first_day == date(2026, 11, 12)


def test_without_a_whole_week_before_there_is_no_comparison_and_no_previous_line():
    window = scheduled_window(date(2026, 11, 23), ROME, rome(18))
    numbers = WeekNumbers(
        days={date(2026, 11, 18): (30, 2)},
        active_members=4,
        previous_active_members=0,
        new_members=1,
        previous_new_members=0,
        visible_new_members=1,
        helpers=(),
        newcomers=(),
        has_history=False,
    )
    facts = assemble(window, numbers, joined=rome(18))
    assert facts.joined == date(2026, 11, 18)
    assert facts.previous_daily == ()
    text = render(facts, catalog, "en", "Makers")
    assert "I have been here since 18 Nov" in text
    assert "💬 Messages: <b>30</b>" in text.splitlines()
    assert "↑" not in text
    assert nudge(facts)[0] != "recap-nudge-fewer-voices"


def test_on_demand_window_ends_today_and_weeks_are_iso():
    window = week_ending(date(2026, 11, 25), ROME)
    assert (window.first_day, window.last_day) == (date(2026, 11, 19), date(2026, 11, 25))
    assert iso_week(date(2026, 11, 23)) == "2026-W48"
    assert iso_week(date(2026, 11, 29)) == "2026-W48"
    # 1 January 2027 is a Friday: it belongs to the last ISO week of 2026.
    assert iso_week(date(2027, 1, 1)) == "2026-W53"


@pytest.mark.parametrize(
    ("now", "before", "expected"), [(12, 7, "↑ 5"), (3, 5, "↓ 2"), (4, 4, "="), (0, 0, "=")]
)
def test_change_from_last_week(now, before, expected):
    assert change(now, before) == expected


def test_only_short_reasons_are_quoted():
    assert short_reason("  per   la dritta\nsul router ") == "per la dritta sul router"
    assert short_reason("x" * 81) is None
    assert short_reason(None) is None
    assert short_reason("   ") is None


WINDOW = week_before(date(2026, 11, 23), ROME)


def busy_facts(**changes) -> WeekFacts:
    days = tuple(DayCount(day, 10 + n, n % 3) for n, day in enumerate(WINDOW.days))
    before = tuple(DayCount(day, 8, 1) for day in WINDOW.previous.days)
    facts = WeekFacts(
        window=WINDOW,
        this_week=Headline(messages=91, active_members=12, new_members=2, thanks=6),
        last_week=Headline(messages=56, active_members=14, new_members=2, thanks=7),
        helpers=(
            TopHelper("Carla", people=3, credits=4, reason="per la dritta sul router"),
            TopHelper(NASTY, people=2, credits=2, reason="x" * 200),
        ),
        newcomers=(Newcomer("Dario", offers=("python", "3d printing")), Newcomer("Elena")),
        daily=days,
        previous_daily=before,
        prompt_of_week=PromptOfWeek("What are you\n<building> this week?", repliers=7),
        introductions=IntroNumbers(made=4, met=3),
    )
    return WeekFacts(**{**facts.__dict__, **changes})


def plain(text: str) -> str:
    return parse_html(text)[0]


def test_full_recap_in_english_has_every_section_in_order():
    text = plain(render(busy_facts(), catalog, "en", "Makers & <Co>"))
    lines = text.split("\n")
    assert lines[0] == "📰 The week in Makers & <Co> · 16 Nov – 22 Nov"
    assert lines[2:6] == [
        "💬 Messages: 91 (↑ 35)",
        "🙋 Active members: 12 (↓ 2)",
        "👋 New members: 2 (=)",
        "🙏 Thanks given: 6 (↓ 1)",
    ]
    helpers = lines.index("Who helped most")
    assert lines[helpers + 1 : helpers + 5] == [
        "1. Carla — helped 3 people",
        "    “per la dritta sul router”",
        f"2. {NASTY} — helped 2 people",
        "Thank you: help like this is what turns a chat into a network. 💛",
    ]
    welcome = lines.index("Welcome!")
    assert lines[welcome + 1 : welcome + 3] == [
        "👋 Dario — can help with python, 3d printing",
        "👋 Elena",
    ]
    assert "🤝 Introductions: 4 made this week, 3 people said they met." in lines
    prompt = lines.index("💡 Prompt of the week (7 people replied)")
    assert lines[prompt + 1] == "What are you <building> this week?"
    assert helpers < welcome < prompt
    # The one nudge: thanks were given and nobody lacks interests, so it welcomes.
    assert lines[-1].startswith("👋 2 people arrived this week")


def test_full_recap_in_italian():
    text = plain(render(busy_facts(), catalog, "it", "Makers"))
    assert text.startswith("📰 La settimana di Makers · 16 nov – 22 nov")
    assert "1. Carla — ha aiutato 3 persone" in text
    assert "👋 Dario — può dare una mano con python, 3d printing" in text
    assert "💡 Lo spunto della settimana (hanno risposto 7 persone)" in text
    assert text.endswith(
        "👋 Questa settimana sono arrivate 2 persone nuove: salutatele e chiedete cosa le ha "
        "portate qui."
    )
    one = busy_facts(this_week=Headline(messages=91, active_members=12, new_members=1, thanks=6))
    assert plain(render(one, catalog, "it", "Makers")).endswith(
        "salutatela e chiedetele cosa l'ha portata qui."
    )


def test_optional_sections_are_absent_when_their_source_is():
    facts = busy_facts(prompt_of_week=None, introductions=None)
    text = plain(render(facts, catalog, "en", "Makers"))
    assert "Introductions" not in text
    assert "Prompt of the week" not in text
    assert "Welcome!" in text


def test_quiet_week_is_short_and_never_empty():
    facts = busy_facts(
        this_week=Headline(messages=4, active_members=2, new_members=0, thanks=0),
        helpers=(),
        newcomers=(),
        introductions=None,
    )
    assert facts.quiet
    assert not wants_chart(facts)
    text = plain(render(facts, catalog, "en", "Makers"))
    assert text.split("\n") == [
        "🌙 A quiet week in Makers · 16 Nov – 22 Nov",
        "4 messages from 2 people. Quiet weeks happen, and they are a good moment to ask "
        "the group something.",
        "🙏 Nobody thanked anyone this week — who helped you? Reply to their message with "
        "/thanks.",
    ]


def test_first_week_without_any_data_is_friendly():
    facts = busy_facts(
        this_week=Headline(), last_week=Headline(), has_history=False, introductions=None
    )
    text = plain(render(facts, catalog, "it", "Makers"))
    assert text.startswith("🌱 Primo riepilogo di Makers\nNon c'è ancora niente da contare")
    assert not wants_chart(facts)
    # A group new to Rete with a busy first week gets the full recap.
    busy = busy_facts(has_history=False)
    assert plain(render(busy, catalog, "it", "Makers")).startswith("📰 La settimana di Makers")


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"newcomers_without_interests": 3}, "recap-nudge-interests"),
        (
            {"this_week": Headline(messages=50, active_members=5, new_members=2, thanks=0)},
            "recap-nudge-no-thanks",
        ),
        ({}, "recap-nudge-welcome"),
        (
            {"this_week": Headline(messages=50, active_members=5, new_members=0, thanks=3)},
            "recap-nudge-fewer-voices",
        ),
        (
            {
                "this_week": Headline(messages=50, active_members=14, new_members=0, thanks=3),
                "helpers": (TopHelper("Carla", 3, 3),),
            },
            "recap-nudge-few-helpers",
        ),
        (
            {"this_week": Headline(messages=50, active_members=14, new_members=0, thanks=3)},
            "recap-nudge-default",
        ),
    ],
)
def test_one_nudge_chosen_from_the_data(changes, key):
    assert nudge(busy_facts(**changes))[0] == key


def test_interests_nudge_wording():
    text = plain(render(busy_facts(newcomers_without_interests=3), catalog, "en", "M"))
    assert text.endswith(
        "3 newcomers haven't shared their interests yet: send /interests to tell the group "
        "what you like and what you can help with."
    )


def test_assemble_fills_days_and_sums_headlines():
    days = {
        date(2026, 11, 16): (5, 1),
        date(2026, 11, 22): (7, 2),
        date(2026, 11, 9): (4, 0),  # the week before
    }
    numbers = WeekNumbers(
        days=days,
        active_members=3,
        previous_active_members=2,
        new_members=1,
        previous_new_members=0,
        visible_new_members=3,
        helpers=(HelperRow(7, "Carla", 2, 3, "grazie"),),
        newcomers=(NewcomerRow(9, "Dario"), NewcomerRow(10, "Elena")),
        has_history=True,
    )
    optional = OptionalNumbers(
        prompt_of_week=("Ciao?", 4), introductions=(2, 1), offers={9: ("python",)}
    )
    facts = assemble(WINDOW, numbers, optional)
    assert facts.this_week == Headline(messages=12, active_members=3, new_members=1, thanks=3)
    assert facts.last_week == Headline(messages=4, active_members=2, new_members=0, thanks=0)
    assert [d.messages for d in facts.daily] == [5, 0, 0, 0, 0, 0, 7]
    assert [d.thanks for d in facts.daily] == [1, 0, 0, 0, 0, 0, 2]
    assert facts.previous_daily[0] == DayCount(date(2026, 11, 9), 4, 0)
    assert facts.newcomers == (Newcomer("Dario", ("python",)), Newcomer("Elena"))
    assert facts.more_newcomers == 1
    assert plain(render(facts, catalog, "en", "M")).count("…and one more") == 1
    assert facts.prompt_of_week == PromptOfWeek("Ciao?", 4)
    assert facts.introductions == IntroNumbers(2, 1)
    bare = assemble(WINDOW, numbers)
    assert bare.prompt_of_week is None
    assert bare.introductions is None
    assert bare.newcomers == (Newcomer("Dario"), Newcomer("Elena"))


def test_caption_limit():
    assert fits_caption("x" * 1024)
    assert not fits_caption("🦊" * 513)


def test_chart_is_a_png():
    png = render_chart(busy_facts(), chart_labels(catalog, "it"))
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert 5_000 < len(png) < 200_000
