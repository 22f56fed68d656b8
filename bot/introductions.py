"""Introductions, the pure parts: callback data, deep-link arguments, pause dates, candidates.

The matching itself lives in ``bot.matching``; this module turns stored rows into its
inputs and its results into what is stored and said.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta

from bot.matching import (
    Candidate,
    History,
    Holders,
    Match,
    Reason,
    Unmatched,
    best_partners_among,
    forbidden,
    reason,
    who_knows_among,
)
from bot.numbers import parse_number
from bot.schedule import Weekly
from bot.tags import profile_from
from bot.text import shorten
from storage.intro_records import TagHolders

# Callback data is at most 64 bytes (Telegram); ours are "in:<action>:<args>".
CALLBACK_PREFIX = "in:"
TAG_CALLBACK_PREFIX = "tg:"
MAX_CALLBACK_BYTES = 64

MEET_EVERY = timedelta(days=7)
SILENT_ROUNDS = 3
PAUSE_CHOICES_DAYS = (14, 28)
MAX_PAUSE_DAYS = 366
# An admin's note, cut here: even all "&" (5 characters once escaped) it stays far below
# Fluent's 2,500-character limit on a placeable.
NOTE_LENGTH = 200
# A name as someone typed it, repeated back to them: Telegram's names and usernames are
# shorter, but a linked text (a text mention) or a command's argument can be any length.
NAME_LENGTH = 64
# Hand introductions (/introduce) a group may make in 24 hours: each DMs two people under
# Rete's name with an admin's words, so a group gets a bounded number (counted in the
# database, so a restart does not reset it).
HAND_INTROS_PER_DAY = 10
HAND_INTROS_WINDOW = timedelta(hours=24)
# /whoknows and /meet search a whole group: a member may ask this often.
SEARCHES = 5
SEARCH_WINDOW = timedelta(minutes=10)
# /meet looks at this many best partners per group, in case the best has left since.
MEET_CHOICES = 5
# A tag is suggested under /interests only when this many members of one's groups hold it.
SUGGESTED_FROM = 3


# Why a round left someone out, as stored (intros.why) and counted in /intros stats:
# the only candidate; nobody sharing a tag with them; only people they met recently (or
# will never be paired with) share one; the ones who fit were paired with others.
ALONE = "alone"
NO_SHARED_TAGS = "no-shared-tags"
MET_RECENTLY = "met-recently"
NO_ACCEPTABLE_PARTNER = "no-acceptable-partner"
PARTNER_UNREACHABLE = "partner-unreachable"
LEFT_OUT_REASONS = (
    ALONE,
    NO_SHARED_TAGS,
    MET_RECENTLY,
    NO_ACCEPTABLE_PARTNER,
    PARTNER_UNREACHABLE,
)
# Told once, and again only when something changed for them (someone new in the round,
# a tag shared since, an introduction since): a small group would otherwise get the same
# "nobody for you" every week. A partner lost to a bounce is news: always told.
TOLD_ONCE = frozenset({ALONE, NO_SHARED_TAGS, MET_RECENTLY, NO_ACCEPTABLE_PARTNER})


class CallbackTooLong(ValueError):
    """The callback data would exceed Telegram's 64 bytes."""


def callback(action: str, *args: object, prefix: str = CALLBACK_PREFIX) -> str:
    """Return the callback data for an introductions button."""
    data = prefix + ":".join([action, *(str(a) for a in args)])
    if len(data.encode("utf-8")) > MAX_CALLBACK_BYTES:
        raise CallbackTooLong(data)
    return data


def parse_callback(data: str, prefix: str = CALLBACK_PREFIX) -> tuple[str, list[str]] | None:
    """Return (action, arguments) of our callback data, or None if it is not ours."""
    if not data.startswith(prefix):
        return None
    parts = data[len(prefix) :].split(":")
    return parts[0], parts[1:]


def fits_callback(action: str, *args: object, prefix: str = CALLBACK_PREFIX) -> bool:
    """True if the button's data fits in 64 bytes."""
    try:
        callback(action, *args, prefix=prefix)
    except CallbackTooLong:
        return False
    return True


