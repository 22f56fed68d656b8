"""The 🤝 budget per group: eight in any minute, the rest wait their turn, in order."""

from datetime import UTC, datetime, timedelta

from handlers.ledger import ACKS_PER_MINUTE, ACKS_WAITING_MINUTES, Acknowledgements

NOON = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


def test_past_the_cap_they_wait_for_the_minute_in_order_and_per_group():
    acks = Acknowledgements()
    for message_id in range(1, 11):
        assert acks.owe(-1, message_id)
    assert acks.owe(-2, 1)
    first = acks.due(NOON)
    assert [m for chat, m in first if chat == -1] == list(range(1, ACKS_PER_MINUTE + 1))
    assert (-2, 1) in first, "another group's budget is its own"
    assert acks.due(NOON + timedelta(seconds=59)) == []
    assert acks.waiting() == 2
    assert acks.due(NOON + timedelta(minutes=1)) == [(-1, 9), (-1, 10)]
    assert acks.due(NOON + timedelta(minutes=5)) == []
    assert acks.waiting() == 0


def test_a_flood_keeps_ten_minutes_worth_waiting():
    acks = Acknowledgements()
    limit = ACKS_PER_MINUTE * ACKS_WAITING_MINUTES
    assert all(acks.owe(-1, n) for n in range(limit))
    assert not acks.owe(-1, limit)
    assert acks.waiting() == limit
