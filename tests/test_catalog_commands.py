"""Command names in the catalog: each language names commands as its menus do.

Read from the .ftl sources, so every variant of every message is checked, not only the
one a test happens to render.
"""

import re
from collections import Counter

import pytest
from fluent.syntax import FluentParser, ast

from bot.chat_settings import SETTINGS, TOPIC_NAMES
from bot.commands import BY_NAME, COMMAND_NAME, COMMANDS, commands_for, spellings_in
from bot.i18n import LANGUAGES, Catalog, catalog_source
from bot.tags import KIND_WORDS
from handlers.intros.common import REMOVE_WORDS
from handlers.intros.optin import (
    NEVER_WORDS,
    PAUSE_WORDS,
    RESTART_WORDS,
    STATS_WORDS,
    STOP_WORDS,
)
from handlers.intros.profiles import PUBLIC_WORDS
from handlers.prompts.command import _SUBCOMMAND_OF as PROMPT_SUBCOMMANDS
from handlers.recap import PREVIEW_WORDS

# Commands of @BotFather that the setup messages tell admins to send there.
BOTFATHER = {"newbot", "setprivacy", "setjoingroups", "mybots"}
# "/word" where a command can start: not inside a word, a path, a URL or a closing tag.
MENTION = re.compile(r"(?<![\w/<@.:&-])/([A-Za-z0-9_]+)")

catalog = Catalog()


def resource(language: str) -> ast.Resource:
    return FluentParser(with_spans=False).parse(catalog_source(language))


def terms(language: str) -> dict[str, str]:
    """The catalog's terms of ``language``: ``-cmd-thanks`` → ``grazie``."""
    found: dict[str, str] = {}
    for entry in resource(language).body:
        if isinstance(entry, ast.Term):
            found[f"-{entry.id.name}"] = render(entry.value, {})
    return found


def render(pattern: ast.Pattern, values: dict[str, str], *, literal: bool = False) -> str:
    """The pattern's text with terms filled in (``literal``: only the text typed out).

    Every variant of a select expression is kept, one per line.
    """
    parts: list[str] = []
    for element in pattern.elements:
        if isinstance(element, ast.TextElement):
            parts.append(element.value)
        else:
            parts.append(_expression(element.expression, values, literal))
    return "".join(parts)


def _expression(expression: ast.Expression, values: dict[str, str], literal: bool) -> str:
    if isinstance(expression, ast.SelectExpression):
        return "\n".join(render(v.value, values, literal=literal) for v in expression.variants)
    if isinstance(expression, ast.Placeable):
        return _expression(expression.expression, values, literal)
    if isinstance(expression, ast.StringLiteral):
        return expression.value
    if isinstance(expression, ast.TermReference):
        return "" if literal else values.get(f"-{expression.id.name}", "?")
    return "…"  # a variable or a number: never a command name


