"""/settings: group admins choose the language, time zone, topic and every feature's settings.

Typed (``/settings recaptime 18:00``) or tapped on the panel (handlers/settings_panel.py
draws it): both change a setting through ``change_setting``. Every tap is checked with
Telegram's current admin list; a panel answers for PANEL_LIFETIME after it was sent.
"""

from __future__ import annotations

import logging

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError

from bot.chat_settings import (
    PANEL_PREFIX,
    SETTINGS,
    TOPIC_NAMES,
    ChatPrefs,
    ChatSetting,
    PanelTap,
    SettingError,
    find_setting,
    fold,
    panel_expired,
    parse_panel_data,
)
from bot.i18n import to_plain
from bot.recap import weekday_name
from bot.text import shorten
from handlers import intros, settings_panel
from handlers import prompts as prompt_handlers
from handlers.common import ALERT_LIMIT, alert, chat_prefs, is_group, user_language
from handlers.context import ReteContext
from handlers.delivery import reply
from handlers.guards import group_command
from handlers.trust import actor_of

log = logging.getLogger(__name__)

# The panel's buttons (bot/app.py routes them here; tests/test_abuse.py attacks them).
CALLBACK_PREFIX = PANEL_PREFIX

EXAMPLES = {
    "language": "it",
    "timezone": "Europe/Rome",
    "ledger": "on",
    "reactions": "🙏 👍",
    "quota": "5",
    "paircap": "3",
    "prompts": "on",
    "promptschedule": "mon,thu 09:30",
    "quiethours": "22:00-08:00",
    "promptpin": "off",
    "promptbusy": "10",
    "recap": "on",
    "recapday": "mon",
    "recaptime": "09:00",
    "recapimage": "off",
    "intros": "on",
    "introsevery": "2",
    "introsday": "monday",
    "introstime": "10:00",
    "introsrepeat": "6",
    "introsfollowup": "7",
    "asks": "on",
    "askslimit": "3",
    "asksrouted": "5",
    "asksweekly": "3",
    "asksexpiry": "14",
}
# Where an Italian group reads an example better in Italian (the others read the same).
EXAMPLES_IT = {
    "ledger": "sì",
    "reactions": "🙏 👍",
    "promptschedule": "lun,gio 09:30",
    "recapday": "gio",
    "introsevery": "quindicinale",
    "introsday": "lunedì",
}
OFF_WORDS = ("off", "no", "none", "principale", "main")


async def settings_command(update: Update, context: ReteContext) -> None:
    """Show the settings panel, or change one setting as typed; only admins, only in groups."""
    checked = await group_command(
        update, context, elsewhere="settings-private", not_admin="settings-not-admin"
    )
    if checked is None:
        return
    message, language = checked
    i18n = context.i18n
    args = context.args or []
    if not args:
        title = message.chat.title or str(message.chat_id)
        text, markup = await settings_panel.render(
            context, message.chat_id, title, bool(message.chat.is_forum), "home"
        )
        await reply(context, message, text, reply_markup=markup)
        return
    name, values = args[0], args[1:]
    if name.lower() in TOPIC_NAMES:
        await _set_topic(context, message, language, values)
        return
    setting = find_setting(name)
    if setting is None:
        await reply(context, message, _unknown(context, language, name))
        return
    if not values:
        example = EXAMPLES_IT.get(setting.name) if language == "it" else None
        text = i18n.text(
            language,
            "settings-missing-value",
            name=setting.name_in(language),
            example=example or EXAMPLES.get(setting.name, ""),
        )
        await reply(context, message, text)
        return
    try:
        said = await change_setting(context, message.chat_id, setting, " ".join(values))
    except SettingError as error:
        await reply(context, message, i18n.text(language, error.key, **error.args_))
        return
    await reply(context, message, said)


