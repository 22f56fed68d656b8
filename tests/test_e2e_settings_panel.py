"""End to end: the /settings panel, tapped by admins and by others, in both languages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot.chat_settings import PANEL_LIFETIME
from tests import factories as f
from tests.conftest import ADMIN, MEMBER

GROUP = f.group(-1041, "Makers")
FORUM = f.group(-1042, "Forum", is_forum=True)
OTHER = f.group(-1043, "Yonder")
DARIO = f.user(101, "Dario", username="dario", language_code="it")
BEA = f.user(300, "Bea", username="bea", language_code="en")


@pytest.fixture
async def group(rete):
    rete.telegram.set_admins(GROUP["id"], ADMIN, DARIO)
    rete.telegram.set_admins(FORUM["id"], ADMIN)
    rete.telegram.set_admins(OTHER["id"], BEA)
    for chat in (GROUP, FORUM, OTHER):
        await rete.send(f.my_chat_member(chat, ADMIN, rete.telegram.bot_user, "left", "member"))
    rete.telegram.clear_calls()
    return GROUP


class Panel:
    """The panel message as the group sees it now (after every edit)."""

    def __init__(self, rete: Any, chat_id: int, message_id: int) -> None:
        self.rete, self.chat_id, self.message_id = rete, chat_id, message_id

    @property
    def message(self) -> dict[str, Any]:
        found = self.rete.telegram.message(self.chat_id, self.message_id)
        assert found is not None
        return found

    @property
    def text(self) -> str:
        return self.message["text"]

    @property
    def rows(self) -> list[list[str]]:
        """The buttons' labels, row by row."""
        markup = self.message.get("reply_markup") or {}
        return [[b["text"] for b in row] for row in markup.get("inline_keyboard", [])]

    @property
    def labels(self) -> list[str]:
        return [label for row in self.rows for label in row]

    def data(self, label: str) -> str:
        markup = self.message.get("reply_markup") or {}
        found = [
            b["callback_data"]
            for row in markup.get("inline_keyboard", [])
            for b in row
            if b["text"] in (label, f"✓ {label}")
        ]
        assert len(found) == 1, f"no single button {label!r} in {self.rows}"
        return found[0]

    async def press_data(self, who: dict[str, Any], data: str) -> str | None:
        """Press a button with ``data``; return the answer's text (alert or toast)."""
        before = len(self.rete.telegram.calls_to("answerCallbackQuery"))
        await self.rete.send(f.callback_query(who, data, self.message))
        answers = self.rete.telegram.calls_to("answerCallbackQuery")[before:]
        assert len(answers) == 1, "every tap is answered once"
        return answers[0].params.get("text")

    async def tap(self, label: str, who: dict[str, Any] = ADMIN) -> str | None:
        return await self.press_data(who, self.data(label))


async def open_panel(rete, chat=GROUP, who=ADMIN, command="/settings", **kw) -> Panel:
    await rete.send(f.message_update(f.message(chat, who, command, **kw)))
    sent = rete.telegram.sent(chat["id"])[-1]
    return Panel(rete, chat["id"], sent.result["message_id"])


async def stored(rete, chat=GROUP) -> dict[str, Any]:
    return dict((await rete.db.chats.get(chat["id"])).settings)


# ---- what an admin sees and does -----------------------------------------------------------


async def test_the_first_page_lists_every_feature_in_italian(rete, group):
    panel = await open_panel(rete, command="/impostazioni")
    assert panel.text.startswith("Impostazioni di Rete per Makers")
    assert "Toccate una funzione qui sotto" in panel.text
    assert "Riepilogo settimanale: attivo — lunedì alle 09:00" in panel.text
    assert panel.rows == [
        ["🌍 Lingua, fuso orario, argomento"],
        ["🤝 Registro dei grazie", "💬 Spunti"],
        ["📊 Riepilogo settimanale", "👋 Presentazioni"],
        ["🙋 Richieste"],
        ["Fatto"],
    ]


async def test_the_first_page_in_english(rete, group):
    await rete.send(f.command(GROUP, ADMIN, "/settings language en"))
    panel = await open_panel(rete)
    assert panel.text.startswith("Rete settings for Makers")
    assert "Tap a feature below" in panel.text
    assert panel.rows[1] == ["🤝 Help ledger", "💬 Prompts"]


