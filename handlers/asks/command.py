"""/ask (/chiedo) in a group: the draft with its tags, posting it; /asks and its stats."""

from __future__ import annotations

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
    User,
)
from telegram.ext import ApplicationHandlerStop

from bot.asks import (
    MAX_NOTE_CHARS,
    NOTE_WAIT,
    AskError,
    callback,
    check_text,
    grams,
    median_wait,
    suggest_tags,
)
from bot.deeplinks import start_link
from bot.i18n import to_plain
from bot.policy import Refused
from bot.prompts import preview
from handlers.asks.common import button, edit, named, stale, t, tag_list, title
from handlers.common import chat_prefs, is_admin, is_group, member_info, user_language
from handlers.context import ReteContext
from handlers.delivery import reply
from handlers.guards import answer_refusal, group_command
from handlers.trust import actor_of
from storage.asks import Ask

# How many open asks /asks lists.
LISTED = 10


def _argument(text: str) -> str:
    """What follows the command (newlines kept)."""
    parts = text.split(maxsplit=1)
    return parts[1] if len(parts) > 1 else ""


def draft_markup(context: ReteContext, language: str, ask: Ask) -> InlineKeyboardMarkup:
    """The draft's buttons: each suggested tag (✓ when chosen), Post, Cancel."""
    rows: list[list[InlineKeyboardButton]] = []
    for k, tag in enumerate(ask.suggested):
        mark = "✓ " if tag in ask.tags else "○ "
        rows.append(
            [
                InlineKeyboardButton(
                    f"{mark}#{tag.replace(' ', '_')}", callback_data=callback("t", ask.id, k)
                )
            ]
        )
    rows.append(
        [
            button(context, language, "asks-button-post", "p", ask.id),
            button(context, language, "asks-button-cancel", "c", ask.id),
        ]
    )
    return InlineKeyboardMarkup(rows)


def draft_text(context: ReteContext, language: str, ask: Ask) -> str:
    """The draft as its author sees it before it goes out."""
    return t(
        context,
        language,
        "asks-draft",
        text=ask.text,
        tags=tag_list(ask.tags) if ask.tags else "—",
    )


async def ask_command(update: Update, context: ReteContext) -> None:
    """/ask <text> in a group: suggest its tags for the author to confirm before it goes out."""
    message, user = update.effective_message, update.effective_user
    if message is None:
        return
    if not is_group(message.chat):
        if user is not None and not user.is_bot:
            await _ask_in_private(context, message, user)
        return
    checked = await group_command(update, context)
    if checked is None:
        return
    message, language = checked
    prefs = await chat_prefs(context, message.chat_id)
    actor = actor_of(update)
    if actor.person is None or user is None:
        await answer_refusal(context, update, Refused("not-a-person"), language)
        return
    if not prefs.asks:
        await reply(context, message, t(context, language, "asks-off"))
        return
    try:
        text = check_text(_argument(message.text or ""))
    except AskError as error:
        await reply(context, message, t(context, language, error.key, **error.args_))
        return
    store = context.db
    member = await store.members.get(user.id)
    if member is None or not member.dm_reachable:
        # Offers reach the asker in private: without that chat nobody could answer them.
        markup = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        to_plain(t(context, language, "asks-open-private")),
                        url=start_link(context.bot.username, "asks"),
                    )
                ]
            ]
        )
        await reply(
            context, message, t(context, language, "asks-start-first"), reply_markup=markup
        )
        return
    if await store.asks.open_count(message.chat_id, user.id) >= prefs.asks_open:
        await reply(context, message, t(context, language, "asks-limit", count=prefs.asks_open))
        return
    vocabulary = await store.asks.vocabulary(message.chat_id, grams(text))
    tags = suggest_tags(text, vocabulary)
    if not tags:
        await reply(context, message, t(context, language, "asks-no-tags"))
        return
    ask_id = await store.asks.create(message.chat_id, member_info(user), text, tags, context.now())
    ask = await store.asks.get(ask_id)
    assert ask is not None
    await reply(
        context,
        message,
        draft_text(context, language, ask),
        reply_markup=draft_markup(context, language, ask),
    )


async def asks_command(update: Update, context: ReteContext) -> None:
    """/asks: the group's open asks; /asks stats for admins; in private, your choices."""
    message, user = update.effective_message, update.effective_user
    if message is None:
        return
    if not is_group(message.chat):
        if user is not None:
            text, markup = await choices(context, user.id, user_language(context, user))
            await reply(context, message, text, reply_markup=markup)
        return
    checked = await group_command(update, context)
    if checked is None:
        return
    message, language = checked
    if (context.args or [""])[0].lower() in ("stats", "statistiche"):
        if not await is_admin(context, update, fresh=True):
            await reply(context, message, t(context, language, "asks-stats-not-admin"))
            return
        stats = await context.db.asks.stats(message.chat_id)
        wait = median_wait(stats.waits)
        await reply(
            context,
            message,
            t(
                context,
                language,
                "asks-stats",
                made=stats.made,
                answered=stats.answered,
                solved=stats.solved,
                warm=stats.warm,
                hours=round(wait.total_seconds() / 3600, 1) if wait is not None else "—",
            ),
        )
        return
    open_asks = await context.db.asks.open_asks(message.chat_id, LISTED)
    if not open_asks:
        await reply(context, message, t(context, language, "asks-none-open"))
        return
    askers = await context.db.members.get_many([a.asker_id for a in open_asks])
    lines = [t(context, language, "asks-list-header", count=len(open_asks))]
    for ask in open_asks:
        lines.append(
            t(
                context,
                language,
                "asks-list-line",
                name=named(context, language, askers.get(ask.asker_id)),
                text=preview(ask.text, 80),
            )
        )
    await reply(context, message, "\n".join(lines))


