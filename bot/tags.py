"""Profile tags: what members care about, can offer and are looking for.

Pure functions: normalise what a member typed into tags, or say precisely why not.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["interest", "offer", "seek"]
KINDS: tuple[Kind, ...] = ("interest", "offer", "seek")
# One letter per kind, for callback data (64 bytes at most).
KIND_LETTERS: dict[str, str] = {"interest": "i", "offer": "o", "seek": "s"}
LETTER_KINDS: dict[str, Kind] = {"i": "interest", "o": "offer", "s": "seek"}
# A kind read back from storage or a button, as the Kind type.
KIND_NAMED: dict[str, Kind] = {kind: kind for kind in KINDS}

MAX_TAG_LENGTH = 40
MAX_TAGS_PER_KIND = 20
# A member may type a whole list at once; more than this is certainly a paste accident.
MAX_INPUT_LENGTH = 2000

# Words members type for each kind, in English and Italian (singular and plural).
KIND_WORDS: dict[str, Kind] = {
    "interest": "interest",
    "interests": "interest",
    "interesse": "interest",
    "interessi": "interest",
    "offer": "offer",
    "offers": "offer",
    "offro": "offer",
    "offerta": "offer",
    "offerte": "offer",
    "seek": "seek",
    "seeks": "seek",
    "cerco": "seek",
    "cerca": "seek",
}

_SEPARATORS = re.compile(r"[,;\n]+")
_SPACES = re.compile(r"\s+")
_FORBIDDEN = set("<>")


class TagError(ValueError):
    """What a member typed is not a valid list of tags; ``key``/``args`` name the message."""

    def __init__(self, key: str, **args: Any) -> None:
        super().__init__(key)
        self.key = key
        self.args_ = args


def normalize_tag(raw: str) -> str:
    """Return the canonical form of one tag: NFKC, case-folded, trimmed, spaces collapsed.

    A leading ``#`` is dropped (people write hashtags). The result may be empty.
    """
    text = unicodedata.normalize("NFKC", raw).casefold()
    text = _SPACES.sub(" ", text).strip()
    text = text.lstrip("#").strip()
    # Case folding can produce a different composition (e.g. "ß" → "ss" is fine, but some
    # letters decompose): normalise once more so equal tags compare equal.
    return unicodedata.normalize("NFKC", text)


def _has_word_character(tag: str) -> bool:
    return any(unicodedata.category(ch)[0] in "LN" for ch in tag)


def check_tag(tag: str, raw: str) -> None:
    """Raise TagError if the normalised ``tag`` (typed as ``raw``) is not acceptable."""
    if any(ch in _FORBIDDEN for ch in tag):
        raise TagError("intros-tag-html", tag=raw.strip()[:60])
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs") for ch in tag):
        raise TagError("intros-tag-invalid", tag=raw.strip()[:60])
    if len(tag) > MAX_TAG_LENGTH:
        raise TagError("intros-tag-too-long", tag=raw.strip()[:60] + "…", max=MAX_TAG_LENGTH)
    if not _has_word_character(tag):
        raise TagError("intros-tag-no-words", tag=raw.strip()[:60])


def parse_tags(raw: str) -> list[str]:
    """Return the distinct normalised tags in a comma-separated text, in typed order.

    Any bad tag makes the whole input invalid (TagError): nothing is half-applied.
    """
    if len(raw) > MAX_INPUT_LENGTH:
        raise TagError("intros-tags-too-many", count=MAX_INPUT_LENGTH, max=MAX_TAGS_PER_KIND)
    found: list[str] = []
    for part in _SEPARATORS.split(raw):
        tag = normalize_tag(part)
        if not tag and not part.strip():
            continue
        check_tag(tag, part)
        if tag not in found:
            found.append(tag)
    if not found:
        raise TagError("intros-tags-empty")
    if len(found) > MAX_TAGS_PER_KIND:
        raise TagError("intros-tags-too-many", count=len(found), max=MAX_TAGS_PER_KIND)
    return found


def parse_kind(word: str) -> Kind | None:
    """Return the kind a word names (``offer``, ``cerco``…), or None."""
    return KIND_WORDS.get(word.strip().casefold())


@dataclass(frozen=True)
class Profile:
    """A member's tags, by kind."""

    interests: frozenset[str] = field(default_factory=frozenset)
    offers: frozenset[str] = field(default_factory=frozenset)
    seeks: frozenset[str] = field(default_factory=frozenset)

    def of(self, kind: Kind) -> frozenset[str]:
        """Return the tags of one kind."""
        return {"interest": self.interests, "offer": self.offers, "seek": self.seeks}[kind]

    @property
    def empty(self) -> bool:
        """True when the member has no tags at all."""
        return not (self.interests or self.offers or self.seeks)

    @property
    def all(self) -> frozenset[str]:
        """Every tag, whatever its kind."""
        return self.interests | self.offers | self.seeks


def profile_from(rows: Iterable[tuple[str, str]]) -> Profile:
    """Build a Profile from (kind, tag) pairs."""
    by_kind: dict[str, set[str]] = {kind: set() for kind in KINDS}
    for kind, tag in rows:
        by_kind[kind].add(tag)
    return Profile(
        frozenset(by_kind["interest"]), frozenset(by_kind["offer"]), frozenset(by_kind["seek"])
    )


def merge(profile: Profile, kind: Kind, tags: Iterable[str]) -> list[str]:
    """Return the tags that adding ``tags`` would add; TagError if the kind would overflow."""
    current = profile.of(kind)
    new = [tag for tag in dict.fromkeys(tags) if tag not in current]
    total = len(current) + len(new)
    if total > MAX_TAGS_PER_KIND:
        raise TagError("intros-tags-kind-full", count=total, max=MAX_TAGS_PER_KIND, kind=kind)
    return new
