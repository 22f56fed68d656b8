"""The matching core: scores, pairing a round, best partners, who knows a tag."""

import math
import os
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from bot import matching
from bot.matching import (
    Candidate,
    History,
    Holders,
    Reason,
    Unmatched,
    best_partners,
    best_partners_among,
    pair_round,
    reason,
    score,
    tag_weights,
    who_knows,
    who_knows_among,
)


def c(
    member_id: int,
    interests: str = "",
    offers: str = "",
    seeks: str = "",
    never: tuple[int, ...] = (),
) -> Candidate:
    return Candidate(
        member_id,
        interests=frozenset(interests.split()),
        offers=frozenset(offers.split()),
        seeks=frozenset(seeks.split()),
        never=frozenset(never),
    )


def pairs(result) -> set[frozenset[int]]:
    return {frozenset(m.members) for m in result.matches}


def covered(result) -> list[int]:
    ids = [i for m in result.matches for i in m.members]
    ids += [u.member_id for u in result.unmatched]
    return sorted(ids)


# --- rarity weighting ----------------------------------------------------------------


def test_rarer_tag_weighs_more():
    group = [c(1, "python chess"), c(2, "python"), c(3, "python"), c(4, "python chess")]
    weights = tag_weights(group)
    assert weights["chess"] > weights["python"] > 0
    assert weights["chess"] == pytest.approx(math.log(5 / 2))


def test_shared_rare_tag_beats_shared_common_tag():
    # 1 shares common "python" with 2, and rare "chess" with 3.
    group = [
        c(1, "python chess"),
        c(2, "python"),
        c(3, "chess"),
        c(4, "python"),
        c(5, "python"),
    ]
    top = best_partners(group[0], group[1:], limit=5)
    assert top[0][0] == 3
    assert top[0][2].shared == ("chess",)


def test_a_pair_sharing_two_rare_tags_beats_one_sharing_one():
    group = [c(1, "go rust"), c(2, "go rust"), c(3, "go"), c(4, "go")]
    assert pairs(pair_round(group)) == {frozenset({1, 2}), frozenset({3, 4})}


# --- offer / seek complement ------------------------------------------------------------


def test_offer_matching_a_seek_beats_a_shared_interest():
    seeker = c(1, seeks="rust")
    helper = c(2, offers="rust")
    fellow = c(3, interests="rust")
    top = best_partners(seeker, [fellow, helper])
    assert [mid for mid, _, _ in top] == [2, 3]
    assert top[0][1] == pytest.approx(3 * top[1][1])


def test_reason_names_offers_and_seeks_in_each_direction():
    weights = {"rust": 3.0, "design": 1.0, "chess": 2.0, "go": 0.5}
    a = c(1, interests="chess go", offers="rust", seeks="design")
    b = c(2, interests="chess go", offers="design", seeks="rust")
    assert reason(a, b, weights) == Reason(
        shared=("chess", "go"), offers_to_other=("rust",), seeks_from_other=("design",)
    )
    assert reason(b, a, weights) == Reason(
        shared=("chess", "go"), offers_to_other=("design",), seeks_from_other=("rust",)
    )


def test_reason_lists_shared_tags_rarest_first():
    a = c(1, "common mid rare")
    b = c(2, "common mid rare")
    weights = {"common": 0.1, "mid": 1.0, "rare": 5.0}
    assert reason(a, b, weights).shared == ("rare", "mid", "common")


def test_match_reason_for_each_member():
    a = c(1, interests="chess", offers="rust", seeks="design")
    b = c(2, interests="chess", offers="design", seeks="rust")
    (match,) = pair_round([a, b]).matches
    assert match.reason_for(1, 2).offers_to_other == ("rust",)
    assert match.reason_for(2, 1).offers_to_other == ("design",)
    assert match.reason_for(2, 1).shared == ("chess",)
    with pytest.raises(KeyError):
        match.reason_for(1, 3)


def test_offer_seek_complement_decides_the_pairing():
    # Without the complement, 1-3 and 2-4 (shared interests) would tie with 1-2 and 3-4.
    group = [
        c(1, "ml", seeks="design"),
        c(2, "art", offers="design"),
        c(3, "ml", offers="sql"),
        c(4, "art", seeks="sql"),
    ]
    assert pairs(pair_round(group)) == {frozenset({1, 2}), frozenset({3, 4})}