async def test_the_recap_page_changes_day_time_and_chart_in_place(rete, group):
    panel = await open_panel(rete)
    assert await panel.tap("📊 Riepilogo settimanale") is None
    assert panel.text.startswith("Riepilogo settimanale\nStato: attivo, ogni lunedì alle 09:00")
    assert "/impostazioni orariepilogo 18:30" in panel.text
    assert panel.rows[:4] == [
        ["✓ Riepilogo attivo", "Riepilogo spento"],
        ["✓ lun", "mar", "mer", "gio", "ven", "sab", "dom"],
        ["08:00", "✓ 09:00", "12:00", "18:00", "20:00"],
        ["✓ Con grafico", "Senza grafico"],
    ]
    toast = await panel.tap("gio")
    # The toast is the typed form's confirmation.
    assert toast is not None
    assert toast.startswith("✅")
    assert "giovedì alle 09:00" in toast
    assert (await stored(rete))["recapday"] == 3
    assert "ogni giovedì alle 09:00" in panel.text
    assert "✓ gio" in panel.rows[1]
    assert "lun" in panel.rows[1]
    await panel.tap("18:00")
    await panel.tap("Senza grafico")
    settings = await stored(rete)
    assert (settings["recaptime"], settings["recapimage"]) == ("18:00", False)
    assert "ogni giovedì alle 18:00 (ora del gruppo), senza grafico" in panel.text
    # The whole panel is one message, edited in place: nothing new was posted.
    assert len(rete.telegram.sent(GROUP["id"])) == 1
    assert len(rete.telegram.sent(GROUP["id"], "editMessageText")) == 4


async def test_the_same_setting_typed_and_tapped_is_stored_alike(rete, group):
    await rete.send(f.command(GROUP, ADMIN, "/settings recapday gio"))
    typed = await stored(rete)
    await rete.send(f.command(GROUP, ADMIN, "/settings recapday lun"))
    panel = await open_panel(rete)
    await panel.tap("📊 Riepilogo settimanale")
    await panel.tap("gio")
    assert await stored(rete) == typed


async def test_switching_the_language_redraws_the_panel_in_it(rete, group):
    panel = await open_panel(rete)
    await panel.tap("🌍 Lingua, fuso orario, argomento")
    assert "Lingua: italiano" in panel.text
    assert "/impostazioni fuso Europe/London" in panel.text
    assert "Questo gruppo non ha argomenti" in panel.text
    assert panel.rows[0] == ["✓ 🇮🇹 Italiano", "🇬🇧 English"]
    toast = await panel.tap("🇬🇧 English")
    assert toast == "✅ From now on I'll speak English in this group."
    assert (await stored(rete))["language"] == "en"
    assert panel.text.startswith("Language, time zone and topic\nLanguage: English")
    assert "/settings timezone Europe/London" in panel.text
    assert panel.rows[0] == ["🇮🇹 Italiano", "✓ 🇬🇧 English"]
    assert panel.rows[-1] == ["◀ All settings", "Done"]
    await panel.tap("◀ All settings")
    assert panel.text.startswith("Rete settings for Makers")


async def test_the_ledger_page_in_english(rete, group):
    await rete.send(f.command(GROUP, ADMIN, "/settings lingua inglese"))
    panel = await open_panel(rete)
    await panel.tap("🤝 Help ledger")
    assert "Scored thanks per person per day: 5" in panel.text
    assert "/settings reactions 🙏 👍 (or off)" in panel.text
    assert panel.rows[:3] == [
        ["✓ Ledger on", "Ledger off"],
        ["1 a day", "3 a day", "✓ 5 a day", "10 a day"],
        ["1 per pair", "2 per pair", "✓ 3 per pair", "5 per pair"],
    ]
    toast = await panel.tap("10 a day")
    assert toast == "✅ Each person's first 10 thanks a day will score."
    assert (await stored(rete))["quota"] == 10
    await panel.tap("Ledger off")
    assert (await stored(rete))["ledger"] is False
    assert "State: off" in panel.text


