"""Whole numbers typed by members or carried in buttons' data: ASCII digits, bounded."""

from __future__ import annotations

# Any Telegram id fits (chat ids have 13 digits), and so does SQLite's 64-bit integer.
MAX_DIGITS = 18


def parse_number(raw: str, *, signed: bool = False, max_digits: int = MAX_DIGITS) -> int | None:
    """Return the whole number ``raw`` spells with the digits 0-9, else None.

    ``str.isdigit`` also takes "²" (which ``int`` refuses) and "٣" or "３" (which ``int``
    reads as 3): a number from a member or from callback data has ASCII digits only,
    with a leading "-" when ``signed``, and at most ``max_digits`` of them.
    """
    digits = raw[1:] if signed and raw.startswith("-") else raw
    if not 0 < len(digits) <= max_digits or not (digits.isascii() and digits.isdigit()):
        return None
    return int(raw)