# --- history: repeat window, new ties --------------------------------------------------


def test_repeat_window_forbids_a_recent_pair():
    group = [c(1, "chess"), c(2, "chess"), c(3, "chess"), c(4, "chess")]
    history = History(rounds_since={frozenset({1, 2}): 6, frozenset({3, 4}): 1})
    result = pair_round(group, history)
    assert frozenset({1, 2}) not in pairs(result)
    assert frozenset({3, 4}) not in pairs(result)
    assert len(result.matches) == 2


def test_repeat_window_is_configurable_and_older_pairs_are_penalised():
    a, b = c(1, "chess"), c(2, "chess")
    weights = tag_weights([a, b])
    fresh = score(a, b, weights)
    assert score(a, b, weights, History({frozenset({1, 2}): 6})) == 0.0
    assert score(a, b, weights, History({frozenset({1, 2}): 6}, repeat_window=5)) > 0
    just_out = score(a, b, weights, History({frozenset({1, 2}): 7}))
    long_ago = score(a, b, weights, History({frozenset({1, 2}): 12}))
    assert 0 < just_out < long_ago < fresh


def test_a_pair_forbidden_by_the_window_is_reported_not_dropped():
    result = pair_round([c(1, "chess"), c(2, "chess")], History({frozenset({1, 2}): 2}))
    assert result.matches == []
    assert result.unmatched == [
        Unmatched(1, "no-acceptable-partner"),
        Unmatched(2, "no-acceptable-partner"),
    ]


def test_never_interacted_pairs_get_a_bonus():
    group = [c(1, "chess"), c(2, "chess"), c(3, "chess")]
    top = best_partners(group[0], group[1:], History(interacted=frozenset({frozenset({1, 2})})))
    assert [mid for mid, _, _ in top] == [3, 2]
    assert top[0][1] > top[1][1] > 0


# --- never-lists --------------------------------------------------------------------------


@pytest.mark.parametrize("who_refuses", [1, 2])
def test_never_list_is_respected_in_either_direction(who_refuses):
    other = 2 if who_refuses == 1 else 1
    group = [c(1, "chess rust"), c(2, "chess rust"), c(3, "chess"), c(4, "chess")]
    group[who_refuses - 1] = c(who_refuses, "chess rust", never=(other,))
    result = pair_round(group)
    assert frozenset({1, 2}) not in pairs(result)
    assert covered(result) == [1, 2, 3, 4]
    assert all(mid != other for mid, _, _ in best_partners(group[who_refuses - 1], group))


def test_never_list_keeps_a_member_out_of_a_trio():
    group = [c(1, "chess", never=(3,)), c(2, "chess"), c(3, "chess")]
    result = pair_round(group)
    assert pairs(result) == {frozenset({1, 2})}
    assert result.unmatched == [Unmatched(3, "no-acceptable-partner")]


# --- group sizes, odd counts ----------------------------------------------------------------


def test_a_group_of_one_is_alone():
    assert pair_round([c(1, "chess")]) == pair_round([c(1, "chess")], seed=5)
    result = pair_round([c(1, "chess")])
    assert result.matches == []
    assert result.unmatched == [Unmatched(1, "alone")]


def test_an_empty_round_is_empty():
    result = pair_round([])
    assert result.matches == []
    assert result.unmatched == []


def test_a_group_of_two_with_something_in_common_is_one_match():
    result = pair_round([c(1, "chess"), c(2, "chess")])
    assert pairs(result) == {frozenset({1, 2})}
    assert result.unmatched == []
    assert result.matches[0].score > 0


def test_a_group_of_two_with_nothing_in_common_is_told_why():
    result = pair_round([c(1, "chess"), c(2, "rust")])
    assert result.matches == []
    assert [u.why for u in result.unmatched] == ["no-acceptable-partner"] * 2


def test_an_odd_member_joins_the_best_trio():
    group = [c(1, "chess"), c(2, "chess"), c(3, "rust go"), c(4, "rust go"), c(5, "rust")]
    result = pair_round(group)
    assert result.unmatched == []
    assert pairs(result) == {frozenset({1, 2}), frozenset({3, 4, 5})}
    trio = next(m for m in result.matches if len(m.members) == 3)
    assert trio.reason_for(5, 3).shared == ("rust",)
    assert trio.reason_for(3, 4).shared == ("go", "rust")