async def test_the_prompts_page_keeps_the_time_when_the_days_change(rete, group):
    panel = await open_panel(rete)
    await panel.tap("💬 Spunti")
    assert panel.rows[1] == ["✓ lun, gio", "mar, ven", "lun, mer, ven", "lun–ven", "Ogni giorno"]
    await panel.tap("18:00")
    await panel.tap("lun–ven")
    assert (await stored(rete))["promptschedule"] == {"days": [0, 1, 2, 3, 4], "at": "18:00"}
    assert "✓ lun–ven" in panel.rows[1]
    assert "✓ 18:00" in panel.rows[2]
    await panel.tap("Spunti attivi")
    assert (await stored(rete))["prompts"] is True
    assert "/impostazioni silenzio 23:00-07:00" in panel.text
    await panel.tap("Nessun silenzio")
    assert (await stored(rete))["quiethours"] == "off"


async def test_turning_introductions_on_from_the_panel_invites_the_group(rete, group):
    panel = await open_panel(rete)
    await panel.tap("👋 Presentazioni")
    await panel.tap("Ogni settimana")
    toast = await panel.tap("Presentazioni attive")
    assert toast is not None
    assert toast.startswith("✅ Presentazioni: ogni")
    settings = await stored(rete)
    assert (settings["intros"], settings["introsevery"]) == (True, 1)
    # As typed "/settings intros on": the invitation to join goes to the group.
    invitation = rete.telegram.sent(GROUP["id"])[-1]
    assert invitation.result["message_id"] != panel.message_id
    assert "reply_markup" in invitation.params


async def test_a_topic_is_left_from_the_panel_and_set_by_typing(rete, group):
    in_topic = {"thread_id": 77, "is_topic_message": True}
    await rete.send(f.message_update(f.message(FORUM, ADMIN, "/settings topic", **in_topic)))
    panel = await open_panel(rete, chat=FORUM)
    await panel.tap("🌍 Lingua, fuso orario, argomento")
    assert "Dove pubblico: l'argomento n. 77" in panel.text
    assert "dall'interno di quell'argomento" in panel.text
    toast = await panel.tap("Pubblica nella chat principale")
    assert toast == "✅ D'ora in poi pubblico nella chat principale."
    assert "topic" not in await stored(rete, FORUM)
    assert "Pubblica nella chat principale" not in panel.labels


async def test_done_closes_the_panel(rete, group):
    panel = await open_panel(rete)
    await panel.tap("Fatto")
    assert panel.text.startswith("✅ Pannello chiuso: ogni modifica è già salvata.")
    assert panel.rows == []


async def test_the_same_choice_twice_is_answered_and_changes_nothing(rete, group):
    panel = await open_panel(rete)
    await panel.tap("📊 Riepilogo settimanale")
    before = await stored(rete)
    toast = await panel.tap("09:00")
    assert toast is not None
    assert toast.startswith("✅")
    assert await stored(rete) == {**before, "recaptime": "09:00"}


async def test_another_admin_may_use_the_panel(rete, group):
    panel = await open_panel(rete)
    await panel.tap("📊 Riepilogo settimanale", who=DARIO)
    await panel.tap("Riepilogo spento", who=DARIO)
    assert (await stored(rete))["recap"] is False


async def test_the_panel_survives_a_restart_within_a_day(rete, group):
    panel = await open_panel(rete)
    await panel.tap("📊 Riepilogo settimanale")
    await rete.restart()
    rete.clock.advance(PANEL_LIFETIME - timedelta(minutes=1))
    await panel.tap("ven")
    assert (await stored(rete))["recapday"] == 4


# ---- refusals ------------------------------------------------------------------------------


async def test_a_member_tapping_is_refused_and_nothing_changes(rete, group):
    panel = await open_panel(rete)
    await panel.tap("📊 Riepilogo settimanale")
    before, text = await stored(rete), panel.text
    alert = await panel.tap("Riepilogo spento", who=MEMBER)
    assert (
        alert == "Solo gli admin del gruppo possono usare questo pannello. Non ho cambiato niente."
    )
    assert await panel.tap("◀ Tutte le impostazioni", who=MEMBER) == alert
    assert await stored(rete) == before
    assert panel.text == text


async def test_a_demoted_admin_is_refused_at_once(rete, group):
    panel = await open_panel(rete, who=DARIO)
    await panel.tap("📊 Riepilogo settimanale", who=DARIO)
    before = await stored(rete)
    rete.telegram.set_admins(GROUP["id"], ADMIN)  # Dario is demoted; Rete's cache still lists him
    calls = len(rete.telegram.calls_to("getChatAdministrators"))
    alert = await panel.tap("Riepilogo spento", who=DARIO)
    assert alert is not None
    assert alert.startswith("Solo gli admin del gruppo")
    assert len(rete.telegram.calls_to("getChatAdministrators")) == calls + 1, "asked Telegram"
    assert await stored(rete) == before


