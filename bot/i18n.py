"""The message catalog: Fluent (.ftl) files per language, with HTML-safe arguments."""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from fluent.runtime import FluentBundle, FluentResource

LOCALES_DIR = Path(__file__).with_name("locales")
# Each feature keeps its texts in its own file (rete.ftl, prompts.ftl, ...); a language's
# catalog is every .ftl file in its folder, and an id defined twice is an error.
CATALOG_GLOB = "*.ftl"
LANGUAGES: tuple[str, ...] = ("it", "en")


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


def _safe(value: Any) -> Any:
    # Every string argument is user-provided until proven otherwise: escape it, so a name
    # like "<b>&" can never break a message. Html values were built by us and pass through.
    if isinstance(value, Html):
        return str(value)
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, (int, float, date, datetime)):
        return value
    return html.escape(str(value), quote=False)


class Catalog:
    """All user-visible texts in every language, looked up by message id."""

    def __init__(
        self, directory: Path = LOCALES_DIR, languages: Iterable[str] = LANGUAGES
    ) -> None:
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
        text, errors = bundle.format_pattern(
            message.value, {name: _safe(value) for name, value in args.items()}
        )
        if errors:
            raise ValueError(f"message {key!r} ({language}): {errors[0]}")
        return text