async def choices(
    context: ReteContext, member_id: int, language: str
) -> tuple[str, InlineKeyboardMarkup]:
    """A member's own choices about asks, with buttons to change them."""
    no_asks, no_connector = await context.db.asks.prefs(member_id)
    text = t(
        context,
        language,
        "asks-choices",
        asks="off" if no_asks else "on",
        connector="off" if no_connector else "on",
    )
    markup = InlineKeyboardMarkup(
        [
            [
                button(
                    context,
                    language,
                    "asks-button-asks-on" if no_asks else "asks-button-asks-off",
                    "o",
                    0,
                    0 if no_asks else 1,
                )
            ],
            [
                button(
                    context,
                    language,
                    "asks-button-connector-on" if no_connector else "asks-button-connector-off",
                    "q",
                    0,
                    0 if no_connector else 1,
                )
            ],
        ]
    )
    return text, markup


async def note_text(update: Update, context: ReteContext) -> None:
    """A plain message in private after "I can help": the helper's one-line note."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or message.text is None:
        return
    if message.text.startswith("/"):  # a command is never a note
        return
    offer = await context.db.asks.noting(user.id, context.now() - NOTE_WAIT)
    if offer is None:
        return
    from handlers.asks.offers import pass_on  # the offers module imports this one

    line = " ".join(message.text.split())[:MAX_NOTE_CHARS]
    language = user_language(context, user)
    ask = await context.db.asks.get(offer.ask_id)
    if ask is None or not ask.is_open:
        # Closed while Rete waited: the wait ends (without the text), nothing goes out.
        await context.db.asks.set_note(offer.ask_id, user.id, None)
        await reply(context, message, t(context, language, "asks-closed"))
        raise ApplicationHandlerStop
    if await context.db.asks.set_note(offer.ask_id, user.id, line or None):
        await reply(context, message, t(context, language, "asks-note-sent"))
        await pass_on(context, offer.ask_id, user.id)
    raise ApplicationHandlerStop


# Groups offered as buttons when /ask is sent in private.
GROUPS_SHOWN = 10


async def _ask_in_private(context: ReteContext, message: Message, user: User) -> None:
    """/ask <text> in private: the draft, once the member chose the group with a button.

    Only groups where asks are on and Rete's record has the member now are offered; the
    choice is checked again (Telegram confirms the membership) when it is pressed.
    """
    language = user_language(context, user)
    try:
        text = check_text(_argument(message.text or ""))
    except AskError as error:
        await reply(context, message, t(context, language, error.key, **error.args_))
        return
    groups = []
    for membership in await context.db.memberships.for_member(user.id):
        if membership.status in ("left", "kicked") or membership.chat_id >= 0:
            continue
        if (await chat_prefs(context, membership.chat_id)).asks:
            groups.append(membership.chat_id)
    if not groups:
        await reply(context, message, t(context, language, "asks-group-only"))
        return
    # The draft waits in the first group until the member picks one (tags follow the pick).
    ask_id = await context.db.asks.create(groups[0], member_info(user), text, [], context.now())
    rows = [
        [
            InlineKeyboardButton(
                (await title(context, chat_id))[:60],
                callback_data=callback("g", ask_id, -chat_id),
            )
        ]
        for chat_id in groups[:GROUPS_SHOWN]
    ]
    rows.append([button(context, language, "asks-button-cancel", "c", ask_id)])
    await reply(
        context,
        message,
        t(context, language, "asks-choose-group", text=text),
        reply_markup=InlineKeyboardMarkup(rows),
    )


async def choose_group(
    context: ReteContext, query: CallbackQuery, user: User, language: str, ask: Ask, chat_id: int
) -> None:
    """The group chosen for a private draft: verified, then the draft with its tags."""
    if ask.status != "draft" or ask.tags:
        await stale(context, query, language, "asks-button-stale")
        return
    await context.policy.ensure_member(chat_id, user.id, verify=True)
    prefs = await chat_prefs(context, chat_id)
    if not prefs.asks:
        await stale(context, query, language, "asks-off")
        return
    vocabulary = await context.db.asks.vocabulary(chat_id, grams(ask.text))
    tags = suggest_tags(ask.text, vocabulary)
    if not tags:
        await stale(context, query, language, "asks-no-tags")
        return
    if not await context.db.asks.move_draft(ask.id, chat_id, tags):
        await stale(context, query, language, "asks-button-stale")
        return
    await query.answer()
    moved = await context.db.asks.get(ask.id)
    assert moved is not None
    await edit(query, draft_text(context, language, moved), draft_markup(context, language, moved))
