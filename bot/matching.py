"""Who should meet whom: scoring pairs of members and pairing a round of introductions.

Pure: plain dataclasses and functions, no telegram, no storage. The caller loads the
candidates (opted-in members with their tags) and the history (past pairings, help in the
ledger), calls :func:`pair_round`, :func:`best_partners` or :func:`who_knows`, and turns the
result into DMs, using :class:`Reason` to say why two people fit.

Score of a pair (a, b) in a group of N candidates
-------------------------------------------------

* A tag's rarity weight is ``w(t) = ln((N + 1) / df(t))``, where ``df(t)`` counts the
  candidates having ``t`` among their interests, offers or seeks. A tag everyone has is
  worth almost nothing; a tag two people share out of hundreds is worth a lot.
* Affinity::

      affinity = Σ w(t) for t in tags(a) ∩ tags(b)                      (shared tags)
               + COMPLEMENT · Σ w(t) for t in a.offers ∩ b.seeks        (a can help b)
               + COMPLEMENT · Σ w(t) for t in b.offers ∩ a.seeks        (b can help a)

  where ``tags(x)`` is interests ∪ offers ∪ seeks and ``COMPLEMENT = 2``: a tag one
  offers and the other seeks is also shared, so it counts three times a shared tag.
* ``score = affinity × (1 + NEW_TIE_BONUS if the ledger shows no help between them)
  × (1 − ½^(k − window) if they were paired k > window rounds ago)``: new ties are the
  point, and an old pairing is penalised less the longer ago it was.
* Hard constraints: a pair met within the last ``History.repeat_window`` rounds, or where
  one is on the other's never-list, is never proposed. A pair with affinity 0 (nothing in
  common) is not proposed either: the introduction would have nothing to say.

Pairing a round
---------------

:func:`pair_round` orders the candidates by a permutation drawn from ``seed`` (so ties are
broken fairly but reproducibly), sorts the acceptable pairs by score and takes them
greedily. Members still without a partner then join the match where they add the most
(a trio), if they are acceptable to both members. Everyone is accounted for: a member
that joined no match is reported as :class:`Unmatched`, ``alone`` if they were the only
candidate, ``no-acceptable-partner`` otherwise.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

COMPLEMENT = 2.0
NEW_TIE_BONUS = 0.25
REPEAT_WINDOW = 6


@dataclass(frozen=True)
class Candidate:
    """A member taking part in a round, with their normalised tags."""

    member_id: int
    interests: frozenset[str] = frozenset()
    offers: frozenset[str] = frozenset()
    seeks: frozenset[str] = frozenset()
    never: frozenset[int] = frozenset()  # member ids this member must never meet

    @property
    def tags(self) -> frozenset[str]:
        """Every tag of this member, whatever its kind."""
        return self.interests | self.offers | self.seeks


@dataclass(frozen=True)
class History:
    """What the group already knows about pairs: past introductions and help given."""

    # pair -> how many rounds ago they were paired (1 = last round)
    rounds_since: Mapping[frozenset[int], int] = field(default_factory=dict)
    # pairs with help between them in the ledger
    interacted: frozenset[frozenset[int]] = frozenset()
    # a pair met within this many rounds is forbidden
    repeat_window: int = REPEAT_WINDOW


@dataclass(frozen=True)
class Reason:
    """Why a member (the one asking) and another fit, from the first one's view."""

    shared: tuple[str, ...]  # shared tags, rarest first (those below excluded)
    offers_to_other: tuple[str, ...]  # what this member offers that the other seeks
    seeks_from_other: tuple[str, ...]  # what this member seeks that the other offers

    def __bool__(self) -> bool:
        return bool(self.shared or self.offers_to_other or self.seeks_from_other)


@dataclass(frozen=True)
class Match:
    """Two (or three) members introduced to each other, with the pair scores summed."""

    members: tuple[int, ...]
    score: float
    reasons: Mapping[tuple[int, int], Reason] = field(
        default_factory=dict, repr=False, compare=False, hash=False
    )

    def reason_for(self, member_id: int, other_id: int) -> Reason:
        """Return why ``other_id`` fits ``member_id`` (what to tell ``member_id``)."""
        found = self.reasons.get((member_id, other_id))
        if found is None:
            if member_id not in self.members or other_id not in self.members:
                raise KeyError((member_id, other_id))
            return Reason((), (), ())
        return found