@pytest.mark.parametrize("size", [3, 5, 7, 9, 51])
def test_odd_counts_leave_nobody_out(size):
    group = [c(i, "chess") for i in range(size)]
    result = pair_round(group)
    assert result.unmatched == []
    assert covered(result) == list(range(size))
    assert sorted(len(m.members) for m in result.matches) == [2] * (size // 2 - 1) + [3]


def test_a_member_with_no_tags_is_reported():
    result = pair_round([c(1, "chess"), c(2, "chess"), c(3)])
    assert pairs(result) == {frozenset({1, 2})}
    assert result.unmatched == [Unmatched(3, "no-acceptable-partner")]


def test_duplicate_candidates_count_once():
    result = pair_round([c(1, "chess"), c(1, "chess"), c(2, "chess")])
    assert pairs(result) == {frozenset({1, 2})}
    assert result.unmatched == []


# --- optimality on small groups ----------------------------------------------------------


def _brute_force_best(group, history=None):
    history = history or History()
    weights = tag_weights(group)

    def best(rest):
        if len(rest) < 2:
            return 0.0
        first, others = rest[0], rest[1:]
        top = best(others)  # first left out
        for k, other in enumerate(others):
            s = score(first, other, weights, history)
            if s > 0:
                top = max(top, s + best(others[:k] + others[k + 1 :]))
        return top

    return best(list(group))


def test_pairing_is_close_to_the_optimum_on_random_small_groups():
    rng = random.Random(3)
    vocabulary = [f"t{i}" for i in range(12)]
    ratios = []
    for _ in range(30):
        group = [
            Candidate(
                i,
                interests=frozenset(rng.sample(vocabulary, rng.randint(1, 3))),
                offers=frozenset(rng.sample(vocabulary, rng.randint(0, 2))),
                seeks=frozenset(rng.sample(vocabulary, rng.randint(0, 2))),
            )
            for i in range(10)
        ]
        result = pair_round(group)
        weights = tag_weights(group)
        by_id = {x.member_id: x for x in group}
        # A trio counts as its best pair, so that the total is that of a matching.
        total = sum(
            max(score(by_id[x], by_id[y], weights) for x in m.members for y in m.members if x < y)
            for m in result.matches
        )
        ratios.append(total / _brute_force_best(group))
    assert sum(ratios) / len(ratios) >= 0.9


# --- determinism --------------------------------------------------------------------------


def _random_group(n, seed):
    rng = random.Random(seed)
    vocabulary = [f"t{i}" for i in range(8)]
    return [
        Candidate(
            i,
            interests=frozenset(rng.sample(vocabulary, 2)),
            offers=frozenset(rng.sample(vocabulary, 1)),
            seeks=frozenset(rng.sample(vocabulary, 1)),
        )
        for i in range(n)
    ]


def _summary(result):
    return [(m.members, round(m.score, 9)) for m in result.matches], result.unmatched


def test_same_seed_same_round_whatever_the_input_order():
    group = _random_group(40, seed=1)
    shuffled = group[::-1]
    assert _summary(pair_round(group, seed=7)) == _summary(pair_round(shuffled, seed=7))
    assert _summary(pair_round(group, seed=7)) == _summary(pair_round(group, seed=7))


def test_the_seed_breaks_ties():
    group = [c(i, "chess") for i in range(20)]
    rounds = {frozenset(pairs(pair_round(group, seed=s))) for s in range(5)}
    assert len(rounds) > 1


# --- best partners and who knows ----------------------------------------------------------


def test_best_partners_ranks_and_limits():
    me = c(1, "chess rust go")
    others = [c(2, "chess"), c(3, "chess rust"), c(4, "chess rust go"), c(5, "cooking"), me]
    top = best_partners(me, others, limit=2)
    assert [mid for mid, _, _ in top] == [4, 3]
    assert all(s > 0 for _, s, _ in top)
    assert top[0][2].shared == ("go", "rust", "chess")


def test_best_partners_skips_recent_pairs():
    me = c(1, "chess")
    history = History({frozenset({1, 2}): 1})
    assert [mid for mid, _, _ in best_partners(me, [c(2, "chess"), c(3, "chess")], history)] == [3]


def test_who_knows_lists_offers_first_then_interests_without_seekers():
    group = [
        c(1, interests="rust"),
        c(2, offers="rust"),
        c(3, seeks="rust"),
        c(4, interests="go"),
        c(5, offers="rust", interests="go"),
    ]
    assert who_knows("rust", group) == [2, 5, 1]


def test_who_knows_ranks_by_fit_with_the_asker_and_respects_never_lists():
    asker = c(9, "go chess", never=(4,))
    group = [
        c(1, offers="rust"),
        c(2, offers="rust", interests="go chess"),
        c(3, offers="rust", interests="chess"),
        c(4, offers="rust", interests="go chess"),
        c(5, interests="rust go chess"),
        c(6, offers="rust", never=(9,)),
        asker,
    ]
    assert who_knows("rust", group, asker=asker) == [2, 3, 1, 5]


def test_who_knows_stops_at_the_limit():
    group = [c(i, offers="rust") for i in range(30)]
    assert who_knows("rust", group) == list(range(10))
    assert who_knows("rust", group, limit=3) == [0, 1, 2]
    assert who_knows("nobody", group) == []


# --- the vectorised engine agrees with the plain definitions ------------------------------


def _zipf_group(n, seed, vocabulary=60):
    rng = random.Random(seed)
    names = [f"t{k}" for k in range(vocabulary)]
    cum = [1 / (k + 1) for k in range(vocabulary)]

    def draw(k):
        return frozenset(rng.choices(names, weights=cum, k=k))

    return [
        Candidate(
            i * 7 + 3,
            interests=draw(rng.randint(1, 6)),
            offers=draw(rng.randint(0, 2)),
            seeks=draw(rng.randint(0, 2)),
            never=frozenset(rng.sample(range(3, n * 7, 7), 1))
            if rng.random() < 0.1
            else frozenset(),
        )
        for i in range(n)
    ]


def _history(group, seed):
    rng = random.Random(seed)
    ids = [x.member_id for x in group]
    return History(
        rounds_since={frozenset(rng.sample(ids, 2)): rng.randint(1, 12) for _ in range(40)},
        interacted=frozenset(frozenset(rng.sample(ids, 2)) for _ in range(40)),
    )


def test_engine_scores_equal_the_plain_score():
    group = _zipf_group(80, seed=5)
    history = _history(group, seed=6)
    people = matching._order(group, 0)
    engine = matching._Engine(people, history)
    weights = tag_weights(group)
    keys, complete = engine.candidates(np.ones(engine.n, dtype=bool), 10**9)
    assert complete
    values = dict(zip(keys.tolist(), engine.scores(keys).tolist(), strict=True))
    for i, a in enumerate(people):
        for j in range(i + 1, len(people)):
            expected = score(a, people[j], weights, history)
            assert values.get(engine.key(i, j), 0.0) == pytest.approx(expected), (i, j)


def _sequential_greedy(keys, values, n):
    taken, out = set(), []
    pairs_by_rank = sorted(
        zip(values.tolist(), keys.tolist(), strict=True), key=lambda e: (-e[0], e[1])
    )
    for _, key in pairs_by_rank:
        i, j = divmod(key, n)
        if i not in taken and j not in taken:
            taken.update((i, j))
            out.append(key)
    return out


@pytest.mark.parametrize("seed", range(5))
def test_vectorised_greedy_takes_the_same_pairs_as_sequential_greedy(seed):
    rng = np.random.default_rng(seed)
    n = 300
    first = rng.integers(0, n - 1, size=3000)
    second = first + rng.integers(1, n - first)
    keys = np.unique(first * n + second)
    values = rng.integers(1, 20, size=len(keys)).astype(float)  # many ties
    assert sorted(matching._greedy(keys, values, n)) == sorted(_sequential_greedy(keys, values, n))


def test_vectorised_greedy_finishes_a_long_chain():
    n = 400
    keys = np.array([i * n + i + 1 for i in range(n - 1)])
    values = np.arange(1, n, dtype=float)  # each pair better than the one before it
    assert sorted(matching._greedy(keys, values, n)) == sorted(_sequential_greedy(keys, values, n))


def test_passes_over_a_pruned_candidate_set_still_account_for_everyone(monkeypatch):
    group = _zipf_group(301, seed=8)
    history = _history(group, seed=9)
    complete = pair_round(group, history, seed=2)
    monkeypatch.setattr(matching, "MIN_PAIRS", 50)
    monkeypatch.setattr(matching, "PAIRS_PER_MEMBER", 2)
    pruned = pair_round(group, history, seed=2)
    assert covered(pruned) == sorted(x.member_id for x in group)
    weights = tag_weights(group)
    by_id = {x.member_id: x for x in group}
    for m in pruned.matches:
        for x in m.members:
            for y in m.members:
                if x < y:
                    assert not matching.forbidden(by_id[x], by_id[y], history)
    total = sum(m.score for m in pruned.matches)
    assert total >= 0.8 * sum(m.score for m in complete.matches)
    # Match scores are the plain scores of the pairs they contain.
    for m in pruned.matches:
        pairs_in = [(x, y) for x in m.members for y in m.members if x < y]
        assert m.score == pytest.approx(
            sum(score(by_id[x], by_id[y], weights, history) for x, y in pairs_in)
        )


# --- the benchmark runs (tiny; timings are printed, never asserted) ------------------------


def test_benchmark_runs_on_a_small_group(capsys):
    from bench import matching as bench

    bench.main(["--members", "300", "--vocabulary", "100", "--sample", "0", "--repeats", "1"])
    out = capsys.readouterr().out
    assert "300 members" in out
    assert "vs random pairing" in out


def test_benchmark_compares_with_the_exact_optimum(capsys):
    pytest.importorskip("rustworkx")
    from bench import matching as bench

    bench.main(["--members", "200", "--vocabulary", "80", "--sample", "60", "--repeats", "1"])
    assert "of the exact optimum" in capsys.readouterr().out


def test_a_group_sharing_one_tag_only_is_paired_within_the_budget(monkeypatch):
    monkeypatch.setattr(matching, "MIN_PAIRS", 50)
    monkeypatch.setattr(matching, "PAIRS_PER_MEMBER", 2)
    group = [c(i, "python") for i in range(401)]
    result = pair_round(group)
    assert result.unmatched == []
    assert covered(result) == list(range(401))
    assert sorted(len(m.members) for m in result.matches) == [2] * 199 + [3]


def test_offerers_and_seekers_of_one_tag_are_paired_within_the_budget(monkeypatch):
    monkeypatch.setattr(matching, "MIN_PAIRS", 50)
    monkeypatch.setattr(matching, "PAIRS_PER_MEMBER", 1)
    group = [c(i, offers="sql") for i in range(100)] + [c(i, seeks="sql") for i in range(100, 200)]
    result = pair_round(group)
    assert result.unmatched == []
    for m in result.matches:
        assert len(m.members) == 2
        assert min(m.members) < 100 <= max(m.members)  # every pair an offer and a seek


def test_members_without_tags_are_reported_quickly():
    group = [c(i) for i in range(3000)] + [c(5000, "chess"), c(5001, "chess")]
    result = pair_round(group)
    assert pairs(result) == {frozenset({5000, 5001})}
    assert len(result.unmatched) == 3000
    assert {u.why for u in result.unmatched} == {"no-acceptable-partner"}


def test_improve_swaps_partners_when_that_raises_the_total():
    group = [c(0, "p r"), c(1, "p s"), c(2, "q r"), c(3, "q s")] + [
        c(i, "r s") for i in range(4, 10)
    ]
    engine = matching._Engine(group, History())  # index = member id here
    mate = np.full(engine.n, -1)
    mate[[0, 2, 1, 3]] = [2, 0, 3, 1]  # (0, 2) share common r, (1, 3) common s
    keys = np.array([engine.key(0, 1), engine.key(0, 2), engine.key(1, 3), engine.key(2, 3)])
    values = engine.scores(keys)
    own = np.zeros(engine.n)
    own[[0, 2]] = values[1]
    own[[1, 3]] = values[2]
    engine.improve(mate, own, keys, values)
    assert mate[:4].tolist() == [1, 0, 3, 2]  # (0, 1) share rare p, (2, 3) rare q
    assert own[0] == pytest.approx(values[0])
    assert own[2] == pytest.approx(values[3])


def test_same_seed_same_round_in_every_process():
    # Set iteration order changes with PYTHONHASHSEED; the round must not.
    script = (
        "import sys; sys.path.insert(0, 'tests'); from test_matching import _zipf_group, "
        "_history; from bot.matching import pair_round; g = _zipf_group(400, 1); "
        "r = pair_round(g, _history(g, 2), seed=3); "
        "print([(m.members, m.score.hex()) for m in r.matches], r.unmatched)"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).parent.parent,
            env={**os.environ, "PYTHONHASHSEED": str(hash_seed)},
        ).stdout
        for hash_seed in (1, 2, 3)
    }
    assert len(outputs) == 1


