"""Profile tags and the pure parts of introductions: normalisation, limits, dates, buttons."""

from datetime import date

import pytest

from bot.chat_settings import SettingError, parse_cadence
from bot.introductions import (
    CallbackTooLong,
    callback,
    chat_argument,
    chat_from_argument,
    cut_note,
    intro_argument,
    intro_from_argument,
    opening,
    parse_callback,
    parse_until,
    reason_from_record,
    reason_record,
)
from bot.matching import Reason
from bot.tags import (
    MAX_TAGS_PER_KIND,
    TagError,
    merge,
    normalize_tag,
    parse_kind,
    parse_tags,
    profile_from,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Python", "python"),
        ("  Machine   Learning ", "machine learning"),
        ("#rust", "rust"),
        ("ＰＹＴＨＯＮ", "python"),  # full-width letters (NFKC)
        ("Straße", "strasse"),  # case folding, not just lower()
        ("caffè", "caffè"),
        ("cafe\u0301", "café"),  # combining accent composes
        ("tab\tand\nnewline", "tab and newline"),
    ],
)
def test_normalize_tag(raw, expected):
    assert normalize_tag(raw) == expected


def test_parse_tags_splits_merges_duplicates_and_keeps_order():
    assert parse_tags("Python, hiking; PYTHON,\n board games, ") == [
        "python",
        "hiking",
        "board games",
    ]


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("<b>bold</b>", "intros-tag-html"),
        ("python, <script>", "intros-tag-html"),
        ("🎉🎉", "intros-tag-no-words"),
        ("python, 🙂", "intros-tag-no-words"),
        ("x" * 500, "intros-tag-too-long"),
        ("", "intros-tags-empty"),
        (" , ; ", "intros-tags-empty"),
        ("#", "intros-tag-no-words"),
        ("a\u200bb", "intros-tag-invalid"),
        (", ".join(f"tag{i}" for i in range(50)), "intros-tags-too-many"),
    ],
)
def test_bad_tags_are_refused_with_a_reason(raw, key):
    with pytest.raises(TagError) as error:
        parse_tags(raw)
    assert error.value.key == key


def test_tag_length_limit_is_40():
    assert parse_tags("y" * 40) == ["y" * 40]
    with pytest.raises(TagError):
        parse_tags("y" * 41)


def test_merge_counts_against_twenty_per_kind():
    profile = profile_from([("interest", f"t{i}") for i in range(18)] + [("offer", "x")])
    assert merge(profile, "interest", ["t1", "new1", "new2"]) == ["new1", "new2"]
    with pytest.raises(TagError) as error:
        merge(profile, "interest", ["a", "b", "c"])
    assert error.value.args_["count"] == 21
    assert error.value.args_["max"] == MAX_TAGS_PER_KIND
    assert merge(profile, "offer", ["x"]) == []


@pytest.mark.parametrize(
    ("word", "kind"),
    [("offer", "offer"), ("Offro", "offer"), ("cerco", "seek"), ("interessi", "interest")],
)
def test_parse_kind(word, kind):
    assert parse_kind(word) == kind
    assert parse_kind("python") is None


def test_callback_data_round_trips_and_fits_64_bytes():
    data = callback("f", 123, "y")
    assert data == "in:f:123:y"
    assert parse_callback(data) == ("f", ["123", "y"])
    assert parse_callback("privacy:hide") is None
    with pytest.raises(CallbackTooLong):
        callback("a", "i", "é" * 40, prefix="tg:")


def test_deep_link_arguments():
    assert chat_argument(-1001234) == "j1001234"
    assert chat_from_argument("j1001234") == -1001234
    assert chat_from_argument("x12") is None
    assert intro_from_argument(intro_argument(42)) == 42
    assert intro_from_argument("a-1") is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-12-31", date(2026, 12, 31)),
        ("31/12", date(2026, 12, 31)),
        ("1/3", date(2027, 3, 1)),  # already past this year: next year
        ("31.12.2027", date(2027, 12, 31)),
        ("31/12/27", date(2027, 12, 31)),
        ("31/02", None),
        ("tomorrow", None),
    ],
)
def test_parse_until(raw, expected):
    assert parse_until(raw, date(2026, 11, 23)) == expected


@pytest.mark.parametrize(
    ("raw", "weeks"),
    [("weekly", 1), ("2", 2), ("every 4 weeks", 4), ("quindicinale", 2), ("ogni 2 settimane", 2)],
)
def test_parse_cadence(raw, weeks):
    assert parse_cadence(raw) == weeks


def test_parse_cadence_refuses_other_numbers():
    with pytest.raises(SettingError):
        parse_cadence("3")


def test_opening_question_prefers_a_need_then_an_offer_then_an_interest():
    assert opening(Reason(("go",), ("design",), ("rust",))).tag == "rust"
    assert opening(Reason(("go",), ("design",), ())).key == "intros-question-offers"
    assert opening(Reason(("go",), (), ())).key == "intros-question-shared"
    assert opening(Reason((), (), ())).key == "intros-question-none"


def test_reason_record_round_trips():
    why = Reason(("a",), ("b",), ("c", "d"))
    assert reason_from_record(reason_record(why)) == why
    assert reason_from_record(None) == Reason((), (), ())


def test_cut_note():
    assert cut_note("   ") is None
    assert cut_note(" you  both\nlove  rust ") == "you both love rust"
    assert len(cut_note("x" * 500) or "") == 200