@dataclass(frozen=True)
class Unmatched:
    """A member who got no introduction this round, and why (so they can be told)."""

    member_id: int
    why: Literal["alone", "no-acceptable-partner"]  # alone = only candidate in the round


@dataclass(frozen=True)
class RoundResult:
    """Every candidate of a round, either in one match or in ``unmatched``."""

    matches: list[Match]
    unmatched: list[Unmatched]


def tag_weights(candidates: Iterable[Candidate]) -> dict[str, float]:
    """Return each tag's rarity weight ``ln((N + 1) / df)`` in this group."""
    df: dict[str, int] = defaultdict(int)
    n = 0
    for c in candidates:
        n += 1
        for tag in c.tags:
            df[tag] += 1
    return {tag: math.log((n + 1) / count) for tag, count in df.items()}


def affinity(a: Candidate, b: Candidate, weights: Mapping[str, float]) -> float:
    """Return how much two members have in common, before history (see module docstring)."""
    shared = sum(weights.get(t, 0.0) for t in a.tags & b.tags)
    complement = sum(weights.get(t, 0.0) for t in a.offers & b.seeks) + sum(
        weights.get(t, 0.0) for t in b.offers & a.seeks
    )
    return shared + COMPLEMENT * complement


def forbidden(a: Candidate, b: Candidate, history: History) -> bool:
    """Tell whether the hard constraints rule this pair out (repeat window, never-lists)."""
    if a.member_id == b.member_id or b.member_id in a.never or a.member_id in b.never:
        return True
    ago = history.rounds_since.get(frozenset((a.member_id, b.member_id)))
    return ago is not None and ago <= history.repeat_window


def history_factor(a: int, b: int, history: History) -> float:
    """Return the multiplier history applies to a pair's affinity (bonus and penalty)."""
    pair = frozenset((a, b))
    factor = 1.0 if pair in history.interacted else 1.0 + NEW_TIE_BONUS
    ago = history.rounds_since.get(pair)
    if ago is not None and ago > history.repeat_window:
        factor *= 1.0 - 0.5 ** (ago - history.repeat_window)
    return factor


def score(
    a: Candidate, b: Candidate, weights: Mapping[str, float], history: History = History()
) -> float:
    """Return the pair's score, or 0.0 when it may not be proposed."""
    if forbidden(a, b, history):
        return 0.0
    base = affinity(a, b, weights)
    return base * history_factor(a.member_id, b.member_id, history) if base > 0 else 0.0


def _rarest_first(tags: Iterable[str], weights: Mapping[str, float]) -> tuple[str, ...]:
    return tuple(sorted(tags, key=lambda t: (-weights.get(t, 0.0), t)))


def reason(a: Candidate, b: Candidate, weights: Mapping[str, float] | None = None) -> Reason:
    """Return why ``b`` fits ``a``, from ``a``'s view; tags rarest first.

    A tag that one offers and the other seeks is listed only as an offer, not as shared.
    Without ``weights`` the rarity is taken within the two of them (so: alphabetical).
    """
    if weights is None:
        weights = tag_weights((a, b))
    offers = a.offers & b.seeks
    seeks = a.seeks & b.offers
    return Reason(
        shared=_rarest_first((a.tags & b.tags) - offers - seeks, weights),
        offers_to_other=_rarest_first(offers, weights),
        seeks_from_other=_rarest_first(seeks, weights),
    )


def _order(candidates: Sequence[Candidate], seed: int) -> list[Candidate]:
    """Return the candidates, one per member id, in a seeded order independent of input order."""
    unique = sorted({c.member_id: c for c in candidates}.values(), key=lambda c: c.member_id)
    random.Random(seed).shuffle(unique)
    return unique


def _candidate_pairs(people: Sequence[Candidate]) -> set[tuple[int, int]]:
    """Return index pairs (i < j) sharing at least one tag: the only ones with affinity > 0."""
    holders: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(people):
        for tag in c.tags:
            holders[tag].append(i)
    pairs: set[tuple[int, int]] = set()
    for group in holders.values():
        for x, i in enumerate(group):
            for j in group[x + 1 :]:
                pairs.add((i, j) if i < j else (j, i))
    return pairs