async def test_an_expired_panel_answers_clearly_and_drops_its_buttons(rete, group):
    panel = await open_panel(rete)
    before = await stored(rete)
    rete.clock.advance(PANEL_LIFETIME + timedelta(minutes=1))
    alert = await panel.tap("📊 Riepilogo settimanale")
    assert alert == (
        "Questo pannello ha più di un giorno: invia /impostazioni per averne uno nuovo. "
        "Non ho cambiato niente."
    )
    assert panel.rows == []
    assert await stored(rete) == before


async def test_an_expired_panel_in_english(rete, group):
    await rete.send(f.command(GROUP, ADMIN, "/settings language english"))
    panel = await open_panel(rete)
    rete.clock.advance(timedelta(days=2))
    alert = await panel.tap("📊 Weekly recap")
    assert alert == (
        "This panel is more than a day old: send /settings for a new one. Nothing changed."
    )


FORGED = [
    "st:-1043:s:recap:off",  # another group's id, under this group's panel
    "st:-1041:s:recap:maybe",  # not a choice
    "st:-1041:s:quota:50",  # a valid value, but not one the panel offers
    "st:-1041:s:quota:²",  # str.isdigit() says yes
    "st:-1041:s:quota:５",  # fullwidth 5
    "st:-1041:s:recapday:MON",  # choices are spelled exactly
    "st:-1041:s:recapday:lunedì",
    "st:-1041:s:colour:blue",  # no such setting
    "st:-1041:s:timezone:UTC",  # typed only
    "st:-1041:s:recap",  # no value
    "st:-1041:s:recap:off:extra",
    "st:-1041:p:nosuchpage",
    "st:-1041:h:extra",
    "st:-1041:zz",
    "st:٠١٠٤١:h",  # Arabic-Indic digits
    "st:+1041:h",
    "st:1041:h",  # a private chat's id
    "st:",
    "st:-1041:s:recaptime:" + "9" * 60,  # overlong
]


@pytest.mark.parametrize("data", FORGED)
async def test_forged_data_is_refused_and_changes_nothing(rete, group, data):
    panel = await open_panel(rete)
    before, text = await stored(rete), panel.text
    alert = await panel.press_data(ADMIN, data)
    assert alert == (
        "Questo pulsante non fa parte di un pannello delle impostazioni di questo gruppo. "
        "Non ho cambiato niente."
    )
    assert await stored(rete) == before
    assert panel.text == text


async def test_a_panel_button_pressed_under_another_message_is_refused(rete, group):
    panel = await open_panel(rete)
    data = panel.data("📊 Riepilogo settimanale")
    await rete.send(f.command(OTHER, BEA, "/settings language en"))
    other = rete.telegram.sent(OTHER["id"])[-1].result
    await rete.send(f.callback_query(BEA, data, other))
    [answer] = rete.telegram.calls_to("answerCallbackQuery")
    assert answer.params["text"].startswith("This button doesn't belong to a settings panel")
    assert rete.telegram.sent(OTHER["id"], "editMessageText") == []


# ---- typed forms -------------------------------------------------------------------------------


async def test_an_unknown_setting_lists_them_all(rete, group):
    await rete.send(f.command(GROUP, ADMIN, "/settings colour blue"))
    said = rete.last_text(GROUP["id"])
    assert said.startswith("Non conosco l'impostazione “colour”. Conosco: argomento, lingua, fuso")
    for italian in ("orariepilogo", "presentazioniverifica", "silenzio", "reazioni"):
        assert italian in said
    await rete.send(f.command(GROUP, ADMIN, "/settings language en"))
    await rete.send(f.command(GROUP, ADMIN, "/settings colour blue"))
    said = rete.last_text(GROUP["id"])
    assert said.startswith("I don't know the setting “colour”. I know: topic, language, timezone")
    assert "introsfollowup" in said


