"""The message catalog: Fluent (.ftl) files per language, with HTML-safe arguments."""

from __future__ import annotations

import html
import logging
import re
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from fluent.runtime import FluentBundle, FluentResource
from fluent.runtime.resolver import MAX_PART_LENGTH

from bot.text import shorten

log = logging.getLogger(__name__)

LOCALES_DIR = Path(__file__).with_name("locales")
# Each feature keeps its texts in its own file (rete.ftl, prompts.ftl, ...); a language's
# catalog is every .ftl file in its folder, and an id defined twice is an error.
CATALOG_GLOB = "*.ftl"
LANGUAGES: tuple[str, ...] = ("it", "en")
# Fluent refuses to fill in a value longer than this (its guard against runaway messages).
# A member's text is cut to fit it once escaped: no one value takes over a message.
PLACEABLE_LIMIT = MAX_PART_LENGTH
# Values longer than this are put in after Fluent has done its work, so that no value,
# and no number of them in one select variant, can make it refuse a message. A variant
# key is a short word: such a value picks the default variant either way.
_LATE_AFTER = 200
# Stands for a late value while Fluent formats. Escaped text never holds a "<", and
# neither the catalog's nor our own HTML ever holds a NUL: no value can fake one.
_SLOT = re.compile("<\x00([0-9]+)>")
_TAG = re.compile(r"<[^>]*>")
_ESCAPED_SIZE = {"&": len("&amp;"), "<": len("&lt;"), ">": len("&gt;")}


class Html(str):
    """Text that is already valid Telegram HTML; the catalog inserts it without escaping."""

    __slots__ = ()


def pick_language(code: str | None, default: str) -> str:
    """Return ``it`` or ``en`` for a Telegram ``language_code`` such as ``it-IT``, else default."""
    if code:
        base = code.split("-")[0].split("_")[0].lower()
        if base in LANGUAGES:
            return base
    return default


def catalog_source(language: str, directory: Path = LOCALES_DIR) -> str:
    """Return the Fluent source of ``language``: all its .ftl files, in name order."""
    files = sorted((directory / language).glob(CATALOG_GLOB))
    if not files:
        raise FileNotFoundError(f"no .ftl files in {directory / language}")
    return "\n".join(path.read_text(encoding="utf-8") for path in files)


def escaped_size(char: str) -> int:
    """Return how many characters ``char`` takes once HTML-escaped."""
    return _ESCAPED_SIZE.get(char, 1)


def escaped_length(text: str) -> int:
    """Return the length of ``text`` once HTML-escaped, as the catalog escapes arguments."""
    return len(text) + sum(_ESCAPED_SIZE[c] - 1 for c in text if c in _ESCAPED_SIZE)


def escape_within(text: str, limit: int = PLACEABLE_LIMIT) -> str:
    """Return ``text`` HTML-escaped, cut with an ellipsis to at most ``limit`` characters.

    The cut falls between characters of ``text``, so never inside an entity like ``&lt;``.
    """
    return html.escape(shorten(text, limit, size=escaped_size), quote=False)


def to_plain(text: str) -> str:
    """Return catalog HTML as the plain text Telegram would show: no tags, no entities."""
    return html.unescape(_TAG.sub("", text))


def _safe(value: Any) -> Any:
    # Every string argument is user-provided until proven otherwise: escape it, so a name
    # like "<b>&" can never break a message. Html values were built by us and pass through.
    if isinstance(value, Html):
        return str(value)
    if isinstance(value, (int, float, date, datetime)):
        return value
    return escape_within(str(value))


class Catalog:
    """All user-visible texts in every language, looked up by message id.

    A Fluent error (a variable the code forgot to pass) raises when ``strict``, as in
    tests; otherwise it is logged and the member still gets the text (with the variable's
    name where its value should be). What members type can never cause one: long values are cut.
    """

    def __init__(
        self,
        directory: Path = LOCALES_DIR,
        languages: Iterable[str] = LANGUAGES,
        *,
        strict: bool = True,
    ) -> None:
        self.strict = strict
        self._bundles: dict[str, FluentBundle] = {}
        self._ids: dict[str, set[str]] = {}
        for language in languages:
            source = catalog_source(language, directory)
            # Bidi isolation marks would end up inside Telegram messages: turn them off.
            bundle = FluentBundle([language], use_isolating=False)
            resource = FluentResource(source)
            bundle.add_resource(resource)
            self._bundles[language] = bundle
            ids = [
                entry.id.name
                for entry in resource.body
                if hasattr(entry, "id") and type(entry).__name__ == "Message"
            ]
            twice = sorted(name for name, count in Counter(ids).items() if count > 1)
            if twice:
                raise ValueError(f"{language}: messages defined twice: {', '.join(twice)}")
            self._ids[language] = set(ids)

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages this catalog has."""
        return tuple(self._bundles)

    def ids(self, language: str) -> set[str]:
        """Return the message ids defined for ``language``."""
        return set(self._ids[language])

    def text(self, language: str, key: str, /, **args: Any) -> str:
        """Return message ``key`` in ``language`` with ``args`` HTML-escaped and filled in."""
        bundle = self._bundles.get(language) or self._bundles[LANGUAGES[-1]]
        if not bundle.has_message(key):
            raise KeyError(f"message {key!r} is missing from the {language!r} catalog")
        message = bundle.get_message(key)
        if message.value is None:
            raise KeyError(f"message {key!r} has no value in the {language!r} catalog")
        late: list[str] = []

        def fill(value: Any) -> Any:
            safe = _safe(value)
            if isinstance(safe, str) and len(safe) > _LATE_AFTER:
                late.append(safe)
                return f"<\x00{len(late) - 1}>"
            return safe

        text, errors = bundle.format_pattern(
            message.value, {name: fill(value) for name, value in args.items()}
        )
        if errors:
            self._failed(language, key, args, errors)
        if late:
            text = _SLOT.sub(lambda slot: late[int(slot[1])], str(text))
        return str(text)

    def plain(self, language: str, key: str, /, **args: Any) -> str:
        """Return message ``key`` as plain text, for what Telegram does not read as HTML.

        Callback alerts, button labels and command descriptions show text as it is: there
        ``&lt;`` would be seen literally. The message is built as ``text`` builds it (so
        values are cut the same way) and then read as Telegram reads HTML.
        """
        return to_plain(self.text(language, key, **args))

    def _failed(
        self, language: str, key: str, args: dict[str, Any], errors: list[Exception]
    ) -> None:
        # Fluent's errors name variables, never their values: the log holds no member's text.
        said = "; ".join(f"{type(error).__name__}: {error}" for error in errors)
        if self.strict:
            raise ValueError(f"message {key!r} ({language}): {said}")
        log.error(
            "Catalog message %r (%s) given %s: %s", key, language, sorted(args) or "nothing", said
        )