def _unknown(context: ReteContext, language: str, name: str) -> str:
    """Name every setting, with its names in the group's language first."""
    known = [TOPIC_NAMES[1] if language == "it" else TOPIC_NAMES[0]]
    known += [setting.name_in(language) for setting in SETTINGS.values()]
    return context.i18n.text(language, "settings-unknown", name=name, known=", ".join(known))


async def change_setting(
    context: ReteContext, chat_id: int, setting: ChatSetting, typed: str
) -> str:
    """Store ``typed`` as the group's ``setting`` and return the confirmation to show.

    The one way a setting changes, typed (/settings name value) or tapped on the panel;
    a value the setting's parser refuses raises SettingError and changes nothing.
    """
    value = setting.parse(typed)
    await context.db.chats.set_setting(chat_id, setting.name, value)
    prefs = await chat_prefs(context, chat_id)
    said = _confirmation(context, prefs, setting.name, value)
    await intros.after_setting(context, chat_id, setting.name, value)
    return said


def _confirmation(context: ReteContext, prefs: ChatPrefs, name: str, value: object) -> str:
    """Say what changed, in the group's (possibly new) language."""
    i18n, language = context.i18n, prefs.language
    if name in prompt_handlers.SETTING_NAMES:
        return prompt_handlers.confirmation(context, prefs, name)
    if name == "language":
        return i18n.text(language, "settings-language-set")
    if name == "timezone":
        return i18n.text(
            language,
            "settings-timezone-set",
            timezone=prefs.timezone,
            time=settings_panel.local_time(context, prefs.timezone),
        )
    if name == "ledger":
        return i18n.text(language, "settings-ledger-set", state="on" if value else "off")
    if name.startswith("intros"):
        return intros.confirmation(context, prefs, name)
    if name == "reactions":
        shown = " ".join(prefs.reactions) or "none"
        return i18n.text(language, "settings-reactions-set", reactions=shown)
    if name in ("recap", "recapday", "recaptime"):
        return i18n.text(
            language,
            f"settings-{name}-set",
            state="on" if prefs.recap else "off",
            day=weekday_name(i18n, language, prefs.recap_day),
            time=prefs.recap_at.strftime("%H:%M"),
        )
    if name == "welcome":
        return i18n.text(language, "settings-welcome-set", state="on" if value else "off")
    if name.startswith("asks"):
        return i18n.text(
            language,
            "settings-asks-set",
            state="on" if prefs.asks else "off",
            open=prefs.asks_open,
            routed=prefs.asks_routed,
            weekly=prefs.asks_weekly,
            days=prefs.asks_expiry_days,
        )
    if name == "recapimage":
        return i18n.text(language, "settings-recapimage-set", state="on" if value else "off")
    return i18n.text(language, f"settings-{name}-set", value=value)


async def _set_topic(
    context: ReteContext, message: Message, language: str, values: list[str]
) -> None:
    i18n = context.i18n
    if not message.chat.is_forum:
        await reply(context, message, i18n.text(language, "settings-topic-not-forum"))
        return
    if values and fold(values[0]) in OFF_WORDS:
        await reply(context, message, await clear_topic(context, message.chat_id))
        return
    if values or not message.is_topic_message or message.message_thread_id is None:
        await reply(context, message, i18n.text(language, "settings-topic-outside"))
        return
    await context.db.chats.set_setting(message.chat_id, "topic", message.message_thread_id)
    await reply(context, message, i18n.text(language, "settings-topic-set"))


async def clear_topic(context: ReteContext, chat_id: int) -> str:
    """Post in the main chat again (typed ``topic off`` or the panel's button); say so."""
    await context.db.chats.set_setting(chat_id, "topic", None)
    language = (await chat_prefs(context, chat_id)).language
    return context.i18n.text(language, "settings-topic-cleared")


# ---- the panel's buttons -------------------------------------------------------------------


