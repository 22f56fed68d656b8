"""Asks: a member's request, its tags, the members it is routed to, and warm paths.

Pure functions and dataclasses (no telegram, no storage). An ask's tags come from its
hashtags and from the group's own tag vocabulary (words of the text that are tags members
of the group hold), normalised as profile tags are (``bot.tags``). Routing ranks the
members of a pool who hold an ask's tags by rarity weight, as matching does
(``bot.matching``): a tag's weight is ``ln((N + 1) / df)`` over the pool; an offer of the
tag counts ``1 + COMPLEMENT`` times its weight (it is what the asker seeks), an interest
once. A warm path is a connector tied to the asker who is tied to someone offering a tag.
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from bot.matching import COMPLEMENT, Holders
from bot.numbers import parse_number
from bot.prompts import MAX_PROMPT_CHARS, shown_whole
from bot.tags import MAX_TAG_LENGTH, TagError, check_tag, normalize_tag

# An ask's text is limited like a prompt's (it is posted in the group like one).
MAX_ASK_CHARS = MAX_PROMPT_CHARS
# Tags an ask can be routed by (hashtags first, then the group's words), and offered to
# confirm: the callback data of a toggle carries the tag's position.
MAX_ASK_TAGS = 8
# Words of a vocabulary tag: "machine learning" is two; longer tags are not looked for.
MAX_TAG_WORDS = 3
# What a private "I can help" note may be: one line.
MAX_NOTE_CHARS = 200
# How long Rete waits for a helper's note before the offer goes without one.
NOTE_WAIT = timedelta(minutes=30)
# The window "K ask DMs this week" counts in.
WEEK = timedelta(days=7)
# Candidates checked in SQL and with Telegram per batch while routing.
ROUTE_BATCH = 50
# Connectors looked at for one warm path (those tied to the asker, best first).
MAX_CONNECTORS = 200

CALLBACK_PREFIX = "ak:"
# Telegram's limit for a button's data.
CALLBACK_LIMIT = 64

_HASHTAG = re.compile(r"#(\w[\w-]*)", re.UNICODE)
_WORD = re.compile(r"[\w+#.-]+", re.UNICODE)


class AskError(ValueError):
    """An ask cannot go out as written; ``key``/``args_`` name the catalog message."""

    def __init__(self, key: str, **args: object) -> None:
        super().__init__(key)
        self.key = key
        self.args_ = args


def check_text(raw: str) -> str:
    """Return the ask's text, trimmed; AskError if empty, only hashtags, or too long."""
    text = raw.strip()
    if not text:
        raise AskError("asks-empty")
    if len(text) > MAX_ASK_CHARS or not shown_whole(text):
        raise AskError("asks-too-long", max=MAX_ASK_CHARS)
    if not _HASHTAG.sub("", text).strip(" \t\n,.;:!?"):
        raise AskError("asks-only-tags")
    if not any(ch.isalnum() for ch in _HASHTAG.sub("", text)):
        raise AskError("asks-empty")
    return text


def _valid(raw: str) -> str | None:
    tag = normalize_tag(raw.replace("_", " ").replace("-", " "))
    try:
        check_tag(tag, raw)
    except TagError:
        return None
    return tag or None


def hashtags(text: str) -> list[str]:
    """Return the normalised tags written as hashtags, in text order, without repeats."""
    found: list[str] = []
    for match in _HASHTAG.finditer(text):
        tag = _valid(match.group(1))
        if tag is not None and tag not in found:
            found.append(tag)
    return found


def grams(text: str) -> list[str]:
    """Return the runs of one to MAX_TAG_WORDS words of ``text``, normalised as tags are.

    These are looked up in the group's vocabulary: only tags someone there holds become an
    ask's tags, so a common word is never a tag by itself.
    """
    words = [w.strip(".-") for w in _WORD.findall(_HASHTAG.sub(" ", text))]
    words = [w for w in words if w]
    found: dict[str, None] = {}
    for start in range(len(words)):
        for size in range(1, min(MAX_TAG_WORDS, len(words) - start) + 1):
            tag = normalize_tag(" ".join(words[start : start + size]))
            if tag and len(tag) <= MAX_TAG_LENGTH:
                found[tag] = None
    return list(found)


def suggest_tags(text: str, vocabulary: Iterable[str]) -> list[str]:
    """Return the ask's tags: its hashtags, then the vocabulary's tags in text order."""
    known = set(vocabulary)
    tags = hashtags(text)
    for gram in grams(text):
        if gram in known and gram not in tags:
            tags.append(gram)
    return tags[:MAX_ASK_TAGS]


# ---- callback data ----------------------------------------------------------------------


def callback(action: str, *args: int | str) -> str:
    """Return an ask button's data: ``ak:<action>:<arg>…`` (64 bytes at most)."""
    data = ":".join((CALLBACK_PREFIX + action, *(str(a) for a in args)))
    assert len(data.encode()) <= CALLBACK_LIMIT, data
    return data


