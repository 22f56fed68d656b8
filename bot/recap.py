"""The weekly recap: which seven local days it covers, what it says, and its chart.

Pure logic: storage gathers the week's numbers into a ``WeekFacts`` (SQL aggregates), this
module turns them into the localized HTML text members read and the PNG chart. Sections
whose source is not available (a feature switched off, or not installed) are simply
absent: ``prompt_of_week`` and ``introductions`` are None, newcomers' ``offers`` are empty.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from bot import dates
from bot.i18n import Html
from bot.text import utf16_len
from storage.recap import OptionalNumbers, WeekNumbers, WeekSpan

WEEK_DAYS = 7
TOP_HELPERS = 5
# Newcomers named one by one; more are summed up as "and N more".
NEWCOMERS_NAMED = 20
# A /thanks reason is quoted when it is at most this long.
SHORT_REASON = 80
# Below this many messages, with no thanks and nobody new, the week gets the short recap.
QUIET_MESSAGES = 10
# Telegram's caption limit (characters after entity parsing; the HTML source is longer).
CAPTION_LIMIT = 1024
# Offers shown per newcomer.
OFFERS_SHOWN = 3


class Texts(Protocol):
    """The message catalog, as the recap needs it."""

    def text(self, language: str, key: str, /, **args: Any) -> str:
        """Return message ``key`` with ``args`` escaped and filled in."""


@dataclass(frozen=True)
class RecapWindow:
    """Seven local days [first_day, last_day] in a zone, and the seven before them."""

    first_day: date
    last_day: date
    zone: ZoneInfo

    @property
    def start(self) -> datetime:
        """The UTC instant the window starts (local midnight of ``first_day``)."""
        return datetime.combine(self.first_day, time(0), tzinfo=self.zone).astimezone(UTC)

    @property
    def end(self) -> datetime:
        """The UTC instant just after the window (local midnight after ``last_day``)."""
        after = self.last_day + timedelta(days=1)
        return datetime.combine(after, time(0), tzinfo=self.zone).astimezone(UTC)

    @property
    def days(self) -> list[date]:
        """The window's local dates, oldest first (seven, fewer in a group's first days)."""
        count = (self.last_day - self.first_day).days + 1
        return [self.first_day + timedelta(days=n) for n in range(count)]

    @property
    def previous(self) -> RecapWindow:
        """The seven local days before the week ending ``last_day`` (for the ↑/↓ comparison)."""
        last = self.last_day - timedelta(days=WEEK_DAYS)
        return RecapWindow(last - timedelta(days=WEEK_DAYS - 1), last, self.zone)

    @property
    def span(self) -> WeekSpan:
        """The window as storage queries it."""
        return WeekSpan(self.first_day, self.last_day, self.start, self.end, self.previous.start)


def week_before(day: date, zone: ZoneInfo) -> RecapWindow:
    """Return the seven local days before ``day`` (a Monday slot covers Monday-7..Sunday)."""
    return RecapWindow(day - timedelta(days=WEEK_DAYS), day - timedelta(days=1), zone)


def week_ending(day: date, zone: ZoneInfo) -> RecapWindow:
    """Return the seven local days ending with ``day`` (an on-demand recap includes today)."""
    return RecapWindow(day - timedelta(days=WEEK_DAYS - 1), day, zone)


def since_joined(window: RecapWindow, joined: datetime) -> RecapWindow:
    """Return ``window`` without the local days before Rete joined the group."""
    joined_day = joined.astimezone(window.zone).date()
    if joined_day <= window.first_day:
        return window
    return RecapWindow(min(joined_day, window.last_day), window.last_day, window.zone)


def scheduled_window(posting_day: date, zone: ZoneInfo, joined: datetime) -> RecapWindow:
    """Return the days a scheduled recap posted on ``posting_day`` covers.

    The seven days before, never days before Rete joined. When Rete joined on the posting
    day itself, before the slot, the first recap covers that day so far, as an on-demand
    /recap would: people who were already talking see it counted (and the next recap
    counts that day again, whole).
    """
    window = week_before(posting_day, zone)
    if joined.astimezone(zone).date() > window.last_day:
        return RecapWindow(posting_day, posting_day, zone)
    return since_joined(window, joined)


def on_demand_window(today: date, zone: ZoneInfo, joined: datetime) -> RecapWindow:
    """Return the days an on-demand recap covers: the last seven, since Rete joined."""
    return since_joined(week_ending(today, zone), joined)


def comparable(window: RecapWindow, joined: datetime) -> bool:
    """True if Rete was in the group for the whole week before (its numbers are real)."""
    return joined <= window.previous.start


def iso_week(day: date) -> str:
    """Return the ISO week of ``day`` as ``2026-W48``: a scheduled recap is posted once in it."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class Headline:
    """The week's headline numbers."""

    messages: int = 0
    active_members: int = 0
    new_members: int = 0
    thanks: int = 0