def chat_argument(chat_id: int) -> str:
    """Return a deep-link argument naming a group: ``j1001234`` for ``-1001234``."""
    return f"j{-chat_id}" if chat_id < 0 else f"p{chat_id}"


def chat_from_argument(argument: str) -> int | None:
    """Return the group a deep-link argument names, or None."""
    number = parse_number(argument[1:]) if argument[:1] in ("j", "p") else None
    if number is None:
        return None
    return -number if argument[0] == "j" else number


def intro_argument(intro_id: int) -> str:
    """Return a deep-link argument naming an introduction waiting for acceptance."""
    return f"a{intro_id}"


def intro_from_argument(argument: str) -> int | None:
    """Return the introduction an ``a<id>`` argument names, or None."""
    return parse_number(argument[1:]) if argument.startswith("a") else None


_DATE_FORMS = (
    # ASCII digits only ("٣١/١٢" is no date here), as bot.numbers reads numbers.
    re.compile(r"^(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})\Z"),
    re.compile(r"^(?P<d>[0-9]{1,2})[/.](?P<m>[0-9]{1,2})(?:[/.](?P<y>[0-9]{2,4}))?\Z"),
)


def parse_until(raw: str, today: date) -> date | None:
    """Return the date in ``2026-12-31``, ``31/12``, ``31.12.2026``; None if not a date.

    A day and month without a year mean the next such date from ``today``.
    """
    value = raw.strip()
    for form in _DATE_FORMS:
        match = form.match(value)
        if match is None:
            continue
        year_text = match.groupdict().get("y")
        try:
            if year_text is None:
                found = date(today.year, int(match["m"]), int(match["d"]))
                if found <= today:
                    found = date(today.year + 1, int(match["m"]), int(match["d"]))
                return found
            year = int(year_text)
            if year < 100:
                year += 2000
            return date(year, int(match["m"]), int(match["d"]))
        except ValueError:
            return None
    return None


def schedule_of(enabled: bool, day: int, at: time, every_weeks: int) -> Weekly | None:
    """Return the group's introductions schedule, or None when introductions are off."""
    if not enabled:
        return None
    return Weekly(frozenset({day}), at, every_weeks)


def candidate(member_id: int, tags: Iterable[tuple[str, str]], never: Iterable[int]) -> Candidate:
    """Build a matching Candidate from stored (kind, tag) rows and a never-list."""
    profile = profile_from(tags)
    return Candidate(
        member_id=member_id,
        interests=profile.interests,
        offers=profile.offers,
        seeks=profile.seeks,
        never=frozenset(never),
    )


def left_out_reasons(
    unmatched: Sequence[Unmatched], pool: Sequence[Candidate], history: History
) -> dict[int, str]:
    """Return why each member a round left unmatched was left out (see LEFT_OUT_REASONS)."""
    holders: dict[str, list[Candidate]] = {}
    for person in pool:
        for tag in person.tags:
            holders.setdefault(tag, []).append(person)
    by_id = {person.member_id: person for person in pool}
    out: dict[int, str] = {}
    for left in unmatched:
        me = by_id.get(left.member_id)
        if left.why == "alone" or me is None:
            out[left.member_id] = ALONE
            continue
        sharers = (
            other
            for tag in sorted(me.tags)
            for other in holders.get(tag, ())
            if other.member_id != me.member_id
        )
        fits = False
        for other in sharers:
            fits = True
            if not forbidden(me, other, history):
                out[left.member_id] = NO_ACCEPTABLE_PARTNER
                break
        else:
            out[left.member_id] = MET_RECENTLY if fits else NO_SHARED_TAGS
    return out


def reason_record(why: Reason) -> dict[str, list[str]]:
    """Return a Reason as stored (JSON-ready)."""
    return {
        "shared": list(why.shared),
        "offers_to_other": list(why.offers_to_other),
        "seeks_from_other": list(why.seeks_from_other),
    }


# Searches over a whole group (/whoknows, /meet) are work proportional to its size: these
# are pure, and the handlers run them in a worker thread, off the event loop. They read
# only the members who hold one of the asker's tags, each as bit masks over those tags,
# and the pool's size: everything the asker's fit depends on (bot.matching), and far less
# than every member's whole profile. The ranking itself is numpy (no loop over members).


