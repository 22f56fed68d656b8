"""A round of introductions for a big group: wall time, memory and quality of pair_round.

Members get 3 to 20 distinct tags drawn from a Zipf-distributed vocabulary (frequency of
the k-th tag ∝ 1/k^s); each tag is an interest (60%), an offer (20%) or a seek (20%).
Quality: the round's total score against a random pairing of the same members, and on a
random sample against the exact maximum-weight matching (rustworkx's blossom algorithm,
integer weights in millionths; the ``bench`` extra installs it).

    python -m bench.matching                          # 50,000 members, exact on 2,000
    python -m bench.matching --members 2000 --sample 0
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Sequence

import numpy as np

from bot import matching
from bot.matching import Candidate, pair_round


def make_members(
    count: int, vocabulary: int = 2000, zipf: float = 1.0, seed: int = 1
) -> list[Candidate]:
    """Return ``count`` candidates with 3 to 20 Zipf-distributed tags each."""
    rng = np.random.default_rng(seed)
    names = [f"tag{k}" for k in range(vocabulary)]
    cdf = np.cumsum(1.0 / np.arange(1, vocabulary + 1) ** zipf)
    cdf /= cdf[-1]
    sizes = rng.integers(3, 21, size=count)
    draws = np.searchsorted(cdf, rng.random(int(sizes.sum()) * 3)).tolist()
    kinds = rng.random(int(sizes.sum())).tolist()
    at = kind_at = 0
    members = []
    for member_id, size in enumerate(sizes.tolist()):
        chosen: dict[int, None] = {}
        while len(chosen) < size:
            if at == len(draws):
                draws = np.searchsorted(cdf, rng.random(1000)).tolist()
                at = 0
            chosen[draws[at]] = None
            at += 1
        interests, offers, seeks = set(), set(), set()
        for tag in chosen:
            kind = kinds[kind_at]
            kind_at += 1
            (interests if kind < 0.6 else offers if kind < 0.8 else seeks).add(names[tag])
        members.append(
            Candidate(member_id, frozenset(interests), frozenset(offers), frozenset(seeks))
        )
    return members


def matching_value(result: matching.RoundResult, engine: matching._Engine) -> float:
    """Return the round's total as a matching: a trio counts as its best pair."""
    ids = {c: i for i, c in enumerate(engine.member_ids)}
    total = 0.0
    for match in result.matches:
        idx = [ids[m] for m in match.members]
        pairs = [(a, b) for x, a in enumerate(idx) for b in idx[x + 1 :]]
        keys = np.array(sorted(engine.key(a, b) for a, b in pairs), dtype=np.int64)
        total += float(engine.scores(keys).max())
    return total


def random_pairing_value(members: Sequence[Candidate], engine: matching._Engine) -> float:
    """Return the total score of a random pairing of the same members."""
    order = list(range(len(members)))
    random.Random(99).shuffle(order)
    keys = np.array(
        sorted(engine.key(a, b) for a, b in zip(order[::2], order[1::2], strict=False)),
        dtype=np.int64,
    )
    values = engine.scores(keys)
    if len(engine.banned):
        values[np.isin(keys, engine.banned)] = 0.0
    return float(values.sum())


def exact_optimum(members: Sequence[Candidate]) -> tuple[float, float, float]:
    """Return (optimum, greedy over every pair, seconds) for the members: exact blossom."""
    import rustworkx

    engine = matching._Engine(matching._order(members, 0), matching.History())
    keys, complete = engine.candidates(np.ones(engine.n, dtype=bool), 1 << 62)
    assert complete
    values = engine.scores(keys)
    keys, values = keys[values > 0], values[values > 0]
    graph = rustworkx.PyGraph()
    graph.add_nodes_from(range(engine.n))
    first, second = keys // engine.n, keys % engine.n
    graph.add_edges_from(
        list(
            zip(
                first.tolist(),
                second.tolist(),
                np.rint(values * 1e6).astype(int).tolist(),
                strict=True,
            )
        )
    )
    started = time.perf_counter()
    mates = rustworkx.max_weight_matching(graph, weight_fn=lambda weight: weight)
    seconds = time.perf_counter() - started
    lookup = dict(zip(keys.tolist(), values.tolist(), strict=True))
    optimum = sum(lookup[engine.key(a, b)] for a, b in mates)
    # The same greedy as pair_round, but over every pair: what the candidate pruning costs.
    order = np.lexsort((keys, -values))
    taken: set[int] = set()
    greedy = 0.0
    for k, value in zip(keys[order].tolist(), values[order].tolist(), strict=True):
        a, b = divmod(k, engine.n)
        if a not in taken and b not in taken:
            taken.update((a, b))
            greedy += value
    return optimum, greedy, seconds


def measure(members: Sequence[Candidate], repeats: int) -> dict[str, float]:
    """Time pair_round on the members; return seconds, peak memory and totals."""
    times, cpu = [], []
    result = None
    for _ in range(repeats):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = pair_round(members, seed=1)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    tracemalloc.start()
    pair_round(members, seed=1)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert result is not None
    engine = matching._Engine(matching._order(members, 1), matching.History())
    return {
        "seconds": statistics.median(times),
        "cpu": statistics.median(cpu),
        "peak_mb": peak / 2**20,
        "total": matching_value(result, engine),
        "random": random_pairing_value(members, engine),
        "matches": len(result.matches),
        "trios": sum(len(m.members) == 3 for m in result.matches),
        "unmatched": len(result.unmatched),
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--vocabulary", type=int, default=2000)
    parser.add_argument("--zipf", type=float, default=1.0)
    parser.add_argument("--sample", type=int, default=2000, help="0: no exact comparison")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    members = make_members(args.members, args.vocabulary, args.zipf, args.seed)
    tags = [len(c.tags) for c in members]
    print(
        f"{len(members):,} members, {sum(tags):,} tags (mean {statistics.mean(tags):.1f}), "
        f"made in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    full = measure(members, args.repeats)
    print(
        f"round: {full['seconds']:.2f} s wall, {full['cpu']:.2f} s CPU "
        f"(medians of {args.repeats}), "
        f"peak traced memory {full['peak_mb']:.0f} MB, "
        f"max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB",
        flush=True,
    )
    print(
        f"{full['matches']:,} matches ({full['trios']} trios), {full['unmatched']} unmatched; "
        f"total {full['total']:,.0f} vs random pairing {full['random']:,.0f} "
        f"(x{full['total'] / max(full['random'], 1e-9):.2f})",
        flush=True,
    )
    if args.sample:
        sample = random.Random(args.seed).sample(members, min(args.sample, len(members)))
        part = measure(sample, 1)
        optimum, greedy, seconds = exact_optimum(sample)
        print(
            f"sample of {len(sample):,}: round {part['total']:,.1f} = "
            f"{part['total'] / optimum:.1%} of the exact optimum {optimum:,.1f} "
            f"(blossom took {seconds:.0f} s); greedy over every pair: {greedy / optimum:.1%}",
            flush=True,
        )


if __name__ == "__main__":
    main(sys.argv[1:])
