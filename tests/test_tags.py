"""Profile tags and the pure parts of introductions: normalisation, limits, dates, buttons."""

import random
from datetime import date

import pytest

from bot.chat_settings import SettingError, parse_cadence
from bot.introductions import (
    CallbackTooLong,
    callback,
    candidate,
    chat_argument,
    chat_from_argument,
    cut_note,
    intro_argument,
    intro_from_argument,
    meet_choices,
    opening,
    parse_callback,
    parse_until,
    rank_knowers,
    reason_from_record,
    reason_record,
)
from bot.matching import History, Reason, best_partners, reason, who_knows
from bot.tags import (
    MAX_TAGS_PER_KIND,
    TagError,
    merge,
    normalize_tag,
    parse_kind,
    parse_tags,
    profile_from,
)
from storage.intro_records import CandidateRow, TagHolders


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
    "forged",
    ["j", "j-5", "j--5", "j" + "9" * 20, "j１２", "j١٢", "j²", "j12\n", "a", "a" + "9" * 20],
)
def test_deep_link_arguments_refuse_what_is_not_an_id(forged):
    # bot.numbers.parse_number: ASCII digits, at most 18 of them, no sign.
    assert chat_from_argument(forged) is None
    assert intro_from_argument(forged.replace("j", "a", 1)) is None


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


def _random_group(rng: random.Random, members: int, tags: int) -> list[CandidateRow]:
    """Members with 0 to 6 random (kind, tag) pairs; a few never-lists. Ties are common."""
    vocabulary = [f"t{i}" for i in range(tags)]
    kinds = ("interest", "offer", "seek")
    rows = []
    for member_id in range(1, members + 1):
        held = {(rng.choice(kinds), rng.choice(vocabulary)) for _ in range(rng.randint(0, 6))}
        never = (
            frozenset(rng.sample(range(1, members + 1), 2)) if rng.random() < 0.2 else frozenset()
        )
        rows.append(CandidateRow(member_id, tuple(sorted(held)), never))
    return rows


def _holders(rows: list[CandidateRow], tags: set[str], size: int) -> TagHolders:
    """What storage gives for these tags: bit masks of each kind, for those holding one."""
    order = sorted(tags)
    found = []
    for row in rows:
        masks = {"interest": 0, "offer": 0, "seek": 0}
        for kind, tag in row.tags:
            if tag in tags:
                masks[kind] |= 1 << order.index(tag)
        if any(masks.values()):
            found.append((row.member_id, masks["interest"], masks["offer"], masks["seek"], size))
    random.Random(len(found)).shuffle(found)  # storage promises no order
    return TagHolders(tuple(order), found)


@pytest.mark.parametrize("seed", range(6))
def test_rank_knowers_from_holders_ranks_like_who_knows_over_everyone(seed):
    # /whoknows reads only bit masks of the holders of the tag or of the asker's tags, and
    # ranks them with numpy: the same members in the same order as who_knows over the
    # whole group's Candidates, ties included (few tags, many members: fits often tie).
    rng = random.Random(seed)
    rows = _random_group(rng, 80, 10)
    pool = [candidate(r.member_id, r.tags, r.never) for r in rows]
    never_of = {r.member_id: r.never for r in rows}
    outsider = candidate(99, [("offer", "t1"), ("seek", "t2"), ("interest", "t3")], [5])
    for asker in (pool[0], pool[1], outsider, None):
        everyone = pool if asker is None or asker.member_id != 99 else [*pool, asker]
        avoided = (
            [m for m, never in never_of.items() if asker.member_id in never]
            if asker is not None
            else []
        )
        mine = asker.tags if asker is not None else frozenset()
        for tag in [f"t{i}" for i in range(10)]:
            holders = _holders(rows, {*mine, tag}, len(pool))
            found = rank_knowers(tag, holders, asker, avoided, limit=10)
            expected = who_knows(tag, everyone, asker=asker, limit=10)
            assert [m for m, _ in found] == expected
            offering = {c.member_id for c in pool if tag in c.offers}
            assert all(offers == (m in offering) for m, offers in found)


@pytest.mark.parametrize("seed", range(6))
def test_meet_choices_from_holders_equal_best_partners_over_everyone(seed):
    # /meet reads only bit masks of those holding one of the asker's tags, and ranks them
    # with numpy: the same partners, scores (to the last bit) and reasons as best_partners
    # over every candidate, ties, never-lists and history included.
    rng = random.Random(100 + seed)
    rows = _random_group(rng, 90, 8)
    pool = [candidate(r.member_id, r.tags, r.never) for r in rows]
    never_of = {r.member_id: r.never for r in rows}
    ids = [r.member_id for r in rows]
    for me in (*pool[:4], candidate(99, [("seek", "t1"), ("interest", "t2")], [4])):
        pairs = [frozenset((me.member_id, other)) for other in rng.sample(ids, 12)]
        past = History(
            rounds_since={pair: rng.randint(1, 12) for pair in pairs[:8] if len(pair) == 2},
            interacted=frozenset(pair for pair in pairs[6:] if len(pair) == 2)
            | {frozenset((ids[1], ids[2]))},
        )
        everyone = [c for c in pool if c.member_id != me.member_id]
        for limit in (5, 40):
            expected = best_partners(me, everyone, past, limit=limit)
            avoided = [m for m, never in never_of.items() if me.member_id in never]
            holders = _holders(rows, set(me.tags), len(pool))
            found = meet_choices(me, holders, past, avoided, limit=limit)
            assert [(c.member_id, c.score, c.mine) for c in found] == expected
            by_id = {c.member_id: c for c in pool}
            assert [c.theirs for c in found] == [reason(by_id[c.member_id], me) for c in found]