def test_after_the_swaps_no_swap_between_two_pairs_would_raise_the_total(monkeypatch):
    monkeypatch.setattr(matching, "IMPROVE_ROUNDS", 100)
    group = _zipf_group(120, seed=11)
    history = _history(group, seed=12)
    result = pair_round(group, history, seed=4)
    weights = tag_weights(group)
    by_id = {x.member_id: x for x in group}
    pairs_now = [m.members for m in result.matches if len(m.members) == 2]

    def s(x, y):
        return score(by_id[x], by_id[y], weights, history)

    for k, (a, b) in enumerate(pairs_now):
        for c_, d in pairs_now[k + 1 :]:
            for x, y, z, w in ((a, c_, b, d), (a, d, b, c_)):
                current = s(a, b) + s(c_, d)
                if s(x, y) > 0.5 * current and s(z, w) > 0:
                    assert s(x, y) + s(z, w) <= current + 1e-6, (a, b, c_, d)


# --- the arrays' search agrees with the reference ------------------------------------------


def holder_rows(
    asker: Candidate, others: list[Candidate], shuffle: random.Random | None = None
) -> tuple[tuple[str, ...], list[tuple[int, int, int, int, int]]]:
    """The rows a search gives for ``asker``: who holds one of their tags, as bit masks
    over the asker's tags (sorted), in the order the database may give them."""
    tags = tuple(sorted(asker.tags))
    bits = {tag: 1 << k for k, tag in enumerate(tags)}

    def mask(held: frozenset[str]) -> int:
        return sum(bits[tag] for tag in held if tag in bits)

    rows = [
        (o.member_id, mask(o.interests), mask(o.offers), mask(o.seeks), len(others))
        for o in others
        if o.tags & asker.tags
    ]
    if shuffle is not None:
        shuffle.shuffle(rows)
    return tags, rows


