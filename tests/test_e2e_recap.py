"""End to end: the weekly recap as a group sees it, through the fake Bot API server."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.text import utf16_len
from tests import factories as f
from tests.conftest import ADMIN, MEMBER

GROUP = f.group(-1011, "Makers <Milano> & co")
ROME = ZoneInfo("Europe/Rome")
CARLA = f.user(300, "Carla", username="carla", language_code="it")
DARIO = f.user(301, "Dario", language_code="it")
NASTY = f.user(302, "<b>&\"'</b> </a>", username="nasty", language_code="en")
HIDDEN = f.user(303, "Hidden", last_name="Person", language_code="it")
# Monday 23 November 2026, 09:00 in Rome: the recap of 16–22 November.
SLOT = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
THURSDAY_SLOT = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)


def at(day: int, hour: int = 12, minute: int = 0) -> int:
    """Epoch seconds of a local time in Rome in November 2026."""
    return int(datetime(2026, 11, day, hour, minute, tzinfo=ROME).timestamp())


@pytest.fixture
async def group(rete):
    rete.telegram.set_admins(GROUP["id"], ADMIN)
    await rete.send(f.my_chat_member(GROUP, ADMIN, rete.telegram.bot_user, "left", "member"))
    await rete.backdate(GROUP["id"])  # the tests' slots are before today
    rete.telegram.clear_calls()
    return GROUP


async def said(rete, sender, when, text="I can help with that"):
    update = f.message_update(f.message(GROUP, sender, text, date=when))
    await rete.send(update)
    return update["message"]


async def thank(rete, giver, target, when, text="/thanks"):
    await rete.send(f.message_update(f.message(GROUP, giver, text, reply_to=target, date=when)))


async def joined(rete, *users, when):
    for user in users:
        await rete.send(
            f.message_update(f.message(GROUP, user, date=when, new_chat_members=[user]))
        )


async def seed_week(rete):
    """A week in Makers: Carla helps two people, NASTY one; hidden member helps; Dario joins."""
    await joined(rete, DARIO, HIDDEN, when=at(17))
    carla = await said(rete, CARLA, at(17))
    nasty = await said(rete, NASTY, at(18))
    hidden = await said(rete, HIDDEN, at(18))
    await thank(rete, ADMIN, carla, at(17, 13), "/thanks per la dritta sul router")
    await thank(rete, MEMBER, carla, at(18, 9))
    await thank(rete, CARLA, nasty, at(19, 9))
    await thank(rete, CARLA, hidden, at(19, 10))
    await thank(rete, ADMIN, hidden, at(19, 11))
    for day in (16, 20, 22):
        await said(rete, MEMBER, at(day))
    await rete.send(f.command(f.private_chat(HIDDEN), HIDDEN, "/start"))
    await rete.db.members.set_hidden(HIDDEN["id"], True)
    rete.telegram.clear_calls()


def photos(rete, chat_id=GROUP["id"]):
    return rete.telegram.sent(chat_id, "sendPhoto")


async def test_scheduled_recap_with_chart_survives_a_429_and_posts_once(rete, group):
    await seed_week(rete)
    rete.telegram.fail_429("sendPhoto", retry_after=1)
    await rete.tick(SLOT)
    assert len(rete.telegram.calls_to("sendPhoto")) == 2, "the 429 was waited out and retried"
    [photo] = photos(rete)
    assert photo.files["photo"].content.startswith(b"\x89PNG")
    caption = photo.result["caption"]
    lines = caption.split("\n")
    assert lines[0] == "📰 La settimana di Makers <Milano> & co · 16 nov – 22 nov"
    # Six messages: the five /thanks are commands to Rete, not conversation.
    assert "💬 Messaggi: 6 (↑ 6)" in lines
    assert "👋 Nuovi arrivati: 2 (↑ 2)" in lines
    assert "🙏 Ringraziamenti: 5 (↑ 5)" in lines
    helpers = lines.index("Chi ha aiutato di più")
    assert lines[helpers + 1 : helpers + 4] == [
        "1. Carla — ha aiutato 2 persone",
        "    “per la dritta sul router”",
        f"2. {NASTY['first_name']} — ha aiutato una persona",
    ]
    assert "👋 Dario" in lines
    assert "Hidden" not in caption, "a hidden member is never named"
    assert rete.telegram.sent(GROUP["id"]) == [], "the text went as the caption"
    [posted] = await rete.db.recaps.posted(GROUP["id"])
    assert (posted.week, posted.kind, posted.message_ids) == (
        "2026-W48",
        "scheduled",
        (photo.result["message_id"],),
    )

    await rete.restart()
    await rete.tick(SLOT + timedelta(minutes=5))
    await rete.tick(SLOT + timedelta(hours=3))
    assert len(photos(rete)) == 1, "exactly once, across a restart"
    # An admin moves the recap to Thursday mid-week: this week's is already posted.
    await rete.send(f.command(GROUP, ADMIN, "/settings recapday gio"))
    assert rete.last_text(GROUP["id"]) == (
        "✅ Ora il riepilogo settimanale arriva ogni giovedì alle 09:00."
    )
    await rete.tick(THURSDAY_SLOT)
    assert len(photos(rete)) == 1
    assert len(await rete.db.recaps.posted(GROUP["id"])) == 1


async def test_a_long_recap_is_split_and_the_chart_follows(rete, group):
    fox = "🦊" * 64
    newcomers = [f.user(500 + n, fox, last_name=fox, language_code="it") for n in range(22)]
    await joined(rete, *newcomers, when=at(18))
    carla = await said(rete, CARLA, at(19))
    await thank(rete, ADMIN, carla, at(19, 13), "/thanks <b>grazie</b> & buona giornata")
    rete.telegram.clear_calls()
    rete.telegram.fail_429("sendMessage", retry_after=1)
    await rete.tick(SLOT)
    assert len(rete.telegram.calls_to("sendMessage")) == 3, "the 429 was waited out"
    parts = [call.params["text"] for call in rete.telegram.sent(GROUP["id"])]
    assert len(parts) == 2
    assert all(utf16_len(part) <= 4096 for part in parts)
    shown = "\n".join(call.result["text"] for call in rete.telegram.sent(GROUP["id"]))
    assert shown.count(f"👋 {fox} {fox}") == 20
    assert "…e altre 2 persone" in shown
    assert "“<b>grazie</b> & buona giornata”" in shown
    [photo] = photos(rete)
    assert photo.result["caption"] == (
        "📊 Makers <Milano> & co: messaggi e grazie al giorno, questa settimana e la scorsa"
    )
    [posted] = await rete.db.recaps.posted(GROUP["id"])
    assert posted.message_ids == (
        *(call.result["message_id"] for call in rete.telegram.sent(GROUP["id"])),
        photo.result["message_id"],
    ), "every part is recorded"


async def test_missed_slot_posts_within_a_day_else_skips(rete, group):
    await seed_week(rete)
    await rete.tick(SLOT + timedelta(hours=23))
    assert len(photos(rete)) == 1
    # The next week's slot, missed by 25 hours, is skipped.
    await rete.tick(SLOT + timedelta(days=7, hours=25))
    assert len(photos(rete)) == 1
    run = await rete.db.schedule.get(GROUP["id"], "recap", "2026-11-30T09:00")
    assert run is not None
    assert run.state == "skipped"


async def test_image_off_sends_text_only(rete, group):
    await seed_week(rete)
    await rete.send(f.command(GROUP, ADMIN, "/settings recapimage off"))
    assert rete.last_text(GROUP["id"]) == "✅ Il riepilogo arriva senza grafico."
    rete.telegram.clear_calls()
    await rete.tick(SLOT)
    assert photos(rete) == []
    assert rete.last_text(GROUP["id"]).startswith("📰 La settimana di Makers")


async def test_recap_off_posts_nothing_and_recaptime_moves_it(rete, group):
    await seed_week(rete)
    await rete.send(f.command(GROUP, ADMIN, "/settings recap off"))
    assert rete.last_text(GROUP["id"]).startswith("✅ Riepilogo settimanale spento.")
    await rete.tick(SLOT)
    assert photos(rete) == []
    await rete.send(f.command(GROUP, ADMIN, "/settings recap on"))
    await rete.send(f.command(GROUP, ADMIN, "/settings recaptime 18.30"))
    assert rete.last_text(GROUP["id"]) == (
        "✅ Ora il riepilogo settimanale arriva ogni lunedì alle 18:30."
    )
    await rete.tick(SLOT + timedelta(hours=9))
    assert photos(rete) == []
    await rete.tick(SLOT + timedelta(hours=9, minutes=30))
    assert len(photos(rete)) == 1


@pytest.mark.parametrize(
    ("failure", "code"),
    [
        ("Bad Request: not enough rights to send photos to the chat", 400),
        ("Forbidden: bot was kicked from the supergroup chat", 403),
    ],
)
async def test_rights_lost_switch_recaps_off_and_tell_admins(rete, group, failure, code):
    await seed_week(rete)
    await rete.send(f.command(f.private_chat(ADMIN), ADMIN, "/start"))
    rete.telegram.fail("sendPhoto", error_code=code, description=failure)
    await rete.tick(SLOT)
    assert photos(rete) == []
    chat = await rete.db.chats.get(GROUP["id"])
    assert chat is not None
    assert chat.settings["recap"] is False
    assert rete.last_text(ADMIN["id"]).startswith(
        "Non sono riuscito a pubblicare il riepilogo settimanale in Makers <Milano> & co"
    )


async def test_on_demand_recap_once_an_hour(rete, group):
    now = int(rete.now().timestamp())
    carla = await said(rete, CARLA, now - 3600)
    await thank(rete, MEMBER, carla, now - 1800)
    rete.telegram.clear_calls()
    await rete.send(f.command(GROUP, MEMBER, "/recap"))
    [photo] = photos(rete)
    assert "1. Carla — ha aiutato una persona" in photo.result["caption"]
    await rete.restart()  # the hour is kept in the database
    await rete.send(f.command(GROUP, CARLA, "/riepilogo"))
    [posted] = await rete.db.recaps.posted(GROUP["id"])
    allowed = (posted.posted_at + timedelta(hours=1)).astimezone(ROME)
    assert rete.last_text(GROUP["id"]) == (
        "Un riepilogo è stato pubblicato qui meno di un'ora fa. "
        f"Riprova dalle ore {allowed:%H:%M}."
    )
    assert len(photos(rete)) == 1, "the second /recap posts nothing"
    assert [p.kind for p in await rete.db.recaps.posted(GROUP["id"])] == ["manual"]


async def test_first_week_without_data_is_friendly(rete, group):
    await rete.send(f.command(GROUP, MEMBER, "/recap"))
    assert photos(rete) == []
    assert rete.last_text(GROUP["id"]).startswith(
        "🌱 Primo riepilogo di Makers <Milano> & co\nNon c'è ancora niente da contare"
    )


async def test_preview_goes_to_the_admin_only(rete, group):
    await seed_week(rete)
    await rete.send(f.command(GROUP, MEMBER, "/recap preview"))
    assert rete.last_text(GROUP["id"]) == (
        "Mi dispiace, l'anteprima del riepilogo è solo per gli admin del gruppo."
    )
    await rete.send(f.command(GROUP, ADMIN, "/recap anteprima"))
    assert rete.last_text(GROUP["id"]).startswith("Non posso ancora scriverti in privato")
    await rete.send(f.command(f.private_chat(ADMIN), ADMIN, "/start"))
    rete.telegram.clear_calls()
    await rete.send(f.command(GROUP, ADMIN, "/recap preview"))
    assert rete.last_text(GROUP["id"]) == "👀 Ti ho mandato l'anteprima in privato."
    assert rete.last_text(ADMIN["id"]).startswith(
        "👀 Anteprima del riepilogo di Makers <Milano> & co — non pubblicata:\n\n"
    )
    assert photos(rete) == []
    assert await rete.db.recaps.posted(GROUP["id"]) == []


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("/settings recapday funday", "“funday” non è un giorno della settimana."),
        ("/settings recaptime 25:00", "“25:00” non è un orario."),
        ("/settings recapimage maybe", "“maybe”"),
        ("/recap everything", "/riepilogo pubblica qui gli ultimi sette giorni"),
    ],
)
async def test_bad_input_gets_a_clear_answer_and_changes_nothing(rete, group, command, expected):
    await rete.send(f.command(GROUP, ADMIN, command))
    assert rete.last_text(GROUP["id"]).startswith(expected)
    chat = await rete.db.chats.get(GROUP["id"])
    assert chat is not None
    assert not {"recapday", "recaptime", "recapimage"} & set(chat.settings)
    assert await rete.db.recaps.posted(GROUP["id"]) == []


async def test_recap_in_private_points_to_the_group(rete):
    await rete.send(f.command(f.private_chat(MEMBER), MEMBER, "/recap"))
    assert rete.last_text(MEMBER["id"]) == "/recap works inside a group: send it there."


async def test_settings_overview_shows_the_recap(rete, group):
    await rete.send(f.command(GROUP, ADMIN, "/settings"))
    assert (
        "Riepilogo settimanale: attivo — lunedì alle 09:00 (ora del gruppo), con grafico"
        in rete.last_text(GROUP["id"])
    )


async def test_telegram_unreachable_postpones_the_recap_until_it_is_posted(rete, group):
    await seed_week(rete)
    rete.telegram.fail("sendPhoto", error_code=502, description="Bad Gateway")
    await rete.tick(SLOT)
    assert photos(rete) == []
    run = await rete.db.schedule.get(GROUP["id"], "recap", "2026-11-23T09:00")
    assert run is not None
    assert run.state == "held"
    assert run.retry_at is not None
    await rete.restart()
    await rete.tick(run.retry_at)
    assert len(photos(rete)) == 1
    assert [p.week for p in await rete.db.recaps.posted(GROUP["id"])] == ["2026-W48"]


def recap_texts(rete, chat_id=GROUP["id"]):
    """Every recap the group saw: photo captions and messages, in the order they went out."""
    calls = [c for c in rete.telegram.calls if c.method in ("sendMessage", "sendPhoto")]
    return [
        c.result.get("caption") or c.result["text"]
        for c in calls
        if c.result and c.result["chat"]["id"] == chat_id
    ]


async def chatter(rete, count: int, *, commands: bool = False) -> None:
    """``count`` messages from Bruno and Carla now; with ``commands``, as many commands too."""
    for n in range(count):
        await rete.send(f.message_update(f.message(GROUP, CARLA if n % 2 else MEMBER, "ciao")))
        if commands:
            await rete.send(f.command(GROUP, CARLA, "/help"))


async def test_a_group_new_this_week_gets_no_comparison_until_a_whole_week_is_seen(rete):
    # Rete joins on Wednesday 2 December (the clock's start), mid-week, and people talk.
    rete.telegram.set_admins(GROUP["id"], ADMIN)
    await rete.send(f.my_chat_member(GROUP, ADMIN, rete.telegram.bot_user, "left", "member"))
    await chatter(rete, 12, commands=True)
    rete.telegram.clear_calls()

    await rete.tick(datetime(2026, 12, 7, 8, 0, tzinfo=UTC))  # Monday 09:00 in Rome
    [first] = recap_texts(rete)
    lines = first.split("\n")
    assert lines[0] == "📰 La settimana di Makers <Milano> & co · 2 dic – 6 dic"
    assert "🌱 Sono qui dal 2 dic" in first
    # Twelve messages: the twelve /help commands are not conversation.
    assert "💬 Messaggi: 12" in lines
    assert "🙋 Persone attive: 2" in lines
    assert "↑" not in first
    assert "↓" not in first
    assert "(=)" not in first

    # The week after: the week before it is the one Rete joined in, still no comparison.
    rete.clock.set(datetime(2026, 12, 9, 10, 0, tzinfo=UTC))
    await chatter(rete, 11)
    rete.telegram.clear_calls()
    await rete.tick(datetime(2026, 12, 14, 8, 0, tzinfo=UTC))
    [second] = recap_texts(rete)
    assert second.split("\n")[0] == "📰 La settimana di Makers <Milano> & co · 7 dic – 13 dic"
    assert "💬 Messaggi: 11" in second.split("\n")
    assert "🌱 Sono arrivato il 2 dic, quando la settimana prima era già cominciata" in second
    assert "↑" not in second
    assert "↓" not in second

    # Two weeks after the first recap, Rete saw the whole week before: now it compares.
    rete.clock.set(datetime(2026, 12, 16, 10, 0, tzinfo=UTC))
    await chatter(rete, 15)
    rete.telegram.clear_calls()
    await rete.tick(datetime(2026, 12, 21, 8, 0, tzinfo=UTC))
    [third] = recap_texts(rete)
    assert "💬 Messaggi: 15 (↑ 4)" in third.split("\n")
    assert "🌱" not in third
    [photo] = photos(rete)
    assert photo.result["caption"] == third, "the chart comes with the comparison"


async def test_the_first_recap_on_the_day_rete_joined_agrees_with_recap_an_hour_before(rete):
    # Rete joins on Monday 7 December at 07:30 in Rome; the recap is due at 09:00.
    rete.clock.set(datetime(2026, 12, 7, 6, 30, tzinfo=UTC))
    rete.telegram.set_admins(GROUP["id"], ADMIN)
    await rete.send(f.my_chat_member(GROUP, ADMIN, rete.telegram.bot_user, "left", "member"))
    await chatter(rete, 12)
    rete.clock.set(datetime(2026, 12, 7, 7, 0, tzinfo=UTC))
    rete.telegram.clear_calls()
    await rete.send(f.command(GROUP, MEMBER, "/recap"))
    [on_demand] = recap_texts(rete)
    rete.telegram.clear_calls()

    await rete.tick(datetime(2026, 12, 7, 8, 0, tzinfo=UTC))
    [scheduled] = recap_texts(rete)
    assert scheduled.split("\n")[0] == "📰 La giornata di Makers <Milano> & co · 7 dic"
    assert "Non c'è ancora niente da contare" not in scheduled
    assert "💬 Messaggi: 12" in scheduled.split("\n")
    assert scheduled == on_demand
    assert "↑" not in scheduled
