"""Deep-link payloads: ``t.me/<bot>?start=<feature>[-<argument>]``."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Telegram allows up to 64 characters from A-Z, a-z, 0-9, _ and - in a start payload.
_PAYLOAD = re.compile(r"^(?P<feature>[a-z]{1,20})(?:-(?P<argument>[A-Za-z0-9_-]{1,43}))?$")


@dataclass(frozen=True)
class DeepLink:
    """A parsed payload: which feature created it, and its argument (may be empty)."""

    feature: str
    argument: str = ""


def parse_payload(payload: str | None) -> DeepLink | None:
    """Return the deep link in ``payload``, or None if it is missing or malformed."""
    if not payload or len(payload) > 64:
        return None
    match = _PAYLOAD.match(payload)
    if match is None:
        return None
    return DeepLink(match["feature"], match["argument"] or "")


def build_payload(feature: str, argument: str = "") -> str:
    """Return the payload for ``feature`` (and ``argument``); the inverse of parse_payload."""
    payload = f"{feature}-{argument}" if argument else feature
    if parse_payload(payload) != DeepLink(feature, argument):
        raise ValueError(f"not a valid deep-link payload: {payload!r}")
    return payload


def start_link(bot_username: str, feature: str, argument: str = "") -> str:
    """Return the t.me link that opens the private chat with the payload."""
    return f"https://t.me/{bot_username}?start={build_payload(feature, argument)}"