def _holders_of(asker: Candidate, others: list[Candidate], rng: random.Random) -> Holders:
    return Holders.of(*holder_rows(asker, others, rng))


@pytest.mark.parametrize("tag_count", [1, 7, 8, 9, 16, 17, 24, 40])
def test_the_arrays_rank_partners_and_knowers_as_the_reference(tag_count: int) -> None:
    # Masks wider than a byte take several table lookups (bot.matching._approximate): the
    # scores and the order must be the reference's all the same, ties included.
    rng = random.Random(tag_count)
    vocabulary = [f"t{k}" for k in range(tag_count + 3)]
    for _ in range(20):
        people = []
        for member_id in range(1, 80):
            held = rng.sample(vocabulary, rng.randint(1, min(6, len(vocabulary))))
            kinds: dict[str, list[str]] = {"interest": [], "offer": [], "seek": []}
            for tag in held:
                kinds[rng.choice(list(kinds))].append(tag)
            people.append(c(member_id, *(" ".join(kinds[k]) for k in kinds)))
        asker = Candidate(
            1000,
            interests=frozenset(vocabulary[: tag_count // 2 + 1]),
            offers=frozenset(vocabulary[tag_count // 2 : tag_count]),
            seeks=frozenset(vocabulary[tag_count // 3 : tag_count // 3 + 3]),
        )
        weights = tag_weights([asker, *people])
        weights = {tag: weights[tag] for tag in asker.tags if tag in weights}
        found = _holders_of(asker, people, rng)
        expected = best_partners(asker, people, limit=7, weights=weights)
        got = best_partners_among(asker, found, limit=7, weights=weights)
        assert [(o.member_id, s) for o, s, _ in got] == [(m, s) for m, s, _ in expected]
        assert [why for _, _, why in got] == [why for _, _, why in expected]
        tag = rng.choice(sorted(asker.interests))
        known = who_knows(tag, people, asker=asker, limit=10, weights=weights)
        assert [m for m, _ in who_knows_among(tag, found, asker=asker, weights=weights)] == known