async def panel_button(update: Update, context: ReteContext) -> None:
    """A tap on the /settings panel: checked, then the page or the change it asks for."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    message = query.message
    pressed_in = message.chat if message is not None else None
    language = (
        (await chat_prefs(context, pressed_in.id)).language
        if pressed_in is not None and is_group(pressed_in)
        else user_language(context, query.from_user)
    )
    tap = parse_panel_data(query.data)
    # Data no panel sends, or a panel of another group (or of no group: a channel, a DM): a
    # forgery, or a button of a chat that became a supergroup (its id changed).
    if (
        tap is None
        or not is_group(pressed_in)
        or pressed_in is None
        or tap.chat_id != pressed_in.id
        or not _offers(message, query.data)
    ):
        await _alert(context, query, language, "settings-panel-forged")
        return
    # Every tap asks Telegram: a demoted admin's old panel changes nothing.
    if not await context.policy.is_admin(tap.chat_id, actor_of(update), fresh=True):
        await _alert(context, query, language, "settings-panel-not-admin")
        return
    assert message is not None
    if panel_expired(message.date, context.now()):
        await _alert(context, query, language, "settings-panel-stale")
        await _edit(query, None, None)
        return
    try:
        toast = await _act(context, tap)
    except SettingError as error:  # the declared choices parse; kept as a safety net
        await _alert(context, query, language, error.key, **error.args_)
        return
    if tap.action == "close":
        await _answer(query, None)
        await _edit(query, await _closed_text(context, tap.chat_id), None)
        return
    title = pressed_in.title or str(pressed_in.id)
    page = tap.page or ("group" if tap.action == "main-chat" else "home")
    text, markup = await settings_panel.render(
        context, tap.chat_id, title, bool(pressed_in.is_forum), page
    )
    await _answer(query, shorten(to_plain(toast), ALERT_LIMIT) if toast else None)
    await _edit(query, text, markup)


def _offers(message: object, data: str) -> bool:
    """True if ``message`` shows a button with ``data``: a tap under any other message of
    the group (a welcome, a recap, a page the panel no longer shows) is a forgery, and must
    not turn that message into a panel."""
    markup = getattr(message, "reply_markup", None)
    if not isinstance(markup, InlineKeyboardMarkup):
        return False
    return any(button.callback_data == data for row in markup.inline_keyboard for button in row)


async def _act(context: ReteContext, tap: PanelTap) -> str:
    """Do what the tap asks; return the confirmation to show (empty when only browsing)."""
    if tap.action == "set":
        assert tap.knob is not None
        prefs = await chat_prefs(context, tap.chat_id)
        setting = SETTINGS[tap.knob.setting]
        return await change_setting(
            context, tap.chat_id, setting, tap.knob.typed(tap.choice, prefs)
        )
    if tap.action == "main-chat":
        return await clear_topic(context, tap.chat_id)
    return ""


async def _closed_text(context: ReteContext, chat_id: int) -> str:
    prefs = await chat_prefs(context, chat_id)
    return context.i18n.text(prefs.language, "settings-panel-closed")


async def _alert(
    context: ReteContext, query: CallbackQuery, language: str, key: str, **args: object
) -> None:
    try:
        await query.answer(alert(context, language, key, **args), show_alert=True)
    except TelegramError as error:
        log.info("Could not answer a settings button (%s): %s", key, error)


async def _answer(query: CallbackQuery, toast: str | None) -> None:
    try:
        await query.answer(toast)
    except TelegramError as error:  # answered too late: the change and the redraw stand
        log.info("Could not answer a settings button: %s", error)


async def _edit(
    query: CallbackQuery, text: str | None, markup: InlineKeyboardMarkup | None
) -> None:
    """Show ``text`` (and ``markup``) in the panel's message; None: just drop the buttons."""
    try:
        if text is None:
            await query.edit_message_reply_markup(None)
        else:
            await query.edit_message_text(text, reply_markup=markup)
    except TelegramError as error:
        # "message is not modified" (the same choice tapped twice), or the message is gone.
        log.debug("Could not edit the settings panel: %s", error)
