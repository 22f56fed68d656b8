"""The /settings panel: its pages (text and buttons) from a group's current settings.

The first page shows every feature's state and a button per feature; a feature's page shows
its settings, each as a row of buttons with the current choice ticked, and says what to type
for the values no button offers (a time zone, quiet hours, another time). What a button
does is declared in ``bot.chat_settings`` (``KNOBS``, ``FEATURES``); handlers/settings.py
answers the taps.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ChatMemberStatus

from bot.chat_settings import (
    FEATURES,
    KNOBS,
    SETTINGS,
    WEEKDAY_IDS,
    ChatPrefs,
    Knob,
    PanelAction,
    SettingError,
    panel_data,
    parse_days,
    stored_values,
)
from bot.i18n import LANGUAGES, Html
from bot.recap import weekday_name
from handlers import intros
from handlers import prompts as prompt_handlers
from handlers.common import chat_prefs
from handlers.context import ReteContext
from handlers.prompts.common import format_days

# Buttons per row: Telegram allows 8; seven weekdays fit on a phone, more do not.
ROW_WIDTH = 7
TICK = "✓ "


def local_time(context: ReteContext, timezone: str) -> str:
    """The time it is now in ``timezone`` (HH:MM)."""
    return context.now().astimezone(ZoneInfo(timezone)).strftime("%H:%M")


def _button(context: ReteContext, language: str, key: str, data: str, **args: Any) -> Any:
    return InlineKeyboardButton(context.i18n.plain(language, key, **args), callback_data=data)


def _choice_label(context: ReteContext, prefs: ChatPrefs, knob: Knob, choice: str) -> str:
    """A choice as its button shows it, in the group's language."""
    i18n, language = context.i18n, prefs.language
    if knob.name in ("recapday", "introsday"):
        shown: str | int = i18n.plain(
            language, "recap-weekday-short", day=WEEKDAY_IDS.index(choice)
        )
    elif knob.name == "promptdays":
        shown = _days_label(context, language, choice)
    elif knob.name == "quiethours" and choice != "off":
        shown = choice.replace("-", "–")
    elif choice.isascii() and choice.isdigit():
        shown = int(choice)  # a number, for the catalog's plural and exact-number variants
    else:
        shown = choice
    return i18n.plain(language, f"settings-choice-{knob.name}", value=shown)


def _days_label(context: ReteContext, language: str, choice: str) -> str:
    if choice in ("weekdays", "daily"):
        return context.i18n.plain(language, f"settings-choice-days-{choice}")
    return format_days(context, language, parse_days(choice))


def _is_current(knob: Knob, choice: str, prefs: ChatPrefs, values: dict[str, Any]) -> bool:
    """True if choosing ``choice`` would leave the setting as it is."""
    try:
        value = SETTINGS[knob.setting].parse(knob.typed(choice, prefs))
    except SettingError:  # a declared choice always parses; see tests/test_chat_settings.py
        return False
    current = values[knob.setting]
    if isinstance(value, dict) and isinstance(current, dict):
        return value == {**current, "days": sorted(current["days"])}
    return bool(value == current)


def _rows(
    context: ReteContext, chat_id: int, prefs: ChatPrefs, values: dict[str, Any], page: str
) -> list[list[InlineKeyboardButton]]:
    rows: list[list[InlineKeyboardButton]] = []
    for name in FEATURES[page]:
        knob = KNOBS[name]
        row = []
        for choice in knob.choices:
            label = _choice_label(context, prefs, knob, choice)
            if _is_current(knob, choice, prefs, values):
                label = TICK + label
            row.append(
                InlineKeyboardButton(
                    label, callback_data=panel_data(chat_id, "set", knob.name, choice)
                )
            )
        rows += [row[start : start + ROW_WIDTH] for start in range(0, len(row), ROW_WIDTH)]
    return rows


async def render(
    context: ReteContext, chat_id: int, title: str, is_forum: bool, page: str
) -> tuple[str, InlineKeyboardMarkup]:
    """Return the panel's ``page`` ("home" or a feature) for the group, as it is now."""
    chat = await context.db.chats.get(chat_id)
    prefs = await chat_prefs(context, chat_id)
    language = prefs.language
    nav = _navigation(context, chat_id, language, page)
    if page == "home":
        text = await _home_text(context, chat_id, title, prefs)
        return text, InlineKeyboardMarkup(nav)
    values = stored_values(chat.settings if chat else {}, context.settings)
    rows = _rows(context, chat_id, prefs, values, page)
    if page == "group" and is_forum and prefs.topic_id is not None:
        rows.append(
            [_button(context, language, "settings-panel-main-chat", _data(chat_id, "main-chat"))]
        )
    return _page_text(context, prefs, page, is_forum), InlineKeyboardMarkup(rows + nav)


def _data(chat_id: int, action: PanelAction, *parts: str) -> str:
    return panel_data(chat_id, action, *parts)


