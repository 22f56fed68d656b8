"""Text helpers for Telegram messages: lengths as Telegram counts them, and splitting."""

from __future__ import annotations

MESSAGE_LIMIT = 4096


def utf16_len(text: str) -> int:
    """Return the length Telegram measures: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


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
    # The longest prefix within the limit, preferably ending at a space.
    end = 0
    size = 0
    for index, char in enumerate(line):
        size += 2 if ord(char) > 0xFFFF else 1
        if size > limit:
            break
        end = index + 1
    space = line.rfind(" ", 0, end)
    return line[: space + 1] if space > 0 else line[:end]
