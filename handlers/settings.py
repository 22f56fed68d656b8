"""/settings: group admins choose the language, time zone and topic Rete uses."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from telegram import Message, Update
from telegram.constants import ChatMemberStatus

from bot.chat_settings import TOPIC_NAMES, ChatPrefs, SettingError, find_setting
from bot.i18n import LANGUAGES
from bot.recap import weekday_name
from handlers import intros
from handlers import prompts as prompt_handlers
from handlers.common import chat_prefs
from handlers.context import ReteContext
from handlers.delivery import reply
from handlers.guards import group_command

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
}
OFF_WORDS = ("off", "no", "none", "principale", "main")


def _local_time(context: ReteContext, timezone: str) -> str:
    return context.now().astimezone(ZoneInfo(timezone)).strftime("%H:%M")


async def settings_command(update: Update, context: ReteContext) -> None:
    """Show or change the group's settings; only admins, only in groups."""
    checked = await group_command(
        update, context, elsewhere="settings-private", not_admin="settings-not-admin"
    )
    if checked is None:
        return
    message, language = checked
    i18n = context.i18n
    args = context.args or []
    if not args:
        await reply(context, message, await _overview(context, message))
        return
    name, values = args[0], args[1:]
    if name.lower() in TOPIC_NAMES:
        await _set_topic(context, message, language, values)
        return
    setting = find_setting(name)
    if setting is None:
        await reply(context, message, i18n.text(language, "settings-unknown", name=name))
        return
    if not values:
        example = EXAMPLES.get(setting.name, "")
        text = i18n.text(language, "settings-missing-value", name=setting.name, example=example)
        await reply(context, message, text)
        return
    try:
        value = setting.parse(" ".join(values))
    except SettingError as error:
        await reply(context, message, i18n.text(language, error.key, **error.args_))
        return
    await context.db.chats.set_setting(message.chat_id, setting.name, value)
    prefs = await chat_prefs(context, message.chat_id)
    await reply(context, message, _confirmation(context, prefs, setting.name, value))
    await intros.after_setting(context, message.chat_id, setting.name, value)


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
            time=_local_time(context, prefs.timezone),
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
    if values and values[0].lower() in OFF_WORDS:
        await context.db.chats.set_setting(message.chat_id, "topic", None)
        await reply(context, message, i18n.text(language, "settings-topic-cleared"))
        return
    if values or not message.is_topic_message or message.message_thread_id is None:
        await reply(context, message, i18n.text(language, "settings-topic-outside"))
        return
    await context.db.chats.set_setting(message.chat_id, "topic", message.message_thread_id)
    await reply(context, message, i18n.text(language, "settings-topic-set"))


async def _overview(context: ReteContext, message: Message) -> str:
    prefs: ChatPrefs = await chat_prefs(context, message.chat_id)
    language = prefs.language
    i18n = context.i18n
    me = await context.bot.get_chat_member(message.chat_id, context.bot.id)
    admin = me.status == ChatMemberStatus.ADMINISTRATOR
    reads_all = admin or bool(context.bot.can_read_all_group_messages)
    topic = (
        i18n.text(language, "settings-topic-id", id=prefs.topic_id)
        if prefs.topic_id is not None
        else i18n.text(language, "settings-topic-main")
    )
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
    lines.append(i18n.text(language, "settings-ledger-usage"))
    lines.append(prompt_handlers.settings_line(context, prefs))
    lines += [
        "",
        i18n.text(
            language,
            "settings-recap-line",
            state="on" if prefs.recap else "off",
            day=weekday_name(i18n, language, prefs.recap_day),
            time=prefs.recap_at.strftime("%H:%M"),
            image="on" if prefs.recap_image else "off",
        ),
        i18n.text(language, "settings-recap-usage"),
    ]
    lines.append(intros.settings_line(context, prefs))
    current = i18n.text(
        language,
        "settings-current",
        title=message.chat.title or str(message.chat_id),
        language=f"{language} ({'/'.join(LANGUAGES)})",
        timezone=prefs.timezone,
        time=_local_time(context, prefs.timezone),
        topic=topic,
        admin=i18n.text(language, "settings-yes" if admin else "settings-no"),
        reading=i18n.text(
            language, "settings-reading-all" if reads_all else "settings-reading-commands"
        ),
    )
    return "\n\n".join([current, "\n".join(lines)])