@dataclass(frozen=True)
class TopHelper:
    """A member thanked this week, with how many distinct people they helped."""

    name: str
    people: int
    credits: int
    reason: str | None = None


@dataclass(frozen=True)
class Newcomer:
    """A member who joined this week (never one who chose to be hidden)."""

    name: str
    # What they offer to help with, when they made it public (empty when unknown).
    offers: tuple[str, ...] = ()


@dataclass(frozen=True)
class PromptOfWeek:
    """The week's prompt with the most replies: its text as posted and distinct repliers."""

    text: str
    repliers: int


@dataclass(frozen=True)
class IntroNumbers:
    """Introductions made this week and how many people said they met."""

    made: int
    met: int


@dataclass(frozen=True)
class AskNumbers:
    """Asks solved this week, and open asks nobody answered (the connectors of asks' warm
    paths are in ``WeekFacts.connectors``, with those of hand introductions)."""

    solved: int
    unanswered: int = 0  # open asks nobody offered help for in a day or more


@dataclass(frozen=True)
class DayCount:
    """Messages and thanks on one local day."""

    day: date
    messages: int = 0
    thanks: int = 0


@dataclass(frozen=True)
class WeekFacts:
    """Everything a recap says about one week of one group."""

    window: RecapWindow
    this_week: Headline
    last_week: Headline
    helpers: tuple[TopHelper, ...] = ()
    newcomers: tuple[Newcomer, ...] = ()
    # Newcomers who may be named but did not fit the list ("and N more").
    more_newcomers: int = 0
    daily: tuple[DayCount, ...] = ()
    previous_daily: tuple[DayCount, ...] = ()
    # False when nothing was recorded before the window: the group is new to Rete.
    has_history: bool = True
    # The day Rete joined, when it was not there for the whole week before: then there is
    # no ↑/↓ comparison (the week before's zeros would be Rete's absence, not the group's).
    joined: date | None = None
    prompt_of_week: PromptOfWeek | None = None
    introductions: IntroNumbers | None = None
    newcomers_without_interests: int | None = None
    asks: AskNumbers | None = None
    # (name, people connected) of the week's connectors: hand introductions and asks' warm
    # paths (storage/ties.py), the recap's one connectors line.
    connectors: tuple[tuple[str, int], ...] = ()

    @property
    def compared(self) -> bool:
        """True if the week is compared with the one before (Rete was there all of it)."""
        return self.joined is None

    @property
    def quiet(self) -> bool:
        """True when too little happened for the full recap."""
        week = self.this_week
        return (
            week.messages < QUIET_MESSAGES
            and week.thanks == 0
            and week.new_members == 0
            and not (self.introductions and self.introductions.made)
        )


