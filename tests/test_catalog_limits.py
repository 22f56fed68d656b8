"""The catalog never fails on what members type: long values are cut, alerts are plain text."""

import html
import logging

import pytest

from bot.i18n import PLACEABLE_LIMIT, Catalog, Html, escape_within
from bot.text import shorten, split_message, utf16_len
from tests.fake_telegram import parse_html

catalog = Catalog()


@pytest.mark.parametrize("char", ["<", ">", "&", "x", "🤝"])
def test_a_long_value_is_cut_with_an_ellipsis_after_escaping(char):
    text = catalog.text("en", "prompts-post", text=char * 3000)
    value = text.removeprefix("💬 ")
    assert len(value) <= PLACEABLE_LIMIT
    assert value.endswith("…")
    plain, _ = parse_html(text)
    # Cut between characters: what is left is whole characters, never half an "&lt;".
    assert plain.removeprefix("💬 ").removesuffix("…") == char * (len(plain) - 3)


def test_a_value_that_fits_once_escaped_is_kept_whole():
    fits = "<" * (PLACEABLE_LIMIT // 4)
    assert catalog.text("en", "prompts-post", text=fits) == "💬 " + html.escape(fits)
    assert escape_within("&" * 501).endswith("&amp;…")
    assert len(escape_within("&" * 501)) <= PLACEABLE_LIMIT


def test_the_cut_keeps_an_emoji_with_its_modifiers_together():
    family = "👩\u200d👩\u200d👧"  # one emoji drawn from five code points
    cut = shorten("ab" + family, 5, size=lambda char: 1)
    assert cut == "ab…"
    thumbs = "👍🏽"
    assert shorten("a" + thumbs * 3, 3, size=lambda char: 1) == "a…"


def test_long_html_built_by_us_is_never_refused():
    lines = Html("\n".join(f"• <b>Group {n}</b>: {'x' * 120}" for n in range(60)))
    text = catalog.text(
        "it",
        "privacy-summary",
        name="Bruno",
        username="@bruno",
        language="it",
        reachable="sì",
        shown="sì",
        groups=60,
        group_lines=lines,
    )
    assert lines in text
    assert all(utf16_len(part) <= 4096 for part in split_message(text))


def test_several_long_values_in_one_variant_are_never_refused():
    # settings-ledger-line puts three values inside one select variant.
    text = catalog.text(
        "en", "settings-ledger-line", state="on", quota=3, paircap=2, reactions="&" * 3000
    )
    assert text.startswith("Help ledger: on")


def test_a_missing_variable_raises_in_strict_mode_and_is_logged_otherwise(caplog):
    with pytest.raises(ValueError, match="start-welcome"):
        Catalog(strict=True).text("en", "start-welcome")
    lenient = Catalog(strict=False)
    with caplog.at_level(logging.ERROR, logger="bot.i18n"):
        text = lenient.text("en", "prompts-suggest-dm", name="<secret>", title="T")
    assert text.startswith("💡 <b>&lt;secret&gt;</b> suggests a prompt for T:")
    [record] = caplog.records
    assert "prompts-suggest-dm" in record.getMessage()
    assert "secret" not in record.getMessage(), "no member's text in the log"


def test_plain_text_is_not_html():
    text = catalog.plain("en", "prompts-suggest-dm", name="<b>&amp;", title="A & B", text="x<y")
    assert text.startswith("💡 <b>&amp; suggests a prompt for A & B:")
    assert text.endswith("x<y")
    assert catalog.plain("it", "intros-button-pause", days=14, title="Soci & <amici>") == (
        catalog.text("it", "intros-button-pause", days=14, title="Soci & <amici>")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
    )


def test_a_long_line_is_never_split_inside_an_entity():
    line = "&lt;" * 2000  # 8000 characters of HTML, no space, one line
    parts = split_message(line)
    assert "".join(parts) == line
    for part in parts:
        assert utf16_len(part) <= 4096
        parse_html(part)


@pytest.mark.parametrize("language", catalog.languages)
def test_plain_text_is_what_members_see_of_the_html(language):
    from tests.test_catalog_html import arguments

    for key in sorted(catalog.ids(language)):
        args = arguments(language, key)
        shown, _ = parse_html(catalog.text(language, key, **args))
        assert catalog.plain(language, key, **args) == shown, key