@dataclass(frozen=True)
class Tap:
    """An ask button, as its data claims: an action, an ask, and what else it names."""

    action: str
    ask_id: int
    extra: tuple[int, ...] = ()


# Each action and how many numbers follow the ask's id.
ACTIONS: Mapping[str, int] = {
    "t": 1,  # toggle the draft's tag k
    "p": 0,  # post the draft
    "c": 0,  # cancel the draft
    "h": 0,  # I can help
    "n": 0,  # not me
    "s": 0,  # no more asks
    "k": 0,  # skip the note
    "y": 1,  # connect with helper
    "x": 1,  # no thanks to helper
    "d": 0,  # solved
    "e": 1,  # expired: solved (1) or not (0)
    "w": 2,  # connector: introduce helper (1) or not (0)
    "v": 0,  # never ask me to connect
    "g": 1,  # a private draft's group (its id without the minus sign)
    "o": 1,  # /asks in private: no asks (1) or asks again (0); the ask id is 0
    "q": 1,  # /asks in private: never a connector (1) or again (0); the ask id is 0
}


def parse_callback(data: str) -> Tap | None:
    """Return the tap an ask button's data describes, or None for data no ask sends."""
    if len(data.encode()) > CALLBACK_LIMIT or not data.startswith(CALLBACK_PREFIX):
        return None
    action, *parts = data.removeprefix(CALLBACK_PREFIX).split(":")
    wanted = ACTIONS.get(action)
    if wanted is None or len(parts) != wanted + 1:
        return None
    numbers = [parse_number(part) for part in parts]
    if any(n is None for n in numbers):
        return None
    ask_id, *extra = [n for n in numbers if n is not None]
    return Tap(action, ask_id, tuple(extra))


# ---- routing ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Ranked:
    """A member an ask could go to: their score and whether they offer one of its tags."""

    member_id: int
    score: float
    offers: bool


def rank_helpers(
    tags: Sequence[str], holders: Holders, excluded: Iterable[int] = ()
) -> list[Ranked]:
    """Rank the holders of an ask's tags: offers first by weight, interests count less.

    A tag's weight is its rarity in the pool (``ln((N + 1) / df)``, df: holders of any
    kind); an offer counts ``1 + COMPLEMENT`` times it, an interest once, a seek nothing.
    Ties go to the lower member id (stable and reproducible).
    """
    if len(holders.member_ids) == 0:
        return []
    held = holders.held()
    size = max(holders.size, len(holders.member_ids))
    total = np.zeros(len(holders.member_ids))
    offering = np.zeros(len(holders.member_ids), dtype=bool)
    for k, tag in enumerate(holders.tags):
        if tag not in tags:
            continue
        weight = math.log((size + 1) / max(1, held.get(tag, 1)))
        offers = ((holders.offers >> k) & 1).astype(bool)
        interests = ((holders.interests >> k) & 1).astype(bool)
        total += np.where(offers, (1 + COMPLEMENT) * weight, np.where(interests, weight, 0.0))
        offering |= offers
    keep = total > 0
    away = np.array(sorted(set(excluded)), dtype=np.int64)
    if len(away):
        keep &= ~np.isin(holders.member_ids, away)
    chosen = np.flatnonzero(keep)
    order = np.lexsort((holders.member_ids[chosen], -total[chosen]))
    return [
        Ranked(int(holders.member_ids[i]), float(total[i]), bool(offering[i]))
        for i in chosen[order]
    ]


@dataclass(frozen=True)
class WarmPath:
    """A connector tied to the asker, and someone they are tied to who offers a tag."""

    connector_id: int
    helper_id: int
    tags: tuple[str, ...]


def best_path(
    connectors: Sequence[int],
    offers: Mapping[int, Mapping[int, Sequence[str]]],
    excluded: Iterable[int] = (),
) -> WarmPath | None:
    """Return the warm path whose helper offers the most of the ask's tags.

    ``connectors`` are in order of preference; ``offers`` maps a connector to the people
    they are tied to and which of the ask's tags each offers. Ties go to the earlier
    connector, then the lower helper id.
    """
    away = set(excluded)
    best: tuple[int, int, int, int] | None = None  # (-count, position, helper, connector)
    found: dict[tuple[int, int], tuple[str, ...]] = {}
    for position, connector in enumerate(connectors):
        if connector in away:
            continue
        for helper, tags in offers.get(connector, {}).items():
            if helper in away or helper == connector or not tags:
                continue
            key = (-len(tags), position, helper, connector)
            found[(connector, helper)] = tuple(tags)
            if best is None or key < best:
                best = key
    if best is None:
        return None
    return WarmPath(best[3], best[2], found[(best[3], best[2])])


# ---- closing the loop -------------------------------------------------------------------


def median_wait(first_offers: Iterable[tuple[datetime, datetime]]) -> timedelta | None:
    """The median time from an ask's post to its first "I can help", None without any."""
    waits = [(offered - posted).total_seconds() for posted, offered in first_offers]
    if not waits:
        return None
    return timedelta(seconds=statistics.median(waits))