def messages(language: str) -> dict[str, ast.Pattern]:
    return {
        entry.id.name: entry.value
        for entry in resource(language).body
        if isinstance(entry, ast.Message) and entry.value is not None
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_command_has_its_name_as_a_term_agreeing_with_the_registry(language):
    defined = [entry.id.name for entry in resource(language).body if isinstance(entry, ast.Term)]
    assert not [name for name, count in Counter(defined).items() if count > 1]
    found = terms(language)
    expected = {command.term: command.name_in(language) for command in COMMANDS}
    assert {t: v for t, v in found.items() if t.startswith("-cmd-")} == expected


def test_spellings_are_telegram_command_names_and_belong_to_one_command():
    owner: dict[str, str] = {}
    for command in COMMANDS:
        for spelling in command.all_names:
            assert COMMAND_NAME.fullmatch(spelling)
            assert owner.setdefault(spelling, command.name) == command.name, spelling
    assert BY_NAME["thanks"].name_in("it") == "grazie"
    assert BY_NAME["interests"].name_in("it") == "interessi"
    assert BY_NAME["thanks"].name_in("de") == "thanks", "another language: the English name"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_command_a_message_names_is_one_of_that_languages_names(language):
    names = terms(language)
    allowed = spellings_in(language) | BOTFATHER
    wrong = {
        f"{key}: /{word}"
        for key, pattern in messages(language).items()
        for word in MENTION.findall(render(pattern, names))
        if word not in allowed
    }
    assert not wrong, f"{language}: commands this language does not call so: {sorted(wrong)}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_messages_name_commands_through_terms(language):
    # A command typed out (/grazie) would not follow a rename; /{ -cmd-thanks } does.
    every_spelling = {spelling: c for c in COMMANDS for spelling in c.all_names}
    typed = {
        f"{key}: /{word} (write /{{ {every_spelling[word.lower()].term} }})"
        for key, pattern in messages(language).items()
        for word in MENTION.findall(render(pattern, {}, literal=True))
        if word.lower() in every_spelling
    }
    assert not typed, sorted(typed)


def test_the_check_sees_every_variant_and_reads_terms():
    source = "x = { $n ->\n  [one] /{ -cmd-thanks }\n *[other] see /settings, </b> 31/12\n }\n"
    pattern = FluentParser().parse(source).body[0]
    text = render(pattern.value, {"-cmd-thanks": "grazie"})
    assert MENTION.findall(text) == ["grazie", "settings"]
    assert MENTION.findall(render(pattern.value, {}, literal=True)) == ["settings"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_descriptions_are_plain_text_within_telegrams_limits(language):
    # setMyDescription and setMyShortDescription take plain text: no HTML, no entities.
    for key, limit in (("bot-description", 512), ("bot-short-description", 120)):
        text = catalog.text(language, key)
        assert 1 <= len(text) <= limit, key
        assert not re.search(r"[<>&]", text), key


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_command_a_message_names_is_in_that_languages_menu(language):
    # Aliases work when typed, but a message shows the name the menu shows (/help lists it).
    menus = {c.name_in(language) for c in commands_for("private", admin=True)}
    menus |= {c.name_in(language) for c in commands_for("group", admin=True)}
    names = terms(language)
    missing = {
        f"{key}: /{word}"
        for key, pattern in messages(language).items()
        for word in MENTION.findall(render(pattern, names))
        if word not in menus | BOTFATHER
    }
    assert not missing, f"{language}: not in the {language} menus: {sorted(missing)}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_term_a_message_uses_is_defined(language):
    # An unknown term fails only in the variant that shows it: check every variant here.
    defined = set(terms(language))

    def used(node: object) -> set[str]:
        if isinstance(node, ast.TermReference):
            return {f"-{node.id.name}"}
        if isinstance(node, ast.BaseNode):
            return set().union(*(used(v) for v in vars(node).values()))
        if isinstance(node, list):
            return set().union(*(used(v) for v in node))
        return set()

    unknown = {
        f"{key}: {term}"
        for key, pattern in messages(language).items()
        for term in used(pattern)
        if term not in defined
    }
    assert not unknown, sorted(unknown)


# What each command takes as its first word, as its handler reads it. A message that shows
# "/settings riepilogo on" must show a word the command understands.
SUBCOMMAND_WORDS: dict[str, set[str]] = {
    "settings": {a for s in SETTINGS.values() for a in (s.name, *s.aliases)} | set(TOPIC_NAMES),
    "prompts": set(PROMPT_SUBCOMMANDS),
    "intros": {*STATS_WORDS, *NEVER_WORDS, *PAUSE_WORDS, *STOP_WORDS, *RESTART_WORDS},
    "recap": set(PREVIEW_WORDS),
    "interests": {*KIND_WORDS, *REMOVE_WORDS, *PUBLIC_WORDS},
    "ledger": {"export", "esporta"},
}
# Words that follow a command in a sentence ("send /prompts to change them") and arguments
# that are free text ("/interests python, hiking").
NOT_SUBCOMMANDS = {
    "it": {"funziona", "per", "da", "di", "e", "o", "in", "nel", "qui", "lì", "ancora", "vedi"}
    | {"pubblica", "ditemi", "raccontate"},
    "en": {"to", "for", "works", "and", "or", "in", "here", "there", "again", "shows", "alone"}
    | {"posts", "still", "one"},
}
FREE_TEXT = {"python", "—", "…", "(…"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_word_after_a_command_is_one_the_command_understands(language):
    names = terms(language)
    wrong = set()
    for command, words in SUBCOMMAND_WORDS.items():
        shown = BY_NAME[command].name_in(language)
        after = re.compile(rf"(?<![\w/<@.:&-])/{shown} ([^\s,.;:)]+)")
        for key, pattern in messages(language).items():
            for word in after.findall(render(pattern, names)):
                if word.lower() in words | NOT_SUBCOMMANDS[language] | FREE_TEXT:
                    continue
                wrong.add(f"{key}: /{shown} {word}")
    assert not wrong, f"{language}: words these commands do not understand: {sorted(wrong)}"
