"""Counts agree with their nouns: no message says "1 persone" or "1 days".

Every message is rendered with each of its variables set to 1, which is what picks the
``[one]`` variants; a count shown with a plural noun then means a message that forgot its
select.
"""

import re

import pytest
from fluent.syntax import FluentParser, ast

from bot.i18n import LANGUAGES, Catalog, catalog_source, to_plain

catalog = Catalog()

# Nouns whose plural is not their singular. Italian "grazie", "tag" and English "thanks"
# are the same in both numbers and are not here.
PLURAL_NOUNS = {
    "it": (
        "persone giorni messaggi presentazioni spunti proposte giri settimane volte "
        "pagine caratteri gruppi membri"
    ),
    "en": (
        "people days messages introductions prompts suggestions rounds weeks times pages "
        "characters groups members tags"
    ),
}


def variables(language: str) -> dict[str, set[str]]:
    """Each message's variables, read from the .ftl source."""
    found: dict[str, set[str]] = {}

    def walk(node: object, into: set[str]) -> None:
        if isinstance(node, ast.VariableReference):
            into.add(node.id.name)
        elif isinstance(node, ast.BaseNode):
            for value in vars(node).values():
                walk(value, into)
        elif isinstance(node, list):
            for value in node:
                walk(value, into)

    resource = FluentParser(with_spans=False).parse(catalog_source(language))
    for entry in resource.body:
        if isinstance(entry, ast.Message) and entry.value is not None:
            names: set[str] = set()
            walk(entry.value, names)
            found[entry.id.name] = names
    return found


# Messages whose numbers are never 1: a limit (40 characters, 2,500 characters) and a
# length over it, or more tags than the most allowed at once.
NEVER_ONE = {"intros-tag-too-long", "prompts-too-long", "prompts-suggest-too-long"}
NEVER_ONE |= {"intros-tags-too-many", "intros-tags-kind-full"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_count_of_one_never_meets_a_plural_noun(language):
    nouns = "|".join(PLURAL_NOUNS[language].split())
    wrong = re.compile(rf"(?<![\d.,:/–-])1 (?:{nouns})\b")
    found = {}
    for key, names in variables(language).items():
        if not names or key in NEVER_ONE:
            continue
        text = to_plain(catalog.text(language, key, **dict.fromkeys(names, 1)))
        if wrong.search(text):
            found[key] = text
    assert not found, found


def test_the_check_sees_a_missing_select():
    nouns = "|".join(PLURAL_NOUNS["it"].split())
    assert re.search(rf"(?<![\d.,:/–-])1 (?:{nouns})\b", "Ha aiutato 1 persone")
    assert not re.search(rf"(?<![\d.,:/–-])1 (?:{nouns})\b", "alle 10:1 persone")
