"""The help ledger's rules: what a thanks is worth, and who ranks as a helper.

Plain functions over numbers; storage applies them inside the transaction that records a
credit, handlers only report the outcome.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

DEFAULT_REACTIONS: tuple[str, ...] = ("🙏", "❤", "👍", "🔥")
REASON_LIMIT = 200
PAIR_WINDOW = timedelta(days=7)
QUOTA = "quota"
PAIR_CAP = "pair_cap"


@dataclass(frozen=True)
class LedgerRules:
    """A group's limits: credits that score per giver per day, and per pair per week."""

    daily_quota: int = 5
    pair_cap: int = 3

    def judge(self, counted_today: int, pair_this_week: int) -> str | None:
        """Return why a new thanks would not score (``quota``/``pair_cap``), or None if it does.

        ``pair_this_week`` counts scored credits between the two people in *both*
        directions, so thanking each other back and forth scores no more than one-way help.
        """
        if counted_today >= self.daily_quota:
            return QUOTA
        if pair_this_week >= self.pair_cap:
            return PAIR_CAP
        return None


def score(credits_per_giver: Iterable[int]) -> float:
    """Return a helper's score: the sum over the people they helped of √(credits from each).

    Five people thanking once each scores 5; one person thanking five times scores √5 ≈ 2.2.
    """
    return sum(math.sqrt(n) for n in credits_per_giver if n > 0)


@dataclass(frozen=True)
class Helper:
    """One line of the leaderboard."""

    member_id: int
    credits: int
    people: int
    score: float


def rank(pairs: Iterable[tuple[int, int, int]], limit: int = 10) -> list[Helper]:
    """Rank helpers from (receiver, giver, credits) rows: score, then people, then credits."""
    per_helper: dict[int, list[int]] = defaultdict(list)
    for receiver, _giver, credits in pairs:
        per_helper[receiver].append(credits)
    helpers = [
        Helper(member_id, sum(counts), len(counts), score(counts))
        for member_id, counts in per_helper.items()
    ]
    helpers.sort(key=lambda h: (-h.score, -h.people, -h.credits, h.member_id))
    return helpers[:limit]


PERIODS: dict[str, int | None] = {"7d": 7, "30d": 30, "all": None}
_PERIOD_ALIASES = {"7g": "7d", "30g": "30d", "tutto": "all", "sempre": "all"}


def parse_period(raw: str | None, default: str = "30d") -> str | None:
    """Return ``7d``, ``30d`` or ``all`` for what a member typed (Italian too); None if invalid."""
    if raw is None or not raw.strip():
        return default
    value = raw.strip().lower()
    value = _PERIOD_ALIASES.get(value, value)
    return value if value in PERIODS else None


def cut_reason(text: str | None) -> str | None:
    """Return the reason given with /thanks, whitespace tidied and cut at 200 characters."""
    if not text:
        return None
    tidy = re.sub(r"\s+", " ", text).strip()
    if not tidy:
        return None
    return tidy if len(tidy) <= REASON_LIMIT else tidy[: REASON_LIMIT - 1].rstrip() + "…"


def normalize_emoji(emoji: str) -> str:
    """Compare reaction emoji without variation selectors (❤️ and ❤ are the same reaction)."""
    return emoji.replace("\ufe0f", "").strip()


CSV_COLUMNS: tuple[str, ...] = (
    "created_at",
    "giver_id",
    "giver",
    "giver_username",
    "receiver_id",
    "receiver",
    "receiver_username",
    "ways",
    "counted",
    "not_counted_why",
    "voided_at",
    "voided_by",
    "reason",
    "message_id",
    "thanks_message_id",
)


# A spreadsheet app runs a cell that starts with one of these as a formula, so a member
# named "=HYPERLINK(...)" or a reason "+cmd|..." would run in the admin's sheet (OWASP,
# "CSV Injection"): such text gets a leading "'" and is shown as typed.
FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: object) -> object:
    """Return ``value`` as a CSV cell a spreadsheet shows and never runs; numbers unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def credits_csv(rows: Iterable[dict[str, object]]) -> bytes:
    """Return the ledger export as UTF-8 CSV (with BOM, so spreadsheet apps read accents).

    Text that a spreadsheet would run as a formula (names, usernames, reasons) starts
    with ``'``; ids and counts stay numbers.
    """
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        ways = "+".join(
            kind
            for kind, column in (
                ("command", "by_command"),
                ("words", "by_words"),
                ("reaction", "by_reaction"),
            )
            if row.get(column)
        )
        values = {**row, "ways": ways, "counted": "yes" if row.get("counted") else "no"}
        writer.writerow(
            ["" if values.get(c) is None else spreadsheet_cell(values[c]) for c in CSV_COLUMNS]
        )
    return buffer.getvalue().encode("utf-8-sig")