def assemble(
    window: RecapWindow,
    numbers: WeekNumbers,
    optional: OptionalNumbers | None = None,
    *,
    joined: datetime | None = None,
) -> WeekFacts:
    """Return the week's facts from storage's aggregates and the optional sections.

    ``joined`` is when Rete joined the group: the week is compared with the one before only
    if Rete was there for all of it.
    """
    extra = optional or OptionalNumbers()
    days = numbers.days

    def series(window_days: list[date]) -> tuple[DayCount, ...]:
        return tuple(DayCount(day, *days.get(day, (0, 0))) for day in window_days)

    daily = series(window.days)
    compared = joined is None or comparable(window, joined)
    previous_daily = series(window.previous.days) if compared else ()
    prompt = extra.prompt_of_week
    intros = extra.introductions
    return WeekFacts(
        window=window,
        this_week=Headline(
            messages=sum(d.messages for d in daily),
            active_members=numbers.active_members,
            new_members=numbers.new_members,
            thanks=sum(d.thanks for d in daily),
        ),
        last_week=Headline(
            messages=sum(d.messages for d in previous_daily),
            active_members=numbers.previous_active_members,
            new_members=numbers.previous_new_members,
            thanks=sum(d.thanks for d in previous_daily),
        ),
        helpers=tuple(TopHelper(h.name, h.people, h.credits, h.reason) for h in numbers.helpers),
        newcomers=tuple(
            Newcomer(n.name, tuple(extra.offers.get(n.member_id, ()))) for n in numbers.newcomers
        ),
        more_newcomers=max(0, numbers.visible_new_members - len(numbers.newcomers)),
        daily=daily,
        previous_daily=previous_daily,
        has_history=numbers.has_history,
        joined=None if compared or joined is None else joined.astimezone(window.zone).date(),
        prompt_of_week=PromptOfWeek(*prompt) if prompt is not None else None,
        introductions=IntroNumbers(*intros) if intros is not None else None,
        newcomers_without_interests=extra.newcomers_without_interests,
        asks=AskNumbers(*extra.asks) if extra.asks is not None else None,
        connectors=extra.connectors,
    )


def change(now: int, before: int) -> str:
    """Return the change from last week: ``↑ 5``, ``↓ 2`` or ``=``."""
    if now > before:
        return f"↑ {now - before}"
    if now < before:
        return f"↓ {before - now}"
    return "="


def short_reason(reason: str | None) -> str | None:
    """Return a /thanks reason worth quoting: short, one line; None otherwise."""
    if not reason:
        return None
    tidy = " ".join(reason.split())
    return tidy if 0 < len(tidy) <= SHORT_REASON else None


NudgeRule = Callable[[WeekFacts], tuple[str, dict[str, Any]] | None]


def _nudge_interests(facts: WeekFacts) -> tuple[str, dict[str, Any]] | None:
    count = facts.newcomers_without_interests
    return ("recap-nudge-interests", {"count": count}) if count else None


def _nudge_no_thanks(facts: WeekFacts) -> tuple[str, dict[str, Any]] | None:
    week = facts.this_week
    return ("recap-nudge-no-thanks", {}) if week.thanks == 0 and week.messages else None


def _nudge_welcome(facts: WeekFacts) -> tuple[str, dict[str, Any]] | None:
    count = facts.this_week.new_members
    return ("recap-nudge-welcome", {"count": count}) if count else None


def _nudge_fewer_voices(facts: WeekFacts) -> tuple[str, dict[str, Any]] | None:
    if not facts.compared:
        return None
    now, before = facts.this_week.active_members, facts.last_week.active_members
    return ("recap-nudge-fewer-voices", {}) if before and now < before * 0.8 else None


def _nudge_few_helpers(facts: WeekFacts) -> tuple[str, dict[str, Any]] | None:
    return ("recap-nudge-few-helpers", {}) if len(facts.helpers) == 1 else None


def _nudge_open_asks(facts: WeekFacts) -> tuple[str, dict[str, Any]] | None:
    count = facts.asks.unanswered if facts.asks is not None else 0
    return ("recap-nudge-open-asks", {"count": count}) if count else None


# The first rule that applies picks the week's one nudge.
NUDGES: tuple[NudgeRule, ...] = (
    _nudge_interests,
    _nudge_open_asks,
    _nudge_no_thanks,
    _nudge_welcome,
    _nudge_fewer_voices,
    _nudge_few_helpers,
)


