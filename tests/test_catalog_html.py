"""Every message in every language is valid Telegram HTML, whatever names it carries."""

import re

import pytest

from bot.i18n import Catalog, Html, catalog_source
from tests.fake_telegram import parse_html

NASTY = "<b>&\"'</b> </a> &amp; <script>"
catalog = Catalog()


def arguments(language: str, key: str) -> dict[str, object]:
    source = catalog_source(language)
    block = re.search(rf"^{re.escape(key)} =(.*?)(?=^\S|\Z)", source, re.S | re.M)
    assert block is not None
    names = set(re.findall(r"\{ *\$(\w+)", block.group(1)))
    numeric = {"messages", "groups", "id"}
    numeric |= {"number", "total", "page", "pages", "posts", "replies", "length", "limit"}
    numeric |= {"count", "busy", "custom", "builtin"}
    numeric |= {"people", "made", "met", "members", "rank", "month"}  # weekly recap
    # Introductions (intros.ftl).
    numeric |= {"count", "max", "every", "days", "joined", "made", "people", "answered", "met"}
    numeric |= {"recentmade", "recentmet", "repeat", "followup"}
    return {name: (3 if name in numeric else NASTY) for name in names}


@pytest.mark.parametrize("language", catalog.languages)
@pytest.mark.parametrize("key", sorted(catalog.ids("en")))
def test_message_is_valid_html_with_hostile_arguments(language, key):
    text = catalog.text(language, key, **arguments(language, key))
    plain, _ = parse_html(text)
    if arguments(language, key).get("name") == NASTY:
        assert NASTY in plain, "a user-provided value must be shown literally"


def test_html_values_pass_through():
    line = catalog.text("it", "help-line", command="help", description=Html("<b>x</b>"))
    assert parse_html(line) == ("/help — x", [{"type": "bold", "offset": 8, "length": 1}])
