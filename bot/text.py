"""Text helpers for Telegram messages: lengths as Telegram counts them, and splitting."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

MESSAGE_LIMIT = 4096
ELLIPSIS = "…"
# What joins a character to the one before it: drawn as one, never cut apart.
_JOINER = "\u200d"
_EXTENDERS = frozenset("\u200d\ufe0e\ufe0f\u20e3") | frozenset(map(chr, range(0x1F3FB, 0x1F400)))


# Embeddings, overrides and isolates: in a name they would turn the rest of the message
# around ("\u202eAlba" shows what follows right to left), so names shown to a group drop
# them. Right-to-left names need none of them to show correctly.
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def without_bidi_controls(text: str) -> str:
    """Return ``text`` without the controls that would reorder the text around it."""
    return text.translate(_BIDI_CONTROLS)


def utf16_len(text: str) -> int:
    """Return the length Telegram measures: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def utf16_units(char: str) -> int:
    """Return how many UTF-16 code units one character takes (Telegram's measure)."""
    return 2 if ord(char) > 0xFFFF else 1


def _extends(char: str) -> bool:
    # Accents, variation selectors, skin tones, the keycap mark, and what follows a joiner.
    return char in _EXTENDERS or unicodedata.combining(char) != 0


def boundary(text: str, end: int) -> int:
    """Return the last position at or before ``end`` that does not cut a drawn character.

    An emoji with its skin tone or a ZWJ family, a letter with its combining accent,
    stays whole: the cut moves back to where the character starts.
    """
    while 0 < end < len(text) and (_extends(text[end]) or text[end - 1] == _JOINER):
        end -= 1
    return end


def shorten(text: str, limit: int, *, size: Callable[[str], int] = utf16_units) -> str:
    """Return ``text``, or its longest start that fits ``limit`` with an ellipsis after it.

    ``size`` says how much each character takes (UTF-16 units by default). The cut falls
    between drawn characters (see ``boundary``), after trimming trailing spaces.
    """
    if sum(map(size, text)) <= limit:
        return text
    budget = limit - sum(map(size, ELLIPSIS))
    used = 0
    for end, char in enumerate(text):
        used += size(char)
        if used > budget:
            return text[: boundary(text, end)].rstrip() + ELLIPSIS
    return text


def split_message(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split ``text`` into parts of at most ``limit`` UTF-16 units, on line boundaries.

    Rete's HTML keeps every tag within one line, so a split between lines never cuts a
    tag. A single line longer than the limit is cut at the last space that fits.
    """
    if utf16_len(text) <= limit:
        return [text]
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        candidate = f"{current}\n{line}" if current else line
        if utf16_len(candidate) <= limit:
            current = candidate
            continue
        if current:
            parts.append(current)
        while utf16_len(line) > limit:
            head = _cut(line, limit)
            parts.append(head.rstrip())
            line = line[len(head) :].lstrip()
        current = line
    if current:
        parts.append(current)
    return parts


def _cut(line: str, limit: int) -> str:
    # The longest prefix within the limit, preferably ending at a space, never inside an
    # entity such as "&lt;" or a tag (Telegram would refuse either half).
    end = 0
    size = 0
    for index, char in enumerate(line):
        size += utf16_units(char)
        if size > limit:
            break
        end = index + 1
    for opener, closer in (("&", ";"), ("<", ">")):
        start = line.rfind(opener, 0, end)
        if start > 0 and line.find(closer, start, end) == -1:
            end = start
    end = boundary(line, end) or end
    space = line.rfind(" ", 0, end)
    return line[: space + 1] if space > 0 else line[:end]