def nudge(facts: WeekFacts) -> tuple[str, dict[str, Any]]:
    """Return the catalog key and arguments of the one nudge the week's data calls for."""
    for rule in NUDGES:
        found = rule(facts)
        if found is not None:
            return found
    return "recap-nudge-default", {}


def render(facts: WeekFacts, texts: Texts, language: str, title: str) -> str:
    """Return the recap as Telegram HTML; every tag stays within one line (safe to split)."""
    t = texts.text
    window = facts.window
    period = {
        "first": short_date(texts, language, window.first_day),
        "last": short_date(texts, language, window.last_day),
    }
    if not facts.has_history and facts.quiet:
        # A group new to Rete with (almost) nothing yet: a welcome, not an empty recap.
        return t(language, "recap-first-week", title=title)
    week, before = facts.this_week, facts.last_week
    if facts.quiet:
        lines = [
            t(language, "recap-quiet", title=title, **period),
            t(
                language,
                "recap-quiet-numbers",
                messages=week.messages,
                members=week.active_members,
            ),
        ]
        key, args = nudge(facts)
        lines.append(t(language, key, **args))
        return "\n".join(lines)

    if window.first_day == window.last_day:
        # Rete's first day: "the week of 2 Dec – 2 Dec" would read oddly.
        heading = t(language, "recap-title-day", title=title, day=period["first"])
    else:
        heading = t(language, "recap-title", title=title, **period)
    lines = [heading, ""]
    if facts.joined is not None:
        # Either these are Rete's first days, or the week before them is its first.
        key = "recap-since" if facts.joined >= window.first_day else "recap-since-before"
        lines += [t(language, key, day=short_date(texts, language, facts.joined)), ""]
    for key, now, then in (
        ("recap-messages", week.messages, before.messages),
        ("recap-active", week.active_members, before.active_members),
        ("recap-new", week.new_members, before.new_members),
        ("recap-thanks", week.thanks, before.thanks),
    ):
        if facts.compared:
            lines.append(t(language, key, count=now, change=change(now, then)))
        else:
            lines.append(t(language, f"{key}-alone", count=now))

    if facts.helpers:
        lines += ["", t(language, "recap-helpers-header")]
        for rank, helper in enumerate(facts.helpers, start=1):
            lines.append(
                t(
                    language,
                    "recap-helper-line",
                    rank=rank,
                    name=helper.name,
                    people=helper.people,
                )
            )
            reason = short_reason(helper.reason)
            if reason:
                lines.append(t(language, "recap-helper-reason", reason=reason))
        lines.append(t(language, "recap-helpers-thanks"))

    if facts.newcomers:
        lines += ["", t(language, "recap-newcomers-header")]
        for newcomer in facts.newcomers[:NEWCOMERS_NAMED]:
            if newcomer.offers:
                offers = ", ".join(newcomer.offers[:OFFERS_SHOWN])
                lines.append(
                    t(language, "recap-newcomer-offers", name=newcomer.name, offers=offers)
                )
            else:
                lines.append(t(language, "recap-newcomer", name=newcomer.name))
        more = facts.more_newcomers + max(0, len(facts.newcomers) - NEWCOMERS_NAMED)
        if more > 0:
            lines.append(t(language, "recap-newcomers-more", count=more))

    intros = facts.introductions
    if intros is not None and intros.made:
        lines += ["", t(language, "recap-intros", made=intros.made, met=intros.met)]
    if facts.connectors:
        if intros is None or not intros.made:
            lines.append("")
        names = ", ".join(f"{name} ({count})" for name, count in facts.connectors)
        lines.append(t(language, "network-recap-connectors", names=names))

    key, args = nudge(facts)
    asks = facts.asks
    if asks is not None and (asks.solved or asks.unanswered):
        # The open asks nobody answered are said once: here, unless the nudge points at them.
        waiting = 0 if key == "recap-nudge-open-asks" else asks.unanswered
        lines += ["", t(language, "recap-asks", solved=asks.solved, waiting=waiting)]

    prompt = facts.prompt_of_week
    if prompt is not None and prompt.repliers:
        lines += [
            "",
            t(language, "recap-prompt-header", count=prompt.repliers),
            t(language, "recap-prompt-text", text=" ".join(prompt.text.split())),
        ]

    lines += ["", t(language, key, **args)]
    return "\n".join(lines)