def _match(
    people: Sequence[Candidate],
    weights: Mapping[str, float],
    scored: Mapping[tuple[int, int], float],
) -> Match:
    members = tuple(c.member_id for c in people)
    reasons = {
        (a.member_id, b.member_id): reason(a, b, weights)
        for a in people
        for b in people
        if a is not b
    }
    return Match(members=members, score=sum(scored.values()), reasons=reasons)


def pair_round(
    candidates: Sequence[Candidate], history: History = History(), *, seed: int = 0
) -> RoundResult:
    """Pair a round's candidates to maximise the total score; see the module docstring."""
    people = _order(candidates, seed)
    if len(people) == 1:
        return RoundResult([], [Unmatched(people[0].member_id, "alone")])
    weights = tag_weights(people)
    edges: list[tuple[float, int, int]] = []
    for i, j in _candidate_pairs(people):
        s = score(people[i], people[j], weights, history)
        if s > 0:
            edges.append((s, i, j))
    edges.sort(key=lambda e: (-e[0], e[1], e[2]))
    partner: dict[int, int] = {}
    for _, i, j in edges:
        if i not in partner and j not in partner:
            partner[i] = j
            partner[j] = i
    groups: dict[int, list[int]] = {i: [i, j] for i, j in partner.items() if i < j}
    lookup = {(i, j): s for s, i, j in edges}

    def pair_score(i: int, j: int) -> float:
        return lookup.get((i, j) if i < j else (j, i), 0.0)

    unmatched: list[Unmatched] = []
    for k in range(len(people)):
        if k in partner:
            continue
        best: tuple[float, int] | None = None
        for key, group in groups.items():
            if len(group) != 2 or any(forbidden(people[k], people[g], history) for g in group):
                continue
            gain = sum(pair_score(k, g) for g in group)
            if gain > 0 and (best is None or gain > best[0]):
                best = (gain, key)
        if best is None:
            unmatched.append(Unmatched(people[k].member_id, "no-acceptable-partner"))
        else:
            groups[best[1]].append(k)
    matches = []
    for group in groups.values():
        scored = {(i, j): pair_score(i, j) for x, i in enumerate(group) for j in group[x + 1 :]}
        matches.append(_match([people[i] for i in group], weights, scored))
    matches.sort(key=lambda m: -m.score)
    unmatched.sort(key=lambda u: u.member_id)
    return RoundResult(matches, unmatched)


def best_partners(
    member: Candidate,
    others: Sequence[Candidate],
    history: History = History(),
    *,
    limit: int = 5,
) -> list[tuple[int, float, Reason]]:
    """Return ``member``'s best acceptable matches among ``others``: (id, score, reason)."""
    pool = [c for c in others if c.member_id != member.member_id]
    weights = tag_weights([member, *pool])
    ranked = []
    for other in pool:
        s = score(member, other, weights, history)
        if s > 0:
            ranked.append((other.member_id, s, other))
    ranked.sort(key=lambda r: (-r[1], r[0]))
    return [(mid, s, reason(member, other, weights)) for mid, s, other in ranked[:limit]]


def who_knows(
    tag: str,
    candidates: Sequence[Candidate],
    *,
    asker: Candidate | None = None,
    limit: int = 10,
) -> list[int]:
    """Return members who offer or are interested in ``tag``, best first, at most ``limit``.

    Those who offer it come before those merely interested; then, with an ``asker``, the
    better match for the asker first (never-lists respected both ways); then by member id.
    """
    pool = [c for c in candidates if tag in c.offers or tag in c.interests]
    if asker is not None:
        pool = [
            c
            for c in pool
            if c.member_id != asker.member_id
            and c.member_id not in asker.never
            and asker.member_id not in c.never
        ]
        everyone = {c.member_id: c for c in candidates}
        everyone[asker.member_id] = asker
        weights = tag_weights(everyone.values())
        fit = {c.member_id: affinity(asker, c, weights) for c in pool}
    else:
        fit = {}
    pool.sort(key=lambda c: (tag not in c.offers, -fit.get(c.member_id, 0.0), c.member_id))
    return [c.member_id for c in pool[:limit]]