def _navigation(
    context: ReteContext, chat_id: int, language: str, page: str
) -> list[list[InlineKeyboardButton]]:
    if page != "home":
        return [
            [
                _button(context, language, "settings-panel-back", _data(chat_id, "home")),
                _button(context, language, "settings-panel-done", _data(chat_id, "close")),
            ]
        ]
    features = [
        _button(context, language, f"settings-panel-open-{name}", _data(chat_id, "page", name))
        for name in FEATURES
    ]
    done = _button(context, language, "settings-panel-done", _data(chat_id, "close"))
    return [features[0:1], features[1:3], features[3:5], features[5:], [done]]


def _page_text(context: ReteContext, prefs: ChatPrefs, page: str, is_forum: bool) -> str:
    i18n, language = context.i18n, prefs.language
    if page == "group":
        return i18n.text(
            language,
            "settings-panel-group",
            language=Html(i18n.text(language, "settings-language-name", language=language)),
            timezone=prefs.timezone,
            time=local_time(context, prefs.timezone),
            topic=Html(_topic_text(context, prefs)),
            welcome="on" if prefs.welcome else "off",
            forum="yes" if is_forum else "no",
        )
    if page == "ledger":
        state = i18n.text(
            language,
            "settings-panel-ledger",
            state="on" if prefs.ledger else "off",
            quota=prefs.daily_quota,
            paircap=prefs.pair_cap,
            reactions=" ".join(prefs.reactions) or "—",
        )
        typed = i18n.text(language, "settings-panel-typed")
        return f"{state}\n\n{typed}\n{i18n.text(language, 'settings-ledger-usage')}"
    if page == "prompts":
        return i18n.text(
            language,
            "settings-panel-prompts",
            line=Html(prompt_handlers.settings_line(context, prefs)),
            pin="on" if prefs.prompt_pin else "off",
            busy=prefs.prompt_busy,
        )
    if page == "recap":
        return i18n.text(
            language,
            "settings-panel-recap",
            state="on" if prefs.recap else "off",
            day=weekday_name(i18n, language, prefs.recap_day),
            time=prefs.recap_at.strftime("%H:%M"),
            image="on" if prefs.recap_image else "off",
        )
    if page == "asks":
        return i18n.text(
            language,
            "settings-panel-asks",
            state="on" if prefs.asks else "off",
            open=prefs.asks_open,
            routed=prefs.asks_routed,
            weekly=prefs.asks_weekly,
            days=prefs.asks_expiry_days,
        )
    line = intros.settings_line(context, prefs)
    if not prefs.intros:
        # The "off" line says when rounds would run, not how often pairs repeat.
        later = i18n.text(
            language,
            "settings-panel-intros-later",
            repeat=prefs.intros_repeat_window,
            followup=prefs.intros_follow_up_days,
        )
        line = f"{line}\n{later}"
    return i18n.text(language, "settings-panel-intros", line=Html(line))


def _topic_text(context: ReteContext, prefs: ChatPrefs) -> str:
    if prefs.topic_id is not None:
        return context.i18n.text(prefs.language, "settings-topic-id", id=prefs.topic_id)
    return context.i18n.text(prefs.language, "settings-topic-main")


async def _home_text(context: ReteContext, chat_id: int, title: str, prefs: ChatPrefs) -> str:
    """Every feature's state, as the first page (and the typed-forms' overview) shows it."""
    language = prefs.language
    i18n = context.i18n
    me = await context.bot.get_chat_member(chat_id, context.bot.id)
    admin = me.status == ChatMemberStatus.ADMINISTRATOR
    reads_all = admin or bool(context.bot.can_read_all_group_messages)
    lines = [
        i18n.text(
            language,
            "settings-ledger-line",
            state="on" if prefs.ledger else "off",
            quota=prefs.daily_quota,
            paircap=prefs.pair_cap,
            reactions=" ".join(prefs.reactions) or "—",
        )
    ]
    if prefs.ledger and prefs.reactions and not admin:
        lines.append(i18n.text(language, "settings-reactions-need-admin"))
    lines.append(prompt_handlers.settings_line(context, prefs))
    lines.append(
        i18n.text(
            language,
            "settings-recap-line",
            state="on" if prefs.recap else "off",
            day=weekday_name(i18n, language, prefs.recap_day),
            time=prefs.recap_at.strftime("%H:%M"),
            image="on" if prefs.recap_image else "off",
        )
    )
    lines.append(intros.settings_line(context, prefs))
    current = i18n.text(
        language,
        "settings-current",
        title=title,
        language=f"{language} ({'/'.join(LANGUAGES)})",
        timezone=prefs.timezone,
        time=local_time(context, prefs.timezone),
        topic=Html(_topic_text(context, prefs)),
        admin=Html(i18n.text(language, "settings-yes" if admin else "settings-no")),
        reading=Html(
            i18n.text(
                language, "settings-reading-all" if reads_all else "settings-reading-commands"
            )
        ),
    )
    hint = i18n.text(language, "settings-panel-hint")
    return "\n\n".join([current, "\n".join(lines), hint])
