"""Why a round left someone out: the reasons admins read in /intros stats."""

from bot.introductions import (
    ALONE,
    MET_RECENTLY,
    NO_ACCEPTABLE_PARTNER,
    NO_SHARED_TAGS,
    left_out_reasons,
)
from bot.matching import Candidate, History, Unmatched


def person(member_id: int, *interests: str, never: frozenset[int] = frozenset()) -> Candidate:
    return Candidate(member_id, interests=frozenset(interests), never=never)


def test_alone_no_shared_tags_met_recently_or_paired_elsewhere():
    pool = [
        person(1, "python"),
        person(2, "python"),
        person(3, "python", "chess"),
        person(4, "knitting"),
        person(5, "chess"),
        person(6, "opera", never=frozenset({7})),
        person(7, "opera"),
    ]
    # 3 and 5 met last round; 1 and 2 were paired with each other.
    history = History(rounds_since={frozenset((3, 5)): 1})
    unmatched = [
        Unmatched(3, "no-acceptable-partner"),
        Unmatched(4, "no-acceptable-partner"),
        Unmatched(5, "no-acceptable-partner"),
        Unmatched(6, "no-acceptable-partner"),
    ]
    assert left_out_reasons(unmatched, pool, history) == {
        3: NO_ACCEPTABLE_PARTNER,  # 1 and 2 fit, but were paired with each other
        4: NO_SHARED_TAGS,
        5: MET_RECENTLY,  # only 3 shares a tag, and they met last round
        6: MET_RECENTLY,  # only 7 shares one, and 6 never wants to meet them
    }


def test_the_only_candidate_is_alone():
    pool = [person(1, "python")]
    assert left_out_reasons([Unmatched(1, "alone")], pool, History()) == {1: ALONE}
