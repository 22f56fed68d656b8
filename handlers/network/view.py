"""/network (/contatti): a member's ties, in private, page by page, and one tie's card."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot import ties as logic
from bot.i18n import Html
from bot.ties import callback
from handlers.common import is_group, language_for
from handlers.context import ReteContext
from handlers.delivery import reply
from handlers.network.common import (
    button,
    day_in,
    how,
    label,
    name_of,
    people_in,
    t,
    title_of,
)
from handlers.start import deep_link, open_private_button
from storage.ties import TieRow

View = tuple[str, InlineKeyboardMarkup | None]


async def network_command(update: Update, context: ReteContext) -> None:
    """/network: in private, the first page of the member's ties; in a group, a button there."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or user.is_bot:
        return
    language = await language_for(context, update)
    if is_group(message.chat):
        label_text = context.i18n.plain(language, "network-open-private")
        markup = open_private_button(context, label_text, "network")
        await reply(
            context, message, t(context, language, "network-in-private"), reply_markup=markup
        )
        return
    # Writing to Rete in private means the chat is open (as /start records it): the
    # reminders and notes chosen from this view may be sent.
    member = await context.db.members.get(user.id)
    if member is not None and not member.dm_reachable:
        await context.db.members.set_reachable(user.id, True)
    view = await page_view(context, user.id, language, 0, clamp=True)
    assert view is not None  # clamped: the first page always exists
    text, markup = view
    await reply(context, message, text, reply_markup=markup)


@deep_link("network")
async def _network_link(update: Update, context: ReteContext, argument: str) -> None:
    await network_command(update, context)


async def page_view(
    context: ReteContext, member_id: int, language: str, page: int, *, clamp: bool = False
) -> View | None:
    """Return one page of the member's ties (text and buttons); None if there is no such page."""
    store = context.db
    rows = await store.ties.of(member_id)
    note = await store.ties.note_chosen(member_id)
    note_button = button(
        context,
        language,
        "network-button-note-off" if note else "network-button-note-on",
        callback("n", 0 if note else 1, page),
    )
    if not rows:
        if page != 0 and not clamp:
            return None
        text = t(context, language, "network-empty")
        # Someone Rete knows from no group has nothing to note (nor a row to note it on).
        known = note or await store.members.get(member_id) is not None
        return text, InlineKeyboardMarkup([[note_button]] if known else [])
    groups = logic.ordered(rows)
    flat = logic.flattened(groups)
    total = logic.pages(len(flat))
    if clamp:
        page = min(max(page, 0), total - 1)
    shown = logic.page_of(flat, page)
    if shown is None:
        return None
    people = await store.members.get_many(people_in(shown))
    now = context.now()
    active = logic.active_count(rows, now)
    layer = logic.layer(active)
    lines = [
        t(
            context,
            language,
            "network-header",
            ties=len(flat),
            people=len({tie.other_id for tie in flat}),
        ),
        t(
            context,
            language,
            "network-layers",
            active=active,
            layer=layer or 0,
        ),
    ]
    keyboard: list[list[InlineKeyboardButton]] = []
    row: list[InlineKeyboardButton] = []
    chat_id: int | None = None
    start = page * logic.PAGE_SIZE
    for number, tie in enumerate(shown, start + 1):
        if tie.chat_id != chat_id:
            chat_id = tie.chat_id
            lines += [
                "",
                t(context, language, "network-group", title=await title_of(context, chat_id)),
            ]
        name = name_of(people.get(tie.other_id), tie.other_id)
        last = await day_in(context, tie.last_at, tie.chat_id, language)
        lines.append(
            t(
                context,
                language,
                "network-tie",
                number=number,
                name=name,
                how=await how(context, language, tie, people),
                last=last,
            )
        )
        row.append(
            InlineKeyboardButton(
                f"{number}. {label(name)}",
                callback_data=callback("t", tie.other_id, tie.chat_id, page),
            )
        )
        if len(row) == 2:
            keyboard.append(row)
            row = []
    if row:
        keyboard.append(row)
    lines += ["", t(context, language, "network-page", page=page + 1, pages=total)]
    pager: list[InlineKeyboardButton] = []
    if page > 0:
        pager.append(button(context, language, "network-button-previous", callback("p", page - 1)))
    if page + 1 < total:
        pager.append(button(context, language, "network-button-next", callback("p", page + 1)))
    if pager:
        keyboard.append(pager)
    keyboard.append([note_button])
    return "\n".join(lines), InlineKeyboardMarkup(keyboard)


async def tie_view(
    context: ReteContext, member_id: int, language: str, tie: TieRow, page: int
) -> View:
    """Return one tie's card: how the two are tied, the reminder, and what can be done."""
    store = context.db
    people = await store.members.get_many(people_in([tie]))
    reminder = await store.ties.reminder(member_id, tie.other_id)
    name = name_of(people.get(tie.other_id), tie.other_id)
    if reminder is not None:
        due = await day_in(context, max(reminder.due_at, context.now()), tie.chat_id, language)
        reminding = t(
            context, language, "network-reminder-set", date=due, days=reminder.every_days
        )
    else:
        reminding = t(context, language, "network-reminder-none")
    text = t(
        context,
        language,
        "network-card",
        name=name,
        title=await title_of(context, tie.chat_id),
        how=await how(context, language, tie, people) or Html("—"),
        last=await day_in(context, tie.last_at, tie.chat_id, language),
        reminder=Html(reminding),
    )
    other, chat = tie.other_id, tie.chat_id
    keyboard = [
        [
            button(
                context, language, "network-button-remind", callback("r", other, chat, m), months=m
            )
            for m in logic.REMIND_MONTHS
        ],
        [
            button(context, language, "network-button-talked", callback("w", other, chat)),
            button(context, language, "network-button-introduce", callback("i", other, chat)),
        ],
    ]
    if reminder is not None:
        keyboard.append([button(context, language, "network-button-stop", callback("s", other))])
    keyboard.append([button(context, language, "network-button-back", callback("p", page))])
    return text, InlineKeyboardMarkup(keyboard)
