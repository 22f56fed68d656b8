"""`rete migrate-to postgresql://…`: an SQLite database with every kind of row, copied whole
into an empty PostgreSQL database and checked; a non-empty target is refused."""

import json
from datetime import UTC, datetime, timedelta

from bot.ledger import LedgerRules
from storage import ChatInfo, MemberInfo, open_store
from storage.intro_records import NewIntro
from storage.ledger import CreditRequest
from storage.port import TABLES
from tests.engines import table_names
from tests.test_cli import env, rete_cli

GROUP = ChatInfo(-1001234567890, "supergroup", "Makers")
ADA = MemberInfo(1, "Ada", "Lovelace", "ada", "it")
BOB = MemberInfo(2, "Bob", None, "bob", "en")
CY = MemberInfo(3, "Cy", None, None, None)
T0 = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
RULES = LedgerRules(daily_quota=5, pair_cap=3)


async def fill(store) -> None:
    """One or more rows in every table, through the repositories."""
    await store.chats.seen(GROUP)
    await store.chats.set_setting(GROUP.id, "language", "en")
    for i, member in enumerate((ADA, BOB, CY), start=1):
        await store.memberships.record_join(GROUP, member, T0, welcome=True)
        await store.memberships.record_message(GROUP, member, 10 + i, T0, T0.date())
    for giver, receiver, message in ((ADA, BOB, 12), (BOB, ADA, 11), (CY, ADA, 11)):
        request = CreditRequest(GROUP.id, giver, receiver, message, "command", T0, "2026-12-02")
        await store.ledger.give(request, RULES.judge)
    await store.ledger.first_quota_notice(GROUP.id, ADA.id, "2026-12-02")
    await store.schedule.claim(GROUP.id, "recap", "2026-12-07T09:00", T0)
    await store.admins.remember(GROUP.id, [ADA])
    await store.prompts.add(GROUP.id, "What are you building?", added_by=ADA, at=T0)
    suggestion = await store.prompts.suggest(GROUP.id, BOB, "Favourite tool?", T0)
    await store.prompts.decide(suggestion, approve=True, admin=ADA, at=T0)
    await store.prompts.suggest(GROUP.id, CY, "Pending one", T0, day="2026-12-02")
    await store.prompts.record_post(
        GROUP.id, message_id=50, key="c1", cycle=0, text="What are you building?", slot=None, at=T0
    )
    await store.prompts.record_reply(GROUP.id, 50, BOB)
    await store.intros.add_tags(ADA, "offer", ["python", "maths"], T0)
    await store.intros.add_tags(BOB, "seek", ["python"], T0)
    for member in (ADA, BOB, CY):
        await store.intros.join(GROUP.id, member, T0)
    await store.intros.add_never(CY, BOB.id, T0)
    match = NewIntro(
        (ADA.id, BOB.id),
        1.5,
        {ADA.id: {BOB.id: {"seeks_from_other": ["python"]}}, BOB.id: {ADA.id: {"shared": []}}},
    )
    await store.intros.record_round(
        GROUP.id, "2026-12-02T10:00", T0, T0 + timedelta(days=7), [match], [(CY.id, "alone")]
    )
    # An ask, routed to Bob, who offered help and got connected; Cy's own choices.
    ask = await store.asks.create(GROUP.id, ADA, "Who knows #python?", ["python"], T0)
    await store.asks.publish(ask, T0, T0 + timedelta(days=14))
    await store.asks.add_route(ask, BOB.id, "routed", T0)
    await store.asks.offer(ask, BOB, T0)
    await store.asks.set_note(ask, BOB.id, "I do")
    await store.asks.decide(await store.asks.get(ask), BOB.id, True, T0)
    await store.asks.set_prefs(CY, T0, no_connector=True)
    recap = await store.recaps.claim_scheduled(GROUP.id, "2026-W49", T0)
    await store.recaps.set_messages(recap, [70, 71])
    # Ties: a reminder, a "we talked", a reminder day and the monthly note.
    await store.ties.set_reminder(ADA.id, BOB.id, GROUP.id, 30, T0, T0 + timedelta(days=30))
    await store.ties.talked(ADA.id, BOB.id, GROUP.id, T0)
    await store.ties.claim_days([(ADA.id, "2026-12-02", BOB.id)], T0)
    await store.ties.choose_note(ADA.id, True)
    await store.ties.claim_note(ADA.id, "2026-11", T0)
    # Delivery state: the updates already handled (their copies stay refused after the
    # move) and the leader's record (hash and time only: a new leader takes over after it).
    async with store.transaction() as conn:
        await conn.execute(
            "INSERT INTO handled_updates VALUES (?, ?)", (9001, "2026-12-02T10:00:00+00:00")
        )
        await conn.execute(
            "INSERT INTO leaders VALUES (?, ?, ?, ?)",
            ("scheduler", "0" * 64, "host:1", "2026-12-02T10:00:00+00:00"),
        )


def decoded(value):
    """The value with every JSON object or array text in it decoded."""
    if isinstance(value, dict):
        return {key: decoded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [decoded(item) for item in value]
    if isinstance(value, str) and value[:1] in ("{", "["):
        return json.loads(value)
    return value


async def test_migrate_to_copies_every_table_and_refuses_a_non_empty_target(
    tmp_path, postgres_schemas
):
    lite = await open_store(tmp_path / "rete.sqlite3")
    await fill(lite)
    await lite.close()
    lite = await open_store(tmp_path / "rete.sqlite3")
    url = await postgres_schemas.new()

    code, out, err = await rete_cli("migrate-to", url, env=env(tmp_path), cwd=tmp_path)
    assert code == 0, err
    assert "every table's count checked" in out
    target = await open_store(url)
    try:
        assert set(TABLES) == set(await table_names(lite))
        for table in TABLES:
            columns = [row[1] for row in await lite.query(f"PRAGMA table_info({table})")]
            select = f"SELECT {', '.join(columns)} FROM {table} ORDER BY {', '.join(columns)}"
            theirs = [tuple(r) for r in await lite.fetchall(select)]
            ours = [tuple(r) for r in await target.fetchall(select)]
            assert theirs, f"{table} has no rows to copy: fill() must write one"
            assert ours == theirs, table
        # What members see reads the same on both engines (JSON texts the same JSON: the
        # engines space it differently).
        for member in (ADA, BOB, CY):
            ours = decoded(await target.members.export(member.id))
            assert ours == decoded(await lite.members.export(member.id))
        assert await target.intros.round_intros(1) == await lite.intros.round_intros(1)
        # Generated ids go on after the copied ones.
        request = CreditRequest(GROUP.id, CY, BOB, 99, "command", T0, "2026-12-02")
        await target.ledger.give(request, RULES.judge)
        ids = [row[0] for row in await target.fetchall("SELECT id FROM credits ORDER BY id")]
        assert ids == [1, 2, 3, 4]
    finally:
        await target.close()
        await lite.close()

    code, out, err = await rete_cli("migrate-to", url, env=env(tmp_path), cwd=tmp_path)
    assert code == 2
    assert "is not empty" in err
    assert err.count("\n") == 1, err
