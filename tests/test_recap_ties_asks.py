"""The recap's asks line and its one connectors line (asks and ties as one design)."""

from bot.i18n import Catalog
from bot.recap import AskNumbers, IntroNumbers, render
from tests.fake_telegram import parse_html
from tests.test_recap import busy_facts

catalog = Catalog()


def text_of(language: str = "en", **changes) -> str:
    return parse_html(render(busy_facts(**changes), catalog, language, "Makers"))[0]


def test_the_asks_line_says_what_is_waiting_unless_the_nudge_does():
    # Newcomers without interests take the nudge: the asks line says what is waiting.
    text = text_of(asks=AskNumbers(solved=2, unanswered=3), newcomers_without_interests=1)
    assert "🙋 Asks: 2 solved this week, 3 still without an answer" in text
    assert "no answer yet" not in text
    # The open asks take the nudge: said there, once.
    text = text_of(asks=AskNumbers(solved=1, unanswered=1))
    assert "🙋 Asks: one solved this week\n" in text
    assert "One ask here has no answer yet" in text
    assert "still without an answer" not in text
    text = text_of("it", asks=AskNumbers(solved=0, unanswered=2), newcomers_without_interests=1)
    assert "🙋 Richieste: nessuna risolta questa settimana, 2 ancora senza risposta" in text
    # Nothing solved, nothing waiting: no asks line.
    assert "Asks:" not in text_of(asks=AskNumbers(solved=0, unanswered=0))


def test_one_connectors_line_even_without_introductions():
    connectors = (("Cesare", 2), ("Dora", 2))
    text = text_of(connectors=connectors, introductions=IntroNumbers(made=0, met=0))
    assert text.count("Connectors this week") == 1
    assert "\n\n🤝 Connectors this week" in text  # its own paragraph
    assert "through an ask): Cesare (2), Dora (2)" in text
    text = text_of("it", connectors=connectors)
    assert "con una presentazione o una richiesta: Cesare (2), Dora (2)" in text
