"""Asks' pure logic: tags from a text, callback data, the ranking, warm paths."""

from __future__ import annotations

import math

import pytest

from bot.asks import (
    MAX_ASK_TAGS,
    AskError,
    Tap,
    best_path,
    callback,
    check_text,
    grams,
    hashtags,
    parse_callback,
    rank_helpers,
    suggest_tags,
)
from bot.matching import Holders


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("", "asks-empty"),
        ("   \n ", "asks-empty"),
        ("#tax", "asks-only-tags"),
        ("#tax #accounting, !", "asks-only-tags"),
        ("<" * 2000, "asks-too-long"),
        ("<" * 700, "asks-too-long"),  # within 1,000 characters, not once escaped
        ("x" * 1001, "asks-too-long"),
        ("🙂🙂 #tax", "asks-empty"),
    ],
)
def test_bad_texts_are_refused_with_their_reason(text, key):
    with pytest.raises(AskError) as raised:
        check_text(text)
    assert raised.value.key == key


def test_a_good_text_is_kept_as_written():
    assert check_text("  I need an accountant\nwho knows #startups ") == (
        "I need an accountant\nwho knows #startups"
    )


def test_hashtags_are_normalised_like_profile_tags():
    assert hashtags("Need #Machine_Learning and #TAX, #tax again, #<b>") == [
        "machine learning",
        "tax",
    ]


def test_grams_and_the_vocabulary_pick_the_groups_own_tags_in_text_order():
    text = "Looking for Machine Learning help, and a good accountant. #python"
    assert "machine learning" in grams(text)
    assert "python" not in grams(text)  # hashtags are taken as they are
    tags = suggest_tags(text, {"accountant", "machine learning", "help", "cooking"})
    assert tags == ["python", "machine learning", "help", "accountant"]
    many = " ".join(f"#t{k}" for k in range(20))
    assert len(suggest_tags("help " + many, ())) == MAX_ASK_TAGS


@pytest.mark.parametrize(
    "data",
    [
        "ak:h",
        "ak:h:",
        "ak:h:1:2",
        "ak:y:1",
        "ak:h:-1",
        "ak:h:١٢",
        "ak:h:+1",
        "ak:zz:1",
        "ak:w:1:2",
        "in:h:1",
        "ak:h:" + "9" * 70,
    ],
)
def test_forged_callback_data_parses_to_nothing(data):
    assert parse_callback(data) is None


def test_callback_data_round_trips():
    assert parse_callback(callback("w", 12, 34, 1)) == Tap("w", 12, (34, 1))
    assert parse_callback(callback("h", 7)) == Tap("h", 7, ())


def holders(rows, tags, size):
    return Holders.of(tags, [(m, i, o, s, size) for m, i, o, s in rows])


def test_offers_rank_before_interests_rarer_tags_weigh_more():
    tags = ("rare", "common")
    # member, interests, offers, seeks (bit 0: rare, held by 3; bit 1: common, held by 4)
    pool = holders(
        [(1, 0, 0b01, 0), (2, 0, 0b10, 0), (3, 0b10, 0, 0), (4, 0, 0, 0b11), (5, 0, 0b11, 0)],
        tags,
        100,
    )
    ranked = rank_helpers(tags, pool)
    assert [r.member_id for r in ranked] == [5, 1, 2, 3]  # the seeker (4) is nobody's help
    rare, common = math.log(101 / 3), math.log(101 / 4)
    assert ranked[0].score == pytest.approx(3 * (rare + common))
    assert ranked[1].score == pytest.approx(3 * rare)
    assert ranked[3].score == pytest.approx(common)
    assert not ranked[3].offers
    assert [r.member_id for r in rank_helpers(tags, pool, excluded={5, 1})] == [2, 3]


def test_the_warm_path_prefers_more_offered_tags_then_the_first_connector():
    offers = {10: {20: ["a"], 21: ["a", "b"]}, 11: {22: ["a", "b"]}, 12: {1: ["a", "b", "c"]}}
    path = best_path([10, 11, 12], offers, excluded={1})
    assert (path.connector_id, path.helper_id, path.tags) == (10, 21, ("a", "b"))
    assert best_path([10], {10: {10: ["a"]}}) is None
    assert best_path([], {}) is None