@pytest.mark.parametrize(
    ("typed", "key", "value"),
    [
        ("/impostazioni lingua inglese", "language", "en"),
        ("/settings language English", "language", "en"),
        ("/settings lingua Italiano", "language", "it"),
        ("/settings registro Sì", "ledger", True),
        ("/settings registro spento", "ledger", False),
        ("/settings riepilogo ACCESO", "recap", True),
        ("/settings giornoriepilogo Giovedì", "recapday", 3),
        ("/settings giornoriepilogo venerdi'", "recapday", 4),
        ("/settings presentazionigiorno SAB", "introsday", 5),
    ],
)
async def test_typed_values_in_natural_words(rete, group, typed, key, value):
    await rete.send(f.command(GROUP, ADMIN, typed))
    assert (await stored(rete))[key] == value
    assert rete.last_text(GROUP["id"]).startswith("✅")


async def test_a_title_full_of_html_is_shown_literally(rete):
    nasty = f.group(-1044, "<b>Makers & Co</b>")
    rete.telegram.set_admins(nasty["id"], ADMIN)
    await rete.send(f.my_chat_member(nasty, ADMIN, rete.telegram.bot_user, "left", "member"))
    panel = await open_panel(rete, chat=nasty)
    assert panel.text.startswith("Impostazioni di Rete per <b>Makers & Co</b>")
    await panel.tap("💬 Spunti")
    assert "Spunti: spenti (/spunti per cambiarli)" in panel.text


async def test_the_introductions_page_says_what_its_rows_mean(rete, group):
    await rete.send(f.command(GROUP, ADMIN, "/settings language en"))
    panel = await open_panel(rete)
    await panel.tap("👋 Introductions")
    assert "Once they are on, the same two people meet again after 6 rounds" in panel.text
    assert panel.rows[4] == [
        "Again after 3 rounds",
        "✓ Again after 6 rounds",
        "Again after 12 rounds",
    ]
    await panel.tap("Again after 12 rounds")
    assert (await stored(rete))["introsrepeat"] == 12
    assert "meet again after 12 rounds" in panel.text


async def test_a_missing_value_is_asked_for_by_the_groups_name_of_the_setting(rete, group):
    await rete.send(f.command(GROUP, ADMIN, "/impostazioni presentazionigiorno"))
    assert rete.last_text(GROUP["id"]) == (
        "Manca il valore, per esempio: /impostazioni presentazionigiorno lunedì"
    )
    await rete.send(f.command(GROUP, ADMIN, "/settings language en"))
    await rete.send(f.command(GROUP, ADMIN, "/impostazioni presentazionigiorno"))
    assert rete.last_text(GROUP["id"]) == (
        "Add the value too, for example: /settings introsday monday"
    )


async def test_an_anonymous_admins_panel_is_tapped_by_any_admin(rete, group):
    panel = await open_panel(rete, who=f.GROUP_ANONYMOUS_BOT, sender_chat=GROUP)
    assert panel.text.startswith("Impostazioni di Rete per Makers")
    await panel.tap("📊 Riepilogo settimanale")
    await panel.tap("Senza grafico")
    assert (await stored(rete))["recapimage"] is False
    assert await panel.tap("Con grafico", who=MEMBER) is not None
    assert (await stored(rete))["recapimage"] is False


async def test_panel_data_for_a_channel_is_refused(rete, group):
    channel = f.group(-1009900, "Loud News", type="channel")
    rete.telegram.set_admins(channel["id"], ADMIN)
    post = f.message(channel, rete.telegram.bot_user, "news")
    await rete.send(f.callback_query(ADMIN, "st:-1009900:s:recap:off", post))
    [answer] = rete.telegram.calls_to("answerCallbackQuery")
    assert answer.params["show_alert"] is True
    assert await rete.db.chats.get(channel["id"]) is None


async def test_the_newcomers_welcome_is_switched_from_the_first_page_of_the_group(rete, group):
    panel = await open_panel(rete, command="/impostazioni")
    await panel.tap("🌍 Lingua, fuso orario, argomento")
    assert "Benvenuto ai nuovi: sì" in panel.text
    assert panel.rows[1] == ["✓ Benvenuto ai nuovi", "Niente benvenuto"]
    await panel.tap("Niente benvenuto")
    assert (await stored(rete))["welcome"] is False
    assert "Benvenuto ai nuovi: no" in panel.text
    assert panel.rows[1] == ["Benvenuto ai nuovi", "✓ Niente benvenuto"]