def fits_caption(text: str) -> bool:
    """True if ``text`` can go as a photo's caption (its HTML source within the limit)."""
    return utf16_len(text) <= CAPTION_LIMIT


@dataclass(frozen=True)
class ChartLabels:
    """The chart's words, from the catalog."""

    messages: str
    thanks: str
    this_week: str
    last_week: str
    weekdays: Sequence[str]  # Monday first


def wants_chart(facts: WeekFacts) -> bool:
    """True if the week has enough to draw (never for a first or quiet week)."""
    return not facts.quiet and bool(facts.daily)


# matplotlib is not documented as thread-safe: recaps of several groups due at the same
# minute draw their charts one at a time.
_CHART_LOCK = threading.Lock()


def render_chart(facts: WeekFacts, labels: ChartLabels) -> bytes:
    """Draw messages and thanks per day against the previous week; return PNG bytes.

    CPU-bound (≈ 0.1 s): call it off the event loop (``asyncio.to_thread``).
    """
    with _CHART_LOCK:
        return _draw(facts, labels)


def _draw(facts: WeekFacts, labels: ChartLabels) -> bytes:
    # Imported here: matplotlib costs about a second of start-up, and most processes
    # never draw a chart.
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    days = facts.daily
    before = facts.previous_daily
    weekdays = [labels.weekdays[d.day.weekday()] for d in days]
    xs = list(range(len(days)))
    figure = Figure(figsize=(6.4, 3.6), dpi=100)
    top, bottom = figure.subplots(2, 1, sharex=True)
    for axis, pick, title, colour in (
        (top, lambda d: d.messages, labels.messages, "#2f6db5"),
        (bottom, lambda d: d.thanks, labels.thanks, "#d9822b"),
    ):
        axis.bar(xs, [pick(d) for d in days], color=colour, label=labels.this_week)
        if before:
            axis.plot(
                xs,
                [pick(d) for d in before],
                color="#555555",
                marker="o",
                linewidth=1.5,
                label=labels.last_week,
            )
        axis.set_title(title, fontsize=10, loc="left")
        axis.spines[["top", "right"]].set_visible(False)
        axis.tick_params(labelsize=8)
        axis.set_ylim(bottom=0)
        axis.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
    # Above the bars, never over them; this week first.
    handles, legend_names = top.get_legend_handles_labels()
    top.legend(
        handles[::-1],
        legend_names[::-1],
        fontsize=8,
        frameon=False,
        loc="lower right",
        bbox_to_anchor=(1, 1),
        ncols=2,
    )
    bottom.set_xticks(xs, weekdays)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def chart_labels(texts: Texts, language: str) -> ChartLabels:
    """Return the chart's words in ``language``."""
    t = texts.text
    return ChartLabels(
        messages=t(language, "recap-chart-messages"),
        thanks=t(language, "recap-chart-thanks"),
        this_week=t(language, "recap-chart-this-week"),
        last_week=t(language, "recap-chart-last-week"),
        weekdays=[dates.short_weekday(n, language) for n in range(WEEK_DAYS)],
    )


def short_date(texts: Texts, language: str, day: date) -> Html:
    """Return ``16 Nov`` / ``16 nov`` (``1° dic``)."""
    return Html(dates.short_date(day, language))


def weekday_name(texts: Texts, language: str, day: int) -> Html:
    """Return the full name of weekday ``day`` (0 = Monday) in ``language``."""
    return Html(dates.weekday(day, language))