def rarity(size: int, counts: Mapping[str, int]) -> dict[str, float]:
    """Return tag weights ``ln((N + 1) / df)`` from a group's size and each tag's holders."""
    return {tag: math.log((size + 1) / held) for tag, held in counts.items() if held > 0}


def _rarity_for(asker: Candidate, found: Holders) -> dict[str, float]:
    """Return the rarity of the asker's tags in the pool, the asker counted in it."""
    counts = found.held()
    outside = found.index(asker.member_id) is None  # holding tags, they would be there
    size = found.size + outside
    return rarity(size, {tag: counts[tag] + outside for tag in asker.tags})


def rank_knowers(
    tag: str,
    holders: TagHolders,
    asker: Candidate | None,
    avoided: Iterable[int] = (),
    *,
    limit: int = 10,
) -> list[tuple[int, bool]]:
    """Return who knows about ``tag``, best first: (member id, True if they offer it).

    ``holders`` are the group's listed members holding ``tag`` or one of the asker's tags
    (with those tags only), and how many are listed; ``avoided`` those who have the asker
    on their never-list.
    """
    found = Holders.of(holders.tags, holders.rows)
    weights = _rarity_for(asker, found) if asker is not None and asker.tags else {}
    return who_knows_among(tag, found, asker=asker, avoided=avoided, limit=limit, weights=weights)


@dataclass(frozen=True)
class MeetChoice:
    """A partner /meet could introduce: how well they fit, and why, from both sides."""

    member_id: int
    score: float
    mine: Reason  # why they fit the asker
    theirs: Reason  # why the asker fits them


def meet_choices(
    me: Candidate,
    holders: TagHolders,
    history: History,
    avoided: Iterable[int] = (),
    *,
    limit: int = 5,
) -> list[MeetChoice]:
    """Return ``me``'s best acceptable partners among a group's candidates, best first.

    ``holders`` are the candidates holding one of ``me``'s tags (with those tags only),
    and how many candidates the group has; ``avoided`` those who have ``me`` on their
    never-list.
    """
    found = Holders.of(holders.tags, holders.rows)
    weights = _rarity_for(me, found) if me.tags else {}
    ranked = best_partners_among(me, found, history, avoided=avoided, limit=limit, weights=weights)
    return [
        MeetChoice(other.member_id, score, why, reason(other, me)) for other, score, why in ranked
    ]


def reason_from_record(record: dict[str, Sequence[str]] | None) -> Reason:
    """Return the Reason stored by reason_record (empty if missing)."""
    record = record or {}
    return Reason(
        tuple(record.get("shared", ())),
        tuple(record.get("offers_to_other", ())),
        tuple(record.get("seeks_from_other", ())),
    )


def match_reasons(match: Match) -> dict[int, dict[int, dict[str, list[str]]]]:
    """Return, for each member of a match, why each partner fits them (to store)."""
    return {
        member: {
            other: reason_record(match.reason_for(member, other))
            for other in match.members
            if other != member
        }
        for member in match.members
    }


@dataclass(frozen=True)
class Opening:
    """The suggested opening question: which one, and about which tag (may be empty)."""

    key: str
    tag: str = ""


def opening(reason: Reason) -> Opening:
    """Pick one opening question from why two people fit: a need first, then an interest."""
    if reason.seeks_from_other:
        return Opening("intros-question-seeks", reason.seeks_from_other[0])
    if reason.offers_to_other:
        return Opening("intros-question-offers", reason.offers_to_other[0])
    if reason.shared:
        return Opening("intros-question-shared", reason.shared[0])
    return Opening("intros-question-none")


def _cut(raw: str, length: int) -> str:
    text = " ".join(raw.split())
    return text if len(text) <= length else text[: length - 1] + "…"


def cut_note(raw: str) -> str | None:
    """Return an admin's note, trimmed and cut at NOTE_LENGTH characters; None if empty."""
    return _cut(raw, NOTE_LENGTH) or None


def cut_name(raw: str) -> str:
    """Return a name as someone typed it (an @mention, a linked text), cut at NAME_LENGTH."""
    # Never inside an emoji or a letter with its accent (bot.text.shorten).
    return shorten(" ".join(raw.split()), NAME_LENGTH, size=lambda _char: 1)
